"""Issue 11: migrant work as a market, one common start for every scenario, budget rationing without a
January artefact, and bad market inputs rejected by ``ruralsim check``."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim import RuralModel, labour
from ruralsim.config import load_scenario, scenario_paths
from ruralsim.simulation.levers import first_effective_date
from ruralsim.parameters import defaults
from ruralsim.population import MIGRANT


# --- vacancy sharing, by hand ------------------------------------------------------------------------
def test_vacancies_are_shared_among_seekers():
    """100 jobs, 80 held: 20 open, a half filled a month. 40 units of seekers' weight: 10 expected hires,
    0.25 per unit; twice the seekers halve the rate per seeker and the hires stay at 10."""
    assert labour.migrant_rate(100, 80, 40, ceiling=0.9, fill=0.5) == pytest.approx(0.25)
    assert labour.migrant_rate(100, 80, 80, ceiling=0.9, fill=0.5) == pytest.approx(0.125)
    for weight in (1.0, 5.0, 40.0, 80.0, 1e6):
        rate = labour.migrant_rate(100, 80, weight, ceiling=0.9, fill=0.5)
        assert rate * weight <= 0.5 * 20 + 1e-9  # expected hires never above the vacancies filled
    # Few seekers: search frictions (the ceiling) bind, not the vacancies.
    assert labour.migrant_rate(100, 80, 5, ceiling=0.9, fill=0.5) == pytest.approx(0.9)
    # No open vacancy (or more held than jobs, after a fall in demand): nobody is hired.
    assert labour.migrant_rate(100, 100, 40, 0.9, 0.5) == 0.0 and labour.migrant_rate(100, 120, 40, 0.9, 0.5) == 0.0


def _labourers(age, skill, weak=None, chronic=None, mobility=None):
    n = len(age)
    L = SimpleNamespace(age=np.array(age, np.int8), skill=np.array(skill, np.int8),
                        weak=np.array(weak if weak is not None else [0] * n, np.int8), hh=np.arange(n, dtype=np.int32),
                        mobility=np.array(mobility if mobility is not None else [0] * n, np.uint8))
    H = SimpleNamespace(chronic=np.array(chronic if chronic is not None else [0] * n, np.int8))
    return L, H


def test_hiring_weight_by_age_band():
    """Under 50: 1; from 50: labour.hire_factor_50s (P32). At 60 or more only a share labour.hire_factor_60plus
    can migrate at all (a fixed draw in 256ths below it): with the lowest draw a 60-year-old can and weighs as
    one in the fifties, with the highest a 64-year-old cannot (weight 0)."""
    p = {**defaults(), "labour_hire_factor_50s": 0.5, "labour_hire_factor_60plus": 0.25}
    L, H = _labourers([25, 49, 50, 59, 60, 64], [0] * 6, mobility=[0, 0, 0, 0, 0, 255])
    w = labour.migrant_weight(p, L, H, np.arange(6))
    assert w.dtype == np.float32 and w.tolist() == [1.0, 1.0, 0.5, 0.5, 0.5, 0.0]
    assert labour.can_migrate(p, _labourers([64] * 3, [0] * 3, mobility=[63, 64, 200])[0], np.arange(3)).tolist() == \
        [True, False, False]  # 63.5/256 < 0.25 <= 64.5/256
    # Shared vacancies: 3 open jobs, all filled (fill 1), two seekers aged 30 and 55 with weights 1 and 0.5.
    rate = labour.migrant_rate(3.0, 0.0, float(w[[0, 3]].sum()), ceiling=10.0, fill=1.0)
    p_young, p_old = rate * w[0], rate * w[3]
    assert p_young == pytest.approx(3 / 1.5) and p_old == pytest.approx(1.5 / 1.5)
    assert p_young / p_old == pytest.approx(2.0)


def test_training_changes_who_is_hired_and_raises_the_wage():
    """Two seekers, 1.5 jobs filled a month. Untrained both: 0.75 each. Train one to skill 2 (weight
    1 + 2 x 0.5 = 2): 1.0 for the trainee, 0.5 for the other -- the same 1.5 hires, another person."""
    p = {**defaults(), "labour_skill_find_bonus": 0.5}
    rows = np.arange(2)
    before = labour.migrant_weight(p, *_labourers([30, 30], [0, 0]), rows)
    after = labour.migrant_weight(p, *_labourers([30, 30], [2, 0]), rows)
    r0 = labour.migrant_rate(1.5, 0.0, float(before.sum()), 10.0, 1.0)
    r1 = labour.migrant_rate(1.5, 0.0, float(after.sum()), 10.0, 1.0)
    assert (r0 * before).tolist() == pytest.approx([0.75, 0.75])
    assert (r1 * after).tolist() == pytest.approx([1.0, 0.5])
    assert (r1 * after).sum() == pytest.approx((r0 * before).sum())
    # The wage: P20's premium per skill level, on the migrant wage grown at the NBS migrant series.
    L, H = _labourers([30, 30], [2, 0])
    L.status, L.absent, L.village = np.array([MIGRANT, MIGRANT], np.int8), np.zeros(2, np.int8), np.zeros(2, np.int32)
    L.m = 2
    H.phi = np.ones(2, np.float32)
    c = SimpleNamespace(p=p, labs=L, hh=H, kern=SimpleNamespace(fast=False), wage_index=1.5, migrant_wage_index=1.1,
                        county_wage_factor=np.ones(1), lab_county=np.zeros(2, np.int32), village_wage=np.zeros(1))
    w = labour.wages(c)
    assert w[1] == pytest.approx(p["labour_migrant_wage"] * 1.1, rel=1e-6)
    assert w[0] / w[1] == pytest.approx(1 + 2 * p["labour_skill_wage_premium"], rel=1e-6)


def test_migrants_stay_within_the_market_and_more_seekers_lower_the_rate():
    """In a run, migrant jobs held never exceed the vacancies by more than a month's draw noise; withdrawing
    posts (cliff exit) sends more seekers to the same market and lowers the finding rate per seeker.

    The test sets a capacity below the baseline's (0.5 against 0.56), so the market binds in every year,
    not only after 2025 (docs/ODD.md §7.7.2, §9 posts and migration)."""
    kw = dict(run_households=3000, run_months=84, labour_migrant_jobs_share=0.5)
    base = RuralModel(SCENARIOS / "baseline.toml", **kw).run().timeseries().set_index("date")
    cliff = RuralModel(SCENARIOS / "cliff_exit.toml", **kw).run().timeseries().set_index("date")
    assert (base["migrant_labourers"] <= 1.03 * base["migrant_vacancies"]).all()
    assert (cliff["migrant_labourers"] <= 1.03 * cliff["migrant_vacancies"]).all()
    after = slice("2026-06", "2027-12")
    assert cliff.loc[after, "post_labourers"].mean() < base.loc[after, "post_labourers"].mean()
    assert cliff.loc[after, "migrant_find_rate"].mean() < base.loc[after, "migrant_find_rate"].mean()
    assert cliff.loc[after, "migrant_labourers"].mean() < 1.05 * base.loc[after, "migrant_labourers"].mean()


# --- one start for every scenario ----------------------------------------------------------------------
START = dict(run_households=1500, run_months=72)
STATE = ("inc_sum", "mon_state", "below", "dibao", "insured")


@pytest.fixture(scope="module")
def baseline_start():
    m = RuralModel(SCENARIOS / "baseline.toml", **START)
    start = {"initial": dict(m.initial), "dist": m.distribution_frame().copy(), "phi": m.hh.phi.copy(),
             "status": m.labs.status.copy(), **{k: getattr(m, k).copy() for k in STATE}}
    return start, m.run().timeseries()


@pytest.mark.parametrize("path", scenario_paths(SCENARIOS), ids=lambda p: p.stem)
def test_every_scenario_starts_from_the_baseline_state(path, baseline_start):
    """The 2020-12 state (and its distribution row) is the baseline's, and paired differences are exactly
    zero in every month before the scenario's first effective date; after it, the levers act."""
    start, base_ts = baseline_start
    m = RuralModel(path, **START)
    assert pd.Series(m.initial).equals(pd.Series(start["initial"]))  # NaN (no one identified yet) equals NaN
    pd.testing.assert_frame_equal(m.distribution_frame(), start["dist"])
    assert np.array_equal(m.hh.phi, start["phi"]) and np.array_equal(m.labs.status, start["status"])
    for k in STATE:
        assert np.array_equal(getattr(m, k), start[k]), k
    ts = m.run().timeseries()
    sc = load_scenario(path)
    first = first_effective_date(sc.params, load_scenario(sc.chain[0]).params)
    dates = ts["date"].dt.strftime("%Y-%m")
    numeric = [c for c in ts.columns if c != "date"]
    before = (dates < first) if first else np.ones(len(ts), bool)
    pd.testing.assert_frame_equal(ts.loc[before, numeric], base_ts.loc[before, numeric], check_exact=True)
    if first is not None:  # the scenario does change something once its levers act
        after = ~before
        assert not ts.loc[after, numeric].equals(base_ts.loc[after, numeric])


