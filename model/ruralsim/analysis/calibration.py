"""Calibration: fit the free parameters to observed targets (``ruralsim calibrate``).

The loss is the sum over the calibration targets of the squared error in tolerance units,
``((model - observed) / tolerance)^2``; inequality targets add to it only when violated. The model's
value is the mean over replicates run with the same seeds at every evaluation (common random
numbers), so two parameter sets are compared on the same shocks and the loss surface is smooth
rather than noisy. A SciPy optimiser searches the declared ranges within a budget of evaluations:

* ``nelder-mead`` (default): a simplex search on the ranges rescaled to [0, 1], starting from the
  scenario's current values; integer parameters are rounded, so it sees them as steps;
* ``differential-evolution``: a global search that treats integer parameters as integers; it needs a
  larger budget (a population of 5 per parameter and generation).

Outputs: ``fitted.toml`` (values, ranges, losses, each target before and after), ``loss_history.csv``
(every evaluation), ``plots/calibration_fit.png`` and ``manifest.json``; and unless told not to, the
fitted values are written into the scenario file in place (:func:`update_scenario_file`), each with
a comment line ``# source = "calibrated: A07, A17, A20" (ruralsim calibrate, <date>)`` above it.
"""

from __future__ import annotations

import datetime as _dt
import math
import multiprocessing
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..simulation.inputs.config import _NO_VALUE, ConfigError, Problem, Scenario, load_scenario
from ..simulation.inputs.parameters import PARAMS_BY_FLAT
from .targets import FreeParam, Target, months_needed

# Worker processes are spawned (a fork after threads have run is unsafe); chosen here, not set globally.
SPAWN = multiprocessing.get_context("spawn")

CAL_MARK = '# source = "calibrated'
SIGNIFICANT = 4  # significant digits of the values written to the scenario file


class _Budget(Exception):
    """Raised inside the objective when the evaluation budget is spent (stops any optimiser)."""


@dataclass
class Evaluation:
    """One evaluation of the loss: parameter values, the model's value per target, the loss."""

    index: int
    phase: str  # start | search | final
    x: dict[str, float]
    values: dict[str, float]
    loss: float
    seconds: float


@dataclass
class Calibration:
    """A finished calibration."""

    scenario: Scenario
    free: tuple[FreeParam, ...]
    targets: tuple[Target, ...]
    settings: dict[str, Any]
    history: list[Evaluation] = field(default_factory=list)
    fitted: dict[str, float] = field(default_factory=dict)  # label -> value written
    overrides: dict[str, Any] = field(default_factory=dict)  # flat name -> value written (tables whole)
    started_at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))
    wall_seconds: float = 0.0

    @property
    def start(self) -> Evaluation:
        return self.history[0]

    @property
    def final(self) -> Evaluation:
        return self.history[-1]

    @property
    def source(self) -> str:
        """``calibrated: A07, A17, A20``: the figure ids of the targets in the loss, in order."""
        ids = [re.sub(r"^[a-z]+:", "", t.source).split()[0].rstrip(",;") for t in self.targets]
        return "calibrated: " + ", ".join(dict.fromkeys(ids))

    def history_frame(self) -> pd.DataFrame:
        rows = []
        best = math.inf
        for e in self.history:
            best = min(best, e.loss) if e.phase != "final" else best
            rows.append({"evaluation": e.index, "phase": e.phase, "loss": e.loss, "best_loss": best,
                         **e.x, **{f"model_{k}": v for k, v in e.values.items()},
                         **{f"error_{t.id}": t.error(e.values[t.id]) for t in self.targets},
                         "seconds": e.seconds})
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------------------------
def loss(targets: Sequence[Target], values: Mapping[str, float]) -> float:
    """Sum of squared errors in tolerance units (inequalities: violations only); inf if any is missing."""
    total = 0.0
    for t in targets:
        v = values.get(t.id, math.nan)
        if not math.isfinite(v):
            return math.inf
        total += t.error(v) ** 2
    return total


