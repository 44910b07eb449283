"""Scenario files: load, merge along ``extends`` and validate against the parameter schema.

A scenario is a small TOML file of overrides of :data:`ruralsim.parameters.PARAMS`::

    # Header comment: the policy question (becomes the description).
    extends = "baseline.toml"          # optional: relative to this file, else a shipped scenario
    [transition]
    exit_mode = "cliff"
    [monitoring]
    line = { 2021 = 6000, 2023 = 7000 }   # by-year parameters take a scalar or a year table

Every problem in a file is collected and reported at once (file, key path, value, what is
allowed, and a suggestion for a misspelling), so a user fixes a file in one pass rather than
one error per run. Nothing is applied until the whole chain has validated.
"""

from __future__ import annotations

import difflib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .parameters import PARAMS, PARAMS_BY_FLAT, PARAMS_BY_KEY, SECTIONS, Param, defaults

__all__ = [
    "ConfigError",
    "Problem",
    "Scenario",
    "SCENARIO_DIR",
    "check_overrides",
    "find_scenario",
    "plain",
    "load_scenario",
    "scenario_from_overrides",
    "scenario_paths",
    "to_toml_tables",
]


def shipped_scenario_dir() -> Path:
    """The scenario library: the copy installed inside the package (a wheel), else ``<repo>/scenarios``.

    The top-level ``scenarios/`` folder is the one users read and edit; building a wheel copies it into
    the package (``setup.py``), so ``RuralModel("baseline")`` works from any directory on any install.
    An editable install or a source checkout has no copy and reads the folder itself.
    """
    package = Path(str(files("ruralsim")))
    inside = package / "scenarios"
    if (inside / "baseline.toml").is_file():
        return inside
    return package.parent.parent / "scenarios"


#: The scenario library shipped with the package (see :func:`shipped_scenario_dir`).
SCENARIO_DIR = shipped_scenario_dir()

#: Top-level keys that are not sections.
TOP_LEVEL_KEYS: tuple[str, ...] = ("extends", "name", "description")

#: Year keys of by-year tables must fall in this range; catches typos such as ``20213``.
YEAR_RANGE = (2000, 2100)

MEMORY = Path("<memory>")


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


def redact(problems: list[Problem]) -> list[Problem]:
    """The problems with their values replaced by their types (a file named from outside the project
    may hold secrets; a message could end up in a CI log)."""
    return [p if p.value is _NO_VALUE or isinstance(p.value, Redacted)
            else p._replace(value=Redacted(_type(p.value))) for p in problems]


def trusted(target: Path, referrer: Path | None = None) -> bool:
    """Whether a file named inside a config file may have its values echoed in messages: it lies in
    the referring file's folder tree, the working directory's or the ruralsim checkout's."""
    try:
        t = target.resolve()
        roots = [Path.cwd().resolve(), SCENARIO_DIR.parent.resolve()]
        if referrer is not None:
            roots.append(referrer.resolve().parent)
        return any(t == r or r in t.parents for r in roots)
    except (OSError, RuntimeError):
        return False


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
# Scenario
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its own identity plus the merged overrides of its ``extends`` chain."""

    name: str
    path: Path
    description: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)
    chain: tuple[Path, ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        """Full flat parameter dict (defaults updated with overrides); a fresh copy each call."""
        merged = defaults()
        merged.update(self.overrides)
        # Copy year tables too so callers cannot mutate the schema's defaults.
        return {k: dict(v) if isinstance(v, dict) else v for k, v in merged.items()}

    def __hash__(self) -> int:
        return hash((self.name, self.path, self.chain))


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file and its ``extends`` ancestors.

    Raises :class:`ConfigError` listing every problem found in the chain.
    """
    path = Path(path)
    overrides, chain, meta = _load_chain(path, ())
    check_place_shares({**defaults(), **overrides}, _disp(path), set(overrides))
    name = meta.get("name") or path.stem
    return Scenario(name=name, path=path, description=meta.get("description", ""),
                    overrides=overrides, chain=chain)


def find_scenario(name_or_path: str | Path) -> Path:
    """Resolve ``baseline``, ``baseline.toml`` or a path to a scenario file.

    Lets the command line accept short names from the shipped library as well as paths.
    """
    p = Path(name_or_path)
    if p.is_file():
        return p
    for cand in (SCENARIO_DIR / p, SCENARIO_DIR / f"{p}.toml"):
        if p.parent == Path(".") and cand.is_file():
            return cand
    known = [q.stem for q in scenario_paths()]
    hint = _suggest(p.stem, known)
    raise ConfigError([Problem(str(name_or_path), "", _NO_VALUE,
                               "no such scenario file" + hint,
                               "a path to a .toml file, or one of " + ", ".join(known))])


