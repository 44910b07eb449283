"""Common random numbers: scenarios run with the same seed share every draw until their policies differ."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim.workflows.compare import load_scenarios, run_comparison
from ruralsim.simulation.runner import run_scenario

SIZE = {"run_households": 1500, "run_months": 72, "run_replicates": 1, "run_seed": 4242}


@pytest.fixture(scope="module")
def baseline_and_cliff():
    scenarios = load_scenarios([SCENARIOS / "baseline.toml", SCENARIOS / "cliff_exit.toml"])
    cmp = run_comparison(scenarios, SIZE, workers=1, progress=False)
    return cmp.results["baseline"].timeseries, cmp.results["cliff_exit"].timeseries


def test_identical_month_by_month_until_the_transition_ends(baseline_and_cliff):
    base, cliff = baseline_and_cliff
    assert list(base.columns) == list(cliff.columns) and len(base) == len(cliff) == 72
    before = pd.to_datetime(base["date"]) <= "2025-12-01"
    assert before.sum() == 60
    # Every column, exact equality (NaN == NaN), for all 60 months of the transition.
    pd.testing.assert_frame_equal(base[before].reset_index(drop=True), cliff[before].reset_index(drop=True),
                                  check_exact=True)


def test_they_differ_from_the_first_month_after_it(baseline_and_cliff):
    base, cliff = baseline_and_cliff
    differs = (base.drop(columns="date") != cliff.drop(columns="date")) & ~(
        base.drop(columns="date").isna() & cliff.drop(columns="date").isna())
    months = pd.to_datetime(base["date"])[differs.any(axis=1)]
    assert months.min() == pd.Timestamp("2026-01-01")
    after = pd.to_datetime(base["date"]) >= "2026-01-01"
    assert differs[after].any(axis=1).all(), "every month after the cliff should differ somewhere"
    # The policy change shows in outcomes, not only in the support level itself.
    assert (base.loc[after, "support_level"] > cliff.loc[after, "support_level"]).all()
    assert (base.loc[after, "mean_income"] != cliff.loc[after, "mean_income"]).all()


def test_results_do_not_depend_on_the_number_of_workers():
    scenarios = load_scenarios([SCENARIOS / "baseline.toml", SCENARIOS / "training_push.toml"])
    size = {"run_households": 800, "run_months": 18, "run_replicates": 2, "run_seed": 99}
    one = run_comparison(scenarios, size, workers=1, progress=False)
    two = run_comparison(scenarios, size, workers=2, progress=False)
    for label in one.labels:
        pd.testing.assert_frame_equal(one.results[label].timeseries, two.results[label].timeseries, check_exact=True)
        pd.testing.assert_frame_equal(one.results[label].spells, two.results[label].spells, check_exact=True)
    # A scenario in a comparison is exactly the scenario run on its own with the same settings.
    alone = run_scenario(SCENARIOS / "training_push.toml", size, workers=1, progress=False)
    pd.testing.assert_frame_equal(alone.timeseries, one.results["training_push"].timeseries, check_exact=True)
