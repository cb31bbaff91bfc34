"""proxy (--only proxy): what `hmrd --proxy URL` costs a site's requests, against the
backend asked directly.

The backend is bench-tools/backend.py, a process of its own (stdlib, HTTP/1.1 keep-alive):
a ~10 KB HTML page, a ~30 KB stylesheet and a 50 MB file. hmrd runs with
`--proxy http://127.0.0.1:BACKEND --port 0`. Figures, direct and through hmrd in turn:

1. page and asset latency: 1,000 GETs each (after 100 not counted), 16 at a time, each
   of 16 keep-alive connections asking again as soon as its answer is whole; timed
   from the request's send to its body's last byte by one selector loop (no threads,
   the garbage collector off), p50 / p99 and the difference. Every answer is checked:
   200, the asset byte for byte, the page with the client's script once (through
   hmrd). Goal: hmrd adds <= 1 ms at p50.
2. a 50 MB download on one connection, 5 each (--quick 3), alternating: median MB/s
   and the ratio. Goal: >= 80% of direct.
3. hmrd's memory, /proc/PID/status: VmRSS before the first request and after the
   last, and VmHWM (the peak). Goal: flat, the peak <= 10 MiB over the start (the
   50 MB file streams through, it is never held).

Before hmrd proxies (or to check this harness), HMRD_BENCH_PROXY_VIA chooses the
proxied side: `hmrd` (the default), `nginx` (the server `hmrd nginx-config --proxy`
prints, run by nginx in front of an hmrd without --proxy; its worker's memory), or
`backend` (the backend itself: the figures show the harness's own noise, no
injection is expected and no memory is read). The rows then name it.
"""

from __future__ import annotations

import gc
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time

from common import CHILDREN, TOOLS_SRC, BenchError, Hmrd, LineReader, pct, proc_rss_kib

NAMES = ("proxy",)

REQUESTS = 1000
WARMUP = 100
CONCURRENCY = 16
DOWNLOADS, DOWNLOADS_QUICK = 5, 3
BIG = "/big.bin"
GOAL_ADDED_P50_MS = 1.0
GOAL_THROUGHPUT_RATIO = 0.8
GOAL_PEAK_GROWTH_MIB = 10
CLIENT_TAG = b"/__hmr/client.js"
VIA = os.environ.get("HMRD_BENCH_PROXY_VIA", "hmrd")
REQUEST_TIMEOUT_S = 30


class NotMeasured(Exception):
    pass


def run(bench):
    if VIA not in ("hmrd", "nginx", "backend"):
        raise BenchError(f"HMRD_BENCH_PROXY_VIA must be hmrd, nginx or backend, not {VIA!r}")
    label = "proxy" if VIA == "hmrd" else f"proxy (via {VIA})"
    print(f"{label}: a backend's page, asset and 50 MB file, direct and through {VIA}", flush=True)
    if VIA != "hmrd":
        bench.note(f"{label}: the proxied side is {VIA}, not hmrd --proxy: a check of the harness")
    backend = proxy = None
    try:
        backend = start_backend()
        proxy = Proxied(bench, backend.port)
        measure(bench, label, backend.port, proxy)
    except Exception as e:  # noqa: BLE001 - any failure to measure is reported, not raised
        if isinstance(e, BenchError) and str(e).startswith("time limit"):
            raise
        reason = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
        bench.note(f"{label}: not measured: {reason}")
        bench.results["proxy"] = {"measured": False, "reason": reason, "via": VIA}
        bench.rows.append((label, f"not measured: {reason}", "not measured", "", "", ""))
    finally:
        if proxy:
            proxy.stop()
        if backend:
            CHILDREN.stop(backend.proc)


# ---------------------------------------------------------------- the three sides


class Backend:
    def __init__(self, proc, port: int):
        self.proc, self.port = proc, port