def scenario_paths(directory: str | Path | None = None) -> list[Path]:
    """Scenario files in ``directory`` (default: the shipped library), sorted by name."""
    d = Path(directory) if directory is not None else SCENARIO_DIR
    return sorted(d.glob("*.toml"))


def scenario_from_overrides(name: str, overrides: Mapping[str, Any] | None = None,
                            description: str = "") -> Scenario:
    """Build an in-memory scenario (e.g. from Python keyword arguments); validates first."""
    flat = check_overrides(overrides or {}, source=f"scenario {name!r}")
    return Scenario(name=name, path=MEMORY, description=description, overrides=flat, chain=())


def check_overrides(flat_or_dotted: Mapping[str, Any],
                    source: str = "keyword arguments") -> dict[str, Any]:
    """Validate overrides given as flat (``monitoring_detection_prob``) or dotted names.

    Returns the normalised flat dict (ints/floats coerced, year keys as int). Raises
    :class:`ConfigError` with every problem at once.
    """
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for key, value in flat_or_dotted.items():
        if not isinstance(key, str):
            problems.append(Problem(source, repr(key), value, "parameter names must be strings",
                                    "a name such as 'monitoring_detection_prob'"))
            continue
        p = PARAMS_BY_FLAT.get(key) or PARAMS_BY_KEY.get(key)
        if p is None:
            problems.append(Problem(source, key, value, "unknown parameter" + _suggest_param(key),
                                    "a declared parameter, flat (section_name) or dotted "
                                    "(section.name)"))
            continue
        if p.flat in origin:
            problems.append(Problem(source, key, value,
                                    f"given twice (also as {origin[p.flat]!r})",
                                    "each parameter once"))
            continue
        origin[p.flat] = key
        norm = _check_value(p, value, source, key, problems)
        if norm is not _NO_VALUE:
            out[p.flat] = norm
    if problems:
        raise ConfigError(problems)
    return out


