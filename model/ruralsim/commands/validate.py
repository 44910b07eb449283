"""``ruralsim validate``: run a scenario and compare it with observed targets.

Exit 0 when every target holds, 1 when any misses, 2 on bad input (targets or scenario file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_force_option, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="compare a scenario with observed targets (exit 1 if any misses)",
                       description="Run a scenario (default: the baseline) long enough to cover every target in a "
                                   "targets file and write validation.csv (observed, model mean and 95%% "
                                   "intervals, within tolerance or not) and plots. Exit 0 when all targets "
                                   "hold, 1 when any misses, 2 on bad input.")
    p.add_argument("--targets", type=Path, metavar="FILE", help="targets file (default: "
                   "experiments/targets_article.toml)")
    p.add_argument("--scenario", default="baseline", metavar="FILE",
                   help="scenario file or shipped name (default: baseline)")
    p.add_argument("--replicates", type=positive_int, metavar="R",
                   help="replicates (default: the targets file's [run], else the scenario's)")
    p.add_argument("--households", type=positive_int, metavar="N",
                   help="households (default: the targets file's [run], else the scenario's)")
    p.add_argument("--seed", type=int, metavar="S", help="master seed (default: the scenario's)")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/validation/)")
    p.add_argument("--workers", type=positive_int, metavar="N", help="processes for replicates (default: cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_force_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..simulation.inputs.config import find_scenario, load_scenario
    from ..analysis.targets import ARTICLE_TARGETS, load_targets
    from ..analysis.validation import format_table, run_size, validate
    from ..workflows.validate import write_validation

    target_set = load_targets(args.targets or ARTICLE_TARGETS)
    scenario = load_scenario(find_scenario(args.scenario))
    overrides = run_size(target_set, scenario.params, args.households, args.replicates, args.seed)
    params = {**scenario.params, **overrides}
    stated = target_set.run
    if any(k in stated and params[f"run_{k}"] < stated[k] for k in ("households", "replicates")):
        print(f"note: the tolerances in {target_set.path} were set for {stated.get('households', '?'):,} households x "
              f"{stated.get('replicates', '?')} replicates; this run is smaller ({params['run_households']:,} x "
              f"{params['run_replicates']}), so sampling noise is larger.", file=sys.stderr)
    from ..analysis.folders import writing

    out = args.out or Path("results") / "validation"
    with writing(out, "validation", force=args.force):  # checked, locked, marked incomplete first
        v = validate(target_set, scenario, overrides, workers=args.workers, progress=not args.quiet)
        write_validation(v, out, extra={"argv": sys.argv})
    print(f"{target_set.title}: scenario {scenario.name}, {params['run_replicates']} replicate(s) x "
          f"{params['run_households']:,} households x {params['run_months']} months")
    print(format_table(v.table))
    missed = v.table.loc[~v.table["within_tolerance"], "target"].tolist()
    print(f"{len(v.table) - len(missed)}/{len(v.table)} targets hold"
          + (f"; missed: {', '.join(missed)}" if missed else "") + f". Wrote {out}/ (validation.csv, plots/)")
    return 1 if missed else 0
