"""Figure of a calibration (``ruralsim calibrate``): the loss, the free parameters over the search, and each
target before and after the fit (``calibration_fit.png``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.targets import FreeParam, Target
from .fonts import install as _install_fonts

_install_fonts()  # before any figure is made: its texts take the font family when created


def plot_fit(targets: Sequence[Target], hist: pd.DataFrame, free: Sequence[FreeParam], meta: Mapping[str, Any]):
    """Loss history, free parameters over the search, and each target before and after the fit."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..analysis.validation import fmt_value
    from .validation_plots import MISS_COLOR, OK_COLOR

    fig = Figure(figsize=(16, 5.6), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, 0.35 / 5.6, 1, 1 - 0.35 / 5.6))
    ax_loss, ax_par, ax_fit = fig.subplots(1, 3, width_ratios=(1, 1, 1.35))
    search = hist[hist["phase"] != "final"]
    ax_loss.plot(search["evaluation"], search["loss"], "o", ms=3.5, color="#1f77b4", alpha=0.6, label="evaluation")
    ax_loss.plot(search["evaluation"], search["best_loss"], color="#1f77b4", lw=2, label="best so far")
    fin = hist[hist["phase"] == "final"]
    if len(fin):
        ax_loss.plot(fin["evaluation"], fin["loss"], "D", color=OK_COLOR, ms=7, label="written values (rounded)")
    ax_loss.axhline(len(targets), color="#555555", ls=":", lw=1)
    ax_loss.annotate("every target at 1 tolerance", xy=(0.5, len(targets)), xycoords=("axes fraction", "data"),
                     xytext=(0, -3), textcoords="offset points", ha="center", va="top", fontsize=7.5,
                     color="#555555")
    if (search["loss"] > 0).all():
        from matplotlib.ticker import FuncFormatter, LogLocator

        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax_loss.yaxis.set_minor_formatter(FuncFormatter(lambda v, pos: ""))
        ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:g}"))
    ax_loss.set(title="Loss: sum of squared errors in tolerance units", xlabel="evaluation", ylabel="loss")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, frameon=False)

    for i, fp in enumerate(free):
        u = (search[fp.label] - fp.low) / (fp.high - fp.low)
        final = hist[hist["phase"] == "final"][fp.label]
        label = f"{fp.label} = {fmt_value(float(final.iloc[0]))}" if len(final) else fp.label
        ax_par.plot(search["evaluation"], u, lw=1.3, color=f"C{i}", label=label)
    ax_par.set(title="Free parameters over the search", xlabel="evaluation",
               ylabel="position in the declared range (0 = low, 1 = high)", ylim=(-0.03, 1.03))
    ax_par.grid(alpha=0.3)
    ax_par.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=1, frameon=False)

    start, final = hist.iloc[0], (fin.iloc[0] if len(fin) else hist.loc[hist["loss"].idxmin()])
    y = np.arange(len(targets))[::-1]
    for yi, t in zip(y, targets):
        ax_fit.fill_between([-1, 1], yi - 0.3, yi + 0.3, color=OK_COLOR, alpha=0.13, lw=0)
        e0, e1 = t.error(float(start[f"model_{t.id}"])), t.error(float(final[f"model_{t.id}"]))
        c0, c1 = max(-4, min(4, e0)), max(-4, min(4, e1))
        ax_fit.annotate("", xy=(c1, yi), xytext=(c0, yi),
                        arrowprops={"arrowstyle": "->", "color": "#777777", "lw": 1.2})
        ax_fit.plot([c0], [yi], "o", color="#999999", ms=7)
        ax_fit.plot([c1], [yi], "o", color=OK_COLOR if abs(e1) <= 1 else MISS_COLOR, ms=8)
        ax_fit.annotate(f"{fmt_value(float(start[f'model_{t.id}']), t.observed)} → "
                        f"{fmt_value(float(final[f'model_{t.id}']), t.observed)} "
                        f"(observed {fmt_value(t.observed)} ± {fmt_value(t.tolerance, t.observed)})",
                        xy=(1.01, yi), xycoords=("axes fraction", "data"), va="center", fontsize=8)
    ax_fit.axvline(0, color="#222222", lw=1)
    ax_fit.set_yticks(y, [f"{t.id}\n({t.source})" for t in targets], fontsize=8.5)
    ax_fit.set(xlim=(-4.3, 4.3), ylim=(-0.7, len(targets) - 0.3),
               title="Targets before (grey) and after the fit", xlabel="(model − observed) / tolerance")
    ax_fit.grid(axis="x", alpha=0.3)
    fig.suptitle("Calibration of the free parameters to the article's targets", fontsize=13, fontweight="bold")
    fig.text(0.008, 0.01, f"ruralsim · scenario {meta.get('name')} · each evaluation: mean of "
             f"{meta.get('replicates')} replicates × {int(meta.get('households') or 0):,} households with the same "
             "seeds (common random numbers) · shaded: within tolerance", fontsize=7.5, color="#555555")
    return fig
