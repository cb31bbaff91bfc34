"""Pages report back (POST P/report) over raw sockets: the body reader (Content-Length,
chunked, 413, the body's deadline, 100-continue), Host and Origin rules, 405s, 400 for
what is not a report, the per-page rate limit, what the terminal says, `/status`
`pages`, `hmrd status`, and `hmrd wait --applied` with pages played by this test.
The same in a real browser is browser/test_chromium_reports.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time

import pytest

from conftest import HMRD_BIN as HMRD, Deadline, http_request, is_closed_by_peer, read_response, write

REPORT = "/__hmr/report"


@pytest.fixture
def daemon(hmrd, tmp_path):
    write(tmp_path / "src/app.css", "body { color: red }\n")
    d = hmrd("--watch", "src", "--out", "dist", "--build", "mkdir -p dist && cp src/app.css dist/app.css",
             "--debounce", "20ms")
    d.stdout.wait_for(r"\[hmrd\] built [0-9a-f]{16}")
    return d


def post(port: int, body: bytes | str | dict, headers: dict | None = None, path: str = REPORT, chunked: bool = False):
    data = json.dumps(body).encode() if isinstance(body, dict) else body.encode() if isinstance(body, str) else body
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Content-Type: text/plain;charset=UTF-8"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if chunked:
        head.append("Transfer-Encoding: chunked")
        payload = b"".join(b"%x\r\n%s\r\n" % (len(data[i:i + 7]), data[i:i + 7]) for i in range(0, len(data), 7))
        payload += b"0\r\n\r\n"
    else:
        head.append(f"Content-Length: {len(data)}")
        payload = data
    return http_request(port, raw=("\r\n".join(head + ["Connection: close"]) + "\r\n\r\n").encode() + payload)


def hello(page: str, hash_: str, url: str | None = None) -> dict:
    return {"type": "hello", "page": page, "url": url or f"http://localhost:3000/{page}", "hash": hash_}


def outcome(page: str, hash_: str, what: str = "applied", ms: float | None = 5, error: str | None = None) -> dict:
    report = {"type": "outcome", "page": page, "url": f"http://localhost:3000/{page}", "hash": hash_, "outcome": what}
    if ms is not None:
        report["ms"] = ms
    if error is not None:
        report["error"] = error
    return report


def save(daemon, tmp_path, colour: str) -> str:
    """A stylesheet save; returns the hash of the build it made."""
    mark = daemon.stdout.mark()
    write(tmp_path / "src/app.css", f"body {{ color: {colour} }}\n")
    return daemon.stdout.wait_for(r"\[hmrd\] built ([0-9a-f]{16})", since=mark).group(1)


# --------------------------------------------------------------------------- the door


def test_a_report_by_content_length_or_chunked_is_204_and_the_page_is_listed(daemon):
    h = daemon.status()["hash"]
    assert post(daemon.port, hello("p1", h)).status == 204
    response = post(daemon.port, hello("p2", h), chunked=True)
    assert response.status == 204
    assert response.body == b"" and "content-length" not in response.headers
    pages = daemon.status()["pages"]
    assert [(p["id"], p["url"], p["hash"], p["last"]) for p in pages] == [
        ("p1", "http://localhost:3000/p1", h, None), ("p2", "http://localhost:3000/p2", h, None)]


def test_a_kept_alive_connection_reads_the_body_then_the_next_request(daemon):
    body = json.dumps(hello("p1", daemon.status()["hash"])).encode()
    raw = (b"POST /__hmr/report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n%s"
           b"GET /__hmr/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") % (len(body), body)
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.sendall(raw[:40])
        time.sleep(0.05)
        sock.sendall(raw[40:])  # the head in two pieces, the body with the next request behind it
        first, rest = read_response(sock, Deadline(5))
        assert first.status == 204 and first.headers["connection"] == "keep-alive"
        second, _ = read_response_with(sock, rest)
        assert second.status == 200 and json.loads(second.body)["pages"][0]["id"] == "p1"


def read_response_with(sock, already: bytes):
    """read_response for a socket some of whose bytes were read already."""
    class Prefixed:
        def __init__(self):
            self.buffer = already

        def recv(self, n):
            if self.buffer:
                chunk, self.buffer = self.buffer[:n], self.buffer[n:]
                return chunk
            return sock.recv(n)

        def settimeout(self, t):
            sock.settimeout(t)
    return read_response(Prefixed(), Deadline(5))


def test_a_body_over_64_kib_is_413_before_it_is_sent_or_as_it_grows(daemon):
    declared = http_request(daemon.port, raw=b"POST /__hmr/report HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              b"Content-Length: 65537\r\n\r\n")
    assert declared.status == 413
    big = json.dumps({**hello("p1", "ab"), "url": "x" * 70_000})
    grown = post(daemon.port, big, chunked=True)
    assert grown.status == 413
    assert daemon.status()["pages"] == []


def test_expect_100_continue_is_answered_before_the_body(daemon):
    body = json.dumps(hello("p1", "ab")).encode()
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.sendall(b"POST /__hmr/report HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
        interim = b""
        while not interim.endswith(b"\r\n\r\n"):
            interim += sock.recv(1)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        response, _ = read_response(sock, Deadline(5))
        assert response.status == 204


def test_a_body_that_stops_coming_is_closed_at_its_deadline_and_others_are_served(daemon):
    with socket.create_connection(("127.0.0.1", daemon.port), timeout=5) as sock:
        sock.sendall(b"POST /__hmr/report HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"type\"")
        started = time.monotonic()
        assert http_request(daemon.port, path="/__hmr/status").status == 200, "the others are served meanwhile"
        assert not is_closed_by_peer(sock, timeout=8.5), "closed too early"
        assert is_closed_by_peer(sock, timeout=4.0), "a body that stops coming holds the connection for ever"
        assert 9.5 < time.monotonic() - started < 12.5


@pytest.mark.parametrize("body,reason", [
    ("{not json", "the body is not JSON"),
    ("[1,2]", "the body is not a JSON object"),
    ('{"type":"hello","url":"u"}', "`page` must be"),
    ('{"type":"shout","page":"p","url":"u"}', "`type` must be"),
    (b"\xff\xfe", "the body is not UTF-8"),
])
def test_what_is_not_a_report_is_400_saying_why(daemon, body, reason):
    response = post(daemon.port, body)
    assert response.status == 400
    assert response.text.startswith("400 Bad Request: not a page report: " + reason), response.text


def test_a_foreign_origin_may_not_post_and_allowed_ones_and_tools_may(daemon):
    h = daemon.status()["hash"]
    refused = post(daemon.port, hello("evil", h), {"Origin": "https://evil.example"})
    assert refused.status == 403
    assert "--allow-origin https://evil.example" in refused.text
    assert "access-control-allow-origin" not in refused.headers
    allowed = post(daemon.port, hello("p1", h), {"Origin": "http://localhost:3000"})
    assert allowed.status == 204 and allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert post(daemon.port, hello("tool", h)).status == 204, "no Origin: a local tool"
    assert post(daemon.port, hello("p9", h), {"Origin": "null"}).status == 403
    assert [p["id"] for p in daemon.status()["pages"]] == ["p1", "tool"]


def test_a_hostile_host_is_403_for_a_post_too(daemon):
    raw = b"POST /__hmr/report HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\n{}"
    response = http_request(daemon.port, raw=raw)
    assert response.status == 403 and "--allow-host" in response.text


def test_post_elsewhere_and_get_of_the_report_path_are_405_with_their_allow(daemon):
    elsewhere = post(daemon.port, hello("p1", "ab"), path="/__hmr/status")
    assert elsewhere.status == 405 and elsewhere.headers["allow"] == "GET, HEAD"
    get = http_request(daemon.port, path=REPORT)
    assert get.status == 405 and get.headers["allow"] == "POST"


# --------------------------------------------------------------------------- limits and the terminal


def test_a_page_over_its_rate_is_429_and_the_terminal_counts_the_drops_once(daemon):
    h = daemon.status()["hash"]
    statuses = [post(daemon.port, hello("chatty", h, url="http://localhost:3000/chatty")).status for _ in range(26)]
    assert statuses.count(204) >= 20 and 429 in statuses, statuses
    dropped = statuses.count(429)
    line = daemon.stderr.wait_for(r"\[hmrd\] warning: dropped (\d+) reports? of http://localhost:3000/chatty: "
                                  r"more than 10 a second \(answered 429\)", timeout=5)
    assert int(line.group(1)) == dropped
    time.sleep(1.2)
    assert daemon.stderr.count(r"dropped \d+ reports? of") == 1
    assert post(daemon.port, hello("quiet", h)).status == 204, "another page is not limited"


def test_a_build_gets_one_line_with_what_every_page_did(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    for page in ("a", "b", "c", "d"):
        assert post(daemon.port, hello(page, h0)).status == 204
    h1 = save(daemon, tmp_path, "blue")
    for page, what, ms in (("a", "applied", 8.2), ("b", "applied", 12.4), ("c", "unchanged", 1)):
        assert post(daemon.port, outcome(page, h1, what, ms)).status == 204
    assert post(daemon.port, outcome("d", h1, "failed", None, "TypeError: x is undefined\n    at f (app.js:3:7)")).status == 204
    daemon.stderr.wait_for(r"\[hmrd\] error: a page could not apply " + h1 + r": TypeError: x is undefined "
                           r"\(http://localhost:3000/d\)\n    at f \(app\.js:3:7\)\n")
    daemon.stdout.wait_for(r"\[hmrd\] pages " + h1 + r": applied on 2 pages in 8–12 ms; 1 failed; 1 unchanged\n")
    pages = {p["id"]: p for p in daemon.status()["pages"]}
    assert pages["a"]["last"] == {"outcome": "applied", "hash": h1, "ms": 8.2, "error": None}
    assert pages["a"]["hash"] == h1 and pages["d"]["hash"] == h0


def test_pages_that_do_not_answer_are_counted_when_the_window_closes(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    for page in ("a", "b"):
        post(daemon.port, hello(page, h0))
    h1 = save(daemon, tmp_path, "blue")
    post(daemon.port, outcome("a", h1, ms=3))
    started = time.monotonic()
    daemon.stdout.wait_for(r"\[hmrd\] pages " + h1 + r": applied on 1 page in 3 ms; 1 did not answer\n", timeout=6)
    assert time.monotonic() - started > 2


def test_a_page_error_is_shown_with_its_page_and_stack_and_nothing_of_it_drives_the_terminal(daemon):
    report = {"type": "error", "page": "p1", "url": "http://localhost:3000/\x1b[2J\x1b]0;owned\x07",
              "kind": "rejection", "message": "nope \x1b[31mred", "stack": "Error: nope\n    at g (x.js:1:1)\x1b[0m"}
    assert post(daemon.port, report).status == 204
    line = daemon.stderr.wait_for(r"\[hmrd\] error: unhandled rejection in a page: [^\n]*\n    Error: nope\n    at g [^\n]*\n")
    text = line.group(0)
    assert "\x1b" not in text and "\x07" not in text, repr(text)
    assert "nope \\x1B[31mred" in text and "(http://localhost:3000/\\x1B[2J\\x1B]0;owned\\x07)" in text


def test_log_format_json_has_the_pages_events(hmrd, tmp_path):
    write(tmp_path / "src/app.css", "body { color: red }\n")
    d = hmrd("--watch", "src", "--out", "dist", "--build", "mkdir -p dist && cp src/app.css dist/app.css",
             "--debounce", "20ms", "--log-format", "json")
    d.stdout.wait_for(r'"event":"built"')
    h0 = d.status()["hash"]
    post(d.port, hello("a", h0))
    h1 = save_json(d, tmp_path)
    post(d.port, outcome("a", h1, ms=4.25))
    post(d.port, {"type": "error", "page": "a", "url": "http://localhost:3000/a", "message": "boom", "stack": "at f"})
    pages = json.loads(d.stdout.wait_for(r'(\{[^\n]*"event":"pages"[^\n]*\})').group(1))
    assert {k: pages[k] for k in ("hash", "applied", "fastestMs", "slowestMs", "failed", "silent")} == {
        "hash": h1, "applied": 1, "fastestMs": 4.3, "slowestMs": 4.3, "failed": 0, "silent": 0}
    error = json.loads(d.stdout.wait_for(r'(\{[^\n]*"event":"page-error"[^\n]*\})').group(1))
    assert (error["url"], error["kind"], error["errorMessage"], error["stack"]) == ("http://localhost:3000/a", "error", "boom", "at f")


def save_json(d, tmp_path) -> str:
    mark = d.stdout.mark()
    write(tmp_path / "src/app.css", "body { color: blue }\n")
    return json.loads(d.stdout.wait_for(r'(\{[^\n]*"event":"built"[^\n]*\})', since=mark).group(1))["hash"]


def test_two_hundred_pages_reporting_at_once_are_all_counted(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    pages = [f"p{n}" for n in range(200)]

    def all_at_once(reports):
        statuses = []
        threads = [threading.Thread(target=lambda r=r: statuses.append(post(daemon.port, r).status)) for r in reports]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return statuses

    assert all_at_once([hello(p, h0) for p in pages]) == [204] * 200
    assert len(daemon.status()["pages"]) == 200
    h1 = save(daemon, tmp_path, "blue")
    assert all_at_once([outcome(p, h1, ms=n % 20 + 1) for n, p in enumerate(pages)]) == [204] * 200
    daemon.stdout.wait_for(r"\[hmrd\] pages " + h1 + r": applied on 200 pages in 1–20 ms\n")


# --------------------------------------------------------------------------- hmrd status and hmrd wait --applied


def run_wait(daemon, *args) -> subprocess.Popen:
    """`hmrd wait`, once its stream is open: a save before that would be a build it never sees."""
    before = daemon.status()["clients"]
    waiter = subprocess.Popen([str(HMRD), "wait", "--port", str(daemon.port), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = Deadline(10)
    while daemon.status()["clients"] <= before:
        assert waiter.poll() is None and not deadline.passed(), "hmrd wait did not connect"
        time.sleep(0.02)
    return waiter


def test_hmrd_status_lists_the_open_pages_with_their_last_outcome(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    post(daemon.port, hello("a", h0))
    post(daemon.port, hello("b", h0))
    h1 = save(daemon, tmp_path, "blue")
    post(daemon.port, outcome("a", h1, ms=7.6))
    post(daemon.port, {"type": "bye", "page": "b", "url": "http://localhost:3000/b"})
    out = subprocess.run([str(HMRD), "status", "--port", str(daemon.port)], capture_output=True, text=True, timeout=10)
    assert out.returncode == 0, out.stderr
    assert out.stdout.endswith(f"pages:      1\n  http://localhost:3000/a: applied {h1} in 8 ms\n"), out.stdout


def test_wait_applied_returns_0_once_every_page_shows_the_build(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    for page in ("a", "b"):
        post(daemon.port, hello(page, h0))
    waiter = run_wait(daemon, "--applied", "--timeout", "20s")
    time.sleep(0.3)
    h1 = save(daemon, tmp_path, "blue")
    post(daemon.port, outcome("a", h1))
    time.sleep(0.3)
    assert waiter.poll() is None, "it returned with a page still behind"
    # b reloads into the build: it leaves, and its next load takes its place.
    post(daemon.port, {"type": "bye", "page": "b", "url": "http://localhost:3000/b", "reloading": True})
    post(daemon.port, {**hello("b2", h1), "previous": "b"})
    out, err = waiter.communicate(timeout=10)
    assert waiter.returncode == 0, err
    assert out.splitlines()[-1] == "applied on 2 pages"


def test_wait_applied_exits_1_naming_the_page_that_failed(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    post(daemon.port, hello("a", h0))
    post(daemon.port, hello("b", h0))
    waiter = run_wait(daemon, "--applied", "--timeout", "20s")
    time.sleep(0.3)
    h1 = save(daemon, tmp_path, "blue")
    post(daemon.port, outcome("b", h1, "failed", None, "an import.meta.hot.accept callback of app.js threw: boom"))
    out, err = waiter.communicate(timeout=10)
    assert waiter.returncode == 1
    assert err == ("hmrd: not applied on 1 page:\n  http://localhost:3000/b: failed " + h1
                   + ": an import.meta.hot.accept callback of app.js threw: boom\n"), err


def test_wait_applied_times_out_with_124_naming_the_pages_behind(daemon, tmp_path):
    h0 = daemon.status()["hash"]
    post(daemon.port, hello("slow", h0))
    waiter = run_wait(daemon, "--applied", "--timeout", "3s")
    save(daemon, tmp_path, "blue")
    out, err = waiter.communicate(timeout=10)
    assert waiter.returncode == 124
    assert "not every page applied the build within 3s (--timeout); waiting for:\n" in err
    assert "  http://localhost:3000/slow: no outcome reported yet\n" in err


def test_wait_applied_with_no_pages_returns_when_the_build_is_done(daemon, tmp_path):
    waiter = run_wait(daemon, "--applied", "--timeout", "10s")
    time.sleep(0.3)
    save(daemon, tmp_path, "blue")
    out, err = waiter.communicate(timeout=10)
    assert waiter.returncode == 0, err
    assert out.splitlines()[-1] == "no open pages reported in"
