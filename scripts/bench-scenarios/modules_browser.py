"""The Chromium figures of `modules` (modules.py): an edited ES module until its new
instance runs, and the page's own HTML morphed in place. Headless Chromium is driven
through selenium and chromedriver as styled.py drives it (its Browser: a fresh profile,
a process group of its own, ended at the end), one Chromium per figure so that the
first page's heap does not slow the second, and page times are put on the system
clock as styled.py does (performance.timeOrigin + performance.now() against Date.now(),
measured in the page before and after the saves). Without Chromium, both rows say
"not measured".

A recorder is installed in each page before any of its scripts (CDP
Page.addScriptToEvaluateOnNewDocument). On the page's clock it keeps: each `built` frame
as it arrives (a `message` listener added to the client's EventSource ahead of the
client's own); the Resource Timing entries of every request with `?v=`, `?build=` or
`?hmr=` (a PerformanceObserver; it does not enlarge the page's resource buffer, which
the client sizes itself); the runs of the edited leaf and of its section's accept
callback (the modules push them into it); and, for the morph, the watched text and
attribute after each DOM mutation (a MutationObserver on the document). It counts the
page's loads in sessionStorage: a reload is a failure, counted, never a figure.

3. save -> new module running: the 2,000-module site (module_site.py) served by
   `hmrd --build "cp src/leaf.js out/<leaf>" --watch src --out out --serve out
   --debounce 0 --log-format json --verbose`: the build copies the one saved file, as
   styled.py's does, so the figure is hmrd's and the page's, not a compiler's. The leaf
   features/f07/s2/g1/l3.js is saved 20 times (--quick 8) after 2 warm-up saves, by
   rename (a temp file, then os.replace: one build per save), distinct content each
   time, random gaps of 150-400 ms (fixed seed). Its importer's importer, the section
   features/f07/s2/index.js, accepts the update (import.meta.hot.accept of its groups),
   so the client imports the group at its new version, which imports the new leaf. The
   new leaf stamps performance.timeOrigin + performance.now() as its body runs;
   latency = that stamp (system clock) - time.time() just before the save. A save with
   no run of its content within 3 s of the next save (or of the last) is a miss. After
   each gap the recorder's new entries are read, which also finds reloads: a few small
   arrays, well under a millisecond of the page's main thread, though while an update
   takes longer than the gap the read can fall inside one.
   Breakdown per save, by the chain back from its run: the last graph request before
   it (`/__hmr/graph?build=HASH`, Resource Timing: start, request sent, first byte,
   last byte), the last `built` frame in the page before that, the group's and then
   the leaf's `?v=` requests (start, last byte) after the graph, the leaf's run and the
   section's accept callback; and from hmrd's JSON log (whole ms, +0.5) the `changed`
   notice after the save, the build's start and exit. Goal: p50 <= 20 ms.

4. morph of a 5,000-element page: module_site.morph_page (48 sections of a list, a form
   and a table; no scripts but the client's tag, which --serve injects) served by its
   own hmrd with a `cp src/index.html out/index.html` build, --debounce 0. Each edit
   (12, --quick 8, after 1 warm-up; saved by rename, gaps 150-400 ms, then waited for)
   changes one text node deep in the page and one attribute of another element. Latency:
   the `built` frame's arrival in the page -> the first mutation after which both show
   the edit (goal p50 <= 30 ms), and from the save. Breakdown, back from the change:
   the frame -> the client's fetch of the page's HTML (`/?hmr=HASH`, Resource Timing)
   -> its last byte -> the DOM changed (parsing it, checking it and the morph). The
   page must not reload, and must show every edit.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import module_site
from common import CHILDREN, BenchError, Hmrd
from styled import Browser, Lines, chromium_missing, epoch_ms, pct

SAVES, SAVES_QUICK = 20, 8
WARMUP = 2
EDITS, EDITS_QUICK = 12, 8
MORPH_WARMUP = 1
GAP_S = (0.150, 0.400)
MISS_AFTER_S = 3.0
PAGE_LOAD_S = 60  # 2,000 modules over six connections, on a loaded 2-core machine
GOAL_RUNNING_P50_MS = 20
GOAL_MORPH_P50_MS = 30
SEED = 13

GRAPH_PATH = "/__hmr/graph"  # the client asks for a build's graph here, ?build=HASH

SAVE_KEY, SAVE_LABEL = "modules_save", "save->running 2,000 modules"
MORPH_KEY = "modules_morph"

RECORDER = r"""
(() => {
  if (window.__bench) return;
  const now = () => performance.timeOrigin + performance.now();
  let loads = 1;
  try {
    loads = Number(sessionStorage.getItem('hmrdBenchLoads') || 0) + 1;
    sessionStorage.setItem('hmrdBenchLoads', String(loads));
  } catch (e) {}
  const rec = window.__bench = {origin: performance.timeOrigin, loads: loads, frames: [], resources: [], runs: [],
                                accepted: [], dom: [], watch: null};
  // A `built` frame as it arrives, before the client's own onmessage: only its time.
  const NativeEventSource = window.EventSource;
  if (NativeEventSource) {
    window.EventSource = class extends NativeEventSource {
      constructor(url, init) {
        super(url, init);
        this.addEventListener('message', (ev) => {
          const t = now();
          if (typeof ev.data === 'string' && ev.data.indexOf('"action":"built"') >= 0) rec.frames.push({t: t});
        });
      }
    };
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!/[?&](v|build|hmr)=/.test(e.name)) continue;
        rec.resources.push({name: e.name, start: e.startTime, requestStart: e.requestStart,
                            responseStart: e.responseStart, end: e.responseEnd});
      }
    }).observe({type: 'resource', buffered: true});
  } catch (e) {}
  // The morph: the watched text and attribute, after each batch of mutations.
  rec.check = () => {
    const w = rec.watch;
    if (!w) return;
    const a = document.querySelector(w.text), b = document.querySelector(w.attr);
    const text = a ? a.textContent : null, attr = b ? b.getAttribute(w.name) : null;
    const last = rec.dom[rec.dom.length - 1];
    if (!last || last.text !== text || last.attr !== attr) rec.dom.push({t: now(), text: text, attr: attr});
  };
  new MutationObserver(rec.check).observe(document,
                                          {subtree: true, childList: true, characterData: true, attributes: true});
  rec.read = (from) => ({
    origin: rec.origin, loads: rec.loads, frames: rec.frames.slice(from.frames),
    resources: rec.resources.slice(from.resources), runs: rec.runs.slice(from.runs),
    accepted: rec.accepted.slice(from.accepted), dom: rec.dom.slice(from.dom),
  });
})();
"""

READ = "return window.__bench && window.__bench.read ? window.__bench.read(arguments[0]) : null;"
PAGE_READY = ("window.__bench && window.hmr && window.hmr.status().connected && window.hmr.status().hash"
              " && document.readyState === 'complete'")


# ---------------------------------------------------------------- hmrd with a JSON log


class JsonDaemon:
    """hmrd serving `out` with --debounce 0 and a JSON log (--verbose: the `changed` notices)."""

    def __init__(self, project: Path, build: str):
        self.proc = CHILDREN.start(
            [Hmrd.binary, "--build", build, "--watch", "src", "--out", "out", "--serve", "out", "--port", "0",
             "--debounce", "0", "--log-format", "json", "--verbose"],
            cwd=project, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = Lines(self.proc.stdout)
        self.err = Lines(self.proc.stderr)
        self.port = 0
        deadline = time.monotonic() + 20
        while not self.port:
            item = self.out.next(deadline - time.monotonic())
            if item is None:
                raise RuntimeError("hmrd did not start: " + "".join(l for _, l in self.err.lines[-5:]).strip())
            event = parse(item[1])
            if event and event.get("event") == "listening":
                self.port = int(urlsplit(event.get("url") or event.get("message", "").split()[-1]).port or 0)
                if not self.port:
                    raise RuntimeError(f"hmrd's listening line has no port: {item[1].strip()}")

    def events(self) -> list[dict]:
        """Its JSON log lines, each with `floor` (its stamp, whole ms) and `t` (+0.5 ms)."""
        out = []
        for _, line in list(self.out.lines):
            e = parse(line)
            if e and "event" in e and "time" in e:
                e["floor"] = epoch_ms(e["time"])
                e["t"] = e["floor"] + 0.5
                out.append(e)
        return out

    def wait_built(self, count: int, timeout: float):
        deadline = time.monotonic() + timeout
        while sum(1 for e in self.events() if e["event"] in ("built", "build-failed")) < count:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"hmrd did not finish build {count} within {timeout:.0f} s: "
                                   + "".join(l for _, l in self.err.lines[-3:]).strip())
            time.sleep(0.02)
        if any(e["event"] == "build-failed" for e in self.events()):
            raise RuntimeError("a build failed: " + next(e.get("message", "") for e in self.events()
                                                         if e["event"] == "build-failed"))

    def complaints(self) -> list[str]:
        said = [e.get("message", "") for e in self.events() if e.get("level") in ("warning", "error")]
        return said + [l.strip() for _, l in self.err.lines if l.strip()]

    def stop(self):
        CHILDREN.stop(self.proc)


def parse(line: str) -> dict | None:
    try:
        e = json.loads(line)
    except ValueError:
        return None
    return e if isinstance(e, dict) else None


# ---------------------------------------------------------------- the page


def wait(browser: Browser, expression: str, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = browser.peek(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.03)


class Recorder:
    """What the page's recorder kept, read in slices, on the page's clock; reloads counted."""

    def __init__(self, browser: Browser):
        self.browser = browser
        self.origin = None
        self.loads = 0
        self.reloads = 0
        self.kept = {"frames": [], "resources": [], "runs": [], "accepted": [], "dom": []}
        self.cursor = {k: 0 for k in self.kept}

    def start(self):
        """From now on: what the page did so far is not kept."""
        state = self.browser.js(READ, {k: 0 for k in self.kept})
        self.origin, self.loads = state["origin"], state["loads"]
        self.cursor = {k: len(state[k]) for k in self.kept}

    def read(self) -> bool:
        """Keeps what is new; False when the page is another document now (a reload)."""
        try:
            state = self.browser.js(READ, self.cursor)
        except Exception:  # noqa: BLE001 - a page being replaced answers nothing
            state = None
        if not state or state["origin"] != self.origin:
            return False
        for k in self.kept:
            # Page times to epoch ms on the page's clock; Resource Timing is relative to timeOrigin.
            for item in state[k]:
                if k == "resources":
                    for f in ("start", "requestStart", "responseStart", "end"):
                        item[f] = self.origin + item[f] if item.get(f) else None
                self.kept[k].append(item)
            self.cursor[k] += len(state[k])
        return True

    def follow(self, ready: str, what: str):
        """Reads; after a reload, counts it, waits for the new page and follows that one."""
        if self.read():
            return
        wait(self.browser, ready, PAGE_LOAD_S, what + " after a reload")
        state = self.browser.js(READ, {k: 0 for k in self.kept})
        self.reloads += max(1, state["loads"] - self.loads)
        self.loads = state["loads"]
        self.origin = state["origin"]
        self.cursor = {k: len(state[k]) for k in self.kept}


def save_by_rename(path: Path, text: str) -> float:
    """An editor's atomic save; returns time.time() in ms, taken just before it."""
    tmp = path.with_name(path.name + ".save~")  # a backup name: hmrd ignores it
    t = time.time()
    tmp.write_text(text)
    os.replace(tmp, path)
    return t * 1000


