"""What ``RuralModel`` needs to behave as Mesa's own tools expect, on Mesa 3.3 and 3.5 alike.

* Seeds: Mesa's ``batch_run`` passes ``seed=`` (or ``rng=``), often ``None``; a number means the run's
  master seed (``run.seed``), ``None`` keeps the scenario's, so runs stay reproducible by default.
* Iterations: ``batch_run(iterations=N)`` repeats each parameter set N times but tells the model
  nothing about which repeat it is (Mesa 3.3 passes no seed, Mesa 3.5 ``seed=None``). Repeat *k* runs
  replicate ``replicate + k`` of the scenario: distinct draws, reproducible, and, as replicate *k*
  of ``ruralsim run``, with the same household draws in every scenario (common random numbers).
  The repeat number is read from ``batch_run``'s own call, since Mesa passes it nowhere else.
* The model's own keywords (``replicate``, ``threads``, ...) are checked like parameters: bad
  input raises :class:`~ruralsim.config.ConfigError` (a ``ValueError``) naming keyword, value and
  what is allowed.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from ..inputs.config import ConfigError, Problem, plain

KERNELS = ("auto", "numpy", "numba")
_SOURCE = "keyword arguments"


def batch_run_iteration(max_depth: int = 8) -> int:
    """The repeat number of the ``mesa.batch_run`` call building this model, or 0 outside one."""
    frame = sys._getframe(1)
    for _ in range(max_depth):
        frame = frame.f_back
        if frame is None:
            return 0
        if frame.f_code.co_name == "_model_run_func" and frame.f_globals.get("__name__") == "mesa.batchrunner":
            run = frame.f_locals.get("run")
            iteration = frame.f_locals.get("iteration", run[1] if isinstance(run, tuple) and len(run) == 3 else 0)
            return int(iteration) if isinstance(iteration, (int, np.integer)) else 0
    return 0


def master_seed(rng: Any, seed: Any) -> int | None:
    """Mesa's seeding keywords as the run's master seed (None: keep the scenario's ``run.seed``)."""
    value = seed if rng is None else rng
    name = "seed" if rng is None else "rng"
    if value is None:
        return None
    if isinstance(value, np.random.Generator):
        return int(value.integers(2**31))
    value = plain(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError([Problem(_SOURCE, name, value, "not a seed",
                                   "None, a whole number >= 0, or a numpy Generator")])
    return value


def check_options(replicate: Any, threads: Any, chunk_households: Any, kernels: Any,
                  record_distribution: Any) -> dict[str, Any]:
    """The model's own keywords, checked and converted (NumPy scalars accepted); all problems at once."""
    problems: list[Problem] = []

    def whole(name: str, value: Any, low: int, optional: bool) -> Any:
        v = plain(value)
        if v is None and optional:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            problems.append(Problem(_SOURCE, name, value, "not allowed",
                                    f"a whole number >= {low}" + (", or None" if optional else "")))
            return None
        return v

    out = {"replicate": whole("replicate", replicate, 0, False),
           "threads": whole("threads", threads, 1, True),
           "chunk_households": whole("chunk_households", chunk_households, 1, True)}
    k = plain(kernels)
    if k is not None and (not isinstance(k, str) or k.strip().lower() not in KERNELS):
        problems.append(Problem(_SOURCE, "kernels", kernels, "not allowed",
                                "one of " + ", ".join(repr(x) for x in KERNELS) + ", or None"))
    out["kernels"] = k
    rd = plain(record_distribution)
    if not isinstance(rd, bool):
        problems.append(Problem(_SOURCE, "record_distribution", record_distribution, "wrong type",
                                "True or False"))
    out["record_distribution"] = rd
    if problems:
        raise ConfigError(problems)
    return out
