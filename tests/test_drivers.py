"""Drivers and robustness of a comparison (issue 23).

* drivers: levers grouped by section (shocks apart, capped), each lever's contribution and the interaction
  checked against values built by hand; a hand-built two-lever scenario run through the model, where one
  lever is dated after the run's end, so its contribution is known to be exactly zero and the other
  lever's is the whole effect;
* robustness: the one-at-a-time design (each extra run changes one assumption, the same in scenario and
  reference), the verdicts on hand-built differences;
* a bad ``assumptions.toml`` is refused (exit 2) naming file, key, value and what is allowed;
* end to end: ``ruralsim compare --drivers --robustness`` writes both tables, both report sections and
  lists every file it wrote in the manifest.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import SCENARIOS
from ruralsim.analysis.assumptions import load_assumptions
from ruralsim.analysis.drivers import OTHER, decompose, lever_groups, runs_needed
from ruralsim.analysis.headline import OUTCOMES, headline_values
from ruralsim.analysis.robustness import CENTRAL, robustness_table, settings, verdicts
from ruralsim.simulation.config import load_scenario
from ruralsim.simulation.parameters import PARAMS_BY_KEY, defaults
from ruralsim.workflows.compare import load_scenarios, run_comparison, shared_run
from ruralsim.workflows.explain import ExplainOptions, explain, plan

CLI = [sys.executable, "-m", "ruralsim.cli"]
KEYS = [o.key for o in OUTCOMES]
BASELINE = json.dumps((SCENARIOS / "baseline.toml").as_posix())


def _values(matrix: np.ndarray) -> pd.DataFrame:
    """Per-replicate headline values: rows are replicates, columns the four outcomes."""
    frame = pd.DataFrame(matrix, columns=KEYS)
    frame.insert(0, "replicate", range(len(frame)))
    return frame


def _interval(x: np.ndarray) -> tuple[float, float]:
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
    return x.mean() - half, x.mean() + half


# ---------------------------------------------------------------------------------------------
# Drivers: the decomposition on values built by hand
# ---------------------------------------------------------------------------------------------
def test_two_levers_contributions_and_interaction_are_recovered_with_paired_intervals():
    rng = np.random.default_rng(3)
    reps = 6
    ref = rng.normal(100.0, 10.0, (reps, len(KEYS)))
    a = rng.normal(2.0, 0.5, (reps, len(KEYS))) * np.arange(1, len(KEYS) + 1)  # a different size per outcome
    b = rng.normal(-1.0, 0.3, (reps, len(KEYS)))
    ab = rng.normal(0.4, 0.2, (reps, len(KEYS)))  # what the two do together beyond their sum
    table = decompose(_values(ref + a + b + ab), _values(ref), {"alpha": _values(ref + a), "beta": _values(ref + b)},
                      range(reps))
    assert list(dict.fromkeys(table["term"])) == ["alpha", "beta", "interaction", "total"]
    for j, key in enumerate(KEYS):
        rows = table[table["outcome"] == key].set_index("term")
        for term, part in (("alpha", a), ("beta", b), ("interaction", ab), ("total", a + b + ab)):
            lo, hi = _interval(part[:, j])
            assert rows.loc[term, "mean"] == pytest.approx(part[:, j].mean(), rel=1e-9)
            assert (rows.loc[term, "ci_lo"], rows.loc[term, "ci_hi"]) == pytest.approx((lo, hi), rel=1e-9)
            assert rows.loc[term, "n"] == reps
        # levers + interaction = total, and the shares add up to 1
        assert rows.loc[["alpha", "beta", "interaction"], "mean"].sum() == pytest.approx(rows.loc["total", "mean"])
        assert rows.loc[["alpha", "beta", "interaction"], "share_of_total"].sum() == pytest.approx(1.0)
    assert set(table["kind"]) == {"lever", "interaction", "total"}


def test_additive_levers_leave_no_interaction_and_one_lever_needs_no_run():
    rng = np.random.default_rng(4)
    ref = rng.normal(50.0, 5.0, (4, len(KEYS)))
    a, b = np.full_like(ref, 1.5), rng.normal(-2.0, 1.0, ref.shape)
    table = decompose(_values(ref + a + b), _values(ref), {"a": _values(ref + a), "b": _values(ref + b)}, range(4))
    inter = table[table["term"] == "interaction"]
    assert np.allclose(inter["mean"], 0.0, atol=1e-9)
    lone = lever_groups({**defaults(), "transition_exit_mode": "cliff"}, defaults())
    assert [lv.name for lv in lone] == ["transition"] and runs_needed(lone) == []
    assert len(runs_needed(lever_groups({**defaults(), "transition_exit_mode": "cliff",
                                         "monitoring_enabled": False}, defaults()))) == 2


def test_levers_are_grouped_by_section_with_each_shock_apart_and_capped():
    base = defaults()
    params = {**base, "monitoring_detection_prob": 0.3, "monitoring_team_size": 9.0,
              "shocks_migrant_demand_drop": 0.2, "shocks_migrant_demand_drop_start": 2024, "shocks_price_drop": 0.3,
              "transfers_dibao_takeup": 0.7, "training_coverage": 0.2, "run_households": 123}
    levers = {lv.name: lv for lv in lever_groups(params, base)}
    assert set(levers) == {"monitoring", "shocks.migrant_demand_drop", "shocks.price_drop", "transfers", "training"}
    assert levers["monitoring"].keys == ("monitoring.detection_prob", "monitoring.team_size")
    assert levers["shocks.migrant_demand_drop"].values == {"shocks_migrant_demand_drop": 0.2,
                                                           "shocks_migrant_demand_drop_start": 2024}
    assert all("run" not in k for lv in levers.values() for k in lv.keys)  # run settings are never a lever
    capped = lever_groups(params, base, cap=3)
    assert len(capped) == 3 and capped[-1].name == OTHER
    # the largest sections keep their own lever; every changed key is in exactly one group
    assert {lv.name for lv in capped[:2]} == {"monitoring", "shocks.migrant_demand_drop"}
    keys = [k for lv in capped for k in lv.keys]
    assert sorted(keys) == sorted(k for lv in levers.values() for k in lv.keys)


# ---------------------------------------------------------------------------------------------
# Drivers through the model: a hand-built scenario with two levers whose contributions are known
# ---------------------------------------------------------------------------------------------
def test_hand_built_scenario_lever_dated_after_the_run_contributes_exactly_nothing(tmp_path):
    """Monitoring switched off from 2021 and the cliff exit (it acts from 2026) in a run that ends in
    2023-12: the cliff's contribution is exactly 0 in every replicate, monitoring's is the whole effect,
    and the interaction is exactly 0. This holds only if the lever runs share the comparison's common
    start and random numbers."""
    path = tmp_path / "two_levers.toml"
    path.write_text(f'extends = {BASELINE}\n[monitoring]\nenabled = false\n[transition]\nexit_mode = "cliff"\n',
                    encoding="utf-8")
    scenarios = load_scenarios(["baseline", path])
    cmp = run_comparison(scenarios, {"run_households": 500, "run_months": 36, "run_replicates": 2},
                         workers=1, progress=False)
    ex = explain(cmp, scenarios, ExplainOptions(drivers=True, robustness=False), workers=1, progress=False)
    assert ex.robustness is None and ex.info["runs"] == 2 * 2  # two levers x two replicates
    d = ex.drivers
    assert set(d["term"]) == {"monitoring", "transition", "interaction", "total"}
    ref = headline_values(cmp.results["baseline"].timeseries)
    own = headline_values(cmp.results["two_levers"].timeseries)
    for key in KEYS:
        rows = d[d["outcome"] == key].set_index("term")
        assert rows.loc["transition", ["mean", "ci_lo", "ci_hi"]].tolist() == [0.0, 0.0, 0.0]
        assert rows.loc["interaction", "mean"] == 0.0
        assert rows.loc["monitoring", "mean"] == rows.loc["total", "mean"]
        # the total is the comparison's own paired difference
        assert rows.loc["total", "mean"] == pytest.approx((own[key] - ref[key]).mean(), rel=1e-12, abs=1e-15)
    caseload = d[(d["outcome"] == "monitored_people_share") & (d["term"] == "monitoring")]
    assert caseload["mean"].item() < 0  # not a trivial zero: without monitoring nobody is a monitored household


# ---------------------------------------------------------------------------------------------
# Robustness: the one-at-a-time design
# ---------------------------------------------------------------------------------------------
def test_each_robustness_run_changes_one_assumption_the_same_in_scenario_and_reference(tmp_path):
    own = tmp_path / "own_takeup.toml"
    own.write_text(f"extends = {BASELINE}\n[transfers]\ndibao_takeup = 0.7\n", encoding="utf-8")
    scenarios = load_scenarios(["baseline", "cliff_exit", own])
    labels = ["baseline", "cliff_exit", "own_takeup"]
    run, _ = shared_run(scenarios, {"run_households": 2000, "run_replicates": 2})
    assumptions = load_assumptions()
    items = {a.name: a for a in assumptions.items}
    assert len(items) >= 5 and {"dibao_takeup", "identification", "wage_growth"} <= set(items)
    jobs, info, notes = plan(scenarios, labels, run, ExplainOptions(drivers=False, robustness=True, households=900),
                             assumptions)
    assert info["robustness"]["households"] == 900 and info["robustness"]["replicates"] == 2
    assert settings(assumptions.items)[0] == (CENTRAL, CENTRAL)
    assert len(settings(assumptions.items)) == 2 * len(items) + 1
    # the scenario that sets 低保 take-up itself is not varied on it (that would undo its own lever)
    assert any("own_takeup" in n and "dibao_takeup" in n for n in notes)
    assert not [j for j in jobs if j.label == "own_takeup" and j.name == "dibao_takeup"]
    per_setting = {}
    for j in jobs:
        assert j.kind == "robust" and j.overrides["run_households"] == 900
        params = {**j.scenario.params, **run}
        changed = {k for k, v in j.overrides.items() if not k.startswith("run_") and params.get(k) != v}
        if j.name == CENTRAL:
            assert changed == set()
        else:
            assert changed == set(items[j.name].low)  # that assumption's parameters and no other
        per_setting.setdefault((j.name, j.side, j.replicate), {})[j.label] = j.overrides
    for (name, side, _), by_label in per_setting.items():
        assert "baseline" in by_label  # the reference runs every setting
        assert all(o == by_label["baseline"] for o in by_label.values())  # the same values in scenario and reference
    expected = (2 * len(items) + 1) * 3 * 2 - 2 * 2  # less own_takeup's two 低保 settings
    assert len(jobs) == expected
    # a dated assumption keeps the declared years before its date
    wage = next(j for j in jobs if j.name == "wage_growth" and j.side == "low" and j.label == "baseline")
    declared = run | load_scenario(SCENARIOS / "baseline.toml").params
    table = wage.overrides["labour_wage_growth"]
    from_year = items["wage_growth"].from_year
    assert {y: v for y, v in table.items() if y < from_year} == \
        {int(y): v for y, v in declared["labour_wage_growth"].items() if int(y) < from_year}
    assert table[from_year] == items["wage_growth"].low["labour_wage_growth"]


def _setting_values(diff: float, reps: int = 4, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ref = rng.normal(10.0, 1.0, (reps, len(KEYS)))
    return _values(ref + diff + rng.normal(0, 0.01, ref.shape)), _values(ref)


def test_verdicts_say_when_the_sign_holds_and_which_assumption_reverses_it():
    a = load_assumptions()
    first, second = a.items[0], a.items[1]
    values = {}
    for name, side, diff in [(CENTRAL, CENTRAL, 1.0), (first.name, "low", -0.5), (first.name, "high", 1.2),
                             (second.name, "low", 0.9), (second.name, "high", 3.0)]:
        s, r = _setting_values(diff, seed=len(values))
        values[("pol", name, side)], values[("ref", name, side)] = s, r
    table = robustness_table(values, ["ref", "pol"], "ref", [first, second], range(4))
    assert len(table) == 5 * len(KEYS)
    row = table[(table["outcome"] == KEYS[0]) & (table["assumption"] == second.name) & (table["side"] == "high")]
    assert row["moves_beyond_half_width"].item() and row["same_sign"].item()
    assert row["shift"].item() == pytest.approx(2.0, abs=0.05)
    v = verdicts(table, [first, second])
    assert len(v) == len(KEYS)
    r = v.iloc[0]
    assert not r["holds"] and r["clear"] and r["reversed_by"] == f"{first.name}:low"
    assert r["verdict"] == f"reverses when {first.label} is at its low"
    assert r["verdict_zh"] == f"当{first.label_zh}取低值时方向逆转"
    assert r["largest_mover"] == f"{second.name}:high" and r["moves_beyond_half_width"]
    # without the reversing assumption, the answer holds
    kept = {k: x for k, x in values.items() if k[1] != first.name}
    v2 = verdicts(robustness_table(kept, ["ref", "pol"], "ref", [second], range(4)), [second])
    assert v2["holds"].all() and (v2["verdict"] == "holds under every assumption").all()


# ---------------------------------------------------------------------------------------------
# Bad assumptions files: exit 2, naming file, key, value and what is allowed
# ---------------------------------------------------------------------------------------------
GOOD = 'label = "x"\nlabel_zh = "x"\nsource = "x"\n'
BAD_FILES = {
    "unknown-parameter": (f"[a]\n{GOOD}low = {{ transfers.dibao_takup = 0.3 }}\nhigh = {{ transfers.dibao_takup = 0.8 }}\n",
                          ["a.low.transfers.dibao_takup", "0.3", "unknown parameter", "transfers.dibao_takeup",
                           "a declared parameter"]),
    "unknown-field": (f"[a]\n{GOOD}colour = \"red\"\nlow = {{ transfers.dibao_takeup = 0.3 }}\n"
                      "high = { transfers.dibao_takeup = 0.8 }\n",
                      ["a.colour", '"red"', "unknown field", "label, label_zh, source, low, high"]),
    "low-above-high": (f"[a]\n{GOOD}low = {{ transfers.dibao_takeup = 0.9 }}\nhigh = {{ transfers.dibao_takeup = 0.2 }}\n",
                       ["a.low.transfers.dibao_takeup", "0.9", "low is above high (0.2)", "low <= high"]),
    "out-of-range": (f"[a]\n{GOOD}low = {{ transfers.dibao_takeup = 0.2 }}\nhigh = {{ transfers.dibao_takeup = 1.5 }}\n",
                     ["a.high.transfers.dibao_takeup", "1.5", "out of range", "from 0 to 1"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_assumptions_file_is_refused_before_anything_runs(tmp_path, case):
    text, says = BAD_FILES[case]
    (tmp_path / "bad_assumptions.toml").write_text(text, encoding="utf-8")
    res = subprocess.run([*CLI, "compare", "baseline", "cliff_exit", "--assumptions", "bad_assumptions.toml",
                          "--households", "100", "--months", "3", "--replicates", "1", "--quiet", "--out", "out"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert "bad_assumptions.toml" in res.stderr
    for text in says:
        assert text in res.stderr, (text, res.stderr)
    assert not (tmp_path / "out").exists()  # checked before any folder is made or run started


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(BAD_FILES["unknown-field"][0].replace("0.3", "0.9").replace("0.8", "0.1"), encoding="utf-8")
    from ruralsim.simulation.config import ConfigError

    with pytest.raises(ConfigError) as err:
        load_assumptions(path)
    reasons = [p.reason for p in err.value.problems]
    assert "unknown field" in reasons and any(r.startswith("low is above high") for r in reasons)


def test_shipped_assumptions_bracket_the_declared_values_inside_their_parameters_ranges():
    """Each range lies inside its parameter's range and brackets the value the baseline declares (in the
    year it holds from, for a dated one), so low and high are two sides of the answer given."""
    from ruralsim.simulation.parameters import value_in_year

    a = load_assumptions()
    declared = load_scenario(SCENARIOS / "baseline.toml").params
    assert not a.notes  # every assumption runs with this model (none skipped)
    for item in a.items:
        assert len(item.source) > 40, item.name  # a reason, not a placeholder
        for flat in item.low:
            p = next(q for q in PARAMS_BY_KEY.values() if q.flat == flat)
            low, high = item.low[flat], item.high[flat]
            assert p.low <= low <= high <= p.high, (item.name, flat, low, high)
            value = declared[flat]
            if item.from_year is not None:
                value = value_in_year(value, item.from_year)
            assert low <= value <= high, (item.name, flat, value, low, high)


# ---------------------------------------------------------------------------------------------
# End to end through the CLI
# ---------------------------------------------------------------------------------------------
SMALL_ASSUMPTIONS = """
[dibao_takeup]
label = "<b>Take-up</b> of 低保"
label_zh = "低保申领率<b>"
source = "a test range"
low = { transfers.dibao_takeup = 0.1 }
high = { transfers.dibao_takeup = 0.9 }

