"""Experiment files: a base scenario, the parameters that vary, a design, and what to keep.

An experiment is a TOML file (``experiments/*.toml``)::

    # Header comment: the question (becomes the description).
    scenario = "baseline"           # shipped scenario name, or a path relative to this file
    replicates = 3                  # optional run sizes (default: the scenario's run.*)
    households = 20000
    months = 120
    seed = 20210101

    [design]
    method = "grid"                 # grid | lhs | sobol | morris | table
    samples = 32                    # lhs: points; sobol: base sample N (a power of 2); morris: trajectories
    levels = 4                      # morris: grid levels
    file = "designs/points.csv"     # table: one row per point, columns are dotted parameter keys
    seed = 7                        # sampling seed (default: the run seed)

    [vary]                          # dotted keys, or [vary.section] tables
    transition.years = [1, 2, 3]                          # a list: grid levels, or categories when sampled
    shocks.illness_multiplier = { low = 0.5, high = 2.0 } # a range (grid: add steps = n)
    monitoring.line = { low = 0.8, high = 1.2, scale = true }  # multiplies the base value (each year's)

    [fixed]                         # overrides applied to every run, on top of the scenario
    transition.taper_years = 3

    [outputs]
    outcomes = ["poverty_rate_last12", "fiscal_cost_per_person_year"]  # see ruralsim.sweep.outcomes
    series = ["poverty_rate", "mean_income"]                            # monthly columns kept, or "all"
    series_months = "all"           # months of the series kept: "all", "december" (and the last), or ["2025-12"]

A by-year parameter (``monitoring.line``) swept with plain values applies each value to every
year; with ``scale = true`` the value multiplies the base scenario's table year by year.

Everything is checked before any run starts, and every problem is reported at once as a
:class:`~ruralsim.config.ConfigError` naming the file, key path, value and what is allowed.
(The schema is checked by hand rather than with pydantic so that messages match the scenario
files' exactly, with suggestions for misspellings.)
"""

from __future__ import annotations

import csv
import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import _NO_VALUE as NO_VALUE  # the "no value" marker of a Problem
from ..config import ConfigError, Problem, Scenario, check_overrides, find_scenario, load_scenario
from ..parameters import PARAMS, PARAMS_BY_KEY, Param
from . import outcomes as oc

EXPERIMENT_DIR = Path(__file__).resolve().parents[3] / "experiments"
METHODS = ("grid", "lhs", "sobol", "morris", "table")
TOP_KEYS = ("scenario", "name", "description", "replicates", "households", "months", "seed",
            "design", "vary", "fixed", "outputs")
DESIGN_KEYS = ("method", "samples", "levels", "file", "seed")
OUTPUT_KEYS = ("outcomes", "series", "series_months")
RANGE_KEYS = ("low", "high", "steps", "scale")
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


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def find_experiment(name_or_path: str | Path) -> Path:
    """Resolve ``monitoring``, ``monitoring.toml`` or a path to an experiment file."""
    p = Path(name_or_path)
    if p.is_file():
        return p
    if p.parent == Path("."):
        for cand in (EXPERIMENT_DIR / p, EXPERIMENT_DIR / f"{p}.toml"):
            if cand.is_file():
                return cand
    known = sorted(q.stem for q in EXPERIMENT_DIR.glob("*.toml"))
    raise ConfigError([Problem(str(name_or_path), "", NO_VALUE, "no such experiment file" + _suggest(p.stem, known),
                               "a path to a .toml file, or one of " + ", ".join(known))])