def test_dividend_push_raises_income_every_year_at_a_higher_cost():
    """Issue 11: with one start, larger dividends are income on top (no re-fit of earning potential). Issue 22:
    the fund's cap binds, so the guarantee's cost rations the other fund programmes (fewer projects bought,
    whose returns are missed years later): income is higher through the transition, not necessarily after."""
    kw = dict(run_households=4000, run_months=120)
    base = RuralModel(SCENARIOS / "baseline.toml", **kw).run().timeseries()
    push = RuralModel(SCENARIOS / "dividend_push.toml", **kw).run().timeseries()
    year = base["date"].dt.year
    during = push.groupby(year)["mean_income"].mean().loc[:2025] >= base.groupby(year)["mean_income"].mean().loc[:2025]
    assert during.all()
    assert push["budget_ration"].min() < base["budget_ration"].min()
    # The fund pays the dividend guarantee, so fund-financed spending is higher; the new shares are fiscal
    # funds converted into members' shares (coop.fiscal_share_of_new_shares), booked in 2021-01, so the
    # total fiscal cost is higher although 低保 and monitoring cost less (docs/ODD.md §9).
    assert push["fund_spending"].sum() > base["fund_spending"].sum()
    assert push["fiscal_cost"].sum() > base["fiscal_cost"].sum()
    assert (base["fiscal_coop_shares"] == 0).all()
    booked = push["fiscal_coop_shares"]
    assert booked.iloc[0] > 0 and (booked.iloc[1:] == 0).all()


