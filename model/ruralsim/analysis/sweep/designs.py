"""Designs: the points of an experiment (full grid, Latin hypercube, Sobol', Morris, or a CSV table).

Sampled designs draw in the unit cube and map each column to its parameter
(:meth:`Factor.from_unit`): ranges linearly, whole numbers and listed values in equal-width bins.
SALib is given unit bounds, so its indices are unit-free with respect to the inputs and the stored
unit sample (``design.parquet``) is what the analysis reads back.

A run is (point, replicate). Its id is a hash of everything that determines its result (the full
parameters and the replicate index, not the number of replicates or the order of the design), so a
resumed or enlarged sweep recognises the runs it already has.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .experiment import Experiment


@dataclass
class Design:
    """Points of an experiment: user-facing values and, for sampled designs, the unit sample."""

    points: pd.DataFrame  # 'point' then one column per factor (multipliers for scaled factors)
    unit: np.ndarray | None = None  # unit-cube sample, one row per point (lhs, sobol, morris)
    problem: dict[str, Any] | None = None  # SALib problem with unit bounds

    def __len__(self) -> int:
        return len(self.points)


def salib_problem(exp: Experiment) -> dict[str, Any]:
    return {"num_vars": len(exp.factors), "names": [f.column for f in exp.factors],
            "bounds": [[0.0, 1.0]] * len(exp.factors)}


#: Largest sweep (points x replicates) run or even sampled without ``--force``: a mistyped
#: ``samples = 2^30`` must be a message, not 24 GB of design.
MAX_RUNS = 100_000


def design_size(exp: Experiment) -> int:
    """Points of ``exp``'s design, counted without building it."""
    k = len(exp.factors)
    if exp.method == "grid":
        n = 1
        for f in exp.factors:
            n *= len(f.values) if f.values is not None else int(f.steps or 2)
        return n
    if exp.method == "table":
        return len(exp.table_rows)
    samples = int(exp.samples or 2)
    return {"lhs": samples, "sobol": samples * (k + 2), "morris": samples * (k + 1)}[exp.method]


def check_size(exp: Experiment, force: bool = False, limit: int = MAX_RUNS) -> None:
    """A ConfigError when the sweep has more than ``limit`` runs, unless ``force``."""
    from ...simulation.inputs.config import _NO_VALUE, ConfigError, Problem

    points = design_size(exp)
    runs = points * exp.replicates
    if runs > limit and not force:
        raise ConfigError([Problem(str(exp.path), "design", _NO_VALUE,
                                   f"{points:,} points x {exp.replicates} replicate(s) = {runs:,} runs, more than "
                                   f"the {limit:,} allowed without --force",
                                   "fewer samples, steps or values; or --force if you mean it")])


def build_design(exp: Experiment) -> Design:
    """The points of ``exp``'s design, in a fixed order (the order SALib's analysis expects)."""
    unit = problem = None
    if exp.method == "grid":
        rows = list(itertools.product(*(f.levels() for f in exp.factors)))
        cols = {f.column: [r[i] for r in rows] for i, f in enumerate(exp.factors)}
    elif exp.method == "table":
        cols = {f.column: [row[f.key] for row in exp.table_rows] for f in exp.factors}
    else:
        problem = salib_problem(exp)
        unit = _unit_sample(exp, problem)
        cols = {f.column: f.from_unit(unit[:, i]) for i, f in enumerate(exp.factors)}
    points = pd.DataFrame(cols)
    points.insert(0, "point", np.arange(len(points)))
    return Design(points, unit, problem)


def _unit_sample(exp: Experiment, problem: dict[str, Any]) -> np.ndarray:
    n, seed = int(exp.samples or 2), int(exp.design_seed)
    if exp.method == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=len(exp.factors), seed=np.random.default_rng(seed)).random(n)
    if exp.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, n, calc_second_order=False, scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, n, num_levels=int(exp.levels), seed=seed)


def point_values(design: Design, exp: Experiment, k: int) -> dict[str, Any]:
    """``{factor key: value}`` of point ``k`` as Python scalars."""
    row = design.points.iloc[k]
    return {f.key: _py(row[f.column]) for f in exp.factors}


def run_id(params: Mapping[str, Any], replicate: int) -> str:
    """A stable id of the run: what determines its result, hashed (``run.replicates`` does not)."""
    keyed = {k: _canon(v) for k, v in params.items() if k != "run_replicates"}
    text = json.dumps({"params": keyed, "replicate": int(replicate)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Task:
    """One run to do: small and picklable, so it can be sent to any worker."""

    run_id: str
    point: int
    replicate: int
    params: dict[str, Any]
    outcomes: tuple[str, ...]
    series: tuple[str, ...]
    months: str | tuple[str, ...] = "all"  # months of the series to keep
    threads: int | None = None  # the model's threads (never changes results; not part of the id)


def tasks(exp: Experiment, design: Design) -> Iterator[Task]:
    """Every run of the sweep, point by point, replicate by replicate (generated lazily)."""
    for k in range(len(design)):
        params = exp.point_params(point_values(design, exp, k))
        for r in range(exp.replicates):
            yield Task(run_id(params, r), k, r, params, exp.outcomes, exp.series, exp.series_months)


def _canon(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _canon(x) for k, x in sorted(v.items(), key=lambda kv: int(kv[0]))}
    return _py(v)


def _py(v: Any) -> Any:
    """NumPy scalars -> Python scalars (for hashing, JSON and the model's type checks)."""
    if isinstance(v, np.generic):
        return v.item()
    return v
