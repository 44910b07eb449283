"""Numba kernels of the monthly household passes added since issue 10: the policy phase (monitoring,
grants, 兜底 enrolment and reviews, temporary help, placements), birthdays, household shocks, and the
migrant-market and registry metric parts.

Like :mod:`ruralsim.simulation.phases.kernels_numba` (whose conventions they follow), each is a translation of
its NumPy reference doing the same arithmetic in the same precision and order, so runs are bit-identical
(``tests/test_scale.py``); a phase becomes one or two loops over the chunk instead of a dozen NumPy
passes. Inputs are explicit arrays and scalars (lines and standards as scalars today; a per-county or
per-household line would be an array indexed in the loop). Wired in :mod:`ruralsim.simulation.phases.kernels`.
"""

from __future__ import annotations

import numpy as np

from . import pcg64_numba as _pcg  # its readers of draws made at the rows read only
from .categories import ILLNESS_CAUSE, NOT_ABLE
from .jit import _jit, f32
from .kernels_numba import can_migrate
from ..cohort.population import DIBAO, ELIMINATED, FARM, INACTIVE, MIGRANT, MONITORED, NONE, OUT, POST, SINGLE, TEKUN


# ---------------------------------------------------------------------------------------------
# Policy phase (references: RuralModel._policy, _dibao_reviews; Monitoring, IndustrySupport, Dibao,
# TemporaryAssistance in programmes.py). Python floats of the NumPy code meet float32 arrays as float32
# (NEP 50) and integer arrays as float64; the kernels pass them in that precision.
# ---------------------------------------------------------------------------------------------


@_jit
def _payment(cover, test, size, standard, tekun_standard, floor):
    """:meth:`ruralsim.programmes.Dibao._payment` for one household (float64 arithmetic, float32 result)."""
    if cover == NONE:
        return f32(0.0)
    people = 1.0 if cover == SINGLE else np.float64(size)
    level = tekun_standard if cover == TEKUN else standard
    per_person = max(max(level - test, 0.0) / 12.0, floor)
    return f32(per_person * people)


