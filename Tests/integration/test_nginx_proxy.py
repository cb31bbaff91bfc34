"""`hmrd nginx-config --proxy URL`: the printed server { }, run by a real nginx, does what
`hmrd --proxy URL` does.

Each test has a backend of its own (a stdlib HTTP/1.1 server in this process: an HTML
page, a stylesheet, a script, a redirect to its own absolute origin, a POST echo and a
WebSocket-like upgrade that echoes raw bytes), an hmrd started without --proxy (nginx
proxies here) and an nginx whose http block holds the server exactly as printed,
listening where `--listen` says. Requests go to nginx with a Host hmrd alone refuses.

The tests of the subcommand's flags need no nginx; the others skip, saying why, only
when nginx is missing.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin

import pytest

from conftest import Deadline, poll, recv_until_head, parse_head, run_hmrd, write
from nginx import Nginx, ProxiedSSEClient, require_nginx

#: The Host a browser sends to nginx; hmrd alone would refuse it (DNS-rebinding guard).
SITE_HOST = "dev.site.test"
#: How soon the stream's first frame must come out of nginx.
PROMPT = 1.0
TAG = b'<script src="/__hmr/client.js"></script>'
PAGE = b"<!doctype html>\n<html><head><title>backend</title><link rel=\"stylesheet\" href=\"/site.css\"></head>\n" \
       b"<body><h1>rendered by the backend</h1></body></html>\n"
# A stylesheet that mentions </body>: only HTML gets the tag, everything else its bytes.
CSS = b"/* </body> */\n" + b"".join(b".c%d { color: #%06x }\n" % (i, i * 2654435761 % 0xFFFFFF) for i in range(2000))
BACKEND_SCRIPT = b"console.log('the backend\\'s own script');\n"
HMRD_MODULE = "export const answer = 42;\n"


# --------------------------------------------------------------------------- the backend


class Backend(ThreadingHTTPServer):
    """The site's own server; `seen` holds (method, path, headers) of each request it got."""

    daemon_threads = True

    def __init__(self, port: int = 0):
        super().__init__(("127.0.0.1", port), BackendHandler)
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request_for(self, path: str) -> dict[str, str]:
        return poll(lambda: next((h for _, p, h in reversed(self.seen) if p == path), None),
                    what=f"the backend to get {path}")

    def stop(self):
        self.shutdown()
        self.server_close()
        self.thread.join(timeout=5)


class BackendHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status: int, body: bytes, content_type: str, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def record(self):
        self.server.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))

    def do_GET(self):
        self.record()
        if self.path == "/":
            self.answer(200, PAGE, "text/html; charset=utf-8", [("Set-Cookie", "session=abc; Path=/")])
        elif self.path == "/site.css":
            self.answer(200, CSS, "text/css", [("ETag", '"css-1"'), ("Cache-Control", "max-age=60")])
        elif self.path == "/lib/app.js":
            self.answer(200, BACKEND_SCRIPT, "text/javascript")
        elif self.path == "/old":
            self.answer(302, b"", "text/plain", [("Location", f"{self.server.origin}/new?x=1")])
        elif self.path == "/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            self.upgrade()
        else:
            self.answer(404, b"not the backend's", "text/plain")

    def do_POST(self):
        self.record()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.answer(200 if self.path == "/echo" else 404, body, "application/octet-stream")

    def upgrade(self):
        """101, then every byte back as it comes: nginx must tunnel both ways."""
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.end_headers()
        self.wfile.flush()
        while chunk := self.connection.recv(65536):
            self.connection.sendall(chunk)
        self.close_connection = True


# --------------------------------------------------------------------------- fixtures


