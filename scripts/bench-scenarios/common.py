"""What the scenarios of scripts/bench share: the processes it starts (every one stopped at
exit: CHILDREN), hmrd under test (Hmrd), the load generator (Loadgen) and the floor
(FanoutRef, the simplest epoll fan-out), throwaway projects, /proc readings, the few
statistics the rows are made of, and Bench, which a scenario fills with rows, goals and
results. It measures nothing by itself.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS_SRC = REPO / "scripts" / "bench-tools"  # the C tools' sources
TOOLS_OUT = REPO / ".build" / "bench-tools"
HMRD = REPO / ".build" / "release" / "hmrd"
LOADGEN = TOOLS_OUT / "loadgen"
FANOUT_REF = TOOLS_OUT / "fanout-ref"

LISTENING = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
BUILT_LINE = re.compile(r"\[hmrd\] (built |build failed)")
BUILT = '"action":"built"'
BUILDING = '"action":"building"'
SYNC = '"action":"sync"'
HEARTBEAT = "data: \U0001F493\n\n"  # hmrd's heartbeat frame, as webpack-hot-middleware sends it

# hmrd's defaults, which the goals are stated against.
DEBOUNCE_MS = 50
HEARTBEAT_S = 10
# hmrd's head deadline: its timer runs until 10 s after the last connection arrived,
# so an idle window starts after it.
HEAD_DEADLINE_S = 10
# The descriptor budget hmrd keeps for builds (DescriptorBudget in HMRCore).
RESERVE_DIVISOR, RESERVE_MIN, RESERVE_MAX = 8, 16, 256
MODULES = 200  # entries in the fan-out module map


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- processes


class Children:
    """Every process the bench starts, each in its own session, stopped at exit whatever happens."""

    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, args, **kw) -> subprocess.Popen:
        proc = subprocess.Popen([str(a) for a in args], start_new_session=True, **kw)
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, sig=signal.SIGTERM, grace=10.0):
        if proc.poll() is None:
            try:
                proc.send_signal(sig)
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass
        # The whole group: anything the process left behind in it.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream:
                try:
                    stream.close()
                except OSError:
                    pass

    def stop_all(self):
        for proc in self.procs:
            self.stop(proc, grace=3.0)
        self.procs.clear()


CHILDREN = Children()


class LineReader:
    """Collects a child's output lines on a thread, so its pipe never fills."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        for raw in stream:
            line = raw.decode(errors="replace") if isinstance(raw, bytes) else raw
            self.lines.append(line)
            self.queue.put(line)
        self.queue.put(None)

    def next(self, timeout: float) -> str | None:
        try:
            return self.queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None


# ---------------------------------------------------------------- /proc readings


def proc_cpu_ns(pid: int) -> int:
    """CPU time of every thread of pid, in ns (schedstat: exact, not in ticks)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total


def proc_user_sys_ms(pid: int) -> tuple[float, float]:
    """User and system CPU of the whole process, in ms (clock ticks: coarse, fine over seconds)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    return int(fields[11]) * tick, int(fields[12]) * tick


def proc_switches(pid: int) -> tuple[int, int]:
    """Voluntary and involuntary context switches, summed over threads: each wake-up from
    epoll_wait is one voluntary switch."""
    vol = invol = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        vol += int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches:"):
                        invol += int(line.split()[1])
        except OSError:
            pass
    return vol, invol


def proc_rss_kib(pid: int) -> dict[str, int]:
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key = line.split(":")[0]
            if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
                out[key] = int(line.split()[1])
    return out


def fd_soft_limit(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    raise BenchError("no fd limit in /proc/PID/limits")


def listen_overflows() -> int:
    """The kernel's count of connections dropped because an accept queue was full: each costs
    its client a SYN retransmission (1 s, then 3 s, ...)."""
    with open("/proc/net/netstat") as f:
        lines = f.read().splitlines()
    for names, values in zip(lines[::2], lines[1::2]):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:]))
            return int(table.get("ListenOverflows", 0))
    return 0


