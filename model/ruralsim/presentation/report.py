"""``report.html`` and ``report.md`` of a run, comparison or sweep folder, from its stored results.

Why: a comparison leaves dozens of PNGs and CSVs; a reader who is forwarded one file needs the
question, the headline numbers with their intervals, what they mean, what was changed, the figures,
how to read the bands, and how to reproduce it. The HTML is one self-contained file (figures as
``data:`` URIs, inline styles, no external URL), so it opens offline and can be mailed. Numbers are
read from the folder's own CSV tables, so the report always equals them.
"""

from __future__ import annotations

import base64
import json
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import units
from .labels import current_lang, label, translate

HTML, MARKDOWN = "report.html", "report.md"
HEADLINE_YEARS = (2025, 2030)

TEXT = {
    "en": dict(question="The question", headline="Headline numbers", readings="What the numbers say",
               parameters="Parameters that differ from the baseline", bands="How to read the bands",
               figures="Figures", reproducibility="Reproducibility", scenario="Scenario", parameter="Parameter",
               baseline="Baseline", value="Value", no_parameters="None: this is the baseline as shipped.",
               no_figures="No figures in this folder (drawn with --no-plots? run: ruralsim plot DIR).",
               commit="commit", dirty="uncommitted changes", seeds="seeds", started="started", command="command",
               metric="Metric", month="Month", unit="Unit", run="Run report", comparison="Comparison report",
               sweep="Sweep report",
               files="Tables: the CSV files (UTF-8 with BOM) and the .xlsx workbook beside this report; column "
                     "meanings in data_dictionary.csv."),
    "zh": dict(question="研究问题", headline="主要结果", readings="结果解读", parameters="与基准情景不同的参数",
               bands="如何理解阴影区间", figures="图表", reproducibility="可重复性", scenario="情景",
               parameter="参数", baseline="基准值", value="取值", no_parameters="无：本次运行即为基准情景。",
               no_figures="本文件夹没有图表（使用了 `--no-plots`？可运行：`ruralsim plot DIR`）。", commit="代码版本",
               dirty="有未提交的修改", seeds="随机种子", started="开始时间", command="运行命令", metric="指标",
               month="月份", unit="单位", run="运行报告", comparison="情景比较报告", sweep="参数扫描报告",
               question_note="以下为情景（实验）文件开头的说明；文件没有中文说明的，照录英文原文。",
               files="数据表：本报告旁的 CSV 文件（带 BOM 的 UTF-8）和 .xlsx 工作簿；各列含义见 data_dictionary.csv。"),
}
BANDS = {
    "en": ["Level figures (one scenario's series over time): the line is the mean across replicates; the "
           "shaded band is the 95% interval of that mean (Student t across replicates). It says how precisely "
           "the replicates pin down the expected outcome, not how far a single year could swing.",
           "Comparison figures of differences: the line is the paired difference from the reference scenario "
           "(scenario minus reference, replicate by replicate, with the same random draws); the band is its 95% "
           "paired interval. A band that contains zero means the difference is within simulation noise.",
           "Sweep heatmaps: a hatched cell differs from its neighbours by less than the noise of the replicates, "
           "so its colour should not be read as a real step.",
           "Headline tables give the same intervals in brackets."],
    "zh": ["水平图（单一情景随时间的变化）：实线为各次重复的均值；阴影为该均值的95%置信区间（基于重复间的t分布），"
           "表示重复对期望结果的估计精度，而非单一年份可能的波动幅度。",
           "差值图：实线为与参照情景的配对差（同一随机抽样下，逐次重复计算“情景减参照”）；阴影为其95%配对区间。"
           "区间包含0表示差异在模拟噪声之内。",
           "参数扫描热力图：带斜线的格子与相邻格子的差异小于重复间噪声，其颜色变化不应被解读为真实变化。",
           "主要结果表中的方括号给出同样的区间。"],
}
#: Place groups of compare_groups.csv by their names in figures (translated like the figures' texts).
GROUP_NAMES = {"key_county": "Key counties", "other_county": "Other counties", "east": "East", "central": "Central",
               "west": "West", "relocated": "Relocated", "not_relocated": "Not relocated"}
