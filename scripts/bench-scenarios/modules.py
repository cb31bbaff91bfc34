"""modules (--only modules): hot module replacement without a bundler at app size (issue
13): four figures over the 2,000-module graph of module_site.py (seven levels, features
of sections of groups of leaves, shared utils with 70-99 importers each), each with a goal.
A figure that could not be measured gets a row "not measured: why" and scripts/bench
exits 1; the others are still measured.

1. build exit -> `built`, 2,000 modules: hmrd (`--serve out`, default debounce) with the
   site in its out dir; the build is `cp -u src/leaf.js out/<leaf> && cp -u src/notes.txt
   out/<notes> && exec loadgen stamp FILE` (cp -u copies only the file that was saved),
   so its last process stamps the monotonic clock as it exits, as in build_exit.py.
   One raw stream (bench-tools/loadgen, armed with `trigger none` just before the save)
   times the `built` frame's arrival. Each round saves one file by rename (a temp name
   hmrd ignores, then os.replace): either the leaf (distinct content, its imports
   alternating between two sets of utils, so its edges move too) or, for the
   reference, a plain text file of the same size in the same folder, which hmrd hashes
   the same way but does not scan into the graph. Rounds alternate, 15 of each
   (--quick 6), after one of each not counted. Goal: p50 <= 10 ms. The reference
   column is the text file's: the ratio is what the graph update costs.
   Also: start to the first `built` (hashing and scanning all 2,000 modules).

2. serving a rewritten module: the same hmrd, after figure 1. The graph is read from
   GET /__hmr/graph, and every module is asked for at the version it gives
   (`/<key>?v=<version>`, as a page's imports name them; 720 of them mention
   import.meta.hot and get the prologue), 4,000 requests in all (--quick 1,500) in a
   shuffled order (fixed seed), after 50 not counted, on one keep-alive connection,
   each timed from the request's send to its body's last byte. The client is a minimal
   HTTP/1.1 loop in Python on a raw socket (TCP_NODELAY; the status line, the head and
   Content-Length read, the garbage collector off): with http.client, Python's own
   header parsing was over a third of the p50. Its CPU per request (thread time) is
   still given beside the figure, so the figure is a ceiling on hmrd's share. The
   reference is the notes/*.txt files (a leaf's size, listed in the module map, so read
   whole and hashed the same way, but sent as they are): 1 request in 5 is one, on the
   same connection. Every answer is checked (200, kept alive, imports carry `?v=`, the
   prologue where import.meta.hot is mentioned). Goal: p99 <= 1 ms.

3. save -> new module running in Chromium and 4. morph of a 5,000-element page: see
   modules_browser.py (headless Chromium through selenium, as styled.py drives it).

Run through scripts/bench: `scripts/bench --only modules [--quick]`.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import socket
import time

import module_site
import modules_browser
from modules_browser import save_by_rename
from common import BUILT, LOADGEN, BenchError, Hmrd, Loadgen, ms, pct

NAMES = ("modules",)

ROUNDS, ROUNDS_QUICK = 15, 6  # per kind (module, text), figure 1
REQUESTS, REQUESTS_QUICK = 4000, 1500  # module requests, figure 2
REFERENCE_EVERY = 5  # one request in 5 is a plain text file
GOAL_BUILT_P50_MS = 10
GOAL_SERVE_P99_MS = 1
ROUND_GAP_S = 0.1
SEED = 13

BUILD_EXIT_KEY, BUILD_EXIT_LABEL = "modules_build_exit", f"build exit->built {module_site.MODULES:,} modules"
SERVING_KEY, SERVING_LABEL = "modules_serving", f"serving {module_site.MODULES:,} modules"


class NotMeasured(Exception):
    """A figure that could not be measured; the others go on."""


def run(bench):
    """Adds the `modules` rows, goals and results to `bench` (see scripts/bench)."""
    print("modules: a 2,000-module ES module graph: build exit -> built, serving, save -> running in Chromium, "
          "morph", flush=True)
    project = bench.work / "modules-graph"
    t0 = time.monotonic()
    (project / "src").mkdir(parents=True)
    module_site.make_site(project / "out")
    shutil.copy2(project / "out" / module_site.LEAF, project / "src" / "leaf.js")
    shutil.copy2(project / "out" / module_site.LEAF_NOTE, project / "src" / "notes.txt")
    made_s = time.monotonic() - t0
    stamp = bench.work / "modules.stamp"
    build = (f"cp -u src/leaf.js out/{module_site.LEAF} && cp -u src/notes.txt out/{module_site.LEAF_NOTE}"
             f" && exec {LOADGEN} stamp {stamp}")
    hmrd = None
    try:
        t0 = time.monotonic()
        hmrd = Hmrd(project, build, extra=("--serve", "out"))
        hmrd.wait_builds(1, timeout=60)
        first_build_s = time.monotonic() - t0
        guarded(bench, BUILD_EXIT_KEY, BUILD_EXIT_LABEL,
                lambda: build_exit(bench, hmrd, project, stamp, first_build_s, made_s))
        guarded(bench, SERVING_KEY, SERVING_LABEL, lambda: serving(bench, hmrd))
    except (NotMeasured, BenchError) as e:  # hmrd did not start or build
        if out_of_time(e):
            raise
        for key, label in ((BUILD_EXIT_KEY, BUILD_EXIT_LABEL), (SERVING_KEY, SERVING_LABEL)):
            if key not in bench.results:
                not_measured(bench, key, label, str(e))
    finally:
        if hmrd:
            hmrd.stop()
    modules_browser.run(bench, guarded, not_measured)


def out_of_time(error: BaseException) -> bool:
    """The bench's own time limit (scripts/bench raises it from SIGALRM): it ends the run."""
    return isinstance(error, BenchError) and str(error).startswith("time limit")


