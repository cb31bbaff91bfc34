"""--poll: the watcher that walks the trees every DUR instead of asking inotify.

It must report exactly what the inotify watcher reports (same paths, ignores and
out dir, one build per change), work where inotify is not available at all (shown
in a user namespace whose inotify limit is 0), and cost nothing while idle.
"""

import os
import shutil
import subprocess
import time

import pytest

import conftest
from conftest import CP_BUILD, HMRD_BIN, css_project, poll, run_hmrd, write

POLL = ["--poll", "100ms"]

# Each limit with the sysctl that hmrd's error names when inotify runs into it.
INOTIFY_LIMITS = [("max_inotify_watches", "fs.inotify.max_user_watches"),
                  ("max_inotify_instances", "fs.inotify.max_user_instances")]


def start(hmrd, *args):
    daemon = hmrd(*args)
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    return daemon


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads, the thread pool included), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # Fields 14 and 15 of proc(5); the split above starts at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def triggers_until(client, path: str) -> list[str]:
    """Every path the building frames name until one names `path` (each build awaited), sorted."""
    seen: list[str] = []
    while path not in seen:
        seen += client.wait_for("building")["trigger"]
        client.wait_for("built")
    return sorted(seen)


def skip_without_user_namespaces(limit: str):
    probe = subprocess.run(["unshare", "-Ur", "sh", "-c", f"echo 0 > /proc/sys/user/{limit}"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not available here: {probe.stderr.strip()}")


def test_with_poll_a_change_gives_exactly_one_build_naming_the_file(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL)
    with daemon.stream() as client:
        sync = client.wait_for("sync")
        assert client.events_within(0.5) == [], "the first walk is the baseline and reports nothing"
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        built = client.wait_for("built")
        assert built["changes"]["updated"] == ["app.css"] and built["hash"] != sync["hash"]
        assert client.events_within(1.0) == [], "one change, one build"
    assert daemon.status()["lastBuild"]["count"] == 2


def test_with_poll_a_new_file_in_a_new_subfolder_is_picked_up(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL)
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/sub/deep/x.css", "x {}\n")
        # Usually one batch (a folder waits with a file written too recently to trust), but a walk
        # may land between the mkdirs.
        assert triggers_until(client, "src/sub/deep/x.css") == ["src/sub", "src/sub/deep", "src/sub/deep/x.css"]
        write(tmp_path / "src/sub/deep/x.css", "x { color: red }\n")
        assert client.wait_for("building")["trigger"] == ["src/sub/deep/x.css"]
        client.wait_for("built")


def test_with_poll_a_deleted_file_and_a_deleted_folder_are_reported(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "src/old.css", "old {}\n")
    write(tmp_path / "src/lib/a.css", "a {}\n")
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL)
    with daemon.stream() as client:
        client.wait_for("sync")
        os.remove(tmp_path / "src/old.css")
        assert client.wait_for("building")["trigger"] == ["src/old.css"]
        client.wait_for("built")
        shutil.rmtree(tmp_path / "src/lib")
        assert triggers_until(client, "src/lib") == ["src/lib", "src/lib/a.css"]


def test_with_poll_a_watch_folder_deleted_and_created_again_is_polled_again(hmrd, tmp_path):
    write(tmp_path / "site/index.html", "<p>one</p>\n")
    daemon = start(hmrd, "--watch", "site", *POLL)
    with daemon.stream() as client:
        client.wait_for("sync")
        shutil.rmtree(tmp_path / "site")
        assert client.wait_for("building")["trigger"] == ["site/index.html"]
        assert client.wait_for("built")["changes"]["removed"] == ["index.html"]
        daemon.stderr.wait_for(r"\[hmrd\] warning: watch folder site was deleted; waiting for it to come back")
        write(tmp_path / "site/index.html", "<p>two</p>\n")
        assert client.wait_for("building")["trigger"] == ["site/index.html"]
        assert client.wait_for("built")["changes"]["added"] == ["index.html"]


def test_with_poll_the_out_dir_inside_the_watched_dir_does_not_loop(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, "--watch", ".", "--out", "dist", "--build", CP_BUILD, *POLL)
    with daemon.stream() as client:
        client.wait_for("sync")
        assert client.events_within(0.8) == [], "the first build's output must not trigger a build"
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        client.wait_for("built")
        assert client.events_within(1.0) == [], "writing dist/ must not trigger another build"
    assert daemon.status()["lastBuild"]["count"] == 2


def test_with_poll_a_build_that_rewrites_a_watched_file_is_stopped_with_a_warning(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", *POLL,
                  "--build", CP_BUILD + " && date +%s%N > src/stamp.txt")
    warning = daemon.stderr.wait_for(r"\[hmrd\] warning: .*", timeout=10).group(0)
    assert "--out" in warning and "src/stamp.txt" in warning
    count = daemon.status()["lastBuild"]["count"]
    assert 2 <= count <= 5, f"{count} builds before the loop was noticed"
    with daemon.stream() as client:
        client.wait_for("sync")
        assert client.events_within(1.0) == [], "no more builds once the loop is reported"
    assert daemon.status()["lastBuild"]["count"] == count


def test_with_poll_editor_temp_files_and_ignore_globs_trigger_no_build(hmrd, tmp_path):
    css_project(tmp_path)
    (tmp_path / "src/logs").mkdir()
    (tmp_path / "src/gen").mkdir()
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL, "--ignore", "*.log",
                   "--ignore", "gen/**")
    with daemon.stream() as client:
        client.wait_for("sync")
        for name in (".app.css.swp", ".app.css.swx", "4913", "app.css~", ".#app.css", "#app.css#", "debug.log",
                     "logs/deep.log", "gen/out.js", ".git/index", "node_modules/pkg/index.js"):
            write(tmp_path / "src" / name, "scratch")
        os.remove(tmp_path / "src/4913")
        assert client.events_within(0.8) == []
        # The poller is alive: a real save right after is seen, and alone.
        write(tmp_path / "src/app.css", "saved\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]


@pytest.mark.parametrize("limit, sysctl", INOTIFY_LIMITS, ids=[limit for limit, _ in INOTIFY_LIMITS])
def test_with_poll_hmrd_works_where_inotify_is_not_allowed_at_all(hmrd, tmp_path, monkeypatch, limit, sysctl):
    skip_without_user_namespaces(limit)
    css_project(tmp_path)
    # A user namespace of our own whose inotify limit is 0; the machine's limit is untouched.
    wrapper = write(tmp_path / "no-inotify-hmrd",
                    "#!/bin/sh\n"
                    f"exec unshare -Ur sh -c 'echo 0 > /proc/sys/user/{limit} && cat /proc/sys/user/{limit} > limit-seen"
                    f" && exec \"$0\" \"$@\"' \"{HMRD_BIN}\" \"$@\"\n")
    wrapper.chmod(0o755)

    # Without --poll it cannot watch, and says which limit to raise.
    refused = subprocess.run([str(wrapper), "--watch", "src", "--port", "0"], cwd=tmp_path,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10)
    assert refused.returncode == 1, refused
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and sysctl in lines[0], refused.stderr

    # With --poll it starts, builds, and builds again on a change.
    (tmp_path / "limit-seen").unlink()
    # The fixture starts conftest.HMRD_BIN; the wrapper execs the real binary in the namespace, keeping
    # its pid, so the fixture's signals, tag check and exit-code check apply to it unchanged.
    monkeypatch.setattr(conftest, "HMRD_BIN", wrapper)
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL)
    assert os.readlink(f"/proc/{daemon.pid}/ns/user") != os.readlink("/proc/self/ns/user"), "not in the namespace"
    assert (tmp_path / "limit-seen").read_text().strip() == "0"
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: green }\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        assert client.wait_for("built")["changes"]["updated"] == ["app.css"]
    assert (tmp_path / "dist/app.css").read_text() == "body { color: green }\n"


