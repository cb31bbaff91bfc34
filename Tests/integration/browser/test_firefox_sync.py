"""Ghost sync (--sync) between Chromium and Firefox ESR: a scroll, a click and typing in
Chromium are done in Firefox, and a scroll in Firefox is followed by Chromium. Firefox
is driven over WebDriver BiDi (bidi.py); this module starts its own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from .conftest import firefox_or_skip, start_site
from .test_chromium_sync import FILES

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)  # appended: `conftest` must keep resolving to the parent harness
import bidi  # noqa: E402

FIREFOX = firefox_or_skip(bidi)

HALF = "Math.abs(window.scrollY / (document.scrollingElement.scrollHeight - innerHeight) - 0.5) < 0.01"


@pytest.fixture(scope="module")
def firefox():
    browser = bidi.Firefox(binary=FIREFOX)
    yield browser
    left = browser.close()
    if left:
        pytest.fail(f"Firefox processes still running after close(): {left}")


@pytest.fixture
def fox(firefox, hmrd):
    """A Firefox tab; closed before the daemon stops."""
    context = firefox.command("browsingContext.create", {"type": "tab"})["context"]
    tab = bidi.Page(firefox, context)
    yield tab
    tab.close()


def wait_js(tab: bidi.Page, expression: str, what: str, timeout: float):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = tab.evaluate(expression, timeout=5.0)
            if last:
                return last
        except (bidi.JavaScriptError, bidi.BiDiError, TimeoutError) as error:
            last = error
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}; last: {last!r}")
        time.sleep(0.03)


def test_chromium_and_firefox_follow_each_other(tmp_path, hmrd, page, fox):
    s = start_site(hmrd, tmp_path, FILES, extra=("--sync",))
    page.open(s.url())
    fox.navigate(s.url(), wait="complete", timeout=15)
    wait_js(fox, "window.hmr && window.hmr.status().connected", "Firefox's client to connect", 10)
    time.sleep(0.3)

    page.run("window.scrollTo(0, (document.scrollingElement.scrollHeight - innerHeight) / 2)")
    wait_js(fox, HALF, "Firefox to scroll to half the page", 1.0)
    page.run("window.scrollTo(0, 0)")
    wait_js(fox, "window.scrollY === 0", "Firefox back at the top", 1.0)
    page.driver.find_element("id", "count").click()
    wait_js(fox, "document.getElementById('count').textContent === '1'", "the click in Firefox", 1.0)
    page.driver.find_element("name", "who").send_keys("Grace")
    wait_js(fox, "document.querySelector('[name=who]').value === 'Grace'", "the typing in Firefox", 2.0)

    fox.evaluate("window.scrollTo(0, (document.scrollingElement.scrollHeight - innerHeight) / 2); true")
    page.wait(HALF, timeout=1.0, what="Chromium to follow Firefox's scroll")
    time.sleep(0.3)
    assert fox.evaluate("document.getElementById('count').textContent") == "1", "the click arrived twice or echoed"
    assert page.js("document.getElementById('count').textContent") == "1"
