"""Figures of a validation (``ruralsim validate``): every target's error in tolerance units, and each
target's metric over time with the observed figure drawn on it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.targets import Target
from ..analysis.validation import fmt_value
from .figure_text_zh import wrap_zh
from .labels import current_lang, translate
from .fonts import install as _install_fonts

_install_fonts()  # before any figure is made: its texts take the font family when created

OK_COLOR, MISS_COLOR, OBS_COLOR = "#2a9d4b", "#d62728", "#222222"
ZONE = 4.0  # the summary axis shows errors within ±ZONE tolerances; beyond, an arrow at the edge


def write_plots(out: Path, table: pd.DataFrame, ts: pd.DataFrame, targets, meta: Mapping[str, Any]
                ) -> dict[str, Path]:
    from .run_plots import save_figure

    plots = Path(out) / "plots"
    return {"validation_summary": save_figure(plot_summary(table, ts, meta), plots / "validation_summary.png"),
            "validation_series": save_figure(plot_series(table, ts, targets, meta), plots / "validation_series.png")}


def _new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, 0.35 / height, 1, 1 - 0.35 / height))
    fig.ruralsim_readable = False  # opened on its own, not in a report: not held to the report's width (yet)
    return fig


def _note(fig, ts: pd.DataFrame, meta: Mapping[str, Any], extra: str) -> None:
    from .run_plots import source_note

    fig.text(0.008, 0.01, source_note(ts, meta) + " · " + extra, ha="left", va="bottom", fontsize=7.5,
             color="#555555")


def plot_summary(table: pd.DataFrame, ts: pd.DataFrame, meta: Mapping[str, Any] | None = None,
                 title: str = "Model against observed targets"):
    """Each target's error in tolerance units: the allowed zone shaded, the model's mean and spread."""
    meta = meta or {}
    n = len(table)
    fig = _new_figure(12.5, 1.6 + 0.55 * n)
    ax = fig.subplots()
    y = np.arange(n)[::-1]
    for yi, r in zip(y, table.itertuples()):
        width = r.tolerance if r.tolerance > 0 else (abs(r.observed) * 0.01 or 1.0)
        lo_ok, hi_ok = {"equal": (-1, 1), "at_least": (-1 if r.tolerance > 0 else 0, ZONE + 1),
                        "at_most": (-ZONE - 1, 1 if r.tolerance > 0 else 0)}[r.kind]
        ax.fill_between([max(lo_ok, -ZONE - 1), min(hi_ok, ZONE + 1)], yi - 0.32, yi + 0.32, color=OK_COLOR,
                        alpha=0.13, lw=0)
        z = [(x - r.observed) / width for x in (r.model_mean, r.model_lo, r.model_hi)]
        zc = [min(max(v, -ZONE), ZONE) for v in z]
        color = OK_COLOR if r.within_tolerance else MISS_COLOR
        ax.plot([zc[1], zc[2]], [yi, yi], color=color, lw=2.2, solid_capstyle="butt")
        marker = ">" if z[0] > ZONE else "<" if z[0] < -ZONE else "o"
        ax.plot([zc[0]], [yi], marker=marker, color=color, ms=8, zorder=3)
        rel = {"equal": "", "at_least": "≥ ", "at_most": "≤ "}[r.kind]
        tol = ((f" ± {fmt_value(r.tolerance, r.observed)}" if r.kind == "equal" else
                f", tolerance {fmt_value(r.tolerance, r.observed)}") if r.tolerance > 0 else "")
        verdict = "holds" if r.within_tolerance else "MISSES"
        every = ", every replicate" if r.judge == "all" else ""
        ax.annotate(f"observed {rel}{fmt_value(r.observed)}{tol} · model {fmt_value(r.model_mean)} "
                    f"[{fmt_value(r.model_lo)}, {fmt_value(r.model_hi)}] · {verdict}{every}",
                    xy=(1.01, yi), xycoords=("axes fraction", "data"), va="center", fontsize=8.5, color=color)
    ax.axvline(0, color=OBS_COLOR, lw=1)
    ax.set_yticks(y, [f"{r.target} ({r.source})\n{r.label}" for r in table.itertuples()], fontsize=8.5)
    ax.set_xlim(-ZONE - 0.3, ZONE + 0.3)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("(model − observed) / tolerance   (inequalities: 1% of the bound when the tolerance is 0)")
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=OK_COLOR, alpha=0.2, label="allowed by the tolerance"),
                       Line2D([], [], color="grey", marker="o", lw=2.2,
                              label="model: mean across replicates and 2.5–97.5% range"),
                       Line2D([], [], color=OK_COLOR, lw=4, label="holds"),
                       Line2D([], [], color=MISS_COLOR, lw=4, label="misses")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    _note(fig, ts, meta, "arrows: beyond ±4 tolerances")
    return fig


def plot_series(table: pd.DataFrame, ts: pd.DataFrame, targets, meta: Mapping[str, Any] | None = None):
    """Each target's metric over time (mean and replicate band) with the observed figure and tolerance."""
    import textwrap

    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    from .run_plots import replicate_band

    meta = meta or {}
    targets = list(targets)
    ncols = min(3, len(targets))
    nrows = math.ceil(len(targets) / ncols)
    fig = _new_figure(max(5.0 * ncols, 11.0), 3.3 * nrows + 0.8)  # room for the title with one or two targets
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    rows = {r.target: r for r in table.itertuples()}
    for ax, t in zip(axes, targets):
        r = rows.get(t.id)
        series, label = _target_series(t, ts)
        div, unit = (1e6, "million") if max(abs(t.observed), float(np.nanmax(np.abs(series[t.metric]))) or 0) >= 1e6 \
            else (1.0, "")
        band = replicate_band(series, t.metric) / div
        ok = r is None or bool(r.within_tolerance)
        color = OK_COLOR if ok else MISS_COLOR
        ax.fill_between(band.index, band["lo"], band["hi"], color="#1f77b4", alpha=0.2, lw=0)
        ax.plot(band.index, band["mean"], color="#1f77b4", lw=1.6, label="model")
        x0, x1 = pd.Timestamp(t.start), pd.Timestamp(t.end) + pd.offsets.MonthEnd(0)
        obs, tol = t.observed / div, t.tolerance / div
        if t.kind == "equal":
            if t.start == t.end:
                ax.errorbar([pd.Timestamp(t.end)], [obs], yerr=[tol], fmt="D", color=OBS_COLOR, ms=6, capsize=4,
                            label="observed ± tolerance", zorder=4)
            else:
                ax.fill_between([x0, x1], obs - tol, obs + tol, color=OBS_COLOR, alpha=0.15, lw=0)
                ax.plot([x0, x1], [obs, obs], color=OBS_COLOR, lw=2.2, label="observed ± tolerance")
        else:
            bound = obs - tol if t.kind == "at_least" else obs + tol
            ax.plot([x0, x1], [bound, bound], color=OBS_COLOR, lw=2.2, ls="--",
                    label=("at least " if t.kind == "at_least" else "at most ") + fmt_value(bound * div)
                    + (" (observed + tolerance)" if t.tolerance > 0 else ""))
        verdict = "holds" if ok else "MISSES"
        # long labels stay in the panel; translated whole before wrapping (a Chinese character is ~1.7 letters wide)
        zh = current_lang() == "zh"
        name = (wrap_zh(f"{t.id}：{translate(t.label or t.metric)}", 28) if zh else
                "\n".join(textwrap.wrap(f"{t.id}: {t.label or t.metric}", 48)))
        ax.set_title(f"{name}\n{t.stat} over {t.when} · {verdict}", fontsize=9.5,
                     color=color if not ok else "black")
        ax.set_ylabel(" ".join(x for x in (unit, label or t.unit) if x), fontsize=8.5)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7.5, loc="best", framealpha=0.85)
        if t.kind == "at_most" and t.observed == 0:
            ax.set_ylim(-0.5, max(1.0, float(np.nanmax(band["hi"]))) + 0.5)  # a count that must stay 0
        elif t.stat in ("min", "max") and t.kind != "equal":
            ax.margins(y=0.25)
    for ax in axes[len(targets):]:
        ax.set_visible(False)
    fig.suptitle("Validation targets over time: model (mean and 2.5–97.5% replicate band) and observed",
                 fontsize=13, fontweight="bold")
    _note(fig, ts, meta, "black: the observed figure at its date or period")
    return fig


def _tick(x: float, pos: Any = None) -> str:
    """Tick label with thousands separators and no needless decimals."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"


def _target_series(t: Target, ts: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The monthly series a target reads, scaled; growth targets show growth over the base lag."""
    frame = ts[["replicate", "date"]].copy()
    frame[t.metric] = ts[t.metric].astype(float) * t.factor(ts)
    if t.stat != "growth":
        return frame, t.unit
    lag = (pd.Period(t.end, "M") - pd.Period(t.base, "M")).n
    wide = frame.pivot_table(index="date", columns="replicate", values=t.metric).sort_index()
    growth = (wide / wide.shift(lag) - 1.0).dropna(how="all")
    long = growth.stack().rename(t.metric).reset_index()
    return long, f"growth over {lag} months"
