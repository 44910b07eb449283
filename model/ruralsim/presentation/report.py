"""``report.html`` and ``report.md`` of a run, comparison or sweep folder, from its stored results.

Why: a comparison leaves dozens of PNGs and CSVs; a reader who is forwarded one file needs the
question, the headline numbers with their intervals, what they mean, what was changed, the figures,
how to read the bands, and how to reproduce it. The HTML is one self-contained file (figures as
``data:`` URIs, inline styles, no external URL), so it opens offline and can be mailed. Numbers are
read from the folder's own CSV tables, so the report always equals them.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pandas as pd

from . import units
from .labels import current_lang, label
from .report_parts import (  # noqa: F401  (the report's names, as before the split)
    BANDS, CAPTIONS, Cell, GROUP_NAMES, HEADLINE_YEARS, HTML, Headline, MARKDOWN, Report, SWEEP_CAPTIONS_ZH,
    TEXT, ZH_MARK, _dates_note, _figure_rank, _figures, _flat, _is_share, _manifest, _normal, _param_diff,
    _repro, _same, _scale, _shipped_baseline, _show, _sweep_caption_zh, _title, _zh_question, ever_metric,
    fmt, fmt_interval, header_comment, headline_dates, plots_folder, poverty_metric)
from .report_comparison import (  # noqa: F401  (the comparison's names, as before the split)
    _comparison_readings, _comparison_report, _comparison_unit, _fund_rule_readings, _income_per_yuan,
    _question_readings, _scenario_params, _sweep_column, _sweep_report, comparison_metrics)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------
def report_names(lang: str) -> tuple[str, str]:
    """The report files of a language: ``report.html``/``report.md`` in English, ``report_zh.*`` in Chinese
    (beside the English ones, never over them)."""
    if lang == "zh":
        return tuple(n.replace("report.", "report_zh.") for n in (HTML, MARKDOWN))  # type: ignore[return-value]
    return HTML, MARKDOWN


def write_report(folder: str | Path, lang: str | None = None) -> list[Path]:
    """Write ``report.html`` and ``report.md`` (``report_zh.*`` in Chinese) into a run, comparison or sweep
    folder."""
    folder = Path(folder)
    lang = lang or current_lang()
    report = build_report(folder, lang)
    html_name, md_name = report_names(lang)
    return [_render(report, lang, folder, HTML, html_name), _render(report, lang, folder, MARKDOWN, md_name)]


def build_report(folder: Path, lang: str) -> Report:
    manifest = _manifest(folder)
    kind = manifest.get("kind") or (manifest.get("extra") or {}).get("kind") or "run"
    builder = {"run": _run_report, "comparison": _comparison_report, "sweep": _sweep_report}.get(kind)
    if builder is None:
        raise ValueError(f"{folder}: no report for a folder of kind {kind!r}")
    return builder(folder, manifest, lang)


def _render(report: Report, lang: str, folder: Path, name: str, file_name: str | None = None) -> Path:
    import jinja2

    from ..analysis.outputs import atomic_path

    # Every value comes from files a user wrote (a scenario's name and header, an experiment's name, the
    # command line), so none may become markup: HTML is autoescaped whatever the template's suffix, and
    # Markdown (which renderers turn into HTML) gets the same escaping through ``finalize``.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                             autoescape=name == HTML, finalize=None if name == HTML else markdown_text,
                             trim_blocks=False, keep_trailing_newline=True)
    template = env.get_template(name + ".j2")
    figures = [dict(f, src=_data_uri(folder / f["path"])) for f in report.figures] if name == HTML else report.figures
    context = dict(csp=CONTENT_SECURITY_POLICY, title=report.title, t=TEXT[lang], lang=lang, questions=report.questions,
                   headline=report.headline, headline_note=report.headline_note, readings=report.readings,
                   parameters=report.parameters, bands=BANDS[lang], figures=figures, repro=report.repro,
                   explain=_explain(report, folder, lang, name == HTML))
    text = template.render(font_face="", **context)
    if name == HTML and any(ord(c) >= 0x2E80 for c in text):
        # The reader's machine may have no CJK font (CI, many Linux desktops): embed the glyphs used.
        text = template.render(font_face=font_face_css(text), **context)
    path = folder / (file_name or name)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def _explain(report: Report, folder: Path, lang: str, html: bool) -> dict[str, Any] | None:
    """The drivers-and-robustness section of a comparison (:mod:`ruralsim.presentation.explain_report`)."""
    args = report.extra.get("explain")
    if not args:
        return None
    from .explain_report import explain_section

    return explain_section(folder, *args, lang=lang, html=html)


#: report.html runs no script and loads nothing: figures and the font are ``data:`` URIs, styles inline.
#: A meta tag, so the policy holds wherever the file is opened (the page serves it with the same header).
CONTENT_SECURITY_POLICY = ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
                           "base-uri 'none'; form-action 'none'")


def markdown_text(value: Any) -> str:
    """A value as Markdown text that no renderer turns into markup or a link: ``<`` and ``>`` become
    entities (so no tag and no autolink survives; Markdown shows them as ``<`` ``>``) and ``](`` is
    broken with a backslash (no inline link). Other text, ``&`` included, reads as written."""
    text = "" if value is None else str(value)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace("](", "]\\(")


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule embedding the shipped CJK font, subset to the characters of ``text``
    (a few tens of kB instead of 3 MB), so Chinese reads the same on any machine, offline."""
    import io

    from fontTools import subset

    from .fonts import FONT_FILE

    options = subset.Options()
    options.layout_features = ["*"]
    buf = io.BytesIO()
    with open(FONT_FILE, "rb") as fh:  # closed here: fontTools would leave the file open
        font = subset.load_font(fh, options)
        sub = subset.Subsetter(options)
        sub.populate(unicodes={ord(c) for c in text if ord(c) > 0x7F})
        sub.subset(font)
        font.save(buf)
        font.close()
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("@font-face { font-family: 'RuralsimCJK'; "
            f"src: url(data:font/otf;base64,{data}) format('opentype'); font-display: block; }}")


def _data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")


# ---------------------------------------------------------------------------------------------
# Run
# ---------------------------------------------------------------------------------------------
def _run_metrics(summary: pd.DataFrame) -> list[str]:
    return [poverty_metric(summary["metric"]), ever_metric(summary["metric"]), "mean_income", "monitored_households"]


def _run_report(folder: Path, manifest: dict[str, Any], lang: str) -> Report:
    summary = pd.read_csv(folder / "summary.csv", encoding="utf-8-sig", dtype={"date": str})
    scenario = manifest.get("scenario") or {}
    name = scenario.get("name") or folder.name
    dates = headline_dates(summary["date"])
    t = TEXT[lang]
    rows: list[list[Cell]] = []
    by = summary.set_index(["metric", "date"])
    scale = _scale(manifest, by)
    for metric in _run_metrics(summary):
        for date in dates:
            if (metric, date) not in by.index:
                continue
            r = by.loc[(metric, date)]
            rows.append([Cell(label(metric, lang)), Cell(units.unit_of(metric, lang)), Cell(date),
                         Cell(fmt(r["mean"], metric) + fmt_interval(r["ci_lo"], r["ci_hi"], metric),
                              f"{metric}|{date}", repr(float(r["mean"]))),
                         Cell(units.per_household(float(r["mean"]), metric, scale, lang)),
                         Cell(units.national(float(r["mean"]), metric, scale, lang))])
    fiscal = _fiscal_rows(folder, dates, lang, scale)
    rows += fiscal
    zh = lang == "zh"
    headline = Headline([t["metric"], "单位" if zh else "Unit", t["month"],
                         f"{name}: " + ("均值 [95%区间]" if zh else "mean [95% interval]"),
                         "每户 / 每千户" if zh else "Per household", "全国口径（放大）" if zh else "National (scaled)"],
                        rows, left=3)
    base = _shipped_baseline()
    params = manifest.get("params") or {}
    return Report("run", _title("run", name, lang), [{"name": name, "text": header_comment(scenario.get("file"), lang)
                                                      or name}],
                  headline, _dates_note(dates, lang, comparison=False) + " " + units.scale_note(scale, lang),
                  _run_readings(by, dates, lang, scale),
                  _param_diff(params, base, name), _figures(folder, lang), _repro(manifest, lang))


def _fiscal_rows(folder: Path, dates: list[str], lang: str, scale: units.Scale | None = None) -> list[list[Cell]]:
    path = folder / "fiscal_budget.csv"
    if not path.is_file():
        return []
    table = pd.read_csv(path, encoding="utf-8-sig").set_index("year")
    rows = []
    for date in dates:
        year = int(date[:4])
        if year in table.index:
            r = table.loc[year]
            value = float(r["fiscal_cost"])
            rows.append([Cell(label("fiscal_cost", lang) + ("（全年）" if lang == "zh" else " (calendar year)")),
                         Cell(units.unit_of("fiscal_cost", lang)),
                         Cell(str(year)), Cell(fmt(r["fiscal_cost"], "fiscal_cost")
                                              + fmt_interval(r["fiscal_cost_ci_lo"], r["fiscal_cost_ci_hi"],
                                                             "fiscal_cost"),
                                              f"fiscal_cost|{year}", repr(value)),
                         Cell(units.per_household(value, "fiscal_cost", scale, lang)),
                         Cell(units.national(value, "fiscal_cost", scale, lang))])
    return rows + _fund_rule_rows(folder, dates, lang)


def _fund_rule_rows(folder: Path, dates: list[str], lang: str) -> list[list[Cell]]:
    """Per headline year: the fund-financed cost scaled to the whole cohort against the year's central fund,
    and the industry share against P24's rule; a year that breaks either says so (fiscal_fund_rules.csv)."""
    path = folder / "fiscal_fund_rules.csv"
    if not path.is_file():
        return []
    table = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False).set_index("year")
    zh = lang == "zh"
    rows = []
    for year in sorted({int(d[:4]) for d in dates} | set(int(y) for y in table.index if str(table.loc[y, "flag"]))):
        if year not in table.index:
            continue
        r = table.loc[year]
        text = ((f"全国（全部脱贫人口）{float(r['fund_spending_national']) / 1e8:,.0f} 亿元/年，占当年中央衔接资金 "
                 f"{float(r['fund_share_of_central_fund']):.0%}；产业占衔接资金支出 {float(r['industry_share']):.0%}"
                 f"（规则 ≥{float(r['rule']):.0%}，P24）") if zh else
                (f"whole cohort {float(r['fund_spending_national']) / 1e9:,.1f} bn yuan a year, "
                 f"{float(r['fund_share_of_central_fund']):.0%} of the year's central fund; industry "
                 f"{float(r['industry_share']):.0%} of fund spending (rule ≥ {float(r['rule']):.0%}, P24)"))
        if str(r["flag"]):
            text += ("  ⚠ 违反：" if zh else "  FLAG: ") + str(r["flag"]).split(": ", 1)[-1]
        national = float(r["fund_spending_national"])  # already the whole cohort's: no per-household value
        rows.append([Cell("衔接资金支出与规则（全国）" if zh else "Fund-financed cost and the fund's rules (national)"),
                     Cell("元/年（全国）" if zh else "yuan a year (national)"), Cell(str(year)),
                     Cell(text, f"fund_rules|{year}", repr(national)), Cell(""), Cell(units.yuan_text(national, lang))])
    return rows


