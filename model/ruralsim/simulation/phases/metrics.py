"""Named outcome metrics: each a pure function that says exactly what it measures.

Incomes are per-capita annual net incomes: a household's rolling 12-month net income divided by
its size. "People-weighted" means each household counts once per member, as poverty statistics do.
"""

from __future__ import annotations

import numpy as np

MEDIAN_BIN = 25.0          # yuan: resolution of the people-weighted median
_MEDIAN_LOW, _MEDIAN_HIGH = -50_000.0, 250_000.0


def per_capita_mean(household_totals: np.ndarray, size: np.ndarray) -> float:
    """Cohort per-capita mean (yuan/person): sum of household totals / number of people."""
    return float(household_totals.sum(dtype=np.float64) / size.sum(dtype=np.float64))


def weighted_median(values: np.ndarray, weights: np.ndarray, bin_width: float = MEDIAN_BIN) -> float:
    """People-weighted median of per-capita income, to ``bin_width`` yuan.

    Computed from a weighted histogram (one pass, no sort) so it stays cheap at 30M households; the
    error is at most one bin. Values outside [-50,000, 250,000] are clipped into the end bins.
    """
    return median_from_histogram(median_histogram(values, weights, bin_width), bin_width)


def median_histogram(values: np.ndarray, weights: np.ndarray, bin_width: float = MEDIAN_BIN) -> np.ndarray:
    """The weighted histogram behind :func:`weighted_median`. Histograms of parts of the cohort add up
    to the whole cohort's (exactly, for whole-number weights such as household sizes)."""
    nbins = int((_MEDIAN_HIGH - _MEDIAN_LOW) / bin_width) + 1
    idx = ((np.clip(values, _MEDIAN_LOW, _MEDIAN_HIGH) - _MEDIAN_LOW) / bin_width).astype(np.int32)
    return np.bincount(idx, weights=weights, minlength=nbins)


def median_from_histogram(hist: np.ndarray, bin_width: float = MEDIAN_BIN) -> float:
    """The median of a :func:`median_histogram`, interpolated within its bin."""
    cum = np.cumsum(hist)
    half = cum[-1] / 2.0
    k = int(np.searchsorted(cum, half))
    before = cum[k - 1] if k > 0 else 0.0
    frac = (half - before) / hist[k] if hist[k] > 0 else 0.5
    return float(_MEDIAN_LOW + (k + frac) * bin_width)


def people_below(pc_income: np.ndarray, size: np.ndarray, line: float) -> int:
    """Number of people whose household per-capita income is below ``line``."""
    return int(size[pc_income < line].sum(dtype=np.int64))


def people_share_below(pc_income: np.ndarray, size: np.ndarray, line: float) -> float:
    """Share of people (not households) whose household per-capita income is below ``line``."""
    below = pc_income < line
    return float(size[below].sum(dtype=np.float64) / size.sum(dtype=np.float64))


def mass_return_villages(below: np.ndarray, village: np.ndarray, n_villages: int, threshold: float) -> int:
    """Villages where the share of households below the poverty line is at least ``threshold`` (A10)."""
    hh = np.bincount(village, minlength=n_villages)
    down = np.bincount(village[below], minlength=n_villages)
    share = np.divide(down, hh, out=np.zeros(n_villages), where=hh > 0)
    return int((share >= threshold).sum())


def share_of(part: int | float, whole: int | float) -> float:
    """``part / whole``, or NaN when the whole is empty (e.g. before anyone was monitored)."""
    return float(part) / float(whole) if whole else float("nan")


#: Levels of the December tables a run writes (see :meth:`ruralsim.simulation.engine.model.RuralModel.group_table`).
GROUP_LEVELS = ("county", "village")


# ---------------------------------------------------------------------------------------------
# Metric names that changed: the old name works for one release, with a DeprecationWarning
# ---------------------------------------------------------------------------------------------
#: old name -> new name. ``poverty_rate`` was the alert measure under a name that did not say so,
#: while reports headlined the registry measure; both now name their measure (issue 24).
RENAMED_METRICS: dict[str, str] = {"poverty_rate": "poverty_rate_alert"}


def current_metric_name(name: str, stacklevel: int = 3) -> str:
    """The metric (or ``<metric>_<statistic>`` outcome) ``name`` under its current name, warning once per
    call site when it uses a deprecated name (``poverty_rate`` -> ``poverty_rate_alert``)."""
    import warnings

    if not isinstance(name, str):
        return name
    for old, new in RENAMED_METRICS.items():
        if name == old or (name.startswith(old + "_") and not name.startswith(new)
                           and not name.startswith(old + "_registry")):
            renamed = new + name[len(old):]
            warnings.warn(f"the metric {name!r} is renamed {renamed!r} (it is the alert measure, 预警口径; "
                          f"the registry measure, 建档口径, is {name.replace(old, 'poverty_rate_registry', 1)!r}); "
                          f"the old name stops working in the next release", DeprecationWarning, stacklevel=stacklevel)
            return renamed
    return name
