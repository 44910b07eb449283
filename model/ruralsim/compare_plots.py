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

from .compare_tables import CE_CASES, INCOME_SOURCES, KEY_METRICS, METRICS, monthly_differences
from .dynamics import CAUSE_LABELS, CAUSES, spell_table
from .figures import CAUSE_COLORS, finish, grid, grouped_bars, scenario_colors, year_marker, year_ticks
from .fiscal import label as programme_label
from .plots import COLORS, _date_axis, _money_unit, _thousands, _transition_marker, replicate_band, save_figure


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


def _legend(ax, colors: Mapping[str, Any], reference: str) -> None:
    """Scenario legend (colour per scenario) in one panel; it holds for every panel of the figure."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=c, lw=2.4) for c in colors.values()]
    names = [f"{k} (reference)" if k == reference else k for k in colors]
    ax.legend(handles, names, loc="best", fontsize=9, framealpha=0.9)


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
        ax.set(title=m.title, ylabel=m.plot_unit)
        _time_axes(ax, meta)
    _legend(axes[0, 0], colors, labels[0])
    reps = meta.get("replicates") or 1
    band = "2.5–97.5 percentile range across replicates" if reps >= 3 else "min–max across replicates"
    finish(fig, "Policy scenarios compared: key outcomes", comparison_note(meta, f"lines: mean; shaded: {band}"))
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
        ax.set(title=f"{m.title}", ylabel=f"difference, {unit}")
        _time_axes(ax, meta)
    _legend(axes[0, 0], colors, labels[0])
    finish(fig, f"Difference from {labels[0]} (scenario minus reference, replicate by replicate)",
           comparison_note(meta, "lines: mean paired difference; shaded: its 95% t-interval"))
    return fig


def _time_axes(ax, meta: Mapping[str, Any]) -> None:
    _transition_marker(ax, meta.get("transition_end"))
    _date_axis(ax)
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
    fig, axes = grid(1, 1, max(10, 1.1 * len(years) * max(1, len(labels) / 3)), 6)
    ax = axes[0, 0]
    series = {lb: table[table["scenario"] == lb].set_index("year")[["mean", "ci_lo", "ci_hi"]] for lb in labels}
    grouped_bars(ax, years, series, colors, scale=100)
    ax.set(title="People below the poverty line: annual mean of the monthly rate", ylabel="% of people")
    year_ticks(ax, [int(y) for y in years], months)
    year_marker(ax, [int(y) for y in years], meta.get("transition_end"))
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="upper left", fontsize=9, ncol=min(len(labels), 4))
    reps = meta.get("replicates") or 1
    finish(fig, None, comparison_note(meta, "error bars: 95% t-interval of the mean" if reps > 1 else ""))
    return fig


def plot_cost_effectiveness(frames: Mapping[str, pd.DataFrame], table: pd.DataFrame,
                            meta: Mapping[str, Any]) -> Figure:
    """Cost-effectiveness plane at the last date, the ratio over time, and how to read each case."""
    labels = list(frames)
    colors = scenario_colors(labels)
    ref = labels[0]
    fig, axes = grid(1, 3, 21, 7.0, width_ratios=(1, 1, 0.85))
    ax = axes[0, 0]
    last = table["date"].max()
    ref_ts = frames[ref]
    at_last = pd.to_datetime(ref_ts["date"]).dt.to_period("M").astype(str) == last
    r0 = ref_ts[at_last].set_index("replicate")
    divisor, unit = _money_unit(max(table["extra_cost"].abs().max(), 1.0))
    unit = unit.replace(" per year", "")
    for label in labels[1:]:
        ts = frames[label]
        s = ts[pd.to_datetime(ts["date"]).dt.to_period("M").astype(str) == last].set_index("replicate")
        ax.scatter(r0["households_below"] - s["households_below"], (s["fiscal_cost_cum"] - r0["fiscal_cost_cum"])
                   / divisor, color=colors[label], alpha=0.35, s=18)
        row = table[(table["scenario"] == label) & (table["date"] == last)].iloc[0]
        xe = _err(row, "households_kept")
        ye = _err(row, "extra_cost", divisor)
        ax.errorbar(row["households_kept"], row["extra_cost"] / divisor, xerr=xe, yerr=ye, fmt="o",
                    color=colors[label], ms=8, capsize=3, label=label)
    ax.axhline(0, color="#444444", lw=0.9)
    ax.axvline(0, color="#444444", lw=0.9)
    for (x, y, ha, va), text in zip(((0.98, 0.98, "right", "top"), (0.98, 0.02, "right", "bottom"),
                                     (0.02, 0.98, "left", "top"), (0.02, 0.02, "left", "bottom")),
                                    ("costs more,\nfewer below the line", "saves money,\nfewer below (dominant)",
                                     "costs more,\nmore below (dominated)", "saves money,\nmore below the line")):
        ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=8.5, color="#777777", style="italic")
    _symmetric(ax)
    ax.set(title=f"Cost-effectiveness plane at {last} (vs {ref})",
           xlabel=f"households kept above the poverty line vs {ref} (of the simulated households)",
           ylabel=f"extra cumulative fiscal cost since start, {unit}")
    _thousands(ax, "both")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="center left")

    ax = axes[0, 1]
    dates = sorted(table["date"].unique())
    x = np.arange(len(dates))
    points: list[tuple] = []
    for k, label in enumerate(labels[1:]):
        d = table[table["scenario"] == label].set_index("date").reindex(dates)
        shift = (k - (len(labels) - 2) / 2) * 0.1
        for case, (marker, filled) in CASE_MARKERS.items():
            sel = (d["case"] == case).to_numpy()
            if not sel.any():
                continue
            y = d["yuan_per_household"].to_numpy(float)[sel] / 1e3
            if case == "no_effect":
                ax.plot((x + shift)[sel], np.zeros(sel.sum()), marker, color=colors[label], ms=7)
                continue
            lo, hi = (d[c].to_numpy(float)[sel] / 1e3 for c in ("ratio_ci_lo", "ratio_ci_hi"))
            err = np.abs(np.vstack([y - lo, hi - y]))
            ax.errorbar((x + shift)[sel], y, yerr=np.where(np.isfinite(err), err, 0), fmt=marker, color=colors[label],
                        mfc=colors[label] if filled else "white", capsize=3, ms=7, lw=1.2)
            points.append(((x + shift)[sel], y, lo, hi, colors[label]))
    _clip_to_points(ax, points)
    ax.axhline(0, color="#444444", lw=0.9)
    ax.set_xticks(x, dates, rotation=45, ha="right")
    ax.set(title="Extra cumulative fiscal cost / extra households kept above the line",
           ylabel="thousand yuan per household")
    _thousands(ax)
    ax.grid(alpha=0.3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=colors[lb], lw=2.4) for lb in labels[1:]]
    handles += [Line2D([], [], ls="", marker=m, color="#555555", mfc="#555555" if f else "white", ms=7)
                for m, f in CASE_MARKERS.values()]
    names = [*labels[1:], *CASE_SHORT.values()]
    axes[0, 2].legend(handles, names, fontsize=8.5, loc="lower left", title="ratio panel: marker = case",
                      title_fontsize=8.5, framealpha=0.95)

    ax = axes[0, 2]
    ax.axis("off")
    lines = [f"At {last}, compared with {ref}:", ""]
    compact = len(labels) > 5  # one line per scenario, so many scenarios still fit
    for label in labels[1:]:
        row = table[(table["scenario"] == label) & (table["date"] == last)].iloc[0]
        lines += _ce_line(label, row) if compact else _ce_text(label, row, divisor, unit)
    if compact:
        lines += ["", "details and intervals: cost_effectiveness.csv"]
    text = ax.text(0, 1, "\n".join(lines), va="top", ha="left", fontsize=8 if compact else 9.5)
    text.set_in_layout(False)  # long text must not squeeze the panels
    finish(fig, "What each scenario buys: fiscal cost per household kept above the poverty line",
           comparison_note(meta, "ratio = paired mean extra cost / paired mean households kept, with Fieller's "
                           "95% interval · faint points: replicates"))
    return fig


#: Marker (and whether filled) per cost-effectiveness case; the ratio means different things.
CASE_MARKERS = {"tradeoff_more": ("o", True), "tradeoff_less": ("s", False), "dominant": ("^", True),
                "dominated": ("v", True), "no_effect": ("x", True)}
CASE_SHORT = {"tradeoff_more": "costs more: yuan per extra household kept above",
              "tradeoff_less": "saves money: yuan saved per extra household below",
              "dominant": "dominant (cheaper and better; negative)",
              "dominated": "dominated (dearer and worse; negative)",
              "no_effect": "no detectable effect on poverty (drawn at 0)"}


def _clip_to_points(ax, points: list[tuple]) -> None:
    """Scale the ratio axis to the point estimates; mark intervals that run beyond it with arrows.

    A ratio whose denominator is barely significant has a very long (but finite) Fieller interval,
    which would otherwise flatten every other point.
    """
    ys = np.concatenate([p[1] for p in points]) if points else np.array([])
    ys = ys[np.isfinite(ys)]
    if ys.size == 0:
        return
    top, bottom = max(ys.max(), 0.0), min(ys.min(), 0.0)
    span = max(top - bottom, abs(top), abs(bottom), 1e-9)
    lim = (bottom - 0.35 * span if bottom < 0 else -0.08 * span, top + 0.35 * span)
    ax.set_ylim(*lim)
    clipped = False
    for x, _, lo, hi, color in points:
        for xi, l, h in zip(x, lo, hi):
            if np.isfinite(h) and h > lim[1]:
                ax.annotate("", xy=(xi, lim[1]), xytext=(xi, lim[1] - 0.06 * span),
                            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2})
                clipped = True
            if np.isfinite(l) and l < lim[0]:
                ax.annotate("", xy=(xi, lim[0]), xytext=(xi, lim[0] + 0.06 * span),
                            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2})
                clipped = True
    if clipped:
        ax.text(0.99, 0.99, "arrows: interval continues beyond the axis", transform=ax.transAxes, ha="right",
                va="top", fontsize=8, color="#555555")


def _err(row: pd.Series, col: str, divisor: float = 1.0) -> np.ndarray | None:
    """Error-bar extents of ``col`` from its interval columns, or None without an interval."""
    lo, hi, mean = row[f"{col}_ci_lo"], row[f"{col}_ci_hi"], row[col]
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return None
    return np.array([[mean - lo], [hi - mean]]) / divisor


def _symmetric(ax) -> None:
    """Put the origin inside the plane so every quadrant is visible."""
    for get, set_ in ((ax.get_xlim, ax.set_xlim), (ax.get_ylim, ax.set_ylim)):
        lo, hi = get()
        span = max(abs(lo), abs(hi)) * 1.1
        set_(-span, span)


def _ce_text(label: str, row: pd.Series, divisor: float, unit: str) -> list[str]:
    kept, cost = row["households_kept"], row["extra_cost"]
    import textwrap

    out = textwrap.wrap(f"{label}: {CE_CASES[row['case']]}", 64, subsequent_indent="   ") + [
           f"   extra cost {cost / divisor:+,.2f} {unit} [{row['extra_cost_ci_lo'] / divisor:,.2f}, "
           f"{row['extra_cost_ci_hi'] / divisor:,.2f}]",
           f"   households kept above {kept:+,.0f} [{row['households_kept_ci_lo']:,.0f}, "
           f"{row['households_kept_ci_hi']:,.0f}]"]
    ratio = row["yuan_per_household"]
    if np.isfinite(ratio):
        what = {"tradeoff_more": "yuan per extra household kept above",
                "tradeoff_less": "yuan saved per extra household below",
                "dominant": "yuan (a saving) per household kept above",
                "dominated": "yuan per extra household below"}[row["case"]]
        # tradeoff_less: both differences negative, so the ratio is the (positive) saving per household.
        ci = (f"[{row['ratio_ci_lo']:,.0f}, {row['ratio_ci_hi']:,.0f}]" if np.isfinite(row["ratio_ci_lo"])
              else "(no finite interval)")
        shown = ratio
        out.append(f"   = {shown:,.0f} {what} {ci}")
    return out + [""]


def _ce_line(label: str, row: pd.Series) -> list[str]:
    ratio = row["yuan_per_household"]
    value = f": {ratio:,.0f} yuan/household" if np.isfinite(ratio) else ""
    return [f"{label}: {CASE_SHORT[row['case']].split(':')[0].split(' (')[0]}{value}"]


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
    ax.legend(fontsize=9, loc="upper left", ncol=2, framealpha=0.95)

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
    ax.set(title=f"Extra spending over the whole run vs {labels[0]}, by programme",
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
    ax.set(title="Re-entries into poverty (households that had been below before)",
           ylabel="per 1,000 households per year")
    ax.set_ylim(bottom=0)
    year_ticks(ax, [int(y) for y in years], _months(yearly, years))
    year_marker(ax, [int(y) for y in years], meta.get("transition_end"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="upper left")

    ax = axes[0, 1]
    whole = table[table["year"] == "all"]
    xs, bottom = np.arange(len(labels)), np.zeros(len(labels))
    for cause in CAUSES:
        d = whole[whole["measure"] == f"falls_{cause}_rate"].set_index("scenario").reindex(labels)
        v = 1000 * d["mean"].fillna(0).to_numpy(float)
        ax.bar(xs, v, 0.6, bottom=bottom, color=CAUSE_COLORS[cause], label=CAUSE_LABELS[cause])
        bottom += v
    ax.set_xticks(xs, labels, rotation=20 if len(labels) > 3 else 0, ha="right" if len(labels) > 3 else "center")
    ax.set(title="Falls below the line over the whole run, by cause", ylabel="falls per 1,000 households")
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], fontsize=8, loc="upper left", framealpha=0.9)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)

    ax = axes[0, 2]
    for label in labels:
        sp = spell_table(spells.get(label, pd.DataFrame()))
        ax.step(sp["months"], 100 * sp["cum_share"], where="post", color=colors[label], lw=1.8, label=label)
    ax.set(title="Length of ended spells below the line", xlabel="months below the line (60 = 60 or more)",
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
    return save_figure(FIGURES[name](frames, tables, spells, meta), Path(out) / "plots" / f"{name}.png")


def write_comparison_plots(out: str | Path, frames: Mapping[str, pd.DataFrame], tables: Mapping[str, pd.DataFrame],
                           spells: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> list[Path]:
    """Write every ``plots/compare_*.png`` in this process and return their paths."""
    return [draw_figure(name, out, frames, tables, spells, meta) for name in FIGURES]
