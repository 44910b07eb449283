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
           rate_mig, bonus, weak_cut, factor_50s, factor_60plus, priority, county_capacity, village_capacity, post_quota,
           chronic_factor, fill, post_weak, post_other, weak_local_cut, find_cap, post_search):
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
            d_local[county[i]] += np.float64(prio) * (1.0 - weak_local_cut * np.float64(weak[i]))
            d_workshop[village[i]] += np.float64(prio)
            d_post[village[i]] += np.float64(prio * (post_weak if weak[i] == 1 else post_other))
    r_local = _rate(county_capacity - local, d_local)
    r_workshop = _rate(village_capacity - workshop, d_workshop)
    r_post = _rate(post_quota - post, d_post)
    for i in range(m):
        holder = status[i] == POST and weak[i] == 0 and post_search > 0
        if (status[i] > FARM and not holder) or absent[i] != 0:
            continue
        age_cut = factor_60plus if age[i] >= 60 else (factor_50s if age[i] >= 50 else f32(1.0))
        p_mig = (rate_mig * (f32(1.0) + bonus * f32(skill[i])) * (f32(1.0) - weak_cut * f32(weak[i]))
                 * age_cut * (chronic_factor if chronic[lab_hh[i]] == 1 else f32(1.0)))
        if holder:  # on-the-job search for migrant work (see labour.search)
            if u_find[i] < post_search * p_mig:
                status[i] = MIGRANT
            continue
        prio = priority if monitored_hh[lab_hh[i]] else f32(1.0)
        w_local = np.float64(prio) * (1.0 - weak_local_cut * np.float64(weak[i]))
        p_loc = f32(fill * min(r_local[county[i]] * w_local, 1.0))
        p_ws = f32(fill * min(r_workshop[village[i]] * np.float64(prio), 1.0))
        w_post = prio * (post_weak if weak[i] == 1 else post_other)
        p_post = f32(fill * min(r_post[village[i]] * np.float64(w_post), 1.0))
        total = p_mig + p_loc + p_ws + p_post
        scale = find_cap / max(total, f32(1e-9)) if total > find_cap else f32(1.0)
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


# ---------------------------------------------------------------------------------------------
# Household phases (references: RuralModel._incomes, _status and _metric_parts)
# ---------------------------------------------------------------------------------------------
@_jit
def incomes(status, lab_hh, lab_county, wage_l, size, n_lab, n_elderly, land, pooled, farm_q, coop, crop_mu, village,
            county, mon_state, dibao, insured, oop, disaster_left, grower_price, keep_after_disaster, cost_share, rev,
            fi12, industry_base, grant, rent12, per_person, pension12, assist_share,
            operating, prop, transfer, medical, sums, counts, idle_intensity):
    """:meth:`ruralsim.model.RuralModel._incomes` after wages (dividends excepted): writes the operating,
    property, transfer and medical flows; per-county sums in ``sums`` (rows: industry, subsidies, 低保,
    medical assistance paid, insured people, post wages, workshop jobs) and counts (grant recipients,
    低保 households, assisted with a cost, post holders, workshop jobs)."""
    n = size.shape[0]
    farming = np.zeros(n, np.bool_)
    for i in range(status.shape[0]):
        s = status[i]
        if s == FARM:
            farming[lab_hh[i]] = True
        elif s == POST:
            sums[5, lab_county[i]] += np.float64(wage_l[i])
            counts[3] += 1
        elif s == WORKSHOP:
            sums[6, lab_county[i]] += 1.0
            counts[4] += 1
    for i in range(n):
        k = county[i]
        # Operating: own farm (less pooled land), specialty crop, industry support and grants.
        land_own = land[i] - pooled[i]
        own = (land_own * (f32(1.0) if farming[i] else idle_intensity)) * farm_q[i]
        specialty = 0.0
        if coop[i] >= 0:
            specialty = np.float64(crop_mu[i] * rev) * (grower_price[coop[i]] - cost_share)
        loss = keep_after_disaster if disaster_left[village[i]] > 0 else 1.0
        able = mon_state[i] == MONITORED and n_lab[i] > 0
        industry = f32(industry_base * np.float64(size[i]) + (grant if able else 0.0))
        sums[0, k] += np.float64(industry)
        if able:
            counts[0] += 1
        operating[i] = f32((np.float64(own) + specialty) * fi12 * loss + np.float64(industry))
        prop[i] = pooled[i] * rent12
        # Transfers: targeted subsidies, pensions, 低保.
        subsidy = f32(np.float64(size[i]) * per_person)
        sums[1, k] += np.float64(subsidy)
        sums[2, k] += np.float64(dibao[i])
        if dibao[i] > 0:
            counts[1] += 1
        transfer[i] = f32(np.float64(subsidy) + np.float64(n_elderly[i]) * pension12 + np.float64(dibao[i]))
        # Medical out-of-pocket after assistance for monitored and 低保 households.
        paid = f32(0.0)
        if mon_state[i] == MONITORED or dibao[i] > 0:
            paid = oop[i] * assist_share
            if oop[i] > 0:
                counts[2] += 1
        sums[3, k] += np.float64(paid)
        if insured[i] == 1:
            sums[4, k] += np.float64(size[i])
        medical[i] = oop[i] - paid


