"""Figure of a run's fiscal cost: spending by programme and year against the budget (``fiscal_budget.png``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .labels import programme_label as label


def plot_fiscal(tables: Mapping[str, pd.DataFrame], ts: pd.DataFrame,
                meta: Mapping[str, Any] | None = None) -> Figure:
    """Spending by programme and year (stacked, with the total's interval) and budget use."""
    from .style import finish, grid, grouped_bars, run_note, year_marker, year_ticks
    from .run_plots import _money_unit, _palette, _thousands
    from ..simulation.policy.programmes import FUND_PROGRAMMES

    prog = tables["by_programme"]
    budget = tables["budget"].set_index("year")
    years = [int(y) for y in budget.index]
    months = budget["months"].tolist()
    end = (meta or {}).get("transition_end")
    wide = prog.pivot(index="year", columns="programme", values="mean").reindex(years)
    names = [c for c in wide.columns if c != "total" and wide[c].fillna(0).abs().sum() > 0]  # spent something
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
