"""Why households fall below the line: the end of support by a but-for test, else the last shock."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim import RuralModel
from ruralsim.simulation.parameters import defaults
from ruralsim.simulation.shocks import CAUSES
from ruralsim.simulation.transition import support_shortfall

FALLS = [f"falls_{c}" for c in CAUSES]
SIZE = {"run_households": 3000, "run_months": 84, "run_seed": 99}  # to 2027-12: two years after


def test_support_shortfall_is_what_full_support_would_have_paid_per_person():
    p = defaults()
    per_year = p["transfers_targeted_subsidies"] + p["farm_industry_subsidy"] * 0.5
    assert support_shortfall(p, 1.0, 1.0, 0.5) == 0.0
    assert support_shortfall(p, 0.0, 0.0, 0.5) == pytest.approx(per_year / 12)
    assert support_shortfall(p, 0.9, 0.9, 0.5) == pytest.approx(0.1 * per_year / 12)
    assert support_shortfall(p, 1.2, 1.2, 1.0) == 0.0  # more than transition support saves nobody
    # After 2025 the two programmes may have their own levels (programmes.subsidies, programmes.industry).
    assert support_shortfall(p, 1.0, 0.0, 0.5) == pytest.approx(p["farm_industry_subsidy"] * 0.5 / 12)
    assert support_shortfall(p, 0.5, 1.5, 0.5) == pytest.approx(0.5 * p["transfers_targeted_subsidies"] / 12)


def _run(name: str, **extra) -> tuple[RuralModel, pd.DataFrame]:
    m = RuralModel(SCENARIOS / f"{name}.toml", **{**SIZE, **extra})
    checks = []
    while m.running:
        m.step()
        # The rule from the model's public state: this month's fallers, their income, and G_t.
        fell = m.below & (m.spell == 1)
        pc = m.inc_sum[fell] / m.hh.size[fell]
        saved = int(np.count_nonzero(pc + np.float32(m.support_lost_12m) >= m.poverty_line))
        checks.append({"date": m.month_simulated(), "fallers": int(fell.sum()),
                       "saved": saved if m.support_lost_12m > 0 else 0, "lost_12m": m.support_lost_12m})
    return m, m.timeseries().merge(pd.DataFrame(checks), on="date")


@pytest.fixture(scope="module")
def runs():
    return {name: _run(name)[1] for name in ("baseline", "cliff_exit")}


def test_every_fall_has_exactly_one_cause_and_the_but_for_count_is_the_rule(runs):
    for ts in runs.values():
        assert (ts[FALLS].sum(axis=1) == ts["fallers"]).all()
        assert (ts["falls_support_end"] == ts["saved"]).all()


def test_no_support_end_falls_while_support_is_full(runs):
    for ts in runs.values():
        during = pd.to_datetime(ts["date"]) < "2026-01-01"
        assert (ts.loc[during, "lost_12m"] == 0).all() and (ts.loc[during, "falls_support_end"] == 0).all()


def test_a_cliff_exit_makes_support_withdrawal_the_main_cause_and_more_than_a_partial_keep(runs):
    after = {name: ts[pd.to_datetime(ts["date"]) >= "2026-01-01"] for name, ts in runs.items()}
    cliff, keep = after["cliff_exit"], after["baseline"]
    # G_t grows for 12 months after the cliff, then stays at a year of full targeted support.
    lost = cliff["lost_12m"].to_numpy()
    assert (np.diff(lost[:12]) > 0).all() and lost[11] == pytest.approx(lost[12:].mean(), rel=0.05)
    assert keep["lost_12m"].max() == pytest.approx(0.1 * lost[11], rel=0.05)  # keep at 0.9: a tenth
    assert cliff["falls_support_end"].sum() > 0.5 * cliff[FALLS].to_numpy().sum()
    assert cliff["falls_support_end"].sum() > 3 * keep["falls_support_end"].sum() > 0


def test_the_attribution_is_the_same_on_both_kernel_paths():
    a = _run("cliff_exit", kernels="numpy", run_households=1500, run_months=66)[1]
    b = _run("cliff_exit", kernels="numba", run_households=1500, run_months=66)[1]
    pd.testing.assert_frame_equal(a[FALLS], b[FALLS], check_exact=True)
