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

from .population import ELIMINATED, FARM, MIGRANT, MONITORED, NEVER, OUT, POST, TRAINING


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
        per_person = c.p["transfers_targeted_subsidies"] * c.support / 12.0
        amount = (c.hh.size * per_person).astype(np.float32)
        self.book(c, c.hh_sum(amount), c.n_households if per_person > 0 else 0)
        return amount


class IndustrySupport(Programme):
    """Industry support (A05: >60% of the fund) and monitored households' development grants (A09)."""

    name = "industry"
    fund = True

    def operating(self, c) -> np.ndarray:
        p = c.p
        base = p["farm_industry_subsidy"] * c.support * c.ration / 12.0 * c.hh.size
        able = (c.mon_state == MONITORED) & (c.hh.n_lab > 0)
        grant = np.where(able, p["monitoring_industry_grant"] * c.ration / 12.0, 0.0)
        amount = (base + grant).astype(np.float32)
        self.book(c, c.hh_sum(amount), int(np.count_nonzero(able)))
        return amount


class Training(Programme):
    """Skill training (A18, A19, P20): enrolment, course, certificate, order-based placement."""

    name = "training"
    fund = True

    def step(self, c, u_enrol: np.ndarray, u_place: np.ndarray) -> None:
        p, L = c.p, c.labs
        if c.kern.fast:
            enrolled = c.kern.training(c, u_enrol, u_place)
            self.book(c, enrolled * p["training_cost_per_trainee"], int(enrolled.sum()))
            return
        # Graduates: skill up, then placed in a job at once with the placement probability.
        in_course = L.status == TRAINING
        L.timer[in_course] -= 1
        done = in_course & (L.timer <= 0)
        L.skill[done] = np.minimum(L.skill[done] + 1, 2)
        placed = done & (u_place < p["training_placement_prob"])
        L.status[placed] = MIGRANT
        L.status[done & ~placed] = OUT

        # Each county trains ``coverage`` of its eligible labourers a year, monitored households first:
        # the priority weight is normalised by the county's mean weight over the eligible.
        eligible = ((L.status == OUT) | (L.status == FARM)) & (L.skill < 2) & (L.age < 60) & (L.absent == 0)
        monitored = c.mon_state[L.hh] == MONITORED
        prio = p["training_monitored_priority"]
        n_eligible = c.lab_sum(eligible)
        n_monitored = c.lab_sum(eligible & monitored)
        mean_w = np.divide(prio * n_monitored + (n_eligible - n_monitored), n_eligible,
                           out=np.ones(c.n_counties), where=n_eligible > 0)
        weight = np.where(monitored, prio, 1.0)
        rate = p["training_coverage"] / 12.0 * c.ration * weight / mean_w[c.lab_county]
        enrol = eligible & (u_enrol < rate)
        L.status[enrol] = TRAINING
        L.timer[enrol] = int(p["training_course_months"])
        self.book(c, c.lab_sum(enrol) * p["training_cost_per_trainee"], int(np.count_nonzero(enrol)))


class PublicPosts(Programme):
    """Public-welfare posts (A22, P22): a quota per village, paid monthly."""

    name = "posts"
    fund = True

    def quota(self) -> np.ndarray:
        m = self.m
        return np.full(m.n_villages, m.p["posts_per_village"] * m.support * m.ration)

    def pay(self, c, wages: np.ndarray, is_post: np.ndarray) -> None:
        self.book(c, c.lab_sum(np.where(is_post, wages, np.float32(0.0))), int(np.count_nonzero(is_post)))


class Workshops(Programme):
    """Subsidies to assistance workshops per job (P21, A27)."""

    name = "workshops"
    fund = True

    def pay(self, c, is_workshop: np.ndarray) -> None:
        per_job = c.p["workshop_subsidy_per_job"] * c.support * c.ration / 12.0
        self.book(c, c.lab_sum(is_workshop) * per_job, int(np.count_nonzero(is_workshop)))


class DividendGuarantee(Programme):
    """Fiscal top-up of cooperative dividends to the guaranteed rate on shares (P23)."""

    name = "dividend_subsidy"
    fund = True

    def rate(self) -> float:
        m = self.m
        return m.p["coop_guaranteed_dividend_rate"] * m.support * m.ration

    def pay(self, c, subsidy: np.ndarray, members: int) -> None:
        self.book(c, c.hh_sum(subsidy), members)


class MedicalAssistance(Programme):
    """Premium subsidies and the third tier (medical assistance) for monitored and 低保 households (P15)."""

    name = "medical"

    def oop_share(self, c) -> np.ndarray:
        """Out-of-pocket share per household given insurance and the poverty-specific tiers in force."""
        p = c.p
        insured_share = p["medical_oop_share_basic"] - (
            p["medical_oop_share_basic"] - p["medical_oop_share_insured"]) * c.support
        return np.where(c.insured == 1, insured_share, p["medical_oop_share_uninsured"]).astype(np.float32)

    def assist(self, c, oop: np.ndarray) -> np.ndarray:
        """Pay part of the out-of-pocket cost of assisted households; return what they still pay."""
        p = c.p
        assisted = (c.mon_state == MONITORED) | (c.dibao > 0)
        paid = np.where(assisted, oop * p["medical_assistance_share"], 0.0)
        insured_people = c.hh_sum(np.where(c.insured == 1, c.hh.size, np.int8(0)))
        premium = p["medical_premium_subsidy"] * c.support / 12.0 * insured_people
        self.book(c, c.hh_sum(paid) + premium, int(np.count_nonzero(assisted & (oop > 0))))
        return (oop - paid).astype(np.float32)


