"""Results folders are complete or visibly not; writers, workers and signals behave (issue 17).

Bad inputs that are refused before anything runs are in bad_inputs.py; these tests need a run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import SCENARIOS

CLI = [sys.executable, "-m", "ruralsim.cli"]
SMALL = ["--households", "100", "--months", "3", "--replicates", "1", "--quiet"]
ENV = {**os.environ, "RURALSIM_THREADS": "1"}


def ruralsim(*args, cwd=None, timeout=600):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=ENV)


def start(*args, cwd=None):
    return subprocess.Popen([*CLI, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=cwd, env=ENV)


def wait_for(pred, timeout=300.0, step=0.2):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if pred():
            return True
        time.sleep(step)
    return False


def workers_of(proc) -> list[psutil.Process]:
    try:
        return [c for c in psutil.Process(proc.pid).children(recursive=True) if "resource_tracker" not in
                " ".join(c.cmdline())]
    except psutil.NoSuchProcess:
        return []


def all_gone(procs, timeout=20.0) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


# ---------------------------------------------------------------------------------------------
# Names and pointers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, folder", [
    ("baseline", "baseline"), ("../../x", "x"), ("/etc/cron.d", "etc_cron.d"), ("a\x00b", "a_b"),
    ("..", "results"), ("", "results"), ("巩固 拓展", "巩固_拓展"), ("a\nb\tc", "a_b_c"), ("x" * 300, "x" * 80),
])
def test_folder_names_are_one_safe_component(name, folder):
    from ruralsim.analysis.folders import safe_name

    assert safe_name(name) == folder
    assert Path(safe_name(name)).name == safe_name(name) and ".." not in Path(safe_name(name)).parts


def test_a_manifest_cannot_point_outside_its_folder(tmp_path):
    from ruralsim.config import ConfigError
    from ruralsim.analysis.folders import inside

    (tmp_path / "a").mkdir()
    (tmp_path / "link").symlink_to(tmp_path.parent)
    assert inside(tmp_path, "a", "folder") == tmp_path / "a"
    for bad in ("../a", "/etc", "a/../..", "link", None, 5, "", "."):
        with pytest.raises(ConfigError, match="must name a sub-folder"):
            inside(tmp_path, bad, "folder")


def test_long_problem_lists_are_capped():
    from ruralsim.config import MAX_SHOWN, ConfigError, Problem

    err = ConfigError([Problem("f.toml", f"k{i}", i, "unknown") for i in range(20_000)])
    assert len(str(err)) < 10_000 and "19,960 more problem(s) not shown" in str(err)
    assert len(err.problems) == 20_000 and str(err).count("unknown") == MAX_SHOWN


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------
def test_a_hostile_name_stays_in_results_and_a_rerun_leaves_no_stale_file(tmp_path):
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "evil.toml").write_text(f'extends = "{SCENARIOS / "baseline.toml"}"\nname = "../../esc\\u0000ape"\n')
    res = ruralsim("run", "evil.toml", *SMALL, cwd=proj)
    assert res.returncode == 0, res.stderr
    folder = proj / "results" / "esc_ape"
    assert (folder / "manifest.json").is_file() and not (folder / "INCOMPLETE.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]  # nothing written outside
    (folder / "plots" / "old_plot.png").write_bytes(b"stale")
    (folder / "report_of_another_run.html").write_text("stale")
    res = ruralsim("run", "evil.toml", *SMALL, "--seed", 5, cwd=proj)  # files ruralsim did not write: refused
    assert res.returncode == 2 and "old_plot.png" in res.stderr and "report_of_another_run.html" in res.stderr
    assert (folder / "plots" / "old_plot.png").exists() and (folder / "report_of_another_run.html").exists()
    (folder / "plots" / "old_plot.png").unlink()
    (folder / "report_of_another_run.html").unlink()
    (folder / "summary.csv").write_text("stale")  # one of the run's own files, stale: replaced
    res = ruralsim("run", "evil.toml", *SMALL, "--seed", 5, cwd=proj)
    assert res.returncode == 0, res.stderr
    assert (folder / "summary.csv").read_text() != "stale"
    assert (folder / "manifest.json").is_file() and not (folder / "INCOMPLETE.txt").exists()


def test_second_writer_fails_at_once_and_sigterm_keeps_finished_outputs_and_stops_workers(tmp_path):
    out = tmp_path / "x"
    first = start("run", "baseline", "--households", 3000, "--months", 120, "--replicates", 2, "--workers", 2,
                  "--quiet", "--out", out)
    try:
        assert wait_for(lambda: (out / "INCOMPLETE.txt").exists() and len(workers_of(first)) >= 2)
        workers = workers_of(first)
        t0 = time.time()
        second = ruralsim("run", "cliff_exit", *SMALL, "--seed", 7, "--out", out)
        assert second.returncode == 2 and "another ruralsim process is writing this folder" in second.stderr
        assert time.time() - t0 < 60 and "Traceback" not in second.stderr
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=120)
        assert first.returncode == 143 and "terminated" in err and "Traceback" not in err, err
        assert all_gone(workers)
        assert (out / "INCOMPLETE.txt").exists() and not (out / "manifest.json").exists()
        res = ruralsim("plot", out)
        assert res.returncode == 2 and "incomplete results folder" in res.stderr
    finally:
        if first.poll() is None:
            first.kill()


def test_kill_9_of_compare_leaves_no_orphan_workers_and_a_visibly_incomplete_folder(tmp_path):
    out = tmp_path / "c"
    proc = start("compare", "baseline", "cliff_exit", "--households", 3000, "--months", 120, "--replicates", 1,
                 "--workers", 2, "--quiet", "--out", out)
    try:
        assert wait_for(lambda: len(workers_of(proc)) >= 2)
        workers = workers_of(proc)
        proc.kill()
        proc.wait(timeout=30)
        assert all_gone(workers)
        assert (out / "INCOMPLETE.txt").exists() and not (out / "manifest.json").exists()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_ctrl_c_on_compare_prints_no_worker_traceback(tmp_path):
    proc = start("compare", "baseline", "cliff_exit", "--households", 3000, "--months", 120, "--replicates", 1,
                 "--workers", 2, "--quiet", "--out", tmp_path / "c")
    try:
        assert wait_for(lambda: len(workers_of(proc)) >= 2)
        workers = workers_of(proc)
        time.sleep(0.1)  # early: the workers may still be importing their modules (they must ignore SIGINT then too)
        proc.send_signal(signal.SIGINT)
        for w in workers:  # as a terminal's Ctrl-C does: the whole foreground group
            with contextlib.suppress(psutil.NoSuchProcess):
                w.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130 and "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert all_gone(workers)
    finally:
        if proc.poll() is None:
            proc.kill()


# ---------------------------------------------------------------------------------------------
# Sweeps
# ---------------------------------------------------------------------------------------------
EXPERIMENT = """scenario = "baseline"
households = 100
months = 12
replicates = 1
[vary]
monitoring.detection_prob = [0.2, 0.8]
[outputs]
outcomes = {outcomes}
series = ["poverty_rate"]
"""


def test_sweep_redoes_damaged_runs_and_runs_with_other_outputs(tmp_path):
    exp = tmp_path / "exp.toml"
    exp.write_text(EXPERIMENT.format(outcomes='["poverty_rate_end"]'))
    out = tmp_path / "sw"
    args = ("sweep", exp, "--workers", 1, "--quiet", "--out", out)
    res = ruralsim(*args)
    assert res.returncode == 0, res.stderr
    assert (out / "manifest.json").is_file() and not (out / "INCOMPLETE.txt").exists()
    runs = sorted((out / "runs").glob("*.parquet"))
    series = sorted((out / "series").glob("*/*.parquet"))
    runs[0].write_bytes(runs[0].read_bytes()[:20])  # truncated, as after a full disk
    series[-1].write_bytes(b"PAR1")
    res = ruralsim(*args)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "2 finished run(s) were run again" in res.stderr or (
        "damaged result file" in res.stderr and "damaged or missing series file" in res.stderr), res.stderr
    assert "0 already done" in res.stdout or "2 run now" in res.stdout
    exp.write_text(EXPERIMENT.format(outcomes='["poverty_rate_end", "mean_income_end"]'))
    res = ruralsim(*args)
    assert res.returncode == 0, res.stderr
    assert "were run again: stored with other outcomes or series" in res.stderr and "2 run now" in res.stdout
    import pandas as pd

    table = pd.read_parquet(out / "runs.parquet")
    assert table["mean_income_end"].notna().all() and (table["status"] == "ok").all()


# ---------------------------------------------------------------------------------------------
# Full and read-only disks (a tiny tmpfs: root only)
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def tiny_tmpfs(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_full_disk_ends_in_a_message_and_a_visibly_incomplete_folder(tiny_tmpfs):
    res = ruralsim("run", "baseline", "--households", 300, "--months", 12, "--replicates", 1, "--quiet",
                   "--out", tiny_tmpfs / "r")
    assert res.returncode == 2 and "No space left on device" in res.stderr and "Traceback" not in res.stderr, \
        res.stderr
    assert not (tiny_tmpfs / "r" / "manifest.json").exists()


def test_a_read_only_out_is_refused_before_the_simulation(tiny_tmpfs):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    t0 = time.time()
    res = ruralsim("run", "baseline", "--households", 300, "--months", 120, "--replicates", 3, "--quiet",
                   "--out", tiny_tmpfs / "r")
    assert res.returncode == 2 and "cannot be created" in res.stderr and "not writable" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and time.time() - t0 < 60
