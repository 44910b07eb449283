"""Policy programmes as objects: each has eligibility, an apply step and its own ledger line.

A programme books what it spends each month under its name (``fiscal_<name>`` in the output) and
how many it reached (``reached_<name>``). ``fund = True`` marks programmes financed by the central
cohesion fund (A04, A05), which the :class:`~ruralsim.budget.Budget` rations when money runs short;
the others (低保, medical assistance, monitoring, temporary assistance) have their own budgets.
Adding a programme means adding a class here and listing it in ``PROGRAMMES``; the model core
only calls the hooks.
"""

from __future__ import annotations

import numpy as np

from ..phases import categories, labour
from ..inputs.parameters import value_in_year
from ..cohort.population import (DIBAO, ELIMINATED, FARM, MIGRANT, MONITORED, NEVER, NONE, OUT, POST, SINGLE,  # noqa: F401
                                 TEKUN, TRAINING)

ILLNESS_CAUSE = 1  # shocks.ILLNESS (kept here so programmes do not import the shocks module)


class Programme:
    """Base class: a named line in the ledger.

    Methods that touch households take ``c``, a chunk of whole counties
    (:class:`ruralsim.chunking.Part`), and book per-county amounts on it; the model adds them up.
    """

    name = "programme"
    fund = False

    def __init__(self, model) -> None:
        self.m = model

    def book(self, c, spent: np.ndarray, reached: int = 0) -> None:
        c.book(self.name, spent, reached)


class TargetedSubsidies(Programme):
    """Poverty-specific transfers during the transition, scaled by targeted support (A03)."""

    name = "subsidies"

    def transfer(self, c) -> np.ndarray:
        per_person = c.p["transfers_targeted_subsidies"] * c.levels["subsidies"] / 12.0
        amount = (c.hh.size * per_person).astype(np.float32)
        self.book(c, c.hh_sum(amount), c.n_households if per_person > 0 else 0)
        return amount


class IndustrySupport(Programme):
    """Industry support (A05, P24: at least 50/55/60% of the fund in 2021/22/23) and monitored households'
    development grants (A09).

    Support buys projects (:mod:`ruralsim.simulation.phases.projects`): what the programme spends this month is
    the projects it buys, booked on its line; households earn the returns of projects bought earlier,
    after a lag, for as long as the projects live. The grant is a measure with a start and an end: paid
    once, when a household that can work is identified, not a flow for as long as it stays monitored."""

    name = "industry"
    fund = True

    def returns(self, c) -> tuple[np.ndarray, np.ndarray]:
        """This month's project returns per household (float32): (operating income, asset-income dividends)."""
        op_pp, asset_pp = self.per_person(c)
        size = c.hh.size
        return ((op_pp[c.hh.county] * size).astype(np.float32), (asset_pp[c.hh.county] * size).astype(np.float32))

    def per_person(self, c) -> tuple[np.ndarray, np.ndarray]:
        """The chunk's counties' project returns per person this month (operating, asset income)."""
        s = slice(c.span.c0, c.span.c1)
        return self.m.industry_op_pp[s], self.m.industry_asset_pp[s]

    @staticmethod
    def per_person_month(c) -> float:
        """Industry support per person this month before any move to employment (yuan)."""
        return c.p["industry_investment"] * c.m.fund_index * c.levels["industry"] * c.ration / 12.0

    @staticmethod
    def moved_share(c) -> float:
        """Share of industry support moved to employment this year (``budget.industry_to_employment``)."""
        return float(value_in_year(c.p["budget_industry_to_employment"], c.m.year))

    def moved(self, c) -> np.ndarray:
        """Yuan per county of the chunk moved this month from industry support to training (0 unless a
        scenario moves money: ``budget.industry_to_employment``)."""
        share = self.moved_share(c)
        if share <= 0.0:
            return np.zeros(c.n_counties)
        return c.hh_sum((self.per_person_month(c) * share * c.hh.size).astype(np.float32))

    def invest_per_person(self, c) -> float:
        """Projects bought per person this month (yuan): :meth:`per_person_month` less what is moved to employment."""
        return self.per_person_month(c) * (1.0 - self.moved_share(c))

    def invest(self, c, reached: int, spent: np.ndarray | None = None) -> None:
        """Buy this month's projects: ``industry.investment`` per person at the programme's level and the
        fund's ration, less what is moved to employment; booked as spending and reported per county
        (``industry_invest``) for the project book. ``spent``: its sum per county when the incomes kernel made
        it in its loop over households (:meth:`invest_per_person` times size, float32 per household)."""
        if spent is None:
            spent = c.hh_sum((self.invest_per_person(c) * c.hh.size).astype(np.float32))
        self.book(c, spent, reached)
        c.out["industry_invest"] = c.out.get("industry_invest", 0.0) + spent

    def grant(self, c, newly_identified: np.ndarray, factor: np.ndarray | float = 1.0) -> np.ndarray:
        """One-off industry grant to newly identified households that can work; counts as a measure.
        ``factor``: the development package's multiplier per household (:mod:`ruralsim.simulation.phases.categories`)."""
        amount = np.where(newly_identified, c.p["monitoring_industry_grant"] * c.ration * factor, 0.0).astype(np.float32)
        c.measures[newly_identified] = np.minimum(c.measures[newly_identified] + 1, 100)
        self.book(c, c.hh_sum(amount), 0)
        return amount


