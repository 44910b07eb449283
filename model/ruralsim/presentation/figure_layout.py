"""How a run figure is laid out, labelled and saved: panels in rows at the report's width, the source
note under the axes, thousands and date axes, figure text swapped for its Chinese form, and the atomic
save (PNG beside its Chinese twin). Shared by every figure family; re-exported by :mod:`.run_plots`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, Formatter, FuncFormatter

from ruralsim.analysis.outputs import atomic_path, ruralsim_version
from ruralsim.presentation import hygiene
from ruralsim.presentation.labels import translate


#: The one uncertainty convention of level figures, named in their legends.
LEVEL_BAND = "95% interval of the mean across replicates"
DPI = 130
NOTE_INCHES = 0.32  # space reserved under the axes for the source note


def save_figure(fig: Figure, path: Path | str, dpi: int = DPI) -> Path:
    """Write a figure as PNG atomically (temporary sibling, then rename).

    Every figure passes here, so this is where its texts are put in the report language
    (:func:`ruralsim.presentation.labels.translate`) and, when ``RURALSIM_FIGURE_CHECK`` is set,
    where its hygiene is checked (:mod:`ruralsim.presentation.hygiene`).
    """
    path = language_path(Path(path))
    localise(fig)
    if hygiene.enabled():
        hygiene.check(fig, str(path))
        if getattr(fig, "ruralsim_readable", True):  # every figure, unless it says it is not for a report
            from ruralsim.presentation import readability

            found = readability.problems(fig, dpi)
            if found:
                raise hygiene.FigureHygieneError(f"{path}: " + "; ".join(found))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=dpi)
    return path


def language_path(path: Path) -> Path:
    """Where a figure meant for ``<folder>/plots/`` goes in the current language: ``plots/`` in English,
    ``plots_zh/`` in Chinese, so a Chinese redraw never overwrites the English figures (or the reverse)."""
    from ruralsim.presentation.labels import current_lang

    if current_lang() == "zh" and path.parent.name == "plots":
        return path.parent.with_name("plots_zh") / path.name
    return path


def localise(fig: Figure) -> None:
    """Replace every figure text by its form in the current language (English: unchanged)."""
    from matplotlib.text import Text

    from ruralsim.presentation.labels import current_lang

    for text in fig.findobj(Text):
        original = text.get_text()
        if original:
            new = translate(original)
            if new != original:
                text.set_text(new)
    if current_lang() == "zh":
        # Tick labels are redrawn from their formatter at every draw: text labels (set_xticks(..., labels))
        # are translated there, and dates are written as numbers, not English month names.
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                formatter = axis.get_major_formatter()
                if isinstance(formatter, mdates.ConciseDateFormatter):
                    formatter.formats = ["%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M", "%S.%f"]
                    formatter.zero_formats = ["", "%Y", "%Y-%m", "%m-%d", "%H:%M", "%H:%M"]
                elif isinstance(formatter, (FuncFormatter, FixedFormatter)) and not isinstance(formatter, _Translating):
                    axis.set_major_formatter(_Translating(formatter))


class _Translating(Formatter):
    """A tick formatter whose labels are put in the figure's language (wraps the one the plot set)."""

    def __init__(self, inner: Formatter) -> None:
        self.inner = inner

    def set_axis(self, axis: Any) -> None:  # noqa: D102 - matplotlib hook
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Sequence[float]) -> None:  # noqa: D102 - matplotlib hook
        self.inner.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return translate(self.inner(x, pos))

    def format_ticks(self, values: Sequence[float]) -> list[str]:  # noqa: D102 - matplotlib hook
        return [translate(v) for v in self.inner.format_ticks(values)]

    def get_offset(self) -> str:  # noqa: D102 - matplotlib hook
        return self.inner.get_offset()


# ---------------------------------------------------------------------------------------------
# Layout and labelling
# ---------------------------------------------------------------------------------------------
#: Widest figure (inches) whose text, at 7.5 pt or more, reads at 8 pt or more at the report's width.
MAX_WIDTH = 10.0


