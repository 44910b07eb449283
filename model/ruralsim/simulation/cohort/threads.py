"""One shared thread pool per thread count: pieces of work on threads, results in their order.

Below both :mod:`.population` (the cohort is drawn in pieces) and :mod:`.chunking` (a month runs in
chunks of counties), so neither has to import the other.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence

_POOLS: dict[int, ThreadPoolExecutor] = {}


def run_chunks(fn: Callable[[Any], Any], spans: Sequence[Any], threads: int) -> list[Any]:
    """``[fn(span) for span in spans]``, on ``threads`` threads (NumPy and the kernels release the
    GIL); results come back in chunk order whatever the thread count."""
    if threads <= 1 or len(spans) <= 1:
        return [fn(s) for s in spans]
    pool = _POOLS.get(threads)
    if pool is None:
        pool = _POOLS[threads] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ruralsim")
    return list(pool.map(fn, spans))