@_jit
def status(wage, operating, transfer, prop, medical, coop, grower_price, event, inc_sum, size, village, county, new_disaster, lost_jobs, last_shock,
           last_shock_month, below, ever_below, spell, mon_state, ever_monitored, state3, dibao, insured, t,
           poverty_line, monitoring_line, n_villages, low, high, bin_width, comp, inc_county, falls, spell_hist,
           transitions, hist, counts, price_threshold, illness_share):
    """:meth:`ruralsim.model.RuralModel._status` and :meth:`_metric_parts` for households: causes, falls,
    spells, transitions, and the month's per-household metric parts. ``comp`` gets the per-county sums
    of the five flows, ``inc_county`` of the rolling income; ``counts``: people below the poverty and
    monitoring lines, ever below, monitored, eliminated, ever monitored, 低保 and insured households,
    reentries, recoveries, detected is left to the caller, and (last) villages with mass return."""
    n = size.shape[0]
    line32, mline32 = f32(poverty_line), f32(monitoring_line)
    hh_v = np.zeros(n_villages, np.int64)
    down_v = np.zeros(n_villages, np.int64)
    people_below = people_below_m = n_ever_below = n_monitored = n_eliminated = 0
    n_ever_monitored = n_dibao = n_insured = 0
    k = county[0] if n > 0 else 0
    a0 = a1 = a2 = a3 = a4 = a5 = 0.0  # this county's running sums (rows are sorted by county)
    for i in range(n):
        if county[i] != k:
            _flush(comp, inc_county, k, a0, a1, a2, a3, a4, a5)
            k = county[i]
            a0 = a1 = a2 = a3 = a4 = a5 = 0.0
        a0 += np.float64(wage[i])
        a1 += np.float64(operating[i])
        a2 += np.float64(transfer[i])
        a3 += np.float64(prop[i])
        a4 += np.float64(medical[i])
        # This month's shocks; the most telling one wins when several coincide.
        code = -1
        if coop[i] >= 0 and grower_price[coop[i]] < price_threshold:
            code = 3  # PRICE
        if new_disaster[village[i]]:
            code = 4  # DISASTER
        if lost_jobs[i]:
            code = 2  # JOB_LOSS
        if event[i] and medical[i] > illness_share * max(inc_sum[i], f32(1.0)):
            code = 1  # ILLNESS
        if code >= 0:
            last_shock[i] = code
            last_shock_month[i] = t
        pc = inc_sum[i] / f32(size[i])
        was = below[i]
        now = pc < line32
        if now and not was:
            cause = last_shock[i] if t - last_shock_month[i] <= 12 else 0
            falls[cause] += 1
            if ever_below[i]:
                counts[8] += 1
        if was and not now:
            counts[9] += 1
            spell_hist[min(spell[i], 60)] += 1
        spell[i] = spell[i] + 1 if now else 0
        ever_below[i] = ever_below[i] or now
        below[i] = now
        new3 = 2 if now else (1 if mon_state[i] == MONITORED else 0)
        transitions[state3[i] * 3 + new3] += 1
        state3[i] = new3
        # Metric parts (branch-free: the flags are random across rows).
        a5 += np.float64(inc_sum[i])
        x = min(max(pc, low), high)
        hist[np.int32((x - low) / bin_width)] += np.float64(size[i])
        people_below += size[i] * now
        people_below_m += size[i] * (pc < mline32)
        n_ever_below += ever_below[i]
        n_monitored += mon_state[i] == MONITORED
        n_eliminated += mon_state[i] == 2
        n_ever_monitored += ever_monitored[i] != 0
        n_dibao += dibao[i] != 0
        n_insured += insured[i] != 0
        hh_v[village[i]] += 1
        down_v[village[i]] += now
    if n > 0:
        _flush(comp, inc_county, k, a0, a1, a2, a3, a4, a5)
    counts[0] += people_below
    counts[1] += people_below_m
    counts[2] += n_ever_below
    counts[3] += n_monitored
    counts[4] += n_eliminated
    counts[5] += n_ever_monitored
    counts[6] += n_dibao
    counts[7] += n_insured
    return hh_v, down_v


