"""The event stream: head, first bytes, sync, heartbeats, ids, resume, --max-clients."""

import socket
import time

from conftest import (CP_BUILD, HEARTBEAT, STATE_FIELDS, SSEClient, css_project, http_request, is_hash,
                      poll, write)


def start_css(hmrd, tmp_path, *extra):
    css_project(tmp_path)
    return hmrd("--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms", *extra)


def wait_first_build(daemon):
    daemon.stdout.wait_for(r"\[hmrd\] built [0-9a-f]{16}")


def test_the_stream_answers_with_the_event_stream_head_and_opens_with_retry(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as client:
        assert client.raw_head.decode() == (
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/event-stream; charset=utf-8\r\n"
            "Cache-Control: no-cache, no-transform\r\n"
            "X-Accel-Buffering: no\r\n"
            "Connection: keep-alive")
        assert "content-length" not in client.headers
        first = client.read_first_bytes(len(b"retry: 1000\n\nid: "))
        assert first == b"retry: 1000\n\nid: "


def test_a_new_client_gets_sync_with_the_current_build_at_once(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--name", "web")
    wait_first_build(daemon)
    with daemon.stream() as client:
        started = time.monotonic()
        retry = client.next_raw_frame(timeout=2)
        assert retry.retry == 1000 and retry.data is None
        frame = client.next_event(timeout=2)
        assert time.monotonic() - started < 1.0, "sync must come at once, not with the first heartbeat"
        sync = frame.data
        assert list(sync) == STATE_FIELDS
        assert sync["action"] == "sync"
        assert sync["name"] == "web"
        assert is_hash(sync["hash"])
        assert sync["errors"] == [] and sync["warnings"] == []
        assert list(sync["modules"]) == ["app.css"] and is_hash(sync["modules"]["app.css"])
        assert sync["hash"] == daemon.status()["hash"]
        assert frame.id is not None and frame.id.isdigit()


def test_sync_carries_the_id_of_the_latest_built_frame(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as watcher:
        watcher.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        watcher.wait_for("building")
        built = watcher.wait_for("built")
        built_id = watcher.last_id
        with daemon.stream() as late:
            sync_frame = late.next_event()
            assert sync_frame.action == "sync"
            assert sync_frame.id == built_id
            assert sync_frame.data["hash"] == built["hash"]
            assert sync_frame.data["modules"] == built["modules"]


def test_ids_increase_by_one_per_broadcast(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as client:
        client.wait_for("sync")
        ids = [int(client.last_id)]
        for colour in ("blue", "green"):
            write(tmp_path / "src/app.css", f"body {{ color: {colour} }}\n")
            client.wait_for("building")
            ids.append(int(client.last_id))
            client.wait_for("built")
            ids.append(int(client.last_id))
        assert ids == list(range(ids[0], ids[0] + 5))
        assert ids[0] > 1_000_000_000, "ids start from the wall clock, so an old run's ids never resume"


def test_heartbeats_arrive_every_200ms_without_an_id(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--heartbeat", "200ms")
    wait_first_build(daemon)
    with daemon.stream() as client:
        client.wait_for("sync")
        beats = []
        while len(beats) < 5:
            frame = client.next_raw_frame(timeout=2)
            if frame.data == HEARTBEAT:
                beats.append(frame)
        for beat in beats:
            assert beat.raw == "data: 💓\n\n".encode()
            assert beat.id is None
        gaps = [b.at - a.at for a, b in zip(beats, beats[1:])]
        assert all(0.08 < gap < 0.6 for gap in gaps), gaps
        assert 0.5 < sum(gaps) < 1.4, gaps


def test_a_client_joining_during_a_build_gets_sync_then_building(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--debounce", "30ms",
                  "--build", "if [ -f src/slow ]; then sleep 2; fi; " + CP_BUILD)
    wait_first_build(daemon)
    mark = daemon.stdout.mark()
    write(tmp_path / "src/slow", "1")
    daemon.stdout.wait_for(r"building… \(src/slow\)", since=mark)
    with daemon.stream() as client:
        sync = client.next_event(timeout=2)
        assert sync.action == "sync"
        building = client.next_event(timeout=1)
        assert building.data == {"action": "building", "name": "", "trigger": ["src/slow"]}
        assert int(building.id) == int(sync.id) + 1
        assert daemon.status()["state"] == "building"
        assert client.wait_for("built", timeout=5)["errors"] == []


def test_resuming_with_last_event_id_replays_every_missed_frame(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as witness:
        witness.wait_for("sync")
        with daemon.stream() as page:
            page.wait_for("sync")
            resume_from = page.last_id
        # The page is gone; two builds happen without it.
        seen = len(witness.frames)
        for colour in ("blue", "green"):
            write(tmp_path / "src/app.css", f"body {{ color: {colour} }}\n")
            witness.wait_for("building")
            witness.wait_for("built")
        missed = [f for f in witness.frames[seen:] if f.id is not None]
        assert [f.action for f in missed] == ["building", "built", "building", "built"]
        with daemon.stream(headers={"Last-Event-ID": resume_from}) as page:
            assert page.next_raw_frame().retry == 1000
            replayed = [page.next_event() for _ in missed]
            assert [(f.id, f.raw) for f in replayed] == [(f.id, f.raw) for f in missed]
            assert page.events_within(0.3) == [], "a resumed stream gets no sync on top of the replay"


def test_resuming_with_the_last_event_id_query_replays_exactly_what_the_header_does(hmrd, tmp_path):
    """A new EventSource cannot set Last-Event-ID: a tab taking over a shared stream names it in the URL."""
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as witness:
        resume_from = witness.next_event().id
        for colour in ("blue", "green"):
            write(tmp_path / "src/app.css", f"body {{ color: {colour} }}\n")
            witness.wait_for("built")
        latest = witness.last_id
    with daemon.stream(headers={"Last-Event-ID": resume_from}) as by_header, \
            daemon.stream(path=f"/__hmr?lastEventId={resume_from}") as by_query:
        assert by_query.raw_head == by_header.raw_head
        replayed = [[c.next_raw_frame() for _ in range(5)] for c in (by_header, by_query)]
        assert [f.raw for f in replayed[1]] == [f.raw for f in replayed[0]]
        assert [f.action for f in replayed[1][1:]] == ["building", "built", "building", "built"]
        assert replayed[1][-1].id == latest
        assert by_query.events_within(0.3) == [], "no sync on top of the replay"


def test_the_last_event_id_header_wins_over_the_query(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as first:
        sync_id = first.next_event().id
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        first.wait_for("built")
    # The browser retrying a URL it opened with an old id sends the newer one in the header.
    with daemon.stream(path="/__hmr?lastEventId=1", headers={"Last-Event-ID": sync_id}) as client:
        assert [client.next_event().action for _ in range(2)] == ["building", "built"]
    with daemon.stream(path=f"/__hmr?lastEventId={sync_id}", headers={"Last-Event-ID": "garbage"}) as client:
        assert client.next_event().action == "sync"


def test_resuming_at_the_latest_id_replays_nothing(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--heartbeat", "200ms")
    wait_first_build(daemon)
    with daemon.stream() as first:
        first.wait_for("sync")
        latest = first.last_id
    with daemon.stream(headers={"Last-Event-ID": latest}) as again:
        assert again.next_raw_frame().retry == 1000
        assert again.next_raw_frame(timeout=2).data == HEARTBEAT


def test_an_unknown_last_event_id_gets_sync(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    with daemon.stream() as current:
        current_id = current.next_event().id
    for stale in ("1", "garbage", str(int(current_id) + 1000)):
        with daemon.stream(headers={"Last-Event-ID": stale}) as client:
            frame = client.next_event()
            assert frame.action == "sync", stale
            assert frame.id == current_id


def make_many_frames(daemon, tmp_path, client, builds):
    """Watch-only builds are instant: each change is one `building` and one `built` frame."""
    for n in range(builds):
        write(tmp_path / "out/n.txt", str(n))
        client.wait_for("building")
        client.wait_for("built")


def daemon_past_a_full_history(hmrd, tmp_path):
    """A watch-only daemon that has broadcast 66 frames (more than the 64 it keeps); returns it and the latest id."""
    write(tmp_path / "out/n.txt", "start")
    daemon = hmrd("--watch", "out", "--debounce", "10ms")
    with daemon.stream() as witness:
        witness.wait_for("sync")
        make_many_frames(daemon, tmp_path, witness, 33)
        return daemon, int(witness.last_id)


def test_resuming_from_exactly_64_frames_back_still_replays(hmrd, tmp_path):
    daemon, latest = daemon_past_a_full_history(hmrd, tmp_path)
    with daemon.stream(headers={"Last-Event-ID": str(latest - 64)}) as client:
        first = client.next_event()
        assert first.action == "building" and int(first.id) == latest - 63
        ids = [int(first.id)] + [int(client.next_event().id) for _ in range(63)]
        assert ids == list(range(latest - 63, latest + 1))


def test_resuming_from_older_than_the_last_64_frames_gets_sync(hmrd, tmp_path):
    daemon, latest = daemon_past_a_full_history(hmrd, tmp_path)
    with daemon.stream(headers={"Last-Event-ID": str(latest - 65)}) as client:
        frame = client.next_event()
        assert frame.action == "sync"
        assert int(frame.id) == latest
        assert frame.data["modules"] == {"n.txt": frame.data["modules"]["n.txt"]}


def test_max_clients_refuses_an_extra_stream_with_503_and_retry_after(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--max-clients", "1")
    wait_first_build(daemon)
    with daemon.stream() as first:
        first.wait_for("sync")
        refused = http_request(daemon.port, path="/__hmr")
        assert refused.status == 503
        assert refused.headers.get("retry-after", "").isdigit()
        assert "--max-clients" in refused.text
        assert daemon.status()["clients"] == 1, "status is not a stream and is still answered"
    poll(lambda: daemon.status()["clients"] == 0, what="the closed stream to leave")
    with daemon.stream() as again:
        assert again.status == 200
        assert again.wait_for("sync")


def test_a_head_request_on_the_stream_gets_the_head_and_no_body(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    response = http_request(daemon.port, path="/__hmr", method="HEAD")
    assert response.status == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.body == b""
    assert daemon.status()["clients"] == 0


def test_the_stream_path_follows_the_path_flag(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path, "--path", "/hot")
    wait_first_build(daemon)
    with SSEClient(daemon.port, path="/hot") as client:
        client.read_head()
        assert client.status == 200
        assert client.wait_for("sync")
    assert http_request(daemon.port, path="/hot/status").status == 200
    assert http_request(daemon.port, path="/__hmr").status == 404


def test_a_client_resuming_after_a_quick_daemon_restart_gets_sync(hmrd, tmp_path):
    write(tmp_path / "out/app.css", "old")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Both runs inside one wall-clock second: the case where second-based ids would collide.
    poll(lambda: time.time() % 1 < 0.05, timeout=2, interval=0.005, what="the start of a second")
    first = hmrd("--watch", "out", "--port", port)
    first.stdout.wait_for(r"\[hmrd\] built ")
    with first.stream() as page:
        old = page.wait_for("sync")
        resume_from = page.last_id
    assert first.stop() == 0
    write(tmp_path / "out/app.css", "new")
    second = hmrd("--watch", "out", "--port", port)
    second.stdout.wait_for(r"\[hmrd\] built ")
    with second.stream(headers={"Last-Event-ID": resume_from}) as page:
        frame = page.next_event(timeout=2)
        assert frame.action == "sync", f"resumed into a different run: {frame}"
        assert frame.data["hash"] != old["hash"]


def test_the_stream_echoes_a_loopback_origin_for_cors(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    with daemon.stream(headers={"Origin": "http://localhost:5173"}) as client:
        assert client.status == 200
        assert client.headers["access-control-allow-origin"] == "http://localhost:5173"
        assert client.headers["vary"] == "Origin"
    with daemon.stream(headers={"Origin": "https://evil.example"}) as client:
        assert client.status == 200
        assert "access-control-allow-origin" not in client.headers


def test_every_open_stream_receives_each_build(hmrd, tmp_path):
    daemon = start_css(hmrd, tmp_path)
    wait_first_build(daemon)
    clients = [daemon.stream() for _ in range(20)]
    try:
        syncs = {c.wait_for("sync")["hash"] for c in clients}
        assert len(syncs) == 1
        assert daemon.status()["clients"] == 20
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        built = [c.wait_for("built") for c in clients]
        assert len({b["hash"] for b in built}) == 1 and built[0]["hash"] not in syncs
        assert len({c.last_id for c in clients}) == 1
    finally:
        for c in clients:
            c.close()
