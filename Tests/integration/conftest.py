"""End-to-end harness for hmrd: start the real binary, talk to it over raw sockets.

Only the Python standard library and pytest are used. Every test gets:

* its own temporary folder (``tmp_path``) as the daemon's working directory;
* ``hmrd(...)``: a factory that starts the daemon with ``--port 0``, waits for its
  ``listening on http://127.0.0.1:PORT`` line and returns a :class:`Daemon`;
* a hard per-test timeout (SIGALRM), so a hang fails instead of blocking CI;
* a teardown that sends SIGTERM, requires exit code 0, and checks that no process
  carrying the daemon's unique ``HMRD_TEST_TAG`` (which the build inherits) is left.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_bin = Path(os.environ.get("HMRD_BIN", ".build/debug/hmrd"))
HMRD_BIN = _bin if _bin.is_absolute() else (REPO / _bin)

TEST_TIMEOUT = float(os.environ.get("HMRD_TEST_TIMEOUT", "60"))
HEARTBEAT = "💓"
LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


# --------------------------------------------------------------------------- timing


class Deadline:
    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    def passed(self) -> bool:
        return self.left() <= 0


def poll(predicate, timeout: float = 5.0, interval: float = 0.02, what: str = "condition"):
    """Calls predicate until it returns something truthy; fails after timeout."""
    deadline = Deadline(timeout)
    while True:
        value = predicate()
        if value:
            return value
        if deadline.passed():
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class HardTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def hard_timeout(request):
    """Fails a test (setup, body and teardown) that runs longer than TEST_TIMEOUT."""
    def expired(signum, frame):
        raise HardTimeout(f"{request.node.nodeid} ran longer than {TEST_TIMEOUT:.0f}s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- processes


def process_state(pid: int) -> str | None:
    """The one-letter state of a process (R, S, Z, ...), or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    return stat[stat.rfind(")") + 2:].split(" ", 1)[0]


def is_alive(pid: int) -> bool:
    """True while pid runs; a zombie (nobody may reap orphans in a container) counts as dead."""
    state = process_state(pid)
    return state is not None and state not in ("Z", "X")


def tagged_pids(tag: str, exclude=()) -> list[int]:
    """Live processes whose environment carries HMRD_TEST_TAG=tag."""
    needle = f"HMRD_TEST_TAG={tag}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in exclude:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                env = f.read()
        except OSError:
            continue
        if needle in env.split(b"\0") and is_alive(int(entry)):
            found.append(int(entry))
    return found


def describe_pids(pids) -> str:
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            cmd = "?"
        out.append(f"{pid} ({cmd})")
    return ", ".join(out)


class Output:
    """A pipe read continuously by a background thread, so it never fills and can be awaited."""

    def __init__(self, pipe, name: str):
        self.name = name
        self.data = bytearray()
        self.closed = False
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._pump, args=(pipe,), daemon=True)
        self.thread.start()

    def _pump(self, pipe):
        fd = pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            with self.cond:
                if not chunk:
                    self.closed = True
                    self.cond.notify_all()
                    break
                self.data += chunk
                self.cond.notify_all()
        pipe.close()

    @property
    def text(self) -> str:
        with self.cond:
            return self.data.decode(errors="replace")

    def mark(self) -> int:
        """A position in the text; pass it as `since` to look only at later output."""
        return len(self.text)

    def count(self, pattern: str, since: int = 0) -> int:
        return len(re.findall(pattern, self.text[since:]))

    def wait_for(self, pattern: str, timeout: float = 5.0, since: int = 0, count: int = 1) -> re.Match:
        """Waits until `pattern` (a regex) has appeared `count` times after `since`; returns the last match."""
        regex = re.compile(pattern)
        deadline = Deadline(timeout)
        with self.cond:
            while True:
                text = self.data.decode(errors="replace")[since:]
                matches = list(regex.finditer(text))
                if len(matches) >= count:
                    return matches[count - 1]
                if self.closed or deadline.passed():
                    why = "the stream closed" if self.closed else f"{timeout}s passed"
                    pytest.fail(f"{why} before {self.name} showed {pattern!r} (x{count}); it has:\n{text[-3000:]}")
                self.cond.wait(min(deadline.left(), 0.2))


