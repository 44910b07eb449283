"""Where a month's time goes: wall time by phase of the step, for the NumPy and the Numba kernels.

    .venv/bin/python benchmarks/profile_step.py [--households 1000000] [--months 12] [--kernels numpy,numba]
    .venv/bin/python benchmarks/profile_step.py --pyinstrument      # also the call tree (pip install -e .[profile])
    .venv/bin/python benchmarks/profile_step.py --kernels numba --cpu --detail   # each compiled kernel and stream

Runs single-threaded so every phase's time is its own (with threads the chunks overlap), after the
model's set-up, and times each phase of :meth:`ruralsim.simulation.model.RuralModel.step` by wrapping the
model's phase methods. This is the profile the scale work was steered by; it is a measurement, not a
test, and prints its table (seconds per month and share of the step).
"""

from __future__ import annotations

import argparse
import os
import time
from collections import defaultdict

# The set-up is measured, so it is computed, never restored from the start cache (this process and the
# subprocesses it starts; RURALSIM_CACHE set by the caller wins).
os.environ.setdefault("RURALSIM_CACHE", "off")

# The model's phase methods, in step order (see RuralModel._households).
PHASES = ("_calendar", "_collective", "_insurance_year", "_birthdays", "_dibao_reviews", "_shocks", "_labour",
          "_incomes", "_policy", "_status", "_support_but_for", "_combine")


CLOCK = time.perf_counter  # --cpu: time.thread_time (the phase's own CPU seconds, fair on a busy machine)


SETUP = ("build", "_burn_in", "_calibrate_start", "_warm_up")


def timed_model(households: int, kernels: str, months: int):
    """A model after set-up whose phase methods add their wall time to ``model.phase_seconds``; the set-up's
    parts (cohort, labour burn-in, start calibration, warm-up) are in ``model.setup_seconds``."""
    from ruralsim import RuralModel
    from ruralsim.simulation import population

    setup = defaultdict(float)
    originals = {name: getattr(RuralModel, name) for name in SETUP[1:]}
    originals["build"] = population.build

    def timing(name, fn):
        return clocked(fn, lambda _args, seconds: setup.__setitem__(name, setup[name] + seconds))

    population.build = timing("build", originals["build"])
    for name in SETUP[1:]:
        setattr(RuralModel, name, timing(name, originals[name]))
    t0 = CLOCK()
    try:
        model = RuralModel(None, run_households=households, run_months=months, threads=1, kernels=kernels,
                           record_distribution=False)
    finally:
        population.build = originals["build"]
        for name in SETUP[1:]:
            setattr(RuralModel, name, originals[name])
    setup["set-up total"] = CLOCK() - t0
    model.setup_seconds = dict(setup)
    model.phase_seconds = defaultdict(float)
    for name in PHASES:
        setattr(model, name, clocked(getattr(model, name), lambda _args, seconds, _name=name:
                                     model.phase_seconds.__setitem__(_name, model.phase_seconds[_name] + seconds)))
    return model


def clocked(fn, record):
    """``fn``, passing its arguments and the seconds each call took (``CLOCK``, read at the call: ``--cpu`` sets it)
    to ``record``: the one timing wrapper of the phases, the set-up's parts, the kernels and the draws."""
    def wrapper(*args, **kwargs):
        t0 = CLOCK()
        try:
            return fn(*args, **kwargs)
        finally:
            record(args, CLOCK() - t0)
    return wrapper


