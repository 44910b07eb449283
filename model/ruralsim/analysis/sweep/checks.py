"""Checks of each part of an experiment file; each appends :class:`~ruralsim.config.Problem` s and goes on.

Collecting every problem (rather than stopping at the first) lets a user fix a file in one pass.
Parameter values are checked by :func:`ruralsim.config.check_overrides`, re-labelled with the
experiment's file and key path (``vary.training.coverage.high``).
"""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...simulation.inputs.config import _NO_VALUE as NO_VALUE  # the "no value" marker of a Problem
from ...simulation.inputs.config import (ConfigError, Problem, Scenario, check_overrides, find_scenario, load_scenario,
                                         redact, trusted)
from ...simulation.inputs.parameters import PARAMS, PARAMS_BY_KEY, Param
from . import outcomes as oc
from .spec import Factor, scaled

METHODS = ("grid", "lhs", "sobol", "morris", "table")
DESIGN_KEYS = ("method", "samples", "levels", "file", "seed")
OUTPUT_KEYS = ("outcomes", "series", "series_months")
RANGE_KEYS = ("low", "high", "steps", "scale")


def check_scenario(doc: dict, path: Path, src: str, problems: list[Problem]) -> Scenario | None:
    from ...simulation.inputs.config import scenario_paths

    shipped = ", ".join(p.stem for p in scenario_paths())
    allowed = f"a path relative to the experiment file, or a shipped scenario: {shipped}"
    if "scenario" not in doc:
        problems.append(Problem(src, "scenario", NO_VALUE, "missing: an experiment needs a base scenario", allowed))
        return None
    name = doc["scenario"]
    if not isinstance(name, str):
        problems.append(Problem(src, "scenario", name, "must be a string", allowed))
        return None
    if "\x00" in name:
        problems.append(Problem(src, "scenario", NO_VALUE, "contains a NUL character", allowed))
        return None
    local = path.parent / name
    try:
        return load_scenario(local if local.is_file() else find_scenario(name))
    except ConfigError as exc:
        if local.is_file() or Path(name).is_file():
            target = local if local.is_file() else Path(name)
            # the scenario's own problems, naming its file (values only when it is inside the project)
            problems.extend(exc.problems if trusted(target, path) else redact(exc.problems))
        else:
            reason = exc.problems[0].reason if exc.problems else "no such scenario"
            problems.append(Problem(src, "scenario", name, reason, allowed))
        return None


