"""The synthetic cohort: formerly-poor and edge households, their labourers, villages and counties.

Households are rows of NumPy arrays (one row per household, sorted by county then village) and
labourers rows of a second set of arrays, sorted by household, each pointing to its household.
Small integer and float32 types keep a national cohort (~30M households) within memory.

Every attribute is drawn by comparing a uniform with a probability or by inverting a CDF at a
uniform, so a scenario that changes a share (e.g. cooperative membership) changes membership for
the fewest households and leaves everyone else as they were (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import numpy as np
from scipy import special, stats

from .rng import BLOCK, Streams
from .threads import run_chunks

# Labourer status codes.
OUT, FARM, MIGRANT, LOCAL, WORKSHOP, POST, TRAINING, INACTIVE = range(8)
# INACTIVE: a row freed by retirement or death; only a household member coming of working age takes it.
STATUS_NAMES = ("out_of_work", "own_farm", "migrant", "local_wage", "workshop", "public_post", "training",
                "inactive")
EMPLOYED = (MIGRANT, LOCAL, WORKSHOP, POST)

# Monitoring states.
NEVER, MONITORED, ELIMINATED = 0, 1, 2
# 兜底 cover of a household (``cover``): none, 低保 for the household, 低保 for one ill or disabled member
# (单人保), 特困 support. Here, beside the monitoring states, so identification and programmes share them.
NONE, DIBAO, SINGLE, TEKUN = 0, 1, 2, 3

POP_MONTH = -999  # the month address of the draws that build the population


@dataclass
class Households:
    """Per-household state (one row per household)."""

    county: np.ndarray      # int32
    village: np.ndarray     # int32
    size: np.ndarray        # int8, people
    n_lab: np.ndarray       # int8, labourers
    n_elderly: np.ndarray   # int8, members aged 60+
    head_age: np.ndarray    # int8, years
    chronic: np.ndarray     # int8 flag, chronic illness or disability
    edge: np.ndarray        # int8 flag, near-poor edge household (not formerly poor)
    land: np.ndarray        # float32, contracted land (mu)
    coop: np.ndarray        # int32, cooperative index or -1
    shares: np.ndarray      # float32, cooperative shares (yuan)
    crop_mu: np.ndarray     # float32, specialty crop grown for the cooperative (mu)
    farm_q: np.ndarray      # float32, own-farm net operating income per mu farmed (yuan/mu/year)
    phi: np.ndarray         # float32, earning potential (multiplies wages)
    target_pc: np.ndarray   # float32, 2020 per-capita income drawn for the household (calibration)
    relocated: np.ndarray | None = None  # int8 flag, relocated (易地扶贫搬迁, P27): no farm land (places.py)

    def __post_init__(self) -> None:
        if self.relocated is None:  # built without places (e.g. a hand-made test cohort): nobody relocated
            self.relocated = np.zeros(self.size.shape[0], np.int8)

    @property
    def n(self) -> int:
        return int(self.size.shape[0])

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


@dataclass
class Labourers:
    """Per-labourer state (one row per labourer, grouped by household)."""

    hh: np.ndarray       # int32, household row
    village: np.ndarray  # int32, copy of the household's village (saves a gather every month)
    age: np.ndarray      # int8
    weak: np.ndarray     # int8 flag, weak labour capacity
    skill: np.ndarray    # int8, 0 none, 1 basic, 2 certified
    status: np.ndarray   # int8, see status codes
    timer: np.ndarray    # int8, months left in training
    absent: np.ndarray   # int8, months left off work through illness
    mobility: np.ndarray  # uint8, a fixed draw in 256ths: a weak or older labourer can migrate when it is low (labour.can_migrate)

    @property
    def m(self) -> int:
        return int(self.hh.shape[0])

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


@dataclass
class Structure:
    """Sizes and memberships of the few collective agents."""

    n_villages: int
    n_counties: int
    village_county: np.ndarray   # int32, county of each village
    n_coops: int
    coop_crop: np.ndarray        # int16, crop of each cooperative
    coop_village0: np.ndarray    # int32, first village each cooperative serves
    workshop_draw: np.ndarray    # float64, uniform per village (workshop if below the share in force)
    team_size: np.ndarray        # float32, work-team members per village
    places: Any = None           # places.Places: region and key-county flag per village


def national_households(p: dict) -> int:
    """Households that make up the national cohort (A01) at the mean household size."""
    formerly_poor = p["population_national_people"] / p["population_mean_household_size"]
    return int(round(formerly_poor / (1.0 - p["population_edge_share"])))


BUILD_ROWS = 4 * BLOCK  # rows per piece of work when drawing the cohort (whole random blocks: 1M households make 4)


def build(p: dict, n: int, streams: Streams, threads: int = 1) -> tuple[Households, Labourers, Structure]:
    """Draw the cohort of ``n`` households from parameters ``p`` (flat dict).

    Households are drawn in pieces of whole random blocks, on ``threads`` threads; every attribute
    is a function of the household's own draws, so the cohort does not depend on the pieces.
    """
    hpv = int(p["population_households_per_village"])
    village = (np.arange(n, dtype=np.int64) // hpv).astype(np.int32)
    n_villages = int(village[-1]) + 1
    vpc = int(p["population_villages_per_county"])
    village_county = (np.arange(n_villages) // vpc).astype(np.int32)
    n_counties = int(village_county[-1]) + 1
    county = village_county[village]
    from . import places as places_mod  # here: places imports this module's status codes

    places = places_mod.assign(p, streams, n_villages, village_county, POP_MONTH)

    # Cooperatives serve groups of villages of one county; members hold shares and grow its crop.
    vpc_coop = int(p["coop_villages_per_coop"])
    coops_per_county = -(-vpc // vpc_coop)
    coop_in_county = (np.arange(n_villages) % vpc) // vpc_coop
    coop_of_village = (village_county * coops_per_county + coop_in_county).astype(np.int32)
    n_coops = int(coop_of_village[-1]) + 1
    coop_village0 = np.flatnonzero(np.r_[True, coop_of_village[1:] != coop_of_village[:-1]]).astype(np.int32)
    coop_county = village_county[coop_village0]
    # Each county has 3 leading crops (A16: 2-3); a cooperative grows one of its county's.
    coop_crop = ((coop_county * 3 + np.arange(n_coops) % 3) % int(p["coop_crops"])).astype(np.int16)

    f32, i8 = np.float32, np.int8
    hh = Households(county=county, village=village, size=np.empty(n, i8), n_lab=np.empty(n, i8),
                    n_elderly=np.empty(n, i8), head_age=np.empty(n, i8), chronic=np.empty(n, i8),
                    edge=np.empty(n, i8), land=np.empty(n, f32), coop=np.empty(n, np.int32),
                    shares=np.empty(n, f32), crop_mu=np.empty(n, f32), farm_q=np.empty(n, f32),
                    phi=np.ones(n, f32), target_pc=np.empty(n, f32), relocated=np.zeros(n, i8))
    pieces = [(a, min(a + BUILD_ROWS, n)) for a in range(0, n, BUILD_ROWS)]
    working_age = sum(_map(partial(_households_a, p, hh, streams, n), pieces, threads))
    q = min(1.0, p["population_labour_participation"] * p["population_mean_household_size"]
            / max(working_age / n, 1e-9))
    _map(partial(_households_b, p, hh, streams, n, q, coop_of_village, places), pieces, threads)

    labs = _labourers(p, hh, streams, threads)
    structure = Structure(
        n_villages=n_villages, n_counties=n_counties, village_county=village_county, n_coops=n_coops,
        coop_crop=coop_crop, coop_village0=coop_village0,
        workshop_draw=streams.small("pop.workshop", POP_MONTH, n_villages),
        team_size=np.full(n_villages, p["monitoring_team_size"], np.float32),
        places=places,
    )
    return hh, labs, structure


def _map(fn, pieces, threads: int) -> list:
    return run_chunks(fn, pieces, threads)


def _households_a(p: dict, hh: Households, streams: Streams, n: int, rows: tuple[int, int]) -> int:
    """Size, head's age and elderly members of households ``rows``; returns their working-age members."""
    a, b = rows
    u = lambda name: streams.uniform("pop." + name, POP_MONTH, n, a, b)  # noqa: E731
    # Household size: 1 + Poisson(mean - 1), capped at 9.
    lam = p["population_mean_household_size"] - 1.0
    size = (1 + _inverse_cdf(stats.poisson.cdf(np.arange(9), lam), u("size"))).clip(1, 9).astype(np.int8)

    # Head's age: normal with sd 13 and the mean that gives the declared share aged 60+.
    share60 = p["population_elderly_head_share"]
    mean_age = 60.0 - 13.0 * special.ndtri(1.0 - share60) if 0 < share60 < 1 else 54.0
    head_age = (mean_age + 13.0 * special.ndtri(u("age").clip(1e-6, 1 - 1e-6))).clip(20, 95).astype(np.int8)

    u_eld = u("elderly")
    n_elderly = np.where(head_age >= 60, 1 + ((size >= 2) & (u_eld < 0.6)), (size >= 3) & (u_eld < 0.15))
    hh.size[a:b], hh.head_age[a:b], hh.n_elderly[a:b] = size, head_age, n_elderly
    return int((size - hh.n_elderly[a:b]).sum(dtype=np.int64))


