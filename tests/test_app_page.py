"""``ruralsim app`` in headless Chromium: a lever change gives the direct model's numbers, the page
loads nothing from outside 127.0.0.1, and "save as scenario" round-trips through check and run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from conftest import SCENARIOS

pytest.importorskip("dash")
pytest.importorskip("playwright")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's chromium is not installed (make install adds it)", allow_module_level=True)

from app_driver import answered_request, browser_page, move_slider, pick_scenario, running_app  # noqa: E402

HOUSEHOLDS, REPLICATES = 300, 2


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    home = tmp_path_factory.mktemp("app")
    with running_app("--households", str(HOUSEHOLDS), "--replicates", str(REPLICATES),
                     "--scenario-dir", str(home / "mine"), cwd=home) as url:
        yield url, home


def direct_poverty_2030(scenario: str = "baseline", **levers) -> float:
    """Mean over the replicates of the December-2030 poverty rate, % of people, from RuralModel itself."""
    from ruralsim import RuralModel

    values = []
    for r in range(REPLICATES):
        ts = RuralModel(SCENARIOS / f"{scenario}.toml", replicate=r, run_households=HOUSEHOLDS, **levers).run().timeseries()
        col = "poverty_rate_registry" if "poverty_rate_registry" in ts else "poverty_rate_alert"
        values.append(ts.loc[pd.to_datetime(ts["date"]) == "2030-12-01", col].iloc[0])
    return 100 * sum(values) / len(values)


def test_a_lever_change_shows_the_direct_model_run(app, tmp_path):
    url, _ = app
    with browser_page() as page:
        page.goto(url)
        first = answered_request(page)
        before = page.inner_text("#headline-poverty-policy")
        move_slider(page, "monitoring_detection_prob", "Home")  # no monitoring detection at all
        answered_request(page, after=first)
        after = page.inner_text("#headline-poverty-policy")
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)
    assert (tmp_path / "app.png").stat().st_size > 10_000
    assert after != before
    assert after == f"{direct_poverty_2030(monitoring_detection_prob=0.0):.2f}%"
    assert before == f"{direct_poverty_2030():.2f}%"


def test_the_page_loads_nothing_from_outside_loopback(app):
    url, _ = app
    seen: list[str] = []
    with browser_page() as page:
        def record(route):
            seen.append(route.request.url)
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        page.context.route("**/*", record)
        page.goto(url)
        answered_request(page)
        # The page polls its server while it works, so "network idle" may never come: the charts of the
        # answered request are drawn, which needs every asset; wait a little more for late requests.
        page.wait_for_timeout(2000)
    assert any("plotly" in u for u in seen)  # the chart library was among what loaded
    outside = [u for u in seen if urlsplit(u).hostname != "127.0.0.1"]
    assert outside == []


def test_save_as_scenario_round_trips_through_check_and_run(app, tmp_path):
    url, home = app
    with browser_page() as page:
        page.goto(url)
        first = answered_request(page)
        move_slider(page, "training_coverage", "ArrowRight", presses=10)  # 0.06 -> 0.16
        answered_request(page, after=first)
        shown = page.inner_text("#headline-poverty-policy")
        page.fill("#save-name", "more_training")
        page.click("#save")
        page.wait_for_selector("#saved-path")
    saved = home / "mine" / "more_training.toml"
    assert "coverage = 0.16" in saved.read_text()
    cli = [sys.executable, "-m", "ruralsim.cli"]
    check = subprocess.run([*cli, "check", str(saved)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    out = tmp_path / "run"
    run = subprocess.run([*cli, "run", str(saved), "--out", str(out), "--quiet", "--workers", "1"],
                         capture_output=True, text=True, cwd=home)
    assert run.returncode == 0, run.stderr
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert ts["replicate"].nunique() == REPLICATES and ts["households"].iloc[0] == HOUSEHOLDS
    col = "poverty_rate_registry" if "poverty_rate_registry" in ts else "poverty_rate_alert"
    dec = ts[pd.to_datetime(ts["date"]) == "2030-12-01"]
    assert shown == f"{100 * dec[col].mean():.2f}%"


def test_picking_a_scenario_sets_the_controls_and_runs_it_against_the_baseline(app):
    url, _ = app
    with browser_page() as page:
        page.goto(url)
        first = answered_request(page)
        pick_scenario(page, "cliff_exit")
        answered_request(page, after=first)
        mode = page.inner_text("#lever-transition_exit_mode")
        policy = page.inner_text("#headline-poverty-policy")
        baseline = page.inner_text("#headline-poverty-baseline")
    assert mode.startswith("cliff")
    assert policy == f"{direct_poverty_2030('cliff_exit'):.2f}%"
    assert baseline == f"{direct_poverty_2030():.2f}%"


def test_report_workbook_and_page_show_the_same_2030_numbers(app, tmp_path):
    """The same run (baseline, the page's households, replicates and seed) read three ways: the page's
    headline, report.md's headline table and the workbook's cover show the same 2030 numbers, in the same
    units (% of people; per 1,000 households; yuan per person; yuan per household)."""
    import openpyxl

    url, home = app
    out = tmp_path / "run"
    run = subprocess.run([sys.executable, "-m", "ruralsim.cli", "run", "baseline", "--households", str(HOUSEHOLDS),
                          "--replicates", str(REPLICATES), "--out", str(out), "--quiet", "--workers", "1"],
                         capture_output=True, text=True, cwd=home)
    assert run.returncode == 0, run.stderr
    with browser_page() as page:
        page.goto(url)
        answered_request(page)
        shown = {m: page.inner_text(f"#headline-{m}-baseline") for m in ("poverty", "monitored", "mean_income",
                                                                         "fiscal_total")}
    lines = [ln for ln in (out / "report.md").read_text(encoding="utf-8").splitlines() if ln.startswith("| ")]
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    rows = [dict(zip(header, (c.strip() for c in ln.strip().strip("|").split("|")))) for ln in lines[2:]]
    value = header[3]  # "baseline: mean [95% interval]"

    def row(metric_start: str, month: str) -> dict[str, str]:
        return next(r for r in rows if r["Metric"].startswith(metric_start) and r["Month"] == month)

    poverty, income = row("Poverty rate (registry)", "2030-12"), row("Mean per-capita income", "2030-12")
    monitored, fiscal = row("Households under monitoring", "2030-12"), row("Fiscal cost", "2030")
    assert poverty[value].split(" [")[0] == shown["poverty"]
    assert income[value].split(" [")[0] == shown["mean_income"]
    assert monitored["Per household"] == f"{shown['monitored']} per 1,000 households"
    assert fiscal["Per household"] == f"{shown['fiscal_total']} yuan per household"
    # The workbook's cover holds the report's headline rows, cell for cell.
    cover = openpyxl.load_workbook(out / f"{out.name}.xlsx", read_only=True)["cover"]
    cells = [[c for c in r if c not in (None, "")] for r in cover.iter_rows(values_only=True)]
    for r in (poverty, income, monitored, fiscal):
        assert [v for v in r.values() if v] in cells, r
    # ... and its years x indicators sheet the same December-2030 poverty rate.
    wide = pd.read_excel(out / f"{out.name}.xlsx", sheet_name="by_year")
    column = next(c for c in wide.columns if str(c).startswith("Poverty rate (registry)"))
    assert f"{100 * wide.loc[wide.iloc[:, 0] == '2030-12', column].iloc[0]:.2f}%" == shown["poverty"]
