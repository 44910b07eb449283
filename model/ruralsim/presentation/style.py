"""Layout helpers shared by the dynamics, fiscal and comparison figures.

They follow :mod:`ruralsim.plots`: Agg canvas without pyplot, constrained layout, a source note
under the axes, thousands separators, and a dashed marker at the end of the transition period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .run_plots import MAX_WIDTH, NOTE_INCHES, place_note, source_note

REFERENCE_COLOR = "#222222"
SCENARIO_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                   "#17becf", "#bcbd22", "#7f7f7f")
CAUSE_COLORS = {"illness": "#d62728", "job_loss": "#1f77b4", "price": "#ff7f0e", "disaster": "#8c564b",
                "support_end": "#9467bd", "other": "#b0b0b0"}


def grid(nrows: int, ncols: int, width: float, height: float, per_row: int | None = None,
         **kwargs: Any) -> tuple[Figure, np.ndarray]:
    """A constrained-layout figure of ``nrows x ncols`` axes with room for the source note.

    A figure wider than :data:`MAX_WIDTH` inches would be shrunk in the report until its text reads under
    8 pt (:mod:`.readability`): its panels are laid out in rows of two (one for two panels) at that width
    instead (``per_row`` of them: a panel of text reads better alone), each row as tall as one of the asked
    rows, and returned in the asked ``nrows x ncols`` shape, so the caller draws them as before."""
    n = nrows * ncols
    rows, cols = nrows, ncols
    if width > MAX_WIDTH and n >= 2:
        cols = per_row or (2 if n >= 3 else 1)
        rows = -(-n // cols)
        height, width = height / nrows * rows, MAX_WIDTH
        kwargs = {k: v for k, v in kwargs.items() if k not in ("width_ratios", "height_ratios")}
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, NOTE_INCHES / height, 1, 1 - NOTE_INCHES / height),
                                w_pad=0.08, h_pad=0.08)
    axes = fig.subplots(rows, cols, squeeze=False, **kwargs).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, np.asarray(axes[:n]).reshape(nrows, ncols)


def finish(fig: Figure, title: str | None, note: str) -> None:
    """Bold title on top, grey source note at the bottom left."""
    if title:
        fig.suptitle(title, fontsize=14, fontweight="bold")
    place_note(fig, note)


def run_note(ts: pd.DataFrame, meta: Mapping[str, Any] | None, extra: str = "") -> str:
    """:func:`ruralsim.plots.source_note` of one run, plus ``extra``."""
    note = source_note(ts, meta)
    return note + (" · " + extra if extra else "")


def comparison_note(meta: Mapping[str, Any], extra: str = "") -> str:
    """``ruralsim <v> · scenarios A (reference), B · R paired replicates × H households · seed S``."""
    labels = list(meta.get("labels") or [])
    if len(labels) > 5:
        names = f"{labels[0]} (reference) and {len(labels) - 1} others"
    else:
        names = ", ".join([f"{labels[0]} (reference)", *labels[1:]]) if labels else "?"
    reps = meta.get("replicates") or "?"
    hh = meta.get("households")
    hh_text = f"{float(hh):,.0f}" if hh is not None else "?"
    note = (f"ruralsim {meta.get('version') or ''} · scenarios {names} · {reps} paired replicate"
            f"{'s' if reps != 1 else ''} × {hh_text} households · seed {meta.get('seed')}")
    return note + (" · " + extra if extra else "")


def scenario_colors(labels: Sequence[str]) -> dict[str, Any]:
    """The reference (first) scenario in near-black, the others in distinct colours."""
    colors = {labels[0]: REFERENCE_COLOR} if labels else {}
    if len(labels) - 1 <= len(SCENARIO_COLORS):
        palette = list(SCENARIO_COLORS)
    else:  # many scenarios: 20 distinct colours before any repeats
        from matplotlib import colormaps

        palette = [colormaps["tab20"](i) for i in range(20)]
    for i, label in enumerate(labels[1:]):
        colors[label] = palette[i % len(palette)]
    return colors


def year_ticks(ax: Axes, years: Sequence[int], months: Sequence[float] | None = None) -> None:
    """Year labels at 0..n-1; a year with fewer than 12 months is starred and explained."""
    partial = [m is not None and m < 12 for m in (months if months is not None else [None] * len(years))]
    ax.set_xticks(np.arange(len(years)), [f"{y}*" if p else str(y) for y, p in zip(years, partial)])
    if any(partial):
        ax.set_xlabel("* partial year (months simulated only)")


def year_marker(ax: Axes, years: Sequence[int], transition_end: str | None) -> None:
    """Dashed line between the last transition year and the first year after it."""
    if not transition_end:
        return
    first_after = pd.Timestamp(transition_end).year
    years = list(years)
    if first_after not in years or years.index(first_after) == 0:
        return
    x = years.index(first_after) - 0.5
    ax.axvline(x, color="#555555", ls="--", lw=1)
    ax.annotate("end of transition", xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                textcoords="offset points", ha="left", va="top", fontsize=8, color="#555555")


def grouped_bars(ax: Axes, categories: Sequence[Any], series: Mapping[str, pd.DataFrame],
                 colors: Mapping[str, Any], scale: float = 1.0) -> None:
    """Bars grouped by category, one per series, each with its ``ci_lo``..``ci_hi`` error bar.

    Each frame in ``series`` is indexed by category with columns ``mean``, ``ci_lo``, ``ci_hi``.
    """
    k = max(len(series), 1)
    width = 0.8 / k
    x = np.arange(len(categories))
    for i, (label, frame) in enumerate(series.items()):
        f = frame.reindex(categories)
        mean = f["mean"].to_numpy(float) * scale
        err = np.vstack([mean - f["ci_lo"].to_numpy(float) * scale, f["ci_hi"].to_numpy(float) * scale - mean])
        has_err = np.isfinite(err).all(axis=0)
        ax.bar(x + (i - (k - 1) / 2) * width, mean, width * 0.95, color=colors.get(label), label=label)
        if has_err.any():
            ax.errorbar((x + (i - (k - 1) / 2) * width)[has_err], mean[has_err], yerr=np.abs(err[:, has_err]),
                        fmt="none", ecolor="#333333", capsize=2, lw=0.9)
