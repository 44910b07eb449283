"""Policy levers and the common start (issue 11).

A scenario answers "what if policy changes from date D". So every scenario of a seed starts from the
same 2020-12 state: the cohort, its start-up fit (earning potential, farm productivity) and the
burn-in and warm-up are all built under the *start parameters*, which are the scenario's own
parameters with every policy lever put back to its value in the scenario's root file (the file at the
top of its ``extends`` chain, ``baseline.toml`` for the shipped library; the schema defaults for a
scenario without a file). The scenario's levers are switched on at the first simulated month
(2021-01); levers that carry their own date (the transition's end, a shock's start year, the
workshop expansion of 2023) act from that date.

Parameters that are not levers (the cohort, the labour market, calibrated values) shape the start
itself: a sweep over them changes the start, as it should.
"""

from __future__ import annotations

from typing import Any

from ..inputs.programme_paths import FIRST_PATH_YEAR, first_path_year

# Policy levers: what a scenario may change "from date D". Everything else describes the world.
LEVERS: frozenset[str] = frozenset({
    # transition and exit (act from the transition's end)
    "transition_years", "transition_exit_mode", "transition_normalised_level", "transition_taper_years",
    "transition_taper_to",
    # monitoring and assistance
    "monitoring_enabled", "monitoring_detection_prob", "monitoring_detection_delay", "monitoring_team_size",
    "monitoring_reference_team_size", "monitoring_industry_grant", "monitoring_placement_prob",
    "monitoring_job_priority", "monitoring_cost_per_household",
    # training
    "training_coverage", "training_course_months", "training_placement_prob", "training_cost_per_trainee",
    "training_monitored_priority",
    # cooperatives and dividends
    "coop_membership_share", "coop_shares_per_member", "coop_guaranteed_dividend_rate", "coop_guarantee_purchase",
    "coop_price_floor",
    # workshops and posts
    "workshop_expansion", "workshop_supported_share", "workshop_subsidy_per_job", "posts_per_village", "posts_wage",
    # medical insurance and assistance, transfers
    "medical_participation", "medical_premium_subsidy", "medical_assistance_share",
    "transfers_targeted_subsidies", "transfers_temporary_assistance",
    # places: east-west labour collaboration, the fund's spread between key and other counties
    "places_east_west_rate", "places_key_fund_factor", "places_other_fund_factor",
    # the fund
    "budget_scale", "budget_cohesion_fund", "budget_household_share", "budget_industry_to_employment",
    "industry_investment",
    # the regime after 2025 (issue 13; act from 2026 or a programme path's first year)
    *(f"programmes_{name}" for name in ("subsidies", "industry", "training", "posts", "workshops", "dividend_subsidy",
                                        "medical", "dibao", "temporary", "monitoring")),
    "categories_packages", "categories_review", "categories_placement_factor", "categories_training_factor",
    "categories_grant_factor", "categories_protection_medical_share", "categories_protection_no_draw",
    "categories_able_posts", "monitoring_after_2025", "monitoring_merged_line_multiple",
    "monitoring_merged_detection_factor",
    # declared shocks (act from their start year)
    "shocks_illness_multiplier", "shocks_migrant_demand_drop", "shocks_migrant_demand_drop_start",
    "shocks_migrant_demand_drop_months", "shocks_price_drop", "shocks_price_drop_start", "shocks_price_drop_months",
})

WORKSHOP_EXPANSION_YEAR = 2023  # agents.WorkshopSector: the expansion opens new workshops from this January


def start_params(params: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """The parameters the common start is built under: ``params`` with every lever set back to ``root``'s."""
    return {k: (root[k] if k in LEVERS and k in root else v) for k, v in params.items()}


def changed_levers(params: dict[str, Any], root: dict[str, Any]) -> list[str]:
    """Levers whose value differs from the root's (sorted)."""
    return sorted(k for k in LEVERS if k in params and k in root and params[k] != root[k])


def first_effective_date(params: dict[str, Any], root: dict[str, Any]) -> str | None:
    """The first month ("YYYY-MM") in which the scenario's levers can change anything, or None when no
    lever differs from the root's. Dated levers act from their date; the others from the run's start."""
    start = int(params["run_start_year"])
    dates = []
    for key in changed_levers(params, root):
        if key.startswith("transition_"):
            years = min(int(params["transition_years"]), int(root["transition_years"]))
            dates.append(2021 + years)
        elif key.startswith("shocks_migrant_demand_drop") or key.startswith("shocks_price_drop"):
            stem = "shocks_migrant_demand_drop" if "migrant" in key else "shocks_price_drop"
            on = [int(q[stem + "_start"]) for q in (params, root) if float(q[stem]) > 0 and int(q[stem + "_months"]) > 0]
            if on:
                dates.append(min(on))
        elif key == "workshop_expansion":
            dates.append(WORKSHOP_EXPANSION_YEAR)
        elif key.startswith("programmes_"):
            years = [y for y in (first_path_year(params[key]), first_path_year(root[key])) if y is not None]
            dates.append(min(years) if years else FIRST_PATH_YEAR)
        elif key in ("places_key_fund_factor", "places_other_fund_factor"):
            dates.append(int(params["places_fund_factor_from"]))
        elif key.startswith("categories_") or key.startswith("monitoring_merged") or key == "monitoring_after_2025":
            dates.append(FIRST_PATH_YEAR)
        else:
            dates.append(start)
    if not dates:
        return None
    return f"{max(min(dates), start)}-01"
