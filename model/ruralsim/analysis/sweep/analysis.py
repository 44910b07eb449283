"""Analysis of a sweep's runs: per-point summaries, Sobol' and Morris indices, rank correlations.

Sensitivity indices use the mean over replicates at each point (replicates share random streams
across points, so the mean removes most of the within-point noise without adding between-point
noise). A point none of whose runs finished leaves its outcome undefined; Sobol' and Morris need
every point, so such outcomes are reported as not analysable rather than analysed on a subset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

BAND_NOTE = {True: "2.5-97.5 percentile range across replicates", False: "min-max range across replicates"}


def band(values: np.ndarray) -> tuple[float, float]:
    """Spread of replicate values: 2.5-97.5 percentiles with >= 3 values, else min-max (as the run plots)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not len(v):
        return float("nan"), float("nan")
    if len(v) >= 3:
        lo, hi = np.percentile(v, [2.5, 97.5])
        return float(lo), float(hi)
    return float(v.min()), float(v.max())


def ok_runs(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[runs["status"] == "ok"]


def point_summary(runs: pd.DataFrame, factor_cols: Sequence[str], outcomes: Sequence[str]) -> pd.DataFrame:
    """Tidy table: one row per (point, outcome) with mean, band across replicates and n."""
    ok = ok_runs(runs)
    points = runs.drop_duplicates("point")[["point", *factor_cols]].set_index("point")
    rows = []
    for outcome in outcomes:
        if outcome not in ok.columns:
            continue
        grouped = ok.groupby("point")[outcome]
        for point, vals in grouped:
            lo, hi = band(vals.to_numpy())
            rows.append({"point": point, "outcome": outcome, "mean": float(vals.mean()), "lo": lo, "hi": hi,
                         "n": int(vals.notna().sum())})
    table = pd.DataFrame(rows, columns=["point", "outcome", "mean", "lo", "hi", "n"])
    return points.reset_index().merge(table, on="point", how="right")[["point", *factor_cols, "outcome", "mean",
                                                                        "lo", "hi", "n"]]


def point_means(runs: pd.DataFrame, n_points: int, outcomes: Sequence[str]) -> pd.DataFrame:
    """Mean over finished replicates per point, in design order (NaN where no run finished)."""
    ok = ok_runs(runs)
    means = ok.groupby("point")[list(outcomes)].mean()
    return means.reindex(range(n_points))


def _salib_problem(exp: dict[str, Any]) -> dict[str, Any]:
    names = [f["column"] for f in exp["factors"]]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def sobol_indices(exp: dict[str, Any], means: pd.DataFrame, outcomes: Sequence[str]
                  ) -> tuple[pd.DataFrame, list[str]]:
    """First-order and total Sobol' indices with 95% bootstrap intervals, per outcome."""
    from SALib.analyze import sobol

    problem = _salib_problem(exp)
    rows, notes = [], []
    for outcome in outcomes:
        y = means[outcome].to_numpy(dtype=float)
        if not _all_finished(outcome, y, notes):
            continue
        if np.ptp(y) == 0:
            notes.append(f"{outcome}: the same at every point; indices undefined")
            continue
        res = sobol.analyze(problem, y, calc_second_order=False, num_resamples=500, conf_level=0.95,
                            print_to_console=False, seed=int(exp.get("design_seed") or 0))
        for i, name in enumerate(problem["names"]):
            rows.append({"outcome": outcome, "parameter": name, "S1": res["S1"][i], "S1_conf": res["S1_conf"][i],
                         "ST": res["ST"][i], "ST_conf": res["ST_conf"][i]})
    cols = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf"]
    return pd.DataFrame(rows, columns=cols), notes


def _all_finished(outcome: str, y: np.ndarray, notes: list[str]) -> bool:
    """Sobol and Morris need every point of the design: say which outcome is left out and why."""
    missing = int((~np.isfinite(y)).sum())
    if missing:
        notes.append(f"{outcome}: {missing} point(s) without a finished run; not analysed")
    return missing == 0


def morris_indices(exp: dict[str, Any], unit: np.ndarray, means: pd.DataFrame, outcomes: Sequence[str]
                   ) -> tuple[pd.DataFrame, list[str]]:
    """Morris elementary effects per outcome: mu, mu* (with 95% interval) and sigma.

    Effects are per step of ``levels / (2 (levels - 1))`` of each parameter's range (SALib's convention),
    so mu* compares parameters on their ranges, in the outcome's own unit.
    """
    from SALib.analyze import morris

    problem = _salib_problem(exp)
    rows, notes = [], []
    for outcome in outcomes:
        y = means[outcome].to_numpy(dtype=float)
        if not _all_finished(outcome, y, notes):
            continue
        res = morris.analyze(problem, unit, y, num_resamples=500, conf_level=0.95, print_to_console=False,
                             num_levels=int(exp.get("levels") or 4), seed=int(exp.get("design_seed") or 0))
        for i, name in enumerate(problem["names"]):
            rows.append({"outcome": outcome, "parameter": name, "mu": res["mu"][i], "mu_star": res["mu_star"][i],
                         "mu_star_conf": res["mu_star_conf"][i], "sigma": res["sigma"][i]})
    cols = ["outcome", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    return pd.DataFrame(rows, columns=cols), notes


def rank_correlations(exp: dict[str, Any], points: pd.DataFrame, means: pd.DataFrame, outcomes: Sequence[str]
                      ) -> pd.DataFrame:
    """Spearman rank correlation of each parameter with each outcome's point mean (listed values by position)."""
    from scipy import stats

    rows = []
    for f in exp["factors"]:
        x = coded(points[f["column"]], f)
        for outcome in outcomes:
            y = means[outcome].to_numpy(dtype=float)
            ok = np.isfinite(x) & np.isfinite(y)
            if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
                rho, p = float("nan"), float("nan")
            else:
                rho, p = stats.spearmanr(x[ok], y[ok])
            rows.append({"outcome": outcome, "parameter": f["column"], "spearman_rho": float(rho), "p_value": float(p),
                         "points": int(ok.sum())})
    return pd.DataFrame(rows, columns=["outcome", "parameter", "spearman_rho", "p_value", "points"])


def coded(values: pd.Series, factor: dict[str, Any]) -> np.ndarray:
    """Numeric values of a factor column; listed non-numeric values as their position in the list."""
    listed = factor.get("values")
    if listed is not None and not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in listed):
        pos = {str(v): i for i, v in enumerate(listed)}
        return np.array([pos.get(str(v), np.nan) for v in values], dtype=float)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
