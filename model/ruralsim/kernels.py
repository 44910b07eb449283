"""The hot inner loops: NumPy (the reference) or Numba (optional, the ``fast`` extra).

The model's phases are written in NumPy (:mod:`ruralsim.labour`, :mod:`ruralsim.programmes`); for the
few that dominate the profile (the labour market: separations, job search, training, wages) and for
the per-county sums, :mod:`ruralsim.kernels_numba` has compiled translations that do exactly the same
arithmetic in the same precision and order, so results are bit-identical (``tests/test_scale.py``
checks whole runs). Which set runs is a matter of speed only.

Choice: ``kernels=`` on the model, else ``RURALSIM_KERNELS=numpy|numba|auto``; "auto" (the default)
takes Numba when it is installed and the run has at least :data:`NUMBA_MIN_HOUSEHOLDS` households,
below which compiling (a few seconds on first use, then cached on disk) costs more than it saves.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

NUMBA_MIN_HOUSEHOLDS = 100_000


class NumpyKernels:
    """The reference: each phase runs its own NumPy code (``fast`` is False)."""

    name = "numpy"
    fast = False

    @staticmethod
    def segment_sums(x: np.ndarray, seg: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Sum of ``x`` per segment (float64, added in row order): ``seg`` is each row's segment and
        ``starts`` the first row of each segment (segments are contiguous and in order)."""
        return np.bincount(seg, weights=x, minlength=len(starts))


@lru_cache(maxsize=None)
def _numba_kernels():
    from . import kernels_numba as kn

    f32 = np.float32

    class NumbaKernels(NumpyKernels):
        """Compiled kernels; they release the GIL, so chunks run in parallel threads."""

        name = "numba"
        fast = True

        @staticmethod
        def segment_sums(x, seg, starts):
            return kn.segment_sums(x, starts)

        @staticmethod
        def separations(c, u_sep, u_trim, u_kind, demand_drop):
            p, L = c.p, c.labs
            lost = np.zeros(L.m, bool)
            kn.separations(L.status, L.skill, c.lab_county, L.village, u_sep, u_trim, u_kind,
                           f32(p["labour_migrant_quit_rate"] * (1.0 + 3.0 * demand_drop)),
                           f32(p["labour_local_quit_rate"]), float(p["labour_skill_quit_cut"]),
                           f32(p["posts_quit_rate"]), bool(c.demand_drop_started), f32(demand_drop),
                           c.county_capacity, c.village_capacity, c.post_quota, f32(p["labour_own_farm_share"]),
                           lost)
            return lost

        @staticmethod
        def search(c, u_find, demand_drop, monitored_hh):
            p, L = c.p, c.labs
            kn.search(L.status, L.absent, L.age, L.skill, L.weak, L.hh, c.lab_county, L.village, c.hh.chronic,
                      monitored_hh, u_find, f32(p["labour_migrant_find_rate"] * (1.0 - demand_drop)),
                      f32(p["labour_skill_find_bonus"]), f32(p["labour_weak_find_cut"]),
                      f32(p["labour_age_find_cut"]), f32(p["monitoring_job_priority"]),
                      np.asarray(c.county_capacity, float), np.asarray(c.village_capacity, float),
                      np.asarray(c.post_quota, float))

        @staticmethod
        def wages(c):
            p, L, idx = c.p, c.labs, c.wage_index
            return kn.wages(L.status, L.skill, L.absent, c.hh.phi, L.hh, c.lab_county, L.village,
                            f32(p["labour_migrant_wage"] * idx), float(p["labour_local_wage"] * idx),
                            c.county_wage_factor, c.village_wage, float(idx), float(p["labour_skill_wage_premium"]),
                            f32(p["posts_wage"] * idx))

        @staticmethod
        def household_sums(values, lab_hh, n_households):
            return kn.household_sums(values, lab_hh, n_households)

        @staticmethod
        def training(c, u_enrol, u_place):
            p, L = c.p, c.labs
            return kn.training(L.status, L.timer, L.skill, L.age, L.absent, L.hh, c.lab_county, c.mon_state,
                               u_enrol, u_place, f32(p["training_placement_prob"]),
                               float(p["training_monitored_priority"]), p["training_coverage"] / 12.0 * c.ration,
                               int(p["training_course_months"]), c.span.lab_starts)

    return NumbaKernels


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def select(n_households: int, requested: str | None = None):
    """The kernel set for a run: ``requested``, else ``RURALSIM_KERNELS``, else "auto"."""
    choice = (requested or os.environ.get("RURALSIM_KERNELS", "") or "auto").strip().lower()
    if choice not in ("auto", "numpy", "numba"):
        raise ValueError(f"kernels={choice!r} (or RURALSIM_KERNELS): use numpy, numba or auto")
    if choice == "numba" and not numba_available():
        raise ValueError("kernels='numba' but Numba is not installed: pip install 'ruralsim[fast]'")
    if choice == "numpy" or (choice == "auto" and (n_households < NUMBA_MIN_HOUSEHOLDS or not numba_available())):
        return NumpyKernels
    return _numba_kernels()
