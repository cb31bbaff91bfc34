"""connection storm (--only storm): 10,000 clients (--quick 1,000) connecting at once, until
every one has its `sync` frame: all synced / p50 / p99 and failures, and the SYNs the
kernel dropped on a full accept queue, against fanout-ref greeting with hmrd's own `sync`.
"""

from __future__ import annotations

from common import FanoutRef, Hmrd, Loadgen, capture_sync_frame, copy_build, frames_for_ref, listen_overflows, ms

NAMES = ("storm",)


def run(bench):
    n = 1000 if bench.quick else 10_000
    print(f"connection storm N={n:,}", flush=True)
    project = bench.project("storm")
    hmrd = Hmrd(project, copy_build())
    try:
        hmrd.wait_builds(1)
        overflows = listen_overflows()
        lg = Loadgen(hmrd.port, n, concurrency=n, timeout_ms=60_000)
        h = lg.connected
        h["listen_overflows"] = listen_overflows() - overflows
        lg.quit()
        sync = capture_sync_frame(hmrd.port)
    finally:
        hmrd.stop()
    ref = FanoutRef(*frames_for_ref(bench.work, sync, "storm"))
    try:
        overflows = listen_overflows()
        lg = Loadgen(ref.port, n, concurrency=n, timeout_ms=60_000)
        r = lg.connected
        r["listen_overflows"] = listen_overflows() - overflows
        lg.quit()
    finally:
        ref.stop()
    bench.results["storm"] = {"n": n, "hmrd": h, "ref": r}
    bench.rows.append((f"storm N={n:,}", "all synced / p50 / p99 ms (failed)",
                       f"{ms(h['ready_max_us'])} / {ms(h['ready_p50_us'])} / {ms(h['ready_p99_us'])} ({h['failed']})",
                       f"{ms(r['ready_max_us'])} / {ms(r['ready_p50_us'])} / {ms(r['ready_p99_us'])} ({r['failed']})",
                       f"{round(h['ready_max_us'] / max(1, r['ready_max_us']), 2)}x", ""))
    bench.rows.append(("", "accept-queue overflows (SYNs dropped)", h["listen_overflows"], r["listen_overflows"], "", ""))