def _households_b(p: dict, hh: Households, streams: Streams, n: int, q: float, coop_of_village: np.ndarray,
                  places, rows: tuple[int, int]) -> None:
    """Labourers, health, land, cooperative membership and 2020 income target of households ``rows``."""
    a, b = rows
    u = lambda name: streams.uniform("pop." + name, POP_MONTH, n, a, b)  # noqa: E731
    size, head_age, n_elderly = hh.size[a:b], hh.head_age[a:b], hh.n_elderly[a:b]
    working_age = (size - n_elderly).astype(np.int64)
    # Binomial(working_age, q) by inverting its CDF, tabulated for each possible working_age.
    cdf = stats.binom.cdf(np.arange(10)[None, :], np.arange(10)[:, None], q)
    u_lab = u("labourers")
    n_lab = np.zeros(b - a, np.int64)
    for k in range(9):  # a loop over the 10 possible counts, not over households
        n_lab += u_lab > cdf[working_age, k]
    # An elderly head under 70 in a small household still works, as weak labour.
    u_eld = u("elderly")
    hh.n_lab[a:b] = np.where((n_lab == 0) & (head_age < 70) & (u_eld < 0.5), 1, n_lab)

    hh.chronic[a:b] = u("chronic") < p["population_chronic_share"]
    edge = (u("edge") < p["population_edge_share"]).astype(np.int8)
    hh.edge[a:b] = edge
    land = (p["population_land_mu_mean"] * np.exp(0.7 * special.ndtri(u("land").clip(1e-6, 1 - 1e-6)) - 0.245))
    # Relocated households (P27) left their land behind: they farm none.
    from .places import income_factors, relocated

    moved = hh.relocated[a:b] = relocated(p, places.village_region[hh.village[a:b]], edge, u("relocated"))
    land = hh.land[a:b] = np.where(moved == 1, 0.0, land).astype(np.float32)

    member = u("coop") < p["coop_membership_share"]
    hh.coop[a:b] = np.where(member, coop_of_village[hh.village[a:b]], -1)
    share_draw = np.exp(0.6 * special.ndtri(u("shares").clip(1e-6, 1 - 1e-6)) - 0.18)
    hh.shares[a:b] = np.where(member, p["coop_shares_per_member"] * share_draw, 0)
    hh.crop_mu[a:b] = np.where(member, np.minimum(land, p["coop_member_crop_mu"] * share_draw), 0)

    hh.farm_q[a:b] = np.exp(0.5 * special.ndtri(u("farm").clip(1e-6, 1 - 1e-6)) - 0.125)

    # Income target of 2020: log-normal for formerly-poor households (mean P03), uniform in the
    # edge band for edge households (P08). Model incomes are calibrated to it at start-up.
    sigma = p["population_income_sigma"]
    lognorm = p["population_income_mean"] * np.exp(sigma * special.ndtri(u("income").clip(1e-6, 1 - 1e-6))
                                                   - sigma**2 / 2)
    line = _year_value(p["monitoring_poverty_line"], 2020)
    edge_inc = line * (p["population_edge_income_low"]
                       + (p["population_edge_income_high"] - p["population_edge_income_low"]) * u("edge_income"))
    # The whole formerly-poor registry was above the line at exit (A01).
    target = np.where(edge == 1, edge_inc, np.maximum(lognorm, line * 1.02))
    # Key counties' incomes are lower (P04); the national mean target is kept.
    key_f, other_f = income_factors(p)
    hh.target_pc[a:b] = target * np.where(places.village_key[hh.village[a:b]] == 1, key_f, other_f)


