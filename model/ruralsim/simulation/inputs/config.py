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

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from .parameters import PARAMS, PARAMS_BY_FLAT, PARAMS_BY_KEY, SECTIONS, defaults
from .config_values import (  # noqa: F401  (config's names, as before the split)
    TOP_LEVEL_KEYS, YEAR_RANGE, ConfigError, MAX_SHOWN, Problem, Redacted, _NO_VALUE, _NoValue,
    _check_scalar, _check_value, _disp, _section_keys, _show, _suggest, _suggest_param, _suggest_top,
    _toml_like, _type, _year, plain)

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

MEMORY = Path("<memory>")


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
    if not isinstance(name, str) or text_problem(name):
        raise ConfigError([Problem(f"scenario {name!r}", "name", name,
                                   text_problem(name) if isinstance(name, str) else "must be a string",
                                   TEXT_ALLOWED[False])])
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
            if not isinstance(value, str):
                problems.append(Problem(src, key, value, "must be a string", "a string"))
            elif text_problem(value, multiline=key == "description"):
                problems.append(Problem(src, key, value, text_problem(value, key == "description"),
                                        TEXT_ALLOWED[key == "description"]))
            else:
                meta[key] = value
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
    the run's last year, :func:`ruralsim.simulation.inputs.programme_paths.path_problems`)."""
    from .programme_paths import path_problems as problems

    return [Problem(source, *p) for p in problems(params, keys)]


def check_place_shares(params: Mapping[str, Any], source: str, given: set[str] | None = None) -> None:
    """The shares that split households between places must add up (:mod:`ruralsim.simulation.cohort.places`):
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


#: What a name (one line) or a description (several) may hold, by ``multiline``.
TEXT_ALLOWED = {False: "one line of printable text (no control characters such as NUL or tab)",
                True: "printable text and line breaks (no control characters such as NUL)"}


def text_problem(value: str, multiline: bool = False) -> str:
    """Why ``value`` cannot be a name or description ("" when it can): a control character (NUL, ESC,
    ...) would end up in folder names, manifests and terminal output, where it truncates or corrupts."""
    import unicodedata

    allowed = "\n\r\t" if multiline else ""
    for i, ch in enumerate(value):
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
            return f"holds a control character (U+{ord(ch):04X}) at position {i + 1}"
    return ""


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