def r2(x):
    return None if x is None else round(x, 2)


def breakdown_of(rows: list[dict], stages: list[tuple[str, str]]) -> dict:
    out = {}
    for a, b in stages:
        diffs = [row[b] - row[a] for row in rows if row.get(a) is not None and row.get(b) is not None]
        out[f"{a}->{b}"] = {"p50_ms": r2(statistics.median(diffs)) if diffs else None, "n": len(diffs),
                            "max_ms": r2(max(diffs)) if diffs else None}
    return out


def cell(breakdown: dict, *keys) -> str:
    return " / ".join("-" if breakdown[k]["p50_ms"] is None else f"{breakdown[k]['p50_ms']:g}" for k in keys)


def path_of(url: str) -> str:
    return urlsplit(url).path


def last(items):
    """The last of `items`, or None."""
    found = None
    for found in items:
        pass
    return found


# ---------------------------------------------------------------- the figures


def run(bench, guarded, not_measured):
    morph_label = f"morph {module_site.count_elements(module_site.morph_page(0)):,} elements"
    missing = chromium_missing()
    for key, label, figure in ((SAVE_KEY, SAVE_LABEL, save_to_running),
                               (MORPH_KEY, morph_label, lambda b, browser: morph(b, browser, morph_label))):
        if missing:
            not_measured(bench, key, label, missing)
        else:
            guarded(bench, key, label, lambda figure=figure: in_fresh_browser(bench, figure))


