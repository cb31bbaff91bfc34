"""Headless Chromium driving the real client against the real hmrd binary.

* ``chromium`` (session): one browser for the whole pytest session, driven by
  selenium through /usr/bin/chromedriver (``HMRD_CHROMIUM`` and ``HMRD_CHROMEDRIVER``
  name other binaries). chromedriver is started in a process
  group of its own (Chromium and its helpers inherit it); at the end of the session
  the group must be gone, and is killed if it lingers. Tests skip (with the reason)
  only when chromium, chromedriver or selenium is missing.
* ``page``: a fresh tab per test (the previous one closed); torn down before the
  test's daemons, by navigating to about:blank, so no event stream is open when
  hmrd gets its SIGTERM.
* ``site``: a small site in tmp_path/src, built with a real shell command into
  tmp_path/dist and served by hmrd with ``--serve dist``.
* ``static_server``: a plain ``python3 -m http.server`` child, for pages from
  another origin than hmrd's.
* ``crashable_hmrd``: an hmrd the test may SIGKILL (the ``hmrd`` fixture requires
  exit code 0).

Page state is always polled with JS expressions; an exception (the document is
being replaced during a reload) counts as "not yet".
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from chromium import launch
from conftest import Daemon, Deadline, http_request  # the parent harness (Tests/integration)
from processes import end_group, free_port, stop_process

#: The build most browser tests use: copy the sources into the out dir.
COPY_BUILD = "mkdir -p dist && cp -r src/. dist/"

#: The "unstyled" text colour of a page.
BLACK = "rgb(0, 0, 0)"


# --------------------------------------------------------------------------- processes


def wait_accepting(port: int, timeout: float = 10.0):
    deadline = Deadline(timeout)
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if deadline.passed():
                pytest.fail(f"nothing accepted connections on port {port} within {timeout}s")
            time.sleep(0.02)


# --------------------------------------------------------------------------- the browser


def firefox_or_skip(bidi) -> str:
    """firefox-esr's path, for a module driving it with its `bidi` (bidi.py); skips the module
    when Firefox, or the websocket-client package bidi.py talks to it with, is missing."""
    binary = shutil.which("firefox-esr")
    if binary is None:
        pytest.skip("firefox-esr is not installed (apt-get install firefox-esr)", allow_module_level=True)
    if bidi.websocket is None:
        pytest.skip("the websocket-client package is not installed (pip install websocket-client)",
                    allow_module_level=True)
    return binary


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (a selenium WebDriver) for the whole session."""
    # *.test names reach this machine: a page of a foreign origin, served here (test_chromium_reports.py).
    with launch(extra_flags=("--host-resolver-rules=MAP *.test 127.0.0.1",), console_log=True) as driver:
        yield driver


