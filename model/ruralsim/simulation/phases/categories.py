"""Categorised assistance (分层分类帮扶, Q01, Q02): each household's category and its package after 2025.

A household's category combines its labour capacity and its risk type, as the 2025 No. 1 document and
the MCA's low-income system sort households (Q01, Q02, Q05, Q06):

- capacity: ``ABLE`` (at least one full labourer), ``PARTLY`` (labourers, all weak), ``NOT_ABLE`` (none);
- risk: ``INCOME`` (the default) or ``RIGID`` (rigid spending: a chronically ill or disabled member, or a
  costly illness among its shocks of the last 12 months, the same test as monitoring's illness risk, P30).

``category = 2 * capacity + risk`` (int8, 0..5), recomputed at the household's annual 低保 review month
(``categories.review = "yearly"``) or every month. From 2026, with ``categories.packages``, households that
can work (``ABLE``, ``PARTLY``) get the development package (placement x ``categories.placement_factor``, an
industry grant x ``categories.grant_factor`` for ``ABLE``, training priority x ``categories.training_factor``
for monitored households' labourers); those that cannot work or carry a rigid-spending risk get the 兜底
package (medical assistance at ``categories.protection_medical_share``; ``NOT_ABLE`` households enrolled in
低保/特困 at review without the take-up draw). Every rule here is vectorised over per-household arrays.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import MONITORED, OUT, POST

ABLE, PARTLY, NOT_ABLE = 0, 1, 2
INCOME, RIGID = 0, 1
#: Category code -> name (labels: ``presentation.labels``'s ``category_<name>``).
NAMES = ("able_income", "able_rigid", "partly_income", "partly_rigid", "not_able_income", "not_able_rigid")
ILLNESS_CAUSE = 1  # shocks.ILLNESS
PACKAGE_YEAR = 2026  # packages apply after the transition (A02, Q01)


def categorise(full_labourers: np.ndarray, n_lab: np.ndarray, chronic: np.ndarray, ill_recently: np.ndarray
               ) -> np.ndarray:
    """Category code per household from its full labourers, labourers, chronic flag and recent costly illness."""
    capacity = np.where(full_labourers > 0, ABLE, np.where(n_lab > 0, PARTLY, NOT_ABLE))
    risk = ((chronic == 1) | ill_recently).astype(np.int8)
    return (2 * capacity + risk).astype(np.int8)


def capacity(category: np.ndarray) -> np.ndarray:
    return category // 2


def can_work(category: np.ndarray) -> np.ndarray:
    """Development package: households with labour capacity, full or partial."""
    return category < 2 * NOT_ABLE


def protected(category: np.ndarray) -> np.ndarray:
    """兜底 package: households that cannot work or carry a rigid-spending risk."""
    return (category >= 2 * NOT_ABLE) | (category % 2 == RIGID)


def packages_on(p: dict, year: int) -> bool:
    return bool(p["categories_packages"]) and year >= PACKAGE_YEAR


def update(c, rows) -> None:
    """Recompute the categories of the chunk's households ``rows`` (a slice or all)."""
    H = c.hh
    ill = (c.last_shock[rows] == ILLNESS_CAUSE) & (c.t - c.last_shock_month[rows] <= 12)
    c.category[rows] = categorise(c.full_labourers[rows], H.n_lab[rows], H.chronic[rows], ill)


def placement_factors(c) -> np.ndarray:
    """Multiplier on the placement probability by capacity (``ABLE``, ``PARTLY``, ``NOT_ABLE``; float32): the
    development package's for households that can work, 1 without packages (a table the kernels look up)."""
    if not c.packages:
        return np.ones(3, np.float32)
    return np.where(np.arange(3) < NOT_ABLE, np.float32(c.p["categories_placement_factor"]), np.float32(1.0))


def placement_factor(c, lab_hh: np.ndarray) -> np.ndarray | float:
    """Per-labourer multiplier on the placement probability (1 without packages)."""
    if not c.packages:
        return 1.0
    return placement_factors(c)[capacity(c.category)][lab_hh]


def grant_factors(c) -> np.ndarray:
    """Multiplier on the one-off industry grant by capacity (float64): the package's for ``ABLE`` households,
    1 otherwise and without packages (a table the kernels look up)."""
    if not c.packages:
        return np.ones(3)
    return np.where(np.arange(3) == ABLE, c.p["categories_grant_factor"], 1.0)


def grant_factor(c) -> np.ndarray | float:
    """Per-household multiplier on the one-off industry grant (1 without packages)."""
    if not c.packages:
        return 1.0
    return grant_factors(c)[capacity(c.category)]


def no_draw(c, rows) -> np.ndarray | bool:
    """Households among ``rows`` enrolled at review without the take-up draw (False without packages)."""
    if not (c.packages and c.p["categories_protection_no_draw"]):
        return False
    return capacity(c.category[rows]) == NOT_ABLE


def extra_medical(c, oop: np.ndarray, medical: np.ndarray) -> None:
    """兜底 package: raise medical assistance of assisted (monitored or 低保) protected households from
    ``medical.assistance_share`` to ``categories.protection_medical_share`` of ``oop``; ``medical`` (what
    they still pay) falls by it and the programme books it. Runs after either kernel set's incomes."""
    if not c.packages:
        return
    p = c.p
    gap = p["categories_protection_medical_share"] - p["medical_assistance_share"]
    assisted = (c.mon_state == MONITORED) | (c.dibao > 0)
    extra = np.where(assisted & protected(c.category), oop * np.float32(max(gap, 0.0)), np.float32(0.0))
    medical -= extra.astype(np.float32)
    c.book("medical", c.hh_sum(extra), 0)


def release_able_posts(c) -> None:
    """January 2026 with ``categories.able_posts = 0`` (posts ended for the able-bodied): labourers holding a
    public-welfare post who could take migrant work leave it (they look for work from next month); those who
    cannot (:func:`ruralsim.simulation.phases.labour.cannot_migrate`: weak, 60 or older, a chronically ill
    household), whom the posts go to first, keep theirs."""
    from .labour import cannot_migrate

    if float(c.p["categories_able_posts"]) > 0.0:
        return
    L = c.labs
    holders = np.flatnonzero(L.status == POST)
    L.status[holders[~cannot_migrate(L, c.hh, holders)]] = OUT
