"""`--proxy URL` over real sockets, against a real backend (proxy_backend.py): hmrd answers
its own routes, passes every other request with its body to the backend, injects the
client tag into HTML once, streams everything else byte for byte, rewrites redirects to
the backend's origin, passes WebSockets through, keeps backend connections alive, and
answers 502 while the backend is down. The same in Chromium is browser/test_chromium_proxy.py.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import socket
import struct
import time

import pytest

from conftest import Deadline, http_request, poll, recv_until_head, parse_head, write
from processes import free_port
from proxy_backend import BIG_SIZE, CHUNKED_HTML, COMPRESSED_PAGE, COOKIES, WS_GUID, big_bytes
from proxy_harness import backend  # noqa: F401 - a fixture

#: The tag hmrd puts into the backend's HTML (--serve's form, `?build=HASH`, is accepted too).
TAG = re.compile(rb'<script src="/__hmr/client\.js(?:\?build=[0-9a-f]{16})?"></script>')
#: What Chromium sends when it navigates to a page.
NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
#: What Chromium sends for a stylesheet.
STYLESHEET = "text/css,*/*;q=0.1"


@pytest.fixture
def proxy(hmrd, backend):  # noqa: F811 - the imported fixture
    daemon = hmrd("--proxy", backend.origin, "--watch", "app/templates")
    # The tag carries the build once the first is published (?build=HASH): pages compared
    # with each other must all come after it.
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=15)
    return daemon


# --------------------------------------------------------------------------- helpers


class Answer:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self):
        return f"<Answer {self.status} {dict(self.headers)} {self.body[:300]!r}>"


def fetch(port: int, path: str, method: str = "GET", headers: dict | None = None, body=None,
          timeout: float = 15) -> Answer:
    """One request over a fresh connection with http.client (any framing), the whole answer read."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body,
                           headers={"Host": f"127.0.0.1:{port}", "Accept-Encoding": "identity", **(headers or {})},
                           encode_chunked=body is not None and not isinstance(body, (bytes, str)))
        response = connection.getresponse()
        return Answer(response.status, response.msg, response.read())
    finally:
        connection.close()


def page(port: int, path: str, **headers) -> Answer:
    return fetch(port, path, headers={"Accept": NAVIGATION, **headers})


def assert_injected_once(body: bytes, original: bytes):
    """body is original with one client tag before its first `</body>` (any case), else at its end."""
    tags = TAG.findall(body)
    assert len(tags) == 1, f"{len(tags)} client tags in {body[-400:]!r}"
    tag = TAG.search(body)
    assert body[:tag.start()] + body[tag.end():] == original, "the page's own bytes changed"
    closing = original.lower().find(b"</body>")
    assert tag.start() == (closing if closing >= 0 else len(original)), \
        f"the tag is at {tag.start()}, expected {closing}: {body[max(tag.start() - 80, 0):tag.end() + 40]!r}"


def assert_exact_length(answer: Answer):
    if answer.headers["Content-Length"] is not None:
        assert int(answer.headers["Content-Length"]) == len(answer.body), answer


def echoed(answer: Answer) -> dict:
    assert answer.status == 200, answer
    data = json.loads(answer.body)
    data["header"] = {name.lower(): value for name, value in data["headers"]}
    return data


