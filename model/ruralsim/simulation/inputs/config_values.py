"""What a config may hold: the problems found in one and the error that reports them all, the checks of
a value against its declared parameter (type, range, year tables), and suggestions for misspelt keys.

Kept apart from :mod:`.config` (which reads scenario files and merges them along ``extends``); every
name here is also importable from there."""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .parameters import PARAMS, PARAMS_BY_FLAT, PARAMS_BY_KEY, SECTIONS, Param

#: Top-level keys that are not sections.
TOP_LEVEL_KEYS: tuple[str, ...] = ("extends", "name", "description")

#: Year keys of by-year tables must fall in this range; catches typos such as ``20213``.
YEAR_RANGE = (2000, 2100)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------
class Problem(NamedTuple):
    """One thing wrong with a config; several are reported together in a :class:`ConfigError`."""

    source: str  # file (as shown to the user) or e.g. "keyword arguments"
    key: str  # key path such as "monitoring.detection_prob"; "" when not about a key
    value: Any  # offending value, or _NO_VALUE
    reason: str  # what is wrong, including any suggestion
    allowed: str = ""  # what is allowed instead

    def __str__(self) -> str:
        where = f"{self.source}: {self.key}" if self.key else self.source
        what = f" = {_show(self.value)}" if self.value is not _NO_VALUE else ""
        text = f"{where}{what}: {self.reason}"
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        return text


class _NoValue:
    def __repr__(self) -> str:
        return "<no value>"


_NO_VALUE: Any = _NoValue()


class Redacted(NamedTuple):
    """A value read from a file outside the project, shown only by its type (never its content)."""

    type_name: str


#: Problems listed in one message (the rest are counted): 20,000 unknown keys must not print 5 MB.
MAX_SHOWN = 40


class ConfigError(ValueError):
    """A scenario or override set is invalid; the message has one line per problem.

    A :class:`ValueError`, so Python clients (Mesa, EMA Workbench, SALib loops) can catch bad input
    as they catch any bad value; each line names the file or keyword, the value and what is allowed.
    """

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("config", "", _NO_VALUE, problems)]
        self.problems: list[Problem] = list(problems)
        lines = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - MAX_SHOWN:,} more problem(s) not shown")
        if len(self.problems) > 1:
            sources = list(dict.fromkeys(p.source for p in self.problems))
            where = ", ".join(sources[:5]) + (f" and {len(sources) - 5} more files" if len(sources) > 5 else "")
            lines.insert(0, f"{len(self.problems)} problems in {where}:")
        super().__init__("\n".join(lines))

    def __reduce__(self):
        # Keep the problems when the error crosses a process boundary (dask / multiprocessing).
        return (ConfigError, (self.problems,))


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------
def _check_value(p: Param, value: Any, src: str, key: str, problems: list[Problem]) -> Any:
    """Type/range-check one value; returns the normalised value or _NO_VALUE after recording."""
    if isinstance(value, Mapping):
        if not p.by_year:
            problems.append(Problem(src, key, value,
                                    "a table is not allowed here (this parameter does not vary "
                                    "by year)", p.allowed()))
            return _NO_VALUE
        if not value:
            problems.append(Problem(src, key, value, "empty year table", p.allowed()))
            return _NO_VALUE
        out: dict[int, Any] = {}
        ok = True
        for y, v in value.items():
            year = _year(y)
            if year is None:
                problems.append(Problem(src, f"{key}[{y}]", v,
                                        f"year key {_show(y)} is not a whole year from "
                                        f"{YEAR_RANGE[0]} to {YEAR_RANGE[1]}", p.allowed()))
                ok = False
                continue
            if year in out:
                problems.append(Problem(src, f"{key}[{year}]", v, "year given twice",
                                        p.allowed()))
                ok = False
                continue
            norm = _check_scalar(p, v, src, f"{key}[{year}]", problems)
            if norm is _NO_VALUE:
                ok = False
            else:
                out[year] = norm
        return dict(sorted(out.items())) if ok else _NO_VALUE
    if p.table_only:
        problems.append(Problem(src, key, value, "a single value is not a rule by year", p.allowed()))
        return _NO_VALUE
    return _check_scalar(p, value, src, key, problems)