def start_backend() -> Backend:
    proc = CHILDREN.start([sys.executable, TOOLS_SRC / "backend.py"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = LineReader(proc.stdout), LineReader(proc.stderr)
    line = out.next(20)
    if not line or not line.startswith("listening "):
        raise BenchError("the backend did not start: " + "".join(err.lines[-5:]))
    return Backend(proc, int(line.split()[1]))


class Proxied:
    """The side under test: hmrd --proxy, or nginx with the printed server, or the backend itself."""

    def __init__(self, bench, backend_port: int):
        self.hmrd = None
        self.nginx = None
        self.pid = None
        origin = f"http://127.0.0.1:{backend_port}"
        if VIA == "backend":
            self.port = backend_port
            return
        project = bench.project("proxy", files=1)
        if VIA == "hmrd":
            self.hmrd = Hmrd(project, "true", extra=("--proxy", origin))
            self.port, self.pid = self.hmrd.port, self.hmrd.pid
            return
        self.hmrd = Hmrd(project, "true")
        self.port, self.nginx, self.pid = start_nginx(bench, origin, self.hmrd.port)

    def stop(self):
        if self.nginx:
            CHILDREN.stop(self.nginx)
        if self.hmrd:
            self.hmrd.stop()


def start_nginx(bench, origin: str, hmrd_port: int):
    """nginx (one worker) with `hmrd nginx-config --proxy` in its http block: (port, master, worker pid)."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if nginx is None:
        raise NotMeasured("nginx is not installed (apt-get install nginx)")
    folder = bench.work / "nginx"
    (folder / "temp").mkdir(parents=True, exist_ok=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printed = subprocess.run([str(Hmrd.binary), "nginx-config", "--port", str(hmrd_port), "--proxy", origin,
                              "--listen", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=10)
    if printed.returncode != 0:
        raise NotMeasured("hmrd nginx-config --proxy: " + printed.stderr.strip())
    temp = "".join(f"    {kind}_temp_path {folder}/temp/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "") +
        f"worker_processes 1;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\n    access_log off;\n{temp}{printed.stdout}}}\n")
    proc = CHILDREN.start([nginx, "-p", folder, "-c", folder / "nginx.conf", "-e", folder / "error.log",
                           "-g", "daemon off;"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise NotMeasured("nginx did not start: " + proc.stderr.read().decode(errors="replace")[-500:])
        try:
            worker = int(open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()[0])
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return port, proc, worker
        except (OSError, IndexError, ValueError):
            time.sleep(0.02)
    raise NotMeasured("nginx did not accept connections within 10 s")


# ---------------------------------------------------------------- measuring


def measure(bench, label: str, direct_port: int, proxy: Proxied):
    page = get_once(direct_port, "/page.html")
    css = get_once(direct_port, "/site.css")
    try:
        through = get_once(proxy.port, "/page.html")
        # hmrd's tag carries the build once the first one is published (`?build=HASH`): from then on
        # every page is the same, so the one to compare against is taken then.
        settled = time.monotonic() + 5
        while VIA == "hmrd" and b"?build=" not in through and time.monotonic() < settled:
            time.sleep(0.05)
            through = get_once(proxy.port, "/page.html")
    except NotMeasured as e:
        raise NotMeasured(f"{e} (does this hmrd proxy?)") from None
    if VIA != "backend":
        if through.count(CLIENT_TAG) != 1 or through.count(b"</body>") != 1:
            raise NotMeasured(f"the page through {VIA} does not carry the client's script once "
                              f"(does this hmrd have --proxy?): {through[-200:]!r}")
    elif through != page:
        raise NotMeasured("the backend answered the same page differently twice")
    rss_start = proc_rss_kib(proxy.pid) if proxy.pid else None

    latency = {}
    for name, path, want_direct, want_proxied in (("page", "/page.html", page, through),
                                                  ("asset", "/site.css", css, css)):
        print(f"  {name}: {REQUESTS:,} GETs of {path}, {CONCURRENCY} at a time, direct and through {VIA}", flush=True)
        latency[name] = {"direct": load(direct_port, path, want_direct), "proxied": load(proxy.port, path, want_proxied)}

    downloads = DOWNLOADS_QUICK if bench.quick else DOWNLOADS
    print(f"  download: {BIG} (50 MB) {downloads} times each, direct and through {VIA}", flush=True)
    size = len(get_once(direct_port, BIG))
    rates = {"direct": [], "proxied": []}
    for _ in range(downloads):
        rates["direct"].append(download(direct_port, size))
        rates["proxied"].append(download(proxy.port, size))
    rss_end = proc_rss_kib(proxy.pid) if proxy.pid else None

    entry = {"measured": True, "via": VIA, "requests": REQUESTS, "concurrency": CONCURRENCY,
             "page_bytes": len(page), "asset_bytes": len(css), "download_bytes": size}
    for name, sides in latency.items():
        for side, lat in sides.items():
            entry[f"{name}_{side}_p50_us"] = round(pct(lat, 50))
            entry[f"{name}_{side}_p99_us"] = round(pct(lat, 99))
        added = (pct(sides["proxied"], 50) - pct(sides["direct"], 50)) / 1000
        entry[f"{name}_added_p50_ms"] = round(added, 3)
        kib = round(len(page if name == "page" else css) / 1024)
        bench.rows.append((f"{label} {name} {kib} KB",
                           f"p50 / p99 ms, {REQUESTS:,} GETs {CONCURRENCY} at a time, keep-alive (ref: direct)",
                           f"{ms3(pct(sides['proxied'], 50))} / {ms3(pct(sides['proxied'], 99))}",
                           f"{ms3(pct(sides['direct'], 50))} / {ms3(pct(sides['direct'], 99))}",
                           f"{added:+.2f} ms p50", f"+<= {GOAL_ADDED_P50_MS:g} ms p50"))
        bench.goal(f"{label} {name}: added latency p50", round(added, 3), GOAL_ADDED_P50_MS,
                   added <= GOAL_ADDED_P50_MS, "ms")

    direct_rate, proxied_rate = median(rates["direct"]), median(rates["proxied"])
    ratio = proxied_rate / direct_rate if direct_rate else 0
    entry.update({"download_direct_mb_s": round(direct_rate), "download_proxied_mb_s": round(proxied_rate),
                  "download_ratio": round(ratio, 3),
                  "download_all_mb_s": {k: [round(r) for r in v] for k, v in rates.items()}})
    bench.rows.append((f"{label} 50 MB download", f"MB/s, median of {downloads} (ref: direct)",
                       f"{proxied_rate:.0f}", f"{direct_rate:.0f}", f"{ratio:.2f}x",
                       f">= {GOAL_THROUGHPUT_RATIO:.1f}x"))
    bench.goal(f"{label} 50 MB download: share of direct throughput", round(ratio, 3), GOAL_THROUGHPUT_RATIO,
               ratio >= GOAL_THROUGHPUT_RATIO, "x")

    if rss_start and rss_end:
        growth = (rss_end["VmHWM"] - rss_start["VmRSS"]) / 1024
        entry.update({"rss_start_kib": rss_start["VmRSS"], "rss_end_kib": rss_end["VmRSS"],
                      "hwm_end_kib": rss_end["VmHWM"], "peak_growth_mib": round(growth, 1)})
        whose = "hmrd's" if VIA == "hmrd" else "the nginx worker's"
        bench.rows.append((f"{label} memory", f"{whose} RSS MiB: start / end / peak (VmHWM)",
                           f"{rss_start['VmRSS'] / 1024:.1f} / {rss_end['VmRSS'] / 1024:.1f} / "
                           f"{rss_end['VmHWM'] / 1024:.1f}", "", f"{growth:+.1f} MiB peak",
                           f"peak +<= {GOAL_PEAK_GROWTH_MIB} MiB"))
        bench.goal(f"{label} memory: peak over start", round(growth, 1), GOAL_PEAK_GROWTH_MIB,
                   growth <= GOAL_PEAK_GROWTH_MIB, "MiB")
    bench.results["proxy"] = entry


def ms3(us: float) -> str:
    return f"{us / 1000:.3f}"


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


# ---------------------------------------------------------------- the client


def request_bytes(port: int, path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: gzip\r\n\r\n".encode()


def parse(buf: bytearray):
    """(status, body, bytes used, closes) once `buf` holds a whole response, else None;
    `closes`: the server ends the connection after it. Content-Length or chunked (a proxy
    that changes a body, as an injecting one does, may send it chunked)."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buf[:end]).lower()
    status = int(head[9:12])
    closes = b"\r\nconnection: close" in head
    start = end + 4
    at = head.find(b"\r\ncontent-length:")
    if at >= 0:
        line_end = head.find(b"\r\n", at + 2)
        size = int(head[at + 17:line_end if line_end > 0 else len(head)])
        if len(buf) < start + size:
            return None
        return status, bytes(buf[start:start + size]), start + size, closes
    if b"\r\ntransfer-encoding: chunked" not in head:
        raise NotMeasured(f"an answer with neither Content-Length nor chunked: {head[:300]!r}")
    body = bytearray()
    pos = start
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        if size == 0:
            end = buf.find(b"\r\n\r\n", line_end)  # after any trailers
            return None if end < 0 else (status, bytes(body), end + 4, closes)
        if len(buf) < line_end + 2 + size + 2:
            return None
        body += buf[line_end + 2:line_end + 2 + size]
        pos = line_end + 2 + size + 2


def get_once(port: int, path: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT_S) as sock:
        sock.sendall(request_bytes(port, path))
        buf = bytearray()
        while (done := parse(buf)) is None:
            chunk = sock.recv(1 << 20)
            if not chunk:
                raise NotMeasured(f"GET {path} on port {port}: the connection closed mid-answer")
            buf += chunk
    status, body = done[:2]
    if status != 200:
        raise NotMeasured(f"GET {path} on port {port}: {status} {body[:200]!r}")
    return body


def load(port: int, path: str, want: bytes) -> list[float]:
    """Latencies (µs) of REQUESTS GETs after WARMUP, CONCURRENCY keep-alive connections each
    asking again as soon as its answer is whole; every answer must be 200 with body `want`.
    A connection the server ends after an answer (Connection: close, as nginx does after
    keepalive_requests) is opened again, and counted."""
    request = request_bytes(port, path)
    selector = selectors.DefaultSelector()
    reopened = 0

    def connect(conn: dict):
        sock = socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT_S)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        conn.update(sock=sock, buf=bytearray())
        selector.register(sock, selectors.EVENT_READ, conn)

    conns = [{"sent": 0} for _ in range(CONCURRENCY)]
    for conn in conns:
        connect(conn)
    total = WARMUP + REQUESTS
    issued = done = 0
    latencies = []
    deadline = time.monotonic() + REQUEST_TIMEOUT_S * 2
    gc.disable()
    try:
        for conn in conns:
            conn["sent"] = time.perf_counter_ns()
            conn["sock"].send(request)
            issued += 1
        while done < total:
            if time.monotonic() > deadline:
                raise NotMeasured(f"GET {path}: {done} of {total} answers within {REQUEST_TIMEOUT_S * 2} s")
            for key, _ in selector.select(timeout=1):
                conn = key.data
                chunk = conn["sock"].recv(1 << 18)
                if not chunk:
                    raise NotMeasured(f"GET {path} on port {port}: the connection closed mid-answer")
                conn["buf"] += chunk
                while (answer := parse(conn["buf"])) is not None:
                    now = time.perf_counter_ns()
                    status, body, used, closes = answer
                    del conn["buf"][:used]
                    if status != 200 or body != want:
                        raise NotMeasured(f"GET {path} on port {port}: {status}, {len(body)} bytes, not the "
                                          f"{len(want)} expected: {body[:120]!r}")
                    if done >= WARMUP:
                        latencies.append((now - conn["sent"]) / 1000)
                    done += 1
                    if closes:
                        selector.unregister(conn["sock"])
                        conn["sock"].close()
                        reopened += 1
                        if issued < total:
                            connect(conn)
                    if issued < total:
                        conn["sent"] = time.perf_counter_ns()
                        conn["sock"].send(request)
                        issued += 1
                    if closes:
                        break
    finally:
        gc.enable()
        selector.close()
        for conn in conns:
            conn["sock"].close()
    if reopened > total // 10:
        raise NotMeasured(f"GET {path} on port {port}: {reopened} of {total} answers ended their connection "
                          "(keep-alive expected)")
    return latencies


def download(port: int, size: int) -> float:
    """MB/s of one GET of the big file, from the request's send to its last byte."""
    view = memoryview(bytearray(1 << 20))
    with socket.create_connection(("127.0.0.1", port), timeout=REQUEST_TIMEOUT_S) as sock:
        t0 = time.perf_counter()
        sock.sendall(request_bytes(port, BIG))
        head = bytearray()
        while (end := head.find(b"\r\n\r\n")) < 0:
            n = sock.recv_into(view)
            if not n:
                raise NotMeasured(f"GET {BIG} on port {port}: closed before the head")
            head += view[:n]
        lower = bytes(head[:end]).lower()
        if not lower.startswith(b"http/1.1 200"):
            raise NotMeasured(f"GET {BIG} on port {port}: {bytes(head[:end]).splitlines()[0]!r}")
        if b"\r\ncontent-length:" in lower:
            got = len(head) - end - 4
            while got < size:
                n = sock.recv_into(view)
                if not n:
                    break
                got += n
        else:
            got = chunked_length(sock, view, head[end + 4:], port)
        elapsed = time.perf_counter() - t0
    if got != size:
        raise NotMeasured(f"GET {BIG} on port {port}: {got} bytes, not {size}")
    return size / elapsed / 1e6


def chunked_length(sock, view: memoryview, buf: bytearray, port: int) -> int:
    """Reads a chunked body to its end, counting its bytes without keeping them."""
    got = 0
    while True:
        while (line_end := buf.find(b"\r\n")) < 0:
            n = sock.recv_into(view)
            if not n:
                raise NotMeasured(f"GET {BIG} on port {port}: closed mid-answer")
            buf += view[:n]
        size = int(bytes(buf[:line_end]).split(b";")[0], 16)
        del buf[:line_end + 2]
        if size == 0:
            return got
        need = size + 2  # the chunk and its CRLF
        take = min(need, len(buf))
        del buf[:take]
        need -= take
        while need > 0:
            n = sock.recv_into(view)
            if not n:
                raise NotMeasured(f"GET {BIG} on port {port}: closed mid-answer")
            if n > need:
                buf += view[need:n]
            need -= min(n, need)
        got += size