def guarded(bench, key: str, label: str, measure):
    """Runs one figure; a failure to measure it becomes its "not measured" row."""
    try:
        measure()
    except Exception as e:  # noqa: BLE001 - any failure to measure is reported, not raised
        if out_of_time(e):
            raise
        reason = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
        not_measured(bench, key, label, reason)


def not_measured(bench, key: str, label: str, reason: str):
    bench.note(f"modules: {label}: not measured: {reason}")
    bench.results[key] = {"measured": False, "reason": reason}
    bench.rows.append((label, f"not measured: {reason}", "not measured", "", "", ""))


# ---------------------------------------------------------------- 1. build exit -> built


def build_exit(bench, hmrd: Hmrd, project, stamp, first_build_s: float, made_s: float):
    rounds = ROUNDS_QUICK if bench.quick else ROUNDS
    print(f"  build exit -> built: {rounds} module saves, {rounds} text saves", flush=True)
    note_text = (project / "src" / "notes.txt").read_text()
    lg = Loadgen(hmrd.port, 1)
    lat = {"module": [], "text": []}
    sizes = []
    try:
        builds = hmrd.builds()
        for k in range(2 * (rounds + 1)):
            kind = "module" if k % 2 == 0 else "text"
            stamp.unlink(missing_ok=True)
            # Armed first: loadgen times the first `built` after it, whoever triggers it.
            lg.proc.stdin.write(f"trigger none {BUILT} 20000\n")
            lg.proc.stdin.flush()
            time.sleep(0.02)
            if kind == "module":
                utils = (3, 17) if k % 4 == 0 else (5, 22)
                save_by_rename(project / "src" / "leaf.js", module_site.stamped_leaf(k + 1, f"r{k}", utils))
            else:
                save_by_rename(project / "src" / "notes.txt", f"round {k}\n" + note_text[len(f"round {k}\n"):])
            line = lg.out.next(30)
            if line is None:
                raise NotMeasured("loadgen did not answer: " + "".join(lg.err.lines[-3:]).strip())
            r = json.loads(line)
            if "error" in r:
                raise NotMeasured(f"loadgen: {r['error']}")
            builds += 1
            hmrd.wait_builds(builds, timeout=20)
            if not r["got"] or not stamp.exists():
                raise NotMeasured(f"round {k}: no built frame or no stamp ({r})")
            if any("build failed" in said for said in hmrd.out.lines + hmrd.err.lines):
                raise NotMeasured("a build failed: " + "".join(hmrd.err.lines[-3:]).strip())
            exited_ns = int(stamp.read_text())
            arrived_ns = r["trigger_ns"] + r["max_us"] * 1000
            if k >= 2:  # the first of each kind is not counted
                lat[kind].append((arrived_ns - exited_ns) / 1000)
                sizes.append(r["bytes"])
            time.sleep(ROUND_GAP_S)
    finally:
        lg.quit()
    m, t = lat["module"], lat["text"]
    entry = {"measured": True, "modules": module_site.MODULES, "rounds_per_kind": len(m),
             "module_p50_us": round(pct(m, 50)), "module_min_us": round(min(m)), "module_max_us": round(max(m)),
             "text_p50_us": round(pct(t, 50)), "text_min_us": round(min(t)), "text_max_us": round(max(t)),
             "module_all_us": [round(x) for x in m], "text_all_us": [round(x) for x in t],
             "frame_bytes": max(sizes), "first_build_s": round(first_build_s, 2), "site_made_s": round(made_s, 2)}
    bench.results[BUILD_EXIT_KEY] = entry
    ratio = entry["module_p50_us"] / entry["text_p50_us"] if entry["text_p50_us"] else 0
    bench.rows.append((BUILD_EXIT_LABEL,
                       f"min / p50 / max ms, one leaf changed ({len(m)} builds; ref: one .txt; "
                       f"{entry['frame_bytes'] // 1024} KiB frame)",
                       f"{ms(entry['module_min_us'])} / {ms(entry['module_p50_us'])} / {ms(entry['module_max_us'])}",
                       f"{ms(entry['text_min_us'])} / {ms(entry['text_p50_us'])} / {ms(entry['text_max_us'])}",
                       f"{ratio:.2f}x", f"<= {GOAL_BUILT_P50_MS}"))
    bench.rows.append(("", f"start to first built (hashing and scanning {module_site.MODULES:,} modules), s",
                       entry["first_build_s"], "", "", ""))
    bench.goal("modules build exit->built p50", ms(entry["module_p50_us"]), GOAL_BUILT_P50_MS,
               entry["module_p50_us"] <= GOAL_BUILT_P50_MS * 1000, "ms")


