"""How long ``ruralsim app`` takes to answer a lever change (issue 25: at most 1 s median at 2,000 households; issue 8 asked < 3 s).

Starts the page on a free loopback port, opens it in headless Chromium (the system's, as the tests
do), waits for the first answer (which also runs the baseline), then moves a lever ``--changes``
times to values not run before and times each change from the key press to the charts showing the
new run. Prints each time and the median, and the CPU seconds the app's processes (server and
workers, not the browser) spent on each answer: on a shared machine the wall time mostly measures
the other work, while CPU seconds / 2 cores is what the answer costs an otherwise idle machine.

    python benchmarks/app_benchmark.py [--households 2000] [--replicates 3] [--changes 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from app_driver import answered_request, browser_page, move_slider, running_app  # noqa: E402


def app_cpu_seconds() -> float:
    """CPU seconds so far of this process's Python children (the app's server and its workers)."""
    import psutil

    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            if "python" in child.name().lower():
                t = child.cpu_times()
                total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--replicates", type=int, default=3)
    ap.add_argument("--changes", type=int, default=5)
    args = ap.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores: above ~2 other work competes)")
    with tempfile.TemporaryDirectory() as home, \
            running_app("--households", str(args.households), "--replicates", str(args.replicates),
                        "--scenario-dir", str(Path(home) / "mine"), cwd=Path(home)) as url, \
            browser_page() as page:
        t0 = time.perf_counter()
        page.goto(url)
        rid = answered_request(page)
        print(f"first answer (policy and baseline, {args.replicates} replicates each, {args.households:,} "
              f"households): {time.perf_counter() - t0:.2f} s")
        times, cpus = [], []
        for i in range(args.changes):
            c0, t0 = app_cpu_seconds(), time.perf_counter()
            move_slider(page, "training_coverage", "ArrowRight")  # a new value each time: never cached
            rid = answered_request(page, after=rid)
            times.append(time.perf_counter() - t0)
            cpus.append(app_cpu_seconds() - c0)
            print(f"lever change {i + 1}: {times[-1]:.2f} s wall, {cpus[-1]:.2f} CPU s of the app "
                  f"({page.inner_text('#status')})")
    print(f"median answer to a lever change: {statistics.median(times):.2f} s "
          f"(issue 25: <= 1 s; {args.households:,} households, {args.replicates} replicates); "
          f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"median CPU seconds of the app per answer: {statistics.median(cpus):.2f} "
          f"(on 2 otherwise idle cores: about {statistics.median(cpus) / 2:.2f} s plus the drawing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
