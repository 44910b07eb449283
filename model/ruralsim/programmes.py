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
from .shocks import SUPPORT_END


class Programme:
    """Base class: a named line in the ledger."""

    name = "programme"
    fund = False

    def __init__(self, model) -> None:
        self.m = model

    def book(self, spent: float, reached: float = 0.0) -> None:
        self.m.ledger[self.name] += float(spent)
        self.m.reached[self.name] += float(reached)


class TargetedSubsidies(Programme):
    """Poverty-specific transfers during the transition, scaled by targeted support (A03)."""

    name = "subsidies"

    def transfer(self) -> np.ndarray:
        m = self.m
        per_person = m.p["transfers_targeted_subsidies"] * m.support / 12.0
        amount = (m.hh.size * per_person).astype(np.float32)
        self.book(float(amount.sum()), float(m.n_households if per_person > 0 else 0))
        return amount


class IndustrySupport(Programme):
    """Industry support (A05: >60% of the fund) and monitored households' development grants (A09)."""

    name = "industry"
    fund = True

    def operating(self) -> np.ndarray:
        m, p = self.m, self.m.p
        base = p["farm_industry_subsidy"] * m.support * m.ration / 12.0 * m.hh.size
        able = (m.mon_state == MONITORED) & (m.hh.n_lab > 0)
        grant = np.where(able, p["monitoring_industry_grant"] * m.ration / 12.0, 0.0)
        amount = (base + grant).astype(np.float32)
        self.book(float(amount.sum()), float(able.sum()))
        return amount


class Training(Programme):
    """Skill training (A18, A19, P20): enrolment, course, certificate, order-based placement."""

    name = "training"
    fund = True

    def step(self, u_enrol: np.ndarray, u_place: np.ndarray) -> None:
        m, p, L = self.m, self.m.p, self.m.labs
        # Graduates: skill up, then placed in a job at once with the placement probability.
        in_course = L.status == TRAINING
        L.timer[in_course] -= 1
        done = in_course & (L.timer <= 0)
        L.skill[done] = np.minimum(L.skill[done] + 1, 2)
        placed = done & (u_place < p["training_placement_prob"])
        L.status[placed] = MIGRANT
        L.status[done & ~placed] = OUT

        eligible = ((L.status == OUT) | (L.status == FARM)) & (L.skill < 2) & (L.age < 60) & (L.absent == 0)
        weight = np.where(m.mon_state[L.hh] == MONITORED, p["training_monitored_priority"], 1.0)
        mean_w = weight[eligible].mean() if eligible.any() else 1.0
        rate = p["training_coverage"] / 12.0 * m.ration * weight / mean_w
        enrol = eligible & (u_enrol < rate)
        L.status[enrol] = TRAINING
        L.timer[enrol] = int(p["training_course_months"])
        self.book(float(enrol.sum()) * p["training_cost_per_trainee"], float(enrol.sum()))


class PublicPosts(Programme):
    """Public-welfare posts (A22, P22): a quota per village, paid monthly."""

    name = "posts"
    fund = True

    def quota(self) -> np.ndarray:
        m = self.m
        return np.full(m.n_villages, m.p["posts_per_village"] * m.support * m.ration)

    def pay(self, post_wages: float, holders: int) -> None:
        self.book(post_wages, holders)


class Workshops(Programme):
    """Subsidies to assistance workshops per job (P21, A27)."""

    name = "workshops"
    fund = True

    def pay(self, jobs: int) -> None:
        m = self.m
        self.book(jobs * m.p["workshop_subsidy_per_job"] * m.support * m.ration / 12.0, jobs)


class DividendGuarantee(Programme):
    """Fiscal top-up of cooperative dividends to the guaranteed rate on shares (P23)."""

    name = "dividend_subsidy"
    fund = True

    def rate(self) -> float:
        m = self.m
        return m.p["coop_guaranteed_dividend_rate"] * m.support * m.ration

    def pay(self, subsidy: float, members: int) -> None:
        self.book(subsidy, members)


class MedicalAssistance(Programme):
    """Premium subsidies and the third tier (medical assistance) for monitored and 低保 households (P15)."""

    name = "medical"

    def oop_share(self) -> np.ndarray:
        """Out-of-pocket share per household given insurance and the poverty-specific tiers in force."""
        m, p = self.m, self.m.p
        insured_share = p["medical_oop_share_basic"] - (
            p["medical_oop_share_basic"] - p["medical_oop_share_insured"]) * m.support
        return np.where(m.insured == 1, insured_share, p["medical_oop_share_uninsured"]).astype(np.float32)

    def assist(self, oop: np.ndarray) -> np.ndarray:
        """Pay part of the out-of-pocket cost of assisted households; return what they still pay."""
        m, p = self.m, self.m.p
        assisted = (m.mon_state == MONITORED) | (m.dibao > 0)
        paid = np.where(assisted, oop * p["medical_assistance_share"], 0.0)
        premium = p["medical_premium_subsidy"] * m.support / 12.0 * float(m.hh.size[m.insured == 1].sum())
        self.book(float(paid.sum()) + premium, float((assisted & (oop > 0)).sum()))
        return (oop - paid).astype(np.float32)


