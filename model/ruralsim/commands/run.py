"""``ruralsim run SCENARIO``: simulate a scenario and write its tables, plots and manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..simulation.inputs.config import find_scenario, load_scenario
from .common import add_force_option, add_lang_option, add_size_options, positive_int, size_overrides
from .languages import add_chinese, english_first


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario and write tables and plots",
                       description="Run a scenario's replicates and write timeseries.parquet, summary.csv, "
                                   "manifest.json and plots/ to results/<scenario>/ (or --out).")
    p.add_argument("scenario", help="scenario file (e.g. scenarios/baseline.toml) or a shipped name (baseline)")
    add_size_options(p)
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder (default results/<scenario>/)")
    p.add_argument("--workers", type=positive_int, metavar="N", help="processes for replicates (default: cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_force_option(p)
    add_lang_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..analysis.folders import writing
    from ..simulation.inputs.horizon import check_year_tables, setting_files
    from ..analysis.folders import run_out_dir as default_out_dir
    from ..simulation.engine.runner import run_scenario
    from ..workflows.run import write_scenario

    from ..presentation.report import finish_folder

    lang = english_first(args)
    scenario = load_scenario(find_scenario(args.scenario))
    overrides = size_overrides(args)
    check_year_tables(scenario.overrides, {**scenario.params, **overrides}, setting_files(scenario))
    out = Path(args.out or default_out_dir(scenario.name))
    with writing(out, "run", force=args.force):  # checked, locked, marked incomplete first
        result = run_scenario(scenario, overrides, workers=args.workers, progress=not args.quiet)
        paths = write_scenario(result, out, scenario.name, extra={"argv": sys.argv})
        finish_folder(out, "en")
        if lang == "zh":
            add_chinese(out, "run")
    ts = result.timeseries
    last = ts[ts["date"] == ts["date"].max()]
    print(f"{scenario.name}: {int(result.params['run_replicates'])} replicate(s) x "
          f"{int(ts['households'].iloc[0]):,} households x {ts['date'].nunique()} months "
          f"in {result.wall_seconds:.1f} s")
    print(f"  at {ts['date'].max():%Y-%m}: mean income {last['mean_income'].mean():,.0f} yuan/person, "
          f"poverty (registry) {100 * last['poverty_rate_registry'].mean():.2f}% "
          f"(alert {100 * last['poverty_rate_alert'].mean():.2f}%), "
          f"monitored households {last['monitored_households'].mean():,.0f}")
    tables = sorted({p.name for k, p in paths.items() if not k.startswith("plot_") and p.parent == Path(out)})
    print(f"  wrote {out}/: {', '.join(tables)}, and {sum(k.startswith('plot_') for k in paths)} plots in plots/")
    print(f"  report: {Path(out) / 'report.html'} (also report.md, {Path(out).name}.xlsx, data_dictionary.csv)")
    if lang == "zh":
        print(f"  中文报告: {Path(out) / 'report_zh.html'} (图表在 plots_zh/，工作簿 {Path(out).name}_zh.xlsx)")
    return 0
