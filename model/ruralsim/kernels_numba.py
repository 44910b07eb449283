"""Numba versions of the labour market's hot loops (imported only when the Numba kernels are selected).

Each function is a line-by-line translation of its NumPy reference in :mod:`ruralsim.labour` or
:mod:`ruralsim.programmes`, doing the same arithmetic in the same precision and order, so results
are bit-identical: float32 values stay float32 (probabilities compared with float32 uniforms),
float64 where NumPy promotes (group rates, vacancy shares), and group sums are accumulated in row
order as ``np.bincount`` does. What it saves is NumPy's temporaries and passes: a phase becomes one or
two loops over the chunk's labourers. All release the GIL, so chunks run in parallel threads.
"""

from __future__ import annotations

import numba
import numpy as np

from .population import FARM, LOCAL, MIGRANT, MONITORED, OUT, POST, TRAINING, WORKSHOP

_jit = numba.njit(nogil=True, cache=True)

f32 = np.float32


@_jit
def segment_sums(x, starts):
    """Per-segment sums in float64, added in row order (as ``np.bincount(seg, weights=x)``)."""
    n, k = x.shape[0], starts.shape[0]
    out = np.zeros(k)
    for s in range(k):
        end = starts[s + 1] if s + 1 < k else n
        acc = 0.0
        for i in range(starts[s], end):
            acc += np.float64(x[i])
        out[s] = acc
    return out


@_jit
def separations(status, skill, county, village, u_sep, u_trim, u_kind, rate_mig, rate_local, skill_cut,
                rate_post, drop_started, drop, county_capacity, village_capacity, post_quota, own_farm, lost):
    """:func:`ruralsim.labour.separations`: quits and jobs above capacity; marks ``lost``, updates ``status``."""
    m = status.shape[0]
    local = np.zeros(county_capacity.shape[0])
    workshop = np.zeros(village_capacity.shape[0])
    post = np.zeros(post_quota.shape[0])
    for i in range(m):
        s = status[i]
        if s == LOCAL:
            local[county[i]] += 1.0
        elif s == WORKSHOP:
            workshop[village[i]] += 1.0
        elif s == POST:
            post[village[i]] += 1.0
    p_local = _excess(local, county_capacity)
    p_workshop = _excess(workshop, village_capacity)
    p_post = _excess(post, post_quota)
    for i in range(m):
        s = status[i]
        if s < MIGRANT:
            continue
        rate = f32(0.0)
        if s == MIGRANT:
            rate = rate_mig
        elif s == LOCAL or s == WORKSHOP:
            rate = rate_local
        rate = f32(np.float64(rate) * (1.0 - skill_cut * np.float64(skill[i])))
        if s == POST:
            rate = rate_post
        if drop_started and s == MIGRANT:
            rate = max(rate, drop)
        out = u_sep[i] < rate
        u = np.float64(u_trim[i])
        if s == LOCAL:
            out = out or u < p_local[county[i]]
        elif s == WORKSHOP:
            out = out or u < p_workshop[village[i]]
        elif s == POST:
            out = out or u < p_post[village[i]]
        if out:
            lost[i] = True
            status[i] = FARM if u_kind[i] < own_farm else OUT


@_jit
def _excess(employed, capacity):
    """Share of each group's jobs above its capacity, in [0, 1]."""
    out = np.zeros(employed.shape[0])
    for g in range(employed.shape[0]):
        if employed[g] > 0:
            out[g] = min(max((employed[g] - capacity[g]) / employed[g], 0.0), 1.0)
    return out


