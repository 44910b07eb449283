"""Figures of a scenario comparison, drawn from the derived series and the comparison tables.

Panels are data-driven (:data:`ruralsim.compare_tables.KEY_METRICS`). Each scenario keeps its colour
in every figure, the reference (first) in near-black. Levels show the mean across replicates with
the spread of replicate outcomes; differences from the reference show the mean paired difference
with its 95% t-interval (paired replicates, common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis.compare_tables import INCOME_SOURCES, KEY_METRICS, METRICS, monthly_differences
from ..analysis.dynamics import CAUSE_LABELS, CAUSES, spell_table
from .labels import programme_label, translate
from .compare_ce_plot import plot_cost_effectiveness
from .figure_layout import MAX_WIDTH
from .run_plots import COLORS, _date_axis, _money_unit, _thousands, _transition_marker, replicate_band, save_figure
from .style import (CAUSE_COLORS, comparison_note, finish, grid, grouped_bars, scenario_colors, year_marker,
                    year_ticks)


#: The uncertainty convention of each kind of comparison figure, named in its legend.
LEVEL_BAND = "shaded: 95% interval of the mean across replicates"
DIFF_BAND = "shaded: paired difference from the reference, 95% paired interval"


def _legend(ax, colors: Mapping[str, Any], reference: str, band: str | None = None) -> None:
    """Scenario legend (colour per scenario) in one panel; it holds for every panel of the figure.
    ``band`` names the shaded interval in the legend itself."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color=c, lw=2.4) for c in colors.values()]
    names = [f"{k} (reference)" if k == reference else k for k in colors]
    if band:
        handles.append(Patch(color="#888888", alpha=0.3, lw=0))
        names.append(band)
    # Under the bottom-left panel, not in one (inside, it covered the "end of transition" label or the data)
    # nor beside the panels (the report's width leaves no room for a column of names).
    shown = [a for a in ax.figure.axes if a.get_visible()]
    last = min(shown, key=lambda a: (round(a.get_position().y0, 3), a.get_position().x0))
    last.legend(handles, names, loc="upper left", bbox_to_anchor=(0, -0.12), fontsize=9, frameon=False)


