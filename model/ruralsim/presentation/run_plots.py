"""Report figures of a run, drawn from the stored time series and income samples.

Figures are built on :class:`matplotlib.figure.Figure` with the Agg canvas (no pyplot, no
global backend switch), so they work headless, in worker processes and in notebooks alike.
Panels are declared as data (:class:`Panel`: title, unit, columns) so adding a metric is a
one-line change. Every line is the mean across replicates with a shaded band showing the 95%
interval of that mean (Student t, the ``ci_lo``/``ci_hi`` of summary.csv), named in the legend:
one uncertainty convention for every level figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ruralsim.presentation import fonts
from ruralsim.presentation.labels import label as _label
from ruralsim.presentation.labels import translate
from ruralsim.presentation.figure_layout import (  # noqa: F401  (run_plots' names, as before the split)
    LEVEL_BAND, DPI, MAX_WIDTH, NOTE_INCHES, _Thousands, _Translating, _band_name, _date_axis, _figure, _finish,
    _n_replicates, _thousands, _wrap, language_path, localise, place_note, save_figure, source_note)


fonts.install()  # the shipped CJK font, so Chinese text never draws as empty boxes

COLORS = {
    "wage_income": "#1f77b4", "operating_income": "#2ca02c", "transfer_income": "#ff7f0e",
    "property_income": "#9467bd", "medical_oop": "#d62728", "mean_income": "#222222",
    "median_income": "#7f7f7f",
}
DIST_COLORS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52")


@dataclass(frozen=True)
class Series:
    """One line: a column, its legend label, and a factor applied before plotting."""

    column: str
    label: str
    scale: float = 1.0
    width: float = 1.6


@dataclass(frozen=True)
class Panel:
    """One axes: title, y-axis unit label and the lines it shows."""

    title: str
    unit: str
    series: tuple[Series, ...]


INCOME_PANELS = (
    Panel("Per-capita net income by source", "yuan per person per year", (
        Series("wage_income", "Wages"),
        Series("operating_income", "Farm & business operation"),
        Series("transfer_income", "Transfers"),
        Series("property_income", "Property & dividends"),
        Series("medical_oop", "Medical out-of-pocket (deducted)", scale=-1.0),
    )),
    Panel("Per-capita net income, total", "yuan per person per year", (
        Series("mean_income", "Mean (sources net of medical costs)", width=2.2),
        Series("median_income", "Median"),
    )),
)
POVERTY_PANELS = (
    Panel("Below the poverty line: registry vs alert", "% of people", (
        Series("poverty_rate_registry", "Registry (calendar-year income, yearly test)", scale=100.0, width=2.4),
        Series("poverty_rate_alert", "Alert (rolling income net of medical, monthly)", scale=100.0, width=1.2),
    )),
    Panel("Ever below the line since 2021", "% of households", (
        Series("ever_below_registry_share", "Registry (a calendar year below)", scale=100.0, width=2.4),
        Series("ever_fallen_share", "Alert (a month below)", scale=100.0, width=1.2),
    )),
    Panel("Monitoring caseload (acts on the alert)", "% of people", (
        Series("monitored_people_share", "People in monitored households", scale=100.0, width=2.0),
    )),
    Panel("Safety net: dibao and tekun (doudi)", "% of people", (
        Series("safety_net_share", "People covered by dibao or tekun", scale=100.0, width=2.0),
    )),
    Panel("Monitored households with risk eliminated", "% of ever-monitored households", (
        Series("risk_eliminated_share", "Risk eliminated", scale=100.0, width=2.0),
    )),
)
COLORS.update({"poverty_rate_registry": "#1f3a93", "poverty_rate_alert": "#d98c1f",
               "ever_below_registry_share": "#1f3a93", "ever_fallen_share": "#d98c1f"})
EMPLOYMENT_PANEL = Panel("Employment of labourers", "% of labourers employed", (
    Series("employment_rate", "Employment rate", scale=100.0, width=2.0),
))


# ---------------------------------------------------------------------------------------------
# Public figure functions
# ---------------------------------------------------------------------------------------------
def plot_income_components(
    ts: pd.DataFrame, meta: Mapping[str, Any] | None = None, transition_end: str | None = None
) -> Figure:
    """Per-capita income by source (medical costs drawn negative) and the total, over time."""
    fig, axes = _figure(len(INCOME_PANELS), width=13.5, height=5.4)
    for ax, panel in zip(axes, INCOME_PANELS):
        _draw_panel(ax, ts, panel, transition_end)
        ax.axhline(0, color="#444444", lw=0.8)
    _finish(fig, ts, meta, "Household income of the formerly-poor cohort")
    return fig


def plot_poverty_and_monitoring(
    ts: pd.DataFrame, transition_end: str | None = None, meta: Mapping[str, Any] | None = None
) -> Figure:
    """Return to poverty on the registry measure with the alert measure beside it, the monitoring
    caseload, 兜底 coverage and the risk-eliminated share, with the transition end."""
    # The key figure of a run report: 10 inches wide, so it shows at the report's width without shrinking
    # its text under 8 pt (presentation/readability.py); five panels in three rows of two, wide enough for
    # a label every second year.
    height = 12.5
    fig = Figure(figsize=(10, height), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, NOTE_INCHES / height, 1, 1 - NOTE_INCHES / height), w_pad=0.06, h_pad=0.1)
    grid = fig.subplots(3, 2, squeeze=False).ravel()
    for ax, panel in zip(grid, POVERTY_PANELS):
        _draw_panel(ax, ts, panel, transition_end, maxticks=7, wrap=40)
        ax.set_ylim(bottom=0)
    for ax in grid[len(POVERTY_PANELS):]:
        ax.set_visible(False)
    _finish(fig, ts, meta, "Return to poverty and dynamic monitoring")
    fig.ruralsim_readable = True  # save_figure checks its text size and ticks (presentation/readability.py)
    return fig


def plot_income_distribution(
    dist: pd.DataFrame,
    poverty_line: float | Mapping[Any, float] | None = None,
    monitoring_line: float | Mapping[Any, float] | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Figure:
    """People-weighted per-capita income distribution at each sampled date (step histograms).

    Lines may be scalars or by-year tables; a by-year line is drawn at each date's value.
    The x axis is clipped at the 99th percentile so the tail does not flatten the body.
    """
    fig, (ax,) = _figure(1, width=10, height=6.0)
    dates = sorted(pd.to_datetime(dist["date"]).unique())
    edges, clip_note = _income_bins(dist)
    for date, color in zip(dates, DIST_COLORS):
        sample = dist[pd.to_datetime(dist["date"]) == date]
        _draw_histogram(ax, sample, edges, color, _dist_label(sample, date, poverty_line))
    _draw_income_lines(ax, dates, poverty_line, "Poverty line", "--")
    _draw_income_lines(ax, dates, monitoring_line, "Monitoring line", ":")
    width = edges[1] - edges[0]
    ax.set(xlim=(edges[0], edges[-1]), xlabel="Per-capita net income (yuan per person per year)",
           ylabel=f"% of people per {width:,.0f}-yuan bin",
           title="Distribution of per-capita income (people-weighted, all replicates pooled)")
    ax.set_ylim(bottom=0)
    _thousands(ax, "both")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8.5, framealpha=0.9)
    _finish(fig, dist, meta, None, extra_note=clip_note, bands=False)
    fig.ruralsim_readable = True  # 10 inches wide: its text reads at 8 pt or more in the report
    return fig


def plot_employment_and_fiscal(
    ts: pd.DataFrame, meta: Mapping[str, Any] | None = None, transition_end: str | None = None
) -> Figure:
    """Employment rate over time, and annual fiscal cost by programme against the budget."""
    fig, (ax_emp, ax_fis) = _figure(2, width=15, height=6.0, ratios=(1, 1.35))
    _draw_panel(ax_emp, ts, EMPLOYMENT_PANEL, transition_end)
    _draw_fiscal(ax_fis, ts)
    _finish(fig, ts, meta, "Employment and fiscal cost")
    return fig


def write_run_plots(
    out_dir: Path | str, ts: pd.DataFrame, dist: pd.DataFrame, meta: Mapping[str, Any] | None
) -> list[Path]:
    """Write the four standard figures to ``out_dir/plots/`` and return their paths.

    ``meta`` keys (all optional): name, version, households, replicates, transition_end,
    poverty_line, monitoring_line.
    """
    meta = dict(meta or {})
    end = meta.get("transition_end")
    plots = Path(out_dir) / "plots"
    figures = {
        "income_components": lambda: plot_income_components(ts, meta, end),
        "poverty_monitoring": lambda: plot_poverty_and_monitoring(ts, end, meta),
        "income_distribution": lambda: plot_income_distribution(
            dist, meta.get("poverty_line"), meta.get("monitoring_line"), meta),
        "employment_fiscal": lambda: plot_employment_and_fiscal(ts, meta, end),
    }
    return [save_figure(build(), plots / f"{name}.png") for name, build in figures.items()]


# ---------------------------------------------------------------------------------------------
# Time-series panels
# ---------------------------------------------------------------------------------------------


def replicate_band(ts: pd.DataFrame, column: str) -> pd.DataFrame:
    """Per date: mean across replicates and the Student-t 95% interval of that mean (the same
    interval as ``ci_lo``/``ci_hi`` of summary.csv; no band with one replicate)."""
    from scipy import stats

    wide = ts.assign(date=pd.to_datetime(ts["date"])).pivot_table(
        index="date", columns="replicate", values=column, aggfunc="mean")
    n = wide.shape[1]
    mean = wide.mean(axis=1)
    if n < 2:
        return pd.DataFrame({"mean": mean, "lo": mean, "hi": mean})
    half = float(stats.t.ppf(0.975, n - 1)) * wide.std(axis=1, ddof=1) / math.sqrt(n)
    return pd.DataFrame({"mean": mean, "lo": mean - half, "hi": mean + half})


def _draw_panel(ax: Axes, ts: pd.DataFrame, panel: Panel, transition_end: str | None, maxticks: int = 12,
                wrap: int = 0) -> None:
    """Draw a panel's series that exist in ``ts`` (missing columns are skipped, not errors); ``wrap``: the
    title's and legend's line width in characters (0: one line)."""
    present = [s for s in panel.series if s.column in ts.columns]
    for i, s in enumerate(present):
        color = COLORS.get(s.column, f"C{i}")
        band = replicate_band(ts, s.column) * s.scale
        ax.fill_between(band.index, band["lo"], band["hi"], color=color, alpha=0.2, lw=0)
        ax.plot(band.index, band["mean"], color=color, lw=s.width, label=s.label)
    if not present:
        ax.text(0.5, 0.5, "not in this run", transform=ax.transAxes, ha="center", color="grey")
    ax.set(title=_wrap(translate(panel.title), wrap), ylabel=panel.unit)
    _transition_marker(ax, transition_end)
    _date_axis(ax, maxticks)
    _thousands(ax)
    ax.grid(alpha=0.3)
    if present:
        from matplotlib.patches import Patch

        handles, labels = ax.get_legend_handles_labels()
        if _n_replicates(ts) >= 2:  # the band convention, named in the legend itself
            handles.append(Patch(color="#888888", alpha=0.3, lw=0))
            labels.append("shaded: " + LEVEL_BAND)
        labels = [_wrap(translate(lb), wrap + 8 if wrap else 0) for lb in labels]
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.08),
                  ncol=1 if len(labels) <= 3 else 2, fontsize=8, frameon=False)


def _transition_marker(ax: Axes, transition_end: str | None) -> None:
    if not transition_end:
        return
    when = pd.Timestamp(transition_end)
    ax.axvline(when, color="#555555", ls="--", lw=1)
    ax.annotate("end of transition", xy=(when, 1), xycoords=("data", "axes fraction"),
                xytext=(3, -3), textcoords="offset points", ha="left", va="top",
                fontsize=8, color="#555555")


# ---------------------------------------------------------------------------------------------
# Fiscal bars
# ---------------------------------------------------------------------------------------------
def annual_fiscal(ts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Annual sums per replicate -> (mean across replicates by year, per-replicate totals).

    The first frame has one column per programme (plus ``other`` when ``fiscal_cost``
    exceeds the programmes' sum), ``budget`` and ``months`` (months simulated that year).
    """
    programmes = [c for c in ts.columns if c.startswith("fiscal_") and c != "fiscal_cost"]
    cols = programmes + [c for c in ("fiscal_cost", "budget") if c in ts.columns]
    year = pd.to_datetime(ts["date"]).dt.year.rename("year")
    per_rep = ts[cols].groupby([ts["replicate"], year]).sum(min_count=1)
    per_rep["months"] = ts.groupby([ts["replicate"], year]).size()
    if "fiscal_cost" not in per_rep:
        per_rep["fiscal_cost"] = per_rep[programmes].sum(axis=1)
    other = per_rep["fiscal_cost"] - per_rep[programmes].sum(axis=1)
    if programmes and (other > 0.005 * per_rep["fiscal_cost"].abs()).any():
        per_rep["fiscal_other"] = other.clip(lower=0)
    elif not programmes:
        per_rep["fiscal_other"] = per_rep["fiscal_cost"]
    mean = per_rep.groupby(level="year").mean()
    mean.columns = [c.removeprefix("fiscal_") for c in mean.columns]
    totals = per_rep["fiscal_cost"].unstack("replicate")
    return mean, totals


