"""The pieces every report is made of: its words in both languages (:data:`TEXT`, :data:`BANDS`,
:data:`CAPTIONS`), the report's data (:class:`Report`, its cells and headline), and the readers of a folder
(manifest, question, numbers formatted with their unit, parameters that differ, figures).

Shared by :mod:`.report` (run reports, rendering) and :mod:`.report_comparison` (comparison and sweep
reports); every name here is also importable from :mod:`.report`."""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import units
from .labels import current_lang


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
                  "monitoring line to identification. The December check of a year identifies its households "
                  "monitoring.annual_check_delay months later (January by default); the end-2020 check's households are monitored from the start (2020-12), so 2021 "
                  "has no annual-check bar. Counts are households of the sample.",
                  "精准识别（建档口径）：每年12月建档口径贫困线以下户数，及其在次年3月前是否已纳入监测或兜底"
                  "（targeting.csv：below_assisted、below_missed）；当年按渠道识别的户数（年度收入核查、农户自主申报、"
                  "基层干部排查、部门筛查预警），以及自首次低于监测线至识别的月数中位数。"
                  "某年12月核查的识别户于monitoring.annual_check_delay个月后纳入（默认次年1月）；2020年底核查的识别户自起点（2020年12月）起即为监测对象，"
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
# Shared pieces
# ---------------------------------------------------------------------------------------------
def plots_folder(lang: str) -> str:
    """The figures a report of ``lang`` shows (:func:`ruralsim.presentation.run_plots.language_path`)."""
    return "plots_zh" if lang == "zh" else "plots"


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
    from ..simulation.inputs.config import SCENARIO_DIR, load_scenario
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


def _scale(manifest: dict[str, Any], by: pd.DataFrame) -> units.Scale | None:
    """The run's scale from its simulated people and households (their first summary date)."""
    def first(metric: str) -> float:
        rows = by.xs(metric, level=0) if metric in by.index.get_level_values(0) else None
        return float(rows["mean"].iloc[0]) if rows is not None and len(rows) else 0.0

    return units.scale_of(manifest, first("people"), first("households"))


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
