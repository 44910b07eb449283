"""The model's set-up: the cohort, the start-up fit, the burn-in and the warm-up to 2020-12, and the
switch of a scenario's own levers as 2021 opens.

A mixin of :class:`~ruralsim.simulation.engine.model.RuralModel` (its methods read and write the model's
state); what it builds is the common start that :mod:`ruralsim.simulation.cohort.start_cache` keeps.
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..cohort import places as places_mod, population
from ..cohort.chunking import Part, combine_counties, partition
from ..cohort.population import MONITORED
from ..inputs.parameters import table_value
from ..phases import categories, identification, labour, shocks
from ..phases.projects import Projects
from ..policy.budget import Budget
from ..policy.levers import changed_levers
from ..policy.programmes import (DividendGuarantee, Dibao, IndustrySupport, MedicalAssistance, Monitoring,
                                 PublicPosts, TargetedSubsidies, TemporaryAssistance, Training, Workshops)
from . import group_metrics
from .agents import (Cooperative, CooperativeSector, Enterprise, EnterpriseSector, Village, VillageSector,
                     Workshop, WorkshopSector)
from .model_shared import (COMPONENTS, BURN_IN_MONTHS, WARMUP_MONTHS, _YEAR_BEFORE_WARMUP, _BURN_IN_STREAM_OFFSET,
                           SPELL_BINS, gc_paused, growth_index, N_KINDS, new_share_capital, _labourer_kind,
                           no_dynamics)


def resolve_params(scenario: str | Path | Any | None, overrides: dict[str, Any]) -> tuple[str, dict]:
    """Scenario (a shipped name such as ``"baseline"``, a file, a :class:`~ruralsim.config.Scenario`,
    or None for the schema's defaults) plus checked keyword overrides -> (scenario name, flat parameters)."""
    name, params, _ = resolve_with_root(scenario, overrides)
    return name, params


def resolve_with_root(scenario: str | Path | Any | None, overrides: dict[str, Any]) -> tuple[str, dict, dict]:
    """As :func:`resolve_params`, plus the parameters of the scenario's root file (the top of its
    ``extends`` chain; the defaults without a file), whose levers the common start is built under
    (:mod:`ruralsim.simulation.policy.levers`)."""
    from ..inputs.config import (MEMORY, ConfigError, Scenario, check_overrides, check_place_shares, find_scenario,
                                 load_scenario, path_problems)
    from ..inputs.parameters import defaults

    if scenario is None:
        name, params, root = "defaults", defaults(), defaults()
    else:
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(find_scenario(scenario))
        name, params = sc.name, sc.params
        root = load_scenario(sc.chain[0]).params if sc.chain and sc.path != MEMORY else defaults()
    checked = check_overrides(overrides)
    params.update(checked)
    problems = path_problems(params, set(checked), "keyword arguments")
    if problems:
        raise ConfigError(problems)
    if checked:
        check_place_shares(params, "keyword arguments", set(checked))
    return name, params, root


class ModelSetUp:
    """Set-up phases of :class:`RuralModel` (built once per start, then cached)."""

    def _set_up(self, n: int) -> None:
        """The common start: cohort, start-up fit, burn-in and warm-up (what :mod:`.start_cache` keeps)."""
        p = self.p
        self.hh, self.labs, self.structure = population.build(p, n, self.streams, self.threads)
        self.places = self.structure.places
        self.n_households, self.n_labourers = self.hh.n, self.labs.m
        self.n_villages, self.n_counties = self.structure.n_villages, self.structure.n_counties
        self.start_year = int(p["run_start_year"])
        self._cut_chunks()
        self._init_state()
        self._init_agents()
        self._burn_in()
        self._calibrate_start()
        places_mod.apply_wage_levels(p, self.hh, self.places)  # regions' wages around the calibrated level
        self._warm_up()

    def _cut_chunks(self) -> None:
        self.spans = partition(self.hh.county, self.hh.village, self.labs.hh, self.chunk_target)
        self.streams.share_blocks(self.n_households, [s.h0 for s in self.spans])
        self.streams.share_blocks(self.n_labourers, [s.l0 for s in self.spans])

    def _rebuild_views(self) -> None:
        """After a start is restored: this model's chunks and its Mesa agent handles."""
        self._cut_chunks()
        self._init_agents()

    def _init_state(self) -> None:
        n, H, L = self.n_households, self.hh, self.labs
        self.t = 0
        self.support, self.ration = 1.0, 1.0
        self.new_share_capital = 0.0  # fiscal share capital issued at the lever switch, booked in that month
        # Per person, what full targeted support would have added over the last 12 months (but-for).
        self.shortfall_months: deque[float] = deque([0.0] * 12, maxlen=12)
        self.support_lost_12m = 0.0
        self.demand_drop, self.demand_drop_started = 0.0, False
        self.new_year, self.new_disaster, self.per_share = False, None, None
        self.people = int(H.size.sum(dtype=np.int64))
        self.insured = np.ones(n, np.int8)
        self.dibao = np.zeros(n, np.float32)        # monthly 兜底 payment (低保, 单人保 or 特困)
        self.cover = np.zeros(n, np.int8)           # which: see programmes.DIBAO, SINGLE, TEKUN
        self.year_inc = np.zeros(n, np.float32)     # registry income of the calendar year so far
        self.year_med = np.zeros(n, np.float32)     # ... and its medical out-of-pocket spending (the annual check)
        self.annual_due = np.full(n, identification.NO_DUE, np.int16)  # month the annual check identifies it
        self.data_due = np.full(n, identification.NO_DUE, np.int16)    # month a departments' data signal is matched
        self.dibao_exit = np.zeros(n, np.int8)      # months left of a 渐退 (gradual exit) from 兜底
        self.id_wait_hist = np.zeros(identification.WAIT_BINS, np.int64)  # this year's waits to identification
        self.merged = False                         # monitoring merged into the low-income system (from 2026)
        self.reg_inc = np.zeros(n, np.float32)      # registry income of the last completed calendar year
        self.reg_below = np.zeros(n, bool)          # below the poverty line on it (the registry measure)
        self.ever_below_reg = np.zeros(n, bool)     # ... in some completed year since 2021
        self.identified = np.zeros(n, np.int8)      # identified by monitoring at least once since 2021-01
        self.ill_risk = np.zeros(n, np.int8)        # ... with an illness-related risk (P30)
        self.measures = np.zeros(n, np.int8)        # assistance measures received in the current episode
        self.episode = np.zeros(n, np.int8)         # months left of a job-placement episode
        self.hardship = np.zeros(n, bool)           # this month: a labourer died (sudden hardship)
        self.mon_state = np.zeros(n, np.int8)
        self.ever_monitored = np.zeros(n, np.int8)
        self.risk_months = np.zeros(n, np.int16)
        self.safe_months = np.zeros(n, np.int16)
        self.ring = np.zeros((12, n), np.float32)
        self.inc_sum = np.zeros(n, np.float32)
        self.below = np.zeros(n, bool)
        self.ever_below = np.zeros(n, bool)
        self.spell = np.zeros(n, np.int16)
        self.state3 = np.zeros(n, np.int8)
        self.last_shock = np.zeros(n, np.int8)
        self.last_shock_month = np.full(n, -999, np.int16)
        self.full_labourers = np.bincount(L.hh[L.weak == 0], minlength=n).astype(np.int8)
        # Categorised assistance (分层分类, :mod:`ruralsim.simulation.phases.categories`): recomputed at each review.
        self.category = categories.categorise(self.full_labourers, H.n_lab, H.chronic, np.zeros(n, bool))
        self.people_now = self.people
        # This month's income components per household (written chunk by chunk; kept for inspection).
        self.flows = {c: np.zeros(n, np.float32) for c in COMPONENTS}
        self.comp_ring = {c: np.zeros(12) for c in COMPONENTS}
        self.spell_hist = np.zeros(SPELL_BINS, np.int64)
        self.ledger: dict[str, float] = defaultdict(float)
        self.reached: dict[str, float] = defaultdict(float)
        self.records: list[dict] = []
        self.group_book = group_metrics.GroupBook()  # per place group: 12-month rings and December rows
        self.distribution: list[pd.DataFrame] = []
        self.current: dict[str, Any] = {}
        self.villages = VillageSector(self.structure)
        self.coops = CooperativeSector(self.p, H, self.structure)
        self.firms = EnterpriseSector(self.p, self.structure)
        self.workshops = WorkshopSector(self.p, self.structure)
        self.budget = Budget(self.p, float(self.people))
        self.national_factor = float(self.p["population_national_people"]) / float(self.people)  # sample -> nation
        self.displaced = self.displaced_untrained = 0.0
        self.projects = Projects(self.p, np.bincount(H.county, H.size, minlength=self.n_counties))
        self.industry_op_pp, self.industry_asset_pp = self.projects.returns_per_person(self.t)
        self.prog_subsidies = TargetedSubsidies(self)
        self.prog_industry = IndustrySupport(self)
        self.prog_training = Training(self)
        self.prog_posts = PublicPosts(self)
        self.prog_workshops = Workshops(self)
        self.prog_dividends = DividendGuarantee(self)
        self.prog_medical = MedicalAssistance(self)
        self.prog_dibao = Dibao(self)
        self.prog_temporary = TemporaryAssistance(self)
        self.prog_monitoring = Monitoring(self)
        self.programmes = [v for k, v in vars(self).items() if k.startswith("prog_")]
        self.villages.update_detection(self.p, self.structure.team_size)
        self._set_year_values(self.start_year - 1)
        self._programme_levels(self.start_year - 1)
        self.grower_price = self.coops.grower_price(self.p)

    def _init_agents(self) -> None:
        """Register the collective agents with Mesa (one handle per village, cooperative, firm, workshop), with
        the garbage collector paused (:func:`.model_shared.gc_paused`): the handles, their dicts and Mesa's weak
        references to them (~35,000 objects at 1M households) are long-lived and none is garbage, yet making them
        set off collections up to one of the whole heap (0.1 s of the set-up's serial time). A model pauses it
        for its whole set-up; this is also called alone, when a start is restored from the cache."""
        with gc_paused():
            for cls, count in ((Village, self.n_villages), (Cooperative, self.coops.n),
                               (Enterprise, self.firms.n), (Workshop, self.workshops.n)):
                for i in range(count):  # a loop over collective agents, not households
                    cls(self, i)

    def _set_year_values(self, year: int) -> None:
        p = self.p
        self.year = year
        self.wage_index = growth_index(p["labour_wage_growth"], self.start_year, year)
        # Migrant wages: the national migrant series times the cohort's catch-up on it (the registry's income path).
        self.migrant_wage_index = (growth_index(p["labour_migrant_wage_growth"], self.start_year, year)
                                   * growth_index(p["labour_cohort_wage_catchup"], self.start_year, year))
        self.migrant_jobs_index = growth_index(p["labour_migrant_jobs_growth"], self.start_year, year)
        self.farm_index = growth_index(p["farm_productivity_growth"], self.start_year, year)
        # Every level table continues after its last listed year by its declared growth rule.
        self.poverty_line = table_value(p, "monitoring_poverty_line", year)
        self.monitoring_line = table_value(p, "monitoring_line", year)
        self.dibao_standard = self.dibao_table = table_value(p, "transfers_dibao_standard", year)
        self.tekun_standard = self.tekun_table = table_value(p, "transfers_tekun_standard", year)
        self.monitoring_table = self.monitoring_line
        self.pension = table_value(p, "transfers_pension", year)
        # Industry support per person moves with the fund that finances it (its yearly table and growth rule).
        self.fund_index = (table_value(p, "budget_cohesion_fund", year)
                           / table_value(p, "budget_cohesion_fund", self.start_year))

    def _burn_in(self) -> None:
        """Run the labour market alone for two years before 2021 so statuses start in equilibrium,
        and learn each labourer type's expected wage (at unit earning potential) over the last year."""
        self.post_quota = self.prog_posts.quota()
        wage_sums = np.zeros((self.n_counties, N_KINDS))
        year_keys = None
        self._market_from(self._chunks(lambda c: c.out.update(labour.market_parts(c))))
        for k in range(_BURN_IN_STREAM_OFFSET - BURN_IN_MONTHS, _BURN_IN_STREAM_OFFSET):
            self.firms.step(self.p, self.streams.small_normal("firm.orders", k, self.firms.n))
            self.workshops.step(self.p, self.start_year - 1,
                                self.streams.small_normal("workshop.orders", k, self.n_villages)[
                                    self.workshops.village], 1.0)
            self._migrant_market(0.0)
            if k == _BURN_IN_STREAM_OFFSET - 12:  # where each labourer stands as the learning year begins
                key_parts = self._chunks(self._year_key)
                year_keys = {part.span: part.out["year_key"] for part in key_parts}
            parts = self._chunks(partial(self._burn_in_month, month=k, year_keys=year_keys))
            self._market_from(parts)
            for part in parts:
                if year_keys is not None:
                    wage_sums[part.span.c0:part.span.c1] += part.out["kind_wages"]
        # Expected wage over the next year by type (weak x skill x age band) and standing when the year
        # begins: the start is fitted to what a labourer in that position can expect to earn in the year
        # that follows, so a household between jobs at the fit is neither penalised nor overpaid.
        count = sum(part.out["kind_count"] for part in key_parts)
        self.expected_wage = np.divide(wage_sums.sum(axis=0), count, out=np.zeros(N_KINDS), where=count > 0)
        self.ledger.clear()
        self.reached.clear()

    @staticmethod
    def _year_key(c: Part) -> None:
        """Each labourer's cell of the wage table by county (chunk-local) as the learning year begins, and the
        labourers per cell: made once for the year, as the standing is the year's first and the type does not
        change in the burn-in (no birthdays before the warm-up, no training before 2021)."""
        kind = _labourer_kind(c.labs)
        c.out.update(year_key=c.lab_county.astype(np.int64) * N_KINDS + kind,
                     kind_count=np.bincount(kind, minlength=N_KINDS))

    def _burn_in_month(self, c: Part, month: int, year_keys: dict | None) -> None:
        L = c.labs
        c.kern.tick_absences(L.absent)
        # Only the episodes matter here (costs are not counted before the warm-up): their cost draws,
        # addressed apart from every other month's, are not made.
        event, _ = shocks.illness(c, c.uh("hh.illness", month), np.zeros(c.n_households, np.float32), 0.0)
        lost_ill = shocks.illness_absence(c, event, month)
        if c.kern.fast:  # separations and search (no training before 2021) in the month's labour kernel
            c.kern.labour(c, self, lost_ill, False, month=month)
        else:
            labour.separations(c, c.ul("lab.sep", month), c.ul("lab.trim", month), c.ul("lab.kind", month), 0.0)
            labour.search(c, c.ul("lab.find", month), self.migrant_find, np.zeros(c.n_households, bool))
        c.out.update(labour.market_parts(c))
        if year_keys is not None:  # wages by county and cell, summed in row order (independent of chunking)
            c.out["kind_wages"] = np.bincount(year_keys[c.span], labour.wages(c), minlength=c.n_counties * N_KINDS
                                              ).reshape(c.n_counties, N_KINDS)

    def _calibrate_start(self) -> None:
        """Set earning potential and farm productivity so 2020 incomes match the drawn targets (P03).

        Each household's 2020 per-capita income target is drawn in :func:`population.build`; here its
        non-wage income is computed from the model's own rules, and its earning potential ``phi``
        (clipped to [0.2, 5]) is set so wages make up the rest. Own-farm productivity is scaled so
        mean operating income matches ``population.operating_income_2020`` (A17).
        """
        p = self.p
        parts = self._chunks(self._calibration_sums)
        total = {k: combine_counties(parts, self.n_counties, k) for k in ("spec", "subsidy", "base")}
        # With no farmable land at all (population.land_mu_mean = 0) own farming earns nothing.
        self.qbar = (max(0.0, (p["population_operating_income_2020"] * self.people - total["spec"]
                               - total["subsidy"]) / total["base"]) if total["base"] > 0 else 0.0)
        self.coops.month(p, self.farm_index)
        self.coops.profit_ytd *= 12.0
        self.per_share = self.coops.close_year(p)
        parts = self._chunks(self._calibrate_chunk)
        for k in COMPONENTS:
            self.comp_ring[k][:] = combine_counties(parts, self.n_counties, k) / 12.0
        self.per_share = None

    def _calibration_parts(self, c: Part) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Specialty-crop income, industry subsidy and own-farm income at unit productivity, 2020."""
        p, H = c.p, c.hh
        land_own, farm_factor = self._farm_land(c)
        spec = H.crop_mu * p["coop_crop_revenue_per_mu"] * self.farm_index * (
            self.grower_price[np.maximum(H.coop, 0)] - p["coop_crop_cost_share"])
        spec = np.where(H.coop >= 0, spec, 0.0)
        subsidy = p["farm_industry_subsidy"] * H.size
        base = land_own * farm_factor * H.farm_q * self.farm_index
        return spec, subsidy, base

    def _calibration_sums(self, c: Part) -> None:
        spec, subsidy, base = self._calibration_parts(c)
        c.out.update(spec=c.hh_sum(spec), subsidy=c.hh_sum(subsidy), base=c.hh_sum(base))

    def _calibrate_chunk(self, c: Part) -> None:
        p, H, L = self.p, c.hh, c.labs
        spec, subsidy, base = self._calibration_parts(c)
        H.farm_q *= np.float32(self.qbar)
        operating = base * self.qbar + spec + subsidy
        rent = c.pooled_mu_hh * p["coop_land_rent"]
        dividends, _ = self.coops.dividends(H, self.per_share, p["coop_guaranteed_dividend_rate"])
        transfers = p["transfers_targeted_subsidies"] * H.size + H.n_elderly * self.pension
        lam = (p["shocks_illness_rate"] * p["shocks_illness_multiplier"] * H.size
               * np.where(H.chronic == 1, p["shocks_chronic_risk"], 1.0))
        medical = lam * p["shocks_illness_cost"] * p["medical_oop_share_insured"]
        # The 2020 target (P03) is registry income (纯收入): medical costs are not deducted from it.
        nonwage = operating + transfers + rent + dividends
        target = H.target_pc.astype(float) * H.size
        W = np.bincount(L.hh, self.expected_wage[_labourer_kind(L)], minlength=c.n_households)
        phi = np.where(W > 0, np.clip((target - nonwage) / np.maximum(W, 1.0), 0.2, 5.0), 1.0)
        H.phi[:] = phi
        wages = phi * W
        pre_dibao = wages + nonwage - medical
        # The cover the households bring to the start: the system has been running, so an eligible household
        # under the monitoring line that the annual check finds is enrolled (应保尽保); the others applied with
        # the take-up probability.
        lines = places_mod.monitoring_lines(c, self.monitoring_line)
        found = (((pre_dibao + medical) / H.size < lines)
                 & (c.uh("hh.annual_check", population.POP_MONTH) < p["monitoring_annual_check_coverage"]))
        self.prog_dibao.review(c, self.prog_dibao.test_income(c, pre_dibao), c.uh("hh.dibao_takeup", population.POP_MONTH),
                               c.uh("hh.single_takeup", population.POP_MONTH), self.dibao_standard, self.tekun_standard,
                               no_draw=found)
        dibao = 12.0 * c.dibao
        annual = (pre_dibao + dibao).astype(np.float32)
        c.ring[:] = annual / 12.0
        c.inc_sum[:] = annual
        c.reg_inc[:] = (annual + medical).astype(np.float32)
        # The warm-up opens mid-year: the year's months before it count at the calibrated income and medical
        # spending, so the first December's registry income and annual check see a whole year (_warm_up).
        c.year_med[:] = medical.astype(np.float32) * np.float32(_YEAR_BEFORE_WARMUP)
        for k, total in (("wage", wages), ("operating", operating), ("transfer", transfers + dibao),
                         ("property", rent + dividends), ("medical", medical)):
            c.out[k] = c.hh_sum(total)
        c.below[:] = annual / H.size < self.poverty_line

    def _warm_up(self) -> None:
        """Run the whole model through the 18 months before the start (unrecorded), so that the first
        recorded month starts from the model's own dynamics rather than from the calibration's
        smooth incomes. Every lever of the scenario is in force during it; dated ones (the
        transition's end, shock windows) are not reached."""
        self.t = -WARMUP_MONTHS
        # The year's months before the warm-up count at the calibrated income (medical spending: _calibrate_chunk).
        self.year_inc[:] = (self.reg_inc * np.float32(_YEAR_BEFORE_WARMUP)).astype(np.float32)
        while self.t < 0:
            self._month()  # not Mesa's wrapped step(): Mesa's steps and time stay at 0
        self.ever_below[:] = self.below
        self.ever_below_reg[:] = False  # "ever below (registry)" counts the calendar years from 2021
        # Households identified in the warm-up are monitoring objects from before 2021, still monitored or
        # already eliminated: both count, so risk_eliminated_share's numerator is part of its denominator.
        self.ever_monitored[:] = self.mon_state != population.NEVER
        self.spell_hist[:] = 0
        self.records.clear()
        self.ledger.clear()
        self.reached.clear()
        market = {"migrant_vacancies": self.migrant_vacancies, "migrant_find_rate": self.migrant_find,
                  **self._market_and_projects()}
        self.current = self._metrics(self._chunks(self._metric_parts), extra={**no_dynamics(), **market}, t=-1)
        self.initial = dict(self.current)
        self._record_distribution(self._date(-1))

    def _switch_levers(self, p: dict) -> None:
        """Switch the scenario's levers on as 2021-01 opens (:mod:`ruralsim.simulation.policy.levers`): from here on
        every phase reads ``p``. What was built from a lever at set-up is rebuilt from it: cooperative
        membership and shares, the workshops' set and upgrading, the work teams' detection."""
        changed = set(changed_levers(p, self.p))
        self.p = p
        self.budget.p = p
        if changed & {"monitoring_team_size", "monitoring_detection_prob", "monitoring_reference_team_size"}:
            self.structure.team_size[:] = np.float32(p["monitoring_team_size"])
            self.villages.update_detection(p, self.structure.team_size)
        if changed & {"coop_membership_share", "coop_shares_per_member"}:
            before = self.hh.shares.copy()
            population.apply_membership(p, self.hh, self.streams, self.structure)
            self.new_share_capital = new_share_capital(before, self.hh.shares, self.hh.county, self.n_counties,
                                                       p["coop_fiscal_share_of_new_shares"])
            old = self.coops
            self.coops = CooperativeSector(p, self.hh, self.structure)
            self.coops.log_price, self.coops.price = old.log_price, old.price
            self.coops.profit_ytd = old.profit_ytd
        if changed & {"workshop_expansion", "workshop_supported_share"}:
            old = self.workshops
            self.workshops = WorkshopSector(p, self.structure)
            kept = np.searchsorted(self.workshops.village, old.village)  # old workshops are among the new
            self.workshops.log_orders[kept] = old.log_orders
            self.workshops.active[kept] = old.active
            self.workshops.capacity[kept] = old.capacity
            self.workshops.village_capacity[:] = old.village_capacity
            self.workshops.village_wage[:] = old.village_wage
        if not p["monitoring_enabled"] and "monitoring_enabled" in changed:
            # Monitoring abolished: nobody is a monitoring object any more (no measures, no priority).
            self.mon_state[self.mon_state == MONITORED] = population.NEVER
        self.grower_price = self.coops.grower_price(p)
        self._set_year_values(self.year)