class Training(Programme):
    """Skill training (A18, A19, P20): enrolment, course, certificate, order-based placement."""

    name = "training"
    fund = True

    def step(self, c, u_enrol: np.ndarray, u_place: np.ndarray, moved: np.ndarray | None = None) -> None:
        """Graduation and enrolment; ``moved`` (yuan per county, from industry support) buys extra places:
        moved / (cost per trainee x eligible labourers) more enrolments a month in that county."""
        p, L = c.p, c.labs
        if moved is None:
            moved = np.zeros(c.n_counties)
        # Graduates: skill up, then placed in a job at once with the placement probability.
        in_course = L.status == TRAINING
        L.timer[in_course] -= 1
        done = in_course & (L.timer <= 0)
        L.skill[done] = np.minimum(L.skill[done] + 1, 2)
        # The order's employer takes only graduates who can take migrant work (labour.can_migrate).
        placed = done & (u_place < p["training_placement_prob"])
        placed[placed] = labour.can_migrate(p, L, np.flatnonzero(placed))
        L.status[placed] = MIGRANT
        L.status[done & ~placed] = OUT

        # Each county trains ``coverage`` of its eligible labourers a year, monitored households first:
        # the priority weight is normalised by the county's mean weight over the eligible.
        eligible = ((L.status == OUT) | (L.status == FARM)) & (L.skill < 2) & (L.age < 60) & (L.absent == 0)
        monitored = c.mon_state[L.hh] == MONITORED
        prio = p["training_monitored_priority"] * c.training_priority_factor
        n_eligible = c.lab_sum(eligible)
        n_monitored = c.lab_sum(eligible & monitored)
        mean_w = np.divide(prio * n_monitored + (n_eligible - n_monitored), n_eligible,
                           out=np.ones(c.n_counties), where=n_eligible > 0)
        weight = np.where(monitored, prio, 1.0)
        extra = extra_rate(moved, p["training_cost_per_trainee"], n_eligible)
        rate = (p["training_coverage"] * c.levels["training"] / 12.0 * c.ration + extra[c.lab_county]) * weight / mean_w[c.lab_county]
        enrol = eligible & (u_enrol < rate)
        L.status[enrol] = TRAINING
        L.timer[enrol] = int(p["training_course_months"])
        self.book_enrolled(c, c.lab_sum(enrol))

    def book_enrolled(self, c, enrolled: np.ndarray) -> None:
        """The month's enrolments per county (the Numba kernels enrol in :func:`kernels_numba.labour`)."""
        self.book(c, enrolled * c.p["training_cost_per_trainee"], int(enrolled.sum()))


