"""ghost (--only ghost): ghost sync (--sync) across ten pages, windows of one headless
Chromium sharing one stream: one tab scrolls (10 times; --quick 5), and each of the
other nine is timed until its own scroll event shows the same share of the page:
p50 / p99 / max over every (tab, action) pair, after a warm-up scroll down and back that
is not counted. Needs Chromium as styled does.

styled.py's project with a 6,000 px tall page, served by hmrd with `--sync`. Every
window records each of its scroll events' time and position; an action's time is the
acting window's own scroll event (its screen shows the scroll then, and the client
posts it then), and it reaches a window when that window's scroll event shows the
same share. Each window's clock is put on the system clock by its own measured
offset. An action a window has not shown 3 s later is a miss.

Run through scripts/bench: `scripts/bench --only ghost [--quick]`.
"""

from __future__ import annotations

import random
import statistics
import time

from common import CHILDREN, BenchError, Hmrd
from styled import Browser, Daemon, chromium_missing, in_chromium, make_project, pct, r2
from tabs import Tabs, status

NAMES = ("ghost",)

PAGES = 10
ACTIONS, ACTIONS_QUICK = 10, 5
GAP_S = (0.300, 0.500)
MISS_AFTER_S = 3.0
GOAL_P99_MS = 50
SEED = 20261204

RECORDER = r"""
(() => {
  if (window.__ghostBench) return;
  const rec = window.__ghostBench = {scrolls: []};
  addEventListener('scroll', () => {
    const room = document.scrollingElement.scrollHeight - innerHeight;
    rec.scrolls.push({t: performance.timeOrigin + performance.now(), y: room > 0 ? scrollY / room : 0});
  }, {passive: true});
})();
"""


def run(bench):
    """Adds the `ghost` rows, goals and results to `bench` (see scripts/bench)."""
    actions = ACTIONS_QUICK if bench.quick else ACTIONS
    print(f"ghost: {PAGES} Chromium windows with --sync: {actions} scrolls in one, timed in the others", flush=True)
    missing = chromium_missing()
    if missing:
        return not_measured(bench, missing)
    project = make_project(bench.work / "ghost")
    index = project / "out" / "index.html"
    index.write_text(index.read_text().replace("</body>", '<div style="height: 6000px"></div></body>'))
    daemon = Daemon(Hmrd.binary, project, CHILDREN, BenchError, extra=("--sync",))
    result = in_chromium(bench, "ghost", daemon, not_measured, lambda browser: measure(daemon, browser, actions))
    if result is not None:
        report(bench, result)


def not_measured(bench, reason: str):
    bench.note(f"ghost: not measured: {reason}")
    bench.results["ghost"] = {"measured": False, "reason": reason}
    bench.rows.append(("ghost sync", f"an action in one of {PAGES} pages -> the others: {reason}", "not measured", "", "", ""))


def measure(daemon: Daemon, browser: Browser, actions: int) -> dict:
    # Windows, not tabs: each is shown and renders, as the screens of devices side by side
    # do; a tab behind another does not render, and its scroll events wait for it.
    tabs = Tabs(browser, f"http://127.0.0.1:{daemon.port}/", recorder=RECORDER, kind="window")
    tabs.open(PAGES)
    tabs.measure_clocks()
    time.sleep(0.5)  # each page's own "navigate" (it was opened) has gone by
    actor, others = tabs.handles[0], tabs.handles[1:]
    rng = random.Random(SEED)
    # Warm-up, not counted: a window's first scroll also paints the part of the page it
    # scrolls to for the first time (20-30 ms more in each window, every run).
    for share in (0.97, 0.0):
        tabs.on(actor).js(f"window.scrollTo(0, Math.round((document.scrollingElement.scrollHeight - innerHeight) * {share}))")
        time.sleep(0.5)
    done = []  # (share, system ms)
    for k in range(actions):
        share = round(0.05 + 0.9 * (k + 1) / (actions + 1), 4)
        called = tabs.on(actor).js("const room = document.scrollingElement.scrollHeight - innerHeight;"
                                   "const t = performance.timeOrigin + performance.now();"
                                   f"window.scrollTo(0, Math.round(room * {share})); return t;")
        time.sleep(rng.uniform(*GAP_S))
        own = tabs.on(actor).peek("window.__ghostBench.scrolls") or []
        shown = next((x["t"] for x in own if abs(x["y"] - share) < 0.002 and x["t"] >= called - 1), None)
        # Should its own window not report the scroll, the call stands for it.
        done.append((share, (shown if shown is not None else called) - tabs.offsets[actor]))
    time.sleep(0.5)
    latencies, misses = [], 0
    for handle in others:
        seen = tabs.on(handle).peek("window.__ghostBench.scrolls") or []
        for share, at in done:
            t = next((s["t"] - tabs.offsets[handle] for s in seen
                      if abs(s["y"] - share) < 0.002 and s["t"] - tabs.offsets[handle] >= at - 1), None)
            if t is None or t - at > MISS_AFTER_S * 1000:
                misses += 1
            else:
                latencies.append(t - at)
    return {"pages": PAGES, "actions": actions, "clients": status(daemon)["clients"], "misses": misses,
            "p50_ms": r2(pct(latencies, 50)) if latencies else None,
            "p99_ms": r2(pct(latencies, 99)) if latencies else None,
            "max_ms": r2(max(latencies)) if latencies else None,
            "mean_ms": r2(statistics.mean(latencies)) if latencies else None,
            "latencies_ms": [r2(x) for x in latencies]}


def report(bench, result: dict):
    bench.results["ghost"] = {"measured": True, **result}
    n = (result["pages"] - 1) * result["actions"]
    if result["p99_ms"] is None:
        bench.rows.append(("ghost sync", f"a scroll in one of {result['pages']} pages -> the others", "nothing seen", "", "", ""))
    else:
        bench.rows.append(("ghost sync", f"a scroll in one of {result['pages']} pages -> each other: p50 / p99 / max ms "
                           f"(misses of {n})", f"{result['p50_ms']} / {result['p99_ms']} / {result['max_ms']} "
                           f"({result['misses']})", "", "", f"p99 <= {GOAL_P99_MS} (0)"))
    bench.goal("ghost sync p99", result["p99_ms"], GOAL_P99_MS,
               result["p99_ms"] is not None and result["p99_ms"] <= GOAL_P99_MS, "ms")
    bench.goal("ghost sync misses", result["misses"], 0, result["misses"] == 0, f"of {n}")
