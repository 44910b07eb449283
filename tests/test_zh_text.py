"""Chinese figures and reports carry no English (issue: zh figures with no English left in them).

The check itself (:mod:`ruralsim.presentation.hygiene`) must be able to fail, so it is first tried on
figures that do hold English; then the figures the CLI draws for a validation and the sweep's index
figures (Sobol', Morris, rank correlations, scatter, design rows) are drawn in Chinese and checked.
Runs and comparisons are checked in tests/test_reports.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ruralsim.cli import main as cli
from ruralsim.presentation import hygiene
from ruralsim.presentation.labels import set_lang, translate
from ruralsim.presentation.run_plots import localise


@pytest.fixture
def zh():
    """Figures drawn in Chinese for one test, English again after it."""
    set_lang("zh")
    yield
    set_lang("en")


def _english(fig) -> list[str]:
    return [p for p in hygiene.problems(fig) if "English" in p]


def _figure(title: str, note: str = "") -> Figure:
    fig = Figure(figsize=(6, 3), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_title(title)
    if note:
        fig.text(0.01, 0.01, note, fontsize=7)
    return fig


def test_untranslated_words_finds_english_but_not_ids():
    words = hygiene.untranslated_words
    assert words("Return to poverty") == ["Return", "poverty"]  # "to" is too short to matter
    assert words("返贫与 monitoring 监测") == ["monitoring"]
    assert words("监测户ratio图") == ["ratio"]  # glued to Chinese characters it is still English
    assert words("情景 cliff_exit、policy_2026 · 文件 cost_effectiveness.csv") == []  # ids and file names
    assert words("ruralsim 0.1.0 · baseline · Fieller 95%区间 · 2.5 pp") == []  # kept words
    assert words("贫困发生率 1.32%") == []


def test_an_english_title_in_a_chinese_figure_fails_the_check(zh):
    fig = _figure("Return to poverty: who falls back")
    assert _english(fig) and "Return to poverty" in _english(fig)[0]
    with pytest.raises(AssertionError, match="English"):
        hygiene.check(fig, "test.png")
    assert not _english(_figure("返贫：谁返贫，因何返贫"))


def test_the_check_is_off_for_english_figures():
    assert not _english(_figure("Return to poverty: who falls back"))


def test_ids_declared_in_the_source_note_are_not_english(zh):
    note = "ruralsim 0.1.0 · 情景 baseline（参照）、reform、pilot · 2 次配对重复 × 200 户"
    assert not _english(_figure("reform 与 pilot 的差值", note))
    assert _english(_figure("reform 与 pilot 的差值"))  # undeclared: a word like any other


def test_localise_translates_titles_notes_and_tick_labels(zh):
    fig = _figure("Movements between secure, monitored and below the poverty line",
                  "ruralsim 0.1.0 · scenario reform · 2 replicates × 200 households · bands: 95% t-interval")
    fig.axes[0].set_xticks([0, 1, 2], ["Secure", "Monitored\n(above line)", "Below the\npoverty line"])
    localise(fig)
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["安全", "监测中\n（线上）", "贫困线\n以下"]
    assert fig.texts[0].get_text() == "ruralsim 0.1.0 · 情景 reform · 2 次重复 × 200 户 · 区间带：95% t区间"
    assert not _english(fig)


def test_numbered_sentences_are_whole_chinese_sentences():
    assert translate("1,082 ended spells per replicate\nmedian length 5 months\n11% last longer than 12 months",
                     "zh") == "每次重复结束的贫困段：1,082 段\n持续时间中位数：5 个月\n11% 持续超过12个月"
    assert translate("net 14,752", "zh") == "纯收入 14,752"
    assert translate("Difference from baseline (scenario minus reference, replicate by replicate)", "zh") == \
        "与 baseline 的差值（情景减参照，逐次重复配对）"
    assert translate("net 14,752", "en") == "net 14,752"


# --------------------------------------------------------------------------------------------- sweeps
META = {"name": "drivers", "method": "Sobol'", "scenario": "baseline", "points": 8, "replicates": 2,
        "households": 200, "months": 12, "version": "0.1.0"}
PARAMS = ["monitoring.detection_prob", "labour.migrant_find_rate"]
OUTCOMES = ["poverty_rate_alert_last12", "mean_income_end"]


def _indices(**cols) -> pd.DataFrame:
    rows = [{"outcome": o, "parameter": p, **{c: v for c, v in cols.items()}} for o in OUTCOMES for p in PARAMS]
    return pd.DataFrame(rows)


def test_sweep_index_figures_have_no_english_in_chinese(zh):
    from ruralsim.presentation import sweep_plots as pl

    factors = [{"key": k, "column": k} for k in PARAMS]
    rng = np.random.default_rng(0)
    points = pd.DataFrame({"point": range(4), PARAMS[0]: [0.1, 0.3, 0.5, 0.7], PARAMS[1]: [0.2, 0.2, 0.4, 0.4]})
    means = pd.DataFrame({o: rng.random(4) for o in OUTCOMES})
    runs = points.loc[points.index.repeat(2)].assign(replicate=[0, 1] * 4, status="ok",
                                                    **{o: rng.random(8) for o in OUTCOMES})
    figures = {
        "sobol": pl.plot_sobol(_indices(S1=0.3, S1_conf=0.05, ST=0.5, ST_conf=0.06), META),
        "morris": pl.plot_morris(_indices(mu_star=0.01, mu_star_conf=0.002, sigma=0.004), META),
        "rank": pl.plot_rank_correlations(_indices(spearman_rho=0.4), META),
        "scatter": pl.plot_scatter(points, means, factors, OUTCOMES[0], {PARAMS[0]: 0.5}, META),
        "points": pl.plot_points(runs, points, factors, OUTCOMES, META),
    }
    for name, fig in figures.items():
        localise(fig)
        assert not _english(fig), (name, _english(fig))


# --------------------------------------------------------------------------------------------- validation
TARGETS = """
title = "test"
[targets.A17_level]
metric = "operating_income"
date = "2022-12"
observed = 2000.0
tolerance = 100.0
how = "value at 2022-12"
source = "article:A17"
label = "Per-capita operating net income, 2022"
"""


def test_validation_figures_have_no_english_in_chinese(tmp_path, capsys):
    """``ruralsim validate`` then ``ruralsim plot --lang zh``: the figure check (on in the suite) fails the
    redraw on any English text."""
    path = tmp_path / "targets.toml"
    path.write_text(TARGETS, encoding="utf-8")
    out = tmp_path / "validation"
    assert cli(["validate", "--targets", str(path), "--households", "200", "--replicates", "2", "--out", str(out),
                "--quiet"]) in (0, 1)
    try:
        assert cli(["plot", str(out), "--lang", "zh"]) == 0
    finally:
        set_lang("en")
    capsys.readouterr()
    assert (out / "plots" / "validation_summary.png").is_file()


def test_calibration_figure_has_no_english_in_chinese(tmp_path, zh):
    from ruralsim.analysis.targets import FreeParam, load_targets
    from ruralsim.presentation.calibration_plots import plot_fit

    path = tmp_path / "targets.toml"
    path.write_text(TARGETS, encoding="utf-8")
    targets = load_targets(path).targets
    free = [FreeParam("labour.migrant_find_rate", 0.05, 0.3)]
    hist = pd.DataFrame({"evaluation": [1, 2, 3, 4], "phase": ["search", "search", "search", "final"],
                         "loss": [4.0, 2.0, 1.0, 1.1], "best_loss": [4.0, 2.0, 1.0, 1.0],
                         "labour.migrant_find_rate": [0.1, 0.2, 0.15, 0.15],
                         "model_A17_level": [1700.0, 1900.0, 1980.0, 1985.0]})
    fig = plot_fit(targets, hist, free, {"name": "baseline", "replicates": 2, "households": 200})
    localise(fig)
    assert not _english(fig), _english(fig)


def test_every_shipped_scenario_asks_its_question_in_chinese_too():
    """Users read Chinese first: each scenario file carries its question in Chinese (`# 中文：`), and a zh
    report shows that instead of the English paragraph."""
    from ruralsim.presentation.hygiene import untranslated_words
    from ruralsim.presentation.report import header_comment

    from pathlib import Path

    scenarios = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.toml"))
    assert len(scenarios) >= 19
    for path in scenarios:
        zh, en = header_comment(path, "zh"), header_comment(path, "en")
        assert zh and zh != en and "中文" not in en, path.name
        assert not untranslated_words(zh), (path.name, untranslated_words(zh))
