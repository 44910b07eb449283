"""The cost-effectiveness figure of a comparison: fiscal yuan per household kept above the line.

The ratio means different things by sign (see :func:`ruralsim.compare_tables.cost_effectiveness`),
so the figure shows the cost-effectiveness plane (where each scenario lies), the ratio over time
with a marker per case, and a plain-language reading of the last date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..analysis.compare_tables import CE_CASES, reading_column
from .labels import current_lang, translate
from .run_plots import _money_unit, _thousands
from .style import comparison_note, finish, grid, scenario_colors


def plot_cost_effectiveness(frames: Mapping[str, pd.DataFrame], table: pd.DataFrame,
                            meta: Mapping[str, Any]) -> Figure:
    """Cost-effectiveness plane at the last date, the ratio over time, and how to read each case."""
    labels = list(frames)
    colors = scenario_colors(labels)
    ref = labels[0]
    fig, axes = grid(1, 3, 21, 7.0, per_row=1, width_ratios=(1, 1, 0.85))
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
        col = reading_column(r0)
        ax.scatter(r0[col] - s[col], (s["fiscal_cost_cum"] - r0["fiscal_cost_cum"])
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
    compact = len(labels) > 5  # many scenarios: one legend (right), text one line per scenario
    if not compact:  # beside the plane: inside, "best" could cover a quadrant's label
        ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)

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
    axes[0, 2].legend(handles, names, fontsize=8 if compact else 8.5, loc="lower left", ncol=2 if compact else 1,
                      title="scenario colours (both panels); ratio panel: marker = case" if compact
                      else "ratio panel: marker = case", title_fontsize=8.5, framealpha=0.95)

    ax = axes[0, 2]
    ax.axis("off")
    lines = [f"At {last}, compared with {ref}:", ""]
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
                "dominated": ("v", True), "better_cost_unclear": ("D", False), "worse_cost_unclear": ("d", False),
                "no_effect": ("x", True)}
CASE_SHORT = {"tradeoff_more": "costs more: yuan per extra household kept above",
              "tradeoff_less": "saves money: yuan saved per extra household below",
              "dominant": "dominant (cheaper and better; negative)",
              "dominated": "dominated (dearer and worse; negative)",
              "better_cost_unclear": "fewer below, cost unclear: yuan per household kept above",
              "worse_cost_unclear": "more below, cost unclear: yuan per extra household below",
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


#: What the ratio of each case counts, in each language (the reading panel's last line).
RATIO_WHAT = {
    "tradeoff_more": ("yuan per extra household kept above", "元/每多保持一户在线上"),
    "tradeoff_less": ("yuan saved per extra household below", "元/每多一户线下所节省"),
    "dominant": ("yuan (a saving) per household kept above", "元（节省）/每保持一户在线上"),
    "dominated": ("yuan per extra household below", "元/每多一户线下"),
    "better_cost_unclear": ("yuan per household kept above (cost unclear)", "元/每保持一户在线上（成本不明）"),
    "worse_cost_unclear": ("yuan per extra household below (cost unclear)", "元/每多一户线下（成本不明）"),
}


def _ce_text(label: str, row: pd.Series, divisor: float, unit: str) -> list[str]:
    """The reading of one scenario, composed in the figure's language (a Chinese line is wrapped at
    fewer characters: each is about twice as wide)."""
    import textwrap

    zh = current_lang() == "zh"
    kept, cost = row["households_kept"], row["extra_cost"]
    case = row["case"]
    head = f"{label}：{translate(CE_CASES[case])}" if zh else f"{label}: {CE_CASES[case]}"
    cost_ci = f"[{row['extra_cost_ci_lo'] / divisor:,.2f}, {row['extra_cost_ci_hi'] / divisor:,.2f}]"
    kept_ci = f"[{row['households_kept_ci_lo']:,.0f}, {row['households_kept_ci_hi']:,.0f}]"
    if zh:
        out = textwrap.wrap(head, 32, subsequent_indent="   ") + [
            f"   新增支出 {cost / divisor:+,.2f} {translate(unit)} {cost_ci}",
            f"   保持在线上的户数 {kept:+,.0f} {kept_ci}"]
    else:
        out = textwrap.wrap(head, 64, subsequent_indent="   ") + [
            f"   extra cost {cost / divisor:+,.2f} {unit} {cost_ci}",
            f"   households kept above {kept:+,.0f} {kept_ci}"]
    ratio = row["yuan_per_household"]
    if np.isfinite(ratio):
        what = RATIO_WHAT[case][1 if zh else 0]
        # tradeoff_less: both differences negative, so the ratio is the (positive) saving per household.
        ci = (f"[{row['ratio_ci_lo']:,.0f}, {row['ratio_ci_hi']:,.0f}]" if np.isfinite(row["ratio_ci_lo"])
              else "（无有限区间）" if zh else "(no finite interval)")
        out.append(f"   = {ratio:,.0f} {what} {ci}")
    return out + [""]


def _ce_line(label: str, row: pd.Series) -> list[str]:
    """One line per scenario (many scenarios): the case's short name and the ratio."""
    ratio = row["yuan_per_household"]
    if current_lang() == "zh":
        value = f"：{ratio:,.0f} 元/户" if np.isfinite(ratio) else ""
        return [f"{label}：{translate(CASE_SHORT[row['case']]).split('：')[0].split('（')[0]}{value}"]
    value = f": {ratio:,.0f} yuan/household" if np.isfinite(ratio) else ""
    return [f"{label}: {CASE_SHORT[row['case']].split(':')[0].split(' (')[0]}{value}"]
