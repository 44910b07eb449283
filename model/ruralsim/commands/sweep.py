"""``ruralsim sweep EXPERIMENT``: run a parameter sweep or sensitivity analysis, resumably.

Exit 0 when every run finished, 1 when some runs failed (recorded in ``failed/``; the rest of the
sweep is complete), 2 on bad input, 130 when interrupted (finished runs are kept; rerun to resume).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_lang_option, positive_int
from .languages import add_chinese, english_first


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sweep", help="run a parameter sweep or sensitivity analysis (local or Dask)",
                       description="Run every (design point, replicate) of an experiment file (experiments/*.toml) "
                                   "and write runs.parquet, the monthly series (series/), tables/, plots/ and "
                                   "manifest.json. Interrupted, the same command resumes: finished runs are "
                                   "skipped. Exit 0 when all runs finished, 1 when some failed, 2 on bad input, "
                                   "130 when interrupted.")
    p.add_argument("experiment", nargs="?", help="experiment file, or a shipped name (monitoring)")
    p.add_argument("--workers", type=positive_int, metavar="N", help="local processes (default: cores)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (workers need ruralsim installed; "
                        "the cluster must be trusted: Dask exchanges pickles, which can run code)")
    p.add_argument("--households", type=positive_int, metavar="N", help="households per run (try small first)")
    p.add_argument("--replicates", type=positive_int, metavar="R", help="replicates per design point")
    p.add_argument("--months", type=positive_int, metavar="M", help="months per run")
    p.add_argument("--seed", type=int, metavar="S", help="master seed of the runs")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="output folder (default results/<experiment>/, with the sizes appended when overridden)")
    p.add_argument("--check", action="store_true", help="validate the experiment and print its size; run nothing")
    p.add_argument("--list-outcomes", action="store_true", help="print the outcome names an experiment may keep")
    p.add_argument("--force", action="store_true",
                   help="run a sweep larger than the declared maximum (100,000 runs), or write into a folder that "
                        "holds files ruralsim did not write (they are kept; ruralsim deletes only what it listed)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_lang_option(p)
    p.set_defaults(func=main)


def default_out(exp) -> Path:
    """``results/<name>/``; with size overrides ``results/<name>_h400_r1/`` so a trial does not mix with the real run.
    The name is made one safe path component (an experiment's ``name`` cannot point elsewhere)."""
    from ..analysis.folders import safe_name

    tags = {"run_households": "h", "run_replicates": "r", "run_months": "m", "run_seed": "s"}
    suffix = "".join(f"_{tags[k]}{v}" for k, v in exp.size_overrides.items() if k in tags)
    return Path("results") / safe_name(f"{exp.name}{suffix}", "sweep")


def main(args: argparse.Namespace) -> int:
    from ..simulation.inputs.config import _NO_VALUE as NO_VALUE
    from ..simulation.inputs.config import ConfigError, Problem
    from ..analysis.sweep import build_design, find_experiment, load_experiment, tasks
    from ..workflows.sweep import run_sweep
    from ..analysis.sweep import outcomes as oc

    lang = english_first(args)
    if args.list_outcomes:
        print("Outcomes are <series>_<statistic>; statistics:")
        for s, d in oc.STATS.items():
            print(f"  _{s:<17} {d}")
        print("series: " + ", ".join(oc.series_columns()))
        print("derived: " + ", ".join(f"{k} ({v[0]}, {v[1]})" for k, v in oc.DERIVED.items()))
        return 0
    if not args.experiment:
        raise ConfigError([Problem("ruralsim sweep", "EXPERIMENT", NO_VALUE, "missing",
                                   "an experiment file, e.g. experiments/monitoring.toml")])
    if args.scheduler:
        from ..analysis.sweep.execute import check_scheduler_address

        check_scheduler_address(args.scheduler)
    from ..simulation.inputs import horizon
    from ..analysis.folders import check_out, writing
    from ..analysis.sweep.designs import check_size
    from ..analysis.sweep.execute import SWEEP_KEEP
    from ..analysis.sweep.storage import SweepStore

    exp = load_experiment(find_experiment(args.experiment), households=args.households, replicates=args.replicates,
                          months=args.months, seed=args.seed)
    check_size(exp, force=args.force)  # before the design is built: a huge one is a message, not 24 GB
    if not isinstance(exp.series_months, str):
        horizon.check_months(exp.series_months, exp.base, str(exp.path), "outputs.series_months")
    owners = {**horizon.setting_files(exp.scenario), **{k: str(exp.path) for k in exp.fixed}}
    horizon.check_year_tables({**exp.scenario.overrides, **exp.fixed}, exp.base, owners)
    notes: list[str] = []
    design = build_design(exp)
    distinct = len({t.run_id for t in tasks(exp, design)})
    runs = len(design) * exp.replicates
    size = (f"{len(design)} points x {exp.replicates} replicate(s) = {runs} runs"
            + (f" ({distinct} distinct: the design repeats some points)" if distinct < runs else "")
            + f" of {int(exp.base['run_households']):,} households x {int(exp.base['run_months'])} months")
    notes += horizon.transition_notes(exp.outcomes, (t.params for t in tasks(exp, design) if t.replicate == 0))
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.check:
        print(f"{exp.name}: ok ({exp.method} design over {', '.join(exp.keys)}; {size}; base scenario "
              f"{exp.scenario.name}; {len(exp.outcomes)} outcomes)")
        return 0
    out = args.out or default_out(exp)
    check_out(out, "sweep", force=args.force)
    SweepStore(out).check_stale({t.run_id for t in tasks(exp, design)})  # before anything in the folder changes
    try:
        with writing(out, "sweep", keep=SWEEP_KEEP, force=args.force):
            s = run_sweep(exp, out, workers=args.workers, scheduler=args.scheduler, progress=not args.quiet,
                          argv=sys.argv)
            from ..presentation.report import finish_folder

            finish_folder(Path(out), "en", workbook=False)
            if lang == "zh":
                add_chinese(Path(out), "sweep")
    except KeyboardInterrupt as exc:
        from ..simulation.engine.processes import Terminated

        done = len(SweepStore(out).finished())
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"\nruralsim sweep: {what}; {done} finished run(s) are kept in {out}/runs "
              f"(the folder keeps INCOMPLETE.txt). Run the same command to resume.", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    where = f"Dask cluster {args.scheduler}" if s.backend == "dask" else f"{s.workers} local process(es)"
    print(f"{exp.name}: {exp.method} design, {size}")
    print(f"  {s.done} run now, {s.skipped} already done, {s.failed} failed, {s.missing} missing; "
          f"{s.wall_seconds:.0f} s on {where}" + (f" ({s.runs_per_minute:.1f} runs/min)" if s.done else ""))
    print(f"  wrote {out}/ (runs.parquet, series/, tables/, {len(s.plots)} files in tables/ and plots/, manifest.json)")
    for reason, n in s.redone.items():
        print(f"  note: {n} finished run(s) were run again: {reason}", file=sys.stderr)
    for warning in _outcome_warnings(s.runs, exp.outcomes):
        print(f"  warning: {warning}", file=sys.stderr)
    print(f"  report: {out / 'report.html'} (also report.md, data_dictionary.csv)")
    if s.failed:
        print(f"  warning: {s.failed} run(s) failed; parameters, seeds and errors in {out}/failed/ and "
              f"{out}/tables/failed_runs.csv. Rerun the command to retry them.", file=sys.stderr)
        return 1
    return 0


def _outcome_warnings(runs, outcomes) -> list[str]:
    """Outcomes that are NaN in every finished run, or identical at every design point (a sweep too
    short for its factor, an outcome outside the horizon)."""
    if runs is None or not len(runs):
        return []
    ok = runs[runs["status"] == "ok"]
    if not len(ok):
        return []
    empty = [o for o in outcomes if o in ok.columns and ok[o].isna().all()]
    out = []
    if empty:
        out.append(f"NaN in every run (outside the simulated months?): {', '.join(empty[:10])}"
                   + (f" and {len(empty) - 10} more" if len(empty) > 10 else ""))
    if ok["point"].nunique() > 1:
        cols = [o for o in outcomes if o in ok.columns and o not in empty]
        means = ok.groupby("point")[cols].mean() if cols else None
        if means is not None and len(cols) and bool((means.nunique(dropna=False) <= 1).all()):
            out.append("every design point gave the same outcomes: the factors may act only after the "
                       "simulated months (run longer with --months)")
    return out
