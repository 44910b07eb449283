"""The labour market: each labourer's monthly status and wage.

Statuses: out of work, own farm only, migrant, local wage (partner firms), workshop, public-welfare
post, in training. Each month, in order:

1. separations: employed labourers lose or leave jobs at status-specific rates (lower with skill,
   higher when migrant demand falls), and jobs above a firm's, workshop's or village's capacity end;
2. search: labourers without wage work find one. Every kind of job is limited by its vacancies,
   shared among its seekers in proportion to a weight: migrant jobs in one national market for the
   cohort (:func:`migrant_rate`; hiring weight by age, skill and capacity, :func:`migrant_weight`; weak
   and older labourers mostly cannot migrate at all, :func:`can_migrate`),
   local, workshop and post jobs by county or village (monitored households first: A09, A22).

The migrant market is resolved once a month from per-chunk aggregates of the month before (jobs held,
seekers' total weight: :func:`market_parts`), so chunks stay independent within a month and results do
not depend on the chunking, the threads or the kernels.

All draws are per labourer and per month from named streams, so they are common across scenarios.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import EMPLOYED, FARM, LOCAL, MIGRANT, MONITORED, OUT, POST, TRAINING, WORKSHOP


def separations(c, u_sep: np.ndarray, u_trim: np.ndarray, u_kind: np.ndarray, demand_drop: float) -> np.ndarray:
    """End jobs; return the mask of labourers who lost a job involuntarily this month.

    ``c`` is a chunk of whole counties (:class:`ruralsim.chunking.Part`): every group here (county,
    village) lies inside it.
    """
    p, L = c.p, c.labs
    st = L.status
    rows = np.flatnonzero(st >= MIGRANT)  # everyone in a job (codes 2-5), and only them
    s_rows = st[rows]
    rate = np.zeros(len(rows), np.float32)
    rate[s_rows == MIGRANT] = p["labour_migrant_quit_rate"] * (1.0 + p["shocks_demand_drop_quit_multiplier"] * demand_drop)
    rate[(s_rows == LOCAL) | (s_rows == WORKSHOP)] = p["labour_local_quit_rate"]
    rate *= 1.0 - p["labour_skill_quit_cut"] * L.skill[rows]
    rate[s_rows == POST] = p["posts_quit_rate"]
    # A fall in migrant demand also sends that share of migrants home once, when it starts.
    if c.demand_drop_started:
        rate[s_rows == MIGRANT] = np.maximum(rate[s_rows == MIGRANT], demand_drop)
    lost_rows = u_sep[rows] < rate

    # Jobs above capacity end (a firm's orders fell, a workshop closed, posts were cut).
    lost_rows |= _over_capacity(s_rows, LOCAL, c.lab_county[rows], c.county_capacity, u_trim[rows])
    village = L.village[rows]
    lost_rows |= _over_capacity(s_rows, WORKSHOP, village, c.village_capacity, u_trim[rows])
    lost_rows |= _over_capacity(s_rows, POST, village, c.post_quota, u_trim[rows])

    lost_idx = rows[lost_rows]
    st[lost_idx] = np.where(u_kind[lost_idx] < p["labour_own_farm_share"], FARM, OUT)
    lost = np.zeros(L.m, bool)
    lost[lost_idx] = True
    return lost


def _over_capacity(st, code, group, capacity, u) -> np.ndarray:
    is_code = st == code
    if not is_code.any():
        return np.zeros_like(is_code)
    employed = np.bincount(group[is_code], minlength=len(capacity)).astype(float)
    excess = np.divide(employed - capacity, employed, out=np.zeros_like(employed), where=employed > 0)
    return is_code & (u < np.clip(excess, 0, 1)[group])


def migrant_rate(vacancies: float, held: float, weight_sum: float, ceiling: float, fill: float) -> float:
    """Monthly probability of finding a migrant job per unit of hiring weight.

    The open vacancies (jobs less those held, never negative) are shared among seekers by weight, a
    share ``fill`` of them filled in a month: so expected hires (rate x total weight) never exceed
    ``fill`` x open vacancies, and more seekers mean a lower rate for each. ``ceiling`` (search
    frictions) binds only when vacancies are plentiful."""
    open_jobs = max(float(vacancies) - float(held), 0.0)
    if weight_sum <= 0.0:
        return float(ceiling)
    return min(float(ceiling), fill * open_jobs / float(weight_sum))


def displaced(ceiling: float, rate: float, weight: float) -> float:
    """Seekers displaced this month (expected people): the hires that seekers of total hiring weight
    ``weight`` would make at the frictional ceiling but cannot for want of vacancies (0 when the market
    does not bind). With ``weight`` the untrained seekers' weight, it counts whom training displaces."""
    return max(float(ceiling) - float(rate), 0.0) * float(weight)