def plot_metrics(frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> Figure:
    """One panel per key metric: a line (mean) and band (replicate spread) per scenario."""
    labels = list(frames)
    colors = scenario_colors(labels)
    fig, axes = grid(2, 4, 21, 10)
    for ax, m in zip(axes.ravel(), KEY_METRICS):
        for label in labels:
            ts = frames[label]
            if m.column not in ts:
                continue
            band = replicate_band(ts, m.column) * m.scale
            ax.fill_between(band.index, band["lo"], band["hi"], color=colors[label], alpha=0.15, lw=0)
            ax.plot(band.index, band["mean"], color=colors[label], lw=1.8)
        ax.set(title=_wrapped(m.title), ylabel=m.plot_unit)
        _time_axes(ax, meta)
    _legend(axes[0, 0], colors, labels[0], LEVEL_BAND if (meta.get("replicates") or 1) >= 2 else None)
    finish(fig, "Policy scenarios compared: key outcomes",
           comparison_note(meta, "lines: mean; " + LEVEL_BAND.replace("shaded: ", "shaded: the ")))
    return fig


def plot_differences(frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> Figure:
    """Each key metric's paired difference from the reference, with its 95% interval, over time."""
    labels = list(frames)
    colors = scenario_colors(labels)
    diffs = monthly_differences(frames, [m.column for m in KEY_METRICS])
    diffs["date"] = pd.to_datetime(diffs["date"])
    fig, axes = grid(2, 4, 21, 10)
    for ax, m in zip(axes.ravel(), KEY_METRICS):
        sel = diffs[diffs["measure"] == m.column]
        for label in labels[1:]:
            d = sel[sel["scenario"] == label]
            ax.fill_between(d["date"], d["diff_ci_lo"] * m.scale, d["diff_ci_hi"] * m.scale, color=colors[label],
                            alpha=0.2, lw=0)
            ax.plot(d["date"], d["diff_mean"] * m.scale, color=colors[label], lw=1.8)
        ax.axhline(0, color=colors[labels[0]], lw=1.2)
        unit = "percentage points" if m.scale == 100 else m.plot_unit
        ax.set(title=_wrapped(m.title), ylabel=f"difference, {unit}")
        _time_axes(ax, meta)
    _legend(axes[0, 0], colors, labels[0], DIFF_BAND if (meta.get("replicates") or 1) >= 2 else None)
    finish(fig, f"Difference from {labels[0]} (scenario minus reference, replicate by replicate)",
           comparison_note(meta, "lines: mean paired difference; shaded: its 95% t-interval"))
    return fig


def _time_axes(ax, meta: Mapping[str, Any]) -> None:
    _transition_marker(ax, meta.get("transition_end"))
    _date_axis(ax, maxticks=7)  # two panels across the report's width: a label every year or two
    _thousands(ax)
    ax.grid(alpha=0.3)


def plot_income(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Income by source per scenario (stacked; medical costs below zero) at two Decembers."""
    labels = list(dict.fromkeys(table["scenario"]))
    dates = _income_dates(table, meta)
    fig, axes = grid(1, len(dates), 7.5 * len(dates) + 2, 6.6, sharey=True)
    x = np.arange(len(labels))
    for ax, date in zip(axes[0], dates):
        at = table[table["date"] == date].set_index(["metric", "scenario"])
        bottom = np.zeros(len(labels))
        for src in INCOME_SOURCES:
            v = at.loc[src].reindex(labels)["mean"].to_numpy(float)
            ax.bar(x, v, 0.62, bottom=bottom, color=COLORS[src], label=METRICS[src].title)
            bottom += v
        med = at.loc["medical_oop"].reindex(labels)["mean"].to_numpy(float)
        ax.bar(x, -med, 0.62, color=COLORS["medical_oop"], label=METRICS["medical_oop"].title)
        net = at.loc["mean_income"].reindex(labels)
        err = np.abs(np.vstack([net["mean"] - net["ci_lo"], net["ci_hi"] - net["mean"]]).astype(float))
        ax.errorbar(x, net["mean"], yerr=err if np.isfinite(err).all() else None, fmt="D", color="black",
                    ms=6, capsize=3, label="Net mean income (95% interval)")
        for xi, top, value in zip(x, bottom, net["mean"]):
            ax.annotate(f"net {value:,.0f}", (xi, top), xytext=(0, 4), textcoords="offset points", ha="center",
                        va="bottom", fontsize=9, fontweight="bold")
        ax.axhline(0, color="#444444", lw=0.8)
        ax.set_xticks(x, labels, rotation=20 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center")
        ax.set(title=f"{date}", ylabel="yuan per person per year (trailing 12 months)")
        _thousands(ax)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    top = axes[0, 0].get_ylim()[1]
    axes[0, 0].set_ylim(top=top * 1.28)
    axes[0, 0].legend(loc="upper left", ncol=3, fontsize=8.5, framealpha=0.95)
    finish(fig, "Per-capita income by source", comparison_note(meta, "bars: mean across replicates"))
    return fig


def _months(table: pd.DataFrame, years: list) -> list | None:
    """Months simulated in each year, when the table says (for starring partial years)."""
    if "months" not in table:
        return None
    return table.groupby("year")["months"].first().reindex(years).tolist()


def _income_dates(table: pd.DataFrame, meta: Mapping[str, Any]) -> list[str]:
    """The last December of the transition (when in the run) and the last date."""
    dates = sorted(table["date"].unique())
    chosen = [dates[-1]]
    end = meta.get("transition_end")
    if end:
        last_in = f"{pd.Timestamp(end).year - 1}-12"
        if last_in in dates and last_in != dates[-1]:
            chosen.insert(0, last_in)
    return chosen


def plot_poverty_by_year(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Annual mean poverty rate, bars grouped by year, one per scenario, with 95% intervals."""
    labels = list(dict.fromkeys(table["scenario"]))
    colors = scenario_colors(labels)
    years = sorted(table["year"].unique())
    months = table.groupby("year")["months"].first().reindex(years).tolist()
    # At most the report's width (figure_layout.MAX_WIDTH): a wider figure shrinks its text under 8 pt there.
    fig, axes = grid(1, 1, MAX_WIDTH, 6)
    ax = axes[0, 0]
    series = {lb: table[table["scenario"] == lb].set_index("year")[["mean", "ci_lo", "ci_hi"]] for lb in labels}
    grouped_bars(ax, years, series, colors, scale=100)
    ax.set(title="People below the poverty line: annual mean of the monthly rate", ylabel="% of people")
    year_ticks(ax, [int(y) for y in years], months)
    year_marker(ax, [int(y) for y in years], meta.get("transition_end"))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    # Below the axes: inside, a legend of many scenarios covers bars or the transition's label.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9, ncol=min(len(labels), 4), frameon=False)
    reps = meta.get("replicates") or 1
    finish(fig, None, comparison_note(meta, "error bars: 95% t-interval of the mean" if reps > 1 else ""))
    return fig


def plot_fiscal_comparison(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Total cost per year by scenario against the budget; the run's extra cost by programme."""
    labels = list(dict.fromkeys(table["scenario"]))
    colors = scenario_colors(labels)
    yearly = table[table["year"] != "all"]
    years = sorted(yearly["year"].unique(), key=int)
    total = yearly[yearly["programme"] == "total"]
    divisor, unit = _money_unit(total["mean"].max())
    fig, axes = grid(1, 2, 20, 7.0, width_ratios=(1.35, 1))
    ax = axes[0, 0]
    series = {lb: total[total["scenario"] == lb].set_index("year")[["mean", "ci_lo", "ci_hi"]] / divisor
              for lb in labels}
    grouped_bars(ax, years, series, colors)
    budget = yearly[(yearly["programme"] == "budget") & (yearly["scenario"] == labels[0])].set_index("year")
    if not budget.empty:
        x = np.arange(len(years))
        ax.hlines(budget.reindex(years)["mean"] / divisor, x - 0.45, x + 0.45, color="black", lw=2.5,
                  label="Cohesion-fund budget (caps fund-financed programmes only)")
    ax.set(title="Total fiscal cost per year", ylabel=unit)
    ax.set_ylim(top=ax.get_ylim()[1] * 1.25)
    year_ticks(ax, [int(y) for y in years], _months(yearly, years))
    year_marker(ax, [int(y) for y in years], meta.get("transition_end"))
    _thousands(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    # Under the axes: inside, it covered the "end of transition" label or the bars.
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)

    ax = axes[0, 1]
    whole = table[(table["year"] == "all") & (table["programme"] != "budget") & (table["scenario"] != labels[0])]
    progs = (whole[whole["programme"] != "total"].groupby("programme")["diff_mean"].apply(lambda s: s.abs().max())
             .sort_values().index.tolist())
    order = [p for p in progs if p != "fund_spending"] + ["fund_spending", "total"]
    order = [p for p in order if p in set(whole["programme"])]
    others = labels[1:]
    h = 0.8 / max(len(others), 1)
    y = np.arange(len(order))
    div2, unit2 = _money_unit(max(whole["diff_mean"].abs().max(), 1.0))
    for k, label in enumerate(others):
        d = whole[whole["scenario"] == label].set_index("programme").reindex(order)
        mean = d["diff_mean"].to_numpy(float) / div2
        err = np.abs(np.vstack([mean - d["diff_ci_lo"].to_numpy(float) / div2,
                                d["diff_ci_hi"].to_numpy(float) / div2 - mean]))
        ax.barh(y + (k - (len(others) - 1) / 2) * h, mean, h * 0.95, color=colors[label], label=label,
                xerr=err if np.isfinite(err).all() else None, error_kw={"capsize": 2, "lw": 0.9})
    ax.axvline(0, color="#444444", lw=0.9)
    names = {"total": "TOTAL", "fund_spending": "Fund-financed sub-total"}
    ax.set_yticks(y, [names.get(p, programme_label(p)) for p in order])
    ax.set(title=_wrapped(f"Extra spending over the whole run vs {labels[0]}, by programme", 40),
           xlabel=unit2.replace(" per year", "") + " (paired difference)")
    _thousands(ax, "x")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=9, loc="lower right")
    finish(fig, "Fiscal cost by scenario", comparison_note(
        meta, "yuan for the simulated households · error bars: 95% t-intervals (paired for differences)"))
    return fig


def plot_dynamics_comparison(table: pd.DataFrame, spells: Mapping[str, pd.DataFrame],
                             meta: Mapping[str, Any]) -> Figure:
    """Re-entry rate by year, falls by cause over the run, and how long spells below the line last."""
    labels = list(dict.fromkeys(table["scenario"]))
    colors = scenario_colors(labels)
    fig, axes = grid(1, 3, 21, 6.6, width_ratios=(1.1, 1, 1))
    ax = axes[0, 0]
    yearly = table[(table["year"] != "all") & (table["measure"] == "reentry_rate")]
    years = sorted(yearly["year"].unique(), key=int)
    x = np.arange(len(years))
    for label in labels:
        d = yearly[yearly["scenario"] == label].set_index("year").reindex(years)
        ax.plot(x, 1000 * d["mean"], "o-", color=colors[label], lw=1.8, ms=4, label=label)
        ax.fill_between(x, 1000 * d["ci_lo"], 1000 * d["ci_hi"], color=colors[label], alpha=0.15, lw=0)
    ax.set(title=_wrapped("Re-entries into poverty (households that had been below before)", 40),
           ylabel="per 1,000 households per year")
    ax.set_ylim(bottom=0)
    year_ticks(ax, [int(y) for y in years], _months(yearly, years))
    year_marker(ax, [int(y) for y in years], meta.get("transition_end"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)  # clear of the year marker

    ax = axes[0, 1]
    whole = table[table["year"] == "all"]
    # Horizontal bars: scenario names read along the axis however many there are (as x ticks, six
    # names overlapped).
    ys, left = np.arange(len(labels)), np.zeros(len(labels))
    for cause in CAUSES:
        d = whole[whole["measure"] == f"falls_{cause}_rate"].set_index("scenario").reindex(labels)
        v = 1000 * d["mean"].fillna(0).to_numpy(float)
        ax.barh(ys, v, 0.6, left=left, color=CAUSE_COLORS[cause], label=CAUSE_LABELS[cause])
        left += v
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()  # the first scenario on top, as in the legends
    ax.set(title=_wrapped("Falls below the line over the whole run, by cause", 40), xlabel="falls per 1,000 households")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, framealpha=0.9)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)

    ax = axes[0, 2]
    for label in labels:
        sp = spell_table(spells.get(label, pd.DataFrame()))
        ax.step(sp["months"], 100 * sp["cum_share"], where="post", color=colors[label], lw=1.8, label=label)
    ax.set(title=_wrapped("Length of ended spells below the line", 40), xlabel="months below the line (60 = 60 or more)",
           ylabel="cumulative % of ended spells", xlim=(1, 36), ylim=(0, 101))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="lower right")
    finish(fig, "Return-to-poverty dynamics by scenario", comparison_note(
        meta, "means across replicates; bands: 95% t-interval · spells running at the end are not counted"))
    return fig


#: Figure name -> builder(frames, tables, spells, meta); each is saved as ``plots/<name>.png``.
FIGURES = {
    "compare_metrics": lambda f, t, s, m: plot_metrics(f, m),
    "compare_differences": lambda f, t, s, m: plot_differences(f, m),
    "compare_income": lambda f, t, s, m: plot_income(t["comparison"], m),
    "compare_poverty_by_year": lambda f, t, s, m: plot_poverty_by_year(t["poverty_by_year"], m),
    "compare_cost_effectiveness": lambda f, t, s, m: plot_cost_effectiveness(f, t["cost_effectiveness"], m),
    "compare_fiscal": lambda f, t, s, m: plot_fiscal_comparison(t["fiscal_comparison"], m),
    "compare_dynamics": lambda f, t, s, m: plot_dynamics_comparison(t["dynamics_comparison"], s, m),
}


def draw_figure(name: str, out: str | Path, frames: Mapping[str, pd.DataFrame], tables: Mapping[str, pd.DataFrame],
                spells: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> Path:
    """Build one named figure of :data:`FIGURES` and save it (a separate job in a process pool)."""
    fig = FIGURES[name](frames, tables, spells, meta)
    fig.ruralsim_scenarios = tuple(meta.get("labels") or frames)  # may coincide: see presentation.hygiene
    return save_figure(fig, Path(out) / "plots" / f"{name}.png")


def write_comparison_plots(out: str | Path, frames: Mapping[str, pd.DataFrame], tables: Mapping[str, pd.DataFrame],
                           spells: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> list[Path]:
    """Write every ``plots/compare_*.png`` in this process and return their paths."""
    return [draw_figure(name, out, frames, tables, spells, meta) for name in FIGURES]


def _wrapped(title: str, width: int = 36) -> str:
    """A panel title on as many lines as it needs, so a long one (the measure named in it) stays in its panel."""
    import textwrap

    title = translate(title)  # whole, before wrapping: a Chinese title is shorter and looked up as one text
    return "\n".join(textwrap.wrap(title, width)) or title
