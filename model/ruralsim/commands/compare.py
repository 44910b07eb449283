"""``ruralsim compare A B ...``: run scenarios with paired replicates and compare them side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import add_force_option, add_lang_option, add_size_options, positive_int, size_overrides
from .languages import add_chinese, english_first


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="run several scenarios with the same seed and compare them",
        description="Validate every scenario, run them all with the same seed and replicate indices "
                    "(common random numbers), and write each scenario's outputs plus comparison.csv "
                    "(paired differences from the first scenario), cost-effectiveness, fiscal and "
                    "return-to-poverty tables and plots to results/compare_<A>_vs_<B>/ (or --out).")
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario files or shipped names; the first is the reference")
    add_size_options(p)
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/compare_<A>_vs_<B>/)")
    p.add_argument("--workers", type=positive_int, metavar="N", help="processes (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_force_option(p)
    p.add_argument("--no-plots", action="store_true",
                   help="write data, tables and manifests only (draw the plots later with: ruralsim plot DIR)")
    _add_explain_options(p)
    add_lang_option(p)
    p.set_defaults(func=main)


def _add_explain_options(p: argparse.ArgumentParser) -> None:
    from ..workflows.explain import ENV, ROBUST_HOUSEHOLDS, ROBUST_REPLICATES, default_on

    on = default_on()
    g = p.add_argument_group("drivers and robustness (both on unless the environment sets "
                             f"{ENV}=off)")
    g.add_argument("--drivers", action=argparse.BooleanOptionalAction, default=on,
                   help="decompose each scenario's difference by lever: each lever alone on the reference, at the "
                        "comparison's size (compare_drivers.csv)")
    g.add_argument("--robustness", action=argparse.BooleanOptionalAction, default=on,
                   help="re-estimate each difference with every assumption at its low and its high "
                        "(compare_robustness.csv, tornado charts)")
    g.add_argument("--assumptions", type=Path, metavar="FILE",
                   help="assumptions file (default: experiments/assumptions.toml)")
    g.add_argument("--robustness-households", type=positive_int, metavar="N",
                   help=f"households of the robustness runs (default: {ROBUST_HOUSEHOLDS:,}, at most the comparison's)")
    g.add_argument("--robustness-replicates", type=positive_int, metavar="N",
                   help=f"paired replicates of the robustness runs (default: {ROBUST_REPLICATES}, at most the "
                        "comparison's)")


def main(args: argparse.Namespace) -> int:
    from ..workflows.compare import default_out_dir, load_scenarios, run_comparison, shared_run, unique_labels, write_comparison

    from ..presentation.report import finish_comparison

    lang = english_first(args)
    scenarios = load_scenarios(args.scenarios)          # every file checked before anything runs
    overrides = size_overrides(args)
    _, notes = shared_run(scenarios, overrides)        # checks the size options too
    explain_options = _explain_options(args)          # the assumptions file is checked before anything runs
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    from ..analysis.folders import writing
    from ..simulation.inputs.config import ConfigError
    from ..simulation.inputs.horizon import setting_files, year_table_problems

    run, _ = shared_run(scenarios, overrides)
    problems = [p for sc in scenarios for p in year_table_problems(sc.overrides, {**sc.params, **run}, setting_files(sc))]
    if problems:
        raise ConfigError(problems)
    out = Path(args.out or default_out_dir(unique_labels(scenarios)))
    with writing(out, "comparison", force=args.force):  # checked, locked, marked incomplete first
        cmp = run_comparison(scenarios, overrides, workers=args.workers, progress=not args.quiet)
        paths = write_comparison(cmp, out, plots=not args.no_plots)
        if explain_options.drivers or explain_options.robustness:
            _explain(cmp, scenarios, explain_options, out, args)
        finish_comparison(out, "en")
        if lang == "zh":
            add_chinese(out, "comparison")
    _print_summary(cmp, out, paths, plots=not args.no_plots)
    print(f"  report: {Path(out) / 'report.html'} (also report.md, {Path(out).name}.xlsx; each scenario folder has its own)")
    return 0


def _explain_options(args: argparse.Namespace):
    from ..analysis.assumptions import load_assumptions
    from ..workflows.explain import ExplainOptions

    options = ExplainOptions(drivers=args.drivers, robustness=args.robustness, assumptions=args.assumptions,
                             households=args.robustness_households, replicates=args.robustness_replicates)
    if options.robustness or options.assumptions is not None:  # a file given is checked even if unused
        load_assumptions(options.assumptions)  # a ConfigError here: exit 2, nothing run
    return options


def _explain(cmp, scenarios, options, out: Path, args: argparse.Namespace) -> None:
    from ..workflows.compare import comparison_meta
    from ..workflows.explain import explain, write_explanation

    ex = explain(cmp, scenarios, options, workers=args.workers, progress=not args.quiet)
    for note in ex.notes:
        print(f"note: {note}", file=sys.stderr)
    write_explanation(ex, out, comparison_meta(cmp), plots=not args.no_plots)
    print(f"drivers and robustness: {ex.info.get('runs', 0)} extra runs in {ex.info.get('seconds', 0):.1f} s")
    if ex.verdicts is not None:
        for row in ex.verdicts.itertuples():
            print(f"  {row.scenario} vs {cmp.reference}, {row.outcome}: {row.verdict}")


def _print_summary(cmp, out: Path, paths: dict, plots: bool) -> None:
    import pandas as pd

    table = pd.read_csv(paths["comparison"])
    ce = pd.read_csv(paths["cost_effectiveness"])
    last = table["date"].max()
    run = cmp.run
    print(f"compared {len(cmp.labels)} scenarios x {int(run['run_replicates'])} paired replicate(s) x "
          f"{int(run['run_households']):,} households x {int(run['run_months'])} months "
          f"(seed {run['run_seed']}) in {cmp.wall_seconds:.1f} s on {cmp.workers} process(es)")
    print(f"  at {last}: poverty (registry measure), its difference from {cmp.reference} (95% paired interval), "
          "and the cost-effectiveness case:")
    for label in cmp.labels:
        rows = table[(table["date"] == last) & (table["scenario"] == label)].set_index("metric")
        pov = rows.loc["poverty_rate_registry" if "poverty_rate_registry" in rows.index else "poverty_rate_alert"]
        text = f"    {label:<24} poverty {100 * pov['mean']:5.2f}%"
        if label != cmp.reference:
            ci = (f"[{100 * pov['diff_ci_lo']:+.2f}, {100 * pov['diff_ci_hi']:+.2f}]" if pov["n"] > 1
                  else "one replicate: no interval")
            text += f" ({100 * pov['diff_mean']:+.2f} pp {ci})"
            row = ce[(ce["date"] == last) & (ce["scenario"] == label)].iloc[0]
            text += f"; {row['reading']}"
        print(text)
    drawn = "plots/, " if plots else f"no plots: draw them with 'ruralsim plot {out}', "
    print(f"  wrote {out}/ (comparison.csv, cost_effectiveness.csv, {drawn}one folder per scenario)")
