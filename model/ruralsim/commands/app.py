"""``ruralsim app``: a local web page to move policy levers and compare with the baseline, offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import positive_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="open a local web page to move policy levers and see the outcomes",
                       description="Serve a page (offline: no CDN) that reruns the model as levers move and "
                                   "charts the policy against the baseline under common random numbers.")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--households", type=positive_int, default=2000, metavar="N",
                   help="households per run (default 2000: about 1-2 s a run)")
    p.add_argument("--replicates", type=positive_int, default=3, metavar="R",
                   help="replicates of each run, for the paired interval (default 3)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="master seed (default: the baseline's)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the page")
    p.add_argument("--scenario-dir", type=Path, default=Path("my_scenarios"), metavar="DIR",
                   help="your own scenarios: listed in the picker, and where 'save as scenario' writes "
                        "(default ./my_scenarios)")
    p.add_argument("--results", type=Path, default=None, metavar="DIR",
                   help="results folder whose run reports the page links (default results/)")
    p.add_argument("--workers", type=positive_int, default=None, metavar="N",
                   help="worker processes (default: one per replicate, at least 2, at most 6)")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    try:
        import dash  # noqa: F401
    except ImportError:
        print("ruralsim app: error: the page needs Dash; install it with  pip install 'ruralsim[app]'",
              file=sys.stderr)
        return 2
    from ..simulation.inputs.config import SCENARIO_DIR, ConfigError, Problem, check_overrides, load_scenario
    from ..presentation.app.page import AppSettings
    from ..presentation.app.server import serve
    from ..analysis.folders import run_out_dir as default_out_dir

    if not 0 <= args.port <= 65535:
        raise ConfigError([Problem("command line", "--port", args.port, "not a port number",
                                   "a whole number from 0 to 65535 (0 picks a free port)")])
    seed = load_scenario(SCENARIO_DIR / "baseline.toml").params["run_seed"] if args.seed is None else args.seed
    check_overrides({"run_households": args.households, "run_seed": seed, "run_replicates": args.replicates},
                    source="command line")
    settings = AppSettings(households=args.households, replicates=args.replicates, seed=int(seed),
                           lang=args.lang, user_dir=args.scenario_dir,
                           results_dir=args.results or default_out_dir("any").parent,  # results/
                           # One process per replicate: on 2 cores, 3 replicates side by side finish
                           # sooner than two rounds of 2 (the second round leaves a core idle).
                           workers=args.workers or max(2, min(args.replicates, 6)))
    return serve(settings, args.host, args.port, out=sys.stdout)