def load_experiment(path: str | Path, **sizes: int | None) -> Experiment:
    """Load and validate an experiment file; ``sizes`` (households, replicates, months, seed) override it."""
    path = Path(path)
    src = _disp(path)
    doc, text = _read(path, src)
    problems: list[Problem] = []

    for key in doc:
        if key not in TOP_KEYS:
            problems.append(Problem(src, key, doc[key], "unknown top-level key or section"
                                    + _suggest(key, list(TOP_KEYS)), ", ".join(TOP_KEYS)))

    scenario = _scenario(doc, path, src, problems)
    base = scenario.params if scenario is not None else {p.flat: p.default for p in PARAMS}

    for key, flat in SIZE_KEYS.items():
        if key in doc:
            dotted = flat.replace("_", ".", 1)
            base.update(_checked({dotted: doc[key]}, src, "", problems, rename=(dotted, key)))

    fixed_raw = doc.get("fixed", {})
    fixed: dict[str, Any] = {}
    if not isinstance(fixed_raw, dict):
        problems.append(Problem(src, "fixed", fixed_raw, "must be a table",
                                "a table of parameter values, e.g. [fixed] transition.years = 5"))
    else:
        flat_fixed, _ = _flatten(fixed_raw, "fixed", src, problems)
        for key, value in flat_fixed.items():
            if key.startswith("run."):
                problems.append(Problem(src, f"fixed.{key}", value, "run sizes are set at the top level",
                                        "households, months, replicates, seed at the top of the file"))
                continue
            fixed.update(_checked({key: value}, src, "fixed.", problems))
    base.update(fixed)

    method, samples, levels, design_seed, table_file = _design(doc, path, src, problems, base)
    factors = _factors(doc, src, method, base, fixed, problems)
    table_rows: tuple[dict[str, Any], ...] = ()
    if method == "table" and table_file is not None:
        factors, table_rows = _table(table_file, base, fixed, problems)

    outs, series, months = _outputs(doc, src, problems)

    if problems:
        raise ConfigError(problems)
    exp = Experiment(
        name=str(doc.get("name") or path.stem), path=path,
        description=str(doc.get("description") or _header_comment(text)),
        scenario=scenario, base=base, fixed=fixed, factors=tuple(factors), method=method, samples=samples,
        levels=levels, design_seed=design_seed, table_file=table_file, table_rows=table_rows,
        outcomes=outs, series=series, series_months=months)
    return exp.with_sizes(**sizes)


def _read(path: Path, src: str) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Problem(src, "", NO_VALUE, "file not found", "a path to an experiment .toml file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(src, "", NO_VALUE, f"cannot read file: {exc}", "a readable UTF-8 TOML file")]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(src, "", NO_VALUE, f"TOML syntax error: {exc}", "valid TOML, see https://toml.io")]) from None


def _scenario(doc: dict, path: Path, src: str, problems: list[Problem]) -> Scenario | None:
    from ..config import scenario_paths

    shipped = ", ".join(p.stem for p in scenario_paths())
    allowed = f"a path relative to the experiment file, or a shipped scenario: {shipped}"
    if "scenario" not in doc:
        problems.append(Problem(src, "scenario", NO_VALUE, "missing: an experiment needs a base scenario", allowed))
        return None
    name = doc["scenario"]
    if not isinstance(name, str):
        problems.append(Problem(src, "scenario", name, "must be a string", allowed))
        return None
    local = path.parent / name
    try:
        return load_scenario(local if local.is_file() else find_scenario(name))
    except ConfigError as exc:
        if local.is_file() or Path(name).is_file():
            problems.extend(exc.problems)  # the scenario's own problems, naming its file
        else:
            reason = exc.problems[0].reason if exc.problems else "no such scenario"
            problems.append(Problem(src, "scenario", name, reason, allowed))
        return None


def _design(doc: dict, path: Path, src: str, problems: list[Problem], base: dict
            ) -> tuple[str, int | None, int, int, Path | None]:
    raw = doc.get("design", {"method": "grid"})
    if isinstance(raw, str):
        raw = {"method": raw}
    if not isinstance(raw, dict):
        problems.append(Problem(src, "design", raw, "must be a method name or a table",
                                'design = "grid", or a [design] table with method, samples, levels, file, seed'))
        return "grid", None, 4, 0, None
    for key in raw:
        if key not in DESIGN_KEYS:
            problems.append(Problem(src, f"design.{key}", raw[key], "unknown key" + _suggest(key, list(DESIGN_KEYS)),
                                    ", ".join(DESIGN_KEYS)))
    method = raw.get("method", "grid")
    if method not in METHODS:
        problems.append(Problem(src, "design.method", method, "unknown design"
                                + (_suggest(method, list(METHODS)) if isinstance(method, str) else ""),
                                ", ".join(METHODS)))
        method = "grid"
    samples = raw.get("samples")
    if method in ("lhs", "sobol", "morris"):
        what = {"lhs": "points", "sobol": "the base sample N (a power of 2; runs N x (parameters + 2) points)",
                "morris": "trajectories (each of parameters + 1 points)"}[method]
        if samples is None:
            problems.append(Problem(src, "design.samples", NO_VALUE, f"missing: {method} needs the number of {what}",
                                    "a whole number >= 2"))
        elif not _whole(samples) or samples < 2:
            problems.append(Problem(src, "design.samples", samples, "must be a whole number >= 2", what))
        elif method == "sobol" and samples & (samples - 1):
            problems.append(Problem(src, "design.samples", samples, "Sobol' sequences need a power of 2",
                                    f"e.g. {2 ** round(math.log2(samples))}"))
    elif samples is not None:
        problems.append(Problem(src, "design.samples", samples, f"not used by the {method} design",
                                "only lhs, sobol and morris take samples"))
    levels = raw.get("levels", 4)
    if not _whole(levels) or levels < 2:
        problems.append(Problem(src, "design.levels", levels, "must be a whole number >= 2",
                                "Morris grid levels, usually 4"))
        levels = 4
    seed = raw.get("seed", base.get("run_seed", 0))
    if not _whole(seed) or seed < 0:
        problems.append(Problem(src, "design.seed", seed, "must be a whole number >= 0", "a sampling seed"))
        seed = 0
    table_file = None
    if method == "table":
        f = raw.get("file")
        if not isinstance(f, str):
            problems.append(Problem(src, "design.file", f if f is not None else NO_VALUE,
                                    "a table design needs a CSV file", "a path relative to the experiment file"))
        else:
            table_file = path.parent / f
            if not table_file.is_file():
                problems.append(Problem(src, "design.file", f, f"file not found ({_disp(table_file)})",
                                        "a CSV file whose columns are dotted parameter keys"))
                table_file = None
    elif "file" in raw:
        problems.append(Problem(src, "design.file", raw["file"], f"not used by the {method} design",
                                "only method = \"table\" reads a file"))
    return method, samples, int(levels), int(seed), table_file


def _factors(doc: dict, src: str, method: str, base: dict, fixed: dict, problems: list[Problem]) -> list[Factor]:
    raw = doc.get("vary")
    if method == "table":
        if raw:
            problems.append(Problem(src, "vary", raw, "a table design takes its parameters from the CSV columns",
                                    "no [vary] with method = \"table\""))
        return []
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(src, "vary", raw if raw is not None else NO_VALUE,
                                "missing or empty: an experiment needs at least one parameter that varies",
                                "a [vary] table, e.g. training.coverage = [0.0, 0.1, 0.2]"))
        return []
    flat, origin = _flatten(raw, "vary", src, problems)
    factors = []
    for key, spec in flat.items():
        where = f"vary.{origin[key]}"
        p = PARAMS_BY_KEY[key]
        if p.flat in fixed:
            problems.append(Problem(src, where, spec, "also set in [fixed]", "each parameter either fixed or varied"))
            continue
        f = _factor(p, spec, where, src, method, base, problems)
        if f is not None:
            factors.append(f)
    return factors


