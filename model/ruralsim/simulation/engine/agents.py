"""The collective agents: villages, cooperatives, partner firms and assistance workshops.

They are real ``mesa.Agent`` instances, registered with the model (``model.agents_by_type``),
each able to say who its members are and what state it is in. Their behaviour, though, is
written once per *type* and applied to all agents of that type with array operations
(``CooperativeSector.step`` etc.): at national scale there are ~200,000 villages, and a Python
call per village per month would cost more than the whole household update. An agent handle
is therefore a view of one row of its sector's arrays.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..cohort.population import LOCAL, WORKSHOP, Households, Structure


# ---------------------------------------------------------------------------------------------
# Agent handles
# ---------------------------------------------------------------------------------------------
class _Handle(mesa.Agent):
    """Common part of the agent handles: an index into the sector's arrays."""

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = int(index)


class Village(_Handle):
    """A village with its first secretary and work team (A06), who find households at risk."""

    @property
    def rows(self) -> np.ndarray:
        """Household rows in this village."""
        return np.flatnonzero(self.model.hh.village == self.index)

    @property
    def team_size(self) -> float:
        return float(self.model.structure.team_size[self.index])

    @property
    def detection_prob(self) -> float:
        return float(self.model.villages.detection_prob[self.index])

    @property
    def in_disaster(self) -> bool:
        return bool(self.model.villages.disaster_left[self.index] > 0)


class Cooperative(_Handle):
    """A specialty-crop cooperative: pools land, sells its crop, may guarantee purchase, pays dividends."""

    @property
    def members(self) -> np.ndarray:
        return np.flatnonzero(self.model.hh.coop == self.index)

    @property
    def crop(self) -> int:
        return int(self.model.structure.coop_crop[self.index])

    @property
    def price(self) -> float:
        return float(self.model.coops.price[self.crop])

    @property
    def profit_this_year(self) -> float:
        return float(self.model.coops.profit_ytd[self.index])


class Enterprise(_Handle):
    """A 万企兴万村 partner firm: hires local labourers; its jobs and wage move with its orders."""

    @property
    def county(self) -> int:
        return int(self.model.firms.county[self.index])

    @property
    def capacity(self) -> float:
        return float(self.model.firms.capacity[self.index])

    @property
    def orders(self) -> float:
        return float(np.exp(self.model.firms.log_orders[self.index]))


class Workshop(_Handle):
    """An assistance workshop / micro-factory (帮扶车间) in one village (P21, A27)."""

    @property
    def village(self) -> int:
        return int(self.model.workshops.village[self.index])

    @property
    def active(self) -> bool:
        return bool(self.model.workshops.active[self.index])

    @property
    def capacity(self) -> float:
        return float(self.model.workshops.capacity[self.index])

    @property
    def supported(self) -> bool:
        return bool(self.model.workshops.supported[self.index])


# ---------------------------------------------------------------------------------------------
# Vectorised sectors
# ---------------------------------------------------------------------------------------------
class VillageSector:
    """Village-level state: disasters and the work team's detection probability."""

    def __init__(self, structure: Structure) -> None:
        self.n = structure.n_villages
        self.disaster_left = np.zeros(self.n, np.int8)
        self.detection_prob = np.zeros(self.n, np.float32)

    def update_detection(self, p: dict, team_size: np.ndarray) -> None:
        """Detection probability rises with the team's size relative to the reference (A06, P11)."""
        base = float(p["monitoring_detection_prob"])
        ratio = team_size / float(p["monitoring_reference_team_size"])
        self.detection_prob[:] = 1.0 - (1.0 - base) ** ratio

    def disasters(self, p: dict, draws: np.ndarray) -> np.ndarray:
        """Start disasters in villages whose draw falls under the monthly rate; return the new ones."""
        self.disaster_left[self.disaster_left > 0] -= 1
        hit = draws < p["shocks_disaster_rate"] / 12.0
        self.disaster_left[hit] = int(p["shocks_disaster_months"])
        return hit


class CooperativeSector:
    """Specialty-crop prices (one per crop, shared by all its growers) and cooperative accounts."""

    def __init__(self, p: dict, hh: Households, structure: Structure) -> None:
        self.n = structure.n_coops
        self.crop = structure.coop_crop
        self.n_crops = int(p["coop_crops"])
        self.log_price = np.zeros(self.n_crops)
        self.price = np.ones(self.n_crops)
        # Sums per cooperative in row order, non-members counted in a slot 0 that is dropped (no masked copies).
        slot = hh.coop + 1
        self.pooled_mu_hh = np.where(slot > 0, hh.land * p["coop_pooled_land_share"], 0).astype(np.float32)
        self.pooled_mu = np.bincount(slot, self.pooled_mu_hh, minlength=self.n + 1)[1:]
        self.member_mu = np.bincount(slot, hh.crop_mu, minlength=self.n + 1)[1:]
        self.shares_total = np.bincount(slot, hh.shares, minlength=self.n + 1)[1:]
        self.members = np.bincount(slot, minlength=self.n + 1)[1:]
        self.profit_ytd = np.zeros(self.n)

    def update_prices(self, p: dict, eps: np.ndarray, drop: float) -> None:
        """Log-price AR(1) per crop; a declared price fall multiplies every crop's price."""
        rho, sd = p["coop_price_persistence"], p["coop_price_volatility"]
        self.log_price = rho * self.log_price + sd * eps
        self.price = np.exp(self.log_price) * (1.0 - drop)

    def grower_price(self, p: dict) -> np.ndarray:
        """Price each cooperative pays its members: the market price, or the floor if guaranteed (A12)."""
        market = self.price[self.crop]
        if p["coop_guarantee_purchase"]:
            return np.maximum(market, p["coop_price_floor"])
        return market

    def month(self, p: dict, productivity: float) -> None:
        """Book one month of cooperative profit: pooled land, less rent, less guarantee losses."""
        rev = p["coop_crop_revenue_per_mu"] * productivity / 12.0
        market = self.price[self.crop]
        paid = self.grower_price(p)
        margin = self.pooled_mu * rev * (market - p["coop_crop_cost_share"])
        rent = self.pooled_mu * p["coop_land_rent"] / 12.0
        guarantee_loss = self.member_mu * rev * (paid - market)
        self.profit_ytd += margin - rent - guarantee_loss

    def close_year(self, p: dict) -> np.ndarray:
        """Year end: the dividend per share each cooperative pays out of its profit (A15, P23); the
        year's profit account starts again from zero."""
        pool = p["coop_payout_share"] * np.maximum(self.profit_ytd, 0.0)
        per_share = np.divide(pool, self.shares_total, out=np.zeros(self.n), where=self.shares_total > 0)
        self.profit_ytd[:] = 0.0
        return per_share

    @staticmethod
    def dividends(hh: Households, per_share: np.ndarray, guaranteed_rate: float) -> tuple[np.ndarray, np.ndarray]:
        """Dividends per household (float32) and the fiscal top-up of each to the guaranteed rate on shares."""
        from_profit = np.where(hh.coop >= 0, hh.shares * per_share[np.maximum(hh.coop, 0)], 0.0)
        paid = np.maximum(from_profit, hh.shares * guaranteed_rate)
        return paid.astype(np.float32), paid - from_profit


