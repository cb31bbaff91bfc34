"""tabs (--only tabs): N tabs of one headless Chromium sharing one event stream over plain
HTTP/1.1. A stylesheet saved (10 saves; --quick 5) until every one of 20 tabs shows it:
p50 / p99 / max over every (tab, save) pair, and the slowest tab of each save; then the
tab holding the stream is closed (5 times; --quick 3) and the takeover is timed, from
the close to the next holder's stream request in hmrd's log. Needs Chromium as styled does.
The floor under the first figure: one tab tells the other 19 over a BroadcastChannel to
swap the stylesheet (as the holder passes a build on) with no save, build or stream at all:
what Chromium alone takes to restyle 20 tabs on this machine.

The project is styled.py's (src/app.css copied to out/app.css, out/index.html with a
<div id="box">), served by hmrd with `--serve out --debounce 0 --log-format json
--verbose`. Each tab gets a recorder before its scripts (CDP
Page.addScriptToEvaluateOnNewDocument, per tab) that stamps, on the page's clock, the
width of #box each time a stylesheet <link> loads. Each tab's clock is put on the system
clock by its own measured offset (styled.Browser.clock_offset_ms). Latency of a save in
a tab = the first moment that tab shows the save's width - time.time() just before the
write. A tab that shows nothing 3 s after the save is a miss.

Run through scripts/bench: `scripts/bench --only tabs [--quick]`.
"""

from __future__ import annotations

import json
import random
import statistics
import time
import urllib.request

from common import CHILDREN, BenchError, Hmrd
from styled import BASE_WIDTH, Browser, Daemon, Saver, chromium_missing, in_chromium, make_project, pct, r2

NAMES = ("tabs",)

TABS = 20
SAVES, SAVES_QUICK = 10, 5
TAKEOVERS, TAKEOVERS_QUICK = 5, 3
GAP_S = (0.300, 0.500)
MISS_AFTER_S = 3.0
GOAL_P99_MS = 25
SEED = 20261203

RECORDER = r"""
(() => {
  if (window.__tabs) return;
  const rec = window.__tabs = {changes: []};
  let last = null;
  function check() {
    const box = document.getElementById('box');
    if (!box) return;
    const w = getComputedStyle(box).width;
    if (w === last) return;
    last = w;
    rec.changes.push({t: performance.timeOrigin + performance.now(), w: parseFloat(w)});
  }
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeName === 'LINK' && /(^|\s)stylesheet(\s|$)/i.test(n.rel || '')) n.addEventListener('load', check);
    }
  }).observe(document, {childList: true, subtree: true});
  document.addEventListener('DOMContentLoaded', check);
  // The floor: a tab tells the others to swap the stylesheet, as the holder passes a build on.
  const swap = (href) => {
    const old = document.querySelector('link[rel="stylesheet"]');
    const link = old.cloneNode();
    link.href = href;
    link.addEventListener('load', () => old.remove());
    old.after(link);
  };
  const floor = new BroadcastChannel('bench-floor');
  floor.onmessage = (e) => swap(e.data);
  rec.tellAll = (href) => { floor.postMessage(href); swap(href); };
})();
"""


def run(bench):
    """Adds the `tabs` rows, goals and results to `bench` (see scripts/bench)."""
    saves = SAVES_QUICK if bench.quick else SAVES
    takeovers = TAKEOVERS_QUICK if bench.quick else TAKEOVERS
    print(f"tabs: {TABS} Chromium tabs on one shared stream: {saves} saves, {takeovers} takeovers", flush=True)
    missing = chromium_missing()
    if missing:
        not_measured(bench, missing)
        return
    project = make_project(bench.work / "tabs")
    daemon = Daemon(Hmrd.binary, project, CHILDREN, BenchError)
    result = in_chromium(bench, "tabs", daemon, not_measured, lambda browser: measure(daemon, browser, project, saves, takeovers))
    if result is not None:
        report(bench, result)


def not_measured(bench, reason: str):
    bench.note(f"tabs: not measured: {reason}")
    bench.results["tabs"] = {"measured": False, "reason": reason}
    bench.rows.append(("N tabs", f"save -> styled in {TABS} Chromium tabs: {reason}", "not measured", "", "", ""))


