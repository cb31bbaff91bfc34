"""Hostile input against the real binary: tricky request targets, Host and Origin
games, oversized heads, slow-loris connections, symlinks and dot-files out of the
served folder, and pages the client tag has to be injected into.

Every request here goes to a daemon serving tmp_path/site, next to which lies
tmp_path/secret.txt (and tmp_path/private/secret.txt); no response may ever carry
their content. What test_http.py and test_serve.py already cover exactly is not
repeated here (plain ``..``, ``/.env``, absolute symlinks to a file and a folder,
duplicate and missing Host, ``evil.example``, a foreign Origin on the status route).
"""

from __future__ import annotations

import os
import resource
import select
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from conftest import Deadline, SSEClient, http_request, poll, write

SECRET = f"TOP-SECRET-{uuid.uuid4().hex}"


# --------------------------------------------------------------------------- setup


def secret_neighbours(tmp_path: Path) -> None:
    """Files outside the served folder that nothing may ever serve."""
    write(tmp_path / "secret.txt", SECRET)
    write(tmp_path / "private/secret.txt", SECRET)
    write(tmp_path / "private/index.html", f"<p>{SECRET}</p>")


@pytest.fixture
def site(hmrd, tmp_path):
    """A daemon serving tmp_path/site, with the secret next to it."""
    secret_neighbours(tmp_path)
    root = tmp_path / "site"
    write(root / "index.html", "<html><body><h1>home</h1></body></html>")
    write(root / "sub/page.txt", "in the sub folder")
    # A file literally named "%2e%2e": what `%252e%252e` decodes to, once.
    write(root / "sub/%2e%2e", "the literal name")
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    return daemon


def raw_exchange(port: int, raw: bytes, timeout: float = 5.0) -> tuple[bytes, bool]:
    """Sends raw bytes, reads until the server closes; -> (everything read, closed by the server)."""
    deadline = Deadline(timeout)
    data = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may refuse and close before taking every byte
        while True:
            left = deadline.left()
            if left <= 0:
                return data, False
            sock.settimeout(left)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return data, False
            except ConnectionResetError:
                return data, True
            if not chunk:
                return data, True
            data += chunk


def status_of(raw_response: bytes) -> int:
    assert raw_response.startswith(b"HTTP/1.1 "), raw_response[:200]
    return int(raw_response[9:12])


def request_line(target: bytes, method: bytes = b"GET", host: bytes = b"127.0.0.1") -> bytes:
    return method + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"


def assert_no_secret(data: bytes) -> None:
    assert SECRET.encode() not in data, f"a file outside the served folder leaked: {data[:400]!r}"


# --------------------------------------------------------------------------- request targets

#: (target as sent, the defined answer). 400: the policy refuses the target itself;
#: 404: a well-formed path that names nothing servable inside the root.
TARGETS = [
    (b"/..", 400),
    (b"/%2e%2e", 400),
    (b"/%2E%2e/", 400),
    (b"/%2E%2e/secret.txt", 400),
    (b"/.%2E/secret.txt", 400),
    (b"/%2e./secret.txt", 400),
    (b"/sub/%2e%2e/%2e%2e/secret.txt", 400),
    (b"/sub/..", 400),
    (b"/..%2fsecret.txt", 400),
    (b"/%2e%2e%2fsecret.txt", 400),
    (b"/sub%2f..%2f..%2fsecret.txt", 400),
    # Decoded exactly once: these are the literal name "%2e%2e", which is not "..".
    (b"/%252e%252e", 404),
    (b"/%252e%252e/secret.txt", 404),
    (b"/%252e%252e%252fsecret.txt", 404),
    (b"/%25%32%65%25%32%65/secret.txt", 404),
    (b"/sub/%252e%252e/%252e%252e/secret.txt", 404),
    # Backslashes, raw and encoded, in any case.
    (b"/..\\secret.txt", 400),
    (b"/\\..\\secret.txt", 400),
    (b"/%5c..%5csecret.txt", 400),
    (b"/..%5Csecret.txt", 400),
    (b"/%5C", 400),
    # NUL and other control bytes, encoded.
    (b"/%00", 400),
    (b"/secret.txt%00", 400),
    (b"/index.html%00.txt", 400),
    (b"/%0d%0aSet-Cookie:%20x=1", 400),
    # Not UTF-8: overlong encodings of "." and stray bytes.
    (b"/%c0%ae%c0%ae/secret.txt", 400),
    (b"/%ff", 400),
    # Broken escapes.
    (b"/%", 400),
    (b"/%2", 400),
    (b"/%zz", 400),
    # Fragments (a browser never sends one).
    (b"/index.html#x", 400),
    (b"/#/../secret.txt", 400),
    (b"/%23", 404),
    # Absolute-form, authority-form and asterisk-form: hmrd is not a proxy.
    (b"http://evil.example/", 400),
    (b"http://evil.example/../secret.txt", 400),
    (b"HTTP://127.0.0.1/index.html", 400),
    (b"evil.example:443", 400),
    (b"*", 400),
    (b"secret.txt", 400),
    # Well-formed paths that look like escapes but stay inside the root.
    (b"//secret.txt", 404),
    (b"///..//secret.txt", 400),
    (b"/./secret.txt", 404),
    (b"/..;/secret.txt", 404),
    (b"/.../secret.txt", 404),
    (b"/~/secret.txt", 404),
    (b"/site/secret.txt", 404),
    (b"/private/secret.txt", 404),
]


