"""RuralModel as Python clients use it: NumPy inputs, one ValueError for bad input, the calibrated
baseline by default from any folder, scenario files shipped with the package, no global side effects
on import, Mesa's SolaraViz, EMA Workbench and SALib through :mod:`ruralsim.interop`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ruralsim import RuralModel
from ruralsim.config import SCENARIO_DIR, ConfigError, check_overrides, load_scenario
from ruralsim.interop import ema_model, parameter_table, run_outcomes, salib_kwargs, salib_problem
from ruralsim.parameters import PARAMS, PARAMS_BY_FLAT

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"run_households": 200, "run_months": 2}


# --- NumPy numbers ------------------------------------------------------------------------------
def test_numpy_scalars_and_0d_arrays_are_accepted_and_converted():
    got = check_overrides({"transition_taper_years": np.int64(4), "monitoring_enabled": np.bool_(False),
                           "training_coverage": np.array(0.25), "shocks_illness_rate": np.float32(0.5),
                           "transition_exit_mode": np.str_("taper"),
                           "monitoring_line": {np.int64(2021): np.float64(6000), 2023: np.int32(7000)}})
    assert got["transition_taper_years"] == 4 and type(got["transition_taper_years"]) is int
    assert got["monitoring_enabled"] is False
    assert got["training_coverage"] == 0.25 and type(got["training_coverage"]) is float
    assert type(got["shocks_illness_rate"]) is float
    assert got["transition_exit_mode"] == "taper" and type(got["transition_exit_mode"]) is str
    assert got["monitoring_line"] == {2021: 6000.0, 2023: 7000.0}
    assert all(type(k) is int and type(v) is float for k, v in got["monitoring_line"].items())


def test_numpy_arrays_with_several_values_are_still_rejected():
    with pytest.raises(ConfigError, match="training_coverage"):
        check_overrides({"training_coverage": np.array([0.1, 0.2])})


# --- One exception type for bad input -------------------------------------------------------------
@pytest.mark.parametrize("kwargs, words", [
    ({"training_coverag": 0.3}, ["training_coverag", "0.3", "unknown parameter", "training_coverage", "allowed"]),
    ({"training_coverage": 1.7}, ["training_coverage", "1.7", "out of range", "from 0 to 1"]),
    ({"training_coverage": "high"}, ["training_coverage", '"high"', "wrong type", "a number"]),
    ({"transition_taper_years": np.float64(2.5)}, ["transition_taper_years", "2.5", "whole number"]),
    ({"replicate": -1}, ["replicate", "-1", "a whole number >= 0"]),
    ({"kernels": "gpu"}, ["kernels", '"gpu"', "'numpy'"]),
    ({"seed": "x"}, ["seed", '"x"', "a whole number >= 0"]),
])
def test_bad_input_raises_one_value_error_naming_keyword_value_and_what_is_allowed(kwargs, words):
    with pytest.raises(ValueError) as info:
        RuralModel(**SMALL, **kwargs)
    assert isinstance(info.value, ConfigError)
    for w in words:
        assert w in str(info.value), (w, str(info.value))


# --- The calibrated baseline, from anywhere -------------------------------------------------------
def test_default_model_is_the_calibrated_baseline():
    baseline = load_scenario(ROOT / "scenarios" / "baseline.toml")
    defaults = {p.flat: p.default for p in PARAMS}
    calibrated = {k for k, v in baseline.params.items() if v != defaults[k]}
    assert calibrated, "the baseline changes some schema defaults"
    for m in (RuralModel(**SMALL), RuralModel("baseline", **SMALL), RuralModel("baseline.toml", **SMALL)):
        assert m.scenario_name == "baseline"
        for k in calibrated - set(SMALL):
            assert m.p[k] == baseline.params[k], k
    schema = RuralModel(None, **SMALL)
    assert any(schema.p[k] != baseline.params[k] for k in calibrated - set(SMALL))


def test_baseline_by_name_works_from_another_folder_and_extends_finds_shipped_scenarios(tmp_path):
    (tmp_path / "mine.toml").write_text('# My variant\nextends = "baseline.toml"\n[training]\ncoverage = 0.4\n')
    code = ("from ruralsim import RuralModel\n"
            "m = RuralModel(run_households=100, run_months=1)\n"
            "n = RuralModel('baseline', run_households=100, run_months=1)\n"
            "v = RuralModel('mine.toml', run_households=100, run_months=1)\n"
            "m, n, v = (x.scenario_params for x in (m, n, v))\n"
            "assert m == n and v['training_coverage'] == 0.4\n"
            "assert {k: x for k, x in v.items() if k != 'training_coverage'} == "
            "{k: x for k, x in m.items() if k != 'training_coverage'}\n"
            "print('ok', RuralModel(run_households=100, run_months=1).scenario_name, "
            "RuralModel('mine.toml', run_households=100, run_months=1).scenario_name)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["ok", "baseline", "mine"]


def test_extends_prefers_a_file_beside_the_scenario(tmp_path):
    (tmp_path / "baseline.toml").write_text("[training]\ncoverage = 0.1\n")
    (tmp_path / "child.toml").write_text('extends = "baseline.toml"\n')
    assert load_scenario(tmp_path / "child.toml").params["training_coverage"] == 0.1
    (tmp_path / "orphan.toml").write_text('extends = "no_such.toml"\n')
    with pytest.raises(ConfigError, match="parent file not found.*shipped scenario"):
        load_scenario(tmp_path / "orphan.toml")


def test_an_editable_install_reads_the_top_level_scenarios_folder():
    import ruralsim

    if (Path(ruralsim.__file__).parent / "scenarios").exists():
        pytest.skip("running from a built wheel")
    assert SCENARIO_DIR.resolve() == (ROOT / "scenarios").resolve()


@pytest.mark.slow
def test_a_wheel_ships_the_scenarios_folder_and_works_outside_the_checkout(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "model", src / "model", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copytree(ROOT / "scenarios", src / "scenarios")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                          str(src)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    wheel = next((tmp_path / "dist").glob("ruralsim-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        shipped = {Path(n).name: z.read(n) for n in z.namelist() if n.startswith("ruralsim/scenarios/")}
    assert shipped == {p.name: p.read_bytes() for p in (ROOT / "scenarios").glob("*.toml")}
    # Installed (not editable) and run from an unrelated folder: the shipped copy is used.
    site = tmp_path / "site"
    res = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                          str(wheel)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import ruralsim, ruralsim.config as c\n"
            "from ruralsim import RuralModel\n"
            "m = RuralModel(run_households=100, run_months=1)\n"
            "print(ruralsim.__file__, c.SCENARIO_DIR, m.scenario_name)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)})
    assert res.returncode == 0, res.stderr
    module, folder, name = res.stdout.split()
    assert module.startswith(str(site)) and folder == str(site / "ruralsim" / "scenarios") and name == "baseline"


# --- No global state ------------------------------------------------------------------------------
def test_import_changes_no_multiprocessing_start_method():
    code = ("import multiprocessing as mp\n"
            "import ruralsim, ruralsim.interop, ruralsim.cli\n"
            "print(mp.get_start_method(allow_none=True))\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "None"
    code = "import multiprocessing as mp\nmp.set_start_method('forkserver')\nimport ruralsim\nprint(mp.get_start_method())\n"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.strip() == "forkserver", res.stderr


# --- Mesa's SolaraViz -----------------------------------------------------------------------------
def test_solaraviz_accepts_the_model():
    solara = pytest.importorskip("solara")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from mesa.visualization import SolaraViz
        from mesa.visualization.solara_viz import ModelCreator

    params = {"training_coverage": {"type": "SliderFloat", "value": 0.2, "label": "Training coverage",
                                    "min": 0.0, "max": 1.0, "step": 0.1}, **SMALL}
    model = RuralModel(**SMALL)
    page = SolaraViz(model, components=[], model_params=params, name="ruralsim")
    solara.render(page, handle_error=False)
    # The parameter form checks RuralModel's signature against the parameters (a required catch-all
    # named other than ``kwargs`` used to fail here) and builds the model from them.
    solara.render(ModelCreator(solara.reactive(model), params), handle_error=False)
    rebuilt = RuralModel(training_coverage=0.2, **SMALL)
    rebuilt.step()
    assert len(rebuilt.datacollector.get_model_vars_dataframe()) == 2


# --- Parameter table, SALib, EMA Workbench --------------------------------------------------------
def test_params_json_lists_flat_names_kinds_ranges_units_and_sources():
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "params", "baseline", "--format", "json"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    rows = {r["name"]: r for r in doc["parameters"]}
    assert doc["scenario"] == "baseline" and len(rows) == len(PARAMS)
    r = rows["training_coverage"]
    assert (r["key"], r["kind"], r["low"], r["high"]) == ("training.coverage", "float", 0.0, 1.0)
    assert r["unit"] and r["source"] and r["description"]
    assert rows["transition_exit_mode"]["choices"] == list(PARAMS_BY_FLAT["transition_exit_mode"].choices)
    # Every flat name is a keyword RuralModel accepts, with the value the scenario gives it.
    baseline = load_scenario(SCENARIO_DIR / "baseline.toml").params
    assert [r["name"] for r in parameter_table(baseline)] == [r["name"] for r in doc["parameters"]]
    assert all(rows[k]["value"] == (v if not isinstance(v, dict) else {str(y): x for y, x in v.items()})
               for k, v in baseline.items())


def test_salib_problem_and_sample_rows_drive_the_model():
    from SALib.sample import latin

    problem = salib_problem(["training_coverage", "transition.taper_years"], bounds={"training_coverage": (0.1, 0.5)})
    assert problem == {"num_vars": 2, "names": ["training_coverage", "transition_taper_years"],
                       "bounds": [[0.1, 0.5], [1.0, 20.0]]}
    X = latin.sample(problem, 3, seed=2)
    rows = salib_kwargs(problem, X)
    assert all(type(r["transition_taper_years"]) is int and 0.1 <= r["training_coverage"] <= 0.5 for r in rows)
    assert RuralModel(**SMALL, **rows[0]).scenario_params["transition_taper_years"] == rows[0]["transition_taper_years"]
    # SALib users also pass the raw matrix cast with numpy: accepted as they are.
    RuralModel(**SMALL, training_coverage=X[0, 0], transition_taper_years=X.astype(int)[0, 1])
    with pytest.raises(ValueError, match="SALib samples numbers only"):
        salib_problem(["monitoring_enabled"])
    with pytest.raises(ValueError, match="out of range"):
        salib_problem(["training_coverage"], bounds={"training_coverage": (0.0, 2.0)})
    with pytest.raises(ValueError, match="training_coverage"):
        salib_problem(["training_coverag"])


def test_ema_workbench_runs_four_experiments():
    ema = pytest.importorskip("ema_workbench")
    model = ema_model(uncertainties=["shocks_illness_rate", "transition_taper_years", "monitoring_enabled"],
                      levers=["training_coverage"], outcomes=("poverty_rate_alert", "mean_income", "falls"),
                      reduce="sum", **SMALL)
    kinds = {p.name: type(p).__name__ for p in model.uncertainties}
    assert kinds == {"shocks_illness_rate": "RealParameter", "transition_taper_years": "IntegerParameter",
                     "monitoring_enabled": "BooleanParameter"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = ema.perform_experiments(model, scenarios=4, policies=1)
    assert len(experiments) == 4
    assert set(outcomes) == {"poverty_rate_alert", "mean_income", "falls"}
    assert np.isfinite(outcomes["mean_income"]).all() and (outcomes["mean_income"] > 0).all()
    # Each experiment is the model run with the sampled values (EMA hands them over as NumPy numbers).
    row = experiments.iloc[0]
    again = run_outcomes(outcomes=("mean_income",), reduce="sum", shocks_illness_rate=row["shocks_illness_rate"],
                         transition_taper_years=row["transition_taper_years"],
                         monitoring_enabled=bool(row["monitoring_enabled"]),
                         training_coverage=row["training_coverage"], **SMALL)
    assert again["mean_income"] == pytest.approx(outcomes["mean_income"][0])
    assert len(set(np.round(outcomes["mean_income"], 6))) > 1


def test_run_outcomes_reduces_the_monthly_series():
    ts = RuralModel(**SMALL).run().timeseries()
    got = {r: run_outcomes(outcomes=("poverty_rate_alert", "falls"), reduce=r, **SMALL) for r in ("last", "mean", "sum")}
    assert got["last"]["poverty_rate_alert"] == pytest.approx(ts["poverty_rate_alert"].iloc[-1])
    assert got["mean"]["poverty_rate_alert"] == pytest.approx(ts["poverty_rate_alert"].mean())
    assert got["sum"]["falls"] == ts["falls"].sum()
    with pytest.raises(ValueError, match="not a metric"):
        run_outcomes(outcomes=("no_such_metric",), **SMALL)


def test_timeseries_frame_has_the_start_state_in_mesa_but_not_in_timeseries():
    m = RuralModel(**SMALL).run()
    mesa_rows = m.datacollector.get_model_vars_dataframe()
    assert len(mesa_rows) == len(m.timeseries()) + 1
    assert mesa_rows["date"].iloc[0] == pd.Timestamp("2020-12-01")
    # Mesa's frame also carries the renamed metrics' old names for one release (poverty_rate = the alert measure)
    assert list(mesa_rows.columns) == list(m.timeseries().columns) + ["poverty_rate"]
    assert mesa_rows["poverty_rate"].iloc[1:].tolist() == m.timeseries()["poverty_rate_alert"].tolist()
