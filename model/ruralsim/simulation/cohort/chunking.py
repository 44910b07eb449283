"""Households processed in chunks of whole counties, on one or more threads (issue 6).

Everything a month does to households and labourers is local to a county: villages, partner firms
(per county), workshops (per village), cooperatives' members, work teams. The few national
quantities (crop prices, migrant demand, the budget ration) are set before households are processed,
and the month's national totals are combined after, from per-county partial sums. So a month can
process any set of whole counties on its own, in any order, on any thread.

Results do not depend on the partition nor on the number of threads:

* random draws address fixed blocks of rows (:mod:`ruralsim.rng`), so a chunk draws exactly the
  rows a plain run draws;
* every floating-point total is first summed per county, in row order, and the county totals are
  then summed in county order, so no sum depends on where a chunk starts (integer counts are exact
  anyway);
* nothing a chunk computes depends on another chunk of the same month.

A chunk is a :class:`Span` of rows; a :class:`Part` is one chunk's view of the model for one month:
the same attribute names as the model (``hh``, ``labs``, ``dibao``, ...), sliced to the chunk, with
village, county and household indices made local (0-based within the chunk) so group counts are
small arrays.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any, Sequence

import numpy as np

from .population import Households, Labourers
from .threads import run_chunks  # noqa: F401  (the model runs its chunks through chunking)

# Households per chunk (rounded to whole counties): at least CHUNK_HOUSEHOLDS, so per-chunk overheads (a few
# hundred NumPy calls and compiled calls, partial random blocks at the edges) stay small; at most CHUNK_MAX, above
# which the labour and incomes kernels slow down (at 1M households on one thread, one chunk took 3 ms a month more
# in each than two: what their loops over labourers keep per household no longer stays in the cache). Between
# them a pass is cut into a multiple of the threads in equal chunks (see default_chunk_households). Results do
# not depend on it.
CHUNK_HOUSEHOLDS = 262_144
CHUNK_MAX = 1 << 19

# Per-household state arrays of the model that a chunk sees sliced to its rows.
HOUSEHOLD_STATE = ("insured", "dibao", "mon_state", "ever_monitored", "risk_months", "safe_months", "inc_sum",
                   "below", "ever_below", "spell", "state3", "last_shock", "last_shock_month", "full_labourers",
                   "cover", "year_inc", "reg_inc", "reg_below", "ever_below_reg", "identified", "ill_risk",
                   "measures", "episode", "hardship", "category", "year_med", "annual_due", "data_due", "dibao_exit")


def default_threads() -> int:
    """Threads to use: ``RURALSIM_THREADS`` if set, else the cores this process may run on."""
    env = os.environ.get("RURALSIM_THREADS", "").strip()
    if env:
        try:
            value = int(env)
        except ValueError:
            raise ValueError(f"RURALSIM_THREADS={env!r}: use a whole number >= 1") from None
        if value < 1:
            raise ValueError(f"RURALSIM_THREADS={env!r}: use a whole number >= 1")
        return value
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def default_chunk_households(n: int, threads: int) -> int:
    """Households per chunk: ``RURALSIM_CHUNK`` if set (for experiments); else, for ``n`` households on ``threads``
    threads, the fewest chunks of at most :data:`CHUNK_MAX` households that are a multiple of the threads, and
    at least :data:`CHUNK_HOUSEHOLDS` a chunk.

    Why a multiple of the threads, equal: a month's chunks run with no order between them, so the pass ends when
    the last thread does. Fewer, equal chunks leave less idle at the end than many small ones, and they pay the
    per-chunk overheads (Python between the compiled passes, which holds the GIL) fewer times. At 1M households
    on 2 threads, 2 chunks instead of 4 took 7% off the month (benchmarks/README.md, 2026-12-08)."""
    env = os.environ.get("RURALSIM_CHUNK", "").strip()
    if env:
        return max(1, int(env))
    threads = max(1, int(threads))
    passes = max(1, -(-int(n) // (threads * CHUNK_MAX)))  # chunks per thread
    return max(CHUNK_HOUSEHOLDS, -(-int(n) // (threads * passes)))


@dataclass(frozen=True, eq=False)
class Span:
    """Rows of one chunk: households ``h0:h1``, labourers ``l0:l1``, villages ``v0:v1``, counties ``c0:c1``.

    ``hh_starts`` and ``lab_starts`` are the chunk-local first household and labourer row of each of
    its counties (for per-county sums).
    """

    index: int
    h0: int
    h1: int
    l0: int
    l1: int
    v0: int
    v1: int
    c0: int
    c1: int
    hh_starts: np.ndarray
    lab_starts: np.ndarray

    @property
    def households(self) -> int:
        return self.h1 - self.h0


def partition(county: np.ndarray, village: np.ndarray, lab_hh: np.ndarray, target: int) -> list[Span]:
    """Cut households (sorted by county) into chunks of whole counties of about ``target`` households.

    A chunk holds the counties whose first row falls in the same window of ``target`` rows, so the
    cut depends only on the population and ``target`` (the model's default target depends on its threads too:
    :func:`default_chunk_households`); the results depend on neither.
    """
    n = len(county)
    if n == 0:
        return []
    cstart = np.flatnonzero(np.r_[True, county[1:] != county[:-1]])   # first row of each county
    key = cstart // max(int(target), 1)
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])          # first county of each chunk
    bounds = np.r_[cstart[first], n]
    lab_cstart = np.searchsorted(lab_hh, cstart)
    spans = []
    for k in range(len(first)):  # a loop over chunks (tens), not households
        h0, h1 = int(bounds[k]), int(bounds[k + 1])
        ca, cb = int(first[k]), int(first[k + 1]) if k + 1 < len(first) else len(cstart)
        l0, l1 = int(np.searchsorted(lab_hh, h0)), int(np.searchsorted(lab_hh, h1))
        spans.append(Span(index=k, h0=h0, h1=h1, l0=l0, l1=l1,
                          v0=int(village[h0]), v1=int(village[h1 - 1]) + 1,
                          c0=int(county[h0]), c1=int(county[h1 - 1]) + 1,
                          hh_starts=(cstart[ca:cb] - h0).astype(np.int64),
                          lab_starts=(lab_cstart[ca:cb] - l0).astype(np.int64)))
    return spans


def local_indices(m, span: Span) -> tuple[np.ndarray, ...]:
    """A chunk's local index arrays (households' village and county, labourers' household and village, the
    villages' county, labourers' county, each household's first labourer row and each village's first household
    row, with the end as a last entry: labourers are grouped by household, households by village), made once per
    chunk and kept on the model:
    households never change village or county, nor labourers household, so they are the same every month (a
    rule that moved rows between groups would clear ``m._local_indices``). Read-only by convention: the phases
    only index with them."""
    cache = m.__dict__.setdefault("_local_indices", {})
    got = cache.get(span)
    if got is None:
        H, L = m.hh, m.labs
        h, lab = slice(span.h0, span.h1), slice(span.l0, span.l1)
        village_county = m.structure.village_county[span.v0:span.v1] - np.int32(span.c0)
        lab_village = L.village[lab] - np.int32(span.v0)
        lab_hh = L.hh[lab] - np.int32(span.h0)
        got = cache[span] = (H.village[h] - np.int32(span.v0), H.county[h] - np.int32(span.c0),
                             lab_hh, lab_village, village_county, village_county[lab_village],
                             _group_starts(lab_hh, span.h1 - span.h0),
                             _group_starts(H.village[h] - np.int32(span.v0), span.v1 - span.v0))
    return got


def _group_starts(sorted_groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Each group's first row in ``sorted_groups`` (ascending group numbers ``0..n_groups - 1``), and the end as a
    last entry: ``np.searchsorted(sorted_groups, np.arange(n_groups + 1))``, as counts summed (a tenth of the time
    of a million binary searches)."""
    return np.r_[0, np.cumsum(np.bincount(sorted_groups, minlength=n_groups), dtype=np.int64)]


