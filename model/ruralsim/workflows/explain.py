"""The drivers and robustness sections of a comparison (``ruralsim compare --drivers --robustness``).

Runs, after the comparison itself, the extra runs its two questions need, in one process pool (the same
machinery as the comparison's replicates; every run fully determined by its parameters, seed and replicate):

* drivers: for each scenario with two levers or more, the reference plus each lever alone, at the
  comparison's own size and replicates, so the total is the comparison's own paired difference
  (:mod:`ruralsim.analysis.drivers`);
* robustness: every scenario and the reference at the declared values and with each assumption of
  ``experiments/assumptions.toml`` at its low and its high, at a smaller size (:data:`ROBUST_HOUSEHOLDS`
  households, :data:`ROBUST_REPLICATES` paired replicates) because it needs (2 x assumptions + 1) runs of
  every scenario (:mod:`ruralsim.analysis.robustness`).

Writes ``compare_drivers.csv``, ``compare_robustness.csv``, ``compare_robustness_verdicts.csv`` and the
tornado charts ``plots/explain/robustness_<scenario>.png``; records both in the comparison's manifest.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.assumptions import Assumptions, load_assumptions
from ..analysis.drivers import changed_keys, decompose, lever_groups, runs_needed
from ..analysis.headline import OUTCOMES_BY_KEY, headline_values
from ..analysis.robustness import settings as robustness_settings, robustness_table, verdicts
from ..simulation.inputs.config import Scenario

#: Size of the robustness runs: (2 x assumptions + 1) runs of every scenario at 3,000 households x 3 paired
#: replicates cost about as much as the plain comparison at 20,000 x 5 (a run's cost is ~1 s of start plus
#: ~0.17 ms per household for 120 months); their intervals are wider, which the verdicts say.
ROBUST_HOUSEHOLDS = 3000
ROBUST_REPLICATES = 3
ENV = "RURALSIM_EXPLAIN"  # "off": comparisons without the two sections unless asked (e.g. a fast test suite)


def default_on() -> bool:
    return os.environ.get(ENV, "on").strip().lower() not in ("off", "0", "no", "false")


@dataclass
class ExplainOptions:
    drivers: bool = True
    robustness: bool = True
    assumptions: str | Path | None = None
    households: int | None = None
    replicates: int | None = None


@dataclass
class Explanation:
    drivers: pd.DataFrame | None
    robustness: pd.DataFrame | None
    verdicts: pd.DataFrame | None
    info: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Job:
    """One extra run: what it is for, and the scenario, replicate and overrides that make it."""

    kind: str  # "driver" or "robust"
    label: str
    name: str  # lever, or assumption ("central" for the declared values)
    side: str  # "" for a driver run; "central", "low" or "high"
    scenario: Scenario
    replicate: int
    overrides: dict[str, Any] = field(hash=False, compare=False)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.label, self.name, self.side)


def robust_run(run: dict[str, Any], options: ExplainOptions) -> dict[str, Any]:
    """The robustness runs' settings: the comparison's, at the smaller size (never larger than the comparison)."""
    out = dict(run)
    out["run_households"] = int(options.households or min(ROBUST_HOUSEHOLDS, int(run["run_households"])))
    out["run_replicates"] = int(options.replicates or min(ROBUST_REPLICATES, int(run["run_replicates"])))
    out["run_scale"] = "sample"
    return out


def plan(scenarios: Sequence[Scenario], labels: Sequence[str], run: dict[str, Any], options: ExplainOptions,
         assumptions: Assumptions | None) -> tuple[list[Job], dict[str, Any], list[str]]:
    """Every extra run, the plan's description (for the manifest) and notes on what was left out."""
    jobs: list[Job] = []
    notes: list[str] = []
    ref_sc, ref_label = scenarios[0], labels[0]
    ref_params = {**ref_sc.params, **run}
    info: dict[str, Any] = {"levers": {}, "robustness": None}
    if options.drivers:
        for sc, label in zip(scenarios[1:], labels[1:]):
            levers = lever_groups({**sc.params, **run}, ref_params)
            info["levers"][label] = [{"name": lv.name, "keys": list(lv.keys)} for lv in levers]
            for lv in runs_needed(levers):
                jobs += [Job("driver", label, lv.name, "", ref_sc, r, {**run, **lv.values})
                         for r in range(int(run["run_replicates"]))]
    if options.robustness and assumptions is not None:
        rrun = robust_run(run, options)
        info["robustness"] = {"households": rrun["run_households"], "replicates": rrun["run_replicates"],
                              "file": str(assumptions.path), "assumptions": [a.to_json() for a in assumptions.items],
                              "notes": list(assumptions.notes)}
        notes += list(assumptions.notes)
        by_name = {a.name: a for a in assumptions.items}
        for name, side in robustness_settings(assumptions.items):
            a = by_name.get(name)
            own = set()
            if a is not None:  # an assumption a scenario sets itself would undo its lever: left out for that one
                for sc, label in zip(scenarios[1:], labels[1:]):
                    if set(a.keys) & set(changed_keys({**sc.params, **run}, ref_params)):
                        own.add(label)
                        if side == "low":
                            notes.append(f"{label} sets {', '.join(a.keys)} itself: assumption {name!r} not varied for it")
            for sc, label in zip(scenarios, labels):
                if label in own:
                    continue
                params = {**sc.params, **rrun}
                extra = {} if a is None else a.overrides(side, params)
                jobs += [Job("robust", label, name, side, sc, r, {**rrun, **extra})
                         for r in range(int(rrun["run_replicates"]))]
    return jobs, info, notes