class Dibao(Programme):
    """The rural minimum living guarantee (低保, P14): annual review and enrolment of monitored households."""

    name = "dibao"

    def review(self, pre_dibao_pc: np.ndarray, u_takeup: np.ndarray, standard: float) -> None:
        """Annual review (January): means test against the standard; households able to work are
        expected to use development measures instead, so only those without a full labourer qualify."""
        m = self.m
        eligible = (pre_dibao_pc < standard) & self._no_full_labour()
        enrol = eligible & (u_takeup < m.p["transfers_dibao_takeup"])
        gap = np.maximum(standard - pre_dibao_pc, 0.0) * m.hh.size / 12.0
        m.dibao[:] = np.where(enrol, np.maximum(gap, 50.0 * m.hh.size), 0.0)

    def enrol_detected(self, detected: np.ndarray, pre_dibao_pc: np.ndarray, standard: float) -> None:
        """Monitored households that cannot work get the safety net at once (A09)."""
        m = self.m
        new = detected & self._no_full_labour() & (pre_dibao_pc < standard) & (m.dibao == 0)
        gap = np.maximum(standard - pre_dibao_pc, 0.0) * m.hh.size / 12.0
        m.dibao[new] = np.maximum(gap[new], 50.0 * m.hh.size[new])

    def transfer(self) -> np.ndarray:
        m = self.m
        self.book(float(m.dibao.sum()), float((m.dibao > 0).sum()))
        return m.dibao

    def _no_full_labour(self) -> np.ndarray:
        return self.m.full_labourers == 0


class TemporaryAssistance(Programme):
    """One-off help for households in sudden hardship (A29), paid when the work team finds them."""

    name = "temporary"

    def pay(self, hardship: np.ndarray) -> np.ndarray:
        amount = np.where(hardship, self.m.p["transfers_temporary_assistance"], 0.0).astype(np.float32)
        self.book(float(amount.sum()), float(hardship.sum()))
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

    def step(self, pc_income: np.ndarray, oop: np.ndarray, annual_income: np.ndarray,
             line: float, u_detect: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, p = self.m, self.m.p
        rigid = oop > p["monitoring_rigid_spending_share"] * np.maximum(annual_income, 1.0)
        at_risk = (pc_income < line) | rigid
        m.risk_months[:] = np.where(at_risk, np.minimum(m.risk_months + 1, 120), 0)
        detected = np.zeros(m.n_households, bool)
        if p["monitoring_enabled"]:
            prob = m.villages.detection_prob[m.hh.village]
            candidate = (m.mon_state != MONITORED) & at_risk & (m.risk_months > p["monitoring_detection_delay"])
            detected = candidate & (u_detect < prob)
            m.mon_state[detected] = MONITORED
            m.ever_monitored[detected] = 1
            m.safe_months[detected] = 0
            # Risk eliminated once income has stayed above the line long enough.
            monitored = m.mon_state == MONITORED
            m.safe_months[:] = np.where(monitored & ~at_risk, np.minimum(m.safe_months + 1, 120), 0)
            done = monitored & (m.safe_months >= p["monitoring_eliminate_after"])
            m.mon_state[done] = ELIMINATED
        n_mon = int((m.mon_state == MONITORED).sum())
        self.book(n_mon * p["monitoring_cost_per_household"], n_mon)
        hardship = detected & (rigid | (pc_income < m.dibao_standard))
        return detected, hardship


    def place(self, draw: np.ndarray) -> None:
        """Employment assistance (A09, A22): out-of-work labourers of monitored households are placed,
        full labourers by guided migration, weak ones in a public-welfare post."""
        m = self.m
        L = m.labs
        if not m.p["monitoring_enabled"]:
            return
        idle = ((L.status == OUT) | (L.status == FARM)) & (L.absent == 0) & (m.mon_state[L.hh] == MONITORED)
        placed = idle & (draw < m.p["monitoring_placement_prob"] * m.ration)
        L.status[placed] = np.where(L.weak[placed] == 1, POST, MIGRANT)
        self.m.reached["placements"] += float(placed.sum())


def flag_support_end(m, previous_support: float) -> None:
    """Mark households that rely on targeted support when it falls, for cause attribution."""
    if m.support < previous_support - 1e-9:
        reliant = (m.dibao == 0) | (m.hh.n_lab > 0)
        m.last_shock[reliant] = SUPPORT_END
        m.last_shock_month[reliant] = m.t


PROGRAMMES = (TargetedSubsidies, IndustrySupport, Training, PublicPosts, Workshops, DividendGuarantee,
              MedicalAssistance, Dibao, TemporaryAssistance, Monitoring)

# Ledger names of the programmes financed by the cohesion fund (the budget caps only these).
FUND_PROGRAMMES = tuple(c.name for c in PROGRAMMES if c.fund)

__all__ = ["PROGRAMMES", "FUND_PROGRAMMES", "NEVER", "OUT"] + [c.__name__ for c in PROGRAMMES]