@_jit
def policy(wage, operating, transfer, prop, medical, inc_sum, ring, slot, size, n_lab, n_elderly, chronic, village,
           county, new_disaster, detection_prob, hardship_in, u_hardship, u_detect, oop, cover, dibao, mon_state,
           ever_monitored, identified, ill_risk, risk_months, safe_months, measures, episode, last_shock,
           last_shock_month, t, enabled, lines_v, detect_factor, hardship_share, rigid_share, detection_delay, placement_months,
           above_limit_line, eliminate_after, grant_cap, category, excl, sub_support, pension, work_ded, standard, tekun_standard,
           single_limit, dibao_floor, temp_amount, detected, sums, counts, job_lost, annual_due, data_due, dibao_exit,
           merged, data_rate, data_delay, self_rate, enrol, ch_counts, wait_hist, review, year_inc, year_med):
    """The household part of :meth:`ruralsim.model.RuralModel._policy` in one loop: triggers, identification
    and elimination (Monitoring.step), the one-off grant, enrolment in 兜底 of the newly identified, temporary
    assistance, and this month's slot of the income ring. Identification is by channel as
    :func:`ruralsim.simulation.phases.identification.month_channels` decides it (``ch_counts``, ``wait_hist``: the
    month's identified by channel code and their waits, from 2021). Per-county sums (rows: monitored households,
    grants, temporary assistance) go to ``sums``; ``counts``: monitored households, households in hardship.
    Labourers' placements follow in :func:`placements` (they read the episodes set here). The month's registry
    income (the slot's net income plus medical costs) and costs are added to the year's (``year_inc``,
    ``year_med``: :meth:`RuralModel._registry_year`, which closes the year in December). ``u_detect`` is a
    reader (:func:`.pcg64_numba.read_uniform`): the detection draw is read only where a channel's threshold is
    positive (a few percent of the rows), so it is made at those rows only."""
    n = size.shape[0]
    hshare32, rshare32, limit32 = f32(hardship_share), f32(rigid_share), f32(above_limit_line)
    twelve = f32(12.0)
    # Unlike the other kernels, branches pay here: the row's work is a long chain of dependent steps (incomes,
    # a division, tests), and a predicted branch lets the next rows start before it ends (selects measured
    # slower). So the usual rows (not monitored, no channel's threshold, not detected) skip what they need not do.
    #
    # The month's net income and the annual income first, in a loop the compiler vectorises, kept in this month's
    # slot of the ring and in inc_sum (both rewritten below: the slot with the grant and help added, inc_sum from
    # the ring).
    this = ring[slot]
    for i in range(n):
        net = wage[i] + operating[i] + transfer[i] + prop[i] - medical[i]
        inc_sum[i] = inc_sum[i] - this[i] + net
        this[i] = net
    for i in range(n):
        k, v = np.uint32(county[i]), np.uint32(village[i])  # unsigned: no negative-index wraparound code
        net = this[i]
        annual = inc_sum[i]
        pc = annual / f32(size[i])
        sudden = hardship_in[i] or (new_disaster[v] and u_hardship[i] < hshare32)
        # Monitoring.step
        able = n_lab[i] > 0
        cv = cover[i]
        covered = cv != NONE
        guaranteed = cv == DIBAO or cv == TEKUN
        rigid = oop[i] > rshare32 * max(annual, f32(1.0))
        low = pc < lines_v[v] and not guaranteed  # the village's line (places.monitoring_lines)
        at_risk = low or rigid or sudden
        risk_months[i] = min(risk_months[i] + 1, 120) if low else 0
        det = False
        if enabled:
            ch = 0
            if mon_state[i] == MONITORED:
                episode[i] = max(episode[i] - 1, 0)
            else:
                episode[i] = 0
                yearly = annual_due[i] == t
                signal = rigid or sudden or (job_lost[i] and low)
                if merged:
                    signal = signal or low
                if signal and data_due[i] < t:
                    data_due[i] = t + data_delay
                ripe = data_due[i] == t
                trig = risk_months[i] > detection_delay or rigid or sudden
                if ripe or trig:
                    u = np.float64(_pcg.read_uniform(u_detect, i))
                    p_data = data_rate if ripe else 0.0
                    p_self = self_rate if trig else 0.0
                    p_cadre = min(np.float64(detection_prob[v]) * detect_factor, 1.0) if trig else 0.0
                    t1 = p_data
                    t2 = t1 + (1.0 - t1) * p_self
                    t3 = t2 + (1.0 - t2) * p_cadre
                    if u < t1:
                        ch = 4
                    elif u < t2:
                        ch = 2
                    elif u < t3:
                        ch = 3
                # else every threshold is 0 (the usual case): a uniform is never below 0, so no channel
                if yearly:
                    ch = 1
                    annual_due[i] = -32768
                if ripe or ch > 0:
                    data_due[i] = -32768
            det = ch > 0
            if det and t >= 0:
                ch_counts[ch] += 1
                wait_hist[min(risk_months[i], wait_hist.shape[0] - 1)] += 1
            if det:
                mon_state[i] = MONITORED
                ever_monitored[i] = 1
                safe_months[i] = 0
                measures[i] = 0
                episode[i] = placement_months if able else 0
                if t >= 0:
                    identified[i] = 1
                    ill_recently = last_shock[i] == 1 and t - last_shock_month[i] <= 12
                    if rigid or chronic[i] == 1 or ill_recently:
                        ill_risk[i] = 1
            if mon_state[i] == MONITORED:
                above_limit = pc >= limit32
                stable = (not at_risk) if (able or above_limit) else guaranteed
                if stable and not det:
                    safe_months[i] = min(safe_months[i] + 1, 120)
                else:
                    safe_months[i] = 0
                measured = measures[i] > 0 or covered
                if safe_months[i] >= eliminate_after and measured and review:
                    mon_state[i] = ELIMINATED
                else:
                    sums[0, k] += 1.0
                    counts[0] += 1
            else:
                safe_months[i] = 0
        elif mon_state[i] == MONITORED:
            sums[0, k] += 1.0
            counts[0] += 1
        detected[i] = det
        grant = f32(0.0)
        temp = f32(0.0)
        if not det:
            # Adding their zero grant and help changes only a -0.0: the other rows are not written.
            if operating[i] == 0:
                operating[i] += grant
            if transfer[i] == 0:
                transfer[i] += temp
            this[i] = net + grant + temp
            continue
        hard = rigid or sudden
        # IndustrySupport.grant
        if able:
            grant = grant_cap[category[i] // 2]  # times the package factor by capacity (categories.grant_factors)
            measures[i] = min(measures[i] + 1, 100)
            # Added only when paid: a county sum updated on every row is a chain of dependent stores.
            sums[1, k] += np.float64(grant)
        operating[i] += grant
        # Dibao.enrol_detected on Dibao.test_income
        if enrol and cv != DIBAO and cv != TEKUN:
            sz = np.float64(size[i])
            left_out = excl * (sub_support * sz + np.float64(n_elderly[i]) * pension) + work_ded * np.float64(n_lab[i])
            test = (np.float64(annual + grant - twelve * dibao[i]) - left_out) / sz
            elderly_only = n_elderly[i] >= size[i] and not able
            limit = standard if able else single_limit * standard
            new_cover = NONE
            if elderly_only and test < tekun_standard:
                new_cover = TEKUN
            elif test < limit:
                new_cover = DIBAO
            if new_cover != NONE:
                cover[i] = new_cover
                dibao[i] = _payment(new_cover, test, size[i], standard, tekun_standard, dibao_floor)
                dibao_exit[i] = 0
        # TemporaryAssistance.pay
        if hard:
            temp = temp_amount
            measures[i] = min(measures[i] + 1, 100)
            counts[1] += 1
            sums[2, k] += np.float64(temp)
        transfer[i] += temp
        this[i] = net + grant + temp
    # The rolling income: each household's twelve slots added in slot order (as NumPy's sum over axis 0), in one
    # loop over rows the compiler vectorises (twelve streams read once: faster than a pass per slot, which read and
    # wrote inc_sum twelve times), with the month's registry income added to the year's. The slots are indexed one
    # by one (unpacking the ring gives views of unknown layout, which do not vectorise).
    s0, s1, s2, s3, s4, s5, s6, s7 = ring[0], ring[1], ring[2], ring[3], ring[4], ring[5], ring[6], ring[7]
    s8, s9, s10, s11 = ring[8], ring[9], ring[10], ring[11]
    this = ring[slot]
    for i in range(n):
        inc_sum[i] = ((((((((((s0[i] + s1[i]) + s2[i]) + s3[i]) + s4[i]) + s5[i]) + s6[i]) + s7[i]) + s8[i]) + s9[i])
                      + s10[i]) + s11[i]
        year_inc[i] += this[i] + medical[i]
        year_med[i] += medical[i]


@_jit
def episode_households(mon_state, episode):
    """The households in a placement episode (monitored, ``episode > 0``), ascending: whose labourers
    :func:`placements` visits (and whose labourers' draws are made)."""
    n = mon_state.shape[0]
    # Listed without branches (which rows are is unpredictable; a branch per row mispredicted often).
    rows = np.empty(n, np.int64)
    k = 0
    for h in range(n):
        rows[k] = h
        k += (mon_state[h] == MONITORED) & (episode[h] > 0)
    return rows[:k]


@_jit
def categorise(first, step, full_labourers, n_lab, chronic, last_shock, last_shock_month, t, category):
    """:func:`ruralsim.simulation.phases.categories.update` for the rows ``first::step``: the category from the
    labour capacity and the risk type (:func:`categories.categorise`), in one pass without NumPy's temporaries."""
    # Arithmetic on the tests (no branch to mispredict) and an unsigned index (no negative-index wraparound code):
    # the loop over a whole chunk (monthly reviews) vectorises.
    for r in range(first, category.shape[0], step):
        i = np.uint64(r)
        full, labour = full_labourers[i] > 0, n_lab[i] > 0
        capacity = NOT_ABLE - np.int64(full | labour) - np.int64(full)  # ABLE, PARTLY or NOT_ABLE
        ill_recently = (last_shock[i] == ILLNESS_CAUSE) & (t - last_shock_month[i] <= 12)
        category[i] = 2 * capacity + np.int64((chronic[i] == 1) | ill_recently)


@_jit
def placements(status, absent, weak, age, mobility, weak_cut, factor_60plus, lab_first, lab_village, post_quota,
               rows, measures, u_assist, p_weak, p_full, factor_cap, category):
    """:meth:`ruralsim.programmes.Monitoring.place`: idle labourers of households in a placement episode are
    placed (weak ones in a post, others by guided migration); each household placed counts a measure once.
    A weak labourer is placed only where the village's post quota is positive; the threshold is multiplied
    by the household's package factor (``factor_cap`` by capacity, categories.placement_factors). Only the
    households in an episode (``rows``: :func:`episode_households`) are visited, their labourers (rows
    ``lab_first[h]:lab_first[h + 1]``) in row order; the draw ``u_assist`` is a reader
    (:func:`.pcg64_numba.read_uniform`), read at the labourers who may be placed only. Returns the number placed."""
    placed = 0
    k = rows.shape[0]
    for q in range(k):
        h = rows[q]
        counted = False  # a household's measure counts once
        for j in range(lab_first[h], lab_first[h + 1]):
            s = status[j]
            if (s == OUT or s == FARM) and absent[j] == 0 and (weak[j] == 0 or post_quota[lab_village[j]] > 0):
                # an able labourer who cannot migrate (labour.can_migrate) is placed only in a post, where there are posts
                to_post = weak[j] == 1 or not can_migrate(weak[j], age[j], mobility[j], weak_cut, factor_60plus)
                if to_post and post_quota[lab_village[j]] <= 0:
                    continue
                threshold = (p_weak if weak[j] == 1 else p_full) * factor_cap[category[h] // 2]
                if _pcg.read_uniform(u_assist, j) < threshold:
                    status[j] = POST if to_post else MIGRANT
                    placed += 1
                    if not counted:
                        measures[h] = min(measures[h] + 1, 100)
                        counted = True
    return placed


@_jit
def dibao_review(first, step, inc_sum, dibao, cover, size, n_lab, n_elderly, chronic, mon_state, u_takeup, u_single,
                 use_no_draw, no_draw, excl, sub_support, pension, work_ded, standard, tekun_standard, tekun_takeup,
                 dibao_takeup, single_limit, single_takeup, dibao_floor, dibao_exit, exit_months, enrol):
    """:meth:`ruralsim.model.RuralModel._dibao_reviews`: the month's gradual exits over every row
    (Dibao.exits), then the means test of rows ``first::step`` (the month's) (Dibao.test_income, then
    Dibao.review). ``no_draw`` (read when ``use_no_draw``): households enrolled without the take-up draw
    (categories.no_draw), over the chunk's whole rows."""
    twelve = f32(12.0)
    tk, dk, sk = f32(tekun_takeup), f32(dibao_takeup), f32(single_takeup)
    for i in range(size.shape[0]):
        if dibao_exit[i] > 0:
            dibao_exit[i] -= 1
            if dibao_exit[i] == 0:
                cover[i] = NONE
                dibao[i] = f32(0.0)
    for i in range(first, size.shape[0], step):
        sz = np.float64(size[i])
        left_out = excl * (sub_support * sz + np.float64(n_elderly[i]) * pension) + work_ded * np.float64(n_lab[i])
        test = (np.float64(inc_sum[i] - twelve * dibao[i]) - left_out) / sz
        # & and |, not and/or: a short-circuit on a loaded value is a branch, unpredictable from row to row.
        elderly_only = (n_lab[i] == 0) & (n_elderly[i] >= size[i])
        enrolled = cover[i] != NONE
        helped = ((mon_state[i] == MONITORED) & enrol) | (use_no_draw and no_draw[i]) | enrolled
        u = u_takeup[i]
        tekun = elderly_only & (test < tekun_standard) & ((u < tk) | helped)
        db = (not tekun) & (test < standard) & ((u < dk) | helped)
        single = ((not tekun) & (not db) & (n_lab[i] > 0) & (chronic[i] == 1) & (test < single_limit * standard)
                  & ((u_single[i] < sk) | enrolled))
        cv = TEKUN if tekun else (DIBAO if db else (SINGLE if single else NONE))
        if enrolled and cv == NONE and exit_months > 0:  # 渐退: keep cover and payment for the exit period
            if dibao_exit[i] <= 0:
                dibao_exit[i] = exit_months
            continue
        dibao_exit[i] = 0
        cover[i] = cv
        dibao[i] = _payment(cv, test, size[i], standard, tekun_standard, dibao_floor)


# ---------------------------------------------------------------------------------------------
# Demography (reference: ruralsim.demography.year_of_life)
# ---------------------------------------------------------------------------------------------
@_jit
def year_of_life(first_lab, step_lab, first_hh, step_hh, status, age, weak, skill, absent, timer, lab_hh, size,
                 n_lab, n_elderly, full_labourers, hardship, head_age, u_death, u_elder, u_coming, q_age, q_any,
                 p_young, retirement_age, lab_first):
    """:func:`ruralsim.demography.year_of_life` for the labourer rows ``first_lab::step_lab`` and household
    rows ``first_hh::step_hh`` (the month's birthdays), aged in the loops that visit them (int8 sums, as
    NumPy's). The probabilities come as tables made by NumPy (so they are NumPy's numbers): ``q_age[age]``
    (death), ``q_any[age, elderly]`` (one of the elderly dies), ``p_young[young]`` (one young member comes of
    working age)."""
    m, n = status.shape[0], size.shape[0]
    # Labourers: who dies (kind 1) and who retires (kind 2) is decided on the households' sizes before this
    # month's deaths; the few who do are listed (by selects: the tests are unpredictable from row to row).
    leaving = np.empty(max(0, (m - first_lab + step_lab - 1) // step_lab), np.int64)
    kinds = np.empty(leaving.shape[0], np.int8)
    k = 0
    for j in range(first_lab, m, step_lab):
        a = min(np.int8(age[j] + 1), np.int8(120))
        age[j] = a
        active = status[j] != INACTIVE
        dies = active & (np.float64(u_death[j]) < q_age[a]) & (size[lab_hh[j]] >= 2)
        retires = active & (not dies) & (a >= retirement_age)
        leaving[k] = j
        kinds[k] = 2 if retires else 1
        k += dies | retires
    for t in range(k):
        j = leaving[t]
        h = lab_hh[j]
        if kinds[t] == 1:
            size[h] -= 1
            hardship[h] = True
        else:
            n_elderly[h] += 1
        n_lab[h] -= 1
        if weak[j] == 0:
            full_labourers[h] -= 1
        status[j] = INACTIVE
        absent[j] = 0
        timer[j] = 0
    # Households: an elderly member may die; a young one may come of working age (those are listed).
    coming = np.empty(max(0, (n - first_hh + step_hh - 1) // step_hh), np.int64)
    k = 0
    for i in range(first_hh, n, step_hh):
        head = min(np.int8(head_age[i] + 1), np.int8(120))
        head_age[i] = head
        elderly, sz = n_elderly[i], size[i]
        dies = (elderly > 0) & (sz >= 2) & (np.float64(u_elder[i]) < q_any[max(head, 70), elderly])
        size[i] = sz - dies
        n_elderly[i] = elderly - dies
        young = max(np.int64(size[i]) - n_lab[i] - n_elderly[i], 0)
        coming[k] = i
        k += np.float64(u_coming[i]) < p_young[young]
    for t in range(k):  # the first free row of each such household is taken
        h = coming[t]
        for j in range(lab_first[h], lab_first[h + 1]):
            if status[j] == INACTIVE:
                status[j] = OUT
                age[j] = 18
                weak[j] = 0
                skill[j] = 0
                n_lab[h] += 1
                full_labourers[h] += 1
                break


# ---------------------------------------------------------------------------------------------
# Household shocks (reference: ruralsim.shocks). What uses exp/log stays in NumPy, on the few rows hit.
# ---------------------------------------------------------------------------------------------
@_jit
def illness_events(u_event, prob, size, chronic, head_age, event):
    """:func:`ruralsim.shocks.illness`'s episodes: ``event`` (each household's, written whole) and the ill
    households' rows (the table ``prob`` is NumPy's). An episode is listed by a select, not a branch (a few
    percent of rows, unpredictable)."""
    n = size.shape[0]
    rows = np.empty(n, np.int64)
    k = 0
    for i in range(n):
        cell = (np.int64(size[i]) * 2 + np.int64(chronic[i])) * 128 + np.int64(head_age[i])
        ill = np.float64(u_event[i]) < prob[cell]
        event[i] = ill
        rows[k] = i
        k += ill
    return rows[:k]


@_jit
def absence_rows(households, lab_first, n_lab, u_lab):
    """:func:`ruralsim.shocks.illness_absence`'s choice of one labourer per ill household: each labourer of the ill
    ``households`` (ascending; their labourers are the rows ``lab_first[h]:lab_first[h + 1]``) is sent off work
    when its draw is below one over the household's labourers. ``u_lab`` is a reader
    (:func:`.pcg64_numba.read_uniform`), read at those labourers only. Returns the rows sent off, in row order
    (kept by a select, not a branch)."""
    total = 0
    for h in households:
        total += lab_first[h + 1] - lab_first[h]
    rows = np.empty(total, np.int64)
    k = 0
    for h in households:
        share = 1.0 / max(np.int64(n_lab[h]), 1)
        for j in range(lab_first[h], lab_first[h + 1]):
            rows[k] = j
            k += np.float64(_pcg.read_uniform(u_lab, j)) < share
    return rows[:k]


@_jit
def tick_absences(absent):
    """A month off work less for everyone absent (``np.maximum(absent - 1, 0)`` without its temporary)."""
    for j in range(absent.shape[0]):
        absent[j] = max(absent[j] - 1, 0)


@_jit
def chronic(chronic_flag, head_age, u_onset, u_end, onset_rate, age_factor, end_rate):
    """:func:`ruralsim.shocks.chronic`: onsets rising with the head's age over 60, recoveries at a flat rate
    (float32, as NumPy's weak Python scalars make it)."""
    for i in range(chronic_flag.shape[0]):
        over60 = max(f32(head_age[i]) - f32(60.0), f32(0.0))
        onset = u_onset[i] < onset_rate * (f32(1.0) + age_factor * over60)
        if onset:
            chronic_flag[i] = 1
        elif chronic_flag[i] == 1 and u_end[i] < end_rate:
            chronic_flag[i] = 0
