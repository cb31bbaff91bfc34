"""Stopping: SIGTERM/SIGINT exit 0 and take the build's whole process group along."""

import os
import signal
import time

import pytest

from conftest import css_project, is_alive, poll, tagged_pids


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_when_idle_exits_0_and_ends_the_streams(hmrd, tmp_path, sig):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src")
    with daemon.stream() as client:
        client.wait_for("sync")
        assert daemon.stop(sig, timeout=3) == 0
        client.read_until_closed(timeout=3)
    daemon.stdout.wait_for(r"\[hmrd\] stopping")


def test_sigterm_mid_build_leaves_no_process_of_the_builds_group(hmrd, tmp_path):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist",
                  "--build", "echo build-started; sleep 30 & echo $! > grandchild.pid; sleep 30")
    daemon.stdout.wait_for("build-started")
    grandchild = int(poll(lambda: (tmp_path / "grandchild.pid").exists() and
                          (tmp_path / "grandchild.pid").read_text().strip(), what="the grandchild's pid"))
    assert is_alive(grandchild)
    builders = tagged_pids(daemon.tag, exclude=(daemon.pid, os.getpid()))
    assert len(builders) >= 2, "the shell and its two sleeps should be running"
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM, timeout=5) == 0
    assert time.monotonic() - started < 4
    assert not is_alive(grandchild)
    assert daemon.leftovers(settle=2.0) == []


def start_build_ignoring_term(hmrd, tmp_path):
    """A daemon whose build traps TERM and runs until killed; returns once the build is running."""
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist",
                  "--build", "trap '' TERM; echo stubborn-build; while :; do sleep 0.05; done")
    daemon.stdout.wait_for("stubborn-build")
    return daemon


def test_a_second_signal_skips_the_grace_for_a_build_ignoring_term(hmrd, tmp_path):
    daemon = start_build_ignoring_term(hmrd, tmp_path)
    daemon.send_signal(signal.SIGTERM)
    daemon.stdout.wait_for(r"\[hmrd\] stopping")
    assert daemon.proc.poll() is None, "hmrd waits for the build it asked to stop"
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM, timeout=5) == 0
    assert time.monotonic() - started < 1.5, "the second signal must not wait out the grace"
    assert daemon.leftovers(settle=2.0) == []


def test_a_build_ignoring_term_is_killed_after_the_grace(hmrd, tmp_path):
    daemon = start_build_ignoring_term(hmrd, tmp_path)
    started = time.monotonic()
    assert daemon.stop(signal.SIGTERM, timeout=6) == 0
    assert 1.5 < time.monotonic() - started < 4
    assert daemon.leftovers(settle=2.0) == []