@_jit
def _flush(comp, inc_county, k, a0, a1, a2, a3, a4, a5):
    comp[0, k] += a0
    comp[1, k] += a1
    comp[2, k] += a2
    comp[3, k] += a3
    comp[4, k] += a4
    inc_county[k] += a5


@_jit
def labour_counts(status, skill):
    """Employed, migrant, workshop, post and trained labourers (for the month's metrics)."""
    by_status = np.zeros(8, np.int64)
    trained = 0
    for i in range(status.shape[0]):
        by_status[status[i]] += 1
        trained += skill[i] != 0
    out = np.zeros(5, np.int64)
    out[0] = by_status[MIGRANT] + by_status[LOCAL] + by_status[WORKSHOP] + by_status[POST]
    out[1], out[2], out[3], out[4] = by_status[MIGRANT], by_status[WORKSHOP], by_status[POST], trained
    return out


# ---------------------------------------------------------------------------------------------
# Policy phase (references: RuralModel._policy, _dibao_reviews; Monitoring, IndustrySupport, Dibao,
# TemporaryAssistance in programmes.py). Python floats of the NumPy code meet float32 arrays as float32
# (NEP 50) and integer arrays as float64; the kernels pass them in that precision.
# ---------------------------------------------------------------------------------------------
_NONE, _DIBAO, _SINGLE, _TEKUN = 0, 1, 2, 3
_ELIMINATED = 2


@_jit
def _payment(cover, test, size, standard, tekun_standard, floor):
    """:meth:`ruralsim.programmes.Dibao._payment` for one household (float64 arithmetic, float32 result)."""
    if cover == _NONE:
        return f32(0.0)
    people = 1.0 if cover == _SINGLE else np.float64(size)
    level = tekun_standard if cover == _TEKUN else standard
    per_person = max(max(level - test, 0.0) / 12.0, floor)
    return f32(per_person * people)


