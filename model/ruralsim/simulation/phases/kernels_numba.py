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

from ..cohort.population import FARM, LOCAL, MIGRANT, MONITORED, OUT, POST, TRAINING, WORKSHOP
from .east_west import MAX_AGE as EAST_WEST_MAX_AGE

# Per-row helpers a loop calls take and return scalars only: an array handed to a compiled call costs its
# reference counting on every row (a loop calling one with three arrays ran six times slower).
# NumPy's error model: a division by zero gives inf/nan as in the NumPy reference instead of a per-division
# check and Python exception (every divisor here is a size, a count or a positive parameter anyway).
_jit = numba.njit(nogil=True, cache=True, error_model="numpy")

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
def labour(status, timer, skill, age, absent, weak, mobility, lab_hh, county, village, chronic, mon_state,
           train, u_enrol, u_place, placement, train_priority, base_rate, course_months, moved, cost, enrolled,
           u_sep, u_trim, u_kind, rate_mig, rate_local, skill_cut, rate_post, drop_started, drop,
           county_capacity, village_capacity, post_quota, own_farm,
           use_monitored, u_find, rate_find, bonus, weak_cut, factor_50s, factor_60plus, priority, chronic_factor,
           fill, post_weak, post_other, weak_local_cut, find_cap, post_search, lost_ill, lost, lost_hh):
    """The month's labour market after illness absences, in three loops over the chunk's labourers:

    1. graduation (``train``: :meth:`ruralsim.programmes.Training.step`), the county's eligible labourers,
       and the jobs held per group;
    2. enrolment, then :func:`ruralsim.labour.separations` (quits and jobs above capacity: ``lost``), then
       the seekers' weighted demand per group (:func:`ruralsim.labour.search`'s first pass; jobs held after
       the separations are the counts of loop 1 less those lost);
    3. :func:`ruralsim.labour.search`; households with a labourer who lost a job (not for a post found at
       once) or fell ill off a migrant job get ``lost_hh``.

    Every row's step reads only its own row and group totals made before the loop, as in the NumPy
    reference's whole-array steps, so the interleaving changes no result. Enrolments per county go to
    ``enrolled``; without ``use_monitored`` no household has the monitored priority (the burn-in)."""
    m = status.shape[0]
    n_c, n_v = county_capacity.shape[0], village_capacity.shape[0]
    held = np.zeros(n_c + 2 * n_v)  # jobs held: local per county, then workshop and post per village (_job_slot)
    local, workshop, post = held[:n_c], held[n_c:n_c + n_v], held[n_c + n_v:]
    eligible, monitored = np.zeros(n_c), np.zeros(n_c)
    for i in range(m):
        if train and status[i] == TRAINING:
            timer[i] -= 1
            if timer[i] <= 0:
                skill[i] = min(skill[i] + 1, 2)
                placed = u_place[i] < placement and can_migrate(weak[i], age[i], mobility[i], weak_cut, factor_60plus)
                status[i] = MIGRANT if placed else OUT
        if train and _trainable(status[i], skill[i], age[i], absent[i]):
            eligible[county[i]] += 1.0
            if mon_state[lab_hh[i]] == MONITORED:
                monitored[county[i]] += 1.0
        slot = _job_slot(status[i], county[i], village[i], n_c, n_v)
        if slot >= 0:
            held[slot] += 1.0
    # Training: the county's normalised rate, plus what yuan moved from industry support buy (extra_rate).
    mean_w = np.ones(n_c)
    rate = np.full(n_c, base_rate)
    for g in range(n_c):
        if eligible[g] > 0:
            mean_w[g] = (train_priority * monitored[g] + (eligible[g] - monitored[g])) / eligible[g]
            if cost > 0:
                rate[g] = base_rate + moved[g] / (cost * eligible[g])
    p_local = _excess(local, county_capacity)
    p_workshop = _excess(workshop, village_capacity)
    p_post = _excess(post, post_quota)
    d_local, d_workshop, d_post = np.zeros(n_c), np.zeros(n_v), np.zeros(n_v)
    for i in range(m):
        if train and _trainable(status[i], skill[i], age[i], absent[i]):
            w = train_priority if mon_state[lab_hh[i]] == MONITORED else 1.0
            if np.float64(u_enrol[i]) < rate[county[i]] * w / mean_w[county[i]]:
                status[i] = TRAINING
                timer[i] = course_months
                enrolled[county[i]] += 1.0
        s = status[i]
        if s >= MIGRANT and _separated(s, skill[i], u_sep[i], u_trim[i], rate_mig, rate_local, skill_cut, rate_post,
                                       drop_started, drop, p_local[county[i]], p_workshop[village[i]],
                                       p_post[village[i]]):
            lost[i] = True
            status[i] = FARM if u_kind[i] < own_farm else OUT
            slot = _job_slot(s, county[i], village[i], n_c, n_v)
            if slot >= 0:  # a job no longer held
                held[slot] -= 1.0
        if status[i] <= FARM and absent[i] == 0:  # a seeker (one who just lost a job included)
            prio = priority if use_monitored and mon_state[lab_hh[i]] == MONITORED else f32(1.0)
            d_local[county[i]] += np.float64(prio) * (1.0 - weak_local_cut * np.float64(weak[i]))
            d_workshop[village[i]] += np.float64(prio)
            cannot = weak[i] == 1 or age[i] >= 60 or chronic[lab_hh[i]] == 1
            d_post[village[i]] += np.float64(prio * (post_weak if cannot else post_other))
    r_local = _rate(county_capacity - local, d_local)
    r_workshop = _rate(village_capacity - workshop, d_workshop)
    r_post = _rate(post_quota - post, d_post)
    for i in range(m):
        status[i] = _search_row(status[i], absent[i], age[i], skill[i], weak[i], mobility[i], chronic[lab_hh[i]],
                                use_monitored and mon_state[lab_hh[i]] == MONITORED, u_find[i], rate_find, bonus,
                                weak_cut, factor_50s, factor_60plus, priority, chronic_factor, fill, post_weak,
                                post_other, weak_local_cut, find_cap, post_search, r_local[county[i]],
                                r_workshop[village[i]], r_post[village[i]])
        if (lost[i] and status[i] != POST) or lost_ill[i]:
            lost_hh[lab_hh[i]] = True


