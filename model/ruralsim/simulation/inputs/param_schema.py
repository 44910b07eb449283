"""A declared parameter (:class:`Param`: default, unit, valid range, description, source) and the
prefixes of its source ids; the declarations themselves are in :mod:`.parameters_economy`,
:mod:`.parameters_policy` and :mod:`.parameters_post2025`, assembled by :mod:`.parameters`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Param:
    """One declared parameter."""

    section: str
    name: str
    default: Any
    unit: str
    description: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    by_year: bool = False
    table_only: bool = False  # a table by year is required (a scalar is refused)
    kind: str = field(default="")  # float | int | bool | choice | str, derived from default; or level (given)

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", _kind_of(self))

    @property
    def key(self) -> str:
        """Dotted key as written in scenario files: ``section.name``."""
        return f"{self.section}.{self.name}"

    @property
    def flat(self) -> str:
        """Flat keyword name used by :class:`ruralsim.RuralModel`: ``section_name``."""
        return f"{self.section}_{self.name}"

    def allowed(self) -> str:
        """Human-readable statement of what values are allowed (used in error messages)."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices or ())
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return "a string"
        if self.kind == "level":
            return (f"'transition', a level from {_fmt(self.low)} to {_fmt(self.high)}, or a table of levels by year "
                    "from 2026, e.g. { 2026 = 1.0, 2028 = 0.5 }")
        rng = f"a {'whole number' if self.kind == 'int' else 'number'}"
        if self.low is not None and self.high is not None:
            rng += f" from {_fmt(self.low)} to {_fmt(self.high)}"
        elif self.low is not None:
            rng += f" >= {_fmt(self.low)}"
        elif self.high is not None:
            rng += f" <= {_fmt(self.high)}"
        if self.table_only:
            return f"a table of {rng[2:].replace('number', 'numbers', 1)} by year, e.g. {{ 2021 = 0.5, 2022 = 0.55, 2023 = 0.6 }}"
        if self.by_year:
            rng += ", or a table of such values by year, e.g. { 2021 = ..., 2024 = ... }"
        return rng


def _kind_of(p: Param) -> str:
    if p.choices:
        return "choice"
    d = p.default.values().__iter__().__next__() if isinstance(p.default, dict) else p.default
    if isinstance(d, bool):
        return "bool"
    if isinstance(d, int):
        return "int"
    if isinstance(d, float):
        return "float"
    return "str"


def _fmt(x: float) -> str:
    return f"{x:g}"


A = "article:"
P = "public:"
R = "places:"
M = "markets:"
ASSUME = "assumption: "
