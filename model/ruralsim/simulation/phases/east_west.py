"""East–west labour collaboration (东西部协作): western labourers placed in eastern jobs.

Why a rule of its own: the eight eastern provinces' labour collaboration placed 478,000 formerly-poor
labourers of the ten western provinces in work in 2023 (R03). Placements fill the same migrant vacancies
as everyone's (the market's openness scales them), so the rule moves who gets the jobs towards the west
more than it adds jobs. Vectorised NumPy over a chunk's labourers, the same in both kernel sets.
"""

from __future__ import annotations

import numpy as np

from ..cohort.places import WEST, chunk_villages
from ..cohort.population import FARM, MIGRANT, OUT

#: Placements recruit able labourers under this age.
MAX_AGE = 60


def placement(c) -> None:
    """East–west labour collaboration (东西部协作, R03): each month an idle, able western labourer under
    60 is placed in an eastern (migrant) job with probability ``places.east_west_rate``, scaled by how
    open the migrant market is (placements fill the same vacancies as everyone's)."""
    rate = float(c.p["places_east_west_rate"])
    if rate <= 0.0:
        return
    L, draw = c.labs, c.ul("lab.eastwest")
    west = (chunk_villages(c, c.m.places.village_region) == WEST)[L.village]
    idle = (((L.status == OUT) | (L.status == FARM)) & (L.absent == 0) & (L.weak == 0)
            & (L.age < MAX_AGE) & west)
    placed = idle & (draw < np.float32(rate * c.migrant_open))
    L.status[placed] = MIGRANT
    c.reached["east_west"] = c.reached.get("east_west", 0) + int(np.count_nonzero(placed))