def check_design(doc: dict, path: Path, src: str, problems: list[Problem], base: dict
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
            problems.append(Problem(src, f"design.{key}", raw[key], "unknown key" + suggest(key, list(DESIGN_KEYS)),
                                    ", ".join(DESIGN_KEYS)))
    method = raw.get("method", "grid")
    if method not in METHODS:
        problems.append(Problem(src, "design.method", method, "unknown design"
                                + (suggest(method, list(METHODS)) if isinstance(method, str) else ""),
                                ", ".join(METHODS)))
        method = "grid"
    samples = raw.get("samples")
    if method in ("lhs", "sobol", "morris"):
        what = {"lhs": "points", "sobol": "the base sample N (a power of 2; runs N x (parameters + 2) points)",
                "morris": "trajectories (each of parameters + 1 points)"}[method]
        if samples is None:
            problems.append(Problem(src, "design.samples", NO_VALUE, f"missing: {method} needs the number of {what}",
                                    "a whole number >= 2"))
        elif not whole(samples) or samples < 2:
            problems.append(Problem(src, "design.samples", samples, "must be a whole number >= 2", what))
        elif method == "sobol" and samples & (samples - 1):
            problems.append(Problem(src, "design.samples", samples, "Sobol' sequences need a power of 2",
                                    f"e.g. {2 ** round(math.log2(samples))}"))
    elif samples is not None:
        problems.append(Problem(src, "design.samples", samples, f"not used by the {method} design",
                                "only lhs, sobol and morris take samples"))
    levels = raw.get("levels", 4)
    if not whole(levels) or levels < 2:
        problems.append(Problem(src, "design.levels", levels, "must be a whole number >= 2",
                                "Morris grid levels, usually 4"))
        levels = 4
    seed = raw.get("seed", base.get("run_seed", 0))
    if not whole(seed) or seed < 0:
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
                problems.append(Problem(src, "design.file", f, f"file not found ({disp(table_file)})",
                                        "a CSV file whose columns are dotted parameter keys"))
                table_file = None
    elif "file" in raw:
        problems.append(Problem(src, "design.file", raw["file"], f"not used by the {method} design",
                                "only method = \"table\" reads a file"))
    return method, samples, int(levels), int(seed), table_file


def check_factors(doc: dict, src: str, method: str, base: dict, fixed: dict, problems: list[Problem]) -> list[Factor]:
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
    flat, origin = flatten(raw, "vary", src, problems)
    factors = []
    for key, spec in flat.items():
        where = f"vary.{origin[key]}"
        p = PARAMS_BY_KEY[key]
        if p.flat in fixed:
            problems.append(Problem(src, where, spec, "also set in [fixed]", "each parameter either fixed or varied"))
            continue
        f = check_factor(p, spec, where, src, method, base, problems)
        if f is not None:
            factors.append(f)
    return factors


def check_factor(p: Param, spec: Any, where: str, src: str, method: str, base: dict,
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
            vals.extend(checked({p.key: v}, src, "", problems, rename=(p.key, f"{where}[{i}]")).values())
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
                                        + suggest(k, list(RANGE_KEYS)), ", ".join(RANGE_KEYS)))
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
                    checked({p.key: scaled(base[p.flat], v)}, src, "", problems,
                             rename=(p.key, f"{where}.{bound}"), shown=v,
                             why=f"x base {short(base[p.flat])} is out of range")
        else:
            for bound, v in (("low", low), ("high", high)):
                checked({p.key: v}, src, "", problems, rename=(p.key, f"{where}.{bound}"))
        if len(problems) > n0:
            return None
        if not low < high:
            problems.append(Problem(src, where, spec, "low must be below high", "low < high"))
        steps = spec.get("steps")
        if method == "grid":
            if steps is None:
                problems.append(Problem(src, f"{where}.steps", NO_VALUE, "a range in a grid needs steps",
                                        "a whole number >= 2 of evenly spaced values, or give a list"))
            elif not whole(steps) or steps < 2:
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


def read_table(file: Path, base: dict, fixed: dict, problems: list[Problem], referrer: Path | None = None
               ) -> tuple[list[Factor], tuple[dict[str, Any], ...]]:
    """Read a CSV design: a header of dotted keys and one row per point (values checked per cell)."""
    src = disp(file)
    mine: list[Problem] = []
    factors, rows = _read_table(file, src, base, fixed, mine)
    # Values of a table outside the project are never echoed (it could be any file on the machine).
    problems.extend(mine if trusted(file, referrer) else redact(mine))
    return factors, rows


def _read_table(file: Path, src: str, base: dict, fixed: dict, problems: list[Problem]
                ) -> tuple[list[Factor], tuple[dict[str, Any], ...]]:
    import io

    from ...simulation.inputs.config import MAX_CSV_BYTES, read_config_file

    try:
        text = read_config_file(file, src, MAX_CSV_BYTES, "a CSV design table")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except ConfigError as err:
        problems.extend(err.problems)
        return [], ()
    except csv.Error as exc:
        problems.append(Problem(src, "", NO_VALUE, f"cannot read CSV ({type(exc).__name__})", "a UTF-8 CSV file"))
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
            checked({key: 0}, src, "", problems, rename=(key, f"column {j + 1}"), shown=key)
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
            values.update(checked({key: parse_cell(cell, PARAMS_BY_KEY[key])}, src, "", problems,
                                   rename=(key, f"row {i}.{key}"), shown=cell.strip()))
        out.append({PARAMS_BY_KEY[k].key: v for k, v in
                    ((p.key, values[p.flat]) for p in (PARAMS_BY_KEY[h] for h in header) if p.flat in values)})
    factors = []
    for key in header:
        vals = tuple(dict.fromkeys(r[key] for r in out if key in r))
        factors.append(Factor(key, values=vals))
    return factors, tuple(out)


def parse_cell(cell: str, p: Param) -> Any:
    s = cell.strip()
    if p.kind == "bool":
        return {"true": True, "false": False}.get(s.lower(), s)
    if p.kind in ("int", "float"):
        try:
            return int(s) if s.lstrip("-").isdigit() else float(s)
        except ValueError:
            return s
    return s


