"""build exit -> built (--only build-exit): from the build's exit, stamped on the monotonic
clock by its last process, to the `built` frame on the wire, with an out dir of 10,000 files
of 20 KiB (200 MB; --quick 1,000) in which one file changed; and the time from start to
the first `built`, which hashes the whole out dir.
"""

from __future__ import annotations

import time

from common import BUILT, BenchError, Hmrd, Loadgen, copy_build, ms, pct

NAMES = ("build-exit",)


def run(bench):
    files, dirs = (1000, 10) if bench.quick else (10_000, 100)
    size = 20 * 1024
    print(f"build exit -> built, {files:,} files of {size // 1024} KiB", flush=True)
    t0 = time.monotonic()
    project = bench.project("build-exit", files=files, size=size, dirs=dirs)
    made_s = time.monotonic() - t0
    stamp = bench.work / "build-exit.stamp"
    t0 = time.monotonic()
    hmrd = Hmrd(project, copy_build(stamp))
    lg = None
    lat, sizes = [], []
    try:
        hmrd.wait_builds(1, timeout=120)
        first_build_s = time.monotonic() - t0
        lg = Loadgen(hmrd.port, 1)
        count = 5 if bench.quick else 10
        for k in range(count + 1):
            stamp.unlink(missing_ok=True)
            r = lg.round("write", project / "src" / "trigger.txt", BUILT, 20_000)
            hmrd.wait_builds(2 + k)
            if not r["got"] or not stamp.exists():
                raise BenchError(f"build exit round {k}: no built frame or no stamp ({r})")
            exited_ns = int(stamp.read_text())
            arrived_ns = r["trigger_ns"] + r["max_us"] * 1000
            if k > 0:
                lat.append((arrived_ns - exited_ns) / 1000)
                sizes.append(r["bytes"])
            time.sleep(0.1)
    finally:
        if lg:
            lg.quit()
        hmrd.stop()
    entry = {"files": files + 1, "bytes_on_disk": files * size, "rounds": len(lat),
             "p50_us": round(pct(lat, 50)), "max_us": round(max(lat)), "min_us": round(min(lat)),
             "all_us": [round(x) for x in lat], "frame_bytes": max(sizes),
             "first_build_s": round(first_build_s, 2), "made_in_s": round(made_s, 2)}
    bench.results["build_exit"] = entry
    bench.rows.append((f"build exit->built {files + 1:,} files",
                       f"min / p50 / max ms over {len(lat)} builds ({entry['frame_bytes'] // 1024} KiB frame)",
                       f"{ms(entry['min_us'])} / {ms(entry['p50_us'])} / {ms(entry['max_us'])}", "", "", "<= 10"))
    bench.rows.append(("", f"start to first built (hashing {files * size // 2**20} MB), s",
                       entry["first_build_s"], "", "", ""))
    bench.goal("build exit->built p50", ms(entry["p50_us"]), 10, entry["p50_us"] <= 10_000, "ms")
