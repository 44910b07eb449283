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
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import labour, population, shocks
from .agents import (Cooperative, CooperativeSector, Enterprise, EnterpriseSector, Village, VillageSector,
                     Workshop, WorkshopSector)
from .budget import Budget
from .metrics import mass_return_villages, people_share_below, per_capita_mean, share_of, weighted_median
from .parameters import value_in_year
from .population import ELIMINATED, FARM, MONITORED, POST, WORKSHOP
from .programmes import (DividendGuarantee, Dibao, IndustrySupport, MedicalAssistance, Monitoring, PublicPosts,
                         TargetedSubsidies, TemporaryAssistance, Training, Workshops, flag_support_end)
from .rng import Streams
from .transition import support_level

COMPONENTS = ("wage", "operating", "transfer", "property", "medical")
FISCAL = ("subsidies", "industry", "training", "posts", "workshops", "dividend_subsidy", "medical", "dibao",
          "temporary", "monitoring")
BURN_IN_MONTHS = 24   # labour market only, before the warm-up: settles statuses, learns expected wages
WARMUP_MONTHS = 18    # the whole model through 2019-07..2020-12, unrecorded: long enough for start-up transients to pass
_BURN_IN_STREAM_OFFSET = -200  # burn-in draws are addressed apart from the warm-up's (-12..-1)
DISTRIBUTION_SAMPLE = 20_000
SPELL_BINS = 61  # ended spells of 1..60 months, and longer in the last bin


