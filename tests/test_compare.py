"""``ruralsim compare``: paired comparison tables, plots, manifest, redraw, bad input; the
return-to-poverty, fiscal and cost-effectiveness tables checked by hand on synthetic series."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import SCENARIOS
from ruralsim.workflows.compare import default_out_dir, load_scenarios, shared_run, unique_labels
from ruralsim.analysis.compare_stats import compare_frames, ratio_interval
from ruralsim.analysis.compare_tables import KEY_METRICS, cost_effectiveness
from ruralsim.simulation.config import ConfigError
from ruralsim.analysis.dynamics import STATES, dynamics_tables, transition_matrix
from ruralsim.simulation.shocks import CAUSES

CLI = [sys.executable, "-m", "ruralsim.cli"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
LABELS = ["baseline", "cliff_exit", "training_push"]
COLUMNS = ["metric", "title", "unit", "date", "scenario", "reference", "mean", "lo", "hi", "ci_lo", "ci_hi", "n",
           "diff_mean", "diff_ci_lo", "diff_ci_hi"]
FIGURES = {"compare_metrics", "compare_differences", "compare_income", "compare_poverty_by_year",
           "compare_cost_effectiveness", "compare_fiscal", "compare_dynamics"}


def ruralsim(*args):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """Three shipped scenarios, 3 paired replicates, to two months past the end of the transition."""
    out = tmp_path_factory.mktemp("compare") / "cmp"
    res = ruralsim("compare", *LABELS, "--households", 1000, "--months", 62, "--replicates", 3, "--seed", 5,
                   "--out", out, "--quiet")
    assert res.returncode == 0, res.stderr
    assert "cliff_exit" in res.stdout
    return out, pd.read_csv(out / "comparison.csv")


# ---------------------------------------------------------------------------------------------
# The comparison end to end
# ---------------------------------------------------------------------------------------------
def test_comparison_csv_has_the_expected_columns_and_rows(compared):
    _, table = compared
    assert list(table.columns) == COLUMNS
    assert {m.column for m in KEY_METRICS} <= set(table["metric"])
    assert sorted(table["date"].unique()) == ["2021-12", "2022-12", "2023-12", "2024-12", "2025-12", "2026-02"]
    assert list(dict.fromkeys(table["scenario"])) == LABELS
    assert (table["reference"] == "baseline").all() and (table["n"] == 3).all()
    finite = table.dropna(subset=["ci_lo"])
    assert (finite["ci_lo"] <= finite["mean"] + 1e-12).all() and (finite["mean"] <= finite["ci_hi"] + 1e-12).all()


def test_difference_of_a_scenario_with_itself_is_exactly_zero(compared):
    _, table = compared
    ref = table[(table["scenario"] == "baseline") & table["mean"].notna()]
    assert len(ref) > 0
    assert (ref["diff_mean"] == 0).all() and (ref["diff_ci_lo"] == 0).all() and (ref["diff_ci_hi"] == 0).all()


def test_paired_difference_matches_a_hand_computation(compared):
    out, table = compared
    a = pd.read_parquet(out / "baseline" / "timeseries.parquet")
    b = pd.read_parquet(out / "training_push" / "timeseries.parquet")
    for metric, date in (("poverty_rate_alert", "2026-02"), ("mean_income", "2023-12"), ("employment_rate", "2025-12")):
        at = lambda ts: ts[pd.to_datetime(ts["date"]).dt.strftime("%Y-%m") == date].set_index("replicate")[metric]  # noqa: E731
        d = (at(b) - at(a)).to_numpy()
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / math.sqrt(len(d))
        row = table[(table["metric"] == metric) & (table["date"] == date) & (table["scenario"] == "training_push")]
        assert row["diff_mean"].item() == pytest.approx(d.mean(), rel=1e-5, abs=1e-12)  # CSV: 6 significant digits
        assert row["diff_ci_lo"].item() == pytest.approx(d.mean() - half, rel=1e-5, abs=1e-12)
        assert row["diff_ci_hi"].item() == pytest.approx(d.mean() + half, rel=1e-5, abs=1e-12)


def test_cliff_exit_equals_baseline_until_the_transition_ends(compared):
    out, table = compared
    cliff = table[(table["scenario"] == "cliff_exit") & table["mean"].notna()]
    before = cliff[cliff["date"] <= "2025-12"]
    assert (before["diff_mean"] == 0).all() and (before["diff_ci_hi"] == before["diff_ci_lo"]).all()
    after = cliff[(cliff["date"] == "2026-02") & (cliff["metric"] == "fiscal_cost_year")]
    assert after["diff_ci_hi"].item() < 0  # withdrawing targeted support saves money at once
    ce = pd.read_csv(out / "cost_effectiveness.csv")
    row = ce[(ce["scenario"] == "cliff_exit") & (ce["date"] == "2025-12")].iloc[0]
    assert row["case"] == "no_effect" and math.isnan(row["yuan_per_household"])
    assert set(ce.loc[ce["scenario"] == "baseline", "case"]) == {"reference"}


def test_fiscal_comparison_programmes_add_up_to_the_total(compared):
    out, _ = compared
    fiscal = pd.read_csv(out / "fiscal_comparison.csv", dtype={"year": str})
    assert "all" in set(fiscal["year"]) and {"total", "budget", "training"} <= set(fiscal["programme"])
    progs = fiscal[~fiscal["programme"].isin(["total", "budget", "fund_spending"])]
    summed = progs.groupby(["scenario", "year"])["mean"].sum()
    total = fiscal[fiscal["programme"] == "total"].set_index(["scenario", "year"])["mean"]
    np.testing.assert_allclose(summed.loc[total.index], total, rtol=1e-5)  # CSV values: 6 significant digits


def test_writes_plots_scenario_folders_and_a_comparison_manifest(compared):
    out, _ = compared
    for name in FIGURES:
        assert (out / "plots" / f"{name}.png").read_bytes()[:8] == PNG_MAGIC
    for name in ("poverty_by_year", "cost_effectiveness", "fiscal_comparison", "dynamics_comparison"):
        assert len(pd.read_csv(out / f"{name}.csv")) > 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "comparison" and manifest["extra"]["kind"] == "comparison"
    assert manifest["seeds"]["master"] == 5 and len(manifest["seeds"]["replicates"]) == 3
    assert manifest["extra"]["sizes"]["households"] == 1000 and manifest["extra"]["sizes"]["months"] == 62
    assert manifest["versions"]["numpy"] and manifest["wall_seconds"] > 0
    entries = manifest["extra"]["scenarios"]
    assert [e["label"] for e in entries] == LABELS
    for entry in entries:
        assert entry["file"].endswith(f"{entry['name']}.toml")
        sub = json.loads((out / entry["folder"] / "manifest.json").read_text())
        assert sub["extra"]["kind"] == "run" and sub["params"]["run"]["seed"] == 5
        assert (out / entry["folder"] / "plots" / "dynamics_transitions.png").is_file()


def test_a_scenario_folder_is_the_folder_ruralsim_run_writes(compared, tmp_path):
    """One writer for a run's folder (workflows/run.py): the comparison's baseline folder and ``ruralsim run``
    of the baseline at the same sizes and seed hold the same files, and the same bytes in every table."""
    out, _ = compared
    run = tmp_path / "run"
    res = ruralsim("run", "baseline", "--households", 1000, "--months", 62, "--replicates", 3, "--seed", 5,
                   "--out", run, "--quiet")
    assert res.returncode == 0, res.stderr

    def files(folder):  # the workbook is named after its folder; the lock file is the folder's, not the run's
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                if p.is_file() and p.suffix != ".xlsx" and p.name != ".ruralsim.lock"}

    scenario = out / "baseline"
    assert files(scenario) == files(run)
    tables = sorted(f for f in files(run) if f.endswith((".csv", ".parquet")))
    assert {"targeting.csv", "dynamics_transitions.csv", "fiscal_budget.csv", "timeseries.parquet"} <= set(tables)
    assert [f for f in tables if (scenario / f).read_bytes() != (run / f).read_bytes()] == []


def test_plot_redraws_a_comparison_from_stored_results(compared):
    out, _ = compared
    gone = [out / "plots" / "compare_metrics.png", out / "cliff_exit" / "plots" / "dynamics_falls.png",
            out / "baseline" / "plots" / "fiscal_budget.png"]
    for png in gone:
        png.unlink()
    res = ruralsim("plot", out)
    assert res.returncode == 0, res.stderr
    for png in gone:
        assert png.read_bytes()[:8] == PNG_MAGIC and str(png) in res.stdout


# ---------------------------------------------------------------------------------------------
# Bad input: exit 2, the file and key named, no traceback, nothing written
# ---------------------------------------------------------------------------------------------
def test_a_missing_file_among_valid_ones_runs_nothing(tmp_path):
    out = tmp_path / "out"
    res = ruralsim("compare", SCENARIOS / "baseline.toml", tmp_path / "nowhere.toml", SCENARIOS / "cliff_exit.toml",
                   "--households", 300, "--months", 2, "--out", out)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "nowhere.toml" in res.stderr
    assert not out.exists()


def test_an_invalid_file_among_valid_ones_runs_nothing(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'extends = "{SCENARIOS / "baseline.toml"}"\n[training]\ncoverag = 0.3\nplacement_prob = 2\n')
    out = tmp_path / "out"
    res = ruralsim("compare", "baseline", bad, "cliff_exit", "--households", 300, "--months", 2, "--out", out)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "bad.toml" in res.stderr and "coverag" in res.stderr and "training.placement_prob" in res.stderr
    assert not out.exists()


def test_bad_options_and_a_single_scenario_are_refused(tmp_path):
    out = tmp_path / "out"
    res = ruralsim("compare", "baseline", "cliff_exit", "--replicates", 0, "--out", out)
    assert res.returncode == 2 and "replicates" in res.stderr and "Traceback" not in res.stderr
    res = ruralsim("compare", "baseline", "--out", out)
    assert res.returncode == 2 and "at least two scenarios" in res.stderr and "Traceback" not in res.stderr
    assert not out.exists()


def test_run_settings_come_from_the_first_scenario(tmp_path):
    other = tmp_path / "bigger.toml"
    other.write_text(f'extends = "{SCENARIOS / "cliff_exit.toml"}"\n[run]\nhouseholds = 900\nseed = 3\n')
    scenarios = load_scenarios([SCENARIOS / "baseline.toml", other])
    run, notes = shared_run(scenarios, {"run_months": 5})
    assert run["run_households"] == scenarios[0].params["run_households"] and run["run_months"] == 5
    assert run["run_seed"] == scenarios[0].params["run_seed"]
    assert any("run.households" in n for n in notes) and any("run.seed" in n for n in notes)
    with pytest.raises(ConfigError, match="run_months"):
        shared_run(scenarios, {"run_months": -1})


def test_output_names_are_short_safe_and_unique():
    assert default_out_dir(["baseline", "cliff_exit"]).as_posix() == "results/compare_baseline_vs_cliff_exit"
    long = default_out_dir([f"scenario_number_{i}" for i in range(12)])
    assert len(long.name) <= 70 and long.name.startswith("compare_scenario_number_0_vs_11_scenarios_")
    scenarios = load_scenarios([SCENARIOS / "baseline.toml", SCENARIOS / "baseline.toml"])
    assert unique_labels(scenarios) == ["baseline", "baseline_2"]


# ---------------------------------------------------------------------------------------------
# Tables by hand on synthetic series
# ---------------------------------------------------------------------------------------------
def synthetic(months: int = 14) -> pd.DataFrame:
    """Two replicates of 100 households with constant, hand-chosen monthly counts."""
    dates = pd.date_range("2021-01-01", periods=months, freq="MS")
    rows = []
    for r, (to_secure, reentries, cause_counts) in enumerate((((90, 8, 2), 1, (0, 1, 2, 0, 1, 0)),
                                                              ((80, 15, 5), 3, (1, 0, 0, 3, 0, 2)))):
        for t, date in enumerate(dates):
            row = {"replicate": r, "date": date, "households": 100, "ever_fallen_share": 0.01 * (t + 1) * (r + 1),
                   "reentries": reentries, "recoveries": 2}
            for i, a in enumerate(STATES):
                for j, b in enumerate(STATES):
                    row[f"tr_{a}_{b}"] = to_secure[j] if a == "secure" else (10 if i == j else 5)
            for cause, k in zip(CAUSES, cause_counts):
                row[f"falls_{cause}"] = k
            row["falls"] = sum(cause_counts)
            rows.append(row)
    return pd.DataFrame(rows)


def test_dynamics_tables_by_hand():
    ts = synthetic()
    spells = pd.DataFrame({"replicate": [0, 0, 1], "months": [1, 60, 1], "spells": [10, 5, 20]})
    t = dynamics_tables(ts, spells)
    matrix = transition_matrix(t["transitions"], "2021")
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    np.testing.assert_allclose(matrix.loc["secure"], [0.85, 0.115, 0.035])  # mean of (.9,.08,.02), (.8,.15,.05)
    np.testing.assert_allclose(matrix.loc["below"], [0.25, 0.25, 0.5])      # 5, 5, 10 of 20
    re = t["reentry"].set_index("year")
    assert re.loc[2021, "reentry_rate"] == pytest.approx((12 + 36) / 2 / 100)
    assert re.loc[2022, "reentry_rate"] == pytest.approx((2 + 6) / 2 / 100) and re.loc[2022, "months"] == 2
    causes = t["causes"]
    by_year = causes.groupby("year")["falls"].sum()
    np.testing.assert_allclose(by_year.loc[[2021, 2022]], re.loc[[2021, 2022], "falls"])  # causes add up to falls
    assert by_year.loc[2021] == pytest.approx(12 * (4 + 6) / 2)
    illness = causes[(causes["year"] == 2021) & (causes["cause"] == "illness")].iloc[0]
    assert illness["falls"] == pytest.approx(6) and illness["per_1000_households"] == pytest.approx(60)
    sp = t["spells"].set_index("months")
    assert sp.loc[1, "share"] == pytest.approx(30 / 35) and sp.loc[60, "label"] == "60+"
    assert sp["cum_share"].iloc[-1] == pytest.approx(1.0)
    ever = t["ever_fallen"].set_index("date")
    assert ever.loc["2021-12", "mean"] == pytest.approx((0.12 + 0.24) / 2)


def test_transition_probabilities_pool_household_months():
    """Months with more households in a state weigh more: 0 of 10, then 90 of 90 -> 90%, not 50%."""
    ts = synthetic(2).query("replicate == 0").copy()
    ts.loc[ts.index[0], ["tr_secure_secure", "tr_secure_monitored", "tr_secure_below"]] = [10, 0, 0]
    ts.loc[ts.index[1], ["tr_secure_secure", "tr_secure_monitored", "tr_secure_below"]] = [0, 0, 90]
    matrix = transition_matrix(dynamics_tables(ts)["transitions"], "all")
    assert matrix.loc["secure", "below"] == pytest.approx(0.9)


def test_paired_summary_of_identical_scenarios_is_zero_width():
    frame = synthetic()[["replicate", "date", "ever_fallen_share", "reentries"]]
    table = compare_frames({"a": frame, "b": frame.copy()}, ["date"], ["ever_fallen_share", "reentries"])
    b = table[table["scenario"] == "b"]
    assert (b["diff_mean"] == 0).all() and (b["diff_ci_lo"] == 0).all() and (b["diff_ci_hi"] == 0).all()
    assert (b["ci_hi"] > b["ci_lo"]).any()  # the levels themselves do vary across replicates


def ce_frames(**scenarios) -> dict[str, pd.DataFrame]:
    """Derived-series stand-ins: the reference and scenarios given as per-replicate (cost, below) shifts."""
    base = pd.DataFrame({"replicate": [0, 1, 2], "date": pd.Timestamp("2030-12-01"),
                         "fiscal_cost_cum": [1e6, 1.1e6, 0.9e6], "households_below": [100, 120, 80]})
    frames = {"ref": base}
    for name, (cost, below) in scenarios.items():
        frames[name] = base.assign(fiscal_cost_cum=base["fiscal_cost_cum"] + np.array(cost, float),
                                   households_below=base["households_below"] + np.array(below, float))
    return frames


def test_cost_effectiveness_sign_cases():
    frames = ce_frames(more=([900, 1000, 1100], [-9, -10, -11]), dominant=([-400, -500, -600], [-4, -5, -6]),
                       cliff=([-1800, -2000, -2200], [18, 20, 22]), dominated=([40, 50, 60], [4, 5, 6]),
                       nothing=([100, 110, 90], [1, -1, 0]))
    ce = cost_effectiveness(frames, ["2030-12"]).set_index("scenario")
    assert ce.loc["ref", "case"] == "reference" and math.isnan(ce.loc["ref", "yuan_per_household"])
    assert ce.loc["more", "case"] == "tradeoff_more" and ce.loc["dominant", "case"] == "dominant"
    assert ce.loc["cliff", "case"] == "tradeoff_less" and ce.loc["dominated", "case"] == "dominated"
    assert ce.loc["nothing", "case"] == "no_effect" and math.isnan(ce.loc["nothing", "yuan_per_household"])
    # Cost proportional to households kept, replicate by replicate: exact ratio, zero-width interval.
    assert ce.loc["more", "yuan_per_household"] == pytest.approx(100)
    assert ce.loc["more", "ratio_ci_lo"] == pytest.approx(100) and ce.loc["more", "ratio_ci_hi"] == pytest.approx(100)
    assert ce.loc["cliff", "yuan_per_household"] == pytest.approx(100)  # yuan saved per extra household below
    assert ce.loc["more", "households_kept"] == pytest.approx(10) and ce.loc["cliff", "extra_cost"] == pytest.approx(-2000)


def test_fieller_interval():
    rng = np.random.default_rng(3)
    b = rng.normal(10, 1, 8)
    a = 50 * b + rng.normal(0, 5, 8)
    ratio, lo, hi, bounded = ratio_interval(a, b)
    assert bounded and lo < ratio < hi and ratio == pytest.approx(a.mean() / b.mean())
    # A fixed denominator: the interval is the numerator's t-interval divided by it.
    a2, b2 = rng.normal(100, 10, 6), np.full(6, 4.0)
    half = stats.t.ppf(0.975, 5) * a2.std(ddof=1) / math.sqrt(6)
    r2, lo2, hi2, _ = ratio_interval(a2, b2)
    assert (lo2, hi2) == pytest.approx(((a2.mean() - half) / 4, (a2.mean() + half) / 4))
    # A denominator not distinguishable from zero: no finite interval.
    _, lo3, hi3, bounded3 = ratio_interval(a, rng.normal(0.1, 5, 8))
    assert not bounded3 and math.isnan(lo3) and math.isnan(hi3)


def _ce_frames(cost_diff, below_diff):
    """Reference and one scenario, 2 months, replicates as given: cumulative cost and households below."""
    rows_ref, rows_s = [], []
    for r, (dc, db) in enumerate(zip(cost_diff, below_diff)):
        for date in ("2021-11-01", "2021-12-01"):
            rows_ref.append({"replicate": r, "date": pd.Timestamp(date), "fiscal_cost_cum": 1e9, "households_below": 100})
            rows_s.append({"replicate": r, "date": pd.Timestamp(date), "fiscal_cost_cum": 1e9 + dc,
                           "households_below": 100 + db})
    return {"ref": pd.DataFrame(rows_ref), "s": pd.DataFrame(rows_s)}


def test_cost_effectiveness_needs_a_real_interval_and_says_when_the_cost_is_unclear():
    # Two replicates that agree exactly (one more household below in each): no evidence about spread.
    same = cost_effectiveness(_ce_frames([2e6, -1e6], [1, 1]), dates=["2021-12"]).set_index("scenario").loc["s"]
    assert same["case"] == "no_effect"
    # A clear rise in households below, and a cost that could be either sign.
    unclear = cost_effectiveness(_ce_frames([2e6, -1e6, 1.5e6], [20, 25, 30]), dates=["2021-12"])
    row = unclear.set_index("scenario").loc["s"]
    assert row["case"] == "worse_cost_unclear" and "costs more" not in row["reading"]
    assert row["reading"].endswith("not distinguishable from zero")
    # The same with a cost clearly above zero: no qualifier.
    clear = cost_effectiveness(_ce_frames([2e6, 2.1e6, 1.9e6], [20, 25, 30]), dates=["2021-12"])
    assert clear.set_index("scenario").loc["s", "reading"] == "costs more, and more households below the line"


@pytest.mark.parametrize("cost, below, case, words", [
    # (extra cost per replicate, extra households below per replicate) -> case, words the reading must hold
    ([900, 1000, 1100], [-9, -10, -11], "tradeoff_more", "costs more"),
    ([-400, -500, -600], [-4, -5, -6], "dominant", "saves money"),
    ([-300, 500, 100], [-4, -5, -6], "better_cost_unclear", "not distinguishable"),   # cost interval spans 0
    ([300, -500, 100], [4, 5, 6], "worse_cost_unclear", "not distinguishable"),
    ([-1800, -2000, -2200], [18, 20, 22], "tradeoff_less", "saves money"),
    ([40, 50, 60], [4, 5, 6], "dominated", "costs more"),
    ([900, 1000, 1100], [1, -1, 0], "no_effect", "costs more"),                     # poverty interval spans 0
    ([-900, -1000, -1100], [2, -2, 1], "no_effect", "saves money"),
])
def test_reading_agrees_with_the_signs_and_intervals_of_both_differences(cost, below, case, words):
    """Issue 11: a reading claims a direction only where the paired difference's 95% interval excludes 0."""
    ce = cost_effectiveness(ce_frames(s=(cost, below)), ["2030-12"]).set_index("scenario").loc["s"]
    assert ce["case"] == case and words in ce["reading"]
    lo, hi = ce["extra_cost_ci_lo"], ce["extra_cost_ci_hi"]
    assert ("costs more" in ce["reading"]) == (lo > 0)
    assert ("saves money" in ce["reading"]) == (hi < 0)
    klo, khi = ce["households_kept_ci_lo"], ce["households_kept_ci_hi"]
    assert ("keeps more households above" in ce["reading"]) == (klo > 0)
    assert ("more households below" in ce["reading"]) == (khi < 0)
