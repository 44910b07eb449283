"""Each programme's level by month: its own path from 2026, else the transition's single scalar.

Before issue 13 one number (``transition.support_level``) scaled every poverty-specific programme. Now
each programme has a level (``[programmes]`` in a scenario file, one key per ledger name). A programme
whose path is ``"transition"`` (the default), or whose path has not reached its first year, takes the
transition's scalar if it followed it before (:data:`FOLLOWS_TRANSITION`) and 1 otherwise; so a scenario
without ``[programmes]`` runs exactly as before. A level is read once a month (:meth:`RuralModel._calendar`)
and each programme multiplies what :data:`PROGRAMMES` says by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .parameters import value_in_year

#: Programme (its ledger name, ``fiscal_<name>``) -> what its level multiplies.
PROGRAMMES: dict[str, str] = {
    "subsidies": "transfers.targeted_subsidies per person (and what the 低保 means test leaves out of it)",
    "industry": "farm.industry_subsidy per person",
    "training": "training.coverage (new enrolments a year)",
    "posts": "posts.per_village (the post quota)",
    "workshops": "workshop.subsidy_per_job and the jobs it keeps viable (workshop.unsupported_job_loss)",
    "dividend_subsidy": "coop.guaranteed_dividend_rate (the fund's top-up)",
    "medical": "medical.premium_subsidy and the insured out-of-pocket tier (dropout without subsidy)",
    "dibao": "transfers.dibao_standard and transfers.tekun_standard",
    "temporary": "transfers.temporary_assistance",
    "monitoring": "the work teams' monthly detection probability",
}

#: Programmes the transition's scalar scaled before issue 13 (it still does, unless a path overrides it).
FOLLOWS_TRANSITION = frozenset({"subsidies", "industry", "posts", "workshops", "dividend_subsidy", "medical"})

#: A programme path may start no earlier than the first year after the five-year transition (A02).
FIRST_PATH_YEAR = 2026

FOLLOW = "transition"


def flat(name: str) -> str:
    return f"programmes_{name}"


def levels(p: Mapping[str, Any], year: int, support: float) -> dict[str, float]:
    """Every programme's level in ``year`` given the transition's ``support`` this month."""
    return {name: level(p[flat(name)], year, support if name in FOLLOWS_TRANSITION else 1.0)
            for name in PROGRAMMES}


def level(path: Any, year: int, follow: float) -> float:
    """One programme's level: ``follow`` (the transition's value) until the path's first year, then the
    path's entry in force (a scalar path starts in :data:`FIRST_PATH_YEAR`); ``"transition"`` entries follow."""
    if isinstance(path, Mapping):
        if year < min(int(y) for y in path):
            return follow
        value = value_in_year(path, year)
    else:
        value = path if year >= FIRST_PATH_YEAR else FOLLOW
    return follow if value == FOLLOW else float(value)


def first_path_year(path: Any) -> int | None:
    """The first year a path differs from following the transition (None when it never does)."""
    if isinstance(path, Mapping):
        years = [int(y) for y, v in path.items() if v != FOLLOW]
        return min(years) if years else None
    return None if path == FOLLOW else FIRST_PATH_YEAR


def path_problems(params: Mapping[str, Any], keys: Any) -> list[tuple[str, Any, str, str]]:
    """Problems with the programme paths among ``keys`` (flat names), as (key, value, reason, allowed): a
    year before 2026 or after the run's last year (``run.start_year`` and ``run.months`` of ``params``).
    :func:`ruralsim.simulation.inputs.config.path_problems` makes them the config's problems."""
    last = int(params["run_start_year"]) + (int(params["run_months"]) - 1) // 12
    out = []
    for name in PROGRAMMES:
        path = params.get(flat(name))
        if flat(name) not in keys or not isinstance(path, Mapping):
            continue
        for y, v in path.items():
            if not FIRST_PATH_YEAR <= int(y) <= last:
                out.append((f"programmes.{name}[{y}]", v,
                                   f"year {y} is outside the programme paths' years ({FIRST_PATH_YEAR} to the run's "
                                   f"last year, {last})",
                                   f"years from {FIRST_PATH_YEAR} to {last} (run.start_year, run.months); before "
                                   f"{FIRST_PATH_YEAR} every programme follows the transition"))
    return out