def _factor(p: Param, spec: Any, where: str, src: str, method: str, base: dict,
            problems: list[Problem]) -> Factor | None:
    n0 = len(problems)
    if isinstance(spec, list):
        if len(spec) < 2:
            problems.append(Problem(src, where, spec, "a sweep needs at least two values",
                                    "a list of two or more values, or a range { low = ..., high = ... }; "
                                    "a single value belongs in [fixed]"))
            return None
        vals = []
        for i, v in enumerate(spec):
            vals.extend(_checked({p.key: v}, src, "", problems, rename=(p.key, f"{where}[{i}]")).values())
        if len(problems) > n0:
            return None
        dup = [v for i, v in enumerate(vals) if v in vals[:i]]
        if dup:
            problems.append(Problem(src, where, spec, f"value {dup[0]!r} listed twice", "distinct values"))
            return None
        return Factor(p.key, values=tuple(vals))
    if isinstance(spec, dict):
        for k in spec:
            if k not in RANGE_KEYS:
                problems.append(Problem(src, f"{where}.{k}", spec[k], "unknown key in a range"
                                        + _suggest(k, list(RANGE_KEYS)), ", ".join(RANGE_KEYS)))
        if p.kind not in ("int", "float"):
            problems.append(Problem(src, where, spec, f"a range needs a numeric parameter ({p.key} is {p.kind})",
                                    "a list of values, e.g. " + ("[true, false]" if p.kind == "bool" else
                                                                 "[" + ", ".join(repr(c) for c in p.choices or ()) + "]")))
            return None
        scale = spec.get("scale", False)
        if not isinstance(scale, bool):
            problems.append(Problem(src, f"{where}.scale", scale, "must be true or false",
                                    "true: the values multiply the base scenario's value"))
            scale = False
        for bound in ("low", "high"):
            if bound not in spec:
                problems.append(Problem(src, f"{where}.{bound}", NO_VALUE, "missing", "a range needs low and high"))
        if len(problems) > n0:
            return None
        low, high = spec["low"], spec["high"]
        if scale:
            for bound, v in (("low", low), ("high", high)):
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or not math.isfinite(v):
                    problems.append(Problem(src, f"{where}.{bound}", v, "a multiplier must be a number >= 0",
                                            "a factor applied to the base value, e.g. 0.8"))
            if len(problems) == n0:
                for bound, v in (("low", low), ("high", high)):
                    _checked({p.key: scaled(base[p.flat], v)}, src, "", problems,
                             rename=(p.key, f"{where}.{bound}"), shown=v,
                             why=f"x base {_short(base[p.flat])} is out of range")
        else:
            for bound, v in (("low", low), ("high", high)):
                _checked({p.key: v}, src, "", problems, rename=(p.key, f"{where}.{bound}"))
        if len(problems) > n0:
            return None
        if not low < high:
            problems.append(Problem(src, where, spec, "low must be below high", "low < high"))
        steps = spec.get("steps")
        if method == "grid":
            if steps is None:
                problems.append(Problem(src, f"{where}.steps", NO_VALUE, "a range in a grid needs steps",
                                        "a whole number >= 2 of evenly spaced values, or give a list"))
            elif not _whole(steps) or steps < 2:
                problems.append(Problem(src, f"{where}.steps", steps, "must be a whole number >= 2",
                                        "the number of evenly spaced values from low to high"))
        elif steps is not None:
            problems.append(Problem(src, f"{where}.steps", steps, f"steps is not used by the {method} design",
                                    "steps only in grid designs (sampled designs draw from the whole range)"))
        if len(problems) > n0:
            return None
        return Factor(p.key, low=float(low) if p.kind == "float" or scale else int(low),
                      high=float(high) if p.kind == "float" or scale else int(high),
                      steps=None if steps is None else int(steps), scale=scale)
    problems.append(Problem(src, where, spec, "a single value is not a sweep",
                            "a list of values, a range { low = ..., high = ... }, or put it in [fixed]"))
    return None


