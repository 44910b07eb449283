"""Figures of a sweep, drawn from its stored tables (so ``ruralsim plot`` can redraw them).

* grids: outcomes against the first parameter, one line per level of the second, with the band
  across replicates (``lines.png``); heat maps over the first two parameters, one panel per level of
  a third (``heatmap_<outcome>.png``); monthly paths of a series by parameter level (``paths_*.png``);
* Sobol': first-order and total indices with 95% intervals (``sobol_indices.png``);
* Morris: mu* with its 95% interval, and sigma (``morris_indices.png``);
* Latin hypercube and tables: point means against each parameter (``scatter_<outcome>.png``)
  and rank correlations (``rank_correlations.png``).

Parameters beyond those a figure shows are averaged over, and the figure says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..analysis.sweep import outcomes as oc
from ..analysis.sweep.analysis import band, coded
from ..simulation.inputs.parameters import PARAMS_BY_KEY
from .labels import current_lang, translate
from .fonts import install as _install_fonts

_install_fonts()  # before any figure is made: its texts take the font family when created

NOTE_INCHES = 0.34
MAX_PANELS = 9
MAX_HUES = 8


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def figure(n: int, ncols: int = 3, panel: tuple[float, float] = (4.6, 3.5), extra_width: float = 0.0,
           sharey: bool = False) -> tuple[Figure, list[Axes]]:
    """Constrained-layout figure with ``n`` panels (``ncols`` per row, fewer when they would not fit the
    report's readable width, :data:`ruralsim.presentation.run_plots.MAX_WIDTH`) and room for a source note."""
    from .run_plots import MAX_WIDTH

    fits = max(1, int((MAX_WIDTH - extra_width) // panel[0]))
    ncols = max(1, min(ncols, n, fits))
    nrows = math.ceil(n / ncols)
    width = min(max(panel[0] * ncols + extra_width, 7.5), MAX_WIDTH)
    height = panel[1] * nrows + 0.9
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharey=sharey).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def save(fig: Figure, path: Any) -> Any:
    """Write a figure as PNG atomically (see :func:`ruralsim.plots.save_figure`)."""
    from .run_plots import save_figure

    # Levels of a factor may legitimately give the same outcome (one that does not move it): exempt
    # them from the duplicate-series rule of presentation.hygiene.
    fig.ruralsim_scenarios = tuple(line.get_label() for ax in fig.axes for line in ax.get_lines())
    return save_figure(fig, path)


def finish(fig: Figure, title: str, note: str) -> None:
    """Title, and the source note wrapped to the figure's width below the panels."""
    import textwrap

    width, height = fig.get_size_inches()
    title, note = translate(title), translate(note)  # whole, before wrapping breaks the sentences apart
    lines = textwrap.wrap(note, width=_chars(max(60, int(width * 17.5))))
    room = NOTE_INCHES + 0.14 * (len(lines) - 1)
    # A figure legend below the panels (the heatmaps' noise key) sits between panels and note; one placed
    # "outside right" (the lines' and paths' level key) stays where constrained layout put it.
    bottom = [legend for legend in fig.legends if getattr(legend, "_outside_loc", None) is None]
    for legend in bottom:
        legend.set_bbox_to_anchor((0.5, (room + 0.02) / height), transform=fig.transFigure)
        legend._loc = 8  # lower center of that anchor
    room += 0.3 * len(bottom)
    fig.get_layout_engine().set(rect=(0, room / height, 1, 1 - room / height), w_pad=0.06, h_pad=0.06)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    fig.text(0.006, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=7.5, color="#555555",
             linespacing=1.3)


def source_note(meta: Mapping[str, Any], extra: str = "") -> str:
    """``ruralsim <v> · experiment <name> (<design>, base scenario <s>) · P points × R replicates × H households × M months``."""
    text = (f"ruralsim {meta.get('version', '?')} · experiment {meta.get('name')} ({meta.get('method')} design, "
            f"base scenario {meta.get('scenario')}) · {meta.get('points')} points × {meta.get('replicates')} "
            f"replicate{'s' if meta.get('replicates') != 1 else ''} × {meta.get('households', 0):,} households × "
            f"{meta.get('months')} months")
    if meta.get("failed"):
        text += f" · {meta['failed']} failed run(s) left out"
    return text + (" · " + extra if extra else "")


def factor_label(f: Mapping[str, Any]) -> str:
    key = f["key"]
    unit = "× base scenario value" if f.get("scale") else PARAMS_BY_KEY[key].unit if key in PARAMS_BY_KEY else ""
    return f"{key} ({unit})" if unit and unit != "-" else key


def level_title(f: Mapping[str, Any], level: Any) -> str:
    """``monitoring.detection_delay = 2``; a multiplier says what it multiplies."""
    return f"{f['key']} = {_show(level)}" + (" × base" if f.get("scale") else "")


def outcome_title(outcome: str) -> tuple[str, str, float]:
    """(title, unit, factor) of an outcome; the title comes from the one label registry, so a series has
    one name in every figure."""
    from .labels import lookup

    title, unit, factor = oc.label(outcome)
    if outcome not in oc.DERIVED:
        col, stat = oc.split_outcome(outcome)
        entry = lookup(col)
        if entry is not None:
            title = f"{entry.en}, {oc.STATS[stat]}"
    return title, unit, factor


def _fmt_number(x: float, largest: float) -> str:
    """A cell label with as many decimals as the largest value's size calls for (3 digits or so)."""
    if not np.isfinite(x):
        return ""
    a = abs(largest)
    decimals = 0 if a >= 100 else 1 if a >= 10 else 2 if a >= 0.1 else 3
    return f"{x:,.{decimals}f}"


def thousands(ax: Axes, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda x, pos: f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def is_categorical(f: Mapping[str, Any]) -> bool:
    vals = f.get("values")
    return vals is not None and not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)


def _levels(runs: pd.DataFrame, f: Mapping[str, Any]) -> list[Any]:
    """Levels of a factor in the order listed (for listed values) or sorted."""
    present = list(pd.unique(runs[f["column"]].dropna()))
    if f.get("values") is not None:
        order = {str(v): i for i, v in enumerate(f["values"])}
        return sorted(present, key=lambda v: order.get(str(v), len(order)))
    return sorted(present)


def _xpos(values: pd.Series, f: Mapping[str, Any], levels: list[Any]) -> np.ndarray:
    if is_categorical(f):
        pos = {str(v): i for i, v in enumerate(levels)}
        return np.array([pos[str(v)] for v in values], dtype=float)
    return values.to_numpy(dtype=float)


def _collapse(runs: pd.DataFrame, keep: Sequence[str], outcome: str) -> pd.DataFrame:
    """Mean over the parameters not in ``keep`` per replicate, then mean and band across replicates."""
    ok = runs[runs["status"] == "ok"]
    per_rep = ok.groupby([*keep, "replicate"], dropna=False)[outcome].mean().reset_index()
    rows = []
    for key, g in per_rep.groupby(list(keep), dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        lo, hi = band(g[outcome].to_numpy())
        v = g[outcome].to_numpy(dtype=float)
        se = float(np.std(v, ddof=1) / np.sqrt(len(v))) if len(v) > 1 else np.nan
        rows.append({**dict(zip(keep, key)), "mean": g[outcome].mean(), "lo": lo, "hi": hi, "n": len(g), "se": se})
    return pd.DataFrame(rows, columns=[*keep, "mean", "lo", "hi", "n", "se"])


#: The uncertainty convention of sweep heatmaps, named in their legend.
NOISE_LABEL = "hatched: within noise of every neighbour (difference inside its 95% interval)"


def within_noise(mean: np.ndarray, se: np.ndarray) -> np.ndarray:
    """Cells of a grid whose difference from each existing neighbour (left, right, below, above) is
    inside ``1.96 * sqrt(se_a**2 + se_b**2)``: their colour step could be replicate noise alone.
    Cells without a standard error (one replicate) or without neighbours are not flagged."""
    flagged = np.zeros(mean.shape, dtype=bool)
    rows, cols = mean.shape
    for i in range(rows):
        for j in range(cols):  # grids are small (a few levels per axis): plain loops read best
            if not (np.isfinite(mean[i, j]) and np.isfinite(se[i, j])):
                continue
            near = [(i + di, j + dj) for di, dj in ((0, 1), (0, -1), (1, 0), (-1, 0))
                    if 0 <= i + di < rows and 0 <= j + dj < cols and np.isfinite(mean[i + di, j + dj])
                    and np.isfinite(se[i + di, j + dj])]
            flagged[i, j] = bool(near) and all(
                abs(mean[i, j] - mean[a, b]) <= 1.96 * np.hypot(se[i, j], se[a, b]) for a, b in near)
    return flagged


def _hue_colors(n: int, sequential: bool) -> list[Any]:
    from matplotlib import colormaps

    if sequential and n > 3:
        cmap = colormaps["viridis"]
        return [cmap(0.05 + 0.85 * i / max(n - 1, 1)) for i in range(n)]
    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def _show(v: Any) -> str:
    if isinstance(v, (float, np.floating)):
        return f"{v:g}"
    return str(v)


# ---------------------------------------------------------------------------------------------
# Grids
# ---------------------------------------------------------------------------------------------
def plot_lines(runs: pd.DataFrame, factors: Sequence[Mapping[str, Any]], outcomes: Sequence[str],
               meta: Mapping[str, Any]) -> Figure:
    """Each outcome against the first parameter; one line per level of the second; bands across replicates."""
    fx = factors[0]
    fh = factors[1] if len(factors) > 1 else None
    shown = list(outcomes)[:MAX_PANELS]
    fig, axes = figure(len(shown), ncols=3 if len(shown) > 4 else 2 if len(shown) > 1 else 1)
    xlevels = _levels(runs, fx)
    hlevels = _levels(runs, fh) if fh is not None else [None]
    colors = _hue_colors(len(hlevels), sequential=fh is not None and not is_categorical(fh))
    keep = [fx["column"]] + ([fh["column"]] if fh is not None else [])
    for ax, outcome in zip(axes, shown):
        title, unit, factor = outcome_title(outcome)
        table = _collapse(runs, keep, outcome)
        for level, color in zip(hlevels, colors):
            sub = table if fh is None else table[table[fh["column"]].astype(str) == str(level)]
            sub = sub.assign(_x=_xpos(sub[fx["column"]], fx, xlevels)).sort_values("_x")
            label = None if fh is None else _show(level)
            ax.fill_between(sub["_x"], sub["lo"] * factor, sub["hi"] * factor, color=color, alpha=0.18, lw=0)
            ax.plot(sub["_x"], sub["mean"] * factor, "-o", color=color, lw=1.8, ms=3.5, label=label)
        if is_categorical(fx):
            ax.set_xticks(range(len(xlevels)), [_show(v) for v in xlevels])
        ax.set_title(_wrap(title, 48), fontsize=10)
        ax.set_ylabel(unit)
        ax.set_xlabel(factor_label(fx))
        thousands(ax)
        ax.grid(alpha=0.3)
    if fh is not None:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, title=factor_label(fh), loc="outside right center", fontsize=8.5,
                   title_fontsize=8.5, frameon=False)
    others = [f["key"] for f in factors[2:]]
    extra = "lines: mean across replicates; shaded: " + ("2.5–97.5 percentile range" if meta.get("replicates", 1) >= 3
                                                         else "min–max range") + " across replicates"
    if others:
        extra += " · averaged over " + ", ".join(others)
    finish(fig, f"{meta.get('name')}: outcomes against {fx['key']}", source_note(meta, extra))
    return fig


def plot_heatmap(runs: pd.DataFrame, factors: Sequence[Mapping[str, Any]], outcome: str,
                 meta: Mapping[str, Any]) -> Figure:
    """Mean outcome over the first two parameters; one panel per level of a third (others averaged)."""
    fx, fy = factors[0], factors[1]
    fp = factors[2] if len(factors) > 2 else None
    plevels = _levels(runs, fp) if fp is not None else [None]
    if len(plevels) > 6:
        fp, plevels = None, [None]
    keep = [fx["column"], fy["column"]] + ([fp["column"]] if fp is not None else [])
    table = _collapse(runs, keep, outcome)
    title, unit, factor = outcome_title(outcome)
    xl, yl = _levels(runs, fx), _levels(runs, fy)
    fig, axes = figure(len(plevels), ncols=min(3, len(plevels)), panel=(max(4.2, 0.62 * len(xl) + 2.2),
                                                                        max(3.4, 0.42 * len(yl) + 1.8)))
    values = table["mean"].to_numpy(dtype=float) * factor
    vmin, vmax = (np.nanmin(values), np.nanmax(values)) if np.isfinite(values).any() else (0, 1)
    image, noisy = None, False
    for ax, level in zip(axes, plevels):
        sub = table if fp is None else table[table[fp["column"]].astype(str) == str(level)]
        grid = np.full((len(yl), len(xl)), np.nan)
        xi = {str(v): i for i, v in enumerate(xl)}
        yi = {str(v): i for i, v in enumerate(yl)}
        rows = [yi[str(v)] for v in sub[fy["column"]]]
        cols = [xi[str(v)] for v in sub[fx["column"]]]
        grid[rows, cols] = sub["mean"].to_numpy(dtype=float) * factor
        se = np.full_like(grid, np.nan)
        se[rows, cols] = sub["se"].to_numpy(dtype=float) * abs(factor)
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
        for i, j in zip(*np.nonzero(within_noise(grid, se))):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#dddddd", lw=0))
            noisy = True
        largest = max(abs(vmin), abs(vmax))
        for (i, j), v in np.ndenumerate(grid):
            if np.isfinite(v):
                dark = (v - vmin) / (vmax - vmin) > 0.6 if vmax > vmin else False
                ax.text(j, i, _fmt_number(v, largest), ha="center", va="center", fontsize=7.5,
                        color="black" if dark else "white")
        ax.set_xticks(range(len(xl)), [_show(v) for v in xl], fontsize=8)
        ax.set_yticks(range(len(yl)), [_show(v) for v in yl], fontsize=8)
        ax.set_xlabel(factor_label(fx))
        ax.set_ylabel(factor_label(fy))
        if fp is not None:
            ax.set_title(level_title(fp, level), fontsize=10)
    cbar = fig.colorbar(image, ax=axes, shrink=0.9, pad=0.02)
    cbar.set_label(unit)
    cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda x, pos: f"{x:,.0f}" if abs(x) >= 1000 else f"{x:g}"))
    if int(table["n"].max() if len(table) else 1) >= 2:  # the convention, named in a legend of its own
        fig.legend([Rectangle((0, 0), 1, 1, fill=False, hatch="///", edgecolor="#555555")],
                   [NOISE_LABEL + ("" if noisy else " (none here)")], loc="lower center", fontsize=8,
                   frameon=False)
    others = [f["key"] for f in factors[2:] if fp is None or f["key"] != fp["key"]]
    extra = "cells: mean across replicates" + (" · averaged over " + ", ".join(others) if others else "")
    # Wrapped to the figure's width (13 pt bold: ~8 characters per inch), so the title is never clipped.
    finish(fig, _wrap(f"{meta.get('name')}: {title}", max(30, int(fig.get_size_inches()[0] * 8))),
           source_note(meta, extra))
    return fig