def _labourers(p: dict, hh: Households, streams: Streams, threads: int = 1) -> Labourers:
    """One row per labourer; the first labourer of an elderly-headed household is the head."""
    counts = hh.n_lab.astype(np.int64)
    m = int(counts.sum())
    lab_hh = np.repeat(np.arange(hh.n, dtype=np.int32), counts)
    first = np.zeros(m, bool)
    starts = np.cumsum(counts) - counts
    first[starts[counts > 0]] = True
    labs = Labourers(hh=lab_hh, village=hh.village[lab_hh], age=np.empty(m, np.int8), weak=np.empty(m, np.int8),
                     skill=np.empty(m, np.int8), status=np.full(m, OUT, np.int8), timer=np.zeros(m, np.int8),
                     absent=np.zeros(m, np.int8), mobility=np.empty(m, np.uint8))

    def piece(rows: tuple[int, int]) -> None:
        a, b = rows
        ul = lambda name: streams.uniform("pop.lab." + name, POP_MONTH, m, a, b)  # noqa: E731
        age = (42 + 11 * special.ndtri(ul("age").clip(1e-6, 1 - 1e-6))).clip(16, 70)
        head_age = hh.head_age[lab_hh[a:b]]
        age = np.where(first[a:b] & (head_age >= 55), head_age, age).clip(16, 75).astype(np.int8)
        chronic = hh.chronic[lab_hh[a:b]] == 1
        weak_p = np.where(chronic | (age >= 60), np.minimum(1.0, p["population_weak_labour_share"] * 2.5),
                          p["population_weak_labour_share"] * 0.6)
        labs.age[a:b] = age
        labs.weak[a:b] = ul("weak") < weak_p
        labs.mobility[a:b] = (ul("mobility") * np.float32(256.0)).astype(np.uint8)  # u < 1: 0-255
        us = ul("skill")
        high, some = p["population_skill_high_share"], max(p["population_skill_some_share"], p["population_skill_high_share"])
        labs.skill[a:b] = np.where(us < high, 2, np.where(us < some, 1, 0))

    _map(piece, [(a, min(a + BUILD_ROWS, m)) for a in range(0, m, BUILD_ROWS)], threads)
    return labs


