"""Side-by-side comparison of policy scenarios run with common random numbers (``ruralsim compare``).

Every scenario is run with the same run settings (seed, households, months, replicates): those of
the first scenario after the command-line overrides. Replicate *r* of every scenario thus meets
the same shocks, and differences are computed replicate by replicate (see
:mod:`ruralsim.compare_stats`). All (scenario, replicate) jobs share one process pool; each job is
fully determined by its scenario, the seed and its replicate index, so results do not depend on
the number of workers or the order jobs finish in.

Output folder::

    manifest.json           kind "comparison": scenarios, files, seed, sizes, versions, wall time
    comparison.csv          key metrics at every December (and the last month), paired differences
    poverty_by_year.csv     annual mean poverty rate
    cost_effectiveness.csv  fiscal yuan per household kept above the line vs the first scenario
    fiscal_comparison.csv   spending by programme and year (and over the run), budget
    dynamics_comparison.csv fall, re-entry, recovery rates and falls by cause, by year
    plots/compare_*.png
    <scenario>/             each scenario's own run folder, written by run.write_scenario as
                            ``ruralsim run`` writes one (its manifest, dynamics_*.csv,
                            fiscal_*.csv, targeting.csv and their plots)
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..simulation.engine.runner import ReplicateResult, ScenarioResult, run_replicate, stack_groups
from ..simulation.inputs.config import (ConfigError, Problem, Scenario, check_overrides, find_scenario,
                                        load_scenario)
from .run import redraw_scenario_folder, scenario_meta, write_scenario

# Worker processes are spawned (a fork after threads have run is unsafe); chosen here, not set globally.
SPAWN = multiprocessing.get_context("spawn")

RUN_KEYS = ("run_households", "run_months", "run_replicates", "run_seed", "run_start_year", "run_scale")
TABLES = ("comparison", "poverty_by_year", "cost_effectiveness", "fiscal_comparison", "dynamics_comparison")
MAX_NAME = 60


@dataclass
class Comparison:
    """The results of every scenario of a comparison, in command-line order (first = reference)."""

    labels: list[str]
    results: dict[str, ScenarioResult]
    run: dict[str, Any]
    started_at: datetime
    wall_seconds: float
    workers: int
    notes: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.labels[0]


# ---------------------------------------------------------------------------------------------
# Validation and run settings
# ---------------------------------------------------------------------------------------------
def load_scenarios(names: Sequence[str | Path]) -> list[Scenario]:
    """Find and validate every scenario before anything runs; all problems in one ConfigError."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    if len(names) < 2:
        problems.append(Problem("command line", "", list(map(str, names)), "a comparison needs at least "
                                "two scenarios", "two or more scenario files or shipped names"))
    for name in names:
        try:
            scenarios.append(load_scenario(find_scenario(name)))
        except ConfigError as err:
            problems.extend(err.problems)
    if problems:
        raise ConfigError(problems)
    return scenarios


def shared_run(scenarios: Sequence[Scenario], overrides: dict[str, Any] | None = None
               ) -> tuple[dict[str, Any], list[str]]:
    """The run settings every scenario uses, and notes on any scenario whose own differ.

    They are the first scenario's ``[run]`` values updated by the (checked) overrides: paired
    replicates need the same seed, sizes and start for all.
    """
    overrides = check_overrides(overrides or {}, source="command line")
    base = scenarios[0].params
    run = {k: overrides.get(k, base[k]) for k in RUN_KEYS}
    notes = []
    for sc in scenarios[1:]:
        own = sc.params
        for k in RUN_KEYS:
            if k not in overrides and own[k] != run[k]:
                notes.append(f"{sc.name} sets {k.replace('run_', 'run.', 1)} = {own[k]!r}; the comparison uses "
                             f"{run[k]!r} (from {scenarios[0].name}) for every scenario")
    return run, notes


def unique_labels(scenarios: Sequence[Scenario]) -> list[str]:
    """Filesystem-safe scenario labels; a name given twice gets ``_2``, ``_3``..."""
    labels: list[str] = []
    for sc in scenarios:
        base = re.sub(r"[^A-Za-z0-9_.-]+", "_", sc.name).strip("._") or "scenario"
        label, k = base, 2
        while label in labels:
            label, k = f"{base}_{k}", k + 1
        labels.append(label)
    return labels


