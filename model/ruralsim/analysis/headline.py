"""The four headline outcomes that the drivers and robustness sections explain, one number per replicate.

Why these four and why one number each: a decomposition or a tornado chart needs a scalar per run, and an
analyst asks of every policy the same four things: does registry poverty fall, do incomes rise, how big is
the caseload, what does it cost. They are read at the run's last month (or over the whole run for the
cost), so they do not depend on the sample size: shares of people, yuan per person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Outcome:
    """A headline outcome: the column it is read from, its names and display unit in both languages."""

    key: str
    title: str
    title_zh: str
    unit: str
    unit_zh: str
    scale: float  # stored value x scale = displayed value (shares shown in percentage points)
    measure: str  # "registry" where the measure matters, else ""


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("poverty_rate_registry", "Poverty rate (registry measure), last month",
            "建档口径贫困发生率（末月）", "pp of people", "百分点（人口）", 100.0, "registry"),
    Outcome("registry_income", "Income per person (registry measure), last month",
            "人均纯收入（建档口径，末月）", "yuan per person per year", "元/人/年", 1.0, "registry"),
    Outcome("monitored_people_share", "Caseload: people under monitoring, last month",
            "监测对象人口占比（末月）", "pp of people", "百分点（人口）", 100.0, ""),
    Outcome("fiscal_cost_per_person", "Fiscal cost per person per year, whole run",
            "财政支出（全期人均每年）", "yuan per person per year", "元/人/年", 1.0, ""),
)
OUTCOMES_BY_KEY = {o.key: o for o in OUTCOMES}


def headline_values(ts: pd.DataFrame) -> pd.DataFrame:
    """One row per replicate of a run's monthly series: the four outcomes (stored units: shares 0-1, yuan).

    The cost is the run's fiscal cost divided by the mean number of people and the run's length in
    years, so it is comparable across sample sizes.
    """
    rows = []
    for rep, g in ts.sort_values(["replicate", "date"], kind="stable").groupby("replicate", sort=True):
        last = g.iloc[-1]
        years = len(g) / 12.0
        people = float(g["people_now"].mean()) if "people_now" in g else float(g["people"].mean())
        rows.append({"replicate": int(rep),
                     "poverty_rate_registry": float(last["poverty_rate_registry"]),
                     "registry_income": float(last["registry_income"]),
                     "monitored_people_share": float(last["monitored_people_share"]),
                     "fiscal_cost_per_person": float(g["fiscal_cost"].sum()) / max(people, 1.0) / years})
    return pd.DataFrame(rows, columns=["replicate", *OUTCOMES_BY_KEY])


def as_matrix(values: pd.DataFrame, outcome: str, replicates: list[int]) -> np.ndarray:
    """An outcome's values in replicate order (NaN for a missing replicate)."""
    return values.set_index("replicate")[outcome].reindex(replicates).to_numpy(float)
