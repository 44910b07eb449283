"""Running a sweep: local processes or a Dask cluster, a bounded window of runs in flight, resume.

Workers only compute: :func:`run_task` returns a run's outcomes and its (small) monthly series,
and the client writes them (:class:`~.storage.SweepStore`). So a cluster needs no shared file
system, only ruralsim installed on every worker, and the client holds at most ``window`` runs'
results at a time however large the sweep. A run's result depends only on its parameters and
replicate index, so neither the number of workers nor the order runs finish in changes anything.

A run that raises is recorded in ``failed/`` with its parameters, seed and traceback, and the
sweep goes on. Interrupted (Ctrl-C, a killed worker, a lost machine), the same command resumes:
finished runs are skipped and failed ones are tried again.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ...simulation.inputs.config import ConfigError, Problem
from . import outcomes as oc
from .designs import Task
from .storage import format_exception

#: Seconds to wait for a Dask scheduler before giving up with a clear error.
CONNECT_TIMEOUT = 15
#: Times a run may be in flight when a worker process dies before it is recorded as failed.
MAX_CRASHES = 3


@dataclass
class RunResult:
    """What a worker sends back: small (outcomes and the kept monthly columns)."""

    run_id: str
    ok: bool
    outcomes: dict[str, float] = field(default_factory=dict)
    series: pd.DataFrame | None = None
    seconds: float = 0.0
    host: str = ""
    error: str = ""
    traceback: str = ""


@dataclass
class SweepSummary:
    """Counts and timing of a sweep (all runs of the design, not only this session's)."""

    out: Path
    total: int
    skipped: int  # finished before this session
    done: int  # finished in this session
    failed: int  # failed (all sessions, still failing)
    missing: int
    wall_seconds: float
    workers: int
    backend: str
    started_at: datetime
    runs: pd.DataFrame | None = None
    plots: list[Path] = field(default_factory=list)
    redone: dict[str, int] = field(default_factory=dict)  # finished runs run again, by reason

    @property
    def runs_per_minute(self) -> float:
        return 60.0 * self.done / self.wall_seconds if self.wall_seconds > 0 else float("nan")


# ---------------------------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------------------------
def simulate(params: dict[str, Any], replicate: int, threads: int | None = None) -> pd.DataFrame:
    """One run of the model; its monthly series."""
    from ...simulation.engine.model import RuralModel

    model = RuralModel(None, replicate=replicate, record_distribution=False, threads=threads, **params)
    return model.run().timeseries()


def run_task(task: Task) -> RunResult:
    """Run one task and return its small result; exceptions are returned, not raised."""
    t0 = time.perf_counter()
    host = socket.gethostname()
    try:
        ts = simulate(task.params, task.replicate, task.threads)
        outs = oc.compute(ts, task.params, task.outcomes)
        series = kept_months(ts, task.months)[["date", *[c for c in task.series if c in ts.columns]]]
        return RunResult(task.run_id, True, outs, series, time.perf_counter() - t0, host)
    except Exception as exc:  # a failing run must not stop the sweep
        error, tb = format_exception(exc)
        return RunResult(task.run_id, False, seconds=time.perf_counter() - t0, host=host, error=error, traceback=tb)


def kept_months(ts: pd.DataFrame, months: str | tuple[str, ...]) -> pd.DataFrame:
    """Rows of the series to store: all months, every December and the last, or the listed months."""
    if months == "all" or not len(ts):
        return ts.reset_index(drop=True)
    period = pd.to_datetime(ts["date"]).dt.to_period("M")
    if months == "december":
        keep = (period.dt.month == 12) | (period == period.max())
    else:
        keep = period.astype(str).isin(list(months))
    return ts[keep.to_numpy()].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# The client side
# ---------------------------------------------------------------------------------------------
def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def _run_processes(todo: Iterator[Task], workers: int, record: Callable[[Task, RunResult], None]) -> None:
    """Local processes with at most ``2 x workers`` runs in flight; a dead worker process is survived."""
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    window = 2 * workers
    crashes: dict[str, int] = {}
    retry: list[Task] = []
    ctx = mp.get_context("spawn")  # fork after threads (tqdm, pyarrow) is unsafe; spawn is what mesa sets

    def pool() -> ProcessPoolExecutor:
        from ...simulation.engine.processes import pool as worker_pool

        return worker_pool(workers, mp_context=ctx)  # workers die with this process, ignore Ctrl-C

    executor = pool()
    pending: dict[Any, Task] = {}
    try:
        while True:
            while len(pending) < window:
                task = retry.pop() if retry else next(todo, None)
                if task is None:
                    break
                pending[executor.submit(run_task, task)] = task
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                task = pending.pop(fut)
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    broken = True
                    crashes[task.run_id] = crashes.get(task.run_id, 0) + 1
                    if crashes[task.run_id] >= MAX_CRASHES:
                        res = RunResult(task.run_id, False, error="worker process died while this run was in "
                                        f"flight ({MAX_CRASHES} times; out of memory?)")
                    else:
                        retry.append(task)
                        continue
                record(task, res)
            if broken:  # every run still in flight is lost with the pool: start a new pool and redo them
                for fut, task in pending.items():
                    crashes[task.run_id] = crashes.get(task.run_id, 0) + 1
                    retry.append(task)
                pending.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = pool()
    except BaseException:
        _kill(executor)
        raise
    executor.shutdown(wait=True)


#: What a sweep folder keeps from an earlier session: its finished runs (resumable state).
SWEEP_KEEP = ("experiment.json", "design.parquet", "runs", "series", "failed")


def outputs_id(exp) -> str:
    """A hash of what a run stores (outcomes, series, months): part of a finished run's identity, so a
    resume after the outputs changed recomputes the runs that lack them."""
    import hashlib
    import json

    text = json.dumps([list(exp.outcomes), list(exp.series), exp.series_months if isinstance(exp.series_months, str)
                       else list(exp.series_months)], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _kill(executor: Any) -> None:
    """Stop a process pool at once (Ctrl-C): runs in flight are lost, finished ones are on disk."""
    from ...simulation.engine.processes import stop_pool

    stop_pool(executor)


SCHEDULER_ALLOWED = "the address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786"
#: Schemes a Dask scheduler listens on that ruralsim supports.
SCHEDULER_SCHEMES = ("tcp", "tls")


def check_scheduler_address(address: str) -> str:
    """The address as given if Dask can parse it (scheme, host and numeric port), else a ConfigError:
    a malformed address is bad input, to be reported before any work starts, not after a timeout."""
    try:
        from distributed.comm import parse_address
        from distributed.comm.addressing import parse_host_port

        scheme, location = parse_address(address)
        if scheme not in SCHEDULER_SCHEMES:
            # Checked here, not by Client(): a Client refused for its scheme is half built, and its
            # clean-up waits 30 s at exit and prints a traceback.
            raise ValueError(f"the scheme {scheme!r} is not one of {', '.join(SCHEDULER_SCHEMES)}")
        parse_host_port(location)
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ConfigError([Problem("--scheduler", "", address, f"dask.distributed is not installed ({exc})",
                                   "pip install 'dask[distributed]'")]) from None
    except (ValueError, TypeError) as exc:
        raise ConfigError([Problem("--scheduler", "", address, f"not a scheduler address ({exc})",
                                   SCHEDULER_ALLOWED)]) from None
    return address


def _run_dask(todo: Iterator[Task], address: str, record: Callable[[Task, RunResult], None]) -> None:
    """Submit to an existing Dask scheduler with a bounded window; worker losses become retries or failures."""
    from distributed import Client, as_completed

    check_scheduler_address(address)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError([Problem("--scheduler", "", address, f"cannot connect to a Dask scheduler: {exc}",
                                   SCHEDULER_ALLOWED)]) from None
    threads = sum(client.nthreads().values())
    window = 2 * max(1, threads)
    pending: dict[str, Task] = {}
    ac = None
    try:
        def submit() -> Any:
            task = next(todo, None)
            if task is None:
                return None
            fut = client.submit(run_task, task, pure=False)
            pending[fut.key] = task
            return fut

        first = [f for f in (submit() for _ in range(window)) if f is not None]
        ac = as_completed(first, loop=client.loop)
        for fut in ac:
            task = pending.pop(fut.key)
            try:
                res = fut.result()
            except Exception as exc:  # KilledWorker, lost connection: record, the sweep goes on
                error, tb = format_exception(exc)
                res = RunResult(task.run_id, False, error=error, traceback=tb)
            fut.release()
            record(task, res)
            nxt = submit()
            if nxt is not None:
                ac.add(nxt)
    finally:
        if ac is not None:
            ac.clear()
        client.close()