@pytest.mark.parametrize("target,answer", TARGETS, ids=[t.decode("latin-1") for t, _ in TARGETS])
def test_a_tricky_request_target_gets_its_defined_answer_and_never_a_file_outside_the_root(site, target, answer):
    data, closed = raw_exchange(site.port, request_line(target))
    assert status_of(data) == answer, (target, data[:300])
    assert closed
    assert_no_secret(data)


def test_a_target_naming_the_secret_by_its_absolute_path_stays_inside_the_root(site, tmp_path):
    target = ("/" + str(tmp_path / "secret.txt")).encode()
    data, _ = raw_exchange(site.port, request_line(target))
    assert status_of(data) == 404
    assert_no_secret(data)


def test_a_double_encoded_dot_dot_is_decoded_once_into_a_literal_file_name(site):
    response = http_request(site.port, path="/sub/%252e%252e")
    assert response.status == 200
    assert response.body == b"the literal name"


@pytest.mark.parametrize("target", [b"/secret.txt\x00", b"/\x00/../secret.txt", b"/\x00"],
                         ids=["trailing", "leading", "alone"])
def test_a_raw_nul_byte_in_the_target_gets_400(site, target):
    data, closed = raw_exchange(site.port, request_line(target))
    assert status_of(data) == 400
    assert closed
    assert_no_secret(data)


@pytest.mark.parametrize("raw", [
    b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Nul: a\x00b\r\n\r\n",
    b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-\x00: b\r\n\r\n",
    b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\x00.evil.example\r\n\r\n",
], ids=["in-a-header-value", "in-a-header-name", "in-the-host"])
def test_a_raw_nul_byte_in_a_header_gets_400(site, raw):
    data, closed = raw_exchange(site.port, raw)
    assert status_of(data) == 400
    assert closed


@pytest.mark.parametrize("target", [b"/a b", b"/\xff", b"/caf\xc3\xa9", b"/\t"], ids=["space", "high-byte", "raw-utf8", "tab"])
def test_a_target_with_bytes_outside_visible_ascii_gets_400(site, target):
    data, _ = raw_exchange(site.port, request_line(target))
    assert status_of(data) == 400


def test_an_overlong_target_gets_431_and_the_connection_is_closed(site):
    data, closed = raw_exchange(site.port, request_line(b"/" + b"a" * (20 * 1024)))
    assert status_of(data) == 431
    assert closed


@pytest.mark.parametrize("target", [
    b"/" + b"x" * 300,                      # a name longer than NAME_MAX
    b"/" + b"a/" * 5000 + b"index.html",   # a path longer than PATH_MAX
    b"/" + b"%41" * 4000,                   # long once decoded, too
    b"/" + b"../" * 4000 + b"secret.txt",
], ids=["long-name", "long-path", "long-encoded", "many-dot-dots"])
def test_a_long_target_within_the_head_limit_gets_a_clean_answer(site, target):
    data, closed = raw_exchange(site.port, request_line(target))
    assert status_of(data) == (400 if b".." in target else 404)
    assert closed
    assert_no_secret(data)
    # The daemon is still well.
    assert http_request(site.port, path="/index.html").status == 200


# --------------------------------------------------------------------------- Host

