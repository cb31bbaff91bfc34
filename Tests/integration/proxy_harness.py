"""proxy_backend.py as a child of the tests: start it, ask its counters, kill it, bring it back.

:class:`Backend` runs the backend in a session of its own with its app folder (the
templates and static files of :func:`default_app`, which tests edit); its requests
are logged to ``backend.log`` beside them. It can be SIGKILLed and restarted on the
same port, as a framework's dev server is when it reloads. :meth:`Backend.stop` ends
it and requires its process group to be gone.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Output
from processes import end_group, stop_process

SCRIPT = Path(__file__).with_name("proxy_backend.py")

INDEX = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ title }}</title><link rel="stylesheet" href="/static/site.css"></head>
<body>{% include header.html %}
<h1 id="title">first</h1>
<input id="name">
</body></html>
"""


def default_app(root: Path) -> Path:
    """templates/index.html (including header.html), static/site.css and static/data.bin in root."""
    files = {"templates/index.html": INDEX, "templates/header.html": '<p id="header">header one</p>',
             "static/site.css": "body { color: rgb(255, 0, 0) }\n"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "static/data.bin").write_bytes(bytes(range(256)) * 400)
    return root


class Backend:
    """One proxy_backend.py serving `root`; the port stays the same across restarts."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.log = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Backend":
        self.log = open(self.root / "backend.log", "ab")
        self.proc = subprocess.Popen([sys.executable, str(SCRIPT), "--port", str(self.port), "--root", str(self.root)],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self.log,
                                     start_new_session=True)
        line = Output(self.proc.stdout, "the backend's stdout").wait_for(r"listening on http://127\.0\.0\.1:(\d+)", 10)
        self.port = int(line.group(1))
        return self

    def stats(self) -> dict:
        """The backend's counters (asked directly; this request is not counted)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", "/__backend/stats")
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def kill(self):
        """SIGKILL: the backend dies mid-answer, as a crashed or reloading dev server does."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self._close_log()

    def stop(self) -> list[int]:
        """SIGTERM and wait; returns what of its process group had to be killed."""
        if self.proc is None:
            return []
        stop_process(self.proc)
        self._close_log()
        return end_group(self.proc.pid, settle=2)

    def _close_log(self):
        if self.log is not None:
            self.log.close()
            self.log = None


@pytest.fixture
def backend(tmp_path):
    """The backend, started on tmp_path/app (see default_app); stopped at teardown."""
    started = Backend(default_app(tmp_path / "app")).start()
    yield started
    left = started.stop()
    if left:
        pytest.fail(f"the backend's processes outlived it: {left}")