def in_fresh_browser(bench, figure):
    """A Chromium of its own for each figure: what one page left in the renderer's heap
    does not slow the next."""
    try:
        browser = Browser()
    except BenchError:
        raise  # the bench's time limit
    except Exception as e:  # noqa: BLE001 - a Chromium that cannot start is one that is missing here
        raise RuntimeError("Chromium did not start: " + (str(e).strip().splitlines() or [repr(e)])[0]) from None
    try:
        browser.driver.set_page_load_timeout(PAGE_LOAD_S)
        browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORDER})
        figure(bench, browser)
    finally:
        lingering = browser.quit()
        if lingering:
            bench.note(f"modules: Chromium's process group still had {lingering} 5 s after quit (killed)")


def save_to_running(bench, browser: Browser):
    saves = SAVES_QUICK if bench.quick else SAVES
    print(f"  save -> running in Chromium: {saves} saves of a leaf", flush=True)
    project = bench.work / "modules-page"
    (project / "src").mkdir(parents=True)
    module_site.make_site(project / "out")
    leaf = project / "src" / "leaf.js"
    shutil.copy2(project / "out" / module_site.LEAF, leaf)
    daemon = JsonDaemon(project, f"cp src/leaf.js out/{module_site.LEAF}")
    try:
        daemon.wait_built(1, 60)
        ready = PAGE_READY + " && window.__benchMainRan === true"
        t0 = time.monotonic()
        browser.driver.get(f"http://127.0.0.1:{daemon.port}/")
        wait(browser, ready, PAGE_LOAD_S, "the 2,000-module page to run and its client to connect")
        load = browser.js("return {ms: window.__benchMainRanAt, modules: performance.getEntriesByType('resource')"
                          ".filter((e) => e.name.indexOf('?v=') >= 0).length};")
        load["wall_s"] = round(time.monotonic() - t0, 2)
        rec = Recorder(browser)
        rec.start()
        rng = random.Random(SEED)
        value = 0

        def save() -> tuple[int, float]:
            nonlocal value
            value += 1
            return value, save_by_rename(leaf, module_site.stamped_leaf(value, f"{rng.getrandbits(32):08x}"))

        for _ in range(WARMUP):  # the first updates of a fresh page are not what a session sees
            v, _ = save()
            deadline = time.monotonic() + MISS_AFTER_S
            while time.monotonic() < deadline:
                rec.follow(ready, "the page")
                if any(r["value"] == v and r["hot"] for r in rec.kept["runs"]):
                    break
                time.sleep(0.05)
            time.sleep(rng.uniform(*GAP_S))
        clock = browser.clock_offset_ms()
        written = []
        for _ in range(saves):
            written.append(save())
            time.sleep(rng.uniform(*GAP_S))
            rec.follow(ready, "the page")  # a small read: well under a millisecond of the page's time
        deadline = time.time() + MISS_AFTER_S
        while time.time() < deadline:
            rec.follow(ready, "the page")
            if any(r["value"] == written[-1][0] and r["hot"] for r in rec.kept["runs"]):
                break
            time.sleep(0.1)
        clock_end = browser.clock_offset_ms()
        time.sleep(0.2)  # hmrd's last log lines through the pipe
        result = analyse_saves(written, rec, daemon.events(), clock, clock_end)
        result["page_load"] = load
        result["complaints"] = daemon.complaints()[:10]
    finally:
        try:
            browser.driver.get("about:blank")  # the event stream closes before hmrd stops
        except Exception:  # noqa: BLE001
            pass
        daemon.stop()
    report_saves(bench, result)


