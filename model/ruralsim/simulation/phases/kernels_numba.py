"""Numba versions of the labour market's hot loops (imported only when the Numba kernels are selected).

Each function is a line-by-line translation of its NumPy reference in :mod:`ruralsim.labour` or
:mod:`ruralsim.programmes`, doing the same arithmetic in the same precision and order, so results
are bit-identical: float32 values stay float32 (probabilities compared with float32 uniforms),
float64 where NumPy promotes (group rates, vacancy shares), and group sums are accumulated in row
order as ``np.bincount`` does. What it saves is NumPy's temporaries and passes: a phase becomes one or
two loops over the chunk's labourers. All release the GIL, so chunks run in parallel threads.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import FARM, LOCAL, MIGRANT, MONITORED, OUT, POST, TRAINING, WORKSHOP
from . import pcg64_numba as _pcg  # its readers of draws made at the rows read only
from .east_west import MAX_AGE as EAST_WEST_MAX_AGE
from .jit import _jit, f32


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


# Rows of the counters per labourer loop: a row's count goes to lane j % _LANES, so consecutive rows add to
# different cells (no chain of loads waiting on the previous row's store).
_LANES = 8


@_jit
def labour(status, timer, skill, age, absent, weak, mobility, lab_hh, county, village, chronic, mon_state,
           train, u_enrol, u_place, placement, train_priority, base_rate, course_months, moved, cost, enrolled,
           u_sep, u_trim, u_kind, rate_mig, rate_local, skill_cut, rate_post, drop_started, drop,
           county_capacity, village_capacity, post_quota, own_farm,
           use_monitored, u_find, rate_find, bonus, weak_cut, factor_50s, factor_60plus, priority, chronic_factor,
           fill, post_weak, post_other, weak_local_cut, find_cap, post_search, lost_ill, lost, lost_hh):
    """The month's labour market after illness absences, in two loops over the chunk's labourers and short ones
    over lists of them made on the way:

    1. graduation (``train``: :meth:`ruralsim.programmes.Training.step`), listing the labourers in jobs of
       limited capacity; over that list, the jobs held per group (those above capacity get their trim draw);
    2. :func:`ruralsim.labour.separations` (quits and jobs above capacity: ``lost``), listing the seekers; over
       the list of jobs of limited capacity, those lost and the post holders who search on the job; then
       training's enrolment among the seekers (:func:`_enrol`);
    3. over the seekers, their weighted demand per group (:func:`ruralsim.labour.search`'s first pass; jobs
       held after the separations are the counts of loop 1 less those lost), then :func:`ruralsim.labour.search`
       of the seekers and of the post holders; households with a labourer who lost a job (not for a post found
       at once) or fell ill off a migrant job get ``lost_hh``.

    Every row's step reads only its own row and group totals made before the loop, as in the NumPy reference's
    whole-array steps, so the interleaving changes no result (enrolment, before the separations in NumPy, comes
    after them: the eligible have no job to lose); the lists keep the row order, so group sums are added in row
    order. Enrolments per county go to ``enrolled``; without ``use_monitored`` no household has the monitored
    priority (the burn-in). Tests on a labourer's status, draws and group are selects and table look-ups rather than
    branches (they are unpredictable from row to row); a branch is left only for rare events (a graduation, an
    enrolment, a job lost, a household flagged). ``lost`` and ``lost_hh`` come in all False (the wrapper makes
    them). Draws read at a few rows come as readers (:func:`.pcg64_numba.read_uniform`), made at those rows only:
    ``u_place`` and ``u_kind`` read as the loop finds graduates and labourers who lost a job, ``u_enrol`` and
    ``u_trim`` at once for the lists of the eligible and of the jobs above capacity
    (:func:`.pcg64_numba.read_uniforms`)."""
    m = status.shape[0]
    n_c, n_v = county_capacity.shape[0], village_capacity.shape[0]
    n_slots = n_c + 2 * n_v  # jobs held: local per county, then workshop and post per village (_job_slot)
    held = np.zeros(n_slots, np.int64)
    slots = _slot_table(n_c, n_v)
    capped = np.empty(m, np.uint32)  # the labourers in a job of limited capacity (local, workshop, post)
    n_capped = 0
    for i in range(m):
        s = status[i]
        if train:
            if s == TRAINING:
                timer[i] -= 1
                if timer[i] <= 0:
                    skill[i] = min(skill[i] + 1, 2)
                    placed = _pcg.read_uniform(u_place, i) < placement and can_migrate(weak[i], age[i], mobility[i],
                                                                                       weak_cut, factor_60plus)
                    status[i] = MIGRANT if placed else OUT
                    s = status[i]
        capped[n_capped] = i
        n_capped += (s >= LOCAL) & (s <= POST)  # (codes LOCAL, WORKSHOP, POST)
    # The jobs held per group (_job_slot), over their list (the loop over all labourers reads no group column
    # and keeps no counter per group: faster).
    capped_slots = np.empty(n_capped, np.uint64)
    for j in range(n_capped):
        i = capped[j]
        slot = _job_slot(slots, status[i], county[i], village[i])
        capped_slots[j] = slot
        held[slot] += 1
    # Separations: the quit rate per status code and skill (any int8, read as uint8: the loop tests only the
    # status's range; -inf: no job to quit), the excess share per job slot.
    quit = np.full(8 * 256, f32(-np.inf), np.float32)
    for s in range(MIGRANT, 8):
        for k in range(256):
            quit[256 * s + k] = _quit_rate(s, k - 256 * (k >> 7), rate_mig, rate_local, skill_cut, rate_post,
                                           drop_started, drop)
    jobs = held.astype(np.float64)
    excess = np.empty(n_slots)
    excess[:n_c] = _excess(jobs[:n_c], county_capacity)
    excess[n_c:n_c + n_v] = _excess(jobs[n_c:n_c + n_v], village_capacity)
    excess[n_c + n_v:n_slots] = _excess(jobs[n_c + n_v:], post_quota)
    # Jobs above capacity end: the trim draw is read only there (excess > 0; a uniform is never below an excess
    # of 0), a few percent of rows, drawn for them only; ``lost`` marks them for the loop of separations.
    over, cuts = np.empty(n_capped, np.uint32), np.empty(n_capped)
    n_over = 0
    for j in range(n_capped):
        i = capped[j]
        cut = excess[capped_slots[j]]
        over[n_over] = i
        cuts[n_over] = cut
        n_over += cut > 0.0
    trims = _pcg.read_uniforms(u_trim, over[:n_over])
    for j in range(n_over):
        lost[over[j]] = np.float64(trims[j]) < cuts[j]
    seekers = np.empty(m, np.uint32)
    n_seek = 0
    for i in range(m):
        s, sk, a = status[i], skill[i], absent[i]
        if (s & -8) == 0:
            q = quit[256 * (s & 7) + (sk & 255)]
        else:  # a status outside the codes (none)
            q = (_quit_rate(s, sk, rate_mig, rate_local, skill_cut, rate_post, drop_started, drop)
                 if s >= MIGRANT else f32(-np.inf))
        if (u_sep[i] < q) | lost[i]:  # a quit, or a job above capacity
            lost[i] = True
            status[i] = FARM if _pcg.read_uniform(u_kind, i) < own_farm else OUT
            s = status[i]
            if a != 0:  # lost a job and will not search (its household flagged here, off the common path)
                lost_hh[lab_hh[i]] = True
        seekers[n_seek] = i
        n_seek += (s <= FARM) & (a == 0)  # a seeker (one who just lost a job included)
        if lost_ill[i]:  # fell ill off a migrant job
            lost_hh[lab_hh[i]] = True
    # Over the jobs of limited capacity: those lost are no longer held; the post holders who search on the job.
    holders = np.empty(n_capped, np.uint32)
    n_hold = 0
    on_the_job = post_search > 0
    for j in range(n_capped):
        i = capped[j]
        held[capped_slots[j]] -= lost[i]
        holders[n_hold] = i
        n_hold += (status[i] == POST) & (weak[i] == 0) & on_the_job & (absent[i] == 0)
    if train:
        n_seek = _enrol(seekers[:n_seek], status, timer, skill, age, lost, county, lab_hh, mon_state, u_enrol,
                        train_priority, base_rate, course_months, moved, cost, enrolled)
    d_local, d_workshop, d_post = np.zeros(n_c), np.zeros(n_v), np.zeros(n_v)
    for j in range(n_seek):
        i = seekers[j]
        h, v = np.uint64(lab_hh[i]), np.uint64(village[i])  # (unsigned: no test for a negative index)
        prio = priority if use_monitored & (mon_state[h] == MONITORED) else f32(1.0)
        wk = weak[i]
        d_local[np.uint64(county[i])] += np.float64(prio) * (1.0 - weak_local_cut * np.float64(wk))
        d_workshop[v] += np.float64(prio)
        cannot = (wk == 1) | (age[i] >= 60) | (chronic[h] == 1)
        d_post[v] += np.float64(prio * (post_weak if cannot else post_other))
    jobs = held.astype(np.float64)
    r_local = _rate(county_capacity - jobs[:n_c], d_local)
    r_workshop = _rate(village_capacity - jobs[n_c:n_c + n_v], d_workshop)
    r_post = _rate(post_quota - jobs[n_c + n_v:], d_post)
    for j in range(n_seek):
        i = seekers[j]
        h = lab_hh[i]
        s = _search_row(status[i], age[i], skill[i], weak[i], mobility[i], chronic[h],
                        use_monitored & (mon_state[h] == MONITORED), u_find[i], rate_find, bonus, weak_cut,
                        factor_50s, factor_60plus, priority, chronic_factor, fill, post_weak, post_other,
                        weak_local_cut, find_cap, r_local[county[i]], r_workshop[village[i]], r_post[village[i]])
        status[i] = s
        if lost[i] and s != POST:
            lost_hh[h] = True
    for j in range(n_hold):  # a post holder's on-the-job search for migrant work (see labour.search)
        i = holders[j]
        p_mig = rate_find * migrant_weight(skill[i], weak[i], age[i], mobility[i], chronic[lab_hh[i]], bonus,
                                           weak_cut, factor_50s, factor_60plus, chronic_factor)
        if u_find[i] < post_search * p_mig:
            status[i] = MIGRANT


@_jit
def _enrol(seekers, status, timer, skill, age, lost, county, lab_hh, mon_state, u_enrol, train_priority, base_rate,
           course_months, moved, cost, enrolled):
    """Training's enrolment (:meth:`ruralsim.programmes.Training.step`) among the ``seekers`` listed by the
    separations: the eligible (out of work or farming and not absent, not yet at the top skill, under 60) are
    the seekers who were out of work or farming before them (not ``lost``), so listed from the seekers rather
    than by a test in the loop over all labourers. The seekers who enrolled leave the list (kept in row order);
    returns how many remain."""
    n_c = enrolled.shape[0]
    cands = np.empty(seekers.shape[0], np.uint32)  # the eligible, in row order
    n_cand = 0
    for i in seekers:
        cands[n_cand] = i
        n_cand += (not lost[i]) & (skill[i] < 2) & (age[i] < 60)
    # Training: the county's normalised rate, plus what yuan moved from industry support buy (extra_rate);
    # a labourer enrols below the rate times the weight over the mean weight (thr_*: monitored or not).
    elig, mon = np.zeros(_LANES * n_c, np.int64), np.zeros(_LANES * n_c, np.int64)
    for j in range(n_cand):
        i = cands[j]
        k = (j & (_LANES - 1)) * n_c + county[i]
        elig[k] += 1
        mon[k] += mon_state[np.uint64(lab_hh[i])] == MONITORED
    eligible, monitored = np.zeros(n_c), np.zeros(n_c)
    for g in range(n_c):
        for k in range(_LANES):
            eligible[g] += elig[k * n_c + g]
            monitored[g] += mon[k * n_c + g]
    mean_w = np.ones(n_c)
    rate = np.full(n_c, base_rate)
    for g in range(n_c):
        if eligible[g] > 0:
            mean_w[g] = (train_priority * monitored[g] + (eligible[g] - monitored[g])) / eligible[g]
            if cost > 0:
                rate[g] = base_rate + moved[g] / (cost * eligible[g])
    thr_mon, thr_other = rate * train_priority / mean_w, rate / mean_w
    enrol_draws = _pcg.read_uniforms(u_enrol, cands[:n_cand])  # the draw is read at the eligible only
    n_enrolled = 0
    for j in range(n_cand):
        i = cands[j]
        c = np.uint64(county[i])
        if np.float64(enrol_draws[j]) < (thr_mon[c] if mon_state[np.uint64(lab_hh[i])] == MONITORED else thr_other[c]):
            status[i] = TRAINING
            timer[i] = course_months
            enrolled[c] += 1.0
            n_enrolled += 1
    if n_enrolled == 0:
        return seekers.shape[0]
    n_seek = 0
    for i in seekers:
        seekers[n_seek] = i
        n_seek += status[i] != TRAINING
    return n_seek


@_jit
def _slot_table(n_counties, n_villages):
    """Per status code (int8 as uint8) the job slot's offset and masks of county and village (_job_slot)."""
    t = np.zeros(3 * 256, np.int64)
    t[3 * LOCAL + 1] = -1
    for s in (WORKSHOP, POST):
        t[3 * s] = n_counties + (n_villages if s == POST else 0)
        t[3 * s + 2] = -1
    return t


