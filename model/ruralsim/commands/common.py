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


def size_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The flat parameter overrides given by the size options."""
    names = {"households": "run_households", "months": "run_months", "replicates": "run_replicates",
             "seed": "run_seed", "scale": "run_scale"}
    return {flat: getattr(args, opt) for opt, flat in names.items() if getattr(args, opt, None) is not None}
