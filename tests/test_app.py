"""``ruralsim app`` without a browser: levers, scenario files, cached and cancellable runs, outcomes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import SCENARIOS

pytest.importorskip("dash")

from ruralsim.config import ConfigError, load_scenario  # noqa: E402
from ruralsim.parameters import PARAMS_BY_FLAT  # noqa: E402
from ruralsim.presentation.app.levers import LEVERS, LINE_FROM_YEAR, lever_overrides, lever_values  # noqa: E402
from ruralsim.presentation.app.outcomes import outcomes  # noqa: E402
from ruralsim.presentation.app.runs import RunManager, params_key, simulate  # noqa: E402
from ruralsim.presentation.app.scenario_file import load_checked, resolve, save_scenario, scenario_options  # noqa: E402

SMALL = {"run_households": 60, "run_months": 24, "run_seed": 7}


def test_every_lever_is_a_bounded_parameter_and_its_control_cannot_leave_the_schema_range():
    for lv in LEVERS:
        p = PARAMS_BY_FLAT[lv.flat]
        if lv.is_select:
            assert p.choices
        else:
            assert p.low is not None and p.high is not None, lv.flat
            assert 0 < lv.step <= (p.high - p.low) / 10, lv.flat


def test_levers_show_each_scenarios_values_and_give_only_what_was_moved():
    sc = load_scenario(SCENARIOS / "cliff_exit.toml")
    shown = lever_values(sc.params)
    assert shown["transition_exit_mode"] == "cliff"
    assert lever_overrides(sc.params, shown) == {}
    moved = lever_overrides(sc.params, {**shown, "training_coverage": 0.2, "monitoring_line": 9000})
    line = sc.params["monitoring_line"]
    assert moved["training_coverage"] == 0.2
    # The line lever changes the post-2025 level and keeps the record of 2021-2025.
    assert moved["monitoring_line"][LINE_FROM_YEAR] == 9000
    assert {y: v for y, v in moved["monitoring_line"].items() if y < LINE_FROM_YEAR} == line


def test_a_bad_value_is_rejected_with_the_check_message():
    sc = load_scenario(SCENARIOS / "baseline.toml")
    with pytest.raises(ConfigError, match=r"page controls: monitoring_detection_prob = 1.5: .*allowed: a number from 0 to 1"):
        lever_overrides(sc.params, {"monitoring_detection_prob": 1.5})


def test_an_invalid_saved_file_shows_exactly_what_ruralsim_check_prints(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "x.toml"\n[training]\ncoverage = 3\n')
    sc, message = load_checked(bad)
    assert sc is None
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "check", str(bad)], capture_output=True, text=True)
    assert res.returncode == 2
    assert message.strip() == res.stderr.strip()
    assert "training.coverage = 3" in message


def test_saved_scenario_is_listed_self_contained_and_never_overwritten(tmp_path):
    base = load_scenario(SCENARIOS / "taper_exit.toml")
    levers = {"budget_scale": 0.8}
    run = {"run_households": 123, "run_seed": 9, "run_replicates": 2}
    path = save_scenario(tmp_path, "mine", base, {**base.overrides, **levers}, run, levers)
    sc = load_scenario(path)
    assert sc.params["budget_scale"] == 0.8 and sc.params["run_households"] == 123
    assert sc.params["transition_exit_mode"] == "taper"  # the picked scenario's own settings come along
    assert "mine:mine.toml" in [o["value"] for o in scenario_options(tmp_path)]  # an id, never a path
    assert not any("/" in o["value"] for o in scenario_options(tmp_path))
    assert resolve("mine:mine.toml", tmp_path) == path
    with pytest.raises(ConfigError, match="exists already"):
        save_scenario(tmp_path, "mine", base, {}, run, {})
    with pytest.raises(ConfigError, match="file name"):
        save_scenario(tmp_path, "../escape", base, {}, run, {})


def _params(**over):
    return {**load_scenario(SCENARIOS / "baseline.toml").params, **SMALL, **over}


def test_runs_are_cached_and_a_newer_request_supersedes_the_older():
    manager = RunManager(workers=1)
    try:
        base, slow = _params(), _params(run_households=3000, run_months=120)
        first = manager.submit(slow, base, 1)
        second = manager.submit(_params(training_coverage=0.3), base, 2)
        # The first request's policy run was cancelled: it is no longer running and never cached.
        assert (params_key(slow), 0) not in manager.running
        import time

        t0 = time.monotonic()
        while not (st := manager.status(second))["done"]:
            assert st["current"]
            assert not manager.status(second)["error"]
            assert time.monotonic() - t0 < 120
            time.sleep(0.1)
        assert (params_key(slow), 0) not in manager.cache
        policy, baseline = manager.results(second)
        assert sorted(policy["replicate"].unique()) == [0, 1]
        again = manager.submit(_params(training_coverage=0.3), base, 2)
        assert manager.status(again)["done"]  # answered from the cache, nothing rerun
        assert not manager.running
        o = outcomes(policy, baseline)
        assert o.value("poverty", "baseline", year=2022, column="diff_mean") == 0
    finally:
        manager.close()


def test_polling_a_superseded_request_makes_it_current_again():
    """Two quick changes may reach the server in either order; the page polls the one it shows."""
    manager = RunManager(workers=1)
    try:
        base = _params()
        shown = manager.submit(_params(training_coverage=0.2), base, 1)
        later = manager.submit(_params(training_coverage=0.1), base, 1)
        assert manager.status(later)["current"]
        assert manager.status(shown)["current"]  # polled: it wins back
        import time

        t0 = time.monotonic()
        while not manager.status(shown)["done"]:
            assert time.monotonic() - t0 < 120
            time.sleep(0.1)
    finally:
        manager.close()


def test_a_worker_run_is_the_direct_model_run():
    from ruralsim import RuralModel

    ts = simulate(_params(budget_scale=0.5), replicate=1)
    direct = RuralModel(SCENARIOS / "baseline.toml", replicate=1, budget_scale=0.5, **SMALL).run().timeseries()
    assert ts["poverty_rate_alert"].tolist() == direct["poverty_rate_alert"].tolist()
    assert ts["fiscal_cost"].tolist() == direct["fiscal_cost"].tolist()


def test_a_worker_with_its_compiled_kernels_loaded_gives_the_same_run(monkeypatch):
    """A worker switches to the Numba kernels once they are loaded (runs.py): the page's numbers must not
    depend on whether a request came before or after that."""
    pytest.importorskip("numba")
    from ruralsim.presentation.app import runs
    from ruralsim.simulation.engine import model as model_mod

    used = []
    original = model_mod.RuralModel.__init__

    def spy(self, *args, **kwargs):
        used.append(kwargs.get("kernels"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(model_mod.RuralModel, "__init__", spy)
    monkeypatch.setattr(runs, "_COMPILED", runs.threading.Event())
    before = simulate(_params(budget_scale=0.5), replicate=1)
    runs._load_compiled()
    assert runs._COMPILED.is_set()
    after = simulate(_params(budget_scale=0.5), replicate=1)
    assert used[0] == "numpy" and used[-1] == "numba"
    pd.testing.assert_frame_equal(before, after, check_exact=True)


def test_the_pages_paired_table_agrees_with_compare_frames():
    from ruralsim.compare_stats import compare_frames
    from ruralsim.presentation.app.outcomes import paired_table, yearly

    base = [simulate(_params(), r) for r in range(3)]
    pol = [simulate(_params(training_coverage=0.4, monitoring_detection_prob=0.2), r) for r in range(3)]
    import pandas as pd

    yp, yb = yearly(pd.concat(pol)), yearly(pd.concat(base))
    mine = paired_table(yp, yb).set_index(["year", "scenario", "measure"]).sort_index()
    measures = [c for c in yp.columns if c not in ("year", "replicate")]
    ref = compare_frames({"baseline": yb, "policy": yp}, ["year"], measures).set_index(
        ["year", "scenario", "measure"]).sort_index()
    for col in ("mean", "ci_lo", "ci_hi", "diff_mean", "diff_ci_lo", "diff_ci_hi"):
        assert np.allclose(mine[col], ref.loc[mine.index, col], equal_nan=True), col
    assert mine.xs("policy", level="scenario")["diff_mean"].abs().sum() > 0  # the policy did something


def test_the_page_speaks_chinese_and_lists_the_users_folder(tmp_path):
    from ruralsim.presentation.app.page import AppSettings, create_app

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "own.toml").write_text('extends = "%s"\n[budget]\nscale = 0.9\n' % (SCENARIOS / "baseline.toml").as_posix())
    manager = RunManager(workers=1)
    try:
        app = create_app(AppSettings(lang="zh", user_dir=mine, households=100, replicates=2), manager)
        text = str(app.layout)
        assert "情景" in text and "保底分红率" in text
        assert "mine/own.toml" in text and "cliff_exit" in text
    finally:
        manager.close()


def test_a_taken_port_is_a_clear_error_without_traceback():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "app", "--port", str(port)],
                             capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in res.stderr and "Traceback" not in res.stderr


def test_the_report_link_serves_only_a_scenarios_stored_report(tmp_path):
    from ruralsim.presentation.app.page import AppSettings, create_app

    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "report.html").write_text("<html>the baseline's report</html>")
    (tmp_path / "baseline" / "manifest.json").write_text('{"schema": "ruralsim.run-manifest/1", "kind": "run"}')
    (tmp_path / "secret.html").write_text("not for the page")
    manager = RunManager(workers=1)
    try:
        client = create_app(AppSettings(results_dir=tmp_path, user_dir=tmp_path / "mine"), manager).server.test_client()
        answer = client.get("/report/baseline")
        assert b"the baseline's report" in answer.data
        assert "default-src 'none'" in answer.headers["Content-Security-Policy"]  # a report runs no script
        assert "script-src" not in answer.headers["Content-Security-Policy"]
        (tmp_path / "baseline" / "manifest.json").unlink()  # not a complete ruralsim result: not served
        assert client.get("/report/baseline").status_code == 404
        assert client.get("/report/cliff_exit").status_code == 404  # no stored run
        for path in ("/report/..%2Fsecret", "/report/../secret.html", "/report/%2E%2E"):
            assert b"not for the page" not in client.get(path).data
        assert client.get("/download/99.csv").status_code == 404
    finally:
        manager.close()
