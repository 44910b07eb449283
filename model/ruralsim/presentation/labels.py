"""One label registry: every series, table column and figure phrase has one English name, one Chinese
name and one unit, used by figures, table headers, the data dictionary and the reports.

Why one registry: before it, the same fiscal series had different names in two figures (two label
dictionaries). Figures are drawn with the English names from here; in Chinese (``--lang zh``) the
figure writer swaps every text it knows for its Chinese form (:func:`translate`), so a plot function
never needs to know the language.

The language is process-wide (:func:`set_lang`) and is passed to worker processes through the
``RURALSIM_LANG`` environment variable, which they inherit.
"""

from __future__ import annotations

import os
import re

from ..simulation.phases.metrics import RENAMED_METRICS
from .figure_text_zh import PHRASES_ZH, match_pattern
from .label_entries import (  # noqa: F401  (the registry's names, as before the split)
    ALERT_MEASURE, ENV, INCOME_MEASURE, LANGS, Label, MEASURE_NAMES, MEDICAL_NOT_DEDUCTED, NET_OF_MEDICAL,
    REGISTRY_MEASURE, _ENTRIES, current_lang, _HH, _HS, _N, _PP, _R, _Y, _YP, _l, measure_key, with_tag)


REGISTRY: dict[str, Label] = {e.key: e for e in _ENTRIES}

_STATES = {"secure": ("secure", "安全"), "monitored": ("monitored", "监测"), "below": ("below the line", "线下")}
_CAUSES = {"illness": ("Illness (costly episode)", "因病"), "job_loss": ("Job loss", "失业"),
           "price": ("Crop price fall", "农产品价格下跌"), "disaster": ("Village disaster", "灾害"),
           "support_end": ("Support withdrawn (but-for)", "帮扶退出"), "other": ("Other (no recent shock)", "其他")}
_SUFFIXES = (("_ci_lo", "95% interval of the mean, lower", "均值95%区间下限"),
             ("_ci_hi", "95% interval of the mean, upper", "均值95%区间上限"))


def lookup(key: str) -> Label | None:
    """The label of ``key``, including generated families (``tr_a_b``, ``falls_<cause>``, ``*_ci_lo``)."""
    if key in REGISTRY:
        return REGISTRY[key]
    if key in RENAMED_METRICS:  # a folder written before the rename reads under the new name's label
        return lookup(RENAMED_METRICS[key])
    m = re.fullmatch(r"tr_(secure|monitored|below)_(secure|monitored|below)", key)
    if m:
        (a_en, a_zh), (b_en, b_zh) = _STATES[m[1]], _STATES[m[2]]
        return Label(key, f"Transitions {a_en} -> {b_en}", f"状态转移：{a_zh}→{b_zh}", *_HH,
                     f"Household-months moving from {a_en} to {b_en}", INCOME_MEASURE)
    m = re.fullmatch(r"falls_(\w+)", key)
    if m and m[1] in _CAUSES:
        en, zh = _CAUSES[m[1]]
        return Label(key, f"Falls: {en}", f"返贫：{zh}", *_HH, f"Falls below the line blamed on {en.lower()}", INCOME_MEASURE)
    for suffix, en, zh in _SUFFIXES:
        if key.endswith(suffix) and (base := lookup(key.removesuffix(suffix))) is not None:
            return Label(key, f"{base.en}: {en}", f"{base.zh}：{zh}", base.unit, base.unit_zh,
                         f"{base.definition}: {en}", base.measure)
    for suffix, (en, zh) in sorted(_STATISTICS.items(), key=lambda kv: -len(kv[0])):  # sweep outcomes
        if key.endswith("_" + suffix) and (base := lookup(key.removesuffix("_" + suffix))) is not None:
            return Label(key, f"{base.en}, {en}", f"{base.zh}，{zh}", base.unit, base.unit_zh,
                         f"{base.definition}, {en}", base.measure)
    return None