#: Figure captions (English, 中文), in the order a report shows them: what they answer first (the key
#: figure, return to poverty and monitoring, leads), detail after; a figure not listed follows alphabetically.
CAPTIONS = {
    "poverty_monitoring": ("Return to poverty and dynamic monitoring", "返贫与动态监测"),
    "income_components": ("Income by source and total", "收入构成与合计"),
    "targeting": ("Targeting (registry measure): households below the registry line each December and whether "
                  "they are monitored or under 兜底 by the following March (targeting.csv: below_assisted, "
                  "below_missed); households identified in the year by channel (annual income check, own report, "
                  "cadres' visits, departments' data) and the median months from the first month under the "
                  "monitoring line to identification. The December check of a year identifies its households the "
                  "next February; the end-2020 check's households are monitored from the start (2020-12), so 2021 "
                  "has no annual-check bar. Counts are households of the sample.",
                  "精准识别（建档口径）：每年12月建档口径贫困线以下户数，及其在次年3月前是否已纳入监测或兜底"
                  "（targeting.csv：below_assisted、below_missed）；当年按渠道识别的户数（年度收入核查、农户自主申报、"
                  "基层干部排查、部门筛查预警），以及自首次低于监测线至识别的月数中位数。"
                  "某年12月核查的识别户于次年2月纳入；2020年底核查的识别户自起点（2020年12月）起即为监测对象，"
                  "故2021年无年度核查柱。户数为样本户数。"),
    "dynamics_falls": ("Falls below the line by cause", "按原因分的返贫"),
    "dynamics_spells": ("Length of spells below the line", "贫困持续时长"),
    "dynamics_transitions": ("Monthly transitions between states", "状态间月度转移"),
    "fiscal_budget": ("Fiscal cost and the cohesion-fund budget", "财政支出与衔接资金预算"),
    "employment_fiscal": ("Employment and fiscal cost", "就业与财政支出"),
    "income_distribution": ("Distribution of per-capita income", "人均纯收入分布"),
    "groups": ("Income and poverty by place: key and other counties, regions, relocated households",
               "分地区收入与贫困：重点帮扶县与其他县、东中西部、易地搬迁户"),
    "counties": ("Spread across counties", "各县差异"),
    "villages": ("Spread across villages", "各村差异"),
    "compare_metrics": ("Key outcomes by scenario", "各情景主要结果"),
    "compare_differences": ("Paired differences from the reference", "与参照情景的配对差"),
    "compare_poverty_by_year": ("Annual mean poverty rate by scenario", "各情景年均贫困发生率"),
    "compare_cost_effectiveness": ("Cost-effectiveness", "成本效益"),
    "compare_fiscal": ("Fiscal cost by scenario", "各情景财政支出"),
    "compare_dynamics": ("Return-to-poverty dynamics by scenario", "各情景返贫动态"),
    "compare_income": ("Income by scenario", "各情景收入"),
    "compare_groups": ("Paired differences by place group", "各地区分组与参照情景的配对差"),
}


@dataclass
class Cell:
    text: str
    key: str = ""
    value: str = ""


@dataclass
class Headline:
    header: list[str]
    rows: list[list[Cell]]
    left: int = 2


@dataclass
class Report:
    kind: str
    title: str
    questions: list[dict[str, str]]
    headline: Headline
    headline_note: str
    readings: list[str]
    parameters: list[dict[str, str]]
    figures: list[dict[str, str]]
    repro: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------
def report_names(lang: str) -> tuple[str, str]:
    """The report files of a language: ``report.html``/``report.md`` in English, ``report_zh.*`` in Chinese
    (beside the English ones, never over them)."""
    if lang == "zh":
        return tuple(n.replace("report.", "report_zh.") for n in (HTML, MARKDOWN))  # type: ignore[return-value]
    return HTML, MARKDOWN


def plots_folder(lang: str) -> str:
    """The figures a report of ``lang`` shows (:func:`ruralsim.presentation.run_plots.language_path`)."""
    return "plots_zh" if lang == "zh" else "plots"


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
# Shared pieces
# ---------------------------------------------------------------------------------------------
def _manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


ZH_MARK = "中文："


