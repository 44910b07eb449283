"""Running sweeps: the shipped experiments at CI size, resume, failures, workers and Dask give the same results.

Small sizes throughout (a few hundred households, a year or three); most sweeps run in this process
(``workers=1``) because starting worker processes costs more than these runs.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ruralsim.analysis.sweep import build_design, execute, load_experiment, tasks
from ruralsim.workflows.sweep import run_sweep
from ruralsim.analysis.sweep.experiment import EXPERIMENT_DIR

VOLATILE = ["seconds", "host"]  # differ between any two executions; everything else must not


def runs_of(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "runs.parquet").drop(columns=VOLATILE)


def small(name: str, outcomes: tuple[str, ...] | None = None, **sizes):
    """A shipped experiment at CI size; fewer outcomes mean fewer figures to draw."""
    exp = load_experiment(EXPERIMENT_DIR / f"{name}.toml", **sizes)
    return dataclasses.replace(exp, outcomes=outcomes) if outcomes else exp


GRID = '''# Two-point grid for execution tests.
scenario = "baseline"
households = 250
months = 6
replicates = 2
[vary]
training.coverage = [0.0, 0.3]
[outputs]
outcomes = ["poverty_rate_alert_end", "trained_share_end", "mean_income_end"]
series = ["poverty_rate_alert", "trained_share"]
'''


@pytest.fixture()
def grid(tmp_path):
    p = tmp_path / "grid.toml"
    p.write_text(GRID, encoding="utf-8")
    return load_experiment(p)


# --- the shipped experiments at CI size ------------------------------------------------------
def test_transition_length_ci(tmp_path):
    exp = small("transition_length", ("poverty_rate_alert_last12", "poverty_rate_alert_after_transition"), households=300,
                replicates=1, months=36)
    s = run_sweep(exp, tmp_path, workers=1, progress=False)
    runs = s.runs
    assert s.total == 24 and s.done == 24 and s.failed == 0 and (runs["status"] == "ok").all()
    assert list(runs.columns[:6]) == ["point", "replicate", "run_id", "status", "transition.years",
                                      "transition.exit_mode"]
    by = runs.set_index(["transition.years", "transition.exit_mode"])["poverty_rate_alert_last12"]
    # Withdrawing support at once after one year leaves more people poor in year 3 than keeping it.
    assert by[(1, "cliff")] > by[(1, "keep")] + 0.01
    # Transitions that outlast the run cannot differ by exit mode (same random streams, same support).
    assert by[(5, "cliff")] == by[(5, "keep")] == by[(8, "taper")]
    assert np.isnan(runs.loc[runs["transition.years"] >= 3, "poverty_rate_alert_after_transition"]).all()
    pngs = {p.name for p in (tmp_path / "plots").glob("*.png")}
    assert {"lines.png", "heatmap_poverty_rate_alert_last12.png", "paths_poverty_rate_registry.png"} <= pngs
    summary = pd.read_csv(tmp_path / "tables" / "point_summary.csv")
    assert len(summary) == 24 * 2 and {"mean", "lo", "hi", "n"} <= set(summary.columns)


def test_training_vs_dividends_ci(tmp_path):
    exp = small("training_vs_dividends", ("mean_income_end", "employment_rate_end", "fiscal_cost_per_person_year"),
                households=300, replicates=1, months=24)
    s = run_sweep(exp, tmp_path, workers=1, progress=False)
    runs = s.runs
    assert s.done == 25 and runs["training.coverage"].nunique() == 5
    assert sorted(runs["coop.guaranteed_dividend_rate"].unique()) == pytest.approx([0, 0.03, 0.06, 0.09, 0.12])
    # Same shocks at every point: more training costs more, and moves employment by little (markets:M09, M10:
    # training's employment effect is close to zero; only those who can migrate are placed, issue 22); a 12%
    # dividend guarantee pays.
    by_training = runs.groupby("training.coverage")[["fiscal_cost_per_person_year", "employment_rate_end"]].mean()
    assert by_training["fiscal_cost_per_person_year"].iloc[-1] > by_training["fiscal_cost_per_person_year"].iloc[0]
    assert abs(by_training["employment_rate_end"].iloc[-1] - by_training["employment_rate_end"].iloc[0]) < 0.03
    # Since issue 10 every household is means-tested for 低保, which claws back most of a dividend at the
    # bottom, so mean income barely moves at this size; the guarantee's cost must show.
    by_dividend = runs.groupby("coop.guaranteed_dividend_rate")["fiscal_cost_per_person_year"].mean()
    assert by_dividend.iloc[-1] > by_dividend.iloc[0]
    assert (tmp_path / "plots" / "heatmap_mean_income_end.png").stat().st_size > 10_000


def test_monitoring_ci(tmp_path):
    exp = small("monitoring", ("ever_monitored_share_end", "poverty_rate_alert_last12"), households=300, replicates=1,
                months=24)
    s = run_sweep(exp, tmp_path, workers=1, progress=False)
    runs = s.runs
    assert s.done == 36 and set(runs["monitoring.line_scale"].round(6)) == {0.8, 1.0, 1.2}
    by_prob = runs.groupby("monitoring.detection_prob")["ever_monitored_share_end"].mean()
    assert by_prob.is_monotonic_increasing and by_prob.iloc[-1] > by_prob.iloc[0]
    by_line = runs.groupby("monitoring.line_scale")["ever_monitored_share_end"].mean()
    assert by_line.iloc[-1] > by_line.iloc[0]  # a higher line brings more households under monitoring
    series = pd.read_parquet(tmp_path / "series")
    assert len(series) == 36 * 24 and {"run_id", "date", "poverty_rate_alert", "replicate"} <= set(series.columns)
    assert (tmp_path / "plots" / "heatmap_poverty_rate_alert_last12.png").exists()


def test_sobol_drivers_ci(tmp_path):
    exp = dataclasses.replace(small("sobol_drivers", households=300, replicates=1, months=24), samples=4)
    s = run_sweep(exp, tmp_path, workers=1, progress=False)
    assert s.failed == 0 and s.total < 4 * (len(exp.factors) + 2)  # repeated points ran once
    table = pd.read_csv(tmp_path / "tables" / "sobol_indices.csv")
    assert set(table["parameter"]) == {f.column for f in exp.factors}
    assert set(table["outcome"]) == set(exp.outcomes)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns)
    # Every transition here ends after the 24-month run, so its length and exit have no effect at all.
    inert = table[table["parameter"].isin(["transition.years", "transition.exit_mode"])]
    assert np.allclose(inert[["S1", "ST"]], 0.0)
    assert (tmp_path / "plots" / "sobol_indices.png").exists()


def test_morris_and_table_designs(tmp_path):
    p = tmp_path / "morris.toml"
    p.write_text('''scenario = "baseline"
households = 250
months = 12
replicates = 1
[design]
method = "morris"
samples = 3
[vary]
shocks.illness_multiplier = { low = 0.5, high = 2.0 }
transition.exit_mode = ["keep", "cliff"]
[outputs]
outcomes = ["poverty_rate_alert_last12"]
''', encoding="utf-8")
    run_sweep(load_experiment(p), tmp_path / "m", workers=1, progress=False)
    m = pd.read_csv(tmp_path / "m" / "tables" / "morris_indices.csv").set_index("parameter")
    assert m.loc["shocks.illness_multiplier", "mu_star"] > 0 and m.loc["transition.exit_mode", "mu_star"] == 0
    assert (tmp_path / "m" / "plots" / "morris_indices.png").exists()
    s = run_sweep(small("policy_packages", households=250, replicates=1, months=12), tmp_path / "t", workers=1,
                  progress=False)
    assert s.done == 9 and (tmp_path / "t" / "plots" / "points.png").exists()


# --- resume, failures, workers ---------------------------------------------------------------
def test_resume_recomputes_only_what_is_missing(grid, tmp_path):
    out = tmp_path / "out"
    first = run_sweep(grid, out, workers=1, progress=False)
    before = runs_of(out)
    assert first.done == 4 and before["run_id"].is_unique
    victim = before["run_id"][2]
    (out / "runs" / f"{victim}.parquet").unlink()
    again = run_sweep(grid, out, workers=1, progress=False)
    assert (again.skipped, again.done) == (3, 1)
    pd.testing.assert_frame_equal(runs_of(out), before, check_exact=True)
    assert len(pd.read_parquet(out / "series")) == 4 * 6  # the rewritten series replaced, not duplicated
    # More replicates: only the new ones run. Another size into the same folder: refused.
    more = run_sweep(grid.with_sizes(replicates=3), out, workers=1, progress=False)
    assert (more.skipped, more.done) == (4, 2)
    from ruralsim.simulation.config import ConfigError

    with pytest.raises(ConfigError, match="not in this experiment's design"):
        run_sweep(grid.with_sizes(households=260), out, workers=1, progress=False)


def test_interrupted_sweep_keeps_finished_runs_and_resumes(grid, tmp_path, monkeypatch):
    real, calls = execute.run_task, []

    def interrupted(task):
        calls.append(task.run_id)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(execute, "run_task", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(grid, tmp_path, workers=1, progress=False)
    assert len(list((tmp_path / "runs").glob("*.parquet"))) == 2
    assert not list(tmp_path.rglob("*.tmp")) and not (tmp_path / "manifest.json").exists()
    monkeypatch.setattr(execute, "run_task", real)
    s = run_sweep(grid, tmp_path, workers=1, progress=False)
    assert (s.skipped, s.done, s.failed, s.missing) == (2, 2, 0, 0)
    assert json.loads((tmp_path / "manifest.json").read_text())["kind"] == "sweep"


def test_failed_runs_are_recorded_and_the_sweep_goes_on(grid, tmp_path, monkeypatch):
    real = execute.simulate

    def fragile(params, replicate, threads=None):
        if params["training_coverage"] > 0.2 and replicate == 1:
            raise ValueError("no trainers in this county")
        return real(params, replicate, threads)

    monkeypatch.setattr(execute, "simulate", fragile)
    s = run_sweep(grid, tmp_path, workers=1, progress=False)
    assert (s.done, s.failed) == (3, 1)
    bad = s.runs[s.runs["status"] == "failed"]
    assert len(bad) == 1 and bad["training.coverage"].iloc[0] == 0.3 and bad["replicate"].iloc[0] == 1
    assert "ValueError: no trainers in this county" in bad["error"].iloc[0]
    assert np.isnan(bad["poverty_rate_alert_end"].iloc[0])
    record = json.loads((tmp_path / "failed" / f"{bad['run_id'].iloc[0]}.json").read_text())
    assert record["seed"] == grid.base["run_seed"] and record["replicate"] == 1
    assert record["values"] == {"training.coverage": 0.3} and "Traceback" in record["traceback"]
    assert record["params"]["training_coverage"] == 0.3
    assert (tmp_path / "tables" / "failed_runs.csv").exists()
    monkeypatch.setattr(execute, "simulate", real)  # fixed: a rerun retries only the failed run
    s = run_sweep(grid, tmp_path, workers=1, progress=False)
    assert (s.skipped, s.done, s.failed) == (3, 1, 0) and not list((tmp_path / "failed").glob("*.json"))


def test_results_do_not_depend_on_workers(grid, tmp_path):
    run_sweep(grid, tmp_path / "one", workers=1, progress=False, analyse=False)
    s = run_sweep(grid, tmp_path / "two", workers=2, progress=False, analyse=False)
    assert s.backend == "process"
    pd.testing.assert_frame_equal(runs_of(tmp_path / "one"), runs_of(tmp_path / "two"), check_exact=True)


def test_dask_cluster_gives_the_local_results(grid, tmp_path):
    distributed = pytest.importorskip("distributed")
    run_sweep(grid, tmp_path / "local", workers=1, progress=False, analyse=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        s = run_sweep(grid, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=False, analyse=False)
    assert s.backend == "dask" and s.done == 4
    pd.testing.assert_frame_equal(runs_of(tmp_path / "local"), runs_of(tmp_path / "dask"), check_exact=True)
    local = pd.read_parquet(tmp_path / "local" / "series").sort_values(["run_id", "date"]).reset_index(drop=True)
    remote = pd.read_parquet(tmp_path / "dask" / "series").sort_values(["run_id", "date"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(local, remote, check_exact=True)


def test_unreachable_scheduler_is_a_clear_error(grid, tmp_path, monkeypatch):
    from ruralsim.simulation.config import ConfigError

    monkeypatch.setattr(execute, "CONNECT_TIMEOUT", 2)
    with pytest.raises(ConfigError, match="cannot connect to a Dask scheduler"):
        run_sweep(grid, tmp_path, scheduler="tcp://127.0.0.1:1", progress=False)


def test_tasks_are_generated_lazily(grid):
    gen = tasks(grid, build_design(grid))
    assert iter(gen) is gen and next(gen).point == 0


# --- the command line ------------------------------------------------------------------------
def test_cli_ctrl_c_then_resume_then_redraw(tmp_path):
    exp = tmp_path / "grid.toml"
    exp.write_text(GRID.replace("months = 6", "months = 36").replace("[0.0, 0.3]", "[0.0, 0.1, 0.2, 0.3, 0.4]")
                   .replace("households = 250", "households = 1000"), encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "ruralsim.cli", "sweep", str(exp), "--out", str(out), "--quiet"]
    proc = subprocess.Popen([*cmd, "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while len(list((out / "runs").glob("*.parquet"))) < 2 and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    kept = len(list((out / "runs").glob("*.parquet")))
    if proc.returncode == 0:  # the sweep finished before the signal arrived: nothing to resume
        pytest.skip("sweep finished before Ctrl-C")
    assert proc.returncode == 130 and "interrupted" in err and "resume" in err and "Traceback" not in err
    assert 2 <= kept < 10
    res = subprocess.run([*cmd, "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert f"{10 - kept} run now, {kept} already done, 0 failed" in res.stdout
    assert pd.read_parquet(out / "runs.parquet")["run_id"].is_unique
    (out / "plots" / "lines.png").unlink()
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "plot", str(out)], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0 and (out / "plots" / "lines.png").exists()


def test_series_keeps_only_the_chosen_months(tmp_path):
    p = tmp_path / "g.toml"
    p.write_text(GRID.replace("months = 6", "months = 18") + 'series_months = "december"\n', encoding="utf-8")
    run_sweep(load_experiment(p), tmp_path / "dec", workers=1, progress=False, analyse=False)
    dates = pd.read_parquet(tmp_path / "dec" / "series")["date"].dt.strftime("%Y-%m")
    assert sorted(set(dates)) == ["2021-12", "2022-06"] and len(dates) == 4 * 2
    p.write_text(GRID + 'series_months = ["2021-03", "2021-06"]\n', encoding="utf-8")
    run_sweep(load_experiment(p), tmp_path / "list", workers=1, progress=False, analyse=False)
    dates = pd.read_parquet(tmp_path / "list" / "series")["date"].dt.strftime("%Y-%m")
    assert sorted(set(dates)) == ["2021-03", "2021-06"]


def test_sensitivity_leaves_out_an_outcome_with_unfinished_points_and_says_so():
    from SALib.sample import sobol as sobol_sample

    from ruralsim.analysis.sweep.analysis import morris_indices, sobol_indices

    exp = {"factors": [{"column": "a"}, {"column": "b"}], "design_seed": 1, "levels": 4}
    unit = sobol_sample.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 8,
                               calc_second_order=False, seed=1)
    done = unit[:, 0] + 0.1 * unit[:, 1]
    means = pd.DataFrame({"done": done, "gap": np.where(np.arange(len(unit)) == 3, np.nan, done)})
    table, notes = sobol_indices(exp, means, ["done", "gap"])
    assert set(table["outcome"]) == {"done"}
    assert notes == ["gap: 1 point(s) without a finished run; not analysed"]
    s1 = table.set_index("parameter")["S1"]
    assert s1["a"] > s1["b"]
    _, morris_notes = morris_indices(exp, unit, means[["gap"]], ["gap"])
    assert morris_notes == notes


@pytest.mark.parametrize("address", ["localhost", "tcp://127.0.0.1:notaport"])
def test_malformed_scheduler_address_is_bad_input_reported_at_once(address, tmp_path):
    """No connection attempt, no timeout, no traceback: exit 2 naming --scheduler and the value."""
    out = tmp_path / "sweep"
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "sweep", "transition_length", "--households", "300",
                          "--scheduler", address, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "--scheduler" in res.stderr and address in res.stderr and "tcp://" in res.stderr
    assert time.perf_counter() - start < 20 and not out.exists()