class Tabs:
    """The tabs opened on the page, each a window handle of the one browser."""

    def __init__(self, browser: Browser, url: str, recorder: str = RECORDER, kind: str = "tab"):
        self.recorder = recorder
        self.kind = kind  # "tab", or "window": a window of its own is shown, and renders, whichever has the focus
        self.browser = browser
        self.driver = browser.driver
        self.url = url
        self.handles: list[str] = []
        self.offsets: dict[str, float] = {}

    def open(self, count: int):
        first = True
        for _ in range(count):
            if not first:
                self.driver.switch_to.new_window(self.kind)
            first = False
            self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": self.recorder})
            self.driver.get(self.url)
            self.handles.append(self.driver.current_window_handle)
        for handle in self.handles:
            self.on(handle).wait("window.hmr && window.hmr.status().connected && window.hmr.status().hash"
                                 f" && getComputedStyle(document.getElementById('box')).width === '{BASE_WIDTH}px'",
                                 15, "a tab's client to connect", BenchError)

    def on(self, handle: str) -> Browser:
        self.driver.switch_to.window(handle)
        return self.browser

    def measure_clocks(self):
        for handle in self.handles:
            self.offsets[handle] = self.on(handle).clock_offset_ms()["offset_ms"]

    def roles(self) -> dict[str, str]:
        return {h: self.on(h).peek("window.__hmrClient.role") for h in self.handles}

    def widths_seen(self, handle: str, since: float) -> dict[float, float]:
        """Width -> the first system time (ms) the tab showed it, for changes after `since` (ms)."""
        changes = self.on(handle).peek("window.__tabs.changes") or []
        seen = {}
        for c in changes:
            t = c["t"] - self.offsets[handle]
            if t >= since:
                seen.setdefault(c["w"], t)
        return seen


def measure(daemon: Daemon, browser: Browser, project, saves: int, takeovers: int) -> dict:
    tabs = Tabs(browser, f"http://127.0.0.1:{daemon.port}/")
    tabs.open(TABS)
    clients = status(daemon)["clients"]
    tabs.measure_clocks()
    rng = random.Random(SEED)
    saver = Saver(project)

    written = []
    saver.save("in place")  # warm-up: the first swap of a fresh page is not what a session of edits sees
    time.sleep(1.0)
    start = time.time() * 1000
    for k in range(saves):
        written.append(saver.save("in place"))
        time.sleep(rng.uniform(*GAP_S))
    deadline = time.monotonic() + MISS_AFTER_S
    values = {v for v, _ in written}
    while time.monotonic() < deadline:
        if all(values <= set(tabs.widths_seen(h, start)) for h in tabs.handles):
            break
        time.sleep(0.1)
    per_tab = {h: tabs.widths_seen(h, start) for h in tabs.handles}
    latencies, slowest, misses = [], [], 0
    for value, t_write in written:
        seen = [per_tab[h].get(value) for h in tabs.handles]
        misses += sum(1 for t in seen if t is None or t - t_write > MISS_AFTER_S * 1000)
        got = [t - t_write for t in seen if t is not None and t - t_write <= MISS_AFTER_S * 1000]
        latencies.extend(got)
        if got:
            slowest.append(max(got))

    roles = tabs.roles()
    holders = [h for h, role in roles.items() if role == "holding"]
    result = {"tabs": TABS, "saves": saves, "clients": clients, "misses": misses,
              "p50_ms": r2(pct(latencies, 50)) if latencies else None,
              "p99_ms": r2(pct(latencies, 99)) if latencies else None,
              "max_ms": r2(max(latencies)) if latencies else None,
              "slowest_tab_p50_ms": r2(statistics.median(slowest)) if slowest else None,
              "holders": len(holders), "latencies_ms": [r2(x) for x in latencies]}

    result.update(floor(tabs, project, saves, rng))

    took, errors = [], []
    for _ in range(takeovers):
        holder = next((h for h, role in tabs.roles().items() if role == "holding"), None)
        if holder is None:
            errors.append("no tab held the stream")
            break
        tabs.driver.switch_to.window(holder)
        t_close = time.time() * 1000
        tabs.driver.close()
        tabs.handles.remove(holder)
        tabs.driver.switch_to.window(tabs.handles[0])
        t_open = wait_stream_request(daemon, t_close, MISS_AFTER_S)
        if t_open is None:
            errors.append(f"no tab opened the stream within {MISS_AFTER_S:.0f} s of the holder's close")
            break
        took.append(t_open - t_close)
        time.sleep(0.3)
    result["takeover_ms"] = [r2(x) for x in took]
    result["takeover_median_ms"] = r2(statistics.median(took)) if took else None
    result["takeover_max_ms"] = r2(max(took)) if took else None
    result["takeover_errors"] = errors
    result["clients_after"] = status(daemon)["clients"]
    return result


