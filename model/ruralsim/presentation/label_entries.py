"""The label registry's entries: every series, table column and figure phrase with its English name,
Chinese name, unit and definition (:class:`Label`), and the words that say which poverty measure a
number is on. Data, kept apart from the lookups and translation in :mod:`.labels`, which re-exports it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


LANGS = ("en", "zh")
ENV = "RURALSIM_LANG"

#: Which poverty measure a column counts (the data dictionary says it per column). Every label with a
#: measure carries its name in both languages (:data:`MEASURE_NAMES`), added when the label is made, so
#: a new series gets it by declaring ``measure=`` and nothing else.
INCOME_MEASURE = ("alert measure: rolling 12-month per-capita income net of medical out-of-pocket costs, tested "
                  "monthly against the year's line (the signal monitoring acts on)")
REGISTRY_MEASURE = ("registry measure: calendar-year per-capita net income (all sources, transfers included, medical "
                    "costs not deducted), tested once a year against the year's poverty line")


ALERT_MEASURE = INCOME_MEASURE
#: measure -> (English name, Chinese name): one term each, used in every name, title and dictionary row.
MEASURE_NAMES = {"registry": ("registry", "建档口径"), "alert": ("alert", "预警口径")}

#: What an income column deducts, said in its name (English, Chinese): the two measures differ in it.
NET_OF_MEDICAL = ("net of medical costs", "扣除自付医疗支出")
MEDICAL_NOT_DEDUCTED = ("medical costs not deducted", "未扣除医疗支出")


def current_lang() -> str:
    """The process's language (``RURALSIM_LANG``, inherited by worker processes): "en" or "zh"."""
    lang = os.environ.get(ENV, "en")
    return lang if lang in LANGS else "en"


def measure_key(measure: str) -> str:
    """``registry``, ``alert`` or "" for a label's measure text."""
    return next((k for k in MEASURE_NAMES if measure.startswith(k)), "")


def with_tag(name: str, tag: str, zh: bool) -> str:
    """``name`` with ``tag`` said in its last parenthesis, or in a new one (unless it already says it)."""
    if not tag or tag.lower() in name.lower():
        return name
    close, open_, sep = ("）", "（", "，") if zh else (")", " (", "; ")
    if name.endswith(close):
        return name[:-1] + sep + tag + close
    return name + open_ + tag + close


@dataclass(frozen=True)
class Label:
    """A series or column: its English and Chinese names, unit (both languages) and definition.

    A label with a ``measure`` names it in both languages (``Fall rate (alert)``, ``返贫率（预警口径）``),
    so no table, figure or page can show a poverty number without saying which measure it counts."""

    key: str
    en: str
    zh: str
    unit: str = ""
    unit_zh: str = ""
    definition: str = ""
    measure: str = ""

    def __post_init__(self) -> None:
        en, zh = MEASURE_NAMES.get(measure_key(self.measure), ("", ""))
        object.__setattr__(self, "en", with_tag(self.en, en, zh=False))
        object.__setattr__(self, "zh", with_tag(self.zh, zh, zh=True))

    @property
    def measure_name(self) -> str:
        """``registry (建档口径)``, ``alert (预警口径)`` or ""."""
        en, zh = MEASURE_NAMES.get(measure_key(self.measure), ("", ""))
        return f"{en} ({zh})" if en else ""

    def name(self, lang: str | None = None) -> str:
        return self.zh if (lang or current_lang()) == "zh" else self.en

    def unit_in(self, lang: str | None = None) -> str:
        return self.unit_zh if (lang or current_lang()) == "zh" else self.unit


# unit shorthands: (English, 中文)
_PP = ("share of people (0-1)", "人口占比（0–1）")
_HS = ("share of households (0-1)", "户数占比（0–1）")
_YP = ("yuan per person per year", "元/人/年")
_HH = ("households", "户")
_Y = ("yuan", "元")
_N = ("count", "个")
_R = ("rate per household-year (0-1)", "每户年比率（0–1）")


def _l(key: str, en: str, zh: str, unit: tuple[str, str] = ("", ""), definition: str = "", measure: str = "") -> Label:
    return Label(key, en, zh, unit[0], unit[1], definition or en, measure)


