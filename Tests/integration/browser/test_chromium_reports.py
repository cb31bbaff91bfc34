"""Pages report back, in real Chromium: a save makes `hmrd wait --applied` return 0 once
the page applied it and the terminal say so; an accepted module whose callback throws
shows the error and the page's URL in the terminal and makes `wait --applied` exit 1;
a page that reloads comes back in its own place; an uncaught error is shown with its
page; a page of a foreign origin cannot post. (Every rule of the door is checked over
raw sockets in test_reports.py.)
"""

from __future__ import annotations

import subprocess
import time

from conftest import HMRD_BIN

from .conftest import html_page

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
STYLED = {"index.html": html_page("<h1>reports</h1>", '<link rel="stylesheet" href="app.css">'),
          "app.css": f"body {{ color: {RED} }}\n"}


def wait_applied(s, *args) -> subprocess.Popen:
    """`hmrd wait --applied`, once its stream is open: a save before that would be a build it never sees."""
    before = s.status()["clients"]
    waiter = subprocess.Popen([str(HMRD_BIN), "wait", "--applied", "--port", str(s.port), "--timeout", "20s", *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while s.status()["clients"] <= before:
        assert waiter.poll() is None and time.monotonic() < deadline, "hmrd wait did not connect"
        time.sleep(0.02)
    return waiter


def wait_page_listed(s, page, timeout: float = 10.0) -> dict:
    """The page said hello: the daemon lists it."""
    deadline = time.monotonic() + timeout
    url = page.js("location.href")
    while time.monotonic() < deadline:
        listed = [p for p in s.status()["pages"] if p["url"] == url]
        if listed:
            return listed[0]
        time.sleep(0.02)
    raise AssertionError(f"{url} never said hello: {s.status()['pages']}")


def test_a_css_save_makes_wait_applied_return_0_and_the_terminal_say_so(site, page):
    s = site(STYLED)
    page.open(s.url())
    listed = wait_page_listed(s, page)
    assert listed["hash"] == s.hash() and listed["last"] is None
    waiter = wait_applied(s)
    time.sleep(0.3)
    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    page.wait_color(BLUE)
    out, err = waiter.communicate(timeout=20)
    assert waiter.returncode == 0, err
    assert out.splitlines()[-1] == "applied on 1 page"
    line = s.daemon.stdout.wait_for(r"\[hmrd\] pages " + new_hash + r": applied on 1 page in (\d+) ms\n")
    assert int(line.group(1)) < 5000
    last = wait_page_listed(s, page)["last"]
    assert last["outcome"] == "applied" and last["hash"] == new_hash and last["ms"] >= 0


THROWING = html_page('<p id="out">-</p><script type="module" src="/main.js"></script>')
MAIN = """import { value } from './dep.js';
document.getElementById('out').textContent = value;
if (import.meta.hot) {
  import.meta.hot.accept('./dep.js', (mod) => {
    if (mod.value === 'two') throw new TypeError('the page cannot take ' + mod.value);
    document.getElementById('out').textContent = mod.value;
  });
}
"""


def test_an_accept_callback_that_throws_is_in_the_terminal_with_its_page_and_wait_applied_exits_1(site, page):
    s = site({"index.html": THROWING, "main.js": MAIN, "dep.js": "export const value = 'one';\n"})
    page.open(s.url())
    page.wait("document.getElementById('out').textContent === 'one'")
    page.set_marker()
    wait_page_listed(s, page)
    waiter = wait_applied(s)
    time.sleep(0.3)
    new_hash = s.change({"dep.js": "export const value = 'two';\n"})
    out, err = waiter.communicate(timeout=20)
    assert waiter.returncode == 1, (out, err)
    url = s.url("/")
    assert err.startswith(f"hmrd: not applied on 1 page:\n  {url}: failed {new_hash}: an import.meta.hot.accept "
                          "callback of main.js threw: TypeError: the page cannot take two\n"), err
    s.daemon.stderr.wait_for(r"\[hmrd\] error: a page could not apply " + new_hash + r": an import\.meta\.hot\.accept "
                             r"callback of main\.js threw: TypeError: the page cannot take two \(" + url + r"\)\n"
                             r"    at .*main\.js")
    s.daemon.stdout.wait_for(r"\[hmrd\] pages " + new_hash + r": 1 failed\n")
    assert page.has_marker(), "the page reloaded"


def test_a_page_that_reloads_for_a_build_comes_back_in_its_own_place(site, page):
    s = site(STYLED)
    page.open(s.url())
    first = wait_page_listed(s, page)
    page.set_marker()
    waiter = wait_applied(s)
    time.sleep(0.3)
    new_hash = s.change({"index.html": STYLED["index.html"].replace("<h1>reports</h1>", "<h1>reports</h1><script>1</script>")})
    page.wait("window.__marker === undefined", what="the reload")
    out, err = waiter.communicate(timeout=20)
    assert waiter.returncode == 0, err
    s.daemon.stdout.wait_for(r"\[hmrd\] pages " + new_hash + r": 1 reloaded\n")
    pages = s.status()["pages"]
    assert len(pages) == 1 and pages[0]["id"] != first["id"], pages
    assert pages[0]["last"]["outcome"] == "reloaded" and pages[0]["hash"] == new_hash


def test_an_uncaught_error_and_a_rejection_are_shown_with_their_page(site, page):
    s = site(STYLED)
    page.open(s.url())
    wait_page_listed(s, page)
    # A script of the page's own: what DevTools runs reports its errors muted ("Script error.").
    page.run("const s = document.createElement('script');"
             "s.textContent = \"setTimeout(() => { throw new RangeError('out of range in a timer'); }, 0);"
             "Promise.reject(new Error('nobody waited for this'));\";"
             "document.body.appendChild(s);")
    url = s.url("/")
    s.daemon.stderr.wait_for(r"\[hmrd\] error: uncaught error in a page: Uncaught RangeError: out of range in a timer "
                             r"\(" + url + r"\)\n")
    s.daemon.stderr.wait_for(r"\[hmrd\] error: unhandled rejection in a page: nobody waited for this \(" + url + r"\)\n"
                             r"    at ")


def test_a_page_of_a_foreign_origin_cannot_post(site, page, static_server):
    s = site(STYLED, extra=("--verbose",))
    foreign = static_server(s.dist)
    page.open(f"http://foreign.test:{foreign.port}/", connected=False)
    assert page.js("location.hostname") == "foreign.test"
    page.run("""
        const body = JSON.stringify({type: 'hello', page: 'intruder', url: location.href});
        navigator.sendBeacon(arguments[0], body);
        fetch(arguments[0], {method: 'POST', mode: 'no-cors', body});
    """, s.url("/__hmr/report"))
    s.daemon.stdout.wait_for(r"POST /__hmr/report 403 \(origin http://foreign\.test:\d+ may not post here", count=2)
    assert s.status()["pages"] == []