def analyse_saves(written, rec: Recorder, events, clock, clock_end) -> dict:
    """Latency, misses and the chain of each save; all times in system-clock ms."""
    offset = (clock["offset_ms"] + clock_end["offset_ms"]) / 2
    frames = [f["t"] - offset for f in rec.kept["frames"]]
    runs = [(r["value"], r["t"] - offset) for r in rec.kept["runs"] if r["hot"]]
    section = module_site.SECTION[len("features/"):-len("/index.js")]  # as the section names itself
    accepted = [a["t"] - offset for a in rec.kept["accepted"] if a["section"] == section]
    res = [{**r, **{f: (r[f] - offset if r[f] else None) for f in ("start", "requestStart", "responseStart", "end")}}
           for r in rec.kept["resources"]]
    changed = [e for e in events if e["event"] == "changed" and str(e.get("path", "")).endswith("leaf.js")]
    log = [e for e in events if e["event"] in ("building", "built")]

    lat, misses, rows = [], [], []
    for i, (value, t_write) in enumerate(written):
        until = (written[i + 1][1] if i + 1 < len(written) else t_write) + MISS_AFTER_S * 1000
        seen = next((t for v, t in runs if v == value), None)
        if seen is None or seen > until:
            misses.append(value)
            continue
        lat.append(seen - t_write)
        row = {"value": value, "write": t_write, "running": seen}
        notice = next((e for e in changed if e["floor"] >= int(t_write)), None)
        row["notice"] = notice["t"] if notice else None
        # The build: the first `building` logged at or after the save, and the `built` after it.
        k = next((k for k, e in enumerate(log) if e["event"] == "building" and e["floor"] >= int(t_write)), None)
        if k is not None:
            row["build_start"] = log[k]["t"]
            built = next((e for e in log[k + 1:] if e["event"] == "built"), None)
            if built:
                row["build_exit"] = log[k]["t"] + built["ms"]
        # The chain, back from the run: the last graph fetch before it, the last frame before
        # that (a no-op rebuild's frame, after it, changes nothing), the group's and the
        # leaf's last requests before the run.
        graph = last(r for r in res if path_of(r["name"]) == GRAPH_PATH and t_write <= r["start"] <= seen)
        if graph:
            row.update(graph_start=graph["start"], graph_sent=graph["requestStart"],
                       graph_first_byte=graph["responseStart"], graph_end=graph["end"])
        row["page_frame"] = last(t for t in frames if t_write <= t <= (graph["start"] if graph else seen))
        after = row["graph_end"] if graph else (row["page_frame"] or t_write)
        for name, key in (("group", module_site.GROUP), ("leaf", module_site.LEAF)):
            got = last(r for r in res if path_of(r["name"]) == "/" + key and after <= r["start"] <= seen)
            if got:
                row[f"{name}_start"], row[f"{name}_end"] = got["start"], got["end"]
        row["accepted"] = next((t for t in accepted if t >= seen), None)
        rows.append(row)

    stages = [("write", "notice"), ("notice", "build_start"), ("build_start", "build_exit"),
              ("build_exit", "page_frame"), ("page_frame", "graph_start"), ("graph_start", "graph_sent"),
              ("graph_sent", "graph_first_byte"), ("graph_first_byte", "graph_end"), ("graph_end", "group_start"),
              ("group_start", "group_end"), ("group_end", "leaf_start"), ("leaf_start", "leaf_end"),
              ("leaf_end", "running"), ("running", "accepted"),
              # Totals: up to the frame (hmrd and the build) and after it (the page, and hmrd serving it).
              ("write", "page_frame"), ("page_frame", "running")]
    return {
        "measured": True, "saves": len(written), "warmup": WARMUP, "seed": SEED,
        "p50_ms": r2(pct(lat, 50)) if lat else None, "p90_ms": r2(pct(lat, 90)) if lat else None,
        "max_ms": r2(max(lat)) if lat else None, "min_ms": r2(min(lat)) if lat else None,
        "misses": len(misses), "missed_values": misses, "reloads": rec.reloads,
        "frames": len(frames), "breakdown": breakdown_of(rows, stages),
        "clock": {"start": clock, "end": clock_end}, "latencies_ms": [r2(x) for x in lat],
        "per_save": [{"value": r["value"], **{k: r2(r[k] - r["write"]) for k in r
                                              if k not in ("value", "write") and r[k] is not None}} for r in rows],
    }


