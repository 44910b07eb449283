"""How the Numba kernels are compiled, in one place for every kernel module (and below them all, so the
compiled draws in :mod:`.pcg64_numba` and the kernels that read them need not import each other to share it).

Per-row helpers a loop calls take and return scalars only: an array handed to a compiled call costs its
reference counting on every row (a loop calling one with three arrays ran six times slower). NumPy's error
model: a division by zero gives inf/nan as in the NumPy reference instead of a per-division check and Python
exception (every divisor in the kernels is a size, a count or a positive parameter anyway). Imported only
when the Numba kernels are selected.
"""

from __future__ import annotations

import numba
import numpy as np

_jit = numba.njit(nogil=True, cache=True, error_model="numpy")

f32 = np.float32
