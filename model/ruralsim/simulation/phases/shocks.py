"""Shocks: illness (household), disasters (village), crop prices (crop), migrant demand (national).

Illness follows P17's admission rate, scaled by household size, chronic illness and age; an
episode's cost is log-normal around ``shocks.illness_cost`` and its out-of-pocket share depends on
insurance (A08, P15, P16) and on whether the poverty-specific tiers still apply (transition support).
One labourer of an ill household is off work for a while, and a migrant among them may lose the job.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import MIGRANT, OUT

# Cause codes for falls below the line (used by the return-to-poverty analysis).
CAUSES = ("other", "illness", "job_loss", "price", "disaster", "support_end")
ILLNESS, JOB_LOSS, PRICE, DISASTER, SUPPORT_END = 1, 2, 3, 4, 5


def window(p: dict, key: str, year: int, month_of_year: int) -> tuple[bool, bool]:
    """Whether a declared shock window ``shocks.<key>`` is on this month, and whether it starts now."""
    start = int(p[f"shocks_{key}_start"])
    length = int(p[f"shocks_{key}_months"])
    k = (year - start) * 12 + month_of_year
    return 0 <= k < length, k == 0 and length > 0


def illness(c, u_event, z_cost, oop_share: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """Inpatient episodes this month: (event mask, out-of-pocket yuan before medical assistance). ``oop_share``:
    the out-of-pocket share of an uninsured and an insured household (a table indexed by ``c.insured``), or one
    share for all.

    The monthly episode probability depends only on household size, chronic illness and the head's
    age, so it is tabulated over those (2,560 cells) and looked up; costs are drawn for the ill only."""
    p, H = c.p, c.hh
    size = np.arange(10, dtype=np.int8)[:, None, None]
    chronic_flag = np.arange(2, dtype=np.int8)[None, :, None]
    head_age = np.arange(128, dtype=np.int8)[None, None, :]
    rate = p["shocks_illness_rate"] * p["shocks_illness_multiplier"]
    age_factor = 1.0 + 0.02 * np.maximum(head_age.astype(np.float32) - 50, 0)
    chronic = np.where(chronic_flag == 1, p["shocks_chronic_risk"], 1.0)
    lam = rate * size * chronic * age_factor / 12.0
    prob = -np.expm1(-lam).ravel()
    if c.kern.fast:
        event, rows = c.kern.illness_events(u_event, prob, H)
    else:
        event = u_event < prob[(H.size.astype(np.int32) * 2 + H.chronic) * 128 + H.head_age]
        rows = np.flatnonzero(event)
    c.ill_households = rows  # whose labourers' draws illness_absence makes
    cost = p["shocks_illness_cost"] * np.exp(0.9 * z_cost[rows] - 0.405)
    oop = np.zeros(len(event), np.float32)
    oop[rows] = cost * (oop_share[c.insured[rows]] if np.ndim(oop_share) else oop_share)
    return event, oop


def chronic(c, u_onset: np.ndarray, u_end: np.ndarray) -> None:
    """Chronic illness or disability starts with a probability that rises with the head's age (P17: illness
    rises with age) and ends (recovery, or the ill member's death) at a flat rate, so prevalence follows the
    cohort's ageing instead of only accumulating (P18 bounds it)."""
    p, H = c.p, c.hh
    if c.kern.fast:
        return c.kern.chronic(c, u_onset, u_end)
    over60 = np.maximum(H.head_age.astype(np.float32) - 60, 0)
    onset = u_onset < p["shocks_chronic_onset"] * (1.0 + p["shocks_chronic_onset_age_factor"] * over60)
    ended = (H.chronic == 1) & (u_end < p["shocks_chronic_end"])
    H.chronic[ended] = 0
    H.chronic[onset] = 1


def illness_absence(c, event_hh: np.ndarray, month: int | None = None) -> np.ndarray:
    """Send one labourer of each ill household off work; return labourers who lost a migrant job.

    Computed on the labourers of ill households only (a few percent of rows). Its draws (which labourer:
    ``lab.ill``; how long, and whether a migrant loses the job: ``lab.ill_len``) are read on the ill households'
    labourers and on those sent off only: with the compiled kernels only those rows are drawn (the ill
    households are :func:`illness`'s, ``c.ill_households``). ``month`` addresses the burn-in's draws."""
    L, H = c.labs, c.hh
    if c.kern.fast:
        rows = c.kern.absence_rows(c, c.ill_households, month)
        u_len = c.ul_rows("lab.ill_len", rows, month)
    else:
        u_lab, u_len = c.ul("lab.ill", month), c.ul("lab.ill_len", month)
        rows = np.flatnonzero(event_hh[L.hh])
        rows = rows[u_lab[rows] < 1.0 / np.maximum(H.n_lab[L.hh[rows]], 1)]
        u_len = u_len[rows]
    months = np.ceil(-c.p["labour_illness_absence_months"] * np.log(np.maximum(u_len, 1e-6)))
    L.absent[rows] = np.minimum(months, 24).astype(np.int8)
    rows = rows[(L.status[rows] == MIGRANT) & (u_len < c.p["labour_illness_job_loss"])]
    L.status[rows] = OUT
    lost = np.zeros(L.m, bool)
    lost[rows] = True
    return lost
