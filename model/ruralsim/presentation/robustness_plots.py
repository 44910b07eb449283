"""Tornado charts of a comparison's robustness (``plots/explain/robustness_<scenario>.png``).

One figure per scenario, one panel per headline outcome: for each assumption of ``assumptions.toml`` a bar
from the scenario's paired difference at the declared values to that with the assumption at its low (blue)
and at its high (red), the assumption that moves it furthest on top (either side: both sides can move it the
same way); the vertical line is the difference at the declared values with its paired interval shaded, the dashed
line zero. A bar that crosses the dashed line is an assumption that reverses the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.headline import OUTCOMES
from .labels import current_lang
from .style import comparison_note, finish, grid

LOW_COLOR, HIGH_COLOR = "#1f77b4", "#d62728"


def _labels(info: Mapping[str, Any], lang: str) -> dict[str, str]:
    items = ((info.get("robustness") or {}).get("assumptions")) or []
    return {a["name"]: a["label_zh" if lang == "zh" else "label"] for a in items}


def plot_tornado(table: pd.DataFrame, label: str, info: Mapping[str, Any], meta: Mapping[str, Any]):
    """The tornado figure of one scenario (rows of ``compare_robustness.csv`` for it)."""
    lang = current_lang()
    names = _labels(info, lang)
    fig, axes = grid(2, 2, 15, 10)
    for ax, o in zip(axes.flat, OUTCOMES):
        g = table[(table["scenario"] == label) & (table["outcome"] == o.key)]
        central = g[g["assumption"] == "central"]
        sides = g[g["assumption"] != "central"].pivot(index="assumption", columns="side", values="diff_mean")
        ax.set_title(o.title_zh if lang == "zh" else o.title, fontsize=10.5)
        if central.empty or sides.empty:
            ax.text(0.5, 0.5, "no robustness runs", ha="center", va="center", transform=ax.transAxes)
            continue
        c = central.iloc[0]
        k = o.scale
        sides = sides.reindex(columns=["low", "high"]) * k
        mid = c["diff_mean"] * k
        reach = (sides - mid).abs().max(axis=1)
        sides = sides.loc[reach.sort_values(kind="stable").index]
        y = np.arange(len(sides))
        for yi, (_, row) in zip(y, sides.iterrows()):
            ax.barh(yi, row["low"] - mid, left=mid, height=0.36, align="edge", color=LOW_COLOR,
                    label="assumption at its low" if yi == 0 else None)
            ax.barh(yi, row["high"] - mid, left=mid, height=-0.36, align="edge", color=HIGH_COLOR,
                    label="assumption at its high" if yi == 0 else None)
        if np.isfinite(c["diff_ci_lo"]):
            ax.axvspan(c["diff_ci_lo"] * k, c["diff_ci_hi"] * k, color="#bbbbbb", alpha=0.45, lw=0, zorder=0,
                       label="95% paired interval at the declared values")
        ax.axvline(mid, color="#222222", lw=1.2, label="difference at the declared values")
        ax.axvline(0.0, color="#555555", lw=1, ls="--")
        ax.set_yticks(y, [_wrap(names.get(n, n), lang) for n in sides.index], fontsize=8.5)
        ax.set_xlabel(("与参照的配对差\n" + o.unit_zh) if lang == "zh"
                      else f"paired difference from the reference\n{o.unit}", fontsize=9)
        ax.set_ylim(-0.8, len(sides) - 0.2)
    handles, names = next((ax.get_legend_handles_labels() for ax in axes.flat if ax.get_legend_handles_labels()[0]),
                          ([], []))
    rob = info.get("robustness") or {}
    # The note gives the robustness runs' own size, not the comparison's.
    note_meta = {**meta, "replicates": rob.get("replicates"), "households": rob.get("households")}
    finish(fig, f"Robustness: {label} against {meta['labels'][0]} under each assumption's low and high",
           comparison_note(note_meta))
    if handles:  # one legend for the four panels, beside them (the constrained layout makes room), never over a bar
        fig.legend(handles, names, loc="outside right center", fontsize=8.5, frameon=False)
    return fig


def _wrap(text: str, lang: str) -> str:
    import textwrap

    if lang == "zh":
        from .figure_text_zh import wrap_zh

        return wrap_zh(text, 18)
    return "\n".join(textwrap.wrap(text, 34))


def write_tornado_plots(out: Path, table: pd.DataFrame, info: Mapping[str, Any], meta: Mapping[str, Any]) -> list[Path]:
    """One tornado figure per scenario compared (none without robustness rows)."""
    from .run_plots import save_figure

    paths = []
    for label in dict.fromkeys(table["scenario"]) if not table.empty else []:
        fig = plot_tornado(table, label, info, meta)
        paths.append(save_figure(fig, Path(out) / "plots" / "explain" / f"robustness_{label}.png"))
    return paths
