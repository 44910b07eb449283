"""How much faster ruralsim's vectorised households are than Mesa's object-per-agent step, measured in one run.

Issue 25 asks the whole process (building the cohort, the set-up, then stepping) for 1M households × 120
months to be at least 20 times faster than Mesa's own idiom for the same number of agent-steps: one
``mesa.Agent`` per household, each with a trivial ``step`` (one attribute incremented), stepped by
``model.agents.shuffle_do("step")`` (random activation; ``--activation do`` for creation order). The Mesa side is timed over ``--mesa-steps`` steps after building its agents and
extrapolated linearly to the same number of months (its cost per step does not depend on the step), so the
run stays short; both sides run in this process, one after the other, so they see the same machine.

    .venv/bin/python benchmarks/mesa_ratio.py --households 1000000 --months 120
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "model"))


def mesa_trivial(n: int, steps: int, activation: str = "shuffle_do") -> tuple[float, float]:
    """Seconds to build ``n`` trivial Mesa agents, and seconds per step of all of them (``activation``:
    ``shuffle_do``, Mesa's random activation, the usual idiom; or ``do``, in creation order)."""
    import mesa

    class Trivial(mesa.Agent):
        def __init__(self, model):
            super().__init__(model)
            self.wealth = 0

        def step(self):
            self.wealth += 1

    t0 = time.perf_counter()
    model = mesa.Model(seed=1)
    for _ in range(n):
        Trivial(model)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(steps):
        getattr(model.agents, activation)("step")
    return built, (time.perf_counter() - t0) / steps


def ruralsim_whole(n: int, months: int, kernels: str) -> tuple[float, float]:
    """Seconds to build and set up a RuralModel of ``n`` households, and seconds to step ``months`` months."""
    from ruralsim import RuralModel

    t0 = time.perf_counter()
    model = RuralModel("baseline", run_households=n, run_months=months, kernels=kernels,
                       record_distribution=False)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    while model.running:
        model.step()
    return built, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--mesa-steps", type=int, default=5, help="Mesa steps timed (extrapolated to --months)")
    ap.add_argument("--kernels", default="numba")
    ap.add_argument("--activation", default="shuffle_do", choices=("shuffle_do", "do"),
                    help="Mesa's activation: random order (shuffle_do, the usual idiom) or creation order (do)")
    a = ap.parse_args(argv)
    os.environ.setdefault("RURALSIM_CACHE", "off")  # the set-up is part of the whole process
    load0 = os.getloadavg()[0]
    r_built, r_steps = ruralsim_whole(a.households, a.months, a.kernels)
    m_built, m_step = mesa_trivial(a.households, a.mesa_steps, a.activation)
    load1 = os.getloadavg()[0]
    ruralsim_total = r_built + r_steps
    mesa_total = m_built + m_step * a.months
    import mesa
    print(f"{a.households:,} households/agents x {a.months} months; Mesa {mesa.__version__}; "
          f"load average {load0:.1f} -> {load1:.1f}")
    print(f"ruralsim ({a.kernels}): set-up {r_built:.1f} s + {a.months} months {r_steps:.1f} s = {ruralsim_total:.1f} s "
          f"({r_steps / a.months:.3f} s a month)")
    print(f"Mesa trivial agents ({a.activation}): build {m_built:.1f} s + {a.months} x {m_step:.3f} s a step "
          f"(timed over {a.mesa_steps}) = {mesa_total:.1f} s")
    print(f"ratio (Mesa / ruralsim, whole process): {mesa_total / ruralsim_total:.1f}x  (issue 25's goal: >= 20x)")


if __name__ == "__main__":
    main()
