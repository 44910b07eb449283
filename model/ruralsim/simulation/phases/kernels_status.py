"""Numba kernels of the month's end: a few passes over the chunk's households, a few over its labourers.

Why fused: after the policy phase nothing a household's status, metric parts, registry counts, categories,
targeting counts and place groups read changes but the household's own row, so what NumPy does in some
thirty passes with temporaries (:meth:`RuralModel._status`, :meth:`_metric_parts`, :meth:`_more_parts`,
:meth:`_category_parts`, :func:`identification.targeting_parts`, :func:`group_metrics.chunk_parts`) is five
loops here, with every group sum and count accumulated in them; the same goes for the labourers' parts
(:func:`ruralsim.simulation.phases.labour.market_parts` and the employment counts). Why not one loop: the
loops are branch-bound and register-starved, so each keeps few columns live and has no data-dependent
branch but rare ones, and counts (of columns nothing changes, of the state transitions) get loops of their own
that vectorise. Every sum is added in row order in the precision NumPy uses, so results are bit-identical
(``tests/test_scale.py``). Lines are small lookup tables (per village), not per-household arrays.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import (DIBAO, ELIMINATED, FARM, INACTIVE, MIGRANT, MONITORED, NONE, POST, SINGLE, TEKUN,
                                 WORKSHOP)
from .jit import _jit, f32
from .kernels_numba import migrant_weight


#: The counts :func:`status` returns, in order (``falls``, ``spell_hist`` ... are arrays of their own).
COUNTS = ("people_below_poverty", "people_below_monitoring", "ever_below", "monitored", "eliminated",
          "ever_monitored", "dibao_households", "insured", "reentries", "recoveries", "detected",
          "people_now", "people_below_registry", "households_below_registry", "mass_return",
          "ever_below_registry", "identified", "ill_risk", "monitored_people", "dibao_people", "tekun_people",
          "chronic", "cat_able", "cat_partly", "cat_not_able", "cat_rigid", "below_assisted", "monitored_above_line")
#: Rows of the place groups' float sums (``gsum``) and counts (``gcount``), as group_metrics names them.
GROUP_SUMS = ("wage", "gross", "inc_sum", "people", "below_registry", "below_alert")
GROUP_COUNTS = ("households", "monitored")


#: The shock a household's mask of this month's shocks (1 price, 2 disaster, 4 job loss, 8 illness) records:
#: the most telling one wins when several coincide (illness, job loss, disaster, price); -1 for none.
_SHOCK_CODE = np.array([-1, 3, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1], np.int64)


@_jit
def status(wage, operating, transfer, prop, medical, coop, grower_price, event, inc_sum, size, village, county,
           new_disaster, lost_jobs, last_shock, last_shock_month, below, ever_below, spell, mon_state, ever_monitored,
           state3, insured, t, poverty_line, monitoring_line, low, high, bin_width, price_threshold,
           illness_share, detected, reg_below, reg_inc, ever_below_reg, identified, ill_risk, cover, chronic, category,
           lines_v, code_v, relocated, ring_slot, december, mass_threshold, n_villages,
           comp, inc_county, reg_county, falls, spell_hist, transitions, hist, counts, gsum, gcount):
    """:meth:`RuralModel._status` with the month's household metric parts, in a few loops over households
    (each with few live columns and no data-dependent branches but rare ones: faster than one big loop).

    Causes, falls, spells and transitions as ``_status``; ``comp`` gets the per-county sums of the five
    flows, ``inc_county`` of the rolling income, ``reg_county`` of the registry income; ``counts`` the
    :data:`COUNTS`; ``gsum``/``gcount`` the place groups' per-(county, code) sums (December's rows only in
    December). ``lines_v`` is each village's monitoring line, ``code_v`` its group code (no relocation bit).
    The month's registry income is added to the year's in the policy kernel (:func:`kernels_policy.policy`)."""
    n = size.shape[0]
    line32, mline32 = f32(poverty_line), f32(monitoring_line)
    hh_v = np.zeros(n_villages, np.int64)
    down_v = np.zeros(n_villages, np.int64)
    # Counts in scalars (registers), written to ``counts`` at the end in the order of COUNTS.
    below_p = below_m = n_ever = n_mon = n_elim = n_ever_mon = n_db = n_ins = reentries = recoveries = n_det = 0
    people = below_reg_p = below_reg_h = ever_reg = n_ident = n_ill = mon_people = db_people = tk_people = 0
    n_chronic = able = partly = not_able = rigid = assisted = above = 0
    # Counts of columns the month's end does not change: a loop of their own (few registers, no stores).
    for i in range(n):
        sz = np.int64(size[i])
        people += sz
        ms = mon_state[i]
        mon = ms == MONITORED
        n_mon += mon
        n_elim += ms == ELIMINATED
        mon_people += sz * mon
        n_ever_mon += ever_monitored[i] != 0
        n_ins += insured[i] != 0
        n_det += detected[i]
        rb = reg_below[i]
        below_reg_p += sz * rb
        below_reg_h += rb
        ever_reg += ever_below_reg[i] != 0
        n_ident += identified[i] != 0
        n_ill += ill_risk[i] != 0
        cv = cover[i]
        is_db, is_single, is_tk = cv == DIBAO, cv == SINGLE, cv == TEKUN
        n_db += is_db | is_single
        db_people += sz if is_db else (1 if is_single else 0)
        tk_people += sz * is_tk
        n_chronic += chronic[i] != 0
        # Categories and targeting (RuralModel._category_parts, identification.targeting_parts).
        ct = category[i]
        cap = ct // 2
        able += cap == 0
        partly += cap == 1
        not_able += cap == 2
        rigid += ct % 2 == 1
        assisted += rb & (mon | (cv != NONE))
    # The month's shocks and the float sums in row order: per county (rows are sorted by county) the five
    # flows, rolling and registry income; per place group (county, village code + relocation bit; the code is
    # even) in registers over each village's run of rows, the relocated rows' and the others' sums (adding 0.0
    # to a sum that starts at 0.0, so is never -0.0, changes nothing).
    if n > 0:
        k, vc = county[0], village[0]
        gc = code_v[vc]
        p0, p1, p2, p3 = gsum[0, k, gc], gsum[1, k, gc], gsum[2, k, gc], gsum[3, k, gc]
        q0, q1, q2, q3 = gsum[0, k, gc + 1], gsum[1, k, gc + 1], gsum[2, k, gc + 1], gsum[3, k, gc + 1]
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = 0.0
        hh = down = 0
        for i in range(n):
            ci, v = county[i], village[i]
            if ci != k or v != vc:
                gsum[0, k, gc], gsum[1, k, gc], gsum[2, k, gc], gsum[3, k, gc] = p0, p1, p2, p3
                gsum[0, k, gc + 1], gsum[1, k, gc + 1], gsum[2, k, gc + 1], gsum[3, k, gc + 1] = q0, q1, q2, q3
                hh_v[vc] += hh
                down_v[vc] += down
                hh = down = 0
                if ci != k:
                    _flush(comp, inc_county, reg_county, k, a0, a1, a2, a3, a4, a5, a6)
                    a0 = a1 = a2 = a3 = a4 = a5 = a6 = 0.0
                k, vc = ci, v
                gc = code_v[vc]
                p0, p1, p2, p3 = gsum[0, k, gc], gsum[1, k, gc], gsum[2, k, gc], gsum[3, k, gc]
                q0, q1, q2, q3 = gsum[0, k, gc + 1], gsum[1, k, gc + 1], gsum[2, k, gc + 1], gsum[3, k, gc + 1]
            sz, med32, inc32 = size[i], medical[i], inc_sum[i]
            # This month's shocks (no branches): the most telling one wins when several coincide, the
            # household's last shock and its month are kept when there is none.
            c = coop[i]
            old, old_m = np.int64(last_shock[i]), np.int64(last_shock_month[i])
            mask = (np.int64((c >= 0) & (grower_price[max(c, 0)] < price_threshold))  # PRICE
                    | np.int64(new_disaster[np.uint32(v)]) << 1  # DISASTER
                    | np.int64(lost_jobs[i]) << 2  # JOB_LOSS
                    | np.int64(event[i] & (med32 > illness_share * max(inc32, f32(1.0)))) << 3)  # ILLNESS
            code = _SHOCK_CODE[np.uint64(mask)]
            shock = np.int64(code >= 0)
            last_shock[i] = old + (code - old) * shock
            last_shock_month[i] = old_m + (t - old_m) * shock
            wg, med, inc, ri = np.float64(wage[i]), np.float64(med32), np.float64(inc32), reg_inc[i]
            a0 += wg
            a1 += np.float64(operating[i])
            a2 += np.float64(transfer[i])
            a3 += np.float64(prop[i])
            a4 += med
            a5 += inc
            a6 += np.float64(ri)
            rb = reg_below[i]
            hh += 1
            down += rb
            mon = mon_state[i] == MONITORED
            above += mon & (ri / f32(sz) >= lines_v[np.uint32(v)])
            # Place groups (group_metrics.chunk_parts).
            rel = relocated[i] != 0
            szf = np.float64(sz)
            x1 = np.float64(ring_slot[i]) + med
            p0 += 0.0 if rel else wg
            p1 += 0.0 if rel else x1
            p2 += 0.0 if rel else inc
            p3 += 0.0 if rel else szf
            q0 += wg if rel else 0.0
            q1 += x1 if rel else 0.0
            q2 += inc if rel else 0.0
            q3 += szf if rel else 0.0
            if december:
                g = gc + relocated[i]
                gcount[0, k, g] += 1
                gsum[4, k, g] += szf if rb else 0.0
                gsum[5, k, g] += szf if inc32 / f32(sz) < line32 else 0.0
                gcount[1, k, g] += mon
        gsum[0, k, gc], gsum[1, k, gc], gsum[2, k, gc], gsum[3, k, gc] = p0, p1, p2, p3
        gsum[0, k, gc + 1], gsum[1, k, gc + 1], gsum[2, k, gc + 1], gsum[3, k, gc + 1] = q0, q1, q2, q3
        hh_v[vc] += hh
        down_v[vc] += down
        _flush(comp, inc_county, reg_county, k, a0, a1, a2, a3, a4, a5, a6)
    # The households' state: falls and recoveries, spells, the income histogram.
    for i in range(n):
        sz, inc = size[i], inc_sum[i]
        pc = inc / f32(sz)
        was = below[i]
        now = pc < line32
        if now and not was:  # the cause: the last shock (this month's stored above) if recent
            cause = last_shock[i] if t - last_shock_month[i] <= 12 else 0
            falls[cause] += 1
            if ever_below[i]:
                reentries += 1
        if was and not now:
            recoveries += 1
            spell_hist[min(spell[i], spell_hist.shape[0] - 1)] += 1
        spell[i] = spell[i] + 1 if now else 0
        ever_below[i] = ever_below[i] or now
        below[i] = now
        # Metric parts (RuralModel._metric_parts).
        x = min(max(pc, low), high)
        hist[np.uint32(np.int32((x - low) / bin_width))] += np.float64(sz)  # x >= low: no wraparound
    # Transitions and the people below the lines in a loop that vectorises (counted in the loop above, they made it
    # slower by 8%): each household's move (old state * 3 + new state) in a byte, then each move counted.
    moves = np.empty(n, np.uint8)
    for i in range(n):
        sz = size[i]
        pc = inc_sum[i] / f32(sz)
        now = pc < line32
        below_p += sz * now
        below_m += sz * (pc < mline32)
        n_ever += ever_below[i]
        new3 = 2 if now else (1 if mon_state[i] == MONITORED else 0)
        moves[i] = state3[i] * 3 + new3
        state3[i] = new3
    for j in range(9):
        count = 0
        for i in range(n):
            count += moves[i] == j
        transitions[j] += count
    mass = 0
    for v in range(n_villages):  # mass return (A10), on the registry measure
        if hh_v[v] > 0 and np.float64(down_v[v]) / np.float64(hh_v[v]) >= mass_threshold:
            mass += 1
    values = (below_p, below_m, n_ever, n_mon, n_elim, n_ever_mon, n_db, n_ins, reentries, recoveries, n_det,
              people, below_reg_p, below_reg_h, mass, ever_reg, n_ident, n_ill, mon_people, db_people, tk_people,
              n_chronic, able, partly, not_able, rigid, assisted, above)
    for j in range(len(values)):
        counts[j] += values[j]


@_jit
def _flush(comp, inc_county, reg_county, k, a0, a1, a2, a3, a4, a5, a6):
    comp[0, k] += a0
    comp[1, k] += a1
    comp[2, k] += a2
    comp[3, k] += a3
    comp[4, k] += a4
    inc_county[k] += a5
    reg_county[k] += a6


#: The counts :func:`labour_parts` returns, in order.
LABOUR_COUNTS = ("market_migrants", "employed", "migrant", "workshop", "post", "trained", "active_labourers")


@_jit
def labour_parts(status, absent, skill, weak, age, mobility, lab_hh, lab_county, chronic, bonus, weak_cut, factor_50s,
                 factor_60plus, chronic_factor, post_search, weight, untrained, counts):
    """:func:`ruralsim.simulation.phases.labour.market_parts` (seekers' hiring weight per county, float64 in
    row order, the untrained seekers' part of it) with the month's labour counts (:data:`LABOUR_COUNTS`)."""
    m = status.shape[0]
    migrants = employed = workshop = post = trained = active = 0
    # The counts, and which labourers seek (the seekers and the post holders who search), vectorised.
    sel = np.empty(m, np.uint8)
    search = post_search > 0
    for j in range(m):
        s = status[j]
        migrants += s == MIGRANT
        employed += (s >= MIGRANT) & (s <= POST)
        workshop += s == WORKSHOP
        post += s == POST
        trained += skill[j] != 0
        active += s != INACTIVE
        sel[j] = ((s <= FARM) | (search & (s == POST) & (weak[j] == 0))) & (absent[j] == 0)
    values = (migrants, employed, migrants, workshop, post, trained, active)
    for j in range(len(values)):
        counts[j] += values[j]
    # Their rows in order (stored for every row, kept for theirs: no branch).
    rows = np.empty(m, np.int32)
    n_sel = 0
    for j in range(m):
        rows[n_sel] = j
        n_sel += sel[j]
    # Their hiring weights per county, added in row order (0.0 for the trained: the sums are >= 0, never -0.0)
    # in registers over each county's run of rows (labourers are sorted by county; ``weight`` and ``untrained``
    # come in zero): no chain of loads waiting on the previous row's store.
    kc = lab_county[rows[0]] if n_sel > 0 else 0
    w_run = u_run = 0.0
    for r in range(n_sel):
        j = rows[r]
        w = migrant_weight(skill[j], weak[j], age[j], mobility[j], chronic[lab_hh[j]], bonus, weak_cut, factor_50s,
                           factor_60plus, chronic_factor)
        w = post_search * w if status[j] == POST else w  # a selected POST row is a searching holder
        k = lab_county[j]
        if k != kc:
            weight[kc] += w_run
            untrained[kc] += u_run
            w_run = u_run = 0.0
            kc = k
        w_run += np.float64(w)
        u_run += np.float64(w) if skill[j] == 0 else 0.0
    if n_sel > 0:
        weight[kc] += w_run
        untrained[kc] += u_run
