"""How the Numba kernels are compiled, in one place for every kernel module (and below them all, so the
compiled draws in :mod:`.pcg64_numba` and the kernels that read them need not import each other to share it).

Per-row helpers a loop calls take and return scalars only: an array handed to a compiled call costs its
reference counting on every row (a loop calling one with three arrays ran six times slower). NumPy's error
model: a division by zero gives inf/nan as in the NumPy reference instead of a per-division check and Python
exception (every divisor in the kernels is a size, a count or a positive parameter anyway). Imported only
when the Numba kernels are selected.

The on-disk cache: Numba reuses a kernel's machine code while *its own* source file is unchanged, but that code
has the helpers it calls from other modules compiled in (a reader of :mod:`.pcg64_numba` inside the labour
market). After an update that changed a helper's module only, the old helper would run on, silently. So the
kernels' cache entries are stamped with the digest of every module of this package instead (one changed file
recompiles them all, once); if this Numba's cache classes cannot be extended, nothing is cached.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numba
import numpy as np

_PHASES = Path(__file__).resolve().parent


def kernel_sources(folder: Path = _PHASES) -> list[Path]:
    """The modules a compiled kernel's machine code may depend on: every module of this package."""
    return sorted(folder.glob("*.py"))


def sources_digest(paths: list[Path]) -> str:
    """One digest of the modules' names and contents."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _install_cache_stamp() -> bool:
    """Put locators that stamp the kernels' cache entries with :func:`sources_digest` first in Numba's list
    (for this package's functions only; others keep Numba's own). False when this Numba lacks the classes."""
    from numba.core import caching

    impl = getattr(caching, "CacheImpl", None) or getattr(caching, "_CacheImpl", None)
    bases = [getattr(caching, name, None) or getattr(caching, "_" + name, None)
             for name in ("UserProvidedCacheLocator", "InTreeCacheLocator", "UserWideCacheLocator")]
    if impl is None or None in bases or not isinstance(getattr(impl, "_locator_classes", None), list):
        return False
    digest = sources_digest(kernel_sources())

    class Stamped:
        def get_source_stamp(self):
            return digest

        @classmethod
        def from_function(cls, py_func, py_file):
            if Path(py_file).resolve().parent != _PHASES:
                return None
            return super().from_function(py_func, py_file)

    impl._locator_classes[:0] = [type("Kernels" + base.__name__, (Stamped, base), {}) for base in bases]
    return True


_jit = numba.njit(nogil=True, cache=_install_cache_stamp(), error_model="numpy")

f32 = np.float32
