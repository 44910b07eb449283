"""The assumptions that drive answers (``experiments/assumptions.toml``): read, check and apply.

Each assumption is a table with a label in both languages, the source or reasoning of its range, and a
low and a high setting of one or more parameters::

    [identification]
    label = "Identification channels' rates"
    label_zh = "识别渠道的概率"
    source = "half and double the calibrated rates: no published rate (P35)"
    low = { monitoring.detection_prob = 0.01, monitoring.self_report_prob = 0.0025 }
    high = { monitoring.detection_prob = 0.04, monitoring.self_report_prob = 0.01 }
    from_year = 2025     # optional, by-year parameters only: the value holds from this year on
    optional = true      # optional: skipped (with a note) when a parameter is not in this model's schema

Every problem in the file is reported at once (file, key, value, what is allowed); an unknown parameter, a
low above its high or a value outside the parameter's declared range is an error (exit 2 from the CLI).
``optional`` exists so that one file serves models with and without a submodel (e.g. industry projects).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..simulation.inputs.config import (_NO_VALUE, YEAR_RANGE, ConfigError, Problem, _check_scalar, _disp,
                                        _read_toml, _suggest_param)
from ..simulation.inputs.parameters import PARAMS_BY_FLAT, PARAMS_BY_KEY

FIELDS = ("label", "label_zh", "source", "low", "high", "from_year", "optional")
REQUIRED = ("label", "label_zh", "source", "low", "high")
SIDES = ("low", "high")
#: The shipped file, beside the experiments.
DEFAULT_FILE = Path(__file__).resolve().parents[3] / "experiments" / "assumptions.toml"


@dataclass(frozen=True)
class Assumption:
    """One checked assumption: flat parameter -> value at its low and at its high."""

    name: str
    label: str
    label_zh: str
    source: str
    low: dict[str, Any] = field(hash=False)
    high: dict[str, Any] = field(hash=False)
    from_year: int | None = None

    @property
    def keys(self) -> list[str]:
        return list(self.low)

    def overrides(self, side: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Flat overrides putting this assumption at ``side`` for a run whose parameters are ``params``.

        With ``from_year`` the run's own year table is kept before that year and the value holds from it
        on (e.g. wage growth after 2024 changes, the published years do not).
        """
        values = self.low if side == "low" else self.high
        if self.from_year is None:
            return dict(values)
        out = {}
        for flat, v in values.items():
            base = params[flat]
            table = dict(base) if isinstance(base, Mapping) else {YEAR_RANGE[0]: base}
            table = {int(y): x for y, x in table.items() if int(y) < self.from_year}
            out[flat] = {**table, self.from_year: v}
        return out

    def describe(self, side: str, lang: str = "en") -> str:
        """``transfers.dibao_takeup = 0.3`` (and the year it holds from)."""
        values = self.low if side == "low" else self.high
        text = ", ".join(f"{PARAMS_BY_FLAT[k].key} = {v:g}" for k, v in values.items())
        if self.from_year is not None:
            text += f" ({self.from_year}年起)" if lang == "zh" else f" (from {self.from_year})"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "label_zh": self.label_zh, "source": self.source,
                "low": {PARAMS_BY_FLAT[k].key: v for k, v in self.low.items()},
                "high": {PARAMS_BY_FLAT[k].key: v for k, v in self.high.items()}, "from_year": self.from_year}