def plot_paths(series: pd.DataFrame, runs: pd.DataFrame, factors: Sequence[Mapping[str, Any]], column: str,
               meta: Mapping[str, Any]) -> Figure:
    """Monthly path of ``column``: one line per level of the first parameter, a panel per level of the second."""
    fx = factors[0]
    fp = factors[1] if len(factors) > 1 else None
    plevels = _levels(runs, fp) if fp is not None else [None]
    if len(plevels) > 6:
        fp, plevels = None, [None]
    keep = [fx["column"]] + ([fp["column"]] if fp is not None else [])
    ok = runs[runs["status"] == "ok"][["run_id", "replicate", *keep]]
    data = series.drop(columns=[c for c in ("replicate",) if c in series.columns]).merge(ok, on="run_id")
    data["date"] = pd.to_datetime(data["date"])
    per_rep = data.groupby([*keep, "replicate", "date"], dropna=False)[column].mean().reset_index()
    title, unit, factor = oc.LABELS.get(column, (column.replace("_", " ").capitalize(), "", 1.0))
    xl = _levels(runs, fx)
    colors = _hue_colors(len(xl), sequential=not is_categorical(fx))
    fig, axes = figure(len(plevels), ncols=min(3, len(plevels)), panel=(5.0, 3.8), sharey=True)
    for ax, level in zip(axes, plevels):
        sub = per_rep if fp is None else per_rep[per_rep[fp["column"]].astype(str) == str(level)]
        for value, color in zip(xl, colors):
            line = sub[sub[fx["column"]].astype(str) == str(value)]
            if line.empty:
                continue
            g = line.groupby("date")[column]
            mean = g.mean() * factor
            lo = g.quantile(0.025) * factor if meta.get("replicates", 1) >= 3 else g.min() * factor
            hi = g.quantile(0.975) * factor if meta.get("replicates", 1) >= 3 else g.max() * factor
            ax.fill_between(mean.index, lo, hi, color=color, alpha=0.10, lw=0)
            ax.plot(mean.index, mean, color=color, lw=1.5, label=_show(value))
        if fp is not None:
            ax.set_title(level_title(fp, level), fontsize=10)
        ax.set_ylabel(unit)
        locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        thousands(ax)
        ax.grid(alpha=0.3)
    axes[0].set_ylim(bottom=0)  # shared: after every panel is drawn
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, title=factor_label(fx), loc="outside right center", fontsize=8.5,
               title_fontsize=8.5, frameon=False)
    others = [f["key"] for f in factors[1:] if fp is None or f["key"] != fp["key"]]
    extra = "lines: mean across replicates; shaded: replicate range" + (
        " · averaged over " + ", ".join(others) if others else "")
    finish(fig, f"{meta.get('name')}: {title.lower() if title[1:2].islower() else title} by month",
           source_note(meta, extra))
    return fig


