"""Experiment files: the shipped ones validate, and bad ones fail with a message naming file, key, value, allowed.

These run no model (apart from the tiny one that lists the series names), so they are fast.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ruralsim.simulation.config import ConfigError
from ruralsim.simulation.parameters import PARAMS_BY_KEY
from ruralsim.analysis.sweep import build_design, load_experiment, run_id, tasks
from ruralsim.analysis.sweep.experiment import EXPERIMENT_DIR, scaled

SHIPPED = ["transition_length", "training_vs_dividends", "monitoring", "sobol_drivers", "policy_packages"]


def write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(path: Path, **sizes) -> str:
    with pytest.raises(ConfigError) as err:
        load_experiment(path, **sizes)
    return str(err.value)


GOOD = '''# A small grid.
scenario = "baseline"
households = 300
months = 6
replicates = 2
[vary]
training.coverage = [0.0, 0.2]
'''


# --- the shipped experiments -----------------------------------------------------------------
@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_experiments_validate(name):
    exp = load_experiment(EXPERIMENT_DIR / f"{name}.toml")
    assert exp.description and "Full size" in exp.description  # header says the question and the size
    design = build_design(exp)
    assert len(design) >= 9 and exp.replicates >= 1
    ids = [t.run_id for t in tasks(exp, design)]
    assert len(ids) == len(design) * exp.replicates
    # A run id is its parameters: points the design repeats (Sobol' columns of listed values) share ids.
    distinct = len(design.points.drop(columns="point").astype(str).drop_duplicates())
    assert len(set(ids)) == distinct * exp.replicates


def test_shipped_designs_are_what_the_issue_asks():
    tl = load_experiment(EXPERIMENT_DIR / "transition_length.toml")
    assert tl.keys == ["transition.years", "transition.exit_mode"]
    assert [f.levels() for f in tl.factors] == [list(range(1, 9)), ["keep", "taper", "cliff"]]
    assert len(load_experiment(EXPERIMENT_DIR / "training_vs_dividends.toml").factors) == 2
    mon = load_experiment(EXPERIMENT_DIR / "monitoring.toml")
    assert mon.keys == ["monitoring.detection_prob", "monitoring.detection_delay", "monitoring.line"]
    sob = load_experiment(EXPERIMENT_DIR / "sobol_drivers.toml")
    assert sob.method == "sobol" and len(sob.factors) >= 8


def test_scaled_by_year_parameter_multiplies_every_year(tmp_path):
    exp = load_experiment(EXPERIMENT_DIR / "monitoring.toml")
    base = exp.base["monitoring_line"]
    params = exp.point_params({"monitoring.detection_prob": 0.3, "monitoring.detection_delay": 2,
                               "monitoring.line": 0.8})
    assert params["monitoring_line"] == {y: 0.8 * v for y, v in base.items()}
    assert params["monitoring_detection_delay"] == 2 and scaled(5, 1.5) == 8


def test_run_ids_are_stable_and_ignore_the_replicate_count(tmp_path):
    p = write(tmp_path, GOOD)
    a = [t.run_id for t in tasks(load_experiment(p), build_design(load_experiment(p)))]
    b = [t.run_id for t in tasks(load_experiment(p, replicates=3), build_design(load_experiment(p)))]
    assert b[0:2] == a[0:2] and len(b) == 6  # replicates 0-1 keep their ids when a third is added
    c = [t.run_id for t in tasks(load_experiment(p, households=301), build_design(load_experiment(p)))]
    assert not set(c) & set(a)  # a different size is a different run
    assert run_id({"x": 1.0}, 0) != run_id({"x": 1.0}, 1)


def test_size_overrides_and_fixed_values_apply(tmp_path):
    p = write(tmp_path, GOOD + "[fixed]\ntransition.exit_mode = \"cliff\"\n")
    exp = load_experiment(p, households=123, months=4)
    assert exp.base["run_households"] == 123 and exp.base["run_months"] == 4 and exp.replicates == 2
    assert exp.base["transition_exit_mode"] == "cliff"
    assert exp.size_overrides == {"run_households": 123, "run_months": 4}


def test_sampled_designs_map_the_unit_cube_to_parameter_values(tmp_path):
    p = write(tmp_path, '''scenario = "baseline"
[design]
method = "lhs"
samples = 40
[vary]
transition.years = { low = 3, high = 8 }
transition.exit_mode = ["keep", "taper", "cliff"]
shocks.illness_multiplier = { low = 0.5, high = 2.0 }
''')
    exp = load_experiment(p)
    pts = build_design(exp).points
    assert len(pts) == 40
    assert set(pts["transition.years"]) <= set(range(3, 9)) and pts["transition.years"].nunique() == 6
    assert set(pts["transition.exit_mode"]) == {"keep", "taper", "cliff"}
    assert pts["shocks.illness_multiplier"].between(0.5, 2.0).all()


# --- bad files -------------------------------------------------------------------------------
def test_unknown_parameter_gets_a_suggestion(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("training.coverage", "training.coverag")))
    assert "exp.toml" in msg and "vary.training.coverag" in msg
    assert "unknown parameter" in msg and "did you mean 'training.coverage'" in msg


def test_out_of_range_bounds_name_the_bound_and_the_range(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("[0.0, 0.2]", "{ low = 0.1, high = 1.5, steps = 3 }")))
    assert "vary.training.coverage.high = 1.5: out of range" in msg
    assert "allowed: a number from 0 to 1" in msg


def test_list_value_out_of_range_names_its_position(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("[0.0, 0.2]", "[0.0, 2.0]")))
    assert "vary.training.coverage[1] = 2.0: out of range" in msg


def test_scaled_range_checks_the_scaled_values(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("training.coverage = [0.0, 0.2]",
                                                "monitoring.line = { low = 0.5, high = 10.0, steps = 2, scale = true }")))
    assert "vary.monitoring.line.high" in msg and "x base" in msg and "out of range" in msg


def test_bad_design_name_gets_a_suggestion(tmp_path):
    msg = error_of(write(tmp_path, GOOD + '[design]\nmethod = "sobel"\nsamples = 8\n'))
    assert 'design.method = "sobel": unknown design; did you mean \'sobol\'?' in msg
    assert "grid, lhs, sobol, morris, table" in msg


def test_sobol_needs_a_power_of_two_and_ranges_need_steps_in_grids(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace("[0.0, 0.2]", "{ low = 0.0, high = 0.2 }")
                         + '[design]\nmethod = "sobol"\nsamples = 12\n'))
    assert "design.samples = 12: Sobol' sequences need a power of 2" in msg
    msg = error_of(write(tmp_path, GOOD.replace("[0.0, 0.2]", "{ low = 0.0, high = 0.2 }")))
    assert "vary.training.coverage.steps: a range in a grid needs steps" in msg


def test_missing_or_unknown_base_scenario(tmp_path):
    msg = error_of(write(tmp_path, GOOD.replace('scenario = "baseline"\n', "")))
    assert "exp.toml: scenario: missing" in msg and "baseline" in msg  # lists the shipped scenarios
    msg = error_of(write(tmp_path, GOOD.replace('"baseline"', '"baselin"')))
    assert 'scenario = "baselin"' in msg and "did you mean" in msg


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.replace("households = 300", "households = -5").replace("[0.0, 0.2]", "[0.0]")
    text += '[outputs]\noutcomes = ["poverty_rate_registry_lats12"]\nseries = ["povrty_rate_registry"]\n[wrong]\nx = 1\n'
    msg = error_of(write(tmp_path, text))
    assert msg.startswith("5 problems in")
    assert "households = -5: out of range" in msg
    assert "vary.training.coverage = [0.0]: a sweep needs at least two values" in msg
    assert "did you mean 'poverty_rate_registry_last12'" in msg and "did you mean 'poverty_rate_registry'" in msg
    assert "wrong" in msg and "unknown top-level key" in msg


def test_range_on_a_choice_parameter_and_a_parameter_both_fixed_and_varied(tmp_path):
    msg = error_of(write(tmp_path, GOOD + 'transition.exit_mode = { low = 0, high = 1 }\n'
                         '[fixed]\ntraining.coverage = 0.1\n'))
    assert "a range needs a numeric parameter" in msg and "'keep', 'taper', 'cliff'" in msg
    assert "also set in [fixed]" in msg


CSV_OK = "transition.exit_mode,training.coverage\nkeep,0.1\ncliff,0.2\n"


def table_experiment(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "points.csv").write_text(csv_text, encoding="utf-8")
    return write(tmp_path, 'scenario = "baseline"\n[design]\nmethod = "table"\nfile = "points.csv"\n')


def test_csv_table_design_reads_rows(tmp_path):
    exp = load_experiment(table_experiment(tmp_path, CSV_OK))
    pts = build_design(exp).points
    assert pts["transition.exit_mode"].tolist() == ["keep", "cliff"]
    assert pts["training.coverage"].tolist() == [0.1, 0.2]


@pytest.mark.parametrize("csv_text, expected", [
    ("transition.exit_mod,training.coverage\nkeep,0.1\n", "did you mean 'transition.exit_mode'"),
    (CSV_OK + "taper,1.7\n", "points.csv: row 4.training.coverage = \"1.7\": out of range"),
    (CSV_OK + "sideways,0.1\n", "row 4.transition.exit_mode = \"sideways\": invalid choice"),
    (CSV_OK + "keep\n", "row 4 = \"keep\": has 1 cells, the header 2"),
    ("transition.exit_mode,training.coverage\n", "no design rows"),
])
def test_bad_csv_designs(tmp_path, csv_text, expected):
    assert expected in error_of(table_experiment(tmp_path, csv_text))


def test_missing_csv_file(tmp_path):
    p = write(tmp_path, 'scenario = "baseline"\n[design]\nmethod = "table"\nfile = "nowhere.csv"\n')
    assert 'design.file = "nowhere.csv": file not found' in error_of(p)


def test_command_line_reports_bad_files_without_a_traceback(tmp_path):
    p = write(tmp_path, GOOD.replace("training.coverage", "training.coverag"))
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "sweep", str(p), "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert "did you mean 'training.coverage'" in res.stderr and "Traceback" not in res.stderr
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "sweep", "monitoring", "--check"],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "36 points" in res.stdout


def test_every_parameter_key_in_the_shipped_experiments_is_declared():
    for name in SHIPPED:
        exp = load_experiment(EXPERIMENT_DIR / f"{name}.toml")
        assert all(k in PARAMS_BY_KEY for k in exp.keys)


def test_bad_choice_of_months_kept(tmp_path):
    msg = error_of(write(tmp_path, GOOD + '[outputs]\nseries_months = ["2025-13"]\n'))
    assert 'outputs.series_months = ["2025-13"]: not a choice of months' in msg and '"december"' in msg