def report_saves(bench, m: dict):
    bench.results[SAVE_KEY] = m
    n = m["saves"]
    if m["p50_ms"] is None:
        bench.rows.append((SAVE_LABEL, f"save -> new leaf running in Chromium ({n} saves)", "nothing seen",
                           "", "", f"<= {GOAL_RUNNING_P50_MS}"))
    else:
        bench.rows.append((SAVE_LABEL, f"save -> new leaf running p50 / p90 / max ms (misses, reloads of {n})",
                           f"{m['p50_ms']} / {m['p90_ms']} / {m['max_ms']} ({m['misses']}, {m['reloads']})",
                           "", "", f"<= {GOAL_RUNNING_P50_MS} (0, 0)"))
    b = m["breakdown"]
    bench.rows.append(("", "  p50 ms: write->`built` in page / ->running",
                       cell(b, "write->page_frame", "page_frame->running"), "", "", ""))
    bench.rows.append(("", "  hmrd p50 ms: ->notice / ->build start / ->exit / ->`built` in page",
                       cell(b, "write->notice", "notice->build_start", "build_start->build_exit",
                            "build_exit->page_frame"), "", "", ""))
    bench.rows.append(("", "  graph p50 ms: ->fetch / ->sent / ->first byte / ->last byte",
                       cell(b, "page_frame->graph_start", "graph_start->graph_sent", "graph_sent->graph_first_byte",
                            "graph_first_byte->graph_end"), "", "", ""))
    bench.rows.append(("", "  modules p50 ms: ->group req / group / ->leaf req / leaf / ->running / ->accept cb",
                       cell(b, "graph_end->group_start", "group_start->group_end", "group_end->leaf_start",
                            "leaf_start->leaf_end", "leaf_end->running", "running->accepted"), "", "", ""))
    load = m["page_load"]
    bench.rows.append(("", "  page load: modules requested / main.js ran at, s",
                       f"{load['modules'] + 1:,} / {(load['ms'] or 0) / 1000:.2f}", "", "", ""))
    if m["p50_ms"] is not None:
        bench.goal("modules save->running p50", m["p50_ms"], GOAL_RUNNING_P50_MS,
                   m["p50_ms"] <= GOAL_RUNNING_P50_MS, "ms")
    else:
        bench.goal("modules save->running p50", None, GOAL_RUNNING_P50_MS, False, "ms")
    bench.goal("modules save->running misses", m["misses"], 0, m["misses"] == 0, f"of {n} saves")
    bench.goal("modules save->running reloads", m["reloads"], 0, m["reloads"] == 0, "")
    if m["missed_values"]:
        bench.note(f"modules: saves never seen running: {m['missed_values'][:10]}")
    if m["complaints"]:
        bench.note("modules: hmrd said: " + " | ".join(m["complaints"][:5]))


