"""Issue 21: the caseload's shape over the year, and the merged platform levelling against its population.

Risk is declared eliminated at reviews (``monitoring.review_months``), one of them in the month the annual
check's households are identified; before that, every wave left ``eliminate_after`` months after it came,
on top of the next one, and the caseload jumped in the check's month. These run the whole model at a small size
and check the shape, which does not depend on the sample's noise; the levels are validation's (P29, A07).
"""

from __future__ import annotations

import numpy as np

from ruralsim.simulation.model import RuralModel
from ruralsim.simulation.parameters import defaults
from ruralsim.simulation.population import MONITORED


def _series(scenario: str, months: int, **kw) -> np.ndarray:
    m = RuralModel(scenario, run_households=4000, run_months=months, **kw)
    while m.running:
        m.step()
    return m.datacollector.get_model_vars_dataframe()["monitored_households"].to_numpy(float)


def test_the_years_check_adds_and_removes_together_so_its_month_does_not_jump():
    delay = int(defaults()["monitoring_annual_check_delay"])
    s = _series("baseline", 72)                 # row 0 is 2020-12, row 12*y + m is month m (1-12) of 2020 + y
    check = s[12 + delay::12]                   # the check's month (December + delay) from 2022 ...
    before = s[11 + delay::12][:len(check)]     # ... and the month before it
    assert (check < before).all(), (before, check)  # the review removes the stable more than the check adds
    monthly = _series("baseline", 72, monitoring_review_months=1)
    assert (monthly[12 + delay::12] > monthly[11 + delay::12][:len(check)]).all()   # reviewed every month: the check's wave lands on top


def test_the_caseload_peaks_before_the_check_and_stays_in_p29s_range_from_2022():
    """The caseload rises with the triggers through the year and falls at the check: its high point is the
    month before it. From 2022 it stays within P29's accepted 1.5-5% of people (at 3 x 6,000 households the
    monthly share's sampling error is about 0.15 points, so the test allows 5.3%)."""
    shares = []
    for r in range(3):
        m = RuralModel("baseline", replicate=r, run_households=6000, run_months=72)
        while m.running:
            m.step()
        shares.append(m.datacollector.get_model_vars_dataframe()["monitored_people_share"].to_numpy(float))
    s = np.mean(shares, axis=0)[13:]          # 2022-01 on
    assert 0.015 < s.min() and s.max() < 0.053, (s.min(), s.max())


def test_merged_platform_caseload_follows_the_households_under_its_line():
    """From 2028-12 to 2030-12 the share of the households under the merged line that the platform holds
    changes little: identification has levelled, and what the caseload still gains is the population
    under a line that grows with the 低保 standard (P14)."""
    m = RuralModel("merge_monitoring", run_households=6000, run_months=120)
    held = {}
    while m.running:
        m.step()
        if m.t in (95, 119):
            under = m.inc_sum / m.hh.size < m.monitoring_line
            held[m.t] = np.count_nonzero(under & (m.mon_state == MONITORED)) / np.count_nonzero(under)
    assert 0.15 < held[95] < 0.6
    assert abs(held[119] / held[95] - 1.0) < 0.1, held