class EnterpriseSector:
    """Partner firms: each county's local jobs and wage move with its firms' orders (A23-A26)."""

    def __init__(self, p: dict, structure: Structure) -> None:
        k = int(p["enterprise_firms_per_county"])
        self.n = k * structure.n_counties
        self.n_counties = structure.n_counties
        self.county = np.repeat(np.arange(structure.n_counties, dtype=np.int32), k)
        villages_in_county = np.bincount(structure.village_county, minlength=structure.n_counties)
        self.base_capacity = (p["enterprise_jobs_per_firm_per_village"] * villages_in_county[self.county]
                              ).astype(float)
        self.log_orders = np.zeros(self.n)
        self.capacity = self.base_capacity.copy()
        self.county_capacity = np.bincount(self.county, self.capacity, minlength=structure.n_counties)
        self.county_wage_factor = np.ones(structure.n_counties)

    def step(self, p: dict, eps: np.ndarray) -> None:
        rho, sd = p["enterprise_order_persistence"], p["enterprise_order_volatility"]
        self.log_orders = rho * self.log_orders + sd * eps
        orders = np.exp(self.log_orders)
        self.capacity = self.base_capacity * orders
        self.county_capacity = np.bincount(self.county, self.capacity, minlength=self.n_counties)
        # Wages follow orders (enterprise.wage_order_elasticity), weighted by jobs.
        wage = np.bincount(self.county, self.capacity * orders ** p["enterprise_wage_order_elasticity"],
                           minlength=self.n_counties)
        self.county_wage_factor = np.divide(wage, self.county_capacity, out=np.ones(self.n_counties),
                                            where=self.county_capacity > 0)


class WorkshopSector:
    """Assistance workshops: one possible per village, active while the workshop share covers it."""

    def __init__(self, p: dict, structure: Structure) -> None:
        max_share = p["workshop_share_of_villages"] * (1.0 + p["workshop_expansion"])
        self.village = np.flatnonzero(structure.workshop_draw < max_share).astype(np.int32)
        self.draw = structure.workshop_draw[self.village]
        self.n = len(self.village)
        self.n_villages = structure.n_villages
        rank = np.argsort(np.argsort(self.draw)) / max(self.n, 1)
        self.supported = rank < p["workshop_supported_share"] if self.n else np.zeros(0, bool)
        self.log_orders = np.zeros(self.n)
        self.active = np.zeros(self.n, bool)
        self.capacity = np.zeros(self.n)
        self.village_capacity = np.zeros(structure.n_villages)
        self.village_wage = np.zeros(structure.n_villages)

    def step(self, p: dict, year: int, eps: np.ndarray, support: float) -> None:
        share = p["workshop_share_of_villages"] * (1.0 + (p["workshop_expansion"] if year >= 2023 else 0.0))
        self.active = self.draw < share
        rho, sd = p["enterprise_order_persistence"], p["enterprise_order_volatility"]
        self.log_orders = rho * self.log_orders + sd * eps
        gain = 1.0 + p["workshop_support_efficiency_gain"] * self.supported
        # Without support some workshop jobs are not viable (workshop.unsupported_job_loss): subsidies keep them open.
        viability = 1.0 - p["workshop_unsupported_job_loss"] * (1.0 - support)
        self.capacity = np.where(self.active, p["workshop_jobs_per_workshop"] * np.exp(self.log_orders)
                                 * gain * viability, 0.0)
        self.village_capacity[:] = np.bincount(self.village, self.capacity, minlength=self.n_villages)
        self.village_wage[:] = p["workshop_wage"]
        self.village_wage[self.village] += p["workshop_support_wage_gain"] * self.supported


def employed_by_group(status: np.ndarray, group: np.ndarray, code: int, n_groups: int) -> np.ndarray:
    """Labourers with status ``code`` counted per group (village or county)."""
    return np.bincount(group[status == code], minlength=n_groups).astype(float)


__all__ = ["Village", "Cooperative", "Enterprise", "Workshop", "VillageSector", "CooperativeSector",
           "EnterpriseSector", "WorkshopSector", "employed_by_group", "LOCAL", "WORKSHOP"]