def morph(bench, browser: Browser, label: str):
    edits = EDITS_QUICK if bench.quick else EDITS
    print(f"  morph: {edits} edits of a {label[len('morph '):]} page", flush=True)
    project = bench.work / "modules-morph"
    for folder in ("src", "out"):
        (project / folder).mkdir(parents=True)
        (project / folder / "index.html").write_text(module_site.morph_page(0))
    page = project / "src" / "index.html"
    daemon = JsonDaemon(project, "cp src/index.html out/index.html")
    try:
        daemon.wait_built(1, 30)
        browser.driver.get(f"http://127.0.0.1:{daemon.port}/")
        wait(browser, PAGE_READY, 30, "the morph page's client to connect")
        attr_sel, attr_name = module_site.MORPH_ATTR
        browser.js("window.__bench.watch = arguments[0]; window.__bench.check();",
                   {"text": module_site.MORPH_TEXT, "attr": attr_sel, "name": attr_name})
        rec = Recorder(browser)
        rec.start()
        rng = random.Random(SEED)
        written = []
        clock = browser.clock_offset_ms()
        for rev in range(1, MORPH_WARMUP + edits + 1):
            t = save_by_rename(page, module_site.morph_page(rev))
            if rev > MORPH_WARMUP:
                written.append((rev, t))
            time.sleep(rng.uniform(*GAP_S))
            text, attr = module_site.morph_expected(rev)
            deadline = time.monotonic() + MISS_AFTER_S
            while time.monotonic() < deadline:  # each edit is waited for: they do not overlap
                rec.follow(PAGE_READY, "the morph page")
                if any(d["text"] == text and d["attr"] == attr for d in rec.kept["dom"]):
                    break
                time.sleep(0.05)
        clock_end = browser.clock_offset_ms()
        result = analyse_morph(written, rec, clock, clock_end)
        result["elements"] = module_site.count_elements(module_site.morph_page(0))
        result["complaints"] = daemon.complaints()[:10]
    finally:
        try:
            browser.driver.get("about:blank")
        except Exception:  # noqa: BLE001
            pass
        daemon.stop()
    report_morph(bench, result, label)


