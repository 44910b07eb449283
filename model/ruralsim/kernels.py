"""The few hot inner loops, in NumPy (the reference) and, where it measurably wins, in Numba.

Numba is optional (the ``fast`` extra). Each compiled kernel does exactly the arithmetic of its NumPy
reference, in the same precision and order, so the two give bit-identical results
(``tests/test_scale.py`` checks it); which one runs is a matter of speed only.

Backend choice: ``RURALSIM_KERNELS=numpy|numba``, or by default Numba when it is installed and the
run is large enough for compilation (a few seconds, cached on disk afterwards) to pay off.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

NUMBA_MIN_HOUSEHOLDS = 100_000  # below this, "auto" stays with NumPy: compiling would cost more than it saves


class NumpyKernels:
    """Reference implementations."""

    name = "numpy"

    @staticmethod
    def segment_sums(x: np.ndarray, seg: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Sum of ``x`` per segment (float64, added in row order): ``seg`` is each row's segment and
        ``starts`` the first row of each segment (segments are contiguous and in order)."""
        return np.bincount(seg, weights=x, minlength=len(starts))


@lru_cache(maxsize=None)
def _numba_kernels():
    import numba

    @numba.njit(nogil=True, cache=True)
    def segment_sums(x, starts):
        n, k = x.shape[0], starts.shape[0]
        out = np.zeros(k)
        for s in range(k):
            end = starts[s + 1] if s + 1 < k else n
            acc = 0.0
            for i in range(starts[s], end):
                acc += np.float64(x[i])
            out[s] = acc
        return out

    class NumbaKernels(NumpyKernels):
        """Compiled kernels (GIL released, so chunks run in parallel threads)."""

        name = "numba"

        @staticmethod
        def segment_sums(x, seg, starts):
            return segment_sums(x.view(np.int8) if x.dtype == np.bool_ else x, starts)

    return NumbaKernels


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def select(n_households: int, requested: str | None = None):
    """The kernel set for a run: ``requested`` or ``RURALSIM_KERNELS`` (numpy, numba, auto)."""
    choice = (requested or os.environ.get("RURALSIM_KERNELS", "") or "auto").strip().lower()
    if choice not in ("auto", "numpy", "numba"):
        raise ValueError(f"RURALSIM_KERNELS={choice!r}: use numpy, numba or auto")
    if choice == "numpy" or (choice == "auto" and (n_households < NUMBA_MIN_HOUSEHOLDS or not numba_available())):
        return NumpyKernels
    return _numba_kernels()
