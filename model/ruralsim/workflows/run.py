"""A run folder: one scenario's tables, plots and manifest, written and redrawn.

The layout of the folder is in :mod:`ruralsim.analysis.outputs`; this module is the driver that
writes the tables there and then calls the figure writers of :mod:`ruralsim.presentation`. Both
``ruralsim run`` and every scenario folder of a comparison are written here, so the two are the
same folder. From the whole folder down:

* :func:`write_scenario` -- the folder (locked, marked incomplete until done): the dynamics, fiscal
  and targeting tables, then :func:`write_result`, then their plots;
* :func:`write_result` -- the run's data, group tables and manifest (through :func:`write_run`);
* :func:`write_run` -- the series, summary, run plots and, last, the manifest.

:func:`redraw_scenario` redraws every plot of such a folder from its stored files (``ruralsim plot``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.dynamics import dynamics_tables
from ..analysis.fiscal import fiscal_tables
from ..analysis.outputs import (FILES, load_groups, load_run, nest_params, plot_meta, summarise, write_csv,
                                write_manifest, write_parquet)
from ..analysis.targeting import targeting_table
from ..simulation.engine.runner import PLACES, ScenarioResult, simulated

#: The extra tables of a scenario folder: {group: {name: table}}, written as ``<group>_<name>.csv``
#: (``<group>.csv`` when the name is empty).
ExtraTables = dict[str, dict[str, pd.DataFrame]]


# ---------------------------------------------------------------------------------------------
# One scenario's folder
# ---------------------------------------------------------------------------------------------
def write_scenario(result: ScenarioResult, out_dir: Path, label: str, extra: dict[str, Any],
                   plots: bool = True) -> dict[str, Path]:
    """One scenario's folder: tables and run outputs first (data is never lost to a failing plot),
    then the dynamics and fiscal plots. ``label`` names the scenario on its plots."""
    from ..analysis.folders import writing

    with writing(out_dir, "run", strict=False):
        return _write_scenario(result, Path(out_dir), label, extra, plots)


def _write_scenario(result: ScenarioResult, out_dir: Path, label: str, extra: dict[str, Any], plots: bool
                    ) -> dict[str, Path]:
    tables, meta = _extras(result, label)
    paths = _write_extra_tables(out_dir, tables)
    paths.update(write_result(result, out_dir, extra=extra, plots=plots))
    if plots:
        paths.update(_write_extra_plots(out_dir, tables, result.timeseries, meta))
    return paths


def write_extras(result: ScenarioResult, out_dir: str | Path, label: str | None = None,
                 plots: bool = True) -> dict[str, Path]:
    """Dynamics, fiscal and targeting tables (and plots) of one scenario, next to its run outputs.

    Usable after any :func:`write_result`.
    """
    tables, meta = _extras(result, label)
    paths = _write_extra_tables(Path(out_dir), tables)
    if plots:
        paths.update(_write_extra_plots(Path(out_dir), tables, result.timeseries, meta))
    return paths


def scenario_meta(label: str, params: dict[str, Any], ts: pd.DataFrame) -> dict[str, Any]:
    """Plot labels of one scenario (as :func:`ruralsim.analysis.outputs.plot_meta`), named by its label."""
    return plot_meta({"scenario": {"name": label}, "params": nest_params(params)}, ts)


def _extras(result: ScenarioResult, label: str | None) -> tuple[ExtraTables, dict]:
    return (_extra_tables(result.timeseries, result.spells),
            scenario_meta(label or result.scenario.name, result.params, result.timeseries))


def _extra_tables(ts: pd.DataFrame, spells: pd.DataFrame) -> ExtraTables:
    return {"dynamics": dynamics_tables(ts, spells), "fiscal": fiscal_tables(ts),
            "targeting": {"": targeting_table(ts)}}


def _write_extra_tables(out: Path, tables: ExtraTables) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    return {f"{group}_{name}" if name else group: write_csv(out / (f"{group}_{name}.csv" if name else f"{group}.csv"), table)
            for group, group_tables in tables.items() for name, table in group_tables.items()}


def _write_extra_plots(out: Path, tables: ExtraTables, ts: pd.DataFrame, meta: dict) -> dict[str, Path]:
    from ..presentation.dynamics_plots import write_dynamics_plots
    from ..presentation.fiscal_plots import plot_fiscal
    from ..presentation.run_plots import save_figure

    pngs = write_dynamics_plots(out, tables["dynamics"], ts, meta)
    pngs.append(save_figure(plot_fiscal(tables["fiscal"], ts, meta), out / "plots" / "fiscal_budget.png"))
    from ..presentation.targeting_plots import write_targeting_plot

    pngs += write_targeting_plot(out, tables["targeting"][""], ts, meta)
    return {f"plot_{png.stem}": png for png in pngs}


# ---------------------------------------------------------------------------------------------
# The run's data and plots
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Redrawing from stored results
# ---------------------------------------------------------------------------------------------
def redraw_scenario(out_dir: str | Path) -> list[Path]:
    """Redraw every plot of one scenario's folder (a ``ruralsim run`` result): run plots,
    dynamics and fiscal plots."""
    return redraw_scenario_folder(Path(out_dir))[0]


def redraw_scenario_folder(folder: Path, label: str | None = None
                           ) -> tuple[list[Path], pd.DataFrame, pd.DataFrame]:
    """Redraw one scenario's folder, its plots named ``label`` if given; also returns the stored
    series and spells, so a comparison's redraw reads them once."""
    ts, _, sub = load_run(folder)
    sp = (pd.read_parquet(folder / "spells.parquet") if (folder / "spells.parquet").is_file()
          else pd.DataFrame())
    meta = plot_meta(sub, ts)
    if label is not None:
        meta["name"] = label
    paths = redraw_run(folder)
    paths += list(_write_extra_plots(folder, _extra_tables(ts, sp), ts, meta).values())
    return paths, ts, sp


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
