"""Sweep throughput: runs per minute for a county-size model (20,000 households x 120 months).

    .venv/bin/python benchmarks/sweep_benchmark.py [--workers 2] [--runs 6] [--households 20000] [--months 120]

Runs a small grid (``training.coverage`` x replicates) through ``ruralsim.workflows.sweep.run_sweep`` with
local worker processes into a temporary folder, so the figure includes everything a user waits for
(starting the workers, writing each run's files) except the final tables and plots. Prints the
result and appends a row to ``benchmarks/sweep_benchmark.csv`` (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", type=int, default=6, help="runs (an even number: 3 points x 2 replicates for 6)")
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument("--months", type=int, default=120)
    args = ap.parse_args()

    from ruralsim.workflows.sweep import load_experiment, run_sweep

    points = max(1, args.runs // 2)
    values = ", ".join(f"{0.05 * (i + 1):.2f}" for i in range(points))
    with tempfile.TemporaryDirectory() as tmp:
        exp_file = Path(tmp) / "benchmark.toml"
        exp_file.write_text(f'# Sweep benchmark.\nscenario = "baseline"\nhouseholds = {args.households}\n'
                            f'months = {args.months}\nreplicates = 2\n[vary]\ntraining.coverage = [{values}]\n',
                            encoding="utf-8")
        exp = load_experiment(exp_file)
        t0 = time.perf_counter()
        s = run_sweep(exp, Path(tmp) / "out", workers=args.workers, progress=False, analyse=False)
        wall = time.perf_counter() - t0
        per_run = s.runs["seconds"].mean()
    rate = 60.0 * s.done / wall
    steady = 60.0 * s.workers / per_run  # once the workers are up (long sweeps)
    print(f"sweep benchmark: {s.done} runs of {args.households:,} households x {args.months} months on "
          f"{s.workers} {s.backend} worker(s): {wall:.1f} s wall, {rate:.1f} runs per minute including worker "
          f"start-up; {steady:.1f} runs per minute steady state ({per_run:.2f} s per run inside a worker; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    row = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": _commit(),
           "households": args.households, "months": args.months, "runs": s.done, "workers": s.workers,
           "backend": s.backend, "wall_seconds": round(wall, 2), "runs_per_minute": round(rate, 2),
           "seconds_per_run": round(per_run, 2),
           "steady_runs_per_minute": round(steady, 2), "load_average": round(os.getloadavg()[0], 2), "cpu_count": os.cpu_count(), "machine": platform.node()}
    path = HERE / "sweep_benchmark.csv"
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(row))
        if new:
            w.writeheader()
        w.writerow(row)
    print(f"appended to {path}")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


if __name__ == "__main__":
    main()