class Daemon:
    """One running hmrd."""

    def __init__(self, args, cwd: Path, wrapper=()):
        self.tag = uuid.uuid4().hex
        self.args = [str(a) for a in args]
        self.cwd = Path(cwd)
        env = dict(os.environ, HMRD_TEST_TAG=self.tag)
        env.pop("HMRD_BIN", None)
        # hmrd honours FORCE_COLOR, and the tests match its uncoloured lines (a CI may set it).
        env.pop("FORCE_COLOR", None)
        # `wrapper` runs first and must exec hmrd in its place (prlimit, unshare ... sh -c 'exec "$0" "$@"'),
        # so that the pid, the signals and the exit code are still hmrd's.
        self.proc = subprocess.Popen([*map(str, wrapper), str(HMRD_BIN), *self.args], cwd=self.cwd, env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.pid = self.proc.pid
        self.stdout = Output(self.proc.stdout, "stdout")
        self.stderr = Output(self.proc.stderr, "stderr")
        self.port: int | None = None
        self.exit_code: int | None = None
        self.problems: list[str] = []

    def wait_listening(self, timeout: float = 10.0) -> int:
        deadline = Deadline(timeout)
        while not LISTENING.search(self.stdout.text):
            if self.proc.poll() is not None or deadline.passed():
                self.stdout.thread.join(timeout=1)
                self.stderr.thread.join(timeout=1)
                pytest.fail(f"hmrd {' '.join(self.args)} did not start listening (exit code {self.proc.poll()}):\n"
                            f"stdout: {self.stdout.text[-1000:]}\nstderr: {self.stderr.text[-1000:]}")
            time.sleep(0.01)
        self.port = int(LISTENING.search(self.stdout.text).group(1))
        assert self.port != 0
        return self.port

    # --- convenience

    def status(self) -> dict:
        response = http_request(self.port, path="/__hmr/status")
        assert response.status == 200, response
        return json.loads(response.body)

    def client_tag(self) -> bytes:
        """The tag --serve puts in pages now: it names the current build."""
        return f'<script src="/__hmr/client.js?build={self.status()["hash"]}"></script>'.encode()

    def stream(self, path: str = "/__hmr", headers=None, rcvbuf: int | None = None) -> "SSEClient":
        client = SSEClient(self.port, path=path, headers=headers, rcvbuf=rcvbuf)
        client.read_head()
        return client

    def built_count(self) -> int:
        return self.stdout.count(r"\[hmrd\] built ") + self.stderr.count(r"\[hmrd\] error: build failed")

    # --- stopping

    def send_signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout: float = 5.0) -> int:
        """Signals the daemon and waits for it to exit; SIGKILL (and a recorded problem) if it does not."""
        if self.exit_code is None:
            if self.proc.poll() is None:
                self.proc.send_signal(sig)
            try:
                self.exit_code = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
                self.exit_code = -9
                self.problems.append(f"hmrd did not exit within {timeout}s of {signal.Signals(sig).name}; killed")
            self.stdout.thread.join(timeout=2)
            self.stderr.thread.join(timeout=2)
        return self.exit_code

    def leftovers(self, settle: float = 2.0) -> list[int]:
        """Processes still carrying this daemon's tag, after giving them `settle` seconds to go."""
        deadline = Deadline(settle)
        while True:
            pids = tagged_pids(self.tag, exclude=(os.getpid(),))
            if not pids or deadline.passed():
                return pids
            time.sleep(0.05)

    def finish(self) -> list[str]:
        """Teardown: stop, require exit 0, require nothing tagged left running."""
        code = self.stop()
        problems = list(self.problems)
        if code != 0:
            # A sanitizer report is long and its first lines matter most: show it whole.
            shown = self.stderr.text[-20000:] if "Sanitizer" in self.stderr.text else self.stderr.text[-2000:]
            problems.append(f"hmrd exited with {code}, expected 0; stderr:\n{shown}")
        left = self.kill_leftovers()
        if left:
            problems.append(f"processes of hmrd's build still running after it exited: {left}")
        return problems

    def kill_leftovers(self) -> str:
        """SIGKILLs what is left of this daemon's builds; describes what there was ("" for nothing)."""
        left = self.leftovers()
        described = describe_pids(left) if left else ""
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return described


@pytest.fixture
def hmrd(tmp_path):
    """Starts hmrd in tmp_path: hmrd("--build", "make", ...) -> Daemon (listening)."""
    started: list[Daemon] = []

    def start(*args, cwd: Path | None = None, wait: bool = True, timeout: float = 10.0, wrapper=()) -> Daemon:
        args = list(args)
        if "--port" not in args:
            args = ["--port", "0", *args]
        daemon = Daemon(args, cwd or tmp_path, wrapper)
        started.append(daemon)
        if wait:
            daemon.wait_listening(timeout)
        return daemon

    yield start
    problems = []
    for daemon in started:
        problems += daemon.finish()
    if problems:
        pytest.fail("\n".join(problems))


