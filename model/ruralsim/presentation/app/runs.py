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
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: Slots of shared memory for progress and cancel flags; a ticket uses slot ticket % SLOTS.
SLOTS = 1024
#: Requests remembered (least recently used dropped first), across all clients.
MAX_REQUESTS = 256
#: Replicate series cached (about 100 kB each at the page's default size: ~25 MB), across all clients.
MAX_CACHED = 240

_CANCEL: Any = None
_MONTHS: Any = None


def params_key(params: dict[str, Any]) -> str:
    """A stable hash of a full parameter dict: the cache key of its runs."""
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


#: Set in a worker once its compiled (Numba) kernels are loaded: from then on its runs use them.
_COMPILED = threading.Event()


def _init_worker(cancel, months) -> None:
    global _CANCEL, _MONTHS
    _CANCEL, _MONTHS = cancel, months
    from ...simulation.engine.model import RuralModel  # noqa: F401  (import once, before the first request)
    from ...simulation.phases.kernels import numba_available

    if numba_available():
        threading.Thread(target=_load_compiled, daemon=True).start()


def _load_compiled() -> None:
    """Load (or, on a machine that never ran them, compile) the Numba kernels with a tiny run, beside the
    first requests. Why: at the page's size a month costs ~1.3 ms with the kernels against ~2.8 ms in NumPy
    (Python's per-call overhead, not arithmetic), but loading them takes ~0.5 s and compiling them ~10 s,
    which a first answer should not wait for. Results are bit-identical either way (tests/test_scale.py)."""
    from ...simulation.engine.model import RuralModel

    try:
        model = RuralModel("baseline", run_households=200, run_months=2, threads=1, kernels="numba",
                           record_distribution=False)
        while model.running:
            model.step()
    except Exception:  # noqa: BLE001  (no compiled kernels: the worker keeps to NumPy)
        return
    _COMPILED.set()


def simulate(params: dict[str, Any], replicate: int, ticket: int = -1) -> pd.DataFrame | None:
    """One replicate's monthly timeseries (None when cancelled); what :class:`RuralModel` gives for
    these parameters, which the page's tests compare with a direct run."""
    from ...simulation.engine.model import RuralModel

    model = RuralModel(None, replicate=replicate, threads=1, record_distribution=False,
                       kernels="numba" if _COMPILED.is_set() else "numpy", **params)
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
    """Owns the worker pool, the cache and each client's current request.

    Every client (a browser session of the page; ``""`` for a library caller) has one current
    request; the runs kept going are those some client's current request needs, so one client's
    change or poll never cancels another's. Memory is bounded: at most :data:`MAX_REQUESTS` requests
    and :data:`MAX_CACHED` replicate series are kept, least recently used dropped first (never one a
    current request still needs).
    """

    def __init__(self, workers: int = 2):
        ctx = mp.get_context("spawn")  # no fork of a threaded web server
        self._cancel = ctx.Array("b", SLOTS, lock=False)
        self._months = ctx.Array("i", SLOTS, lock=False)
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                        initargs=(self._cancel, self._months))
        self.cache: OrderedDict[tuple[str, int], pd.DataFrame] = OrderedDict()
        self.running: dict[tuple[str, int], tuple[Future, int, int]] = {}  # task -> future, ticket, months
        self.requests: OrderedDict[int, Request] = OrderedDict()
        self.current: dict[str, int] = {}  # client -> its current request
        self._lock = threading.RLock()  # a done callback may run inside submit()
        self._ticket = 0
        self._next_id = 0

    def warm_up(self) -> None:
        """Start the workers (spawned processes import the model once) before the first request."""
        for f in [self.pool.submit(int, 0) for _ in range(self.pool._max_workers)]:
            f.result()

    def submit(self, policy: dict[str, Any], baseline: dict[str, Any], replicates: int, client: str = "") -> int:
        """Ask for a request's runs; returns its id. Supersedes (cancels) ``client``'s previous request."""
        with self._lock:
            self._next_id += 1
            req = Request(policy, baseline, replicates, id=self._next_id)
            req.tasks = [(k, r) for k in dict.fromkeys(req.keys) for r in range(replicates)]
            self.requests[req.id] = req
            self._activate(req, client)
            self._trim_requests()
            return req.id

    def forget(self, client: str) -> None:
        """A client is gone (its session dropped): its current request no longer keeps runs going."""
        with self._lock:
            if self.current.pop(client, None) is not None:
                self._cancel_unneeded()

    def _needed(self) -> set[tuple[str, int]]:
        return {tk for rid in self.current.values() if rid in self.requests for tk in self.requests[rid].tasks}

    def _activate(self, req: Request, client: str) -> None:
        """Make ``req`` the client's current request: cancel the tasks no current request needs, start its
        missing ones.

        Also called when the page polls a request that is not current: the web server may process two
        quick changes in either order, so the one the page shows last must be able to win back."""
        self.current[client] = req.id
        self._cancel_unneeded()
        params = {params_key(req.policy): req.policy, params_key(req.baseline): req.baseline}
        for task in req.tasks:
            if task in self.cache:
                self.cache.move_to_end(task)
            elif task not in self.running:
                self._start(task, params[task[0]])

    def _cancel_unneeded(self) -> None:
        needed = self._needed()
        for task, (fut, ticket, _) in list(self.running.items()):
            if task not in needed:  # a cancelled task that had not started is simply dropped
                del self.running[task]  # first: cancel() runs the done callback at once
                self._cancel[ticket % SLOTS] = 1
                fut.cancel()

    def _trim_requests(self) -> None:
        current = set(self.current.values())
        for rid in list(self.requests):
            if len(self.requests) <= MAX_REQUESTS:
                break
            if rid not in current:
                del self.requests[rid]

    def _trim_cache(self) -> None:
        needed = self._needed()
        for task in list(self.cache):
            if len(self.cache) <= MAX_CACHED:
                break
            if task not in needed:
                del self.cache[task]

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
                self._trim_cache()

    def status(self, request_id: int, client: str = "") -> dict[str, Any]:
        """Progress of a request: share of months done, whether it is done, superseded or failed.

        Polling a request means the client waits for it: if it is not the client's current one, it
        becomes so (other clients' requests are untouched). An unknown (dropped) request says so."""
        with self._lock:
            req = self.requests.get(request_id)
            if req is None:
                return {"done": False, "fraction": 0.0, "current": False, "error": "this request was dropped: "
                        "move a lever or pick the scenario again"}
            self.requests.move_to_end(request_id)
            mine = self.current.get(client) == request_id
            if not mine and not req.error and any(tk not in self.cache for tk in req.tasks):
                self._activate(req, client)
                mine = True
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
                    "current": mine, "error": req.error}

    def results(self, request_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(policy, baseline) timeseries of a finished request, replicates stacked."""
        with self._lock:
            req = self.requests[request_id]
            kp, kb = req.keys
            stack = [pd.concat([self.cache[(k, r)].assign(replicate=r) for r in range(req.replicates)],
                               ignore_index=True) for k in (kp, kb)]
        return stack[0], stack[1]

    def close(self) -> None:
        for i in range(SLOTS):
            self._cancel[i] = 1
        self.pool.shutdown(wait=False, cancel_futures=True)
