"""What the terminal shows: the listening line, build lines, colours, --quiet, --verbose,
--log-format json; and the `hmrd status` and `hmrd wait` commands against a real daemon.

Colours are checked under a real pseudo-terminal (python `pty`), since hmrd decides
them per stream with isatty; everything else reads pipes through the usual harness.
"""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import time
import uuid

import pytest

from conftest import (CP_BUILD, HMRD_BIN, LISTENING, Deadline, Output, css_project, http_request, poll, run_hmrd,
                      tagged_pids, write)
from processes import free_port

ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Fails when the stylesheet says "broken", after printing a compiler-like line.
FAILING_BUILD = ("mkdir -p dist && cp src/app.css dist/app.css && echo compiling-app-css && "
                 "if grep -q broken src/app.css; then echo 'src/app.css:1: broken' >&2; exit 3; fi")


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """Colours depend on the environment: start every daemon from a neutral one."""
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


def start(hmrd, tmp_path, *extra, build=CP_BUILD):
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", build, "--debounce", "30ms", *extra)
    # JSON lines carry the text line's words in "message", so the listening line is found the same way.
    first_build = r'"event":"built"' if "json" in extra else r"\[hmrd\] built "
    daemon.stdout.wait_for(first_build)
    return daemon


def quiet_start(hmrd, tmp_path, *extra, build=CP_BUILD):
    """A --quiet daemon: its listening line is all it says, so the first build is awaited through status."""
    css_project(tmp_path)
    daemon = hmrd("--watch", "src", "--out", "dist", "--build", build, "--debounce", "30ms", "--quiet", *extra)
    poll(lambda: daemon.status()["lastBuild"]["count"] >= 1, what="the first build")
    return daemon


# --------------------------------------------------------------------------- lines


def test_the_listening_line_names_the_url_the_stream_and_the_tag_to_paste(hmrd, tmp_path):
    daemon = hmrd("--watch", ".")
    base = f"http://127.0.0.1:{daemon.port}"
    assert f'[hmrd] listening on {base} — stream /__hmr, client <script src="{base}/__hmr/client.js"></script>\n' \
        in daemon.stdout.text