def _run_readings(by: pd.DataFrame, dates: list[str], lang: str, scale: units.Scale | None = None) -> list[str]:
    """One sentence per headline month: each poverty number names its measure, counts their scale."""
    out = []
    metric = poverty_metric(by.index.get_level_values(0))
    ever_key = ever_metric(by.index.get_level_values(0))
    measure, ever_measure = units.measure_words(metric, lang), units.measure_words(ever_key, lang)
    for date in dates:
        def get(m: str) -> pd.Series | None:
            return by.loc[(m, date)] if (m, date) in by.index else None

        pov, ever, inc, mon = get(metric), get(ever_key), get("mean_income"), get("monitored_households")
        if pov is None:
            continue
        if lang == "zh":
            s = (f"{date}：按{measure}，{fmt(pov['mean'], metric)}的人口低于贫困线"
                 f"{fmt_interval(pov['ci_lo'], pov['ci_hi'], metric)}")
            if ever is not None:
                s += f"；2021年以来{fmt(ever['mean'], ever_key)}的户曾至少一次跌破贫困线（{ever_measure}）"
            if inc is not None:
                s += f"；人均收入均值 {fmt(inc['mean'], 'mean_income')} 元/人/年（扣除自付医疗支出）"
            if mon is not None:
                s += f"；样本中监测户 {fmt(mon['mean'], 'monitored_households')} 户" + units.scaled_aside(
                    float(mon['mean']), "monitored_households", scale, lang)
            out.append(s + "。")
        else:
            s = f"In {date}, {fmt(pov['mean'], metric)} of people are below the poverty line on the {measure} " \
                f"measure{fmt_interval(pov['ci_lo'], pov['ci_hi'], metric)}"
            if ever is not None:
                s += (f"; {fmt(ever['mean'], ever_key)} of households have fallen below it at least once since 2021 "
                      f"({ever_measure})")
            if inc is not None:
                s += f"; mean income is {fmt(inc['mean'], 'mean_income')} yuan per person per year (net of medical costs)"
            if mon is not None:
                s += (f"; {fmt(mon['mean'], 'monitored_households')} households of the sample are under monitoring"
                      + units.scaled_aside(float(mon['mean']), "monitored_households", scale, lang))
            out.append(s + ".")
    return out


# ---------------------------------------------------------------------------------------------
# Folder finishing (called by the commands after their results are written)
# ---------------------------------------------------------------------------------------------
def finish_folder(folder: str | Path, lang: str | None = None, workbook: bool = True,
                  report: bool = True) -> list[Path]:
    """Data dictionary, xlsx workbook and report of a results folder (each from its stored tables)."""
    from .tables import write_dictionary
    from .workbook import write_workbook

    folder = Path(folder)
    written = [write_dictionary(folder)]
    if workbook:
        lang = lang or current_lang()
        try:
            cover = build_report(folder, lang)
        except (OSError, KeyError, ValueError):  # a folder without a report's inputs still gets its tables
            cover = None
        written.append(write_workbook(folder, lang, cover))
    if report:
        written += write_report(folder, lang)
    return written


def finish_comparison(folder: str | Path, lang: str | None = None) -> list[Path]:
    """Every scenario folder of a comparison (each a run folder), then the comparison's own."""
    folder = Path(folder)
    written: list[Path] = []
    for entry in (_manifest(folder).get("extra") or {}).get("scenarios") or []:
        sub = folder / entry["folder"]
        if (sub / "manifest.json").is_file():
            written += finish_folder(sub, lang)
    return written + finish_folder(folder, lang)