class Part:
    """One chunk's view of the model for one month (see the module docstring).

    Arrays are views into the model's arrays (writes go through), except the local index arrays
    (``hh.village``, ``hh.county``, ``labs.hh``, ``labs.village``, ``lab_county``), which are
    recomputed for the chunk. Sums the month reports go to :attr:`ledger` / :attr:`out` per county.
    """

    def __init__(self, m, span: Span) -> None:
        self.m, self.span, self.p = m, span, m.p
        h, lab = slice(span.h0, span.h1), slice(span.l0, span.l1)
        self.n_households, self.n_labourers = span.h1 - span.h0, span.l1 - span.l0
        self.n_villages, self.n_counties = span.v1 - span.v0, span.c1 - span.c0
        H, L = m.hh, m.labs
        self.hh = Households(**{f.name: getattr(H, f.name)[h] for f in fields(Households)})
        self.labs = Labourers(**{f.name: getattr(L, f.name)[lab] for f in fields(Labourers)})
        (self.hh.village, self.hh.county, self.labs.hh, self.labs.village, self.village_county,
         self.lab_county, self.lab_first, self.village_first) = local_indices(m, span)
        for name in HOUSEHOLD_STATE:
            setattr(self, name, getattr(m, name)[h])
        self.ring = m.ring[:, h]
        self.pooled_mu_hh = m.coops.pooled_mu_hh[h]
        self.flows = {k: v[h] for k, v in m.flows.items()}
        # Collective agents' arrays, sliced to the chunk's villages and counties.
        v, c = slice(span.v0, span.v1), slice(span.c0, span.c1)
        self.disaster_left = m.villages.disaster_left[v]
        self.detection_prob = m.villages.detection_prob[v]
        self.village_capacity = m.workshops.village_capacity[v]
        self.village_wage = m.workshops.village_wage[v]
        self.post_quota = m.post_quota[v]
        self.county_capacity = m.firms.county_capacity[c]
        self.county_wage_factor = m.firms.county_wage_factor[c]
        self.new_disaster = m.new_disaster[v] if m.new_disaster is not None else None
        self.ledger: dict[str, np.ndarray] = {}
        self.reached: dict[str, int] = {}
        self.out: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        """Scalars of the month (t, year, support, ration, lines, indices...) come from the model."""
        return getattr(self.m, name)

    # Random draws: this chunk's rows of the model-wide streams ------------------------------------
    def uh(self, name: str, month: int | None = None) -> np.ndarray:
        """Uniforms for the chunk's households (rows of the model-wide stream)."""
        return self.m.streams.uniform(name, self.m.t if month is None else month, self.m.n_households,
                                      self.span.h0, self.span.h1)

    def nh(self, name: str, month: int | None = None) -> np.ndarray:
        """Standard normals for the chunk's households."""
        return self.m.streams.normal(name, self.m.t if month is None else month, self.m.n_households,
                                     self.span.h0, self.span.h1)

    def ul(self, name: str, month: int | None = None) -> np.ndarray:
        """Uniforms for the chunk's labourers."""
        return self.m.streams.uniform(name, self.m.t if month is None else month, self.m.n_labourers,
                                      self.span.l0, self.span.l1)

    def uh_due(self, name: str) -> np.ndarray:
        """:meth:`uh` of which only the rows due this month are read (model rows ``r % 12`` = the month of the
        year: birthdays, reviews); the compiled draws skip the others (:meth:`Streams.uniform_every`)."""
        m = self.m
        return m.streams.uniform_every(name, m.t, m.n_households, self.span.h0, self.span.h1, m.month_of_year)

    def ul_due(self, name: str) -> np.ndarray:
        """:meth:`ul` of which only the labourer rows due this month are read (see :meth:`uh_due`)."""
        m = self.m
        return m.streams.uniform_every(name, m.t, m.n_labourers, self.span.l0, self.span.l1, m.month_of_year)

    def uh_rows(self, name: str, rows: np.ndarray, month: int | None = None) -> np.ndarray:
        """:meth:`uh` at the chunk's ascending household ``rows`` only (chunk-local): ``uh(name)[rows]``, with the
        compiled draws made for those rows only (:meth:`Streams.uniform_rows`)."""
        m = self.m
        return m.streams.uniform_rows(name, m.t if month is None else month, m.n_households, rows + self.span.h0)

    def ul_rows(self, name: str, rows: np.ndarray, month: int | None = None) -> np.ndarray:
        """:meth:`ul` at the chunk's ascending labourer ``rows`` only (chunk-local): ``ul(name)[rows]``."""
        m = self.m
        return m.streams.uniform_rows(name, m.t if month is None else month, m.n_labourers, rows + self.span.l0)

    def ul_reader(self, name: str, month: int | None = None) -> np.ndarray:
        """:meth:`ul` for a compiled kernel that reads it at a few rows it finds as it goes
        (:meth:`Streams.uniform_reader`)."""
        m = self.m
        return m.streams.uniform_reader(name, m.t if month is None else month, m.n_labourers, self.span.l0,
                                        self.span.l1)

    def uh_reader(self, name: str, month: int | None = None) -> np.ndarray:
        """:meth:`uh` for a compiled kernel that reads it at a few rows it finds as it goes (see :meth:`ul_reader`)."""
        m = self.m
        return m.streams.uniform_reader(name, m.t if month is None else month, m.n_households, self.span.h0,
                                        self.span.h1)

    def uh_at(self, name: str, rows: np.ndarray, month: int | None = None) -> np.ndarray:
        """:meth:`uh` of which only the household ``rows`` (chunk-local, ascending) will be read: those rows hold
        :meth:`uh`'s numbers, the others are unspecified. For a draw the compiled kernels read on a few percent
        of the rows, in runs (the households of villages hit by a disaster); the NumPy reference reads :meth:`uh`
        whole."""
        out = np.empty(self.n_households, np.float32)
        out[rows] = self.uh_rows(name, rows, month)
        return out

    # Per-county sums (what makes totals independent of the partition) ----------------------------
    def hh_sum(self, x: np.ndarray) -> np.ndarray:
        """Per-county sums (float64, in row order) of a per-household array of the chunk."""
        return self.m.kern.segment_sums(x, self.hh.county, self.span.hh_starts)

    def lab_sum(self, x: np.ndarray) -> np.ndarray:
        """Per-county sums of a per-labourer array of the chunk."""
        return self.m.kern.segment_sums(x, self.lab_county, self.span.lab_starts)

    def book(self, name: str, spent: np.ndarray, reached: int = 0) -> None:
        """A programme's spending this month, per county of the chunk (yuan), and how many it reached."""
        self.ledger[name] = self.ledger.get(name, 0.0) + spent
        self.reached[name] = self.reached.get(name, 0) + int(reached)

    def release(self) -> "Partial":
        """What the chunk reported, without its arrays (so finished chunks hold no memory)."""
        return Partial(self.span, self.ledger, self.reached, self.out)


@dataclass
class Partial:
    """A chunk's reports for the month: per-county ledger amounts, counts reached, metric parts."""

    span: Span
    ledger: dict
    reached: dict
    out: dict


def county_array(parts: Sequence[Partial], n_counties: int, key: str, where: str = "out") -> np.ndarray:
    """A per-county partial as one national array in county order (zeros where no chunk reported it)."""
    full = np.zeros(n_counties)
    for part in parts:
        value = getattr(part, where).get(key)
        if value is not None:
            full[part.span.c0:part.span.c1] += value
    return full


def combine_counties(parts: Sequence[Partial], n_counties: int, key: str, where: str = "out") -> float:
    """National total of a per-county partial: county sums placed in county order, then summed."""
    return float(county_array(parts, n_counties, key, where).sum())
