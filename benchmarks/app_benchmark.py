"""How long ``ruralsim app`` takes to answer a lever change (goal: < 3 s at 2,000 households).

Starts the page on a free loopback port, opens it in headless Chromium (the system's, as the tests
do), waits for the first answer (which also runs the baseline), then moves a lever ``--changes``
times to values not run before and times each change from the key press to the charts showing the
new run. Prints each time and the median.

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
        times = []
        for i in range(args.changes):
            t0 = time.perf_counter()
            move_slider(page, "training_coverage", "ArrowRight")  # a new value each time: never cached
            rid = answered_request(page, after=rid)
            times.append(time.perf_counter() - t0)
            print(f"lever change {i + 1}: {times[-1]:.2f} s  ({page.inner_text('#status')})")
    print(f"median answer to a lever change: {statistics.median(times):.2f} s "
          f"(goal < 3 s; {args.households:,} households, {args.replicates} replicates); "
          f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
