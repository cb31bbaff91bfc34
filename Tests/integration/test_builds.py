"""Builds: from a file change to `building` and `built`, scheduling, failures, timeouts."""

import os
import time

from conftest import (CP_BUILD, STATE_FIELDS, css_project, is_alive, is_hash, poll, tagged_pids, write)

COPY_ALL = "mkdir -p dist && find dist -type f -delete && cp -R src/. dist/"


def start(hmrd, tmp_path, build=CP_BUILD, *extra):
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", build, "--debounce", "30ms", *extra)
    daemon.stdout.wait_for(r"\[hmrd\] built |\[hmrd\] error: build failed|\[hmrd\] building")
    return daemon


def connect_after_first_build(daemon):
    """A stream opened once the first build is published; its sync is consumed and returned."""
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    client = daemon.stream()
    return client, client.wait_for("sync")


# --------------------------------------------------------------------------- building / built


def test_a_change_gives_building_then_built_with_the_new_hash_and_updated_module(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path)
    client, sync = connect_after_first_build(daemon)
    with client:
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        building = client.next_event()
        assert building.data == {"action": "building", "name": "", "trigger": ["src/app.css"]}
        built = client.next_event()
        assert built.action == "built"
        payload = built.data
        assert list(payload) == STATE_FIELDS
        assert is_hash(payload["hash"]) and payload["hash"] != sync["hash"]
        assert list(payload["modules"]) == ["app.css"]
        assert is_hash(payload["modules"]["app.css"])
        assert payload["modules"]["app.css"] != sync["modules"]["app.css"]
        assert payload["changes"] == {"added": [], "removed": [], "updated": ["app.css"]}
        assert payload["errors"] == [] and payload["warnings"] == []
        assert isinstance(payload["time"], int) and payload["time"] >= 0
    daemon.stdout.wait_for(r"\[hmrd\] building… \(src/app\.css\)")
    daemon.stdout.wait_for(rf"\[hmrd\] built {payload['hash']} in \d+ms: 0 added, 1 updated, 0 removed")


def test_a_new_output_file_is_listed_as_added(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, COPY_ALL)
    client, sync = connect_after_first_build(daemon)
    with client:
        assert list(sync["modules"]) == ["app.css"]
        write(tmp_path / "src/img/logo.svg", "<svg/>")
        client.wait_for("building")
        built = client.wait_for("built")
        assert built["changes"] == {"added": ["img/logo.svg"], "removed": [], "updated": []}
        assert sorted(built["modules"]) == ["app.css", "img/logo.svg"]
        assert built["modules"]["app.css"] == sync["modules"]["app.css"]


def test_a_deleted_output_file_is_listed_as_removed(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "src/old.css", "p {}\n")
    daemon = start(hmrd, tmp_path, COPY_ALL)
    client, sync = connect_after_first_build(daemon)
    with client:
        assert sorted(sync["modules"]) == ["app.css", "old.css"]
        os.remove(tmp_path / "src/old.css")
        assert client.wait_for("building")["trigger"] == ["src/old.css"]
        built = client.wait_for("built")
        assert built["changes"] == {"added": [], "removed": ["old.css"], "updated": []}
        assert list(built["modules"]) == ["app.css"]
        assert built["hash"] != sync["hash"]


def test_identical_content_gives_identical_hashes(hmrd, tmp_path):
    css_project(tmp_path, "same\n")
    write(tmp_path / "src/copy.css", "same\n")
    daemon = start(hmrd, tmp_path, COPY_ALL)
    client, sync = connect_after_first_build(daemon)
    with client:
        assert sync["modules"]["app.css"] == sync["modules"]["copy.css"]
        write(tmp_path / "src/app.css", "different\n")
        client.wait_for("building")
        changed = client.wait_for("built")
        assert changed["modules"]["app.css"] != sync["modules"]["app.css"]
        assert changed["hash"] != sync["hash"]
        write(tmp_path / "src/app.css", "same\n")
        client.wait_for("building")
        reverted = client.wait_for("built")
        assert reverted["modules"] == sync["modules"]
        assert reverted["hash"] == sync["hash"]
        assert reverted["changes"]["updated"] == ["app.css"]


def test_the_build_output_is_echoed_live(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "echo to-stdout-1; echo to-stderr-1 >&2; sleep 1.5; " + CP_BUILD)
    daemon.stdout.wait_for("to-stdout-1", timeout=1.0)
    daemon.stderr.wait_for("to-stderr-1", timeout=1.0)
    assert daemon.built_count() == 0, "the lines must come while the build runs, not after it"
    assert daemon.status()["state"] == "building"
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=5)


