"""`sync` is encoded once per state and shared by every page that joins. These check that
a joiner still always gets the state published last, with the id of the last `built`:
after good builds, after failed ones, and while a build is under way."""

from conftest import CP_BUILD, css_project, poll, write

FAILING_BUILD = ("if grep -q broken src/app.css; then echo 'app.css:1: unexpected token' >&2; exit 3; fi; "
                 + CP_BUILD)
SLOW_BUILD = "if [ -f src/slow ]; then sleep 1; fi; " + CP_BUILD


def start(hmrd, tmp_path, build):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", build, "--debounce", "30ms")
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    return daemon


def join(daemon, **kw):
    """Opens a stream, returns its first event (the sync, or the first frame replayed) and closes it."""
    with daemon.stream(**kw) as client:
        return client.next_event()


def state(payload):
    return {key: value for key, value in payload.items() if key != "action"}


def test_pages_joining_in_the_same_state_get_the_same_sync_bytes(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, CP_BUILD)
    first, second = join(daemon), join(daemon)
    assert first.action == "sync"
    assert (first.id, first.raw) == (second.id, second.raw)


def test_every_published_state_good_or_failed_reaches_the_next_joiner(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, FAILING_BUILD)
    with daemon.stream() as witness:
        witness.wait_for("sync")
        previous = join(daemon)
        for css, fails in [("broken\n", True), ("fixed\n", False), ("body { color: blue }\n", False)]:
            write(tmp_path / "src/app.css", css)
            witness.wait_for("building")
            built = witness.wait_for("built")
            sync = join(daemon)
            assert sync.action == "sync"
            assert sync.id == witness.last_id, "sync carries the id of the last built"
            assert state(sync.data) == state(built)
            assert bool(sync.data["errors"]) == fails
            assert sync.raw != previous.raw
            previous = sync


def test_a_page_joining_during_a_build_gets_the_current_sync_then_building_and_can_resume(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, SLOW_BUILD)
    before = join(daemon)
    mark = daemon.stdout.mark()
    write(tmp_path / "src/slow", "1")
    daemon.stdout.wait_for(r"building… \(src/slow\)", since=mark)
    with daemon.stream() as page:
        sync = page.next_event()
        assert (sync.id, sync.raw) == (before.id, before.raw), "a build under way does not change the state"
        building = page.next_event()
        assert building.action == "building" and int(building.id) == int(sync.id) + 1
        resume_from = building.id
    with daemon.stream(headers={"Last-Event-ID": resume_from}) as page:
        built = page.next_event(timeout=5)
        assert built.action == "built" and int(built.id) == int(resume_from) + 1
    after = join(daemon)
    assert after.id == built.id
    assert state(after.data) == state(built.data)
