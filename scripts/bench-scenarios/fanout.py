"""fan-out, memory and idle (--only fanout,memory,idle), on one hmrd per N. fan-out: a
`built` frame (200-entry module map) to N idle streams after a file write, arrival and
spread against fanout-ref with the same frame; memory: RSS growth per idle stream; idle:
CPU and wake-ups over a window with 10,000 idle streams (--quick 1,000), against
fanout-ref's heartbeats. save -> building at that N rides on the same run (building.py).
"""

from __future__ import annotations

import time

import building
from common import (BUILT, HEAD_DEADLINE_S, HEARTBEAT, HEARTBEAT_S, FanoutRef, Hmrd, Loadgen, capture_sync_frame,
                    copy_build, frames_for_ref, median_round, ms, proc_cpu_ns, proc_rss_kib, proc_switches,
                    proc_user_sys_ms, with_spread)

NAMES = ("fanout", "memory", "idle")
# Streams left unused below hmrd's admission limit at "as many as the fd limit allows".
FD_MARGIN = 4


def run(bench):
    idle_n = 1000 if bench.quick else 10_000
    sizes = [1000] if bench.quick else [1000, 10_000, "max"]
    if not bench.wants("fanout", "memory"):
        sizes = [idle_n]  # idle alone
    bench.results["fanout"] = []
    for n_wanted in sizes:
        at_10k = n_wanted == idle_n
        label = str(n_wanted)
        print(f"fan-out N={label}: hmrd", flush=True)
        # Small N is cheap and its few-ms spreads are the noisiest: more rounds there.
        rounds = {1000: 5 if bench.quick else 9, "max": 3}.get(n_wanted, 5)
        hmrd = hmrd_fanout(
            bench, label, n_wanted, rounds,
            idle_window=(bench.args.idle_window if bench.wants("idle") else 0) if at_10k else 0,
            building_rounds=(3 if bench.wants("building") else 0) if at_10k else 0)
        sync = hmrd.pop("sync")
        n = hmrd["n"]
        if "idle" in hmrd:
            print(f"idle floor N={n}: fanout-ref heartbeats", flush=True)
            hmrd["idle"]["floor"] = ref_heartbeats(bench, n, sync, hmrd["idle"]["heartbeat_ticks"])
        if not bench.wants("fanout"):
            report_extras(bench, hmrd, n)
            continue
        print(f"fan-out N={n}: fanout-ref ({len(sync) + 1}-byte frame)", flush=True)
        ref = ref_fanout(bench, n, sync, rounds)
        h, r = median_round(hmrd["rounds"]), median_round(ref["rounds"])
        entry = {"n": n, "label": label, "frame_bytes": len(sync) + 1, "hmrd": hmrd, "ref": ref,
                 "hmrd_median": h, "ref_median": r,
                 "spread_ratio": round(h["spread_us"] / max(1, r["spread_us"]), 2)}
        bench.results["fanout"].append(entry)
        lgbusy = max(x["busy"] for x in hmrd["rounds"] + ref["rounds"])
        bench.rows.append((f"fan-out N={n:,}", "first / p50 / p99 / max ms after the write",
                           f"{ms(h['first_us'])} / {ms(h['p50_us'])} / {ms(h['p99_us'])} / {ms(h['max_us'])}",
                           f"{ms(r['first_us'])} / {ms(r['p50_us'])} / {ms(r['p99_us'])} / {ms(r['max_us'])}",
                           "", ""))
        bench.rows.append(("", "spread (p99 - first), ms", ms(h["spread_us"]), ms(r["spread_us"]),
                           f"{entry['spread_ratio']}x", "<= 1.5x"))
        bench.rows.append(("", "server CPU per round, ms; loadgen busy max",
                           h["server_cpu_ms"], r["server_cpu_ms"],
                           f"{round(h['server_cpu_ms'] / max(0.01, r['server_cpu_ms']), 1)}x",
                           f"lg {lgbusy:.2f}"))
        bench.goal(f"fan-out spread N={n}", entry["spread_ratio"], 1.5, entry["spread_ratio"] <= 1.5, "x reference")
        report_extras(bench, hmrd, n)


