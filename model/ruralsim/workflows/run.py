"""A run folder: a scenario's tables, plots and manifest, written and redrawn.

The layout of the folder is in :mod:`ruralsim.analysis.outputs`; this module is the driver that
writes the tables there and then calls the figure writers of :mod:`ruralsim.presentation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.dynamics import dynamics_tables
from ..analysis.fiscal import fiscal_tables
from ..analysis.outputs import (FILES, load_groups, load_run, plot_meta, summarise, write_csv, write_manifest,
                                write_parquet)
from ..simulation.engine.runner import PLACES, ScenarioResult, simulated


def write_result(result: ScenarioResult, out_dir: str | Path, extra: dict[str, Any] | None = None,
                 plots: bool = True) -> dict[str, Path]:
    """Write a scenario's results (Parquet, summary, plots unless ``plots`` is False, manifest) to ``out_dir``."""
    from ..analysis.folders import writing

    with writing(out_dir, "run", strict=False) as out:
        return _write_result(result, out, extra, plots)


def _write_result(result: ScenarioResult, out: Path, extra: dict[str, Any] | None, plots: bool) -> dict[str, Path]:
    from ..analysis import outputs

    out.mkdir(parents=True, exist_ok=True)
    sc = result.scenario
    manifest = outputs.run_manifest(
        result.params,
        scenario={"name": sc.name, "file": str(sc.path), "extends": [str(p) for p in sc.chain]},
        seeds=result.seeds, started_at=result.started_at, wall_seconds=result.wall_seconds,
        extra={"kind": "run", "replicate_seconds": result.replicate_seconds, "starts": result.starts,
               **simulated(result.timeseries),
               **(extra or {})},
    )
    outputs.write_parquet(out / "spells.parquet", result.spells)
    paths = outputs.write_group_tables(out, result.groups)
    summary = _write_place_groups(out, result.groups.get(PLACES), paths)
    paths.update(write_run(out, result.timeseries, result.distribution, manifest, plots=plots))
    if plots:  # after the tables: a failing plot loses no data
        from ..presentation.group_plots import write_group_plots

        meta = outputs.plot_meta(manifest, result.timeseries)
        paths.update({f"plot_{p.stem}": p for p in write_group_plots(out, result.groups, meta)})
        from ..presentation.place_plots import write_place_plot

        paths.update({f"plot_{p.stem}": p for p in write_place_plot(out, summary, meta)})
    return paths


def _write_place_groups(out: Path, table: pd.DataFrame | None, paths: dict[str, Path]) -> pd.DataFrame | None:
    """``groups.parquet`` (every replicate's December rows by place group) and ``groups.csv`` (their means
    with intervals, :func:`ruralsim.analysis.place_groups.group_summary`); returns the summary."""
    from ..analysis import outputs
    from ..analysis.place_groups import GROUPS_CSV, GROUPS_PARQUET, group_summary, replicate_table

    if table is None:
        return None
    summary = group_summary(table)
    paths["groups_places"] = outputs.write_parquet(out / GROUPS_PARQUET, replicate_table(table))
    paths["groups"] = outputs.write_csv(out / GROUPS_CSV, summary)
    return summary


def write_run(
    out_dir: Path | str,
    ts: pd.DataFrame,
    dist: pd.DataFrame,
    manifest: Mapping[str, Any],
    *,
    plots: bool = True,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Path]:
    """Write the whole run directory and return ``{kind: path}`` (plots as ``plot_<name>``).

    The manifest is written last so its presence marks a complete run. ``meta`` for the
    plots defaults to :func:`plot_meta` of the manifest.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "timeseries": write_parquet(out / FILES["timeseries"], ts),
        "distribution": write_parquet(out / FILES["distribution"], dist),
        "summary": write_csv(out / FILES["summary"], summarise(ts)),
    }
    if plots:
        from ..presentation.run_plots import write_run_plots  # deferred: matplotlib is slow to import

        meta = dict(meta) if meta is not None else plot_meta(manifest, ts)
        for png in write_run_plots(out, ts, dist, meta):
            paths[f"plot_{png.stem}"] = png
    paths["manifest"] = write_manifest(out / FILES["manifest"], manifest)
    return paths


def redraw_run(out_dir: Path | str) -> list[Path]:
    """Redraw a run's plots from its stored results (``ruralsim plot``)."""
    from ..presentation.group_plots import write_group_plots
    from ..presentation.run_plots import write_run_plots

    from ..analysis.place_groups import GROUPS_CSV
    from ..presentation.place_plots import write_place_plot

    ts, dist, manifest = load_run(out_dir)
    meta = plot_meta(manifest, ts)
    places = Path(out_dir) / GROUPS_CSV
    summary = pd.read_csv(places, encoding="utf-8-sig") if places.exists() else None
    return (write_run_plots(Path(out_dir), ts, dist, meta) + write_group_plots(out_dir, load_groups(out_dir), meta)
            + write_place_plot(out_dir, summary, meta))


def write_dynamics(out_dir: str | Path, ts: pd.DataFrame, spells: pd.DataFrame | None,
                   meta: Mapping[str, Any] | None = None, plots: bool = True) -> dict[str, Path]:
    """Write ``dynamics_<table>.csv`` and, unless ``plots`` is False, ``plots/dynamics_*.png``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = dynamics_tables(ts, spells)
    paths = {f"dynamics_{name}": write_csv(out / f"dynamics_{name}.csv", table) for name, table in tables.items()}
    if plots:
        from ..presentation.dynamics_plots import write_dynamics_plots

        for png in write_dynamics_plots(out, tables, ts, meta):
            paths[f"plot_{png.stem}"] = png
    return paths


def write_fiscal(out_dir: str | Path, ts: pd.DataFrame, meta: Mapping[str, Any] | None = None,
                 plots: bool = True) -> dict[str, Path]:
    """Write ``fiscal_by_programme.csv``, ``fiscal_budget.csv`` and ``plots/fiscal_budget.png``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = fiscal_tables(ts)
    paths = {f"fiscal_{name}": write_csv(out / f"fiscal_{name}.csv", t) for name, t in tables.items()}
    if plots:
        from ..presentation.fiscal_plots import plot_fiscal
        from ..presentation.run_plots import save_figure

        paths["plot_fiscal_budget"] = save_figure(plot_fiscal(tables, ts, meta), out / "plots" / "fiscal_budget.png")
    return paths
