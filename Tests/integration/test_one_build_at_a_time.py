"""One build at a time: requests for the out dir's files wait while a build rewrites
it, and a file the module map lists is only ever sent with the map's bytes."""

import resource
import socket
import threading
import time

from conftest import Deadline, http_request, poll, read_response, write

#: Rewrites out/app.css in two steps with a pause between: first a partial file, then the whole.
TWO_STEP_BUILD = "printf 'partial' > out/app.css; sleep {pause}; cat src/app.css > out/app.css"


def two_step_project(tmp_path, pause=1.0, css="body { color: red }\n"):
    write(tmp_path / "src/app.css", css)
    write(tmp_path / "out/index.html", '<link rel="stylesheet" href="app.css"><p>page</p>')
    return TWO_STEP_BUILD.format(pause=pause)


def start(hmrd, tmp_path, *extra, pause=1.0):
    build = two_step_project(tmp_path, pause)
    daemon = hmrd("--watch", "src", "--serve", "out", "--build", build, "--debounce", "0", *extra)
    poll(lambda: daemon.built_count() >= 1, what="the first build", timeout=10)
    return daemon


def in_the_pause(daemon, client, tmp_path, css):
    """Saves css and returns once the build is running, between its two steps."""
    write(tmp_path / "src/app.css", css)
    client.wait_for("building")
    poll(lambda: (tmp_path / "out/app.css").read_bytes() == b"partial", what="the build's first step")