def check_outputs(doc: dict, src: str, problems: list[Problem]
             ) -> tuple[tuple[str, ...], tuple[str, ...], str | tuple[str, ...]]:
    raw = doc.get("outputs", {})
    if not isinstance(raw, dict):
        problems.append(Problem(src, "outputs", raw, "must be a table", "[outputs] with outcomes and series"))
        return oc.DEFAULT_OUTCOMES, oc.DEFAULT_SERIES, "all"
    for key in raw:
        if key not in OUTPUT_KEYS:
            problems.append(Problem(src, f"outputs.{key}", raw[key], "unknown key" + suggest(key, list(OUTPUT_KEYS)),
                                    ", ".join(OUTPUT_KEYS)))
    outs = raw.get("outcomes", list(oc.DEFAULT_OUTCOMES))
    series = raw.get("series", list(oc.DEFAULT_SERIES))
    outs, series = _renamed(outs, src, "outcomes"), _renamed(series, src, "series")
    allowed_out = ("names such as poverty_rate_registry_last12: a monthly series with _" + ", _".join(oc.STATS)
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
                                "monthly series names, e.g. [\"poverty_rate_registry\", \"mean_income\"]"))
        series = list(oc.DEFAULT_SERIES)
    for bad, why in oc.check_names(series, oc.series_columns()):
        problems.append(Problem(src, "outputs.series", bad, why, "columns of the model's monthly series: "
                                + ", ".join(oc.series_columns())))
    if len(set(outs)) < len(outs):
        problems.append(Problem(src, "outputs.outcomes", outs, "an outcome is listed twice", "distinct names"))
    series = list(dict.fromkeys([*series, "households", "people"]))
    months = raw.get("series_months", "all")
    month_allowed = '"all", "december" (every December and the last month), or a list such as ["2025-12"]'
    if isinstance(months, list) and months and all(isinstance(m, str) and is_month(m) for m in months):
        months = tuple(months)
    elif months not in ("all", "december"):
        problems.append(Problem(src, "outputs.series_months", months, "not a choice of months", month_allowed))
        months = "all"
    return tuple(outs), tuple(series), months


def is_month(text: str) -> bool:
    parts = text.split("-")
    return (len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
            and 1 <= int(parts[1]) <= 12)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def flatten(raw: dict, prefix: str, src: str, problems: list[Problem]) -> tuple[dict[str, Any], dict[str, str]]:
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
                checked({key: spec}, src, "", problems, rename=(key, f"{prefix}.{key}"))
                continue
            if key in out:
                problems.append(Problem(src, f"{prefix}.{key}", spec, "given twice", "each parameter once"))
                continue
            out[key], origin[key] = spec, key
    return out, origin


def checked(values: dict[str, Any], src: str, prefix: str, problems: list[Problem], *,
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


def whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def short(v: Any) -> str:
    if isinstance(v, Mapping):
        items = list(v.items())
        return "{" + ", ".join(f"{y}: {x:g}" for y, x in items[:3]) + (", ..." if len(items) > 3 else "") + "}"
    return f"{v:g}" if isinstance(v, (int, float)) else str(v)


def suggest(word: str, options: list[str]) -> str:
    hits = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {hits[0]!r}?" if hits else ""


def disp(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _renamed(names: Any, src: str, key: str) -> Any:
    """Names under their current metric names: an old one (``poverty_rate_last12``) keeps working for one
    release, with a note on stderr and a DeprecationWarning (:func:`current_metric_name`)."""
    import sys
    import warnings

    from ...simulation.phases.metrics import current_metric_name

    if not isinstance(names, list):
        return names
    out = []
    for name in names:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            new = current_metric_name(name)
        if new != name:
            print(f"note: {src}: outputs.{key}: {name!r} is now {new!r} (the alert measure, 预警口径; the registry "
                  f"measure, 建档口径, is {name.replace('poverty_rate', 'poverty_rate_registry', 1)!r}); "
                  f"the old name stops working in the next release", file=sys.stderr)
            for w in caught:
                warnings.warn(w.message, DeprecationWarning, stacklevel=4)
        out.append(new)
    return out