@_jit
def _job_slot(s, county, village, n_counties, n_villages):
    """Where a labourer of status ``s`` counts among the jobs held (the one job count of the labour market,
    :func:`labour`): local jobs per county, then workshop jobs and posts per village; -1 for no such job."""
    if s == LOCAL:
        return county
    if s == WORKSHOP:
        return n_counties + village
    if s == POST:
        return n_counties + n_villages + village
    return -1


@_jit
def _trainable(s, skill, age, absent):
    """Eligible for training: out of work or farming, not yet at the top skill, under 60, not absent."""
    return (s == OUT or s == FARM) and skill < 2 and age < 60 and absent == 0


@_jit
def _separated(s, skill, u_sep, u_trim, rate_mig, rate_local, skill_cut, rate_post, drop_started, drop, p_local,
               p_workshop, p_post):
    """Whether a labourer in a job (``s`` >= MIGRANT) loses it (:func:`ruralsim.labour.separations`): a quit
    at the status's rate (lower with skill; migrants at least ``drop`` when a fall in demand starts), or the
    job is above its group's capacity (``p_*``: the group's excess share)."""
    rate = f32(0.0)
    if s == MIGRANT:
        rate = rate_mig
    elif s == LOCAL or s == WORKSHOP:
        rate = rate_local
    rate = f32(np.float64(rate) * (1.0 - skill_cut * np.float64(skill)))
    if s == POST:
        rate = rate_post
    if drop_started and s == MIGRANT:
        rate = max(rate, drop)
    out = u_sep < rate
    u = np.float64(u_trim)
    if s == LOCAL:
        out = out or u < p_local
    elif s == WORKSHOP:
        out = out or u < p_workshop
    elif s == POST:
        out = out or u < p_post
    return out


