"""hmrd end to end in a real Firefox ESR (headless, driven over WebDriver BiDi; see bidi.py).

A site is built by a real build command (`cp -r src/. dist/`) and served by
`hmrd --serve dist`, which injects the client tag into its HTML. One Firefox is
shared by the whole session; every test gets a fresh tab in a fresh user context.

* a stylesheet change restyles the page in place: the computed style changes, the
  new <link> carries `?hmr=<hash>`, the old one goes, and page state survives;
* an HTML change is patched in place (typed input and focus kept), a script change reloads;
* a failing build shows the overlay (open shadow root, build text escaped) and
  the next good build removes it.

Skipped only when firefox-esr or the websocket-client package is missing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from .conftest import firefox_or_skip

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)  # appended: `conftest` must keep resolving to the parent harness
import bidi  # noqa: E402

FIREFOX = firefox_or_skip(bidi)

BUILD = "mkdir -p dist && cp -r src/. dist/"
RED, BLUE = "rgb(255, 0, 0)", "rgb(0, 0, 255)"


# --------------------------------------------------------------------------- browser


class SharedFirefox:
    """The session's browser, started on first use and started again if it died."""

    def __init__(self):
        self.browser: bidi.Firefox | None = None

    def get(self) -> bidi.Firefox:
        if self.browser is not None and not self.browser.alive:
            self.close()
        if self.browser is None:
            self.browser = bidi.Firefox(binary=FIREFOX)
        return self.browser

    def new_page(self) -> bidi.Page:
        try:
            return self.get().new_context()
        except (bidi.BrowserGone, TimeoutError, ValueError):
            # A connection left mid-message (e.g. by the harness's hard timeout): start afresh.
            self.close()
            return self.get().new_context()

    def close(self) -> list[int]:
        left = self.browser.close() if self.browser is not None else []
        self.browser = None
        return left


@pytest.fixture(scope="session")
def firefox():
    shared = SharedFirefox()
    yield shared
    left = shared.close()
    if left:
        pytest.fail(f"Firefox processes still running after close(): {left}")


@pytest.fixture
def tab(firefox):
    """A fresh tab (own user context) in the session's Firefox."""
    page = firefox.new_page()
    yield page
    page.close()