def test_status_reports_state_and_the_last_build(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, CP_BUILD, "--name", "web")
    client, sync = connect_after_first_build(daemon)
    with client:
        status = daemon.status()
        assert list(status) == ["state", "name", "hash", "lastBuild", "clients", "pages", "uptime", "version"]
        assert status["state"] == "idle"
        assert status["name"] == "web"
        assert status["hash"] == sync["hash"]
        assert status["lastBuild"]["count"] == 1
        assert status["lastBuild"]["exitCode"] == 0
        assert status["lastBuild"]["ok"] is True
        assert isinstance(status["lastBuild"]["ms"], int)
        assert status["clients"] == 1
        assert status["pages"] == [], "a stream is not a page: pages are those that reported in"
        assert isinstance(status["uptime"], (int, float)) and status["uptime"] >= 0
        assert isinstance(status["version"], str) and status["version"]


def test_watch_only_mode_publishes_the_watched_files_as_modules(hmrd, tmp_path):
    write(tmp_path / "public/index.html", "<p>hi</p>")
    daemon = hmrd("--watch", "public", "--debounce", "30ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    with daemon.stream() as client:
        sync = client.wait_for("sync")
        assert list(sync["modules"]) == ["index.html"]
        write(tmp_path / "public/index.html", "<p>hello</p>")
        assert client.wait_for("building")["trigger"] == ["public/index.html"]
        built = client.wait_for("built")
        assert built["changes"]["updated"] == ["index.html"]
        assert built["modules"]["index.html"] != sync["modules"]["index.html"]


# --------------------------------------------------------------------------- scheduling


def test_a_burst_of_changes_gives_one_build(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, COPY_ALL, "--debounce", "250ms")
    client, _ = connect_after_first_build(daemon)
    with client:
        names = [f"src/part{n}.css" for n in range(5)]
        for name in names:
            write(tmp_path / name, name)
            time.sleep(0.02)  # spread the burst over ~100 ms, well inside the debounce
        building = client.wait_for("building", timeout=3)
        assert building["trigger"] == names
        built = client.wait_for("built")
        assert sorted(built["changes"]["added"]) == [n[4:] for n in names]
        assert client.events_within(1.0) == []
    assert daemon.status()["lastBuild"]["count"] == 2


def test_a_change_during_a_slow_build_gives_exactly_one_follow_up(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "sleep 0.8; " + COPY_ALL)
    client, _ = connect_after_first_build(daemon)
    with client:
        write(tmp_path / "src/app.css", "one\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        # Two more changes while that build sleeps.
        write(tmp_path / "src/extra.css", "two\n")
        write(tmp_path / "src/app.css", "three\n")
        first = client.next_event(timeout=3)
        assert first.action == "built"
        follow_up = client.next_event(timeout=3)
        assert follow_up.action == "building"
        assert sorted(follow_up.data["trigger"]) == ["src/app.css", "src/extra.css"]
        assert client.next_event(timeout=3).action == "built"
        assert client.events_within(1.5) == [], "one follow-up, not more"
    assert daemon.status()["lastBuild"]["count"] == 3


def test_on_busy_restart_stops_the_running_build_and_starts_again(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "build.sh", "\n".join([
        "echo \"build run by $$\"",
        "if [ -f src/slow ]; then sleep 30 & echo $! > marker.pid; wait; fi",
        CP_BUILD, ""]))
    daemon = start(hmrd, tmp_path, "sh build.sh", "--on-busy", "restart")
    client, _ = connect_after_first_build(daemon)
    with client:
        write(tmp_path / "src/slow", "1")
        assert client.wait_for("building")["trigger"] == ["src/slow"]
        marker = int(poll(lambda: (tmp_path / "marker.pid").exists() and (tmp_path / "marker.pid").read_text().strip(),
                          what="the slow build's marker"))
        assert is_alive(marker)
        started = time.monotonic()
        os.remove(tmp_path / "src/slow")
        follow_up = client.next_event(timeout=3)
        assert follow_up.action == "building", "the stopped build publishes nothing"
        assert follow_up.data["trigger"] == ["src/slow"]
        built = client.next_event(timeout=5)
        assert built.action == "built"
        assert built.data["errors"] == []
        assert time.monotonic() - started < 5, "the follow-up must not wait for the 30 s build"
        poll(lambda: not is_alive(marker), timeout=3, what="the stopped build's sleep to die")
    assert daemon.stdout.count(r"build run by \d+") == 3
    assert daemon.status()["lastBuild"]["ok"] is True


def test_on_busy_queue_lets_the_running_build_finish(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "if [ -f src/slow ]; then sleep 1; echo slow-build-finished; fi; " + CP_BUILD)
    client, _ = connect_after_first_build(daemon)
    with client:
        write(tmp_path / "src/slow", "1")
        client.wait_for("building")
        write(tmp_path / "src/app.css", "changed while building\n")
        assert client.next_event(timeout=3).action == "built"
        daemon.stdout.wait_for("slow-build-finished", timeout=1)
        assert client.next_event(timeout=3).data["trigger"] == ["src/app.css"]
        assert client.next_event(timeout=3).action == "built"


# --------------------------------------------------------------------------- failures


FAILING_BUILD = ("if grep -q broken src/app.css; then echo 'app.css:1: unexpected token' >&2; exit 3; fi; "
                 + CP_BUILD)


def break_the_build(client, tmp_path):
    """Makes FAILING_BUILD fail and returns the `built` payload that reports it."""
    write(tmp_path / "src/app.css", "broken\n")
    client.wait_for("building")
    return client.wait_for("built")


def test_a_failing_build_puts_its_stderr_in_errors_and_keeps_the_last_good_output(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, FAILING_BUILD)
    client, good = connect_after_first_build(daemon)
    with client:
        failed = break_the_build(client, tmp_path)
        assert failed["errors"] == ["app.css:1: unexpected token\nbuild exited with code 3"]
        assert failed["hash"] == good["hash"]
        assert failed["modules"] == good["modules"]
        assert failed["changes"] == {"added": [], "removed": [], "updated": []}
    daemon.stderr.wait_for(r"\[hmrd\] error: build failed .*build exited with code 3")
    status = daemon.status()
    assert status["lastBuild"]["ok"] is False
    assert status["lastBuild"]["exitCode"] == 3


def test_a_good_build_after_a_failure_clears_the_errors(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, FAILING_BUILD)
    client, good = connect_after_first_build(daemon)
    with client:
        assert break_the_build(client, tmp_path)["errors"]
        write(tmp_path / "src/app.css", "fixed\n")
        client.wait_for("building")
        fixed = client.wait_for("built")
        assert fixed["errors"] == []
        assert fixed["hash"] != good["hash"]
        assert fixed["changes"]["updated"] == ["app.css"]
    assert daemon.status()["lastBuild"]["ok"] is True


def test_build_output_colours_are_kept_in_errors(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, r"printf '\033[31mred error\033[0m\n' >&2; exit 1")
    client, failed = connect_after_first_build(daemon)
    with client:
        assert failed["errors"] == ["\x1b[31mred error\x1b[0m\nbuild exited with code 1"]


def test_build_timeout_stops_the_whole_process_group(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "echo started; sleep 30 & echo $! > grandchild.pid; sleep 30",
                   "--build-timeout", "1s")
    with daemon.stream() as client:
        failed = client.wait_for("built", timeout=6)
        assert 1000 <= failed["time"] < 3000, "stopped after about the timeout, not at once nor after 30 s"
        assert failed["errors"] == ["started\nbuild timed out after 1s and was stopped (--build-timeout)"]
    grandchild = int((tmp_path / "grandchild.pid").read_text())
    poll(lambda: not is_alive(grandchild), timeout=3, what="the background grandchild to be killed")
    poll(lambda: tagged_pids(daemon.tag, exclude=(daemon.pid, os.getpid())) == [], timeout=3,
         what="every process of the build's group to go")
    status = daemon.status()
    assert status["lastBuild"]["ok"] is False
    assert status["lastBuild"]["exitCode"] == 124
    assert status["state"] == "idle"


def test_a_long_failing_output_keeps_only_its_tail_in_errors(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "i=0; while [ $i -lt 3000 ]; do echo \"line $i of a very chatty compiler\"; "
                                   "i=$((i+1)); done; echo 'the real error' >&2; exit 2")
    client, failed = connect_after_first_build(daemon)
    with client:
        [text] = failed["errors"]
        assert text.endswith("the real error\nbuild exited with code 2")
        assert text.startswith("…\n"), "a cut tail says so"
        assert "line 2999 of" in text and "line 0 of" not in text
        assert len(text.encode()) <= 17 * 1024
        assert text.split("\n")[1].startswith("line "), "the tail starts at a line boundary"
    assert daemon.stdout.count(r"line \d+ of a very chatty compiler") == 3000, "all of it is echoed"


def test_a_command_that_does_not_exist_is_a_failed_build(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "no-such-compiler-xyz --watch")
    client, failed = connect_after_first_build(daemon)
    with client:
        [text] = failed["errors"]
        assert "no-such-compiler-xyz" in text and "not found" in text
        assert text.endswith("build exited with code 127")


def test_an_out_folder_missing_after_the_build_is_a_warning(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "true", "--out", "nowhere")
    client, sync = connect_after_first_build(daemon)
    with client:
        assert sync["errors"] == []
        assert sync["modules"] == {}
        assert len(sync["warnings"]) == 1 and "nowhere" in sync["warnings"][0], sync["warnings"]
    daemon.stderr.wait_for(r"\[hmrd\] warning: .*nowhere.* does not exist")