def analyse_morph(written, rec: Recorder, clock, clock_end) -> dict:
    offset = (clock["offset_ms"] + clock_end["offset_ms"]) / 2
    frames = [f["t"] - offset for f in rec.kept["frames"]]
    dom = [(d["t"] - offset, d["text"], d["attr"]) for d in rec.kept["dom"]]
    res = [{**r, **{f: (r[f] - offset if r[f] else None) for f in ("start", "end")}} for r in rec.kept["resources"]]
    rows, unseen = [], []
    for rev, t_write in written:
        text, attr = module_site.morph_expected(rev)
        shown = next((t for t, tx, at in dom if tx == text and at == attr and t >= t_write), None)
        if shown is None:
            unseen.append(rev)
            continue
        row = {"rev": rev, "write": t_write, "dom": shown}
        # Back from the change: the page's last fetch of its HTML, the last frame before it.
        fetched = last(r for r in res if "hmr=" in r["name"] and path_of(r["name"]) == "/"
                       and t_write <= r["start"] <= shown)
        if fetched:
            row["html_start"], row["html_end"] = fetched["start"], fetched["end"]
        row["page_frame"] = last(t for t in frames if t_write <= t <= (fetched["start"] if fetched else shown))
        rows.append(row)
    from_frame = [r["dom"] - r["page_frame"] for r in rows if r["page_frame"] is not None]
    from_write = [r["dom"] - r["write"] for r in rows]
    stages = [("write", "page_frame"), ("page_frame", "html_start"), ("html_start", "html_end"), ("html_end", "dom")]
    return {
        "measured": True, "edits": len(written), "warmup": MORPH_WARMUP, "unseen": unseen, "reloads": rec.reloads,
        "p50_ms": r2(pct(from_frame, 50)) if from_frame else None,
        "p90_ms": r2(pct(from_frame, 90)) if from_frame else None,
        "max_ms": r2(max(from_frame)) if from_frame else None,
        "write_p50_ms": r2(pct(from_write, 50)) if from_write else None,
        "write_max_ms": r2(max(from_write)) if from_write else None,
        "breakdown": breakdown_of(rows, stages), "clock": {"start": clock, "end": clock_end},
        "from_frame_ms": [r2(x) for x in from_frame],
    }


def report_morph(bench, m: dict, label: str):
    bench.results[MORPH_KEY] = m
    n = m["edits"]
    if m["p50_ms"] is None:
        bench.rows.append((label, f"`built` in page -> DOM changed ({n} edits)", "nothing seen", "", "",
                           f"<= {GOAL_MORPH_P50_MS}"))
    else:
        bench.rows.append((label, f"`built` in page -> DOM changed p50 / p90 / max ms ({n} edits)",
                           f"{m['p50_ms']} / {m['p90_ms']} / {m['max_ms']}", "", "", f"<= {GOAL_MORPH_P50_MS}"))
        bench.rows.append(("", "  save -> DOM changed p50 / max ms", f"{m['write_p50_ms']} / {m['write_max_ms']}",
                           "", "", ""))
    b = m["breakdown"]
    bench.rows.append(("", "  p50 ms: write->`built` in page / ->html fetch / fetch / ->DOM changed",
                       cell(b, "write->page_frame", "page_frame->html_start", "html_start->html_end", "html_end->dom"),
                       "", "", ""))
    bench.rows.append(("", "  reloads / edits never shown", f"{m['reloads']} / {len(m['unseen'])}", "", "", "0 / 0"))
    if m["p50_ms"] is not None:
        bench.goal("modules morph p50", m["p50_ms"], GOAL_MORPH_P50_MS, m["p50_ms"] <= GOAL_MORPH_P50_MS, "ms")
    else:
        bench.goal("modules morph p50", None, GOAL_MORPH_P50_MS, False, "ms")
    bench.goal("modules morph reloads", m["reloads"], 0, m["reloads"] == 0, "")
    bench.goal("modules morph edits shown", n - len(m["unseen"]), n, not m["unseen"], f"of {n}")
    if m["complaints"]:
        bench.note("modules: morph: hmrd said: " + " | ".join(m["complaints"][:5]))
