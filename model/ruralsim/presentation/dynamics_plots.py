"""Figures of the return-to-poverty tables of :mod:`ruralsim.dynamics` (one scenario)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from ..analysis.dynamics import CAUSE_LABELS, CAUSES, STATE_LABELS, STATES, causes_wide, transition_matrix
from .run_plots import _thousands, save_figure
from .style import CAUSE_COLORS, finish, grid, run_note, year_marker, year_ticks

# Off-diagonal moves shown by year, grouped by what they mean for policy.
MOVE_PANELS = (
    ("Falls below the poverty line", (("secure", "below"), ("monitored", "below"))),
    ("Leaving poverty", (("below", "monitored"), ("below", "secure"))),
    ("Monitoring entry and exit (above the line)", (("secure", "monitored"), ("monitored", "secure"))),
)
MOVE_COLORS = ("#d62728", "#1f77b4")


def plot_transitions(tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
                     meta: Mapping[str, Any] | None = None) -> Figure:
    """Heatmap of the pooled monthly transition matrix, and the off-diagonal moves by year."""
    table = tables["transitions"]
    fig, axes = grid(1, 4, 19, 5.4, width_ratios=(1.15, 1, 1, 1))
    ax = axes[0, 0]
    matrix = transition_matrix(table, "all").to_numpy(float)
    shown = np.where(matrix > 0, matrix, np.nan)
    image = ax.imshow(shown * 100, cmap="YlOrRd", norm=LogNorm(vmin=0.05, vmax=100))
    for i in range(3):
        for j in range(3):
            value = matrix[i, j]
            text = "–" if not np.isfinite(value) else f"{100 * value:.2f}%"
            ax.text(j, i, text, ha="center", va="center", fontsize=10,
                    color="white" if np.isfinite(value) and value > 0.3 else "black")
    ax.set_xticks(range(3), [STATE_LABELS[s] for s in STATES], fontsize=8.5)
    ax.set_yticks(range(3), [STATE_LABELS[s] for s in STATES], fontsize=8.5)
    ax.set(xlabel="state next month", ylabel="state this month",
           title="Monthly transition probabilities, alert measure\n(whole run, pooled; rows sum to 100%)")
    fig.colorbar(image, ax=ax, shrink=0.75, label="% per month (log scale)")

    years = [p for p in table["period"].unique() if p != "all"]
    months = _months_by_year(ts)
    for ax, (title, moves) in zip(axes[0, 1:], MOVE_PANELS):
        x = np.arange(len(years))
        for (a, b), color in zip(moves, MOVE_COLORS):
            sel = table[(table["from"] == a) & (table["to"] == b)].set_index("period").reindex(years)
            mean = 100 * sel["probability"].to_numpy(float)
            lo, hi = 100 * sel["ci_lo"].to_numpy(float), 100 * sel["ci_hi"].to_numpy(float)
            ax.plot(x, mean, "o-", color=color, lw=1.8, ms=4, label=f"{a} → {b}")
            if np.isfinite(lo).any():
                ax.fill_between(x, lo, hi, color=color, alpha=0.18, lw=0)
        ax.set(title=title, ylabel="% of households in the from-state, per month")
        ax.set_ylim(bottom=0)
        year_ticks(ax, [int(y) for y in years], [months.get(int(y)) for y in years])
        ax.tick_params(axis="x", labelrotation=45)
        year_marker(ax, [int(y) for y in years], (meta or {}).get("transition_end"))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8.5, loc="upper left")
    reps = int(ts["replicate"].nunique())
    band = "bands: 95% t-interval of the yearly mean" if reps > 1 else "one replicate: no band"
    finish(fig, "Movements between secure, monitored and below the poverty line",
           run_note(ts, meta, "annual average monthly probabilities = household-months moving / "
                    f"household-months in the from-state · {band}"))
    return fig


def plot_spells(tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
                meta: Mapping[str, Any] | None = None) -> Figure:
    """Histogram of the lengths of ended spells below the line, with the cumulative share."""
    spells = tables["spells"]
    fig, axes = grid(1, 1, 10, 5.6)
    ax = axes[0, 0]
    share = 100 * spells["share"].to_numpy(float)
    ax.bar(spells["months"], share, 0.85, color="#4c72b0", label="share of ended spells")
    ax.set(xlabel="length of the spell below the poverty line (months; last bar: 60 or more)",
           ylabel="% of ended spells", xlim=(0.3, spells["months"].max() + 0.7),
           title="How long households stay below the poverty line (alert measure)")
    ax.set_xticks([1, 6, 12, 18, 24, 36, 48, 60], ["1", "6", "12", "18", "24", "36", "48", "60+"])
    ax.grid(axis="y", alpha=0.3)
    twin = ax.twinx()
    twin.plot(spells["months"], 100 * spells["cum_share"], color="#dd8452", lw=2, label="cumulative share")
    twin.set(ylabel="cumulative % of ended spells", ylim=(0, 102))
    total = spells["spells"].sum()
    if total > 0:
        median = int(spells.loc[spells["cum_share"] >= 0.5, "months"].iloc[0])
        over12 = 100 * (1 - spells.loc[spells["months"] == 12, "cum_share"].iloc[0])
        text = (f"{total:,.0f} ended spells per replicate\nmedian length {median} month"
                f"{'s' if median != 1 else ''}\n{over12:.0f}% last longer than 12 months")
    else:
        text = "no spell below the line ended in this run"
    ax.text(0.97, 0.55, text, transform=ax.transAxes, ha="right", va="center", fontsize=10,
            bbox={"facecolor": "white", "edgecolor": "#cccccc"})
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="center right", bbox_to_anchor=(0.97, 0.3),
              fontsize=9)
    finish(fig, None, run_note(ts, meta, "spells still running at the end are not counted, so long "
                               "spells are under-represented; all replicates pooled"))
    return fig


def plot_falls(tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
               meta: Mapping[str, Any] | None = None) -> Figure:
    """Falls below the line by cause and year; fall, re-entry and recovery rates by year."""
    wide = causes_wide(tables["causes"])
    re = tables["reentry"].set_index("year")
    years = [int(y) for y in wide.index]
    months = [re.loc[y, "months"] for y in years]
    end = (meta or {}).get("transition_end")
    fig, axes = grid(1, 2, 16, 6.0, width_ratios=(1.25, 1))
    ax = axes[0, 0]
    x, bottom = np.arange(len(years)), np.zeros(len(years))
    for cause in CAUSES:
        values = wide[cause].fillna(0).to_numpy(float)
        ax.bar(x, values, 0.72, bottom=bottom, color=CAUSE_COLORS[cause], label=CAUSE_LABELS[cause],
               edgecolor="white", linewidth=0.3)
        bottom += values
    ax.set(title="Falls below the poverty line by attributed cause (alert measure)",
           ylabel="households falling below, per 1,000 households per year")
    ax.set_ylim(0, max(float(bottom.max()), 1e-9) * 1.45)  # headroom for the legend
    year_ticks(ax, years, months)
    year_marker(ax, years, end)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="upper left", fontsize=8.5, framealpha=0.9)
    _thousands(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)

    ax = axes[0, 1]
    for col, label, color in (("fall_rate", "all falls", "#333333"),
                              ("reentry_rate", "re-entries (had been below before)", "#d62728"),
                              ("recovery_rate", "recoveries (rose above the line)", "#2ca02c")):
        mean = 1000 * re.loc[years, col].to_numpy(float)
        ax.plot(x, mean, "o-", color=color, lw=1.8, ms=4, label=label)
        if f"{col}_ci_lo" in re:
            lo, hi = (1000 * re.loc[years, f"{col}_ci_{s}"].to_numpy(float) for s in ("lo", "hi"))
            if np.isfinite(lo).any():
                ax.fill_between(x, lo, hi, color=color, alpha=0.18, lw=0)
    ever = tables["ever_fallen"]
    last = ever.iloc[-1]
    ax.set(title=f"Rates per year (alert measure)\never fell below by {last['date']}: {100 * last['mean']:.1f}% of households",
           ylabel="per 1,000 households per year")
    ax.set_ylim(bottom=0)
    year_ticks(ax, years, months)
    year_marker(ax, years, end)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8.5, loc="upper left")
    reps = int(ts["replicate"].nunique())
    finish(fig, "Return to poverty: who falls back, and why",
           run_note(ts, meta, "bars and lines: mean across replicates; "
                    + ("bands: 95% t-interval" if reps > 1 else "one replicate")
                    + " · cause = most telling shock in the 12 months before the fall"))
    return fig


def write_dynamics_plots(out_dir: str | Path, tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
                         meta: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``plots/dynamics_{transitions,spells,falls}.png`` and return their paths."""
    plots = Path(out_dir) / "plots"
    figures = {"dynamics_transitions": plot_transitions, "dynamics_spells": plot_spells,
               "dynamics_falls": plot_falls}
    return [save_figure(build(tables, ts, meta), plots / f"{name}.png") for name, build in figures.items()]


def _months_by_year(ts: pd.DataFrame) -> dict[int, float]:
    dates = pd.to_datetime(ts["date"])
    return ts.groupby([ts["replicate"], dates.dt.year]).size().groupby(level=1).mean().to_dict()


__all__ = ["plot_transitions", "plot_spells", "plot_falls", "write_dynamics_plots"]