class Page:
    """The test's tab, with polling helpers. `js` raises; `peek` returns None on any error."""

    def __init__(self, driver):
        self.driver = driver
        self.console: list[str] = []

    # --- evaluating

    def js(self, expression: str, *args):
        return self.driver.execute_script(f"return ({expression});", *args)

    def run(self, statements: str, *args):
        return self.driver.execute_script(statements, *args)

    def peek(self, expression: str):
        from selenium.common.exceptions import WebDriverException
        try:
            return self.driver.execute_script(f"try {{ return ({expression}); }} catch (e) {{ return null; }}")
        except WebDriverException:
            return None

    def wait(self, expression: str, timeout: float = 10.0, what: str | None = None, interval: float = 0.03):
        """Polls a JS expression until it is truthy; returns its value, or fails with a description of the page."""
        deadline = Deadline(timeout)
        while True:
            value = self.peek(expression)
            if value:
                return value
            if deadline.passed():
                pytest.fail(f"timed out after {timeout}s waiting for {what or expression}\n{self.describe()}")
            time.sleep(interval)

    def stays(self, expression: str, seconds: float, what: str | None = None, interval: float = 0.05):
        """Requires a JS expression to stay truthy for `seconds` (to show that nothing happens)."""
        deadline = Deadline(seconds)
        while not deadline.passed():
            if not self.peek(expression):
                pytest.fail(f"{what or expression} stopped holding\n{self.describe()}")
            time.sleep(interval)

    # --- navigation and the client

    def open(self, url: str, connected: bool = True):
        self.driver.get(url)
        if connected:
            self.wait_connected()
        return self

    def status(self) -> dict | None:
        return self.peek("window.hmr && window.hmr.status && window.hmr.status()")

    def wait_connected(self, timeout: float = 10.0) -> dict:
        return self.wait("window.hmr && window.hmr.status && window.hmr.status().connected "
                         "&& window.hmr.status().hash && window.hmr.status()",
                         timeout, "the page's client to be connected with a hash")

    def wait_disconnected(self, timeout: float = 10.0):
        return self.wait("window.hmr && window.hmr.status().connected === false",
                         timeout, "the page's client to notice the stream is gone")

    def wait_hash(self, hash_: str, timeout: float = 10.0) -> dict:
        return self.wait(f"window.hmr && window.hmr.status().hash === {json.dumps(hash_)} && window.hmr.status()",
                         timeout, f"the page to show build {hash_}")

    def set_marker(self):
        """A page-global that a reload would lose."""
        self.run("window.__marker = 1;")
        assert self.has_marker()

    def has_marker(self) -> bool:
        return self.peek("window.__marker === 1") is True

    def color(self, selector: str = "body", prop: str = "color") -> str | None:
        return self.peek(f"getComputedStyle(document.querySelector({json.dumps(selector)})).{prop}")

    def wait_color(self, value: str, selector: str = "body", prop: str = "color", timeout: float = 10.0):
        return self.wait(f"getComputedStyle(document.querySelector({json.dumps(selector)})).{prop} === {json.dumps(value)}",
                         timeout, f"{selector} {{ {prop}: {value} }}")

    def stylesheet_hrefs(self) -> list[str]:
        return self.js("Array.from(document.querySelectorAll('link[rel=stylesheet]'), (l) => l.href)")

    # --- the overlay and the indicator

    OVERLAY_PRE = ("(() => { const o = document.querySelector('hmrd-overlay');"
                   " const pre = o && o.shadowRoot && o.shadowRoot.querySelector('pre');"
                   " return pre ? {text: pre.textContent, html: pre.innerHTML,"
                   " parentIsRoot: o.parentNode === document.documentElement} : null; })()")

    def overlay(self) -> dict | None:
        """{text, html, parentIsRoot} of the overlay's <pre>, or None when there is no overlay."""
        return self.peek(self.OVERLAY_PRE)

    def wait_overlay(self, contains: str = "", timeout: float = 10.0) -> dict:
        return self.wait(f"(() => {{ const o = {self.OVERLAY_PRE}; "
                         f"return o && o.text.includes({json.dumps(contains)}) ? o : null; }})()",
                         timeout, f"the error overlay{' showing ' + repr(contains) if contains else ''}")

    def wait_no_overlay(self, timeout: float = 10.0):
        self.wait("document.readyState !== 'loading' && !document.querySelector('hmrd-overlay')",
                  timeout, "the error overlay to be gone")

    def press_escape(self):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        ActionChains(self.driver).send_keys(Keys.ESCAPE).perform()

    # --- diagnostics

    def drain_console(self) -> list[str]:
        try:
            for entry in self.driver.get_log("browser"):
                self.console.append(f"{entry.get('level')}: {entry.get('message')}")
        except Exception:  # noqa: BLE001 - diagnostics only
            pass
        return self.console

    def describe(self) -> str:
        state = self.peek("({url: location.href, ready: document.readyState, status: window.hmr && window.hmr.status"
                          " && window.hmr.status(), marker: window.__marker === 1,"
                          " overlay: !!document.querySelector('hmrd-overlay'),"
                          " links: Array.from(document.querySelectorAll('link[rel=stylesheet]'), (l) => l.href)})")
        console = self.drain_console()[-12:]
        return f"page: {state}\nconsole (last {len(console)}):\n  " + "\n  ".join(console)


@pytest.fixture
def page(chromium, hmrd):
    """A fresh tab (the previous test's closed). Depends on `hmrd` so it is torn down before the daemons."""
    driver = chromium
    driver.switch_to.new_window("tab")
    mine = driver.current_window_handle
    for handle in driver.window_handles:
        if handle != mine:
            driver.switch_to.window(handle)
            driver.close()
    driver.switch_to.window(mine)
    driver.get_log("browser")  # drop what earlier tabs logged
    tab = Page(driver)
    yield tab
    try:
        driver.get("about:blank")  # closes the page's event stream before the daemons stop
    except Exception:  # noqa: BLE001 - the next test opens a new tab anyway
        pass


# --------------------------------------------------------------------------- sites


