"""``ruralsim report DIR``: write report.html, report.md, the xlsx workbook and data_dictionary.csv
of a run, comparison or sweep folder from its stored results (nothing is rerun)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..simulation.config import ConfigError, Problem
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
    from ..presentation.report import finish_comparison, finish_folder

    lang = english_first(args)
    folder: Path = args.results
    allowed = "a folder written by ruralsim run, compare or sweep"
    if not folder.is_dir():
        raise ConfigError([Problem("ruralsim report", "RESULTS_DIR", str(folder),
                                   "no such folder" if not folder.exists() else "not a folder", allowed)])
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ConfigError([Problem(str(folder), "", str(folder), "no manifest.json in this folder", allowed)])
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    kind = manifest.get("kind") or (manifest.get("extra") or {}).get("kind") or "run"
    if kind not in KINDS:
        raise ConfigError([Problem(str(manifest_path), "kind", kind, "no report for this kind of folder",
                                   "one of " + ", ".join(KINDS))])
    if lang == "zh":  # Chinese figures and report beside the English ones, which stay as they are
        from ..analysis.folders import updating

        with updating(folder, "ruralsim report"):
            written = add_chinese(folder, kind)
    elif kind == "comparison":
        written = finish_comparison(folder, lang)
    else:
        written = finish_folder(folder, lang, workbook=kind != "sweep")
    for path in written:
        print(path)
    return 0