@_jit
def _search_row(s, absent, age, skill, weak, mobility, chronic, monitored, u, rate_mig, bonus, weak_cut, factor_50s,
                factor_60plus, priority, chronic_factor, fill, post_weak, post_other, weak_local_cut, find_cap,
                post_search, r_local, r_workshop, r_post):
    """:func:`ruralsim.labour.search` for one labourer of status ``s``: a seeker's chances of a post, a workshop
    job, a local job and a migrant job (capped in total), one draw ``u``; a post holder's on-the-job search for
    migrant work. ``r_*``: the group's vacancies per unit of demand. Returns the new status."""
    holder = s == POST and weak == 0 and post_search > 0
    if (s > FARM and not holder) or absent != 0:
        return s
    p_mig = rate_mig * migrant_weight(skill, weak, age, mobility, chronic, bonus, weak_cut, factor_50s,
                                      factor_60plus, chronic_factor)
    if holder:  # on-the-job search for migrant work (see labour.search)
        return MIGRANT if u < post_search * p_mig else s
    prio = priority if monitored else f32(1.0)
    w_local = np.float64(prio) * (1.0 - weak_local_cut * np.float64(weak))
    p_loc = f32(fill * min(r_local * w_local, 1.0))
    p_ws = f32(fill * min(r_workshop * np.float64(prio), 1.0))
    cannot = weak == 1 or age >= 60 or chronic == 1  # labour.cannot_migrate
    w_post = prio * (post_weak if cannot else post_other)
    p_post = f32(fill * min(r_post * np.float64(w_post), 1.0))
    total = p_mig + p_loc + p_ws + p_post
    scale = find_cap / max(total, f32(1e-9)) if total > find_cap else f32(1.0)
    c1 = p_post * scale
    c2 = c1 + p_ws * scale
    c3 = c2 + p_loc * scale
    c4 = c3 + p_mig * scale
    if u < c1:
        return POST
    if u < c2:
        return WORKSHOP
    if u < c3:
        return LOCAL
    if u < c4:
        return MIGRANT
    return s


@_jit
def _excess(employed, capacity):
    """Share of each group's jobs above its capacity, in [0, 1]."""
    out = np.zeros(employed.shape[0])
    for g in range(employed.shape[0]):
        if employed[g] > 0:
            out[g] = min(max((employed[g] - capacity[g]) / employed[g], 0.0), 1.0)
    return out


@_jit
def migrant_weight(skill, weak, age, mobility, chronic, bonus, weak_cut, factor_50s, factor_60plus, chronic_factor):
    """:func:`ruralsim.labour.migrant_weight` of one labourer (float32; 0 when :func:`can_migrate` is false)."""
    if not can_migrate(weak, age, mobility, weak_cut, factor_60plus):
        return f32(0.0)
    one = f32(1.0)
    return ((one + bonus * f32(skill)) * (factor_50s if age >= 50 else one)) * (chronic_factor if chronic == 1 else one)


@_jit
def can_migrate(weak, age, mobility, weak_cut, factor_60plus):
    """:func:`ruralsim.labour.can_migrate` of one labourer: the fixed draw below the capable share."""
    one = f32(1.0)
    share = (one - weak_cut * f32(weak)) * (factor_60plus if age >= 60 else one)
    return f32(mobility) + f32(0.5) < share * f32(256.0)


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
        out[i] = wage_of(status[i], skill[i], absent[i], phi[lab_hh[i]], county_factor[county[i]],
                         village_wage[village[i]], wage_mig, wage_local, index, premium, wage_post)
    return out