def to_toml_tables(flat: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Nest flat params as ``{section: {name: value}}`` in schema order, ready for tomli_w.

    Year-table keys become strings because TOML keys must be strings.
    """
    unknown = [k for k in flat if k not in PARAMS_BY_FLAT]
    if unknown:
        raise ConfigError([Problem("to_toml_tables", k, flat[k], "unknown parameter"
                                   + _suggest_param(k), "a declared flat parameter name")
                           for k in unknown])
    tables: dict[str, dict[str, Any]] = {}
    for p in PARAMS:  # schema order keeps written manifests stable and diffable
        if p.flat not in flat:
            continue
        v = flat[p.flat]
        if isinstance(v, Mapping):
            v = {str(y): v[y] for y in sorted(v, key=int)}
        tables.setdefault(p.section, {})[p.name] = v
    return tables


# ---------------------------------------------------------------------------------------------
# Loading files
# ---------------------------------------------------------------------------------------------
def _load_chain(path: Path, stack: tuple[Path, ...]
                ) -> tuple[dict[str, Any], tuple[Path, ...], dict[str, str]]:
    """Return (merged overrides, chain root..path, own name/description) for one file."""
    src = _disp(path)
    text, doc, problems = _read_toml(path, src)
    if doc is None:
        raise ConfigError(problems)

    meta: dict[str, str] = {}
    own: dict[str, Any] = {}
    parent: Path | None = None
    for key, value in doc.items():
        if key == "extends":
            if not isinstance(value, str):
                problems.append(Problem(src, "extends", value, "must be a string",
                                        "a path to a scenario file, relative to this file"))
                continue
            parent = _parent_file(path, value) if "\x00" not in value else None
            if parent is None:  # a folder or device is refused when read
                problems.append(Problem(src, "extends", value,
                                        f"parent file not found ({_disp(path.parent / value)})",
                                        f"a path to an existing scenario file, relative to "
                                        f"{_disp(path.parent) or '.'}, or a shipped scenario: "
                                        + ", ".join(q.name for q in scenario_paths())))
        elif key in ("name", "description"):
            if isinstance(value, str):
                meta[key] = value
            else:
                problems.append(Problem(src, key, value, "must be a string", "a string"))
        elif key in SECTIONS:
            if not isinstance(value, dict):
                problems.append(Problem(src, key, value, "a section must be a table",
                                        f"a table such as [{key}] with keys "
                                        + _section_keys(key)))
                continue
            _check_section(key, value, src, own, problems)
        else:
            problems.append(Problem(src, key, value,
                                    "unknown top-level key or section" + _suggest_top(key),
                                    "extends, name, description, or a section: "
                                    + ", ".join(SECTIONS)))

    if "description" not in meta:
        meta["description"] = header_comment(text)

    merged: dict[str, Any] = {}
    chain: tuple[Path, ...] = ()
    if parent is not None:
        here = path.resolve()
        there = parent.resolve()
        seen = (*stack, here)
        if there in seen:
            cycle = " -> ".join(_disp(p) for p in (*seen[seen.index(there):], there))
            problems.append(Problem(src, "extends", doc["extends"],
                                    f"extends cycle: {cycle}",
                                    "a chain of files that ends in a file without extends"))
        elif len(seen) >= MAX_EXTENDS:
            problems.append(Problem(src, "extends", doc["extends"],
                                    f"extends chain longer than {MAX_EXTENDS} files",
                                    "a short chain of files that ends in a file without extends"))
        else:
            try:
                merged, chain, _ = _load_chain(parent, seen)
            except ConfigError as exc:  # report the parent's problems alongside this file's
                parents = exc.problems if trusted(there, path) else redact(exc.problems)
                problems = parents + problems
    problems += _path_problems(merged, own, src)
    if problems:
        raise ConfigError(problems)
    merged.update(own)  # child wins; a year table replaces the parent's whole table
    return merged, (*chain, path), meta


def _path_problems(merged: dict[str, Any], own: Mapping[str, Any], src: str) -> list[Problem]:
    """Programme paths this file sets must lie between 2026 and the run's last year (its own horizon)."""
    return path_problems({**defaults(), **merged, **own}, set(own), src)


def path_problems(params: Mapping[str, Any], keys: Any, source: str) -> list[Problem]:
    """Problems with the programme paths among ``keys`` of the full ``params`` (years before 2026 or after
    the run's last year, :func:`ruralsim.simulation.programme_paths.path_problems`)."""
    from .programme_paths import path_problems as problems

    return [Problem(source, *p) for p in problems(params, keys)]


def check_place_shares(params: Mapping[str, Any], source: str, given: set[str] | None = None) -> None:
    """The shares that split households between places must add up (:mod:`ruralsim.simulation.places`):
    east + central + west = 1, and key counties (all in the west) at most the west. Raises
    :class:`ConfigError` naming the keys (those the scenario set, where it set any)."""
    regions = ("places_east_share", "places_central_share", "places_west_share")
    total = sum(float(params[k]) for k in regions)
    problems = []
    if abs(total - 1.0) > 1e-6:
        keys = [k for k in regions if given is None or k in given] or list(regions)
        problems.append(Problem(source, ", ".join(PARAMS_BY_FLAT[k].key for k in keys),
                                {PARAMS_BY_FLAT[k].key: params[k] for k in regions},
                                f"region shares sum to {total:.6g}, not 1",
                                "places.east_share + places.central_share + places.west_share = 1, each from 0 to 1"))
    if float(params["places_key_share"]) > float(params["places_west_share"]) + 1e-9:
        problems.append(Problem(source, "places.key_share", params["places_key_share"],
                                f"more than places.west_share ({params['places_west_share']}): key counties are all in the west",
                                f"a share from 0 to places.west_share ({params['places_west_share']})"))
    if problems:
        raise ConfigError(problems)


def _parent_file(path: Path, value: str) -> Path | None:
    """``extends`` resolves relative to the file first, then to the shipped scenarios, so a scenario
    written in the user's own folder can say ``extends = "baseline.toml"``."""
    here = path.parent / value
    if here.exists():  # a folder or device is named, then refused when read ("not a regular file")
        return here
    shipped = SCENARIO_DIR / value
    if Path(value).parent == Path(".") and shipped.is_file():
        return shipped
    return None


def _read_toml(path: Path, src: str) -> tuple[str, dict | None, list[Problem]]:
    try:
        text = read_config_file(path, src, MAX_TOML_BYTES, "a scenario .toml file")
    except ConfigError as err:
        return "", None, err.problems
    try:
        return text, tomllib.loads(text), []
    except tomllib.TOMLDecodeError as exc:
        return text, None, [Problem(src, "", _NO_VALUE, f"TOML syntax error: {exc}",
                                    "valid TOML, see https://toml.io")]
    except RecursionError:
        return text, None, [Problem(src, "", _NO_VALUE, "TOML nested too deeply",
                                    "tables and arrays nested a few levels deep")]


#: Largest config file read (scenarios, experiments, targets): they are a few kB; a cap keeps a
#: mistaken ``extends = "/dev/zero"`` or a multi-GB file from exhausting memory.
MAX_TOML_BYTES = 1 * 2**20
#: Largest design table (CSV) read.
MAX_CSV_BYTES = 16 * 2**20
#: Longest ``extends`` chain (the shipped library uses two or three files).
MAX_EXTENDS = 32


def read_config_file(path: Path, src: str, cap: int, what: str) -> str:
    """The text of a config file named by the user or by another config file: only a regular file
    (not a device, FIFO or folder) no larger than ``cap`` bytes, decoded as UTF-8 (BOM allowed).
    Problems are a ConfigError that never shows the file's content."""
    import os
    import stat

    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ConfigError([Problem(src, "", _NO_VALUE, "file not found", f"a path to {what}")]) from None
    except (OSError, ValueError) as exc:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"cannot read file: {getattr(exc, 'strerror', None) or exc}",
                                   f"a path to {what}")]) from None
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError([Problem(src, "", _NO_VALUE, "not a regular file", f"a path to {what}")])
    if st.st_size > cap:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"too large ({st.st_size:,} bytes; at most {cap:,})",
                                   f"a path to {what}")])
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except OSError as exc:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"cannot read file: {exc.strerror}",
                                   f"a readable {what}")]) from None
    if len(data) > cap:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"too large (more than {cap:,} bytes)", f"a path to {what}")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"not UTF-8 text (byte {exc.start})",
                                   f"a UTF-8 {what}")]) from None