_ENTRIES: tuple[Label, ...] = (
    # --- keys of tidy tables ---
    _l("date", "Month", "月份", ("YYYY-MM (ISO 8601)", "年-月（ISO 8601）"), "Calendar month the value refers to"),
    _l("year", "Year", "年份", ("calendar year", "公历年"), "Calendar year the value refers to"),
    _l("months", "Months simulated", "模拟月数", ("months", "月"), "Months of the year that were simulated"),
    _l("replicate", "Replicate", "重复编号", ("index", "序号"), "Replicate index (same index = same random draws in every scenario)"),
    _l("metric", "Metric", "指标", ("key", "键"), "Key of the metric (see this dictionary for its meaning)"),
    _l("measure", "Measure", "测度", ("key", "键"), "Key of the measure (see this dictionary for its meaning)"),
    _l("title", "Title", "标题", ("text", "文本"), "Readable name of the metric"),
    _l("unit", "Unit", "单位", ("text", "文本"), "Unit of the stored value"),
    _l("scenario", "Scenario", "情景", ("name", "名称"), "Scenario label"),
    _l("reference", "Reference scenario", "参照情景", ("name", "名称"), "Scenario the differences are taken from"),
    _l("programme", "Programme", "项目", ("key", "键"), "Spending programme (fiscal_<name>) or total"),
    _l("period", "Period", "时期", ("text", "文本"), "Years covered"),
    _l("cause", "Cause", "致贫原因", ("key", "键"), "Shock blamed for a fall below the line"),
    _l("from", "From state", "起始状态", ("key", "键"), "State at the start of the month (secure, monitored, below)"),
    _l("to", "To state", "结束状态", ("key", "键"), "State at the end of the month"),
    _l("label", "Label", "标签", ("text", "文本"), "Readable name of the row"),
    _l("county", "County", "县", ("index", "序号"), "County index"),
    _l("village", "Village", "村", ("index", "序号"), "Village index"),
    _l("case", "Case", "情形", ("key", "键"), "Which cost-effectiveness case applies (see reading)"),
    _l("reading", "Reading", "解读", ("text", "文本"), "Plain-language reading of the row"),
    # --- summary statistics ---
    _l("mean", "Mean across replicates", "各重复均值", ("unit of the metric", "同指标单位"), "Mean across replicates"),
    _l("lo", "2.5th percentile across replicates", "重复间2.5%分位", ("unit of the metric", "同指标单位"),
       "2.5th percentile of the replicate values (spread of single runs)"),
    _l("hi", "97.5th percentile across replicates", "重复间97.5%分位", ("unit of the metric", "同指标单位"),
       "97.5th percentile of the replicate values (spread of single runs)"),
    _l("ci_lo", "95% interval of the mean, lower", "均值95%区间下限", ("unit of the metric", "同指标单位"),
       "Lower end of the Student-t 95% interval of the mean across replicates"),
    _l("ci_hi", "95% interval of the mean, upper", "均值95%区间上限", ("unit of the metric", "同指标单位"),
       "Upper end of the Student-t 95% interval of the mean across replicates"),
    _l("n", "Replicates", "重复次数", _N, "Replicates used"),
    _l("diff_mean", "Paired difference from reference", "与参照情景的配对差", ("unit of the metric", "同指标单位"),
       "Mean over replicates of (scenario - reference), replicate by replicate"),
    _l("diff_ci_lo", "Paired difference, 95% interval lower", "配对差95%区间下限", ("unit of the metric", "同指标单位"),
       "Lower end of the paired Student-t 95% interval of the difference"),
    _l("diff_ci_hi", "Paired difference, 95% interval upper", "配对差95%区间上限", ("unit of the metric", "同指标单位"),
       "Upper end of the paired Student-t 95% interval of the difference"),
    # --- drivers and robustness of a comparison (compare_drivers.csv, compare_robustness*.csv; ODD §8.5) ---
    _l("outcome", "Headline outcome", "核心结果指标", ("key", "键"),
       "Key of the headline outcome explained (poverty_rate_registry, registry_income, monitored_people_share, "
       "fiscal_cost_per_person; its unit is in the row's unit column)"),
    _l("term", "Term", "分解项", ("name", "名称"),
       "A lever (scenario-file section, or a shock), 'interaction' (total minus the levers' sum) or 'total'"),
    _l("kind", "Kind", "类型", ("key", "键"),
       "Kind of row: in compare_drivers.csv lever, interaction or total; in validation.csv the target's kind "
       "(equal, at_least, at_most)"),
    _l("keys", "Parameters of the lever", "杠杆包含的参数", ("dotted keys", "参数键"),
       "The scenario-file keys the lever sets (space-separated)"),
    _l("share_of_total", "Share of the total effect", "占合计效应比例", ("ratio", "比值"),
       "The term's mean over the total's mean (empty when the total is 0; can be negative or above 1)"),
    _l("assumption", "Assumption", "假设", ("name", "名称"),
       "Name of the assumption in assumptions.toml, or 'central' for the declared values"),
    _l("side", "Side", "取值端", ("key", "键"), "low, high, or central"),
    _l("setting", "Setting", "设定", ("text", "文本"), "The parameter values the assumption takes on this side"),
    _l("central_diff", "Difference at the declared values", "设定取值下的配对差", ("unit of the outcome", "同结果指标单位"),
       "Paired difference from the reference at the declared values, at the robustness runs' size"),
    _l("central_half_width", "Half-width of its 95% interval", "其95%区间半宽", ("unit of the outcome", "同结果指标单位"),
       "Half-width of the paired Student-t 95% interval of the difference at the declared values"),
    _l("shift", "Shift from the declared values", "相对设定取值的变动", ("unit of the outcome", "同结果指标单位"),
       "The difference under this setting minus the difference at the declared values"),
    _l("moves_beyond_half_width", "Moves beyond the half-width", "变动超出区间半宽", ("true/false", "是/否"),
       "Whether the shift (or, in the verdicts, any shift) exceeds the half-width of the central interval"),
    _l("same_sign", "Same sign as at the declared values", "与设定取值同号", ("true/false", "是/否"),
       "Whether the difference under this setting has the sign of the difference at the declared values"),
    _l("clear", "Clear at the declared values", "设定取值下明确", ("true/false", "是/否"),
       "Whether the paired interval at the declared values excludes 0"),
    _l("holds", "Holds under every assumption", "在每项假设下成立", ("true/false", "是/否"),
       "Whether the sign at the declared values is the sign under every assumption's low and high"),
    _l("reversed_by", "Reversed by", "使方向逆转的设定", ("assumption:side list", "假设:取值端列表"),
       "Settings under which the sign reverses (semicolon-separated)"),
    _l("largest_mover", "Largest mover", "影响最大的设定", ("assumption:side", "假设:取值端"),
       "The setting with the largest shift"),
    _l("largest_shift", "Largest shift", "最大变动", ("unit of the outcome", "同结果指标单位"), "The largest shift (signed)"),
    _l("verdict", "Verdict", "结论", ("text", "文本"), "One sentence: the answer holds, or what reverses it"),
    _l("verdict_zh", "Verdict (Chinese)", "结论（中文）", ("text", "文本"), "The verdict in Chinese"),
    # --- population and poverty ---
    _l("migrant_vacancies", "Migrant vacancies for the cohort", "外出务工岗位数", ("jobs", "个"),
       "Migrant jobs open to the cohort this month (the market's capacity)"),
    _l("migrant_find_rate", "Migrant job-finding rate", "外出务工求职成功率", ("per month (0-1)", "每月（0–1）"),
       "Monthly probability that a seeker of reference weight finds a migrant job (vacancies shared among seekers)"),
    _l("households", "Households simulated", "模拟户数", _HH, "Households in the simulated cohort"),
    _l("people", "People simulated", "模拟人口", ("people", "人"), "People in the simulated households"),
    _l("poverty_rate_alert", "Poverty rate (alert)", "贫困发生率（预警口径）", _PP,
       "Share of people whose rolling 12-month per-capita income net of medical costs is below the poverty line",
       INCOME_MEASURE),
    _l("poverty_rate_registry", "Poverty rate (registry)", "贫困发生率（建档口径）", _PP,
       "Share of people whose per-capita net income of the last completed calendar year was below that year's "
       "poverty line", REGISTRY_MEASURE),
    _l("registry_income", "Registry income (calendar year, medical costs not deducted)", "建档口径收入（公历年，未扣除医疗支出）", _YP,
       "Mean per-capita net income of the last completed calendar year (all sources, medical costs not deducted)",
       REGISTRY_MEASURE),
    _l("ever_below_registry_share", "Ever below the line since 2021 (registry)", "2021年以来曾低于贫困线（建档口径）", _HS,
       "Share of households whose calendar-year income was below the line in at least one year since 2021",
       REGISTRY_MEASURE),
    _l("households_below_registry", "Households below the line (registry)", "低于贫困线户数（建档口径）", _HH,
       "Households whose last completed calendar year's per-capita income was below that year's poverty line",
       REGISTRY_MEASURE),
    _l("people_now", "People alive", "现有人口", ("people", "人"),
       "People in the cohort alive this month (rates use it as denominator)"),
    _l("dibao_people", "People in 低保", "低保人数", ("people", "人"),
       "People covered by the minimum living guarantee (低保), household-wide or individual (单人保)"),
    _l("tekun_people", "People in 特困 support", "特困供养人数", ("people", "人"),
       "People in extreme-poverty support (特困供养)"),
    _l("safety_net_share", "People in 低保 or 特困", "低保或特困覆盖人口占比", _PP,
       "Share of people covered by 低保 or 特困 (兜底)"),
    _l("chronic_share", "Households with chronic illness", "有慢性病户占比", _HS,
       "Share of households with a chronically ill member"),
    _l("below_poverty_line", "Households below the poverty line", "低于贫困线户数", _HH,
       "Households whose per-capita income is below the poverty line", INCOME_MEASURE),
    _l("households_below", "Households below the poverty line", "低于贫困线户数", _HH,
       "Households whose per-capita income is below the poverty line", INCOME_MEASURE),
    _l("people_below_poverty_line", "People below the poverty line", "低于贫困线人口", ("people", "人"),
       "People in households below the poverty line", INCOME_MEASURE),
    _l("below_monitoring_line", "Below the monitoring line", "低于监测线", _PP,
       "Share of people below the monitoring line (above which no household is flagged)", INCOME_MEASURE),
    _l("ever_fallen_share", "Ever fell below the poverty line since 2021", "2021年以来曾返贫", _HS,
       "Share of households that fell below the poverty line at least once since the start", INCOME_MEASURE),
    _l("share_below", "Share below the poverty line", "低于贫困线占比", _PP, "Share below the poverty line", INCOME_MEASURE),
    _l("share_below_registry", "Share of households below the line (registry)", "低于贫困线户占比（建档口径）", _HS,
       "Share of households whose last calendar-year income was below that year's line", REGISTRY_MEASURE),
    _l("falls", "Falls below the poverty line", "返贫（跌破贫困线）户数", _HH,
       "Households that crossed from above to below the poverty line in the period", INCOME_MEASURE),
    _l("falls_all", "Falls below the line, all causes", "返贫户数（全部原因）", _HH, "Falls of all causes", INCOME_MEASURE),
    _l("reentries", "Re-entries below the line", "再次返贫户数", _HH,
       "Falls of households that had been below the line before", INCOME_MEASURE),
    _l("recoveries", "Recoveries above the line", "脱贫（回到线上）户数", _HH, "Crossings from below to above the line", INCOME_MEASURE),
    _l("fall_rate", "Fall rate", "返贫率", _R, "Falls per household-year above the line", INCOME_MEASURE),
    _l("reentry_rate", "Re-entry rate", "再返贫率", _R, "Re-entries per household-year of those who had recovered", INCOME_MEASURE),
    _l("recovery_rate", "Recovery rate", "脱贫率", _R, "Recoveries per household-year below the line", INCOME_MEASURE),
    _l("reentry_share_of_falls", "Re-entries as share of falls", "再返贫占返贫比重", ("share (0-1)", "占比（0–1）"),
       "Re-entries divided by all falls", INCOME_MEASURE),
    _l("share_of_falls", "Share of falls", "占返贫比重", ("share (0-1)", "占比（0–1）"), "Share of all falls", INCOME_MEASURE),
    _l("per_1000_households", "Per 1,000 households", "每千户", ("per 1,000 households", "每千户"), "Count per 1,000 households"),
    _l("spells", "Spells below the line", "贫困持续段数", _N, "Spells below the poverty line of that length", INCOME_MEASURE),
    _l("probability", "Probability", "概率", ("share (0-1)", "占比（0–1）"), "Probability"),
    _l("cum_share", "Cumulative share", "累计占比", ("share (0-1)", "占比（0–1）"), "Cumulative share of spells"),
    _l("share", "Share", "占比", ("share (0-1)", "占比（0–1）"), "Share of the row's total"),
    _l("transitions", "Transitions", "状态转移数", _HH, "Household-months moving from one state to another"),
    _l("spell_months", "Spell length", "持续月数", ("months", "月"), "Length of a spell below the line"),
    _l("mass_return", "Mass return", "规模性返贫", ("true/false", "是/否"),
       "Village meets the mass-return rule (A10): registry share below the line at or above the threshold",
       REGISTRY_MEASURE),
    _l("mass_return_villages", "Villages with mass return (A10)", "规模性返贫村数", ("villages", "村"),
       "Villages where the share of households below the line (registry) reaches the A10 threshold", REGISTRY_MEASURE),
    # --- monitoring ---
    _l("monitored_households", "Households under monitoring", "监测户数", _HH,
       "Households flagged by dynamic monitoring (防返贫动态监测) this month"),
    _l("ever_monitored_households", "Households ever identified since 2021", "2021年以来曾识别为监测对象户数", _HH,
       "Households identified by monitoring at least once since 2021-01"),
    _l("monitored_people_share", "People under monitoring", "监测对象人口占比", _PP,
       "Share of people in households under monitoring (the caseload; P29 ≈ 3%)"),
    _l("monitored_illness_share", "Monitored with an illness risk", "监测户中因病风险占比", _HS,
       "Share of households identified since 2021 whose risk involved costly illness (P30)"),
    _l("monitored", "Monitored", "监测中", _HH, "Households under monitoring"),
    _l("detected", "Detected", "识别纳入", _HH, "Households newly detected and put under monitoring"),
    # --- identification by channel and targeting (issue 21; targeting.csv) ---
    *(_l(f"identified_{k}", f"Identified by {en}", f"{zh}识别户数", _HH,
         f"Households identified this month by {en} (simulation/phases/identification.py)")
      for k, en, zh in (("annual_check", "the annual income check", "年度收入核查"),
                        ("self_report", "their own report", "农户自主申报"),
                        ("cadre_screening", "cadres' visits", "基层干部排查"),
                        ("data_screening", "departments' data", "部门筛查预警"))),
    _l("median_months_to_identification", "Median months to identification", "识别等待月数中位数", ("months", "月"),
       "Median months from the first month under the monitoring line (rolling income) to identification, "
       "households identified in the calendar year so far", INCOME_MEASURE),
    _l("below_assisted", "Below the line (registry) and assisted", "建档口径贫困线以下且已纳入监测或兜底户数", _HH,
       "Households below the registry line that are monitored or under 低保/特困/单人保 (targeting.csv reads March's, "
       "after the December check)", REGISTRY_MEASURE),
    _l("below_missed", "Below the line (registry) and missed", "建档口径贫困线以下且未纳入户数", _HH,
       "Households below the registry line at the December check that are neither monitored nor under 兜底 by "
       "the following March", REGISTRY_MEASURE),
    _l("below_missed_share", "Share of those below the line (registry) missed", "建档口径贫困线以下户遗漏比例",
       ("share (0-1)", "占比（0–1）"), "below_missed / households_below_registry", REGISTRY_MEASURE),
    _l("monitored_above_line", "Monitored, registry income above the monitoring line", "监测户中建档口径收入高于监测线户数",
       _HH, "Monitored households whose last calendar-year income per person is above the monitoring line (leakage, "
       "not an error by itself: assistance lifted them)", REGISTRY_MEASURE),
    *(_l(f"identified_by_channel_{k}", f"Identified in the year: {en}", f"当年识别户数：{zh}", _HH,
         f"Households identified in the calendar year by {en}")
      for k, en, zh in (("annual", "the annual income check", "年度收入核查"),
                        ("triggers", "triggers (own report and cadres' visits)", "触发识别（自主申报与干部排查）"),
                        ("data", "departments' data", "部门筛查预警"),
                        ("self_report", "their own report", "农户自主申报"),
                        ("cadre_screening", "cadres' visits", "基层干部排查"))),
    _l("replicates", "Replicates", "重复次数", ("runs", "次运行"), "Replicates the row's means are taken over"),
    _l("ever_monitored", "Ever monitored", "曾被监测", _HH, "Households ever under monitoring"),
    _l("ever_monitored_share", "Households ever monitored", "曾被监测户占比", _HS, "Share of households ever monitored"),
    _l("risk_eliminated_share", "Monitored households with risk eliminated", "监测户风险消除比例",
       ("share of ever monitored (0-1)", "占曾监测户（0–1）"), "Share of ever-monitored households whose risk is marked eliminated"),
    _l("monitoring_line", "Monitoring line", "监测线", _YP, "Income line below which households are flagged"),
    _l("poverty_line", "Poverty line", "贫困线", _YP, "Poverty line of the year (prices of the year)"),
    _l("dibao_households", "Dibao households", "低保户数", _HH, "Households receiving the minimum living allowance (低保)"),
    _l("support_level", "Targeted support level", "帮扶力度", ("share of transition level", "相对过渡期水平"),
       "Level of targeted support relative to the transition period"),
    # --- the regime after 2025 (issue 13): each programme's level, households by category ---
    *(_l(f"level_{k}", f"Level: {en}", f"力度：{zh}", ("x declared level", "相对设定水平"),
         f"Level of {en.lower()} this month (programmes.{k}; before its path, the transition's level or 1)")
      for k, en, zh in (("subsidies", "Targeted subsidies", "精准帮扶补贴"), ("industry", "Industry support", "产业帮扶"),
                        ("training", "Skills training", "技能培训"), ("posts", "Public-welfare posts", "公益岗位"),
                        ("workshops", "Workshop job subsidies", "帮扶车间就业补贴"),
                        ("dividend_subsidy", "Dividend guarantee", "分红保底补贴"),
                        ("medical", "Medical tiers", "医疗保障倾斜"), ("dibao", "Dibao and tekun standards", "低保特困标准"),
                        ("temporary", "Temporary assistance", "临时救助"), ("monitoring", "Monitoring detection", "监测识别"))),
    _l("households_able", "Households able to work", "有劳动能力户", _HH,
       "Households with a full labourer (category able to work, 分层分类)"),
    _l("households_partly_able", "Households partly able to work", "弱劳动能力户", _HH,
       "Households whose labourers are all weak (category partly able)"),
    _l("households_not_able", "Households not able to work", "无劳动能力户", _HH,
       "Households without a labourer (category not able; 兜底 package from 2026)"),
    _l("households_rigid_risk", "Households with rigid-spending risk", "刚性支出风险户", _HH,
       "Households with a chronically ill or disabled member or a costly illness in the last 12 months"),
    # --- income ---
    _l("income", "Per-capita net income (net of medical costs)", "人均纯收入（扣除自付医疗支出）", _YP,
       "Per-capita net income of a household, rolling 12 months, net of medical out-of-pocket costs (the alert "
       "measure's income)", INCOME_MEASURE),
    _l("size", "Household size", "家庭人口", ("people", "人"), "People in the household"),
    _l("mean_income", "Mean per-capita income (net of medical costs)", "人均收入均值（扣除自付医疗支出）", _YP,
       "People-weighted mean per-capita income, rolling 12 months, all sources net of medical out-of-pocket costs "
       "(the alert measure's income; the registry's 纯收入 does not deduct them: registry_income)", INCOME_MEASURE),
    _l("median_income", "Median per-capita income (net of medical costs)", "人均收入中位数（扣除自付医疗支出）", _YP,
       "People-weighted median per-capita income, rolling 12 months, net of medical out-of-pocket costs", INCOME_MEASURE),
    _l("wage_income", "Wages (before medical costs)", "工资性收入（未扣除医疗支出）", _YP,
       "Wage income per person (a source of both measures' income; medical costs not deducted)"),
    _l("operating_income", "Farm & business operation (before medical costs)", "经营净收入（未扣除医疗支出）", _YP,
       "Net farm and business income per person (a source of both measures' income; medical costs not deducted)"),
    _l("transfer_income", "Transfers (before medical costs)", "转移净收入（未扣除医疗支出）", _YP,
       "Public transfers per person (a source of both measures' income; medical costs not deducted)"),
    _l("property_income", "Property & dividends (before medical costs)", "财产净收入（未扣除医疗支出）", _YP,
       "Property income and cooperative dividends per person (a source of both measures' income; medical costs "
       "not deducted)"),
    _l("medical_oop", "Medical out-of-pocket (deducted)", "自付医疗支出（扣除）", _YP, "Medical costs paid by the household, deducted from income"),
    _l("crop_price", "Crop price index", "农产品价格指数", ("index, 2020 = 1", "指数，2020=1"), "Farm-gate price index"),
    _l("dividends_paid", "Dividends paid", "分红支付", _Y, "Cooperative dividends paid this month"),
    # --- labour ---
    _l("labourers", "Labourers", "劳动力", ("people", "人"), "Working-age labourers"),
    _l("employed_labourers", "Employed labourers", "就业劳动力", ("people", "人"), "Labourers with a job this month"),
    _l("employed_national", "Employed (national scale)", "就业人数（全国口径）", ("people", "人"), "Employed labourers scaled to the national cohort"),
    _l("employment_rate", "Employment rate", "就业率", ("share of labourers (0-1)", "占劳动力（0–1）"), "Share of labourers employed"),
    _l("migrant_labourers", "Migrant labourers", "外出务工劳动力", ("people", "人"), "Labourers working away from home"),
    _l("post_labourers", "Public-welfare post holders", "公益岗位人数", ("people", "人"), "Labourers in public-welfare posts"),
    _l("workshop_labourers", "Workshop workers", "帮扶车间就业人数", ("people", "人"), "Labourers in assisted workshops"),
    _l("trained_share", "Trained labourers", "培训劳动力占比", ("share of labourers (0-1)", "占劳动力（0–1）"), "Share of labourers trained"),
    _l("insured_share", "Insured", "参保户占比", _HS, "Share of households insured"),
    # --- fiscal ---
    _l("fiscal_cost", "Fiscal cost, all programmes", "财政支出合计", _Y, "Spending of all programmes (simulated sample)"),
    _l("fiscal_cost_year", "Fiscal cost (trailing 12 months)", "财政支出（近12个月）", ("yuan per year", "元/年"), "Spending over the last 12 months"),
    _l("fiscal_cost_cum", "Cumulative fiscal cost since the start", "累计财政支出", _Y, "Spending since the start"),
    _l("fiscal_cost_per_household", "Fiscal cost per household", "户均财政支出", ("yuan per household", "元/户"), "Spending divided by households"),
    _l("fund_spending", "Fund-financed spending", "衔接资金支出", _Y, "Spending financed by the central cohesion fund"),
    _l("budget", "Cohesion-fund budget", "衔接资金预算", _Y, "The sample's share of the central cohesion fund (A04)"),
    _l("budget_ration", "Budget rationing factor", "预算配给系数", ("share (0-1)", "占比（0–1）"), "Share of fund-financed claims paid when the budget binds"),
    _l("cost_share_of_budget", "Fiscal cost as share of budget", "支出占预算比", ("share (0-1)", "占比（0–1）"), "Fiscal cost divided by the budget"),
    _l("fund_share_of_budget", "Fund spending as share of budget", "衔接资金支出占预算比", ("share (0-1)", "占比（0–1）"), "Fund spending divided by the budget"),
    _l("share_of_total", "Share of total spending", "占总支出比重", ("share (0-1)", "占比（0–1）"), "Programme spending divided by total spending"),
    _l("fiscal_subsidies", "Targeted subsidies", "精准帮扶补贴", _Y, "Spending on targeted subsidies"),
    _l("fiscal_industry", "Industry support", "产业帮扶", _Y, "Spending on industry support grants"),
    _l("fiscal_training", "Skills training", "技能培训", _Y, "Spending on skills training"),
    _l("fiscal_posts", "Public-welfare posts", "公益岗位", _Y, "Spending on public-welfare posts"),
    _l("fiscal_workshops", "Workshop job subsidies", "帮扶车间就业补贴", _Y, "Spending on workshop job subsidies"),
    _l("fiscal_dividend_subsidy", "Dividend guarantee", "分红保底补贴", _Y, "Spending guaranteeing cooperative dividends"),
    _l("fiscal_medical", "Medical assistance", "医疗救助", _Y, "Spending on medical assistance"),
    _l("fiscal_dibao", "Dibao (minimum living allowance)", "低保", _Y, "Spending on the minimum living allowance"),
    _l("fiscal_tekun", "Tekun (extreme-poverty support)", "特困供养", _Y, "Spending on support for the extremely poor"),
    _l("fiscal_temporary", "Temporary assistance", "临时救助", _Y, "Spending on temporary assistance"),
    _l("fiscal_monitoring", "Monitoring & case work", "监测与帮扶工作", _Y, "Spending on monitoring and case work"),
    _l("fiscal_coop_shares", "Cooperative shares (capital)", "折股量化入股资金", _Y,
       "Fiscal funds converted into members' cooperative shares when a scenario issues new shares (one-off)"),
    _l("fiscal_other", "Other / unallocated", "其他/未分配", _Y, "Fiscal cost not booked to a programme"),
    # --- the fund's rules and national scale (issue 22) ---
    _l("fiscal_cost_per_person", "Fiscal cost per person", "人均财政支出", ("yuan per person", "元/人"),
       "Spending divided by the sample's people at the start"),
    _l("fiscal_cost_national", "Fiscal cost, whole cohort", "财政支出（全国脱贫人口）", ("yuan, whole cohort", "元，全国"),
       "Spending of all programmes scaled to the whole cohort (A01: national people over the sample's people)"),
    _l("fund_spending_national", "Fund-financed cost, whole cohort", "衔接资金支出（全国）", ("yuan, whole cohort", "元，全国"),
       "Fund-financed spending scaled to the whole cohort (in fund_rules: plus fiscal funds turned into shares)"),
    _l("fund_spending_national_share_of_fund", "National fund-financed cost as share of the central fund",
       "全国衔接资金支出占中央衔接资金比", ("share (0-1)", "占比（0–1）"),
       "National fund-financed cost (with new shares) over the year's central cohesion fund (A04, P24)"),
    _l("fund_share_of_central_fund", "National fund-financed cost as share of the central fund",
       "全国衔接资金支出占中央衔接资金比", ("share (0-1)", "占比（0–1）"),
       "National fund-financed cost over the year's central cohesion fund (A04, P24)"),
    _l("cohesion_fund_national", "Central cohesion fund", "中央衔接资金", ("yuan per year, national", "元/年，全国"),
       "The year's central cohesion fund times budget.scale (A04, P24; pro rata for a part year in fund_rules)"),
    _l("national_factor", "Sample-to-nation factor", "样本折算全国系数", ("x", "倍"),
       "National people (A01) over the sample's people at the start"),
    _l("mean_national", "Mean across replicates, whole cohort", "各重复均值（全国）", ("yuan, whole cohort", "元，全国"),
       "The programme's spending scaled to the whole cohort (A01)"),
    _l("industry_share_of_fund", "Industry share of fund spending", "产业占衔接资金支出比", ("share (0-1)", "占比（0–1）"),
       "Industry support over fund-financed spending (P24's rule: at least 50/55/60% in 2021/22/23)"),
    _l("industry_share", "Industry share of fund spending", "产业占衔接资金支出比", ("share (0-1)", "占比（0–1）"),
       "Industry support over fund-financed spending, mean over replicates"),
    _l("industry_share_min", "Industry share, lowest replicate", "产业占比（最低重复）", ("share (0-1)", "占比（0–1）"),
       "Industry support over fund-financed spending in the replicate with the lowest share"),
    _l("industry_share_rule", "Industry share rule", "产业占比规则", ("share (0-1)", "占比（0–1）"),
       "P24's minimum share of the fund for industry in force that year (budget.industry_share_rule)"),
    _l("rule", "Industry share rule", "产业占比规则", ("share (0-1)", "占比（0–1）"),
       "P24's minimum share of the fund for industry in force that year (budget.industry_share_rule)"),
    _l("industry_rule_met", "Industry rule met", "是否满足产业占比规则", ("true/false", "是/否"),
       "Every replicate's industry share at or above the rule"),
    _l("exceeds_fund", "National cost above the central fund", "全国支出超过中央衔接资金", ("true/false", "是/否"),
       "The national fund-financed cost exceeds the year's central fund in some replicate"),
    _l("flag", "Flag", "警示", ("text", "文字"), "What breaks a rule that year (empty when both hold)"),
    _l("industry_returns", "Industry project returns paid (before medical costs)", "产业项目收益（未扣除医疗支出）", _Y,
       "Returns of live industry projects paid to households this month (operating and asset income; sample)"),
    _l("industry_capital", "Industry project capital", "产业项目资本", _Y, "Capital of live industry projects (sample)"),
    _l("industry_failed_capital", "Industry capital lost to failures", "失败项目损失资本", _Y,
       "Capital of the industry projects that failed this month (sample)"),
    _l("migrant_displaced", "Seekers displaced from migrant jobs", "外出务工被挤出人数", ("people per month", "人/月"),
       "Expected hires seekers would make at the frictional ceiling but cannot for want of vacancies"),
    _l("migrant_displaced_untrained", "Untrained seekers displaced", "未培训求职者被挤出人数", ("people per month", "人/月"),
       "Displaced seekers among the untrained (whom training displaces when vacancies bind)"),
    _l("displaced_cum", "Untrained seekers displaced since the start", "累计被挤出的未培训求职者",
       ("people, simulated households", "人，样本"), "Cumulative untrained seekers displaced from migrant jobs"),
    # --- cost-effectiveness ---
    _l("extra_cost", "Extra fiscal cost", "新增财政支出", _Y, "Cumulative fiscal cost minus the reference's, paired"),
    _l("households_kept", "Households kept above the line", "保持在线上的户数", _HH,
       "Households below the line in the reference minus in the scenario, paired", INCOME_MEASURE),
    _l("household_years_kept", "Household-years kept above the line", "保持在线上的户年数", ("household-years", "户·年"),
       "Sum over months of households kept above the line, divided by 12", INCOME_MEASURE),
    _l("yuan_per_household", "Yuan per household kept above the line", "每保持一户的成本", ("yuan per household", "元/户"),
       "Extra cost divided by households kept above the line", INCOME_MEASURE),
    _l("yuan_per_household_year", "Yuan per household-year kept above the line", "每户年成本", ("yuan per household-year", "元/户·年"),
       "Extra cost divided by household-years kept above the line", INCOME_MEASURE),
    _l("ratio_ci_lo", "Yuan per household, 95% interval lower", "每户成本95%区间下限", ("yuan per household", "元/户"), "Fieller-type 95% interval of the ratio"),
    _l("ratio_ci_hi", "Yuan per household, 95% interval upper", "每户成本95%区间上限", ("yuan per household", "元/户"), "Fieller-type 95% interval of the ratio"),
    _l("per_household_year_ci_lo", "Yuan per household-year, 95% interval lower", "每户年成本95%区间下限", ("yuan per household-year", "元/户·年"), "95% interval of the ratio"),
    _l("per_household_year_ci_hi", "Yuan per household-year, 95% interval upper", "每户年成本95%区间上限", ("yuan per household-year", "元/户·年"), "95% interval of the ratio"),
    _l("income_gain", "Extra income of the cohort", "群体新增收入", _Y,
       "The cohort's income over the calendar years completed (each December's trailing 12 months, net of medical "
       "costs) minus the reference's, paired; simulated households", INCOME_MEASURE),
    _l("income_gain_ci_lo", "Extra income, 95% interval lower", "新增收入95%区间下限", _Y, "95% t-interval of the paired mean",
       INCOME_MEASURE),
    _l("income_gain_ci_hi", "Extra income, 95% interval upper", "新增收入95%区间上限", _Y, "95% t-interval of the paired mean",
       INCOME_MEASURE),
    _l("income_per_fiscal_yuan", "Income per fiscal yuan", "每元财政支出带来的收入", ("yuan per yuan", "元/元"),
       "Extra income of the cohort divided by the extra fiscal cost (only when the cost differs)", INCOME_MEASURE),
    _l("income_per_yuan_ci_lo", "Income per fiscal yuan, 95% interval lower", "每元收入95%区间下限", ("yuan per yuan", "元/元"),
       "Fieller-type 95% interval of the ratio", INCOME_MEASURE),
    _l("income_per_yuan_ci_hi", "Income per fiscal yuan, 95% interval upper", "每元收入95%区间上限", ("yuan per yuan", "元/元"),
       "Fieller-type 95% interval of the ratio", INCOME_MEASURE),
    # --- places (groups.csv, compare_groups.csv) ---
    _l("group", "Place group", "地区分组", ("key", "键"),
       "Place group: key_county / other_county (national key assistance counties or not), east / central / west, "
       "relocated / not_relocated (易地扶贫搬迁)"),
    _l("group_label", "Place group (name)", "地区分组（名称）", ("text", "文本"), "Readable name of the place group"),
    _l("wage_share", "Wage share of net income (registry income)", "工资性收入占纯收入比重（建档口径收入）", ("share (0-1)", "比重（0–1）"),
       "Wage income over registry (net) income of the group's households, summed over the last 12 months"),
    _l("key_county_income_ratio", "Key counties' income over the others'", "重点帮扶县与其他县收入之比",
       ("ratio", "比值"), "Rolling 12-month per-capita income of households in national key assistance counties "
       "over that of households in other counties", INCOME_MEASURE),
    _l("relocated_wage_share", "Relocated households' wage share (registry income)", "易地搬迁户工资性收入占比（建档口径收入）", ("share (0-1)", "比重（0–1）"),
       "Wage income over registry (net) income of relocated households, summed over the last 12 months (P27: ~72%)"),
    _l("mean_income_ci_lo", "Mean income (net of medical costs), 95% interval lower", "人均收入（扣除自付医疗支出）95%区间下限", _YP,
       "Lower end of the Student-t 95% interval of the mean across replicates", INCOME_MEASURE),
    _l("mean_income_ci_hi", "Mean income (net of medical costs), 95% interval upper", "人均收入（扣除自付医疗支出）95%区间上限", _YP,
       "Upper end of the Student-t 95% interval of the mean across replicates", INCOME_MEASURE),
    _l("poverty_rate_registry_ci_lo", "Poverty rate (registry), 95% interval lower", "贫困发生率（建档口径）95%区间下限",
       _PP, "Lower end of the Student-t 95% interval of the mean across replicates", REGISTRY_MEASURE),
    _l("poverty_rate_registry_ci_hi", "Poverty rate (registry), 95% interval upper", "贫困发生率（建档口径）95%区间上限",
       _PP, "Upper end of the Student-t 95% interval of the mean across replicates", REGISTRY_MEASURE),
    # --- derived sweep outcomes (ruralsim.analysis.sweep.outcomes.DERIVED) ---
    _l("falls_per_1000_households", "Falls below the poverty line over the run, per 1,000 households",
       "全期返贫户数（每千户）", ("per 1,000 households", "每千户"),
       "Falls below the poverty line summed over the run, per 1,000 households simulated", INCOME_MEASURE),
    _l("fiscal_cost_per_person_year", "Fiscal cost per person per year", "人均年财政支出", ("yuan per person per year", "元/人/年"),
       "Fiscal cost of all programmes over the run, per person and year (mean over the run)"),
    # --- data dictionary's own columns ---
    _l("file", "File", "文件", ("path", "路径"), "Output file"),
    _l("column", "Column", "列名", ("name", "名称"), "Column of the file"),
    _l("name_zh", "Chinese name", "中文名", ("text", "文本"), "Chinese name of the column"),
    _l("definition", "Definition", "定义", ("text", "文本"), "What the column holds"),
    _l("poverty_measure", "Poverty measure", "贫困口径", ("text", "文本"), "Which poverty measure the column counts"),
)
