"""``ruralsim check SCENARIO...``: validate scenario files without running anything."""

from __future__ import annotations

import argparse
import sys

from ..simulation.inputs.config import ConfigError, find_scenario, load_scenario
from ..simulation.inputs.parameters import frozen_tables


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check scenario files for errors without running them",
                       description="Validate each scenario (its extends chain, keys, types and ranges). "
                                   "Exit 0 when all are valid, 2 otherwise.")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..simulation.inputs.horizon import check_year_tables, setting_files

    failed = 0
    for name in args.scenarios:
        try:
            sc = load_scenario(find_scenario(name))
            check_year_tables(sc.overrides, sc.params, setting_files(sc))  # at the scenario's own run length
        except ConfigError as err:
            failed += 1
            print(f"{name}: INVALID\n{err}", file=sys.stderr)
            continue
        print(f"{name}: ok ({sc.name}; {len(sc.overrides)} parameter(s) set"
              + (f"; extends {' -> '.join(p.name for p in sc.chain[:-1])}" if len(sc.chain) > 1 else "") + ")")
        # A yearly table used past its last listed year with no growth rule is allowed, but said (exit 0).
        p = sc.params
        last_year = int(p["run_start_year"]) + (int(p["run_months"]) - 1) // 12
        for sentence in frozen_tables(p, last_year):
            print(f"{name}: warning: {sentence}", file=sys.stderr)
    return 2 if failed else 0