def _table(file: Path, base: dict, fixed: dict, problems: list[Problem]
           ) -> tuple[list[Factor], tuple[dict[str, Any], ...]]:
    """Read a CSV design: a header of dotted keys and one row per point (values checked per cell)."""
    src = _disp(file)
    try:
        with open(file, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(src, "", NO_VALUE, f"cannot read CSV: {exc}", "a UTF-8 CSV file"))
        return [], ()
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        problems.append(Problem(src, "", NO_VALUE, "no design rows", "a header of dotted parameter keys and "
                                "one row per design point"))
        return [], ()
    header = [h.strip() for h in rows[0]]
    n0 = len(problems)
    for j, key in enumerate(header):
        if key not in PARAMS_BY_KEY:
            _checked({key: 0}, src, "", problems, rename=(key, f"column {j + 1}"), shown=key)
        elif PARAMS_BY_KEY[key].flat in fixed:
            problems.append(Problem(src, f"column {j + 1}", key, "also set in [fixed]",
                                    "each parameter either fixed or varied"))
    if len(set(header)) < len(header):
        problems.append(Problem(src, "header", ",".join(header), "a column is given twice", "distinct keys"))
    if len(problems) > n0:
        return [], ()
    out = []
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(Problem(src, f"row {i}", ",".join(row), f"has {len(row)} cells, the header {len(header)}",
                                    "one value per column"))
            continue
        values = {}
        for key, cell in zip(header, row):
            values.update(_checked({key: _parse_cell(cell, PARAMS_BY_KEY[key])}, src, "", problems,
                                   rename=(key, f"row {i}.{key}"), shown=cell.strip()))
        out.append({PARAMS_BY_KEY[k].key: v for k, v in
                    ((p.key, values[p.flat]) for p in (PARAMS_BY_KEY[h] for h in header) if p.flat in values)})
    factors = []
    for key in header:
        vals = tuple(dict.fromkeys(r[key] for r in out if key in r))
        factors.append(Factor(key, values=vals))
    return factors, tuple(out)


def _parse_cell(cell: str, p: Param) -> Any:
    s = cell.strip()
    if p.kind == "bool":
        return {"true": True, "false": False}.get(s.lower(), s)
    if p.kind in ("int", "float"):
        try:
            return int(s) if s.lstrip("-").isdigit() else float(s)
        except ValueError:
            return s
    return s