def raw_exchange(port: int, request: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Sends raw bytes and reads until hmrd closes: (status, headers, everything after the head)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered (and closed) before the whole body was sent: the answer says why
        deadline = Deadline(timeout)
        head, rest = recv_until_head(sock, deadline)
        while True:
            sock.settimeout(max(deadline.left(), 0.01))
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            rest += chunk
    status, _, header_list = parse_head(head)
    return status, {n.lower(): v for n, v in header_list}, rest


def sha256_of_download(port: int, path: str) -> tuple[str, int, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        assert response.status == 200
        digest, size = hashlib.sha256(), 0
        while piece := response.read(1 << 20):
            digest.update(piece)
            size += len(piece)
        return digest.hexdigest(), size, response.msg
    finally:
        connection.close()


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# --------------------------------------------------------------------------- HTML


def test_a_templated_page_comes_back_with_one_client_tag_before_its_closing_body(proxy, backend):
    direct = page(backend.port, "/?title=home")
    proxied = page(proxy.port, "/?title=home")
    assert proxied.status == 200 and proxied.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<title>home</title>" in direct.body
    assert_injected_once(proxied.body, direct.body)
    assert int(proxied.headers["Content-Length"]) == len(proxied.body), "the Content-Length was not adjusted"


def test_an_empty_html_answer_gets_the_tag_and_an_html_redirect_gets_nothing(proxy):
    # Content-Length: 0 ends the answer at once; a redirect's body is never shown, so it stays empty.
    empty = page(proxy.port, "/empty-html")
    assert empty.status == 200 and len(TAG.findall(empty.body)) == 1
    assert_exact_length(empty)
    moved = fetch(proxy.port, "/redirect-html", headers={"Accept": NAVIGATION})
    assert moved.status == 302 and moved.body == b"" and moved.headers["Content-Length"] == "0"


def test_html_that_a_script_fetched_is_passed_on_without_the_tag(proxy, backend):
    # htmx, Turbo and fetch() send Sec-Fetch-Dest: empty: a fragment they swap in must not run the client again.
    direct = page(backend.port, "/?title=x")
    fetched = fetch(proxy.port, "/?title=x", headers={"Sec-Fetch-Dest": "empty", "Accept": "*/*"})
    assert fetched.status == 200 and fetched.body == direct.body
    loaded = fetch(proxy.port, "/?title=x", headers={"Sec-Fetch-Dest": "document", "Accept": NAVIGATION})
    assert_injected_once(loaded.body, direct.body)


@pytest.mark.parametrize("path", ["/page/fragment", "/page/shouting", "/status/404", "/status/500",
                                  "/static/page.html"])
def test_every_html_answer_gets_exactly_one_tag_whatever_its_status_framing_or_shape(proxy, backend, path):
    write(backend.root / "templates/fragment.html", "<p>a fragment with no closing body</p>\n")
    write(backend.root / "templates/shouting.html", "<HTML><BODY><P>upper case</P></BODY></HTML>\n")
    write(backend.root / "static/page.html", "<!doctype html><html><body><p>static</p></body></html>\n")
    direct = page(backend.port, path)
    proxied = page(proxy.port, path)
    assert proxied.status == direct.status
    assert_injected_once(proxied.body, direct.body)
    assert_exact_length(proxied)


def test_chunked_html_with_its_closing_body_split_across_chunks_gets_the_tag_before_it(proxy):
    proxied = page(proxy.port, "/chunked-html")
    assert proxied.status == 200
    assert_injected_once(proxied.body, b"".join(CHUNKED_HTML))


def test_head_of_an_html_page_gets_the_adjusted_length_and_no_body(proxy):
    got = page(proxy.port, "/")
    request = (f"HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\nAccept: {NAVIGATION}\r\n"
               "Connection: close\r\n\r\n").encode()
    status, headers, after_head = raw_exchange(proxy.port, request)
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert int(headers["content-length"]) == len(got.body)
    assert after_head == b"", "a HEAD answer carried a body"


@pytest.mark.parametrize("path", ["/gzip-always", "/deflate-always", "/gzip"])
def test_compressed_html_is_decoded_injected_and_sent_uncompressed(proxy, path):
    proxied = page(proxy.port, path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert proxied.status == 200
    assert proxied.headers["Content-Encoding"] is None, proxied
    assert_injected_once(proxied.body, COMPRESSED_PAGE)
    assert_exact_length(proxied)


def test_a_request_for_html_asks_the_backend_for_identity(proxy):
    seen = echoed(page(proxy.port, "/echo", **{"Accept-Encoding": "gzip, deflate, br"}))
    assert seen["header"].get("accept-encoding") == "identity", seen["headers"]


def test_compressed_css_passes_through_still_compressed_byte_for_byte(proxy, backend):
    headers = {"Accept": STYLESHEET, "Accept-Encoding": "gzip"}
    direct = fetch(backend.port, "/gzip-always?type=text/css", headers=headers)
    proxied = fetch(proxy.port, "/gzip-always?type=text/css", headers=headers)
    assert proxied.status == 200 and proxied.headers["Content-Encoding"] == "gzip"
    assert proxied.body == direct.body
    assert TAG.search(proxied.body) is None


# --------------------------------------------------------------------------- requests


def test_the_backend_sees_the_browsers_host_and_the_forwarded_headers(proxy):
    host = f"localhost:{proxy.port}"
    seen = echoed(fetch(proxy.port, "/echo?x=1", headers={"Host": host}))
    assert seen["path"] == "/echo?x=1"
    header = seen["header"]
    assert header["host"] == host
    assert header["x-forwarded-host"] == host
    assert header["x-forwarded-proto"] == "http"
    assert header["x-forwarded-for"] == "127.0.0.1"


def test_a_hostile_host_gets_403_and_never_reaches_the_backend(proxy, backend):
    before = backend.stats()["requests"]
    for path in ["/", "/echo", "/static/site.css"]:
        assert http_request(proxy.port, path=path, host="evil.example").status == 403
    assert backend.stats()["requests"] == before


def test_hmrds_own_routes_are_answered_by_hmrd_and_never_reach_the_backend(proxy, backend):
    before = backend.stats()["requests"]
    assert proxy.status()["state"] in ("idle", "building")
    client = http_request(proxy.port, path="/__hmr/client.js")
    assert client.status == 200 and b"EventSource" in client.body
    with proxy.stream() as stream:
        assert stream.status == 200
    assert backend.stats()["requests"] == before


def test_a_urlencoded_form_post_arrives_intact(proxy):
    form = "name=J%C3%BCrgen+Smith&note=a%26b%3Dc&empty="
    seen = echoed(fetch(proxy.port, "/echo", method="POST", body=form.encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert seen["method"] == "POST"
    assert seen["body"] == form
    assert seen["header"]["content-type"] == "application/x-www-form-urlencoded"


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_5_mb_upload_arrives_intact(proxy, chunked):
    data = os.urandom(5 * 1024 * 1024)
    head = [f"PUT /echo HTTP/1.1", f"Host: 127.0.0.1:{proxy.port}", "Content-Type: application/octet-stream",
            "Connection: close"]
    if chunked:
        head.append("Transfer-Encoding: chunked")
        sizes = [1, 7, 4096, 65536, 100_000, 1 << 20]  # irregular chunk sizes, over and over
        body, at, n = bytearray(), 0, 0
        while at < len(data):
            piece = data[at:at + sizes[n % len(sizes)]]
            body += b"%x\r\n%s\r\n" % (len(piece), piece)
            at, n = at + len(piece), n + 1
        body += b"0\r\n\r\n"
    else:
        head.append(f"Content-Length: {len(data)}")
        body = data
    status, headers, rest = raw_exchange(proxy.port, ("\r\n".join(head) + "\r\n\r\n").encode() + bytes(body), 30)
    assert status == 200, rest[:300]
    seen = json.loads(rest[:int(headers["content-length"])])
    assert (seen["method"], seen["body_length"], seen["body_sha256"]) == \
        ("PUT", len(data), hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_any_method_with_its_body_reaches_the_backend(proxy, method):
    body = f"a body for {method}".encode()
    seen = echoed(fetch(proxy.port, "/echo", method=method, body=body))
    assert (seen["method"], seen["body_length"], seen["body_sha256"]) == \
        (method, len(body), hashlib.sha256(body).hexdigest())


# --------------------------------------------------------------------------- answers passed through


@pytest.mark.parametrize("path", ["/big", "/big-chunked", "/close-delimited"])
def test_a_download_is_byte_for_byte_the_backends(proxy, backend, path):
    direct_sha, direct_size, direct_headers = sha256_of_download(backend.port, path)
    proxied_sha, proxied_size, proxied_headers = sha256_of_download(proxy.port, path)
    assert (proxied_size, proxied_sha) == (direct_size, direct_sha)
    assert proxied_headers["Content-Type"] == "application/octet-stream"
    if path == "/big":
        assert proxied_headers["Content-Length"] == str(BIG_SIZE)


def test_a_download_then_another_request_on_the_same_connection(proxy, backend):
    # A long body goes socket to socket (splice); the connection is hmrd's again after it.
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=15)
    try:
        connection.request("GET", "/big?size=5000000")
        first = connection.getresponse().read()
        assert first == b"".join(big_bytes(5_000_000))
        connection.request("GET", "/echo?after=download")
        assert json.loads(connection.getresponse().read())["path"] == "/echo?after=download"
    finally:
        connection.close()


def test_a_reader_leaving_mid_download_ends_it_and_hmrd_serves_on(proxy, backend):
    sock = socket.create_connection(("127.0.0.1", proxy.port))
    sock.sendall(f"GET /big?size={200 * 1024 * 1024} HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\n\r\n".encode())
    head, body = recv_until_head(sock, Deadline(10))
    while len(body) < 2 * 1024 * 1024:
        body += sock.recv(65536)
    sock.close()
    # The backend's sending stops (its connection is closed) rather than going on to nobody.
    def settled():
        before = backend.stats()["big_bytes"]
        time.sleep(0.3)
        return backend.stats()["big_bytes"] == before or None
    poll(settled, timeout=5, what="the backend to stop sending")
    assert backend.stats()["big_bytes"] < 200 * 1024 * 1024, "the backend sent the whole body to nobody"
    assert page(proxy.port, "/").status == 200
    assert proxy.status()["state"] in ("idle", "building")


def test_a_big_download_streams_with_backpressure_and_flat_memory(proxy, backend):
    size = 256 * 1024 * 1024  # more than every socket buffer on the way can hold
    memory_before = rss(proxy.pid)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.connect(("127.0.0.1", proxy.port))
    try:
        sock.sendall(f"GET /big?size={size} HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\n\r\n".encode())
        head, body = recv_until_head(sock, Deadline(10))
        status, _, headers = parse_head(head)
        assert status == 200 and dict((n.lower(), v) for n, v in headers)["content-length"] == str(size)
        while len(body) < 1024 * 1024:
            body += sock.recv(65536)
        expected = b"".join(piece for _, piece in zip(range(16), big_bytes(size)))
        assert body[:len(expected)] == expected[:len(body)]
        # The reader stops; the backend must soon be held up too, mid-body.
        time.sleep(1.0)
        sent = backend.stats()["big_bytes"]
        time.sleep(0.5)
        stats = backend.stats()
        assert stats["big_finished"] == 0 and stats["big_bytes"] == sent < size, \
            f"the backend kept sending to a reader that stopped: {stats}"
        grown = rss(proxy.pid) - memory_before
        assert grown < 32 * 1024 * 1024, f"hmrd grew by {grown >> 20} MiB holding a download nobody reads"
    finally:
        sock.close()
    assert proxy.status()["state"] in ("idle", "building")


def test_two_set_cookie_headers_stay_two(proxy):
    response = http_request(proxy.port, path="/cookies")
    assert response.status == 200
    assert [v for n, v in response.header_list if n.lower() == "set-cookie"] == COOKIES
    assert response.body == b"two cookies\n"


def test_etag_last_modified_304_and_range_206_pass_through(proxy, backend):
    data = (backend.root / "static/data.bin").read_bytes()
    first = http_request(proxy.port, path="/static/data.bin")
    direct = http_request(backend.port, path="/static/data.bin")
    assert first.status == 200 and first.body == data
    for name in ("etag", "last-modified", "accept-ranges", "content-type"):
        assert first.headers[name] == direct.headers[name], name
    by_tag = http_request(proxy.port, path="/static/data.bin", headers={"If-None-Match": first.headers["etag"]})
    assert by_tag.status == 304 and by_tag.body == b"" and by_tag.headers["etag"] == first.headers["etag"]
    by_date = http_request(proxy.port, path="/static/data.bin",
                           headers={"If-Modified-Since": first.headers["last-modified"]})
    assert by_date.status == 304
    part = http_request(proxy.port, path="/static/data.bin", headers={"Range": "bytes=1000-1999"})
    assert part.status == 206
    assert part.headers["content-range"] == f"bytes 1000-1999/{len(data)}"
    assert part.body == data[1000:2000]
    beyond = http_request(proxy.port, path="/static/data.bin", headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status == 416


def test_the_backends_event_stream_arrives_event_by_event(proxy):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    try:
        asked = time.monotonic()
        connection.request("GET", "/sse", headers={"Accept": "text/event-stream"})
        response = connection.getresponse()
        assert response.status == 200 and response.msg["Content-Type"] == "text/event-stream"
        arrivals, text = [], b""
        while len(arrivals) < 5:
            text += response.read1(65536)
            while b"\n\n" in text:
                event, _, text = text.partition(b"\n\n")
                arrivals.append((time.monotonic(), event))
        assert arrivals[0][1] == b"id: 1\ndata: tick 1"
        assert arrivals[0][0] - asked < 1.0, f"the first event took {arrivals[0][0] - asked:.2f} s"
        assert [event for _, event in arrivals] == [b"id: %d\ndata: tick %d" % (n, n) for n in range(1, 6)]
        # Sent 100 ms apart, they arrive apart: nothing holds them back to send in a batch.
        assert arrivals[4][0] - arrivals[0][0] > 0.25, [round(t - asked, 3) for t, _ in arrivals]
    finally:
        connection.close()


def test_a_client_leaving_the_backends_event_stream_ends_it_at_the_backend(proxy, backend):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(f"GET /sse HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        head, _ = recv_until_head(sock, Deadline(5))
        assert parse_head(head)[0] == 200
        poll(lambda: backend.stats()["sse_open"] == 1, what="the backend's stream to be open")
    poll(lambda: backend.stats()["sse_open"] == 0, timeout=5, what="the backend's stream to end with its client")


def test_a_redirect_to_the_backends_origin_is_rewritten_to_the_origin_the_browser_named(proxy, backend):
    host = f"localhost:{proxy.port}"
    absolute = http_request(proxy.port, path="/redirect", host=host)
    assert absolute.status == 302
    assert absolute.headers["location"] == f"http://{host}/landing?from=redirect"
    relative = http_request(proxy.port, path="/redirect-relative", host=host)
    assert relative.status == 302 and relative.headers["location"] == "/landing?from=relative"
    foreign = http_request(proxy.port, path="/redirect?to=https://example.com/x", host=host)
    assert foreign.headers["location"] == "https://example.com/x"
    landed = http_request(proxy.port, path="/landing?from=redirect", host=host)
    assert landed.status == 200 and landed.body == b"landed from redirect\n"


# --------------------------------------------------------------------------- WebSocket


def ws_send(sock: socket.socket, opcode: int, payload: bytes):
    """A client frame: always masked."""
    mask = os.urandom(4)
    assert len(payload) < 126
    sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask
                 + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def ws_receive(sock: socket.socket, buffered: bytes) -> tuple[int, bytes, bytes]:
    """(opcode, payload, bytes left over) of the next unmasked server frame."""
    def need(count: int):
        nonlocal buffered
        while len(buffered) < count:
            chunk = sock.recv(65536)
            assert chunk, f"the WebSocket closed; had {buffered!r}"
            buffered += chunk
    need(2)
    opcode, length, at = buffered[0] & 0x0F, buffered[1] & 0x7F, 2
    if length == 126:
        need(4)
        length, at = struct.unpack(">H", buffered[2:4])[0], 4
    need(at + length)
    return opcode, buffered[at:at + length], buffered[at + length:]


def test_a_websocket_upgrade_passes_through_both_ways(proxy):
    key = base64.b64encode(os.urandom(16)).decode()
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                      f"Origin: http://127.0.0.1:{proxy.port}\r\n\r\n").encode())
        head, rest = recv_until_head(sock, Deadline(5))
        status, _, header_list = parse_head(head)
        headers = {n.lower(): v for n, v in header_list}
        assert status == 101, head
        assert headers["upgrade"].lower() == "websocket"
        assert headers["sec-websocket-accept"] == base64.b64encode(
            hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        opcode, payload, rest = ws_receive(sock, rest)
        assert (opcode, payload) == (0x1, b"welcome"), "the backend's first message did not arrive"
        for text in (b"hello", b"and again"):
            ws_send(sock, 0x1, text)
            opcode, payload, rest = ws_receive(sock, rest)
            assert (opcode, payload) == (0x1, text)
        ws_send(sock, 0x8, struct.pack(">H", 1000))
        opcode, payload, rest = ws_receive(sock, rest)
        assert (opcode, payload) == (0x8, struct.pack(">H", 1000))


# --------------------------------------------------------------------------- backend connections


def test_sequential_requests_on_one_connection_reuse_one_backend_connection(proxy, backend):
    before = backend.stats()["connections"]
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=5)
    try:
        for n in range(6):
            connection.request("GET", f"/echo?n={n}")
            assert json.loads(connection.getresponse().read())["path"] == f"/echo?n={n}"
    finally:
        connection.close()
    assert backend.stats()["connections"] - before == 1


def test_sequential_requests_on_fresh_connections_reuse_one_backend_connection(proxy, backend):
    before = backend.stats()["connections"]
    for n in range(6):
        assert http_request(proxy.port, path=f"/echo?n={n}").status == 200
    assert backend.stats()["connections"] - before == 1


# --------------------------------------------------------------------------- the backend down


@pytest.fixture
def down(hmrd, tmp_path):
    """hmrd proxying to a port nothing listens on."""
    (tmp_path / "app/templates").mkdir(parents=True)
    return hmrd("--proxy", f"http://127.0.0.1:{free_port()}", "--watch", "app/templates")


def test_with_the_backend_down_a_page_gets_hmrds_502_page(down):
    response = page(down.port, "/some/page")
    assert response.status == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["X-Hmrd-Backend"] == "down"
    assert b"<" in response.body
    assert_exact_length(response)


def test_with_the_backend_down_a_request_not_for_html_gets_a_short_text_502(down):
    response = fetch(down.port, "/api/things", headers={"Accept": "application/json"})
    assert response.status == 502
    assert response.headers["Content-Type"].startswith("text/plain")
    assert 0 < len(response.body) < 300, response
    assert down.status()["state"] in ("idle", "building")


def test_a_backend_killed_and_restarted_gets_502_meanwhile_then_answers_again(proxy, backend):
    assert page(proxy.port, "/").status == 200
    backend.kill()
    assert page(proxy.port, "/").status == 502
    assert proxy.status()["state"] in ("idle", "building"), "hmrd stopped answering its own routes"
    assert fetch(proxy.port, "/echo").status == 502
    backend.start()
    answer = poll(lambda: (lambda a: a if a.status == 200 else None)(page(proxy.port, "/")), timeout=5,
                  what="the page to come back with the backend")
    assert len(TAG.findall(answer.body)) == 1
    # The terminal: one line when it went (not one per 502), one when it came back.
    proxy.stdout.wait_for(r"\[hmrd\] the backend at " + re.escape(backend.origin) + r" answers again\n")
    down_lines = proxy.stderr.count(r"warning: the backend at " + re.escape(backend.origin)
                                    + r" is not answering \(connection refused\); pages show a waiting page")
    assert down_lines == 1, proxy.stderr.text


def test_a_request_in_flight_when_the_backend_dies_gets_502(proxy, backend):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(f"GET /hang HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\nAccept: {NAVIGATION}\r\n\r\n".encode())
        poll(lambda: backend.stats()["hanging"] == 1, what="the request to reach the backend")
        backend.kill()
        head, _ = recv_until_head(sock, Deadline(5))
        assert parse_head(head)[0] == 502, head
    assert proxy.status()["state"] in ("idle", "building")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_a_backend_dying_after_the_head_closes_the_clients_connection(proxy, backend, path):
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\n\r\n".encode())
        head, body = recv_until_head(sock, Deadline(10))
        assert parse_head(head)[0] == 200
        backend.kill()
        received = len(body)
        tail = body[-5:]
        deadline = Deadline(10)
        while True:
            assert not deadline.passed(), "the client's connection stayed open after the backend died"
            sock.settimeout(max(deadline.left(), 0.01))
            try:
                chunk = sock.recv(1 << 20)
            except ConnectionResetError:
                break
            if not chunk:
                break
            received += len(chunk)
            tail = (tail + chunk)[-5:]
    assert received < BIG_SIZE, "the whole body arrived"
    assert tail != b"0\r\n\r\n", "a cut chunked body was ended as if it were whole"
    assert proxy.status()["state"] in ("idle", "building")


def test_the_out_dirs_es_modules_come_from_hmrd_with_versioned_imports_and_the_rest_from_the_backend(hmrd, backend):
    write(backend.root / "static/main.js", "import { n } from './dep.js';\nconsole.log(n);\n")
    write(backend.root / "static/dep.js", "export const n = 1;\n")
    daemon = hmrd("--proxy", backend.origin, "--watch", "app/templates", "--watch", "app/static",
                  "--out", "app/static", "--public-path", "/static/")
    poll(lambda: daemon.status()["hash"] or None, timeout=5, what="the first build")
    served = fetch(daemon.port, "/static/main.js")
    assert served.status == 200
    assert re.search(rb"from '\./dep\.js\?v=[0-9a-f]+'", served.body), served.body
    assert "proxy-backend" not in served.headers.get("Server", ""), "the backend answered an out dir module"
    css = fetch(daemon.port, "/static/site.css")
    assert css.status == 200 and "proxy-backend" in css.headers.get("Server", "")
    # A script hmrd does not have is the backend's to answer.
    assert fetch(daemon.port, "/static/missing.js").status == 404
    assert "proxy-backend" in fetch(daemon.port, "/static/missing.js").headers.get("Server", "")
