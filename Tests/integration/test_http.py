"""The HTTP surface and the request policy every request passes: 400/403/404/405/431, head deadline, CORS."""

import socket
import time

import pytest

from conftest import http_request, is_closed_by_peer, write


@pytest.fixture
def daemon(hmrd, tmp_path):
    write(tmp_path / "public/index.html", "<p>hi</p>")
    return hmrd("--watch", "public")


def test_the_client_script_is_served_from_memory_as_javascript(daemon):
    response = http_request(daemon.port, path="/__hmr/client.js")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert int(response.headers["content-length"]) == len(response.body) > 1000
    assert b"EventSource" in response.body


def test_status_is_json(daemon):
    response = http_request(daemon.port, path="/__hmr/status")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert daemon.status()["state"] in ("idle", "building")


@pytest.mark.parametrize("target", ["/../x", "/%2e%2e/x", "/a/../../etc/passwd", "/a%5c..%5cb", "x", "/a#frag"])
def test_a_bad_request_target_gets_400(daemon, target):
    response = http_request(daemon.port, path=target)
    assert response.status == 400, target
    assert response.headers["connection"] == "close"


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n\r\n",
    b"GET / HTTP/3.0\r\nHost: 127.0.0.1\r\n\r\n",
], ids=["no-request-line", "header-without-colon", "missing-host", "duplicate-host", "unknown-version"])
def test_a_malformed_request_gets_400(daemon, raw):
    response = http_request(daemon.port, raw=raw)
    assert response.status == 400
    assert response.text.startswith("400 ")


def test_a_host_not_on_the_allow_list_gets_403(daemon):
    response = http_request(daemon.port, path="/__hmr", host="evil.example")
    assert response.status == 403
    assert "--allow-host" in response.text


@pytest.mark.parametrize("host", ["localhost", "localhost:1234", "app.localhost", "127.0.0.1", "[::1]:80"])
def test_loopback_host_names_are_allowed(daemon, host):
    assert http_request(daemon.port, path="/__hmr/status", host=host).status == 200


def test_allow_host_adds_a_host_name(hmrd, tmp_path):
    write(tmp_path / "public/index.html", "<p>hi</p>")
    daemon = hmrd("--watch", "public", "--allow-host", "dev.example")
    assert http_request(daemon.port, path="/__hmr/status", host="dev.example").status == 200
    assert http_request(daemon.port, path="/__hmr/status", host="evil.example").status == 403


def test_post_gets_405_with_allow(daemon):
    response = http_request(daemon.port, path="/__hmr", method="POST")
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"


def read_all(port: int, raw: bytes) -> bytes:
    """Sends raw bytes and reads until hmrd closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def test_a_post_with_a_body_gets_405_and_its_body_is_never_read_as_a_request(daemon):
    smuggled = b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    for framing, body in (
        (b"Content-Length: %d" % len(smuggled), smuggled),
        (b"Transfer-Encoding: chunked", b"%x\r\n%s\r\n0\r\n\r\n" % (len(smuggled), smuggled)),
    ):
        raw = b"POST /__hmr HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + b"\r\n\r\n" + body
        data = read_all(daemon.port, raw)
        assert data.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n"), data
        assert b"Allow: GET, HEAD\r\n" in data and b"Connection: close\r\n" in data
        assert data.count(b"HTTP/1.1 ") == 1, "the body was answered as a second request"


@pytest.mark.parametrize("framing,status", [
    (b"Content-Length: 5\r\nTransfer-Encoding: chunked", 400),
    (b"Transfer-Encoding: gzip, chunked", 501),
    (b"Content-Length: 99999999999999999999999", 413),
    (b"Content-Length: 3", 400),  # a GET takes no body
])
def test_a_body_hmrd_cannot_frame_or_take_is_refused_and_the_connection_closed(daemon, framing, status):
    raw = b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + b"\r\n\r\nabc"
    data = read_all(daemon.port, raw)
    assert data.startswith(b"HTTP/1.1 %d " % status), data
    assert data.count(b"HTTP/1.1 ") == 1


def test_an_unknown_path_gets_404(daemon):
    response = http_request(daemon.port, path="/nothing/here")
    assert response.status == 404


def test_a_request_head_over_16_kib_gets_431(daemon):
    raw = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + b"a" * (17 * 1024) + b"\r\n\r\n")
    response = http_request(daemon.port, raw=raw)
    assert response.status == 431


def test_a_request_head_just_under_16_kib_is_accepted(daemon):
    head = b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Filler: "
    raw = head + b"a" * (16 * 1024 - len(head) - 200) + b"\r\n\r\n"
    assert http_request(daemon.port, raw=raw).status == 200


def test_a_connection_without_a_complete_head_is_closed_after_10_seconds(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /__hmr HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert not is_closed_by_peer(sock, timeout=8.5), "closed too early"
        assert is_closed_by_peer(sock, timeout=4.0), "still open 12.5 s after connecting"
        assert 9.5 < time.monotonic() - started < 12.5
    assert daemon.status()["state"] == "idle"


def test_a_kept_alive_connection_answers_several_requests(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        request = b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        sock.sendall(request + request)
        data = b""
        while data.count(b"HTTP/1.1 200 OK") < 2 or not data.endswith(b"}\n"):
            chunk = sock.recv(65536)
            assert chunk, f"closed early: {data!r}"
            data += chunk
        assert data.count(b"Connection: keep-alive") == 2


def test_a_loopback_origin_is_echoed_for_cors(daemon):
    response = http_request(daemon.port, path="/__hmr/status", headers={"Origin": "http://localhost:3000"})
    assert response.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert response.headers["vary"] == "Origin"


def test_a_foreign_origin_gets_no_cors_header(daemon):
    response = http_request(daemon.port, path="/__hmr/status", headers={"Origin": "https://evil.example"})
    assert response.status == 200
    assert "access-control-allow-origin" not in response.headers


def test_allow_origin_adds_an_origin(hmrd, tmp_path):
    write(tmp_path / "public/index.html", "<p>hi</p>")
    daemon = hmrd("--watch", "public", "--allow-origin", "https://app.example")
    response = http_request(daemon.port, path="/__hmr/status", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "https://app.example"


def test_a_head_sent_byte_by_byte_is_understood(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n":
            sock.send(bytes([byte]))
            time.sleep(0.002)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b'"state":' in data


def test_an_idle_kept_alive_connection_is_closed_after_10_seconds(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.sendall(b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answered = time.monotonic()
        head = b""
        while b"}\n" not in head:
            head += sock.recv(65536)
        assert b"Connection: keep-alive" in head
        assert not is_closed_by_peer(sock, timeout=8.5), "closed too early"
        assert is_closed_by_peer(sock, timeout=4.0), "an idle kept-alive connection stays open"
        assert 9.5 < time.monotonic() - answered < 12.5
