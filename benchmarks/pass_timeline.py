"""Where a whole run's wall time goes on the model's threads: serial work, chunk passes, and the time a pass loses
waiting for its last chunk.

    .venv/bin/python benchmarks/pass_timeline.py --households 1000000 --months 120
    RURALSIM_CHUNK=250000 .venv/bin/python benchmarks/pass_timeline.py      # another cut, to compare

A month (and each step of the set-up) runs its household phases as a *pass*: the chunks of whole counties on the
model's threads (:func:`ruralsim.simulation.cohort.threads.run_chunks`). Everything outside a pass runs on the
main thread alone (the calendar, the collective agents, combining the counties; in the set-up, importing Numba
and loading the kernels, the cohort's and the state's serial NumPy). This wraps ``run_chunks`` to time every pass
and every chunk, and prints, for the set-up, its parts and the months: the wall time, the part spent in passes,
the chunks' busy time summed over threads (what a pass would take if it split perfectly), and what the passes
lost over that (a thread idle at a pass's end, or waiting for the GIL). Like ``mesa_ratio.py`` it measures the
whole process (the start cache is off), so the two can be read together.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "model"))
os.environ.setdefault("RURALSIM_CACHE", "off")  # the set-up is part of the whole process


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--kernels", default="numba")
    a = ap.parse_args(argv)

    from ruralsim import RuralModel
    from ruralsim.simulation.cohort import population, threads
    from ruralsim.simulation.engine import model as model_mod

    passes: list[tuple[float, float]] = []  # (start, end) of each pass
    chunks: list[tuple[float, float]] = []  # (start, end) of each chunk, on whichever thread ran it
    original = threads.run_chunks

    def timed_run_chunks(fn, spans, n_threads):
        def timed(span):
            t0 = time.perf_counter()
            result = fn(span)
            chunks.append((t0, time.perf_counter()))
            return result
        t0 = time.perf_counter()
        results = original(timed, spans, n_threads)
        passes.append((t0, time.perf_counter()))
        return results

    population.run_chunks = model_mod.run_chunks = timed_run_chunks  # where the set-up and the month call it
    parts: dict[str, tuple[float, float]] = {}
    for name in ("_burn_in", "_calibrate_start", "_warm_up"):
        method = getattr(model_mod.RuralModel, name)

        def clocked(self, *args, _method=method, _name=name, **kwargs):
            t0 = time.perf_counter()
            result = _method(self, *args, **kwargs)
            parts[_name] = (t0, time.perf_counter())
            return result
        setattr(model_mod.RuralModel, name, clocked)

    t0 = time.perf_counter()
    model = RuralModel(a.scenario, run_households=a.households, run_months=a.months, kernels=a.kernels,
                       record_distribution=False)
    t1 = time.perf_counter()
    while model.running:
        model.step()
    t2 = time.perf_counter()

    load0 = os.getloadavg()[0]
    print(f"{a.households:,} households x {a.months} months, {model.threads} threads, {len(model.spans)} chunks "
          f"({', '.join(str(s.h1 - s.h0) for s in model.spans[:4])}{', ...' if len(model.spans) > 4 else ''}); "
          f"load average {load0:.1f}")
    print(f"{'':<18}{'wall s':>8}{'serial s':>10}{'in passes':>11}{'chunks busy':>13}{'ideal':>8}{'lost':>8}"
          f"{'passes':>8}")

    def row(label: str, start: float, end: float) -> None:
        inside = [p for p in passes if p[0] >= start and p[1] <= end]
        busy = sum(e - s for s, e in chunks if s >= start and e <= end)
        in_passes = sum(e - s for s, e in inside)
        ideal = busy / model.threads
        print(f"{label:<18}{end - start:>8.3f}{end - start - in_passes:>10.3f}{in_passes:>11.3f}{busy:>13.3f}"
              f"{ideal:>8.3f}{in_passes - ideal:>8.3f}{len(inside):>8}")

    row("set-up", t0, t1)
    for name, (start, end) in parts.items():
        row("  " + name.lstrip("_"), start, end)
    row("months", t1, t2)
    row("whole process", t0, t2)
    print("serial: outside the passes (main thread alone); chunks busy: summed over threads; ideal: that over the "
          "threads; lost: in passes beyond ideal (a thread idle at a pass's end, or waiting for the GIL)")


if __name__ == "__main__":
    main()