def printed_server(tmp_path, *flags) -> str:
    result = run_hmrd("nginx-config", *flags, cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == "", result
    return result.stdout


class Site:
    def __init__(self, backend: Backend, daemon, proxy: Nginx):
        self.backend, self.daemon, self.proxy = backend, daemon, proxy

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> tuple:
        """(response, body) from nginx, chunked bodies decoded, the browser's Host sent."""
        conn = http.client.HTTPConnection("127.0.0.1", self.proxy.port, timeout=5)
        try:
            conn.request(method, path, body=body, headers={"Host": SITE_HOST, **(headers or {})})
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()


@pytest.fixture
def site(hmrd, tmp_path):
    require_nginx()
    write(tmp_path / "out/mod.js", HMRD_MODULE)
    backend = Backend()
    daemon = hmrd("--watch", "out", "--heartbeat", "200ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    proxy = Nginx(tmp_path / "nginx", whole_server=lambda port: printed_server(
        tmp_path, "--port", daemon.port, "--proxy", backend.origin, "--listen", f"127.0.0.1:{port}"))
    running = Site(backend, daemon, proxy)
    try:
        proxy.start()
        yield running
    finally:
        problems = proxy.stop()
        for server in {backend, running.backend}:  # a test may have started another
            server.stop()
        if problems:
            pytest.fail("\n".join(problems))


# --------------------------------------------------------------------------- the subcommand


def test_the_proxy_flag_before_or_after_the_word_prints_the_same_server(tmp_path):
    after = printed_server(tmp_path, "--port", "6001", "--proxy", "http://127.0.0.1:8000", "--listen", "9000")
    assert after.startswith("# hmrd --proxy http://127.0.0.1:8000, carried out by nginx")
    assert "\nserver {\n    listen 9000;\n" in after and after.endswith("}\n")
    before = run_hmrd("--proxy", "http://127.0.0.1:8000", "--port", "6001", "--watch", "src", "nginx-config",
                      "--listen", "9000", cwd=tmp_path)
    assert before.returncode == 0 and before.stdout == after, before


def test_without_proxy_the_output_is_the_location_blocks(tmp_path):
    assert printed_server(tmp_path).startswith("# hmrd behind nginx: paste into your site's server { } block")


