"""A stream that stops reading is dropped; the others keep receiving every frame."""

import socket
import struct

from conftest import CP_BUILD, Deadline, css_project, poll, write

FILES = 800


def big_output(root):
    """Watch-only output whose every `built` frame is ~200 KB: many files with long names
    (few enough that a debug build hashes them quickly)."""
    stem = "module-with-a-deliberately-long-name-so-each-entry-in-the-map-takes-room-" * 3
    for n in range(FILES):
        write(root / "out" / f"{stem}-{n:05}.js", str(n))


def test_a_slow_client_is_dropped_while_a_normal_one_gets_every_build(hmrd, tmp_path):
    big_output(tmp_path)
    daemon = hmrd("--watch", "out", "--debounce", "10ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ", timeout=20)

    normal = daemon.stream()
    first = normal.wait_for("sync")
    assert len(first["modules"]) == FILES
    # A small receive window, and never a read: the daemon's queue for it only grows.
    slow = daemon.stream(rcvbuf=4096)
    poll(lambda: daemon.status()["clients"] == 2, what="both streams to be open")

    touched = tmp_path / "out" / "touched.js"
    seen_hashes = [first["hash"]]
    deadline = Deadline(30)
    builds = 0
    while daemon.status()["clients"] == 2:
        assert not deadline.passed(), f"the slow stream was never dropped after {builds} builds"
        builds += 1
        write(touched, f"build {builds}")
        normal.wait_for("building")
        built = normal.wait_for("built")
        assert built["modules"]["touched.js"] != first["modules"].get("touched.js")
        assert built["hash"] not in seen_hashes, "every build reaches the normal client"
        seen_hashes.append(built["hash"])
    assert builds >= 3, "dropped too eagerly: several big frames must fit below the high-water mark"

    # The normal stream is unharmed and still gets what comes next.
    write(touched, "after the drop")
    normal.wait_for("building")
    assert normal.wait_for("built")["hash"] not in seen_hashes
    assert daemon.status()["clients"] == 1

    # The slow socket ends (EOF or reset) once it finally reads.
    slow.read_until_closed(timeout=10)
    normal.close()
    slow.close()


def test_a_stream_that_resets_is_removed_and_the_others_keep_receiving(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", CP_BUILD, "--debounce", "30ms")
    daemon.stdout.wait_for(r"\[hmrd\] built ")
    normal = daemon.stream()
    normal.wait_for("sync")
    gone = daemon.stream()
    gone.wait_for("sync")
    poll(lambda: daemon.status()["clients"] == 2, what="both streams to be open")
    # Close with a reset (linger 0) instead of a FIN.
    gone.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    gone.close()
    for colour in ("blue", "green"):
        write(tmp_path / "src/app.css", f"body {{ color: {colour} }}\n")
        normal.wait_for("building")
        assert normal.wait_for("built")["errors"] == []
    poll(lambda: daemon.status()["clients"] == 1, what="the reset stream to be removed")
    normal.close()
