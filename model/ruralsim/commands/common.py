"""Options shared by the commands that run the model (run, compare, validate, ...)."""

from __future__ import annotations

import argparse
from typing import Any


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1, with a clear message otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: use a whole number >= 1")
    return value


def add_size_options(p: argparse.ArgumentParser, seed: bool = True) -> None:
    """--households, --months, --replicates, --seed, --scale: overrides of the [run] section."""
    p.add_argument("--households", type=positive_int, metavar="N", help="households to simulate (run.households)")
    p.add_argument("--months", type=positive_int, metavar="M", help="months to simulate from 2021-01 (run.months)")
    p.add_argument("--replicates", type=positive_int, metavar="R", help="replicates (run.replicates)")
    if seed:
        p.add_argument("--seed", type=int, metavar="S", help="master seed (run.seed)")
    p.add_argument("--scale", choices=("sample", "national"),
                   help="'national' simulates the whole cohort of A01 (~98.99M people)")


SIZE_OPTIONS = {"households": "run_households", "months": "run_months", "replicates": "run_replicates",
                "seed": "run_seed", "scale": "run_scale"}


def size_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The flat parameter overrides given by the size options, checked against the schema here so a
    bad value is reported as the option the user typed (``--households = 5``), not as a parameter."""
    from ..simulation.inputs.config import ConfigError, Problem, check_overrides

    given = {opt: getattr(args, opt) for opt in SIZE_OPTIONS if getattr(args, opt, None) is not None}
    try:
        check_overrides({SIZE_OPTIONS[opt]: value for opt, value in given.items()}, source="command line")
    except ConfigError as err:
        option = {flat: f"--{opt}" for opt, flat in SIZE_OPTIONS.items()}
        raise ConfigError([Problem(pr.source, option.get(pr.key, pr.key), *pr[2:]) for pr in err.problems]) from None
    return {SIZE_OPTIONS[opt]: value for opt, value in given.items()}


def add_lang_option(p: argparse.ArgumentParser) -> None:
    """--lang en|zh: language of figures and reports (tables keep English keys; see data_dictionary.csv)."""
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="en (default): report.html and plots/; zh: also report_zh.html, plots_zh/ and a Chinese "
                        "workbook beside them (中文报告、图表与工作簿，英文版保留)")


def apply_lang(args: argparse.Namespace) -> str:
    """Set the chosen language for this process and its workers; return it."""
    from ..presentation.labels import set_lang

    lang = getattr(args, "lang", None) or "en"
    set_lang(lang)
    return lang


def add_force_option(p: argparse.ArgumentParser) -> None:
    """--force: write into a folder holding files ruralsim did not write (kept, never deleted)."""
    p.add_argument("--force", action="store_true",
                   help="write into --out even when it holds files ruralsim did not write: they are kept "
                        "(a file with a name ruralsim writes is replaced); ruralsim deletes only what its "
                        "manifest lists")
