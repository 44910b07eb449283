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
    outcomes = ["poverty_rate_registry_last12", "fiscal_cost_per_person_year"]  # see ruralsim.sweep.outcomes
    series = ["poverty_rate_registry", "mean_income"]                         # monthly columns kept, or "all"
    series_months = "all"           # months of the series kept: "all", "december" (and the last), or ["2025-12"]

A by-year parameter (``monitoring.line``) swept with plain values applies each value to every
year; with ``scale = true`` the value multiplies the base scenario's table year by year.

Everything is checked before any run starts, and every problem is reported at once as a
:class:`~ruralsim.config.ConfigError` naming the file, key path, value and what is allowed.
(The schema is checked by hand rather than with pydantic so that messages match the scenario
files' exactly, with suggestions for misspellings.)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ...simulation.inputs.config import _NO_VALUE as NO_VALUE  # the "no value" marker of a Problem
from ...simulation.inputs.config import TEXT_ALLOWED, ConfigError, Problem, header_comment, text_problem
from ...simulation.inputs.parameters import PARAMS
from .checks import (check_design, check_factors, check_outputs, check_scenario, checked, disp, flatten,
                     read_table, suggest)
from .spec import SIZE_KEYS, Experiment, Factor, scaled

__all__ = ["EXPERIMENT_DIR", "Experiment", "Factor", "find_experiment", "load_experiment", "scaled"]

EXPERIMENT_DIR = Path(__file__).resolve().parents[4] / "experiments"
TOP_KEYS = ("scenario", "name", "description", "replicates", "households", "months", "seed",
            "design", "vary", "fixed", "outputs")


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
    known = sorted(q.stem for q in EXPERIMENT_DIR.glob("*.toml") if not _is_targets_file(q))
    raise ConfigError([Problem(str(name_or_path), "", NO_VALUE, "no such experiment file" + suggest(p.stem, known),
                               "a path to a .toml file, or one of " + ", ".join(known))])


def _is_targets_file(path: Path) -> bool:
    """Whether a TOML file in experiments/ is a targets file (for validate/calibrate), not a sweep."""
    try:
        return path.stat().st_size < 2**20 and "targets" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return False


def load_experiment(path: str | Path, **sizes: int | None) -> Experiment:
    """Load and validate an experiment file; ``sizes`` (households, replicates, months, seed) override it."""
    path = Path(path)
    src = disp(path)
    doc, text = _read(path, src)
    if "targets" in doc and "factors" not in doc:
        raise ConfigError([Problem(src, "", NO_VALUE, "this is a targets file (outcomes to reproduce), not an "
                                   "experiment", "use it with ruralsim validate --targets or ruralsim calibrate "
                                   "--targets; a sweep needs an experiment file such as experiments/monitoring.toml")])
    problems: list[Problem] = []

    for key in doc:
        if key not in TOP_KEYS:
            problems.append(Problem(src, key, doc[key], "unknown top-level key or section"
                                    + suggest(key, list(TOP_KEYS)), ", ".join(TOP_KEYS)))

    scenario = check_scenario(doc, path, src, problems)
    base = scenario.params if scenario is not None else {p.flat: p.default for p in PARAMS}

    for key, flat in SIZE_KEYS.items():
        if key in doc:
            dotted = flat.replace("_", ".", 1)
            base.update(checked({dotted: doc[key]}, src, "", problems, rename=(dotted, key)))

    fixed_raw = doc.get("fixed", {})
    fixed: dict[str, Any] = {}
    if not isinstance(fixed_raw, dict):
        problems.append(Problem(src, "fixed", fixed_raw, "must be a table",
                                "a table of parameter values, e.g. [fixed] transition.years = 5"))
    else:
        flat_fixed, _ = flatten(fixed_raw, "fixed", src, problems)
        for key, value in flat_fixed.items():
            if key.startswith("run."):
                problems.append(Problem(src, f"fixed.{key}", value, "run sizes are set at the top level",
                                        "households, months, replicates, seed at the top of the file"))
                continue
            fixed.update(checked({key: value}, src, "fixed.", problems))
    base.update(fixed)

    method, samples, levels, design_seed, table_file = check_design(doc, path, src, problems, base)
    factors = check_factors(doc, src, method, base, fixed, problems)
    table_rows: tuple[dict[str, Any], ...] = ()
    if method == "table" and table_file is not None:
        factors, table_rows = read_table(table_file, base, fixed, problems, path)

    outs, series, months = check_outputs(doc, src, problems)
    for key in ("name", "description"):
        value = doc.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(Problem(src, key, value, "must be a string", "a string"))
        elif value is not None and text_problem(value, key == "description"):
            problems.append(Problem(src, key, value, text_problem(value, key == "description"),
                                    TEXT_ALLOWED[key == "description"]))

    if problems:
        raise ConfigError(problems)
    exp = Experiment(
        name=str(doc.get("name") or path.stem), path=path,
        description=str(doc.get("description") or header_comment(text)),
        scenario=scenario, base=base, fixed=fixed, factors=tuple(factors), method=method, samples=samples,
        levels=levels, design_seed=design_seed, table_file=table_file, table_rows=table_rows,
        outcomes=outs, series=series, series_months=months)
    return exp.with_sizes(**sizes)


def _read(path: Path, src: str) -> tuple[dict[str, Any], str]:
    from ...simulation.inputs.config import MAX_TOML_BYTES, read_config_file

    text = read_config_file(path, src, MAX_TOML_BYTES, "an experiment .toml file")
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(src, "", NO_VALUE, f"TOML syntax error: {exc}", "valid TOML, see https://toml.io")]) from None
    except RecursionError:
        raise ConfigError([Problem(src, "", NO_VALUE, "TOML nested too deeply",
                                   "tables and arrays nested a few levels deep")]) from None