def detail_timers() -> dict[str, list]:
    """Time every call of the compiled kernels (the Numba modules' public functions) and of the streams' draws
    (by stream name): {name: [seconds, calls]}. What a phase's share hides: which loop or which draw costs.
    Only the step's months are counted (the caller clears the dict after the set-up and the first month)."""
    from ruralsim.simulation.cohort import rng
    from ruralsim.simulation.phases import kernels_numba, kernels_policy, kernels_status

    timers: dict[str, list] = defaultdict(lambda: [0.0, 0])

    def timed(key_of, fn):
        def record(args, seconds):
            cell = timers[key_of(args)]
            cell[0] += seconds
            cell[1] += 1
        return clocked(fn, record)

    for module in (kernels_numba, kernels_policy, kernels_status):
        for name in dir(module):
            fn = getattr(module, name)
            if hasattr(fn, "py_func") and not name.startswith("_") and name not in SCALAR_HELPERS:
                setattr(module, name, timed(lambda _a, _k=f"kernel {module.__name__.rsplit('.', 1)[-1]}.{name}": _k, fn))
    for method in ("uniform", "uniform_every", "uniform_rows", "normal"):
        setattr(rng.Streams, method, timed(lambda a, _m=method: f"draw {_m} {a[1]}", getattr(rng.Streams, method)))
    return timers


# Compiled per-row helpers other kernels call (timing them would time every row).
SCALAR_HELPERS = ("migrant_weight", "can_migrate", "wage_of")


def profile(households: int, months: int, kernels: str, pyinstrument: bool, detail: bool = False) -> dict[str, float]:
    timers = detail_timers() if detail else None
    model = timed_model(households, kernels, months)
    profiler = None
    if pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    if months > 1:  # the first month compiles what the set-up did not use (Numba caches it on disk): not timed
        model.step()
        model.phase_seconds.clear()
        months -= 1
    if timers is not None:
        timers.clear()
    t0 = CLOCK()
    while model.running:
        model.step()
    total = CLOCK() - t0
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    seconds = dict(model.phase_seconds)
    seconds["(other)"] = total - sum(seconds.values())
    seconds["step total"] = total
    if timers:
        print(f"\n{kernels}: seconds per month by compiled kernel and by stream drawn (calls a month), largest first")
        for name, (secs, calls) in sorted(timers.items(), key=lambda kv: -kv[1][0]):
            print(f"{secs / months:>9.4f} {100 * secs / total:>5.1f}%  {calls / months:>5.1f}  {name}")
        inside = sum(secs for secs, _ in timers.values())
        print(f"{inside / months:>9.4f} {100 * inside / total:>5.1f}%         in all (the rest is Python and NumPy glue)")
    return {**{k: v / months for k, v in seconds.items()}, **{"setup:" + k: v for k, v in model.setup_seconds.items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--kernels", default="numpy,numba", help="comma-separated: numpy, numba")
    ap.add_argument("--pyinstrument", action="store_true", help="also print pyinstrument's call tree")
    ap.add_argument("--cpu", action="store_true", help="CPU seconds of the (single) thread instead of wall seconds")
    ap.add_argument("--detail", action="store_true", help="also each compiled kernel's and each stream's seconds")
    args = ap.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.thread_time
    kernels = [k.strip() for k in args.kernels.split(",")]
    results = {k: profile(args.households, args.months, k, args.pyinstrument, args.detail) for k in kernels}
    print(f"\n{args.households:,} households, {args.months} months, one thread: seconds per month by phase")
    print(f"{'phase':<16}" + "".join(f"{k:>10} {'share':>6}" for k in kernels))
    for phase in (*(p.lstrip('_') for p in PHASES), "(other)", "step total"):
        key = phase if phase in ("(other)", "step total") else "_" + phase
        cells = "".join(f"{results[k].get(key, 0.0):>10.3f} {100 * results[k].get(key, 0.0) / results[k]['step total']:>5.0f}%"
                        for k in kernels)
        print(f"{phase:<16}{cells}")
    print("\nset-up, seconds (cohort, 24-month labour burn-in, start calibration, 18-month warm-up)")
    for part in (*(p.lstrip("_") for p in SETUP), "set-up total"):
        key = "setup:" + (part if part in ("build", "set-up total") else "_" + part)
        print(f"{part:<16}" + "".join(f"{results[k].get(key, 0.0):>10.2f} {'':>6}" for k in kernels))


if __name__ == "__main__":
    main()
