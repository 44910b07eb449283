"""Fiscal cost of a run: spending by programme and year, and the total against the budget.

Each programme books what it spends every month (``fiscal_<programme>``, yuan for the simulated
sample); ``fund_spending`` is the part financed by the central cohesion fund, which is what the
``budget`` (the sample's monthly share of the fund, A04) caps. Here they are summed per calendar
year and replicate, then summarised across replicates (mean, Student-t 95% interval). Yuan are
for the simulated sample; ``*_per_household`` columns divide by its households so scenarios of
different sizes can be read together.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .compare_stats import summarise_frame, widen

TOTALS = ("fiscal_cost", "fund_spending", "budget")


def programme_columns(ts: pd.DataFrame) -> list[str]:
    """The per-programme spending columns (``fiscal_<name>``; not the ``fiscal_cost`` total or the
    ``fiscal_cost_year``/``fiscal_cost_cum`` columns a comparison derives from it)."""
    return [c for c in ts.columns if c.startswith("fiscal_") and not c.startswith("fiscal_cost")]


def label(programme: str) -> str:
    """Report label of a programme given as ``fiscal_<name>`` or ``<name>``."""
    from .presentation.labels import label as registry_label

    return registry_label("fiscal_" + programme.removeprefix("fiscal_"), "en")


def yearly_fiscal(ts: pd.DataFrame) -> pd.DataFrame:
    """Per replicate and calendar year: spending by programme, totals, budget and budget shares."""
    cols = programme_columns(ts) + [c for c in TOTALS if c in ts.columns]
    year = pd.to_datetime(ts["date"]).dt.year.rename("year")
    grouped = ts.groupby([ts["replicate"], year])
    per = grouped[cols].sum()
    per["months"] = grouped.size()
    per["households"] = grouped["households"].mean()
    if "fiscal_cost" not in per:
        per["fiscal_cost"] = per[programme_columns(ts)].sum(axis=1)
    per["fiscal_cost_per_household"] = per["fiscal_cost"] / per["households"]
    if "budget" in per:
        budget = per["budget"].where(per["budget"] > 0)
        per["cost_share_of_budget"] = per["fiscal_cost"] / budget
        if "fund_spending" in per:
            per["fund_share_of_budget"] = per["fund_spending"] / budget
    return per.reset_index()


def fiscal_tables(ts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``by_programme`` (long: year x programme) and ``budget`` (one row per year) tables."""
    per = yearly_fiscal(ts)
    programmes = programme_columns(ts)
    info = per.groupby("year")[["months", "households"]].mean().reset_index()
    long = summarise_frame(per, ["year"], [*programmes, "fiscal_cost"])
    long["programme"] = long.pop("measure").str.removeprefix("fiscal_").replace({"cost": "total"})
    total = long[long["programme"] == "total"].set_index("year")["mean"]
    long["share_of_total"] = long["mean"] / long["year"].map(total).where(lambda s: s > 0)
    by_programme = info.merge(long, on="year")[
        ["year", "months", "programme", "mean", "lo", "hi", "ci_lo", "ci_hi", "n", "share_of_total"]]
    measures = [c for c in ("fiscal_cost", "fund_spending", "budget", "fund_share_of_budget",
                            "cost_share_of_budget", "fiscal_cost_per_household") if c in per]
    budget = info.merge(widen(summarise_frame(per, ["year"], measures), ["year"]), on="year")
    return {"by_programme": by_programme, "budget": budget}


