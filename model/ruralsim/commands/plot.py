"""``ruralsim plot RESULTS_DIR``: redraw the plots of stored results without rerunning.

The manifest's ``kind`` says what produced the folder; each kind names the function that redraws it.
"""

from __future__ import annotations

import argparse
import importlib
import json
from pathlib import Path

from ..config import ConfigError, Problem
from .common import add_lang_option, apply_lang

# manifest kind -> "module:function" taking the results folder and returning the written paths
REDRAW = {
    "run": "ruralsim.compare:redraw_scenario",
    "sweep": "ruralsim.sweep.report:redraw_sweep",
    "comparison": "ruralsim.compare:redraw_comparison",
    "validation": "ruralsim.validation:redraw_validation",
    "calibration": "ruralsim.calibration:redraw_calibration",
}
#: Kinds of folder that carry a report (redrawn with the figures).
REPORTED = ("run", "comparison", "sweep")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plot", help="redraw plots from a results folder",
                       description="Redraw the plots of a run, comparison or sweep from its stored results.")
    p.add_argument("results", type=Path, metavar="RESULTS_DIR")
    add_lang_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    lang = apply_lang(args)
    manifest_path = args.results / "manifest.json"
    if not args.results.is_dir():
        raise ConfigError([Problem("ruralsim plot", "RESULTS_DIR", str(args.results),
                                   "no such folder" if not args.results.exists() else "not a folder",
                                   "a folder written by ruralsim run, compare or sweep")])
    if not manifest_path.is_file():
        raise ConfigError([Problem(str(args.results), "", str(args.results), "no manifest.json in this folder",
                                   "a folder written by ruralsim run, compare or sweep")])
    kind = json.loads(manifest_path.read_text()).get("kind", "run")
    target = REDRAW.get(kind)
    if target is None:
        raise ConfigError([Problem(str(manifest_path), "kind", kind, "no plots known for this kind",
                                   "one of " + ", ".join(REDRAW))])
    module, func = target.split(":")
    paths = getattr(importlib.import_module(module), func)(args.results)
    if kind in REPORTED:  # the report embeds the figures: rewrite it with the new ones
        from ..presentation.report import finish_comparison, finish_folder

        if kind == "comparison":
            paths += finish_comparison(args.results, lang)
        else:
            paths += finish_folder(args.results, lang, workbook=False)
    for path in paths:
        print(path)
    return 0