HOSTILE_HOSTS = [
    "localhost.evil.com",
    "127.0.0.1.evil.com",
    "[::1234]:80",
    "[::1]evil",
    "[::ffff:127.0.0.1]",
    "localhost:80@evil.example",
    "user@localhost",
    "localhost, evil.example",
    "localhost/evil",
    "localhost.",
    "localhost:",
    "localhost:8o",
    "evil.example:80",
    "0.0.0.0",
    "127.1",
    "",
]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize("path", ["/__hmr", "/__hmr/client.js", "/__hmr/status", "/index.html"])
def test_a_host_not_on_the_allow_list_gets_403_on_every_route(site, host, path):
    data, closed = raw_exchange(site.port, request_line(path.encode(), host=host.encode()))
    assert status_of(data) == 403, (host, data[:300])
    assert closed
    assert b"<h1>home</h1>" not in data and b"EventSource" not in data


def test_an_http_1_0_request_without_host_gets_403(site):
    data, closed = raw_exchange(site.port, b"GET /index.html HTTP/1.0\r\n\r\n")
    assert status_of(data) == 403
    assert b"missing host" in data
    assert closed


def test_a_host_header_that_is_only_whitespace_gets_403(site):
    data, _ = raw_exchange(site.port, b"GET /index.html HTTP/1.1\r\nHost:   \r\nConnection: close\r\n\r\n")
    assert status_of(data) == 403


def test_a_host_on_a_second_header_line_after_an_allowed_one_is_still_a_duplicate(site):
    raw = b"GET /index.html HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\nhOsT: evil.example\r\n\r\n"
    data, _ = raw_exchange(site.port, raw)
    assert status_of(data) == 400


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:5757", "app.localhost", "127.0.0.1", "[::1]", "[::1]:5757"])
def test_allowed_hosts_still_get_files_the_stream_and_the_client(site, host):
    page = http_request(site.port, path="/index.html", host=host)
    assert page.status == 200 and b"<h1>home</h1>" in page.body
    assert http_request(site.port, path="/__hmr/client.js", host=host).status == 200
    with SSEClient(site.port, host=host) as stream:
        stream.read_head()
        assert stream.status == 200
        assert stream.wait_for("sync")


# --------------------------------------------------------------------------- Origin

FOREIGN_ORIGINS = [
    "null",
    "https://evil.example",
    "http://localhost.evil.com",
    "http://127.0.0.1.evil.com",
    "http://localhost:80@evil.example",
    "http://localhost/path",
    "http://[::1234]",
    "file://",
    "*",
    "localhost",
    "",
]


def cors_headers(head: bytes) -> list[str]:
    return [line for line in head.decode("latin-1").split("\r\n") if line.lower().startswith("access-control-")]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS, ids=[o or "empty" for o in FOREIGN_ORIGINS])
def test_a_null_or_foreign_origin_gets_no_cors_header_on_any_route(site, origin):
    headers = {"Origin": origin}
    for path in ["/__hmr/status", "/__hmr/client.js", "/index.html", "/missing", "/%2e%2e"]:
        response = http_request(site.port, path=path, headers=headers)
        assert cors_headers(response.raw_head) == [], (path, response.raw_head)
    refused = http_request(site.port, path="/index.html", headers=headers, host="evil.example")
    assert refused.status == 403 and cors_headers(refused.raw_head) == []
    with SSEClient(site.port, headers=headers) as stream:
        stream.read_head()
        assert stream.status == 200
        assert cors_headers(stream.raw_head) == []


def test_two_origin_headers_get_no_cors_header_even_if_one_is_loopback(site):
    raw = (b"GET /__hmr/client.js HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost:3000\r\n"
           b"Origin: https://evil.example\r\nConnection: close\r\n\r\n")
    data, _ = raw_exchange(site.port, raw)
    assert status_of(data) == 200
    assert cors_headers(data.partition(b"\r\n\r\n")[0]) == []


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://127.0.0.1:8080", "https://[::1]", "http://app.localhost"])
def test_a_loopback_origin_is_echoed_never_as_a_wildcard_on_the_client_stream_and_files(site, origin):
    for path in ["/__hmr/client.js", "/index.html", "/missing"]:
        response = http_request(site.port, path=path, headers={"Origin": origin})
        assert response.headers.get("access-control-allow-origin") == origin, path
        assert response.headers.get("vary") == "Origin"
    with SSEClient(site.port, headers={"Origin": origin}) as stream:
        stream.read_head()
        assert stream.headers.get("access-control-allow-origin") == origin
        assert b"*" not in b"".join(line.encode() for line in cors_headers(stream.raw_head))


# --------------------------------------------------------------------------- oversized heads