# ---------------------------------------------------------------- 2. serving rewritten modules


def serving(bench, hmrd: Hmrd):
    count = REQUESTS_QUICK if bench.quick else REQUESTS
    print(f"  serving: {count:,} module requests on one keep-alive connection", flush=True)
    conn = KeepAlive(hmrd.port)
    try:
        modules = json.loads(conn.get("/__hmr/graph"))["modules"]
        if len(modules) != module_site.MODULES:
            raise NotMeasured(f"the graph has {len(modules)} modules, not {module_site.MODULES}")
        rng = random.Random(SEED)
        keys = sorted(modules)
        order = []
        while len(order) < count:
            batch = keys[:]
            rng.shuffle(batch)
            order += batch
        notes = [f"notes/n{n:02d}.txt" for n in range(module_site.NOTES)]
        plan = []
        for i, key in enumerate(order[:count]):
            plan.append(("module", key))
            if i % (REFERENCE_EVERY - 1) == REFERENCE_EVERY - 2:
                plan.append(("text", notes[(i // (REFERENCE_EVERY - 1)) % len(notes)]))
        for key in keys[:50]:  # warm-up, not counted
            conn.get(f"/{key}?v={modules[key]['version']}")
        lat = {"module": [], "text": []}
        cpu = {"module": [], "text": []}
        sizes = []
        hot_seen = versioned = 0
        deadline = time.monotonic() + 60
        gc.disable()  # no collection pause inside a timed request
        try:
            for kind, key in plan:
                url = f"/{key}?v={modules[key]['version']}" if kind == "module" else f"/{key}"
                c0 = time.thread_time_ns()
                t0 = time.perf_counter_ns()
                body = conn.get(url)
                t1 = time.perf_counter_ns()
                c1 = time.thread_time_ns()
                lat[kind].append((t1 - t0) / 1000)
                cpu[kind].append((c1 - c0) / 1000)
                if kind == "module":
                    sizes.append(len(body))
                    if modules[key].get("hot"):
                        if b"__hmrHot" not in body:
                            raise NotMeasured(f"{key} mentions import.meta.hot and was served without the prologue")
                        hot_seen += 1
                    if modules[key]["imports"]:
                        if b"?v=" not in body:
                            raise NotMeasured(f"{key} was served without versioned imports")
                        versioned += 1
                if time.monotonic() > deadline:
                    raise NotMeasured("requests took over 60 s")
        finally:
            gc.enable()
    finally:
        conn.close()
    m, t = lat["module"], lat["text"]
    entry = {"measured": True, "requests": len(m), "reference_requests": len(t),
             "p50_us": round(pct(m, 50)), "p99_us": round(pct(m, 99)), "max_us": round(max(m)),
             "ref_p50_us": round(pct(t, 50)), "ref_p99_us": round(pct(t, 99)), "ref_max_us": round(max(t)),
             "client_cpu_p50_us": round(pct(cpu["module"], 50)),
             "module_bytes_p50": pct(sizes, 50), "served_with_prologue": hot_seen, "served_versioned": versioned}
    bench.results[SERVING_KEY] = entry
    bench.rows.append((SERVING_LABEL,
                       f"p50 / p99 / max ms per GET ?v=, keep-alive ({len(m):,}; ref: .txt of a leaf's size)",
                       f"{ms(entry['p50_us'])} / {ms(entry['p99_us'])} / {ms(entry['max_us'])}",
                       f"{ms(entry['ref_p50_us'])} / {ms(entry['ref_p99_us'])} / {ms(entry['ref_max_us'])}",
                       f"{entry['p50_us'] / max(1, entry['ref_p50_us']):.2f}x", f"p99 <= {GOAL_SERVE_P99_MS}"))
    bench.rows.append(("", "  of which the Python client's own CPU per request (p50), ms",
                       ms(entry["client_cpu_p50_us"]), "", "", ""))
    bench.goal("modules serving p99", ms(entry["p99_us"]), GOAL_SERVE_P99_MS,
               entry["p99_us"] <= GOAL_SERVE_P99_MS * 1000, "ms")


class KeepAlive:
    """One HTTP/1.1 connection kept alive, as little Python as a request can take: GET,
    then the head and exactly Content-Length bytes of body."""

    def __init__(self, port: int):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.pending = b""

    def get(self, url: str) -> bytes:
        self.sock.sendall(f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
        data = self.pending
        while (end := data.find(b"\r\n\r\n")) < 0:
            data += self.receive(url)
        head = data[:end].lower()
        at = head.find(b"\r\ncontent-length:")
        if at < 0:
            raise NotMeasured(f"GET {url}: no Content-Length in {data[:end][:300]!r}")
        line_end = head.find(b"\r\n", at + 2)
        size = int(head[at + 17:line_end if line_end > 0 else len(head)])
        while len(data) < end + 4 + size:
            data += self.receive(url)
        body, self.pending = data[end + 4:end + 4 + size], data[end + 4 + size:]
        if not head.startswith(b"http/1.1 200"):
            raise NotMeasured(f"GET {url}: {data[:end].splitlines()[0]!r} {body[:200]!r}")
        if b"\r\nconnection: close" in head:
            raise NotMeasured(f"GET {url}: hmrd closed the keep-alive connection")
        return body

    def receive(self, url: str) -> bytes:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise NotMeasured(f"GET {url}: hmrd closed the connection")
        return chunk

    def close(self):
        self.sock.close()
