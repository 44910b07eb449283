"""``ruralsim calibrate``: fit the free parameters to the targets and write them into the baseline.

Exit 0 when the search finished (whether or not every target is within tolerance: the summary says),
2 on bad input.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
from pathlib import Path

from .common import add_force_option, positive_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="fit free parameters to the targets and write them into the baseline",
                       description="Fit the free parameters declared in the targets file's [calibration] table "
                                   "(or --params) to its calibration targets with a SciPy optimiser, averaging "
                                   "each evaluation over replicates with common random numbers. Writes "
                                   "fitted.toml, loss_history.csv and plots/calibration_fit.png to --out, and "
                                   "the fitted values into the baseline file in place (unless --dry-run).")
    p.add_argument("--targets", type=Path, metavar="FILE",
                   help="targets file (default: experiments/targets_article.toml)")
    p.add_argument("--params", nargs="+", metavar="KEY[=LOW:HIGH]",
                   help="free parameters instead of the file's, e.g. labour.migrant_find_rate=0.05:0.25 "
                        "farm.productivity_growth[2022]=0.1:0.4 (a key alone: the file's range, else the schema's)")
    p.add_argument("--use", nargs="+", metavar="TARGET", help="target ids in the loss (default: the file's "
                   "[calibration] targets, else all)")
    p.add_argument("--budget", type=positive_int, metavar="N", help="model evaluations (default: the file's, else 60)")
    p.add_argument("--households", type=positive_int, metavar="N", help="households per replicate")
    p.add_argument("--replicates", type=positive_int, metavar="R", help="replicates per evaluation")
    p.add_argument("--seed", type=int, metavar="S", help="master seed of the calibration runs")
    p.add_argument("--method", choices=("nelder-mead", "differential-evolution"), help="optimiser")
    p.add_argument("--baseline", type=Path, metavar="FILE", default=None,
                   help="scenario to start from and write into (default: scenarios/baseline.toml)")
    p.add_argument("--dry-run", action="store_true", help="do not write the fitted values into the baseline")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/calibration/)")
    p.add_argument("--workers", type=positive_int, metavar="N", help="processes (default: cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_force_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..analysis.calibration import calibrate, parse_param_option, update_scenario_file
    from ..workflows.calibrate import write_calibration
    from ..simulation.inputs.config import SCENARIO_DIR, ConfigError, Problem, load_scenario
    from ..analysis.targets import ARTICLE_TARGETS, check_dates, load_targets
    from ..analysis.validation import fmt_value

    target_set = load_targets(args.targets or ARTICLE_TARGETS)
    spec = target_set.calibration
    free = parse_param_option(args.params, spec.params) if args.params else spec.params
    ids = args.use or list(spec.targets)
    unknown = [i for i in ids if i not in {t.id for t in target_set.targets}]
    if unknown:
        raise ConfigError([Problem("--use", i, i, "no such target in " + str(target_set.path),
                                   ", ".join(t.id for t in target_set.targets)) for i in unknown])
    targets = target_set.by_id(ids)
    baseline = args.baseline or SCENARIO_DIR / "baseline.toml"
    scenario = load_scenario(baseline)
    check_dates(target_set, targets, int(scenario.params["run_start_year"]))  # before any run
    from ..analysis.folders import writing

    out = args.out or Path("results") / "calibration"
    with writing(out, "calibration", force=args.force):  # checked, locked, marked incomplete first
        cal = _calibrate(args, calibrate, write_calibration, scenario, free, targets, spec, target_set, out)
    return _report(args, cal, baseline, out, update_scenario_file, fmt_value)


def _calibrate(args, calibrate, write_calibration, scenario, free, targets, spec, target_set, out):
    cal = calibrate(scenario, free, targets,
                    budget=args.budget or spec.budget or 60,
                    households=args.households or spec.households or int(scenario.params["run_households"]),
                    replicates=args.replicates or spec.replicates or int(scenario.params["run_replicates"]),
                    seed=args.seed if args.seed is not None else (spec.seed if spec.seed is not None
                                                                   else int(scenario.params["run_seed"])),
                    method=args.method or spec.method, workers=args.workers, progress=not args.quiet)
    write_calibration(cal, out, target_set.path, extra={"argv": sys.argv, "dry_run": args.dry_run})
    return cal


def _report(args, cal, baseline, out, update_scenario_file, fmt_value) -> int:
    s = cal.settings
    print(f"calibrate: {len(cal.history) - 1} evaluations ({s['method']}, budget {s['budget']}) x "
          f"{s['replicates']} replicates x {s['households']:,} households x {s['months']} months, seed {s['seed']}, "
          f"{cal.wall_seconds:.0f} s")
    print(f"  loss {cal.start.loss:.3g} at the start -> {cal.final.loss:.3g} at the written values")
    for fp in cal.free:
        print(f"  {fp.label:<38} {fmt_value(cal.start.x[fp.label]):>10} -> {fmt_value(cal.fitted[fp.label]):>10}"
              f"   range [{fmt_value(fp.low)}, {fmt_value(fp.high)}]")
    missed = []
    for t in cal.targets:
        v0, v1 = cal.start.values[t.id], cal.final.values[t.id]
        ok = abs(t.error(v1)) <= 1.0
        missed += [] if ok else [t.id]
        print(f"  {t.id:<11} observed {fmt_value(t.observed):>9} ± {fmt_value(t.tolerance, t.observed):<8} "
              f"model {fmt_value(v0, t.observed):>9} -> {fmt_value(v1, t.observed):>9}  {'ok' if ok else 'MISS'}")
    if missed:
        print(f"  warning: not within tolerance after calibration: {', '.join(missed)}", file=sys.stderr)
    if args.dry_run:
        print(f"  dry run: {baseline} left unchanged. Wrote {out}/")
    else:
        stamp = f"(ruralsim calibrate, {_dt.date.today().isoformat()})"
        keys = update_scenario_file(baseline, cal.overrides, f'# source = "{cal.source}" {stamp}')
        print(f"  wrote {', '.join(keys)} into {baseline} ({cal.source}); outputs in {out}/")
    return 0