@_jit
def _job_slot(slots, s, county, village):
    """Where a labourer in a job of limited capacity (status ``s``: local, workshop or post) counts among the
    jobs held (the one job count of the labour market, :func:`labour`): local jobs per county, then workshop
    jobs and posts per village. ``slots``: :func:`_slot_table` (a select per row, no branch)."""
    k = 3 * (s & 255)
    return np.uint64(slots[k] + (county & slots[k + 1]) + (village & slots[k + 2]))


@_jit
def _quit_rate(s, skill, rate_mig, rate_local, skill_cut, rate_post, drop_started, drop):
    """The monthly quit rate of a labourer in a job (``s`` >= MIGRANT, :func:`ruralsim.labour.separations`): the
    status's rate, lower with skill; migrants at least ``drop`` when a fall in demand starts."""
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
    return rate


@_jit
def _search_row(s, age, skill, weak, mobility, chronic, monitored, u, rate_mig, bonus, weak_cut, factor_50s,
                factor_60plus, priority, chronic_factor, fill, post_weak, post_other, weak_local_cut, find_cap,
                r_local, r_workshop, r_post):
    """:func:`ruralsim.labour.search` for one seeker of status ``s`` (out of work or farming, not absent): the
    chances of a post, a workshop job, a local job and a migrant job (capped in total), one draw ``u``.
    ``r_*``: the group's vacancies per unit of demand. Returns the new status."""
    p_mig = rate_mig * migrant_weight(skill, weak, age, mobility, chronic, bonus, weak_cut, factor_50s,
                                       factor_60plus, chronic_factor)
    prio = priority if monitored else f32(1.0)
    w_local = np.float64(prio) * (1.0 - weak_local_cut * np.float64(weak))
    p_loc = f32(fill * min(r_local * w_local, 1.0))
    p_ws = f32(fill * min(r_workshop * np.float64(prio), 1.0))
    cannot = (weak == 1) | (age >= 60) | (chronic == 1)  # labour.cannot_migrate
    w_post = prio * (post_weak if cannot else post_other)
    p_post = f32(fill * min(r_post * np.float64(w_post), 1.0))
    total = p_mig + p_loc + p_ws + p_post
    scale = find_cap / max(total, f32(1e-9)) if total > find_cap else f32(1.0)
    c1 = p_post * scale
    c2 = c1 + p_ws * scale
    c3 = c2 + p_loc * scale
    c4 = c3 + p_mig * scale
    # the first of post, workshop, local, migrant whose bound is above u (selects, last one first)
    new = MIGRANT if u < c4 else s
    new = LOCAL if u < c3 else new
    new = WORKSHOP if u < c2 else new
    return POST if u < c1 else new


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
    """:func:`ruralsim.labour.migrant_weight` of one labourer (float32; 0 when :func:`can_migrate` is false). The
    weight is computed either way and selected: whether a labourer can migrate is unpredictable from row to
    row, and a mispredicted branch costs more than the few multiplications."""
    one = f32(1.0)
    w = ((one + bonus * f32(skill)) * (factor_50s if age >= 50 else one)) * (chronic_factor if chronic == 1 else one)
    return w if can_migrate(weak, age, mobility, weak_cut, factor_60plus) else f32(0.0)


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
    """One labourer's wage (the rule of :func:`ruralsim.labour.wages`, for :func:`wages`); ``county_factor`` and
    ``village_wage`` are the labourer's county's and village's. :func:`incomes` looks the county's wage for the
    status up in a table instead and calls :func:`_wage_row` itself: one rule, two ways to find its base."""
    base = wage_mig if s == MIGRANT else (f32(wage_local * county_factor) if s == LOCAL else f32(0.0))
    return _wage_row(s, skill, absent, phi, base, village_wage, index, premium, wage_post)


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
            fi12, industry_pp, asset_pp, rent12, per_person, pension12, invest_pp, assist_share,
            operating, prop, transfer, medical, sums, counts, idle_intensity,
            skill, absent, phi, lab_village, wage_mig, wage_local, county_factor, village_wage, index, premium,
            wage_post, wage, east, u_east, p_east, west_v, weak, age):
    """East–west placements (``east``: :func:`ruralsim.simulation.phases.east_west.placement`, an idle, able
    western labourer under 60 placed in migrant work if its draw is below ``p_east``; ``west_v``: western villages;
    ``u_east``: a reader, :func:`.pcg64_numba.read_uniform`, read at those candidates only), then
    :meth:`ruralsim.model.RuralModel._incomes` (dividends excepted): each labourer's wage (:func:`wage_of`)
    summed per household into ``wage`` (float64 in row order, as ``np.bincount``; labourers are grouped by
    household), and the operating, property, transfer and medical flows; per-county sums in ``sums`` (rows:
    industry project returns as operating income, subsidies, 低保, medical assistance paid, insured people,
    post wages, workshop jobs, project returns as asset income, projects bought: ``invest_pp`` per person) and
    counts (monitored households that can work, 低保 households, assisted with a cost, post holders, workshop
    jobs, east–west placements)."""
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
    # East–west's candidates, listed without a branch (about 1% of labourers); their draws are read after the loop
    # and the few placed get their household's wages again (:func:`_place_east_west`).
    cands = np.empty(status.shape[0] if east else 0, np.uint32)
    n_cand = 0
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
            cands[n_cand] = i
            n_cand += (s <= FARM) & (a == 0) & (weak[i] == 0) & (age[i] < EAST_WEST_MAX_AGE)
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
    if east:
        counts[5] += _place_east_west(cands[:n_cand], u_east, p_east, status, lab_hh, lab_county, lab_village, skill,
                                      absent, phi, by_status, village_wage, index, premium, wage_post, acc, farming)
    for i in range(n):
        wage[i] = acc[i]
    c0 = c1 = c2 = 0
    k = county[0] if n > 0 else 0
    s0 = s1 = s2 = s3 = s4 = s7 = s8 = 0.0
    ind_k = industry_pp[np.uint32(k)] if n > 0 else 0.0
    ast_k = asset_pp[np.uint32(k)] if n > 0 else 0.0
    for i in range(n):
        if county[i] != k:
            _add_county(sums, k, s0, s1, s2, s3, s4, s7, s8)
            s0 = s1 = s2 = s3 = s4 = s7 = s8 = 0.0
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
        s8 += np.float64(f32(sz * invest_pp))
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
        _add_county(sums, k, s0, s1, s2, s3, s4, s7, s8)
    counts[0] += c0
    counts[1] += c1
    counts[2] += c2