def plot_fiscal(tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
                meta: Mapping[str, Any] | None = None) -> Figure:
    """Spending by programme and year (stacked, with the total's interval) and budget use."""
    from .figures import finish, grid, grouped_bars, run_note, year_marker, year_ticks
    from .plots import _money_unit, _palette, _thousands
    from .programmes import FUND_PROGRAMMES

    prog = tables["by_programme"]
    budget = tables["budget"].set_index("year")
    years = [int(y) for y in budget.index]
    months = budget["months"].tolist()
    end = (meta or {}).get("transition_end")
    wide = prog.pivot(index="year", columns="programme", values="mean").reindex(years)
    names = [c for c in wide.columns if c != "total"]
    # Fund-financed programmes at the bottom, so the budget (which caps only them) reads against them.
    names.sort(key=lambda c: (c not in FUND_PROGRAMMES, -wide[c].sum()))
    divisor, unit = _money_unit(max(wide["total"].max(), budget.get("budget", wide["total"]).max()))
    fig, axes = grid(1, 2, 16, 7.0, width_ratios=(1.6, 1))
    ax = axes[0, 0]
    x, bottom = np.arange(len(years)), np.zeros(len(years))
    for name, color in zip(names, _palette(len(names))):
        values = wide[name].fillna(0).to_numpy(float) / divisor
        ax.bar(x, values, 0.72, bottom=bottom, color=color, label=label(name), edgecolor="white", lw=0.3,
               hatch="//" if name in FUND_PROGRAMMES else None)
        bottom += values
    total = budget["fiscal_cost"].to_numpy(float) / divisor
    err = np.vstack([total - budget["fiscal_cost_ci_lo"].to_numpy(float) / divisor,
                     budget["fiscal_cost_ci_hi"].to_numpy(float) / divisor - total])
    if np.isfinite(err).all():
        ax.errorbar(x, total, yerr=np.abs(err), fmt="none", ecolor="#333333", capsize=3, lw=1,
                    label="Total: 95% interval of the mean")
    if "budget" in budget:
        ax.hlines(budget["budget"].to_numpy(float) / divisor, x - 0.42, x + 0.42, color="black", lw=2.2,
                  label="Cohesion-fund budget (caps the hatched programmes)")
    ax.set(title="Spending by programme per year (mean across replicates)", ylabel=unit)
    year_ticks(ax, years, months)
    year_marker(ax, years, end)
    _thousands(ax)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    by_label = dict(zip(*reversed(ax.get_legend_handles_labels())))
    # Lines first, then the stacked programmes top-down as drawn.
    order = [lab for lab in by_label if lab not in {label(n) for n in names}] + [label(n) for n in reversed(names)]
    ax.legend([by_label[lab] for lab in order], order, loc="upper center", bbox_to_anchor=(0.5, -0.1),
              ncol=3, fontsize=8.5, frameon=False)

    ax = axes[0, 1]
    series = {}
    if "fund_share_of_budget" in budget:
        col = "fund_share_of_budget"
        series["Fund-financed programmes"] = pd.DataFrame(
            {"mean": budget[col], "ci_lo": budget[f"{col}_ci_lo"], "ci_hi": budget[f"{col}_ci_hi"]}
        ).reset_index(drop=True)
    grouped_bars(ax, list(range(len(years))), series, {"Fund-financed programmes": "#4c72b0"}, scale=100)
    ax.axhline(100, color="black", lw=1.5, ls="-", label="Budget")
    ax.set(title="Cohesion-fund budget used by the fund-financed\nprogrammes (hatched; the others have own budgets)",
           ylabel="% of the year's budget spent")
    year_ticks(ax, years, months)
    year_marker(ax, years, end)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8.5, loc="lower left", framealpha=0.9)
    reps = int(ts["replicate"].nunique())
    finish(fig, "Fiscal cost and the budget",
           run_note(ts, meta, "yuan for the simulated households · "
                    + ("error bars: 95% t-interval of the mean" if reps > 1 else "one replicate: no interval")))
    return fig


def write_fiscal(out_dir: str | Path, ts: pd.DataFrame, meta: Mapping[str, Any] | None = None,
                 plots: bool = True) -> dict[str, Path]:
    """Write ``fiscal_by_programme.csv``, ``fiscal_budget.csv`` and ``plots/fiscal_budget.png``."""
    from .outputs import write_csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = fiscal_tables(ts)
    paths = {f"fiscal_{name}": write_csv(out / f"fiscal_{name}.csv", t) for name, t in tables.items()}
    if plots:
        from .plots import save_figure

        paths["plot_fiscal_budget"] = save_figure(plot_fiscal(tables, ts, meta), out / "plots" / "fiscal_budget.png")
    return paths
