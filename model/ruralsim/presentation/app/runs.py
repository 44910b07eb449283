"""Cached, cancellable model runs for the page, in worker processes.

A replicate is fully determined by its full parameters (scenario + levers + households + seed) and
its index, so results are cached by (hash of the parameters, replicate) and shared between the
baseline and any policy that resolves to the same parameters. A request (:meth:`RunManager.submit`)
asks for every replicate of the policy and of the baseline; a newer request supersedes the older
one: replicates the new one does not need are cancelled (a running one stops at its next month),
the others stay queued, and finished ones stay in the cache.

Workers are separate processes (the model is mostly NumPy on small arrays, so threads would not
use both cores); each reports the months it has done through shared memory, for the progress bar.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: Slots of shared memory for progress and cancel flags; a ticket uses slot ticket % SLOTS.
SLOTS = 1024

_CANCEL: Any = None
_MONTHS: Any = None


def params_key(params: dict[str, Any]) -> str:
    """A stable hash of a full parameter dict: the cache key of its runs."""
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def _init_worker(cancel, months) -> None:
    global _CANCEL, _MONTHS
    _CANCEL, _MONTHS = cancel, months
    from ...simulation.model import RuralModel  # noqa: F401  (import once, before the first request)


def simulate(params: dict[str, Any], replicate: int, ticket: int = -1) -> pd.DataFrame | None:
    """One replicate's monthly timeseries (None when cancelled); what :class:`RuralModel` gives for
    these parameters, which the page's tests compare with a direct run."""
    from ...simulation.model import RuralModel

    model = RuralModel(None, replicate=replicate, threads=1, record_distribution=False, **params)
    slot = ticket % SLOTS
    while model.running:
        if _CANCEL is not None and ticket >= 0 and _CANCEL[slot]:
            return None
        model.step()
        if _MONTHS is not None and ticket >= 0:
            _MONTHS[slot] = model.steps
    return model.timeseries()


@dataclass
class Request:
    """What one state of the page asks for: the policy and the baseline, each R replicates."""

    policy: dict[str, Any]
    baseline: dict[str, Any]
    replicates: int
    id: int = 0
    error: str = ""
    tasks: list[tuple[str, int]] = field(default_factory=list)

    @property
    def keys(self) -> tuple[str, str]:
        return params_key(self.policy), params_key(self.baseline)


class RunManager:
    """Owns the worker pool, the cache and the current request."""

    def __init__(self, workers: int = 2):
        ctx = mp.get_context("spawn")  # no fork of a threaded web server
        self._cancel = ctx.Array("b", SLOTS, lock=False)
        self._months = ctx.Array("i", SLOTS, lock=False)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                        initargs=(self._cancel, self._months))
        self.cache: dict[tuple[str, int], pd.DataFrame] = {}
        self.running: dict[tuple[str, int], tuple[Future, int, int]] = {}  # task -> future, ticket, months
        self.requests: dict[int, Request] = {}
        self.current = 0
        self._lock = threading.RLock()  # a done callback may run inside submit()
        self._ticket = 0

    def warm_up(self) -> None:
        """Start the workers (spawned processes import the model once) before the first request."""
        for f in [self.pool.submit(int, 0) for _ in range(self.pool._max_workers)]:
            f.result()

    def submit(self, policy: dict[str, Any], baseline: dict[str, Any], replicates: int) -> int:
        """Ask for a request's runs; returns its id. Supersedes (cancels) the previous request."""
        with self._lock:
            req = Request(policy, baseline, replicates, id=len(self.requests) + 1)
            req.tasks = [(k, r) for k in dict.fromkeys(req.keys) for r in range(replicates)]
            self.requests[req.id] = req
            self._activate(req)
            return req.id

    def _activate(self, req: Request) -> None:
        """Make ``req`` the current request: cancel the tasks only others need, start its missing ones.

        Also called when the page polls a request that is not current: the web server may process two
        quick changes in either order, so the one the page shows last must be able to win back."""
        self.current = req.id
        params = {params_key(req.policy): req.policy, params_key(req.baseline): req.baseline}
        for task, (fut, ticket, _) in list(self.running.items()):
            if task not in req.tasks:  # a cancelled task that had not started is simply dropped
                del self.running[task]  # first: cancel() runs the done callback at once
                self._cancel[ticket % SLOTS] = 1
                fut.cancel()
        for task in req.tasks:
            if task not in self.cache and task not in self.running:
                self._start(task, params[task[0]])

    def _start(self, task: tuple[str, int], params: dict[str, Any]) -> None:
        self._ticket += 1
        ticket = self._ticket
        self._cancel[ticket % SLOTS] = 0
        self._months[ticket % SLOTS] = 0
        fut = self.pool.submit(simulate, params, task[1], ticket)
        self.running[task] = (fut, ticket, int(params["run_months"]))
        fut.add_done_callback(lambda f, task=task, ticket=ticket: self._finished(task, ticket, f))

    def _finished(self, task: tuple[str, int], ticket: int, fut: Future) -> None:
        with self._lock:
            if self.running.get(task, (None, None))[1] == ticket:
                del self.running[task]
            if fut.cancelled():
                return
            err = fut.exception()
            if err is not None:
                for req in self.requests.values():
                    if task in req.tasks:
                        req.error = f"{type(err).__name__}: {err}"
                return
            ts = fut.result()
            if ts is not None:
                self.cache[task] = ts

    def status(self, request_id: int) -> dict[str, Any]:
        """Progress of a request: share of months done, whether it is done, superseded or failed.

        Polling a request means the page waits for it: if it is not the current one, it becomes so."""
        with self._lock:
            req = self.requests[request_id]
            if request_id != self.current and not req.error and any(tk not in self.cache for tk in req.tasks):
                self._activate(req)
            done = months = total = 0
            for task in req.tasks:
                if task in self.cache:
                    done += 1
                    months += len(self.cache[task])
                    total += len(self.cache[task])
                elif task in self.running:
                    _, ticket, m = self.running[task]
                    months += int(self._months[ticket % SLOTS])
                    total += m
                else:
                    total += int(req.policy["run_months"])
            return {"done": done == len(req.tasks), "fraction": months / max(total, 1),
                    "current": request_id == self.current, "error": req.error}

    def results(self, request_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(policy, baseline) timeseries of a finished request, replicates stacked."""
        req = self.requests[request_id]
        kp, kb = req.keys
        stack = [pd.concat([self.cache[(k, r)].assign(replicate=r) for r in range(req.replicates)],
                           ignore_index=True) for k in (kp, kb)]
        return stack[0], stack[1]

    def close(self) -> None:
        for i in range(SLOTS):
            self._cancel[i] = 1
        self.pool.shutdown(wait=False, cancel_futures=True)
