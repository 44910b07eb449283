"""Every scenario in the library runs from the command line at tiny size and writes its outputs.

All of them go through one ``ruralsim compare --no-plots`` call (one process pool) to keep the suite
fast; each scenario is then checked on its own. Plot drawing is covered by tests/test_compare.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import SCENARIOS
from ruralsim.simulation.config import load_scenario, scenario_paths

FILES = scenario_paths(SCENARIOS)
HOUSEHOLDS, MONTHS = 600, 14
TABLES = ("timeseries.parquet", "distribution.parquet", "spells.parquet", "summary.csv", "manifest.json",
          "dynamics_reentry.csv", "dynamics_transitions.csv", "dynamics_spells.csv", "dynamics_causes.csv",
          "dynamics_ever_fallen.csv", "fiscal_by_programme.csv", "fiscal_budget.csv")


@pytest.fixture(scope="module")
def library_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("library") / "all"
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "compare", *map(str, FILES), "--households",
                          str(HOUSEHOLDS), "--months", str(MONTHS), "--replicates", "1", "--quiet", "--no-plots",
                          "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    return out, {entry["file"]: out / entry["folder"] for entry in manifest["extra"]["scenarios"]}


def test_the_library_is_not_empty():
    assert len(FILES) >= 3 and any(f.stem == "baseline" for f in FILES)


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_scenario_runs_and_writes_its_outputs(library_run, path):
    _, folders = library_run
    folder = folders[str(path)]
    for name in TABLES:
        assert (folder / name).stat().st_size > 0, name
    ts = pd.read_parquet(folder / "timeseries.parquet")
    assert len(ts) == MONTHS and (ts["households"] == HOUSEHOLDS).all()
    assert ts["poverty_rate_alert"].between(0, 1).all() and (ts["mean_income"] > 0).all()
    # The folder holds this scenario's own run, with its own parameters.
    manifest = json.loads((folder / "manifest.json").read_text())
    scenario = load_scenario(path)
    assert manifest["scenario"]["file"] == str(path)
    for flat, value in scenario.overrides.items():
        if flat.startswith("run_"):
            continue
        section, name = _key(flat).split(".", 1)
        stored = manifest["params"][section][name]
        assert _same(stored, value), (flat, stored, value)


def _key(flat: str) -> str:
    from ruralsim.simulation.parameters import PARAMS_BY_FLAT

    return PARAMS_BY_FLAT[flat].key


def _same(stored, value) -> bool:
    if isinstance(value, dict):
        return {int(k): v for k, v in stored.items()} == {int(k): v for k, v in value.items()}
    return stored == value
