"""The numbers the page shows, from the policy's and the baseline's replicate timeseries.

Each measure is computed per replicate and calendar year, then summarised across replicates with
the paired (common-random-number) difference from the baseline and its 95% t-interval
(the numbers of :func:`ruralsim.compare_stats.compare_frames`, without its percentile ranges, which
took most of an answer's time; a test checks they agree):

* ``poverty``: share of people below the poverty line in December, % (the registry measure
  ``poverty_rate_registry`` where the model records it, else ``poverty_rate_alert``);
* ``returns``: households falling (back) into poverty during the year, % of households;
* ``monitored``: households under monitoring in December, per 1,000 households;
* ``mean_income`` and each income source: December, yuan per person per year;
* ``fiscal_<programme>`` and ``fiscal_total``: spending in the year, yuan per household.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import numpy as np

from ...analysis.compare_stats import t_quantile
from ...analysis.fiscal import programme_columns

INCOME_SOURCES = ("wage_income", "operating_income", "transfer_income", "property_income")
HEADLINE = ("poverty", "returns", "monitored", "mean_income", "fiscal_total")
HEADLINE_YEAR = 2030


def poverty_column(ts: pd.DataFrame) -> str:
    """The poverty measure shown: the registry measure where the model has it."""
    return "poverty_rate_registry" if "poverty_rate_registry" in ts.columns else "poverty_rate_alert"


def yearly(ts: pd.DataFrame) -> pd.DataFrame:
    """One row per (replicate, year) with every measure of the module docstring."""
    ts = ts.assign(year=pd.to_datetime(ts["date"]).dt.year)
    g = ts.groupby(["replicate", "year"])
    last = g.tail(1).set_index(["replicate", "year"])  # December (or the last month simulated)
    hh = g["households"].mean()
    out = pd.DataFrame({
        "poverty": 100 * last[poverty_column(ts)],
        "returns": 100 * g["falls"].sum() / hh,
        "monitored": 1000 * last["monitored_households"] / last["households"],
        "mean_income": last["mean_income"],
    })
    for src in INCOME_SOURCES:
        out[src] = last[src]
    programmes = programme_columns(ts)
    spend = g[programmes].sum().div(hh, axis=0)
    for col in programmes:
        out[col] = spend[col]
    out["fiscal_total"] = spend.sum(axis=1)
    return out.reset_index()


@dataclass
class Outcomes:
    """Summaries for the charts: ``table`` (tidy, per year x scenario x measure, with paired
    differences) and ``monthly`` (mean across replicates of the monthly caseload)."""

    table: pd.DataFrame
    monthly: pd.DataFrame
    programmes: list[str]

    def value(self, measure: str, scenario: str, year: int = HEADLINE_YEAR, column: str = "mean") -> float:
        t = self.table
        row = t[(t["measure"] == measure) & (t["scenario"] == scenario) & (t["year"] == year)]
        return float(row[column].iloc[0]) if len(row) else float("nan")


def paired_table(policy: pd.DataFrame, baseline: pd.DataFrame) -> pd.DataFrame:
    """Tidy (year, scenario, measure) table: mean and 95% t-interval across replicates, and the mean
    paired difference from the baseline with its t-interval, of two :func:`yearly` frames."""
    keys = ["year", "replicate"]
    p, b = policy.sort_values(keys), baseline.sort_values(keys)
    if not (p[keys].to_numpy() == b[keys].to_numpy()).all():
        raise ValueError("policy and baseline hold different years or replicates: they cannot be paired")
    measures = [c for c in p.columns if c not in keys]
    years = np.unique(p["year"])
    reps = len(p) // len(years)
    q = t_quantile(reps)
    parts = []
    for name, frame in (("baseline", b), ("policy", p)):
        v = frame[measures].to_numpy(float).reshape(len(years), reps, len(measures))
        d = v - b[measures].to_numpy(float).reshape(len(years), reps, len(measures))
        cols = {}
        for label, arr in (("", v), ("diff_", d)):
            mean = arr.mean(axis=1)
            half = q * arr.std(axis=1, ddof=1) / np.sqrt(reps) if reps > 1 else np.full_like(mean, np.nan)
            cols[f"{label}mean"], cols[f"{label}ci_lo"], cols[f"{label}ci_hi"] = mean, mean - half, mean + half
        part = pd.DataFrame({k: c.ravel() for k, c in cols.items()})
        part.insert(0, "measure", np.tile(measures, len(years)))
        part.insert(0, "scenario", name)
        part.insert(0, "year", np.repeat(years, len(measures)))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def outcomes(policy: pd.DataFrame, baseline: pd.DataFrame) -> Outcomes:
    """Paired comparison of a policy's replicates with the baseline's (same seed and replicates)."""
    table = paired_table(yearly(policy), yearly(baseline))
    monthly = pd.concat([
        frame.groupby("date", as_index=False)[["monitored_households", "households"]].mean()
        .assign(scenario=name) for name, frame in (("baseline", baseline), ("policy", policy))])
    monthly["monitored"] = 1000 * monthly["monitored_households"] / monthly["households"]
    return Outcomes(table, monthly, programme_columns(policy))


def direct_headline(policy: pd.DataFrame, measure: str = "poverty", year: int = HEADLINE_YEAR) -> float:
    """Mean across replicates of one measure in one year, straight from stacked timeseries (what the
    tests compare the page with)."""
    y = yearly(policy)
    return float(y.loc[y["year"] == year, measure].mean())