class Dibao(Programme):
    """The rural minimum living guarantee (低保, P14): annual review and enrolment of monitored households."""

    name = "dibao"

    def review(self, c, pre_dibao_pc: np.ndarray, u_takeup: np.ndarray, standard: float, rows=slice(None)) -> None:
        """Annual review of the households ``rows`` (the arrays given are theirs): means test against the
        standard; households able to work are expected to use development measures instead, so only
        those without a full labourer qualify."""
        size = c.hh.size[rows]
        eligible = (pre_dibao_pc < standard) & self._no_full_labour(c)[rows]
        enrol = eligible & (u_takeup < c.p["transfers_dibao_takeup"])
        gap = np.maximum(standard - pre_dibao_pc, 0.0) * size / 12.0
        c.dibao[rows] = np.where(enrol, np.maximum(gap, c.p["transfers_dibao_minimum"] * size), 0.0)

    def enrol_detected(self, c, detected: np.ndarray, pre_dibao_pc: np.ndarray, standard: float) -> None:
        """Monitored households that cannot work get the safety net at once (A09)."""
        new = detected & self._no_full_labour(c) & (pre_dibao_pc < standard) & (c.dibao == 0)
        gap = np.maximum(standard - pre_dibao_pc, 0.0) * c.hh.size / 12.0
        c.dibao[new] = np.maximum(gap[new], c.p["transfers_dibao_minimum"] * c.hh.size[new])

    def transfer(self, c) -> np.ndarray:
        self.book(c, c.hh_sum(c.dibao), int(np.count_nonzero(c.dibao > 0)))
        return c.dibao

    @staticmethod
    def _no_full_labour(c) -> np.ndarray:
        return c.full_labourers == 0


class TemporaryAssistance(Programme):
    """One-off help for households in sudden hardship (A29), paid when the work team finds them."""

    name = "temporary"

    def pay(self, c, hardship: np.ndarray) -> np.ndarray:
        amount = np.where(hardship, c.p["transfers_temporary_assistance"], 0.0).astype(np.float32)
        self.book(c, c.hh_sum(amount), int(np.count_nonzero(hardship)))
        return amount


class Monitoring(Programme):
    """Dynamic monitoring and assistance (A06, A07, A09, P08-P11).

    A household is at risk when its per-capita income is under the monitoring line or its
    out-of-pocket spending this month is large against its income. After ``detection_delay`` months at
    risk, its village's work team identifies it with the village's detection probability. Monitored
    households get measures (industry grant and job priority if they can work, the safety net if not)
    until their income has stayed above the line for ``eliminate_after`` months.
    """

    name = "monitoring"

    def step(self, c, pc_income: np.ndarray, oop: np.ndarray, annual_income: np.ndarray,
             line: float, u_detect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = c.p
        rigid = oop > p["monitoring_rigid_spending_share"] * np.maximum(annual_income, 1.0)
        at_risk = (pc_income < line) | rigid
        c.risk_months[:] = np.where(at_risk, np.minimum(c.risk_months + 1, 120), 0)
        detected = np.zeros(c.n_households, bool)
        if p["monitoring_enabled"]:
            prob = c.detection_prob[c.hh.village]
            candidate = (c.mon_state != MONITORED) & at_risk & (c.risk_months > p["monitoring_detection_delay"])
            detected = candidate & (u_detect < prob)
            c.mon_state[detected] = MONITORED
            c.ever_monitored[detected] = 1
            c.safe_months[detected] = 0
            # Risk eliminated once income has stayed above the line long enough.
            monitored = c.mon_state == MONITORED
            c.safe_months[:] = np.where(monitored & ~at_risk, np.minimum(c.safe_months + 1, 120), 0)
            done = monitored & (c.safe_months >= p["monitoring_eliminate_after"])
            c.mon_state[done] = ELIMINATED
        monitored = c.mon_state == MONITORED
        self.book(c, c.hh_sum(monitored) * p["monitoring_cost_per_household"], int(np.count_nonzero(monitored)))
        hardship = detected & (rigid | (pc_income < c.dibao_standard))
        return detected, hardship

    def place(self, c, draw: np.ndarray) -> None:
        """Employment assistance (A09, A22): out-of-work labourers of monitored households are placed,
        full labourers by guided migration, weak ones in a public-welfare post. Guided migration places
        into the same migrant vacancies as everyone else: its probability is scaled by how open the
        market is (``migrant_open``: the market's rate over its ceiling, 1 when vacancies are plentiful)."""
        L = c.labs
        if not c.p["monitoring_enabled"]:
            return
        idle = ((L.status == OUT) | (L.status == FARM)) & (L.absent == 0) & (c.mon_state[L.hh] == MONITORED)
        prob = c.p["monitoring_placement_prob"] * c.ration
        placed = idle & (draw < np.where(L.weak == 1, np.float32(prob), np.float32(prob * c.migrant_open)))
        L.status[placed] = np.where(L.weak[placed] == 1, POST, MIGRANT)
        c.reached["placements"] = c.reached.get("placements", 0) + int(np.count_nonzero(placed))


PROGRAMMES = (TargetedSubsidies, IndustrySupport, Training, PublicPosts, Workshops, DividendGuarantee,
              MedicalAssistance, Dibao, TemporaryAssistance, Monitoring)

# Ledger names of the programmes financed by the cohesion fund (the budget caps only these).
FUND_PROGRAMMES = tuple(c.name for c in PROGRAMMES if c.fund)

__all__ = ["PROGRAMMES", "FUND_PROGRAMMES", "NEVER", "OUT"] + [c.__name__ for c in PROGRAMMES]
