"""The policy levers the page controls: which parameter each moves, and the control's bounds.

Bounds come from the parameter schema (:mod:`ruralsim.parameters`), so a control cannot produce a
value ``ruralsim check`` would reject; the values are still checked with the schema before a run
(:func:`lever_overrides`), which also catches values typed into a slider's box.

The monitoring line varies by year. Its lever sets the line from :data:`LINE_FROM_YEAR` on (the
post-2025 level) and keeps the scenario's earlier years, so the record of 2021-2025 is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...simulation.inputs.config import check_overrides
from ...simulation.inputs.parameters import PARAMS_BY_FLAT, value_in_year

#: First year the monitoring-line lever applies to (after the 2021-2025 transition period).
LINE_FROM_YEAR = 2026


@dataclass(frozen=True)
class Lever:
    """One control: a slider over [low, high] in ``step``s, or a select over the choices."""

    flat: str
    step: float = 0.0  # 0 for a select

    @property
    def param(self):
        return PARAMS_BY_FLAT[self.flat]

    @property
    def is_select(self) -> bool:
        return self.param.kind == "choice"

    @property
    def low(self) -> float:
        return float(self.param.low)

    @property
    def high(self) -> float:
        return float(self.param.high)

    @property
    def control_id(self) -> str:
        return f"lever-{self.flat}"


#: The page's levers, in the order shown. Every one has schema bounds (checked by a test).
LEVERS: tuple[Lever, ...] = (
    Lever("transition_exit_mode"),
    Lever("transition_years", 1),
    Lever("transition_taper_years", 1),
    Lever("transition_normalised_level", 0.05),
    Lever("monitoring_line", 100),
    Lever("monitoring_detection_prob", 0.05),
    Lever("training_coverage", 0.01),
    Lever("coop_guaranteed_dividend_rate", 0.005),
    Lever("workshop_expansion", 0.1),
    Lever("posts_per_village", 1),
    Lever("budget_scale", 0.05),
)
LEVERS_BY_FLAT = {lv.flat: lv for lv in LEVERS}


def lever_values(params: Mapping[str, Any]) -> dict[str, Any]:
    """What each control shows for a scenario's full parameters (the line: its value in force in
    :data:`LINE_FROM_YEAR`)."""
    out: dict[str, Any] = {}
    for lv in LEVERS:
        v = params[lv.flat]
        if lv.param.by_year:
            v = value_in_year(v, LINE_FROM_YEAR)
        out[lv.flat] = v if lv.is_select else _number(lv, v)
    return out


def lever_overrides(params: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat overrides that turn a scenario (full ``params``) into the controls' ``values``.

    Only levers that differ from the scenario are returned, checked against the schema (raises
    :class:`~ruralsim.config.ConfigError` with the ``check`` message on a bad value).
    """
    shown = lever_values(params)
    out: dict[str, Any] = {}
    for flat, value in values.items():
        lv = LEVERS_BY_FLAT[flat]
        if value is None or value == shown[flat]:
            continue
        if lv.param.by_year:
            table = params[flat] if isinstance(params[flat], Mapping) else {LINE_FROM_YEAR - 1: params[flat]}
            kept = {int(y): v for y, v in table.items() if int(y) < LINE_FROM_YEAR}
            out[flat] = {**kept, LINE_FROM_YEAR: value}
        else:
            out[flat] = value
    return check_overrides(out, source="page controls")


def _number(lv: Lever, v: Any) -> float | int:
    return int(v) if lv.param.kind == "int" else float(v)