def resolve_params(scenario: str | Path | Any | None, overrides: dict[str, Any]) -> tuple[str, dict]:
    """Scenario (file, :class:`~ruralsim.config.Scenario` or None for the defaults) plus checked
    keyword overrides -> (scenario name, full flat parameter dict)."""
    from .config import Scenario, check_overrides, load_scenario
    from .parameters import defaults

    if scenario is None:
        name, params = "defaults", defaults()
    else:
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        name, params = sc.name, sc.params
    params.update(check_overrides(overrides))
    return name, params


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

    >>> m = RuralModel("scenarios/baseline.toml", run_households=2000, run_months=24)  # doctest: +SKIP
    >>> df = m.run().timeseries()                                                      # doctest: +SKIP

    Keyword overrides use flat parameter names (``monitoring_detection_prob=0.3``); see
    ``ruralsim params``. ``replicate`` selects the replicate's random streams.
    """

    def __init__(self, scenario: str | Path | Any | None = None, *, replicate: int = 0,
                 record_distribution: bool = True, **overrides: Any) -> None:
        self.scenario_name, p = resolve_params(scenario, overrides)
        self.p = p
        self.replicate = int(replicate)
        seed = int(p["run_seed"])
        super().__init__(seed=seed + self.replicate)
        self.streams = Streams(seed, self.replicate)
        self.record_distribution = record_distribution

        n = (population.national_households(p) if p["run_scale"] == "national" else int(p["run_households"]))
        self.hh, self.labs, self.structure = population.build(p, n, self.streams)
        self.n_households, self.n_villages = self.hh.n, self.structure.n_villages
        self.months = int(p["run_months"])
        self.start_year = int(p["run_start_year"])
        self._init_state()
        self._init_agents()
        self._burn_in()
        self._calibrate_start()
        self._warm_up()
        self.datacollector = mesa.DataCollector(model_reporters={k: partial(_metric, k) for k in self.current})
        self.running = self.months > 0

    # ------------------------------------------------------------------------------------------
    # Set-up
    # ------------------------------------------------------------------------------------------
    def _init_state(self) -> None:
        n, H, L = self.n_households, self.hh, self.labs
        self.t = 0
        self.support, self.ration = 1.0, 1.0
        self.demand_drop_started = False
        self._lab_county = None
        self.insured = np.ones(n, np.int8)
        self.dibao = np.zeros(n, np.float32)
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
        self.comp_ring = {c: np.zeros(12) for c in COMPONENTS}
        self.spell_hist = np.zeros(SPELL_BINS, np.int64)
        self.ledger: dict[str, float] = defaultdict(float)
        self.reached: dict[str, float] = defaultdict(float)
        self.records: list[dict] = []
        self.distribution: list[pd.DataFrame] = []
        self.current: dict[str, Any] = {}
        self.villages = VillageSector(self.structure)
        self.coops = CooperativeSector(self.p, H, self.structure)
        self.firms = EnterpriseSector(self.p, self.structure)
        self.workshops = WorkshopSector(self.p, self.structure)
        self.budget = Budget(self.p, float(H.size.sum(dtype=np.int64)))
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
        self.farm_index = growth_index(p["farm_productivity_growth"], self.start_year, year)
        self.poverty_line = float(value_in_year(p["monitoring_poverty_line"], year))
        self.monitoring_line = float(value_in_year(p["monitoring_line"], year))
        self.dibao_standard = float(value_in_year(p["transfers_dibao_standard"], year))
        self.pension = float(value_in_year(p["transfers_pension"], year))

    def _burn_in(self) -> None:
        """Run the labour market alone for two years before 2021 so statuses start in equilibrium,
        and learn each labourer type's expected wage (at unit earning potential) over the last year."""
        L, n = self.labs, self.n_households
        self.post_quota = self.prog_posts.quota()
        lab_wages = np.zeros(L.m)
        no_one = np.zeros(n, bool)
        for k in range(_BURN_IN_STREAM_OFFSET - BURN_IN_MONTHS, _BURN_IN_STREAM_OFFSET):
            self.firms.step(self.p, self.streams.small_normal("firm.orders", k, self.firms.n))
            self.workshops.step(self.p, self.start_year - 1,
                                self.streams.small_normal("workshop.orders", k, self.n_villages)[
                                    self.workshops.village], 1.0)
            np.maximum(L.absent - 1, 0, out=L.absent, casting="unsafe")
            event, _ = shocks.illness(self, self._uh("hh.illness", k), self._nh("hh.illness_cost", k), 0.0)
            shocks.illness_absence(self, event, self._ul("lab.ill", k), self._ul("lab.ill_len", k))
            labour.separations(self, self._ul("lab.sep", k), self._ul("lab.trim", k), self._ul("lab.kind", k), 0.0)
            labour.search(self, self._ul("lab.find", k), 0.0, no_one)
            if k >= _BURN_IN_STREAM_OFFSET - 12:
                lab_wages += labour.wages(self)
        # Expected annual wage by type (weak x skill x age band): a household's earning capacity should
        # not depend on whether its labourers happened to be between jobs in the burn-in year.
        kind = (L.weak * 3 + L.skill) * 4 + np.clip((L.age.astype(np.int16) - 25) // 10, 0, 3)
        total = np.bincount(kind, lab_wages, minlength=24)
        count = np.bincount(kind, minlength=24)
        expected = np.divide(total, count, out=np.zeros(24), where=count > 0)
        self._wages_1 = np.bincount(L.hh, expected[kind], minlength=n)
        self.ledger.clear()
        self.reached.clear()

    def _calibrate_start(self) -> None:
        """Set earning potential and farm productivity so 2020 incomes match the drawn targets (P03).

        Each household's 2020 per-capita income target is drawn in :func:`population.build`; here its
        non-wage income is computed from the model's own rules, and its earning potential ``phi``
        (clipped to [0.2, 5]) is set so wages make up the rest. Own-farm productivity is scaled so
        mean operating income matches ``population.operating_income_2020`` (A17).
        """
        p, H = self.p, self.hh
        people = float(H.size.sum(dtype=np.int64))
        fi = self.farm_index
        land_own, farm_factor = self._farm_land()
        spec = H.crop_mu * p["coop_crop_revenue_per_mu"] * fi * (
            self.coops.grower_price(p)[np.maximum(H.coop, 0)] - p["coop_crop_cost_share"])
        spec = np.where(H.coop >= 0, spec, 0.0)
        subsidy = p["farm_industry_subsidy"] * H.size
        base = land_own * farm_factor * H.farm_q * fi
        qbar = max(0.0, (p["population_operating_income_2020"] * people - spec.sum() - subsidy.sum()) / base.sum())
        H.farm_q *= np.float32(qbar)
        operating = base * qbar + spec + subsidy
        rent = self.coops.pooled_mu_hh * p["coop_land_rent"]
        self.coops.month(p, fi)
        self.coops.profit_ytd *= 12.0
        dividends, _ = self.coops.dividends(p, H, p["coop_guaranteed_dividend_rate"])
        transfers = p["transfers_targeted_subsidies"] * H.size + H.n_elderly * self.pension
        lam = (p["shocks_illness_rate"] * p["shocks_illness_multiplier"] * H.size
               * np.where(H.chronic == 1, p["shocks_chronic_risk"], 1.0))
        medical = lam * p["shocks_illness_cost"] * p["medical_oop_share_insured"]
        nonwage = operating + transfers + rent + dividends - medical
        target = H.target_pc.astype(float) * H.size
        W = self._wages_1
        phi = np.where(W > 0, np.clip((target - nonwage) / np.maximum(W, 1.0), 0.2, 5.0), 1.0)
        H.phi[:] = phi
        wages = phi * W
        pre_dibao = wages + nonwage
        self.prog_dibao.review(pre_dibao / H.size, np.zeros(self.n_households), self.dibao_standard)
        dibao = 12.0 * self.dibao
        annual = (pre_dibao + dibao).astype(np.float32)
        self.ring[:] = annual / 12.0
        self.inc_sum[:] = annual
        for c, total in (("wage", wages), ("operating", operating), ("transfer", transfers + dibao),
                         ("property", rent + dividends), ("medical", medical)):
            self.comp_ring[c][:] = float(total.sum()) / 12.0
        self.below[:] = annual / H.size < self.poverty_line

    def _warm_up(self) -> None:
        """Run the whole model through the 18 months before the start (unrecorded), so that the first
        recorded month starts from the model's own dynamics rather than from the calibration's
        smooth incomes. Every lever of the scenario is in force during it; dated ones (the
        transition's end, shock windows) are not reached."""
        self.t = -WARMUP_MONTHS
        while self.t < 0:
            self.step()
        self.ever_below[:] = self.below
        self.ever_monitored[:] = self.mon_state == MONITORED
        self.spell_hist[:] = 0
        self.records.clear()
        pc = self.inc_sum / self.hh.size
        self.ledger.clear()
        self.reached.clear()
        self.current = self._metrics(pc, extra={})
        self.initial = dict(self.current)
        self._record_distribution(pc, self._date(-1))

    # ------------------------------------------------------------------------------------------
    # The step
    # ------------------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one month through the phases listed in the module docstring."""
        if self.t >= self.months:
            self.running = False
            return
        self.ledger.clear()
        self.reached.clear()
        self._calendar()
        event, oop, new_disaster, demand_drop = self._shocks()
        self._firms()
        lost_jobs = self._labour(event, demand_drop)
        flows = self._incomes(oop, new_disaster)
        detected_extra = self._policy(flows, oop)
        self.flows = flows  # this month's income components per household (kept for inspection)
        self._status(flows, event, lost_jobs, new_disaster, detected_extra)
        self.t += 1
        self.running = self.t < self.months
        if self.t > 0:
            self.datacollector.collect(self)

    def _calendar(self) -> None:
        p = self.p
        year, moy = self.start_year + self.t // 12, self.t % 12
        self.month_of_year = moy
        previous_support = self.support
        self.support = support_level(p, self.t)
        self.ration = self.budget.start_month(year, moy)
        if moy == 0:
            self._new_year(year)
        if self.t > 0:
            flag_support_end(self, previous_support)

    def _new_year(self, year: int) -> None:
        p, H, L = self.p, self.hh, self.labs
        if self.t > -WARMUP_MONTHS:
            np.minimum(H.head_age + 1, 120, out=H.head_age, casting="unsafe")
            np.minimum(L.age + 1, 120, out=L.age, casting="unsafe")
            self._generational_turnover()
        self._set_year_values(year)
        # Insurance: a yearly draw; without the premium subsidy some drop out (assumption: 5%).
        participation = p["medical_participation"] * (1.0 - 0.05 * (1.0 - min(self.support, 1.0)))
        self.insured[:] = self._uh("hh.insured") < participation
        pre_dibao_pc = (self.inc_sum - 12.0 * self.dibao) / H.size
        # Take-up is a trait of the household (a fixed draw), so reviews do not churn enrolment at random.
        self.prog_dibao.review(pre_dibao_pc, self._uh("hh.dibao_takeup", population.POP_MONTH), self.dibao_standard)

    def _generational_turnover(self) -> None:
        """Labourers reaching retirement age leave work and draw a pension; a young member of the same
        household (aged 18-24, unskilled, full capacity) takes their place in the labour force."""
        H, L = self.hh, self.labs
        retiring = L.age >= int(self.p["labour_retirement_age"])
        if not retiring.any():
            return
        np.add.at(H.n_elderly, L.hh[retiring], 1)
        young = 18 + (self._ul("lab.young") * 7).astype(np.int8)
        L.age[retiring] = young[retiring]
        L.weak[retiring] = 0
        L.skill[retiring] = 0
        L.status[retiring] = population.OUT
        L.absent[retiring] = 0
        self.full_labourers[:] = np.bincount(L.hh[L.weak == 0], minlength=self.n_households)

    def _shocks(self):
        p, t = self.p, self.t
        year, moy = self.year, self.month_of_year
        on, started = shocks.window(p, "migrant_demand_drop", year, moy)
        demand_drop = float(p["shocks_migrant_demand_drop"]) if on else 0.0
        self.demand_drop_started = started
        price_on, _ = shocks.window(p, "price_drop", year, moy)
        self.coops.update_prices(p, self.streams.small_normal("crop.price", t, self.coops.n_crops),
                                 float(p["shocks_price_drop"]) if price_on else 0.0)
        new_disaster = self.villages.disasters(p, self.streams.small("village.disaster", t, self.n_villages))
        event, oop = shocks.illness(self, self._uh("hh.illness"), self._nh("hh.illness_cost"),
                                    self.prog_medical.oop_share())
        onset = self._uh("hh.chronic") < p["shocks_chronic_onset"]
        self.hh.chronic[onset] = 1
        return event, oop, new_disaster, demand_drop

    def _firms(self) -> None:
        t = self.t
        self.firms.step(self.p, self.streams.small_normal("firm.orders", t, self.firms.n))
        eps = self.streams.small_normal("workshop.orders", t, self.n_villages)[self.workshops.village]
        self.workshops.step(self.p, self.year, eps, self.support * self.ration)
        self.post_quota = self.prog_posts.quota()

    def _labour(self, event: np.ndarray, demand_drop: float) -> np.ndarray:
        L = self.labs
        np.maximum(L.absent - 1, 0, out=L.absent, casting="unsafe")
        lost_ill = shocks.illness_absence(self, event, self._ul("lab.ill"), self._ul("lab.ill_len"))
        self.prog_training.step(self._ul("lab.train"), self._ul("lab.place"))
        lost = labour.separations(self, self._ul("lab.sep"), self._ul("lab.trim"), self._ul("lab.kind"),
                                  demand_drop)
        labour.search(self, self._ul("lab.find"), demand_drop, self.mon_state == MONITORED)
        lost_hh = np.zeros(self.n_households, bool)
        lost_hh[L.hh[(lost & (L.status != POST)) | lost_ill]] = True
        return lost_hh

    def _incomes(self, oop: np.ndarray, new_disaster: np.ndarray) -> dict[str, np.ndarray]:
        p, H, L, n = self.p, self.hh, self.labs, self.n_households
        wage_l = labour.wages(self)
        wage = np.bincount(L.hh, wage_l, minlength=n).astype(np.float32)
        is_post, is_ws = L.status == POST, L.status == WORKSHOP
        self.prog_posts.pay(float(wage_l[is_post].sum()), int(is_post.sum()))
        self.prog_workshops.pay(int(is_ws.sum()))

        land_own, farm_factor = self._farm_land()
        loss = np.where(self.villages.disaster_left[H.village] > 0, 1.0 - p["shocks_disaster_loss"], 1.0)
        spec_price = self.coops.grower_price(p)[np.maximum(H.coop, 0)] - p["coop_crop_cost_share"]
        specialty = np.where(H.coop >= 0, H.crop_mu * p["coop_crop_revenue_per_mu"] * spec_price, 0.0)
        operating = ((land_own * farm_factor * H.farm_q + specialty) * (self.farm_index / 12.0) * loss
                     + self.prog_industry.operating()).astype(np.float32)
        self.coops.month(p, self.farm_index)

        prop = (self.coops.pooled_mu_hh * (p["coop_land_rent"] / 12.0)).astype(np.float32)
        self.dividends_paid = 0.0
        if self.month_of_year == 11:
            div, subsidy = self.coops.dividends(p, H, self.prog_dividends.rate())
            self.prog_dividends.pay(subsidy, int((H.coop >= 0).sum()))
            prop += div
            self.dividends_paid = float(div.sum())

        transfer = (self.prog_subsidies.transfer() + H.n_elderly * (self.pension / 12.0)
                    + self.prog_dibao.transfer()).astype(np.float32)
        medical = self.prog_medical.assist(oop)
        return {"wage": wage, "operating": operating, "transfer": transfer, "property": prop, "medical": medical}

    def _policy(self, flows: dict[str, np.ndarray], oop: np.ndarray) -> np.ndarray:
        """Monitoring and assistance, on the rolling income including this month."""
        H = self.hh
        net = flows["wage"] + flows["operating"] + flows["transfer"] + flows["property"] - flows["medical"]
        slot = self.t % 12
        annual = self.inc_sum - self.ring[slot] + net
        pc = annual / H.size
        detected, hardship = self.prog_monitoring.step(pc, oop, annual, self.monitoring_line, self._uh("hh.detect"))
        self.prog_monitoring.place(self._ul("lab.assist"))
        pre_dibao_pc = (annual - 12.0 * self.dibao) / H.size
        self.prog_dibao.enrol_detected(detected, pre_dibao_pc, self.dibao_standard)
        temp = self.prog_temporary.pay(hardship)
        flows["transfer"] += temp
        self.ring[slot] = net + temp
        self.inc_sum[:] = self.ring.sum(axis=0, dtype=np.float32)
        return detected

    def _status(self, flows, event, lost_jobs, new_disaster, detected) -> None:
        """Poverty status, falls and their causes, spells, state transitions; then the month's metrics."""
        H, t = self.hh, self.t
        for c in COMPONENTS:
            self.comp_ring[c][t % 12] = float(flows[c].sum(dtype=np.float64))
        # Record this month's shocks; the most telling one wins when several coincide.
        price_hit = (H.coop >= 0) & (self.coops.grower_price(self.p)[np.maximum(H.coop, 0)] < 0.9)
        # Illness counts as a cause only when its cost was material (over 10% of annual income).
        costly = event & (flows["medical"] > 0.1 * np.maximum(self.inc_sum, 1.0))
        for code, mask in ((shocks.PRICE, price_hit), (shocks.DISASTER, new_disaster[H.village]),
                           (shocks.JOB_LOSS, lost_jobs), (shocks.ILLNESS, costly)):
            self.last_shock[mask] = code
            self.last_shock_month[mask] = t
        pc = self.inc_sum / H.size
        was_below = self.below
        below = pc < self.poverty_line
        falls = below & ~was_below
        recent = (t - self.last_shock_month) <= 12
        cause = np.where(recent, self.last_shock, 0)
        extra = {f"falls_{name}": int((falls & (cause == i)).sum()) for i, name in enumerate(shocks.CAUSES)}
        extra["falls"] = int(falls.sum())
        extra["reentries"] = int((falls & self.ever_below).sum())
        ended = was_below & ~below
        extra["recoveries"] = int(ended.sum())
        self.spell_hist += np.bincount(np.minimum(self.spell[ended], SPELL_BINS - 1), minlength=SPELL_BINS)
        self.spell[:] = np.where(below, self.spell + 1, 0)
        self.ever_below |= below
        self.below = below
        state3 = np.where(below, 2, np.where(self.mon_state == MONITORED, 1, 0)).astype(np.int8)
        trans = np.bincount(self.state3 * 3 + state3, minlength=9)
        for i, a in enumerate(("secure", "monitored", "below")):
            for j, b in enumerate(("secure", "monitored", "below")):
                extra[f"tr_{a}_{b}"] = int(trans[3 * i + j])
        self.state3 = state3
        extra["detected"] = int(detected.sum())
        self.current = self._metrics(pc, extra)
        if t >= 0:
            self.records.append(self.current)
        if self.record_distribution and self.t == self.months - 1:
            self._record_distribution(pc, self._date(t))

    # ------------------------------------------------------------------------------------------
    # Metrics and results
    # ------------------------------------------------------------------------------------------
    def _metrics(self, pc: np.ndarray, extra: dict) -> dict[str, Any]:
        H, L = self.hh, self.labs
        people = float(H.size.sum(dtype=np.int64))
        comp = {c: float(self.comp_ring[c].sum()) / people for c in COMPONENTS}
        employed = int(labour.employed_mask(L).sum())
        ever = int(self.ever_monitored.sum())
        fiscal = {f"fiscal_{k}": float(self.ledger.get(k, 0.0)) for k in FISCAL}
        row = {
            "replicate": self.replicate,
            "date": self._date(self.t),
            "households": self.n_households,
            "people": int(people),
            "mean_income": per_capita_mean(self.inc_sum, H.size),
            "median_income": weighted_median(pc, H.size),
            "wage_income": comp["wage"],
            "operating_income": comp["operating"],
            "transfer_income": comp["transfer"],
            "property_income": comp["property"],
            "medical_oop": comp["medical"],
            "poverty_rate": people_share_below(pc, H.size, self.poverty_line),
            "below_monitoring_line": people_share_below(pc, H.size, self.monitoring_line),
            "ever_fallen_share": float(self.ever_below.mean()),
            "monitored_households": int((self.mon_state == MONITORED).sum()),
            "ever_monitored": ever,
            "risk_eliminated_share": share_of(int((self.mon_state == ELIMINATED).sum()), ever),
            "mass_return_villages": mass_return_villages(self.below, H.village, self.n_villages,
                                                         self.p["monitoring_mass_return_threshold"]),
            "labourers": L.m,
            "employed_labourers": employed,
            "employment_rate": employed / max(L.m, 1),
            "employed_national": employed * self.p["population_national_people"] / people,
            "migrant_labourers": int((L.status == population.MIGRANT).sum()),
            "workshop_labourers": int((L.status == WORKSHOP).sum()),
            "post_labourers": int((L.status == POST).sum()),
            "trained_share": float((L.skill > 0).mean()) if L.m else 0.0,
            "dibao_households": int((self.dibao > 0).sum()),
            "insured_share": float(self.insured.mean()),
            "support_level": self.support,
            "budget_ration": self.ration,
            "dividends_paid": float(getattr(self, "dividends_paid", 0.0)),
            "poverty_line": self.poverty_line,
            "monitoring_line": self.monitoring_line,
            **fiscal,
            "fiscal_cost": float(sum(fiscal.values())),
            "fund_spending": float(sum(self.ledger.get(pr.name, 0.0) for pr in self.programmes if pr.fund)),
            "budget": self.budget.monthly,
            "crop_price": float(self.coops.price.mean()),
            **extra,
        }
        if self.t > 0 or extra:
            fund_spent = row["fund_spending"]
            self.budget.book(fund_spent / self.ration if self.ration > 0.05 else (self.budget.last_planned or 0.0),
                             fund_spent)
        return row

    def _record_distribution(self, pc: np.ndarray, date: pd.Timestamp) -> None:
        n = self.n_households
        k = min(n, DISTRIBUTION_SAMPLE)
        rows = np.sort(self.streams.generator("dist.sample").choice(n, size=k, replace=False)) if k < n \
            else np.arange(n)
        self.distribution.append(pd.DataFrame({"replicate": self.replicate, "date": date,
                                               "income": pc[rows].astype(float), "size": self.hh.size[rows]}))

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
        self.running = False
        return self

    def timeseries(self) -> pd.DataFrame:
        """The monthly metrics as a DataFrame (one row per month)."""
        return pd.DataFrame(self.records)

    def distribution_frame(self) -> pd.DataFrame:
        """Per-capita income of a sample of households at the start and the end."""
        return pd.concat(self.distribution, ignore_index=True) if self.distribution else pd.DataFrame()

    def spell_lengths(self) -> pd.DataFrame:
        """Ended spells below the poverty line by length in months (the last bin is 60+)."""
        return pd.DataFrame({"replicate": self.replicate, "months": np.arange(SPELL_BINS),
                             "spells": self.spell_hist})[1:]

    # ------------------------------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------------------------------
    def _farm_land(self) -> tuple[np.ndarray, np.ndarray]:
        """Own land left after pooling, and how fully it is farmed (full if a labourer farms it)."""
        H, L = self.hh, self.labs
        farming = np.bincount(L.hh[L.status == FARM], minlength=self.n_households) > 0
        return H.land - self.coops.pooled_mu_hh, np.where(farming, 1.0, 0.35).astype(np.float32)

    def _uh(self, name: str, month: int | None = None) -> np.ndarray:
        return self.streams.uniform(name, self.t if month is None else month, self.n_households)

    def _nh(self, name: str, month: int | None = None) -> np.ndarray:
        return self.streams.normal(name, self.t if month is None else month, self.n_households)

    def _ul(self, name: str, month: int | None = None) -> np.ndarray:
        return self.streams.uniform(name, self.t if month is None else month, self.labs.m)
