"""The hot inner loops: NumPy (the reference) or Numba (optional, the ``fast`` extra).

The model's phases are written in NumPy (:mod:`ruralsim.labour`, :mod:`ruralsim.programmes`,
:mod:`ruralsim.model`); the Numba set has compiled translations that do exactly the same arithmetic in the
same precision and order, so results are bit-identical (``tests/test_scale.py`` checks whole runs):
:mod:`ruralsim.simulation.phases.kernels_numba` the labour market (training, separations and search in two
loops over labourers and short ones over lists of them) and incomes (with wages and east–west placements),
:mod:`ruralsim.simulation.phases.kernels_policy` the policy phase, birthdays and shocks,
:mod:`ruralsim.simulation.phases.kernels_status` the status phase with the month's metric parts and the labour
counts, and :mod:`ruralsim.simulation.phases.pcg64_numba` the streams' draws (NumPy's numbers: uniforms by
block, at scattered rows and through readers, and float32 normals). Which set runs is a matter of speed only:
a NumPy phase makes a dozen passes with temporaries over the chunk, its kernel a few loops with its sums and
counts kept in them.

Choice: ``kernels=`` on the model, else ``RURALSIM_KERNELS=numpy|numba|auto``; "auto" (the default)
takes Numba when it is installed and the run has at least :data:`NUMBA_MIN_HOUSEHOLDS` households,
below which compiling (a few seconds on first use, then cached on disk) costs more than it saves.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

NUMBA_MIN_HOUSEHOLDS = 100_000


class NumpyKernels:
    """The reference: each phase runs its own NumPy code (``fast`` is False)."""

    name = "numpy"
    fast = False

    @staticmethod
    def segment_sums(x: np.ndarray, seg: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Sum of ``x`` per segment (float64, added in row order): ``seg`` is each row's segment and
        ``starts`` the first row of each segment (segments are contiguous and in order)."""
        return np.bincount(seg, weights=x, minlength=len(starts))

    @staticmethod
    def tick_absences(absent: np.ndarray) -> None:
        """A month off work less for everyone absent (int8, in place)."""
        np.maximum(absent - 1, 0, out=absent, casting="unsafe")

    @staticmethod
    def block_uniforms():
        """The streams' compiled makers of consecutive blocks of float32 uniforms from their addresses (all
        rows, and every ``step``-th row: :mod:`.pcg64_numba`): None for NumPy's generators."""
        return None, None

    @staticmethod
    def stream_readers():
        """The streams' compiled maker of a kernel's reader of a stream (:func:`.pcg64_numba.make_reader`) and its
        reader of listed rows (:func:`.pcg64_numba.read_uniforms`): None, None for NumPy's generators."""
        return None, None

    @staticmethod
    def block_normals():
        """The streams' compiled maker of a block's float32 standard normals (:func:`.pcg64_numba.pcg64_normals`):
        None for NumPy's generators."""
        return None


@lru_cache(maxsize=None)
def _block_normals():
    """:func:`.pcg64_numba.pcg64_normals` with NumPy's ziggurat tables, if they are found and give NumPy's numbers on
    a test block (else None: the streams keep NumPy's generators for normals)."""
    from ..cohort.rng import Streams
    from .pcg64_numba import pcg64_normals, ziggurat_tables

    tables = ziggurat_tables()
    if tables is None:
        return None
    ki, wi, fi = tables

    def block_normals(entropy, out):
        pcg64_normals(entropy, out, ki, wi, fi)

    ref = Streams(12345, 1)
    for b in (0, 7):
        got, want = np.empty(1 << 16, np.float32), np.empty(1 << 16, np.float32)
        block_normals(ref._entropy("check", 3, [b])[0], got)
        ref.generator("check", 3, b).standard_normal(len(want), dtype=np.float32, out=want)
        if not np.array_equal(got.view(np.uint32), want.view(np.uint32)):
            return None
    return block_normals


