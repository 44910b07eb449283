"""``RuralModel``: the formerly-poor cohort month by month, 2021-01 to 2030-12 by default.

One step is one month and reads as the ordered phases below; each phase is a short method.

    calendar  → year-start updates (wages, lines, insurance, 低保 review), transition support, budget ration
    shocks    → crop prices, migrant demand, village disasters, illness and its cost
    firms     → partner firms' and workshops' orders set their jobs; the post quota is set
    labour    → illness absences, training, separations, job search
    incomes   → wages, operating (farm, specialty crop, industry support), cooperative accounts and
                dividends, transfers, property, medical out-of-pocket after assistance
    policy    → monitoring finds households at risk; assistance, 低保 and temporary help follow
    status    → rolling 12-month income, poverty status, falls and their causes, spells
    collect   → one row of metrics

Households and labourers are NumPy arrays (see :mod:`ruralsim.population`); villages,
cooperatives, firms and workshops are Mesa agents whose behaviour is vectorised per type
(:mod:`ruralsim.agents`). No step loops over households.

Scale (issue 6): the national and collective phases run once per month; the household phases run
on chunks of whole counties (:mod:`ruralsim.chunking`), on the model's threads, with the hot ones
optionally compiled (:mod:`ruralsim.kernels`). Results never depend on the chunks, the threads or the
kernels: the whole cohort of A01 (~31M households) runs 60 months in about six minutes on two cores.

This module is the month; the rest of the model lives beside it: the set-up to 2020-12 and the levers'
switch (:mod:`.model_setup`), the assembly of metrics and the result tables (:mod:`.model_observation`),
and the constants and helpers they share (:mod:`.model_shared`).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from ..cohort import places as places_mod, population, start_cache
from ..cohort.chunking import (Part, Partial, Span, combine_counties, default_chunk_households, default_threads,
                               run_chunks)
from ..cohort.population import FARM, MONITORED, POST, WORKSHOP
from ..cohort.rng import Streams
from ..inputs import programme_paths
from ..inputs.parameters import table_value, value_in_year
from ..phases import categories, east_west, identification, labour, shocks
from ..phases.kernels import select as kernel_set
from ..phases.metrics import RENAMED_METRICS
from ..phases.transition import support_level, support_shortfall
from ..policy.levers import start_params
from .mesa_glue import batch_run_iteration, check_options, master_seed
from .model_observation import ModelObservation
from .model_setup import ModelSetUp, resolve_params, resolve_with_root  # noqa: F401  (public: resolve_params)
from .model_shared import (  # noqa: F401  (names users and docs import from here)
    BURN_IN_MONTHS, COMPONENTS, DISTRIBUTION_SAMPLE, FISCAL, MONITORING_FROM, N_KINDS, SPELL_BINS, WARMUP_MONTHS,
    _add, due_rows, gc_paused, growth_index, new_share_capital, no_dynamics)


def _metric(name: str, model: "RuralModel") -> Any:
    """Mesa reporter: one metric of the current month (wrapped in a picklable ``partial``)."""
    return model.current.get(name)


class RuralModel(ModelSetUp, ModelObservation, mesa.Model):
    """The ruralsim model. Build it from a scenario file, a :class:`Scenario`, or keyword overrides.

    >>> m = RuralModel(run_households=2000, run_months=24)   # the calibrated baseline  # doctest: +SKIP
    >>> df = m.run().timeseries()                                                      # doctest: +SKIP

    ``scenario`` defaults to the shipped, calibrated ``"baseline"``; give another shipped name, a path
    to a scenario file, a :class:`~ruralsim.config.Scenario`, or None for the schema's uncalibrated
    defaults. Keyword overrides use flat parameter names (``monitoring_detection_prob=0.3``); see
    ``ruralsim params``; NumPy scalars are accepted. ``replicate`` selects the replicate's random
    streams (the same replicate draws the same households in every scenario). Bad input raises
    :class:`~ruralsim.config.ConfigError`, a ``ValueError``.

    Mesa (:mod:`ruralsim.simulation.engine.mesa_glue`): ``seed=``/``rng=`` set ``run.seed``; repeat *k* of
    ``mesa.batch_run(iterations=N)`` runs replicate ``replicate + k``; Mesa's ``Step`` 0 is the state
    after the warm-up (2020-12) and step *k* the *k*-th simulated month (2021-01 is step 1).

    How the work is done, which never changes the results (:mod:`ruralsim.chunking`): ``threads``
    (default ``RURALSIM_THREADS`` or the cores), ``chunk_households`` (households per chunk of whole
    counties) and ``kernels`` ("numpy", "numba" or "auto", see :mod:`ruralsim.kernels`).
    """

    def __init__(self, scenario: str | Path | Any | None = "baseline", *, replicate: int = 0,
                 record_distribution: bool = True, threads: int | None = None,
                 chunk_households: int | None = None, kernels: str | None = None,
                 rng: int | np.random.Generator | None = None, seed: int | None = None, **kwargs: Any) -> None:
        # ``**kwargs`` (not another name): Mesa's SolaraViz exempts only a catch-all called ``kwargs``.
        opts = check_options(replicate, threads, chunk_households, kernels, record_distribution)
        mesa_seed = master_seed(rng, seed)
        if mesa_seed is not None:
            kwargs = {**kwargs, "run_seed": mesa_seed}
        self.scenario_name, p, root = resolve_with_root(scenario, kwargs)
        # The common start (issue 11): cohort, start-up fit, burn-in and warm-up under the root's levers;
        # the scenario's own levers are switched on at the first simulated month (:meth:`_switch_levers`).
        self.scenario_params, self.root_params = p, root
        p = start_params(p, root)
        self.p = p
        self.replicate = opts["replicate"] + batch_run_iteration()
        threads, chunk_households, kernels = opts["threads"], opts["chunk_households"], opts["kernels"]
        record_distribution = opts["record_distribution"]
        seed = int(p["run_seed"])
        # ``rng=`` (not the ``seed=`` that Mesa 3.5 deprecates) works on Mesa 3.1-3.x alike. The model's
        # own draws come from ``self.streams``; Mesa's generator is seeded only for reproducibility.
        super().__init__(rng=seed + self.replicate)
        self.streams = Streams(seed, self.replicate)
        self.record_distribution = record_distribution

        n = (population.national_households(p) if p["run_scale"] == "national" else int(p["run_households"]))
        self.threads = max(1, int(threads)) if threads else default_threads()
        self.months = int(p["run_months"])  # the run's length, not part of its start (start_cache.RUN_ONLY)
        self.chunk_target = chunk_households or default_chunk_households(n, self.threads)
        with gc_paused():  # the kernels loaded and the 2020-12 state built: long-lived objects, no garbage to find
            self.kern = kernel_set(n, kernels)
            self.streams.block_uniforms, self.streams.block_uniforms_every = self.kern.block_uniforms()
            self.streams.make_reader, self.streams.read_uniforms = self.kern.stream_readers()
            self.streams.block_normals = self.kern.block_normals()
            # The 2020-12 state, built once per start and reused (:mod:`ruralsim.simulation.cohort.start_cache`).
            self.start_origin = start_cache.establish(self, partial(self._set_up, n), self._rebuild_views)
        self._levers_pending = True  # switched on as 2021-01 opens (:meth:`step`): the model holds 2020-12 till then
        # Every metric of a month, the return-to-poverty dynamics included; step 0 is the state after
        # the warm-up, as Mesa models collect their initial state.
        reporters = {k: partial(_metric, k) for k in self.current}
        reporters.update({old: partial(_metric, new) for old, new in RENAMED_METRICS.items()})  # for one release
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.datacollector.collect(self)
        self.running = self.months > 0

    # ------------------------------------------------------------------------------------------
    # Set-up (cohort, burn-in, start fit, warm-up, levers: :mod:`.model_setup`); shared by set-up and step
    # ------------------------------------------------------------------------------------------
    def _chunks(self, fn) -> list[Partial]:
        """Apply ``fn(part)`` to every chunk (on the model's threads); the parts, in chunk order, keep
        only what ``fn`` reported (ledger, counts and per-county sums), not the chunk's arrays."""
        def run(span: Span) -> Part:
            part = Part(self, span)
            fn(part)
            return part.release()
        try:
            return run_chunks(run, self.spans, self.threads)
        finally:
            self.streams.forget_shared()

    def _migrant_market(self, demand_drop: float, month_of_year: int | None = None) -> None:
        """This month's migrant finding rate per unit of hiring weight (:func:`ruralsim.labour.migrant_rate`):
        the cohort's migrant jobs (``labour.migrant_jobs_share`` per labourer, growing at
        ``labour.migrant_jobs_growth``, less a declared fall in demand) shared among last month's seekers.
        Jobs grow a twelfth of the year's growth (compounded) each month, so January has no step."""
        p = self.p
        level = 1.0
        if month_of_year is not None:  # the year's growth spread over its months (the index is last December's)
            g = float(value_in_year(p["labour_migrant_jobs_growth"], self.year))
            level = growth_index(p["labour_migrant_jobs_growth"], self.start_year, self.year - 1) * (
                (1.0 + g) ** ((month_of_year + 1) / 12.0)) / self.migrant_jobs_index
        self.migrant_vacancies = (float(p["labour_migrant_jobs_share"]) * self.n_labourers * self.migrant_jobs_index
                                  * level * (1.0 - demand_drop))
        ceiling = float(p["labour_migrant_find_rate"]) * (1.0 - demand_drop)
        self.migrant_find = labour.migrant_rate(self.migrant_vacancies, self.market_migrants, self.market_weight,
                                                ceiling, float(p["labour_vacancy_fill_rate"]))
        # How open the market is (1: vacancies plentiful): guided migration places into the same vacancies.
        self.migrant_open = min(1.0, self.migrant_find / ceiling) if ceiling > 0 else 0.0
        # Seekers displaced for want of vacancies (expected people this month), all and the untrained.
        self.displaced = labour.displaced(ceiling, self.migrant_find, self.market_weight)
        self.displaced_untrained = labour.displaced(ceiling, self.migrant_find,
                                                    getattr(self, "market_weight_untrained", 0.0))

    def _market_and_projects(self, returns: float = 0.0) -> dict[str, float]:
        """The month's displacement in the migrant market and the industry projects' book (yuan, sample)."""
        return {"migrant_displaced": self.displaced, "migrant_displaced_untrained": self.displaced_untrained,
                "industry_returns": returns, "industry_capital": self.projects.live_capital(),
                "industry_failed_capital": self.projects.failed_capital, "national_factor": self.national_factor,
                "cohesion_fund_national": table_value(self.p, "budget_cohesion_fund", self.year) * self.p["budget_scale"],
                "industry_share_rule": float(value_in_year(self.p["budget_industry_share_rule"], self.year))}

    def _market_from(self, parts: list[Partial]) -> None:
        """The migrant market's national aggregates from the chunks' parts (county sums in county order)."""
        self.market_weight = combine_counties(parts, self.n_counties, "market_weight")
        self.market_weight_untrained = combine_counties(parts, self.n_counties, "market_weight_untrained")
        self.market_migrants = int(_add(parts, "market_migrants"))

    # ------------------------------------------------------------------------------------------
    # The step
    # ------------------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month through the phases listed in the module docstring.

        National and collective phases run once (:meth:`_calendar`, :meth:`_collective`); the
        household phases run chunk by chunk (:meth:`_households`); the month's totals are then
        combined (:meth:`_combine`).

        A step after the last month simulates nothing and sets ``running`` to False: Mesa 3.3's
        ``batch_run`` reports steps 0..n-1 of a model stepped n times, so the last month (step
        ``run.months``) is reported only if the model asks for one more step."""
        if self.t >= self.months:
            self.running = False
            return
        if self.t == 0 and self._levers_pending:
            self._switch_levers(self.scenario_params)
            self._levers_pending = False
        self._month()
        self.datacollector.collect(self)

    def _month(self) -> None:
        """Simulate one month (the warm-up calls this directly, outside Mesa's step counting)."""
        self._calendar()
        self._collective()
        self._combine(self._chunks(self._households))
        self.t += 1

    def _calendar(self) -> None:
        p = self.p
        year, moy = self.start_year + self.t // 12, self.t % 12
        self.month_of_year = moy
        self.support = support_level(p, self.t)
        self.ration = self.budget.start_month(year, moy)
        self.new_year = moy == 0
        if self.new_year:
            self._set_year_values(year)
        self._programme_levels(year)
        self.shortfall_months.append(support_shortfall(p, self.levels["subsidies"], self.levels["industry"],
                                                       self.ration))
        self.support_lost_12m = float(sum(self.shortfall_months))

    def _programme_levels(self, year: int) -> None:
        """This month's level of each programme (:mod:`ruralsim.simulation.inputs.programme_paths`) and what the
        regime after 2025 sets from them: the 低保/特困 standards, monitoring's line and detection (merged
        into the low-income system or not), the categories' packages, the able-bodied's post priority."""
        p = self.p
        self.levels = programme_paths.levels(p, year, self.support)
        self.dibao_standard = self.dibao_table * self.levels["dibao"]
        self.tekun_standard = self.tekun_table * self.levels["dibao"]
        after = year >= programme_paths.FIRST_PATH_YEAR
        merged = after and p["monitoring_after_2025"] == "merged"
        self.merged = merged
        self.monitoring_line = (p["monitoring_merged_line_multiple"] * self.dibao_standard if merged
                                else self.monitoring_table)
        self.detect_factor = self.levels["monitoring"] * (p["monitoring_merged_detection_factor"] if merged else 1.0)
        if self.t < MONITORING_FROM:  # the warm-up's months before the monitoring mechanism existed: no channel
            self.levels = {**self.levels, "monitoring": 0.0}
            self.detect_factor = 0.0
        self.packages = categories.packages_on(p, year)
        self.training_priority_factor = p["categories_training_factor"] if self.packages else 1.0
        self.post_other_priority = p["posts_other_priority"] * (p["categories_able_posts"] if after else 1.0)

    def _collective(self) -> None:
        """Shocks and decisions of the national economy and the collective agents (small arrays)."""
        p, t = self.p, self.t
        year, moy = self.year, self.month_of_year
        on, started = shocks.window(p, "migrant_demand_drop", year, moy)
        self.demand_drop = float(p["shocks_migrant_demand_drop"]) if on else 0.0
        self.demand_drop_started = started
        self._migrant_market(self.demand_drop, moy)
        price_on, _ = shocks.window(p, "price_drop", year, moy)
        self.coops.update_prices(p, self.streams.small_normal("crop.price", t, self.coops.n_crops),
                                 float(p["shocks_price_drop"]) if price_on else 0.0)
        self.new_disaster = self.villages.disasters(p, self.streams.small("village.disaster", t, self.n_villages))
        # Firms' and workshops' orders set their jobs; the post quota is set.
        self.firms.step(p, self.streams.small_normal("firm.orders", t, self.firms.n))
        eps = self.streams.small_normal("workshop.orders", t, self.n_villages)[self.workshops.village]
        self.workshops.step(p, self.year, eps, self.levels["workshops"] * self.ration)
        self.post_quota = self.prog_posts.quota()
        # Cooperative accounts: the grower price, a month of profit, dividends per share at year end.
        self.grower_price = self.coops.grower_price(p)
        self.coops.month(p, self.farm_index)
        self.per_share = self.coops.close_year(p) if moy == 11 else None
        # Industry projects: this month's failures, then the returns per person of those still alive.
        self.projects.fail(self.streams.small("industry.projects", t, self.projects.n_projects))
        self.industry_op_pp, self.industry_asset_pp = self.projects.returns_per_person(t)

    def _households(self, c: Part) -> None:
        """The household phases of the month, for one chunk of whole counties."""
        if self.new_year:
            self._insurance_year(c)
        c.hardship[:] = False
        if self.t > -WARMUP_MONTHS:
            self._birthdays(c)
        self._categorise(c)
        self._dibao_reviews(c)
        event, oop = self._shocks(c)
        lost_jobs = self._labour(c, event)
        if not c.kern.fast:  # the Numba incomes kernel places them in its loop over labourers
            east_west.placement(c)
        flows = self._incomes(c, oop)
        places_mod.industry_top_up(c, flows)  # the key-county lever (none at its neutral value)
        detected = self._policy(c, flows, oop, lost_jobs)
        self._registry_year(c, flows)
        self._status(c, flows, event, lost_jobs, detected)
        self._support_but_for(c)
        c.out.update(labour.market_parts(c))

    def _insurance_year(self, c: Part) -> None:
        """January: the year's medical-insurance enrolment (enrolment is by calendar year). Without the
        premium subsidy some drop out (``medical.dropout_without_subsidy``)."""
        p = self.p
        participation = p["medical_participation"] * (
            1.0 - p["medical_dropout_without_subsidy"] * (1.0 - min(self.levels["medical"], 1.0)))
        c.insured[:] = c.uh("hh.insured") < participation

    def _birthdays(self, c: Part) -> None:
        """People age a year in their birth month, a twelfth of the cohort each month (rows whose index is
        the month mod 12), so retirements, deaths and comings of age are spread over the year."""
        from ..phases import demography

        demography.year_of_life(c, due_rows(c.span.h0, c.n_households, self.month_of_year),
                                due_rows(c.span.l0, c.n_labourers, self.month_of_year))

    def _categorise(self, c: Part) -> None:
        """Each household's category (:mod:`ruralsim.simulation.phases.categories`), at its annual review month
        (the 低保 review's rows) or every month (``categories.review``); from January 2026, with posts ended for
        the able-bodied (``categories.able_posts = 0``), the full labourers holding a post leave it."""
        monthly = self.p["categories_review"] == "monthly"
        rows = slice(None) if monthly else due_rows(c.span.h0, c.n_households, self.month_of_year)
        if c.kern.fast:
            c.kern.categorise(c, rows)
        else:
            categories.update(c, rows)
        if self.t >= 0 and self.year == programme_paths.FIRST_PATH_YEAR and self.month_of_year == 0:
            categories.release_able_posts(c)

    def _dibao_reviews(self, c: Part) -> None:
        """The 低保 and 特困 means test, each household once a year in its own month (a twelfth each
        month), so enrolment moves smoothly; the standards of the current year apply."""
        rows = due_rows(c.span.h0, c.n_households, self.month_of_year)
        # A household not yet enrolled nor identified applies with the take-up probability: a fresh draw at
        # each review (the month's address), so non-take-up is a chance each year, not a lifelong trait.
        takeup = c.uh_due("hh.dibao_takeup")  # only the month's rows are read
        single = c.uh_due("hh.single_takeup")
        if c.kern.fast:  # the kernel runs the month's exits and reads categories.no_draw over the chunk's rows
            c.kern.dibao_review(c, self, rows, takeup, single)
            return
        self.prog_dibao.exits(c)
        test = self.prog_dibao.test_income(c, c.inc_sum - 12.0 * c.dibao)[rows]
        takeup, single = takeup[rows], single[rows]
        self.prog_dibao.review(c, test, takeup, single, self.dibao_standard, self.tekun_standard, rows,
                               categories.no_draw(c, rows))

    def _shocks(self, c: Part) -> tuple[np.ndarray, np.ndarray]:
        """Illness and its cost, and new chronic illness (households' shocks; the others are collective)."""
        event, oop = shocks.illness(c, c.uh("hh.illness"), c.nh("hh.illness_cost"), self.prog_medical.oop_shares(c))
        shocks.chronic(c, c.uh("hh.chronic"), c.uh("hh.chronic_end"))
        return event, oop

    def _labour(self, c: Part, event: np.ndarray) -> np.ndarray:
        L = c.labs
        c.kern.tick_absences(L.absent)
        lost_ill = shocks.illness_absence(c, event)
        if c.kern.fast:  # training, separations and search in one kernel (two loops over labourers, and lists)
            enrolled, lost_hh = c.kern.labour(c, self, lost_ill, True, self.prog_industry.moved(c))
            self.prog_training.book_enrolled(c, enrolled)
            return lost_hh
        self.prog_training.step(c, c.ul("lab.train"), c.ul("lab.place"), self.prog_industry.moved(c))
        lost = labour.separations(c, c.ul("lab.sep"), c.ul("lab.trim"), c.ul("lab.kind"), self.demand_drop)
        labour.search(c, c.ul("lab.find"), self.migrant_find, c.mon_state == MONITORED)
        lost_hh = np.zeros(c.n_households, bool)
        lost_hh[L.hh[(lost & (L.status != POST)) | lost_ill]] = True
        return lost_hh

    def _incomes(self, c: Part, oop: np.ndarray) -> dict[str, np.ndarray]:
        p, H, L, flows = self.p, c.hh, c.labs, c.flows
        if c.kern.fast:  # the wages too, in the same loop over labourers
            c.kern.incomes(c, self, oop)
        else:
            wage_l = labour.wages(c)
            flows["wage"][:] = np.bincount(L.hh, wage_l, minlength=c.n_households)
            self.prog_posts.pay(c, wage_l, L.status == POST)
            self.prog_workshops.pay(c, L.status == WORKSHOP)
            land_own, farm_factor = self._farm_land(c)
            loss = np.where(c.disaster_left[H.village] > 0, 1.0 - p["shocks_disaster_loss"], 1.0)
            spec_price = self.grower_price[np.maximum(H.coop, 0)] - p["coop_crop_cost_share"]
            specialty = np.where(H.coop >= 0, H.crop_mu * p["coop_crop_revenue_per_mu"] * spec_price, 0.0)
            project_op, project_asset = self.prog_industry.returns(c)
            flows["operating"][:] = ((land_own * farm_factor * H.farm_q + specialty) * (self.farm_index / 12.0)
                                     * loss + project_op)
            flows["property"][:] = c.pooled_mu_hh * np.float32(p["coop_land_rent"] / 12.0) + project_asset
            able = (c.mon_state == MONITORED) & (H.n_lab > 0)
            self.prog_industry.invest(c, int(np.count_nonzero(able)))
            c.out["industry_returns"] = c.hh_sum(project_op) + c.hh_sum(project_asset)
            flows["transfer"][:] = (self.prog_subsidies.transfer(c) + H.n_elderly * (self.pension / 12.0)
                                    + self.prog_dibao.transfer(c))
            flows["medical"][:] = self.prog_medical.assist(c, oop)
        categories.extra_medical(c, oop, flows["medical"])  # the 兜底 package (from 2026), either kernel set
        if self.per_share is not None:  # year end: cooperative dividends
            div, subsidy = self.coops.dividends(H, self.per_share, self.prog_dividends.rate())
            self.prog_dividends.pay(c, subsidy, int(np.count_nonzero(H.coop >= 0)))
            flows["property"] += div
            c.out["dividends_paid"] = c.hh_sum(div)
        return flows

    def _policy(self, c: Part, flows: dict[str, np.ndarray], oop: np.ndarray, job_lost: np.ndarray) -> np.ndarray:
        """Monitoring and assistance on the alert signal (the rolling income including this month, large
        rigid spending, sudden hardship); one-off measures are paid this month. The NumPy code below is the
        reference; the Numba kernels do the same in one loop over households and one over labourers."""
        H = c.hh
        if c.kern.fast:
            # The hardship draw is read only in villages hit by a new disaster: it is made at their households only
            # (households are sorted by village).
            u_hardship = c.uh_at("hh.hardship", c.kern.group_rows(np.flatnonzero(c.new_disaster), c.village_first))
            return c.kern.policy(c, self, flows, oop, u_hardship, job_lost)
        slot = self.t % 12
        net = flows["wage"] + flows["operating"] + flows["transfer"] + flows["property"] - flows["medical"]
        annual = c.inc_sum - c.ring[slot] + net
        pc = annual / H.size
        sudden = c.hardship | (c.new_disaster[H.village] & (c.uh("hh.hardship") < self.p["monitoring_hardship_share"]))
        # Each region's monitoring line (provinces set their own, P09): a per-household array.
        detected, hardship, able = self.prog_monitoring.step(c, pc, oop, annual,
                                                             places_mod.monitoring_lines(c, self.monitoring_line),
                                                             c.uh("hh.detect"), sudden, job_lost)
        grant = self.prog_industry.grant(c, detected & able, categories.grant_factor(c))
        flows["operating"] += grant
        self.prog_monitoring.place(c, c.ul("lab.assist"))
        if self.p["monitoring_enrol_identified"]:
            test = self.prog_dibao.test_income(c, annual + grant - 12.0 * c.dibao)
            self.prog_dibao.enrol_detected(c, detected, able, test, self.dibao_standard, self.tekun_standard)
        temp = self.prog_temporary.pay(c, hardship)
        c.measures[hardship] = np.minimum(c.measures[hardship] + 1, 100)
        flows["transfer"] += temp
        c.ring[slot] = net + grant + temp
        c.inc_sum[:] = c.ring.sum(axis=0, dtype=np.float32)
        return detected

    def _registry_year(self, c: Part, flows: dict[str, np.ndarray]) -> None:
        """The registry measure: each household's calendar-year per-capita net income (纯收入, all sources
        including transfers, medical costs not deducted), tested against the year's poverty line once a
        year, in December (the annual income check). With the Numba kernels the month's income is added to the
        year's in the policy kernel's pass (:func:`kernels_policy.policy`); the year is closed here."""
        if not c.kern.fast:
            c.year_inc += c.ring[self.t % 12] + flows["medical"]
            c.year_med += flows["medical"]
        if self.month_of_year == 11:
            c.reg_inc[:] = c.year_inc
            c.year_inc[:] = 0.0
            c.reg_below[:] = c.reg_inc / c.hh.size < self.poverty_line
            if self.t == -1:  # end-2020: the poverty-exit verification (A01)
                identification.exit_verification(c, self)
            identification.annual_check(c, places_mod.monitoring_lines(c, self.monitoring_line),
                                        c.uh("hh.annual_check"))
            c.year_med[:] = 0.0
            if self.t >= 0:
                c.ever_below_reg |= c.reg_below

    def _status(self, c: Part, flows, event, lost_jobs, detected) -> None:
        """Poverty status, falls and their causes, spells, state transitions; then the month's metric parts."""
        if c.kern.fast:  # with the metric parts in one loop (the labour counts come with labour.market_parts)
            c.kern.status(c, self, event, lost_jobs, detected, COMPONENTS, SPELL_BINS)
            return
        H, t, o = c.hh, self.t, c.out
        for k in COMPONENTS:
            o[k] = c.hh_sum(flows[k])
        # Record this month's shocks; the most telling one wins when several coincide.
        price_hit = (H.coop >= 0) & (self.grower_price[np.maximum(H.coop, 0)] < self.p["shocks_cause_price_threshold"])
        # Illness counts as a cause only when its cost was material (shocks.cause_illness_share of annual income).
        costly = event & (flows["medical"] > self.p["shocks_cause_illness_share"] * np.maximum(c.inc_sum, 1.0))
        for code, mask in ((shocks.PRICE, price_hit), (shocks.DISASTER, c.new_disaster[H.village]),
                           (shocks.JOB_LOSS, lost_jobs), (shocks.ILLNESS, costly)):
            c.last_shock[mask] = code
            c.last_shock_month[mask] = t
        pc = c.inc_sum / H.size
        was_below = c.below.copy()
        below = pc < self.poverty_line
        falls = below & ~was_below
        recent = (t - c.last_shock_month) <= 12
        cause = np.where(recent, c.last_shock, 0)
        o["falls_by_cause"] = np.bincount(cause[falls], minlength=len(shocks.CAUSES))
        o["reentries"] = int(np.count_nonzero(falls & c.ever_below))
        ended = was_below & ~below
        o["recoveries"] = int(np.count_nonzero(ended))
        o["spell_hist"] = np.bincount(np.minimum(c.spell[ended], SPELL_BINS - 1), minlength=SPELL_BINS)
        c.spell[:] = np.where(below, c.spell + 1, 0)
        c.ever_below |= below
        c.below[:] = below
        state3 = np.where(below, 2, np.where(c.mon_state == MONITORED, 1, 0)).astype(np.int8)
        o["transitions"] = np.bincount(c.state3 * 3 + state3, minlength=9)
        c.state3[:] = state3
        o["detected"] = int(np.count_nonzero(detected))
        self._metric_parts(c, pc)

    def _support_but_for(self, c: Part) -> None:
        """A fall that full targeted support would have prevented is counted as "end of support",
        whatever other shock came with it: the household's income over the last 12 months plus what the
        per-person targeted programmes did not pay (:func:`ruralsim.transition.support_shortfall`)
        would have kept it at or above the line. Runs after either kernel set, on this month's fallers only."""
        lost = self.support_lost_12m
        if lost <= 0.0:
            return
        fell = np.flatnonzero(c.below & (c.spell == 1))
        saved = fell[c.inc_sum[fell] / c.hh.size[fell] + np.float32(lost) >= self.poverty_line]
        if saved.size == 0:
            return
        was = np.where(self.t - c.last_shock_month[saved] <= 12, c.last_shock[saved], 0)
        counts = c.out["falls_by_cause"]
        counts -= np.bincount(was, minlength=len(counts)).astype(counts.dtype)
        counts[shocks.SUPPORT_END] += saved.size

    # ------------------------------------------------------------------------------------------
    # Metrics and results (the parts' assembly and the result tables: :mod:`.model_observation`)
    # ------------------------------------------------------------------------------------------
    def _date(self, t: int) -> pd.Timestamp:
        return pd.Timestamp(year=self.start_year + t // 12, month=t % 12 + 1, day=1)

    def run(self, progress: bool = False) -> "RuralModel":
        """Step to the end of the run; ``progress`` shows a bar."""
        months = range(self.t, self.months)
        if progress:
            from tqdm.auto import tqdm

            months = tqdm(months, desc=f"{self.scenario_name} r{self.replicate}", unit="month", leave=False)
        for _ in months:
            self.step()
        self.running = False  # nothing left to simulate
        return self

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------
    @staticmethod
    def _farm_land(c: Part) -> tuple[np.ndarray, np.ndarray]:
        """Own land left after pooling, and how fully it is farmed (full if a labourer farms it)."""
        H, L = c.hh, c.labs
        farming = np.bincount(L.hh[L.status == FARM], minlength=c.n_households) > 0
        idle = np.float32(c.p["farm_idle_land_intensity"])
        return H.land - c.pooled_mu_hh, np.where(farming, np.float32(1.0), idle)