def _figure(n: int, width: float, height: float, ratios: Sequence[float] | None = None
            ) -> tuple[Figure, list[Axes]]:
    """A constrained-layout figure with ``n`` panels and room for the source note: in a row when that fits
    :data:`MAX_WIDTH` inches, else in rows of two (one for two panels) at that width, each row as tall as
    the single row, so the report shows the figure without shrinking its text under 8 pt."""
    rows, cols = 1, n
    if width > MAX_WIDTH and n >= 2:
        cols = 2 if n >= 3 else 1
        rows = -(-n // cols)
        height = height * rows  # each row as tall as the single row was
        width, ratios = MAX_WIDTH, None
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, NOTE_INCHES / height, 1, 1 - NOTE_INCHES / height),
                                w_pad=0.08, h_pad=0.08)
    axes = list(fig.subplots(rows, cols, width_ratios=ratios, squeeze=False).ravel())
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _finish(fig: Figure, data: pd.DataFrame, meta: Mapping[str, Any] | None,
            title: str | None, extra_note: str = "", bands: bool = True) -> None:
    if title:
        fig.suptitle(title, fontsize=14, fontweight="bold")
    note = source_note(data, meta)
    if bands:
        note += " · lines: mean across replicates; shaded: " + _band_name(data)
    if extra_note:
        note += " · " + extra_note
    place_note(fig, note)


def place_note(fig: Figure, note: str, fontsize: float = 7.5) -> None:
    """The grey source note at the bottom left, broken at its `` · `` parts into lines that fit the figure's
    width (a 10-inch figure cannot hold a long note on one line); the axes make room for each line."""
    per_line = int(fig.get_figwidth() * 72 / (fontsize * 0.58))
    lines: list[str] = []
    for part in note.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= per_line:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    height, engine = fig.get_figheight(), fig.get_layout_engine()
    if len(lines) > 1 and engine is not None and hasattr(engine, "set"):
        bottom = (NOTE_INCHES + (len(lines) - 1) * fontsize * 1.25 / 72) / height
        engine.set(rect=(0, bottom, 1, 1 - bottom))
    fig.text(0.008, 0.012, "\n".join(lines), ha="left", va="bottom", fontsize=fontsize, color="#555555")


def source_note(data: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> str:
    """``ruralsim <version> · scenario <name> · N replicates × H households``."""
    meta = meta or {}
    version = meta.get("version") or ruralsim_version()
    name = meta.get("name") or "unnamed"
    reps = meta.get("replicates") or _n_replicates(data)
    households = meta.get("households")
    if households is None and "households" in data.columns:
        households = data.loc[pd.to_datetime(data["date"]) == data["date"].min(),
                              "households"].mean()
    hh = "?" if households is None or pd.isna(households) else f"{float(households):,.0f}"
    return (f"ruralsim {version} · scenario {name} · "
            f"{reps} replicate{'s' if reps != 1 else ''} × {hh} households")


def _band_name(data: pd.DataFrame) -> str:
    return LEVEL_BAND if _n_replicates(data) >= 2 else "none (one replicate)"


def _n_replicates(data: pd.DataFrame) -> int:
    return int(data["replicate"].nunique()) if "replicate" in data.columns else 1


class _Thousands(Formatter):
    """Tick labels with thousands separators and just enough decimals for the tick step."""

    _ticks: tuple[float, ...] = ()

    def set_locs(self, locs: Sequence[float]) -> None:  # noqa: D102 - matplotlib hook
        self._ticks = tuple(float(v) for v in locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        locs = [v for v in self._ticks if np.isfinite(v)]
        step = np.min(np.abs(np.diff(sorted(locs)))) if len(locs) > 1 else abs(x) or 1.0
        decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
        text = f"{x:,.{min(decimals, 4)}f}"
        return "0" if text.strip("-0.,") == "" else text


def _thousands(ax: Axes, which: str = "y") -> None:
    if which in ("y", "both"):
        ax.yaxis.set_major_formatter(_Thousands())
    if which in ("x", "both"):
        ax.xaxis.set_major_formatter(_Thousands())


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters (a Chinese text, shorter, mostly stays whole)."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) if width and len(text) > width else text


def _date_axis(ax: Axes, maxticks: int = 12) -> None:
    """Dates on the x axis; a narrow panel (``maxticks`` under 12) gets at most ``maxticks`` labels, whole
    years (every 1, 2 or 5) over three years or more, else months, so its labels never run together."""
    if maxticks < 12:
        lo, hi = ax.get_xlim()
        months = (hi - lo) / 30.44
        if months >= 36:
            base = next((b for b in (1, 2, 5, 10) if int(months / 12 / b) + 1 <= maxticks), 10)
            ax.xaxis.set_major_locator(mdates.YearLocator(base))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
            return
        step = next((m for m in (1, 2, 3, 6, 12) if int(months / m) + 1 <= maxticks), 12)
        locator = mdates.MonthLocator(bymonth=range(1, 13, step))  # January (the year) always a label
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        return
    locator = mdates.AutoDateLocator(minticks=4, maxticks=maxticks)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