@_jit
def _place_east_west(cands, u_east, p_east, status, lab_hh, lab_county, lab_village, skill, absent, phi, by_status,
                     village_wage, index, premium, wage_post, acc, farming):
    """East–west's placements among :func:`incomes`' candidates (idle, able western labourers) whose draw is
    below ``p_east``, after its loop over labourers: a placed labourer's household gets its wage sum (``acc``,
    in row order from 0.0 as that loop adds it) and its ``farming`` flag again, from its labourers' rows
    (labourers are grouped by household). Returns the number placed."""
    u = _pcg.read_uniforms(u_east, cands)
    m = status.shape[0]
    placed = 0
    for j in range(cands.shape[0]):
        if u[j] < p_east:
            placed += 1
            i = np.int64(cands[j])
            status[i] = MIGRANT
            hh = lab_hh[i]
            lo, hi = i, i + 1
            while lo > 0 and lab_hh[lo - 1] == hh:
                lo -= 1
            while hi < m and lab_hh[hi] == hh:
                hi += 1
            total = 0.0
            farm = False
            for r in range(lo, hi):
                s = status[r]
                w = _wage_row(s, skill[r], absent[r], phi[hh], by_status[np.uint32(lab_county[r]), np.uint8(s)],
                              village_wage[np.uint32(lab_village[r])], index, premium, wage_post)
                total += np.float64(w)
                farm |= s == FARM
            acc[hh] = total
            farming[hh] = farm
    return placed


@_jit
def _add_county(sums, k, s0, s1, s2, s3, s4, s7, s8):
    """A county's run of households' sums (projects' operating returns, subsidies, 低保, medical assistance,
    insured people, projects' asset returns, projects bought) into its column of :func:`incomes`' ``sums``."""
    sums[0, k] += s0
    sums[1, k] += s1
    sums[2, k] += s2
    sums[3, k] += s3
    sums[4, k] += s4
    sums[7, k] += s7
    sums[8, k] += s8

