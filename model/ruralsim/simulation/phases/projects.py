"""Industry projects bought by the fund's industry support (产业帮扶项目): investments, not cash.

Each month a county's industry support (fund-financed, rationed with the other fund programmes) buys one
project: a vintage of capital in that county. A project pays nothing for ``industry.return_lag`` months
(planting to first harvest, building to first sales), then ``industry.return_rate`` a year on its capital
for as long as it lives; each month a live project fails (closes, its capital lost) with the monthly
hazard of ``industry.failure_rate`` a year, a draw per project from its own stream. A share
``industry.asset_income_share`` of the returns is asset income (资产收益: fiscal assets quantified as
shares, returns paid out as dividends, property income); the rest is operating income of the county's
households, per person. Projects in place before the run pay ``farm.industry_subsidy`` per person a
year at the start (the 2020 income the start's calibration uses) and fail like the others.

An ended or cut programme buys fewer new projects; the returns of projects already bought go on
until they fail. The book is per county and national (not per household), so both kernel sets read
the same per-person returns and stay bit-identical.
"""

from __future__ import annotations

import numpy as np


START_VINTAGES = 60  # projects per county in place at the start (a month each over 2016-2020)


def monthly_hazard(annual: float) -> float:
    """Monthly failure probability equivalent to an annual probability ``annual`` (1 - (1 - q)^(1/12))."""
    return 1.0 - (1.0 - float(annual)) ** (1.0 / 12.0)


class Projects:
    """The cohort's industry projects: capital, county, first month of returns, alive or not."""

    def __init__(self, p: dict, people_by_county: np.ndarray) -> None:
        self.p = p
        self.n_counties = len(people_by_county)
        self.people = np.maximum(np.asarray(people_by_county, float), 1.0)
        rate = float(p["industry_return_rate"])
        start_capital = (self.people * float(p["farm_industry_subsidy"]) / rate) if rate > 0 else np.zeros(self.n_counties)
        # Projects in place at the start: one a month per county over the five years before the run (as if
        # bought during the poverty campaign), already paying, each failing on its own.
        k = START_VINTAGES
        self.capital = np.repeat(start_capital / k, k)
        self.county = np.repeat(np.arange(self.n_counties, dtype=np.int32), k)
        self.first = np.full(self.n_counties * k, -10_000, dtype=np.int64)
        self.alive = self.capital > 0
        self.failed_capital = 0.0   # capital lost to failures this month (yuan)
        self.invested = 0.0         # capital bought this month (yuan)

    def invest(self, t: int, by_county: np.ndarray) -> None:
        """Buy this month's projects (``by_county`` yuan); they pay from month ``t + lag + 1``."""
        amount = np.asarray(by_county, float)
        self.invested = float(amount.sum())
        bought = np.flatnonzero(amount > 0)
        if not len(bought):
            return
        lag = int(self.p["industry_return_lag"])
        self.capital = np.concatenate([self.capital, amount[bought]])
        self.county = np.concatenate([self.county, bought.astype(np.int32)])
        self.first = np.concatenate([self.first, np.full(len(bought), t + lag + 1, np.int64)])
        self.alive = np.concatenate([self.alive, np.ones(len(bought), bool)])

    def fail(self, u: np.ndarray) -> None:
        """Each live project fails with the monthly hazard; ``u`` one uniform draw per project."""
        hazard = monthly_hazard(self.p["industry_failure_rate"])
        dead = self.alive & (u[: len(self.alive)] < hazard)
        self.failed_capital = float(self.capital[dead].sum())
        self.alive &= ~dead

    def returns_per_person(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """This month's returns per person by county: (operating part, asset-income part), yuan/person/month."""
        paying = self.alive & (self.first <= t)
        total = np.bincount(self.county[paying], self.capital[paying], minlength=self.n_counties)
        per_person = total * (float(self.p["industry_return_rate"]) / 12.0) / self.people
        asset = float(self.p["industry_asset_income_share"])
        return per_person * (1.0 - asset), per_person * asset

    def live_capital(self) -> float:
        """Capital of the live projects (yuan), paying or not yet."""
        return float(self.capital[self.alive].sum())

    @property
    def n_projects(self) -> int:
        return len(self.alive)


__all__ = ["Projects", "monthly_hazard"]
