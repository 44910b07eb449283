"""The tables of a scenario comparison, computed from each scenario's stored monthly series.

Every table summarises each scenario across replicates and gives its paired difference from the
reference (first) scenario, replicate by replicate; :mod:`ruralsim.compare_stats` says why the
pairing matters. Inputs are ``{label: timeseries}`` in the order given on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..simulation.phases.shocks import CAUSES
from .compare_stats import compare_frames, ratio_interval
from .dynamics import RATES, yearly
from .fiscal import programme_columns, yearly_fiscal


@dataclass(frozen=True)
class Metric:
    """A compared metric: column, panel title, unit of the stored value, plot unit and factor."""

    column: str
    title: str
    unit: str
    plot_unit: str
    scale: float = 1.0


#: The eight headline metrics, one plot panel each, in panel order.
KEY_METRICS: tuple[Metric, ...] = (
    Metric("poverty_rate_registry", "People below the poverty line (registry: calendar-year income)",
           "share of people", "% of people", 100),
    Metric("mean_income", "Mean per-capita income (net of medical costs; alert)", "yuan per person per year", "yuan per person per year"),
    Metric("monitored_households", "Households under monitoring", "households", "households"),
    Metric("risk_eliminated_share", "Monitored households with risk eliminated", "share of ever-monitored",
           "% of ever-monitored households", 100),
    Metric("employment_rate", "Employment of labourers", "share of labourers", "% of labourers", 100),
    Metric("fiscal_cost_year", "Fiscal cost (trailing 12 months)", "yuan per year, simulated households",
           "million yuan per year", 1e-6),
    Metric("ever_below_registry_share", "Households ever below the line since 2021 (registry)",
           "share of households", "% of households", 100),
    Metric("mass_return_villages", "Villages with mass return (A10; registry)", "villages", "villages"),
)
#: Further rows of comparison.csv: income sources (for the composition plot) and what the
#: cost-effectiveness uses.
EXTRA_METRICS: tuple[Metric, ...] = (
    Metric("poverty_rate_alert", "People below the poverty line (alert: rolling income net of medical)",
           "share of people", "% of people", 100),
    Metric("ever_fallen_share", "Households ever below the line since 2021 (alert)", "share of households",
           "% of households", 100),
    Metric("monitored_people_share", "People in monitored households", "share of people", "% of people", 100),
    Metric("safety_net_share", "People covered by dibao or tekun", "share of people", "% of people", 100),
    Metric("wage_income", "Wages", "yuan per person per year", "yuan per person per year"),
    Metric("operating_income", "Farm & business operation", "yuan per person per year", "yuan per person per year"),
    Metric("transfer_income", "Transfers", "yuan per person per year", "yuan per person per year"),
    Metric("property_income", "Property & dividends", "yuan per person per year", "yuan per person per year"),
    Metric("medical_oop", "Medical out-of-pocket (deducted)", "yuan per person per year", "yuan per person per year"),
    Metric("households_below", "Households below the poverty line (alert)", "households", "households"),
    Metric("households_below_registry", "Households below the poverty line (registry)", "households", "households"),
    Metric("fiscal_cost_cum", "Cumulative fiscal cost since the start", "yuan, simulated households",
           "million yuan", 1e-6),
    # What answers the questions of the scenarios after 2025 (analysis.question_answers).
    Metric("post_labourers", "Public-welfare post holders", "labourers", "labourers"),
    Metric("workshop_labourers", "Workshop workers", "labourers", "labourers"),
    Metric("migrant_labourers", "Migrant labourers", "labourers", "labourers"),
    Metric("trained_share", "Trained labourers", "share of labourers", "% of labourers", 100),
    Metric("displaced_cum", "Untrained seekers displaced from migrant jobs since the start (vacancies short)",
           "people, simulated households (expected hires lost)", "people"),
)
METRICS = {m.column: m for m in (*KEY_METRICS, *EXTRA_METRICS)}
INCOME_SOURCES = ("wage_income", "operating_income", "transfer_income", "property_income")


def derive(ts: pd.DataFrame) -> pd.DataFrame:
    """Add the derived monthly columns the comparison uses (a copy; the input is not changed).

    * ``households_below``: households below the poverty line this month (the ``tr_*_below``
      counts summed over the from-state);
    * ``fiscal_cost_year``: fiscal cost of the trailing 12 months (annualised in the first
      11 months, which have fewer); at a December it is that calendar year's cost;
    * ``fiscal_cost_cum``: fiscal cost accumulated since the first month;
    * ``displaced_cum``: untrained seekers displaced from migrant jobs since the first month (expected
      hires lost because seekers exceed vacancies; a scenario's paired difference is whom it displaces);
    * ``income_cum``: the cohort's income (alert measure, net of medical costs) summed over the calendar
      years completed so far (each December's trailing 12 months), yuan for the simulated households.
    """
    out = ts.copy()
    out["date"] = pd.to_datetime(out["date"])
    out = out.sort_values(["replicate", "date"], kind="stable").reset_index(drop=True)
    below = [c for c in ("tr_secure_below", "tr_monitored_below", "tr_below_below") if c in out]
    if below:
        out["households_below"] = out[below].sum(axis=1)
    by_rep = out.groupby("replicate")["fiscal_cost"]
    out["fiscal_cost_year"] = by_rep.transform(lambda s: s.rolling(12, min_periods=1).mean() * 12.0)
    out["fiscal_cost_cum"] = by_rep.cumsum()
    if "migrant_displaced_untrained" in out:  # whom vacancies short of seekers leave out (training displaces them)
        out["displaced_cum"] = out.groupby("replicate")["migrant_displaced_untrained"].cumsum()
    if "mean_income" in out and "people_now" in out:  # a December's trailing 12 months are its calendar year
        year_income = (out["mean_income"] * out["people_now"]).where(out["date"].dt.month == 12, 0.0)
        out["income_cum"] = year_income.groupby(out["replicate"]).cumsum()
    return out


def comparison_dates(ts: pd.DataFrame) -> list[str]:
    """Every December in the run, and the last month when it is not a December."""
    months = pd.to_datetime(ts["date"]).dt.to_period("M")
    return [str(m) for m in sorted({m for m in months.unique() if m.month == 12} | {months.max()})]


def _at_dates(ts: pd.DataFrame, dates: Sequence[str] | None, columns: Sequence[str]) -> pd.DataFrame:
    month = pd.to_datetime(ts["date"]).dt.to_period("M").astype(str)
    chosen = set(dates if dates is not None else comparison_dates(ts))
    keep = month.isin(chosen)
    return ts.loc[keep, ["replicate", *columns]].assign(date=month[keep].to_numpy())


def comparison_table(frames: Mapping[str, pd.DataFrame], dates: Sequence[str] | None = None,
                     metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """comparison.csv: each metric at each date, per scenario, with its paired difference.

    ``frames`` are :func:`derive`-d series. Columns: metric, title, unit, date, scenario,
    reference, mean, lo, hi (2.5-97.5 percentiles across replicates), ci_lo, ci_hi (95%
    t-interval of the mean), n, diff_mean, diff_ci_lo, diff_ci_hi (paired difference from the
    reference and its 95% t-interval).
    """
    first = next(iter(frames.values()))
    metrics = [m for m in (metrics or METRICS) if m in first.columns]
    dates = list(dates) if dates is not None else comparison_dates(first)
    table = compare_frames({k: _at_dates(v, dates, metrics) for k, v in frames.items()}, ["date"], metrics)
    table = table.rename(columns={"measure": "metric"})
    table.insert(0, "unit", table["metric"].map(lambda m: METRICS[m].unit if m in METRICS else ""))
    table.insert(0, "title", table["metric"].map(lambda m: METRICS[m].title if m in METRICS else m))
    return table[["metric", "title", "unit", "date", *[c for c in table.columns
                                                      if c not in ("metric", "title", "unit", "date")]]]


def monthly_differences(frames: Mapping[str, pd.DataFrame], metrics: Sequence[str]) -> pd.DataFrame:
    """Every month: per scenario, summary and paired difference of ``metrics`` (for the plots)."""
    cols = [m for m in metrics if m in next(iter(frames.values())).columns]
    per = {k: v[["replicate", "date", *cols]] for k, v in frames.items()}
    return compare_frames(per, ["date"], cols)


def poverty_by_year(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Annual mean of the monthly poverty rate (share of people), per scenario, with paired differences."""
    per = {}
    for label, ts in frames.items():
        year = pd.to_datetime(ts["date"]).dt.year.rename("year")
        g = ts.groupby([ts["replicate"], year])
        per[label] = g["poverty_rate_alert"].mean().to_frame().assign(months=g.size()).reset_index()
    table = compare_frames(per, ["year"], ["poverty_rate_alert"])
    months = next(iter(per.values())).groupby("year")["months"].mean()
    table.insert(1, "months", table["year"].map(months))
    return table


def fiscal_comparison(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Spending per year by programme (and total, fund-financed part, budget), with paired differences.

    Rows with ``year == "all"`` sum the whole run.
    """
    per = {}
    for label, ts in frames.items():
        y = yearly_fiscal(ts)
        whole = y.groupby("replicate").sum(numeric_only=True).reset_index().assign(year="all")
        y["year"] = y["year"].astype(str)
        per[label] = pd.concat([y, whole[y.columns]], ignore_index=True)
    first = next(iter(frames.values()))
    measures = [*programme_columns(first), *(c for c in ("fiscal_cost", "fund_spending", "budget") if c in first)]
    table = compare_frames(per, ["year"], measures)
    table["programme"] = table.pop("measure").str.removeprefix("fiscal_").replace({"cost": "total"})
    table.insert(1, "months", table["year"].map(_months(per)))
    return table[["year", "months", "scenario", "programme", *[c for c in table.columns
                                                               if c not in ("year", "months", "scenario", "programme")]]]


def _months(per: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Months covered by each ``year`` key (mean over the reference's replicates)."""
    return next(iter(per.values())).groupby("year")["months"].mean()


def dynamics_comparison(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Per year: fall, re-entry and recovery rates and falls by cause (per household), paired.

    Rows with ``year == "all"`` cover the whole run (counts over the run / households).
    """
    cause_cols = [f"falls_{c}" for c in CAUSES]
    per = {}
    for label, ts in frames.items():
        y = yearly(ts, [*RATES, *cause_cols])
        whole = y.groupby("replicate").agg({**{c: "sum" for c in (*RATES, *cause_cols, "months")},
                                            "households": "mean"}).reset_index().assign(year="all")
        y["year"] = y["year"].astype(str)
        y = pd.concat([y, whole[y.columns]], ignore_index=True)
        for count, rate in RATES.items():
            y[rate] = y[count] / y["households"]
        for c in cause_cols:
            y[f"{c}_rate"] = y[c] / y["households"]
        per[label] = y
    measures = [*RATES.values(), *(f"{c}_rate" for c in cause_cols)]
    table = compare_frames(per, ["year"], measures)
    table.insert(1, "months", table["year"].map(_months(per)))
    return table


#: The poverty measure a comparison's reading follows (a column of the derived series, per month):
#: one name, so the reading can move to another headline measure by changing it here.
READING_POVERTY = "households_below_registry"


def reading_column(frame: pd.DataFrame) -> str:
    """:data:`READING_POVERTY`, or the alert measure's count for results stored before it existed."""
    return READING_POVERTY if READING_POVERTY in frame.columns else "households_below"

CE_CASES = {
    "reference": "reference scenario",
    "tradeoff_more": "costs more, keeps more households above the line",
    "dominant": "saves money and keeps more households above the line",
    "tradeoff_less": "saves money, more households below the line",
    "dominated": "costs more, and more households below the line",
    "better_cost_unclear": "keeps more households above the line; its extra cost is not distinguishable from zero",
    "worse_cost_unclear": "more households below the line; its extra cost is not distinguishable from zero",
    "no_effect": "no detectable effect on households below the line: ratio not defined",
}

#: What the cost difference alone says, appended to the no-effect reading.
_COST_WORDS = {1: "costs more", -1: "saves money", 0: "its extra cost is not distinguishable from zero"}


def interval_sign(mean: float, lo: float, hi: float, n: int) -> int:
    """+1 / -1 when a paired difference's 95% interval lies above / below zero, else 0. An interval of
    zero width (replicates all agree) says nothing about the spread: 0 unless the single replicate's
    sign is all there is (n == 1)."""
    if n <= 1:
        return int(np.sign(mean))
    if not hi > lo:
        return 0
    return 1 if lo > 0 else (-1 if hi < 0 else 0)


def reading_case(kept: int, cost: int) -> str:
    """The case of a comparison from the interval signs of households kept above the line and of extra
    cost (:func:`interval_sign`): a reading never claims a sign its interval does not support."""
    if kept == 0:
        return "no_effect"
    if kept > 0:
        return {1: "tradeoff_more", -1: "dominant", 0: "better_cost_unclear"}[cost]
    return {1: "dominated", -1: "tradeoff_less", 0: "worse_cost_unclear"}[cost]


def cost_effectiveness(frames: Mapping[str, pd.DataFrame], dates: Sequence[str] | None = None) -> pd.DataFrame:
    """Fiscal yuan per household kept above the poverty line, relative to the reference scenario.

    At each date and for each replicate *r*: extra cost = cumulative fiscal cost since the start
    (scenario minus reference), households kept = households below the line (reference minus
    scenario) at that month. The ratio is of the paired means, with Fieller's 95% interval
    (:func:`~ruralsim.compare_stats.ratio_interval`). The ``case`` says how to read it:

    * ``tradeoff_more``: costs more and keeps more out: yuan per extra household kept above;
    * ``tradeoff_less``: saves money but more fall below: yuan saved per extra household below;
    * ``dominant`` / ``dominated``: better and cheaper / worse and dearer -- the ratio is
      negative and is not a price;
    * ``better_cost_unclear`` / ``worse_cost_unclear``: fewer / more households below, with an extra
      cost whose interval includes 0 (so neither "costs more" nor "saves money" is claimed);
    * ``no_effect``: the households-kept interval includes 0 (or has zero width: replicates that all
      agree say nothing about the spread), so the ratio is not reported (it would have no finite
      interval); the reading adds what the cost difference says. With one replicate the case follows
      the signs only.

    Both signs come from the paired differences' 95% intervals (:func:`reading_case`); the poverty
    measure is :data:`READING_POVERTY`.

    ``per_household_year`` columns divide instead by the household-years kept above the line
    (cumulated monthly since the start), which uses the whole path rather than one month.

    ``income_gain`` is the cohort's extra income over the calendar years completed (``income_cum``, paired)
    and ``income_per_fiscal_yuan`` that gain per extra fiscal yuan (Fieller interval): the return of a
    programme per yuan it costs, reported only when the extra cost's interval excludes 0.
    """
    labels = list(frames)
    ref = frames[labels[0]].set_index(["replicate", "date"])
    dates = list(dates) if dates is not None else comparison_dates(frames[labels[0]])
    rows = []
    col = reading_column(ref)
    for label in labels:
        s = frames[label].set_index(["replicate", "date"])
        d = pd.DataFrame({
            "cost": s["fiscal_cost_cum"] - ref["fiscal_cost_cum"],
            "kept": ref[col] - s[col],
            "income": (s["income_cum"] - ref["income_cum"]) if "income_cum" in s else np.nan,
        }).reset_index()
        d["kept_years"] = d.groupby("replicate")["kept"].cumsum() / 12.0
        d["month"] = pd.to_datetime(d["date"]).dt.to_period("M").astype(str)
        for date in dates:
            at = d[d["month"] == date].sort_values("replicate")
            rows.append(_ce_row(label, labels[0], date, at))
    return pd.DataFrame(rows)


def _ce_row(label: str, reference: str, date: str, at: pd.DataFrame) -> dict:
    from .compare_stats import describe_rows

    cost, kept, years, income = (at[c].to_numpy(float) for c in ("cost", "kept", "kept_years", "income"))
    dc, dk, di = describe_rows(cost[None, :]), describe_rows(kept[None, :]), describe_rows(income[None, :])
    row = {"date": date, "scenario": label, "reference": reference, "n": len(at),
           "extra_cost": dc["mean"][0], "extra_cost_ci_lo": dc["ci_lo"][0], "extra_cost_ci_hi": dc["ci_hi"][0],
           "households_kept": dk["mean"][0], "households_kept_ci_lo": dk["ci_lo"][0],
           "households_kept_ci_hi": dk["ci_hi"][0], "household_years_kept": float(years.mean())}
    ratio, lo, hi, _ = ratio_interval(cost, kept)
    ratio_y, lo_y, hi_y, _ = ratio_interval(cost, years)
    n = len(at)
    sign_kept = interval_sign(row["households_kept"], dk["ci_lo"][0], dk["ci_hi"][0], n)
    sign_cost = interval_sign(row["extra_cost"], dc["ci_lo"][0], dc["ci_hi"][0], n)
    case = "reference" if label == reference else reading_case(sign_kept, sign_cost)
    reading = CE_CASES[case]
    if case == "no_effect":
        reading += "; " + _COST_WORDS[sign_cost]
    if case in ("reference", "no_effect"):
        ratio = lo = hi = np.nan
    row.update({"yuan_per_household": ratio, "ratio_ci_lo": lo, "ratio_ci_hi": hi,
                "yuan_per_household_year": ratio_y if case not in ("reference", "no_effect") else np.nan,
                "per_household_year_ci_lo": lo_y if case not in ("reference", "no_effect") else np.nan,
                "per_household_year_ci_hi": hi_y if case not in ("reference", "no_effect") else np.nan,
                "case": case, "reading": reading})
    # The return per fiscal yuan: the cohort's extra income over the extra cost, where the cost is known to differ.
    per_yuan, lo_i, hi_i, _ = ratio_interval(income, cost)
    if label == reference or sign_cost == 0:
        per_yuan = lo_i = hi_i = np.nan
    row.update({"income_gain": di["mean"][0], "income_gain_ci_lo": di["ci_lo"][0], "income_gain_ci_hi": di["ci_hi"][0],
                "income_per_fiscal_yuan": per_yuan, "income_per_yuan_ci_lo": lo_i, "income_per_yuan_ci_hi": hi_i})
    return row