def _outputs(doc: dict, src: str, problems: list[Problem]
             ) -> tuple[tuple[str, ...], tuple[str, ...], str | tuple[str, ...]]:
    raw = doc.get("outputs", {})
    if not isinstance(raw, dict):
        problems.append(Problem(src, "outputs", raw, "must be a table", "[outputs] with outcomes and series"))
        return oc.DEFAULT_OUTCOMES, oc.DEFAULT_SERIES, "all"
    for key in raw:
        if key not in OUTPUT_KEYS:
            problems.append(Problem(src, f"outputs.{key}", raw[key], "unknown key" + _suggest(key, list(OUTPUT_KEYS)),
                                    ", ".join(OUTPUT_KEYS)))
    outs = raw.get("outcomes", list(oc.DEFAULT_OUTCOMES))
    series = raw.get("series", list(oc.DEFAULT_SERIES))
    allowed_out = ("names such as poverty_rate_last12: a monthly series with _" + ", _".join(oc.STATS)
                   + ", or " + ", ".join(oc.DERIVED) + " (list them with: ruralsim sweep --list-outcomes)")
    if not isinstance(outs, list) or not outs:
        problems.append(Problem(src, "outputs.outcomes", outs, "must be a non-empty list", allowed_out))
        outs = list(oc.DEFAULT_OUTCOMES)
    for bad, why in oc.check_names(outs, oc.known_outcomes()):
        problems.append(Problem(src, "outputs.outcomes", bad, f"{why}", allowed_out))
    if series == "all":
        series = list(oc.series_columns())
    if not isinstance(series, list):
        problems.append(Problem(src, "outputs.series", series, "must be a list or \"all\"",
                                "monthly series names, e.g. [\"poverty_rate\", \"mean_income\"]"))
        series = list(oc.DEFAULT_SERIES)
    for bad, why in oc.check_names(series, oc.series_columns()):
        problems.append(Problem(src, "outputs.series", bad, why, "columns of the model's monthly series: "
                                + ", ".join(oc.series_columns())))
    if len(set(outs)) < len(outs):
        problems.append(Problem(src, "outputs.outcomes", outs, "an outcome is listed twice", "distinct names"))
    series = list(dict.fromkeys([*series, "households", "people"]))
    months = raw.get("series_months", "all")
    month_allowed = '"all", "december" (every December and the last month), or a list such as ["2025-12"]'
    if isinstance(months, list) and months and all(isinstance(m, str) and _is_month(m) for m in months):
        months = tuple(months)
    elif months not in ("all", "december"):
        problems.append(Problem(src, "outputs.series_months", months, "not a choice of months", month_allowed))
        months = "all"
    return tuple(outs), tuple(series), months


def _is_month(text: str) -> bool:
    parts = text.split("-")
    return (len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
            and 1 <= int(parts[1]) <= 12)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def _flatten(raw: dict, prefix: str, src: str, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, str]]:
    """``{section: {name: spec}}`` or ``{"section.name": spec}`` -> {dotted key: spec}, checking names."""
    out: dict[str, Any] = {}
    origin: dict[str, str] = {}
    sections = {p.section for p in PARAMS}
    for k, v in raw.items():
        if "." in k:
            items = [(k, v)]
        elif k in sections and isinstance(v, dict):
            items = [(f"{k}.{name}", spec) for name, spec in v.items()]
        else:
            items = [(k, v)]
        for key, spec in items:
            if key not in PARAMS_BY_KEY:
                _checked({key: spec}, src, "", problems, rename=(key, f"{prefix}.{key}"))
                continue
            if key in out:
                problems.append(Problem(src, f"{prefix}.{key}", spec, "given twice", "each parameter once"))
                continue
            out[key], origin[key] = spec, key
    return out, origin


def _checked(values: dict[str, Any], src: str, prefix: str, problems: list[Problem], *,
             rename: tuple[str, str] | None = None, shown: Any = NO_VALUE, why: str | None = None) -> dict[str, Any]:
    """check_overrides on ``values``, re-labelling its problems with this file and key path."""
    try:
        return check_overrides(values, source=src)
    except ConfigError as exc:
        for pr in exc.problems:
            key = pr.key
            if rename and key.startswith(rename[0]):
                key = rename[1] + key[len(rename[0]):]
            else:
                key = prefix + key
            reason = why if (why and pr.reason == "out of range") else pr.reason
            problems.append(Problem(src, key, pr.value if shown is NO_VALUE else shown, reason, pr.allowed))
        return {}


def _whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _short(v: Any) -> str:
    if isinstance(v, Mapping):
        items = list(v.items())
        return "{" + ", ".join(f"{y}: {x:g}" for y, x in items[:3]) + (", ..." if len(items) > 3 else "") + "}"
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def _suggest(word: str, options: list[str]) -> str:
    hits = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {hits[0]!r}?" if hits else ""


def _header_comment(text: str) -> str:
    lines: list[str] = []
    for raw in text.lstrip("\n").splitlines():
        s = raw.strip()
        if not s.startswith("#"):
            break
        lines.append(s[1:].removeprefix(" "))
    return "\n".join(lines).strip()


def _disp(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
