"""Reports, spreadsheets and the label registry (issue 14).

A tiny run and a tiny comparison are written once per session through the CLI (as a user would);
each test checks one promise about what they leave behind.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SIZE = ["--households", "200", "--replicates", "2", "--months", "24", "--quiet"]
SECTIONS = ("title", "question", "headline", "readings", "parameters", "bands", "figures", "reproducibility")


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", *args], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    return res


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "run"
    _cli("run", "budget_cut", *SIZE, "--out", str(out))
    return out


@pytest.fixture(scope="module")
def cmp_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "cmp"
    _cli("compare", "baseline", "budget_cut", *SIZE, "--out", str(out), "--workers", "1")
    return out


class _Page(HTMLParser):
    """Ids, src/href values and headline cells (data-key -> data-value) of a report."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.cells: dict[str, float] = {}
        self.images = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        self.links += [a[k] for k in ("src", "href") if a.get(k)]
        if a.get("data-key"):
            self.cells[a["data-key"]] = float(a["data-value"])
        self.images += tag == "img"


def _page(folder: Path) -> _Page:
    page = _Page()
    page.feed((folder / "report.html").read_text(encoding="utf-8"))
    page.close()
    return page


# --------------------------------------------------------------------------------------------- reports
@pytest.mark.parametrize("which", ["run_dir", "cmp_dir"])
def test_report_is_self_contained_with_every_section(which, request):
    folder = request.getfixturevalue(which)
    page = _page(folder)
    assert set(SECTIONS) <= page.ids
    assert page.links, "the report embeds its figures"
    assert not [u for u in page.links if re.match(r"\s*(https?:)?//", u)], "no external URL in src/href"
    assert all(u.startswith("data:image/png;base64,") for u in page.links)
    assert page.images == len(list(folder.glob("plots/*.png"))) + sum(
        len(list(p.glob("plots/*.png"))) for p in folder.iterdir() if p.is_dir() and p.name != "plots")
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert md.count("\n## ") >= 6 and "plots/" in md


def test_run_headline_equals_summary_csv(run_dir):
    cells = _page(run_dir).cells
    summary = pd.read_csv(run_dir / "summary.csv", dtype={"date": str}).set_index(["metric", "date"])
    checked = 0
    for key, value in cells.items():
        metric, when = key.split("|")
        if metric == "fiscal_cost":
            fiscal = pd.read_csv(run_dir / "fiscal_budget.csv").set_index("year")
            assert value == pytest.approx(fiscal.loc[int(when), "fiscal_cost"], rel=1e-12)
        elif metric == "fund_rules":  # the national fund-financed cost beside the fund's rules (issue 22)
            rules = pd.read_csv(run_dir / "fiscal_fund_rules.csv").set_index("year")
            assert value == pytest.approx(rules.loc[int(when), "fund_spending_national"], rel=1e-12)
        else:
            assert value == pytest.approx(summary.loc[(metric, when), "mean"], rel=1e-12)
        checked += 1
    # ... and the CSV's rounding keeps 6 significant digits of the full-precision Parquet series
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    month = pd.to_datetime(ts["date"]).dt.strftime("%Y-%m")
    for key, value in cells.items():
        metric, when = key.split("|")
        if metric not in ("fiscal_cost", "fund_rules"):
            exact = ts.loc[month == when, metric].mean()
            assert value == pytest.approx(exact, rel=1e-5, abs=1e-9), key
    metrics = {k.split("|")[0] for k in cells}
    poverty = "poverty_rate_registry" if "poverty_rate_registry" in summary.index.get_level_values(0) else "poverty_rate"
    ever = "ever_below_registry_share" if poverty == "poverty_rate_registry" else "ever_fallen_share"  # one measure
    assert {poverty, ever, "mean_income", "monitored_households", "fiscal_cost"} <= metrics
    assert checked >= 5


def test_comparison_headline_equals_comparison_csv(cmp_dir):
    cells = _page(cmp_dir).cells
    table = pd.read_csv(cmp_dir / "comparison.csv", dtype={"date": str}).set_index(["metric", "date", "scenario"])
    diffs = [k for k in cells if k.endswith("|diff_mean")]
    assert diffs, "paired differences are in the headline"
    for key, value in cells.items():
        metric, when, scenario, column = key.split("|")
        assert value == pytest.approx(table.loc[(metric, when, scenario), column], rel=1e-12, abs=1e-12)
    from ruralsim.compare_tables import derive

    for key, value in cells.items():  # equal to the Parquet series too, to the CSV's 6 digits
        metric, when, scenario, column = key.split("|")
        if column == "mean":
            ts = derive(pd.read_parquet(cmp_dir / scenario / "timeseries.parquet"))
            exact = ts.loc[pd.to_datetime(ts["date"]).dt.strftime("%Y-%m") == when, metric].mean()
            assert value == pytest.approx(exact, rel=1e-5, abs=1e-9), key
    html = (cmp_dir / "report.html").read_text(encoding="utf-8")
    assert "95% paired interval" in html and "December" in html  # what "2030" means is said
    assert "budget.scale" in html  # the parameter that differs from the reference


