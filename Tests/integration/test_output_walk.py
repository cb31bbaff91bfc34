"""The walk of the out dir: which files become modules, and what a rebuild reports as changed.

Each test runs a build script (`sh build.sh`) that it rewrites between builds, so one
daemon sees the out dir go through several shapes; a write to src/trigger starts each
build. The walk keeps each folder's last listing and each file's stamp between builds,
so these cover the ways a folder can change under that cache.
"""

import os
import time
import unicodedata

from conftest import is_hash, poll, write

BUILD = "sh build.sh"


def start(hmrd, tmp_path, script):
    write(tmp_path / "build.sh", script)
    write(tmp_path / "src/trigger", "0")
    (tmp_path / "dist").mkdir(exist_ok=True)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", BUILD, "--debounce", "30ms")
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    client = daemon.stream()
    return client, client.wait_for("sync")


def rebuild(client, tmp_path, script):
    """Runs `script` as the next build and returns its `built` payload."""
    write(tmp_path / "build.sh", script)
    write(tmp_path / "src/trigger", str(time.monotonic()))
    client.wait_for("building")
    return client.wait_for("built", timeout=10)


def test_a_folder_replaced_by_a_file_of_its_name_and_back(hmrd, tmp_path):
    client, sync = start(hmrd, tmp_path, "mkdir -p dist/x && echo a > dist/x/a.js && echo b > dist/x/b.js && echo y > dist/y.js")
    with client:
        assert sorted(sync["modules"]) == ["x/a.js", "x/b.js", "y.js"]
        built = rebuild(client, tmp_path, "rm -r dist/x && echo file > dist/x")
        assert built["changes"] == {"added": ["x"], "removed": ["x/a.js", "x/b.js"], "updated": []}
        assert sorted(built["modules"]) == ["x", "y.js"]
        built = rebuild(client, tmp_path, "rm dist/x && mkdir dist/x && echo c > dist/x/c.js")
        assert built["changes"] == {"added": ["x/c.js"], "removed": ["x"], "updated": []}
        assert sorted(built["modules"]) == ["x/c.js", "y.js"]


def test_hidden_files_editor_leftovers_and_vcs_folders_are_never_modules(hmrd, tmp_path):
    script = ("mkdir -p dist/node_modules dist/.git dist/sub && echo 1 > dist/ok.js && echo 2 > dist/.hidden && "
              "echo 3 > dist/ok.js~ && echo 4 > dist/.ok.js.swp && echo 5 > dist/node_modules/p.js && "
              "echo 6 > dist/.git/HEAD && echo 7 > dist/4913 && echo 8 > dist/sub/#x# && echo 9 > dist/sub/in.css")
    client, sync = start(hmrd, tmp_path, script)
    with client:
        assert sorted(sync["modules"]) == ["ok.js", "sub/in.css"]
        built = rebuild(client, tmp_path, "echo changed > dist/ok.js~ && echo changed > dist/node_modules/p.js")
        assert built["changes"] == {"added": [], "removed": [], "updated": []}
        assert built["hash"] == sync["hash"]


def test_links_to_files_are_followed_and_links_to_folders_are_not(hmrd, tmp_path):
    script = "mkdir -p dist/real && echo one > dist/real/a.js && ln -sf real/a.js dist/link.js && ln -sfn real dist/linked"
    client, sync = start(hmrd, tmp_path, script)
    with client:
        assert sorted(sync["modules"]) == ["link.js", "real/a.js"]
        assert sync["modules"]["link.js"] == sync["modules"]["real/a.js"]
        built = rebuild(client, tmp_path, "echo two > dist/real/a.js")
        assert built["changes"] == {"added": [], "removed": [], "updated": ["link.js", "real/a.js"]}
        assert built["modules"]["link.js"] == built["modules"]["real/a.js"] != sync["modules"]["link.js"]


def test_one_change_among_many_files_updates_that_file_alone(hmrd, tmp_path):
    # 700 files in one folder (probed in ranges that several threads share) and 400 in 20 folders.
    script = ("mkdir -p dist/flat && cd dist/flat && for i in $(seq 1 700); do echo $i > f$i.js; done && cd .. && "
              "for d in $(seq 1 20); do mkdir -p d$d && for i in $(seq 1 20); do echo $d.$i > d$d/g$i.css; done; done")
    client, sync = start(hmrd, tmp_path, script)
    with client:
        assert len(sync["modules"]) == 1_100 and all(is_hash(h) for h in sync["modules"].values())
        built = rebuild(client, tmp_path, "echo new > dist/flat/f350.js && echo new > dist/d7/g3.css")
        assert built["changes"] == {"added": [], "removed": [], "updated": ["d7/g3.css", "flat/f350.js"]}
        assert {k for k, v in built["modules"].items() if sync["modules"][k] != v} == {"d7/g3.css", "flat/f350.js"}
        built = rebuild(client, tmp_path, "rm dist/flat/f1.js dist/flat/f500.js dist/d20/g20.css && "
                                          "echo a > dist/flat/f701.js && mkdir dist/d21 && echo b > dist/d21/h.css")
        assert built["changes"] == {"added": ["d21/h.css", "flat/f701.js"],
                                    "removed": ["d20/g20.css", "flat/f1.js", "flat/f500.js"], "updated": []}
        assert len(built["modules"]) == 1_099
        built = rebuild(client, tmp_path, "rm -r dist/d3")
        assert built["changes"]["removed"] == sorted(f"d3/g{i}.css" for i in range(1, 21))
        assert len(built["modules"]) == 1_079


def test_a_rewrite_that_keeps_the_size_and_the_modification_time_is_still_seen(hmrd, tmp_path):
    client, sync = start(hmrd, tmp_path, "echo aaaa > dist/app.js && touch -d @1000000000 dist/app.js")
    with client:
        time.sleep(0.05)  # past the racy window of the first walk, so the stamp alone decides
        built = rebuild(client, tmp_path, "echo bbbb > dist/app.js && touch -d @1000000000 dist/app.js")
        assert os.stat(tmp_path / "dist/app.js").st_mtime == 1000000000
        # The inode's change time still moved: that is part of the stamp.
        assert built["changes"] == {"added": [], "removed": [], "updated": ["app.js"]}


def test_a_rebuild_that_changes_nothing_reports_nothing(hmrd, tmp_path):
    client, sync = start(hmrd, tmp_path, "mkdir -p dist/a/b/c && echo deep > dist/a/b/c/d.js && echo top > dist/top.js")
    with client:
        built = rebuild(client, tmp_path, "true")
        assert built["changes"] == {"added": [], "removed": [], "updated": []}
        assert built["modules"] == sync["modules"] and built["hash"] == sync["hash"]


def test_a_file_stays_a_module_when_a_second_spelling_of_its_name_goes(hmrd, tmp_path):
    # "é" precomposed and decomposed: two files on Linux, one key for String equality.
    client, sync = start(hmrd, tmp_path, "printf 1 > dist/$(printf '\\303\\251').txt && printf 2 > dist/e$(printf '\\314\\201').txt")
    with client:
        assert len(os.listdir(tmp_path / "dist")) == 2
        assert [unicodedata.normalize("NFC", k) for k in sync["modules"]] == ["\u00e9.txt"]
        built = rebuild(client, tmp_path, "rm dist/e$(printf '\\314\\201').txt")
        assert [unicodedata.normalize("NFC", k) for k in built["modules"]] == ["\u00e9.txt"]