@_jit
def wage_of(s, skill, absent, phi, county_factor, village_wage, wage_mig, wage_local, index, premium, wage_post):
    """One labourer's wage (the rule of :func:`ruralsim.labour.wages`, shared by :func:`wages` and :func:`incomes`);
    ``county_factor`` and ``village_wage`` are the labourer's county's and village's. Written as selects, not
    branches: a labourer's status is unpredictable from row to row, and a mispredicted branch costs more than
    computing every status's wage."""
    local = f32(wage_local * county_factor)
    workshop = f32(village_wage * index)
    w = wage_mig if s == MIGRANT else (local if s == LOCAL else (workshop if s == WORKSHOP else f32(0.0)))
    w = f32(np.float64(w) * ((1.0 + premium * np.float64(skill)) * np.float64(phi)))
    w = wage_post if s == POST else w
    return f32(0.0) if absent > 0 else w


# ---------------------------------------------------------------------------------------------
# Household phases (reference: RuralModel._incomes; the status phase is in kernels_status)
# ---------------------------------------------------------------------------------------------
@_jit
def _wage_row(s, skill, absent, phi, base, village_wage, index, premium, wage_post):
    """:func:`wage_of` for :func:`incomes`, with the county's wage for the status (``base``: migrant, local or 0)
    looked up by the caller; the workshop wage is computed here (a rare status: its branch is predictable)."""
    w = f32(village_wage * index) if s == WORKSHOP else base
    w = f32(np.float64(w) * ((1.0 + premium * np.float64(skill)) * np.float64(phi)))
    w = wage_post if s == POST else w
    return f32(0.0) if absent > 0 else w


