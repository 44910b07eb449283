"""Each metric against a hand-computed case."""

from __future__ import annotations

import numpy as np
import pytest

from ruralsim.simulation.metrics import (mass_return_villages, people_share_below, per_capita_mean, share_of,
                                         weighted_median)


def test_per_capita_mean_counts_people():
    totals = np.array([3000.0, 10000.0])
    size = np.array([1, 4])
    assert per_capita_mean(totals, size) == pytest.approx(13000 / 5)


def test_weighted_median_is_people_weighted_to_one_bin():
    pc = np.array([1000.0, 5000.0, 9000.0], dtype=np.float32)
    assert weighted_median(pc, np.array([1, 1, 1])) == pytest.approx(5000, abs=25)
    # A big household at 9,000 pulls the people-weighted median up.
    assert weighted_median(pc, np.array([1, 1, 5])) == pytest.approx(9000, abs=25)
    rng = np.random.default_rng(1)
    x = rng.lognormal(9, 0.5, 5000)
    w = rng.integers(1, 6, 5000)
    exact = np.sort(np.repeat(x, w))[w.sum() // 2]
    assert weighted_median(x, w) == pytest.approx(exact, abs=30)


def test_people_share_below_weights_by_size():
    pc = np.array([3000.0, 5000.0, 3500.0])
    size = np.array([2, 2, 6])
    assert people_share_below(pc, size, 4000) == pytest.approx(8 / 10)
    assert people_share_below(pc, size, 3000) == 0.0


def test_mass_return_villages_uses_household_share_per_village():
    village = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    below = np.zeros(14, bool)
    below[[0]] = True  # 1 of 4 in village 0 -> 25%
    below[[4]] = True  # 1 of 10 in village 1 -> 10%
    assert mass_return_villages(below, village, 2, 0.10) == 2
    assert mass_return_villages(below, village, 2, 0.20) == 1
    assert mass_return_villages(below, village, 3, 0.50) == 0


def test_share_of_empty_is_nan():
    assert np.isnan(share_of(0, 0))
    assert share_of(1, 4) == 0.25
