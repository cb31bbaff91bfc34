"""hmrd going away and coming back on the same port: the page reconnects and catches up."""

import signal

from .conftest import COPY_BUILD, free_port, html_page, start_site

RED = "rgb(255, 0, 0)"
BLUE = "rgb(0, 0, 255)"
FILES = {"index.html": html_page("<h1>home</h1>", '<link rel="stylesheet" href="app.css">'),
         "app.css": f"body {{ color: {RED} }}\n"}


def daemon_args(port: int) -> list[str]:
    return ["--build", COPY_BUILD, "--watch", "src", "--out", "dist", "--serve", "dist", "--port", str(port)]


def test_after_a_killed_daemon_restarts_with_changed_output_the_page_catches_up(crashable_hmrd, hmrd, page, tmp_path):
    port = free_port()
    s = start_site(lambda *args, cwd: crashable_hmrd(*args, cwd=cwd), tmp_path, FILES, port=port)
    page.open(s.url())
    page.wait_color(RED)
    first_hash = s.hash()

    s.daemon.stop(signal.SIGKILL)
    page.wait_disconnected()
    s.write({"app.css": f"body {{ color: {BLUE} }}\n"})  # edited while no daemon watches
    s.daemon = hmrd(*daemon_args(port), cwd=tmp_path)
    s.daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    new_hash = s.hash()
    assert new_hash != first_hash

    page.wait_hash(new_hash, timeout=15)  # reconnect backoff starts at ~500 ms
    page.wait_color(BLUE)
    page.wait_connected()


def test_after_a_daemon_restarts_with_the_same_output_the_page_is_left_alone(hmrd, page, tmp_path):
    port = free_port()
    s = start_site(hmrd, tmp_path, FILES, port=port)
    page.open(s.url())
    page.wait_color(RED)
    page.set_marker()
    first_hash = s.hash()

    assert s.daemon.stop(signal.SIGTERM) == 0
    page.wait_disconnected()
    s.daemon = hmrd(*daemon_args(port), cwd=tmp_path)
    s.daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    assert s.hash() == first_hash, "the same sources built to a different hash"

    page.wait_connected(timeout=15)
    page.wait(f"window.hmr.status().hash === '{first_hash}'")
    page.stays(f"window.__marker === 1 && window.hmr.status().hash === '{first_hash}'", 0.8,
               "the page-global marker and the page's hash (no reload, no update)")
    assert page.stylesheet_hrefs() == [s.url("/app.css")], "the stylesheet was swapped for nothing"
    assert page.color() == RED