def _inverse_cdf(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Smallest k with cdf[k] >= u (what scipy's ppf returns), by table look-up: fast at 30M rows."""
    return np.searchsorted(cdf, u.astype(np.float64), side="left")


def _year_value(v, year: int) -> float:
    from ..inputs.parameters import value_in_year

    return float(value_in_year(v, year))


def apply_membership(p: dict, hh: Households, streams: Streams, structure: Structure) -> None:
    """Cooperative membership and shares under ``p``'s cooperative levers, from the household's own
    build draws (the same ones :func:`build` used): a scenario that widens membership from 2021 adds
    exactly the households a cohort built with the wider share would hold, and keeps the others' draws
    (common random numbers). Used when a scenario's levers are switched on (:mod:`ruralsim.simulation.policy.levers`)."""
    n = hh.n
    u_coop = streams.uniform("pop.coop", POP_MONTH, n, 0, n)
    u_shares = streams.uniform("pop.shares", POP_MONTH, n, 0, n)
    coop_of_village = (np.searchsorted(structure.coop_village0, np.arange(structure.n_villages), side="right")
                       - 1).astype(np.int32)
    member = u_coop < p["coop_membership_share"]
    share_draw = np.exp(0.6 * special.ndtri(u_shares.clip(1e-6, 1 - 1e-6)) - 0.18)
    hh.coop[:] = np.where(member, coop_of_village[hh.village], -1)
    hh.shares[:] = np.where(member, p["coop_shares_per_member"] * share_draw, 0)
    hh.crop_mu[:] = np.where(member, np.minimum(hh.land, p["coop_member_crop_mu"] * share_draw), 0)
