"""The validated form of an experiment: its factors (what varies) and the experiment itself.

Built by :func:`ruralsim.sweep.experiment.load_experiment`; everything here is already checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ...simulation.inputs.config import Scenario, check_overrides
from ...simulation.inputs.parameters import PARAMS_BY_KEY, Param
from . import outcomes as oc

SIZE_KEYS = {"households": "run_households", "months": "run_months", "replicates": "run_replicates",
             "seed": "run_seed"}


@dataclass(frozen=True)
class Factor:
    """One varying parameter: explicit values (levels or categories) or a numeric range."""

    key: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    steps: int | None = None
    scale: bool = False

    @property
    def param(self) -> Param:
        return PARAMS_BY_KEY[self.key]

    @property
    def column(self) -> str:
        """Column name in the design and runs tables (``_scale`` marks a multiplier)."""
        return f"{self.key}_scale" if self.scale else self.key

    @property
    def numeric(self) -> bool:
        return self.param.kind in ("int", "float")

    def levels(self) -> list[Any]:
        """Grid levels: the listed values, or ``steps`` evenly spaced values over the range."""
        if self.values is not None:
            return list(self.values)
        import numpy as np

        vals = np.linspace(float(self.low), float(self.high), int(self.steps or 2))
        if self.param.kind == "int" and not self.scale:
            return list(dict.fromkeys(int(round(v)) for v in vals))
        return [float(v) for v in vals]

    def from_unit(self, u: Any) -> list[Any]:
        """Map draws in [0, 1) to values: equal-width bins for listed values and whole numbers."""
        import numpy as np

        u = np.clip(np.asarray(u, dtype=float), 0.0, np.nextafter(1.0, 0.0))
        if self.values is not None:
            return [self.values[i] for i in (u * len(self.values)).astype(int)]
        lo, hi = float(self.low), float(self.high)
        if self.param.kind == "int" and not self.scale:
            return [int(v) for v in np.minimum(np.floor(lo + u * (hi - lo + 1)), hi)]
        return [float(v) for v in lo + u * (hi - lo)]

    def spec(self) -> dict[str, Any]:
        """JSON-safe description, stored with the results."""
        out: dict[str, Any] = {"key": self.key, "column": self.column, "kind": self.param.kind,
                               "unit": "x base" if self.scale else self.param.unit}
        if self.values is not None:
            out["values"] = list(self.values)
        else:
            out.update(low=self.low, high=self.high, steps=self.steps)
        out["scale"] = self.scale
        return out


@dataclass(frozen=True)
class Experiment:
    """A validated experiment: everything needed to build its design and run it."""

    name: str
    path: Path
    description: str
    scenario: Scenario
    base: dict[str, Any]  # full flat parameters of every run before the point's values
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    method: str
    samples: int | None = None
    levels: int = 4
    design_seed: int = 0
    table_file: Path | None = None
    table_rows: tuple[dict[str, Any], ...] = ()
    outcomes: tuple[str, ...] = oc.DEFAULT_OUTCOMES
    series: tuple[str, ...] = oc.DEFAULT_SERIES
    series_months: str | tuple[str, ...] = "all"
    size_overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def replicates(self) -> int:
        return int(self.base["run_replicates"])

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.factors]

    def point_params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Full flat parameters of a design point given ``{factor key: value}`` (multipliers applied)."""
        params = dict(self.base)
        for f in self.factors:
            v = values[f.key]
            params[f.param.flat] = scaled(self.base[f.param.flat], v) if f.scale else v
        return params

    def with_sizes(self, **sizes: int | None) -> Experiment:
        """A copy with run sizes overridden (``households``, ``replicates``, ``months``, ``seed``)."""
        given = {SIZE_KEYS[k]: v for k, v in sizes.items() if v is not None}
        if not given:
            return self
        flat = check_overrides(given, source="command line")
        return replace(self, base={**self.base, **flat}, size_overrides={**self.size_overrides, **flat})

    def to_json(self) -> dict[str, Any]:
        """What the results folder records about the experiment (enough to redraw its plots)."""
        return {"name": self.name, "file": str(self.path), "description": self.description,
                "scenario": {"name": self.scenario.name, "file": str(self.scenario.path),
                             "extends": [str(p) for p in self.scenario.chain]},
                "method": self.method, "samples": self.samples, "levels": self.levels,
                "design_seed": self.design_seed, "table": None if self.table_file is None else str(self.table_file),
                "factors": [f.spec() for f in self.factors], "fixed": self.fixed,
                "replicates": self.replicates, "households": int(self.base["run_households"]),
                "months": int(self.base["run_months"]), "seed": int(self.base["run_seed"]),
                "outcomes": list(self.outcomes), "series": list(self.series),
                "series_months": self.series_months if isinstance(self.series_months, str)
                else list(self.series_months),
                "size_overrides": self.size_overrides}


def scaled(base: Any, factor: float) -> Any:
    """``base`` multiplied by ``factor``; a by-year table year by year; whole numbers stay whole."""
    if isinstance(base, Mapping):
        return {y: scaled(v, factor) for y, v in base.items()}
    if isinstance(base, int) and not isinstance(base, bool):
        return int(round(base * factor))
    return float(base) * float(factor)
