"""save -> building (--only building): from a save in the watched folder to the `building`
frame on the wire, hmrd's 50 ms debounce included. At 1 client on its own hmrd (min /
p50 / p99 / max over 8 or 20 saves), and, when fanout, memory or idle runs too, at 10,000
clients (--quick 1,000) on that run's hmrd (median of 3 saves: at_scale, from fanout.py).
"""

from __future__ import annotations

import time

from common import BUILDING, DEBOUNCE_MS, Hmrd, Loadgen, copy_build, median_round, ms, pct, with_spread

NAMES = ("building",)


def run(bench):
    print("save -> building, 1 client", flush=True)
    project = bench.project("building-1")
    hmrd = Hmrd(project, copy_build())
    lg = None
    try:
        hmrd.wait_builds(1)
        lg = Loadgen(hmrd.port, 1)
        lat = []
        count = 8 if bench.quick else 20
        for k in range(count + 1):
            r = lg.round("write", project / "src" / "trigger.txt", BUILDING, 5000)
            hmrd.wait_builds(2 + k)
            if k > 0 and r["got"]:
                lat.append(r["max_us"])
            time.sleep(0.1)
    finally:
        if lg:
            lg.quit()
        hmrd.stop()
    entry = {"rounds": len(lat), "p50_us": pct(lat, 50), "p99_us": pct(lat, 99), "max_us": max(lat),
             "min_us": min(lat), "all_us": lat}
    bench.results.setdefault("building", {})["n1"] = entry
    limit = DEBOUNCE_MS + 2
    bench.rows.append(("save->building N=1", f"min / p50 / p99 / max ms over {len(lat)} saves",
                       f"{ms(entry['min_us'])} / {ms(entry['p50_us'])} / {ms(entry['p99_us'])} / {ms(entry['max_us'])}",
                       "", "", f"p99 <= {limit}"))
    bench.goal("save->building p99, 1 client", ms(entry["p99_us"]), limit, entry["p99_us"] <= limit * 1000, "ms")


def at_scale(hmrd: Hmrd, lg: Loadgen, project, rounds: int) -> list[dict]:
    """`rounds` saves on a running hmrd whose streams `lg` holds, each timed to `building`."""
    built = hmrd.builds()
    out = []
    for k in range(rounds):
        out.append(with_spread(lg.round("write", project / "src" / "trigger.txt", BUILDING)))
        hmrd.wait_builds(built + k + 1)
        time.sleep(0.2)
    return out


def report_at_scale(bench, rounds: list[dict], n: int):
    b = median_round(rounds, "p99_us")
    bench.results.setdefault("building", {})[f"n{n}"] = rounds
    bench.rows.append((f"save->building N={n:,}", "first / p50 / p99 / max ms (median of 3)",
                       f"{ms(b['first_us'])} / {ms(b['p50_us'])} / {ms(b['p99_us'])} / {ms(b['max_us'])}",
                       "", "", f"debounce {DEBOUNCE_MS}"))
