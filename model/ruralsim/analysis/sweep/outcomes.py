"""Outcome metrics of one run: scalars computed from its monthly series.

An outcome is named ``<series>_<statistic>`` (``poverty_rate_last12``) so that any column of
:meth:`ruralsim.RuralModel.timeseries` can be summarised without code changes; a few derived
outcomes normalise totals by the cohort size so runs of different sizes compare. Every name is
checked before a sweep starts (with a suggestion for a misspelling).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

#: statistic -> description (used in plot labels and ``ruralsim sweep --list-outcomes``)
STATS: dict[str, str] = {
    "end": "in the last month",
    "last12": "mean of the last 12 months",
    "mean": "mean over the run",
    "max": "maximum over the run",
    "min": "minimum over the run",
    "sum": "total over the run",
    "transition_end": "in the last month of the transition",
    "after_transition": "mean over the months after the transition",
}

#: derived outcome -> (description, unit)
DERIVED: dict[str, tuple[str, str]] = {
    "fiscal_cost_per_person_year": ("Fiscal cost per person per year, mean over the run", "yuan per person per year"),
    "falls_per_1000_households": ("Falls below the poverty line (alert) over the run", "per 1,000 households"),
    "ever_monitored_share_end": ("Households ever monitored, in the last month", "% of households"),
}

#: What a sweep keeps when the experiment file does not say.
DEFAULT_OUTCOMES: tuple[str, ...] = (
    "poverty_rate_registry_last12", "poverty_rate_registry_transition_end", "poverty_rate_registry_max",
    "poverty_rate_alert_last12", "ever_fallen_share_end",
    "mean_income_end", "risk_eliminated_share_end", "monitored_households_mean", "mass_return_villages_max",
    "employment_rate_end", "fiscal_cost_per_person_year",
)
DEFAULT_SERIES: tuple[str, ...] = (
    "poverty_rate_registry", "poverty_rate_alert", "ever_fallen_share", "below_monitoring_line", "mean_income",
    "monitored_households",
    "risk_eliminated_share", "mass_return_villages", "employment_rate", "support_level", "fiscal_cost", "falls",
    "households", "people",
)

#: series -> (label, unit, factor applied for display)
LABELS: dict[str, tuple[str, str, float]] = {
    "poverty_rate_registry": ("Poverty rate (registry)", "% of people", 100.0),
    "poverty_rate_alert": ("Poverty rate (alert)", "% of people", 100.0),
    "below_monitoring_line": ("Below the monitoring line (alert)", "% of people", 100.0),
    "ever_fallen_share": ("Ever fell below the poverty line since 2021 (alert)", "% of households", 100.0),
    "ever_below_registry_share": ("Ever below the line since 2021 (registry)", "% of households", 100.0),
    "risk_eliminated_share": ("Monitored households with risk eliminated", "% of ever monitored", 100.0),
    "employment_rate": ("Employment rate", "% of labourers", 100.0),
    "trained_share": ("Trained labourers", "% of labourers", 100.0),
    "insured_share": ("Insured", "% of households", 100.0),
    "support_level": ("Targeted support level", "share of transition level", 1.0),
    "mean_income": ("Mean per-capita income (net of medical costs)", "yuan per person per year", 1.0),
    "median_income": ("Median per-capita income (net of medical costs)", "yuan per person per year", 1.0),
    "monitored_households": ("Households under monitoring", "households", 1.0),
    "mass_return_villages": ("Mass-return villages", "villages", 1.0),
    "fiscal_cost": ("Fiscal cost", "yuan", 1.0),
    "falls": ("Falls below the poverty line (alert)", "households", 1.0),
    "ever_monitored_share": ("Households ever monitored", "% of households", 100.0),
}


_PERCENT_DERIVED = {"ever_monitored_share_end"}
_NOT_SERIES = {"replicate", "date"}


@functools.lru_cache(maxsize=1)
def series_columns() -> tuple[str, ...]:
    """Numeric columns of the model's monthly series, learnt from a tiny model (so new metrics count)."""
    from ...simulation.engine.model import RuralModel

    model = RuralModel(None, run_households=40, run_months=1, record_distribution=False)
    model.run()
    ts = model.timeseries()
    return tuple(c for c in ts.columns if c not in _NOT_SERIES and pd.api.types.is_numeric_dtype(ts[c]))


