"""Ghost sync's door and frames over raw sockets (--sync): POST P/sync is 404 without
--sync; with it an action is 204 and reaches every stream as a `ghost` frame whose id
follows the frame before it, is not replayed to a stream that joins or resumes later,
and is refused like a report when it is not one (400), from a foreign origin (403) or
too often (429). The pages mirroring each other are browser/test_chromium_sync.py.
"""

from __future__ import annotations

import json

from conftest import http_request, write
from test_reports import post

SYNC = "/__hmr/sync"


def start(hmrd, tmp_path, *extra):
    write(tmp_path / "src/app.css", "body { color: red }\n")
    d = hmrd("--watch", "src", "--out", "dist", "--build", "mkdir -p dist && cp src/app.css dist/app.css",
             "--debounce", "20ms", *extra)
    d.stdout.wait_for(r"\[hmrd\] built [0-9a-f]{16}")
    return d


def click(page: str = "p1", target: str = "#count") -> dict:
    return {"page": page, "url": "http://localhost:3000/", "kind": "click", "target": target}


def test_without_sync_the_route_is_404_and_the_client_runs_none_of_it(hmrd, tmp_path):
    d = start(hmrd, tmp_path)
    response = post(d.port, click(), path=SYNC)
    assert response.status == 404
    assert "start hmrd with --sync" in response.text
    with d.stream() as watcher:
        watcher.next_event()
        assert watcher.events_within(0.3) == []
    client = http_request(d.port, path="/__hmr/client.js").text
    assert '"sync":true' not in client


def test_an_action_reaches_every_stream_as_a_ghost_frame_numbered_after_the_frame_before(hmrd, tmp_path):
    d = start(hmrd, tmp_path, "--sync")
    assert '"sync":true' in http_request(d.port, path="/__hmr/client.js").text
    with d.stream() as a, d.stream() as b:
        synced = [a.next_event(), b.next_event()]
        assert post(d.port, click(), path=SYNC).status == 204
        assert post(d.port, {**click(), "kind": "input", "target": "#name", "value": "Ada\n"}, path=SYNC).status == 204
        for client, first in zip((a, b), synced):
            frames = [client.next_raw_frame(), client.next_raw_frame()]
            assert [f.data for f in frames] == [
                {"action": "ghost", "from": "p1", "kind": "click", "target": "#count"},
                {"action": "ghost", "from": "p1", "kind": "input", "target": "#name", "value": "Ada\n"}]
            assert [f.id for f in frames] == [first.id + ".1", first.id + ".2"]
        last = frames[-1].id
    # Resuming after a ghost is resuming after the frame before it: nothing is replayed.
    with d.stream(headers={"Last-Event-ID": last}) as resumed:
        assert resumed.events_within(0.4) == [], "a ghost or a sync was sent to a stream resuming after a ghost"
    with d.stream() as late:
        assert late.next_event().action == "sync"
        assert late.events_within(0.3) == [], "an old action was replayed to a page that joined later"


def test_what_is_not_an_action_is_400_a_foreign_origin_403_and_a_flood_429(hmrd, tmp_path):
    d = start(hmrd, tmp_path, "--sync")
    bad = post(d.port, {"page": "p1", "kind": "navigate", "to": "https://evil.example/"}, path=SYNC)
    assert bad.status == 400 and "`to` must be a path of the site" in bad.text
    foreign = post(d.port, click(), {"Origin": "https://evil.example"}, path=SYNC)
    assert foreign.status == 403
    statuses = [post(d.port, {**click(), "kind": "scroll", "x": 0, "y": n / 100}, path=SYNC).status for n in range(70)]
    assert statuses.count(204) >= 60 and 429 in statuses, statuses
    d.stderr.wait_for(r"\[hmrd\] warning: dropped \d+ ghost sync actions? of http://localhost:3000/: more than 30 a second")
