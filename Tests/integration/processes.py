"""Process groups and ports for the tests that start other programs (browsers, nginx).

Browsers and nginx start helpers of their own; each is started in a process group of
its own, and at the end the whole group must be gone. These helpers find the
group's live members through /proc and end a group that lingers.
"""

from __future__ import annotations

import os
import subprocess
import signal
import socket
import time


def free_port() -> int:
    """A port nothing listens on right now (for a server that must come back on the same port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group pgid."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split(" ")
        # fields[0] is the state, fields[2] the process group.
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            members.append(int(entry))
    return members


def wait_group_gone(pgid: int, seconds: float) -> list[int]:
    """Waits up to `seconds` for the group to empty; returns who is still in it."""
    deadline = time.monotonic() + seconds
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def end_group(pgid: int, settle: float = 5.0) -> list[int]:
    """Waits for a process group to be gone; SIGKILLs it if it lingers. Returns what had to be killed."""
    left = wait_group_gone(pgid, settle)
    if left:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass
        wait_group_gone(pgid, 3)
    return left


def stop_process(proc: subprocess.Popen, timeout: float = 5.0):
    """SIGTERM, and SIGKILL if it has not ended within `timeout`; waits for it either way."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
