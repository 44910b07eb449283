"""Parameter sweeps and sensitivity analysis (``ruralsim sweep``), on one machine or a Dask cluster.

>>> from ruralsim.workflows.sweep import load_experiment, run_sweep     # doctest: +SKIP
>>> exp = load_experiment("experiments/monitoring.toml", households=500, replicates=1)
>>> summary = run_sweep(exp, "results/monitoring_small", workers=2)

:func:`run_sweep` is the driver: it runs the sweep's runs through :mod:`ruralsim.analysis.sweep.execute`,
stores them (:mod:`ruralsim.analysis.sweep.storage`), then writes the tables and figures
(:mod:`.sweep_report`) and the manifest. The rest of the sweep API is re-exported here, so this one
module is the sweep's whole public face (``from ruralsim.sweep import ...`` also lands here).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from ..analysis.sweep import analysis, checks, designs, execute, experiment, outcomes, spec, storage  # noqa: F401
from ..analysis.sweep.designs import Design, Task, build_design, point_values, run_id, tasks
from ..analysis.sweep.execute import RunResult, SweepSummary, run_task
from ..analysis.sweep.experiment import Experiment, Factor, find_experiment, load_experiment
from ..analysis.sweep.storage import SweepStore, failure_record


def run_sweep(exp: Experiment, out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
              progress: bool = True, analyse: bool = True, argv: list[str] | None = None) -> SweepSummary:
    """Run (or resume) every run of ``exp`` into ``out``, then assemble, analyse and plot.

    ``scheduler`` is a Dask scheduler address (``tcp://host:8786``); otherwise ``workers`` local
    processes (default: one per core; 1 runs in this process).
    """
    from ..analysis.folders import writing

    with writing(out, "sweep", keep=execute.SWEEP_KEEP, strict=False):
        return _run_sweep(exp, Path(out), workers, scheduler, progress, analyse, argv)


def _run_sweep(exp: Experiment, out: Path, workers: int | None, scheduler: str | None, progress: bool,
               analyse: bool, argv: list[str] | None) -> SweepSummary:
    started, t0 = datetime.now(timezone.utc), time.perf_counter()
    design = build_design(exp)
    store = SweepStore(out)
    expected = [(t.run_id, t.point, t.replicate) for t in tasks(exp, design)]
    unique = set(e[0] for e in expected)  # sampled designs may repeat a point (e.g. Sobol' with listed values)
    oid = execute.outputs_id(exp)
    finished = store.prepare(exp.to_json(), design, unique, (oid, ",".join(exp.outcomes)))
    redone = dict(getattr(store, "redone", {}))
    todo = _once(t for t in tasks(exp, design) if t.run_id not in finished)
    n_todo = len(unique) - len(finished)
    workers = execute.default_workers() if workers is None else max(1, int(workers))
    backend = "dask" if scheduler else ("process" if workers > 1 and n_todo > 1 else "inline")

    bar = _bar(progress, len(unique), len(finished), exp.name)
    counts = {"done": 0, "failed": 0}

    def record(task: Task, res: RunResult) -> None:
        values = point_values(design, exp, task.point)
        if res.ok:
            row = {"run_id": task.run_id, "replicate": task.replicate, "seed": int(task.params["run_seed"]),
                   **{f.column: design.points.at[task.point, f.column] for f in exp.factors},
                   **res.outcomes, "seconds": res.seconds, "host": res.host, "outputs_id": oid}
            store.write_ok(task, row, res.series)
            counts["done"] += 1
        else:
            store.write_failed(task, failure_record(task, values, res.error, res.traceback))
            counts["failed"] += 1
            if bar is not None:
                bar.write(f"run {task.run_id} (point {task.point}, replicate {task.replicate}) failed: {res.error}")
        if bar is not None:
            bar.update(1)
            bar.set_postfix(failed=counts["failed"], refresh=False)

    try:
        if n_todo:
            if scheduler:  # one run per Dask worker thread
                execute._run_dask((replace(t, threads=1) for t in todo), scheduler, record)
            elif backend == "process":  # the cores are shared out between the processes
                threads = max(1, execute.default_workers() // workers)
                execute._run_processes((replace(t, threads=threads) for t in todo), workers, record)
            else:
                for task in todo:
                    record(task, execute.run_task(task))
    finally:
        if bar is not None:
            bar.close()

    runs = store.assemble(expected, [f.column for f in exp.factors], design.points)
    status = runs.drop_duplicates("run_id")["status"].value_counts()
    summary = SweepSummary(Path(out), len(unique), len(finished), counts["done"], int(status.get("failed", 0)),
                           int(status.get("missing", 0)), time.perf_counter() - t0,
                           1 if backend == "inline" else workers, backend, started, runs, redone=redone)
    if analyse:
        from .sweep_report import write_report

        summary.plots = write_report(Path(out))
    _write_manifest(exp, store, summary, scheduler, argv)
    return summary


def _once(todo: Iterator[Task]) -> Iterator[Task]:
    """Each run id once: a repeated point is the same run (same parameters, same random streams)."""
    seen: set[str] = set()
    for task in todo:
        if task.run_id not in seen:
            seen.add(task.run_id)
            yield task


def _write_manifest(exp: Experiment, store: SweepStore, s: SweepSummary, scheduler: str | None,
                    argv: list[str] | None) -> None:
    from ..analysis.outputs import run_manifest, write_manifest
    from ..simulation.cohort.rng import replicate_seeds

    manifest = run_manifest(
        exp.base, scenario={"name": exp.scenario.name, "file": str(exp.scenario.path),
                            "extends": [str(p) for p in exp.scenario.chain]},
        seeds=replicate_seeds(int(exp.base["run_seed"]), exp.replicates), started_at=s.started_at,
        wall_seconds=s.wall_seconds, argv=argv,
        extra={"kind": "sweep", "experiment": exp.to_json(),
               "runs": {"total": s.total, "finished_before": s.skipped, "finished_now": s.done,
                        "failed": s.failed, "missing": s.missing},
               "backend": s.backend, "workers": s.workers, "scheduler": scheduler,
               "runs_per_minute": s.runs_per_minute})
    manifest["kind"] = "sweep"  # read by `ruralsim plot`
    write_manifest(store.out / "manifest.json", manifest)


def _bar(enabled: bool, total: int, initial: int, name: str):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=name, unit="run", dynamic_ncols=True, smoothing=0.1)


def __getattr__(name: str):
    """Tables and figures load matplotlib: imported on first use, so the command starts light."""
    if name in ("redraw_sweep", "write_report"):
        from . import sweep_report

        return getattr(sweep_report, name)
    raise AttributeError(name)


__all__ = ["Design", "Experiment", "Factor", "RunResult", "SweepSummary", "Task", "build_design",
           "find_experiment", "load_experiment", "redraw_sweep", "run_id", "run_sweep", "run_task", "tasks",
           "write_report"]
