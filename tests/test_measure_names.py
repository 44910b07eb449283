"""One vocabulary of measures (issue 24): every poverty or income column of every table a run, a
comparison and a sweep write names its measure (registry / alert, 建档口径 / 预警口径) or what it
deducts, in English and Chinese, and so does every row of their data dictionaries."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings

import pytest

from measure_names import column_problems, name_problems

SIZE = ["--households", "200", "--replicates", "2", "--months", "24", "--quiet"]


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", *args], capture_output=True, text=True, timeout=600,
                         cwd=cwd, env={**os.environ, "RURALSIM_THREADS": "1"})
    assert res.returncode == 0, res.stderr[-3000:]
    return res


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("measures")
    _cli("compare", "baseline", "budget_cut", *SIZE, "--out", str(root / "cmp"), "--workers", "1")
    (root / "sweep.toml").write_text('scenario = "baseline"\nhouseholds = 100\nmonths = 12\nreplicates = 1\n'
                                     "[vary]\ntransition.years = [1, 2]\n", encoding="utf-8")
    _cli("sweep", str(root / "sweep.toml"), "--out", str(root / "sweep"), "--workers", "1", "--quiet")
    return root


@pytest.mark.parametrize("which", ["cmp", "sweep"])
def test_every_poverty_or_income_column_names_its_measure_in_both_languages(folders, which):
    folder = folders / which
    walked = list(folder.rglob("*.csv")) + list(folder.rglob("*.parquet"))
    assert len(walked) >= 5  # the walk saw the folder's tables (a comparison holds its scenarios' folders)
    if which == "cmp":  # issue 21's tables are walked too: targeting.csv and its identification columns
        assert {"targeting.csv", "timeseries.parquet"} <= {p.name for p in walked}
    assert column_problems(folder) == []


def test_the_targeting_columns_are_among_those_that_must_name_a_measure():
    from measure_names import needs

    from ruralsim.analysis.targeting import COLUMNS

    measured = {c for c in COLUMNS if needs(c) is not None}
    assert {"households_below_registry", "below_assisted", "below_missed", "below_missed_share",
            "monitored_above_line", "median_months_to_identification"} <= measured


def test_the_check_fails_a_name_without_its_measure():
    assert name_problems("falls", "Falls below the line", "返贫户数", "t.csv")  # both languages flagged
    assert len(name_problems("falls", "Falls (alert)", "返贫户数", "t.csv")) == 1
    assert name_problems("mean_income", "Mean income", "人均收入", "t.csv")
    assert name_problems("mean_income", "Mean income (net of medical costs)", "人均收入（扣除自付医疗支出）", "t") == []
    assert name_problems("households", "Households", "户数", "t") == []  # not a poverty or income column


def test_a_new_label_with_a_measure_names_it_without_more_code():
    from ruralsim.presentation.labels import INCOME_MEASURE, REGISTRY_MEASURE, Label

    new = Label("falls_new", "Falls of a new kind", "新型返贫", measure=INCOME_MEASURE)
    assert new.en == "Falls of a new kind (alert)" and new.zh == "新型返贫（预警口径）"
    reg = Label("x", "Households below the line (per village)", "低于贫困线户数（每村）", measure=REGISTRY_MEASURE)
    assert reg.en == "Households below the line (per village; registry)" and reg.zh.endswith("（每村，建档口径）")


def test_the_headline_poverty_rate_is_the_registry_measure_and_the_old_key_is_deprecated():
    from ruralsim.analysis import interop
    from ruralsim.analysis.sweep import outcomes
    from ruralsim.simulation.metrics import current_metric_name

    assert interop.DEFAULT_OUTCOMES[0] == "poverty_rate_registry"
    assert outcomes.DEFAULT_OUTCOMES[0].startswith("poverty_rate_registry")
    with pytest.warns(DeprecationWarning, match="poverty_rate_alert"):
        assert current_metric_name("poverty_rate") == "poverty_rate_alert"
    with pytest.warns(DeprecationWarning):
        assert current_metric_name("poverty_rate_last12") == "poverty_rate_alert_last12"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert current_metric_name("poverty_rate_registry_last12") == "poverty_rate_registry_last12"
        assert current_metric_name("poverty_rate_alert") == "poverty_rate_alert"


def test_run_outcomes_still_answers_the_old_key_with_a_warning():
    from ruralsim.analysis.interop import run_outcomes

    with pytest.warns(DeprecationWarning, match="poverty_rate_alert"):
        old = run_outcomes(outcomes=["poverty_rate"], run_households=100, run_months=2)
    new = run_outcomes(outcomes=["poverty_rate_alert"], run_households=100, run_months=2)
    assert old["poverty_rate"] == new["poverty_rate_alert"]


def test_a_sweep_naming_the_old_key_runs_with_a_note(tmp_path):
    (tmp_path / "old.toml").write_text('scenario = "baseline"\nhouseholds = 100\nmonths = 12\nreplicates = 1\n'
                                       "[vary]\ntransition.years = [1, 2]\n[outputs]\n"
                                       'outcomes = ["poverty_rate_last12"]\nseries = ["poverty_rate"]\n',
                                       encoding="utf-8")
    res = _cli("sweep", str(tmp_path / "old.toml"), "--check")
    assert "'poverty_rate_last12' is now 'poverty_rate_alert_last12'" in res.stderr
    assert "poverty_rate_registry_last12" in res.stderr  # the registry measure is named as the alternative
