"""A small WebDriver BiDi client for headless Firefox, for the end-to-end browser tests.

Debian has no geckodriver, and Firefox needs none: its Remote Agent speaks WebDriver
BiDi over a WebSocket itself. This module

* starts ``firefox-esr --headless --remote-debugging-port=0 --profile <fresh dir>``
  in a process group of its own (``--remote-debugging-port=0`` lets Firefox pick a
  free port; it writes it to ``<profile>/WebDriverBiDiServer.json`` and prints
  ``WebDriver BiDi listening on ws://127.0.0.1:PORT`` on stderr; both are read);
* connects to ``ws://127.0.0.1:PORT/session`` with the ``websocket-client`` package
  (without an ``Origin`` header: the Remote Agent refuses WebSocket handshakes whose
  Origin it was not told to allow with ``--remote-allow-origins``) and opens a
  BiDi-only session with ``session.new``;
* sends commands and matches responses by id, setting aside the events that arrive
  in between (``events``);
* offers what the tests need: browsing contexts (tabs, optionally each in a fresh
  user context, i.e. its own cookies and cache), ``browsingContext.navigate`` and
  ``script.evaluate`` with the BiDi remote value turned into a plain Python value;
* ``close()`` asks the browser to quit (``browser.close``), then ends the whole
  process group (TERM, then KILL) and removes the profile.

Every wait has a timeout. Only the standard library and ``websocket-client`` are used.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from processes import group_members

try:
    import websocket  # the websocket-client package
except ImportError:  # pragma: no cover - the tests skip without it
    websocket = None

LISTENING = re.compile(r"WebDriver BiDi listening on (ws://[^\s]+)")

#: Written to the profile's user.js. Firefox applies its own "recommended automation
#: preferences" when the Remote Agent starts (``remote.prefs.recommended``, on by
#: default), so BiDi itself needs no pref; these keep a test browser quiet, offline
#: apart from the pages it is sent to, and quick to start.
PREFS = {
    # No first-run pages, default-browser prompt, welcome screens or session restore.
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "browser.startup.homepage": "about:blank",
    "startup.homepage_welcome_url": "about:blank",
    "startup.homepage_welcome_url.additional": "",
    "browser.aboutwelcome.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.newtab.preload": False,
    "browser.sessionstore.resume_from_crash": False,
    "browser.tabs.warnOnClose": False,
    "browser.warnOnQuit": False,
    "toolkit.startup.max_resumed_crashes": -1,
    # No telemetry, studies, experiments or crash reports.
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.normandy.enabled": False,
    "app.shield.optoutstudies.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "browser.tabs.crashReporting.sendReport": False,
    # No updates of the browser, add-ons, blocklists or safe-browsing lists.
    "app.update.auto": False,
    "app.update.disabledForTesting": True,
    "extensions.update.enabled": False,
    "extensions.blocklist.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    # No background connections, and no proxy for the pages under test.
    "network.proxy.type": 0,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.predictor.enabled": False,
    "browser.search.update": False,
    # Nothing cached on disk between tests (the memory cache still works as in real use).
    "browser.cache.disk.enable": False,
}


class BiDiError(Exception):
    """An error response to a command (``error`` is the BiDi error code)."""

    def __init__(self, method: str, error: str, message: str):
        super().__init__(f"{method}: {error}: {message}")
        self.method = method
        self.error = error
        self.message = message


class JavaScriptError(Exception):
    """``script.evaluate`` threw (or its promise rejected)."""

    def __init__(self, expression: str, details: dict):
        text = details.get("text") or json.dumps(details.get("exception"))[:300]
        super().__init__(f"{text} (evaluating {expression[:200]!r})")
        self.details = details


class BrowserGone(Exception):
    """The browser exited, or the WebSocket to it closed."""


def _pref_line(name: str, value) -> str:
    return f"user_pref({json.dumps(name)}, {json.dumps(value)});\n"


def from_remote_value(value: dict):
    """A BiDi RemoteValue as a Python value.

    Primitives, arrays, plain objects, maps, sets, dates and regexps become
    None/bool/int/float/str, lists, dicts, sets, ISO strings and ``{"pattern", "flags"}``;
    ``undefined`` becomes None. Anything else (nodes, windows, functions, or objects
    past the serialization depth) is returned as the raw RemoteValue dict.
    """
    kind = value.get("type")
    if kind in ("undefined", "null"):
        return None
    if kind in ("string", "boolean"):
        return value["value"]
    if kind == "number":
        number = value["value"]
        if isinstance(number, str):
            return {"NaN": math.nan, "-0": -0.0, "Infinity": math.inf, "-Infinity": -math.inf}[number]
        return number
    if kind == "bigint":
        return int(value["value"])
    if "value" not in value:
        return value  # Past maxObjectDepth, or a kind that carries no value.
    if kind == "array":
        return [from_remote_value(item) for item in value["value"]]
    if kind in ("object", "map"):
        out = {}
        for key, item in value["value"]:
            if isinstance(key, dict):
                key = from_remote_value(key)
                key = key if isinstance(key, (str, int, float, bool, type(None))) else json.dumps(key)
            out[key] = from_remote_value(item)
        return out
    if kind == "set":
        items = [from_remote_value(item) for item in value["value"]]
        try:
            return set(items)
        except TypeError:
            return items
    if kind in ("date", "regexp"):
        return value["value"]
    return value


class Firefox:
    """One headless Firefox with one BiDi session. Use as a context manager or call close()."""

    def __init__(self, binary: str = "firefox-esr", start_timeout: float = 30.0,
                 command_timeout: float = 15.0, prefs: dict | None = None, env: dict | None = None):
        if websocket is None:
            raise RuntimeError("the websocket-client package is not installed")
        self.binary = binary
        self.command_timeout = command_timeout
        self.events: list[dict] = []
        self.capabilities: dict = {}
        self.proc: subprocess.Popen | None = None
        self.ws = None
        self.url: str | None = None
        self._next_id = 0
        self._closed = False
        self._dir = Path(tempfile.mkdtemp(prefix="hmrd-firefox-"))
        self.profile = self._dir / "profile"
        self.log_path = self._dir / "firefox.log"
        try:
            self._launch({**PREFS, **(prefs or {})}, env or {}, start_timeout)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ lifecycle

    def _launch(self, prefs: dict, env: dict, timeout: float):
        self.profile.mkdir()
        with open(self.profile / "user.js", "w") as f:
            f.writelines(_pref_line(name, value) for name, value in prefs.items())
        home = self._dir / "home"
        home.mkdir()
        environment = dict(os.environ,
                           HOME=str(home),                 # nothing written to the real ~/.mozilla or ~/.cache
                           XDG_CACHE_HOME=str(home / ".cache"),
                           MOZ_HEADLESS="1",
                           MOZ_CRASHREPORTER_DISABLE="1",
                           MOZ_DISABLE_AUTO_SAFE_MODE="1",
                           **env)
        environment.pop("DISPLAY", None)
        environment.pop("WAYLAND_DISPLAY", None)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [self.binary, "--headless", "--no-remote", "--remote-debugging-port=0",
                 "--profile", str(self.profile), "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=environment,
                start_new_session=True)  # its own process group, so close() can end every helper process
        self.url = self._wait_for_port(timeout) + "/session"
        deadline = time.monotonic() + timeout
        while True:
            try:
                # suppress_origin: the Remote Agent rejects a handshake whose Origin it does not allow.
                self.ws = websocket.create_connection(self.url, timeout=max(deadline - time.monotonic(), 1.0),
                                                      suppress_origin=True, enable_multithread=False)
                break
            except (OSError, websocket.WebSocketException) as error:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise BrowserGone(f"cannot connect to {self.url}: {error}\n{self.log_tail()}") from None
                time.sleep(0.1)
        result = self.command("session.new", {"capabilities": {"alwaysMatch": {
            "acceptInsecureCerts": False,
            "unhandledPromptBehavior": {"default": "dismiss"},
        }}}, timeout=timeout)
        self.capabilities = result.get("capabilities", {})

    def _wait_for_port(self, timeout: float) -> str:
        """The ws:// address Firefox listens on, from the file it writes or the line it prints."""
        info = self.profile / "WebDriverBiDiServer.json"
        deadline = time.monotonic() + timeout
        while True:
            try:
                data = json.loads(info.read_text())
                return f"ws://{data['ws_host']}:{int(data['ws_port'])}"
            except (OSError, ValueError, KeyError):
                pass
            match = LISTENING.search(self.log_tail(1 << 20))
            if match:
                return match.group(1).rstrip("/")
            if self.proc.poll() is not None:
                raise BrowserGone(f"{self.binary} exited with {self.proc.returncode} before listening:\n"
                                  f"{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BrowserGone(f"{self.binary} did not report a WebDriver BiDi port within {timeout}s:\n"
                                  f"{self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, size: int = 3000) -> str:
        try:
            return self.log_path.read_bytes()[-size:].decode(errors="replace")
        except OSError:
            return ""

    @property
    def alive(self) -> bool:
        return (not self._closed and self.ws is not None and self.ws.connected
                and self.proc is not None and self.proc.poll() is None)

    def close(self, timeout: float = 10.0) -> list[int]:
        """Quits the browser, ends its process group, removes the profile. Safe to call twice.

        Returns the pids of the group still running after TERM and KILL (normally none)."""
        if self._closed:
            return []
        self._closed = True
        left: list[int] = []
        if self.ws is not None:
            try:
                if self.ws.connected and self.proc is not None and self.proc.poll() is None:
                    self.command("browser.close", {}, timeout=5.0)
            except Exception:
                pass  # The browser may be gone already; the group is ended below either way.
            try:
                self.ws.close(timeout=1)
            except Exception:
                pass
        if self.proc is not None:
            pgid = self.proc.pid
            try:
                self.proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                pass
            # Content processes can outlive the parent briefly: TERM the group, then KILL it.
            for sig, grace in ((signal.SIGTERM, timeout / 2), (signal.SIGKILL, timeout / 2)):
                if not group_members(pgid):
                    break
                try:
                    os.killpg(pgid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                deadline = time.monotonic() + grace
                while group_members(pgid) and time.monotonic() < deadline:
                    time.sleep(0.05)
            try:
                self.proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                pass
            left = group_members(pgid)
        shutil.rmtree(self._dir, ignore_errors=True)
        return left

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------------ protocol

    def command(self, method: str, params: dict | None = None, timeout: float | None = None) -> dict:
        """Sends one command and waits for its response; events met meanwhile go to self.events."""
        if self.ws is None or not self.ws.connected:
            raise BrowserGone(f"{method}: not connected")
        self._next_id += 1
        ident = self._next_id
        try:
            self.ws.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        except (OSError, websocket.WebSocketException) as error:
            raise BrowserGone(f"{method}: send failed: {error}") from None
        deadline = time.monotonic() + (timeout if timeout is not None else self.command_timeout)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer to {method} within {timeout or self.command_timeout}s")
            self.ws.settimeout(left)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (OSError, websocket.WebSocketException) as error:
                raise BrowserGone(f"{method}: connection lost: {error}\n{self.log_tail(1500)}") from None
            if not raw:
                raise BrowserGone(f"{method}: the browser closed the connection\n{self.log_tail(1500)}")
            message = json.loads(raw)
            if message.get("type") == "event" or ("method" in message and "id" not in message):
                self.events.append(message)
                del self.events[:-1000]  # Keep the most recent only; nobody subscribes to many.
                continue
            if message.get("id") != ident:
                continue  # A late answer to an earlier command that timed out.
            if message.get("type") == "error":
                raise BiDiError(method, message.get("error", "?"), message.get("message", ""))
            return message.get("result", {})

    # ------------------------------------------------------------------ browsing contexts

    def new_context(self, own_user_context: bool = True) -> "Page":
        """A fresh tab; with own_user_context, in a user context of its own (cookies, storage, cache)."""
        params: dict = {"type": "tab"}
        user_context = None
        if own_user_context:
            user_context = self.command("browser.createUserContext")["userContext"]
            params["userContext"] = user_context
        context = self.command("browsingContext.create", params)["context"]
        return Page(self, context, user_context)

    def contexts(self) -> list[dict]:
        return self.command("browsingContext.getTree", {"maxDepth": 0})["contexts"]


class Page:
    """One top-level browsing context (a tab)."""

    def __init__(self, browser: Firefox, context: str, user_context: str | None = None):
        self.browser = browser
        self.context = context
        self.user_context = user_context

    def navigate(self, url: str, wait: str = "complete", timeout: float | None = None) -> dict:
        """Loads url; wait is 'none', 'interactive' or 'complete'."""
        return self.browser.command("browsingContext.navigate",
                                    {"context": self.context, "url": url, "wait": wait}, timeout=timeout)

    def reload(self, wait: str = "complete", timeout: float | None = None) -> dict:
        return self.browser.command("browsingContext.reload", {"context": self.context, "wait": wait},
                                    timeout=timeout)

    def evaluate(self, expression: str, await_promise: bool = True, timeout: float | None = None):
        """Evaluates expression in the page's realm and returns its value as Python."""
        result = self.browser.command("script.evaluate", {
            "expression": expression,
            "target": {"context": self.context},
            "awaitPromise": await_promise,
            "resultOwnership": "none",
        }, timeout=timeout)
        if result.get("type") == "exception":
            raise JavaScriptError(expression, result.get("exceptionDetails", {}))
        return from_remote_value(result["result"])

    def url(self) -> str | None:
        for context in self.browser.contexts():
            if context.get("context") == self.context:
                return context.get("url")
        return None

    def close(self):
        """Closes the tab (and its user context); errors are ignored if the browser is gone."""
        if not self.browser.alive:
            return
        try:
            self.browser.command("browsingContext.close", {"context": self.context}, timeout=5.0)
        except (BiDiError, TimeoutError, BrowserGone):
            pass
        if self.user_context is not None:
            try:
                self.browser.command("browser.removeUserContext", {"userContext": self.user_context}, timeout=5.0)
            except (BiDiError, TimeoutError, BrowserGone):
                pass