#: Statistics of a sweep outcome ``<series>_<statistic>`` (:mod:`ruralsim.analysis.sweep.outcomes`).
_STATISTICS = {
    "end": ("in the last month", "末月"), "last12": ("mean of the last 12 months", "最后12个月均值"),
    "mean": ("mean over the run", "全期均值"), "max": ("maximum over the run", "全期最大值"),
    "min": ("minimum over the run", "全期最小值"), "sum": ("total over the run", "全期合计"),
    "transition_end": ("in the last month of the transition", "过渡期末月"),
    "after_transition": ("mean over the months after the transition", "过渡期后各月均值"),
}


def label(key: str, lang: str | None = None) -> str:
    """Name of ``key`` in the language (a readable fallback when unknown)."""
    entry = lookup(key) or lookup(f"fiscal_{key}")
    return entry.name(lang) if entry else key.replace("_", " ").capitalize()


def programme_label(programme: str, lang: str | None = "en") -> str:
    """Label of a fiscal programme given as ``fiscal_<name>`` or ``<name>`` (one name everywhere)."""
    return label("fiscal_" + programme.removeprefix("fiscal_"), lang)


def unit(key: str, lang: str | None = None) -> str:
    entry = lookup(key)
    return entry.unit_in(lang) if entry else ""


# ---------------------------------------------------------------------------------------------
# Language
# ---------------------------------------------------------------------------------------------
def set_lang(lang: str) -> None:
    """Set the language of figures and reports for this process and the workers it starts."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} not in {LANGS}")
    os.environ[ENV] = lang


# ---------------------------------------------------------------------------------------------
# Figure phrases: English text drawn by the figure code -> Chinese
# ---------------------------------------------------------------------------------------------
#: Whole texts of figures (titles, axis labels, legend entries) beyond the series names above.
PHRASES: dict[str, str] = {
    "Household income of the formerly-poor cohort": "脱贫人口家庭收入",
    "Per-capita net income by source": "人均纯收入构成",
    "Wages": "工资性收入",  # the sources' short names in the income figure (their panel says what is deducted)
    "Farm & business operation": "经营净收入",
    "Transfers": "转移净收入",
    "Property & dividends": "财产净收入",
    "Per-capita net income, total": "人均纯收入合计",
    "Mean (sources net of medical costs)": "均值（扣除医疗支出）",
    "Median": "中位数",
    "Return to poverty and dynamic monitoring": "返贫与动态监测",
    "People below the poverty line": "贫困线以下人口",
    "Currently below": "当前低于贫困线",
    "Ever fell below since start": "起始以来曾低于贫困线",
    "Monitored households": "监测户",
    "Risk eliminated": "风险已消除",
    "Employment and fiscal cost": "就业与财政支出",
    "Employment of labourers": "劳动力就业",
    "Fiscal cost by programme per year (mean across replicates)": "各项目年度财政支出（各重复均值）",
    "Cohesion-fund budget (caps the fund-financed programmes)": "衔接资金预算（约束衔接资金项目）",
    "Fund-financed sub-total (hatched)": "衔接资金项目小计（斜线）",
    "Total: range across replicates": "合计：重复间范围",
    "Poverty line": "贫困线",
    "Monitoring line": "监测线",
    "end of transition": "过渡期结束",
    "Distribution of per-capita income (people-weighted, all replicates pooled)": "人均纯收入分布（按人口加权，合并各重复）",
    "Per-capita net income (yuan per person per year)": "人均纯收入（元/人/年）",
    "% of people": "% 人口",
    "% of households": "% 户数",
    "% of labourers employed": "% 劳动力就业",
    "% of labourers": "% 劳动力",
    "% (risk-eliminated share)": "%（风险消除比例）",
    "% of ever-monitored households": "% 曾监测户",
    "yuan per person per year": "元/人/年",
    "yuan per year": "元/年",
    "million yuan per year": "百万元/年",
    "thousand yuan per year": "千元/年",
    "billion yuan per year": "十亿元/年",
    "million yuan": "百万元",
    "households": "户",
    "villages": "村",
    "* partial year": "* 不完整年份",
    "* partial year (months simulated only)": "* 不完整年份（仅模拟月份）",
    "not in this run": "本次运行无此项",
    "Secure": "安全",
    "Monitored\n(above line)": "监测中\n（线上）",
    "Below the\npoverty line": "贫困线\n以下",
    "Fiscal cost and budget": "财政支出与预算",
    "Places that differ: income and return to poverty by group": "地区差异：分组收入与返贫",
    "Key counties": "重点帮扶县",
    "Other counties": "其他县",
    "East": "东部",
    "Central": "中部",
    "West": "西部",
    "Relocated": "易地搬迁户",
    "Not relocated": "非搬迁户",
    "Key vs other counties": "重点帮扶县与其他县",
    "East, central, west": "东部、中部、西部",
    "Relocated or not": "是否易地搬迁",
    "Per-capita income (yuan per person per year)": "人均收入（元/人/年）",
    "% of people below the line (registry)": "% 人口低于贫困线（建档口径）",
    "Difference from the reference by place group": "各地区分组与参照情景之差",
    "Per-capita income: paired difference (yuan)": "人均收入：配对差（元）",
    "Poverty rate (registry): paired difference (percentage points)": "贫困发生率（建档口径）：配对差（百分点）",
}

#: Parts of longer texts (notes, legends with numbers), replaced longest first.
FRAGMENTS: dict[str, str] = {
    "95% interval of the mean across replicates": "各重复均值的95%置信区间",
    "paired difference from the reference, 95% paired interval": "与参照情景的配对差及95%配对区间",
    "lines: mean across replicates": "线：各重复均值",
    "shaded": "阴影",
    "replicates": "次重复",
    "replicate": "次重复",
    "households": "户",
    "scenario": "情景",
    "scenarios": "情景",
    "reference": "参照",
    "paired": "配对",
    "seed": "种子",
    "median": "中位数",
    "below poverty line": "低于贫困线",
    "yuan": "元",
    "x axis clipped at": "横轴截断于",
    "(99th percentile)": "（第99百分位）",
    "of people above": "人口高于此值",
    "Poverty line": "贫困线",
    "Monitoring line": "监测线",
}


def _phrase_table() -> dict[str, str]:
    table = {e.en: e.zh for e in _ENTRIES if e.en != e.zh}
    for key in ("tr_secure_below", *(f"falls_{c}" for c in _CAUSES)):
        if (e := lookup(key)) is not None:
            table[e.en] = e.zh
    for en, zh in _CAUSES.values():
        table.setdefault(en, zh)
    table.update(PHRASES)
    table.update(PHRASES_ZH)
    return table


_TABLE = _phrase_table()
_FRAG_RE = re.compile("|".join(re.escape(k) for k in sorted(FRAGMENTS, key=len, reverse=True)))


#: Separators of the parts of a composed text, each translated whole, and their Chinese form.
_SEPARATORS = (("\n", "\n"), (" · ", " · "), ("; ", "；"))


def _to_zh(text: str) -> str:
    return translate(text, "zh")


def translate(text: str, lang: str | None = None) -> str:
    """A figure text in the language: a known whole text or pattern (:mod:`.figure_text_zh`), else its
    lines and `` · ``/``;``-separated parts translated whole, else (last resort) its known fragments."""
    if (lang or current_lang()) != "zh" or not text or not any("a" <= c.lower() <= "z" for c in text):
        return text
    if text in _TABLE:
        return _TABLE[text]
    stripped = text.strip()
    if stripped in _TABLE:
        return text.replace(stripped, _TABLE[stripped])
    for sep, sep_zh in _SEPARATORS:  # lines and note parts first: a pattern reads one sentence
        if sep == "; " and (found := match_pattern(stripped, _to_zh)) is not None:
            return text.replace(stripped, found)
        if sep in stripped:
            return text.replace(stripped, sep_zh.join(translate(part, "zh") for part in stripped.split(sep)))
    if (found := match_pattern(stripped, _to_zh)) is not None:
        return text.replace(stripped, found)
    return _FRAG_RE.sub(lambda m: FRAGMENTS[m[0]], text)
