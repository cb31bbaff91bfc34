"""One stream per browser in Firefox ESR too: five tabs of one page share one event stream
(Web Locks and BroadcastChannel, as in Chromium), and a change reaches them all.

The tabs share one user context, as a user's tabs share one profile: locks and
channels are per origin within it. Firefox is driven over WebDriver BiDi (bidi.py);
this module starts its own and closes it at the end.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from .conftest import clients_of, firefox_or_skip, html_page, start_site

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)  # appended: `conftest` must keep resolving to the parent harness
import bidi  # noqa: E402

FIREFOX = firefox_or_skip(bidi)

RED, BLUE = "rgb(255, 0, 0)", "rgb(0, 0, 255)"
TABS = 5


@pytest.fixture(scope="module")
def firefox():
    browser = bidi.Firefox(binary=FIREFOX)
    yield browser
    left = browser.close()
    if left:
        pytest.fail(f"Firefox processes still running after close(): {left}")


class Tabs:
    """Tabs in one user context of their own; closed (and the context removed) after the test."""

    def __init__(self, browser: bidi.Firefox):
        self.browser = browser
        self.user_context = browser.command("browser.createUserContext")["userContext"]
        self.pages: list[bidi.Page] = []

    def open(self, url: str, count: int) -> list[bidi.Page]:
        for _ in range(count):
            context = self.browser.command("browsingContext.create",
                                           {"type": "tab", "userContext": self.user_context})["context"]
            page = bidi.Page(self.browser, context)
            page.navigate(url, wait="complete", timeout=15)
            self.pages.append(page)
        return self.pages

    def close(self):
        for page in self.pages:
            page.close()
        try:
            self.browser.command("browser.removeUserContext", {"userContext": self.user_context}, timeout=5.0)
        except (bidi.BiDiError, TimeoutError, bidi.BrowserGone):
            pass


@pytest.fixture
def tabs(firefox, hmrd):
    """Depends on `hmrd` so that the tabs close before the daemon stops."""
    opened = Tabs(firefox)
    yield opened
    opened.close()


def wait_js(page: bidi.Page, expression: str, what: str, timeout: float = 10.0):
    """Evaluates until truthy; an error counts as "not yet" (the realm goes away while a page reloads)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = page.evaluate(expression, timeout=5.0)
            if value:
                return value
            last = value
        except (bidi.JavaScriptError, bidi.BiDiError, TimeoutError) as error:
            last = error
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}; last: {last!r}")
        time.sleep(0.05)


def test_five_firefox_tabs_share_one_stream_and_a_change_reaches_them_all(tmp_path, hmrd, tabs):
    s = start_site(hmrd, tmp_path, {"index.html": html_page("<h1>shared</h1>", '<link rel="stylesheet" href="app.css">'),
                                    "app.css": f"body {{ color: {RED} }}\n"})
    pages = tabs.open(s.url(), TABS)
    for page in pages:
        wait_js(page, "window.hmr && window.hmr.status().connected", "each tab's client to be connected")
        page.evaluate("window.__marker = 1; window.__built = [];"
                      " window.hmr.on('built', (p) => window.__built.push(p.hash)); true")
    roles = [page.evaluate("window.__hmrClient.role") for page in pages]
    assert sorted(roles) == ["following"] * (TABS - 1) + ["holding"], roles
    deadline = time.monotonic() + 5
    while clients_of(s.port) != 1:
        assert time.monotonic() < deadline, f"/status says {clients_of(s.port)} streams for {TABS} tabs"
        time.sleep(0.02)

    new_hash = s.change({"app.css": f"body {{ color: {BLUE} }}\n"})
    once = json.dumps([new_hash], separators=(",", ":"))
    for n, page in enumerate(pages, 1):
        wait_js(page, f"getComputedStyle(document.body).color === {BLUE!r}", f"the new colour in tab {n}")
        wait_js(page, f"JSON.stringify(window.__built) === {once!r}", f"that build, once, in tab {n}")
        assert page.evaluate("window.__marker") == 1, f"tab {n} reloaded"
    assert clients_of(s.port) == 1
