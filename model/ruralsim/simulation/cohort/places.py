"""Places that differ: region (east / central / west), national key assistance counties, relocation.

Why: the formerly-poor cohort is not one place. Over half of it lives in the west (R01), the 160
national key assistance counties (国家乡村振兴重点帮扶县) are all in the west (R04), over 9.6M people
were relocated (易地扶贫搬迁, P27) and live on wages near their resettlement site, and provinces set
their own monitoring lines (P09). This module gives every household a place and the few rules that
follow from it; the model calls it at set-up and at three points of the month.

Place *units*: counties when the cohort has at least :data:`MIN_COUNTY_UNITS` of them (a national run
has ~850), else villages (a 20,000-household sample is one county: its villages then stand for
villages of different counties). Each unit gets a region and a key flag by a stratified draw: units
are ranked by one fixed uniform each (``pop.place``, the same in every scenario), and the first
``round(share x units)`` are east, the next central, the rest west; key units are the first of the
west in the order of a second draw (``pop.key``). So shares hold exactly at any size (up to one unit),
and a change of a share moves the fewest units (common random numbers).

Everything per place is a small array per village (region int8, key int8, a group code int8); a
household carries one int8 flag, ``relocated`` (:class:`ruralsim.population.Households`). The monthly
labour rule of east–west collaboration is in :mod:`ruralsim.simulation.phases.east_west`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

REGIONS = ("east", "central", "west")
EAST, CENTRAL, WEST = range(3)
#: The groups of ``groups.csv`` (each a set of group codes, see :func:`group_members`).
GROUPS = ("key_county", "other_county", "east", "central", "west", "relocated", "not_relocated")
#: A household's group code: region * 4 + key * 2 + relocated (12 codes).
N_CODES = 12
#: Fewer counties than this and places are assigned to villages.
MIN_COUNTY_UNITS = 50


@dataclass
class Places:
    """Per-village place attributes (the unit's, copied to its villages)."""

    unit: str                  # "county" or "village"
    village_region: np.ndarray  # int8, 0 east, 1 central, 2 west
    village_key: np.ndarray     # int8 flag, in a national key assistance county

    @property
    def village_code(self) -> np.ndarray:
        """Group code of each village without the relocation bit (int8)."""
        return (self.village_region * 4 + self.village_key * 2).astype(np.int8)


def region_shares(p: dict) -> np.ndarray:
    """(east, central, west) shares of households from the parameters."""
    return np.array([p["places_east_share"], p["places_central_share"], p["places_west_share"]], float)


def stratified(u: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Category of each unit: units ranked by ``u``; the first ``counts[0]`` get 0, the next 1, ...
    ``counts`` are the shares times the number of units, rounded by largest remainder so they sum to it."""
    n = len(u)
    raw = np.asarray(shares, float) * n
    counts = np.floor(raw).astype(np.int64)
    short = n - int(counts.sum())
    if short > 0:  # largest remainders first; ties to the earlier category
        order = np.argsort(-(raw - counts), kind="stable")
        counts[order[:short]] += 1
    out = np.empty(n, np.int8)
    out[np.argsort(u, kind="stable")] = np.repeat(np.arange(len(counts), dtype=np.int8), counts)
    return out


def assign(p: dict, streams, n_villages: int, village_county: np.ndarray, month: int) -> Places:
    """Region and key status of every village, from fixed draws per unit (see the module docstring)."""
    n_counties = int(village_county[-1]) + 1 if n_villages else 0
    by_county = n_counties >= MIN_COUNTY_UNITS
    n_units = n_counties if by_county else n_villages
    region = stratified(streams.small("pop.place", month, n_units), region_shares(p))
    # Key units: a share of all households, all in the west (R04), the first western units by a second draw.
    west = np.flatnonzero(region == WEST)
    n_key = min(len(west), int(round(float(p["places_key_share"]) * n_units)))
    key = np.zeros(n_units, np.int8)
    if n_key:
        order = np.argsort(streams.small("pop.key", month, n_units)[west], kind="stable")
        key[west[order[:n_key]]] = 1
    unit_of_village = village_county if by_county else np.arange(n_villages)
    return Places("county" if by_county else "village", region[unit_of_village], key[unit_of_village])


def relocation_share(p: dict) -> np.ndarray:
    """Share of formerly-poor households relocated, by region (east, central, west)."""
    return np.array([p["places_relocated_share_east"], p["places_relocated_share_central"],
                     p["places_relocated_share_west"]], np.float32)


def relocated(p: dict, region: np.ndarray, edge: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The relocation flag (int8) of households in ``region`` with their own fixed draw ``u``: only
    registered formerly-poor households were relocated (P27), not edge households."""
    return ((edge == 0) & (u < relocation_share(p)[region])).astype(np.int8)


def income_factors(p: dict) -> tuple[float, float]:
    """(key, other) multipliers on the 2020 income target: key counties at ``places.key_income_factor``
    of the others (P04), normalised so the national mean target is unchanged."""
    s, f = float(p["places_key_share"]), float(p["places_key_income_factor"])
    mean = s * f + (1.0 - s)
    return f / mean, 1.0 / mean


def _normalised(p: dict, stem: str) -> np.ndarray:
    """A relative level per region, scaled so its household-weighted mean is 1 (keeps the national level)."""
    levels = np.array([p[f"{stem}_east"], p[f"{stem}_central"], p[f"{stem}_west"]], float)
    return levels / float(region_shares(p) @ levels)


def wage_levels(p: dict) -> np.ndarray:
    """Relative wage level by region (float32), household-weighted mean 1."""
    return _normalised(p, "places_wage_level").astype(np.float32)


def line_levels(p: dict) -> np.ndarray:
    """Relative monitoring line by region (float32), household-weighted mean 1."""
    return _normalised(p, "places_line_level").astype(np.float32)


def apply_wage_levels(p: dict, hh, places: Places) -> None:
    """After the start-up fit: a household's earning potential times its region's wage level, so the
    regions' wages (and so incomes) differ around the calibrated national level."""
    hh.phi *= wage_levels(p)[places.village_region[hh.village]]


# ----------------------------------------------------------------------------------------------
# Monthly rules (vectorised over a chunk's households or labourers; the same NumPy in both kernel sets)
# ----------------------------------------------------------------------------------------------
def chunk_villages(c, values: np.ndarray) -> np.ndarray:
    """A per-village array of the model sliced to the chunk's villages (indexed by ``c.hh.village``)."""
    return values[c.span.v0:c.span.v1]


def village_monitoring_lines(c, line: float) -> np.ndarray:
    """Each of the chunk's villages' monitoring line this month (float32): the year's line times its region's
    level (the table the Numba kernels look households' lines up in)."""
    return np.float32(line) * line_levels(c.p)[chunk_villages(c, c.m.places.village_region)]


def monitoring_lines(c, line: float) -> np.ndarray:
    """Each household's monitoring line this month (float32): its village's (:func:`village_monitoring_lines`)."""
    return village_monitoring_lines(c, line)[c.hh.village]


def household_codes(c) -> np.ndarray:
    """Group code of each household of the chunk (int8): region * 4 + key * 2 + relocated."""
    return chunk_villages(c, c.m.places.village_code)[c.hh.village] + c.hh.relocated


def fund_factors(p: dict) -> tuple[float, float]:
    """(key, other) multipliers on the fund's industry support per person (the key-county lever). Public-welfare
    posts are left out: in the model more posts in a place keep labourers in low-paid posts instead of
    better-paid work (docs/ODD.md, places), which would confound the lever's question."""
    return float(p["places_key_fund_factor"]), float(p["places_other_fund_factor"])


def industry_top_up(c, flows: dict) -> None:
    """Industry support per person under the key-county lever: the month's investment per person times
    (factor - 1) buys more (or fewer) projects in those counties, booked to the industry line (after either
    kernel set's incomes); the projects pay later (:mod:`ruralsim.simulation.phases.projects`), not this month."""
    key, other = fund_factors(c.p)
    if (key, other) == (1.0, 1.0) or int(c.p["run_start_year"]) + c.t // 12 < int(c.p["places_fund_factor_from"]):
        return
    base = c.p["industry_investment"] * c.m.fund_index * c.levels["industry"] * c.ration / 12.0
    factor = np.where(chunk_villages(c, c.m.places.village_key) == 1, key - 1.0, other - 1.0)[c.hh.village]
    extra = c.hh_sum((base * factor * c.hh.size).astype(np.float32))
    c.book("industry", extra, 0)
    c.out["industry_invest"] = c.out.get("industry_invest", 0.0) + extra


def group_members(group: str) -> np.ndarray:
    """The group codes (0..N_CODES-1) a group of :data:`GROUPS` is made of."""
    codes = np.arange(N_CODES)
    region, key, reloc = codes // 4, (codes // 2) % 2, codes % 2
    test = {"key_county": key == 1, "other_county": key == 0, "east": region == EAST,
            "central": region == CENTRAL, "west": region == WEST, "relocated": reloc == 1,
            "not_relocated": reloc == 0}[group]
    return codes[test & (region < 3)]