@lru_cache(maxsize=None)
def _life_tables(at_60: float, slope: float, coming_of_age_rate: float) -> tuple[np.ndarray, ...]:
    """The birthdays kernel's probability tables (NumPy's numbers), made once per parameter values rather than
    per chunk and month (a 128 x 128 power table): death by age, one of ``elderly`` members dying by age, one
    of ``young`` members coming of working age. Read-only."""
    from .demography import mortality

    p = {"demography_mortality_at_60": at_60, "demography_mortality_slope": slope}
    q_age = mortality(p, np.arange(128, dtype=np.int8))
    elderly = np.arange(128, dtype=np.int8)
    q_any = 1.0 - (1.0 - mortality(p, np.arange(128, dtype=np.int16)))[:, None] ** elderly[None, :]
    p_young = 1.0 - (1.0 - coming_of_age_rate) ** np.arange(128, dtype=np.int16)
    for table in (q_age, q_any, p_young):
        table.flags.writeable = False
    return q_age, q_any, p_young


@lru_cache(maxsize=None)
def _numba_kernels():
    from . import kernels_numba as kn
    from . import kernels_policy as kp
    from . import kernels_status as ks
    from .pcg64_numba import group_rows, make_reader, pcg64_blocks, pcg64_blocks_every, read_uniforms

    f32 = np.float32
    no_reader = make_reader(np.zeros((0, 0), np.uint64), 0, 0, 1 << 16, np.zeros(0, np.float32))  # reads nothing

    class NumbaKernels(NumpyKernels):
        """Compiled kernels; they release the GIL, so chunks run in parallel threads."""

        name = "numba"
        fast = True

        @staticmethod
        def segment_sums(x, seg, starts):
            return kn.segment_sums(x, starts)

        @staticmethod
        def block_uniforms():
            return pcg64_blocks, pcg64_blocks_every

        @staticmethod
        def stream_readers():
            return make_reader, read_uniforms

        @staticmethod
        def block_normals():
            return _block_normals()

        @staticmethod
        def group_rows(groups, first):
            """The rows ``first[g]:first[g + 1]`` of each of the ascending ``groups``, in order."""
            return group_rows(np.asarray(groups, np.int64), np.asarray(first, np.int64))

        @staticmethod
        def labour(c, m, lost_ill, train, moved=None, month=None):
            """Training (``train``; ``moved``: yuan per county from industry support; none in the burn-in),
            separations and job search (:func:`kernels_numba.labour`); returns the enrolments per county and the
            households with a job lost this month. ``month`` addresses the burn-in's draws."""
            p, L = c.p, c.labs
            if moved is None:
                moved = np.zeros(c.n_counties)
            drop = m.demand_drop if train else 0.0
            started = bool(c.demand_drop_started) if train else False
            enrolled, lost, lost_hh = np.zeros(c.n_counties), np.zeros(L.m, bool), np.zeros(c.n_households, bool)
            kn.labour(L.status, L.timer, L.skill, L.age, L.absent, L.weak, L.mobility, L.hh, c.lab_county, L.village,
                      c.hh.chronic, c.mon_state, train,
                      c.ul_reader("lab.train", month) if train else no_reader,
                      c.ul_reader("lab.place", month) if train else no_reader,
                      f32(p["training_placement_prob"]),
                      float(p["training_monitored_priority"] * (c.training_priority_factor if train else 1.0)),
                      p["training_coverage"] * c.levels["training"] / 12.0 * c.ration if train else 0.0,
                      int(p["training_course_months"]), np.asarray(moved, float),
                      float(p["training_cost_per_trainee"]), enrolled,
                      c.ul("lab.sep", month), c.ul_reader("lab.trim", month), c.ul_reader("lab.kind", month),
                      f32(p["labour_migrant_quit_rate"] * (1.0 + p["shocks_demand_drop_quit_multiplier"] * drop)),
                      f32(p["labour_local_quit_rate"]), float(p["labour_skill_quit_cut"]), f32(p["posts_quit_rate"]),
                      started, f32(drop), c.county_capacity, c.village_capacity, c.post_quota,
                      f32(p["labour_own_farm_share"]),
                      train, c.ul("lab.find", month), f32(m.migrant_find),
                      f32(p["labour_skill_find_bonus"]), f32(p["labour_weak_find_cut"]),
                      f32(p["labour_hire_factor_50s"]), f32(p["labour_hire_factor_60plus"]),
                      f32(p["monitoring_job_priority"]), f32(p["labour_chronic_find_factor"]),
                      float(p["labour_vacancy_fill_rate"]), f32(p["posts_weak_priority"]),
                      f32(c.post_other_priority), float(p["labour_weak_local_cut"]),
                      f32(p["labour_find_cap"]), f32(p["posts_migrant_search"]),
                      lost_ill, lost, lost_hh)
            return enrolled, lost_hh

        @staticmethod
        def wages(c):
            p, L, idx = c.p, c.labs, c.wage_index
            return kn.wages(L.status, L.skill, L.absent, c.hh.phi, L.hh, c.lab_county, L.village,
                            f32(p["labour_migrant_wage"] * c.migrant_wage_index), float(p["labour_local_wage"] * idx),
                            c.county_wage_factor, c.village_wage, float(idx), float(p["labour_skill_wage_premium"]),
                            f32(p["posts_wage"] * idx))

        # Household phases --------------------------------------------------------------------------
        @staticmethod
        def incomes(c, m, oop):
            """East–west placements, then wages summed per household, operating, property, transfer and medical
            flows, and their ledger lines (:meth:`RuralModel._incomes`, dividends excepted)."""
            from ..cohort.places import WEST, chunk_villages

            p, H, L, f, idx = c.p, c.hh, c.labs, c.flows, c.wage_index
            sums, counts = np.zeros((9, c.n_counties)), np.zeros(6, np.int64)
            east_rate = float(p["places_east_west_rate"])
            east = east_rate > 0.0
            kn.incomes(L.status, L.hh, c.lab_county, H.size, H.n_lab, H.n_elderly, H.land, c.pooled_mu_hh,
                       H.farm_q, H.coop, H.crop_mu, H.village, H.county, c.mon_state, c.dibao, c.insured, oop,
                       c.disaster_left, m.grower_price, 1.0 - p["shocks_disaster_loss"],
                       float(p["coop_crop_cost_share"]), f32(p["coop_crop_revenue_per_mu"]), m.farm_index / 12.0,
                       *m.prog_industry.per_person(c),  # project returns per person, this chunk's counties
                       f32(p["coop_land_rent"] / 12.0),
                       p["transfers_targeted_subsidies"] * c.levels["subsidies"] / 12.0, m.pension / 12.0,
                       m.prog_industry.invest_per_person(c),
                       f32(p["medical_assistance_share"]), f["operating"], f["property"], f["transfer"], f["medical"],
                       sums, counts, f32(p["farm_idle_land_intensity"]),
                       L.skill, L.absent, H.phi, L.village, f32(p["labour_migrant_wage"] * c.migrant_wage_index),
                       float(p["labour_local_wage"] * idx), c.county_wage_factor, c.village_wage, float(idx),
                       float(p["labour_skill_wage_premium"]), f32(p["posts_wage"] * idx), f["wage"],
                       east, c.ul_reader("lab.eastwest") if east else no_reader,
                       f32(east_rate * c.migrant_open),
                       chunk_villages(c, m.places.village_region) == WEST, L.weak, L.age)
            if east:
                c.reached["east_west"] = c.reached.get("east_west", 0) + int(counts[5])
            per_person = p["transfers_targeted_subsidies"] * c.levels["subsidies"] / 12.0
            m.prog_posts.book(c, sums[5], counts[3])
            m.prog_workshops.book(c, sums[6] * (p["workshop_subsidy_per_job"] * c.levels["workshops"] * c.ration / 12.0), counts[4])
            m.prog_industry.invest(c, counts[0], sums[8])
            c.out["industry_returns"] = sums[0] + sums[7]
            m.prog_subsidies.book(c, sums[1], c.n_households if per_person > 0 else 0)
            m.prog_dibao.book(c, sums[2], counts[1])
            m.prog_medical.book(c, sums[3] + p["medical_premium_subsidy"] * c.levels["medical"] / 12.0 * sums[4], counts[2])

        @staticmethod
        def policy(c, m, flows, oop, u_hardship, job_lost):
            """Monitoring, grants, 兜底 enrolment, temporary help and placements (:meth:`RuralModel._policy`);
            returns the households identified this month. The monitoring line (each village's), the grant and
            the placement threshold's package factors (by capacity) are small tables; standards are scalars."""
            from . import categories, identification
            from ..cohort import places as places_mod

            p, H, L = c.p, c.hh, c.labs
            # The grant times the package factor, by capacity (categories.grant_factors): a table, not a column.
            grant_cap = np.asarray(np.float64(p["monitoring_industry_grant"] * c.ration) * categories.grant_factors(c),
                                   dtype=np.float32)
            sums, counts = np.zeros((3, c.n_counties)), np.zeros(2, np.int64)
            detected = np.zeros(c.n_households, bool)
            enabled = bool(p["monitoring_enabled"])
            level = float(c.levels["monitoring"])
            data_rate = min(1.0, (float(p["monitoring_merged_data_prob"]) if m.merged
                                  else float(p["monitoring_data_screening_prob"])) * level)
            self_rate = min(1.0, float(p["monitoring_self_report_prob"]) * float(c.detect_factor))
            ch_counts = np.zeros(5, np.int64)
            wait_hist = np.zeros(identification.WAIT_BINS, np.int64)
            u_detect = c.uh_reader("hh.detect")  # read where a detection channel is open only: made there only
            kp.policy(flows["wage"], flows["operating"], flows["transfer"], flows["property"], flows["medical"],
                      c.inc_sum, c.ring, m.t % 12, H.size, H.n_lab, H.n_elderly, H.chronic, H.village, H.county,
                      c.new_disaster, c.detection_prob, c.hardship, u_hardship, u_detect, oop, c.cover, c.dibao,
                      c.mon_state, c.ever_monitored, c.identified, c.ill_risk, c.risk_months, c.safe_months,
                      c.measures, c.episode, c.last_shock, c.last_shock_month, int(m.t), enabled,
                      places_mod.village_monitoring_lines(c, m.monitoring_line), float(c.detect_factor),
                      float(p["monitoring_hardship_share"]),
                      float(p["monitoring_rigid_spending_share"]), int(p["monitoring_detection_delay"]),
                      int(p["monitoring_placement_months"]),
                      float(p["transfers_single_cover_limit"] * c.dibao_standard), int(p["monitoring_eliminate_after"]),
                      grant_cap, c.category, *_test_terms(c, m),
                      float(m.dibao_standard), float(m.tekun_standard), float(p["transfers_single_cover_limit"]),
                      float(p["transfers_dibao_minimum"]),
                      f32(p["transfers_temporary_assistance"] * c.levels["temporary"]),
                      detected, sums, counts, job_lost, c.annual_due, c.data_due, c.dibao_exit, bool(m.merged),
                      data_rate, int(p["monitoring_data_screening_delay"]), self_rate,
                      bool(p["monitoring_enrol_identified"]), ch_counts, wait_hist,
                      identification.elimination_review(p, int(m.t), bool(m.merged)), c.year_inc, c.year_med)
            for code, name in identification.CHANNELS.items():
                c.out[f"id_{name}"] = int(ch_counts[code])
            c.out["id_wait"] = wait_hist
            m.prog_monitoring.book(c, sums[0] * p["monitoring_cost_per_household"], int(counts[0]))
            m.prog_industry.book(c, sums[1], 0)
            m.prog_temporary.book(c, sums[2], int(counts[1]))
            if enabled:
                prob = p["monitoring_placement_prob"] * c.ration
                # The placement draw is read at the idle labourers of households in an episode only: a reader.
                rows = kp.episode_households(c.mon_state, c.episode)
                placed = kp.placements(L.status, L.absent, L.weak, L.age, L.mobility, f32(p["labour_weak_find_cut"]),
                                       f32(p["labour_hire_factor_60plus"]), c.lab_first, L.village,
                                       np.asarray(c.post_quota, float),
                                       rows, c.measures, c.ul_reader("lab.assist"), f32(prob),
                                       f32(prob * c.migrant_open), categories.placement_factors(c), c.category)
                c.reached["placements"] = c.reached.get("placements", 0) + int(placed)
            return detected

        @staticmethod
        def categorise(c, rows):
            """:func:`.categories.update`: the categories of the chunk's households ``rows`` (a slice), in one loop."""
            first, _, step = rows.indices(c.n_households)
            kp.categorise(first, step, c.full_labourers, c.hh.n_lab, c.hh.chronic, c.last_shock, c.last_shock_month,
                          int(c.t), c.category)

        @staticmethod
        def dibao_review(c, m, rows, u_takeup, u_single):
            """The month's 低保/特困 reviews, the chunk's ``rows`` (a slice; :meth:`RuralModel._dibao_reviews`);
            the take-up draws are read on the month's rows only."""
            from . import categories

            p, H = c.p, c.hh
            first, _, step = rows.indices(c.n_households)
            no_draw = categories.no_draw(c, slice(None))
            use = not isinstance(no_draw, bool)
            kp.dibao_review(first, step, c.inc_sum, c.dibao, c.cover, H.size, H.n_lab, H.n_elderly, H.chronic,
                            c.mon_state, u_takeup, u_single, use, no_draw if use else np.zeros(1, bool),
                            *_test_terms(c, m), float(m.dibao_standard), float(m.tekun_standard),
                            float(p["transfers_tekun_takeup"]), float(p["transfers_dibao_takeup"]),
                            float(p["transfers_single_cover_limit"]), float(p["transfers_single_cover_takeup"]),
                            float(p["transfers_dibao_minimum"]), c.dibao_exit, int(p["transfers_gradual_exit_months"]),
                            bool(p["monitoring_enrol_identified"]))

        @staticmethod
        def year_of_life(c, hh_rows, lab_rows):
            """:func:`ruralsim.demography.year_of_life` in a loop over the month's labourers and one over its
            households, and short ones over those listed; NumPy makes the probability tables."""
            p, H, L = c.p, c.hh, c.labs
            q_age, q_any, p_young = _life_tables(p["demography_mortality_at_60"], p["demography_mortality_slope"],
                                                 p["demography_coming_of_age_rate"])
            lab0, _, lab_step = lab_rows.indices(c.n_labourers)
            hh0, _, hh_step = hh_rows.indices(c.n_households)
            kp.year_of_life(lab0, lab_step, hh0, hh_step, L.status, L.age, L.weak, L.skill, L.absent, L.timer, L.hh,
                            H.size, H.n_lab, H.n_elderly, c.full_labourers, c.hardship, H.head_age,
                            c.ul_due("lab.death"), c.uh_due("hh.elder_death"), c.uh_due("hh.coming_of_age"),
                            q_age, q_any,
                            p_young, int(p["labour_retirement_age"]), c.lab_first)

        @staticmethod
        def illness_events(u_event, prob, H):
            """The month's episodes: (each household's event, the ill households' rows)."""
            event = np.empty(H.size.shape[0], bool)
            return event, kp.illness_events(u_event, prob, H.size, H.chronic, H.head_age, event)

        @staticmethod
        def absence_rows(c, households, month=None):
            """The labourers of the ill ``households`` sent off work (:func:`kernels_policy.absence_rows`); their draw
            (``lab.ill``) is read at those households' labourers only. ``month`` addresses the burn-in's draws."""
            return kp.absence_rows(np.asarray(households, np.int64), c.lab_first, c.hh.n_lab,
                                   c.ul_reader("lab.ill", month))

        @staticmethod
        def tick_absences(absent):
            kp.tick_absences(absent)

        @staticmethod
        def chronic(c, u_onset, u_end):
            p = c.p
            kp.chronic(c.hh.chronic, c.hh.head_age, u_onset, u_end, f32(p["shocks_chronic_onset"]),
                       f32(p["shocks_chronic_onset_age_factor"]), f32(p["shocks_chronic_end"]))

        @staticmethod
        def market_parts(c):
            """:func:`ruralsim.labour.market_parts` in one loop over the chunk's labourers, with the month's
            labour counts (employed, migrant, workshop, post, trained, active: :data:`kernels_status.LABOUR_COUNTS`),
            which the NumPy reference counts in :meth:`RuralModel._metric_parts`."""
            p, L = c.p, c.labs
            weight, untrained = np.zeros(c.n_counties), np.zeros(c.n_counties)
            counts = np.zeros(len(ks.LABOUR_COUNTS), np.int64)
            ks.labour_parts(L.status, L.absent, L.skill, L.weak, L.age, L.mobility, L.hh, c.lab_county, c.hh.chronic,
                            f32(p["labour_skill_find_bonus"]), f32(p["labour_weak_find_cut"]),
                            f32(p["labour_hire_factor_50s"]), f32(p["labour_hire_factor_60plus"]),
                            f32(p["labour_chronic_find_factor"]), f32(p["posts_migrant_search"]), weight, untrained,
                            counts)
            return {"market_weight": weight, "market_weight_untrained": untrained,
                    **{k: int(v) for k, v in zip(ks.LABOUR_COUNTS, counts)}}

        @staticmethod
        def status(c, m, event, lost_jobs, detected, components, spell_bins):
            """Causes, falls, spells and transitions, and the month's household metric parts (into ``c.out``):
            :meth:`RuralModel._status` with :meth:`_metric_parts` and :meth:`_more_parts` in one loop (the
            labour counts come with :meth:`market_parts`)."""
            from ..cohort import places as places_mod
            from .metrics import _MEDIAN_HIGH, _MEDIAN_LOW, MEDIAN_BIN

            p, H, o = c.p, c.hh, c.out
            nbins = int((_MEDIAN_HIGH - _MEDIAN_LOW) / MEDIAN_BIN) + 1
            n_c = c.n_counties
            comp, inc_county, reg_county = np.zeros((len(components), n_c)), np.zeros(n_c), np.zeros(n_c)
            falls, spell_hist = np.zeros(6, np.int64), np.zeros(spell_bins, np.int64)
            transitions, hist, counts = np.zeros(9, np.int64), np.zeros(nbins), np.zeros(len(ks.COUNTS), np.int64)
            gsum = np.zeros((len(ks.GROUP_SUMS), n_c, places_mod.N_CODES))
            gcount = np.zeros((len(ks.GROUP_COUNTS), n_c, places_mod.N_CODES), np.int64)
            december = m.month_of_year == 11
            ks.status(*(c.flows[k] for k in components), H.coop, m.grower_price, event, c.inc_sum, H.size, H.village,
                      H.county, c.new_disaster, lost_jobs, c.last_shock, c.last_shock_month, c.below, c.ever_below,
                      c.spell, c.mon_state, c.ever_monitored, c.state3, c.insured, int(m.t), m.poverty_line,
                      m.monitoring_line, f32(_MEDIAN_LOW), f32(_MEDIAN_HIGH), f32(MEDIAN_BIN),
                      float(p["shocks_cause_price_threshold"]), f32(p["shocks_cause_illness_share"]), detected,
                      c.reg_below, c.reg_inc, c.ever_below_reg, c.identified, c.ill_risk, c.cover, H.chronic,
                      c.category, places_mod.village_monitoring_lines(c, m.monitoring_line),
                      places_mod.chunk_villages(c, m.places.village_code), H.relocated, c.ring[m.t % 12], december,
                      float(p["monitoring_mass_return_threshold"]), c.n_villages,
                      comp, inc_county, reg_county, falls, spell_hist, transitions, hist, counts, gsum, gcount)
            for j, k in enumerate(components):
                o[k] = comp[j]
            o.update({k: int(v) for k, v in zip(ks.COUNTS, counts)})
            o.update(falls_by_cause=falls, spell_hist=spell_hist, transitions=transitions, inc_sum=inc_county,
                     median_hist=hist, registry_inc=reg_county)
            names = (*ks.GROUP_SUMS[:4], *ks.GROUP_COUNTS[:1], *ks.GROUP_SUMS[4:], *ks.GROUP_COUNTS[1:])
            arrays = (*gsum[:4], *gcount[:1], *gsum[4:], *gcount[1:])
            o["groups"] = {k: a for k, a in zip(names, arrays) if december or k in ks.GROUP_SUMS[:4]}

    def _test_terms(c, m):
        """The 低保 means test's left-out income (Dibao.test_income): share, subsidy per person, pension, and
        the employment-cost deduction per labourer."""
        p = c.p
        return (float(p["transfers_income_test_excludes"]), float(p["transfers_targeted_subsidies"] * c.levels["subsidies"]),
                float(m.pension), float(p["transfers_income_test_work_deduction"]))

    return NumbaKernels


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def select(n_households: int, requested: str | None = None):
    """The kernel set for a run: ``requested``, else ``RURALSIM_KERNELS``, else "auto"."""
    choice = (requested or os.environ.get("RURALSIM_KERNELS", "") or "auto").strip().lower()
    if choice not in ("auto", "numpy", "numba"):
        raise ValueError(f"kernels={choice!r} (or RURALSIM_KERNELS): use numpy, numba or auto")
    if choice == "numba" and not numba_available():
        raise ValueError("kernels='numba' but Numba is not installed: pip install 'ruralsim[fast]'")
    if choice == "numpy" or (choice == "auto" and (n_households < NUMBA_MIN_HOUSEHOLDS or not numba_available())):
        return NumpyKernels
    return _numba_kernels()
