"""Place groups across replicates: ``groups.csv`` of a run, ``compare_groups.csv`` of a comparison.

The model writes one row per (replicate, December, group) (:meth:`ruralsim.model.RuralModel.place_groups`,
stored as ``groups.parquet``). A run's ``groups.csv`` is their mean across replicates with the 95%
interval of the mean for income and the registry poverty rate (as ``summary.csv`` gives its ``ci_lo`` /
``ci_hi``); a comparison's ``compare_groups.csv`` is the paired (same replicate, common random numbers)
difference of each scenario from the reference, by group and year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..simulation.cohort.places import GROUPS
from ..simulation.engine.group_metrics import COLUMNS

GROUPS_CSV = "groups.csv"
GROUPS_PARQUET = "groups.parquet"
METRICS = ("households", "people", "mean_income", "poverty_rate_registry", "poverty_rate_alert", "monitored_households",
           "wage_share")
#: Metrics whose interval of the mean goes into groups.csv.
INTERVALS = ("mean_income", "poverty_rate_registry")
#: Metrics whose paired difference goes into compare_groups.csv.
DIFFERENCES = ("mean_income", "poverty_rate_registry", "poverty_rate_alert", "monitored_households")


def _half_width(values: np.ndarray) -> float:
    """Half-width of the Student-t 95% interval of the mean (NaN with fewer than two values)."""
    v = values[~np.isnan(values)]
    if len(v) < 2:
        return float("nan")
    from scipy import stats

    return float(stats.t.ppf(0.975, len(v) - 1)) * float(v.std(ddof=1)) / math.sqrt(len(v))


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by year, then groups in the order of :data:`GROUPS`."""
    order = {g: i for i, g in enumerate(GROUPS)}
    return (frame.assign(_o=frame["group"].map(order)).sort_values(["year", "_o"]).drop(columns="_o")
            .reset_index(drop=True))


def group_summary(table: pd.DataFrame) -> pd.DataFrame:
    """``groups.csv``: per (group, year) the replicate mean of every metric, the interval of the mean of
    income and of the registry poverty rate, and ``n`` replicates."""
    if table is None or table.empty:
        return pd.DataFrame(columns=["group", "year", *METRICS, "n"])
    rows = []
    for (group, year), df in table.groupby(["group", "year"], sort=False):
        row = {"group": group, "year": int(year)}
        for m in METRICS:
            row[m] = float(df[m].mean())
        for m in INTERVALS:
            half = _half_width(df[m].to_numpy(float))
            row[f"{m}_ci_lo"], row[f"{m}_ci_hi"] = row[m] - half, row[m] + half
        row["n"] = int(df["replicate"].nunique())
        rows.append(row)
    return _ordered(pd.DataFrame(rows))


def paired_group_differences(tables: dict[str, pd.DataFrame], reference: str) -> pd.DataFrame:
    """``compare_groups.csv``: for each scenario but the reference, by group, year and metric, the mean
    over replicates of (scenario - reference), replicate by replicate, with its paired 95% interval."""
    ref = tables[reference]
    rows = []
    for label, table in tables.items():
        if label == reference or table is None or table.empty:
            continue
        both = table.merge(ref, on=["replicate", "year", "group"], suffixes=("", "_ref"))
        for (group, year), df in both.groupby(["group", "year"], sort=False):
            for m in DIFFERENCES:
                d = (df[m] - df[f"{m}_ref"]).to_numpy(float)
                mean, half = float(np.nanmean(d)) if len(d) else float("nan"), _half_width(d)
                rows.append({"scenario": label, "reference": reference, "group": group, "year": int(year),
                             "metric": m, "mean": float(df[m].mean()), "diff_mean": mean,
                             "diff_ci_lo": mean - half, "diff_ci_hi": mean + half, "n": len(d)})
    if not rows:
        return pd.DataFrame(columns=["scenario", "reference", "group", "year", "metric", "mean", "diff_mean",
                                     "diff_ci_lo", "diff_ci_hi", "n"])
    out = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(GROUPS)}
    return (out.assign(_o=out["group"].map(order)).sort_values(["scenario", "metric", "year", "_o"])
            .drop(columns="_o").reset_index(drop=True))


def replicate_table(table: pd.DataFrame | None) -> pd.DataFrame:
    """The per-replicate rows in the model's column order (empty with those columns when absent)."""
    return pd.DataFrame(columns=COLUMNS) if table is None else table[COLUMNS]
