"""The page's text in English and Chinese (``ruralsim app --lang en|zh``)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "ruralsim: policy levers", "zh": "ruralsim：政策杠杆"},
    "subtitle": {"en": "The chosen policy against the baseline, same seed and replicates (common random numbers)",
                 "zh": "所选政策与基准情景对比（相同随机种子与重复次数，共同随机数）"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "levers": {"en": "Levers", "zh": "政策杠杆"},
    "run_info": {"en": "{households:,} households, {replicates} replicates, seed {seed}",
                 "zh": "{households:,} 户，{replicates} 次重复，随机种子 {seed}"},
    "running": {"en": "Running… {pct:.0f}%", "zh": "运行中… {pct:.0f}%"},
    "done": {"en": "Done in {seconds:.1f} s", "zh": "完成，用时 {seconds:.1f} 秒"},
    "cached": {"en": "From the cache", "zh": "来自缓存"},
    "invalid": {"en": "This scenario cannot run:", "zh": "该情景无法运行："},
    "expired": {"en": "This page's session has expired (the server keeps the most recent ones): reload the page",
                "zh": "本页会话已过期（服务器只保留最近的会话）：请刷新页面"},
    "save": {"en": "Save as scenario", "zh": "另存为情景"},
    "save_name": {"en": "file name", "zh": "文件名"},
    "saved": {"en": "Saved {path}", "zh": "已保存 {path}"},
    "download_csv": {"en": "Download the page's numbers (CSV)", "zh": "下载本页数据（CSV）"},
    "download_report": {"en": "Download the run's report", "zh": "下载运行报告"},
    "no_report": {"en": "no stored run report for this scenario (ruralsim run writes one)",
                  "zh": "该情景暂无运行报告（ruralsim run 可生成）"},
    "headline": {"en": "{year}", "zh": "{year} 年"},
    "col_measure": {"en": "Measure", "zh": "指标"},
    "col_baseline": {"en": "Baseline", "zh": "基准"},
    "col_policy": {"en": "Policy", "zh": "政策"},
    "col_diff": {"en": "Difference [95% CI]", "zh": "差值 [95% 置信区间]"},
    "baseline": {"en": "Baseline", "zh": "基准"},
    "policy": {"en": "Policy", "zh": "政策"},
    "year": {"en": "Year", "zh": "年份"},
    "yuan": {"en": "yuan", "zh": "元"},
    "poverty": {"en": "Poverty rate (% of people)", "zh": "贫困发生率（% 人口）"},
    "returns": {"en": "Return to poverty (% of households in the year)", "zh": "返贫（当年 % 户）"},
    "monitored": {"en": "Monitored households per 1,000", "zh": "每千户监测户数"},
    "mean_income": {"en": "Mean income (yuan/person/year)", "zh": "人均收入（元/人/年）"},
    "fiscal_total": {"en": "Fiscal cost (yuan/household/year)", "zh": "财政支出（元/户/年）"},
    "chart_poverty": {"en": "Poverty by year (December)", "zh": "贫困发生率（各年 12 月）"},
    "chart_returns": {"en": "Return to poverty by year", "zh": "各年返贫"},
    "chart_diff": {"en": "Paired difference, policy − baseline (95% CI)", "zh": "配对差值：政策 − 基准（95% 置信区间）"},
    "chart_income": {"en": "Income by source, {year} (yuan/person/year)", "zh": "{year} 年收入构成（元/人/年）"},
    "chart_monitored": {"en": "Monitored caseload (per 1,000 households)", "zh": "监测对象（每千户）"},
    "chart_fiscal": {"en": "Fiscal cost by programme, 2021–{year} (yuan/household)",
                     "zh": "分项目财政支出，2021–{year} 年（元/户）"},
    "diff_poverty": {"en": "Poverty rate (pp)", "zh": "贫困发生率（百分点）"},
    "diff_returns": {"en": "Return to poverty (pp)", "zh": "返贫（百分点）"},
    "wage_income": {"en": "Wages", "zh": "工资性收入"},
    "operating_income": {"en": "Operating", "zh": "经营净收入"},
    "transfer_income": {"en": "Transfers", "zh": "转移净收入"},
    "property_income": {"en": "Property", "zh": "财产净收入"},
    # levers
    "transition_exit_mode": {"en": "Transition exit mode", "zh": "过渡期后退出方式"},
    "transition_years": {"en": "Transition period (years from 2021)", "zh": "过渡期（自 2021 年起，年）"},
    "transition_taper_years": {"en": "Taper length (years)", "zh": "逐步退出期（年）"},
    "transition_normalised_level": {"en": "Support kept after the transition (share)",
                                    "zh": "过渡期后保留的帮扶水平（比例）"},
    "monitoring_line": {"en": "Monitoring line from 2026 (yuan/person/year)", "zh": "2026 年起监测线（元/人/年）"},
    "monitoring_detection_prob": {"en": "Monitoring detection (per month)", "zh": "监测识别概率（每月）"},
    "training_coverage": {"en": "Training coverage (share of labourers per year)", "zh": "技能培训覆盖（每年劳动力比例）"},
    "coop_guaranteed_dividend_rate": {"en": "Guaranteed dividend rate", "zh": "保底分红率"},
    "workshop_expansion": {"en": "Workshop expansion from 2023 (share)", "zh": "帮扶车间扩张（2023 年起，比例）"},
    "posts_per_village": {"en": "Public-welfare posts per village", "zh": "每村公益岗位数"},
    "budget_scale": {"en": "Budget scale (x the fund)", "zh": "衔接资金规模（倍）"},
    "keep": {"en": "keep (normalised support)", "zh": "保持（常态化帮扶）"},
    "taper": {"en": "taper (gradual phase-out)", "zh": "逐步退出"},
    "cliff": {"en": "cliff (withdrawn at once)", "zh": "一次性退出"},
}

def t(key: str, lang: str, **kw) -> str:
    """The text of ``key`` in ``lang`` (English when missing), formatted with ``kw``."""
    entry = TEXT.get(key)
    text = key if entry is None else entry.get(lang) or entry["en"]
    return text.format(**kw) if kw else text


def programme_label(column: str, lang: str) -> str:
    """Label of a ``fiscal_<programme>`` column: the label registry's, so the page, the figures and the
    reports name a programme the same way in both languages."""
    from ..labels import programme_label as label

    return label(column, lang)