def default_out_dir(labels: Sequence[str]) -> Path:
    """``results/compare_<A>_vs_<B>[_vs_<C>...]``, or ``compare_<A>_vs_<n>_scenarios_<hash>`` if long."""
    name = "compare_" + "_vs_".join(labels)
    if len(name) > MAX_NAME:
        import hashlib

        digest = hashlib.sha1("|".join(labels).encode()).hexdigest()[:8]
        name = f"compare_{labels[0][:24]}_vs_{len(labels) - 1}_scenarios_{digest}"
    return Path("results") / name


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------
def default_workers(run: dict[str, Any], jobs: int) -> int:
    """One process per core (at most one per job); one at national scale (memory)."""
    if run["run_scale"] == "national" or jobs <= 1:
        return 1
    return max(1, min(jobs, os.cpu_count() or 1))


def run_comparison(scenarios: Sequence[Scenario], overrides: dict[str, Any] | None = None, *,
                   workers: int | None = None, progress: bool = True) -> Comparison:
    """Run every replicate of every scenario with the shared run settings (paired replicates)."""
    run, notes = shared_run(scenarios, overrides)
    labels = unique_labels(scenarios)
    replicates = int(run["run_replicates"])
    jobs = [(i, r) for i in range(len(scenarios)) for r in range(replicates)]
    workers = default_workers(run, len(jobs)) if workers is None else max(1, int(workers))
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    done: dict[tuple[int, int], ReplicateResult] = {}
    bar = _bar(progress, len(jobs), "compare")
    try:
        if workers == 1:
            for i, r in jobs:
                done[(i, r)] = run_replicate(scenarios[i], r, run)
                _tick(bar, labels[i])
        else:
            from ..simulation.cohort.chunking import default_threads

            # Cores are shared out between processes and each model's threads (neither changes results).
            threads = max(1, default_threads() // workers)
            from ..simulation.engine.processes import worker_pool

            with worker_pool(workers) as pool:
                futures = {pool.submit(run_replicate, scenarios[i], r, run, None, threads): (i, r) for i, r in jobs}
                for fut in as_completed(futures):
                    done[futures[fut]] = fut.result()
                    _tick(bar, labels[futures[fut][0]])
    finally:
        if bar is not None:
            bar.close()
    results = {}
    for i, (sc, label) in enumerate(zip(scenarios, labels)):
        reps = [done[(i, r)] for r in range(replicates)]
        params = sc.params
        params.update(run)
        results[label] = ScenarioResult(
            scenario=sc, params=params,
            timeseries=pd.concat([x.timeseries for x in reps], ignore_index=True),
            distribution=pd.concat([x.distribution for x in reps], ignore_index=True),
            spells=pd.concat([x.spells for x in reps], ignore_index=True),
            # Replicates of all scenarios ran interleaved: a scenario's time is its replicates' sum.
            started_at=started, wall_seconds=sum(x.wall_seconds for x in reps),
            replicate_seconds=[x.wall_seconds for x in reps], groups=stack_groups(reps),
            starts=[x.start for x in reps])
    return Comparison(labels, results, run, started, time.perf_counter() - t0, workers, notes)


def _bar(enabled: bool, total: int, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=name, unit="replicate", dynamic_ncols=True)


def _tick(bar, label: str) -> None:
    if bar is not None:
        bar.set_postfix_str(label, refresh=False)
        bar.update(1)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def write_comparison(cmp: Comparison, out_dir: str | Path, argv: Sequence[str] | None = None,
                     workers: int | None = None, plots: bool = True) -> dict[str, Path]:
    """Write the comparison tables, every scenario's folder and the plots, then the top manifest.

    Scenario folders and figures are independent jobs, spread over the process pool. Without
    ``plots`` only data, tables and manifests are written (``ruralsim plot`` draws them later).
    """
    from ..analysis.folders import writing

    with writing(out_dir, "comparison", strict=False) as out:
        return _write_comparison(cmp, out, argv, workers, plots)


def _write_comparison(cmp: Comparison, out: Path, argv: Sequence[str] | None, workers: int | None,
                      plots: bool) -> dict[str, Path]:
    from ..presentation.compare_plots import FIGURES, draw_figure
    from ..analysis.outputs import run_manifest, write_csv, write_manifest
    from ..simulation.cohort.rng import replicate_seeds

    out.mkdir(parents=True, exist_ok=True)
    argv = list(sys.argv if argv is None else argv)
    folders = {label: out / label for label in cmp.labels}
    frames = derived_frames({lb: cmp.results[lb].timeseries for lb in cmp.labels})
    tables = comparison_tables(frames)
    paths: dict[str, Path] = {name: write_csv(out / f"{name}.csv", table) for name, table in tables.items()}
    group_diffs = _write_group_differences(cmp, out, paths)
    spells = {lb: cmp.results[lb].spells for lb in cmp.labels}
    extra = {"comparison": str(out), "argv": argv}
    jobs = [(write_scenario, (cmp.results[lb], folders[lb], lb, extra, plots)) for lb in cmp.labels]
    if plots:
        jobs += [(draw_figure, (name, out, frames, tables, spells, comparison_meta(cmp))) for name in FIGURES]
    done = _map(jobs, cmp.workers if workers is None else workers)
    for label, written in zip(cmp.labels, done):
        paths[f"{label}/manifest"] = written["manifest"]
    for png in done[len(cmp.labels):]:
        paths[f"plot_{png.stem}"] = png
    if plots:
        from ..presentation.place_plots import write_group_difference_plot

        paths.update({f"plot_{p.stem}": p for p in write_group_difference_plot(out, group_diffs, comparison_meta(cmp))})
    first = cmp.results[cmp.reference]
    manifest = run_manifest(
        cmp.run, scenario={"name": out.name, "reference": cmp.reference},
        seeds=replicate_seeds(int(cmp.run["run_seed"]), int(cmp.run["run_replicates"])),
        started_at=cmp.started_at, argv=argv,
        wall_seconds=(datetime.now(timezone.utc) - cmp.started_at).total_seconds(),
        extra={"kind": "comparison", "reference": cmp.reference, "workers": cmp.workers,
               "run_seconds": cmp.wall_seconds, "notes": cmp.notes,
               "sizes": {k.removeprefix("run_"): cmp.run[k] for k in RUN_KEYS},
               "scenarios": [_scenario_entry(lb, cmp.results[lb], folders[lb], out) for lb in cmp.labels],
               "tables": [f"{n}.csv" for n in tables], "transition_end": scenario_meta(
                   cmp.reference, first.params, first.timeseries).get("transition_end")})
    manifest = {"kind": "comparison", **manifest}
    paths["manifest"] = write_manifest(out / "manifest.json", manifest)
    return paths


def _write_group_differences(cmp: Comparison, out: Path, paths: dict[str, Path]) -> pd.DataFrame | None:
    """``compare_groups.csv``: each scenario's paired (CRN) difference from the reference by place group
    (:func:`ruralsim.analysis.place_groups.paired_group_differences`)."""
    from ..analysis.outputs import write_csv
    from ..analysis.place_groups import paired_group_differences
    from ..simulation.engine.runner import PLACES

    tables = {lb: cmp.results[lb].groups.get(PLACES) for lb in cmp.labels}
    if any(t is None for t in tables.values()):
        return None
    diffs = paired_group_differences(tables, cmp.reference)
    paths["compare_groups"] = write_csv(out / "compare_groups.csv", diffs)
    return diffs


def _scenario_entry(label: str, result: ScenarioResult, folder: Path, out: Path) -> dict[str, Any]:
    sc = result.scenario
    return {"label": label, "name": sc.name, "file": str(sc.path), "extends": [str(p) for p in sc.chain],
            "description": sc.description, "overrides": sc.overrides,
            "folder": str(folder.relative_to(out)), "replicate_seconds": result.replicate_seconds}


def _map(jobs: list[tuple[Callable, tuple]], workers: int) -> list[Any]:
    """Run independent writing jobs, in a process pool when there are several workers."""
    if workers <= 1 or len(jobs) <= 1:
        return [fn(*args) for fn, args in jobs]
    from ..simulation.engine.processes import worker_pool

    with worker_pool(min(workers, len(jobs))) as pool:
        return [f.result() for f in [pool.submit(fn, *args) for fn, args in jobs]]


def derived_frames(series: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from ..analysis.compare_tables import derive

    return {label: derive(ts) for label, ts in series.items()}


def comparison_tables(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """All comparison tables, keyed by file stem (see :data:`TABLES`)."""
    from ..analysis import compare_tables as ct

    return {"comparison": ct.comparison_table(frames), "poverty_by_year": ct.poverty_by_year(frames),
            "cost_effectiveness": ct.cost_effectiveness(frames),
            "fiscal_comparison": ct.fiscal_comparison(frames),
            "dynamics_comparison": ct.dynamics_comparison(frames)}


def comparison_meta(cmp: Comparison) -> dict[str, Any]:
    first = cmp.results[cmp.reference]
    meta = scenario_meta(cmp.reference, first.params, first.timeseries)
    return {"labels": cmp.labels, "version": meta.get("version"), "households": cmp.run["run_households"]
            if cmp.run["run_scale"] == "sample" else int(first.timeseries["households"].iloc[0]),
            "replicates": int(cmp.run["run_replicates"]), "seed": int(cmp.run["run_seed"]),
            "transition_end": meta.get("transition_end"), "poverty_line": meta.get("poverty_line")}


def write_comparison_plots(out: Path, frames, tables, spells, meta) -> list[Path]:
    from ..presentation.compare_plots import write_comparison_plots as _write

    return _write(out, frames, tables, spells, meta)


# ---------------------------------------------------------------------------------------------
# Redrawing from stored results
# ---------------------------------------------------------------------------------------------
def _no_value():
    from ..simulation.inputs.config import _NO_VALUE

    return _NO_VALUE


def redraw_comparison(out_dir: str | Path) -> list[Path]:
    """Redraw every plot of a comparison folder (``ruralsim plot``) from its stored results."""
    from ..analysis.folders import inside, read_manifest

    out = Path(out_dir)
    manifest = read_manifest(out / "manifest.json")
    extra = manifest.get("extra", {})
    entries = extra.get("scenarios", []) if isinstance(extra, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError([Problem(str(out / "manifest.json"), "extra.scenarios", _no_value(),
                                   "must be a list of tables", "the manifest as written by ruralsim compare")])
    paths: list[Path] = []
    series, spells = {}, {}
    for entry in entries:
        folder = inside(out, entry.get("folder"), "extra.scenarios.folder")  # never a folder elsewhere
        if not (folder / "manifest.json").is_file():
            raise ConfigError([Problem(str(folder), "", str(folder), "scenario folder of the comparison is "
                                       "missing or incomplete (no manifest.json)",
                                       "the folder as written by ruralsim compare")])
        drawn, ts, sp = redraw_scenario_folder(folder, entry["label"])
        paths += drawn
        series[entry["label"]], spells[entry["label"]] = ts, sp
    frames = derived_frames(series)
    sizes = extra.get("sizes", {})
    meta = {"labels": list(series), "version": (manifest.get("versions") or {}).get("ruralsim"),
            "households": sizes.get("households"), "replicates": sizes.get("replicates"),
            "seed": sizes.get("seed"), "transition_end": extra.get("transition_end")}
    from ..presentation.place_plots import write_group_difference_plot

    diffs = out / "compare_groups.csv"
    group_plot = write_group_difference_plot(out, pd.read_csv(diffs, encoding="utf-8-sig"), meta) if diffs.exists() else []
    from ..presentation.robustness_plots import write_tornado_plots

    robust = out / "compare_robustness.csv"  # the tornado charts of --robustness, when the folder has them
    tornado = (write_tornado_plots(out, pd.read_csv(robust, encoding="utf-8-sig"), extra.get("explain") or {}, meta)
               if robust.is_file() else [])
    return paths + write_comparison_plots(out, frames, comparison_tables(frames), spells, meta) + group_plot + tornado
