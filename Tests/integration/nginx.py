"""A real nginx in front of hmrd, for Tests/integration/test_nginx.py and test_nginx_proxy.py.

* :class:`Nginx`: one nginx started as a child with everything (prefix, conf, pid,
  logs, every ``*_temp_path``) under its own folder, listening on 127.0.0.1 at a
  free port, optionally with TLS and HTTP/2. It runs in a session of its own, and
  :meth:`Nginx.stop` sends SIGTERM (a graceful SIGQUIT waits forever while an event
  stream is open) and then requires the whole process group, workers included, to
  be gone.
* :class:`ProxiedSSEClient`: the harness's SSE reader, able to read the chunked
  body nginx sends an HTTP/1.1 client; every frame is timestamped when its bytes
  arrive, so arrivals over two connections can be compared.
* :func:`self_signed_cert`: a throwaway certificate made with openssl.

Only the standard library and pytest are used; nginx and openssl are found on PATH
(or in /usr/sbin) and a test skips, saying which, when one is missing.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import Deadline, SSEClient, StreamClosed
from processes import free_port, group_members

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
OPENSSL = shutil.which("openssl")

#: How long nginx may take to accept connections after it starts.
START_TIMEOUT = 10.0
#: How long nginx and its workers may take to exit after SIGTERM.
STOP_TIMEOUT = 5.0

#: Logs, per request, the Host the browser sent and the one nginx sent to hmrd.
LOG_FORMAT = 'log_format hosts \'$host $proxy_host $status "$upstream_status" $request_uri\';'


def require_nginx() -> str:
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return NGINX


def require_openssl() -> str:
    if OPENSSL is None:
        pytest.skip("openssl is not installed (apt-get install openssl)")
    return OPENSSL


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """(cert, key) for 127.0.0.1 and localhost, valid for a day."""
    openssl = require_openssl()
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class Nginx:
    """One nginx serving `server_body` inside a single server block (`main`: extra main-context directives).

    `whole_server(port)`, instead, gives the http block's whole server { } (listening at 127.0.0.1:port),
    as `hmrd nginx-config --proxy URL --listen 127.0.0.1:PORT` prints it.
    """

    def __init__(self, folder: Path, server_body: str = "", tls: tuple[Path, Path] | None = None, main: str = "",
                 whole_server: Callable[[int], str] | None = None):
        self.nginx = require_nginx()
        self.dir = Path(folder)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.server_body = server_body
        self.tls = tls
        self.main = main
        self.whole_server = whole_server
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None

    @property
    def error_log(self) -> str:
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def access_log(self) -> str:
        path = self.dir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def conf(self, port: int) -> str:
        d = self.dir
        listen = f"listen 127.0.0.1:{port} ssl http2;" if self.tls else f"listen 127.0.0.1:{port};"
        tls = f"ssl_certificate {self.tls[0]};\n        ssl_certificate_key {self.tls[1]};" if self.tls else ""
        # As root, workers would otherwise run as nobody and could not read tmp_path.
        user = "user root;" if os.geteuid() == 0 else ""
        server = self.whole_server(port) if self.whole_server else f"""    server {{
        {listen}
        server_name site.test;
        {tls}
{self.server_body}
    }}"""
        return f"""{user}
{self.main}
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    {LOG_FORMAT}
    access_log {d}/access.log hosts;
    client_body_temp_path {d}/temp/client_body;
    proxy_temp_path {d}/temp/proxy;
    fastcgi_temp_path {d}/temp/fastcgi;
    uwsgi_temp_path {d}/temp/uwsgi;
    scgi_temp_path {d}/temp/scgi;
    types {{ text/html html; text/css css; text/javascript js; }}
    default_type application/octet-stream;
{server}
}}
"""

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the configuration (port not yet bound)."""
        (self.dir / "temp").mkdir(exist_ok=True)
        (self.dir / "nginx.conf").write_text(self.conf(free_port()))
        return subprocess.run([self.nginx, "-t", "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
                               "-e", str(self.dir / "error.log")], capture_output=True, text=True, timeout=10)

    def start(self) -> "Nginx":
        # A free port can be taken between the probe and nginx's bind: try a few.
        for _ in range(3):
            port = free_port()
            (self.dir / "temp").mkdir(exist_ok=True)
            (self.dir / "nginx.conf").write_text(self.conf(port))
            log_mark = len(self.error_log)
            self.proc = subprocess.Popen(
                [self.nginx, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
                 "-e", str(self.dir / "error.log"), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True)
            if self._wait_accepting(port):
                self.port = port
                return self
            self.proc.wait(timeout=STOP_TIMEOUT)
            if "Address already in use" not in self.error_log[log_mark:]:
                break
        stderr = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
        pytest.fail(f"nginx did not start (exit code {self.proc.poll()}):\n{stderr}\n{self.error_log[-3000:]}")

    def _wait_accepting(self, port: int) -> bool:
        """True once a worker answers a request; the master binds the port before any worker
        runs, so an accepted connection alone would count the workers' start-up as latency."""
        deadline = Deadline(START_TIMEOUT)
        while not deadline.passed():
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    # Plain HTTP gets an answer from a TLS port too (400), which is all this needs.
                    probe.sendall(b"GET /.ready HTTP/1.0\r\n\r\n")
                    if probe.recv(16).startswith(b"HTTP/"):
                        return True
            except OSError:
                pass
            time.sleep(0.01)
        self.proc.kill()
        return False

    def stop(self) -> list[str]:
        """SIGTERM, then requires nginx and its workers gone; returns problems (after killing leftovers)."""
        if self.proc is None:
            return []
        problems = []
        pgid = self.proc.pid  # start_new_session made the master a group leader
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
            problems.append(f"nginx did not exit within {STOP_TIMEOUT}s of SIGTERM; killed")
        if self.proc.stderr:
            self.proc.stderr.close()
        deadline = Deadline(STOP_TIMEOUT)
        while group_members(pgid) and not deadline.passed():
            time.sleep(0.02)
        left = group_members(pgid)
        if left:
            problems.append(f"nginx processes still running after the master exited: {left}")
            try:
                os.killpg(pgid, signal.SIGKILL)
            except OSError:
                pass
        self.proc = None
        return problems


class ProxiedSSEClient(SSEClient):
    """SSEClient that also reads a chunked body (what nginx sends an HTTP/1.1 client).

    `Frame.at` is the time the frame's bytes were read, as long as the reader keeps
    up (see :func:`read_frames_together`).
    """

    def read_head(self, timeout: float = 5.0) -> "ProxiedSSEClient":
        super().read_head(timeout)
        self.head_at = time.monotonic()
        self.chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self.raw, self.buf = self.buf, b""
        self.chunk_left = 0
        self.need_crlf = False
        self.ended = False
        self._decode()
        return self

    def _fill(self, deadline: Deadline):
        if self.ended:
            raise StreamClosed("the body ended")
        self.raw += self._receive(deadline)
        self._decode()

    def _decode(self):
        """Moves body bytes from `raw` to `buf`, unwrapping chunks; a partial chunk passes at once."""
        if not self.chunked:
            self.buf, self.raw = self.buf + self.raw, b""
            return
        while not self.ended:
            if self.chunk_left:
                take = self.raw[:self.chunk_left]
                self.buf += take
                self.raw = self.raw[len(take):]
                self.chunk_left -= len(take)
                if self.chunk_left:
                    return
                self.need_crlf = True
            if self.need_crlf:
                if len(self.raw) < 2:
                    return
                assert self.raw[:2] == b"\r\n", f"bad chunk end {self.raw[:20]!r}"
                self.raw = self.raw[2:]
                self.need_crlf = False
            line_end = self.raw.find(b"\r\n")
            if line_end < 0:
                return
            size = int(self.raw[:line_end].split(b";")[0], 16)
            self.raw = self.raw[line_end + 2:]
            if size == 0:
                self.ended = True
            self.chunk_left = size


def read_frames_together(clients, until, timeout: float = 5.0):
    """Reads every client as its bytes arrive (so each Frame.at is its arrival time) until
    `until(client, frame)` has been true once for each client; returns {client: frame}."""
    found = {}
    deadline = Deadline(timeout)
    while len(found) < len(clients):
        pending = [c for c in clients if c not in found]
        # Frames already buffered (read together with earlier ones) first.
        for client in pending:
            while b"\n\n" in client.buf and client not in found:
                frame = client.next_raw_frame(0.001)
                if until(client, frame):
                    found[client] = frame
        pending = [c for c in clients if c not in found]
        if not pending:
            break
        if deadline.passed():
            raise TimeoutError(f"{len(pending)} of {len(clients)} streams had no matching frame within {timeout}s; "
                               f"last frames: {[c.frames[-3:] for c in pending]}")
        ready, _, _ = select.select([c.sock for c in pending], [], [], max(deadline.left(), 0))
        for client in pending:
            if client.sock in ready:
                client._fill(Deadline(1.0))
    return found