def extra_rate(moved: np.ndarray, cost: float, eligible: np.ndarray) -> np.ndarray:
    """Monthly enrolment rate per county that ``moved`` yuan buy at ``cost`` a trainee among ``eligible``
    labourers (0 where none is eligible); the rate is capped at 1 by the draw itself."""
    return np.divide(np.asarray(moved, float), cost * eligible, out=np.zeros(len(eligible)),
                     where=(eligible > 0) & (cost > 0))


class PublicPosts(Programme):
    """Public-welfare posts (A22, P22): a quota per village, paid monthly."""

    name = "posts"
    fund = True

    def quota(self) -> np.ndarray:
        m = self.m
        return np.full(m.n_villages, m.p["posts_per_village"] * m.levels["posts"] * m.ration)

    def pay(self, c, wages: np.ndarray, is_post: np.ndarray) -> None:
        self.book(c, c.lab_sum(np.where(is_post, wages, np.float32(0.0))), int(np.count_nonzero(is_post)))


class Workshops(Programme):
    """Subsidies to assistance workshops per job (P21, A27)."""

    name = "workshops"
    fund = True

    def pay(self, c, is_workshop: np.ndarray) -> None:
        per_job = c.p["workshop_subsidy_per_job"] * c.levels["workshops"] * c.ration / 12.0
        self.book(c, c.lab_sum(is_workshop) * per_job, int(np.count_nonzero(is_workshop)))


class DividendGuarantee(Programme):
    """Fiscal top-up of cooperative dividends to the guaranteed rate on shares (P23)."""

    name = "dividend_subsidy"
    fund = True

    def rate(self) -> float:
        m = self.m
        return m.p["coop_guaranteed_dividend_rate"] * m.levels["dividend_subsidy"] * m.ration

    def pay(self, c, subsidy: np.ndarray, members: int) -> None:
        self.book(c, c.hh_sum(subsidy), members)


class MedicalAssistance(Programme):
    """Premium subsidies and the third tier (medical assistance) for monitored and 低保 households (P15)."""

    name = "medical"

    def oop_shares(self, c) -> np.ndarray:
        """Out-of-pocket share (float32) of an uninsured and an insured household (indexed by ``insured``), given
        the poverty-specific tiers in force: a table, looked up for the households with a cost only."""
        p = c.p
        insured_share = p["medical_oop_share_basic"] - (
            p["medical_oop_share_basic"] - p["medical_oop_share_insured"]) * c.levels["medical"]
        return np.array([p["medical_oop_share_uninsured"], insured_share]).astype(np.float32)

    def assist(self, c, oop: np.ndarray) -> np.ndarray:
        """Pay part of the out-of-pocket cost of assisted households; return what they still pay."""
        p = c.p
        assisted = (c.mon_state == MONITORED) | (c.dibao > 0)
        paid = np.where(assisted, oop * p["medical_assistance_share"], 0.0)
        insured_people = c.hh_sum(np.where(c.insured == 1, c.hh.size, np.int8(0)))
        premium = p["medical_premium_subsidy"] * c.levels["medical"] / 12.0 * insured_people
        self.book(c, c.hh_sum(paid) + premium, int(np.count_nonzero(assisted & (oop > 0))))
        return (oop - paid).astype(np.float32)