def test_a_64_kib_head_gets_431_and_the_connection_is_closed(site):
    raw = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + b"a" * (64 * 1024) + b"\r\n\r\n"
    data, closed = raw_exchange(site.port, raw)
    assert status_of(data) == 431
    assert closed, "the connection stayed open after the 431"
    assert b"<h1>home</h1>" not in data


def test_a_head_trickled_in_pieces_gets_431_once_it_crosses_the_limit_without_waiting_for_its_end(site):
    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as sock:
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        # 1 KB header lines, and never the blank line that would end the head; the
        # daemon answers and closes after ~16 KiB, so later pieces may meet a closed socket.
        try:
            for n in range(64):
                sock.sendall(b"X-Filler-%03d: %s\r\n" % (n, b"b" * 1000))
                time.sleep(0.002)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        closed = False
        deadline = Deadline(5)
        while not deadline.passed():
            sock.settimeout(max(deadline.left(), 0.01))
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            data += chunk
        assert status_of(data) == 431
        assert closed, "the connection stayed open after the 431"


def test_101_header_fields_get_431_and_100_are_accepted(site):
    def head(fields: int) -> bytes:
        lines = [b"GET /index.html HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close"]
        lines += [b"X-F%d: v" % n for n in range(fields - 2)]
        return b"\r\n".join(lines) + b"\r\n\r\n"

    data, closed = raw_exchange(site.port, head(101))
    assert status_of(data) == 431 and closed
    data, _ = raw_exchange(site.port, head(100))
    assert status_of(data) == 200


# --------------------------------------------------------------------------- slow loris

LORIS = 200


def raise_fd_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def test_200_slow_loris_connections_are_closed_at_the_head_deadline_while_streams_and_requests_carry_on(
        hmrd, tmp_path):
    raise_fd_limit(4 * LORIS + 256)
    secret_neighbours(tmp_path)
    write(tmp_path / "site/index.html", "<p>hi</p>")
    write(tmp_path / "site/app.css", "body { color: red }")
    daemon = hmrd("--watch", "site", "--serve", "site", "--heartbeat", "1s", "--debounce", "10ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")

    stream = daemon.stream()
    stream.wait_for("sync")
    frames: list[tuple[float, object]] = []
    stream_error: list[BaseException] = []
    stop = threading.Event()

    def read_stream():
        try:
            while not stop.is_set():
                try:
                    frames.append((time.monotonic(), stream.next_frame(timeout=0.5)))
                except TimeoutError:
                    continue
        except BaseException as error:  # noqa: BLE001 - reported by the test body
            stream_error.append(error)

    latencies: list[float] = []
    request_errors: list[str] = []

    def keep_asking():
        while not stop.is_set():
            started = time.monotonic()
            try:
                for path in ("/__hmr/status", "/index.html"):
                    response = http_request(daemon.port, path=path, timeout=5)
                    if response.status != 200:
                        request_errors.append(f"{path}: {response.status}")
            except Exception as error:  # noqa: BLE001 - reported by the test body
                request_errors.append(repr(error))
            latencies.append(time.monotonic() - started)
            stop.wait(0.2)

    # Each sends part of a head and stalls; every fourth keeps trickling a byte a
    # second, which must not buy it more time.
    partial = b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    loris: list[socket.socket] = []
    opened: dict[int, float] = {}
    for n in range(LORIS):
        sock = socket.create_connection(("127.0.0.1", daemon.port), timeout=5)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(partial[: 10 + n % (len(partial) - 10)])
        sock.setblocking(False)
        opened[sock.fileno()] = time.monotonic()
        loris.append(sock)
    attack_started = min(opened.values())

    readers = [threading.Thread(target=read_stream, daemon=True), threading.Thread(target=keep_asking, daemon=True)]
    for thread in readers:
        thread.start()

    closed_after: dict[int, float] = {}
    open_socks = {sock.fileno(): sock for sock in loris}
    next_drip = time.monotonic() + 1
    edits = {3.0: "body { color: green }", 6.0: "body { color: blue }"}
    try:
        deadline = Deadline(14)
        while open_socks and not deadline.passed():
            now = time.monotonic()
            for at in [at for at in edits if now - attack_started >= at]:
                write(tmp_path / "site/app.css", edits.pop(at))
            if now >= next_drip:
                next_drip += 1
                for fd, sock in list(open_socks.items()):
                    if fd % 4 == 0:
                        try:
                            sock.send(b"x")
                        except OSError:
                            pass  # closed meanwhile: select reports it
            ready, _, _ = select.select(list(open_socks.values()), [], [], 0.05)
            for sock in ready:
                try:
                    chunk = sock.recv(4096)
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    chunk = b""
                assert not chunk, f"a slow-loris connection got an answer: {chunk[:200]!r}"
                fd = sock.fileno()
                closed_after[fd] = time.monotonic() - opened[fd]
                del open_socks[fd]
                sock.close()
        # Let the stream and the prober run a moment past the last close.
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=5)
        for sock in open_socks.values():
            sock.close()
        stream.close()

    print(f"closed {min(closed_after.values()):.2f}..{max(closed_after.values()):.2f} s after opening; "
          f"{len(latencies)} request rounds, slowest {max(latencies) * 1000:.0f} ms; {len(frames)} frames")
    assert not open_socks, f"{len(open_socks)} of {LORIS} slow connections still open 14 s in"
    assert min(closed_after.values()) >= 9.5, f"closed early: {sorted(closed_after.values())[:5]}"
    assert max(closed_after.values()) <= 12.0, f"closed late: {sorted(closed_after.values())[-5:]}"

    assert not stream_error, f"the stream broke during the attack: {stream_error[0]!r}"
    heartbeats = [at for at, data in frames if data == "💓"]
    assert len(heartbeats) >= 9, f"only {len(heartbeats)} heartbeats in ~12 s"
    gaps = [b - a for a, b in zip(heartbeats, heartbeats[1:])]
    assert max(gaps) < 2.0, f"heartbeats stalled: {max(gaps):.2f} s apart"
    built = [data for _, data in frames if isinstance(data, dict) and data.get("action") == "built"]
    assert len(built) >= 2, f"builds during the attack did not reach the stream: {frames}"

    assert not request_errors, request_errors[:5]
    assert len(latencies) >= 20, f"only {len(latencies)} rounds of requests answered"
    assert max(latencies) < 1.0, f"a normal request waited {max(latencies):.2f} s during the attack"


