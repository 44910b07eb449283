"""Parameters are data with provenance: every one has a unit, a description, a range and a source."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED
from ruralsim.simulation.parameters import PARAMS, value_in_year

SOURCES = ROOT / "docs" / "sources"

SOURCE = re.compile(r"^(article:A\d\d|public:[PQ]\d\d|places:R\d\d|markets:M\d\d|assumption: .+|assumption$|calibrated: .+)")


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
    if p.kind == "level":  # a programme path: "transition" or a level in its range
        assert p.by_year and p.low is not None and p.high is not None
        assert p.default == "transition" or p.low <= p.default <= p.high
    if isinstance(p.default, dict):
        assert p.by_year


def figure_ids(folder) -> set[str]:
    """The ids (A01…, P01…, Q01…, R01…) listed in a folder's ARTICLE_FIGURES.md, PUBLIC_FIGURES.md,
    POST2025_FIGURES.md (the regime after the transition) and PLACES_FIGURES.md (places, issue 13)."""
    known = set(re.findall(r"\| (A\d\d) \|", (folder / "ARTICLE_FIGURES.md").read_text(encoding="utf-8")))
    known |= set(re.findall(r"\| (P\d\d) \|", (folder / "PUBLIC_FIGURES.md").read_text(encoding="utf-8")))
    for name, prefix in (("POST2025_FIGURES.md", "Q"), ("PLACES_FIGURES.md", "R"), ("MARKETS_FIGURES.md", "M")):
        if (folder / name).exists():
            known |= set(re.findall(rf"\| ({prefix}\d\d) \|", (folder / name).read_text(encoding="utf-8")))
    return known


def test_cited_ids_exist_in_the_figure_tables():
    """Every article:Axx / public:Pxx cited by a parameter or a calibration target is listed in the
    figure tables the repository carries (docs/sources/)."""
    known = figure_ids(SOURCES)
    targets = (ROOT / "experiments" / "targets_article.toml").read_text(encoding="utf-8")
    cited = {i for p in PARAMS for i in re.findall(r"\b([APQRM]\d\d)\b", p.source)}
    cited |= set(re.findall(r'source = "(?:article|public|places|markets):([APQRM]\d\d)"', targets))
    assert len(known) > 40 and cited and cited <= known, cited - known


def test_the_repositorys_figure_tables_are_the_projects():
    """docs/sources/ are copies of the project's shared tables: they must not drift apart."""
    if not (SHARED / "ARTICLE_FIGURES.md").exists():
        pytest.skip("the project's shared/ folder is not beside this clone; docs/sources/ is the reference")
    for name in ("ARTICLE_FIGURES.md", "PUBLIC_FIGURES.md"):
        assert (SOURCES / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_parameter_table_document_is_up_to_date():
    """docs/PARAMETERS.md is generated from the schema; a parameter change without regenerating fails."""
    res = subprocess.run([sys.executable, str(ROOT / "docs" / "make_param_table.py"), "--check"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr


def test_year_tables_step_through_time():
    table = {2021: 6000.0, 2023: 7000.0}
    assert value_in_year(table, 2020) == 6000.0
    assert value_in_year(table, 2022) == 6000.0
    assert value_in_year(table, 2023) == 7000.0
    assert value_in_year(table, 2030) == 7000.0
    assert value_in_year(5.0, 2030) == 5.0
