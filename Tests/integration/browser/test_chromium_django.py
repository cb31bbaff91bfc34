"""`--proxy` in front of a real Django (runserver, DEBUG, its autoreloader and cached
template loader, CSRF middleware), as a Django developer would run it: nothing in the
templates, one command. In Chromium: the page carries the client once; an edited
template shows without a reload (what was typed stays); a stylesheet from the static
folder is swapped in place; a form posts through hmrd past Django's CSRF check.
Skipped where Django is not installed (scripts/test installs it).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from conftest import Output, poll
from processes import end_group, free_port, stop_process

from .conftest import put

django = pytest.importorskip("django")

SITE = Path(__file__).resolve().parent.parent / "django_site"
BLUE = "rgb(0, 0, 255)"
RED = "rgb(255, 0, 0)"


@pytest.fixture
def site(tmp_path):
    """The Django site copied to tmp_path/site and its runserver (autoreloader on); stopped at teardown."""
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    port = free_port()
    log = open(tmp_path / "django.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}"], cwd=root,
                            env={"DJANGO_SETTINGS_MODULE": "site_app.settings", "PYTHONPATH": str(root),
                                 "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        poll(lambda: _answers(port), timeout=20, what="Django's runserver to answer")
        yield root, port
    finally:
        stop_process(proc)
        end_group(proc.pid, settle=2)
        log.close()


def _answers(port: int):
    import http.client
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/")
        return connection.getresponse().status == 200 or None
    except OSError:
        return None


def test_a_django_site_behind_hmrd_updates_in_place_and_its_forms_post(site, hmrd, page):
    root, port = site
    daemon = hmrd("--proxy", f"http://127.0.0.1:{port}", "--watch", "templates", "--watch", "static", cwd=root)
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)

    page.open(f"http://127.0.0.1:{daemon.port}/")
    page.wait("document.getElementById('title') && document.getElementById('title').textContent === 'first'",
              what="Django's page through hmrd")
    assert page.js("document.querySelectorAll('script[src*=\"/__hmr/client.js\"]').length") == 1
    page.wait_color(RED)
    page.run("window.__kept = 1;")
    page.driver.find_element(By.ID, "name").send_keys("Ada")

    # A template: Django's cached loader still has the old one for up to a second; the page waits it out.
    template = root / "templates/form.html"
    put(template, template.read_text().replace(">first<", ">second<"))
    page.wait("document.getElementById('title').textContent === 'second'", timeout=10, what="the edited heading")
    assert page.js("[window.__kept, document.getElementById('name').value]") == [1, "Ada"], "the page reloaded"

    # A stylesheet Django serves from static/ (the map's static/site.css is its /static/site.css).
    put(root / "static/site.css", f"body {{ color: {BLUE} }}\n")
    page.wait_color(BLUE)
    assert page.js("window.__kept") == 1, "the page reloaded for a stylesheet"

    # The form posts through hmrd: Django's CSRF check sees the Origin and Host the browser sent.
    page.driver.find_element(By.ID, "send").click()
    page.wait("document.getElementById('thanks') && document.getElementById('thanks').textContent === 'thanks, Ada'",
              what="the form's answer (403 if CSRF failed)")
