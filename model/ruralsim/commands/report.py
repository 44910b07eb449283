"""``ruralsim report DIR``: write report.html, report.md, the xlsx workbook and data_dictionary.csv
of a run, comparison or sweep folder from its stored results (nothing is rerun)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..simulation.inputs.config import ConfigError, Problem
from .common import add_lang_option
from .languages import add_chinese, english_first

KINDS = ("run", "comparison", "sweep")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="write report.html/report.md (and the xlsx, data dictionary) of a results folder",
                       description="Write report.html (one self-contained file: figures embedded, opens offline), "
                                   "report.md, <folder>.xlsx and data_dictionary.csv into a folder written by "
                                   "ruralsim run, compare or sweep, from its stored tables and plots.")
    p.add_argument("results", type=Path, metavar="RESULTS_DIR")
    add_lang_option(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from ..analysis.folders import manifest_kind, updating
    from ..presentation.report import finish_comparison, finish_folder

    lang = english_first(args)
    folder: Path = args.results
    # A complete folder only (a killed one says "incomplete"), with nothing foreign in it: no symbolic link
    # is read through and no file of the user's is overwritten; the files written join the manifest's list.
    with updating(folder, "ruralsim report") as manifest:
        kind = manifest_kind(manifest)
        if kind not in KINDS:
            raise ConfigError([Problem(str(folder / "manifest.json"), "kind", kind,
                                       "no report for this kind of folder", "one of " + ", ".join(KINDS))])
        if lang == "zh":  # Chinese figures and report beside the English ones, which stay as they are
            written = add_chinese(folder, kind)
        elif kind == "comparison":
            written = finish_comparison(folder, lang)
        else:
            written = finish_folder(folder, lang, workbook=kind != "sweep")
    for path in written:
        print(path)
    return 0
