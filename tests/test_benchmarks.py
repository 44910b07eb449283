"""The benchmark scripts still run against the current model (smoke tests at tiny size; their figures
are measurements, not tested)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

BENCH = ROOT / "benchmarks"


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_profile_script_times_every_phase():
    res = run(BENCH / "profile_step.py", "--households", 2000, "--months", 2, "--kernels", "numpy")
    assert res.returncode == 0, res.stderr
    for phase in ("labour", "incomes", "status", "birthdays", "dibao_reviews", "support_but_for", "step total"):
        assert phase in res.stdout


def test_scale_benchmark_writes_its_csv(tmp_path):
    out = tmp_path / "scale.csv"
    res = run(BENCH / "scale_benchmark.py", "--sizes", "2k", "--months", 2, "--out", out)
    assert res.returncode == 0, res.stderr
    lines = out.read_text().splitlines()
    assert lines[0].startswith("size,households") and lines[1].startswith("2k,2000,")


def test_app_benchmark_times_lever_changes():
    import pytest

    pytest.importorskip("dash")
    pytest.importorskip("playwright")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed")
    res = run(BENCH / "app_benchmark.py", "--households", 50, "--replicates", 2, "--changes", 1)
    assert res.returncode == 0, res.stderr
    assert "lever change 1:" in res.stdout and "median answer to a lever change:" in res.stdout


def test_mesa_ratio_times_both_sides():
    res = run(BENCH / "mesa_ratio.py", "--households", 2000, "--months", 3, "--mesa-steps", 2, "--kernels", "numpy")
    assert res.returncode == 0, res.stderr
    assert "ratio (Mesa / ruralsim, whole process):" in res.stdout and "Mesa trivial agents" in res.stdout


def test_pass_timeline_splits_the_wall_time():
    res = run(BENCH / "pass_timeline.py", "--households", 2000, "--months", 3, "--kernels", "numpy")
    assert res.returncode == 0, res.stderr
    rows = {line.split()[0]: line.split()[1:] for line in res.stdout.splitlines()[2:]
            if not line.startswith("serial:")}
    for name in ("set-up", "burn_in", "warm_up", "months", "whole"):
        assert name in rows, res.stdout
    wall, serial, in_passes = (float(x) for x in rows["months"][:3])
    assert wall > 0 and abs(wall - serial - in_passes) <= 0.0015 + 1e-9  # three figures printed to 1 ms
    assert int(rows["months"][-1]) == 3  # a pass a month
