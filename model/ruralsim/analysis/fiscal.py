"""Fiscal cost of a run: spending by programme and year, and the total against the budget.

Each programme books what it spends every month (``fiscal_<programme>``, yuan for the simulated
sample); ``fund_spending`` is the part financed by the central cohesion fund, which is what the
``budget`` (the sample's monthly share of the fund, A04) caps. Here they are summed per calendar
year and replicate, then summarised across replicates (mean, Student-t 95% interval). Yuan are
for the simulated sample; ``*_per_household`` columns divide by its households so scenarios of
different sizes can be read together; ``*_national`` columns scale them to the whole cohort (A01: the
sample's yuan times national people over the sample's people), beside the year's central fund.

The fund's rules are checked every year (:func:`fund_rules`): the industry share of fund-financed
spending against P24's minimum for the year, and the national fund-financed cost against the year's
central fund (A04, P24). A year that breaks either is flagged in the table and the report.
"""

from __future__ import annotations

import pandas as pd

from .compare_stats import summarise_frame, widen

TOTALS = ("fiscal_cost", "fund_spending", "budget")
#: Per-year values the model records each month (the same all year): averaged, not summed.
YEAR_VALUES = ("national_factor", "cohesion_fund_national", "industry_share_rule")


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
    for c in YEAR_VALUES:
        if c in ts.columns:
            per[c] = grouped[c].mean()
    if "fiscal_cost" not in per:
        per["fiscal_cost"] = per[programme_columns(ts)].sum(axis=1)
    per["fiscal_cost_per_household"] = per["fiscal_cost"] / per["households"]
    if "budget" in per:
        budget = per["budget"].where(per["budget"] > 0)
        per["cost_share_of_budget"] = per["fiscal_cost"] / budget
        if "fund_spending" in per:
            per["fund_share_of_budget"] = per["fund_spending"] / budget
    if "fund_spending" in per and "fiscal_industry" in per:
        per["industry_share_of_fund"] = per["fiscal_industry"] / per["fund_spending"].where(per["fund_spending"] > 0)
    # What the fund pays for: its programmes and the fiscal funds turned into members' shares (资产收益, A15).
    per["fund_cost"] = per.get("fund_spending", 0.0) + per.get("fiscal_coop_shares", 0.0)
    if "national_factor" in per:
        for c in ("fiscal_cost", "fund_spending", "fund_cost", *programme_columns(ts)):
            per[f"{c}_national"] = per[c] * per["national_factor"]
        if "cohesion_fund_national" in per:
            # The year's fund, pro rata for a part year (a run that starts or stops mid-year).
            fund = per["cohesion_fund_national"] * per["months"] / 12.0
            per["fund_spending_national_share_of_fund"] = per["fund_cost_national"] / fund.where(fund > 0)
    per["fiscal_cost_per_person"] = per["fiscal_cost"] / _people(ts, grouped)
    return per.reset_index()


def _people(ts: pd.DataFrame, grouped) -> pd.Series:
    """The sample's people (at the start) per replicate and year."""
    return grouped["people"].mean() if "people" in ts.columns else grouped["households"].mean()


def fund_rules(ts: pd.DataFrame) -> pd.DataFrame:
    """One row per year: the industry share of fund-financed spending against P24's minimum, and the national
    fund-financed cost against the year's central fund (yuan, whole cohort), each with its flag.

    Columns: year, industry_share (mean over replicates), industry_share_min (lowest replicate), rule,
    industry_rule_met (every replicate at or above the rule), fund_spending_national (mean, yuan a year,
    whole cohort: the fund's programmes plus fiscal funds turned into members' shares), fiscal_cost_national, cohesion_fund_national (the year's fund, pro rata for a part year),
    fund_share_of_central_fund, exceeds_fund (the national fund-financed cost above the year's fund in some
    replicate), flag (a sentence, empty when both rules hold)."""
    per = yearly_fiscal(ts)
    if "industry_share_of_fund" not in per or "industry_share_rule" not in per:
        return pd.DataFrame()
    g = per.groupby("year")
    out = pd.DataFrame({
        "industry_share": g["industry_share_of_fund"].mean(),
        "industry_share_min": g["industry_share_of_fund"].min(),
        "rule": g["industry_share_rule"].mean()})
    out["industry_rule_met"] = out["industry_share_min"] >= out["rule"] - 1e-9
    if "fund_spending_national" in per:
        fund = per["cohesion_fund_national"] * per["months"] / 12.0
        per["_exceeds"] = per["fund_cost_national"] > fund
        out["fund_spending_national"] = g["fund_cost_national"].mean()
        out["fiscal_cost_national"] = g["fiscal_cost_national"].mean()
        out["cohesion_fund_national"] = fund.groupby(per["year"]).mean()
        out["fund_share_of_central_fund"] = out["fund_spending_national"] / out["cohesion_fund_national"]
        out["exceeds_fund"] = per.groupby("year")["_exceeds"].any()
    else:
        out["exceeds_fund"] = False
    out["flag"] = [_flag(y, r) for y, r in out.iterrows()]
    return out.reset_index()


def _flag(year: int, row: pd.Series) -> str:
    parts = []
    if not row["industry_rule_met"]:
        parts.append(f"industry {row['industry_share_min']:.1%} of fund spending < the {row['rule']:.0%} rule (P24)")
    if row.get("exceeds_fund", False):
        parts.append(f"national fund-financed cost {row['fund_spending_national'] / 1e9:,.1f} bn yuan > the "
                     f"year's central fund {row['cohesion_fund_national'] / 1e9:,.1f} bn yuan (A04, P24)")
    return f"{year}: " + "; ".join(parts) if parts else ""


def rule_flags(ts: pd.DataFrame) -> list[str]:
    """The sentences of :func:`fund_rules` for the years that break a rule (empty when all hold)."""
    table = fund_rules(ts)
    return [f for f in table.get("flag", []) if f]


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
                            "cost_share_of_budget", "fiscal_cost_per_household", "fiscal_cost_per_person",
                            "industry_share_of_fund", "fiscal_cost_national", "fund_spending_national",
                            "fund_spending_national_share_of_fund") if c in per]
    budget = info.merge(widen(summarise_frame(per, ["year"], measures), ["year"]), on="year")
    if "national_factor" in per:  # each programme's national yuan beside the sample's
        national = summarise_frame(per, ["year"], [f"{c}_national" for c in [*programmes, "fiscal_cost"]])
        national["programme"] = (national.pop("measure").str.removesuffix("_national").str.removeprefix("fiscal_")
                                 .replace({"cost": "total"}))
        by_programme = by_programme.merge(national[["year", "programme", "mean"]].rename(
            columns={"mean": "mean_national"}), on=["year", "programme"], how="left")
    tables = {"by_programme": by_programme, "budget": budget}
    rules = fund_rules(ts)
    if not rules.empty:
        tables["fund_rules"] = rules
    return tables