# --------------------------------------------------------------------------- symlinks and dot-files


@pytest.fixture
def linked_site(hmrd, tmp_path):
    secret_neighbours(tmp_path)
    root = tmp_path / "site"
    write(root / "index.html", "<p>home</p>")
    write(root / "real/page.txt", "a real page")
    write(root / ".env", f"ENV={SECRET}")
    write(root / ".git/config", f"[core] {SECRET}")
    write(root / "a/.git/config", f"[core] {SECRET}")
    write(root / "a/b/.env", f"ENV={SECRET}")
    write(root / ".hidden/index.html", f"<p>{SECRET}</p>")
    write(root / ".well-known/x", f"well-known {SECRET}")
    write(root / "a/.htpasswd", f"admin:{SECRET}")
    # Out of the root: relative and absolute, file and folder, direct and chained.
    os.symlink("../secret.txt", root / "rel-file.txt")
    os.symlink("../private", root / "rel-dir")
    os.symlink("..", root / "parent")
    os.symlink("../../private", root / "real/deeper")
    os.symlink("chain-2", root / "chain-1")
    os.symlink("real/chain-3", root / "chain-2")
    os.symlink("../../secret.txt", root / "real/chain-3")
    os.symlink("real/dir-chain", root / "dir-chain")
    os.symlink(tmp_path / "private", root / "real/dir-chain")
    (root / "linked-index").mkdir()
    os.symlink("../../private/index.html", root / "linked-index/index.html")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    os.symlink("nowhere", root / "dangling")
    # Inside the root under a plain name, but naming a dot-file or dot-folder.
    os.symlink(".env", root / "env.txt")
    os.symlink(".git", root / "gitdir")
    os.symlink("../.hidden", root / "real/shown")
    # Inside the root: served.
    os.symlink("real/page.txt", root / "inside.txt")
    os.symlink("inside.txt", root / "inside-chain.txt")
    os.symlink("real", root / "inside-dir")
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    return daemon


@pytest.mark.parametrize("target", [
    "/rel-file.txt", "/rel-dir/secret.txt", "/rel-dir/", "/rel-dir", "/parent/secret.txt", "/parent/private/secret.txt",
    "/real/deeper/secret.txt", "/chain-1", "/chain-2", "/real/chain-3", "/dir-chain/secret.txt", "/dir-chain/",
    "/linked-index/", "/loop-a", "/dangling",
])
def test_a_symlink_out_of_the_root_gets_404(linked_site, target):
    response = http_request(linked_site.port, path=target)
    assert response.status == 404, (target, response)
    assert_no_secret(response.raw_head + response.body)


