"""What answers a scenario's question: the outcomes and spending lines its changed levers drive.

A scenario's header comment asks a question about the levers it changes (issue 13: merging monitoring,
moving the fund to employment, ending posts for the able-bodied...). A comparison's headline (poverty,
income, monitoring, cost) does not always answer it, so the comparison report adds, for each scenario,
the paired differences of the metrics and programme spending its levers drive (:data:`ANSWERS`), read from
the stored ``comparison.csv`` and ``fiscal_comparison.csv``. Levers are matched by flat-name prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

#: Lever (flat-name prefix) -> (metrics of comparison.csv, programmes of fiscal_comparison.csv) that answer it.
ANSWERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("monitoring_after_2025", ("monitored_households", "monitored_people_share", "households_below_registry"),
     ("monitoring", "medical", "dibao", "temporary", "industry")),
    ("monitoring_merged", ("monitored_households", "monitored_people_share", "households_below_registry"),
     ("monitoring",)),
    ("programmes_monitoring", ("monitored_households", "households_below_registry"), ("monitoring",)),
    ("categories_able_posts", ("post_labourers", "employment_rate", "wage_income", "households_below_registry"),
     ("posts",)),
    ("programmes_posts", ("post_labourers", "employment_rate", "wage_income", "households_below_registry"),
     ("posts",)),
    ("programmes_industry", ("operating_income", "wage_income", "employment_rate", "households_below_registry"),
     ("industry",)),
    ("programmes_training", ("employment_rate", "trained_share", "wage_income"), ("training",)),
    ("programmes_workshops", ("workshop_labourers", "employment_rate"), ("workshops",)),
    ("categories_placement_factor", ("employment_rate", "migrant_labourers", "wage_income"), ()),
    ("categories_grant_factor", ("operating_income",), ("industry",)),
    ("categories_packages", ("safety_net_share", "households_below_registry", "employment_rate"),
     ("medical", "dibao", "industry")),
    ("categories_protection", ("safety_net_share", "medical_oop"), ("medical", "dibao")),
    ("programmes_dibao", ("safety_net_share", "households_below_registry"), ("dibao",)),
    ("programmes_medical", ("medical_oop", "households_below_registry"), ("medical",)),
    ("programmes_subsidies", ("transfer_income", "households_below_registry"), ("subsidies",)),
    ("programmes_dividend_subsidy", ("property_income",), ("dividend_subsidy",)),
    ("programmes_temporary", ("households_below_registry",), ("temporary",)),
)

#: Lever (flat-name prefix) -> (place groups, metrics) of compare_groups.csv that answer it: a lever that moves
#: support between places is judged by the groups it moves it between, not only by the national total.
GROUP_ANSWERS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("places_key_fund_factor", ("key_county", "other_county"), ("mean_income", "poverty_rate_registry")),
    ("places_other_fund_factor", ("key_county", "other_county"), ("mean_income", "poverty_rate_registry")),
    ("places_east_west_rate", ("west", "east"), ("mean_income", "poverty_rate_registry")),
)

#: Extra rows comparison.csv carries so these answers can be read (columns of the monthly series).
ANSWER_METRICS = ("post_labourers", "workshop_labourers", "migrant_labourers", "trained_share")


def changed_levers(overrides: Mapping[str, Any], reference: Mapping[str, Any]) -> list[str]:
    """Flat names whose value differs between a scenario's and the reference's overrides."""
    keys = set(overrides) | set(reference)
    return sorted(k for k in keys if overrides.get(k) != reference.get(k))


def answer_items(changed: list[str]) -> tuple[list[str], list[str]]:
    """The metrics and programmes (each once, in :data:`ANSWERS` order) that the changed levers drive."""
    metrics: dict[str, None] = {}
    programmes: dict[str, None] = {}
    for prefix, mets, progs in ANSWERS:
        if any(k.startswith(prefix) for k in changed):
            metrics.update(dict.fromkeys(mets))
            programmes.update(dict.fromkeys(progs))
    return list(metrics), list(programmes)


def answers(comparison: pd.DataFrame, fiscal: pd.DataFrame | None, scenario: str, date: str,
            changed: list[str]) -> list[dict[str, Any]]:
    """Rows answering ``scenario``'s question at ``date``: kind ("metric" at the date, or "spending" over
    the years after 2025 summed), name, mean, paired difference and its 95% interval."""
    metrics, programmes = answer_items(changed)
    out = []
    at = comparison[(comparison["scenario"] == scenario) & (comparison["date"] == date)].set_index("metric")
    for m in metrics:
        if m in at.index:
            r = at.loc[m]
            out.append({"kind": "metric", "name": m, "date": date, "mean": float(r["mean"]),
                        "diff": float(r["diff_mean"]), "lo": float(r["diff_ci_lo"]), "hi": float(r["diff_ci_hi"])})
    if fiscal is not None and programmes:
        f = fiscal[(fiscal["scenario"] == scenario) & (fiscal["year"].astype(str) != "all")].copy()
        f = f[pd.to_numeric(f["year"], errors="coerce") >= 2026]
        years = sorted(f["year"].astype(str).unique())
        for prog in programmes:
            rows = f[f["programme"] == prog]
            if rows.empty:
                continue
            # Sum of the yearly paired means; the bounds are the sums of the yearly bounds, wider than the
            # interval of the sum (conservative).
            out.append({"kind": "spending", "name": prog, "date": f"{years[0]}..{years[-1]}",
                        "mean": float(rows["mean"].sum()), "diff": float(rows["diff_mean"].sum()),
                        "lo": float(rows["diff_ci_lo"].sum()), "hi": float(rows["diff_ci_hi"].sum())})
    return out


def group_answers(groups: pd.DataFrame | None, scenario: str, year: int, changed: list[str]) -> list[dict[str, Any]]:
    """Rows answering a place lever's question from ``compare_groups.csv`` in December of ``year``: kind
    "group", the group, the metric, its mean, paired difference and 95% interval."""
    if groups is None:
        return []
    wanted: dict[tuple[str, str], None] = {}
    for prefix, names, metrics in GROUP_ANSWERS:
        if any(k.startswith(prefix) for k in changed):
            wanted.update({(g, m): None for g in names for m in metrics})
    at = groups[(groups["scenario"] == scenario) & (groups["year"].astype(int) == int(year))]
    out = []
    for group, metric in wanted:
        r = at[(at["group"] == group) & (at["metric"] == metric)]
        if not r.empty:
            r = r.iloc[0]
            out.append({"kind": "group", "name": metric, "group": group, "date": str(year), "mean": float(r["mean"]),
                        "diff": float(r["diff_mean"]), "lo": float(r["diff_ci_lo"]), "hi": float(r["diff_ci_hi"])})
    return out