[wage_growth]
label = "Wage growth after 2024"
label_zh = "2024年后工资增速"
source = "a test range"
low = { labour.wage_growth = -0.05 }
high = { labour.wage_growth = 0.1 }
from_year = 2025
"""


@pytest.mark.slow
def test_compare_writes_both_tables_sections_and_lists_every_file(tmp_path):
    (tmp_path / "assumptions.toml").write_text(SMALL_ASSUMPTIONS, encoding="utf-8")
    out = tmp_path / "cmp"
    res = subprocess.run([*CLI, "compare", "baseline", "policy_2026", "--drivers", "--robustness",
                          "--assumptions", "assumptions.toml", "--households", "400", "--months", "72",
                          "--replicates", "3", "--robustness-households", "400", "--workers", "1", "--quiet",
                          "--out", str(out)], capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "drivers and robustness:" in res.stdout and "policy_2026 vs baseline" in res.stdout
    drivers = pd.read_csv(out / "compare_drivers.csv")
    verdict = pd.read_csv(out / "compare_robustness_verdicts.csv")
    robust = pd.read_csv(out / "compare_robustness.csv")
    assert set(drivers["term"]) == {"programmes", "categories", "interaction", "total"}
    assert set(robust["assumption"]) == {CENTRAL, "dibao_takeup", "wage_growth"}
    comparison = pd.read_csv(out / "comparison.csv")
    last = comparison[(comparison["date"] == comparison["date"].max()) & (comparison["scenario"] == "policy_2026")]
    for key in ("poverty_rate_registry", "monitored_people_share"):
        rows = drivers[drivers["outcome"] == key].set_index("term")
        parts = rows.loc[["programmes", "categories", "interaction"], "mean"].sum()
        assert parts == pytest.approx(rows.loc["total", "mean"], rel=1e-4, abs=1e-9)  # CSV: 6 digits
        assert rows.loc["total", "ci_lo"] <= parts <= rows.loc["total", "ci_hi"]
        # the total is the comparison's own difference at its last month
        assert rows.loc["total", "mean"] == pytest.approx(last.set_index("metric").loc[key, "diff_mean"], rel=1e-4)
    assert len(verdict) == len(OUTCOMES) and verdict["verdict"].str.len().gt(10).all()
    dictionary = pd.read_csv(out / "data_dictionary.csv")
    for name, frame in (("compare_drivers.csv", drivers), ("compare_robustness.csv", robust),
                        ("compare_robustness_verdicts.csv", verdict)):
        rows = dictionary[dictionary["file"] == name].set_index("column")
        assert set(frame.columns) <= set(rows.index), name
        assert (rows["definition"] != "undocumented").all(), rows[rows["definition"] == "undocumented"].index.tolist()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    written = set(manifest["written"])
    assert {"compare_drivers.csv", "compare_robustness.csv", "compare_robustness_verdicts.csv",
            "plots/explain/robustness_policy_2026.png"} <= written
    assert manifest["extra"]["explain"]["robustness"]["households"] == 400
    html = (out / "report.html").read_text(encoding="utf-8")
    md = (out / "report.md").read_text(encoding="utf-8")
    assert 'id="explain"' in html and "Why, and how sure" in html and "Why, and how sure" in md
    from ruralsim.presentation.report import markdown_text

    for sentence in verdict["verdict"]:  # as written, but a label's markup shown as text (escaped)
        assert markdown_text(sentence) in md
    assert "<b>" not in html and "&lt;b&gt;Take-up&lt;/b&gt; of 低保" in html  # a label is shown as text, never markup
    assert "&lt;b&gt;Take-up" in md and "<b>" not in md
    assert "data:image/png;base64," in html.split('id="explain"')[1]
    # ruralsim plot redraws the tornado charts too (in Chinese here), and the folder still lists every file
    tornado = out / "plots" / "explain" / "robustness_policy_2026.png"
    before = tornado.stat().st_mtime_ns
    res = subprocess.run([*CLI, "plot", str(out), "--lang", "zh"], capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert tornado.stat().st_mtime_ns > before
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "plots/explain/robustness_policy_2026.png" in manifest["written"]


def test_both_sections_are_on_by_default_unless_the_environment_says_off(monkeypatch):
    from ruralsim.workflows.explain import ENV, default_on

    monkeypatch.delenv(ENV, raising=False)
    assert default_on()
    monkeypatch.setenv(ENV, "off")
    assert not default_on()
