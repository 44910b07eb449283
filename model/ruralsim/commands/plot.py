"""``ruralsim plot RESULTS_DIR``: redraw the plots of stored results without rerunning.

The manifest's ``kind`` says what produced the folder; each kind names the function that redraws it.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from ..simulation.inputs.config import _NO_VALUE, ConfigError, Problem
from .common import add_lang_option, apply_lang

# manifest kind -> "module:function" taking the results folder and returning the written paths
REDRAW = {
    "run": "ruralsim.workflows.run:redraw_scenario",
    "sweep": "ruralsim.workflows.sweep_report:redraw_sweep",
    "comparison": "ruralsim.workflows.compare:redraw_comparison",
    "validation": "ruralsim.workflows.validate:redraw_validation",
    "calibration": "ruralsim.workflows.calibrate:redraw_calibration",
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
    from ..analysis.folders import manifest_kind, updating

    # A complete folder only (manifest present, no INCOMPLETE.txt), held so no writer runs meanwhile.
    with updating(args.results, "ruralsim plot") as manifest:
        kind = manifest_kind(manifest)
        target = REDRAW.get(kind)
        if target is None:
            raise ConfigError([Problem(str(args.results / "manifest.json"), "kind", kind, "no plots known for this kind",
                                       "one of " + ", ".join(REDRAW))])
        module, func = target.split(":")
        try:
            paths = getattr(importlib.import_module(module), func)(args.results)
        except ConfigError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, OSError) as exc:
            # A stored file is damaged, truncated or not what this version writes (pyarrow's
            # ArrowInvalid is a ValueError): one line naming the folder and the error type, no content.
            where = getattr(exc, "filename", None) or args.results
            raise ConfigError([Problem(str(where), "", _NO_VALUE, "cannot redraw: a stored file is damaged, "
                                       f"truncated or not written by this version ({type(exc).__name__})",
                                       "rerun the command that wrote the folder")]) from None
        if kind in REPORTED:  # the report embeds the figures: rewrite it with the new ones
            from ..presentation.report import finish_comparison, finish_folder

            if kind == "comparison":
                paths += finish_comparison(args.results, lang)
            else:
                paths += finish_folder(args.results, lang, workbook=False)
    for path in paths:
        print(path)
    return 0