@_jit
def policy(wage, operating, transfer, prop, medical, inc_sum, ring, slot, size, n_lab, n_elderly, chronic, village,
           county, new_disaster, detection_prob, hardship_in, u_hardship, u_detect, oop, cover, dibao, mon_state,
           ever_monitored, identified, ill_risk, risk_months, safe_months, measures, episode, last_shock,
           last_shock_month, t, enabled, line, hardship_share, rigid_share, detection_delay, placement_months,
           above_limit_line, eliminate_after, grant_amount, excl, sub_support, pension, standard, tekun_standard,
           single_limit, dibao_floor, temp_amount, detected, sums, counts):
    """The household part of :meth:`ruralsim.model.RuralModel._policy` in one loop: triggers, identification
    and elimination (Monitoring.step), the one-off grant, enrolment in 兜底 of the newly identified, temporary
    assistance, and this month's slot of the income ring. Per-county sums (rows: monitored households,
    grants, temporary assistance) go to ``sums``; ``counts``: monitored households, households in hardship.
    Labourers' placements follow in :func:`placements` (they read the episodes set here)."""
    n = size.shape[0]
    line32, hshare32, rshare32, limit32 = f32(line), f32(hardship_share), f32(rigid_share), f32(above_limit_line)
    twelve = f32(12.0)
    for i in range(n):
        k = county[i]
        net = wage[i] + operating[i] + transfer[i] + prop[i] - medical[i]
        annual = inc_sum[i] - ring[slot, i] + net
        pc = annual / f32(size[i])
        sudden = hardship_in[i] or (new_disaster[village[i]] and u_hardship[i] < hshare32)
        # Monitoring.step
        able = n_lab[i] > 0
        cv = cover[i]
        covered = cv != _NONE
        guaranteed = cv == _DIBAO or cv == _TEKUN
        rigid = oop[i] > rshare32 * max(annual, f32(1.0))
        low = pc < line32 and not guaranteed
        at_risk = low or rigid or sudden
        risk_months[i] = min(risk_months[i] + 1, 120) if low else 0
        det = False
        if enabled:
            episode[i] = max(episode[i] - 1, 0) if mon_state[i] == MONITORED else 0
            candidate = mon_state[i] != MONITORED and (risk_months[i] > detection_delay or rigid or sudden)
            det = candidate and u_detect[i] < detection_prob[village[i]]
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
            monitored = mon_state[i] == MONITORED
            above_limit = pc >= limit32
            stable = (not at_risk) if (able or above_limit) else guaranteed
            if monitored and stable and not det:
                safe_months[i] = min(safe_months[i] + 1, 120)
            else:
                safe_months[i] = 0
            measured = measures[i] > 0 or covered
            if monitored and safe_months[i] >= eliminate_after and measured:
                mon_state[i] = _ELIMINATED
        detected[i] = det
        if mon_state[i] == MONITORED:
            sums[0, k] += 1.0
            counts[0] += 1
        hard = det and (rigid or sudden)
        # IndustrySupport.grant
        grant = f32(0.0)
        if det and able:
            grant = grant_amount
            measures[i] = min(measures[i] + 1, 100)
        sums[1, k] += np.float64(grant)
        operating[i] += grant
        # Dibao.enrol_detected on Dibao.test_income
        if det and cv != _DIBAO and cv != _TEKUN:
            sz = np.float64(size[i])
            left_out = excl * (sub_support * sz + np.float64(n_elderly[i]) * pension)
            test = (np.float64(annual + grant - twelve * dibao[i]) - left_out) / sz
            elderly_only = n_elderly[i] >= size[i] and not able
            limit = standard if able else single_limit * standard
            new_cover = _NONE
            if elderly_only and test < tekun_standard:
                new_cover = _TEKUN
            elif test < limit:
                new_cover = _DIBAO
            if new_cover != _NONE:
                cover[i] = new_cover
                dibao[i] = _payment(new_cover, test, size[i], standard, tekun_standard, dibao_floor)
        # TemporaryAssistance.pay
        temp = f32(0.0)
        if hard:
            temp = temp_amount
            measures[i] = min(measures[i] + 1, 100)
            counts[1] += 1
        sums[2, k] += np.float64(temp)
        transfer[i] += temp
        ring[slot, i] = net + grant + temp
        acc = ring[0, i]
        for s in range(1, ring.shape[0]):
            acc += ring[s, i]
        inc_sum[i] = acc


@_jit
def placements(status, absent, weak, lab_hh, mon_state, episode, measures, draw, p_weak, p_full):
    """:meth:`ruralsim.programmes.Monitoring.place`: idle labourers of households in a placement episode are
    placed (weak ones in a post, others by guided migration); each household placed counts a measure once.
    Returns the number placed."""
    placed = 0
    last = -1  # labourers are grouped by household: count a household's measure once
    for j in range(status.shape[0]):
        h = lab_hh[j]
        s = status[j]
        if (s == OUT or s == FARM) and absent[j] == 0 and mon_state[h] == MONITORED and episode[h] > 0:
            if draw[j] < (p_weak if weak[j] == 1 else p_full):
                status[j] = POST if weak[j] == 1 else MIGRANT
                placed += 1
                if h != last:
                    measures[h] = min(measures[h] + 1, 100)
                    last = h
    return placed


@_jit
def dibao_review(first, inc_sum, dibao, cover, size, n_lab, n_elderly, chronic, mon_state, u_takeup, u_single,
                 excl, sub_support, pension, standard, tekun_standard, tekun_takeup, dibao_takeup, single_limit,
                 single_takeup, dibao_floor):
    """:meth:`ruralsim.model.RuralModel._dibao_reviews`: the means test of rows ``first, first+12, ...``
    (Dibao.test_income, then Dibao.review)."""
    twelve = f32(12.0)
    tk, dk, sk = f32(tekun_takeup), f32(dibao_takeup), f32(single_takeup)
    for i in range(first, size.shape[0], 12):
        sz = np.float64(size[i])
        left_out = excl * (sub_support * sz + np.float64(n_elderly[i]) * pension)
        test = (np.float64(inc_sum[i] - twelve * dibao[i]) - left_out) / sz
        elderly_only = n_lab[i] == 0 and n_elderly[i] >= size[i]
        helped = mon_state[i] == MONITORED
        tekun = elderly_only and test < tekun_standard and (u_takeup[i] < tk or helped)
        db = (not tekun) and test < standard and (u_takeup[i] < dk or helped)
        single = ((not tekun) and (not db) and n_lab[i] > 0 and chronic[i] == 1 and test < single_limit * standard
                  and u_single[i] < sk)
        cv = _TEKUN if tekun else (_DIBAO if db else (_SINGLE if single else _NONE))
        cover[i] = cv
        dibao[i] = _payment(cv, test, size[i], standard, tekun_standard, dibao_floor)