def _headline_job(scenario: Scenario, replicate: int, overrides: dict[str, Any], threads: int | None) -> pd.DataFrame:
    """One run, reduced to its headline values (small to send back from a worker)."""
    from ..simulation.engine.model import RuralModel

    model = RuralModel(scenario, replicate=replicate, threads=threads, **overrides)
    model.run()
    return headline_values(model.timeseries())


def run_jobs(jobs: Sequence[Job], workers: int, progress: bool = True) -> dict[tuple, pd.DataFrame]:
    """Run the jobs (in a process pool with several workers); per job key, the replicates' headline values."""
    from .compare import _bar, _tick

    done: dict[tuple, list[pd.DataFrame]] = {}
    # Biggest runs first so the pool does not end on one long run.
    order = sorted(jobs, key=lambda j: -int(j.overrides.get("run_households", 0)))
    bar = _bar(progress, len(order), "drivers & robustness")
    try:
        if workers <= 1 or len(order) <= 1:
            for j in order:
                done.setdefault(j.key, []).append(_headline_job(j.scenario, j.replicate, j.overrides, None))
                _tick(bar, j.label)
        else:
            from ..simulation.cohort.chunking import default_threads
            from ..simulation.engine.processes import worker_pool

            threads = max(1, default_threads() // workers)
            with worker_pool(min(workers, len(order))) as pool:
                futures = {pool.submit(_headline_job, j.scenario, j.replicate, j.overrides, threads): j for j in order}
                for fut in as_completed(futures):
                    j = futures[fut]
                    done.setdefault(j.key, []).append(fut.result())
                    _tick(bar, j.label)
    finally:
        if bar is not None:
            bar.close()
    return {k: pd.concat(v, ignore_index=True).sort_values("replicate").reset_index(drop=True)
            for k, v in done.items()}


def explain(cmp, scenarios: Sequence[Scenario], options: ExplainOptions, workers: int | None = None,
            progress: bool = True) -> Explanation:
    """Plan, run and tabulate both sections for a finished comparison (``cmp``: its runs give the totals)."""
    assumptions = load_assumptions(options.assumptions) if options.robustness else None
    jobs, info, notes = plan(scenarios, cmp.labels, cmp.run, options, assumptions)
    t0 = time.perf_counter()
    results = run_jobs(jobs, cmp.workers if workers is None else workers, progress)
    info.update(runs=len(jobs), seconds=time.perf_counter() - t0)
    reference = cmp.reference
    drivers = None
    if options.drivers:
        reps = list(range(int(cmp.run["run_replicates"])))
        ref_values = headline_values(cmp.results[reference].timeseries)
        parts = []
        for label in cmp.labels[1:]:
            values = headline_values(cmp.results[label].timeseries)
            levers = info["levers"][label]
            alone = ({lv["name"]: results[("driver", label, lv["name"], "")] for lv in levers} if len(levers) > 1
                     else {lv["name"]: values for lv in levers})
            table = decompose(values, ref_values, alone, reps)
            keys = {lv["name"]: " ".join(lv["keys"]) for lv in levers}
            table["scenario"], table["reference"] = label, reference
            table["keys"] = table["term"].map(keys).fillna("")
            parts.append(table[["scenario", "reference", "term", "kind", "keys", "outcome", "mean", "ci_lo", "ci_hi",
                                "n", "share_of_total"]])
        drivers = _with_units(pd.concat(parts, ignore_index=True)) if parts else pd.DataFrame()
    robust = verdict = None
    if assumptions is not None:
        reps = list(range(int(info["robustness"]["replicates"])))
        values = {(label, name, side): v for (kind, label, name, side), v in results.items() if kind == "robust"}
        robust = _with_units(robustness_table(values, cmp.labels, reference, assumptions.items, reps))
        verdict = verdicts(robust, assumptions.items)
    return Explanation(drivers, robust, verdict, info, notes)


def _with_units(table: pd.DataFrame) -> pd.DataFrame:
    """The stored unit of each row's outcome, beside it (shares 0-1 or yuan per person per year)."""
    if table.empty:
        return table
    stored = {"pp of people": "share of people (0-1)"}
    pos = list(table.columns).index("outcome") + 1
    table.insert(pos, "unit", table["outcome"].map(lambda o: stored.get(OUTCOMES_BY_KEY[o].unit, OUTCOMES_BY_KEY[o].unit)))
    return table


def write_explanation(ex: Explanation, out: Path, meta: dict[str, Any], plots: bool = True) -> dict[str, Path]:
    """The tables, the tornado charts and the manifest's record of both sections."""
    from ..analysis.folders import read_manifest
    from ..analysis.outputs import write_csv, write_manifest

    out = Path(out)
    paths: dict[str, Path] = {}
    if ex.drivers is not None:
        paths["compare_drivers"] = write_csv(out / "compare_drivers.csv", ex.drivers)
    if ex.robustness is not None:
        paths["compare_robustness"] = write_csv(out / "compare_robustness.csv", ex.robustness)
        paths["compare_robustness_verdicts"] = write_csv(out / "compare_robustness_verdicts.csv", ex.verdicts)
        if plots:
            from ..presentation.robustness_plots import write_tornado_plots

            paths.update({f"plot_{p.stem}": p for p in write_tornado_plots(out, ex.robustness, ex.info, meta)})
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        manifest = read_manifest(manifest_path)
        manifest.setdefault("extra", {})["explain"] = {**ex.info, "notes": ex.notes,
                                                       "tables": [p.name for k, p in paths.items() if not k.startswith("plot_")]}
        write_manifest(manifest_path, manifest)
    return paths

