"""The command line: exit codes and one clear line for each mistake."""

import ctypes
import re
import socket
import subprocess

import pytest

from conftest import HMRD_BIN, http_request, run_hmrd


@pytest.mark.parametrize("args", [
    ["--port", "abc"],
    ["--port", "70000"],
    ["--heartbeat", "5x"],
    ["--debounce", "fast"],
    ["--on-busy", "later"],
    ["--build-timeout", "0"],
    ["--path", "no-slash"],
    ["--max-clients", "0"],
    ["--frobnicate"],
    ["--build"],
], ids=lambda args: " ".join(args))
def test_a_bad_flag_or_value_prints_one_line_and_exits_2(tmp_path, args):
    result = run_hmrd(*args, cwd=tmp_path)
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), result.stderr
    assert result.stdout == ""


def test_the_bad_flag_line_names_the_flag(tmp_path):
    result = run_hmrd("--heartbeat", "5x", cwd=tmp_path)
    assert "--heartbeat" in result.stderr


def test_a_missing_watch_folder_exits_1_naming_it(tmp_path):
    result = run_hmrd("--port", "0", "--watch", "no-such-folder", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "no-such-folder" in lines[0], result.stderr
    assert "listening" not in result.stdout


def test_a_missing_serve_folder_exits_1_naming_it(tmp_path):
    (tmp_path / "src").mkdir()
    result = run_hmrd("--port", "0", "--watch", "src", "--serve", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert "nowhere" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_port_in_use_exits_1_mentioning_the_port_flag(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_hmrd("--port", port, "--watch", ".", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "--port" in lines[0] and str(port) in lines[0], result.stderr


def test_help_exits_0_and_lists_the_flags(tmp_path):
    result = run_hmrd("--help", cwd=tmp_path)
    assert result.returncode == 0
    for flag in ("--build", "--watch", "--out", "--serve", "--host", "--port", "--path", "--heartbeat", "--debounce",
                 "--ignore", "--on-busy", "--build-timeout", "--name", "--public-path", "--allow-host",
                 "--allow-origin", "--max-clients", "--version"):
        assert flag in result.stdout, flag


def test_version_exits_0_and_matches_the_status_version(hmrd, tmp_path):
    result = run_hmrd("--version", cwd=tmp_path)
    assert result.returncode == 0
    match = re.match(r"hmrd (\d+\.\d+\.\d+\S*) \(libuv (\d+\.\d+\.\d+)\)$", result.stdout.strip())
    assert match, result.stdout
    libuv = ctypes.CDLL("libuv.so.1")
    libuv.uv_version_string.restype = ctypes.c_char_p
    assert match.group(2) == libuv.uv_version_string().decode(), "the libuv hmrd runs with"
    daemon = hmrd("--watch", ".")
    assert daemon.status()["version"] == match.group(1)


def test_port_0_prints_the_real_port(hmrd, tmp_path):
    daemon = hmrd("--watch", ".")
    assert daemon.port > 0
    assert http_request(daemon.port, path="/__hmr/status").status == 200
    assert re.search(rf'<script src="http://127\.0\.0\.1:{daemon.port}/__hmr/client\.js"></script>', daemon.stdout.text)


@pytest.mark.parametrize("flag, value", [
    ("--heartbeat", "250ms"), ("--heartbeat", "10s"), ("--debounce", "30"), ("--debounce", "0"),
    ("--build-timeout", "2m"),
])
def test_durations_accept_ms_s_m_and_bare_milliseconds(hmrd, tmp_path, flag, value):
    daemon = hmrd("--watch", ".", flag, value)
    assert daemon.status()["state"] in ("idle", "building")


def test_the_inotify_watch_limit_exits_1_naming_the_sysctl(tmp_path):
    # A real limit, lowered only inside a user namespace of our own so the machine's is untouched.
    for n in range(6):
        (tmp_path / "src" / "/".join(f"d{i}" for i in range(n + 1))).mkdir(parents=True, exist_ok=True)
    script = f'echo 3 > /proc/sys/user/max_inotify_watches && exec "{HMRD_BIN}" --watch src --port 0'
    probe = subprocess.run(["unshare", "-Ur", "sh", "-c", "echo 3 > /proc/sys/user/max_inotify_watches"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces are not available here: {probe.stderr.strip()}")
    result = subprocess.run(["unshare", "-Ur", "sh", "-c", script], cwd=tmp_path, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "fs.inotify.max_user_watches" in lines[0], result.stderr
