"""The tutorials (docs/tutorial.ipynb, docs/tutorial_zh.ipynb) run from top to bottom, at small sizes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ["tutorial.ipynb", "tutorial_zh.ipynb"]


def test_notebooks_are_generated_from_one_source():
    res = subprocess.run([sys.executable, str(ROOT / "docs" / "make_tutorials.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


#: What each notebook prints when it runs (its own language's words).
EXPECTED = {
    "tutorial.ipynb": ("baseline 6 months from 2021-01-01", "mean effect:", "mu_star", "trained_share"),
    "tutorial_zh.ipynb": ("起模拟 6 个月", "平均效果", "mu_star", "培训劳动力占比", "贫困发生率（建档口径）"),
}


def _outputs_text(nb) -> str:
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_executes(name, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("RURALSIM_TUTORIAL_HOUSEHOLDS", "300")
    monkeypatch.setenv("RURALSIM_TUTORIAL_MONTHS", "6")
    monkeypatch.setenv("RURALSIM_THREADS", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(ROOT / "docs" / name, as_version=4)
    for cell in nb.cells:  # run from the sources, not the stored outputs
        if cell.cell_type == "code":
            cell.outputs = []
    # Run in an empty folder: the tutorial must not need (or write into) the checkout.
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = _outputs_text(nb)
    for needle in EXPECTED[name]:
        assert needle in text, needle
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_stored_with_their_outputs(name):
    """Readers on GitHub see results without running anything (refreshed by python docs/make_tutorials.py)."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(ROOT / "docs" / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("outputs") for c in code[1:]), [c.source[:40] for c in code if not c.get("outputs")]
    assert not [o for c in code for o in c.outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for c in code for o in c.outputs)  # the comparison's figure
    assert "baseline 36 months" in _outputs_text(nb) or "起模拟 36 个月" in _outputs_text(nb)  # the default size


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_parameter_value_the_text_states_is_the_baselines(name):
    """A sentence naming a parameter (`monitoring.detection_prob`) and a number states the shipped baseline's
    value (once the tutorials said 0.6 where the baseline had 0.05)."""
    import re

    nbformat = pytest.importorskip("nbformat")
    from ruralsim.simulation.config import find_scenario, load_scenario
    from ruralsim.simulation.parameters import PARAMS_BY_KEY

    params = load_scenario(find_scenario("baseline")).params
    nb = nbformat.read(ROOT / "docs" / name, as_version=4)
    checked = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source.replace("\n", " ")
        for m in re.finditer(r"`(\w+\.\w+)`", text):
            p = PARAMS_BY_KEY.get(m[1])
            if p is None:
                continue
            clause = re.split(r"[)）;；。]|\. ", text[m.end():], maxsplit=1)[0]
            number = re.search(r"\d+(?:\.\d+)?", clause)
            if number:
                assert float(number[0]) == pytest.approx(float(params[p.flat])), (m[1], clause)
                checked += 1
    assert checked >= 1  # the tutorial does state the detection probability