def test_new_share_capital_is_the_rise_in_holdings_by_county():
    """Hand-computed: a fall is not a refund; the fiscal share scales the total."""
    from ruralsim.simulation.model import new_share_capital

    before = np.array([0, 8000, 8000, 5000], np.float32)
    after = np.array([15000, 15000, 6000, 5000], np.float32)
    county = np.array([0, 0, 1, 1])
    assert new_share_capital(before, after, county, 2, 1.0) == 22000.0
    assert new_share_capital(before, after, county, 2, 0.5) == 11000.0
    assert new_share_capital(after, after, county, 2, 1.0) == 0.0


# --- budget rationing ------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["baseline", "dividend_push"])
def test_no_january_step_in_employment(name):
    """The fund is rationed against the year's planned spending: no December->January step in employment
    larger than the month-to-month noise of the other months."""
    ts = RuralModel(SCENARIOS / f"{name}.toml", run_households=6000, run_months=72).run().timeseries()
    step = ts["employment_rate"].diff()
    january = ts["date"].dt.month == 1
    noise = 4 * step[~january].iloc[1:].std()  # the old artefact was a 6-point drop every January (~20 sd)
    # 2026-01 is a policy date (the transition's end: support falls to the normalised level, and posts
    # and workshop jobs with it), not an artefact of the books; every other January is checked.
    checked = january & (ts["date"] != "2026-01-01")
    assert step[checked].iloc[1:].abs().max() <= noise
    assert ts.loc[ts["date"].dt.month == 1, "budget_ration"].min() > 0.9 or name != "baseline"


# --- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize("section, key, value, allowed", [
    ("labour", "migrant_jobs_growth", "{ 2022 = 0.5 }", "from -0.2 to 0.2"),
    ("labour", "hire_factor_50s", "1.5", "from 0 to 1"),
    ("labour", "hire_factor_60plus", "-0.2", "from 0 to 1"),
    ("labour", "migrant_jobs_share", "2.0", "from 0 to 1"),
    ("transition", "taper_to", "3.0", "from 0 to 1.5"),
])
def test_bad_market_inputs_are_rejected_by_check(tmp_path, section, key, value, allowed):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n[{section}]\n{key} = {value}\n',
                   encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "ruralsim.cli", "check", str(bad)], capture_output=True, text=True)
    assert out.returncode == 2
    text = out.stdout + out.stderr
    assert "bad.toml" in text and f"{section}.{key}" in text and allowed in text and "Traceback" not in text