class Dibao(Programme):
    """兜底: the rural minimum living guarantee (低保, P14) and extreme-poverty support (特困).

    Every household is means-tested once a year (:meth:`review`) on its income per person less the 兜底
    payments themselves and less the transfers the rules let be left out (``transfers.income_test_excludes``
    of the basic pension and the poverty-specific subsidies):

    - 特困: a household with no labourer whose members are all elderly, under the 特困 standard;
    - 低保 for the household: under the 低保 standard (a labourer does not exclude it);
    - 单人保: a household with a labourer and a chronically ill or disabled member, under
      ``transfers.single_cover_limit`` x the standard (低保边缘), covers that one member.

    Enrolment follows identification (应保尽保): an identified household is enrolled when identified
    (:meth:`enrol_detected`) and reviewed without the take-up draw while monitored; an enrolled household
    stays while eligible. An eligible household nobody identified applies at its review with the take-up
    probability, a fresh draw each review (non-take-up is a chance each year, not a trait). A household
    whose income rose above the standard keeps its payment for ``transfers.gradual_exit_months`` (渐退).
    """

    name = "dibao"

    def test_income(self, c, income_less_dibao: np.ndarray) -> np.ndarray:
        """Per-capita income counted by the means test, from household income less 兜底 payments."""
        p, H = c.p, c.hh
        left_out = p["transfers_income_test_excludes"] * (
            p["transfers_targeted_subsidies"] * c.levels["subsidies"] * H.size + H.n_elderly * c.pension
        ) + p["transfers_income_test_work_deduction"] * H.n_lab
        return (income_less_dibao - left_out) / H.size

    def exits(self, c) -> None:
        """The month's gradual exits (渐退): households at the end of their 渐退期 leave 兜底."""
        leaving = c.dibao_exit > 0
        c.dibao_exit[leaving] -= 1
        ended = leaving & (c.dibao_exit == 0)
        c.cover[ended] = NONE
        c.dibao[ended] = 0.0

    def review(self, c, test_pc: np.ndarray, u_takeup: np.ndarray, u_single: np.ndarray, standard: float,
               tekun_standard: float, rows=slice(None), no_draw: np.ndarray | bool = False) -> None:
        """Annual review of the households ``rows`` (the arrays given are theirs); ``no_draw`` marks those
        enrolled without the take-up draw by the 兜底 package (:func:`ruralsim.simulation.phases.categories.no_draw`)."""
        p, H = c.p, c.hh
        size, n_lab, chronic = H.size[rows], H.n_lab[rows], H.chronic[rows]
        elderly_only = (n_lab == 0) & (H.n_elderly[rows] >= size)
        before = c.cover[rows]
        enrolled = before != NONE
        # Identified households are reviewed with the work team's help (应保尽保), enrolled ones stay while
        # eligible: no take-up draw for either.
        helped = (((c.mon_state[rows] == MONITORED) & bool(p["monitoring_enrol_identified"])) | no_draw
                  | enrolled)
        tekun = elderly_only & (test_pc < tekun_standard) & ((u_takeup < p["transfers_tekun_takeup"]) | helped)
        dibao = ~tekun & (test_pc < standard) & ((u_takeup < p["transfers_dibao_takeup"]) | helped)
        single = (~tekun & ~dibao & (n_lab > 0) & (chronic == 1)
                  & (test_pc < p["transfers_single_cover_limit"] * standard)
                  & ((u_single < p["transfers_single_cover_takeup"]) | enrolled))
        cover = np.where(tekun, TEKUN, np.where(dibao, DIBAO, np.where(single, SINGLE, NONE))).astype(np.int8)
        payment = self._payment(c, cover, test_pc, size, standard, tekun_standard)
        # 渐退: an enrolled household no longer eligible keeps its cover and payment for the exit period
        # (one already in it runs it out); an eligible one leaves any exit period.
        exiting = c.dibao_exit[rows]
        keep = enrolled & (cover == NONE) & (int(p["transfers_gradual_exit_months"]) > 0)
        exiting = np.where(keep, np.where(exiting > 0, exiting, int(p["transfers_gradual_exit_months"])), 0)
        c.dibao_exit[rows] = exiting.astype(np.int8)
        c.cover[rows] = np.where(keep, before, cover)
        c.dibao[rows] = np.where(keep, c.dibao[rows], payment)

    def enrol_detected(self, c, detected: np.ndarray, able: np.ndarray, test_pc: np.ndarray, standard: float,
                       tekun_standard: float) -> None:
        """Newly identified households are enrolled at once, without the take-up draw (the work team applies
        for them; 应保尽保, A09): one that can work in 低保 if under the standard; one without labour
        capacity is moved to 兜底 (P33): 特困 if all members are elderly and under its standard, else 低保
        if under the 低保边缘 limit."""
        H = c.hh
        new = detected & (c.cover != DIBAO) & (c.cover != TEKUN)
        elderly_only = (H.n_elderly >= H.size) & ~able
        limit = np.where(able, standard, c.p["transfers_single_cover_limit"] * standard)
        tekun = new & elderly_only & (test_pc < tekun_standard)
        dibao = new & ~tekun & (test_pc < limit)
        rows = np.flatnonzero(tekun | dibao)
        c.cover[rows] = np.where(tekun[rows], TEKUN, DIBAO)
        c.dibao_exit[rows] = 0
        c.dibao[rows] = self._payment(c, c.cover[rows], test_pc[rows], H.size[rows], standard, tekun_standard)

    @staticmethod
    def _payment(c, cover, test_pc, size, standard: float, tekun_standard: float) -> np.ndarray:
        """Monthly payment: the gap to the standard for the people covered, at least the minimum each."""
        floor = c.p["transfers_dibao_minimum"]
        people = np.where(cover == SINGLE, 1, size)
        level = np.where(cover == TEKUN, tekun_standard, standard)
        per_person = np.maximum(np.maximum(level - test_pc, 0.0) / 12.0, floor)
        return np.where(cover == NONE, 0.0, per_person * people).astype(np.float32)

    def transfer(self, c) -> np.ndarray:
        self.book(c, c.hh_sum(c.dibao), int(np.count_nonzero(c.dibao > 0)))
        return c.dibao


