"""The transition period (A02) and what follows it (A03): the level of targeted support over time.

Targeted support is a number in [0, ~1] that scales every poverty-specific programme (targeted
subsidies, industry support, public posts, workshop subsidies, the poverty-specific medical tiers,
guaranteed dividends). General social protection (低保, basic insurance, pensions) does not depend on it.
It is a convenience: from 2026 a programme's own path in ``[programmes]`` overrides it
(:mod:`ruralsim.simulation.inputs.programme_paths`).
"""

from __future__ import annotations


def support_level(p: dict, month: int) -> float:
    """Targeted support in run month ``month`` (0 = January of the start year).

    Inside the transition it is 1. After it: ``keep`` holds ``transition.normalised_level``;
    ``taper`` falls linearly over ``transition.taper_years`` to ``transition.taper_to`` (by default the
    normalised level, A03; 0 phases support out); ``cliff`` drops to 0 at once, the extreme.
    """
    months_since_2021 = month + 12 * (int(p["run_start_year"]) - 2021)
    end = 12 * int(p["transition_years"])
    if months_since_2021 < end:
        return 1.0
    mode = p["transition_exit_mode"]
    if mode == "keep":
        return float(p["transition_normalised_level"])
    if mode == "cliff":
        return 0.0
    after = months_since_2021 - end + 1
    floor = min(float(p["transition_taper_to"]), float(p["transition_normalised_level"]))
    return max(floor, 1.0 - (1.0 - floor) * after / (12.0 * int(p["transition_taper_years"])))


def transition_end_date(p: dict) -> str:
    """First month after the transition, e.g. '2026-01'."""
    return f"{2021 + int(p['transition_years'])}-01"


def support_shortfall(p: dict, subsidies: float, industry: float, ration: float) -> float:
    """Yuan per person that the per-person targeted programmes (targeted subsidies, industry support)
    did not pay this month because their levels (:mod:`ruralsim.simulation.inputs.programme_paths`) are below the
    transition's 1: the "but-for" amount used to attribute falls below the line to the end of support."""
    if subsidies == industry:  # both follow the transition's scalar (or the same path)
        full = p["transfers_targeted_subsidies"] + p["farm_industry_subsidy"] * ration
        return max(0.0, 1.0 - subsidies) * full / 12.0
    return (max(0.0, 1.0 - subsidies) * p["transfers_targeted_subsidies"]
            + max(0.0, 1.0 - industry) * p["farm_industry_subsidy"] * ration) / 12.0