def png(width: int, height: int, rgb=(255, 0, 0)) -> bytes:
    """A real PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def put(path: Path, content: str | bytes) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


def html_page(body: str, head: str = "") -> str:
    return f"<!doctype html>\n<html><head><meta charset=utf-8><title>t</title>{head}</head><body>{body}</body></html>\n"


class Site:
    """Sources in root/src, a real build into root/dist, and the hmrd that runs it."""

    def __init__(self, root: Path, daemon: Daemon | None = None):
        self.root = Path(root)
        self.src = self.root / "src"
        self.dist = self.root / "dist"
        self.daemon = daemon

    @property
    def port(self) -> int:
        return self.daemon.port

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def client_tag(self, query: str = "") -> str:
        return f'<script src="http://127.0.0.1:{self.port}/__hmr/client.js{query}"></script>'

    def status(self) -> dict:
        return self.daemon.status()

    def hash(self) -> str:
        return self.status()["hash"]

    def write(self, files: dict[str, str | bytes]):
        for name, content in files.items():
            put(self.src / name, content)

    def marks(self) -> tuple[int, int]:
        return self.daemon.stdout.mark(), self.daemon.stderr.mark()

    def change(self, files: dict[str, str | bytes] | None = None, remove=(), timeout: float = 10.0) -> str:
        """Writes (and removes) source files, waits for the build they cause to be published; its hash."""
        before = self.hash()
        out, _ = self.marks()
        self.write(files or {})
        for name in remove:
            (self.src / name).unlink()
        self.daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=timeout, since=out)
        deadline = Deadline(timeout)
        while True:  # a second batch may still be building; wait for the state to settle
            status = self.status()
            if status["state"] == "idle" and status["hash"] != before:
                return status["hash"]
            if deadline.passed():
                pytest.fail(f"no new idle build after changing {list(files or {})}: {status}")
            time.sleep(0.02)

    def fail(self, files: dict[str, str | bytes], timeout: float = 10.0):
        """Writes source files that make the build fail; waits for the failure to be published."""
        _, err = self.marks()
        self.write(files)
        self.daemon.stderr.wait_for(r"\[hmrd\] error: build failed", timeout=timeout, since=err)


def start_site(hmrd, root: Path, files: dict[str, str | bytes], build: str = COPY_BUILD, serve: bool = True,
               port: int | None = None, extra=()) -> Site:
    """Writes the sources, starts hmrd on them and waits for the first build."""
    site = Site(root)
    site.write(files)
    args = ["--build", build, "--watch", "src", "--out", "dist", *extra]
    if serve:
        args += ["--serve", "dist"]
    if port is not None:
        args += ["--port", str(port)]
    site.daemon = hmrd(*args, cwd=root)
    site.daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    return site


@pytest.fixture
def site(hmrd, tmp_path):
    """site(files, build=..., serve=True, port=None) -> a Site built and served by hmrd."""
    def make(files: dict[str, str | bytes], **kwargs) -> Site:
        return start_site(hmrd, tmp_path, files, **kwargs)
    return make


class StaticServer:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(folder)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_accepting(self.port)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        stop_process(self.proc)
        end_group(self.proc.pid, settle=2)


@pytest.fixture
def static_server():
    """static_server(folder) -> a `python3 -m http.server` child serving folder (another origin than hmrd's)."""
    servers: list[StaticServer] = []

    def start(folder: Path) -> StaticServer:
        server = StaticServer(folder)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def crashable_hmrd():
    """crashable_hmrd(*args, cwd=...) -> a listening Daemon that the test may SIGKILL.

    At teardown a daemon still running is SIGKILLed, and no process of its build may be left.
    """
    started: list[Daemon] = []

    def start(*args, cwd: Path) -> Daemon:
        daemon = Daemon(list(args), cwd)
        started.append(daemon)
        daemon.wait_listening()
        return daemon

    yield start
    problems = []
    for daemon in started:
        daemon.stop(signal.SIGKILL)
        left = daemon.kill_leftovers()
        if left:
            problems.append(f"processes of a killed hmrd's build still running: {left}")
    if problems:
        pytest.fail("\n".join(problems))


def clients_of(port: int) -> int:
    response = http_request(port, path="/__hmr/status")
    assert response.status == 200, response
    return json.loads(response.body)["clients"]


__all__ = ["BLACK", "COPY_BUILD", "Page", "Site", "StaticServer", "clients_of", "free_port", "html_page", "png",
           "put", "start_site", "wait_accepting"]