def header_comment(path: str | Path | None, lang: str | None = None) -> str:
    """The leading ``#`` comment lines of a scenario or experiment file: the question it asks. In Chinese,
    the file's own Chinese question where it has one (a header paragraph starting ``# 中文：``)."""
    if not path or not Path(path).is_file():
        return ""
    if lang == "zh" and (zh := _zh_question(Path(path))):
        return zh
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if lines:
                break
            continue
        text = line.lstrip("#").strip()
        if not text and lines:  # the first paragraph is the question; the rest are notes on the file
            break
        lines.append(text)
    return "\n".join(lines).strip()


def _zh_question(path: Path) -> str:
    """The ``# 中文：`` paragraph of a file's leading comment block (its lines joined without spaces)."""
    found: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text.startswith(ZH_MARK):
            found.append(text.removeprefix(ZH_MARK))
        elif found and text:
            found.append(text)
        elif found:
            break
    return "".join(found).strip()


def poverty_metric(columns) -> str:
    """The registry poverty measure where the results have it, else the income measure."""
    return "poverty_rate_registry" if "poverty_rate_registry" in set(columns) else "poverty_rate_alert"


def ever_metric(columns) -> str:
    """The "ever fell below" series on the same measure as :func:`poverty_metric`."""
    return "ever_below_registry_share" if "ever_below_registry_share" in set(columns) else "ever_fallen_share"


def _is_share(metric: str) -> bool:
    from .labels import lookup

    entry = lookup(metric)
    return bool(entry and "(0-1)" in entry.unit)


def fmt(value: float, metric: str, diff: bool = False) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if _is_share(metric):
        return f"{100 * value:+.2f}{' 个百分点' if current_lang() == 'zh' else ' pp'}" if diff else f"{100 * value:.2f}%"
    sign = "+" if diff else ""
    return f"{value:{sign},.0f}" if abs(value) >= 100 else f"{value:{sign},.2f}"


def fmt_interval(lo: float, hi: float, metric: str, diff: bool = False) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    return f" [{fmt(lo, metric, diff)}, {fmt(hi, metric, diff)}]"


def headline_dates(dates) -> list[str]:
    """December 2025 and 2030 where the run covers them, else its last month."""
    dates = sorted(set(dates))
    chosen = [f"{y}-12" for y in HEADLINE_YEARS if f"{y}-12" in dates]
    return chosen or dates[-1:]


def _flat(nested: dict[str, Any]) -> dict[str, Any]:
    return {f"{s}.{k}": v for s, section in nested.items() if isinstance(section, dict) for k, v in section.items()}


def _normal(value: Any) -> Any:
    """JSON form (string keys, lists, None for NaN), so a stored manifest compares with a loaded scenario."""
    from ..analysis.outputs import _jsonable

    return json.loads(json.dumps(_jsonable(value)))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _param_diff(params: dict[str, Any], base: dict[str, Any], scenario: str) -> list[dict[str, str]]:
    a, b = _flat(_normal(params)), _flat(_normal(base))
    skip = ("run.", "other.")
    return [{"scenario": scenario, "key": k, "baseline": _show(b.get(k)), "value": _show(a[k])}
            for k in sorted(a) if not k.startswith(skip) and k in b and not _same(a[k], b[k])]


def _show(v: Any) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}: {x}" for k, x in v.items())
    return str(v)


def _shipped_baseline() -> dict[str, Any]:
    from ..simulation.config import SCENARIO_DIR, load_scenario
    from ..analysis.outputs import nest_params

    return nest_params(load_scenario(SCENARIO_DIR / "baseline.toml").params)