class TemporaryAssistance(Programme):
    """One-off help for households in sudden hardship (A29), paid when the work team finds them."""

    name = "temporary"

    def pay(self, c, hardship: np.ndarray) -> np.ndarray:
        amount = np.where(hardship, c.p["transfers_temporary_assistance"] * c.levels["temporary"], 0.0).astype(np.float32)
        self.book(c, c.hh_sum(amount), int(np.count_nonzero(hardship)))
        return amount


class Monitoring(Programme):
    """Dynamic monitoring and assistance (A06, A07, A09, P08-P11, P33), on the ``alert`` signal.

    Identification through the channels the rules name (:mod:`ruralsim.simulation.phases.identification`: the
    annual income check, the household's own report, the cadres' visits, the departments' data), on the
    signals each can see: income (the rolling 12-month income per person under the monitoring line, for a
    household not under household-wide 兜底; the calendar year's at the annual check), rigid spending
    (this month's out-of-pocket medical cost above ``monitoring.rigid_spending_share`` of annual income)
    and sudden hardship (a labourer's death; a severe disaster loss, ``monitoring.hardship_share`` of the
    hit village's households).

    Assistance is measures with a start and an end: a one-off industry grant and a job-placement episode
    of ``monitoring.placement_months`` for a household that can work; 兜底 (低保 / 特困) for one that
    cannot; one-off temporary assistance in hardship. Risk is eliminated at a review
    (:func:`~ruralsim.simulation.phases.identification.elimination_review`) after ``eliminate_after`` stable
    months (income above the line; for a household without labour, under 兜底 cover) and only once at
    least one measure was received.
    """

    name = "monitoring"

    def step(self, c, pc_income: np.ndarray, oop: np.ndarray, annual_income: np.ndarray, line: float,
             u_detect: np.ndarray, sudden: np.ndarray, job_lost: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Triggers, identification by channel (:mod:`ruralsim.simulation.phases.identification`) and elimination;
        returns (identified now, in hardship, able to work)."""
        from ..phases import identification

        p, H = c.p, c.hh
        able = H.n_lab > 0
        covered = c.cover != NONE
        # Household-wide 兜底 (低保, 特困) secures basic living: it is not flagged on income (P29: ~40M in
        # 低保 nationally, ~3M monitored), only on rigid spending or sudden hardship.
        guaranteed = (c.cover == DIBAO) | (c.cover == TEKUN)
        rigid = oop > p["monitoring_rigid_spending_share"] * np.maximum(annual_income, 1.0)
        low = (pc_income < line) & ~guaranteed
        at_risk = low | rigid | sudden
        c.risk_months[:] = np.where(low, np.minimum(c.risk_months + 1, 120), 0)
        detected = np.zeros(c.n_households, bool)
        channel = np.zeros(c.n_households, np.int8)
        if p["monitoring_enabled"]:
            # A placement episode runs placement_months months from the month of identification.
            c.episode[:] = np.where(c.mon_state == MONITORED, np.maximum(c.episode - 1, 0), 0)
            channel = identification.month_channels(c, c.mon_state != MONITORED, low, rigid, sudden, job_lost,
                                                    u_detect)
            detected = channel > 0
            c.mon_state[detected] = MONITORED
            c.ever_monitored[detected] = 1
            c.safe_months[detected] = 0
            c.measures[detected] = 0
            c.episode[detected] = np.where(able[detected], int(p["monitoring_placement_months"]), 0)
            if c.t >= 0:
                c.identified[detected] = 1
                # Illness-related risk (P30): a chronically ill or disabled member, the rigid-spending
                # trigger, or a costly illness among the household's shocks of the last 12 months.
                ill_recently = (c.last_shock == ILLNESS_CAUSE) & (c.t - c.last_shock_month <= 12)
                c.ill_risk[detected & (rigid | (H.chronic == 1) | ill_recently)] = 1
            # Stable: income above the line for a household that can work; 兜底 cover for one that cannot.
            monitored = c.mon_state == MONITORED
            # (one without labour whose income is above the 低保边缘 limit is not poor: stable on income).
            above_limit = pc_income >= p["transfers_single_cover_limit"] * c.dibao_standard
            stable = np.where(able | above_limit, ~at_risk, guaranteed)
            c.safe_months[:] = np.where(monitored & stable & ~detected, np.minimum(c.safe_months + 1, 120), 0)
            measured = (c.measures > 0) | covered
            review = identification.elimination_review(p, c.t, bool(c.merged))
            done = monitored & (c.safe_months >= p["monitoring_eliminate_after"]) & measured & review
            c.mon_state[done] = ELIMINATED
        identification.count_channels(c, channel)
        monitored = c.mon_state == MONITORED
        self.book(c, c.hh_sum(monitored) * p["monitoring_cost_per_household"], int(np.count_nonzero(monitored)))
        hardship = detected & (rigid | sudden)
        return detected, hardship, able

    def place(self, c, draw: np.ndarray) -> None:
        """Employment assistance (A09, A22) during a placement episode: out-of-work labourers of monitored
        households are placed, full labourers by guided migration, weak ones in a public-welfare post.
        A placement is a measure received. Guided migration places into the same migrant vacancies as
        everyone else: its probability is scaled by how open the market is (``migrant_open``: the market's
        rate over its ceiling, 1 when vacancies are plentiful)."""
        L = c.labs
        if not c.p["monitoring_enabled"]:
            return
        episode = (c.mon_state == MONITORED) & (c.episode > 0)
        idle = ((L.status == OUT) | (L.status == FARM)) & (L.absent == 0) & episode[L.hh]
        # A weak labourer is placed in a post only where the village has a post programme (programmes.posts > 0).
        # An able labourer who cannot migrate (labour.can_migrate) is placed in a post too, where there are posts.
        to_post = L.weak == 1
        to_post[~to_post] = ~labour.can_migrate(c.p, L, np.flatnonzero(~to_post))
        idle &= ~to_post | (c.post_quota[L.village] > 0)
        prob = c.p["monitoring_placement_prob"] * c.ration
        placed = idle & (draw < np.where(L.weak == 1, np.float32(prob), np.float32(prob * c.migrant_open))
                         * categories.placement_factor(c, L.hh))
        L.status[placed] = np.where(to_post[placed], POST, MIGRANT)
        got = np.unique(L.hh[placed])
        c.measures[got] = np.minimum(c.measures[got] + 1, 100)
        c.reached["placements"] = c.reached.get("placements", 0) + int(np.count_nonzero(placed))


PROGRAMMES = (TargetedSubsidies, IndustrySupport, Training, PublicPosts, Workshops, DividendGuarantee,
              MedicalAssistance, Dibao, TemporaryAssistance, Monitoring)

# Ledger names of the programmes financed by the cohesion fund (the budget caps only these).
FUND_PROGRAMMES = tuple(c.name for c in PROGRAMMES if c.fund)

__all__ = ["PROGRAMMES", "FUND_PROGRAMMES", "NEVER", "OUT", "NONE", "DIBAO", "SINGLE", "TEKUN"] + [c.__name__ for c in PROGRAMMES]
