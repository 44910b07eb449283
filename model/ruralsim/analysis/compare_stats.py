"""Summaries across replicates, and paired differences between scenarios.

Why the differences are paired. A comparison runs every scenario with the same master seed and
the same replicate indices, and every random draw is addressed by (seed, replicate, stream,
month) (:mod:`ruralsim.rng`). Replicate *r* of every scenario therefore meets the same
illnesses, job losses, disasters and price movements: common random numbers. Most of the spread
across replicates is this shared luck. Differencing replicate by replicate (scenario *r* minus
reference *r*) cancels it, so the t-interval of the paired differences measures only how the
policy's effect varies, and is usually far narrower than anything built from the two scenarios'
separate intervals. Treating the runs as independent would both waste the pairing and, since
the runs are positively correlated, give intervals of the wrong width.

Every table here is tidy: one row per (keys..., scenario, measure), with

* ``mean``; ``lo``/``hi`` the 2.5-97.5 percentiles of the replicate values (spread of outcomes
  one run may give); ``ci_lo``/``ci_hi`` the Student-t 95% confidence interval of the mean;
* ``diff_mean``, ``diff_ci_lo``, ``diff_ci_hi``: the mean paired difference from the reference
  scenario and its t-interval (exactly 0 with zero width for the reference itself).

Intervals need two replicates or more; with one they are NaN.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

STAT_COLUMNS = ["mean", "lo", "hi", "ci_lo", "ci_hi", "n"]
DIFF_COLUMNS = ["diff_mean", "diff_ci_lo", "diff_ci_hi"]


def t_quantile(n: np.ndarray | int) -> np.ndarray:
    """Two-sided 95% Student-t quantile for ``n`` observations (NaN when n < 2)."""
    from scipy import stats  # deferred: scipy is slow to import

    n = np.asarray(n, dtype=float)
    return np.where(n >= 2, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)


def describe_rows(values: np.ndarray) -> dict[str, np.ndarray]:
    """Row-wise mean, percentile range and t-interval of a (groups x replicates) array.

    NaN cells (a metric undefined in some replicate) are left out of their row.
    """
    v = np.atleast_2d(np.asarray(values, dtype=float))
    n = (~np.isnan(v)).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows give NaN, as they should
        mean = np.nanmean(v, axis=1)
        sd = np.nanstd(v, axis=1, ddof=1) if v.shape[1] > 1 else np.full(len(v), np.nan)
        lo, hi = np.nanpercentile(v, [2.5, 97.5], axis=1) if v.size else (mean, mean)
    half = t_quantile(n) * sd / np.sqrt(np.maximum(n, 1))
    return {"mean": mean, "lo": lo, "hi": hi, "ci_lo": mean - half, "ci_hi": mean + half, "n": n}


def _wide(frame: pd.DataFrame, keys: Sequence[str], measures: Sequence[str]) -> pd.DataFrame:
    """(keys..., measure) x replicate matrix of a per-replicate frame."""
    long = frame.melt(id_vars=["replicate", *keys], value_vars=list(measures), var_name="measure")
    long["measure"] = pd.Categorical(long["measure"], categories=list(measures), ordered=True)
    wide = long.set_index(["measure", *keys, "replicate"])["value"].unstack("replicate")
    return wide.sort_index()


def summarise_frame(frame: pd.DataFrame, keys: Sequence[str], measures: Sequence[str]) -> pd.DataFrame:
    """Summary across replicates of each measure at each key (e.g. year), one row per pair."""
    wide = _wide(frame, keys, measures)
    out = wide.index.to_frame(index=False)
    out["measure"] = out["measure"].astype(str)
    for name, col in describe_rows(wide.to_numpy()).items():
        out[name] = col
    return out[[*keys, "measure", *STAT_COLUMNS]]


def compare_frames(frames: Mapping[str, pd.DataFrame], keys: Sequence[str], measures: Sequence[str],
                   reference: str | None = None) -> pd.DataFrame:
    """Per scenario: summary of each measure, and its paired difference from ``reference``.

    ``frames`` maps scenario label to a per-replicate frame with columns ``replicate``, ``keys``
    and ``measures``. Rows of the result are ordered by measure, keys, then scenario (as given);
    ``reference`` defaults to the first scenario. All scenarios must hold the same replicates.
    """
    labels = list(frames)
    reference = reference or labels[0]
    ref = _wide(frames[reference], keys, measures)
    parts = []
    for order, label in enumerate(labels):
        wide = _wide(frames[label], keys, measures)
        if list(wide.columns) != list(ref.columns):
            raise ValueError(f"scenario {label!r} has replicates {list(wide.columns)}, "
                             f"the reference {reference!r} has {list(ref.columns)}: they cannot be paired")
        base = ref.reindex(wide.index)
        part = wide.index.to_frame(index=False)
        part["measure"] = part["measure"].astype(str)
        part.insert(0, "scenario", label)
        part["_order"] = order
        for name, col in describe_rows(wide.to_numpy()).items():
            part[name] = col
        diff = describe_rows(wide.to_numpy() - base.to_numpy())
        part["diff_mean"], part["diff_ci_lo"], part["diff_ci_hi"] = diff["mean"], diff["ci_lo"], diff["ci_hi"]
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["measure"] = pd.Categorical(out["measure"], categories=list(measures), ordered=True)
    out = out.sort_values(["measure", *keys, "_order"], kind="stable").drop(columns="_order")
    out["measure"] = out["measure"].astype(str)
    out.insert(len(keys) + 2, "reference", reference)
    return out[[*keys, "scenario", "measure", "reference", *STAT_COLUMNS, *DIFF_COLUMNS]].reset_index(drop=True)


def widen(long: pd.DataFrame, keys: Sequence[str], columns: Sequence[str] = ("mean", "ci_lo", "ci_hi")
          ) -> pd.DataFrame:
    """Long summary -> one row per key, columns ``<measure>`` (the mean) and ``<measure>_<stat>``."""
    wide = long.pivot(index=list(keys), columns="measure", values=list(columns))
    order = list(dict.fromkeys(long["measure"]))
    cols = {}
    for m in order:
        for c in columns:
            cols[m if c == "mean" else f"{m}_{c}"] = wide[(c, m)]
    return pd.DataFrame(cols).reset_index()


def ratio_interval(numerator: np.ndarray, denominator: np.ndarray) -> tuple[float, float, float, bool]:
    """Ratio of two paired means and its 95% Fieller interval: ``(ratio, lo, hi, bounded)``.

    Fieller's interval accounts for the uncertainty of the denominator and the covariance of
    the pair. It is bounded only when the denominator's mean is significantly different from
    zero (its own t-interval excludes 0); otherwise the ratio has no finite interval and
    ``bounded`` is False with ``lo``/``hi`` NaN. With one replicate the interval is NaN.
    """
    a, b = np.asarray(numerator, float), np.asarray(denominator, float)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n = len(a)
    if n == 0 or b.mean() == 0:
        return math.nan, math.nan, math.nan, False
    ma, mb = float(a.mean()), float(b.mean())
    ratio = ma / mb
    if n < 2:
        return ratio, math.nan, math.nan, False
    va, vb = float(a.var(ddof=1)) / n, float(b.var(ddof=1)) / n
    cov = float(np.cov(a, b, ddof=1)[0, 1]) / n
    t = float(t_quantile(n))
    g = t * t * vb / (mb * mb)
    if g >= 1.0:
        return ratio, math.nan, math.nan, False
    cov_vb = cov / vb if vb > 0 else 0.0
    disc = va - 2 * ratio * cov + ratio * ratio * vb - g * (va - cov * cov_vb)
    half = t / abs(mb) * math.sqrt(max(disc, 0.0))
    centre = ratio - g * cov_vb
    return ratio, (centre - half) / (1 - g), (centre + half) / (1 - g), True