@dataclass(frozen=True)
class Assumptions:
    """The checked file: its assumptions (those this model can run) and notes on any skipped."""

    path: Path
    items: tuple[Assumption, ...]
    notes: tuple[str, ...] = ()


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read and check an assumptions file; a :class:`ConfigError` lists every problem."""
    path = Path(path) if path is not None else DEFAULT_FILE
    src = _disp(path)
    _, doc, problems = _read_toml(path, src)
    if doc is None:
        raise ConfigError(problems)
    items, notes = [], []
    for name, table in doc.items():
        if not isinstance(table, dict):
            problems.append(Problem(src, name, table, "each assumption must be a table",
                                    "[name] with label, label_zh, source, low and high"))
            continue
        item = _check_one(name, table, src, problems, notes)
        if item is not None:
            items.append(item)
    if not doc:
        problems.append(Problem(src, "", _NO_VALUE, "no assumption declared", "one table per assumption"))
    if problems:
        raise ConfigError(problems)
    return Assumptions(path, tuple(items), tuple(notes))


def _check_one(name: str, table: dict, src: str, problems: list[Problem], notes: list[str]) -> Assumption | None:
    before = len(problems)
    for key, value in table.items():
        if key not in FIELDS:
            problems.append(Problem(src, f"{name}.{key}", value, "unknown field", ", ".join(FIELDS)))
    for key in REQUIRED:
        if key not in table:
            problems.append(Problem(src, f"{name}.{key}", _NO_VALUE, "missing", _allowed_field(key)))
    for key in ("label", "label_zh", "source"):
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            problems.append(Problem(src, f"{name}.{key}", table[key], "must be a non-empty string", "text"))
    optional = table.get("optional", False)
    if not isinstance(optional, bool):
        problems.append(Problem(src, f"{name}.optional", optional, "must be true or false", "true or false"))
        optional = False
    from_year = table.get("from_year")
    if from_year is not None and (isinstance(from_year, bool) or not isinstance(from_year, int)
                                  or not YEAR_RANGE[0] <= from_year <= YEAR_RANGE[1]):
        problems.append(Problem(src, f"{name}.from_year", from_year, "not a year",
                                f"a whole year from {YEAR_RANGE[0]} to {YEAR_RANGE[1]}"))
        from_year = None
    sides = {side: _flatten(table.get(side)) for side in SIDES}
    for side, values in sides.items():
        if side in table and values is None:
            problems.append(Problem(src, f"{name}.{side}", table[side], "must be a table of parameter = value",
                                    _allowed_field(side)))
    if any(v is None for v in sides.values()):  # nothing to check the values against; other problems still listed
        return None
    low, high = sides["low"], sides["high"]
    if set(low) != set(high):
        problems.append(Problem(src, name, sorted(set(low) ^ set(high)), "low and high set different parameters",
                                "the same parameters in low and high"))
        return None
    unknown = [k for k in low if k not in PARAMS_BY_KEY]
    if unknown and optional:
        notes.append(f"{src}: assumption {name!r} skipped: {', '.join(unknown)} not in this model's parameters")
        return None
    checked: dict[str, dict[str, Any]] = {"low": {}, "high": {}}
    for key in low:
        p = PARAMS_BY_KEY.get(key)
        if p is None:
            for side in SIDES:
                problems.append(Problem(src, f"{name}.{side}.{key}", sides[side][key],
                                        "unknown parameter" + _suggest_param(key),
                                        "a declared parameter (ruralsim params), or optional = true"))
            continue
        if from_year is not None and not p.by_year:
            problems.append(Problem(src, f"{name}.from_year", from_year, f"{key} does not vary by year",
                                    "from_year only with parameters that take a table by year"))
        if p.kind not in ("int", "float"):
            problems.append(Problem(src, f"{name}.low.{key}", low[key], "not a numeric parameter",
                                    "a parameter whose value is a number"))
            continue
        for side in SIDES:
            v = _check_scalar(p, sides[side][key], src, f"{name}.{side}.{key}", problems)
            if v is not _NO_VALUE:
                checked[side][p.flat] = v
        if p.flat in checked["low"] and p.flat in checked["high"] and checked["low"][p.flat] > checked["high"][p.flat]:
            problems.append(Problem(src, f"{name}.low.{key}", low[key], f"low is above high ({high[key]!r})",
                                    f"low <= high, each {p.allowed()}"))
    if len(problems) > before:
        return None
    return Assumption(name, table["label"], table["label_zh"], table["source"], checked["low"], checked["high"],
                      from_year)


def _allowed_field(key: str) -> str:
    if key in SIDES:
        return "a table such as { transfers.dibao_takeup = 0.3 } (dotted parameter = number)"
    return "a non-empty string"


def _flatten(value: Any, prefix: str = "") -> dict[str, Any] | None:
    """``{monitoring: {detection_prob: 0.01}}`` (TOML's reading of dotted keys) -> ``{"monitoring.detection_prob": 0.01}``."""
    if not isinstance(value, dict) or not value:
        return None
    out: dict[str, Any] = {}
    for k, v in value.items():
        key = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and key not in PARAMS_BY_KEY:
            inner = _flatten(v, key)
            if inner is None:
                return None
            out.update(inner)
        else:
            out[key] = v
    return out