FLOOR_WIDTH = 900


def floor(tabs: Tabs, project, saves: int, rng: random.Random) -> dict:
    """Tab 1 tells every tab to swap to a stylesheet already on disk: Chromium's part alone."""
    for k in range(saves):
        (project / "out" / f"floor-{k}.css").write_text(Saver.text(FLOOR_WIDTH + k))
    sender = tabs.handles[0]
    start = time.time() * 1000
    sent = []
    for k in range(saves):
        t = tabs.on(sender).peek(f"(window.__tabs.tellAll('floor-{k}.css'), performance.timeOrigin + performance.now())")
        sent.append((FLOOR_WIDTH + k, t - tabs.offsets[sender]))
        time.sleep(rng.uniform(*GAP_S))
    time.sleep(1.0)
    per_tab = {h: tabs.widths_seen(h, start) for h in tabs.handles}
    latencies = [per_tab[h][value] - t for value, t in sent for h in tabs.handles if value in per_tab[h]]
    return {"floor_p50_ms": r2(pct(latencies, 50)) if latencies else None,
            "floor_p99_ms": r2(pct(latencies, 99)) if latencies else None,
            "floor_max_ms": r2(max(latencies)) if latencies else None,
            "floor_misses": len(sent) * len(tabs.handles) - len(latencies)}


def wait_stream_request(daemon: Daemon, since: float, timeout: float) -> float | None:
    """When hmrd logged the first stream request it read after `since` (system ms): the new holder's."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for e in daemon.events():
            if e["recv"] >= since and e["event"] == "request" and str(e.get("target", "")).startswith("/__hmr?"):
                return e["t"]
        time.sleep(0.01)
    return None


def status(daemon: Daemon) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{daemon.port}/__hmr/status", timeout=5) as r:
        return json.loads(r.read())


def report(bench, result: dict):
    bench.results["tabs"] = {"measured": True, **result}
    n = result["tabs"]
    bench.rows.append(("N tabs", f"streams for {n} tabs (hmrd's `clients`)", result["clients"], "", "", "1"))
    if result["p99_ms"] is None:
        bench.rows.append(("", f"save -> styled in all {n} tabs", "nothing seen", "", "", ""))
    else:
        bench.rows.append(("", f"save -> styled, every tab: p50 / p99 / max ms (misses of {n * result['saves']})",
                           f"{result['p50_ms']} / {result['p99_ms']} / {result['max_ms']} ({result['misses']})",
                           "", "", f"p99 <= {GOAL_P99_MS} (0)"))
        bench.rows.append(("", "  the slowest tab of a save, p50 ms", result["slowest_tab_p50_ms"], "", "", ""))
    bench.rows.append(("", f"  floor, Chromium alone: a tab tells {n - 1} others to swap: p50 / p99 / max ms (misses)",
                       f"{result['floor_p50_ms']} / {result['floor_p99_ms']} / {result['floor_max_ms']}"
                       f" ({result['floor_misses']})", "", "", ""))
    bench.goal("tabs save -> styled p99", result["p99_ms"], GOAL_P99_MS,
               result["p99_ms"] is not None and result["p99_ms"] <= GOAL_P99_MS, "ms")
    bench.goal("tabs misses", result["misses"], 0, result["misses"] == 0, f"of {n * result['saves']}")
    bench.goal("tabs one stream", result["clients"], 1, result["clients"] == 1, "streams")
    took = result["takeover_ms"]
    bench.rows.append(("", f"holder closed -> next tab's stream request: median / max ms ({len(took)} closes)",
                       f"{result['takeover_median_ms']} / {result['takeover_max_ms']}", "", "", "< 1000"))
    bench.goal("tabs takeover max", result["takeover_max_ms"], 1000,
               bool(took) and not result["takeover_errors"] and result["takeover_max_ms"] < 1000, "ms")
    for error in result["takeover_errors"]:
        bench.note(f"tabs: {error}")