def _year(y: Any) -> int | None:
    y = plain(y)
    if isinstance(y, bool):
        return None
    if isinstance(y, int):
        year = y
    elif isinstance(y, str) and y.strip().isdigit():
        year = int(y)
    else:
        return None
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def plain(v: Any) -> Any:
    """A NumPy scalar or 0-d array as the Python value it holds (``np.int64(4)`` -> ``4``).

    EMA Workbench, SALib designs and ``np.arange`` sweeps hand the model NumPy numbers; the schema
    checks Python types, so they are unwrapped first. Anything else is returned unchanged.
    """
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v.item()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _check_scalar(p: Param, v: Any, src: str, key: str, problems: list[Problem]) -> Any:
    given = v  # report what the user wrote, not the coerced value
    v = plain(v)

    def bad(reason: str) -> Any:
        problems.append(Problem(src, key, given, reason, p.allowed()))
        return _NO_VALUE

    kind = p.kind
    if kind == "level":  # a programme level: "transition" (follow the transition's scalar) or a number
        if isinstance(v, str):
            return v if v == "transition" else bad("invalid level" + _suggest(v, ["transition"]))
        kind = "float"
    if kind == "bool":
        return v if isinstance(v, bool) else bad(f"wrong type ({_type(v)})")
    if kind in ("choice", "str"):
        if not isinstance(v, str):
            return bad(f"wrong type ({_type(v)})")
        if kind == "choice" and v not in (p.choices or ()):
            return bad("invalid choice" + _suggest(v, list(p.choices or ())))
        return v
    # numbers
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return bad(f"wrong type ({_type(v)})")
    if isinstance(v, float) and not math.isfinite(v):
        return bad("not a finite number")
    if kind == "int":
        if isinstance(v, float):
            if not v.is_integer():
                return bad("not a whole number")
            v = int(v)
    else:
        v = float(v)
    if (p.low is not None and v < p.low) or (p.high is not None and v > p.high):
        return bad("out of range")
    return v


def _type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, str):
        return "string"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, (list, tuple)):
        return "array"
    if isinstance(v, Mapping):
        return "table"
    return type(v).__name__


def _show(v: Any, limit: int = 120) -> str:
    """Render a value as it would be written in TOML, so users recognise what they wrote."""
    if isinstance(v, Redacted):
        return f"<a {v.type_name}: value not shown>"
    text = _toml_like(v)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _toml_like(v: Any, depth: int = 0) -> str:
    if depth > 8:
        return "..."  # a value nested hundreds deep is shown by its first levels only
    v = plain(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{k} = {_toml_like(x, depth + 1)}" for k, x in list(v.items())[:20]) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_like(x, depth + 1) for x in v[:20]) + "]"
    return repr(v) if isinstance(v, float) else str(v)


def _disp(path: Path) -> str:
    """Path as shown in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------
# Suggestions
# ---------------------------------------------------------------------------------------------
def _did_you_mean(keys: list[str]) -> str:
    """The error's hint naming ``keys`` (empty when there are none)."""
    return "; did you mean " + " or ".join(repr(k) for k in keys) + "?" if keys else ""


def _suggest(word: str, options: list[str]) -> str:
    return _did_you_mean(difflib.get_close_matches(word, options, n=1, cutoff=0.6))


def _suggest_param(key: str) -> str:
    """Suggest a declared parameter for a misspelt flat or dotted name, or one in another section."""
    if "." in key:
        name = key.split(".", 1)[1]
        elsewhere = [p.key for p in PARAMS if p.name == name]
        if elsewhere:
            return _did_you_mean(elsewhere)
        return _suggest(key, list(PARAMS_BY_KEY))
    if key in PARAMS_BY_FLAT:
        return f"; did you mean {PARAMS_BY_FLAT[key].key!r}?"
    elsewhere = [p.flat for p in PARAMS if p.name == key]
    if elsewhere:
        return _did_you_mean(elsewhere)
    return _suggest(key, list(PARAMS_BY_FLAT) + list(PARAMS_BY_KEY))


def _suggest_top(key: str) -> str:
    """Suggest a section, or the dotted key when a parameter was written outside its section."""
    if key in PARAMS_BY_FLAT:
        return f"; did you mean {PARAMS_BY_FLAT[key].key!r} (under [{PARAMS_BY_FLAT[key].section}])?"
    owners = [p.key for p in PARAMS if p.name == key]
    if owners:
        return _did_you_mean(owners)
    return _suggest(key, list(SECTIONS) + list(TOP_LEVEL_KEYS))


def _section_keys(section: str) -> str:
    return ", ".join(p.name for p in PARAMS if p.section == section)
