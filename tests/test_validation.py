"""Targets, validation and calibration: the file format, the comparison rules, the two commands.

Bad targets files must fail with exit 2 and a message naming the file, the key path and the value,
as scenario files do. The comparison rules are checked on hand-built series, so a wrong statistic
(e.g. a growth computed on the wrong months) fails here rather than in a plot. The commands are run
at CI size; calibration writes into a temporary copy of the baseline, never the real one.
"""

from __future__ import annotations

import math
import shutil
import tomllib

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim.analysis.calibration import (calibrated_sources, loss, overrides_for, toml_value,
                                           update_scenario_file)
from ruralsim.cli import main as cli
from ruralsim.simulation.config import ConfigError, load_scenario
from ruralsim.analysis.targets import ARTICLE_TARGETS, FreeParam, Target, load_targets, months_needed, set_year_entry

GOOD = """
title = "test"
[targets.T1]
metric = "operating_income"
date = "2022-12"
observed = 2000.0
tolerance = 100.0
how = "value at 2022-12"
source = "article:A17"
"""


def write(tmp_path, text, name="targets.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(capsys, *args):
    code = cli([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the shipped file ------------------------------------------------------------------------------
def test_shipped_targets_cover_the_article_outcomes():
    ts = load_targets(ARTICLE_TARGETS)
    by = {t.id: t for t in ts.targets}
    assert {"A07", "A17_level", "A17_growth", "A20", "A21", "A08", "A10"} <= set(by)
    assert by["A07"].observed == 0.65 and by["A17_level"].observed == 2098.0
    assert by["A17_growth"].observed == 0.225 and by["A17_growth"].base == "2021-12"
    assert by["A20"].observed == 32.779e6 and by["A21"].kind == "at_least"
    assert by["A10"].kind == "at_most" and by["A10"].scale == "national"
    assert all(t.how and t.source.startswith(("article:", "public:", "markets:")) for t in ts.targets)
    cal = ts.calibration
    assert set(cal.targets) <= set(by) and len(cal.params) >= 3
    assert months_needed(ts.targets, 2021) == 60  # A08/A10 run to 2025-12


# --- bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("edit, key, value, allowed", [
    (('metric = "operating_income"', 'metric = "operating_incme"'), "targets.T1.metric", '"operating_incme"',
     "did you mean 'operating_income'"),
    (('date = "2022-12"', 'date = "2022-13"'), "targets.T1.date", '"2022-13"', "YYYY-MM"),
    (("observed = 2000.0\n", ""), "targets.T1.observed", "missing", "the observed figure"),
    (('date = "2022-12"', 'date = "2022-12"\nstat = "growth"'), "targets.T1.base", "missing", "base ="),
    (('how = "value at 2022-12"', 'how = "x"\nkind = "above"'), "targets.T1.kind", '"above"', "at_least"),
    (("tolerance = 100.0", "tolerance = -1.0"), "targets.T1.tolerance", "-1.0", "a number >= 0"),
    (('title = "test"', 'title = "test"\n[calibration.params]\n"labour.migrant_find_rat" = [0, 1]'),
     'calibration.params."labour.migrant_find_rat"', "labour.migrant_find_rat", "did you mean"),
    (('title = "test"', 'title = "test"\n[calibration.params]\n"labour.wage_growth" = [0, 0.1]'),
     'calibration.params."labour.wage_growth"', "labour.wage_growth", "labour.wage_growth[YEAR]"),
])
def test_bad_targets_file_exits_2_naming_file_key_and_value(tmp_path, capsys, edit, key, value, allowed):
    old, new = edit
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    code, out, err = run_cli(capsys, "validate", "--targets", path, "--households", 300, "--quiet")
    assert code == 2 and out == "" and "Traceback" not in err
    line = next(ln for ln in err.splitlines() if key in ln)
    assert "targets.toml" in line and value in line and allowed in line


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace('"operating_income"', '"nope"').replace('"2022-12"', '"12/2022"').replace(
        "tolerance = 100.0", "")
    with pytest.raises(ConfigError) as err:
        load_targets(write(tmp_path, text))
    keys = {p.key for p in err.value.problems}
    assert {"targets.T1.metric", "targets.T1.date", "targets.T1.tolerance"} <= keys


def test_unreadable_targets_and_dates_before_the_run_exit_2(tmp_path, capsys):
    code, _, err = run_cli(capsys, "validate", "--targets", tmp_path / "missing.toml")
    assert code == 2 and "missing.toml" in err and "file not found" in err
    code, _, err = run_cli(capsys, "validate", "--targets", write(tmp_path, "[targets.T1\n"))
    assert code == 2 and "TOML syntax error" in err
    early = write(tmp_path, GOOD.replace('"2022-12"', '"2019-06"'), "early.toml")
    code, _, err = run_cli(capsys, "validate", "--targets", early, "--households", 300, "--quiet")
    assert code == 2 and "targets.T1.date" in err and "before the run starts" in err


def test_calibrate_rejects_bad_params_option(capsys, tmp_path):
    base = tmp_path / "b.toml"
    shutil.copy(SCENARIOS / "baseline.toml", base)
    code, _, err = run_cli(capsys, "calibrate", "--baseline", base, "--params", "labour.migrant_find_rate=0.5:2",
                           "--budget", 1, "--quiet")
    assert code == 2 and "labour.migrant_find_rate" in err and "outside the parameter's declared range" in err
    assert base.read_bytes() == (SCENARIOS / "baseline.toml").read_bytes()


# --- comparison rules on hand-built series -------------------------------------------------------------
def _series():
    """Two replicates, 2021-01..2022-12; metric x = replicate*100 + month index; people 10 or 20."""
    dates = pd.date_range("2021-01-01", periods=24, freq="MS")
    rows = [{"replicate": r, "date": d, "x": r * 100 + i, "people": 10 + 10 * r} for r in (0, 1)
            for i, d in enumerate(dates)]
    return pd.DataFrame(rows)


def _t(**kw):
    base = dict(id="T", metric="x", start="2022-12", end="2022-12", stat="value", observed=0.0, tolerance=1.0,
                how="h", source="s")
    return Target(**{**base, **kw})


def test_target_statistics_by_hand():
    ts = _series()
    assert _t().replicate_values(ts).tolist() == [23.0, 123.0]
    assert _t(start="2022-01", end="2022-12", stat="mean").replicate_values(ts).tolist() == [17.5, 117.5]
    assert _t(start="2021-03", end="2021-05", stat="min").replicate_values(ts).tolist() == [2.0, 102.0]
    assert _t(start="2021-03", end="2021-05", stat="max").replicate_values(ts).tolist() == [4.0, 104.0]
    growth = _t(stat="growth", base="2021-12").replicate_values(ts).tolist()
    assert growth == pytest.approx([23 / 11 - 1, 123 / 111 - 1])
    ts.attrs["national_people"] = 1000.0
    national = _t(scale="national").replicate_values(ts).tolist()
    assert national == pytest.approx([23 * 1000 / 10, 123 * 1000 / 20])
    with pytest.raises(ValueError, match="not in the run"):
        _t(start="2023-01", end="2023-01").replicate_values(ts)


def test_holds_and_error_follow_kind_and_judge():
    eq = _t(observed=10.0, tolerance=1.0)
    assert eq.holds([9.5, 10.5]) and not eq.holds([8.0, 8.5])
    assert eq.error(11.0) == pytest.approx(1.0)
    at_least = _t(observed=30.0, tolerance=0.0, kind="at_least")
    assert at_least.holds([31, 32]) and at_least.holds([29.9, 40])  # judged on the mean (34.95)
    assert _t(observed=30.0, tolerance=0.0, kind="at_least", judge="all").holds([31, 32])
    assert not _t(observed=30.0, tolerance=0.0, kind="at_least", judge="all").holds([29.9, 40])
    assert at_least.error(35.0) == 0.0 and at_least.error(29.7) == pytest.approx(-1.0)  # 1% of 30 per unit
    never = _t(observed=0.0, tolerance=0.0, kind="at_most", judge="all")
    assert never.holds([0, 0]) and not never.holds([0, 1]) and never.error(2.0) == 2.0
    assert loss([eq], {"T": 12.0}) == pytest.approx(4.0)
    assert loss([eq, at_least], {"T": 12.0}) == pytest.approx(4.0 + 60.0**2)  # (12 - 30) / (1% of 30)
    assert math.isinf(loss([eq], {}))


def test_year_entry_changes_only_that_year():
    from ruralsim.simulation.parameters import value_in_year

    table = {2021: 0.08, 2022: 0.2, 2023: 0.08, 2024: 0.05}
    new = set_year_entry(table, 2022, 0.3)
    assert [value_in_year(new, y) for y in range(2019, 2027)] == [0.08, 0.08, 0.08, 0.3, 0.08, 0.05, 0.05, 0.05]
    sparse = set_year_entry({2021: 0.1, 2025: 0.2}, 2023, 0.9)
    assert [value_in_year(sparse, y) for y in range(2020, 2027)] == [0.1, 0.1, 0.1, 0.9, 0.1, 0.2, 0.2]
    scalar = set_year_entry(0.5, 2022, 0.7)
    assert [value_in_year(scalar, y) for y in (2000, 2021, 2022, 2023, 2040)] == [0.5, 0.5, 0.7, 0.5, 0.5]
    fp = FreeParam("farm.productivity_growth", 0.0, 0.5, 2022)
    two = overrides_for([fp, FreeParam("farm.productivity_growth", 0.0, 0.5, 2023)], {fp.param.flat: table},
                        [0.3, 0.4])
    assert two == {"farm_productivity_growth": {2021: 0.08, 2022: 0.3, 2023: 0.4, 2024: 0.05}}


def test_risk_eliminated_share_counts_only_ever_monitored_households():
    """A07's metric: the households whose risk is eliminated are part of those ever monitored (including
    households identified and eliminated in the warm-up before 2021), so the share is a true share."""
    from ruralsim import RuralModel
    from ruralsim.simulation.population import ELIMINATED

    m = RuralModel(None, run_households=1500, run_months=6, record_distribution=False)
    assert np.count_nonzero((m.mon_state == ELIMINATED) & (m.ever_monitored == 0)) == 0
    m.run()
    eliminated = m.mon_state == ELIMINATED
    assert eliminated.any() and not np.any(eliminated & (m.ever_monitored == 0))
    last = m.timeseries().iloc[-1]
    assert last["risk_eliminated_share"] == pytest.approx(eliminated.sum() / m.ever_monitored.sum())


# --- writing the baseline in place -----------------------------------------------------------------------
SCENARIO = """# A scenario: its header comment is its description.
[monitoring]
detection_prob = 0.6      # monthly identification probability (P11)
# source = "calibrated: A07" (ruralsim calibrate, earlier)
eliminate_after = 6

# A comment that introduces the next section stays with it.
[labour]
migrant_quit_rate = 0.03  # calibrated: A20
"""


def test_update_scenario_file_edits_only_the_calibrated_keys(tmp_path):
    path = write(tmp_path, SCENARIO, "scenario.toml")
    values = {"monitoring_detection_prob": 0.55, "monitoring_eliminate_after": 7,
              "labour_migrant_find_rate": 0.1234,
              "farm_productivity_growth": {2021: 0.08, 2022: 0.27, 2023: 0.08, 2024: 0.05}}
    note = '# source = "calibrated: A07, A17, A20" (ruralsim calibrate, test)'
    update_scenario_file(path, values, note)
    once = path.read_text()
    update_scenario_file(path, values, note)  # a second calibration replaces, never duplicates
    assert path.read_text() == once
    assert once == """# A scenario: its header comment is its description.
[monitoring]
# source = "calibrated: A07, A17, A20" (ruralsim calibrate, test)
detection_prob = 0.55  # monthly identification probability (P11)
# source = "calibrated: A07, A17, A20" (ruralsim calibrate, test)
eliminate_after = 7

# A comment that introduces the next section stays with it.
[labour]
migrant_quit_rate = 0.03  # calibrated: A20
# source = "calibrated: A07, A17, A20" (ruralsim calibrate, test)
migrant_find_rate = 0.1234

[farm]
# source = "calibrated: A07, A17, A20" (ruralsim calibrate, test)
productivity_growth = { 2021 = 0.08, 2022 = 0.27, 2023 = 0.08, 2024 = 0.05 }
"""
    sc = load_scenario(path)
    assert sc.description.startswith("A scenario")
    assert all(sc.params[k] == v for k, v in values.items())
    sources = calibrated_sources(sc)
    assert set(sources) == set(values)  # the trailing "calibrated" comment of migrant_quit_rate is not a mark
    assert sources["labour_migrant_find_rate"] == "calibrated: A07, A17, A20 (ruralsim calibrate, test)"


def test_update_scenario_file_leaves_the_file_alone_when_the_result_is_invalid(tmp_path):
    path = write(tmp_path, SCENARIO, "scenario.toml")
    with pytest.raises(ConfigError):
        update_scenario_file(path, {"monitoring_detection_prob": 7.0}, "# source = \"calibrated: x\"")
    assert path.read_text() == SCENARIO and list(tmp_path.iterdir()) == [path]


def test_toml_values_round_trip():
    for v in (0.1351, 1539.0, 6, 32779000.0, True):
        assert tomllib.loads(f"x = {toml_value(v)}")["x"] == v
    assert tomllib.loads(f"x = {toml_value({2021: 0.08, 2022: 0.2717})}")["x"] == {"2021": 0.08, "2022": 0.2717}


# --- the commands at CI size -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def validation_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("validation")
    code = cli(["validate", "--households", "3000", "--replicates", "12", "--out", str(out), "--workers", "1",
                "--quiet"])
    return out, code


def test_validate_writes_every_target_and_the_plots(validation_dir):
    out, code = validation_dir
    table = pd.read_csv(out / "validation.csv")
    ids = [t.id for t in load_targets(ARTICLE_TARGETS).targets]
    assert table["target"].tolist() == ids
    assert {"observed", "model_mean", "model_lo", "model_hi", "ci_lo", "ci_hi", "within_tolerance",
            "how"} <= set(table.columns)
    assert (table["model_lo"] <= table["model_mean"] + 1e-9).all()
    assert (table["model_mean"] <= table["model_hi"] + 1e-9).all()
    assert code == (0 if table["within_tolerance"].all() else 1)
    for png in ("validation_summary.png", "validation_series.png"):
        assert (out / "plots" / png).stat().st_size > 20_000


def test_calibrated_baseline_meets_the_targets_at_ci_size(validation_dir):
    """At CI size (3,000 households x 12 replicates, against 20,000 x 20 for the shipped tolerances) the
    replicate mean is noisier, mostly through the national crop-price paths (sd 0.037 per replicate for
    A17 growth, which more households do not reduce). So an equality target passes here if it holds, or
    if the Student-t 95% interval of the mean (half-width ~0.024 for A17 growth) still reaches the
    tolerance band: the run cannot show that the model misses. This still fails the uncalibrated
    baseline (A17 growth 0.16 against 0.225 +- 0.03). The "every replicate" targets (A08 insurance above
    99%, A21 above 30M) and A10 (mass return) are checked as they stand: at 3,000 households a year's
    insured share has sd 0.0013 around 0.995, so a dip under 99% is a 4-sd event."""
    out, _ = validation_dir
    table = pd.read_csv(out / "validation.csv").set_index("target")
    for tid, r in table.iterrows():
        if r["judge"] == "all" or r["kind"] != "equal":
            assert r["within_tolerance"], (tid, r["model_mean"])
        else:
            lo, hi = r["observed"] - r["tolerance"], r["observed"] + r["tolerance"]
            assert r["within_tolerance"] or (r["ci_lo"] <= hi and r["ci_hi"] >= lo), (tid, r["model_mean"])
    for tid in ("A07", "A17_level", "A20"):
        assert abs(table.loc[tid, "error_tol"]) < 2.0, tid


def test_plot_redraws_a_validation_folder(validation_dir, capsys):
    out, _ = validation_dir
    png = out / "plots" / "validation_summary.png"
    png.unlink()
    code, stdout, _ = run_cli(capsys, "plot", out)
    assert code == 0 and png.exists() and "validation_summary.png" in stdout


def test_calibrate_at_tiny_size_writes_outputs_and_only_the_given_baseline(tmp_path, capsys):
    real = (SCENARIOS / "baseline.toml").read_bytes()
    base = tmp_path / "baseline.toml"
    base.write_bytes(real)
    out = tmp_path / "cal"
    code, stdout, err = run_cli(capsys, "calibrate", "--baseline", base, "--households", 600, "--replicates", 2,
                                "--budget", 3, "--out", out, "--workers", 1, "--quiet")
    assert code == 0, err
    assert (SCENARIOS / "baseline.toml").read_bytes() == real
    hist = pd.read_csv(out / "loss_history.csv")
    assert hist["phase"].tolist()[0] == "start" and hist["phase"].tolist()[-1] == "final"
    assert len(hist) <= 3 + 1 and np.isfinite(hist["loss"]).all()
    assert (hist["best_loss"].diff().dropna() <= 1e-12).all()  # best-so-far never rises
    fitted = tomllib.loads((out / "fitted.toml").read_text())
    spec = load_targets(ARTICLE_TARGETS).calibration
    assert set(fitted["fitted"]) == {fp.label for fp in spec.params}
    assert fitted["calibration"]["source"].startswith("calibrated: A07")
    assert (out / "plots" / "calibration_fit.png").stat().st_size > 20_000
    sc = load_scenario(base)
    for fp in spec.params:
        assert fp.current(sc.params) == pytest.approx(fitted["fitted"][fp.label])
    assert f'# source = "{fitted["calibration"]["source"]}"' in base.read_text()
    code, _, _ = run_cli(capsys, "plot", out)
    assert code == 0


def test_shipped_baseline_carries_its_calibration():
    """The calibrated keys in scenarios/baseline.toml say where they came from (ruralsim params shows it)."""
    sc = load_scenario(SCENARIOS / "baseline.toml")
    marked = calibrated_sources(sc)
    spec = load_targets(ARTICLE_TARGETS).calibration
    assert {fp.param.flat for fp in spec.params} <= set(marked)
    assert all(v.startswith("calibrated: ") for v in marked.values())
    from ruralsim.commands.params import rows

    shown = {r["key"]: r["source"] for r in rows(sc)}
    assert all(shown[fp.key] == marked[fp.param.flat] for fp in spec.params)
    assert shown["run.households"].startswith("assumption")
