"""Walks made from inotify's notices: after a build, hmrd reads only the folders the
kernel says changed, then checks that with a full walk.

The first test drives many builds that each change files in a few folders, and
compares every `built` with what Python finds in the out dir. The others make a
change inotify cannot hear (a write through a shared memory mapping), which only
the full walk that follows can find.
"""

import mmap
import random
import time
from pathlib import Path

from conftest import poll, write

FOLDERS = [f"d{i}" for i in range(8)]
TWO_FOLDERS = {"seen/a.js": "aaaa\n", "unheard/b.js": "bbbb\n"}


def start(hmrd, tmp_path, files: dict[str, str], *flags):
    """A daemon whose build runs build.sh (rewritten by `build`), after its first build."""
    for name, text in files.items():
        write(tmp_path / "dist" / name, text)
    write(tmp_path / "build.sh", "true")
    write(tmp_path / "src/trigger", "0")
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", "sh build.sh", "--debounce", "20ms", *flags)
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    return daemon


def build(tmp_path, script: str, step):
    write(tmp_path / "build.sh", script)
    write(tmp_path / "src/trigger", str(step))


def contents(dist: Path) -> dict[str, bytes]:
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}


def expected_changes(before: dict[str, bytes], after: dict[str, bytes]) -> dict:
    return {"added": sorted(after.keys() - before.keys()),
            "removed": sorted(before.keys() - after.keys()),
            "updated": sorted(k for k in after.keys() & before.keys() if after[k] != before[k])}


def random_build(rng: random.Random, files: dict[str, bytes], step: int) -> str:
    """A build script that changes a few files in two or three folders, as an incremental build does."""
    ops = []
    for folder in rng.sample(FOLDERS, rng.randint(1, 3)):
        names = sorted(k for k in files if k.startswith(folder + "/"))
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["modify", "modify", "create", "delete", "rename", "move", "same", "truncate"])
            name = rng.choice(names) if names else None
            if kind == "create" or name is None:
                ops.append(f"echo new{step} > dist/{folder}/n{step}_{len(ops)}.js")
            elif kind == "modify":
                ops.append(f"echo changed{step} >> dist/{name}")
            elif kind == "delete":
                ops.append(f"rm -f dist/{name}")
            elif kind == "rename":
                ops.append(f"mv -f dist/{name} dist/{folder}/r{step}_{len(ops)}.js 2>/dev/null || true")
            elif kind == "move":
                ops.append(f"mv -f dist/{name} dist/{rng.choice(FOLDERS)}/m{step}_{len(ops)}.js 2>/dev/null || true")
            elif kind == "same":
                ops.append(f"cat dist/{name} > dist/{name}.tmp 2>/dev/null && mv -f dist/{name}.tmp dist/{name} || true")
            else:
                ops.append(f": > dist/{name} 2>/dev/null || true")
    return " ; ".join(ops) + " ; true"


def test_builds_that_change_files_in_a_few_folders_report_exactly_what_changed(hmrd, tmp_path):
    dist = tmp_path / "dist"
    daemon = start(hmrd, tmp_path, {f"{folder}/f{i}.js": f"{folder} {i}\n" for folder in FOLDERS for i in range(12)})
    rng = random.Random(5)
    with daemon.stream() as client:
        sync = client.wait_for("sync")
        before = contents(dist)
        assert sorted(sync["modules"]) == sorted(before)
        for step in range(25):
            build(tmp_path, random_build(rng, before, step), step)
            client.wait_for("building")
            built = client.wait_for("built", timeout=10)
            after = contents(dist)
            assert built["errors"] == []
            assert built["changes"] == expected_changes(before, after), f"build {step}: {(tmp_path / 'build.sh').read_text()}"
            assert sorted(built["modules"]) == sorted(after)
            # Equal hashes for equal contents, and only for them.
            by_content: dict[bytes, set[str]] = {}
            for key, data in after.items():
                by_content.setdefault(data, set()).add(built["modules"][key])
            assert all(len(hashes) == 1 for hashes in by_content.values())
            assert len({next(iter(h)) for h in by_content.values()}) == len(by_content)
            before = after
        # Every full walk that checked a walk from notices agreed with it: no second `built`.
        assert [f.action for f in client.events_within(0.3)] == []
    assert "inotify did not report" not in daemon.stderr.text


def test_a_change_inotify_does_not_hear_is_published_by_the_full_walk_that_checks(hmrd, tmp_path):
    dist = tmp_path / "dist"
    daemon = start(hmrd, tmp_path, TWO_FOLDERS)
    time.sleep(0.05)  # past the first walk's racy window, so b.js is judged by its stamp alone
    with daemon.stream() as client:
        client.wait_for("sync")
        # Open for writing before the build, so the only event is the close, after the check.
        file = open(dist / "unheard/b.js", "r+b")
        try:
            mapping = mmap.mmap(file.fileno(), 5)
            # The build waits for `go`, so the write below lands while it runs.
            build(tmp_path, "echo changed > dist/seen/a.js; while [ ! -e go ]; do sleep 0.01; done", 1)
            client.wait_for("building")
            mapping[:4] = b"BBBB"  # through the mapping: the kernel says nothing
            write(tmp_path / "go", "")
            first = client.wait_for("built", timeout=10)
            # Read from inotify's notices: only seen/ was read.
            assert first["changes"] == {"added": [], "removed": [], "updated": ["seen/a.js"]}
            # The full walk that follows finds b.js and publishes it at once.
            second = client.wait_for("built", timeout=10)
            assert second["changes"] == {"added": [], "removed": [], "updated": ["unheard/b.js"]}
            assert second["hash"] != first["hash"]
            daemon.stderr.wait_for("inotify did not report every change in the output folder")

            # From now on every walk is full: the next unheard change is in the build's own `built`.
            # (A new mapping, so that its first write faults and moves the file's mtime again.)
            mapping.close()
            mapping = mmap.mmap(file.fileno(), 5)
            mapping[:4] = b"CCCC"
            build(tmp_path, "echo again > dist/seen/a.js", 2)
            client.wait_for("building")
            third = client.wait_for("built", timeout=10)
            assert third["changes"] == {"added": [], "removed": [], "updated": ["seen/a.js", "unheard/b.js"]}
            assert [f.action for f in client.events_within(0.3)] == []
            mapping.close()
        finally:
            file.close()
    assert daemon.stderr.count("inotify did not report") == 1


def test_with_poll_no_walk_is_made_from_notices(hmrd, tmp_path):
    dist = tmp_path / "dist"
    daemon = start(hmrd, tmp_path, TWO_FOLDERS, "--poll", "50ms")
    time.sleep(0.05)
    with daemon.stream() as client:
        client.wait_for("sync")
        with open(dist / "unheard/b.js", "r+b") as file, mmap.mmap(file.fileno(), 5) as mapping:
            mapping[:4] = b"BBBB"
            build(tmp_path, "echo changed > dist/seen/a.js", 1)
            client.wait_for("building", timeout=10)
            built = client.wait_for("built", timeout=10)
            assert built["changes"] == {"added": [], "removed": [], "updated": ["seen/a.js", "unheard/b.js"]}
    assert "inotify" not in daemon.stderr.text
