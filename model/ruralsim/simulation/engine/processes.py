"""Worker processes that end with their parent, and SIGTERM treated like Ctrl-C.

Pool workers run :func:`init_worker`: on Linux the kernel kills them when the process that started
them dies (``prctl(PR_SET_PDEATHSIG)``), so a ``kill -9`` of ``ruralsim`` leaves no orphan
simulating or writing; elsewhere a watcher thread exits when the parent's pid changes. Workers
ignore SIGINT: Ctrl-C is the parent's to handle (it stops the pool with :func:`stop_pool`), so
no worker prints a traceback.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so it unwinds like Ctrl-C (finished outputs are kept)."""


def on_sigterm_raise() -> None:
    """Make SIGTERM raise :class:`Terminated` in the main thread (the CLI turns it into exit 143)."""
    def handler(signum, frame):  # noqa: ARG001
        raise Terminated()

    with contextlib.suppress(ValueError):  # not the main thread (embedded use): leave the default
        signal.signal(signal.SIGTERM, handler)


def init_worker(parent: int | None = None) -> None:
    """Pool initializer: die with the parent, leave SIGINT to it, default SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = parent or os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover
            _watch(parent)
    else:  # pragma: no cover
        _watch(parent)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _watch(parent: int) -> None:
    def loop() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=loop, daemon=True, name="ruralsim-parent-watch").start()


class QuietSpawnProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that ignores SIGINT from its first instruction: the parent ignores SIGINT only
    while it starts the child (an ignored signal stays ignored across exec, and Python then installs no
    KeyboardInterrupt handler), so a Ctrl-C that lands while a worker is still importing its modules
    prints no traceback from it; :func:`init_worker` keeps it ignored."""

    def start(self) -> None:
        try:
            old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread: signals cannot be changed here
            return super().start()
        try:
            super().start()
        finally:
            signal.signal(signal.SIGINT, old)


class QuietSpawnContext(multiprocessing.context.SpawnContext):
    Process = QuietSpawnProcess


def pool(workers: int, **kwargs: Any) -> ProcessPoolExecutor:
    """A process pool whose workers run :func:`init_worker`; spawned (not forked) unless ``mp_context`` says
    otherwise: importing ruralsim leaves the start method alone, and forking after threads is unsafe."""
    kwargs.setdefault("mp_context", QuietSpawnContext())
    return ProcessPoolExecutor(max_workers=workers, initializer=init_worker, initargs=(os.getpid(),), **kwargs)


@contextlib.contextmanager
def worker_pool(workers: int, **kwargs: Any) -> Iterator[ProcessPoolExecutor]:
    """:func:`pool` as a context manager that, on an exception or interrupt, kills the workers at once
    instead of waiting for the runs in flight (whose results would be discarded anyway)."""
    executor = pool(workers, **kwargs)
    try:
        yield executor
    except BaseException:
        stop_pool(executor)
        raise
    executor.shutdown(wait=True)


def stop_pool(executor: Any) -> None:
    """Stop a process pool now: runs in flight are lost, finished ones are already on disk."""
    procs = list((getattr(executor, "_processes", None) or {}).values())
    with contextlib.suppress(Exception):
        executor.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        with contextlib.suppress(Exception):
            if p.is_alive():
                p.terminate()
    for p in procs:
        with contextlib.suppress(Exception):
            p.join(timeout=5)