@_jit
def search(status, absent, age, skill, weak, lab_hh, county, village, chronic, monitored_hh, u_find,
           rate_mig, bonus, weak_cut, age_cut_rate, priority, county_capacity, village_capacity, post_quota):
    """:func:`ruralsim.labour.search`: seekers share each group's vacancies by weight; updates ``status``."""
    m = status.shape[0]
    n_c, n_v = county_capacity.shape[0], village_capacity.shape[0]
    local, workshop, post = np.zeros(n_c), np.zeros(n_v), np.zeros(n_v)
    d_local, d_workshop, d_post = np.zeros(n_c), np.zeros(n_v), np.zeros(n_v)
    for i in range(m):  # jobs held, and seekers' weighted demand, per group
        s = status[i]
        if s == LOCAL:
            local[county[i]] += 1.0
        elif s == WORKSHOP:
            workshop[village[i]] += 1.0
        elif s == POST:
            post[village[i]] += 1.0
        elif s <= FARM and absent[i] == 0:
            prio = priority if monitored_hh[lab_hh[i]] else f32(1.0)
            d_local[county[i]] += np.float64(prio) * (1.0 - 0.5 * np.float64(weak[i]))
            d_workshop[village[i]] += np.float64(prio)
            d_post[village[i]] += np.float64(prio * (f32(2.0) if weak[i] == 1 else f32(0.25)))
    r_local = _rate(county_capacity - local, d_local)
    r_workshop = _rate(village_capacity - workshop, d_workshop)
    r_post = _rate(post_quota - post, d_post)
    for i in range(m):
        if status[i] > FARM or absent[i] != 0:
            continue
        prio = priority if monitored_hh[lab_hh[i]] else f32(1.0)
        a = max(f32(age[i]) - f32(45), f32(0))
        age_cut = min(max(f32(1.0) - age_cut_rate * a, f32(0)), f32(1))
        p_mig = (rate_mig * (f32(1.0) + bonus * f32(skill[i])) * (f32(1.0) - weak_cut * f32(weak[i]))
                 * age_cut * (f32(0.8) if chronic[lab_hh[i]] == 1 else f32(1.0)))
        w_local = np.float64(prio) * (1.0 - 0.5 * np.float64(weak[i]))
        p_loc = f32(0.5 * min(r_local[county[i]] * w_local, 1.0))
        p_ws = f32(0.5 * min(r_workshop[village[i]] * np.float64(prio), 1.0))
        w_post = prio * (f32(2.0) if weak[i] == 1 else f32(0.25))
        p_post = f32(0.5 * min(r_post[village[i]] * np.float64(w_post), 1.0))
        total = p_mig + p_loc + p_ws + p_post
        scale = f32(0.95) / max(total, f32(1e-9)) if total > f32(0.95) else f32(1.0)
        u = u_find[i]
        c1 = p_post * scale
        c2 = c1 + p_ws * scale
        c3 = c2 + p_loc * scale
        c4 = c3 + p_mig * scale
        if u < c1:
            status[i] = POST
        elif u < c2:
            status[i] = WORKSHOP
        elif u < c3:
            status[i] = LOCAL
        elif u < c4:
            status[i] = MIGRANT


@_jit
def _rate(vacancies, demand):
    out = np.zeros(demand.shape[0])
    for g in range(demand.shape[0]):
        if demand[g] > 0:
            out[g] = max(vacancies[g], 0.0) / demand[g]
    return out


@_jit
def wages(status, skill, absent, phi, lab_hh, county, village, wage_mig, wage_local, county_factor, village_wage,
          index, premium, wage_post):
    """:func:`ruralsim.labour.wages`: each labourer's wage (float32)."""
    m = status.shape[0]
    out = np.zeros(m, np.float32)
    for i in range(m):
        s = status[i]
        w = f32(0.0)
        if s == MIGRANT:
            w = wage_mig
        elif s == LOCAL:
            w = f32(wage_local * county_factor[county[i]])
        elif s == WORKSHOP:
            w = f32(village_wage[village[i]] * index)
        w = f32(np.float64(w) * ((1.0 + premium * np.float64(skill[i])) * np.float64(phi[lab_hh[i]])))
        if s == POST:
            w = wage_post
        if absent[i] > 0:
            w = f32(0.0)
        out[i] = w
    return out


@_jit
def household_sums(values, lab_hh, n_households):
    """Per-household sums of a per-labourer array, in float64 (as ``np.bincount(lab_hh, values)``)."""
    out = np.zeros(n_households)
    for i in range(values.shape[0]):
        out[lab_hh[i]] += np.float64(values[i])
    return out


@_jit
def training(status, timer, skill, age, absent, lab_hh, county, mon_state, u_enrol, u_place, placement, priority,
             base_rate, course_months, starts):
    """:meth:`ruralsim.programmes.Training.step`: graduation, then enrolment at the county's normalised
    rate; returns the enrolments per county."""
    m, n_c = status.shape[0], starts.shape[0]
    for i in range(m):
        if status[i] == TRAINING:
            timer[i] -= 1
            if timer[i] <= 0:
                skill[i] = min(skill[i] + 1, 2)
                status[i] = MIGRANT if u_place[i] < placement else OUT
    eligible = np.zeros(n_c)
    monitored = np.zeros(n_c)
    for i in range(m):
        if (status[i] == OUT or status[i] == FARM) and skill[i] < 2 and age[i] < 60 and absent[i] == 0:
            eligible[county[i]] += 1.0
            if mon_state[lab_hh[i]] == MONITORED:
                monitored[county[i]] += 1.0
    mean_w = np.ones(n_c)
    for g in range(n_c):
        if eligible[g] > 0:
            mean_w[g] = (priority * monitored[g] + (eligible[g] - monitored[g])) / eligible[g]
    enrolled = np.zeros(n_c)
    for i in range(m):
        if (status[i] == OUT or status[i] == FARM) and skill[i] < 2 and age[i] < 60 and absent[i] == 0:
            w = priority if mon_state[lab_hh[i]] == MONITORED else 1.0
            if np.float64(u_enrol[i]) < base_rate * w / mean_w[county[i]]:
                status[i] = TRAINING
                timer[i] = course_months
                enrolled[county[i]] += 1.0
    return enrolled
