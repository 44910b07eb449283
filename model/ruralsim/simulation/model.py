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
"""

from __future__ import annotations

from collections import defaultdict, deque
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import (categories, east_west, group_metrics, identification, labour, places as places_mod, population,
               programme_paths, shocks)
from .chunking import (HOUSEHOLD_STATE, Part, Partial, Span, combine_counties, county_array, default_chunk_households,
                       default_threads, partition, run_chunks)
from .agents import (Cooperative, CooperativeSector, Enterprise, EnterpriseSector, Village, VillageSector,
                     Workshop, WorkshopSector)
from .budget import Budget
from .kernels import select as kernel_set
from .mesa_glue import batch_run_iteration, check_options, master_seed
from .levers import changed_levers, start_params
from .metrics import RENAMED_METRICS, mass_return_villages, median_from_histogram, median_histogram, people_below, share_of
from .parameters import table_value, value_in_year
from .population import ELIMINATED, FARM, INACTIVE, MONITORED, POST, WORKSHOP
from .programmes import (DividendGuarantee, Dibao, IndustrySupport, MedicalAssistance, Monitoring, PublicPosts,
                         TargetedSubsidies, TemporaryAssistance, Training, Workshops)
from .projects import Projects
from .rng import Streams
from . import start_cache
from .transition import support_level, support_shortfall

COMPONENTS = ("wage", "operating", "transfer", "property", "medical")
FISCAL = ("subsidies", "industry", "training", "posts", "workshops", "dividend_subsidy", "medical", "dibao",
          "temporary", "monitoring", "coop_shares")
BURN_IN_MONTHS = 24   # labour market only, before the warm-up: settles statuses, learns expected wages
WARMUP_MONTHS = 18    # the whole model through 2019-07..2020-12, unrecorded: long enough for start-up transients to pass
_YEAR_BEFORE_WARMUP = (-WARMUP_MONTHS) % 12 / 12.0  # share of 2019 before the warm-up opens (July)
_BURN_IN_STREAM_OFFSET = -200  # burn-in draws are addressed apart from the warm-up's (-12..-1)
DISTRIBUTION_SAMPLE = 20_000
# The month the anti-return monitoring mechanism opens: March 2020 (国开发〔2020〕6号, the guideline that set
# it up), ten months before the start; the warm-up's earlier months have no identification channel.
MONITORING_FROM = -10
SPELL_BINS = 61  # ended spells of 1..60 months, and longer in the last bin


def resolve_params(scenario: str | Path | Any | None, overrides: dict[str, Any]) -> tuple[str, dict]:
    """Scenario (a shipped name such as ``"baseline"``, a file, a :class:`~ruralsim.config.Scenario`,
    or None for the schema's defaults) plus checked keyword overrides -> (scenario name, flat parameters)."""
    name, params, _ = resolve_with_root(scenario, overrides)
    return name, params


def resolve_with_root(scenario: str | Path | Any | None, overrides: dict[str, Any]) -> tuple[str, dict, dict]:
    """As :func:`resolve_params`, plus the parameters of the scenario's root file (the top of its
    ``extends`` chain; the defaults without a file), whose levers the common start is built under
    (:mod:`ruralsim.simulation.levers`)."""
    from .config import (MEMORY, ConfigError, Scenario, check_overrides, check_place_shares, find_scenario,
                         load_scenario, path_problems)
    from .parameters import defaults

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


def growth_index(growth: Any, base_year: int, year: int) -> float:
    """Level in ``year`` of a series growing by ``growth`` (by year, applied each January), 1 in ``base_year``."""
    level = 1.0
    for y in range(base_year + 1, year + 1):
        level *= 1.0 + float(value_in_year(growth, y))
    for y in range(year + 1, base_year + 1):
        level /= 1.0 + float(value_in_year(growth, y))
    return level


def _metric(name: str, model: "RuralModel") -> Any:
    """Mesa reporter: one metric of the current month (wrapped in a picklable ``partial``)."""
    return model.current.get(name)


class RuralModel(mesa.Model):
    """The ruralsim model. Build it from a scenario file, a :class:`Scenario`, or keyword overrides.

    >>> m = RuralModel(run_households=2000, run_months=24)   # the calibrated baseline  # doctest: +SKIP
    >>> df = m.run().timeseries()                                                      # doctest: +SKIP

    ``scenario`` defaults to the shipped, calibrated ``"baseline"``; give another shipped name, a path
    to a scenario file, a :class:`~ruralsim.config.Scenario`, or None for the schema's uncalibrated
    defaults. Keyword overrides use flat parameter names (``monitoring_detection_prob=0.3``); see
    ``ruralsim params``; NumPy scalars are accepted. ``replicate`` selects the replicate's random
    streams (the same replicate draws the same households in every scenario). Bad input raises
    :class:`~ruralsim.config.ConfigError`, a ``ValueError``.

    Mesa (:mod:`ruralsim.simulation.mesa_glue`): ``seed=``/``rng=`` set ``run.seed``; repeat *k* of
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
        self.kern = kernel_set(n, kernels)
        self.streams.block_uniforms = self.kern.block_uniforms()
        self.chunk_target = chunk_households or default_chunk_households()
        self.months = int(p["run_months"])  # the run's length, not part of its start (start_cache.RUN_ONLY)
        # The 2020-12 state, built once per start and reused (:mod:`ruralsim.simulation.start_cache`).
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
    # Set-up
    # ------------------------------------------------------------------------------------------
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
        # Categorised assistance (分层分类, :mod:`ruralsim.simulation.categories`): recomputed at each review.
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
        """Register the collective agents with Mesa (one handle per village, cooperative, firm, workshop)."""
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

    def _burn_in(self) -> None:
        """Run the labour market alone for two years before 2021 so statuses start in equilibrium,
        and learn each labourer type's expected wage (at unit earning potential) over the last year."""
        self.post_quota = self.prog_posts.quota()
        wage_sums = np.zeros((self.n_counties, N_KINDS))
        self._market_from(self._chunks(lambda c: c.out.update(labour.market_parts(c))))
        for k in range(_BURN_IN_STREAM_OFFSET - BURN_IN_MONTHS, _BURN_IN_STREAM_OFFSET):
            self.firms.step(self.p, self.streams.small_normal("firm.orders", k, self.firms.n))
            self.workshops.step(self.p, self.start_year - 1,
                                self.streams.small_normal("workshop.orders", k, self.n_villages)[
                                    self.workshops.village], 1.0)
            self._migrant_market(0.0)
            learn = k >= _BURN_IN_STREAM_OFFSET - 12
            parts = self._chunks(partial(self._burn_in_month, month=k, learn=learn))
            self._market_from(parts)
            for part in parts:
                if learn:
                    wage_sums[part.span.c0:part.span.c1] += part.out["kind_wages"]
        # Expected annual wage by type (weak x skill x age band): a household's earning capacity should
        # not depend on whether its labourers happened to be between jobs in the burn-in year.
        count = sum(part.out["kind_count"] for part in self._chunks(lambda c: c.out.update(
            kind_count=np.bincount(_labourer_kind(c.labs), minlength=N_KINDS))))
        self.expected_wage = np.divide(wage_sums.sum(axis=0), count, out=np.zeros(N_KINDS), where=count > 0)
        self.ledger.clear()
        self.reached.clear()

    def _burn_in_month(self, c: Part, month: int, learn: bool) -> None:
        L = c.labs
        np.maximum(L.absent - 1, 0, out=L.absent, casting="unsafe")
        # Only the episodes matter here (costs are not counted before the warm-up): their cost draws,
        # addressed apart from every other month's, are not made.
        event, _ = shocks.illness(c, c.uh("hh.illness", month), np.zeros(c.n_households, np.float32), 0.0)
        shocks.illness_absence(c, event, c.ul("lab.ill", month), c.ul("lab.ill_len", month))
        labour.separations(c, c.ul("lab.sep", month), c.ul("lab.trim", month), c.ul("lab.kind", month), 0.0)
        labour.search(c, c.ul("lab.find", month), self.migrant_find, np.zeros(c.n_households, bool))
        c.out.update(labour.market_parts(c))
        if learn:  # wages by county and labourer type, summed in row order (independent of chunking)
            key = c.lab_county.astype(np.int64) * N_KINDS + _labourer_kind(L)
            c.out["kind_wages"] = np.bincount(key, labour.wages(c), minlength=c.n_counties * N_KINDS
                                              ).reshape(c.n_counties, N_KINDS)

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
        """Switch the scenario's levers on as 2021-01 opens (:mod:`ruralsim.simulation.levers`): from here on
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
        """This month's level of each programme (:mod:`ruralsim.simulation.programme_paths`) and what the
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
        from . import demography

        H, L = c.hh, c.labs
        hh, lab = due_rows(c.span.h0, c.n_households, self.month_of_year), due_rows(c.span.l0, c.n_labourers,
                                                                                       self.month_of_year)
        H.head_age[hh] = np.minimum(H.head_age[hh] + 1, 120)
        L.age[lab] = np.minimum(L.age[lab] + 1, 120)
        demography.year_of_life(c, hh, lab)

    def _categorise(self, c: Part) -> None:
        """Each household's category (:mod:`ruralsim.simulation.categories`), at its annual review month
        (the 低保 review's rows) or every month (``categories.review``); from January 2026, with posts ended for
        the able-bodied (``categories.able_posts = 0``), the full labourers holding a post leave it."""
        monthly = self.p["categories_review"] == "monthly"
        categories.update(c, slice(None) if monthly else due_rows(c.span.h0, c.n_households, self.month_of_year))
        if self.t >= 0 and self.year == programme_paths.FIRST_PATH_YEAR and self.month_of_year == 0:
            categories.release_able_posts(c)

    def _dibao_reviews(self, c: Part) -> None:
        """The 低保 and 特困 means test, each household once a year in its own month (a twelfth each
        month), so enrolment moves smoothly; the standards of the current year apply."""
        rows = due_rows(c.span.h0, c.n_households, self.month_of_year)
        # A household not yet enrolled nor identified applies with the take-up probability: a fresh draw at
        # each review (the month's address), so non-take-up is a chance each year, not a lifelong trait.
        takeup = c.uh("hh.dibao_takeup")
        single = c.uh("hh.single_takeup")
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
        event, oop = shocks.illness(c, c.uh("hh.illness"), c.nh("hh.illness_cost"), self.prog_medical.oop_share(c))
        shocks.chronic(c, c.uh("hh.chronic"), c.uh("hh.chronic_end"))
        return event, oop

    def _labour(self, c: Part, event: np.ndarray) -> np.ndarray:
        L = c.labs
        np.maximum(L.absent - 1, 0, out=L.absent, casting="unsafe")
        lost_ill = shocks.illness_absence(c, event, c.ul("lab.ill"), c.ul("lab.ill_len"))
        self.prog_training.step(c, c.ul("lab.train"), c.ul("lab.place"), self.prog_industry.moved(c))
        lost = labour.separations(c, c.ul("lab.sep"), c.ul("lab.trim"), c.ul("lab.kind"), self.demand_drop)
        labour.search(c, c.ul("lab.find"), self.migrant_find, c.mon_state == MONITORED)
        lost_hh = np.zeros(c.n_households, bool)
        lost_hh[L.hh[(lost & (L.status != POST)) | lost_ill]] = True
        return lost_hh

    def _incomes(self, c: Part, oop: np.ndarray) -> dict[str, np.ndarray]:
        p, H, L, flows = self.p, c.hh, c.labs, c.flows
        wage_l = labour.wages(c)
        flows["wage"][:] = (c.kern.household_sums(wage_l, L.hh, c.n_households) if c.kern.fast
                            else np.bincount(L.hh, wage_l, minlength=c.n_households))
        if c.kern.fast:
            c.kern.incomes(c, self, wage_l, oop)
        else:
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
            # The hardship draw is read only in villages hit by a new disaster: without one, it is not made.
            u_hardship = c.uh("hh.hardship") if c.new_disaster.any() else np.ones(c.n_households, np.float32)
            return c.kern.policy(c, self, flows, oop, u_hardship, c.uh("hh.detect"), job_lost)
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
        year, in December (the annual income check)."""
        gross = c.ring[self.t % 12] + flows["medical"]
        c.year_inc += gross
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
        if c.kern.fast:
            c.kern.status(c, self, event, lost_jobs, detected, COMPONENTS, SPELL_BINS)
            self._more_parts(c)
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
    # Metrics and results
    # ------------------------------------------------------------------------------------------
    def _metric_parts(self, c: Part, pc: np.ndarray | None = None) -> None:
        """One chunk's part of the month's metrics: counts, a median histogram and per-county sums."""
        H, L, o = c.hh, c.labs, c.out
        pc = c.inc_sum / H.size if pc is None else pc
        st = L.status
        o["inc_sum"] = c.hh_sum(c.inc_sum)
        o["median_hist"] = median_histogram(pc, H.size)
        o["people_below_poverty"] = people_below(pc, H.size, self.poverty_line)
        o["people_below_monitoring"] = people_below(pc, H.size, self.monitoring_line)
        o["ever_below"] = int(np.count_nonzero(c.ever_below))
        o["monitored"] = int(np.count_nonzero(c.mon_state == MONITORED))
        o["eliminated"] = int(np.count_nonzero(c.mon_state == ELIMINATED))
        o["ever_monitored"] = int(np.count_nonzero(c.ever_monitored))
        o["employed"] = int(np.count_nonzero(labour.employed_mask(L)))
        o["migrant"] = int(np.count_nonzero(st == population.MIGRANT))
        o["workshop"] = int(np.count_nonzero(st == WORKSHOP))
        o["post"] = int(np.count_nonzero(st == POST))
        o["trained"] = int(np.count_nonzero(L.skill))
        o["insured"] = int(np.count_nonzero(c.insured))
        self._more_parts(c)

    def _more_parts(self, c: Part) -> None:
        """The metric parts both kernel sets compute in NumPy: the registry measure, the safety net,
        the monitored caseload in people, demography."""
        from .programmes import DIBAO, SINGLE, TEKUN

        H, o = c.hh, c.out
        if c.kern.fast:
            o.update(c.kern.more_parts(c))
            self._category_parts(c)
            return
        size = H.size.astype(np.int64)
        mon = c.mon_state == MONITORED
        o["people_now"] = int(size.sum())
        o["people_below_registry"] = int(size[c.reg_below].sum())
        o["households_below_registry"] = int(np.count_nonzero(c.reg_below))
        # Mass return (规模性返贫, A10) is judged on the registry measure: registered households whose
        # calendar-year income fell below the line, not a month's alert signal.
        o["mass_return"] = mass_return_villages(c.reg_below, H.village, c.n_villages,
                                                self.p["monitoring_mass_return_threshold"])
        o["registry_inc"] = c.hh_sum(c.reg_inc)
        o["ever_below_registry"] = int(np.count_nonzero(c.ever_below_reg))
        o["identified"] = int(np.count_nonzero(c.identified))
        o["ill_risk"] = int(np.count_nonzero(c.ill_risk))
        o["monitored_people"] = int(size[mon].sum())
        o["dibao_households"] = int(np.count_nonzero((c.cover == DIBAO) | (c.cover == SINGLE)))
        o["dibao_people"] = int(size[c.cover == DIBAO].sum()) + int(np.count_nonzero(c.cover == SINGLE))
        o["tekun_people"] = int(size[c.cover == TEKUN].sum())
        o["chronic"] = int(np.count_nonzero(H.chronic))
        o["active_labourers"] = int(np.count_nonzero(c.labs.status != INACTIVE))
        self._category_parts(c)

    def _category_parts(self, c: Part) -> None:
        """The category counts and the groups' parts (NumPy after either kernel set's _more_parts)."""
        o = c.out
        cap = np.bincount(categories.capacity(c.category), minlength=3)
        o["cat_able"], o["cat_partly"], o["cat_not_able"] = int(cap[0]), int(cap[1]), int(cap[2])
        o["cat_rigid"] = int(np.count_nonzero(c.category % 2 == categories.RIGID))
        identification.targeting_parts(c, places_mod.monitoring_lines(c, self.monitoring_line))
        group_metrics.chunk_parts(c, c.flows, self.t % 12, self.month_of_year == 11)

    def _combine(self, parts: list[Partial]) -> None:
        """The month's national totals from the chunks' parts; the metrics row; the budget's books."""
        t = self.t
        self.ledger.clear()
        self.reached.clear()
        for name in {k for part in parts for k in part.ledger}:
            self.ledger[name] = combine_counties(parts, self.n_counties, name, where="ledger")
        if self.new_share_capital:  # shares issued as the scenario's levers switched on: a one-off outlay
            self.ledger["coop_shares"], self.new_share_capital = self.new_share_capital, 0.0
        for part in parts:
            for name, value in part.reached.items():
                self.reached[name] += value
        for k in COMPONENTS:
            self.comp_ring[k][t % 12] = combine_counties(parts, self.n_counties, k)
        if t == -1:  # the exit verification's 兜底 counted in every month of the rolling year (identification)
            self.comp_ring["transfer"] += combine_counties(parts, self.n_counties, "verification_credit")
        self.dividends_paid = combine_counties(parts, self.n_counties, "dividends_paid")
        falls = _add(parts, "falls_by_cause")
        extra = {f"falls_{name}": int(falls[i]) for i, name in enumerate(shocks.CAUSES)}
        extra["falls"] = int(falls.sum())
        extra["reentries"] = int(_add(parts, "reentries"))
        extra["recoveries"] = int(_add(parts, "recoveries"))
        self.spell_hist += _add(parts, "spell_hist")
        trans = _add(parts, "transitions")
        for i, a in enumerate(("secure", "monitored", "below")):
            for j, b in enumerate(("secure", "monitored", "below")):
                extra[f"tr_{a}_{b}"] = int(trans[3 * i + j])
        extra["detected"] = int(_add(parts, "detected"))
        for name in identification.CHANNELS.values():
            extra[f"identified_{name}"] = int(_add(parts, f"id_{name}"))
        if self.month_of_year == 0:  # waits to identification are reported for the calendar year so far
            self.id_wait_hist[:] = 0
        self.id_wait_hist += _add(parts, "id_wait")
        extra["median_months_to_identification"] = identification.median_wait(self.id_wait_hist)
        self._market_from(parts)
        self.projects.invest(t, county_array(parts, self.n_counties, "industry_invest"))
        extra["migrant_vacancies"] = self.migrant_vacancies
        extra["migrant_find_rate"] = self.migrant_find
        extra.update(self._market_and_projects(combine_counties(parts, self.n_counties, "industry_returns")))
        self.current = self._metrics(parts, extra)
        fund_spent = self.current["fund_spending"]
        self.budget.book(fund_spent / self.ration if self.ration > 0.05 else (self.budget.last_planned or 0.0),
                         fund_spent)
        if t >= 0:
            self.records.append(self.current)
        if self.record_distribution and t == self.months - 1:
            self._record_distribution(self._date(t))

    def _metrics(self, parts: list[Partial], extra: dict, t: int | None = None) -> dict[str, Any]:
        count = {k: int(_add(parts, k)) for k in (
            "people_below_poverty", "people_below_monitoring", "ever_below", "monitored", "eliminated",
            "ever_monitored", "mass_return", "employed", "migrant", "workshop", "post", "trained",
            "dibao_households", "insured", "people_now", "people_below_registry", "households_below_registry", "ever_below_registry",
            "identified", "ill_risk", "monitored_people", "dibao_people", "tekun_people", "chronic",
            "active_labourers", "cat_able", "cat_partly", "cat_not_able", "cat_rigid", "below_assisted",
            "monitored_above_line")}
        # Rates use the people alive now; national scaling (employed_national) the cohort at the start (A01).
        self.people_now = count["people_now"]
        people = float(self.people_now)
        comp = {c: float(self.comp_ring[c].sum()) / people for c in COMPONENTS}
        employed, ever, m = count["employed"], count["ever_monitored"], count["active_labourers"]
        fiscal = {f"fiscal_{k}": float(self.ledger.get(k, 0.0)) for k in FISCAL}
        groups = self._group_columns(parts, t)
        return {
            "replicate": self.replicate,
            "date": self._date(self.t if t is None else t),
            "households": self.n_households,
            "people": self.people,
            "mean_income": combine_counties(parts, self.n_counties, "inc_sum") / people,
            "median_income": median_from_histogram(_add(parts, "median_hist")),
            "wage_income": comp["wage"],
            "operating_income": comp["operating"],
            "transfer_income": comp["transfer"],
            "property_income": comp["property"],
            "medical_oop": comp["medical"],
            "people_now": self.people_now,
            "poverty_rate_registry": count["people_below_registry"] / people,
            "households_below_registry": count["households_below_registry"],
            "below_assisted": count["below_assisted"],
            "monitored_above_line": count["monitored_above_line"],
            "registry_income": combine_counties(parts, self.n_counties, "registry_inc") / people,
            "ever_below_registry_share": count["ever_below_registry"] / self.n_households,
            "poverty_rate_alert": count["people_below_poverty"] / people,
            "below_monitoring_line": count["people_below_monitoring"] / people,
            "ever_fallen_share": count["ever_below"] / self.n_households,
            "monitored_households": count["monitored"],
            "ever_monitored": ever,
            "ever_monitored_households": count["identified"],
            "monitored_people_share": count["monitored_people"] / people,
            "monitored_illness_share": share_of(count["ill_risk"], count["identified"]),
            "risk_eliminated_share": share_of(count["eliminated"], ever),
            "mass_return_villages": count["mass_return"],
            "labourers": m,
            "employed_labourers": employed,
            "employment_rate": employed / max(m, 1),
            "employed_national": employed * self.p["population_national_people"] / float(self.people),
            "migrant_labourers": count["migrant"],
            "workshop_labourers": count["workshop"],
            "post_labourers": count["post"],
            "trained_share": count["trained"] / m if m else 0.0,
            "dibao_households": count["dibao_households"],
            "dibao_people": count["dibao_people"],
            "tekun_people": count["tekun_people"],
            "safety_net_share": (count["dibao_people"] + count["tekun_people"]) / people,
            "chronic_share": count["chronic"] / self.n_households,
            "insured_share": count["insured"] / self.n_households,
            "support_level": self.support,
            **{f"level_{k}": v for k, v in self.levels.items()},
            "households_able": count["cat_able"],
            "households_partly_able": count["cat_partly"],
            "households_not_able": count["cat_not_able"],
            "households_rigid_risk": count["cat_rigid"],
            "budget_ration": self.ration,
            "dividends_paid": float(getattr(self, "dividends_paid", 0.0)),
            "poverty_line": self.poverty_line,
            "monitoring_line": self.monitoring_line,
            **fiscal,
            "fiscal_cost": float(sum(fiscal.values())),
            "fund_spending": float(sum(self.ledger.get(pr.name, 0.0) for pr in self.programmes if pr.fund)),
            "budget": self.budget.monthly,
            "crop_price": float(self.coops.price.mean()),
            **groups,
            **extra,
        }

    def _group_columns(self, parts: list[Partial], t: int | None) -> dict[str, float]:
        """The month's place-group totals into the group book (:mod:`ruralsim.simulation.group_metrics`); each
        December from 2020 on, its rows. The start's snapshot (``t`` given) reuses the last month's totals."""
        if t is not None and self.group_book.last:
            return self.group_book.columns()
        totals = group_metrics.combine(parts, self.n_counties)
        columns = self.group_book.month(totals, self.t)
        if self.month_of_year == 11 and self.t >= -1:
            self.group_book.december(totals, self.replicate, self.year)
        return columns

    def _record_distribution(self, date: pd.Timestamp) -> None:
        n = self.n_households
        k = min(n, DISTRIBUTION_SAMPLE)
        rows = np.sort(self.streams.generator("dist.sample").choice(n, size=k, replace=False)) if k < n \
            else np.arange(n)
        pc = self.inc_sum[rows] / self.hh.size[rows]
        self.distribution.append(pd.DataFrame({"replicate": self.replicate, "date": date,
                                               "income": pc.astype(float), "size": self.hh.size[rows]}))

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

    def timeseries(self) -> pd.DataFrame:
        """The monthly metrics as a DataFrame (one row per month)."""
        return pd.DataFrame(self.records)

    def distribution_frame(self) -> pd.DataFrame:
        """Per-capita income of a sample of households at the start and the end."""
        return pd.concat(self.distribution, ignore_index=True) if self.distribution else pd.DataFrame()

    def place_groups(self) -> pd.DataFrame:
        """Each December from 2020 (the start): households, people, income, poverty (both measures), the
        monitored and the wage share by place group (``groups.csv``; :mod:`ruralsim.simulation.group_metrics`)."""
        return self.group_book.frame()

    def spell_lengths(self) -> pd.DataFrame:
        """Ended spells below the poverty line by length in months (the last bin is 60+)."""
        return pd.DataFrame({"replicate": self.replicate, "months": np.arange(SPELL_BINS),
                             "spells": self.spell_hist})[1:]

    def group_table(self, level: str = "county") -> pd.DataFrame:
        """The current month by village or county: households, people, households and people below the
        poverty line (alert measure), households under monitoring, the share of households below, and
        whether it counts as mass return (A10: a village's share of households below the line on the
        registry measure at or above ``monitoring.mass_return_threshold``)."""
        if level not in ("village", "county"):
            raise ValueError(f"level={level!r}: use 'village' or 'county'")
        group, n = (self.hh.village, self.n_villages) if level == "village" else (self.hh.county, self.n_counties)
        households = np.bincount(group, minlength=n)
        below = np.bincount(group[self.below], minlength=n)
        share = np.divide(below, households, out=np.zeros(n), where=households > 0)
        below_reg = np.bincount(group[self.reg_below], minlength=n)
        share_reg = np.divide(below_reg, households, out=np.zeros(n), where=households > 0)
        ids = {level: np.arange(n, dtype=np.int32)}
        if level == "village":  # so village rows can be summed up to their county
            ids["county"] = self.structure.village_county.astype(np.int32)
        return pd.DataFrame({
            **ids, "households": households.astype(np.int32),
            "people": np.bincount(group, self.hh.size, minlength=n).astype(np.int32),
            "below_poverty_line": below.astype(np.int32),
            "people_below_poverty_line": np.bincount(group[self.below], self.hh.size[self.below],
                                                     minlength=n).astype(np.int32),
            "monitored": np.bincount(group[self.mon_state == MONITORED], minlength=n).astype(np.int32),
            "share_below": share.astype(np.float32),
            "share_below_registry": share_reg.astype(np.float32),
            "mass_return": share_reg >= self.p["monitoring_mass_return_threshold"],
        })

    def month_simulated(self) -> pd.Timestamp:
        """The date of the month the last step simulated (e.g. to label a :meth:`group_table`)."""
        return self._date(self.t - 1)

    def state_nbytes(self) -> dict[str, int]:
        """Bytes held by the per-household and per-labourer state (what grows with the cohort)."""
        model = sum(getattr(self, k).nbytes for k in HOUSEHOLD_STATE) + self.ring.nbytes
        return {"households": self.hh.nbytes(), "labourers": self.labs.nbytes(), "model": model,
                "flows": sum(v.nbytes for v in self.flows.values()), "cooperatives": self.coops.pooled_mu_hh.nbytes}

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


