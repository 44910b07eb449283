"""The declared parameter schema: every number the model uses, with its provenance.

Parameters are data, not code constants: each has a default, unit, valid range, a one-line
description and a source (an article id ``article:A15``, a public figure ``public:P21``,
``assumption: <reasoning>`` or ``calibrated: <target ids>``). Scenario files override them
by section (``[monitoring] detection_prob = 0.3``); the model takes them as flat keyword
arguments ``monitoring_detection_prob=0.3`` so that Mesa's ``batch_run`` can drive it.

Some parameters may vary by year (``by_year=True``): a scenario then gives either a scalar
or a table ``{ 2021 = 6000, 2023 = 7000 }``; the value in force in year *y* is the entry for the
latest listed year <= *y* (the earliest entry also applies before it).
"""

from __future__ import annotations

from typing import Any

from .param_schema import ASSUME, A, M, P, Param, R, _fmt, _kind_of  # noqa: F401  (re-exported: the schema's names)
from .parameters_economy import ECONOMY_PARAMS
from .parameters_policy import POLICY_PARAMS
from .parameters_post2025 import POST2025_PARAMS


# The schema, grouped by the submodel that reads each parameter, in this order (docs/PARAMETERS.md follows it):
# the cohort and its economy, then risks and policy, then the regime after the transition (programme paths,
# categories, merged monitoring), each declared in its own module.
PARAMS: tuple[Param, ...] = (ECONOMY_PARAMS + POLICY_PARAMS
                             + tuple(Param(**spec) for spec in POST2025_PARAMS))
PARAMS_BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}
PARAMS_BY_FLAT: dict[str, Param] = {p.flat: p for p in PARAMS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMS))


def defaults() -> dict[str, Any]:
    """All defaults as a flat dict ``{section_name: value}``."""
    return {p.flat: p.default for p in PARAMS}


def value_in_year(value: Any, year: int) -> Any:
    """Value of a possibly year-indexed parameter in ``year`` (step function, see module doc)."""
    if not isinstance(value, dict):
        return value
    years = sorted(int(y) for y in value)
    chosen = years[0]
    for y in years:
        if y <= year:
            chosen = y
    return value[chosen] if chosen in value else value[str(chosen)]


# Level tables and the rule that continues each after its last listed year (growth per year).
GROWTH_RULES: dict[str, str] = {
    "monitoring_line": "monitoring_line_growth",
    "monitoring_poverty_line": "monitoring_poverty_line_growth",
    "transfers_dibao_standard": "transfers_dibao_standard_growth",
    "transfers_tekun_standard": "transfers_tekun_standard_growth",
    "transfers_pension": "transfers_pension_growth",
    "budget_cohesion_fund": "budget_cohesion_fund_growth",
}
# Tables of growth rates: their last entry continues (a level that keeps growing), so a 0 there freezes it.
RATE_TABLES = ("labour_wage_growth", "farm_productivity_growth")


def table_value(p: dict, flat: str, year: int) -> float:
    """Value of the yearly table ``flat`` in ``year``: the listed entry in force, and after the last
    listed year that entry grown by the table's declared rule (``GROWTH_RULES``), so no table is frozen
    after its last published year unless the rule is 0. A scalar is the same in every year."""
    value = p[flat]
    v = float(value_in_year(value, year))
    rule = GROWTH_RULES.get(flat)
    if not isinstance(value, dict) or rule is None:
        return v
    last = max(int(y) for y in value)
    return v * (1.0 + float(p[rule])) ** max(0, year - last)


def frozen_tables(p: dict, last_run_year: int) -> list[str]:
    """Yearly tables that a run to ``last_run_year`` uses past their last listed year with no growth
    rule (a rule of 0): each as a sentence for ``ruralsim check``'s warnings."""
    out = []
    for flat, rule in GROWTH_RULES.items():
        value = p.get(flat)
        if isinstance(value, dict) and float(p.get(rule, 0.0)) == 0.0:
            last = max(int(y) for y in value)
            if last_run_year > last:
                out.append(f"{PARAMS_BY_FLAT[flat].key} stops at {last} and {PARAMS_BY_FLAT[rule].key} = 0: "
                           f"it stays frozen at its {last} value through {last_run_year}")
    for flat in RATE_TABLES:
        value = p.get(flat)
        if isinstance(value, dict):
            last = max(int(y) for y in value)
            if last_run_year > last and float(value_in_year(value, last)) == 0.0:
                out.append(f"{PARAMS_BY_FLAT[flat].key} ends at {last} with growth 0: the level stays frozen "
                           f"through {last_run_year}")
    return out
