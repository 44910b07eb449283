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
    # Run in an empty folder: the tutorial must not need (or write into) the checkout.
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "baseline 6 months from 2021-01-01" in text
    assert "mean effect:" in text and "mu_star" in text
    assert "trained_share" in text
    assert list(tmp_path.iterdir()) == []
