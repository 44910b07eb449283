"""Shared fixtures: small, cached runs so the suite stays fast."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

# Every figure the suite draws (in this process and in the CLI subprocesses, which inherit the
# environment) is checked for hygiene when saved: no text outside the canvas, no legend over an
# annotation, no series drawn twice under two names (ruralsim.presentation.hygiene).
os.environ["RURALSIM_FIGURE_CHECK"] = "1"
# A comparison runs its drivers and robustness sections by default (dozens of extra runs); the suite's
# comparisons test other things, so they go without unless a test asks (tests/test_drivers.py passes
# --drivers --robustness).
os.environ.setdefault("RURALSIM_EXPLAIN", "off")
# The start cache (ruralsim.simulation.start_cache) is off: the suite must not write into the user's
# ~/.cache, and some tests patch rules the start runs. tests/test_start_cache.py turns it on explicitly.
os.environ["RURALSIM_CACHE"] = "off"

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHARED = ROOT.parent / "shared"


@functools.lru_cache(maxsize=None)
def small_run(households: int = 2000, months: int = 48, replicate: int = 0, **overrides):
    """Run a small model with default parameters plus overrides; cached across tests in a process."""
    from ruralsim import RuralModel

    model = RuralModel(None, replicate=replicate, run_households=households, run_months=months, **overrides)
    model.run()
    return model


@pytest.fixture(scope="session")
def base_model():
    return small_run()
