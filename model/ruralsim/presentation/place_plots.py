"""The gap between places: income and return to poverty by place group (``plots/groups.png``), and a
comparison's paired differences by group (``plots/compare_groups.png``).

Drawn from ``groups.csv`` (a run) and ``compare_groups.csv`` (a comparison); texts in English, put into
Chinese by :func:`ruralsim.presentation.run_plots.save_figure` through the label registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ruralsim.presentation.labels import translate
from ruralsim.presentation.run_plots import place_note, save_figure, source_note

#: Panels (columns): a title and its groups with their legend names and colours.
PANELS = (
    ("Key vs other counties", (("key_county", "Key counties", "#d62728"), ("other_county", "Other counties", "#1f77b4"))),
    ("East, central, west", (("east", "East", "#2ca02c"), ("central", "Central", "#ff7f0e"), ("west", "West", "#9467bd"))),
    ("Relocated or not", (("relocated", "Relocated", "#8c564b"), ("not_relocated", "Not relocated", "#7f7f7f"))),
)
ROWS = (("mean_income", "Per-capita income (yuan per person per year)", 1.0),
        ("poverty_rate_registry", "% of people below the line (registry)", 100.0))


def _grid(rows: int, cols: int, width: float, height: float) -> tuple[Figure, np.ndarray]:
    from .style import grid

    return grid(rows, cols, width, height)  # at most the report's readable width (style.grid)


def plot_place_groups(summary: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> Figure:
    """Top: mean per-capita income by group each December (with the 95% interval of the mean); bottom:
    the registry poverty rate. One column per split: key / other counties, regions, relocated or not."""
    fig, axes = _grid(2, 3, 15, 8.4)
    for j, (title, groups) in enumerate(PANELS):
        for i, (metric, ylabel, scale) in enumerate(ROWS):
            ax = axes[i, j]
            for group, name, colour in groups:
                df = summary[summary["group"] == group].sort_values("year")
                if df.empty:
                    continue
                ax.plot(df["year"], scale * df[metric], marker="o", color=colour, lw=2, label=name)
                lo, hi = f"{metric}_ci_lo", f"{metric}_ci_hi"
                if lo in df and df[lo].notna().any():
                    ax.fill_between(df["year"], scale * df[lo], scale * df[hi], color=colour, alpha=0.2, lw=0)
            ax.set_title(title if i == 0 else "", fontsize=11)
            ax.set_ylabel(ylabel if j == 0 else "")
            ax.grid(alpha=0.3)
            ax.xaxis.get_major_locator().set_params(integer=True)
            if i == 0:
                ax.legend(loc="best", fontsize=9, framealpha=0.9)
            else:
                ax.set_ylim(bottom=0)
    fig.suptitle("Places that differ: income and return to poverty by group", fontsize=14, fontweight="bold")
    n = int(summary["n"].max()) if "n" in summary and len(summary) else 1
    meta = dict(meta or {})
    meta.setdefault("replicates", n)
    note = source_note(pd.DataFrame({"replicate": range(n)}), meta)
    note += " · lines: mean across replicates; shaded: 95% interval of the mean across replicates"
    place_note(fig, note)
    return fig


def write_place_plot(out_dir: Path | str, summary: pd.DataFrame, meta: Mapping[str, Any] | None) -> list[Path]:
    """``plots/groups.png`` (none when the run has no group rows)."""
    if summary is None or summary.empty:
        return []
    return [save_figure(plot_place_groups(summary, meta), Path(out_dir) / "plots" / "groups.png")]


def plot_group_differences(diffs: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> Figure:
    """Paired differences from the reference by group (bars: the last year; whiskers: 95% paired interval),
    income on top and the registry poverty rate below; one bar colour per scenario."""
    last = int(diffs["year"].max())
    df = diffs[diffs["year"] == last]
    scenarios = list(dict.fromkeys(df["scenario"]))
    order = [g for _, groups in PANELS for g, _, _ in groups]
    names = {g: name for _, groups in PANELS for g, name, _ in groups}
    fig, axes = _grid(2, 1, 13, 8.4)
    colours = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
    width = 0.8 / max(len(scenarios), 1)
    for ax, (metric, ylabel, scale) in zip(axes[:, 0], (
            ("mean_income", "Per-capita income: paired difference (yuan)", 1.0),
            ("poverty_rate_registry", "Poverty rate (registry): paired difference (percentage points)", 100.0))):
        for k, sc in enumerate(scenarios):
            rows = df[(df["scenario"] == sc) & (df["metric"] == metric)].set_index("group").reindex(order)
            x = np.arange(len(order)) + (k - (len(scenarios) - 1) / 2) * width
            y = scale * rows["diff_mean"].to_numpy(float)
            err = np.vstack([y - scale * rows["diff_ci_lo"].to_numpy(float), scale * rows["diff_ci_hi"].to_numpy(float) - y])
            ax.bar(x, y, width=width, color=colours[k % len(colours)], label=sc,
                   yerr=np.where(np.isnan(err), 0, err), capsize=3)
        ax.axhline(0, color="black", lw=0.8)
        # Tick labels are made at draw time, after save_figure localises the texts: translate them here.
        ax.set_xticks(np.arange(len(order)), [translate(names[g]) for g in order])
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3, axis="y")
        ax.legend(loc="best", fontsize=9, framealpha=0.9)
    ref = str(df["reference"].iloc[0]) if len(df) else "reference"
    fig.suptitle("Difference from the reference by place group", fontsize=14, fontweight="bold")
    note = source_note(pd.DataFrame({"replicate": range(int(df["n"].max()) if len(df) else 1)}),
                       {**dict(meta or {}), "name": f"{', '.join(scenarios)} vs {ref}"})
    note += f" · {last} · paired difference from the reference, 95% paired interval"
    place_note(fig, note)
    return fig


def write_group_difference_plot(out_dir: Path | str, diffs: pd.DataFrame, meta: Mapping[str, Any] | None) -> list[Path]:
    """``plots/compare_groups.png`` (none without differences)."""
    if diffs is None or diffs.empty:
        return []
    return [save_figure(plot_group_differences(diffs, meta), Path(out_dir) / "plots" / "compare_groups.png")]