# ---------------------------------------------------------------- hmrd, loadgen, the floor


class Hmrd:
    # The copy of the binary under test (Bench sets it).
    binary: Path = HMRD

    def __init__(self, project: Path, build_cmd: str, extra=()):
        self.project = project
        self.proc = CHILDREN.start(
            [Hmrd.binary, "--build", build_cmd, "--watch", "src", "--out", "out", "--port", "0",
             "--max-clients", "1000000", *extra],
            cwd=project, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = LineReader(self.proc.stdout)
        self.err = LineReader(self.proc.stderr)
        self.port = 0
        deadline = time.monotonic() + 20
        while not self.port:
            line = self.out.next(deadline - time.monotonic())
            if line is None:
                raise BenchError("hmrd did not start: " + "".join(self.err.lines[-5:]))
            if m := LISTENING.search(line):
                self.port = int(m.group(1))

    @property
    def pid(self) -> int:
        return self.proc.pid

    def builds(self) -> int:
        return sum(1 for line in self.out.lines + self.err.lines if BUILT_LINE.search(line))

    def wait_builds(self, count: int, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while self.builds() < count:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise BenchError(f"hmrd did not finish build {count}: " + "".join(self.err.lines[-5:]))
            time.sleep(0.01)

    def capacity(self) -> int:
        """Streams hmrd admits before its descriptor reserve: free descriptors below it."""
        limit = fd_soft_limit(self.pid)
        reserve = min(min(max(limit // RESERVE_DIVISOR, RESERVE_MIN), RESERVE_MAX), limit // 2)
        in_use = len(os.listdir(f"/proc/{self.pid}/fd"))
        return limit - reserve - in_use

    def warnings(self) -> list[str]:
        return [line.strip() for line in self.err.lines][:10]

    def stop(self):
        CHILDREN.stop(self.proc)


class Loadgen:
    """bench-tools/loadgen.c: N event streams, and per round the arrival time of a frame on each."""

    def __init__(self, port: int, n: int, concurrency: int = 256, ready: str = SYNC, timeout_ms: int = 120_000):
        self.proc = CHILDREN.start(
            [LOADGEN, "--port", port, "-n", n, "--concurrency", concurrency, "--ready", ready,
             "--timeout", timeout_ms],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.out = LineReader(self.proc.stdout)
        self.err = LineReader(self.proc.stderr)
        self.connected = self._reply(timeout_ms / 1000 + 10)

    def _reply(self, timeout: float) -> dict:
        line = self.out.next(timeout)
        if line is None:
            raise BenchError("loadgen did not answer: " + "".join(self.err.lines[-5:]))
        return json.loads(line)

    def command(self, text: str, timeout: float) -> dict:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return self._reply(timeout)

    def round(self, how: str, arg, marker: str, timeout_ms: int = 30_000) -> dict:
        reply = self.command(f"trigger {how} {arg} {marker} {timeout_ms}", timeout_ms / 1000 + 10)
        if "error" in reply:
            raise BenchError("loadgen: " + reply["error"])
        return reply

    def stats(self) -> dict:
        return self.command("stats", 10)

    def quit(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
                self.proc.wait(15)
            except (OSError, subprocess.TimeoutExpired):
                pass
        CHILDREN.stop(self.proc)


class FanoutRef:
    """bench-tools/fanout-ref.c, the floor: greets each stream with `sync`, then writes `frame`
    to every stream on each connection to its control port."""

    def __init__(self, frame: Path, sync: Path):
        self.proc = CHILDREN.start([FANOUT_REF, "--frame", frame, "--sync", sync], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        line = self.proc.stdout.readline().split()
        if len(line) != 3 or line[0] != "listening":
            raise BenchError("fanout-ref did not start: " + self.proc.stderr.read())
        self.port, self.control = int(line[1]), int(line[2])

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        except OSError:
            pass
        CHILDREN.stop(self.proc)


# ---------------------------------------------------------------- projects


def make_project(root: Path, files: int = MODULES - 1, size: int = 300, dirs: int = 0) -> Path:
    """src/trigger.txt (watched) and an out dir of `files` files; the build copies the trigger
    into out/, so the module map has files + 1 entries."""
    (root / "src").mkdir(parents=True)
    (root / "src" / "trigger.txt").write_text("round 0\n")
    out = root / "out"
    block = os.urandom(size)
    if dirs:
        per_dir = files // dirs
        for d in range(dirs):
            folder = out / f"d{d:02d}"
            folder.mkdir(parents=True)
            for i in range(per_dir):
                # Distinct contents (so distinct hashes), without paying for urandom per file.
                name = f"f{i:03d}.bin"
                (folder / name).write_bytes(f"{d}/{i}\n".encode() + block)
    else:
        (out / "assets").mkdir(parents=True)
        for i in range(files):
            (out / "assets" / f"mod-{i:03d}.js").write_text(f"export const m{i} = {i};\n" + "//" * (size // 2) + "\n")
    return root


def copy_build(stamp: Path | None = None) -> str:
    cmd = "cp src/trigger.txt out/trigger.txt"
    if stamp:
        # The build's last act stamps the monotonic clock: the start of "build exit → built".
        cmd += f" && exec {LOADGEN} stamp {stamp}"
    return cmd


def capture_sync_frame(port: int) -> bytes:
    """The `sync` frame hmrd sends a new client. With `built` for `sync` it is, byte for byte,
    the `built` frame of the current state: same id, same fields."""
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(f"GET /__hmr HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                data = b""
                while chunk := s.recv(1 << 20):
                    data += chunk
                    head, _, body = data.partition(b"\r\n\r\n")
                    if not head.startswith(b"HTTP/1.1 200"):
                        break  # turned away while descriptors are freed: try again
                    for frame in body.split(b"\n\n")[:-1]:
                        if SYNC.encode() in frame:
                            return frame + b"\n\n"
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError("could not read hmrd's sync frame")


def frames_for_ref(work: Path, sync: bytes, name: str) -> tuple[Path, Path]:
    """fanout-ref's broadcast frame (hmrd's `built`) and greeting frame (hmrd's `sync`)."""
    built_path, sync_path = work / f"built-{name}.txt", work / f"sync-{name}.txt"
    built_path.write_bytes(sync.replace(SYNC.encode(), BUILT.encode(), 1))
    sync_path.write_bytes(sync)
    return built_path, sync_path


# ---------------------------------------------------------------- statistics


def median_round(rounds: list[dict], key: str = "spread_us") -> dict:
    """The round whose `key` is the median: one coherent set of figures."""
    ordered = sorted(rounds, key=lambda r: r[key])
    return ordered[(len(ordered) - 1) // 2]


def with_spread(r: dict) -> dict:
    r["spread_us"] = r["p99_us"] - r["first_us"]
    return r


def pct(values: list[float], p: int) -> float:
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))
    return ordered[rank - 1]


def ms(us) -> float:
    return round(us / 1000, 2)


# ---------------------------------------------------------------- what a scenario fills


class Bench:
    """One run: the options, a private copy of hmrd in a temp dir, and what the scenarios
    found: `rows` (the printed table, in order), `goals` and `results` (the JSON)."""

    def __init__(self, args, binary: Path):
        self.args = args
        self.quick = args.quick
        self.work = Path(tempfile.mkdtemp(prefix="hmrd-bench-"))
        Hmrd.binary = self.work / "hmrd"
        shutil.copy2(binary, Hmrd.binary)
        self.results: dict = {}
        self.rows: list[tuple] = []
        self.goals: list[dict] = []

    def wants(self, *names: str) -> bool:
        """Whether --only names any of these scenarios."""
        return any(name in self.args.only for name in names)

    def project(self, name: str, **kw) -> Path:
        return make_project(self.work / name, **kw)

    def goal(self, name: str, value, limit, met: bool, unit: str):
        self.goals.append({"name": name, "value": value, "goal": limit, "unit": unit, "met": met})

    def note(self, text: str):
        print(f"  {text}", flush=True)

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)