def migrant_weight(p, L, H, rows: np.ndarray) -> np.ndarray:
    """Hiring weight of each labourer in ``rows`` in the migrant market (float32): 0 for one who cannot take
    migrant work at all (:func:`can_migrate`); else 1 for a healthy, untrained labourer under 50, higher with
    skill (training changes who is hired: P20, A18), lower at 50 or more (P32) and for chronically ill
    households."""
    skill, hh = L.skill[rows], L.hh[rows]
    return np.where(can_migrate(p, L, rows),
                    (1.0 + np.float32(p["labour_skill_find_bonus"]) * skill)
                    * age_factor(p, L.age[rows])
                    * np.where(H.chronic[hh] == 1, np.float32(p["labour_chronic_find_factor"]), np.float32(1.0)),
                    np.float32(0.0)).astype(np.float32)


def migrant_capable_share(p, weak: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Share of labourers like these who can take migrant work at all (float32): 1 for a full labourer under
    60, ``1 - labour.weak_find_cut`` for a weak one, times ``labour.hire_factor_60plus`` at 60 or more."""
    return ((np.float32(1.0) - np.float32(p["labour_weak_find_cut"]) * weak.astype(np.float32))
            * np.where(age >= 60, np.float32(p["labour_hire_factor_60plus"]), np.float32(1.0))).astype(np.float32)


def can_migrate(p, L, rows: np.ndarray) -> np.ndarray:
    """Whether each labourer in ``rows`` can take migrant work at all: a fixed draw per labourer
    (``Labourers.mobility``, in 256ths: one byte a labourer) below :func:`migrant_capable_share`. Why a fixed draw and not a lower monthly
    rate: a weak or older labourer who searches month after month would, at any positive rate, end up in
    migrant work as often as the rate over the quit rate (at the market's ceiling of 0.9 a month, a weight of
    0.03 put 17% of weak labourers under 60 in migrant work and made weak labourers most of the former post
    holders who migrated after a cliff exit). 弱劳动力 are registered as fit only for light work: most never
    migrate, whatever the months spent looking."""
    return (L.mobility[rows].astype(np.float32) + np.float32(0.5)
            < migrant_capable_share(p, L.weak[rows], L.age[rows]) * np.float32(256.0))


def age_factor(p, age: np.ndarray) -> np.ndarray:
    """Migrant hiring weight by age of those who can migrate: 1 under 50, ``labour.hire_factor_50s`` from 50
    (the few aged 60 or more who can migrate compete as labourers in their fifties)."""
    return np.where(age >= 50, np.float32(p["labour_hire_factor_50s"]), np.float32(1.0))


def market_parts(c) -> dict:
    """A chunk's part of the migrant market (per county, summed in row order): the seekers' total hiring
    weight (post holders searching on the job at ``posts.migrant_search``) and the migrant jobs held."""
    if c.kern.fast:
        return c.kern.market_parts(c)
    p, L, H = c.p, c.labs, c.hh
    st = L.status
    w = np.zeros(L.m, np.float32)
    rows = np.flatnonzero((st <= FARM) & (L.absent == 0))
    w[rows] = migrant_weight(p, L, H, rows)
    if p["posts_migrant_search"] > 0:
        holders = np.flatnonzero((st == POST) & (L.weak == 0) & (L.absent == 0))
        w[holders] = np.float32(p["posts_migrant_search"]) * migrant_weight(p, L, H, holders)
    # The untrained seekers' part: whom training displaces when vacancies are short.
    return {"market_weight": c.lab_sum(w), "market_weight_untrained": c.lab_sum(np.where(L.skill == 0, w, np.float32(0.0))),
            "market_migrants": int(np.count_nonzero(st == MIGRANT))}


def cannot_migrate(L, H, rows: np.ndarray) -> np.ndarray:
    """Labourers who can hardly take migrant work (weak labour, aged 60 or more, or of a chronically ill
    household): public-welfare posts go to them first (posts.weak_priority)."""
    return (L.weak[rows] == 1) | (L.age[rows] >= 60) | (H.chronic[L.hh[rows]] == 1)


def search(c, u_find: np.ndarray, rate: float, monitored_hh: np.ndarray) -> None:
    """Labourers without wage work find migrant, local, workshop or post jobs; ``rate`` is this month's
    migrant finding rate per unit of hiring weight (:func:`migrant_rate`).

    Only seekers' rows are computed: they are a quarter of labourers, and this is the model's
    hottest phase (with Numba, :func:`ruralsim.simulation.phases.kernels_numba.labour` does it with training and
    the separations: two loops over labourers and short ones over lists of them).
    """
    p, L, H = c.p, c.labs, c.hh
    st = L.status
    rows = np.flatnonzero((st <= FARM) & (L.absent == 0))  # OUT=0, FARM=1
    # Full-capacity post holders look for migrant work on the job (their find draw is otherwise unused).
    holders = np.flatnonzero((st == POST) & (L.weak == 0) & (L.absent == 0)) if p["posts_migrant_search"] > 0 else None
    hh = L.hh[rows]
    skill, weak = L.skill[rows], L.weak[rows]
    monitored = monitored_hh[hh]
    p_mig = _migrant_find(p, L, H, rows, rate)

    prio = np.where(monitored, np.float32(p["monitoring_job_priority"]), np.float32(1.0))
    county = c.lab_county
    village = L.village[rows]
    fill = p["labour_vacancy_fill_rate"]
    p_loc = _vacancy_share(county[rows], prio * (1.0 - p["labour_weak_local_cut"] * weak),
                           c.county_capacity - _count(st, LOCAL, county, c.n_counties), fill)
    p_ws = _vacancy_share(village, prio,
                          c.village_capacity - _count(st, WORKSHOP, L.village, c.n_villages), fill)
    # Public posts go to monitored households' labourers and to those who cannot migrate first.
    post_w = np.where(cannot_migrate(L, H, rows), np.float32(p["posts_weak_priority"]), np.float32(c.post_other_priority))
    p_post = _vacancy_share(village, prio * post_w, c.post_quota - _count(st, POST, L.village, c.n_villages), fill)

    total = p_mig + p_loc + p_ws + p_post
    cap = p["labour_find_cap"]
    scale = np.where(total > cap, cap / np.maximum(total, 1e-9), 1.0).astype(np.float32)
    u = u_find[rows]
    c1 = p_post * scale
    c2 = c1 + p_ws * scale
    c3 = c2 + p_loc * scale
    c4 = c3 + p_mig * scale
    new = np.where(u < c1, POST, np.where(u < c2, WORKSHOP,
                   np.where(u < c3, LOCAL, np.where(u < c4, MIGRANT, -1)))).astype(np.int8)
    hired = new >= 0
    st[rows[hired]] = new[hired]
    if holders is not None:
        leave = u_find[holders] < np.float32(p["posts_migrant_search"]) * _migrant_find(p, L, H, holders, rate)
        st[holders[leave]] = MIGRANT


def _migrant_find(p, L, H, rows: np.ndarray, rate: float) -> np.ndarray:
    """Monthly probability that each labourer in ``rows`` finds a migrant job (float32): the rate per
    unit of weight times the hiring weight (:func:`migrant_weight`)."""
    return np.float32(rate) * migrant_weight(p, L, H, rows)


def _count(st, code, group, n) -> np.ndarray:
    return np.bincount(group[st == code], minlength=n).astype(float)


def _vacancy_share(group, weight, vacancies, fill: float) -> np.ndarray:
    """Hiring probability of each seeker: the group's vacancies shared among its seekers by weight,
    a share ``fill`` of them filled in a month."""
    demand = np.bincount(group, weight, minlength=len(vacancies))
    rate = np.divide(np.maximum(vacancies, 0.0), demand, out=np.zeros(len(vacancies)), where=demand > 0)
    return (fill * np.minimum(rate[group] * weight, 1.0)).astype(np.float32)


def wages(c) -> np.ndarray:
    """Each labourer's wage this month (yuan), 0 when absent, out of work, farming or training."""
    if c.kern.fast:
        return c.kern.wages(c)
    p, L, H = c.p, c.labs, c.hh
    st = L.status
    idx = c.wage_index
    base = np.zeros(L.m, np.float32)
    base[st == MIGRANT] = p["labour_migrant_wage"] * c.migrant_wage_index
    is_local = st == LOCAL
    base[is_local] = (p["labour_local_wage"] * idx * c.county_wage_factor[c.lab_county[is_local]])
    is_ws = st == WORKSHOP
    base[is_ws] = c.village_wage[L.village[is_ws]] * idx
    base *= (1.0 + p["labour_skill_wage_premium"] * L.skill) * H.phi[L.hh]
    base[st == POST] = p["posts_wage"] * idx
    base[L.absent > 0] = 0.0
    return base


def employed_mask(L) -> np.ndarray:
    """Labourers in wage work (status codes MIGRANT..POST are contiguous)."""
    return (L.status >= MIGRANT) & (L.status <= POST)


__all__ = ["separations", "search", "wages", "employed_mask", "migrant_rate", "migrant_weight", "age_factor",
           "can_migrate", "migrant_capable_share",
           "market_parts", "cannot_migrate", "displaced", "TRAINING", "MONITORED"]