def known_outcomes() -> list[str]:
    """Every valid outcome name: each series with each statistic, plus the derived ones."""
    return [f"{c}_{s}" for c in series_columns() for s in STATS] + list(DERIVED)


def split_outcome(name: str) -> tuple[str, str]:
    """``poverty_rate_registry_last12`` -> (``poverty_rate_registry``, ``last12``); derived names -> (name, "")."""
    if name in DERIVED:
        return name, ""
    for stat in sorted(STATS, key=len, reverse=True):  # 'after_transition' before 'transition_end'...
        if name.endswith("_" + stat):
            return name[: -len(stat) - 1], stat
    raise KeyError(name)


def check_names(names: Sequence[Any], known: Sequence[str]) -> list[tuple[Any, str]]:
    """(bad name, reason with suggestion) for each name not in ``known``."""
    bad = []
    for n in names:
        if not isinstance(n, str):
            bad.append((n, "not a string"))
        elif n not in known:
            hits = difflib.get_close_matches(n, list(known), n=1, cutoff=0.6)
            bad.append((n, "unknown" + (f"; did you mean {hits[0]!r}?" if hits else "")))
    return bad


def transition_window(params: Mapping[str, Any], months: int) -> tuple[int, int]:
    """Run-month indices (last month of the transition, first month after it), possibly out of range."""
    end = 12 * int(params["transition_years"]) - 12 * (int(params["run_start_year"]) - 2021)
    return end - 1, end


def compute(ts: pd.DataFrame, params: Mapping[str, Any], names: Sequence[str]) -> dict[str, float]:
    """The named outcomes of one run's series (NaN where undefined, e.g. a transition past the run's end)."""
    out: dict[str, float] = {}
    n = len(ts)
    last_tr, first_after = transition_window(params, n)
    for name in names:
        if name in DERIVED:
            out[name] = _DERIVED_FUNCS[name](ts, params)
            continue
        col, stat = split_outcome(name)
        v = ts[col].to_numpy(dtype=float)
        out[name] = _STAT_FUNCS[stat](v, last_tr, first_after) if n else float("nan")
    return out


def _at(v: np.ndarray, i: int) -> float:
    return float(v[i]) if 0 <= i < len(v) else float("nan")


def _mean(v: np.ndarray) -> float:
    return float(v.mean()) if len(v) else float("nan")


_STAT_FUNCS: dict[str, Callable[[np.ndarray, int, int], float]] = {
    "end": lambda v, a, b: float(v[-1]),
    "last12": lambda v, a, b: float(v[-12:].mean()),
    "mean": lambda v, a, b: float(v.mean()),
    "max": lambda v, a, b: float(v.max()),
    "min": lambda v, a, b: float(v.min()),
    "sum": lambda v, a, b: float(v.sum()),
    "transition_end": lambda v, a, b: _at(v, a),
    "after_transition": lambda v, a, b: _mean(v[max(b, 0):]) if b < len(v) else float("nan"),
}

_DERIVED_FUNCS: dict[str, Callable[[pd.DataFrame, Mapping[str, Any]], float]] = {
    "fiscal_cost_per_person_year": lambda ts, p: float(ts["fiscal_cost"].sum() / ts["people"].mean()
                                                        / (len(ts) / 12.0)),
    "falls_per_1000_households": lambda ts, p: float(1000.0 * ts["falls"].sum() / ts["households"].iloc[0]),
    "ever_monitored_share_end": lambda ts, p: float(ts["ever_monitored"].iloc[-1] / ts["households"].iloc[-1]),
}


def label(name: str) -> tuple[str, str, float]:
    """(title, unit, display factor) of an outcome, for plots and tables."""
    if name in DERIVED:
        title, unit = DERIVED[name]
        return title, unit, 100.0 if name in _PERCENT_DERIVED else 1.0
    col, stat = split_outcome(name)
    title, unit, factor = LABELS.get(col, (col.replace("_", " ").capitalize(), "", 1.0))
    return f"{title}, {STATS[stat]}", unit, factor
