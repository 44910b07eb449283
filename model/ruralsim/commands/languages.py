"""Reports in two languages: English first (``plots/``, ``report.html``), Chinese beside it on request.

Why a module of its own: it calls the redraw of ``ruralsim plot`` (:data:`ruralsim.commands.plot.REDRAW`),
which itself uses the shared options of :mod:`.common`.
"""

from __future__ import annotations

import argparse


def english_first(args: argparse.Namespace) -> str:
    """The language asked for; the process draws in English first (plots/, report.html), and a Chinese
    request adds its own files afterwards (:func:`add_chinese`), so one never overwrites the other."""
    from ..presentation.labels import set_lang

    set_lang("en")
    return getattr(args, "lang", None) or "en"


def add_chinese(folder, kind: str) -> list:
    """Chinese figures (``plots_zh/``), ``report_zh.html``/``report_zh.md`` and the Chinese workbook of a run,
    comparison or sweep folder, from its stored results, beside the English ones (which stay unchanged)."""
    import importlib
    from pathlib import Path

    from ..presentation.labels import current_lang, set_lang
    from ..presentation.report import finish_comparison, finish_folder
    from .plot import REDRAW

    before = current_lang()
    set_lang("zh")
    try:
        module, func = REDRAW[kind].split(":")
        paths = list(getattr(importlib.import_module(module), func)(Path(folder)))
        if kind == "comparison":
            paths += finish_comparison(folder, "zh")
        else:
            paths += finish_folder(folder, "zh", workbook=kind != "sweep")
    finally:
        set_lang(before)
    return paths
