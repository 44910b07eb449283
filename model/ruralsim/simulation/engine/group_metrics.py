"""Metrics by place group (key / other county, east / central / west, relocated / not): ``groups.csv``.

Why in the simulation: a group's income and poverty need every household, which only the model has.
Each month a chunk sums, per (county, group code), the month's wage income and registry income; each
December also households, people, rolling income, people below the line on both measures and
monitored households. Sums are per county in row order, then over counties in county order, so they
do not depend on the chunks (:mod:`ruralsim.chunking`); they are the same NumPy in both kernel sets.
A group's figures are then sums over its codes (:func:`ruralsim.places.group_members`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..cohort.places import GROUPS, N_CODES, group_members, household_codes

MONTHLY = ("wage", "gross", "inc_sum", "people")
DECEMBER = ("households", "below_registry", "below_alert", "monitored")


def chunk_parts(c, flows: dict, slot: int, december: bool) -> None:
    """This chunk's per-(county, code) sums into ``c.out['groups']`` (a dict of (counties, codes) arrays)."""
    from ..cohort.population import MONITORED

    H = c.hh
    key = H.county.astype(np.int64) * N_CODES + household_codes(c)
    bins = c.n_counties * N_CODES

    def total(weights=None, mask=None) -> np.ndarray:
        k, w = (key, weights) if mask is None else (key[mask], None if weights is None else weights[mask])
        return np.bincount(k, w, minlength=bins).reshape(c.n_counties, N_CODES)

    size = H.size.astype(np.float64)
    out = {"wage": total(flows["wage"]),
           # Registry income of the month (纯收入: medical costs not deducted), as in RuralModel._registry_year.
           "gross": total(c.ring[slot].astype(np.float64) + flows["medical"]),
           "inc_sum": total(c.inc_sum), "people": total(size)}
    if december:
        out.update(households=total(), below_registry=total(size, c.reg_below), below_alert=total(size, c.below),
                   monitored=total(mask=c.mon_state == MONITORED))
    c.out["groups"] = out


def combine(parts, n_counties: int) -> dict[str, np.ndarray]:
    """Per-code national totals of every quantity the chunks reported (county sums in county order)."""
    names = {k for part in parts for k in part.out.get("groups", {})}
    totals = {}
    for name in names:
        full = np.zeros((n_counties, N_CODES))
        for part in parts:
            full[part.span.c0:part.span.c1] += part.out["groups"][name]
        totals[name] = full.sum(axis=0)
    return totals


class GroupBook:
    """The model's per-code 12-month rings (wage, registry income) and its December rows."""

    def __init__(self) -> None:
        self.wage = np.zeros((12, N_CODES))
        self.gross = np.zeros((12, N_CODES))
        self.rows: list[dict[str, Any]] = []
        self.last: dict[str, np.ndarray] = {}

    def month(self, totals: dict[str, np.ndarray], t: int) -> dict[str, float]:
        """Record a month's totals (idempotent for the same ``t``); return the timeseries columns."""
        self.wage[t % 12] = totals["wage"]
        self.gross[t % 12] = totals["gross"]
        self.last = totals
        return series_columns(totals, self.wage.sum(axis=0), self.gross.sum(axis=0))

    def columns(self) -> dict[str, float]:
        """The timeseries columns of the last month recorded."""
        return series_columns(self.last, self.wage.sum(axis=0), self.gross.sum(axis=0))

    def december(self, totals: dict[str, np.ndarray], replicate: int, year: int) -> None:
        """Append the year's rows (one per group) from a December's totals."""
        self.rows = [r for r in self.rows if r["year"] != year]  # the start's snapshot replaces its own month
        self.rows.extend(group_rows(totals, self.wage.sum(axis=0), self.gross.sum(axis=0), replicate, year))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=COLUMNS)


COLUMNS = ["replicate", "year", "group", "households", "people", "mean_income", "poverty_rate_registry",
           "poverty_rate_alert", "monitored_households", "wage_share"]


def _sum(x: np.ndarray, group: str) -> float:
    return float(x[group_members(group)].sum())


def _ratio(a: float, b: float) -> float:
    return a / b if b > 0 else float("nan")


def series_columns(totals: dict[str, np.ndarray], wage12: np.ndarray, gross12: np.ndarray) -> dict[str, float]:
    """Monthly columns for validation by type: key-county income over the others' (rolling 12-month
    income per person) and the relocated households' wage share of registry income (last 12 months)."""
    inc, people = totals["inc_sum"], totals["people"]
    key = _ratio(_sum(inc, "key_county"), _sum(people, "key_county"))
    other = _ratio(_sum(inc, "other_county"), _sum(people, "other_county"))
    return {"key_county_income_ratio": _ratio(key, other),
            "relocated_wage_share": _ratio(_sum(wage12, "relocated"), _sum(gross12, "relocated"))}


def group_rows(totals: dict[str, np.ndarray], wage12: np.ndarray, gross12: np.ndarray, replicate: int,
               year: int) -> list[dict[str, Any]]:
    """One row per group of :data:`GROUPS` for a December (see ``COLUMNS``; rates per person)."""
    rows = []
    for g in GROUPS:
        people = _sum(totals["people"], g)
        rows.append({
            "replicate": replicate, "year": year, "group": g,
            "households": int(round(_sum(totals["households"], g))), "people": int(round(people)),
            "mean_income": _ratio(_sum(totals["inc_sum"], g), people),
            "poverty_rate_registry": _ratio(_sum(totals["below_registry"], g), people),
            "poverty_rate_alert": _ratio(_sum(totals["below_alert"], g), people),
            "monitored_households": int(round(_sum(totals["monitored"], g))),
            "wage_share": _ratio(_sum(wage12, g), _sum(gross12, g)),
        })
    return rows
