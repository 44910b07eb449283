"""Dates against the simulated horizon, checked before anything runs.

A by-year table whose first year lies after the run (``line = { 2090 = 9000 }``) silently applies
from the first month (the step function takes the earliest entry); months to keep that the run
never reaches keep nothing; an outcome read at the end of a transition the run does not reach is
NaN in every run. Each is cheap to see from the parameters, so it is said before the simulation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .config import ConfigError, Problem
from .parameters import PARAMS_BY_FLAT


def window(params: Mapping[str, Any]) -> tuple[str, str]:
    """First and last simulated month as ``YYYY-MM``."""
    start, months = int(params["run_start_year"]), int(params["run_months"])
    last = start * 12 + months - 1
    return f"{start}-01", f"{last // 12}-{last % 12 + 1:02d}"


def year_table_notes(overrides: Mapping[str, Any], params: Mapping[str, Any]) -> list[str]:
    """Notes on by-year tables given by the user whose every year lies after the run's last year."""
    first, last = window(params)
    notes = []
    for flat, value in overrides.items():
        p = PARAMS_BY_FLAT.get(flat)
        if p is None or not p.by_year or not isinstance(value, Mapping) or not value:
            continue
        if p.kind == "level":  # a programme path follows the transition until its first year (not before it)
            continue
        early = min(int(y) for y in value)
        if early > int(last[:4]):
            notes.append(f"{p.key}: its first year {early} is after the run ends ({last}), so its value "
                         f"applies from the first month ({first}); add an entry for {first[:4]} or run longer")
    return notes


def check_months(months: Iterable[str], params: Mapping[str, Any], source: str, key: str) -> None:
    """A ConfigError when listed months fall outside the run."""
    first, last = window(params)
    outside = [m for m in months if not first <= m <= last]
    if outside:
        shown = ", ".join(outside[:5]) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
        raise ConfigError([Problem(source, key, outside[0] if len(outside) == 1 else outside[:5],
                                   f"outside the run ({first} to {last}): {shown} would keep nothing",
                                   f"months from {first} to {last}, or run longer (--months)")])


def transition_notes(outcomes: Iterable[str], params_list: Iterable[Mapping[str, Any]]) -> list[str]:
    """Notes on outcomes read at or after the end of the transition when some runs end before it."""
    wanted = [o for o in outcomes if o.endswith("_transition_end") or o.endswith("_after_transition")]
    if not wanted:
        return []
    short = 0
    total = 0
    for params in params_list:
        total += 1
        end = 12 * int(params["transition_years"]) - 12 * (int(params["run_start_year"]) - 2021)
        if end >= int(params["run_months"]):
            short += 1
    if not short:
        return []
    return [f"{short} of {total} design point(s) end before their transition does, so "
            f"{', '.join(wanted[:5])} will be NaN there; run longer (--months) or drop these outcomes"]
