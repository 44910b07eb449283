"""Where return to poverty sits: the spread of poverty across villages and counties.

National averages hide where the risk concentrates. A village's share of households below the line is
what A10's "no mass return" is about, and a county's is what local governments answer for; these
figures show how those shares are spread each December and how the spread moves over the run. They
are drawn from ``villages.parquet`` and ``counties.parquet``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ruralsim.presentation.run_plots import _figure, _finish, save_figure

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: Fewer counties than this make no spread worth drawing (a 20,000-household run has one).
MIN_COUNTIES = 10
PLURAL = {"village": "villages", "county": "counties"}


def group_quantiles(table: pd.DataFrame) -> pd.DataFrame:
    """For each date: the 10th, 25th, 50th, 75th and 90th percentile across villages or counties (all
    replicates pooled; empty ones left out) of the share of households below the poverty line, their
    mean, and how many were counted."""
    df = table[table["households"] > 0]
    grouped = df.groupby("date")["share_below"]
    out = grouped.quantile(list(QUANTILES)).unstack()
    out.columns = [f"p{int(round(q * 100))}" for q in QUANTILES]
    out["mean"] = grouped.mean()
    out["groups"] = df.groupby("date").size()
    out["mass_return"] = df.groupby("date")["mass_return"].sum()
    return out.reset_index()


def _spaced_labels(x: pd.Series) -> tuple[list, list[str]]:
    """Date ticks at least a ninth of the span apart (at most about nine, level), so a last month two months
    after a December does not run into it: a date too close to the one before is left unlabelled."""
    dates = sorted(pd.to_datetime(pd.Series(x)).unique())
    span = (dates[-1] - dates[0]) / 9 if len(dates) > 1 else pd.Timedelta(0)
    kept = [dates[0]]
    for d in dates[1:]:
        if d - kept[-1] >= span:
            kept.append(d)
    return kept, [f"{d:%Y-%m}" for d in kept]


def plot_group_spread(table: pd.DataFrame, level: str, meta: Mapping[str, Any] | None = None) -> Figure:
    """Left: the spread of village (or county) poverty shares over time (median, 25–75 and 10–90
    percentile bands). Right: their distribution at the first and last recorded date."""
    noun, plural = level, PLURAL[level]
    q = group_quantiles(table)
    fig, (ax_t, ax_h) = _figure(2, width=14, height=5.4, ratios=(1.3, 1))
    x = pd.to_datetime(q["date"])
    ax_t.fill_between(x, 100 * q["p10"], 100 * q["p90"], color="#9ecae1", alpha=0.5, label="10–90th percentile")
    ax_t.fill_between(x, 100 * q["p25"], 100 * q["p75"], color="#3182bd", alpha=0.5, label="25–75th percentile")
    ax_t.plot(x, 100 * q["p50"], color="#08306b", marker="o", lw=2, label=f"median {noun}")
    ax_t.plot(x, 100 * q["mean"], color="#08306b", ls=":", lw=1.2, label=f"mean of {plural}")
    ax_t.set(ylabel=f"% of a {noun}'s households below the poverty line",
             title=f"{noun.capitalize()} shares below the line (each December)")
    ax_t.set_ylim(bottom=0)
    ax_t.set_xticks(*_spaced_labels(x))
    ax_t.grid(alpha=0.3)
    ax_t.legend(loc="best", fontsize=8.5, framealpha=0.9)

    live = table[table["households"] > 0]
    dates = sorted(pd.to_datetime(live["date"]).unique())
    shown = [dates[0], dates[-1]] if len(dates) > 1 else dates
    shares = 100 * live["share_below"].to_numpy(dtype=float)
    edges = _share_bins(shares, float(live["households"].median()) if len(live) else 1.0)
    for date, color in zip(shown, ("#999999", "#d62728")):
        values = 100 * live.loc[pd.to_datetime(live["date"]) == date, "share_below"].to_numpy(dtype=float)
        weights = np.full(len(values), 100 / max(len(values), 1))
        ax_h.hist(np.clip(values, 0, edges[-1]), bins=edges, weights=weights, histtype="step", lw=2,
                  color=color, label=f"{pd.Timestamp(date):%Y-%m} (median {np.median(values):.1f}%)")
    ax_h.set(xlabel=f"% of a {noun}'s households below the poverty line", ylabel=f"% of {plural}",
             title=f"{plural.capitalize()} by share below the line")
    ax_h.grid(alpha=0.3)
    ax_h.legend(loc="upper right", fontsize=8.5, framealpha=0.9)

    meta = dict(meta or {})
    if meta.get("households") is None:  # the cohort's households, not a village's
        first = table[(table["date"] == table["date"].min()) & (table["replicate"] == table["replicate"].min())]
        meta["households"] = int(first["households"].sum())
    per_run = int(q["groups"].max() / max(table["replicate"].nunique(), 1)) if len(q) else 0
    _finish(fig, table, meta, f"Return to poverty across {plural}", bands=False,
            extra_note=f"{per_run:,} {plural} per replicate, replicates pooled · "
                       f"{int(q['mass_return'].sum()):,} {noun}-Decembers at or above the mass-return threshold")
    return fig


def write_group_plots(out_dir: Path | str, groups: Mapping[str, pd.DataFrame | None],
                      meta: Mapping[str, Any] | None) -> list[Path]:
    """``plots/villages.png`` and, with at least :data:`MIN_COUNTIES` counties, ``plots/counties.png``."""
    paths = []
    for level, name in PLURAL.items():
        table = groups.get(level)
        if table is None or table.empty:
            continue
        if level == "county" and table.groupby("replicate")["county"].nunique().max() < MIN_COUNTIES:
            continue
        paths.append(save_figure(plot_group_spread(table, level, meta), Path(out_dir) / "plots" / f"{name}.png"))
    return paths


def _share_bins(shares_pct: np.ndarray, typical_households: float) -> np.ndarray:
    """Histogram edges for shares in percent: one bin per household of a typical group where groups are
    small (a village of 150 moves in steps of 0.67%, finer bins would comb), else 30 bins, up to the
    99.5th percentile."""
    top = max(float(np.quantile(shares_pct, 0.995)) if len(shares_pct) else 1.0, 0.5)
    step = max(top / 30, 100 / max(typical_households, 1.0))
    return np.arange(-step / 2, top + step, step)
