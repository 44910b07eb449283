"""Figure of a run's targeting diagnostics (``plots/targeting.png``, from ``targeting.csv``).

Left: households below the registry line each December, split into those the system has by the following
March (monitored or under 兜底) and those it misses. Right: households identified in the year by channel,
with the median wait from the first month under the monitoring line to identification.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .style import finish, grid, run_note

# The December check of year Y identifies its households early in Y + 1 (monitoring.annual_check_delay
# months later: January by default); the end-2020 check
# identified its households at the start (2020-12), so 2021 has no bar of its own.
CHANNEL_SERIES = (("identified_by_channel_annual", "Annual income check (the previous year's)", "#1f77b4"),
                  ("identified_by_channel_self_report", "Own report", "#ff7f0e"),
                  ("identified_by_channel_cadre_screening", "Cadres' visits", "#2ca02c"),
                  ("identified_by_channel_data", "Departments' data", "#9467bd"))


def plot_targeting(table: pd.DataFrame, ts: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> Figure:
    """Who is below the registry line and whether the system has them; who was found, by which channel."""
    years = [int(y) for y in table["year"]]
    x = np.arange(len(years))
    fig, axes = grid(1, 2, 15, 6.2)
    ax = axes[0, 0]
    assisted = table["below_assisted"].to_numpy(float)
    missed = table["below_missed"].to_numpy(float)
    ax.bar(x, np.nan_to_num(assisted), 0.7, color="#2ca02c", label="Monitored or under 兜底 by March")
    ax.bar(x, np.nan_to_num(missed), 0.7, bottom=np.nan_to_num(assisted), color="#d62728", label="Missed")
    for xi, total, miss in zip(x, table["households_below_registry"].to_numpy(float), missed):
        if np.isfinite(miss) and total > 0:
            ax.text(xi, total, f"{100 * miss / total:.0f}%", ha="center", va="bottom", fontsize=8.5)
    ax.set_xticks(x, [str(y) for y in years], fontsize=8.5)
    ax.set(title="Households below the registry line each December\n(label: share missed; last year: no March yet)",
           ylabel="households (sample, mean over replicates)")
    ax.legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    ax = axes[0, 1]
    bottom = np.zeros(len(years))
    for col, name, color in CHANNEL_SERIES:
        values = table[col].to_numpy(float)
        ax.bar(x, values, 0.7, bottom=bottom, color=color, label=name)
        bottom += values
    waits = table["median_months_to_identification"].to_numpy(float)
    for xi, top, wait in zip(x, bottom, waits):
        if np.isfinite(wait):
            ax.text(xi, top, f"{wait:.0f}", ha="center", va="bottom", fontsize=8.5)
    ax.set_xticks(x, [str(y) for y in years], fontsize=8.5)
    ax.set(title="Households identified in the year, by channel\n(label: median months from first month under the line)",
           xlabel="the end-2020 check identified its households at the start (2020-12), not in 2021",
           ylabel="households (sample, mean over replicates)")
    ax.legend(fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    for a in axes[0]:
        a.set_ylim(top=a.get_ylim()[1] * 1.15)
    finish(fig, "Targeting: who is below the line, and who finds them", run_note(ts, meta))
    return fig


def write_targeting_plot(out: Path | str, table: pd.DataFrame, ts: pd.DataFrame,
                         meta: Mapping[str, Any] | None = None) -> list[Path]:
    """``plots/targeting.png`` (none when the table is empty)."""
    from .run_plots import save_figure

    if table.empty:
        return []
    return [save_figure(plot_targeting(table, ts, meta), Path(out) / "plots" / "targeting.png")]


__all__ = ["plot_targeting", "write_targeting_plot"]
