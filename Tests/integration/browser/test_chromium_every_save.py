"""Every save reaches the page: in place, with no flash, whatever the timing.

A `cp` build rewrites its output in place, so a page asking for the stylesheet
during a second build used to get it truncated; the same build's hash then told
the page it was up to date. Saves come with --debounce 0 and random gaps of
100–400 ms, as an editor's do; the page records every width its box shows."""

import os
import random
import time

import pytest

from .conftest import html_page, put

# Under a sanitizer hmrd is several times slower: fewer saves, the same checks.
SAVES = 20 if os.environ.get("HMRD_SANITIZER") else 100
PAGE = html_page('<div id="box">box</div>', '<link rel="stylesheet" href="app.css">')
RECORDER = """
    window.__widths = new Set();
    const box = document.getElementById('box');
    window.__log = [];  // each new width, when, and the stylesheet whose load showed it
    const sample = (e) => {
      const w = getComputedStyle(box).width;
      if (!window.__widths.has(w)) window.__log.push([Math.round(performance.now()), w, e && e.target && e.target.href]);
      window.__widths.add(w);
    };
    document.addEventListener('load', sample, true);  // every stylesheet <link> that loads
    new MutationObserver(sample).observe(document.head, {childList: true});
    (function frame() { sample(); requestAnimationFrame(frame); })();
"""


def css(width: int) -> str:
    return f"#box {{ width: {width}px; height: 10px }}\n/* {'padding ' * 40} */\n"


def save_in_place(path, text):
    """As most editors: truncate, then write."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def save_by_rename(path, text):
    temp = path.with_name(".app.css.tmp")
    temp.write_text(text)
    os.replace(temp, path)


def run_saves(hmrd, page, tmp_path, save, build, count=SAVES):
    put(tmp_path / "src/app.css", css(1))
    put(tmp_path / "out/index.html", PAGE)
    daemon = hmrd("--watch", "src", "--serve", "out", "--build", build, "--debounce", "0", "--verbose", cwd=tmp_path)
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=10)
    page.open(f"http://127.0.0.1:{daemon.port}/")
    page.wait("getComputedStyle(document.getElementById('box')).width === '1px'", what="the first stylesheet")
    page.set_marker()
    page.run(RECORDER)
    rng = random.Random(11)
    widths = [2 + n for n in range(count)]
    for width in widths:
        save(tmp_path / "src/app.css", css(width))
        time.sleep(rng.uniform(0.1, 0.4))
    page.wait(f"getComputedStyle(document.getElementById('box')).width === '{widths[-1]}px'", timeout=10,
              what="the last save")
    seen = {int(w[:-2]) for w in page.js("Array.from(window.__widths)") if w.endswith("px")}
    missed = [w for w in widths if w not in seen]
    trail = f"\npage: {page.js('window.__log')[-60:]}\nhmrd: {daemon.stdout.text[-6000:]}"
    assert not missed, f"{len(missed)} of {count} saves never reached the page: {missed}{trail}"
    strange = seen - set(widths) - {1}
    assert not strange, f"the page showed widths of no save (a torn or missing stylesheet): {sorted(strange)}{trail}"
    assert page.has_marker(), "the page reloaded"


def test_every_save_in_place_reaches_the_page(hmrd, page, tmp_path):
    run_saves(hmrd, page, tmp_path, save_in_place, "cp src/app.css out/app.css")


def test_every_save_by_rename_reaches_the_page(hmrd, page, tmp_path):
    run_saves(hmrd, page, tmp_path, save_by_rename, "cp src/app.css out/app.css")


@pytest.mark.parametrize("save", [save_in_place, save_by_rename], ids=["in-place", "by-rename"])
def test_a_build_writing_its_output_in_two_steps_never_shows_the_half(hmrd, page, tmp_path, save):
    build = "head -c 12 src/app.css > out/app.css; sleep 0.05; cp src/app.css out/app.css"
    run_saves(hmrd, page, tmp_path, save, build, count=SAVES // 2)
