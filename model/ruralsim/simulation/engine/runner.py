"""Run a scenario's replicates (in parallel where cores allow) and gather their results.

A replicate is fully determined by (parameters, master seed, replicate index), so results do not
depend on how many processes run them or in which order they finish.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ..cohort.chunking import default_threads
from ..cohort.rng import replicate_seeds
from ..inputs.config import Scenario, check_overrides, load_scenario, scenario_from_overrides
from ..phases.metrics import GROUP_LEVELS

#: The key of the place-group table (``groups.csv``) among a result's group tables.
PLACES = "places"

# Worker processes are spawned (a fork after threads have run is unsafe); chosen here, not set globally.
SPAWN = multiprocessing.get_context("spawn")


@dataclass
class ReplicateResult:
    """What one replicate leaves: its monthly series, income sample and ended poverty spells."""

    replicate: int
    timeseries: pd.DataFrame
    distribution: pd.DataFrame
    spells: pd.DataFrame
    wall_seconds: float
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    start: dict[str, Any] = field(default_factory=dict)  # how its 2020-12 state was had (start_cache.establish)


@dataclass
class ScenarioResult:
    """All replicates of one scenario, stacked, with what is needed for the manifest."""

    scenario: Scenario
    params: dict[str, Any]
    timeseries: pd.DataFrame
    distribution: pd.DataFrame
    spells: pd.DataFrame
    started_at: datetime
    wall_seconds: float
    replicate_seconds: list[float] = field(default_factory=list)
    groups: dict[str, pd.DataFrame] = field(default_factory=dict)
    starts: list[dict[str, Any]] = field(default_factory=list)  # per replicate: start computed or from the cache

    @property
    def seeds(self) -> list[dict]:
        return replicate_seeds(int(self.params["run_seed"]), int(self.params["run_replicates"]))


def as_scenario(scenario: str | Path | Scenario | None) -> Scenario:
    """A scenario from a path, an already-loaded Scenario, or None (the defaults)."""
    if scenario is None:
        return scenario_from_overrides("defaults", {})
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


def run_replicate(scenario: Scenario, replicate: int, overrides: dict[str, Any],
                  progress: Any = None, threads: int | None = None) -> ReplicateResult:
    """Build and run one replicate; ``progress`` (a tqdm bar) is advanced once per month; ``threads``
    (default: RURALSIM_THREADS or the cores) process its chunks of counties (results do not depend on it)."""
    from .model import RuralModel

    t0 = time.perf_counter()
    model = RuralModel(scenario, replicate=replicate, threads=threads, **overrides)
    groups: dict[str, list[pd.DataFrame]] = {level: [] for level in GROUP_LEVELS}
    while model.t < model.months:
        model.step()
        if progress is not None:
            progress.update(1)
        if model.month_of_year == 11 or model.t == model.months:
            for level, frames in groups.items():
                frames.append(_group_snapshot(model, level))
    tables = {level: pd.concat(frames, ignore_index=True) for level, frames in groups.items()}
    tables[PLACES] = model.place_groups()
    return ReplicateResult(replicate, model.timeseries(), model.distribution_frame(), model.spell_lengths(),
                           time.perf_counter() - t0, tables, start={"replicate": replicate, **model.start_origin})


def _group_snapshot(model: Any, level: str) -> pd.DataFrame:
    """The month just simulated by county or village, labelled with its replicate and date."""
    table = model.group_table(level)
    table.insert(0, "date", model.month_simulated())
    table.insert(0, "replicate", model.replicate)
    return table


def stack_groups(results: list[ReplicateResult]) -> dict[str, pd.DataFrame]:
    """Replicates' county, village and place-group tables stacked (levels present in every replicate)."""
    levels = [lv for lv in (*GROUP_LEVELS, PLACES) if results and all(lv in r.groups for r in results)]
    return {lv: pd.concat([r.groups[lv] for r in results], ignore_index=True) for lv in levels}


def _run_replicate_quiet(scenario: Scenario, replicate: int, overrides: dict[str, Any],
                         threads: int | None = None) -> ReplicateResult:
    return run_replicate(scenario, replicate, overrides, threads=threads)


def default_workers(params: dict[str, Any], replicates: int) -> int:
    """Processes to use: one per core, but one only at national scale (memory) or for one replicate."""
    if params["run_scale"] == "national" or replicates <= 1:
        return 1
    return max(1, min(replicates, os.cpu_count() or 1))


def run_scenario(scenario: str | Path | Scenario | None, overrides: dict[str, Any] | None = None, *,
                 workers: int | None = None, progress: bool = True) -> ScenarioResult:
    """Run every replicate of a scenario; overrides are flat parameter names (checked first)."""
    sc = as_scenario(scenario)
    overrides = check_overrides(overrides or {})
    params = sc.params
    params.update(overrides)
    replicates = int(params["run_replicates"])
    workers = default_workers(params, replicates) if workers is None else max(1, int(workers))
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    results: list[ReplicateResult] = []
    bar = _bar(progress, replicates * int(params["run_months"]) if workers == 1 else replicates,
               sc.name, "month" if workers == 1 else "replicate")
    try:
        if workers == 1:
            for r in range(replicates):
                results.append(run_replicate(sc, r, overrides, bar))
        else:
            from .processes import worker_pool

            with worker_pool(workers) as pool:
                # Cores are shared out between the processes (a model's threads never change its results).
                threads = max(1, default_threads() // workers)
                futures = [pool.submit(_run_replicate_quiet, sc, r, overrides, threads) for r in range(replicates)]
                for fut in as_completed(futures):
                    results.append(fut.result())
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    results.sort(key=lambda r: r.replicate)
    return ScenarioResult(
        scenario=sc, params=params,
        timeseries=pd.concat([r.timeseries for r in results], ignore_index=True),
        distribution=pd.concat([r.distribution for r in results], ignore_index=True),
        spells=pd.concat([r.spells for r in results], ignore_index=True),
        started_at=started, wall_seconds=time.perf_counter() - t0,
        replicate_seconds=[r.wall_seconds for r in results],
        groups=stack_groups(results), starts=[r.start for r in results],
    )


def simulated(ts: pd.DataFrame) -> dict[str, int]:
    """Households and people actually simulated (at national scale, not ``run.households``)."""
    if ts.empty:
        return {}
    return {"households_simulated": int(ts["households"].iloc[0]), "people_simulated": int(ts["people"].iloc[0])}


def _bar(enabled: bool, total: int, name: str, unit: str):
    """A tqdm progress bar (on stderr, with the time left), or None when disabled."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=name, unit=unit, dynamic_ncols=True)