def _check_section(section: str, table: dict[str, Any], src: str, out: dict[str, Any],
                   problems: list[Problem]) -> None:
    for name, value in table.items():
        key = f"{section}.{name}"
        p = PARAMS_BY_KEY.get(key)
        if p is None:
            problems.append(Problem(src, key, value, f"unknown key in [{section}]"
                                    + _suggest_param(key),
                                    f"keys of [{section}]: " + _section_keys(section)))
            continue
        norm = _check_value(p, value, src, key, problems)
        if norm is not _NO_VALUE:
            out[p.flat] = norm


def header_comment(text: str) -> str:
    """The leading block of ``#`` lines, with the markers stripped (a scenario's or experiment's description)."""
    lines: list[str] = []
    for raw in text.lstrip("\n").splitlines():
        s = raw.strip()
        if not s.startswith("#"):
            break
        s = s[1:]
        lines.append(s[1:] if s.startswith(" ") else s)
    return "\n".join(lines).strip()


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
def _suggest(word: str, options: list[str]) -> str:
    hits = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not hits:
        return ""
    return "; did you mean " + " or ".join(repr(h) for h in hits) + "?"


def _suggest_param(key: str) -> str:
    """Suggest a declared parameter for a misspelt flat or dotted name, or one in another section."""
    if "." in key:
        name = key.split(".", 1)[1]
        elsewhere = [p.key for p in PARAMS if p.name == name]
        if elsewhere:
            return "; did you mean " + " or ".join(repr(k) for k in elsewhere) + "?"
        return _suggest(key, list(PARAMS_BY_KEY))
    if key in PARAMS_BY_FLAT:
        return f"; did you mean {PARAMS_BY_FLAT[key].key!r}?"
    elsewhere = [p.flat for p in PARAMS if p.name == key]
    if elsewhere:
        return "; did you mean " + " or ".join(repr(k) for k in elsewhere) + "?"
    return _suggest(key, list(PARAMS_BY_FLAT) + list(PARAMS_BY_KEY))


def _suggest_top(key: str) -> str:
    """Suggest a section, or the dotted key when a parameter was written outside its section."""
    if key in PARAMS_BY_FLAT:
        return f"; did you mean {PARAMS_BY_FLAT[key].key!r} (under [{PARAMS_BY_FLAT[key].section}])?"
    owners = [p.key for p in PARAMS if p.name == key]
    if owners:
        return "; did you mean " + " or ".join(repr(k) for k in owners) + "?"
    return _suggest(key, list(SECTIONS) + list(TOP_LEVEL_KEYS))


def _section_keys(section: str) -> str:
    return ", ".join(p.name for p in PARAMS if p.section == section)