@_jit
def incomes(status, lab_hh, lab_county, size, n_lab, n_elderly, land, pooled, farm_q, coop, crop_mu, village,
            county, mon_state, dibao, insured, oop, disaster_left, grower_price, keep_after_disaster, cost_share, rev,
            fi12, industry_pp, asset_pp, rent12, per_person, pension12, assist_share,
            operating, prop, transfer, medical, sums, counts, idle_intensity,
            skill, absent, phi, lab_village, wage_mig, wage_local, county_factor, village_wage, index, premium,
            wage_post, wage, east, u_east, p_east, west_v, weak, age):
    """East–west placements (``east``: :func:`ruralsim.simulation.phases.east_west.placement`, an idle, able
    western labourer under 60 placed in migrant work if ``u_east < p_east``; ``west_v``: western villages), then
    :meth:`ruralsim.model.RuralModel._incomes` (dividends excepted): each labourer's wage (:func:`wage_of`)
    summed per household into ``wage`` (float64 in row order, as ``np.bincount``; labourers are grouped by
    household), and the operating, property, transfer and medical flows; per-county sums in ``sums`` (rows:
    industry project returns as operating income, subsidies, 低保, medical assistance paid, insured people,
    post wages, workshop jobs, project returns as asset income) and counts (monitored households that can
    work, 低保 households, assisted with a cost, post holders, workshop jobs, east–west placements)."""
    n = size.shape[0]
    farming = np.zeros(n, np.bool_)
    acc = np.zeros(n)  # wages per household, added in row order (as np.bincount)
    # Each county's wage by status (migrant and local work as wage_of has them, else 0), looked up by the
    # labourer's status: wage_of's select between loaded values is compiled to branches (the loads sunk into
    # them), mispredicted on a status that is unpredictable from row to row.
    by_status = np.zeros((county_factor.shape[0], 256), np.float32)
    for j in range(county_factor.shape[0]):
        by_status[j, MIGRANT] = wage_mig
        by_status[j, LOCAL] = f32(wage_local * county_factor[j])
    # Post wages and workshop jobs per county in registers over the county's run of rows (labourers are sorted by
    # county; ``sums`` is zeros on entry, as the households' loop below also assumes).
    kc = np.uint32(lab_county[0]) if status.shape[0] > 0 else np.uint32(0)
    s5 = 0.0
    c3 = c4 = c6 = 0
    for i in range(status.shape[0]):
        s = status[i]
        hh = np.uint32(lab_hh[i])  # unsigned: no negative-index wraparound code per access
        a = absent[i]
        lv = np.uint32(lab_village[i])
        # Western villages first: labourers are grouped by village, so that test is predictable where the
        # status tests are not (they are combined without branches).
        if east and west_v[lv]:
            if (s <= FARM) & (a == 0) & (weak[i] == 0) & (age[i] < EAST_WEST_MAX_AGE) & (u_east[i] < p_east):
                s = MIGRANT
                status[i] = s
                counts[5] += 1
        k = np.uint32(lab_county[i])
        w = _wage_row(s, skill[i], a, phi[hh], by_status[k, np.uint8(s)], village_wage[lv], index, premium, wage_post)
        acc[hh] += np.float64(w)
        farming[hh] |= s == FARM
        if k != kc:
            sums[5, kc] += s5
            sums[6, kc] += np.float64(c6)
            c4 += c6
            s5 = 0.0
            c6 = 0
            kc = k
        is_post = s == POST
        s5 += np.float64(w) if is_post else 0.0
        c3 += is_post
        c6 += s == WORKSHOP
    if status.shape[0] > 0:
        sums[5, kc] += s5
        sums[6, kc] += np.float64(c6)
    counts[3] += c3
    counts[4] += c4 + c6
    for i in range(n):
        wage[i] = acc[i]
    c0 = c1 = c2 = 0
    k = county[0] if n > 0 else 0
    s0 = s1 = s2 = s3 = s4 = s7 = 0.0
    ind_k = industry_pp[np.uint32(k)] if n > 0 else 0.0
    ast_k = asset_pp[np.uint32(k)] if n > 0 else 0.0
    for i in range(n):
        if county[i] != k:
            sums[0, k] += s0
            sums[1, k] += s1
            sums[2, k] += s2
            sums[3, k] += s3
            sums[4, k] += s4
            sums[7, k] += s7
            s0 = s1 = s2 = s3 = s4 = s7 = 0.0
            k = county[i]
            ind_k = industry_pp[np.uint32(k)]
            ast_k = asset_pp[np.uint32(k)]
        sz = np.float64(size[i])
        # Operating: own farm (less pooled land), specialty crop, industry support and grants.
        land_own = land[i] - pooled[i]
        own = (land_own * (f32(1.0) if farming[i] else idle_intensity)) * farm_q[i]
        cp = coop[i]
        price = grower_price[np.uint32(max(cp, 0))]
        cm = crop_mu[i]  # loaded unconditionally: a load under a condition (60 % of rows) keeps a branch
        specialty = np.float64(cm * rev) * (price - cost_share) if cp >= 0 else 0.0
        loss = keep_after_disaster if disaster_left[np.uint32(village[i])] > 0 else 1.0
        ms = mon_state[i]
        # & and |, not and/or: a short-circuit whose operand is a load stays a branch, on unpredictable values.
        c0 += (ms == MONITORED) & (n_lab[i] > 0)
        # Industry projects' returns (ruralsim.simulation.phases.projects): operating income and asset income.
        industry = f32(ind_k * sz)
        asset = f32(ast_k * sz)
        s0 += np.float64(industry)
        s7 += np.float64(asset)
        operating[i] = f32((np.float64(own) + specialty) * fi12 * loss + np.float64(industry))
        prop[i] = pooled[i] * rent12 + asset
        # Transfers: targeted subsidies, pensions, 低保.
        subsidy = f32(sz * per_person)
        db = dibao[i]
        s1 += np.float64(subsidy)
        s2 += np.float64(db)
        c1 += db > 0
        transfer[i] = f32(np.float64(subsidy) + np.float64(n_elderly[i]) * pension12 + np.float64(db))
        # Medical out-of-pocket after assistance for monitored and 低保 households.
        o = oop[i]
        helped = (ms == MONITORED) | (db > 0)
        paid = o * assist_share if helped else f32(0.0)
        c2 += helped & (o > 0)
        s3 += np.float64(paid)
        s4 += sz if insured[i] == 1 else 0.0
        medical[i] = o - paid
    if n > 0:
        sums[0, k] += s0
        sums[1, k] += s1
        sums[2, k] += s2
        sums[3, k] += s3
        sums[4, k] += s4
        sums[7, k] += s7
    counts[0] += c0
    counts[1] += c1
    counts[2] += c2
