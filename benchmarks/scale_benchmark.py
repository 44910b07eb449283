"""Scale benchmark (issue 6): wall time, household-steps per second and peak memory by cohort size.

    python benchmarks/scale_benchmark.py --sizes 10k,100k,1M,10M,national --months 60

Each size runs in a fresh subprocess, so its peak resident memory is its own. For each size it prints
and writes to ``benchmarks/scale_benchmark.csv``: households, labourers, chunks, threads and kernels
used, set-up time (population, 24-month labour burn-in, calibration, 18-month warm-up), stepping time
for ``--months`` months, total wall time, household-steps per second (stepping, and overall), CPU
seconds, peak resident memory, and the state's bytes per household. The machine's load average before
and after each run is recorded too: other processes on the machine slow the run down and show there.
Not a timed test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The set-up is measured, so it is computed, never restored from the start cache (this process and the
# subprocesses it starts; RURALSIM_CACHE set by the caller wins).
os.environ.setdefault("RURALSIM_CACHE", "off")
COLUMNS = ["size", "households", "labourers", "months", "chunks", "threads", "kernels", "setup_s", "step_s",
           "total_s", "hh_steps_per_s", "hh_steps_per_s_overall", "cpu_s", "peak_rss_gib", "state_bytes_per_hh",
           "load_before", "load_after"]


def parse_size(text: str) -> str | int:
    """'10k' -> 10000, '1M' -> 1000000, 'national' stays a name."""
    t = text.strip()
    if t.lower() == "national":
        return "national"
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1].lower(), 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def worker(size: str, months: int, scenario: str | None) -> dict:
    """Build and run one model in this process; report timings and memory as a dict."""
    import resource

    from ruralsim import RuralModel

    overrides = {"run_months": months}
    if size == "national":
        overrides["run_scale"] = "national"
    else:
        overrides["run_households"] = int(size)
    c0, t0 = time.process_time(), time.perf_counter()
    m = RuralModel(scenario, record_distribution=True, **overrides)
    t1 = time.perf_counter()
    m.run()
    t2 = time.perf_counter()
    ts = m.timeseries()
    assert len(ts) == months
    nbytes = sum(m.state_nbytes().values())
    return {"households": m.n_households, "labourers": m.n_labourers, "months": months, "chunks": len(m.spans),
            "threads": m.threads, "kernels": m.kern.name, "setup_s": t1 - t0, "step_s": t2 - t1,
            "total_s": t2 - t0, "hh_steps_per_s": m.n_households * months / (t2 - t1),
            "hh_steps_per_s_overall": m.n_households * months / (t2 - t0), "cpu_s": time.process_time() - c0,
            "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30,
            "state_bytes_per_hh": nbytes / m.n_households,
            "last_poverty_rate": float(ts["poverty_rate_registry"].iloc[-1])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,1M,10M,national", help="comma-separated sizes (10k, 1M, national)")
    ap.add_argument("--months", type=int, default=60, help="months simulated after set-up (default 60)")
    ap.add_argument("--scenario", default=None, help="scenario file (default: the parameter defaults)")
    ap.add_argument("--out", type=Path, default=HERE / "scale_benchmark.csv", help="CSV to write")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.months, args.scenario)))
        return 0

    rows = []
    print(f"{'size':>9} {'households':>11} {'chunks':>6} {'thr':>3} {'kernels':>7} {'setup s':>8} {'step s':>8} "
          f"{'total s':>8} {'hh-steps/s':>12} {'peak GiB':>8} {'B/hh':>6} {'load':>9}")
    for text in args.sizes.split(","):
        size = parse_size(text)
        load_before = os.getloadavg()[0]
        cmd = [sys.executable, __file__, "--worker", str(size), "--months", str(args.months)]
        if args.scenario:
            cmd += ["--scenario", args.scenario]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        result = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("RESULT "))[7:])
        result.update(size=text.strip(), load_before=round(load_before, 2), load_after=round(os.getloadavg()[0], 2))
        rows.append(result)
        print(f"{result['size']:>9} {result['households']:>11,} {result['chunks']:>6} {result['threads']:>3} "
              f"{result['kernels']:>7} {result['setup_s']:>8.1f} {result['step_s']:>8.1f} {result['total_s']:>8.1f} "
              f"{result['hh_steps_per_s']:>12,.0f} {result['peak_rss_gib']:>8.2f} {result['state_bytes_per_hh']:>6.0f} "
              f"{result['load_before']:>4.1f}/{result['load_after']:<4.1f}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()})
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