def report_extras(bench, hmrd: dict, n: int):
    """Memory, and idle and building where measured, from one hmrd fan-out run."""
    m = hmrd["memory"]
    bench.results.setdefault("memory", []).append({"n": n, **m})
    bench.rows.append((f"memory N={m['streams']:,}", "RSS growth per idle stream, bytes",
                       m["bytes_per_stream"], "", "", "<= 2048"))
    bench.goal(f"memory per stream N={m['streams']}", m["bytes_per_stream"], 2048,
               m["bytes_per_stream"] <= 2048, "bytes")
    if "idle" in hmrd:
        i = hmrd["idle"]
        bench.results["idle"] = i
        floor = i["floor"]
        floor_pct = round(floor["cpu_ms"] / (i["window_s"] * 1000) * 100, 3)
        bench.rows.append((f"idle N={i['streams']:,}", f"CPU over {i['window_s']:.0f} s, % of a core (user / sys ms)",
                           f"{i['cpu_percent_of_core']} ({i['user_ms']} / {i['sys_ms']})",
                           f"{floor_pct} (its {floor['ticks']} heartbeats)",
                           f"{round(i['cpu_percent_of_core'] / max(0.001, floor_pct), 2)}x", "< 1%"))
        bench.rows.append(("", "wake-ups (voluntary switches) / heartbeat ticks",
                           f"{i['wakeups']} / {i['heartbeat_ticks']}", "", "", "= ticks"))
        bench.goal("idle CPU", i["cpu_percent_of_core"], 1.0, i["cpu_percent_of_core"] < 1.0, "% of a core")
        bench.goal("idle wake-ups", i["wakeups"], i["heartbeat_ticks"],
                   i["wakeups"] <= i["heartbeat_ticks"], "wake-ups")
    if "building" in hmrd:
        building.report_at_scale(bench, hmrd["building"], n)


# ---------------------------------------------------------------- hmrd's run


def hmrd_fanout(bench, label: str, n_wanted, rounds: int, idle_window: float = 0, building_rounds: int = 0) -> dict:
    project = bench.project(f"fanout-{label}")
    hmrd = Hmrd(project, copy_build())
    result: dict = {"label": label}
    lg = None
    try:
        hmrd.wait_builds(1)
        n = hmrd.capacity() - FD_MARGIN if n_wanted == "max" else n_wanted
        result["n"] = n
        rss0 = proc_rss_kib(hmrd.pid)
        lg = Loadgen(hmrd.port, n)
        connected_at = time.monotonic()
        result["connect"] = lg.connected
        if lg.connected["ready"] < n:
            bench.note(f"hmrd: only {lg.connected['ready']} of {n} streams ready: {lg.connected}")
        time.sleep(0.5)
        rss1 = proc_rss_kib(hmrd.pid)
        streams = lg.connected["ready"]
        result["memory"] = {
            "streams": streams, "rss_before_kib": rss0["VmRSS"], "rss_after_kib": rss1["VmRSS"],
            "anon_before_kib": rss0.get("RssAnon"), "anon_after_kib": rss1.get("RssAnon"),
            "bytes_per_stream": round((rss1["VmRSS"] - rss0["VmRSS"]) * 1024 / max(1, streams)),
        }
        result["rounds"] = fan_rounds(bench, lg, hmrd.pid, rounds, lambda: ("write", project / "src" / "trigger.txt"),
                                      after=lambda k: hmrd.wait_builds(2 + k))
        if building_rounds:
            result["building"] = building.at_scale(hmrd, lg, project, building_rounds)
        if idle_window:
            # Start once the head-deadline timer is done with the last connection.
            settle = connected_at + HEAD_DEADLINE_S + 1.5 - time.monotonic()
            if settle > 0:
                time.sleep(settle)
            result["idle"] = measure_idle(hmrd.pid, lg, idle_window)
        result["warnings"] = hmrd.warnings()
        lg.quit()
        lg = None
        result["sync"] = capture_sync_frame(hmrd.port)
    finally:
        if lg:
            lg.quit()
        hmrd.stop()
    return result


