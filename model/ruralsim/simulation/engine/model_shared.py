"""Constants and small helpers that the model's modules share (:mod:`.model`, :mod:`.model_setup`,
:mod:`.model_observation`): component and ledger names, the set-up's lengths, the chunk sums' adder."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from ..cohort import population
from ..cohort.chunking import Partial
from ..inputs.parameters import value_in_year
from ..phases import identification, shocks

COMPONENTS = ("wage", "operating", "transfer", "property", "medical")
FISCAL = ("subsidies", "industry", "training", "posts", "workshops", "dividend_subsidy", "medical", "dibao",
          "temporary", "monitoring", "coop_shares")
BURN_IN_MONTHS = 24   # labour market only, before the warm-up: settles statuses, learns expected wages
WARMUP_MONTHS = 18    # the whole model through 2019-07..2020-12, unrecorded: long enough for start-up transients to pass
_YEAR_BEFORE_WARMUP = (-WARMUP_MONTHS) % 12 / 12.0  # share of 2019 before the warm-up opens (July)
_BURN_IN_STREAM_OFFSET = -200  # burn-in draws are addressed apart from the warm-up's (-12..-1)
DISTRIBUTION_SAMPLE = 20_000
# The month the anti-return monitoring mechanism opens: March 2020 (国开发〔2020〕6号, the guideline that set
# it up), ten months before the start; the warm-up's earlier months have no identification channel.
MONITORING_FROM = -10
SPELL_BINS = 61  # ended spells of 1..60 months, and longer in the last bin


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused (and restored after, if it was on) over a block that makes many
    long-lived objects and next to no garbage: a model's set-up (Numba's modules and kernels loaded, the Mesa
    handles of the collective agents, the cohort's arrays). Objects made there set off collections, and a full
    one walks every object of the process to find nothing (0.08 s, serial, at 1M households)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def growth_index(growth: Any, base_year: int, year: int) -> float:
    """Level in ``year`` of a series growing by ``growth`` (by year, applied each January), 1 in ``base_year``."""
    level = 1.0
    for y in range(base_year + 1, year + 1):
        level *= 1.0 + float(value_in_year(growth, y))
    for y in range(year + 1, base_year + 1):
        level /= 1.0 + float(value_in_year(growth, y))
    return level


N_TYPES = 24  # labourer types: weak (2) x skill (3) x age band (4)
N_STANDINGS = 3  # where a labourer stands when the year begins: out of work (or training), own farm, employed
N_KINDS = N_TYPES * N_STANDINGS  # cells of the expected-wage table


def due_rows(first_row: int, n: int, month_of_year: int) -> slice:
    """The rows of a chunk (starting at model row ``first_row``) whose yearly event falls in this month:
    model rows ``r`` with ``r % 12 == month_of_year``. A strided slice: no mask, no copy."""
    return slice((month_of_year - first_row) % 12, n, 12)


def new_share_capital(before: np.ndarray, after: np.ndarray, county: np.ndarray, n_counties: int,
                      fiscal_share: float) -> float:
    """Yuan of fiscal funds converted into members' shares when a scenario widens membership or holdings:
    the rise of each household's shares (a fall is not a refund), summed by county in county order so the
    total does not depend on chunking."""
    rise = np.maximum(after.astype(np.float64) - before.astype(np.float64), 0.0)
    return float(np.bincount(county, rise, minlength=n_counties).sum() * fiscal_share)


# Standing in the expected-wage table by status code: out of work, training or inactive 0, own farm 1, employed 2.
_STANDING = np.zeros(len(population.STATUS_NAMES), np.int64)
_STANDING[population.FARM] = 1
_STANDING[list(population.EMPLOYED)] = 2
# Age band (25-34, 35-44, 45-54, other) by age code: a table over every int8 value (a negative index reads the
# entry of that value), so one look-up replaces a subtract, a divide and a clip.
_AGE_BAND = np.clip((np.arange(256, dtype=np.uint8).view(np.int8).astype(np.int16) - 25) // 10, 0, 3
                    ).astype(np.int8)


def _labourer_kind(L) -> np.ndarray:
    """Cell of the expected-wage table: labourer type (weak x skill x age band 25-34, 35-44, 45-54, other)
    and standing (out of work or in training, own farm, employed).

    The standing matters: a labourer between jobs when the start is fitted earns less over the next year than
    one in work, and crediting both with the type's average wage left the out-of-work households at a third
    of their fitted 2020 income through the warm-up (ODD §7.9.6)."""
    kind = (L.weak * 3 + L.skill) * 4 + _AGE_BAND[L.age]
    return kind.astype(np.int64) * N_STANDINGS + _STANDING[L.status]


def _add(parts: list[Partial], key: str) -> Any:
    """Sum of a count (or an array of counts) over the chunks' parts."""
    return sum(part.out[key] for part in parts if key in part.out)


def no_dynamics() -> dict[str, int]:
    """The month-to-month metrics (falls by cause, re-entries, recoveries, transitions, detections) at
    zero: the state after the warm-up has none recorded, but carries every column a month has."""
    out = {f"falls_{name}": 0 for name in shocks.CAUSES}
    out.update(falls=0, reentries=0, recoveries=0)
    out.update({f"tr_{a}_{b}": 0 for a in ("secure", "monitored", "below") for b in ("secure", "monitored", "below")})
    out["detected"] = 0
    out.update({f"identified_{name}": 0 for name in identification.CHANNELS.values()})
    out["median_months_to_identification"] = float("nan")
    return out
