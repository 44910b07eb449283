"""Tables and figures of a sweep folder, computed from what is stored there (no model runs).

Called at the end of ``ruralsim sweep`` and by ``ruralsim plot`` (manifest kind ``sweep``)::

    tables/point_summary.csv     every design point: parameters, outcome mean and band across replicates
    tables/sobol_indices.csv     Sobol' designs: S1, ST and their 95% intervals, per outcome and parameter
    tables/morris_indices.csv    Morris designs: mu, mu*, its 95% interval, sigma
    tables/rank_correlations.csv Latin hypercube and table designs: Spearman correlations
    tables/failed_runs.csv       runs that raised: parameters, seed, error
    plots/*.png                  see ruralsim.presentation.sweep_plots
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.outputs import ruralsim_version, write_csv
from ..analysis.sweep import analysis as an
from ..analysis.sweep.storage import SweepStore
from ..presentation import sweep_plots as pl

#: Grids with more points than this get no monthly-path figure (too many lines to read).
MAX_PATH_POINTS = 60
#: Table designs up to this many rows get a bar per row; rank correlations need this many points.
MAX_TABLE_BARS = 30
MIN_CORRELATION_POINTS = 10


def write_report(out: str | Path) -> list[Path]:
    """Write the analysis tables and figures of a sweep folder; return the paths written."""
    out = Path(out)
    store = SweepStore(out)
    exp = json.loads((out / "experiment.json").read_text(encoding="utf-8"))
    design = pd.read_parquet(out / "design.parquet")
    runs = store.read_runs()
    factors, outcomes, method = exp["factors"], [o for o in exp["outcomes"] if o in runs.columns], exp["method"]
    cols = [f["column"] for f in factors]
    points = design[["point", *cols]]
    means = an.point_means(runs, len(points), outcomes)
    meta = _meta(exp, runs, len(points))
    tables, figs, notes = out / "tables", out / "plots", []
    written: list[Path] = [write_csv(tables / "point_summary.csv", an.point_summary(runs, cols, outcomes))]

    failed = runs[runs["status"] == "failed"]
    if len(failed):
        written.append(write_csv(tables / "failed_runs.csv",
                                 failed[["point", "replicate", "run_id", *cols, "error"]]))

    if not len(an.ok_runs(runs)):
        return written
    if method == "grid":
        written.append(pl.save(pl.plot_lines(runs, factors, outcomes, meta), figs / "lines.png"))
        if len(factors) >= 2:
            for outcome in outcomes:
                written.append(pl.save(pl.plot_heatmap(runs, factors, outcome, meta), figs / f"heatmap_{outcome}.png"))
        if len(points) <= MAX_PATH_POINTS:
            for column in _path_series(exp):
                series = store.read_series([column])
                if len(series):
                    written.append(pl.save(pl.plot_paths(series, runs, factors, column, meta),
                                           figs / f"paths_{column}.png"))
    elif method == "sobol":
        table, notes = an.sobol_indices(exp, means, outcomes)
        written.append(write_csv(tables / "sobol_indices.csv", table))
        if len(table):
            written.append(pl.save(pl.plot_sobol(table, meta), figs / "sobol_indices.png"))
    elif method == "morris":
        unit = design[[f"u_{c}" for c in cols]].to_numpy(dtype=float)
        table, notes = an.morris_indices(exp, unit, means, outcomes)
        written.append(write_csv(tables / "morris_indices.csv", table))
        if len(table):
            written.append(pl.save(pl.plot_morris(table, meta), figs / "morris_indices.png"))
    if method == "table" and len(points) <= MAX_TABLE_BARS:
        written.append(pl.save(pl.plot_points(runs, points, factors, outcomes, meta), figs / "points.png"))
    if method == "lhs" or (method == "table" and len(points) >= MIN_CORRELATION_POINTS):
        table = an.rank_correlations(exp, points, means, outcomes)
        written.append(write_csv(tables / "rank_correlations.csv", table))
        written.append(pl.save(pl.plot_rank_correlations(table, meta), figs / "rank_correlations.png"))
        for outcome in outcomes[:3]:
            rho = table[table["outcome"] == outcome].set_index("parameter")["spearman_rho"].to_dict()
            written.append(pl.save(pl.plot_scatter(points, means, factors, outcome, rho, meta),
                                   figs / f"scatter_{outcome}.png"))
    if notes:
        (tables / "analysis_notes.txt").write_text("\n".join(notes) + "\n", encoding="utf-8")
    return written


def redraw_sweep(out: str | Path) -> list[Path]:
    """``ruralsim plot`` for a sweep folder: reassemble nothing, redraw tables and figures."""
    return [p for p in write_report(out) if p.suffix == ".png"]


def _path_series(exp: dict[str, Any]) -> list[str]:
    """Series drawn month by month: the poverty rate (registry measure, else alert), else the first kept."""
    kept = [s for s in exp["series"] if s not in ("households", "people")]
    chosen = [s for s in ("poverty_rate_registry", "poverty_rate_alert", "poverty_rate") if s in kept][:1] or kept[:1]
    return chosen


def _meta(exp: dict[str, Any], runs: pd.DataFrame, n_points: int) -> dict[str, Any]:
    levels = int(exp.get("levels") or 4)
    return {"name": exp["name"], "method": {"grid": "full-grid", "lhs": "Latin-hypercube", "sobol": "Sobol'",
                                            "morris": "Morris", "table": "table"}[exp["method"]],
            "scenario": exp["scenario"]["name"], "points": n_points, "replicates": exp["replicates"],
            "households": exp["households"], "months": exp["months"], "version": ruralsim_version(),
            "failed": int((runs["status"] == "failed").sum()),
            "morris_step": str(Fraction(levels, 2 * (levels - 1)))}
