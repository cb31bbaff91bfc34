"""Ghost sync (--sync) between two real browsers: the session's Chromium (the `page`
fixture) acts, and a second Chromium with a profile of its own (its own stream, as a
phone next to a laptop) follows: a scroll to half the page, one click on a counter
(exactly one increment there, and none echoed back), typing, a checkbox and a select,
a link followed. A page with `?sync=false` stays still, and without --sync nothing
moves. The door's rules are checked over raw sockets in test_sync.py.
"""

from __future__ import annotations

import time

import pytest

from chromium import launch

from .conftest import Page, html_page

TALL = '<div style="height: 4000px; width: 10px"></div>'
FORM = """<h1 id="title">sync</h1>
<button id="count" onclick="this.textContent = String(Number(this.textContent) + 1)">0</button>
<form id="form" onsubmit="event.preventDefault(); window.__sent = (window.__sent || 0) + 1;">
  <input name="who" type="text"><input id="agree" type="checkbox">
  <select name="size"><option value="s">S</option><option value="m">M</option><option value="l">L</option></select>
  <button type="submit" id="send">send</button>
</form>
<p><a id="next" href="/other.html?from=index">other</a></p>
<fieldset><input type="radio" name="plan" value="free"><input type="radio" name="plan" value="pro"></fieldset>
<ul id="list"><li><button onclick="this.textContent += '!'">a</button></li><li><button onclick="this.textContent += '!'">b</button></li></ul>
"""
FILES = {"index.html": html_page(FORM + TALL),
         "other.html": html_page('<h1 id="title">other</h1>' + TALL),
         "still.html": html_page('<script src="/__hmr/client.js?sync=false"></script>' + FORM + TALL)}


@pytest.fixture
def second(hmrd):
    """Another browser: a Chromium of its own, with its own profile and stream."""
    with launch() as driver:
        yield Page(driver)


def both(site, page, second, first_path="/", second_path="/"):
    page.open(site.url(first_path))
    second.open(site.url(second_path))
    for p in (page, second):
        p.wait("document.readyState === 'complete' && window.hmr.status().connected", what="the client to connect")
    time.sleep(0.3)  # each page's own "navigate" (it was opened) has gone out and come back


def scrolled(p) -> float:
    return p.js("window.scrollY / (document.scrollingElement.scrollHeight - innerHeight)")


def test_a_scroll_and_a_click_are_mirrored_once(site, page, second):
    s = site(FILES, extra=("--sync",))
    both(s, page, second)
    page.run("window.scrollTo(0, (document.scrollingElement.scrollHeight - innerHeight) / 2)")
    second.wait("Math.abs(window.scrollY / (document.scrollingElement.scrollHeight - innerHeight) - 0.5) < 0.01",
                timeout=1.0, what="the other browser to scroll to half the page within a second")
    time.sleep(0.3)
    assert abs(scrolled(page) - 0.5) < 0.01, "the mirrored scroll came back and moved the first page"

    page.run("window.scrollTo(0, 0)")
    second.wait("window.scrollY === 0", timeout=1.0, what="the scroll back to the top")
    page.driver.find_element("id", "count").click()
    second.wait("document.getElementById('count').textContent === '1'", timeout=1.0, what="the click mirrored")
    time.sleep(0.5)
    assert page.js("document.getElementById('count').textContent") == "1", "the click echoed back"
    assert second.js("document.getElementById('count').textContent") == "1", "the click arrived twice"


def test_typing_a_checkbox_a_select_and_a_submit_are_mirrored(site, page, second):
    s = site(FILES, extra=("--sync",))
    both(s, page, second)
    page.driver.find_element("name", "who").send_keys("Ada L")
    second.wait("document.querySelector('[name=who]').value === 'Ada L'", timeout=2.0, what="the typing mirrored")
    page.driver.find_element("id", "agree").click()
    second.wait("document.getElementById('agree').checked === true", timeout=1.0, what="the checkbox mirrored")
    # By keyboard, as a person would: selenium's Select sets the option by script (an untrusted event).
    page.driver.find_element("name", "size").send_keys("L")
    second.wait("document.querySelector('[name=size]').value === 'l'", timeout=1.0, what="the select mirrored")
    page.driver.find_element("css selector", "input[name=plan][value=pro]").click()
    second.wait("document.querySelector('input[name=plan][value=pro]').checked === true", timeout=1.0,
                what="the radio button mirrored")
    page.driver.find_element("id", "send").click()
    second.wait("window.__sent === 1", timeout=1.0, what="the submit mirrored")
    time.sleep(0.3)
    assert page.js("window.__sent") == 1 and second.js("window.__sent") == 1, "a submit echoed or arrived twice"
    assert page.js("document.querySelector('[name=who]').value") == "Ada L"


def test_an_element_without_an_id_is_found_after_the_other_page_re_rendered_it(site, page, second):
    s = site(FILES, extra=("--sync",))
    both(s, page, second)
    # The other page renders its list anew, as a framework would: other elements, same places.
    second.run("const list = document.getElementById('list'); list.innerHTML = list.innerHTML;")
    page.driver.find_element("css selector", "#list li:nth-of-type(2) button").click()
    second.wait("document.querySelectorAll('#list button')[1].textContent === 'b!'", timeout=1.0,
                what="the second button of the re-rendered list clicked")
    assert second.js("document.querySelectorAll('#list button')[0].textContent") == "a"


def test_a_followed_link_takes_the_other_browser_along(site, page, second):
    s = site(FILES, extra=("--sync",))
    both(s, page, second)
    page.driver.find_element("id", "next").click()
    page.wait("location.pathname === '/other.html'", what="the first browser's own navigation")
    second.wait("location.pathname + location.search === '/other.html?from=index'", timeout=2.0,
                what="the other browser to follow the link")
    second.wait("window.hmr && window.hmr.status().connected", what="its client to connect on the new page")
    time.sleep(0.5)
    assert page.js("location.pathname") == "/other.html", "the followed page dragged the first one somewhere"


def test_a_page_with_sync_false_stays_still(site, page, second):
    s = site(FILES, extra=("--sync",))
    both(s, page, second, second_path="/still.html")
    page.run("window.scrollTo(0, (document.scrollingElement.scrollHeight - innerHeight) / 2)")
    page.driver.find_element("id", "count").click()
    second.stays("window.scrollY === 0 && document.getElementById('count').textContent === '0'", 1.0,
                 "the page with ?sync=false still")
    assert second.js("location.pathname") == "/still.html"


def test_without_sync_nothing_moves(site, page, second):
    s = site(FILES)
    both(s, page, second)
    page.run("window.scrollTo(0, (document.scrollingElement.scrollHeight - innerHeight) / 2)")
    page.driver.find_element("id", "count").click()
    page.driver.find_element("name", "who").send_keys("x")
    second.stays("window.scrollY === 0 && document.getElementById('count').textContent === '0'"
                 " && document.querySelector('[name=who]').value === ''", 1.0, "the other browser still")