def _repro(manifest: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    seeds = manifest.get("seeds") or {}
    n = len(seeds.get("replicates") or [])
    argv = list(manifest.get("command") or [])
    command = shlex.join(["ruralsim", *argv[1:]]) if argv else "?"
    git = manifest.get("git") or {}
    return {"version": (manifest.get("versions") or {}).get("ruralsim") or "?",
            "commit": git.get("commit") or "not in git", "dirty": git.get("dirty"),
            "seeds": (f"主种子 {seeds.get('master')}" + (f"，{n} 次重复（0..{n - 1}）" if n else "")) if lang == "zh"
            else f"master {seeds.get('master')}" + (f", {n} replicates (0..{n - 1})" if n else ""),
            "started": manifest.get("started_at") or "?", "command": command}


def _figure_rank(png: Path) -> tuple[int, str]:
    order = list(CAPTIONS)
    return (order.index(png.stem) if png.stem in CAPTIONS else len(order), png.stem)


def _figures(folder: Path, lang: str, prefix: str = "", group: str = "") -> list[dict[str, str]]:
    out = []
    plots = folder / plots_folder(lang)
    found = [] if plots.is_symlink() or not plots.is_dir() else sorted(plots.glob("*.png"), key=_figure_rank)
    for png in (p for p in found if not p.is_symlink()):  # never read through a link (ruralsim writes none)
        en, zh = CAPTIONS.get(png.stem, (png.stem.replace("_", " ").capitalize(), _sweep_caption_zh(png.stem)))
        caption = (zh if lang == "zh" else en) + (f" · {group}" if group else "")
        out.append({"name": png.stem, "path": f"{prefix}{plots.name}/{png.name}", "caption": caption})
    return out


#: Chinese captions of the sweep figures, by file-name prefix (the rest of the name is the outcome's key).
SWEEP_CAPTIONS_ZH = {"lines": "结果随参数的变化", "heatmap_": "热力图", "paths_": "逐月路径", "sobol_indices": "Sobol' 指数",
                     "morris_indices": "Morris 基本效应", "points": "各设计行的结果", "rank_correlations": "输入与结果的秩相关",
                     "scatter_": "散点图"}


def _sweep_caption_zh(stem: str) -> str:
    """``heatmap_poverty_rate_last12`` -> ``热力图：poverty_rate_last12``; an unknown figure keeps its file name."""
    for prefix, zh in SWEEP_CAPTIONS_ZH.items():
        if stem == prefix:
            return zh
        if prefix.endswith("_") and stem.startswith(prefix):
            return f"{zh}：{stem.removeprefix(prefix)}"
    return stem


def _title(kind: str, name: str, lang: str) -> str:
    return f"{TEXT[lang][kind]}: {name}"


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


def _scale(manifest: dict[str, Any], by: pd.DataFrame) -> units.Scale | None:
    """The run's scale from its simulated people and households (their first summary date)."""
    def first(metric: str) -> float:
        rows = by.xs(metric, level=0) if metric in by.index.get_level_values(0) else None
        return float(rows["mean"].iloc[0]) if rows is not None and len(rows) else 0.0

    return units.scale_of(manifest, first("people"), first("households"))


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


def _dates_note(dates: list[str], lang: str, comparison: bool) -> str:
    if lang == "zh":
        note = (f"“{'、'.join(d[:4] for d in dates)}”均指该年12月的月度值（各重复均值，方括号为95%区间）；"
                "财政支出为全年合计。")
        if comparison:
            note += "本比较中所有年份均按此口径；poverty_by_year.csv 中为全年平均，二者不同。"
        return note
    note = (f"{' and '.join(d[:4] for d in dates)} mean the monthly value in December of that year (mean across "
            "replicates, 95% interval in brackets); fiscal cost is the whole calendar year.")
    if comparison:
        note += (" Every year in this comparison's headline means December; poverty_by_year.csv gives annual "
                 "means instead, which differ.")
    return note


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
# Comparison
# ---------------------------------------------------------------------------------------------
def comparison_metrics(table: pd.DataFrame) -> list[str]:
    wanted = [poverty_metric(table["metric"]), ever_metric(table["metric"]), "mean_income", "monitored_households",
              "fiscal_cost_year"]
    return [m for m in wanted if m in set(table["metric"])]


def _comparison_report(folder: Path, manifest: dict[str, Any], lang: str) -> Report:
    table = pd.read_csv(folder / "comparison.csv", encoding="utf-8-sig", dtype={"date": str})
    extra = manifest.get("extra") or {}
    entries = extra.get("scenarios") or []
    labels = [e["label"] for e in entries] or list(dict.fromkeys(table["scenario"]))
    reference = extra.get("reference") or labels[0]
    dates = headline_dates(table["date"])
    zh = lang == "zh"
    header = [TEXT[lang]["metric"], "单位" if zh else "Unit", TEXT[lang]["month"],
              f"{reference} ({'参照' if zh else 'reference'})"]
    for lb in labels[1:]:
        header += [lb, f"{lb} − {reference}" + (" [95%配对区间]" if zh else " [95% paired interval]")]
    by = table.set_index(["metric", "date", "scenario"])
    rows = []
    for metric in comparison_metrics(table):
        for date in dates:
            row = [Cell(label(metric, lang)), Cell(_comparison_unit(metric, lang)), Cell(date)]
            for lb in labels:
                if (metric, date, lb) not in by.index:
                    row += [Cell("–")] if lb == reference else [Cell("–"), Cell("–")]
                    continue
                r = by.loc[(metric, date, lb)]
                row.append(Cell(fmt(r["mean"], metric), f"{metric}|{date}|{lb}|mean", repr(float(r["mean"]))))
                if lb != reference:
                    row.append(Cell(fmt(r["diff_mean"], metric, diff=True)
                                    + fmt_interval(r["diff_ci_lo"], r["diff_ci_hi"], metric, diff=True),
                                    f"{metric}|{date}|{lb}|diff_mean", repr(float(r["diff_mean"]))))
            rows.append(row)
    questions = [{"name": e["label"], "text": header_comment(e.get("file"), lang) or e.get("description") or e["label"]}
                 for e in entries]
    params = []
    ref_params = _scenario_params(folder, entries, reference)
    for e in entries:
        if e["label"] != reference:
            params += _param_diff(_scenario_params(folder, entries, e["label"]), ref_params, e["label"])
    figures = _figures(folder, lang)
    for e in entries:
        figures += _figures(folder / e["folder"], lang, prefix=f"{e['folder']}/", group=e["label"])
    name = folder.name
    return Report("comparison", _title("comparison", name, lang), questions, Headline(header, rows, left=3),
                  _dates_note(dates, lang, comparison=True), _comparison_readings(folder, by, labels, reference,
                                                                                   dates, table, lang)
                  + _question_readings(folder, entries, reference, table, lang) + _fund_rule_readings(folder, entries, lang),
                  params, figures, _repro(manifest, lang), extra={"explain": (manifest, labels, reference)})


def _comparison_unit(metric: str, lang: str) -> str:
    """A comparison row's unit; a difference of a percentage is in percentage points."""
    unit = units.unit_of(metric, lang)
    if _is_share(metric):
        return unit + ("；差值为百分点" if lang == "zh" else "; differences in percentage points")
    return unit


def _fund_rule_readings(folder: Path, entries: list[dict], lang: str) -> list[str]:
    """One line per scenario: its largest national fund-financed cost against that year's central fund, and the
    years it breaks a fund rule (its fiscal_fund_rules.csv), so a scenario that breaks one is not read silently."""
    out = []
    for e in entries:
        path = folder / e["folder"] / "fiscal_fund_rules.csv"
        if not path.is_file():
            continue
        t = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
        if t.empty:
            continue
        top = t.loc[t["fund_spending_national"].astype(float).idxmax()]
        flags = [str(f) for f in t["flag"] if str(f)]
        if lang == "zh":
            s = (f"{e['label']}：全国衔接资金支出最高年份 {int(top['year'])} 年 {float(top['fund_spending_national']) / 1e8:,.0f} 亿元，"
                 f"为当年中央衔接资金的 {float(top['fund_share_of_central_fund']):.0%}。")
            s += ("违反资金规则：" + "；".join(flags) + "。") if flags else "各年均满足产业占比规则（P24）且未超过中央衔接资金。"
        else:
            s = (f"{e['label']}: its largest national fund-financed cost is {float(top['fund_spending_national']) / 1e9:,.1f} bn "
                 f"yuan in {int(top['year'])}, {float(top['fund_share_of_central_fund']):.0%} of that year's central fund.")
            s += (" FLAG, the fund's rules broken: " + "; ".join(flags) + ".") if flags else \
                " Every year meets P24's industry-share rule and stays within the central fund."
        out.append(s)
    return out


def _scenario_params(folder: Path, entries: list[dict], label_: str) -> dict[str, Any]:
    for e in entries:
        if e["label"] == label_ and (folder / e["folder"] / "manifest.json").is_file():
            return _manifest(folder / e["folder"]).get("params") or {}
    return {}


def _comparison_readings(folder: Path, by: pd.DataFrame, labels: list[str], reference: str, dates: list[str],
                         table: pd.DataFrame, lang: str) -> list[str]:
    out = []
    metric = poverty_metric(table["metric"])
    last = dates[-1]
    for lb in labels[1:]:
        if (metric, last, lb) not in by.index:
            continue
        r = by.loc[(metric, last, lb)]
        lo, hi, d = r["diff_ci_lo"], r["diff_ci_hi"], r["diff_mean"]
        noise = math.isfinite(lo) and math.isfinite(hi) and lo <= 0 <= hi
        if lang == "zh":
            direction = "高" if d > 0 else "低"
            s = (f"{last}，{lb} 的贫困发生率比 {reference} {direction} {abs(100 * d):.2f} 个百分点"
                 f"{fmt_interval(lo, hi, metric, diff=True)}")
            s += "，差异在模拟噪声之内。" if noise else ("。" if math.isfinite(lo) else "（仅一次重复，无区间）。")
        else:
            direction = "higher" if d > 0 else "lower"
            s = (f"In {last}, the poverty rate under {lb} is {abs(100 * d):.2f} percentage points {direction} than "
                 f"under {reference}{fmt_interval(lo, hi, metric, diff=True)}")
            s += ", within simulation noise." if noise else ("." if math.isfinite(lo) else
                                                             " (one replicate: no interval).")
        out.append(s)
    ce_path = folder / "cost_effectiveness.csv"
    if ce_path.is_file():
        ce = pd.read_csv(ce_path, encoding="utf-8-sig", dtype={"date": str})
        at = ce[ce["date"] == ce["date"].max()]
        for _, row in at[at["scenario"] != at["reference"]].iterrows():
            reading = str(row.get("reading", "")).strip()
            if reading and reading != "nan":
                if lang == "zh":
                    out.append(f"成本效益（{row['scenario']} 相对 {row['reference']}，{row['date']}）："
                               f"{translate(reading, lang)}")
                else:
                    out.append(f"Cost-effectiveness ({row['scenario']} vs {row['reference']}, {row['date']}): {reading}")
            out.extend(_income_per_yuan(row, lang))
    return out


def _income_per_yuan(row, lang: str) -> list[str]:
    """The cohort's extra income per extra fiscal yuan over the completed years (docs/ODD.md §9 gives the range
    the evaluation literature supports for training), when the cost differs and the interval is bounded."""
    per = float(row.get("income_per_fiscal_yuan", math.nan))
    if not math.isfinite(per):
        return []
    lo, hi = float(row.get("income_per_yuan_ci_lo", math.nan)), float(row.get("income_per_yuan_ci_hi", math.nan))
    band = f" [{lo:.1f}, {hi:.1f}]" if math.isfinite(lo) and math.isfinite(hi) else ""
    gain = float(row.get("income_gain", math.nan))
    if lang == "zh":
        return [f"每元财政支出带来的收入（{row['scenario']} 相对 {row['reference']}，至 {row['date']} 的完整年份）："
                f"{per:.1f} 元/元{band}；群体新增收入 {gain / 1e6:+.1f} 百万元（样本户，告警口径）。"]
    return [f"Income per fiscal yuan ({row['scenario']} vs {row['reference']}, calendar years to {row['date']}): "
            f"{per:.1f} yuan of the cohort's income per extra fiscal yuan{band}; extra income {gain / 1e6:+.1f} million "
            f"yuan (simulated households, alert measure)."]


def _question_readings(folder: Path, entries: list[dict], reference: str, table: pd.DataFrame,
                       lang: str) -> list[str]:
    """For each scenario, the outcomes and spending its changed levers drive (what answers its header
    question, :mod:`ruralsim.analysis.question_answers`), at the last date and over the years from 2026."""
    from ..analysis.question_answers import answers, changed_levers, group_answers
    from .labels import programme_label

    fiscal_path = folder / "fiscal_comparison.csv"
    fiscal = pd.read_csv(fiscal_path, encoding="utf-8-sig", dtype={"year": str}) if fiscal_path.is_file() else None
    groups_path = folder / "compare_groups.csv"
    groups = pd.read_csv(groups_path, encoding="utf-8-sig") if groups_path.is_file() else None
    ref = next((e for e in entries if e["label"] == reference), None)
    if ref is None:
        return []
    last = max(table["date"].astype(str))
    zh = lang == "zh"
    out = []
    for e in entries:
        if e["label"] == reference:
            continue
        changed = changed_levers(e.get("overrides") or {}, ref.get("overrides") or {})
        items = answers(table, fiscal, e["label"], last, changed) + group_answers(groups, e["label"], int(last[:4]),
                                                                                   changed)
        if not items:
            continue
        parts = []
        for it in items:
            if it["kind"] == "group":
                group = translate(GROUP_NAMES.get(it["group"], it["group"]), lang)
                name = f"{group}：{label(it['name'], lang)}" if zh else f"{group}: {label(it['name'], lang).lower()}"
                metric = it["name"]
                parts.append(f"{name} {fmt(it['mean'], metric)} ({fmt(it['diff'], metric, diff=True)}"
                             f"{fmt_interval(it['lo'], it['hi'], metric, diff=True)})")
            elif it["kind"] == "metric":
                name, metric = label(it["name"], lang), it["name"]
                parts.append(f"{name} {fmt(it['mean'], metric)} ({fmt(it['diff'], metric, diff=True)}"
                             f"{fmt_interval(it['lo'], it['hi'], metric, diff=True)})")
            else:
                name = programme_label(it["name"], lang)
                what = f"{it['date']} 年{name}支出" if zh else f"spending on {name.lower()} {it['date']}"
                parts.append(f"{what} {fmt(it['diff'], 'fiscal_cost', diff=True)}"
                             f"{fmt_interval(it['lo'], it['hi'], 'fiscal_cost', diff=True)}")
        if zh:
            out.append(f"{e['label']} 的问题（相对 {reference}，{last}；括号内为配对差及95%区间）：" + "；".join(parts) + "。")
        else:
            out.append(f"What answers {e['label']}'s question (against {reference}, {last}; paired difference and "
                       f"95% interval in brackets): " + "; ".join(parts) + ".")
    return out


# ---------------------------------------------------------------------------------------------
# Sweep
# ---------------------------------------------------------------------------------------------
def _sweep_report(folder: Path, manifest: dict[str, Any], lang: str) -> Report:
    exp = (manifest.get("extra") or {}).get("experiment") or {}
    name = exp.get("name") if isinstance(exp, dict) else None
    name = name or folder.name
    source = exp.get("file") if isinstance(exp, dict) else None
    points = folder / "tables" / "point_summary.csv"
    rows, header = [], [TEXT[lang]["metric"], "", ""]
    if points.is_file():
        table = pd.read_csv(points, encoding="utf-8-sig")
        header = [_sweep_column(c, lang) for c in table.columns[:8]]
        for _, r in table.head(20).iterrows():
            rows.append([Cell(fmt(v, c) if isinstance(v, float) else str(v)) for c, v in r.iloc[:8].items()])
    readings = [("每个设计点的结果为各重复均值；完整结果见 `tables/` 与 `runs.parquet`。" if lang == "zh" else
                 "Each design point's outcomes are means across its replicates; full results in tables/ and "
                 "runs.parquet.")]
    return Report("sweep", _title("sweep", name, lang), [{"name": name, "text": header_comment(source, lang) or name}],
                  Headline(header, rows, left=1), "", readings, [], _figures(folder, lang), _repro(manifest, lang))


def _sweep_column(column: str, lang: str) -> str:
    """Header of a point_summary.csv column: a registry name, else (a parameter key) the key itself in code font."""
    from .labels import lookup

    if lookup(column) is not None or column in ("point", "outcome") or lang != "zh":
        return translate(label(column, lang), lang)
    return f"`{column.removesuffix('_scale')}`" + ("（倍数）" if column.endswith("_scale") else "")


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