def test_a_request_between_a_builds_two_steps_gets_the_whole_new_file(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    with daemon.stream() as client:
        client.wait_for("sync")
        in_the_pause(daemon, client, tmp_path, "body { color: blue }\n")
        response = http_request(daemon.port, "/app.css", timeout=10)
        assert response.status == 200
        assert response.body == b"body { color: blue }\n"
        built = client.wait_for("built")
        assert response.headers["server-timing"] == f'hmr;desc="{built["modules"]["app.css"]}"'


def test_head_and_byte_ranges_wait_for_the_build_too(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    new = b"body { color: green }\n"
    with daemon.stream() as client:
        client.wait_for("sync")
        in_the_pause(daemon, client, tmp_path, new.decode())
        results = {}
        threads = [
            threading.Thread(target=lambda: results.setdefault("head", http_request(
                daemon.port, "/app.css", method="HEAD", timeout=10))),
            threading.Thread(target=lambda: results.setdefault("range", http_request(
                daemon.port, "/app.css", headers={"Range": "bytes=7-11"}, timeout=10))),
            threading.Thread(target=lambda: results.setdefault("page", http_request(daemon.port, "/", timeout=10))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results["head"].status == 200 and results["head"].headers["content-length"] == str(len(new))
    assert results["range"].status == 206 and results["range"].body == new[7:12]
    assert results["range"].headers["content-range"] == f"bytes 7-11/{len(new)}"
    assert b"<p>page</p>" in results["page"].body


def test_streams_the_client_and_status_never_wait(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, pause=4.0)
    with daemon.stream() as client:
        client.wait_for("sync")
        in_the_pause(daemon, client, tmp_path, "body { color: blue }\n")
        assert daemon.status()["state"] == "building"
        assert http_request(daemon.port, "/__hmr/client.js").status == 200
        with daemon.stream() as late:
            assert late.wait_for("sync", timeout=1)["action"] == "sync"
            late.wait_for("building", timeout=1)
        assert (tmp_path / "out/app.css").read_bytes() == b"partial", "all of that came during the build"


def test_a_request_while_no_build_runs_is_answered_at_once(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, pause=3.0)
    with daemon.stream() as client:
        client.wait_for("sync")
        response = http_request(daemon.port, "/app.css")
        assert response.body == b"body { color: red }\n"
        assert client.events_within(0.3) == [], "no build ran for it"


def test_a_pipelined_request_behind_a_waiting_one_is_answered_after_it_in_order(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    with daemon.stream() as client:
        client.wait_for("sync")
        in_the_pause(daemon, client, tmp_path, "body { color: teal }\n")
        host = f"Host: 127.0.0.1:{daemon.port}\r\n"
        with socket.create_connection(("127.0.0.1", daemon.port)) as sock:
            sock.sendall(f"GET /app.css HTTP/1.1\r\n{host}\r\nGET /__hmr/status HTTP/1.1\r\n{host}"
                         "Connection: close\r\n\r\n".encode())
            deadline = Deadline(10)
            first, rest = read_response(sock, deadline)
            assert first.body == b"body { color: teal }\n"
            sock.settimeout(5)
            data = rest
            while chunk := sock.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200 OK") and b'"lastBuild":{"count":2,' in data


def test_past_the_build_timeout_a_waiting_request_gets_the_file_as_it_stands(hmrd, tmp_path):
    two_step_project(tmp_path)
    # The build takes longer than --build-timeout allows, and ignores TERM: it is only gone
    # once KILLed, 2 s after that, and only then published.
    daemon = hmrd("--watch", "src", "--serve", "out", "--build", "trap '' TERM; printf 'partial' > out/app.css; sleep 30",
                  "--debounce", "0", "--build-timeout", "1500ms")
    with daemon.stream() as client:
        client.wait_for("building")
        poll(lambda: (tmp_path / "out/app.css").read_bytes() == b"partial", what="the build's first step")
        started = time.monotonic()
        response = http_request(daemon.port, "/app.css", timeout=10)
        waited = time.monotonic() - started
        assert response.body == b"partial"
        assert waited < 2.5, f"bounded by --build-timeout, waited {waited:.1f}s"
        assert client.wait_for("built", timeout=10)["errors"], "the build is published later, as timed out"


def test_a_listed_file_changed_outside_any_build_is_refused_to_a_page_asking_for_a_build(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, pause=0)
    with daemon.stream() as client:
        built = client.wait_for("sync")
        # The out dir is the build's, and unwatched: nothing will publish this.
        (tmp_path / "out/app.css").write_text("written by someone else\n")
        refused = http_request(daemon.port, f"/app.css?hmr={built['hash']}", timeout=5)
        assert refused.status == 503 and refused.headers["retry-after"] == "1"
        plain = http_request(daemon.port, "/app.css", timeout=5)
        assert plain.status == 200 and plain.body == b"written by someone else\n"
        assert client.events_within(0.2) == []


def test_a_thousand_waiting_requests_all_get_the_finished_build(hmrd, tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    try:
        daemon = start(hmrd, tmp_path, pause=1.5)
        with daemon.stream() as client:
            client.wait_for("sync")
            in_the_pause(daemon, client, tmp_path, "body { color: olive }\n")
            request = f"GET /app.css HTTP/1.1\r\nHost: 127.0.0.1:{daemon.port}\r\nConnection: close\r\n\r\n".encode()
            socks = []
            for _ in range(1000):
                sock = socket.create_connection(("127.0.0.1", daemon.port))
                sock.sendall(request)
                socks.append(sock)
            assert (tmp_path / "out/app.css").read_bytes() == b"partial", "all were sent during the build"
            deadline = Deadline(20)
            bodies = set()
            for sock in socks:
                bodies.add(read_response(sock, deadline)[0].body)
                sock.close()
            assert bodies == {b"body { color: olive }\n"}
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_page_asking_for_a_builds_version_gets_it_even_after_a_later_build_and_without_waiting(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, pause=3.0)
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        first = client.wait_for("built", timeout=10)
        # The next save's build is half-way through: out/app.css is neither version.
        in_the_pause(daemon, client, tmp_path, "body { color: green }\n")
        started = time.monotonic()
        response = http_request(daemon.port, f"/app.css?hmr={first['hash']}-2")
        assert time.monotonic() - started < 1.5, "answered at once, not after the build"
        assert response.body == b"body { color: blue }\n"
        assert response.headers["server-timing"] == f'hmr;desc="{first["modules"]["app.css"]}"'
        second = client.wait_for("built", timeout=10)
        assert second["hash"] != first["hash"]
        # Once rewritten on disk, the first build's version is still the first build's.
        assert http_request(daemon.port, f"/app.css?hmr={first['hash']}").body == b"body { color: blue }\n"
        assert http_request(daemon.port, f"/app.css?hmr={second['hash']}").body == b"body { color: green }\n"