# ---------------------------------------------------------------------------------------------
# Per-month parts both kernel sets need (references: labour.market_parts, RuralModel._more_parts)
# ---------------------------------------------------------------------------------------------
@_jit
def market_parts(status, absent, skill, weak, age, lab_hh, lab_county, chronic, bonus, weak_cut, factor_50s,
                 factor_60plus, chronic_factor, post_search, n_counties):
    """:func:`ruralsim.labour.market_parts`: seekers' hiring weight per county (float64, row order) and the
    migrant jobs held."""
    weight = np.zeros(n_counties)
    migrants = 0
    one = f32(1.0)
    for j in range(status.shape[0]):
        s = status[j]
        if s == MIGRANT:
            migrants += 1
        seeker = s <= FARM and absent[j] == 0
        holder = post_search > 0 and s == POST and weak[j] == 0 and absent[j] == 0
        if not (seeker or holder):
            continue
        a = age[j]
        age_w = factor_60plus if a >= 60 else (factor_50s if a >= 50 else one)
        w = ((one + bonus * f32(skill[j])) * (one - weak_cut * f32(weak[j])) * age_w
             * (chronic_factor if chronic[lab_hh[j]] == 1 else one))
        if holder:
            w = post_search * w
        weight[lab_county[j]] += np.float64(w)
    return weight, migrants


@_jit
def more_parts(size, reg_below, reg_inc, village, county, n_villages, n_counties, ever_below_reg, identified,
               ill_risk, mon_state, cover, chronic, status, threshold):
    """:meth:`ruralsim.model.RuralModel._more_parts`: the registry measure (with A10's villages), the safety
    net, monitored people, demography. Returns per-county registry income and the counts in the order of
    :data:`MORE_PARTS`."""
    reg_county = np.zeros(n_counties)
    hh_v = np.zeros(n_villages, np.int64)
    down_v = np.zeros(n_villages, np.int64)
    c = np.zeros(13, np.int64)
    for i in range(size.shape[0]):
        sz = np.int64(size[i])
        c[0] += sz
        if reg_below[i]:
            c[1] += sz
            c[2] += 1
            down_v[village[i]] += 1
        hh_v[village[i]] += 1
        reg_county[county[i]] += np.float64(reg_inc[i])
        c[4] += ever_below_reg[i] != 0
        c[5] += identified[i] != 0
        c[6] += ill_risk[i] != 0
        if mon_state[i] == MONITORED:
            c[7] += sz
        cv = cover[i]
        if cv == _DIBAO:
            c[8] += 1
            c[9] += sz
        elif cv == _SINGLE:
            c[8] += 1
            c[9] += 1
        elif cv == _TEKUN:
            c[10] += sz
        c[11] += chronic[i] != 0
    for v in range(n_villages):
        if hh_v[v] > 0 and np.float64(down_v[v]) / np.float64(hh_v[v]) >= threshold:
            c[3] += 1
    for j in range(status.shape[0]):
        c[12] += status[j] != 7  # INACTIVE
    return reg_county, c


MORE_PARTS = ("people_now", "people_below_registry", "households_below_registry", "mass_return", "ever_below_registry",
              "identified", "ill_risk", "monitored_people", "dibao_households", "dibao_people", "tekun_people",
              "chronic", "active_labourers")



# ---------------------------------------------------------------------------------------------
# Demography (reference: ruralsim.demography.year_of_life)
# ---------------------------------------------------------------------------------------------
_INACTIVE = 7