# ---------------------------------------------------------------------------------------------
# Sensitivity indices
# ---------------------------------------------------------------------------------------------
def plot_sobol(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Horizontal bars: total (light) and first-order (dark) Sobol' indices with 95% intervals."""
    outs = list(dict.fromkeys(table["outcome"]))[:MAX_PANELS]
    n_par = table["parameter"].nunique()
    fig, axes = figure(len(outs), ncols=2 if len(outs) in (2, 4) else min(3, len(outs)),
                       panel=(5.6, 0.34 * n_par + 1.6))
    for ax, outcome in zip(axes, outs):
        sub = table[table["outcome"] == outcome].sort_values("ST")
        y = np.arange(len(sub))
        ax.barh(y + 0.18, sub["ST"], 0.36, xerr=sub["ST_conf"], color="#9ecae1", ecolor="#555555",
                capsize=2, label="Total (ST)")
        ax.barh(y - 0.18, sub["S1"], 0.36, xerr=sub["S1_conf"], color="#08519c", ecolor="#555555",
                capsize=2, label="First order (S1)")
        ax.set_yticks(y, sub["parameter"], fontsize=8)
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_xlabel("share of output variance")
        ax.set_title(_wrap(outcome_title(outcome)[0], 50), fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8, framealpha=0.9)
    finish(fig, f"{meta.get('name')}: which inputs drive the outcomes (Sobol' indices)",
           source_note(meta, "bars: indices of the replicate mean; whiskers: 95% bootstrap intervals"))
    return fig


def plot_morris(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    """Horizontal bars of mu* (95% interval) with sigma beside it, per outcome, in the outcome's unit."""
    outs = list(dict.fromkeys(table["outcome"]))[:MAX_PANELS]
    n_par = table["parameter"].nunique()
    fig, axes = figure(len(outs), ncols=2 if len(outs) in (2, 4) else min(3, len(outs)),
                       panel=(5.6, 0.34 * n_par + 1.6))
    for ax, outcome in zip(axes, outs):
        title, unit, factor = outcome_title(outcome)
        sub = table[table["outcome"] == outcome].sort_values("mu_star")
        y = np.arange(len(sub))
        ax.barh(y + 0.18, sub["mu_star"] * factor, 0.36, xerr=sub["mu_star_conf"] * factor, color="#d95f02",
                ecolor="#555555", capsize=2, label="mu* (mean |effect|)")
        ax.barh(y - 0.18, sub["sigma"] * factor, 0.36, color="#fdd0a2", label="sigma (spread of effects)")
        ax.set_yticks(y, sub["parameter"], fontsize=8)
        ax.set_xlabel(f"{unit} per Morris step")
        ax.set_title(_wrap(title, 50), fontsize=10)
        thousands(ax, "x")
        ax.grid(axis="x", alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8, framealpha=0.9)
    finish(fig, f"{meta.get('name')}: elementary effects (Morris screening)",
           source_note(meta, f"a step is {meta.get('morris_step', '2/3')} of each parameter's range; "
                             "whiskers: 95% bootstrap intervals of mu*"))
    return fig


def plot_scatter(points: pd.DataFrame, means: pd.DataFrame, factors: Sequence[Mapping[str, Any]], outcome: str,
                 rho: Mapping[str, float], meta: Mapping[str, Any]) -> Figure:
    """Point means of one outcome against each parameter, with the rank correlation in each title."""
    title, unit, factor = outcome_title(outcome)
    shown = list(factors)[:MAX_PANELS]
    fig, axes = figure(len(shown), ncols=min(4, len(shown)), panel=(3.6, 3.0))
    y = means[outcome].to_numpy(dtype=float) * factor
    for ax, f in zip(axes, shown):
        x = coded(points[f["column"]], f)
        ax.scatter(x, y, s=10, alpha=0.6, color="#3182bd", edgecolor="none")
        if is_categorical(f):
            ax.set_xticks(range(len(f["values"])), [_show(v) for v in f["values"]], fontsize=8)
        r = rho.get(f["column"], float("nan"))
        ax.set_title(f"Spearman ρ = {r:+.2f}" if np.isfinite(r) else "ρ undefined", fontsize=9)
        ax.set_xlabel(_wrap(factor_label(f), 34), fontsize=8.5)
        ax.set_ylabel(unit, fontsize=8.5)
        thousands(ax)
        ax.grid(alpha=0.3)
    finish(fig, _wrap(f"{meta.get('name')}: {title}", 100), source_note(meta, "dots: mean across replicates per point"))
    return fig


def plot_rank_correlations(table: pd.DataFrame, meta: Mapping[str, Any]) -> Figure:
    outs = list(dict.fromkeys(table["outcome"]))[:MAX_PANELS]
    n_par = table["parameter"].nunique()
    fig, axes = figure(len(outs), ncols=min(3, len(outs)), panel=(5.0, 0.32 * n_par + 1.5))
    for ax, outcome in zip(axes, outs):
        sub = table[table["outcome"] == outcome].assign(a=lambda d: d["spearman_rho"].abs()).sort_values("a")
        colors = np.where(sub["spearman_rho"] >= 0, "#d95f02", "#1b9e77")
        ax.barh(np.arange(len(sub)), sub["spearman_rho"], color=colors)
        ax.set_yticks(np.arange(len(sub)), sub["parameter"], fontsize=8)
        ax.axvline(0, color="#444444", lw=0.8)
        ax.set_xlim(-1, 1)
        ax.set_xlabel("Spearman rank correlation with the outcome")
        ax.set_title(_wrap(outcome_title(outcome)[0], 50), fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    finish(fig, f"{meta.get('name')}: rank correlations of inputs and outcomes",
           source_note(meta, "orange: outcome rises with the input; green: falls"))
    return fig


def point_labels(points: pd.DataFrame, factors: Sequence[Mapping[str, Any]], width: int = 44) -> list[str]:
    """Short labels of table rows: the first row in full, the others by what differs from it."""
    cols = [f["column"] for f in factors]
    first = points.iloc[0]
    labels = []
    for k, (_, row) in enumerate(points.iterrows()):  # a loop over a few design rows
        diff = [c for c in cols if k == 0 or str(row[c]) != str(first[c])]
        text = ", ".join(f"{c} = {_show(row[c])}" for c in diff) or "same as row 1"
        labels.append(_wrap(f"{k + 1}: {text}", width))
    return labels


def plot_points(runs: pd.DataFrame, points: pd.DataFrame, factors: Sequence[Mapping[str, Any]],
                outcomes: Sequence[str], meta: Mapping[str, Any]) -> Figure:
    """Each design row's outcome as a bar (mean across replicates) with the replicate band as whiskers."""
    shown = list(outcomes)[:4]
    labels = point_labels(points, factors)
    lines = sum(lab.count("\n") + 1 for lab in labels)
    fig, axes = figure(len(shown), ncols=len(shown), panel=(3.6, 0.2 * lines + 0.25 * len(points) + 1.4),
                       extra_width=3.2, sharey=True)
    y = np.arange(len(points))[::-1]
    for ax, outcome in zip(axes, shown):
        title, unit, factor = outcome_title(outcome)
        t = _collapse(runs, ["point"], outcome).set_index("point").reindex(points["point"])
        mean, lo, hi = (t[c].to_numpy(dtype=float) * factor for c in ("mean", "lo", "hi"))
        err = np.vstack([np.clip(mean - lo, 0, None), np.clip(hi - mean, 0, None)])
        ax.barh(y, mean, 0.7, xerr=err, color="#6baed6", ecolor="#333333", capsize=2)
        ax.set_xlabel(unit)
        ax.set_title(_wrap(title, 34), fontsize=9.5)
        thousands(ax, "x")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(y, labels, fontsize=7.5)
    finish(fig, f"{meta.get('name')}: outcomes of each design row",
           source_note(meta, "bars: mean across replicates; whiskers: " + ("2.5–97.5 percentile range"
                              if meta.get("replicates", 1) >= 3 else "min–max range") + " across replicates; "
                              "rows are labelled by what differs from row 1"))
    return fig


def _wrap(text: str, width: int) -> str:
    """A text on lines of ``width`` Latin characters, translated first (a wrapped text is no longer one
    sentence to look up)."""
    import textwrap

    text, width = translate(text), _chars(width)
    if current_lang() == "zh":  # never break an id (a parameter key) between lines
        text = re.sub(r"(?<=[A-Za-z0-9_\]])（", " （", text)
        width = max([width, *(len(k) for k in re.findall(r"[A-Za-z0-9_.\[\]]+", text))])
    return "\n".join(textwrap.wrap(text, width)) or text


def _chars(width: int) -> int:
    """Characters per line for a width given in Latin letters: a Chinese character is about 1.7 as wide."""
    return max(12, int(width / 1.7)) if current_lang() == "zh" else width
