"""Issue 13: each programme's own path after 2025, categorised assistance (分层分类) and merged monitoring."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim import RuralModel
from ruralsim.simulation import categories as cat
from ruralsim.simulation.config import ConfigError
from ruralsim.simulation.programme_paths import FOLLOWS_TRANSITION, PROGRAMMES, first_path_year, level, levels
from ruralsim.simulation.parameters import defaults
from ruralsim.simulation.population import POST
from ruralsim.simulation.labour import cannot_migrate

KW = dict(run_households=2000, run_months=72)  # to 2026-12: the transition and the first year after it


# --- programme paths: hand-computed levels -------------------------------------------------------------
def test_a_path_overrides_the_transition_from_its_first_year():
    path = {2027: 0.5, 2029: 0.0}
    assert level(path, 2026, 0.9) == 0.9          # before its first year: the transition's value
    assert level(path, 2027, 0.9) == 0.5 and level(path, 2028, 0.9) == 0.5
    assert level(path, 2030, 0.9) == 0.0
    assert level(0.7, 2025, 1.0) == 1.0 and level(0.7, 2026, 0.9) == 0.7  # a scalar path starts in 2026
    assert level("transition", 2030, 0.9) == 0.9
    assert level({2026: 1.0, 2028: "transition"}, 2029, 0.4) == 0.4  # a path may hand back to the transition
    assert first_path_year({2028: 1.0, 2030: 0.0}) == 2028 and first_path_year("transition") is None


def test_without_paths_the_scalar_sets_the_programmes_it_always_set():
    p = defaults()
    got = levels(p, 2027, 0.9)
    assert set(got) == set(PROGRAMMES)
    assert all(got[k] == (0.9 if k in FOLLOWS_TRANSITION else 1.0) for k in PROGRAMMES)


def test_the_baseline_columns_show_the_levels():
    ts = RuralModel("baseline", **KW).run().timeseries()
    assert (ts["level_posts"] == ts["support_level"]).all() and (ts["level_subsidies"] == ts["support_level"]).all()
    assert (ts["level_training"] == 1.0).all() and (ts["level_dibao"] == 1.0).all()
    assert ts.loc[ts["date"] >= "2026-01-01", "support_level"].eq(0.9).all()


# --- cutting one programme -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def posts_cut():
    ref = RuralModel(SCENARIOS / "policy_2026.toml", **KW).run().timeseries()
    cut = RuralModel(SCENARIOS / "policy_2026.toml", programmes_posts={2026: 0.0}, **KW).run().timeseries()
    return ref, cut


def test_cutting_posts_changes_nothing_before_2026(posts_cut):
    ref, cut = posts_cut
    before = ref["date"] < "2026-01-01"
    numeric = [c for c in ref.columns if c != "date"]
    pd.testing.assert_frame_equal(ref.loc[before, numeric], cut.loc[before, numeric], check_exact=True)


def test_cutting_posts_changes_its_own_line_and_not_the_per_person_programmes(posts_cut):
    ref, cut = posts_cut
    after = ref["date"] >= "2026-01-01"
    assert (cut.loc[after, "level_posts"] == 0.0).all() and (ref.loc[after, "level_posts"] == 1.0).all()
    # The quota is 0: the post holders are let go in January; none is paid after it.
    assert (cut.loc[after, "fiscal_posts"].iloc[1:] == 0.0).all()
    assert ref.loc[after, "fiscal_posts"].sum() > 0 and (cut.loc[after, "post_labourers"].iloc[1:] == 0).all()
    # Programmes paid per person or per share, whatever the outcomes, are exactly the reference's.
    for col in ("fiscal_subsidies", "fiscal_dividend_subsidy", "people_now", "level_industry", "level_training"):
        assert np.array_equal(cut.loc[after, col].to_numpy(), ref.loc[after, col].to_numpy()), col
    # The others move only through the outcomes the lost posts drive (incomes, monitoring, 低保).
    assert cut.loc[after, "fiscal_cost"].sum() < ref.loc[after, "fiscal_cost"].sum()
    assert cut.loc[after, "fiscal_cost"].sum() > ref.loc[after, "fiscal_cost"].sum() - ref.loc[after, "fiscal_posts"].sum() * 1.5


def test_a_path_in_keyword_arguments_is_checked_against_the_horizon():
    with pytest.raises(ConfigError, match=r"programmes.posts\[2027\].*the run's last year, 2026"):
        RuralModel("baseline", programmes_posts={2027: 0.0}, **KW)
    with pytest.raises(ConfigError, match="out of range"):
        RuralModel("baseline", programmes_industry=-0.1, **KW)


# --- categories: hand-computed small cases -------------------------------------------------------------
def test_categories_from_labour_capacity_and_risk():
    full = np.array([1, 0, 0, 2, 0, 0], np.int8)
    n_lab = np.array([1, 2, 0, 2, 1, 0], np.int8)
    chronic = np.array([0, 0, 0, 1, 1, 1], np.int8)
    ill = np.array([False, True, False, False, False, False])
    got = cat.categorise(full, n_lab, chronic, ill)
    # able/income, partly (weak only)/rigid (costly illness), not able/income, able/rigid, partly/rigid, not able/rigid
    assert got.dtype == np.int8 and got.tolist() == [0, 3, 4, 1, 3, 5]
    assert [cat.NAMES[k] for k in got] == ["able_income", "partly_rigid", "not_able_income", "able_rigid",
                                           "partly_rigid", "not_able_rigid"]
    assert cat.can_work(got).tolist() == [True, True, False, True, True, False]
    assert cat.protected(got).tolist() == [False, True, True, True, True, True]


def test_categories_kernel_equals_numpy():
    """The Numba kernel of :func:`categories.update` gives NumPy's categories, on a month's rows and on all."""
    from ruralsim.simulation.kernels import numba_available

    if not numba_available():
        pytest.skip("Numba not installed (the 'fast' extra)")
    from ruralsim.simulation.phases import kernels_policy

    rng, n = np.random.default_rng(5), 1000
    c = SimpleNamespace(hh=SimpleNamespace(n_lab=rng.integers(0, 3, n).astype(np.int8),
                                           chronic=rng.integers(0, 2, n).astype(np.int8)),
                        full_labourers=rng.integers(0, 3, n).astype(np.int8), t=30,
                        last_shock=rng.integers(0, 5, n).astype(np.int8),
                        last_shock_month=rng.choice([-999, 10, 17, 18, 25], n).astype(np.int16))
    for rows in (slice(7, None, 12), slice(None)):
        c.category = np.full(n, 9, np.int8)
        cat.update(c, rows)
        want, c.category = c.category, np.full(n, 9, np.int8)
        first, _, step = rows.indices(n)
        kernels_policy.categorise(first, step, c.full_labourers, c.hh.n_lab, c.hh.chronic, c.last_shock,
                                  c.last_shock_month, c.t, c.category)
        assert np.array_equal(c.category, want) and np.any(want != 9)


def _chunk(category, packages=True, **p):
    params = {**defaults(), "categories_packages": True, **p}
    booked = {}
    c = SimpleNamespace(packages=packages, p=params, category=np.asarray(category, np.int8),
                        mon_state=np.array([1, 1, 0, 0], np.int8), dibao=np.array([0, 0, 50, 0], np.float32),
                        hh_sum=lambda x: np.array([float(np.sum(x))]),
                        book=lambda name, spent, reached: booked.__setitem__(name, float(spent.sum())))
    return c, booked


def test_packages_hand_computed():
    # households: able/income (monitored), not able/income (monitored), able/rigid (低保), partly/income (none)
    c, booked = _chunk([0, 4, 1, 2], categories_protection_medical_share=0.7, medical_assistance_share=0.5,
                       categories_grant_factor=2.0, categories_placement_factor=1.5)
    oop = np.array([100, 100, 200, 100], np.float32)
    medical = oop * np.float32(0.5)
    cat.extra_medical(c, oop, medical)
    # Only assisted (monitored or 低保) protected households (not able, or rigid) get the higher share: 0.7.
    assert medical.tolist() == [50.0, 30.0, 60.0, 50.0] and booked["medical"] == pytest.approx(20 + 40)
    assert cat.grant_factor(c).tolist() == [2.0, 1.0, 2.0, 1.0]  # only households with a full labourer
    lab_hh = np.array([0, 1, 3, 3])
    assert cat.placement_factor(c, lab_hh).tolist() == [1.5, 1.0, 1.5, 1.5]  # households that can work
    assert cat.no_draw(c, slice(None)).tolist() == [False, True, False, False]
    off, _ = _chunk([0, 4, 1, 2], packages=False)
    assert cat.grant_factor(off) == 1.0 and cat.placement_factor(off, lab_hh) == 1.0 and cat.no_draw(off, slice(None)) is False


def test_categories_are_recomputed_at_the_review_and_counted():
    m = RuralModel("baseline", run_households=2000, run_months=13)
    start = m.category.copy()
    m.run()
    ts = m.timeseries()
    total = ts["households_able"] + ts["households_partly_able"] + ts["households_not_able"]
    assert (total == 2000).all() and (ts["households_rigid_risk"] > 0).all()
    H = m.hh
    expect = cat.capacity(cat.categorise(m.full_labourers, H.n_lab, H.chronic, np.zeros(2000, bool)))
    # Households reviewed in the last month have today's labour capacity (their risk type may have moved
    # with the month's shocks, which come after the review); the rest keep the one of their review month.
    last = np.arange(2000) % 12 == (m.t - 1) % 12
    assert np.array_equal(cat.capacity(m.category[last]), expect[last]) and not np.array_equal(m.category, start)
    assert ts["households_rigid_risk"].iloc[-1] == np.count_nonzero(m.category % 2 == cat.RIGID)


# --- the regime after 2025 in the scenarios -------------------------------------------------------------
def test_merged_monitoring_uses_the_low_income_line_from_2026():
    m = RuralModel(SCENARIOS / "merge_monitoring.toml", **KW).run()
    ts = m.timeseries()
    jan = ts["date"] == "2026-01-01"
    assert ts.loc[jan, "monitoring_line"].item() == pytest.approx(1.5 * m.dibao_standard)
    ref = RuralModel(SCENARIOS / "policy_2026.toml", **KW).run().timeseries()
    assert ts.loc[jan, "monitoring_line"].item() > ref.loc[jan, "monitoring_line"].item()
    dec = ts["date"] == "2026-12-01"
    assert ts.loc[dec, "monitored_households"].item() > ref.loc[dec, "monitored_households"].item()
    assert ts.loc[ts["date"] < "2026-01-01", "monitoring_line"].equals(ref.loc[ref["date"] < "2026-01-01", "monitoring_line"])


def test_ending_posts_for_the_able_bodied_releases_them_in_january_2026():
    """Posts go first to those who cannot migrate (labour.cannot_migrate), so in the shipped runs few or no
    able labourers hold one by 2025; put some in posts at the end of 2025 and January 2026 must release
    every one of them, and only them."""
    m = RuralModel(SCENARIOS / "end_posts_able.toml", run_households=2000, run_months=61)
    for _ in range(60):
        m.step()
    L = m.labs
    rows = np.arange(len(L.status))
    able = ~cannot_migrate(L, m.hh, rows)
    placed = rows[able & (L.status != POST)][:20]
    L.status[placed] = POST
    m.step()  # 2026-01
    assert m.year == 2026 and not np.any((L.status == POST) & ~cannot_migrate(L, m.hh, rows))
    assert np.any((L.status == POST) & (L.weak == 1))  # weak labourers keep theirs


def test_numba_equals_numpy_with_paths_packages_and_merged_monitoring():
    """The regime after 2025 (programme paths, the categories' packages, merged monitoring, posts ended for
    the able-bodied) runs bit-identically with either kernel set, chunked and threaded."""
    from ruralsim.simulation.kernels import numba_available

    if not numba_available():
        pytest.skip("Numba not installed (the 'fast' extra)")
    kw = dict(run_households=2500, run_months=66, monitoring_after_2025="merged", categories_able_posts=0.0)
    ref = RuralModel(SCENARIOS / "fund_to_employment.toml", kernels="numpy", threads=1, **kw).run()
    fast = RuralModel(SCENARIOS / "fund_to_employment.toml", kernels="numba", threads=2, chunk_households=600,
                      **kw).run()
    assert fast.kern.name == "numba" and ref.kern.name == "numpy"
    a, b = ref.timeseries(), fast.timeseries()
    # fund_to_employment moves 40% of industry support to training from 2026 (budget.industry_to_employment).
    assert a["fiscal_training"].iloc[-1] > 0 and a["fiscal_medical"].iloc[-1] > 0
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for name in ("category", "inc_sum", "dibao", "mon_state"):
        assert np.array_equal(getattr(ref, name), getattr(fast, name)), name


# --- the comparison answers each scenario's question ---------------------------------------------------
def test_answer_items_follow_the_changed_levers():
    from ruralsim.analysis.question_answers import answer_items, answers, changed_levers

    changed = changed_levers({"categories_able_posts": 0.0, "run_households": 5}, {"run_households": 5})
    assert changed == ["categories_able_posts"]
    metrics, programmes = answer_items(changed)
    assert metrics[0] == "post_labourers" and "employment_rate" in metrics and programmes == ["posts"]
    comparison = pd.DataFrame({"metric": ["post_labourers", "employment_rate"], "date": "2030-12", "scenario": "s",
                               "mean": [90.0, 0.8], "diff_mean": [-10.0, -0.01], "diff_ci_lo": [-12.0, -0.02],
                               "diff_ci_hi": [-8.0, 0.0]})
    fiscal = pd.DataFrame({"year": ["2025", "2026", "2027", "all"], "scenario": "s", "programme": "posts",
                           "mean": [5.0, 3.0, 2.0, 10.0], "diff_mean": [0.0, -1.0, -2.0, -3.0],
                           "diff_ci_lo": [0.0, -1.5, -2.5, -4.0], "diff_ci_hi": [0.0, -0.5, -1.5, -2.0]})
    rows = answers(comparison, fiscal, "s", "2030-12", changed)
    assert [r["name"] for r in rows] == ["post_labourers", "employment_rate", "posts"]
    # spending: the years from 2026 summed (2025 and the whole-run row left out)
    assert rows[2] == {"kind": "spending", "name": "posts", "date": "2026..2027", "mean": 5.0, "diff": -3.0,
                       "lo": -4.0, "hi": -2.0}


def test_the_comparison_report_answers_each_question(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "c"
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "compare", "policy_2026", "merge_monitoring",
                          "end_posts_able", "--households", "400", "--months", "62", "--replicates", "2", "--quiet",
                          "--no-plots", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "Merge monitoring: if anti-return monitoring is merged" in text  # the question, from the header
    merge = next(line for line in text.splitlines() if line.startswith("- What answers merge_monitoring's question"))
    assert "Households under monitoring" in merge and "spending on monitoring & case work 2026..2026" in merge
    posts = next(line for line in text.splitlines() if line.startswith("- What answers end_posts_able's question"))
    assert "Public-welfare post holders" in posts and "spending on public-welfare posts" in posts


def test_a_short_run_says_nothing_false_about_programme_paths():
    """A year table after the run would apply from its first month, so it is refused; a programme path is
    not (it follows the transition until its first year), so no such problem is raised for it."""
    from ruralsim.simulation.horizon import year_table_problems

    p = {**defaults(), "run_months": 12}
    problems = year_table_problems({"programmes_posts": {2027: 0.0}, "monitoring_line": {2090: 9000.0}}, p, "f.toml")
    assert len(problems) == 1 and problems[0].key == "monitoring.line[2090]" and problems[0].source == "f.toml"


def test_a_place_lever_is_answered_by_the_groups_it_moves_support_between():
    """key_counties_focus's question is about key vs other counties: its answer reads compare_groups.csv."""
    import pandas as pd

    from ruralsim.analysis.question_answers import group_answers

    rows = [{"scenario": "focus", "reference": "ref", "group": g, "year": y, "metric": m, "mean": 1.0 + i,
             "diff_mean": 0.5 * i, "diff_ci_lo": 0.1, "diff_ci_hi": 0.9, "n": 5}
            for i, (g, y, m) in enumerate((g, y, m) for g in ("key_county", "other_county", "east")
                                          for y in (2029, 2030) for m in ("mean_income", "poverty_rate_registry"))]
    table = pd.DataFrame(rows)
    got = group_answers(table, "focus", 2030, ["places_key_fund_factor"])
    assert [(r["group"], r["name"]) for r in got] == [("key_county", "mean_income"),
                                                      ("key_county", "poverty_rate_registry"),
                                                      ("other_county", "mean_income"),
                                                      ("other_county", "poverty_rate_registry")]
    assert got[0]["diff"] == 0.5 * 2 and got[0]["date"] == "2030"  # the 2030 row, not 2029's
    assert group_answers(table, "focus", 2030, ["programmes_posts"]) == []
    assert group_answers(None, "focus", 2030, ["places_key_fund_factor"]) == []
