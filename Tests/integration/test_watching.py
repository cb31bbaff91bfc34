"""What the watcher sees and what it must not: new folders, the out dir, ignores, build loops."""

import os
import subprocess
import shutil

from conftest import CP_BUILD, css_project, poll, write


def start(hmrd, tmp_path, *args):
    daemon = hmrd(*args)
    poll(lambda: daemon.built_count() >= 1, what="the first build")
    return daemon


def test_a_new_subdirectory_is_watched(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        os.mkdir(tmp_path / "src/sub")
        assert client.events_within(0.5) == [], "an empty folder brings nothing to build"
        write(tmp_path / "src/sub/x.css", "x {}\n")
        assert client.wait_for("building")["trigger"] == ["src/sub/x.css"]
        client.wait_for("built")


def test_files_created_with_a_new_folder_tree_are_reported(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "150ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/a/b/c/deep.css", "deep {}\n")
        trigger = client.wait_for("building", timeout=3)["trigger"]
        assert "src/a/b/c/deep.css" in trigger, trigger
        client.wait_for("built")
        # And the new deepest folder is watched from now on.
        write(tmp_path / "src/a/b/c/deep.css", "deeper {}\n")
        assert client.wait_for("building", timeout=3)["trigger"] == ["src/a/b/c/deep.css"]


def test_the_out_dir_inside_the_watched_dir_does_not_loop(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", ".", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        assert client.events_within(1.0) == [], "the first build's output must not trigger a build"
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        assert client.wait_for("built")["changes"]["updated"] == ["app.css"]
        assert client.events_within(1.5) == [], "writing dist/ must not trigger another build"
    assert daemon.status()["lastBuild"]["count"] == 2


def test_an_out_dir_that_the_build_creates_is_ignored_too(hmrd, tmp_path):
    css_project(tmp_path)
    os.rmdir(tmp_path / "dist")
    daemon = start(hmrd, tmp_path, "--watch", ".", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        sync = client.wait_for("sync")
        assert list(sync["modules"]) == ["app.css"]
        assert client.events_within(1.0) == []
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        client.wait_for("building")
        client.wait_for("built")
        assert client.events_within(1.0) == []
    assert daemon.status()["lastBuild"]["count"] == 2


def test_editor_temp_files_trigger_no_build(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        for name in (".app.css.swp", ".app.css.swx", "4913", "app.css~", ".#app.css", "#app.css#"):
            write(tmp_path / "src" / name, "editor scratch")
        os.remove(tmp_path / "src/4913")
        assert client.events_within(0.8) == []
        # The watcher is alive: a real save right after is seen, and alone.
        write(tmp_path / "src/app.css", "saved\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]


def test_sed_in_place_gives_one_build_naming_only_the_edited_file(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        subprocess.run(["sed", "-i", "s/red/blue/", str(tmp_path / "src/app.css")], check=True)
        assert client.wait_for("building")["trigger"] == ["src/app.css"]  # not sed's temporary sedXXXXXX


def test_an_ignore_glob_keeps_matching_files_from_triggering_builds(hmrd, tmp_path):
    css_project(tmp_path)
    (tmp_path / "src/logs").mkdir()
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms",
                   "--ignore", "*.log")
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/debug.log", "noise")
        write(tmp_path / "src/logs/deep.log", "noise")
        assert client.events_within(0.8) == []
        write(tmp_path / "src/app.css", "saved\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]


def test_a_build_that_rewrites_a_watched_file_is_stopped_with_a_warning_naming_out(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--debounce", "30ms",
                  "--build", CP_BUILD + " && date +%s%N > src/stamp.txt")
    warning = daemon.stderr.wait_for(r"\[hmrd\] warning: .*", timeout=10).group(0)
    assert "--out" in warning
    assert "src/stamp.txt" in warning
    count = daemon.status()["lastBuild"]["count"]
    assert 2 <= count <= 5, f"{count} builds before the loop was noticed"
    with daemon.stream() as client:
        client.wait_for("sync")
        assert client.events_within(1.5) == [], "no more builds once the loop is reported"
    assert daemon.status()["lastBuild"]["count"] == count
    # A real edit still builds, and pages are told about the loop.
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "edited\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        built = client.wait_for("built")
        assert any("--out" in w for w in built["warnings"]), built["warnings"]


def test_a_folder_deleted_and_created_again_is_watched_again(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "src/sub/x.css", "x {}\n")
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        shutil.rmtree(tmp_path / "src/sub")
        assert "src/sub" in client.wait_for("building")["trigger"]
        client.wait_for("built")
        os.mkdir(tmp_path / "src/sub")
        write(tmp_path / "src/sub/y.css", "y {}\n")
        assert client.wait_for("building")["trigger"] == ["src/sub/y.css"]


def test_a_folder_moved_into_the_tree_is_watched_and_its_files_reported(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "elsewhere/pkg/a.css", "a {}\n")
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        os.rename(tmp_path / "elsewhere/pkg", tmp_path / "src/pkg")
        trigger = client.wait_for("building")["trigger"]
        # The kernel queues the move's notice to src before the moved folder's own; a watch
        # added in between hears that one, named like a child ("pkg"), which FolderNotice
        # reports in case a child of that name was deleted: a made-up path at worst.
        assert trigger[0] == "src/pkg/a.css" and set(trigger[1:]) <= {"src/pkg/pkg"}, trigger
        client.wait_for("built")
        write(tmp_path / "src/pkg/a.css", "a { color: red }\n")
        assert client.wait_for("building")["trigger"] == ["src/pkg/a.css"]


def test_a_folder_renamed_inside_the_tree_is_watched_under_its_new_name(hmrd, tmp_path):
    css_project(tmp_path)
    write(tmp_path / "src/old/a.css", "a {}\n")
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        os.rename(tmp_path / "src/old", tmp_path / "src/new")
        client.wait_for("building")
        client.wait_for("built")
        write(tmp_path / "src/new/a.css", "a { color: red }\n")
        assert client.wait_for("building")["trigger"] == ["src/new/a.css"]


def test_a_building_frame_names_at_most_100_paths(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "300ms")
    with daemon.stream() as client:
        client.wait_for("sync")
        for n in range(150):
            write(tmp_path / f"src/many/f{n:03}.txt", str(n))
        trigger = client.wait_for("building", timeout=3)["trigger"]
        assert len(trigger) == 100
        assert len(set(trigger)) == 100
        client.wait_for("built")
    # The log counts every changed path: 150 files (their new folder is none), three of them named.
    daemon.stdout.wait_for(r"building… \((?:src/many[^,]*, ){2}src/many[^ ]* and 147 more\)")


def test_several_watched_folders_prefix_their_module_paths(hmrd, tmp_path):
    write(tmp_path / "css/app.css", "a")
    write(tmp_path / "js/app.js", "b")
    daemon = hmrd("--watch", "css", "--watch", "js", "--debounce", "30ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    with daemon.stream() as client:
        assert sorted(client.wait_for("sync")["modules"]) == ["css/app.css", "js/app.js"]
        write(tmp_path / "js/app.js", "c")
        assert client.wait_for("building")["trigger"] == ["js/app.js"]
        assert client.wait_for("built")["changes"]["updated"] == ["js/app.js"]


def test_an_atomic_save_by_rename_gives_one_build_naming_the_file(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "50ms")
    with daemon.stream() as client:
        sync = client.wait_for("sync")
        write(tmp_path / "src/.app.css.tmp-1234", "body { color: teal }\n")
        os.replace(tmp_path / "src/.app.css.tmp-1234", tmp_path / "src/app.css")
        assert "src/app.css" in client.wait_for("building")["trigger"]
        built = client.wait_for("built")
        assert built["changes"]["updated"] == ["app.css"]
        assert built["hash"] != sync["hash"]
        assert client.events_within(0.8) == []


def test_a_symlink_loop_in_the_output_does_not_stop_the_walk(hmrd, tmp_path):
    write(tmp_path / "out/a.js", "a")
    os.symlink(".", tmp_path / "out/loop")
    daemon = hmrd("--watch", "out", "--debounce", "30ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    with daemon.stream() as client:
        assert client.wait_for("sync")["modules"].keys() == {"a.js"}
        write(tmp_path / "out/b.js", "b")
        client.wait_for("building")
        assert client.wait_for("built")["changes"]["added"] == ["b.js"]


def test_a_new_folder_tree_holding_only_ignored_files_starts_no_build(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = start(hmrd, tmp_path, "--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms",
                   "--ignore", "*.tmp")
    with daemon.stream() as client:
        client.wait_for("sync")
        for n in range(5):
            write(tmp_path / f"src/deep{n}/er/other.tmp", "scratch")
        assert client.events_within(0.8) == []
        write(tmp_path / "src/deep0/er/real.css", "real {}\n")
        assert client.wait_for("building")["trigger"] == ["src/deep0/er/real.css"]


def test_the_serve_folder_is_the_out_dir_and_is_not_watched_even_when_the_build_creates_it(hmrd, tmp_path):
    write(tmp_path / "src/app.css", "body { color: red }\n")
    build = "mkdir -p out && cp src/app.css out/app.css"
    daemon = start(hmrd, tmp_path, "--watch", ".", "--serve", "out", "--build", build, "--debounce", "30ms")
    with daemon.stream() as client:
        assert list(client.wait_for("sync")["modules"]) == ["app.css"]
        assert client.events_within(1.0) == [], "the build's own output must not start another build"
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        assert client.wait_for("building")["trigger"] == ["src/app.css"]
        assert client.wait_for("built")["changes"]["updated"] == ["app.css"]
        # Replaced wholesale by a build, it stays unwatched.
        shutil.rmtree(tmp_path / "out")
        assert client.events_within(0.8) == []
    assert daemon.status()["lastBuild"]["count"] == 2
    assert "warning" not in daemon.stderr.text