def test_an_idle_poller_uses_almost_no_cpu(hmrd, tmp_path):
    css_project(tmp_path)
    for n in range(300):
        write(tmp_path / f"src/d{n % 30:02}/f{n:03}.css", f"f{n} {{}}\n")
    daemon = start(hmrd, "--watch", "src", "--out", "dist", "--build", CP_BUILD, *POLL)
    time.sleep(0.3)
    before = cpu_seconds(daemon.pid)
    time.sleep(2.0)
    used = cpu_seconds(daemon.pid) - before
    # Twenty walks of 330 entries cost a few ms; a busy loop would cost close to 2 s.
    assert used < 0.25, f"an idle hmrd --poll 100ms used {used:.2f}s of CPU in 2s"
    # And it was polling all along.
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/d07/f007.css", "changed {}\n")
        assert client.wait_for("building")["trigger"] == ["src/d07/f007.css"]


@pytest.mark.parametrize("value", ["10ms", "49", "0"])
def test_a_poll_interval_under_50ms_is_refused_naming_the_flag(tmp_path, value):
    result = run_hmrd("--watch", ".", "--port", "0", "--poll", value, cwd=tmp_path)
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--poll" in lines[0] and "50ms" in lines[0], result.stderr


def test_help_describes_poll(tmp_path):
    result = run_hmrd("--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert ("--poll <dur> Poll the watched folders every DUR instead of using inotify: for Docker bind mounts, "
            "WSL and network file systems.") in text, result.stdout
