"""The command line end to end, as a new user would run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import SCENARIOS

CLI = [sys.executable, "-m", "ruralsim.cli"]


def ruralsim(*args, cwd=None):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "baseline"
    res = ruralsim("run", SCENARIOS / "baseline.toml", "--households", 700, "--months", 15,
                   "--replicates", 2, "--seed", 11, "--out", out, "--quiet")
    assert res.returncode == 0, res.stderr
    return out


def test_run_writes_tables_plots_and_manifest(run_dir):
    for name in ("timeseries.parquet", "summary.csv", "manifest.json", "distribution.parquet"):
        assert (run_dir / name).stat().st_size > 0
    pngs = sorted(p.name for p in (run_dir / "plots").glob("*.png"))
    assert {"income_components.png", "poverty_monitoring.png", "income_distribution.png"} <= set(pngs)
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    assert sorted(ts["replicate"].unique()) == [0, 1]
    assert len(ts) == 2 * 15 and ts["households"].iloc[0] == 700
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["params"]["run"]["seed"] == 11
    assert manifest["params"]["run"]["households"] == 700
    assert manifest["versions"]["numpy"] and manifest["versions"]["mesa"]
    assert manifest["wall_seconds"] > 0 and len(manifest["seeds"]) == 2
    summary = pd.read_csv(run_dir / "summary.csv")
    assert {"date", "metric", "mean", "lo", "hi"} <= set(summary.columns)


def test_run_writes_county_and_village_tables_every_december_and_the_last_month(run_dir):
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    counties = pd.read_parquet(run_dir / "counties.parquet")
    villages = pd.read_parquet(run_dir / "villages.parquet")
    # 15 months from 2021-01: December 2021 and the last month, 2022-03.
    for table in (counties, villages):
        assert sorted(table["date"].unique()) == [pd.Timestamp("2021-12-01"), pd.Timestamp("2022-03-01")]
        assert sorted(table["replicate"].unique()) == [0, 1]
    at = ts.set_index(["replicate", "date"])
    for (rep, date), rows in counties.groupby(["replicate", "date"]):
        month = at.loc[(rep, date)]
        assert rows["households"].sum() == month["households"]
        assert rows["people_below_poverty_line"].sum() == round(month["poverty_rate_alert"] * month["people_now"])
        assert rows["monitored"].sum() == month["monitored_households"]
        in_villages = villages[(villages["replicate"] == rep) & (villages["date"] == date)]
        assert int(in_villages["mass_return"].sum()) == month["mass_return_villages"]
        by_county = in_villages.groupby("county")["below_poverty_line"].sum()
        assert by_county.reindex(rows["county"], fill_value=0).tolist() == rows["below_poverty_line"].tolist()
    assert (run_dir / "plots" / "villages.png").stat().st_size > 0
    assert not (run_dir / "plots" / "counties.png").exists()  # one county at this size: no spread to draw


def test_run_is_bit_identical_with_the_same_seed(run_dir, tmp_path):
    again = tmp_path / "again"
    res = ruralsim("run", SCENARIOS / "baseline.toml", "--households", 700, "--months", 15,
                   "--replicates", 2, "--seed", 11, "--out", again, "--quiet", "--workers", 1)
    assert res.returncode == 0, res.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(run_dir / "timeseries.parquet"),
                                  pd.read_parquet(again / "timeseries.parquet"), check_exact=True)


def test_plot_redraws_from_stored_results(run_dir):
    pngs = [run_dir / "plots" / "poverty_monitoring.png", run_dir / "plots" / "villages.png"]
    for png in pngs:
        png.unlink()
    res = ruralsim("plot", run_dir)
    assert res.returncode == 0, res.stderr
    assert all(png.stat().st_size > 0 for png in pngs)


def test_params_prints_every_parameter_with_its_source():
    from ruralsim.simulation.parameters import PARAMS

    res = ruralsim("params", "--format", "csv")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(pd.io.common.StringIO(res.stdout))
    assert len(table) == len(PARAMS)
    assert table["source"].str.match(r"^(article:A\d\d|public:[PQ]\d\d|places:R\d\d|markets:M\d\d|assumption|calibrated)").all()
    res = ruralsim("params", SCENARIOS / "baseline.toml")
    assert res.returncode == 0 and "monitoring.detection_prob" in res.stdout


def test_bad_scenario_exits_2_with_a_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "%s"\n[monitoring]\ndetection_prb = 0.3\n' % (SCENARIOS / "baseline.toml"))
    out = tmp_path / "out"
    res = ruralsim("run", bad, "--households", 300, "--months", 2, "--out", out)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "bad.toml" in res.stderr and "detection_prb" in res.stderr and "detection_prob" in res.stderr
    assert not out.exists()
    res = ruralsim("check", bad)
    assert res.returncode == 2 and "detection_prob" in res.stderr


def test_bad_command_line_values_exit_2():
    res = ruralsim("run", SCENARIOS / "baseline.toml", "--households", "0")
    assert res.returncode == 2 and "households" in res.stderr and "Traceback" not in res.stderr
    res = ruralsim("run", "no_such_scenario.toml")
    assert res.returncode == 2 and "no_such_scenario" in res.stderr and "Traceback" not in res.stderr


def test_national_scale_run_records_and_labels_the_cohort_it_simulated(tmp_path):
    """--scale national simulates A01's cohort, not run.households: the manifest and plots say so.
    (The cohort is shrunk here so the test runs in seconds; the real one is in benchmarks/.)"""
    small = tmp_path / "small_nation.toml"
    small.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n\n'
                     "[population]\nnational_people = 9000\n")
    out = tmp_path / "out"
    res = ruralsim("run", small, "--scale", "national", "--months", 13, "--replicates", 1, "--out", out, "--quiet")
    assert res.returncode == 0, res.stderr
    ts = pd.read_parquet(out / "timeseries.parquet")
    manifest = json.loads((out / "manifest.json").read_text())
    households = int(ts["households"].iloc[0])
    assert households != manifest["params"]["run"]["households"] and 2000 < households < 4000
    assert manifest["extra"]["households_simulated"] == households
    assert manifest["extra"]["people_simulated"] == int(ts["people"].iloc[0])
    counties = pd.read_parquet(out / "counties.parquet")
    assert counties.groupby("date")["households"].sum().tolist() == [households, households]


def test_a_closed_pipe_ends_quietly():
    """``ruralsim params | head -1``: no BrokenPipeError traceback, exit 0."""
    proc = subprocess.Popen([*CLI, "params"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away after one line
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err and "BrokenPipe" not in err


@pytest.mark.parametrize("args, says", [
    (["run", "baseline", "--households", "5"], "--households = 5: out of range"),
    (["plot", "/nonexistent/ruralsim_results"], "no such folder"),
    (["sweep", "targets_article", "--check"], "this is a targets file"),
])
def test_cli_errors_name_what_the_user_typed(args, says, tmp_path):
    res = ruralsim(*args, cwd=tmp_path)
    assert res.returncode == 2 and says in res.stderr and "Traceback" not in res.stderr