def test_a_build_prints_its_trigger_then_its_result_counts_and_clients_told(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    assert "[hmrd] building… (first build)" in daemon.stdout.text
    with daemon.stream() as client:
        client.wait_for("sync")
        mark = daemon.stdout.mark()
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        built = client.wait_for("built")
    daemon.stdout.wait_for(r"\[hmrd\] building… \(src/app\.css\)\n", since=mark)
    daemon.stdout.wait_for(rf"\[hmrd\] built {built['hash']} in \d+ms: 0 added, 1 updated, 0 removed; "
                           r"1 client told\n", since=mark)


def test_many_triggers_are_summed_up_as_three_and_n_more(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--debounce", "300ms")
    mark = daemon.stdout.mark()
    for n in range(5):
        write(tmp_path / f"src/f{n}.css", str(n))
    daemon.stdout.wait_for(r"\[hmrd\] building… \(src/f\d\.css, src/f\d\.css, src/f\d\.css and 2 more\)\n",
                           since=mark)


def test_a_failed_build_is_an_error_line_on_stderr_after_the_builds_own_output(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, build=FAILING_BUILD)
    mark = daemon.stderr.mark()
    write(tmp_path / "src/app.css", "broken\n")
    daemon.stderr.wait_for(r"src/app\.css:1: broken\n\[hmrd\] error: build failed in \d+ms: "
                           r"build exited with code 3; 0 clients told\n", since=mark)
    assert "compiling-app-css" in daemon.stdout.text, "the build's stdout is passed through"


def test_no_escape_codes_reach_a_pipe(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, build=FAILING_BUILD)
    write(tmp_path / "src/app.css", "broken\n")
    daemon.stderr.wait_for(r"\[hmrd\] error: build failed")
    assert "\x1b" not in daemon.stdout.text and "\x1b" not in daemon.stderr.text


# --------------------------------------------------------------------------- colours under a terminal


class TerminalDaemon:
    """hmrd with its stdout and stderr (or only one of them) on a pseudo-terminal."""

    def __init__(self, args, cwd, env_extra=None, stdout_tty=True, stderr_tty=True):
        self.tag = uuid.uuid4().hex
        env = dict(os.environ, HMRD_TEST_TAG=self.tag, **(env_extra or {}))
        master, slave = pty.openpty()
        self.proc = subprocess.Popen([str(HMRD_BIN), "--port", "0", *map(str, args)], cwd=cwd, env=env,
                                     stdin=subprocess.DEVNULL,
                                     stdout=slave if stdout_tty else subprocess.PIPE,
                                     stderr=slave if stderr_tty else subprocess.PIPE)
        os.close(slave)
        # Reading the master fails with EIO once hmrd (the last holder of the slave) exits: that is EOF.
        self.terminal = Output(os.fdopen(master, "rb", buffering=0), "the terminal")
        pipe = self.proc.stdout or self.proc.stderr
        self.pipe = Output(pipe, "the pipe") if pipe else None

    def wait_listening(self) -> int:
        deadline = Deadline(10)
        while not (match := LISTENING.search(ANSI.sub("", self.terminal.text + (self.pipe.text if self.pipe else "")))):
            assert not deadline.passed(), f"no listening line: {self.terminal.text!r}"
            time.sleep(0.02)
        return int(match.group(1))

    def finish(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=5)
        assert code == 0, f"hmrd exited with {code}: {self.terminal.text!r}"
        deadline = Deadline(2)
        while (left := tagged_pids(self.tag, exclude=(os.getpid(),))) and not deadline.passed():
            time.sleep(0.05)
        assert not left, f"processes left running: {left}"


@pytest.fixture
def terminal_hmrd(tmp_path):
    started = []

    def start_on_terminal(*args, **kwargs) -> TerminalDaemon:
        css_project(tmp_path)
        daemon = TerminalDaemon(["--watch", "src", "--out", "dist", "--debounce", "30ms", *args], tmp_path, **kwargs)
        started.append(daemon)
        daemon.port = daemon.wait_listening()
        return daemon

    yield start_on_terminal
    for daemon in started:
        daemon.finish()


def test_a_terminal_gets_colours(terminal_hmrd, tmp_path):
    daemon = terminal_hmrd("--build", FAILING_BUILD)
    daemon.terminal.wait_for(r"\x1b\[1;32mbuilt\x1b\[0m [0-9a-f]{16} in \d+ms")
    write(tmp_path / "src/app.css", "broken\n")
    daemon.terminal.wait_for(r"\x1b\[1;31merror:\x1b\[0m \x1b\[1;31mbuild failed\x1b\[0m in \d+ms")


def test_no_color_turns_colours_off_even_on_a_terminal(terminal_hmrd, tmp_path):
    daemon = terminal_hmrd("--build", FAILING_BUILD, env_extra={"NO_COLOR": "1"})
    daemon.terminal.wait_for(r"\[hmrd\] built [0-9a-f]{16} in \d+ms")
    write(tmp_path / "src/app.css", "broken\n")
    daemon.terminal.wait_for(r"\[hmrd\] error: build failed in \d+ms")
    assert "\x1b" not in daemon.terminal.text


def test_colours_are_decided_per_stream(terminal_hmrd, tmp_path):
    # stdout is a pipe (as with `hmrd | tee log`), stderr the terminal.
    daemon = terminal_hmrd("--build", FAILING_BUILD, stdout_tty=False)
    daemon.pipe.wait_for(r"\[hmrd\] built ")
    write(tmp_path / "src/app.css", "broken\n")
    daemon.terminal.wait_for(r"\x1b\[1;31merror:\x1b\[0m")
    assert "\x1b" not in daemon.pipe.text


def test_force_color_colours_a_pipe(terminal_hmrd, tmp_path):
    daemon = terminal_hmrd("--build", CP_BUILD, stdout_tty=False, env_extra={"FORCE_COLOR": "1"})
    daemon.pipe.wait_for(r"\x1b\[1;32mbuilt\x1b\[0m ")


def test_the_listening_line_keeps_its_words_together_in_colour(terminal_hmrd, tmp_path):
    # Scripts that find the port by "listening on http://HOST:PORT" keep working on a terminal.
    daemon = terminal_hmrd("--build", CP_BUILD)
    assert re.search(r"\x1b\[2m\[hmrd\]\x1b\[0m \x1b\[1;36mlistening on http://127\.0\.0\.1:\d+\x1b\[0m — stream",
                     daemon.terminal.text), daemon.terminal.text


# --------------------------------------------------------------------------- --quiet and --verbose


def test_quiet_keeps_the_listening_line_warnings_errors_and_a_failed_builds_output_only(hmrd, tmp_path):
    daemon = quiet_start(hmrd, tmp_path, build=FAILING_BUILD)
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        client.wait_for("built")
        write(tmp_path / "src/app.css", "broken\n")
        assert client.wait_for("built")["errors"]
        os.rename(tmp_path / "src", tmp_path / "gone")
        daemon.stderr.wait_for(r"\[hmrd\] warning: watch folder src was deleted")
    # The failed build's held-back output (both streams) comes right before its error line.
    daemon.stderr.wait_for(r"compiling-app-css\nsrc/app\.css:1: broken\n"
                           r"\[hmrd\] error: build failed in \d+ms: build exited with code 3; 1 client told\n")
    # The listening line stays: it is the only place a --port 0 daemon says its port.
    assert daemon.stdout.text.startswith(f"[hmrd] listening on http://127.0.0.1:{daemon.port} — "), daemon.stdout.text
    assert daemon.stdout.text.count("\n") == 1, daemon.stdout.text
    assert daemon.stderr.count("compiling-app-css") == 1, "only the failed build's output is shown"


def test_quiet_and_verbose_together_is_a_usage_error(tmp_path):
    result = run_hmrd("--quiet", "--verbose", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "hmrd: --quiet and --verbose cannot be used together (see hmrd --help)\n"


def test_verbose_shows_changes_client_connects_and_requests(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--verbose")
    mark = daemon.stdout.mark()
    with daemon.stream(headers={"Referer": "http://localhost:8080/page.html"}) as client:
        client.wait_for("sync")
        daemon.stdout.wait_for(r"\[hmrd\] client connected \(1 open\) from http://localhost:8080/page\.html\n",
                               since=mark)
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        client.wait_for("built")
    daemon.stdout.wait_for(r"\[hmrd\] client disconnected \(0 open\)\n", since=mark)
    daemon.stdout.wait_for(r"\[hmrd\] changed src/app\.css\n", since=mark)
    daemon.status()
    daemon.stdout.wait_for(r"\[hmrd\] GET /__hmr/status 200\n", since=mark)
    http_request(daemon.port, path="/nothing?x=1")
    daemon.stdout.wait_for(r"\[hmrd\] GET /nothing\?x=1 404 \(no route for /nothing\)\n", since=mark)
    http_request(daemon.port, path="/", host="evil.example")
    daemon.stdout.wait_for(r"\[hmrd\] GET / 403 \(.*evil\.example.*\)\n", since=mark)


def test_without_verbose_clients_and_requests_are_not_logged(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    with daemon.stream() as client:
        client.wait_for("sync")
    daemon.status()
    time.sleep(0.2)
    assert "client connected" not in daemon.stdout.text and "GET " not in daemon.stdout.text


# --------------------------------------------------------------------------- --log-format json


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_json_lines_parse_and_carry_the_events(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--log-format", "json", build=FAILING_BUILD)
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        good = client.wait_for("built")
        write(tmp_path / "src/app.css", "broken\n")
        client.wait_for("built")
    poll(lambda: '"build-failed"' in daemon.stdout.text, what="the build-failed line")
    lines = json_lines(daemon.stdout.text)
    for line in lines:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"]), line
        assert line["level"] in ("info", "notice", "warning", "error") and isinstance(line["message"], str), line
    events = [line["event"] for line in lines]
    assert events[:3] == ["listening", "building", "built"], events
    assert lines[0]["url"] == f"http://127.0.0.1:{daemon.port}" and lines[0]["stream"] == "/__hmr"
    assert lines[0]["level"] == "notice"
    assert lines[1]["trigger"] == [] and lines[1]["triggerCount"] == 0
    building = [line for line in lines if line["event"] == "building"][1]
    assert building["trigger"] == ["src/app.css"] and building["triggerCount"] == 1
    built = [line for line in lines if line["event"] == "built"][1]
    assert built["hash"] == good["hash"] and isinstance(built["ms"], int)
    assert (built["added"], built["updated"], built["removed"], built["clients"]) == (0, 1, 0, 1)
    [failed] = [line for line in lines if line["event"] == "build-failed"]
    assert failed["level"] == "error" and failed["exitCode"] == 3 and failed["clients"] == 1
    assert failed["reason"] == "build exited with code 3"
    assert "src/app.css:1: broken" in failed["output"]
    # The build's own output (its stdout too) is passed through on stderr, so stdout is JSON only.
    assert "compiling-app-css" in daemon.stderr.text and "src/app.css:1: broken" in daemon.stderr.text
    assert "[hmrd]" not in daemon.stderr.text


def test_json_warnings_are_lines_on_stdout_too(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--log-format", "json")
    os.rename(tmp_path / "src", tmp_path / "gone")
    poll(lambda: '"event":"warning"' in daemon.stdout.text, what="the warning line")
    [warning] = [line for line in json_lines(daemon.stdout.text) if line["event"] == "warning"]
    assert warning["level"] == "warning" and "src was deleted" in warning["message"]
    assert daemon.stderr.text == ""


def test_json_verbose_lines_are_debug_level(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--log-format", "json", "--verbose")
    with daemon.stream() as client:
        client.wait_for("sync")
        poll(lambda: '"client-connected"' in daemon.stdout.text, what="the connect line")
    [connected] = [line for line in json_lines(daemon.stdout.text) if line["event"] == "client-connected"]
    assert connected["level"] == "debug" and connected["clients"] == 1 and connected["page"] is None


def test_a_bad_log_format_is_a_usage_error(tmp_path):
    result = run_hmrd("--log-format", "xml", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--log-format must be text or json" in result.stderr


# --------------------------------------------------------------------------- hmrd status


def test_status_prints_the_running_daemons_state(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--name", "site")
    result = run_hmrd("status", "--port", daemon.port, cwd=tmp_path)
    assert result.returncode == 0, result
    hash_ = daemon.status()["hash"]
    lines = result.stdout.splitlines()
    assert lines[0] == f"url:        http://127.0.0.1:{daemon.port} (stream /__hmr)"
    assert lines[1:4] == ["state:      idle", "name:       site", f"hash:       {hash_}"]
    assert re.fullmatch(r"last build: ok in \d+ms \(exit code 0\); 1 build so far", lines[4]), lines[4]
    assert lines[5] == "clients:    0"
    assert re.fullmatch(r"uptime:     \d+s", lines[6]), lines[6]
    assert re.fullmatch(r"version:    \d+\.\d+\.\d+\S*", lines[7]), lines[7]
    assert result.stderr == ""


def test_status_shows_a_failed_last_build(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, build=FAILING_BUILD)
    write(tmp_path / "src/app.css", "broken\n")
    poll(lambda: daemon.status()["lastBuild"]["ok"] is False, what="the failed build")
    result = run_hmrd("status", "--port", daemon.port, cwd=tmp_path)
    assert re.search(r"last build: failed in \d+ms \(exit code 3\); 2 builds so far\n", result.stdout), result.stdout


def test_status_json_prints_what_the_daemon_sent(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--path", "/hot")
    result = run_hmrd("status", "--json", "--port", daemon.port, "--path", "/hot", cwd=tmp_path)
    assert result.returncode == 0, result
    report = json.loads(result.stdout)
    assert list(report) == ["state", "name", "hash", "lastBuild", "clients", "pages", "uptime", "version"]
    assert report["hash"] == json.loads(http_request(daemon.port, path="/hot/status").body)["hash"]
    assert report["lastBuild"]["count"] == 1 and report["lastBuild"]["ok"] is True


def test_status_with_nothing_listening_exits_1_naming_host_and_port(tmp_path):
    port = free_port()
    result = run_hmrd("status", "--port", port, cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == f"hmrd: no hmrd is listening on 127.0.0.1:{port} (start one, or pass --port)\n"


def test_status_against_another_path_says_it_is_not_hmrds_status(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    result = run_hmrd("status", "--port", daemon.port, "--path", "/elsewhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"hmrd: 127.0.0.1:{daemon.port} answered GET /elsewhere/status with 404: "
                             "not hmrd, or started with another --path\n")


def test_status_takes_its_flags_before_or_after_the_word(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, "--path", "/hot")
    after = run_hmrd("status", "--json", "--port", daemon.port, "--path", "/hot", cwd=tmp_path)
    before = run_hmrd("--port", daemon.port, "--path", "/hot", "--build", "make", "status", "--json", cwd=tmp_path)
    assert after.returncode == 0 and before.returncode == 0, (after, before)
    assert json.loads(before.stdout)["hash"] == json.loads(after.stdout)["hash"]


def test_status_refuses_port_0(tmp_path):
    result = run_hmrd("status", "--port", "0", cwd=tmp_path)
    assert result.returncode == 2 and "--port 0" in result.stderr and len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- hmrd wait


def start_wait(daemon, tmp_path, *extra) -> subprocess.Popen:
    """`hmrd wait` against daemon, once its stream is open (the daemon counts it as a client)."""
    before = daemon.status()["clients"]
    waiter = subprocess.Popen([str(HMRD_BIN), "wait", "--port", str(daemon.port), *map(str, extra)], cwd=tmp_path,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    poll(lambda: daemon.status()["clients"] > before or waiter.poll() is not None, what="hmrd wait to connect")
    return waiter


def finished(waiter: subprocess.Popen, timeout: float = 10) -> tuple[int, str, str]:
    out, err = waiter.communicate(timeout=timeout)
    return waiter.returncode, out, err


def test_wait_exits_0_after_a_good_build(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    waiter = start_wait(daemon, tmp_path)
    write(tmp_path / "src/app.css", "body { color: blue }\n")
    code, out, err = finished(waiter)
    assert code == 0, (out, err)
    assert re.fullmatch(rf"built {daemon.status()['hash']} in \d+ms: 0 added, 1 updated, 0 removed\n", out), out
    assert err == ""


def test_wait_exits_1_after_a_failing_build_showing_its_output(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, build=FAILING_BUILD)
    waiter = start_wait(daemon, tmp_path)
    write(tmp_path / "src/app.css", "broken\n")
    code, out, err = finished(waiter)
    assert code == 1 and out == ""
    assert re.search(r"src/app\.css:1: broken\nbuild exited with code 3\nhmrd: build failed in \d+ms\n$", err), err


def test_wait_counts_a_build_already_running_when_it_connects(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path, build=f"sleep 1 && {CP_BUILD}")
    with daemon.stream() as client:
        client.wait_for("sync")
        write(tmp_path / "src/app.css", "body { color: blue }\n")
        client.wait_for("building")
        waiter = start_wait(daemon, tmp_path)
        built = client.wait_for("built", timeout=5)
    code, out, _ = finished(waiter)
    assert code == 0 and built["hash"] in out


def test_wait_exits_124_when_its_timeout_passes(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    began = time.monotonic()
    result = run_hmrd("wait", "--port", daemon.port, "--timeout", "400ms", cwd=tmp_path)
    assert result.returncode == 124 and result.stdout == ""
    assert result.stderr == "hmrd: no build finished within 400ms (--timeout)\n"
    assert 0.35 < time.monotonic() - began < 5


def test_wait_with_nothing_listening_exits_1(tmp_path):
    port = free_port()
    result = run_hmrd("wait", "--port", port, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"hmrd: no hmrd is listening on 127.0.0.1:{port} (start one, or pass --port)\n"


def test_wait_exits_1_when_the_daemon_stops_first(hmrd, tmp_path):
    daemon = start(hmrd, tmp_path)
    waiter = start_wait(daemon, tmp_path)
    daemon.stop()
    code, _, err = finished(waiter)
    assert code == 1 and err == f"hmrd: the daemon on 127.0.0.1:{daemon.port} stopped before a build finished\n"


@pytest.mark.parametrize("args", [["--timeout", "soon"], ["--timeout", "0"], ["--port", "0"], ["--path", "x"]],
                         ids=lambda args: " ".join(args))
def test_wait_refuses_a_bad_flag_with_exit_2(tmp_path, args):
    result = run_hmrd("wait", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == "", result
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hmrd: ") and lines[0].endswith("(see hmrd --help)"), result


# --------------------------------------------------------------------------- --help


def test_help_lists_the_terminal_flags_and_the_subcommands(tmp_path):
    result = run_hmrd("--help", cwd=tmp_path)
    assert result.returncode == 0
    for text in ("--quiet", "--verbose", "--log-format <text|json>", "hmrd status", "hmrd wait", "SUBCOMMANDS:"):
        assert text in result.stdout, text
    subcommands = result.stdout.split("SUBCOMMANDS:")[1]
    for name in ("status", "wait", "nginx-config"):
        assert re.search(rf"^  {name} ", subcommands, re.M), name


@pytest.mark.parametrize("name, flags", [("status", ["--json", "--port", "--path"]),
                                         ("wait", ["--timeout", "--port", "--path"])])
def test_each_subcommand_has_its_own_help(tmp_path, name, flags):
    own = run_hmrd(name, "--help", cwd=tmp_path)
    assert own.returncode == 0 and own.stderr == ""
    for flag in flags:
        assert flag in own.stdout, flag
    assert "--build" not in own.stdout
    assert run_hmrd("help", name, cwd=tmp_path).stdout == own.stdout
