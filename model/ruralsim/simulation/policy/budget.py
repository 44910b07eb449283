"""The cohesion fund (A04, A05, P24) as a cap on the household programmes it finances.

Each year the cohort's share of the fund is ``fund x household_share x scale x cohort people /
national people``. Fund-financed programmes plan their spending at full intensity; when the planned
run-rate would overspend what is left of the year's budget, every fund-financed programme is rationed
by the same factor (the "ration"), so a budget cut shows up as fewer posts, smaller grants and so on.

The ration is set against the year's planned spending, not last month's run-rate: what is left of the
year's budget over what programmes would spend unrationed in the months left, taken month by month
from the last twelve (so December's yearly dividend guarantee is planned for once a year, and January
is not rationed as if every month carried it; issue 11).
"""

from __future__ import annotations

from ..inputs.parameters import table_value


class Budget:
    """Tracks the year's fund-financed spending and sets next month's ration factor."""

    def __init__(self, p: dict, cohort_people: float) -> None:
        self.p = p
        self.people_ratio = cohort_people / float(p["population_national_people"])
        self.year = None
        self.annual = 0.0
        self.spent = 0.0
        self.ration = 1.0
        self.last_planned = None
        self.month = 0
        self.planned = [None] * 12  # unrationed spending of each month of the year, the latest booked

    def annual_budget(self, year: int) -> float:
        p = self.p
        fund = table_value(p, "budget_cohesion_fund", year)
        return fund * p["budget_household_share"] * p["budget_scale"] * self.people_ratio

    def start_month(self, year: int, month_of_year: int) -> float:
        """Open a month: reset at January; return the ration factor for this month's programmes."""
        if year != self.year:
            self.year, self.annual, self.spent = year, self.annual_budget(year), 0.0
        self.month = month_of_year
        if self.last_planned is None or self.last_planned <= 0:
            self.ration = 1.0
            return self.ration
        remaining = max(self.annual - self.spent, 0.0)
        ahead = self.planned[month_of_year:]
        if any(x is None for x in ahead):  # less than a year booked: plan on last month's run-rate
            plan = (12 - month_of_year) * self.last_planned
        else:
            plan = float(sum(ahead))
        self.ration = min(1.0, remaining / plan) if plan > 0 else 1.0
        return self.ration

    def book(self, planned_full: float, actual: float) -> None:
        """Record what fund programmes would have spent unrationed, and what they did spend."""
        self.last_planned = planned_full
        self.planned[self.month] = planned_full
        self.spent += actual

    @property
    def monthly(self) -> float:
        return self.annual / 12.0
