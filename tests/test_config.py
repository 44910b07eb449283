"""Scenario loading and validation: the shipped library loads, and bad input fails helpfully.

Bad-config tests check the message text (file, key path, value, what is allowed), because a
message that names the wrong thing costs users more than a crash.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import tomli_w

from ruralsim.simulation.config import (
    ConfigError,
    Scenario,
    check_overrides,
    load_scenario,
    scenario_from_overrides,
    scenario_paths,
    to_toml_tables,
)
from ruralsim.simulation.parameters import PARAMS_BY_KEY, defaults

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

# What each shipped scenario changes relative to the defaults (flat name -> value).
EXPECTED_CHANGES = {
    "baseline": {},
    "cliff_exit": {"transition_exit_mode": "cliff"},
    "early_exit": {"transition_years": 3},
    "taper_exit": {"transition_exit_mode": "taper", "transition_taper_years": 3},
    "weak_monitoring": {"monitoring_detection_prob": 0.005, "monitoring_detection_delay": 3,
                        "monitoring_team_size": 1.5},
    "no_monitoring": {"monitoring_enabled": False},
    "training_push": {"training_coverage": 0.2, "training_placement_prob": 0.8,
                      "training_course_months": 2},
    "dividend_push": {"coop_membership_share": 0.85, "coop_shares_per_member": 15000.0,
                      "coop_guaranteed_dividend_rate": 0.09},
    "workshop_expansion": {"workshop_expansion": 1.0, "workshop_supported_share": 0.8},
    "employment_shock": {"shocks_migrant_demand_drop": 0.35, "shocks_migrant_demand_drop_start": 2022,
                         "shocks_migrant_demand_drop_months": 12},
    "health_shock": {"shocks_illness_multiplier": 1.5, "medical_participation": 0.90},
    "price_shock": {"shocks_price_drop": 0.3, "shocks_price_drop_start": 2023,
                    "shocks_price_drop_months": 24, "coop_guarantee_purchase": True},
    "price_shock_no_guarantee": {"shocks_price_drop": 0.3, "shocks_price_drop_start": 2023,
                                 "shocks_price_drop_months": 24, "coop_guarantee_purchase": False},
    "budget_cut": {"budget_scale": 0.8},
}
# After 2025 (issue 13): the policy in force and the three options extending it.
_POLICY_2026 = {**{f"programmes_{k}": 1.0 for k in ("subsidies", "industry", "posts", "workshops", "dividend_subsidy",
                                                   "medical", "dibao", "temporary", "monitoring")},
                "categories_packages": True, "categories_review": "yearly", "monitoring_after_2025": "separate"}
EXPECTED_CHANGES.update({
    "policy_2026": _POLICY_2026,
    "merge_monitoring": {**_POLICY_2026, "monitoring_after_2025": "merged", "monitoring_merged_line_multiple": 1.5,
                         "monitoring_merged_detection_factor": 1.0},
    "fund_to_employment": {**_POLICY_2026, "budget_industry_to_employment": {2021: 0.0, 2026: 0.4},
                           "categories_grant_factor": 0.5, "categories_placement_factor": 2.0},
    "end_posts_able": {**_POLICY_2026, "categories_able_posts": 0.0},
    "key_counties_focus": {**_POLICY_2026, "places_key_fund_factor": 1.5, "places_other_fund_factor": 0.875},
})


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    return str(err.value)


# --- the shipped library ---------------------------------------------------------------------
def test_library_is_complete():
    assert {p.stem for p in scenario_paths(SCENARIOS)} == set(EXPECTED_CHANGES)


@pytest.mark.parametrize("name", sorted(EXPECTED_CHANGES))
def test_every_scenario_loads_and_validates(name):
    sc = load_scenario(SCENARIOS / f"{name}.toml")
    assert sc.name == name and sc.chain[-1].name == f"{name}.toml"
    assert "Article figures:" in sc.description  # header states the figures it draws on
    assert check_overrides(sc.params) == sc.params  # the resolved set is itself valid
    # Only the stated levers differ from the defaults (baseline restates defaults exactly,
    # and levers the scenario states to equal the default are checked to keep that value).
    d = defaults()
    calibrated = _calibrated_keys(SCENARIOS / "baseline.toml")  # values written by ruralsim calibrate
    changed = {k: v for k, v in sc.params.items() if v != d[k] and k not in calibrated}
    expected = EXPECTED_CHANGES[name]
    assert changed == {k: v for k, v in expected.items() if v != d[k]}
    assert all(sc.params[k] == v for k, v in expected.items())
    if name != "baseline":
        assert sc.chain[0].name == "baseline.toml"


def _calibrated_keys(path) -> set[str]:
    """Flat names of keys in a scenario file marked as calibrated (on their line or the line above)."""
    keys, section, previous = set(), "", ""
    for line in path.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped.strip("[]").strip()
        elif "=" in stripped and not stripped.startswith("#") and section:
            if "calibrated" in line or "calibrated" in previous:
                keys.add(f"{section}_{stripped.split('=')[0].strip()}")
        previous = line
    return keys


def test_baseline_restates_defaults_exactly():
    """The baseline restates the defaults of its levers, except values written there by calibration."""
    path = SCENARIOS / "baseline.toml"
    sc = load_scenario(path)
    d = defaults()
    calibrated = _calibrated_keys(path)
    assert len(sc.overrides) >= 20
    assert {k: v for k, v in sc.overrides.items() if d[k] != v and k not in calibrated} == {}
    assert all(type(v) is type(d[k]) for k, v in sc.overrides.items())


# --- merging and values ----------------------------------------------------------------------
def test_extends_merges_child_wins_and_year_tables_replace_whole(tmp_path):
    write(tmp_path, "base.toml", '# Base header.\n\n[monitoring]\ndetection_prob = 0.3\n'
          'line = { 2021 = 6000, 2022 = 6500 }\n[run]\nmonths = 24\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    child = write(sub, "child.toml", 'extends = "../base.toml"\nname = "kid"\n'
                  'description = "Child."\n[monitoring]\nline = { 2023 = 7000.5 }\n'
                  '[run]\nmonths = 36.0\n')
    sc = load_scenario(child)
    assert sc.name == "kid" and sc.description == "Child."
    assert [p.name for p in sc.chain] == ["base.toml", "child.toml"]
    assert sc.overrides == {"monitoring_detection_prob": 0.3, "monitoring_line": {2023: 7000.5},
                            "run_months": 36}
    assert type(sc.overrides["run_months"]) is int
    base = load_scenario(tmp_path / "base.toml")
    assert base.name == "base" and base.description == "Base header."
    assert base.overrides["monitoring_line"] == {2021: 6000.0, 2022: 6500.0}


def test_params_is_a_fresh_copy():
    sc = scenario_from_overrides("mem", {"monitoring.detection_prob": 0.2})
    assert sc.path == Path("<memory>") and sc.params["monitoring_detection_prob"] == 0.2
    sc.params["monitoring_line"][2099] = 1.0
    assert 2099 not in sc.params["monitoring_line"] and 2099 not in defaults()["monitoring_line"]
    assert isinstance(sc, Scenario)


def test_check_overrides_accepts_flat_and_dotted_and_normalises():
    out = check_overrides({"monitoring_detection_prob": 1, "run.months": 12.0,
                           "monitoring.line": {"2021": 5000, 2024: 6000.0}})
    assert out == {"monitoring_detection_prob": 1.0, "run_months": 12,
                   "monitoring_line": {2021: 5000.0, 2024: 6000.0}}
    assert type(out["monitoring_detection_prob"]) is float and type(out["run_months"]) is int


def test_to_toml_tables_round_trips(tmp_path):
    flat = load_scenario(SCENARIOS / "price_shock.toml").params
    tables = to_toml_tables(flat)
    assert tables["monitoring"]["line"]["2021"] == 6000.0
    p = write(tmp_path, "resolved.toml", tomli_w.dumps(tables))
    assert load_scenario(p).params == flat


# --- bad input: every message names file, key path, value and what is allowed ----------------
def test_unknown_key_suggests_the_right_one(tmp_path):
    p = write(tmp_path, "typo.toml", "[monitoring]\ndetecton_prob = 0.3\n")
    msg = error_of(p)
    assert "typo.toml" in msg and "monitoring.detecton_prob" in msg and "0.3" in msg
    assert "did you mean 'monitoring.detection_prob'?" in msg
    assert "detection_delay" in msg  # lists the section's keys as the allowed ones


def test_key_in_wrong_section_suggests_its_section(tmp_path):
    msg = error_of(write(tmp_path, "wrong.toml", "[training]\ndetection_prob = 0.3\n"))
    assert "training.detection_prob" in msg and "did you mean 'monitoring.detection_prob'?" in msg


def test_unknown_section_suggests_a_section(tmp_path):
    msg = error_of(write(tmp_path, "sec.toml", "[monitorng]\ndetection_prob = 0.3\n"))
    assert "sec.toml" in msg and "monitorng" in msg and "detection_prob = 0.3" in msg
    assert "did you mean 'monitoring'?" in msg and "extends, name, description" in msg


def test_wrong_type(tmp_path):
    msg = error_of(write(tmp_path, "type.toml", '[monitoring]\ndetection_prob = "high"\n'))
    assert "type.toml" in msg and "monitoring.detection_prob" in msg and '"high"' in msg
    assert "wrong type" in msg and PARAMS_BY_KEY["monitoring.detection_prob"].allowed() in msg


@pytest.mark.parametrize("line, shown", [
    ("[run]\nmonths = 2.5", "2.5"),          # int param: fractional float
    ("[run]\nmonths = true", "true"),        # int param: bool
    ("[monitoring]\nenabled = 1", "1"),      # bool param: int
    ("[monitoring]\ndetection_prob = false", "false"),
    ("[run]\nmonths = { 2021 = 3 }", "{ 2021 = 3 }"),  # table on a non-by-year param
])
def test_wrong_types_are_rejected(tmp_path, line, shown):
    msg = error_of(write(tmp_path, "types.toml", line + "\n"))
    assert "types.toml" in msg and shown in msg and "allowed:" in msg


def test_out_of_range(tmp_path):
    msg = error_of(write(tmp_path, "range.toml", "[monitoring]\ndetection_prob = 1.5\n"))
    assert "range.toml" in msg and "monitoring.detection_prob = 1.5" in msg
    assert "out of range" in msg and "a number from 0 to 1" in msg


def test_bad_year_table_entries(tmp_path):
    msg = error_of(write(tmp_path, "years.toml",
                         '[monitoring]\nline = { 2021 = 6000, 2022 = -5, later = 7000 }\n'))
    assert "years.toml" in msg and "monitoring.line[2022] = -5" in msg and "out of range" in msg
    assert 'monitoring.line[later] = 7000: year key "later"' in msg and "allowed:" in msg


def test_bad_choice_with_suggestion(tmp_path):
    msg = error_of(write(tmp_path, "choice.toml", '[transition]\nexit_mode = "tapper"\n'))
    assert "choice.toml" in msg and "transition.exit_mode" in msg and '"tapper"' in msg
    assert "one of 'keep', 'taper', 'cliff'" in msg and "did you mean 'taper'?" in msg


def test_all_problems_in_a_file_are_reported_together(tmp_path):
    p = write(tmp_path, "many.toml", '[monitoring]\ndetection_prob = 2\nteam_sise = 3\n'
              '[transition]\nexit_mode = "never"\n[bogus]\nx = 1\n')
    msg = error_of(p)
    assert msg.startswith("4 problems")
    assert len(msg.splitlines()) == 5 and all("many.toml" in ln for ln in msg.splitlines()[1:])


def test_missing_parent(tmp_path):
    msg = error_of(write(tmp_path, "orphan.toml", 'extends = "nowhere.toml"\n'))
    assert "orphan.toml" in msg and "extends" in msg and '"nowhere.toml"' in msg
    assert "not found" in msg and "existing scenario file" in msg


def test_extends_not_a_string(tmp_path):
    msg = error_of(write(tmp_path, "ext.toml", "extends = 3\n"))
    assert "ext.toml" in msg and "extends = 3" in msg and "must be a string" in msg


def test_extends_cycle_between_two_files(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    msg = error_of(tmp_path / "a.toml")
    assert "extends cycle" in msg and '"a.toml"' in msg and "allowed:" in msg
    chain = msg.split("extends cycle: ")[1]
    assert chain.index("a.toml") < chain.index("b.toml") < chain.rindex("a.toml")


def test_extends_self_cycle(tmp_path):
    msg = error_of(write(tmp_path, "self.toml", 'extends = "self.toml"\n'))
    assert "self.toml" in msg and "extends cycle" in msg and msg.count("self.toml") >= 3


def test_parent_problems_are_reported_with_the_parent_file(tmp_path):
    write(tmp_path, "parent.toml", "[run]\nmonths = 0\n")
    msg = error_of(write(tmp_path, "kid.toml", 'extends = "parent.toml"\n[run]\nseed = -1\n'))
    assert "parent.toml: run.months = 0" in msg and "kid.toml: run.seed = -1" in msg


def test_toml_syntax_error(tmp_path):
    msg = error_of(write(tmp_path, "syntax.toml", "[monitoring]\ndetection_prob = = 0.3\n"))
    assert "syntax.toml" in msg and "TOML syntax error" in msg and "line 2" in msg
    assert "valid TOML" in msg


def test_missing_file(tmp_path):
    msg = error_of(tmp_path / "absent.toml")
    assert "absent.toml" in msg and "file not found" in msg


def test_keyword_override_unknown_and_out_of_range():
    with pytest.raises(ConfigError) as err:
        check_overrides({"monitoring_detecton_prob": 0.3, "training.coverage": 7},
                        source="RuralModel keywords")
    msg = str(err.value)
    assert "RuralModel keywords: monitoring_detecton_prob = 0.3" in msg
    assert "did you mean 'monitoring_detection_prob'?" in msg and "declared parameter" in msg
    assert "training.coverage = 7" in msg and "a number from 0 to 1" in msg
    assert len(err.value.problems) == 2


def test_keyword_override_given_twice():
    with pytest.raises(ConfigError, match="given twice"):
        check_overrides({"run_months": 3, "run.months": 4})


def test_config_error_pickles():
    with pytest.raises(ConfigError) as err:
        check_overrides({"nope": 1})
    again = pickle.loads(pickle.dumps(err.value))
    assert str(again) == str(err.value) and again.problems == err.value.problems
