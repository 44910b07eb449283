"""Validation: run a scenario and compare it with observed targets (``ruralsim validate``).

The comparison is a table (one row per target: observed value, tolerance, the model's mean across
replicates with two 95% intervals, and whether the target holds) and two figures: every target's
error in tolerance units, and each target's metric over time with the observed figure drawn on it.
A results folder holds everything needed to redraw them (``ruralsim plot``)::

    out/validation.csv  timeseries.parquet  targets.toml  manifest.json  plots/validation_*.png
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .targets import Target, TargetSet, check_dates, months_needed

TABLE = "validation.csv"
COLUMNS = ["target", "label", "source", "metric", "when", "stat", "kind", "judge", "observed", "tolerance",
           "unit", "model_mean", "model_lo", "model_hi", "ci_lo", "ci_hi", "replicates", "error_tol",
           "within_tolerance", "how"]


@dataclass
class Validation:
    """A finished validation run: the table, the series it was computed from and run metadata."""

    target_set: TargetSet
    table: pd.DataFrame
    timeseries: pd.DataFrame
    result: Any  # runner.ScenarioResult

    @property
    def all_hold(self) -> bool:
        return bool(self.table["within_tolerance"].all())


def run_size(target_set: TargetSet, scenario_params: Mapping[str, Any], households: int | None = None,
             replicates: int | None = None, seed: int | None = None) -> dict[str, Any]:
    """Run overrides: command-line options, else the targets file's [run], else the scenario; months
    just long enough to cover every target."""
    size = {"households": households, "replicates": replicates, "seed": seed}
    out = {f"run_{k}": (v if v is not None else target_set.run.get(k)) for k, v in size.items()}
    out = {k: v for k, v in out.items() if v is not None}
    check_dates(target_set, target_set.targets, int(scenario_params["run_start_year"]))
    out["run_months"] = months_needed(target_set.targets, int(scenario_params["run_start_year"]))
    return out


def validate(target_set: TargetSet, scenario: Any, overrides: Mapping[str, Any] | None = None,
             workers: int | None = None, progress: bool = False) -> Validation:
    """Run ``scenario`` with ``overrides`` (flat names) and compare it with every target."""
    from ..simulation.engine.runner import as_scenario, run_scenario

    sc = as_scenario(scenario)
    params = {**sc.params, **dict(overrides or {})}
    check_dates(target_set, target_set.targets, int(params["run_start_year"]))
    result = run_scenario(sc, dict(overrides or {}), workers=workers, progress=progress)
    ts = result.timeseries
    ts.attrs["national_people"] = float(result.params["population_national_people"])
    return Validation(target_set, compare(target_set.targets, ts), ts, result)


def compare(targets: tuple[Target, ...] | list[Target], ts: pd.DataFrame) -> pd.DataFrame:
    """One row per target: observed, the model's mean and intervals across replicates, and the verdict.

    ``model_lo``/``model_hi`` are the 2.5-97.5 percentiles of the replicate values (what one run might
    give); ``ci_lo``/``ci_hi`` the Student-t 95% interval of their mean. ``error_tol`` is
    (model mean - observed) / tolerance, counting only violations for inequalities.
    """
    rows = []
    for t in targets:
        v = t.replicate_values(ts).to_numpy(dtype=float)
        mean = float(np.mean(v)) if v.size else math.nan
        lo, hi = (float(x) for x in np.percentile(v, [2.5, 97.5])) if v.size else (math.nan, math.nan)
        if v.size >= 2:
            from scipy import stats

            half = float(stats.t.ppf(0.975, v.size - 1)) * float(np.std(v, ddof=1)) / math.sqrt(v.size)
        else:
            half = math.nan
        rows.append({"target": t.id, "label": t.title, "source": t.source, "metric": t.metric, "when": t.when,
                     "stat": t.stat, "kind": t.kind, "judge": t.judge, "observed": t.observed,
                     "tolerance": t.tolerance, "unit": t.unit, "model_mean": mean, "model_lo": lo, "model_hi": hi,
                     "ci_lo": mean - half, "ci_hi": mean + half, "replicates": int(v.size),
                     "error_tol": t.error(mean), "within_tolerance": t.holds(v), "how": t.how})
    return pd.DataFrame(rows, columns=COLUMNS)


def format_table(table: pd.DataFrame) -> str:
    """The comparison as aligned text for the terminal."""
    lines = [f"{'target':<11} {'when':<19} {'observed':>15} {'model mean [95% spread]':>34}  result"]
    for r in table.itertuples():
        rel = {"equal": "", "at_least": ">= ", "at_most": "<= "}[r.kind]
        tol = fmt_value(r.tolerance, r.observed)
        obs = f"{rel}{fmt_value(r.observed)}" + ((f" ±{tol}" if r.kind == "equal" else f" (+{tol})"
                                                  if r.kind == "at_most" else f" (-{tol})") if r.tolerance > 0 else "")
        model = f"{fmt_value(r.model_mean)} [{fmt_value(r.model_lo)}, {fmt_value(r.model_hi)}]"
        verdict = "ok" if r.within_tolerance else "MISS"
        lines.append(f"{r.target:<11} {r.when:<19} {obs:>15} {model:>34}  {verdict}"
                     + (" (every replicate)" if r.judge == "all" else ""))
    return "\n".join(lines)


def fmt_value(v: float, like: float | None = None) -> str:
    """Compact number: 32.78M, 2,098, 0.652 (in millions also when ``like``, e.g. the observed value, is)."""
    if v is None or not math.isfinite(v):
        return "nan"
    a = abs(v)
    if a >= 1e6 or (like is not None and abs(like) >= 1e6):
        return f"{v / 1e6:,.2f}M"
    if a >= 100:
        return f"{v:,.0f}"
    if a == 0:
        return "0"
    return f"{v:.3g}" if a >= 0.01 else f"{v:.2g}"
