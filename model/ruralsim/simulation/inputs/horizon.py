"""Dates against the simulated horizon, checked before anything runs.

A by-year table whose first year lies after the run (``line = { 2090 = 9000 }``) would silently apply
from the first month (the step function takes the earliest entry), so it is refused; months to keep that the run
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


def year_table_problems(overrides: Mapping[str, Any], params: Mapping[str, Any],
                        source: str | Mapping[str, str]) -> list[Problem]:
    """Problems for by-year tables given by the user whose every year lies after the run's last year.

    Such a table would apply its earliest value from the first month (a step function takes the
    earliest entry before it), so ``line = { 2090 = 9000 }`` would silently raise the line from 2021.
    ``source`` is the file shown, or a mapping from flat name to the file that set it.
    """
    first, last = window(params)
    problems = []
    for flat, value in overrides.items():
        p = PARAMS_BY_FLAT.get(flat)
        if p is None or not p.by_year or not isinstance(value, Mapping) or not value:
            continue
        if p.kind == "level":  # a programme path follows the transition until its first year (not before it)
            continue
        early = min(int(y) for y in value)
        if early > int(last[:4]):
            where = source if isinstance(source, str) else source.get(flat, "scenario")
            problems.append(Problem(where, f"{p.key}[{early}]", value[early] if early in value else value[str(early)],
                                    f"every year of this table is after the run ends ({last}), so it would apply "
                                    f"from the first month ({first})",
                                    f"a first year from {first[:4]} to {last[:4]} (add an entry for {first[:4]}), "
                                    f"or a longer run (--months)"))
    return problems


def check_year_tables(overrides: Mapping[str, Any], params: Mapping[str, Any],
                      source: str | Mapping[str, str]) -> None:
    """A ConfigError listing :func:`year_table_problems`, before anything runs."""
    problems = year_table_problems(overrides, params, source)
    if problems:
        raise ConfigError(problems)


def setting_files(scenario: Any) -> dict[str, str]:
    """Flat parameter name -> the file of ``scenario``'s extends chain that last set it (as shown to the
    user), so a message names the file to edit, not the child that only extends it."""
    import tomllib

    from .config import _disp

    owners: dict[str, str] = {}
    for path in getattr(scenario, "chain", ()):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            continue
        for section, table in doc.items():
            if isinstance(table, Mapping):
                for name in table:
                    p = PARAMS_BY_FLAT.get(f"{section}_{name}")
                    if p is not None and p.section == section:
                        owners[p.flat] = _disp(path)
    return owners


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