@pytest.mark.parametrize("args", [
    ["nginx-config", "--listen", "9000"],
    ["nginx-config", "--proxy", "https://127.0.0.1:8000"],
    ["nginx-config", "--proxy", "http://127.0.0.1:8000/app"],
    ["nginx-config", "--proxy", "http://127.0.0.1:8000", "--listen", "0"],
    ["nginx-config", "--proxy", "http://127.0.0.1:8000", "--listen", "a;b:80"],
    ["nginx-config", "--proxy", "http://127.0.0.1:8000", "--path", "/odd;path"],
    ["nginx-config", "--proxy", "http://127.0.0.1:8000", "--port", "0"],
], ids=lambda args: " ".join(args[1:]))
def test_a_bad_value_is_refused_in_one_line_with_exit_2(tmp_path, args):
    result = run_hmrd(*args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hmrd: ") and lines[0].endswith("(see hmrd --help)"), result


@pytest.mark.parametrize("flags", [
    ["--proxy", "http://127.0.0.1:8000"],
    ["--proxy", "http://[::1]:8000", "--port", "6001", "--host", "::1", "--path", "/dev/hot", "--listen", "[::1]:8081"],
    ["--proxy", "http://localhost", "--public-path", "/static/", "--listen", "0.0.0.0:8082"],
], ids=["defaults", "ipv6", "public-path"])
def test_nginx_accepts_the_printed_server(tmp_path, flags):
    require_nginx()
    text = printed_server(tmp_path, *flags)
    checked = Nginx(tmp_path / "nginx", whole_server=lambda port: text).check()
    assert checked.returncode == 0, checked.stderr


# --------------------------------------------------------------------------- the printed server at work


def test_a_page_gets_the_client_tag_once_before_the_closing_body(site):
    response, body = site.request("GET", "/", headers={"Accept-Encoding": "gzip, br"})
    assert response.status == 200, body
    assert body.count(TAG) == 1 and body == PAGE.replace(b"</body>", TAG + b"</body>"), body
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Set-Cookie") == "session=abc; Path=/"
    seen = site.backend.request_for("/")
    # The browser's Host, the forwarding headers, and no compression sub_filter could not read.
    assert seen["host"] == SITE_HOST and seen["x-forwarded-host"] == SITE_HOST
    assert seen["x-forwarded-proto"] == "http" and seen["x-forwarded-for"] == "127.0.0.1"
    assert "accept-encoding" not in seen, seen


def test_other_answers_keep_their_bytes_and_headers(site):
    response, body = site.request("GET", "/site.css")
    assert response.status == 200 and body == CSS
    assert response.getheader("Content-Type") == "text/css"
    assert response.getheader("ETag") == '"css-1"' and response.getheader("Cache-Control") == "max-age=60"
    missing, _ = site.request("GET", "/nowhere")
    assert missing.status == 404


def test_a_redirect_to_the_backends_own_origin_stays_on_nginxs(site):
    response, _ = site.request("GET", "/old")
    assert response.status == 302
    here = f"http://{SITE_HOST}/old"
    assert urljoin(here, response.getheader("Location")) == f"http://{SITE_HOST}/new?x=1", response.getheader("Location")


def test_a_post_body_reaches_the_backend_whatever_its_size(site):
    body = bytes(range(256)) * 8192  # 2 MiB: past nginx's default client_max_body_size
    response, echoed = site.request("POST", "/echo", body=body, headers={"Content-Type": "application/octet-stream"})
    assert response.status == 200 and echoed == body


def test_the_client_and_the_stream_come_from_hmrd_at_once(site):
    response, body = site.request("GET", "/__hmr/client.js")
    assert response.status == 200 and response.getheader("Content-Type") == "text/javascript; charset=utf-8"
    assert body.count(TAG) == 0 and site.daemon.status()["hash"].encode() in body
    assert not any(path.startswith("/__hmr") for _, path, _ in site.backend.seen)
    sent = time.monotonic()
    with ProxiedSSEClient(site.proxy.port, host=SITE_HOST).read_head(timeout=PROMPT) as via:
        assert via.status == 200 and via.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert via.wait_for("sync", timeout=PROMPT)["hash"] == site.daemon.status()["hash"]
        synced = time.monotonic() - sent
        assert via.next_frame(timeout=PROMPT) == "💓"
    print(f"sync through nginx {synced * 1000:.1f} ms after the request")
    assert synced < PROMPT


def test_a_module_hmrd_has_comes_from_hmrd_and_any_other_script_from_the_backend(site):
    response, body = site.request("GET", "/mod.js")
    assert response.status == 200 and body.decode() == HMRD_MODULE
    assert not any(path == "/mod.js" for _, path, _ in site.backend.seen)
    response, body = site.request("GET", "/lib/app.js")
    assert response.status == 200 and body == BACKEND_SCRIPT


def test_a_websocket_upgrade_passes_through_both_ways(site):
    deadline = Deadline(5)
    with socket.create_connection(("127.0.0.1", site.proxy.port), timeout=5) as sock:
        sock.sendall(f"GET /ws HTTP/1.1\r\nHost: {SITE_HOST}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode())
        head, rest = recv_until_head(sock, deadline)
        status, _, headers = parse_head(head)
        assert status == 101, head
        assert dict((k.lower(), v.lower()) for k, v in headers)["upgrade"] == "websocket"
        for message in (b"ping 1", b"\x81\x05hello", b"x" * 100_000):
            sock.sendall(message)
            got = rest
            while len(got) < len(message):
                got += sock.recv(65536)
            assert got == message
            rest = b""


def test_while_the_backend_is_down_a_page_says_so_and_the_site_comes_back_with_it(site):
    port = site.backend.port
    site.backend.stop()
    response, body = site.request("GET", "/")
    assert response.status == 502 and response.getheader("Content-Type") == "text/html"
    assert b'http-equiv="refresh"' in body and f"The backend at http://127.0.0.1:{port} is not".encode() in body
    site.backend = Backend(port)
    response, body = site.request("GET", "/")
    assert response.status == 200 and body.count(TAG) == 1
