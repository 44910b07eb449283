"""The guide's Python section (docs/GUIDE.md, linked from the README) runs as written (at smaller sizes): the baseline, batch_run, EMA, SALib."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _blocks() -> list[str]:
    text = (ROOT / "docs" / "GUIDE.md").read_text(encoding="utf-8")  # the README links to it (issue 24)
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def _small(code: str) -> str:
    """The same code at 300 households and 6 months, so the suite stays fast."""
    small = re.sub(r'(run_households"?\s*[=:]\s*)2000', r"\g<1>300", code)
    small = re.sub(r'(run_months"?\s*[=:]\s*)24', r"\g<1>6", small)
    small = re.sub(r"max_steps=24", "max_steps=6", small)
    small = re.sub(r'\["Step"\] == 24', '["Step"] == 6', small)
    small = small.replace("len(df) == 24", "len(df) == 6")
    assert "2000" not in small and "24" not in small, small
    return small


def test_readme_shows_the_baseline_batch_run_ema_and_salib():
    code = "\n".join(_blocks())
    for needle in ("RuralModel(run_households", "mesa.batch_run(RuralModel", "perform_experiments(",
                   "salib_problem("):
        assert needle in code


@pytest.mark.parametrize("index", range(4))
def test_readme_python_example_runs(index):
    blocks = _blocks()
    assert len(blocks) == 4
    code = _small(blocks[index])
    if "ema_workbench" in code:
        pytest.importorskip("ema_workbench")
    namespace: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, f"README.md python block {index + 1}", "exec"), namespace)
    if "runs" in namespace:
        runs = namespace["runs"]
        assert sorted(runs["iteration"].unique()) == [0, 1] and runs["Step"].min() == 0
        assert (runs[runs["Step"] == 6]["date"].astype(str) == "2021-06-01").all()
    if "outcomes" in namespace and "experiments" in namespace:
        assert len(namespace["experiments"]) == 4
        assert set(namespace["outcomes"]) == {"poverty_rate_registry", "below_monitoring_line", "fiscal_cost"}
    if "indices" in namespace:
        assert len(namespace["indices"]["S1"]) == 2
