"""Fiscal cost of a run: spending by programme and year, and the total against the budget.

Each programme books what it spends every month (``fiscal_<programme>``, yuan for the simulated
sample); ``fund_spending`` is the part financed by the central cohesion fund, which is what the
``budget`` (the sample's monthly share of the fund, A04) caps. Here they are summed per calendar
year and replicate, then summarised across replicates (mean, Student-t 95% interval). Yuan are
for the simulated sample; ``*_per_household`` columns divide by its households so scenarios of
different sizes can be read together.
"""

from __future__ import annotations

import pandas as pd

from .compare_stats import summarise_frame, widen

TOTALS = ("fiscal_cost", "fund_spending", "budget")


def programme_columns(ts: pd.DataFrame) -> list[str]:
    """The per-programme spending columns (``fiscal_<name>``; not the ``fiscal_cost`` total or the
    ``fiscal_cost_year``/``fiscal_cost_cum`` columns a comparison derives from it)."""
    return [c for c in ts.columns if c.startswith("fiscal_") and not c.startswith("fiscal_cost")]


def yearly_fiscal(ts: pd.DataFrame) -> pd.DataFrame:
    """Per replicate and calendar year: spending by programme, totals, budget and budget shares."""
    cols = programme_columns(ts) + [c for c in TOTALS if c in ts.columns]
    year = pd.to_datetime(ts["date"]).dt.year.rename("year")
    grouped = ts.groupby([ts["replicate"], year])
    per = grouped[cols].sum()
    per["months"] = grouped.size()
    per["households"] = grouped["households"].mean()
    if "fiscal_cost" not in per:
        per["fiscal_cost"] = per[programme_columns(ts)].sum(axis=1)
    per["fiscal_cost_per_household"] = per["fiscal_cost"] / per["households"]
    if "budget" in per:
        budget = per["budget"].where(per["budget"] > 0)
        per["cost_share_of_budget"] = per["fiscal_cost"] / budget
        if "fund_spending" in per:
            per["fund_share_of_budget"] = per["fund_spending"] / budget
    return per.reset_index()


def fiscal_tables(ts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``by_programme`` (long: year x programme) and ``budget`` (one row per year) tables."""
    per = yearly_fiscal(ts)
    programmes = programme_columns(ts)
    info = per.groupby("year")[["months", "households"]].mean().reset_index()
    long = summarise_frame(per, ["year"], [*programmes, "fiscal_cost"])
    long["programme"] = long.pop("measure").str.removeprefix("fiscal_").replace({"cost": "total"})
    total = long[long["programme"] == "total"].set_index("year")["mean"]
    long["share_of_total"] = long["mean"] / long["year"].map(total).where(lambda s: s > 0)
    by_programme = info.merge(long, on="year")[
        ["year", "months", "programme", "mean", "lo", "hi", "ci_lo", "ci_hi", "n", "share_of_total"]]
    measures = [c for c in ("fiscal_cost", "fund_spending", "budget", "fund_share_of_budget",
                            "cost_share_of_budget", "fiscal_cost_per_household") if c in per]
    budget = info.merge(widen(summarise_frame(per, ["year"], measures), ["year"]), on="year")
    return {"by_programme": by_programme, "budget": budget}