def no_dynamics() -> dict[str, int]:
    """The month-to-month metrics (falls by cause, re-entries, recoveries, transitions, detections) at
    zero: the state after the warm-up has none recorded, but carries every column a month has."""
    out = {f"falls_{name}": 0 for name in shocks.CAUSES}
    out.update(falls=0, reentries=0, recoveries=0)
    out.update({f"tr_{a}_{b}": 0 for a in ("secure", "monitored", "below") for b in ("secure", "monitored", "below")})
    out["detected"] = 0
    out.update({f"identified_{name}": 0 for name in identification.CHANNELS.values()})
    out["median_months_to_identification"] = float("nan")
    return out


N_KINDS = 24  # labourer types for expected wages: weak (2) x skill (3) x age band (4)


def due_rows(first_row: int, n: int, month_of_year: int) -> slice:
    """The rows of a chunk (starting at model row ``first_row``) whose yearly event falls in this month:
    model rows ``r`` with ``r % 12 == month_of_year``. A strided slice: no mask, no copy."""
    return slice((month_of_year - first_row) % 12, n, 12)


def new_share_capital(before: np.ndarray, after: np.ndarray, county: np.ndarray, n_counties: int,
                      fiscal_share: float) -> float:
    """Yuan of fiscal funds converted into members' shares when a scenario widens membership or holdings:
    the rise of each household's shares (a fall is not a refund), summed by county in county order so the
    total does not depend on chunking."""
    rise = np.maximum(after.astype(np.float64) - before.astype(np.float64), 0.0)
    return float(np.bincount(county, rise, minlength=n_counties).sum() * fiscal_share)


def _labourer_kind(L) -> np.ndarray:
    """Labourer type (weak x skill x age band 25-34, 35-44, 45-54, other) for expected wages."""
    return (L.weak * 3 + L.skill) * 4 + np.clip((L.age.astype(np.int16) - 25) // 10, 0, 3)


def _add(parts: list[Partial], key: str) -> Any:
    """Sum of a count (or an array of counts) over the chunks' parts."""
    return sum(part.out[key] for part in parts if key in part.out)
