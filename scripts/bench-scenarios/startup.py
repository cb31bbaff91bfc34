"""start-up (--only startup): exec of hmrd to its `listening on` line, min / p50 / max over
5 runs (--quick) or 15; and the size of the release binary as built and stripped, with
whether its Swift runtime is linked statically.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from common import Hmrd, pct

NAMES = ("startup",)


def run(bench):
    print("start-up", flush=True)
    project = bench.project("startup")
    times = []
    for _ in range(5 if bench.quick else 15):
        t0 = time.monotonic()
        hmrd = Hmrd(project, "true")
        times.append((time.monotonic() - t0) * 1000)
        hmrd.stop()
    size = Hmrd.binary.stat().st_size
    stripped = bench.work / "hmrd-stripped"
    subprocess.run(["strip", "-o", stripped, Hmrd.binary], check=True)
    entry = {"runs": len(times), "p50_ms": round(pct(times, 50), 2), "max_ms": round(max(times), 2),
             "min_ms": round(min(times), 2), "binary_bytes": size, "stripped_bytes": stripped.stat().st_size}
    bench.results["startup"] = entry
    bench.rows.append(("start-up", f"exec to 'listening', min / p50 / max ms ({len(times)} runs)",
                       f"{entry['min_ms']} / {entry['p50_ms']} / {entry['max_ms']}", "", "", ""))
    bench.rows.append(("binary", f"release ({runtime_linkage(Hmrd.binary)} Swift runtime) / stripped, MB",
                       f"{size / 1e6:.2f} / {entry['stripped_bytes'] / 1e6:.2f}", "", "", ""))


def runtime_linkage(binary: Path) -> str:
    libs = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    return "shared" if "libswiftCore" in libs else "static"
