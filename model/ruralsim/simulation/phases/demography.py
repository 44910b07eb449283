"""Demography: the cohort ages, members die, labourers retire, and young members come of working age.

Each household and labourer has its yearly events in its own birth month (a twelfth of the rows each
month, :func:`ruralsim.model.due_rows`). Labourer rows are fixed in number: a row freed by retirement or
death becomes INACTIVE, and only a member of the *same* household who comes of working age can take it
again, so a household without young members loses its labour as it ages (issue 10; nothing is replaced
from outside the household). Mortality is Gompertz in age (``demography.mortality_at_60`` and
``demography.mortality_slope``). A one-person household's last member is not removed (the row would
become empty; the cohort's registry keeps such households until the annual review), so deaths are
counted only in households of two or more people.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import INACTIVE, OUT


def mortality(p: dict, age: np.ndarray) -> np.ndarray:
    """Annual probability of death at ``age`` (Gompertz: q60 x exp(slope x (age - 60)), at most 1)."""
    q = p["demography_mortality_at_60"] * np.exp(p["demography_mortality_slope"] * (age.astype(np.float64) - 60.0))
    return np.minimum(q, 1.0)


def year_of_life(c, hh_rows: slice, lab_rows: slice) -> None:
    """This month's birthdays (households ``hh_rows`` and labourers ``lab_rows`` of chunk ``c``): heads and
    labourers age a year (to at most 120), then labourers' deaths and retirements, elderly members' deaths,
    and young members coming of working age into a free labourer row of their household."""
    if c.kern.fast:
        return c.kern.year_of_life(c, hh_rows, lab_rows)
    p, H, L = c.p, c.hh, c.labs
    H.head_age[hh_rows] = np.minimum(H.head_age[hh_rows] + 1, 120)
    L.age[lab_rows] = np.minimum(L.age[lab_rows] + 1, 120)
    idx = np.arange(*lab_rows.indices(c.n_labourers))
    idx = idx[L.status[idx] != INACTIVE]
    # Labourers: death (a sudden hardship for the household), else retirement at the declared age.
    dies = c.ul("lab.death")[idx] < mortality(p, L.age[idx])
    dies &= H.size[L.hh[idx]] >= 2
    dead = idx[dies]
    retiring = idx[~dies & (L.age[idx] >= int(p["labour_retirement_age"]))]
    np.subtract.at(H.size, L.hh[dead], 1)
    c.hardship[L.hh[dead]] = True
    np.add.at(H.n_elderly, L.hh[retiring], 1)
    for rows in (dead, retiring):
        np.subtract.at(H.n_lab, L.hh[rows], 1)
        np.subtract.at(c.full_labourers, L.hh[rows[L.weak[rows] == 0]], 1)
        L.status[rows] = INACTIVE
        L.absent[rows] = 0
        L.timer[rows] = 0

    # Elderly members: one may die this year (the head's age stands for theirs when the head is 60+).
    h = np.arange(*hh_rows.indices(c.n_households))
    h = h[(H.n_elderly[h] > 0) & (H.size[h] >= 2)]
    age = np.maximum(H.head_age[h], 70).astype(np.int16)
    q_any = 1.0 - (1.0 - mortality(p, age)) ** H.n_elderly[h]
    gone = h[c.uh("hh.elder_death")[h] < q_any]
    H.size[gone] -= 1
    H.n_elderly[gone] -= 1

    # Young members (neither labourers nor elderly) come of working age and take a free row of their household.
    h = np.arange(*hh_rows.indices(c.n_households))
    young = (H.size[h].astype(np.int16) - H.n_lab[h] - H.n_elderly[h]).clip(0)
    p_any = 1.0 - (1.0 - p["demography_coming_of_age_rate"]) ** young
    comes = h[c.uh("hh.coming_of_age")[h] < p_any]
    if comes.size == 0:
        return
    want = np.zeros(c.n_households, bool)
    want[comes] = True
    free = np.flatnonzero((L.status == INACTIVE) & want[L.hh])
    if free.size == 0:
        return
    # Rows are grouped by household: the first free row of each household is taken.
    _, first = np.unique(L.hh[free], return_index=True)
    take = free[first]
    L.status[take] = OUT
    L.age[take] = 18
    L.weak[take] = 0
    L.skill[take] = 0
    np.add.at(H.n_lab, L.hh[take], 1)
    np.add.at(c.full_labourers, L.hh[take], 1)