def fan_rounds(bench, lg: Loadgen, pid: int, rounds: int, trigger, after) -> list[dict]:
    """One warm-up round, then `rounds` measured ones, each with the server's CPU."""
    out = []
    for k in range(rounds + 1):
        cpu0 = proc_cpu_ns(pid)
        how, arg = trigger()
        r = with_spread(lg.round(how, arg, BUILT))
        after(k)
        r["server_cpu_ms"] = round((proc_cpu_ns(pid) - cpu0) / 1e6, 2)
        if r["missing"]:
            bench.note(f"round {k}: {r['missing']} streams missed the frame")
        if k > 0:
            out.append(r)
        time.sleep(0.2)
    return out


def measure_idle(pid: int, lg: Loadgen, window: float) -> dict:
    s0 = lg.stats()
    cpu0, (vol0, invol0), (user0, sys0) = proc_cpu_ns(pid), proc_switches(pid), proc_user_sys_ms(pid)
    t0 = time.monotonic()
    time.sleep(window)
    cpu1, (vol1, invol1), (user1, sys1) = proc_cpu_ns(pid), proc_switches(pid), proc_user_sys_ms(pid)
    elapsed = time.monotonic() - t0
    s1 = lg.stats()
    cpu_ms = (cpu1 - cpu0) / 1e6
    return {
        "streams": s1["ready"], "window_s": round(elapsed, 2), "cpu_ms": round(cpu_ms, 1),
        "cpu_percent_of_core": round(cpu_ms / (elapsed * 1000) * 100, 3),
        "user_ms": round(user1 - user0), "sys_ms": round(sys1 - sys0),
        "wakeups": vol1 - vol0, "preempted": invol1 - invol0,
        "heartbeat_ticks": int(elapsed // HEARTBEAT_S),
        "frames_received": s1["frames"] - s0["frames"], "streams_lost": s1["lost"] - s0["lost"],
        "loadgen_cpu_ms": round(s1["cpu_ms"] - s0["cpu_ms"], 1),
    }


# ---------------------------------------------------------------- the floor's runs


def ref_fanout(bench, n: int, sync: bytes, rounds: int) -> dict:
    ref = FanoutRef(*frames_for_ref(bench.work, sync, str(n)))
    lg = None
    try:
        lg = Loadgen(ref.port, n)
        result = {"n": n, "connect": lg.connected, "frame_bytes": len(sync) + 1}
        result["rounds"] = fan_rounds(bench, lg, ref.pid, rounds, lambda: ("connect", ref.control),
                                      after=lambda k: None)
        return result
    finally:
        if lg:
            lg.quit()
        ref.stop()


def ref_heartbeats(bench, n: int, sync: bytes, ticks: int) -> dict:
    """The floor for idle: fanout-ref sends hmrd's heartbeat bytes to as many streams, as
    many times as hmrd's window held ticks, each to a stream that was idle (as hmrd's are)."""
    built, sync_path = frames_for_ref(bench.work, sync, f"heartbeat-{n}")
    built.write_text(HEARTBEAT)
    ref = FanoutRef(built, sync_path)
    lg = None
    try:
        lg = Loadgen(ref.port, n)
        cpu_ms = 0.0
        for _ in range(max(1, ticks)):
            time.sleep(0.5)  # a quiet stream again, as after 10 s
            cpu0 = proc_cpu_ns(ref.pid)
            lg.round("connect", ref.control, "\U0001F493", 10_000)
            cpu_ms += (proc_cpu_ns(ref.pid) - cpu0) / 1e6
        return {"streams": lg.connected["ready"], "ticks": max(1, ticks), "cpu_ms": round(cpu_ms, 1)}
    finally:
        if lg:
            lg.quit()
        ref.stop()