def _draw_fiscal(ax: Axes, ts: pd.DataFrame) -> None:
    if not any(c.startswith("fiscal_") for c in ts.columns):
        ax.text(0.5, 0.5, "no fiscal columns in this run", transform=ax.transAxes, ha="center")
        return
    mean, totals = annual_fiscal(ts)
    divisor, unit = _money_unit(max(mean["cost"].max(), mean.get("budget", mean["cost"]).max()))
    # A programme that spent nothing in this run (e.g. new cooperative shares in the baseline) is left out.
    programmes = [c for c in mean.columns if c not in ("cost", "budget", "months") and mean[c].fillna(0).abs().sum() > 0]
    # Fund-financed programmes at the bottom of the stack, so the budget line (which caps only
    # them) can be read against their sub-total.
    from ruralsim.simulation.policy.programmes import FUND_PROGRAMMES

    programmes.sort(key=lambda c: (c not in FUND_PROGRAMMES, c == "other", -mean[c].sum()))
    fund_top = mean[[c for c in programmes if c in FUND_PROGRAMMES]].sum(axis=1).to_numpy() / divisor
    x = np.arange(len(mean))
    bottom = np.zeros(len(mean))
    palette = _palette(len(programmes))
    for name, color in zip(programmes, palette):
        values = mean[name].fillna(0).to_numpy() / divisor
        ax.bar(x, values, 0.72, bottom=bottom, color=color, label=_programme_label(name),
               hatch="//" if name in FUND_PROGRAMMES else None, edgecolor="white", linewidth=0.3)
        bottom += values
    _draw_total_spread(ax, x, totals / divisor, mean["cost"].to_numpy() / divisor)
    if "budget" in mean:
        ax.hlines(mean["budget"] / divisor, x - 0.42, x + 0.42, color="black", lw=2.2,
                  label="Cohesion-fund budget (caps the fund-financed programmes)")
        ax.hlines(fund_top, x - 0.36, x + 0.36, color="white", lw=1.2, linestyles=":",
                  label="Fund-financed sub-total (hatched)")
    partial = mean["months"] < 12
    ax.set_xticks(x, [f"{y}*" if p else str(y) for y, p in zip(mean.index, partial)])
    title = "Fiscal cost by programme per year (mean across replicates)"
    ax.set(title=title, ylabel=unit, xlabel="* partial year" if partial.any() else None)
    _thousands(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    _stack_legend(ax, [_programme_label(p) for p in programmes])


def _stack_legend(ax: Axes, stacked: Sequence[str]) -> None:
    """Legend outside the axes: budget first, then stacked segments top-down as drawn."""
    by_label = dict(zip(*reversed(ax.get_legend_handles_labels())))
    first = [lab for lab in by_label if lab.startswith(("Cohesion-fund budget", "Fund-financed"))]
    order = first + list(reversed(stacked))
    order += [lab for lab in by_label if lab not in order]
    ax.legend([by_label[lab] for lab in order], order, loc="upper left",
              bbox_to_anchor=(1.01, 1), fontsize=8.5, frameon=False)


def _draw_total_spread(ax: Axes, x: np.ndarray, totals: pd.DataFrame, centre: np.ndarray) -> None:
    """Error bars on the stack: spread of the annual total across replicates."""
    if totals.shape[1] < 2:
        return
    lo, hi = (totals.quantile([0.025, 0.975], axis=1).to_numpy() if totals.shape[1] >= 3
              else (totals.min(axis=1).to_numpy(), totals.max(axis=1).to_numpy()))
    yerr = np.vstack([np.clip(centre - lo, 0, None), np.clip(hi - centre, 0, None)])
    ax.errorbar(x, centre, yerr=yerr, fmt="none", ecolor="#333333", capsize=3, lw=1,
                label="Total: range across replicates")


def _money_unit(largest: float) -> tuple[float, str]:
    for divisor, unit in ((1e9, "billion yuan"), (1e6, "million yuan"), (1e3, "thousand yuan")):
        if abs(largest) >= divisor:
            return divisor, unit + " per year"
    return 1.0, "yuan per year"


def _programme_label(name: str) -> str:
    """The programme's name in the label registry (one name in every figure and table)."""
    return _label(f"fiscal_{name}", "en")


def _palette(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Income distribution
# ---------------------------------------------------------------------------------------------
def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float | np.ndarray) -> Any:
    """Quantile of ``values`` where each value counts ``weights`` times (people, not households)."""
    order = np.argsort(values)
    v, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(q, cum, v)


def _income_bins(dist: pd.DataFrame) -> tuple[np.ndarray, str]:
    """Bin edges of a round width from min(0, p0.5) to p99, and a note on what is clipped."""
    inc, w = dist["income"].to_numpy(float), dist["size"].to_numpy(float)
    lo, hi = weighted_quantile(inc, w, [0.005, 0.99])
    lo = min(0.0, lo)
    width = _nice_step((hi - lo) / 60)
    edges = np.arange(math.floor(lo / width) * width, math.ceil(hi / width) * width + width, width)
    above = w[inc > edges[-1]].sum() / w.sum()
    below = w[inc < edges[0]].sum() / w.sum()
    note = f"x axis clipped at {edges[-1]:,.0f} yuan (99th percentile): {above:.1%} of people above"
    if below > 0:
        note += f", {below:.1%} below {edges[0]:,.0f}"
    return edges, note


def _nice_step(raw: float) -> float:
    if not np.isfinite(raw) or raw <= 0:
        return 100.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _draw_histogram(ax: Axes, sample: pd.DataFrame, edges: np.ndarray, color: Any,
                    label: str) -> None:
    w = sample["size"].to_numpy(float)
    counts, _ = np.histogram(sample["income"].to_numpy(float), bins=edges, weights=w)
    pct = 100 * counts / w.sum()
    ax.stairs(pct, edges, fill=True, color=color, alpha=0.18)
    ax.stairs(pct, edges, color=color, lw=1.8, label=label)


def _dist_label(sample: pd.DataFrame, date: Any, poverty_line: Any) -> str:
    inc, w = sample["income"].to_numpy(float), sample["size"].to_numpy(float)
    when = pd.Timestamp(date)
    label = f"{when:%Y-%m}: median {weighted_quantile(inc, w, 0.5):,.0f} yuan"
    line = line_in_year(poverty_line, when.year)
    if line is not None:
        label += f", {w[inc < line].sum() / w.sum():.1%} below poverty line"
    return label


def line_in_year(line: float | Mapping[Any, float] | None, year: int) -> float | None:
    """Value of a scalar or by-year line in ``year`` (latest listed year <= year, else first)."""
    if line is None or not isinstance(line, Mapping):
        return None if line is None else float(line)
    table = {int(k): float(v) for k, v in line.items()}
    eligible = [y for y in table if y <= year]
    return table[max(eligible)] if eligible else table[min(table)]


def _draw_income_lines(ax: Axes, dates: Sequence[Any], line: Any, name: str, style: str) -> None:
    """Vertical reference line(s); one per distinct value, coloured like its first date."""
    values: dict[float, list[int]] = {}
    for i, date in enumerate(dates):
        value = line_in_year(line, pd.Timestamp(date).year)
        if value is not None:
            values.setdefault(value, []).append(i)
    single = len(values) == 1
    for value, idx in values.items():
        year = pd.Timestamp(dates[idx[0]]).year
        color = "black" if single else DIST_COLORS[idx[0] % len(DIST_COLORS)]
        label = f"{name}{'' if single else f' {year}'}: {value:,.0f} yuan"
        ax.axvline(value, color=color, ls=style, lw=1.4, label=label)
