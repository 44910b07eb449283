"""Shared fixtures: small, cached runs so the suite stays fast."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

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
