"""`--proxy` in Chromium: pages rendered by a real backend (proxy_backend.py) from its
templates, which carry no client tag of their own. An edited template or included
partial shows in the open page without a reload (what was typed stays); a stylesheet
the backend serves from the out dir is swapped in place; a backend that dies and comes
back shows hmrd's down page, which turns back into the backend's page by itself.
Over raw sockets: ../test_proxy.py.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from proxy_harness import INDEX, backend  # noqa: F401 - a fixture

from .conftest import put

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
KEPT = "window.__kept === 1"
#: The HTTP status of the document the tab shows.
STATUS = "performance.getEntriesByType('navigation')[0].responseStatus"


@pytest.fixture
def proxied(hmrd, backend):  # noqa: F811 - the imported fixture
    """hmrd in front of the backend: templates watched, static/ the out dir served by the backend at /static/."""
    daemon = hmrd("--proxy", backend.origin, "--watch", "app/templates", "--watch", "app/static",
                  "--out", "app/static", "--public-path", "/static/", "--debounce", "30ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    return daemon


def url(daemon, path: str = "/") -> str:
    return f"http://127.0.0.1:{daemon.port}{path}"


def open_and_type(page, daemon):
    """Opens the backend's home page through hmrd, marks the window and types into its input."""
    page.open(url(daemon))
    page.wait("document.getElementById('title').textContent === 'first'", what="the backend's page")
    assert page.js("document.querySelectorAll('script[src*=\"/__hmr/client.js\"]').length") == 1
    page.run("window.__kept = 1;")
    page.driver.find_element(By.ID, "name").send_keys("typed by me")


def assert_not_reloaded(page):
    state = page.js("[window.__kept, document.getElementById('name').value, "
                    "document.querySelectorAll('script[src*=\"/__hmr/client.js\"]').length]")
    assert state == [1, "typed by me", 1], f"[marker, typed value, client tags] = {state}: the page reloaded"


def test_an_edited_template_shows_in_the_page_without_a_reload(proxied, backend, page):
    open_and_type(page, proxied)

    put(backend.root / "templates/index.html", INDEX.replace(">first<", ">second<"))

    page.wait("document.getElementById('title').textContent === 'second'", what="the edited heading")
    assert_not_reloaded(page)


def test_an_edited_included_partial_shows_in_the_page_without_a_reload(proxied, backend, page):
    open_and_type(page, proxied)
    assert page.js("document.getElementById('header').textContent") == "header one"

    put(backend.root / "templates/header.html", '<p id="header">header two</p>')

    page.wait("document.getElementById('header').textContent === 'header two'", what="the edited partial")
    assert_not_reloaded(page)


def test_a_stylesheet_the_backend_serves_is_swapped_in_place(proxied, backend, page):
    open_and_type(page, proxied)
    page.wait_color(RED)

    put(backend.root / "static/site.css", f"body {{ color: {BLUE} }}\n")

    page.wait_color(BLUE)
    page.wait("document.querySelectorAll('link[rel=stylesheet]').length === 1", what="the old <link> to be removed")
    assert all("/static/site.css" in href for href in page.stylesheet_hrefs()), page.stylesheet_hrefs()
    assert_not_reloaded(page)


def test_a_backend_that_dies_shows_hmrds_page_which_comes_back_by_itself(proxied, backend, page):
    page.open(url(proxied))
    page.wait("document.getElementById('title').textContent === 'first'", what="the backend's page")

    backend.kill()
    page.driver.get(url(proxied))  # the user reloads while the backend is down

    page.wait(f"{STATUS} === 502 && !document.getElementById('title')", what="hmrd's down page")
    backend.start()

    page.wait(f"{STATUS} === 200 && document.getElementById('title').textContent === 'first'", timeout=20,
              what="the backend's page again, with no help from the test")
    page.wait_connected()