def overrides_for(free: Sequence[FreeParam], base: Mapping[str, Any], x: Sequence[float]) -> dict[str, Any]:
    """Flat overrides setting each free parameter to its value in ``x`` (year entries merged per table)."""
    out: dict[str, Any] = {}
    for fp, xi in zip(free, x):
        flat = fp.param.flat
        out[flat] = fp.apply({flat: out.get(flat, base[flat])}, xi)
    return out


def round_value(fp: FreeParam, x: float) -> float | int:
    """The value as written to the scenario file: integers exact, floats to 4 significant digits."""
    x = fp.clip(x)
    return x if fp.integer else float(f"{x:.{SIGNIFICANT}g}")


def _replicate_values(scenario: Scenario, replicate: int, overrides: dict[str, Any],
                      targets: tuple[Target, ...]) -> dict[str, float]:
    """Run one replicate and return each target's value (runs in a worker process)."""
    from ..simulation.engine.model import RuralModel

    m = RuralModel(scenario, replicate=replicate, record_distribution=False, **overrides).run()
    ts = m.timeseries()
    ts.attrs["national_people"] = float(m.p["population_national_people"])
    return {t.id: float(t.replicate_values(ts).iloc[0]) for t in targets}


class Objective:
    """Evaluates the loss at a parameter vector (natural units), recording every evaluation."""

    def __init__(self, scenario: Scenario, free: Sequence[FreeParam], targets: Sequence[Target], *,
                 households: int, replicates: int, seed: int, budget: int, pool: Executor | None = None,
                 progress: Any = None) -> None:
        self.scenario, self.free, self.targets = scenario, tuple(free), tuple(targets)
        self.base = scenario.params
        self.replicates, self.budget, self.pool, self.progress = replicates, budget, pool, progress
        self.run = {"run_households": households, "run_seed": seed, "run_replicates": replicates,
                    "run_months": months_needed(self.targets, int(self.base["run_start_year"]))}
        self.history: list[Evaluation] = []
        self._seen: dict[tuple, float] = {}

    def values(self, x: Sequence[float]) -> dict[str, float]:
        """Mean over replicates of each target's value at ``x``."""
        ov = {**self.run, **overrides_for(self.free, self.base, x)}
        args = [(self.scenario, r, ov, self.targets) for r in range(self.replicates)]
        if self.pool is not None:
            per_rep = list(self.pool.map(_replicate_values, *zip(*args)))
        else:
            per_rep = [_replicate_values(*a) for a in args]
        return {t.id: float(np.mean([v[t.id] for v in per_rep])) for t in self.targets}

    def evaluate(self, x: Sequence[float], phase: str = "search") -> float:
        xs = [fp.clip(v) for fp, v in zip(self.free, x)]
        key = tuple(xs)
        if phase == "search" and key in self._seen:
            return self._seen[key]  # the same point again (e.g. the optimiser's first call): no run, no budget
        if phase == "search" and self.searches >= self.budget:
            raise _Budget
        t0 = time.perf_counter()
        values = self.values(xs)
        e = Evaluation(len(self.history), phase, {fp.label: v for fp, v in zip(self.free, xs)}, values,
                       loss(self.targets, values), time.perf_counter() - t0)
        self._seen[key] = e.loss
        self.history.append(e)
        if self.progress is not None:
            self.progress.update(1)
            self.progress.set_postfix(loss=f"{e.loss:.3g}", best=f"{min(h.loss for h in self.history):.3g}")
        return e.loss

    @property
    def searches(self) -> int:
        return sum(e.phase in ("start", "search") for e in self.history)

    def best(self) -> Evaluation:
        return min((e for e in self.history if e.phase != "final"), key=lambda e: e.loss)


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------
def calibrate(scenario: Scenario, free: Sequence[FreeParam], targets: Sequence[Target], *, budget: int,
              households: int, replicates: int, seed: int, method: str = "nelder-mead",
              workers: int | None = None, progress: bool = False) -> Calibration:
    """Fit ``free`` to ``targets`` starting from ``scenario``'s values; return the fit (nothing written)."""
    from scipy import optimize

    if not free:
        raise ConfigError("no free parameters: declare [calibration.params] in the targets file or give --params")
    if not targets:
        raise ConfigError("no calibration targets: list them in [calibration] targets or give --use")
    t_start = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc)
    workers = workers if workers is not None else min(replicates, os.cpu_count() or 1)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=budget + 1, desc="calibrate", unit="eval", dynamic_ncols=True)
    from ..simulation.engine.processes import pool as worker_pool, stop_pool

    pool = worker_pool(workers) if workers > 1 else None
    try:
        obj = Objective(scenario, free, targets, households=households, replicates=replicates, seed=seed,
                        budget=budget, pool=pool, progress=bar)
        lows = np.array([fp.low for fp in free])
        spans = np.array([fp.high - fp.low for fp in free])
        x0 = np.array([fp.clip(fp.current(scenario.params)) for fp in free], dtype=float)
        obj.evaluate(x0, phase="start")
        try:
            if method == "differential-evolution":
                d = len(free)
                pop = 5
                optimize.differential_evolution(
                    lambda x: obj.evaluate(x), bounds=list(zip(lows, lows + spans)), x0=x0, popsize=pop,
                    maxiter=max(1, budget // (pop * d)), polish=False, seed=seed, tol=0.0,
                    integrality=[fp.integer for fp in free], init="sobol")
            else:
                u0 = (x0 - lows) / spans
                simplex = [u0] + [u0 + np.eye(len(free))[i] * (0.15 if u0[i] <= 0.85 else -0.15)
                                  for i in range(len(free))]
                optimize.minimize(lambda u: obj.evaluate(lows + np.clip(u, 0, 1) * spans), u0,
                                  method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(free),
                                  options={"maxfev": budget, "initial_simplex": np.array(simplex),
                                           "xatol": 1e-3, "fatol": 1e-3})
        except _Budget:
            pass  # the budget is spent: keep the best evaluation so far
        best = obj.best()
        fitted = {fp.label: round_value(fp, best.x[fp.label]) for fp in free}
        obj.evaluate([fitted[fp.label] for fp in free], phase="final")  # what the written values give
    except BaseException:
        if pool is not None:
            stop_pool(pool)  # interrupted: do not wait for the evaluations in flight
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if bar is not None:
            bar.close()
    written = overrides_for(free, scenario.params, [fitted[fp.label] for fp in free])
    settings = {"method": method, "budget": budget, "households": households, "replicates": replicates,
                "seed": seed, "months": obj.run["run_months"], "workers": workers}
    return Calibration(scenario, tuple(free), tuple(targets), settings, obj.history, fitted, written,
                       started, time.perf_counter() - t_start)


# ---------------------------------------------------------------------------------------------
# Writing the scenario file in place
# ---------------------------------------------------------------------------------------------
def toml_value(value: Any) -> str:
    """A parameter value as TOML text: numbers, booleans, strings and by-year inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{int(y)} = {toml_value(v)}" for y, v in sorted(value.items(),
                                                                                  key=lambda kv: int(kv[0]))) + " }"
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")


def update_scenario_file(path: str | Path, overrides: Mapping[str, Any], comment: str) -> list[str]:
    """Write ``overrides`` (flat names) into a scenario file by editing only their lines.

    Each key gets ``comment`` on the line above (replacing an earlier calibration comment). An existing
    key keeps its place and trailing comment; a missing key is added after its section's last key,
    and a missing section at the end of the file. The result is validated with :func:`load_scenario`
    before it replaces the file (atomically), so a failure leaves the file as it was. Returns the keys
    written (dotted).
    """
    from .outputs import atomic_path

    path = Path(path)
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    written = []
    for flat, value in overrides.items():
        p = PARAMS_BY_FLAT[flat]
        section, name, text = p.section, p.name, toml_value(value)
        headers = [i for i, ln in enumerate(lines) if _HEADER.match(ln)]
        hdr = next((i for i in headers if _HEADER.match(lines[i]).group(1).strip() == section), None)
        if hdr is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines += [f"[{section}]", comment, f"{name} = {text}"]
        else:
            end = next((i for i in headers if i > hdr), len(lines))
            key_re = re.compile(rf"^(\s*){re.escape(name)}\s*=")
            k = next((i for i in range(hdr + 1, end) if key_re.match(lines[i])), None)
            if k is not None:
                indent = key_re.match(lines[k]).group(1)
                rest = lines[k].split("=", 1)[1]
                trail = rest[rest.index("#"):] if "#" in rest else ""
                value_part = f"{indent}{name} = {text}"
                lines[k] = f"{value_part}  {trail}" if trail else value_part
                if lines[k - 1].strip().startswith(CAL_MARK):
                    lines[k - 1] = indent + comment
                else:
                    lines.insert(k, indent + comment)
            else:
                kv = [i for i in range(hdr + 1, end) if lines[i].strip() and not lines[i].strip().startswith("#")]
                pos = (kv[-1] + 1) if kv else hdr + 1
                lines[pos:pos] = [comment, f"{name} = {text}"]
        written.append(p.key)
    new = "\n".join(lines) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(new, encoding="utf-8")
        check = load_scenario(tmp)  # raises ConfigError: the original stays in place
        wrong = [PARAMS_BY_FLAT[k].key for k, v in overrides.items() if check.params[k] != v]
        if wrong:
            raise ConfigError([Problem(str(path), k, _NO_VALUE, "the edited file does not give the fitted value",
                                       "a plain [section] name = value layout") for k in wrong])
    return written


def calibrated_sources(scenario: Scenario) -> dict[str, str]:
    """Flat names of parameters a scenario's files mark as calibrated, with the comment's source text.

    The last file in the ``extends`` chain that sets a key decides, as it does for the value.
    """
    out: dict[str, str] = {}
    for path in scenario.chain:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        section, previous = "", ""
        for line in lines:
            m = _HEADER.match(line)
            if m:
                section = m.group(1).strip()
            elif "=" in line and not line.strip().startswith("#") and section:
                flat = f"{section}_{line.split('=', 1)[0].strip()}"
                if flat in PARAMS_BY_FLAT:
                    out.pop(flat, None)
                    if previous.strip().startswith(CAL_MARK):
                        found = re.search(r'"(calibrated[^"]*)"(.*)$', previous)
                        if found:
                            out[flat] = (found.group(1) + found.group(2)).strip()
            previous = line
    return out


def parse_param_option(items: Sequence[str], declared: Sequence[FreeParam], src: str = "--params"
                       ) -> tuple[FreeParam, ...]:
    """``--params KEY[=LOW:HIGH] ...``: a key alone takes its range from the targets file, else the schema."""
    from .targets import parse_free_param

    problems: list[Problem] = []
    out = []
    by_label = {fp.label: fp for fp in declared}
    for item in items:
        key, _, rng = item.partition("=")
        key = key.strip()
        if rng:
            lo, sep, hi = rng.partition(":")
            try:
                bounds: Any = [float(lo), float(hi)] if sep else None
            except ValueError:
                bounds = None
            if bounds is None:
                problems.append(Problem(src, key, rng, "bad range", "KEY=LOW:HIGH, e.g. labour.migrant_find_rate=0.05:0.25"))
                continue
        elif key in by_label:
            out.append(by_label[key])
            continue
        else:
            bounds = None
        fp = parse_free_param(key, bounds, src, key, problems)
        if fp is not None:
            out.append(fp)
    if problems:
        raise ConfigError(problems)
    return tuple(out)


__all__ = ["Calibration", "Evaluation", "Objective", "calibrate", "calibrated_sources", "loss",
           "overrides_for", "parse_param_option", "update_scenario_file"]