# --------------------------------------------------------------------------- helpers


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def wait_js(page: bidi.Page, expression: str, timeout: float = 10.0, what: str | None = None, daemon=None):
    """Evaluates expression until it is truthy and returns that value. An error counts as
    "not yet": the page's realm goes away while it reloads."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        left = deadline - time.monotonic()
        try:
            value = page.evaluate(expression, timeout=max(min(left, 5.0), 0.5))
            if value:
                return value
            last = value
        except (bidi.JavaScriptError, bidi.BiDiError, TimeoutError) as error:
            last = error
        if time.monotonic() > deadline:
            context = ""
            if daemon is not None:
                context = f"\nhmrd stdout:\n{daemon.stdout.text[-1500:]}\nhmrd stderr:\n{daemon.stderr.text[-1500:]}"
            pytest.fail(f"timed out after {timeout}s waiting for {what or expression}; last: {last!r}{context}")
        time.sleep(0.05)


def make_site(root: Path, css_color: str = "red", title: str = "one", extra: str = ""):
    write(root / "src" / "index.html",
          "<!doctype html>\n<html><head><meta charset=utf-8><title>hmrd smoke</title>\n"
          '<link rel="stylesheet" href="/style.css">\n</head>\n'
          f'<body><h1 id="title">{title}</h1>{extra}</body></html>\n')
    write(root / "src" / "style.css", f"h1 {{ color: {css_color} }}\n")


def serve(hmrd, build: str = BUILD):
    daemon = hmrd("--watch", "src", "--out", "dist", "--serve", "dist", "--build", build)
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    return daemon


def open_connected(page: bidi.Page, daemon) -> None:
    """Loads the site and waits until its client has the stream open."""
    page.navigate(f"http://127.0.0.1:{daemon.port}/", wait="complete", timeout=15)
    wait_js(page, "!!(window.hmr && window.hmr.status().connected)", timeout=10,
            what="window.hmr.status().connected", daemon=daemon)


def wait_built(daemon, since: int):
    """Waits for the next successful build reported after output mark `since`."""
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15, since=since)


COLOR = "getComputedStyle(document.getElementById('title')).color"
# Each stylesheet <link> as path + query ("/style.css?hmr=..."), whatever spelling the client wrote.
STYLESHEETS = ("Array.from(document.querySelectorAll('link[rel=stylesheet]'),"
               " l => new URL(l.href).pathname + new URL(l.href).search)")


# --------------------------------------------------------------------------- tests


def test_a_stylesheet_change_restyles_the_page_in_place(hmrd, tmp_path, tab):
    make_site(tmp_path)
    daemon = serve(hmrd)
    open_connected(tab, daemon)
    assert tab.evaluate(COLOR) == RED
    assert tab.evaluate(STYLESHEETS) == ["/style.css"]
    tab.evaluate("window.__marker = 1")

    mark = daemon.stdout.mark()
    write(tmp_path / "src" / "style.css", "h1 { color: blue }\n")
    wait_built(daemon, mark)
    wait_js(tab, f"{COLOR} === {BLUE!r}", what="the new colour", daemon=daemon)

    assert tab.evaluate("window.__marker") == 1, "the page reloaded instead of swapping the stylesheet"
    # The new <link> replaced the old one once it had loaded.
    hrefs = wait_js(tab, f"(h => h.length === 1 && h)({STYLESHEETS})", what="one stylesheet link", daemon=daemon)
    assert hrefs[0].startswith("/style.css?") and "hmr=" in hrefs[0], hrefs
    status = tab.evaluate("window.hmr.status()")
    assert status["connected"] is True and status["state"] == "idle", status
    assert status["hash"] == daemon.status()["hash"]
    assert hrefs[0].endswith("hmr=" + status["hash"]), (hrefs, status)


def test_an_html_change_is_patched_in_place(hmrd, tmp_path, tab):
    make_site(tmp_path, extra='<input id="name" value="file">')
    daemon = serve(hmrd)
    open_connected(tab, daemon)
    assert tab.evaluate("document.getElementById('title').textContent") == "one"
    tab.evaluate("window.__marker = 1; window.__input = document.getElementById('name');"
                 " window.__input.focus(); window.__input.value = 'typed'")

    make_site(tmp_path, title="two", extra='<input id="name" value="file, changed">')
    wait_js(tab, "document.getElementById('title').textContent === 'two'", what="the new heading", daemon=daemon)
    assert tab.evaluate("window.__marker") == 1, "the page reloaded"
    assert tab.evaluate("[document.getElementById('name') === window.__input, window.__input.value,"
                        " document.activeElement === window.__input]") == [True, "typed", True]
    hash_now = daemon.status()["hash"]
    wait_js(tab, f"window.hmr.status().hash === {hash_now!r}", what="the page's hash", daemon=daemon)


def test_a_script_change_reloads_the_page(hmrd, tmp_path, tab):
    make_site(tmp_path)
    daemon = serve(hmrd)
    open_connected(tab, daemon)
    tab.evaluate("window.__marker = 1")

    make_site(tmp_path, title="two", extra="<script>window.__ran = 1</script>")
    wait_js(tab, "document.getElementById('title').textContent === 'two' && window.__ran === 1",
            what="the new heading and script", daemon=daemon)
    assert tab.evaluate("window.__marker") is None, "the page ran a new script without having reloaded"
    # The reloaded page connects again and knows the new build.
    wait_js(tab, "window.hmr.status().connected", what="the reloaded page to connect", daemon=daemon)
    hash_now = daemon.status()["hash"]
    wait_js(tab, f"window.hmr.status().hash === {hash_now!r}", what="the page's hash", daemon=daemon)


FAILING_BUILD = ("if grep -q BROKEN src/style.css; then"
                 " echo '<img src=x onerror=\"window.__pwned=1\">';"
                 " printf '\\033[31merror\\033[0m: style.css is broken\\n' >&2;"
                 " exit 3; fi; " + BUILD)

OVERLAY = "document.querySelector('hmrd-overlay')"


def test_a_failing_build_shows_the_overlay_and_a_good_one_clears_it(hmrd, tmp_path, tab):
    make_site(tmp_path)
    daemon = serve(hmrd, build=FAILING_BUILD)
    open_connected(tab, daemon)
    tab.evaluate("window.__marker = 1")

    mark = daemon.stderr.mark()
    write(tmp_path / "src" / "style.css", "h1 { color: blue } /* BROKEN */\n")
    daemon.stderr.wait_for(r"\[hmrd\] error: build failed", timeout=15, since=mark)
    wait_js(tab, "window.hmr.status().state === 'error'", what="state 'error'", daemon=daemon)

    overlay = wait_js(tab, f"""(() => {{
        const el = {OVERLAY};
        if (!el || !el.shadowRoot) return null;
        const pre = el.shadowRoot.querySelector('pre');
        return {{
            parent: el.parentNode === document.documentElement,
            text: pre ? pre.textContent : null,
            html: pre ? pre.innerHTML : null,
            imgs: el.shadowRoot.querySelectorAll('img').length + document.querySelectorAll('img').length,
            // The colours of the "error" the build printed in red, and of the plain text after it.
            colors: pre ? (() => {{
                const at = pre.textContent.indexOf('error: style.css is broken');
                return at < 0 ? [null, null] : [at, at + 'error'.length].map(offset => {{
                    const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
                        if (offset < node.data.length) return getComputedStyle(node.parentElement).color;
                        offset -= node.data.length;
                    }}
                    return null;
                }});
            }})() : null,
        }};
    }})()""", what="the overlay with an open shadow root", daemon=daemon)
    assert overlay["parent"], "the overlay is not a child of <html>"
    text = overlay["text"]
    assert text is not None, "the overlay's shadow root has no <pre>"
    assert '<img src=x onerror="window.__pwned=1">' in text, text  # shown as text ...
    assert overlay["imgs"] == 0, overlay["html"]                   # ... not parsed as HTML
    assert "style.css is broken" in text and "\x1b[" not in text, text  # colours rendered, not raw
    red, plain = overlay["colors"]
    assert red and plain and red != plain, f"the build's red 'error' is not coloured: {overlay['html']}"
    time.sleep(0.3)  # An <img onerror> would have fired by now.
    assert tab.evaluate("window.__pwned") is None
    assert tab.evaluate("window.__marker") == 1, "a failed build reloaded the page"
    assert tab.evaluate(COLOR) == RED, "a failed build's output was applied"

    mark = daemon.stdout.mark()
    write(tmp_path / "src" / "style.css", "h1 { color: blue }\n")
    wait_built(daemon, mark)
    wait_js(tab, f"{OVERLAY} === null", what="the overlay to go", daemon=daemon)
    wait_js(tab, f"{COLOR} === {BLUE!r}", what="the fixed stylesheet", daemon=daemon)
    assert tab.evaluate("window.__marker") == 1
    assert tab.evaluate("window.hmr.status().state") == "idle"
    assert tab.evaluate("window.__pwned") is None


def test_an_es_module_change_reaches_the_module_that_accepts_it_in_place(hmrd, tmp_path, tab):
    write(tmp_path / "src" / "index.html",
          "<!doctype html>\n<html><head><meta charset=utf-8><title>modules</title></head>\n"
          '<body><h1 id="title">not run</h1><script type="module" src="/main.js"></script></body></html>\n')
    write(tmp_path / "src" / "main.js",
          "import { word } from './word.js';\n"
          "let shown = import.meta.hot ? (import.meta.hot.data.shown || 0) : 0;\n"
          "const show = (w) => { shown += 1; if (import.meta.hot) import.meta.hot.data.shown = shown;\n"
          "  document.getElementById('title').textContent = w + ' ' + shown; };\n"
          "show(word);\n"
          "window.__mainRuns = (window.__mainRuns || 0) + 1;\n"
          "if (import.meta.hot) import.meta.hot.accept('./word.js', (next) => show(next.word));\n")
    write(tmp_path / "src" / "word.js", "export const word = 'one';\n")
    daemon = serve(hmrd)
    open_connected(tab, daemon)
    wait_js(tab, "document.getElementById('title').textContent === 'one 1'", what="the first render", daemon=daemon)
    tab.evaluate("window.__marker = 1")

    write(tmp_path / "src" / "word.js", "export const word = 'two';\n")
    wait_js(tab, "document.getElementById('title').textContent === 'two 2'", what="the accepting module's callback",
            daemon=daemon)
    assert tab.evaluate("[window.__marker, window.__mainRuns]") == [1, 1], "the page reloaded or main.js ran again"