def run_hmrd(*args, cwd: Path, timeout: float = 10.0) -> subprocess.CompletedProcess:
    """Runs hmrd to completion (for command-line tests)."""
    env = dict(os.environ, HMRD_TEST_TAG=uuid.uuid4().hex)
    env.pop("FORCE_COLOR", None)
    return subprocess.run([str(HMRD_BIN), *map(str, args)], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


# --------------------------------------------------------------------------- files


def write(path: Path, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


HASH16 = re.compile(r"^[0-9a-f]{16}$")


def is_hash(value) -> bool:
    return isinstance(value, str) and bool(HASH16.match(value))


# --------------------------------------------------------------------------- HTTP


class Response:
    def __init__(self, status: int, reason: str, headers: list[tuple[str, str]], body: bytes, raw_head: bytes):
        self.status = status
        self.reason = reason
        self.header_list = headers
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body
        self.raw_head = raw_head

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def __repr__(self):
        return f"<Response {self.status} {self.headers} {self.body[:300]!r}>"


def parse_head(raw: bytes) -> tuple[int, str, list[tuple[str, str]]]:
    lines = raw.decode("latin-1").split("\r\n")
    version, status, *reason = lines[0].split(" ", 2)
    assert version == "HTTP/1.1", f"bad status line {lines[0]!r}"
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers.append((name, value.strip()))
    return int(status), (reason[0] if reason else ""), headers


def recv_until_head(sock: socket.socket, deadline: Deadline) -> tuple[bytes, bytes]:
    """Reads until the end of a response head; returns (head without the blank line, rest)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        left = deadline.left()
        if left <= 0:
            raise TimeoutError(f"no complete response head; got {buf[:500]!r}")
        sock.settimeout(left)
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(f"connection closed before a complete response head; got {buf[:500]!r}")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    return head, rest


def read_response(sock: socket.socket, deadline: Deadline, method: str = "GET") -> tuple[Response, bytes]:
    """One response from `sock`, and the bytes read past its body (the next pipelined response)."""
    head, body = recv_until_head(sock, deadline)
    status, reason, header_list = parse_head(head)
    response_headers = {n.lower(): v for n, v in header_list}
    length = response_headers.get("content-length")
    if method == "HEAD" or status in (204, 304):
        want = 0
    else:
        want = int(length) if length is not None else None
    while want is None or len(body) < want:
        left = deadline.left()
        if left <= 0:
            raise TimeoutError(f"response body incomplete: {len(body)} of {want} bytes")
        sock.settimeout(left)
        try:
            chunk = sock.recv(1 << 20)
        except ConnectionResetError:
            break
        if not chunk:
            break
        body += chunk
    rest = b""
    if want is not None:
        assert len(body) >= want, f"body shorter than Content-Length: {len(body)} < {want}"
        body, rest = body[:want], body[want:]
    return Response(status, reason, header_list, body, head), rest


def http_request(port: int, path: str = "/", method: str = "GET", headers=None, raw: bytes | None = None,
                 host: str | None = None, timeout: float = 5.0) -> Response:
    """One request over a fresh socket -> Response. `raw` sends exactly those bytes instead."""
    if raw is None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Connection: close"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
    deadline = Deadline(timeout)
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        return read_response(sock, deadline, method)[0]


# --------------------------------------------------------------------------- SSE


class StreamClosed(Exception):
    pass


class Frame:
    def __init__(self, raw: bytes, at: float):
        self.raw = raw
        self.at = at
        self.id: str | None = None
        self.retry: int | None = None
        data_lines = []
        for line in raw.decode().split("\n"):
            if line.startswith("id:"):
                self.id = line[3:].lstrip(" ")
            elif line.startswith("data:"):
                data_lines.append(line[5:].lstrip(" "))
            elif line.startswith("retry:"):
                self.retry = int(line[6:].strip())
        self.data_text = "\n".join(data_lines) if data_lines else None
        if self.data_text is None or self.data_text == HEARTBEAT:
            self.data = self.data_text
        else:
            self.data = json.loads(self.data_text)

    @property
    def action(self) -> str | None:
        return self.data.get("action") if isinstance(self.data, dict) else None

    def __repr__(self):
        return f"<Frame id={self.id} {self.data_text[:200] if self.data_text else self.raw!r}>"


class SSEClient:
    """An event-stream reader over a raw socket; frames are parsed incrementally."""

    def __init__(self, port: int, path: str = "/__hmr", headers=None, rcvbuf: int | None = None,
                 host: str | None = None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:
            # Before connect, so the advertised window stays small.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        lines = [f"GET {path} HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Accept: text/event-stream"]
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        self.body_start = b""
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.raw_head = b""
        self.frames: list[Frame] = []  # every frame read so far, retry and heartbeats included
        self.last_id: str | None = None
        self.retry: int | None = None
        self.eof = False

    def read_head(self, timeout: float = 5.0) -> "SSEClient":
        head, rest = recv_until_head(self.sock, Deadline(timeout))
        self.raw_head = head
        self.status, _, header_list = parse_head(head)
        self.headers = {n.lower(): v for n, v in header_list}
        self.buf = rest
        return self

    def read_first_bytes(self, count: int, timeout: float = 5.0) -> bytes:
        """The first `count` bytes of the body, without consuming them for frame parsing."""
        deadline = Deadline(timeout)
        while len(self.buf) < count:
            self._fill(deadline)
        return self.buf[:count]

    def _fill(self, deadline: Deadline):
        self.buf += self._receive(deadline)

    def _receive(self, deadline: Deadline) -> bytes:
        """The next bytes from the socket; TimeoutError at the deadline, StreamClosed at EOF or reset."""
        left = deadline.left()
        if left <= 0:
            raise TimeoutError("no frame in time")
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(262144)
        except socket.timeout:
            raise TimeoutError("no frame in time") from None
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
            raise StreamClosed("the server closed the stream")
        return chunk

    def next_raw_frame(self, timeout: float = 5.0) -> Frame:
        """The next frame of any kind (retry, heartbeat, event)."""
        deadline = Deadline(timeout)
        while b"\n\n" not in self.buf:
            self._fill(deadline)
        raw, _, self.buf = self.buf.partition(b"\n\n")
        frame = Frame(raw + b"\n\n", time.monotonic())
        self.frames.append(frame)
        if frame.id is not None:
            self.last_id = frame.id
        if frame.retry is not None:
            self.retry = frame.retry
        return frame

    def next_frame(self, timeout: float = 5.0):
        """The next data frame's payload: a dict for JSON, the string '💓' for a heartbeat."""
        deadline = Deadline(timeout)
        while True:
            frame = self.next_raw_frame(max(deadline.left(), 0.001))
            if frame.data is not None:
                return frame.data

    def next_event(self, timeout: float = 5.0) -> Frame:
        """The next frame carrying JSON (heartbeats and retry skipped), as a Frame."""
        deadline = Deadline(timeout)
        while True:
            frame = self.next_raw_frame(max(deadline.left(), 0.001))
            if isinstance(frame.data, dict):
                return frame

    def wait_for(self, action: str, timeout: float = 5.0) -> dict:
        """Skips frames until one with this action; returns its payload."""
        deadline = Deadline(timeout)
        while True:
            try:
                frame = self.next_event(max(deadline.left(), 0.001))
            except TimeoutError:
                raise TimeoutError(f"no {action!r} frame within {timeout}s; seen: {self.frames[-5:]}") from None
            if frame.action == action:
                return frame.data

    def events_within(self, seconds: float) -> list[Frame]:
        """Every JSON frame that arrives within `seconds` (used to show that nothing more happens)."""
        deadline = Deadline(seconds)
        got = []
        while not deadline.passed():
            try:
                got.append(self.next_event(max(deadline.left(), 0.001)))
            except TimeoutError:
                break
        return got

    def read_until_closed(self, timeout: float = 10.0) -> bytes:
        """Reads and discards until EOF/reset; fails if the stream stays open."""
        deadline = Deadline(timeout)
        total = 0
        while True:
            left = deadline.left()
            if left <= 0:
                pytest.fail(f"stream still open after {timeout}s ({total} bytes read)")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            except ConnectionResetError:
                return b""
            if not chunk:
                self.eof = True
                return b""
            total += len(chunk)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def is_closed_by_peer(sock: socket.socket, timeout: float) -> bool:
    """True once the peer has closed (EOF or reset) within `timeout`; data read meanwhile is discarded."""
    deadline = Deadline(timeout)
    while not deadline.passed():
        ready, _, _ = select.select([sock], [], [], max(deadline.left(), 0))
        if not ready:
            continue
        try:
            if not sock.recv(65536):
                return True
        except ConnectionResetError:
            return True
    return False


# --------------------------------------------------------------------------- projects

#: The build most tests use: copy the one stylesheet into the out dir.
CP_BUILD = "mkdir -p dist && cp src/app.css dist/app.css"
STATE_FIELDS = ["action", "name", "time", "hash", "warnings", "errors", "modules", "changes"]


def css_project(root: Path, css: str = "body { color: red }\n") -> Path:
    """src/app.css and an empty dist/ in root, for `--watch src --out dist --build CP_BUILD`."""
    write(root / "src" / "app.css", css)
    (root / "dist").mkdir(exist_ok=True)
    return root