def test_report_command_writes_chinese_report(cmp_dir, tmp_path):
    copy = tmp_path / "cmp"
    shutil.copytree(cmp_dir, copy)
    _cli("report", str(copy), "--lang", "zh")
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "研究问题" in html and "主要结果" in html and "如何理解阴影区间" in html
    assert "@font-face" in html and "data:font/otf;base64," in html  # the glyphs travel with the file
    assert set(SECTIONS) <= _page(copy).ids


def test_report_command_rejects_a_folder_without_results(tmp_path):
    res = subprocess.run([sys.executable, "-m", "ruralsim.cli", "report", str(tmp_path)], capture_output=True,
                         text=True)
    assert res.returncode == 2 and "manifest.json" in res.stderr and "Traceback" not in res.stderr


# --------------------------------------------------------------------------------------------- tables
def _csvs(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.csv"))


@pytest.mark.parametrize("which", ["run_dir", "cmp_dir"])
def test_every_csv_has_bom_and_reads_back(which, request):
    folder = request.getfixturevalue(which)
    files = _csvs(folder)
    assert len(files) >= 8
    for path in files:
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf", path
        frame = pd.read_csv(path)
        assert not frame.columns[0].startswith("\ufeff")
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == list(frame.columns) and len(rows) == len(frame) + 1, path


@pytest.mark.parametrize("which", ["run_dir", "cmp_dir"])
def test_every_column_of_every_table_is_in_the_data_dictionary(which, request):
    folder = request.getfixturevalue(which)
    for sub in [folder, *[p for p in folder.iterdir() if (p / "manifest.json").is_file()]]:
        dictionary = pd.read_csv(sub / "data_dictionary.csv")
        listed = set(zip(dictionary["file"], dictionary["column"]))
        for path in [*sub.glob("*.csv"), *sub.glob("*.parquet")]:
            if path.name == "data_dictionary.csv":
                continue
            columns = pd.read_parquet(path).columns if path.suffix == ".parquet" else pd.read_csv(path).columns
            missing = {c for c in columns if (path.name, c) not in listed}
            assert not missing, f"{path.name}: {missing}"
        assert (dictionary["definition"] != "undocumented").all(), \
            dictionary.loc[dictionary["definition"] == "undocumented", ["file", "column"]].to_string()
        assert dictionary["name_zh"].str.len().gt(0).all()


def test_csv_numbers_are_rounded_and_parquet_keeps_precision(run_dir):
    summary = pd.read_csv(run_dir / "summary.csv", dtype={"date": str})
    fractional = summary["mean"][summary["mean"] % 1 != 0].abs()  # whole numbers keep all their digits
    digits = fractional.map(lambda v: len(f"{v:.15g}".replace(".", "").lstrip("0")))
    assert len(fractional) > 20 and digits.max() <= 6
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    assert (ts["mean_income"] % 1 != 0).any()  # full precision in Parquet
    assert summary["date"].str.fullmatch(r"\d{4}-\d{2}").all()  # ISO months, as text


@pytest.mark.parametrize("which,sheets", [("run_dir", {"summary", "fiscal_budget", "data_dictionary"}),
                                          ("cmp_dir", {"comparison", "poverty_by_year", "cost_effectiveness",
                                                       "data_dictionary"})])
def test_workbook_opens_with_its_sheets(which, sheets, request):
    import openpyxl

    folder = request.getfixturevalue(which)
    book = openpyxl.load_workbook(folder / f"{folder.name}.xlsx", read_only=True)
    assert sheets <= set(book.sheetnames)
    first = book[book.sheetnames[0]]
    header = [c.value for c in next(first.iter_rows(max_row=1))]
    frame = pd.read_csv(folder / f"{book.sheetnames[0]}.csv")
    assert header == list(frame.columns)


def test_params_csv_starts_with_bom():
    res = _cli("params", "--format", "csv")
    assert res.stdout.startswith("\ufeff")
    rows = list(csv.reader(res.stdout.lstrip("\ufeff").splitlines()))
    assert rows[0][0] == "key" and len(rows) > 50


# --------------------------------------------------------------------------------------------- labels
def test_one_label_registry_for_programmes():
    from ruralsim.analysis import fiscal
    from ruralsim.presentation import run_plots as plots
    from ruralsim.presentation.labels import label, programme_label

    for name in ("training", "industry", "dibao", "monitoring", "posts"):
        assert programme_label(name) == plots._programme_label(name) == label(f"fiscal_{name}", "en")
    assert not hasattr(plots, "PROGRAMME_LABELS") and not hasattr(fiscal, "LABELS")


def test_docs_outputs_is_generated_from_the_registry():
    from ruralsim.presentation.tables import registry_markdown

    assert (ROOT / "docs" / "OUTPUTS.md").read_text(encoding="utf-8") == registry_markdown()


def test_chinese_figures_draw_every_glyph(run_dir, tmp_path):
    """A zh redraw of every figure of a run, with warnings as errors (a missing glyph warns)."""
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    res = subprocess.run([sys.executable, "-W", "error", "-m", "ruralsim.cli", "plot", str(copy), "--lang", "zh"],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "Glyph" not in res.stderr
    assert len(list((copy / "plots").glob("*.png"))) >= 8
    html = (copy / "report.html").read_text(encoding="utf-8")
    assert "返贫与动态监测" in html  # the zh report captions
    # The figure check (RURALSIM_FIGURE_CHECK, on in the suite) failed the redraw on English text; the
    # report is checked the same way (its scenario's own description is quoted as written).
    from ruralsim.presentation.hygiene import report_untranslated

    assert report_untranslated((copy / "report.md").read_text(encoding="utf-8"), ["budget_cut"]) == []


def test_chinese_comparison_has_no_english_in_figures_or_report(cmp_dir, tmp_path):
    """A zh redraw of every comparison figure (and its scenarios' figures) under the figure check, and its
    report, with no English left apart from ids, code and the scenarios' own descriptions."""
    from ruralsim.presentation.hygiene import report_untranslated

    copy = tmp_path / "cmp"
    shutil.copytree(cmp_dir, copy)
    _cli("plot", str(copy), "--lang", "zh")
    assert len(list((copy / "plots").glob("compare_*.png"))) >= 7
    md = (copy / "report.md").read_text(encoding="utf-8")
    assert "情景比较报告" in md and "成本效益（budget_cut 相对 baseline" in md
    assert "预算削减：若中央衔接资金" in md  # the scenario's own Chinese question, not its English paragraph
    assert report_untranslated(md, ["baseline", "budget_cut"]) == []


def test_report_check_finds_english_outside_quotes_and_code():
    from ruralsim.presentation.hygiene import report_untranslated

    md = ("## 研究问题\n\n> **reform**: What if support ends?\n\n## 结果解读\n\n- 2030-12，reform 的贫困发生率"
          "比 baseline 高 1.2 个百分点，见 `poverty_by_year.csv`。\n- Cost-effectiveness (reform vs baseline)\n")
    assert report_untranslated(md, ["reform"]) == ["- Cost-effectiveness (reform vs baseline)"]


def test_every_registry_label_draws_with_the_shipped_font():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    import ruralsim.plots  # noqa: F401 - installs the font
    from ruralsim.presentation.figure_text_zh import PHRASES_ZH
    from ruralsim.presentation.labels import PHRASES, REGISTRY

    text = " ".join([e.zh + e.unit_zh for e in REGISTRY.values()] + list(PHRASES.values())
                    + list(PHRASES_ZH.values()))
    for start in range(0, len(text), 3000):  # every character, in pieces a figure draws quickly
        fig = Figure(figsize=(4, 2))
        FigureCanvasAgg(fig)
        fig.text(0, 0.5, text[start:start + 3000])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.canvas.draw()


# --------------------------------------------------------------------------------------------- browser
def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None and not os.environ.get("CI"), reason="chromium not installed (make install)")
def test_report_renders_in_headless_chromium(cmp_dir, tmp_path):
    """The report as a browser shows it: a PNG that is neither blank nor one colour."""
    import numpy as np
    from matplotlib.image import imread

    assert _chromium(), "CI must have chromium (make test installs it)"
    shot = tmp_path / "report.png"
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", f"--screenshot={shot}",
           "--window-size=1200,1600", (cmp_dir / "report.html").as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=180, check=False)
    assert shot.is_file() and shot.stat().st_size > 10_000
    image = imread(shot)[..., :3]
    assert image.std() > 0.05  # not blank
    dark = (image.mean(axis=2) < 0.5).mean()
    assert 0.01 < dark < 0.6  # text and figures on a light page
    assert len(np.unique(image.reshape(-1, 3).round(2), axis=0)) > 50


def test_run_report_of_the_baseline_lists_no_changed_parameter(tmp_path):
    from ruralsim.presentation.report import _param_diff, _shipped_baseline

    base = _shipped_baseline()
    assert _param_diff(json.loads(json.dumps(base, default=str)), base, "baseline") == []
    changed = json.loads(json.dumps(base, default=str))
    changed["budget"]["scale"] = 0.8
    assert [p["key"] for p in _param_diff(changed, base, "x")] == ["budget.scale"]


def test_manifest_kind_and_report_files_are_listed(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["extra"]["kind"] == "run"
    for name in ("report.html", "report.md", "data_dictionary.csv", f"{run_dir.name}.xlsx"):
        assert (run_dir / name).is_file(), name
