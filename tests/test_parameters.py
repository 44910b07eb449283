"""Parameters are data with provenance: every one has a unit, a description, a range and a source."""

from __future__ import annotations

import re

import pytest

from conftest import SHARED
from ruralsim.parameters import PARAMS, value_in_year

SOURCE = re.compile(r"^(article:A\d\d|public:P\d\d|assumption: .+|assumption$|calibrated: .+)")


@pytest.mark.parametrize("p", PARAMS, ids=lambda p: p.key)
def test_parameter_is_fully_declared(p):
    assert p.unit and p.description and p.source
    assert SOURCE.match(p.source), p.source
    if p.kind in ("int", "float"):
        assert p.low is not None and p.high is not None and p.low <= p.high
        values = p.default.values() if isinstance(p.default, dict) else [p.default]
        assert all(p.low <= v <= p.high for v in values)
    if p.kind == "choice":
        assert p.default in p.choices
    if isinstance(p.default, dict):
        assert p.by_year


def test_cited_ids_exist_in_the_figure_tables():
    """Every article:Axx / public:Pxx cited anywhere in a source is listed in shared/."""
    if not (SHARED / "ARTICLE_FIGURES.md").exists():
        pytest.skip("shared/ figure tables not beside the repository")
    known = set(re.findall(r"\| (A\d\d) \|", (SHARED / "ARTICLE_FIGURES.md").read_text()))
    known |= set(re.findall(r"\| (P\d\d) \|", (SHARED / "PUBLIC_FIGURES.md").read_text()))
    cited = {i for p in PARAMS for i in re.findall(r"\b([AP]\d\d)\b", p.source)}
    assert cited and cited <= known, cited - known


def test_year_tables_step_through_time():
    table = {2021: 6000.0, 2023: 7000.0}
    assert value_in_year(table, 2020) == 6000.0
    assert value_in_year(table, 2022) == 6000.0
    assert value_in_year(table, 2023) == 7000.0
    assert value_in_year(table, 2030) == 7000.0
    assert value_in_year(5.0, 2030) == 5.0