@pytest.mark.parametrize("target", ["/env.txt", "/gitdir/config", "/real/shown/", "/real/shown/index.html"])
def test_a_symlink_to_a_dot_file_inside_the_root_gets_404(linked_site, target):
    response = http_request(linked_site.port, path=target)
    assert response.status == 404, (target, response)
    assert_no_secret(response.body)


@pytest.mark.parametrize("target,body", [
    ("/inside.txt", b"a real page"), ("/inside-chain.txt", b"a real page"), ("/inside-dir/page.txt", b"a real page"),
    ("/parent/site/real/page.txt", b"a real page"),
])
def test_a_symlink_that_stays_inside_the_root_is_served(linked_site, target, body):
    response = http_request(linked_site.port, path=target)
    assert response.status == 200, (target, response)
    assert response.body == body


@pytest.mark.parametrize("target", [
    "/a/.git/config", "/a/b/.env", "/.hidden/", "/.hidden", "/.hidden/index.html", "/a/.htpasswd",
    "/%2egit/config", "/%2Egit/config", "/a/%2e%65nv", "/a/b/%2Eenv", "/.git/", "/.git",
    # .well-known is not special: hmrd is a development server, nothing there needs it
    # (no ACME), and the dot rule stays simple and absolute.
    "/.well-known/x",
])
def test_dot_files_and_dot_folders_at_any_depth_get_404(linked_site, target):
    response = http_request(linked_site.port, path=target)
    assert response.status == 404, (target, response)
    assert "location" not in response.headers
    assert_no_secret(response.body)


def test_a_served_folder_that_is_itself_a_symlink_works(hmrd, tmp_path):
    write(tmp_path / "real-site/index.html", "<p>through a link</p>")
    os.symlink("real-site", tmp_path / "site")
    daemon = hmrd("--watch", "real-site", "--serve", "site")
    response = poll(lambda: (r := http_request(daemon.port, path="/")).status == 200 and r, what="the index")
    assert response.body.startswith(b"<p>through a link</p>")


@pytest.mark.parametrize("target,location", [
    ("//sub", "/sub/"), ("///sub?x=1", "/sub/?x=1"), ("//sub//", None),
])
def test_a_folder_redirect_never_points_to_another_host(site, target, location):
    response = http_request(site.port, path=target)
    if location is None:
        assert response.status != 301
        return
    assert response.status == 301
    assert response.headers["location"] == location


# --------------------------------------------------------------------------- HTML injection

PAGES = {
    "no-closing-body": b"<html><head><title>t</title></head><p>no closing body</p></html>\n",
    "no-html-no-body": b"<p>just a fragment</p>\n",
    "uppercase-body": b"<HTML><BODY><p>shouting</p></BODY></HTML>\n",
    "mixed-case": b"<html><Body><p>mixed</p></bODy></HtMl>\n",
    "body-in-a-comment-first": b"<html><body><!-- ends at </body> --><p>x</p></body></html>\n",
    "body-in-a-script-string-first": (b'<html><body><script>var end = "</body>"; document.title = end;</script>'
                                      b"<p>y</p></body></html>\n"),
    "body-in-both": (b"<html><body><!-- </BODY> --><script>'</body>'</script><p>z</p>\n</body>\n</html>\n"),
    "empty": b"",
    "not-utf8": b"<html><body>\xff\xfe caf\xe9</body></html>",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_gets_exactly_one_client_tag_and_its_content_intact(hmrd, tmp_path, name):
    page = PAGES[name]
    (tmp_path / "site").mkdir()
    (tmp_path / "site/page.html").write_bytes(page)
    daemon = hmrd("--watch", "site", "--serve", "site")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    response = http_request(daemon.port, path="/page.html")
    assert response.status == 200
    assert int(response.headers["content-length"]) == len(response.body)
    tag = daemon.client_tag()
    assert response.body.count(tag) == 1, response.body
    at = response.body.index(tag)
    assert response.body[:at] + response.body[at + len(tag):] == page
    # The tag goes before the last </body>, else the last </html>, else at the end.
    lower = page.lower()
    expected = lower.rfind(b"</body>")
    if expected < 0:
        expected = lower.rfind(b"</html>")
    if expected < 0:
        expected = len(page)
    assert at == expected