@_jit
def year_of_life(first_lab, first_hh, status, age, weak, skill, absent, timer, lab_hh, size, n_lab, n_elderly,
                 full_labourers, hardship, head_age, u_death, u_elder, u_coming, q_age, q_any, p_young,
                 retirement_age):
    """:func:`ruralsim.demography.year_of_life` for the labourer rows ``first_lab::12`` and household rows
    ``first_hh::12``. The probabilities come as tables computed by NumPy (so they are NumPy's numbers):
    ``q_age[age]`` (death), ``q_any[age, elderly]`` (one of the elderly dies), ``p_young[young]`` (one
    young member comes of working age)."""
    m, n = status.shape[0], size.shape[0]
    # Labourers: who dies and who retires is decided on the households' sizes before this month's deaths.
    flags = np.zeros(max(0, (m - first_lab + 11) // 12), np.int8)
    k = 0
    for j in range(first_lab, m, 12):
        if status[j] != _INACTIVE:
            if np.float64(u_death[j]) < q_age[age[j]] and size[lab_hh[j]] >= 2:
                flags[k] = 1
            elif age[j] >= retirement_age:
                flags[k] = 2
        k += 1
    k = 0
    for j in range(first_lab, m, 12):
        f = flags[k]
        k += 1
        if f == 0:
            continue
        h = lab_hh[j]
        if f == 1:
            size[h] -= 1
            hardship[h] = True
        else:
            n_elderly[h] += 1
        n_lab[h] -= 1
        if weak[j] == 0:
            full_labourers[h] -= 1
        status[j] = _INACTIVE
        absent[j] = 0
        timer[j] = 0
    # Households: an elderly member may die; a young one may come of working age.
    want = np.zeros(n, np.bool_)
    any_want = False
    for i in range(first_hh, n, 12):
        if n_elderly[i] > 0 and size[i] >= 2:
            if np.float64(u_elder[i]) < q_any[max(head_age[i], 70), n_elderly[i]]:
                size[i] -= 1
                n_elderly[i] -= 1
        young = max(np.int64(size[i]) - n_lab[i] - n_elderly[i], 0)
        if np.float64(u_coming[i]) < p_young[young]:
            want[i] = True
            any_want = True
    if not any_want:
        return
    for j in range(m):  # the first free row of each such household is taken
        h = lab_hh[j]
        if want[h] and status[j] == _INACTIVE:
            want[h] = False
            status[j] = OUT
            age[j] = 18
            weak[j] = 0
            skill[j] = 0
            n_lab[h] += 1
            full_labourers[h] += 1


# ---------------------------------------------------------------------------------------------
# A block of float32 uniforms straight from its SeedSequence address: NumPy's SeedSequence hashing,
# PCG64 seeding and stepping (XSL-RR output), and the float32 conversion, in one compiled call. The same
# numbers as ``np.random.Generator(np.random.PCG64(np.random.SeedSequence(...))).random(n, dtype=np.float32)``
# (tests/test_scale.py checks it), without the Python objects and NumPy's per-output call.
# ---------------------------------------------------------------------------------------------
_U = np.uint64
_M32 = _U(0xFFFFFFFF)
_S16, _S32, _S58, _S63 = _U(16), _U(32), _U(58), _U(63)
_INIT_A, _MULT_A, _INIT_B, _MULT_B = _U(0x43B0D7E5), _U(0x931E8875), _U(0x8B51F9DD), _U(0x58F38DED)
_MIX_L, _MIX_R = _U(0xCA01F9DD), _U(0x4973F715)
_PCG_MUL_HI, _PCG_MUL_LO = _U(2549297995355413924), _U(4865540595714422341)
_ONE, _SIXTYFOUR = _U(1), _U(64)
_SHIFT8, _SHIFT40 = _U(8), _U(40)


@_jit
def _hashmix(value, hash_const):
    value = (value ^ hash_const) & _M32
    hash_const = (hash_const * _MULT_A) & _M32
    value = (value * hash_const) & _M32
    value ^= value >> _S16
    return value, hash_const


@_jit
def _mix(x, y):
    result = ((_MIX_L * x) - (_MIX_R * y)) & _M32
    return result ^ (result >> _S16)


@_jit
def _mulhi(a, b):
    a0, a1, b0, b1 = a & _M32, a >> _S32, b & _M32, b >> _S32
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> _S32) + (p01 & _M32) + (p10 & _M32)
    return p11 + (p01 >> _S32) + (p10 >> _S32) + (mid >> _S32)


@_jit
def _pcg_step(sh, sl, ih, il):
    lo = sl * _PCG_MUL_LO
    hi = sh * _PCG_MUL_LO + sl * _PCG_MUL_HI + _mulhi(sl, _PCG_MUL_LO)
    lo2 = lo + il
    carry = _ONE if lo2 < lo else _U(0)
    return hi + ih + carry, lo2


@_jit
def pcg64_state(entropy):
    """(state hi, state lo, inc hi, inc lo) of ``PCG64(SeedSequence)`` for the assembled entropy words
    (uint64 array of 32-bit words: the run entropy padded to 4 words, then the spawn key's words)."""
    mixer = np.zeros(4, np.uint64)
    hc = _INIT_A
    for i in range(4):
        v = entropy[i] if i < entropy.shape[0] else _U(0)
        mixer[i], hc = _hashmix(v, hc)
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                h, hc = _hashmix(mixer[i_src], hc)
                mixer[i_dst] = _mix(mixer[i_dst], h)
    for i_src in range(4, entropy.shape[0]):
        for i_dst in range(4):
            h, hc = _hashmix(entropy[i_src], hc)
            mixer[i_dst] = _mix(mixer[i_dst], h)
    words = np.zeros(8, np.uint64)
    hb = _INIT_B
    for i in range(8):
        d = mixer[i % 4]
        d = (d ^ hb) & _M32
        hb = (hb * _MULT_B) & _M32
        d = (d * hb) & _M32
        d ^= d >> _S16
        words[i] = d
    seed0 = words[0] | (words[1] << _S32)
    seed1 = words[2] | (words[3] << _S32)
    inc0 = words[4] | (words[5] << _S32)
    inc1 = words[6] | (words[7] << _S32)
    # pcg_setseq_128_srandom_r: inc = (initseq << 1) | 1; step; state += initstate; step.
    ih = (inc0 << _ONE) | (inc1 >> _S63)
    il = (inc1 << _ONE) | _ONE
    sh, sl = _pcg_step(_U(0), _U(0), ih, il)
    lo = sl + seed1
    carry = _ONE if lo < sl else _U(0)
    sh, sl = sh + seed0 + carry, lo
    sh, sl = _pcg_step(sh, sl, ih, il)
    return sh, sl, ih, il


@_jit
def pcg64_uniforms(entropy, out):
    """Fill ``out`` with the block's float32 uniforms (see the section comment)."""
    sh, sl, ih, il = pcg64_state(entropy)
    scale = f32(2.0 ** -24)
    n = out.shape[0]
    for k in range((n + 1) // 2):
        sh, sl = _pcg_step(sh, sl, ih, il)
        x = sh ^ sl
        rot = sh >> _S58
        x = (x >> rot) | (x << ((_SIXTYFOUR - rot) & _S63))
        out[2 * k] = f32((x & _M32) >> _SHIFT8) * scale
        if 2 * k + 1 < n:
            out[2 * k + 1] = f32(x >> _SHIFT40) * scale


# ---------------------------------------------------------------------------------------------
# Household shocks (reference: ruralsim.shocks). What uses exp/log stays in NumPy, on the few rows hit.
# ---------------------------------------------------------------------------------------------
@_jit
def illness_events(u_event, prob, size, chronic, head_age):
    """:func:`ruralsim.shocks.illness`'s episodes: the ill households' rows (the table ``prob`` is NumPy's)."""
    n = size.shape[0]
    rows = np.empty(n, np.int64)
    k = 0
    for i in range(n):
        cell = (np.int64(size[i]) * 2 + np.int64(chronic[i])) * 128 + np.int64(head_age[i])
        if np.float64(u_event[i]) < prob[cell]:
            rows[k] = i
            k += 1
    return rows[:k]


@_jit
def absence_rows(ill_hh_rows, lab_hh, n_lab, u_lab, n_households):
    """:func:`ruralsim.shocks.illness_absence`'s choice of one labourer per ill household: the labourers'
    rows (in row order) sent off work."""
    ill = np.zeros(n_households, np.bool_)
    for r in ill_hh_rows:
        ill[r] = True
    m = lab_hh.shape[0]
    rows = np.empty(m, np.int64)
    k = 0
    for j in range(m):
        h = lab_hh[j]
        if ill[h] and np.float64(u_lab[j]) < 1.0 / max(np.int64(n_lab[h]), 1):
            rows[k] = j
            k += 1
    return rows[:k]


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
