"""Chinese wording of the figure texts that are not series names: titles, axis labels, legend entries,
notes, and the sentences built with numbers in them.

Why a module of its own: :mod:`ruralsim.presentation.labels` holds the names of series and columns
(one name per series in every figure, table and report); this holds the rest of what figures say, so a
Chinese figure has no English left in it (:mod:`ruralsim.presentation.hygiene` checks). Terms follow the
registry: 建档口径 / 预警口径 for the registry and alert measures, 户, 元/人/年, 百分点, 次重复, 情景, 参照.

* :data:`PHRASES_ZH`: whole texts, looked up exactly.
* :data:`PATTERNS_ZH`: whole texts (or whole lines, or whole `` · ``-separated parts of a note) that
  carry numbers or ids, as a regular expression and the Chinese sentence built from its groups.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Units of the parameter schema (sweep axes name a parameter with its unit).
UNITS_ZH: dict[str, str] = {
    "AR(1) coefficient": "AR(1) 系数", "admissions/person/year": "住院次数/人/年", "crops": "种作物",
    "deaths/person/year": "死亡/人/年", "elasticity": "弹性", "firms": "家企业", "households": "户", "jobs": "个岗位",
    "jobs per cohort labourer": "岗位/队列劳动力", "jobs per village served": "岗位/服务村", "log-sd": "对数标准差",
    "log-sd per month": "对数标准差/月", "months": "月", "mu": "亩", "mu per member household": "亩/成员户",
    "people": "人", "people per village": "人/村", "per member per year": "每成员每年", "per month": "每月",
    "per village per year": "每村每年", "per year": "每年", "per year of age": "每岁", "posts": "个岗位",
    "probability": "概率", "runs": "次运行", "share": "占比", "share of annual income": "占年收入比例",
    "share of cost": "占费用比例", "share of hit households": "占受灾户比例", "share of households": "户数占比",
    "share of jobs": "占岗位比例", "share of labourers": "占劳动力比例", "share of labourers per year": "占劳动力比例/年",
    "share of member land": "占成员土地比例", "share of members": "占成员比例", "share of new share capital": "占新增股本比例",
    "share of out-of-pocket": "占自付费用比例", "share of people": "人口占比", "share of profit": "占利润比例",
    "share of revenue": "占收入比例", "share of the fund": "占资金比例", "share of transition support": "占过渡期帮扶比例",
    "share of villages": "占村比例", "share of workshops": "占车间比例", "share per month": "每月占比",
    "share per skill level": "每技能等级占比", "share per year of head's age over 60": "户主60岁以上每岁占比",
    "villages": "村", "x": "倍", "x base price": "× 基期价格", "x find rate per skill level": "× 每技能等级求职成功率",
    "x long-run price": "× 长期价格", "x migrant find rate": "× 外出务工求职成功率", "x per unit drop": "× 每单位下降",
    "x poverty line": "× 贫困线", "x 低保 standard": "× 低保标准", "year": "年", "years": "年", "yuan": "元",
    "yuan/household": "元/户", "yuan/job/year": "元/岗位/年", "yuan/month": "元/月", "yuan/mu/year": "元/亩/年",
    "yuan/person/month": "元/人/月", "yuan/person/year": "元/人/年", "yuan/year": "元/年",
    "× base scenario value": "× 基准情景取值",
}

#: Statistics of a sweep outcome over the run (analysis.sweep.outcomes.STATS), by their English text.
STATS_ZH: dict[str, str] = {
    "in the last month": "末月值", "mean of the last 12 months": "最近12个月均值", "mean over the run": "全期均值",
    "maximum over the run": "全期最大值", "minimum over the run": "全期最小值", "total over the run": "全期合计",
    "in the last month of the transition": "过渡期最后一个月", "after_transition": "过渡期后各月均值",
    "mean over the months after the transition": "过渡期后各月均值",
}

#: Labels and units of the shipped validation targets (experiments/targets_article.toml).
TARGETS_ZH: dict[str, str] = {
    "Monitored households with risk eliminated": "监测户风险消除比例",
    "Per-capita operating net income, 2022": "人均经营净收入，2022年",
    "Growth of operating net income, 2022 on 2021": "经营净收入增长，2022年比2021年",
    "Formerly-poor labourers in work, 2022": "脱贫劳动力务工就业规模，2022年",
    "Formerly-poor labourers in work, 2023 (target: above 30M)": "脱贫劳动力务工就业规模，2023年（目标：3,000万以上）",
    "Medical-insurance participation stays above 99%": "医保参保率稳定在99%以上",
    "No village with mass return to poverty, 2021-2025": "2021–2025年无规模性返贫村",
    "Formerly-poor workers in assistance workshops, Oct 2023": "帮扶车间吸纳脱贫人口就业，2023年10月",
    "Formerly-poor people in public-welfare posts, Oct 2023": "公益岗位安置脱贫人口，2023年10月",
    "Registry per-capita net income, 2021": "建档口径人均纯收入，2021年",
    "Growth of registry income, 2021 on 2020": "建档口径收入增长，2021年比2020年",
    "Monitored caseload, Oct 2023 (about 3% of the cohort; 1.5-5% accepted)":
        "监测对象规模，2023年10月（约占队列3%；1.5–5%可接受）",
    "Illness-related risk among households monitored since 2021": "2021年以来监测户中因病风险占比",
    "Formerly-poor people in dibao or tekun support, end of 2020": "纳入低保或特困供养的脱贫人口，2020年底",
    "share of ever-monitored households": "占曾监测户比例",
    "share of households": "户数占比",
    "villages nationally, in an average month": "村（全国，月均）",
    "share of the cohort's people": "占队列人口比例",
    "share of households identified since 2021-01": "占2021-01以来识别户比例",
    "people": "人",
    "million people": "百万人",
    "share": "占比",
    "growth": "增长率",
}

PHRASES_ZH: dict[str, str] = {
    # --- comparison: robustness (issue 23) ---
    "assumption at its low": "假设取低值", "assumption at its high": "假设取高值",
    "95% paired interval at the declared values": "设定取值下的95%配对区间",
    "difference at the declared values": "设定取值下的配对差", "no robustness runs": "无稳健性运行",
    # --- run: targeting (issue 21) ---
    "Monitored or under 兜底 by March": "次年3月前已纳入监测或兜底",
    "Missed": "遗漏",
    "Households below the registry line each December\n(label: share missed; last year: no March yet)":
        "每年12月建档口径贫困线以下户数\n（标注：遗漏比例；最后一年尚无次年3月数据）",
    "households (sample, mean over replicates)": "户数（样本，各次重复平均）",
    "Annual income check (the previous year's)": "年度收入核查（上年核查）", "Own report": "农户自主申报", "Cadres' visits": "基层干部排查",
    "Departments' data": "部门筛查预警",
    "the end-2020 check identified its households at the start (2020-12), not in 2021":
        "2020年底核查的识别户计入起点（2020年12月），不计入2021年",
    "Households identified in the year, by channel\n(label: median months from first month under the line)":
        "当年识别户数（按识别渠道）\n（标注：自首次低于监测线起的月数中位数）",
    "Targeting: who is below the line, and who finds them": "精准识别：谁在贫困线以下，谁发现了他们",
    # --- run: poverty and monitoring ---
    "Below the poverty line: registry vs alert": "贫困线以下人口：建档口径与预警口径",
    "Registry (calendar-year income, yearly test)": "建档口径（公历年收入，每年认定）",
    "Alert (rolling income net of medical, monthly)": "预警口径（滚动收入扣除医疗支出，每月）",
    "Ever below the line since 2021": "2021年以来曾低于贫困线",
    "Registry (a calendar year below)": "建档口径（某一公历年低于）",
    "Alert (a month below)": "预警口径（某一月低于）",
    "Monitoring caseload (acts on the alert)": "监测对象规模（依据预警口径）",
    "People in monitored households": "监测户人口",
    "Safety net: dibao and tekun (doudi)": "兜底保障：低保与特困",
    "People covered by dibao or tekun": "低保或特困覆盖人口",
    "Monitored households with risk eliminated": "监测户风险消除比例",
    # --- run: income distribution ---
    "% of people per 1,000-yuan bin": "% 人口（每1,000元一组）",
    # --- run: fiscal ---
    "Fiscal cost and the budget": "财政支出与预算",
    "Spending by programme per year (mean across replicates)": "各项目年度支出（各重复均值）",
    "Total: 95% interval of the mean": "合计：均值95%区间",
    "Cohesion-fund budget (caps the hatched programmes)": "衔接资金预算（约束斜线项目）",
    "Cohesion-fund budget used by the fund-financed\nprogrammes (hatched; the others have own budgets)":
        "衔接资金项目的预算使用率\n（斜线项目；其余项目另有预算）",
    "% of the year's budget spent": "% 当年预算已支出",
    "Fund-financed programmes": "衔接资金项目",
    "Budget": "预算",
    "yuan for the simulated households": "元，模拟户合计",
    "error bars: 95% t-interval of the mean": "误差线：均值95% t区间",
    "one replicate: no interval": "仅一次重复：无区间",
    "one replicate: no band": "仅一次重复：无区间带",
    "one replicate": "仅一次重复",
    "none (one replicate)": "无（仅一次重复）",
    # --- run: villages and counties ---
    "10–90th percentile": "第10–90百分位",
    "25–75th percentile": "第25–75百分位",
    "median village": "村中位数",
    "median county": "县中位数",
    "mean of villages": "各村均值",
    "mean of counties": "各县均值",
    "% of a village's households below the poverty line": "% 村内低于贫困线户占比",
    "% of a county's households below the poverty line": "% 县内低于贫困线户占比",
    "Village shares below the line (each December)": "各村低于贫困线户占比（每年12月）",
    "County shares below the line (each December)": "各县低于贫困线户占比（每年12月）",
    "% of villages": "% 村",
    "% of counties": "% 县",
    "Villages by share below the line": "按低于贫困线户占比分组的村",
    "Counties by share below the line": "按低于贫困线户占比分组的县",
    "Return to poverty across villages": "各村返贫分布",
    "Return to poverty across counties": "各县返贫分布",
    # --- dynamics (one run) ---
    "Movements between secure, monitored and below the poverty line": "安全、监测与贫困线以下之间的状态转移",
    "Monthly transition probabilities, alert measure\n(whole run, pooled; rows sum to 100%)":
        "月度状态转移概率（预警口径）\n（全期合并；各行合计100%）",
    "state next month": "下月状态",
    "state this month": "本月状态",
    "% per month (log scale)": "% 每月（对数刻度）",
    "Falls below the poverty line": "跌破贫困线",
    "Leaving poverty": "脱离贫困",
    "Monitoring entry and exit (above the line)": "纳入与退出监测（线上）",
    "% of households in the from-state, per month": "% 起始状态户数，每月",
    "secure → below": "安全 → 线下",
    "monitored → below": "监测 → 线下",
    "below → monitored": "线下 → 监测",
    "below → secure": "线下 → 安全",
    "secure → monitored": "安全 → 监测",
    "monitored → secure": "监测 → 安全",
    "bands: 95% t-interval of the yearly mean": "区间带：年均值95% t区间",
    "How long households stay below the poverty line (alert measure)": "低于贫困线的持续时间（预警口径）",
    "share of ended spells": "已结束贫困段占比",
    "cumulative share": "累计占比",
    "% of ended spells": "% 已结束贫困段",
    "cumulative % of ended spells": "累计 % 已结束贫困段",
    "length of the spell below the poverty line (months; last bar: 60 or more)":
        "低于贫困线的持续月数（最后一组：60个月及以上）",
    "no spell below the line ended in this run": "本次运行没有结束的贫困段",
    "spells still running at the end are not counted, so long spells are under-represented; all replicates pooled":
        "期末仍在持续的贫困段不计入，长贫困段因此偏少；合并各重复",
    "Return to poverty: who falls back, and why": "返贫：谁返贫，因何返贫",
    "Falls below the poverty line by attributed cause (alert measure)": "按致贫原因分的返贫（预警口径）",
    "households falling below, per 1,000 households per year": "返贫户数，每千户每年",
    "per 1,000 households per year": "每千户每年",
    "all falls": "全部返贫",
    "re-entries (had been below before)": "再次返贫（此前曾低于贫困线）",
    "recoveries (rose above the line)": "脱贫（回到线上）",
    "bands: 95% t-interval": "区间带：95% t区间",
    "cause = most telling shock in the 12 months before the fall": "致贫原因 = 返贫前12个月内最主要的冲击",
    "bars and lines: mean across replicates": "柱与线：各重复均值",
    # --- comparison ---
    "Policy scenarios compared: key outcomes": "政策情景比较：主要结果",
    "lines: mean": "线：均值",
    "shaded: the 95% interval of the mean across replicates": "阴影：各重复均值的95%区间",
    "shaded: 95% interval of the mean across replicates": "阴影：各重复均值的95%区间",
    "shaded:\n95% interval of the mean across replicates": "阴影：\n各重复均值的95%区间",
    "shaded: paired difference from the reference, 95% paired interval": "阴影：与参照情景的配对差，95% 配对区间",
    "shaded:\npaired difference from the reference, 95% paired interval": "阴影：\n与参照情景的配对差，95% 配对区间",
    "lines: mean paired difference": "线：配对差均值",
    "shaded: its 95% t-interval": "阴影：其95% t区间",
    "difference, percentage points": "差值，百分点",
    "difference, yuan per person per year": "差值，元/人/年",
    "difference, households": "差值，户",
    "difference, villages": "差值，村",
    "difference, million yuan per year": "差值，百万元/年",
    "difference, thousand yuan per year": "差值，千元/年",
    "difference, billion yuan per year": "差值，十亿元/年",
    "difference, yuan per year": "差值，元/年",
    "Per-capita income by source": "人均纯收入构成",
    "Net mean income (95% interval)": "人均纯收入均值（95%区间）",
    "yuan per person per year (trailing 12 months)": "元/人/年（近12个月）",
    "bars: mean across replicates": "柱：各重复均值",
    "People below the poverty line: annual mean of the monthly rate": "贫困线以下人口：月度发生率的年均值",
    "error bars: 95% t-interval of the mean ": "误差线：均值95% t区间",
    "Total fiscal cost per year": "年度财政支出合计",
    "Cohesion-fund budget (caps fund-financed programmes only)": "衔接资金预算（仅约束衔接资金项目）",
    "TOTAL": "合计",
    "Fund-financed sub-total": "衔接资金项目小计",
    "million yuan (paired difference)": "百万元（配对差）",
    "thousand yuan (paired difference)": "千元（配对差）",
    "billion yuan (paired difference)": "十亿元（配对差）",
    "yuan (paired difference)": "元（配对差）",
    "Fiscal cost by scenario": "各情景财政支出",
    "error bars: 95% t-intervals (paired for differences)": "误差线：95% t区间（差值为配对区间）",
    "Re-entries into poverty (households that had been below before)": "再次返贫（此前曾低于贫困线的户）",
    "Falls below the line over the whole run, by cause": "全期返贫户数，按致贫原因",
    "falls per 1,000 households": "返贫户数，每千户",
    "Length of ended spells below the line": "已结束贫困段的持续时间",
    "months below the line (60 = 60 or more)": "低于贫困线月数（60 = 60个月及以上）",
    "Return-to-poverty dynamics by scenario": "各情景返贫动态",
    "means across replicates; bands: 95% t-interval": "各重复均值；区间带：95% t区间",
    "spells running at the end are not counted": "期末仍在持续的贫困段不计入",
    # --- cost-effectiveness ---
    "costs more,\nfewer below the line": "支出增加，\n线下户减少",
    "saves money,\nfewer below (dominant)": "支出节省，\n线下户减少（占优）",
    "costs more,\nmore below (dominated)": "支出增加，\n线下户增加（劣势）",
    "saves money,\nmore below the line": "支出节省，\n线下户增加",
    "Extra cumulative fiscal cost / extra households kept above the line": "新增累计财政支出 / 新增保持在线上的户数",
    "thousand yuan per household": "千元/户",
    "arrows: interval continues beyond the axis": "箭头：区间延伸至坐标轴以外",
    "ratio panel: marker = case": "比值图：标记 = 情形",
    "scenario colours (both panels); ratio panel: marker = case": "情景颜色（两图通用）；比值图：标记 = 情形",
    "costs more: yuan per extra household kept above": "支出增加：每多保持一户在线上的成本（元）",
    "saves money: yuan saved per extra household below": "支出节省：每多一户跌入线下节省的元数",
    "dominant (cheaper and better; negative)": "占优（更省且更好；比值为负）",
    "dominated (dearer and worse; negative)": "劣势（更贵且更差；比值为负）",
    "fewer below, cost unclear: yuan per household kept above": "线下户减少，成本不明：每保持一户的元数",
    "more below, cost unclear: yuan per extra household below": "线下户增加，成本不明：每多一户线下的元数",
    "no detectable effect on poverty (drawn at 0)": "对贫困无可检测的影响（画在0处）",
    "What each scenario buys: fiscal cost per household kept above the poverty line":
        "各情景的成本效果：每保持一户在贫困线上的财政支出",
    "ratio = paired mean extra cost / paired mean households kept, with Fieller's 95% interval":
        "比值 = 配对新增支出均值 / 配对保持户数均值，附 Fieller 95%区间",
    "faint points: replicates": "浅色点：各次重复",
    "details and intervals: cost_effectiveness.csv": "详情与区间：cost_effectiveness.csv",
    "(no finite interval)": "（无有限区间）",
    # --- readings of the cost-effectiveness cases (analysis.compare_tables.CE_CASES) ---
    "reference scenario": "参照情景",
    "costs more, keeps more households above the line": "支出增加，保持在线上的户数增加",
    "saves money and keeps more households above the line": "支出节省，且保持在线上的户数增加",
    "saves money, more households below the line": "支出节省，但线下户数增加",
    "costs more, and more households below the line": "支出增加，且线下户数增加",
    "keeps more households above the line; its extra cost is not distinguishable from zero":
        "保持在线上的户数增加；新增支出与零无显著差异",
    "more households below the line; its extra cost is not distinguishable from zero":
        "线下户数增加；新增支出与零无显著差异",
    "no detectable effect on households below the line: ratio not defined": "对线下户数无可检测的影响：比值无定义",
    "costs more": "支出增加",
    "saves money": "支出节省",
    "its extra cost is not distinguishable from zero": "新增支出与零无显著差异",
    # --- shared notes and markers ---
    "lines: mean across replicates": "线：各重复均值",
    "error bars: 95% t-interval": "误差线：95% t区间",
    # --- validation ---
    "Model against observed targets": "模型结果与观测目标对比",
    "allowed by the tolerance": "容差允许范围",
    "model: mean across replicates and 2.5–97.5% range": "模型：各重复均值及2.5–97.5%范围",
    "holds": "符合",
    "misses": "不符合",
    "model": "模型",
    "observed ± tolerance": "观测值 ± 容差",
    "arrows: beyond ±4 tolerances": "箭头：超出 ±4 个容差",
    "black: the observed figure at its date or period": "黑色：观测值所在的日期或时期",
    "(model − observed) / tolerance   (inequalities: 1% of the bound when the tolerance is 0)":
        "（模型 − 观测）/ 容差（不等式目标容差为0时取界值的1%）",
    "Validation targets over time: model (mean and 2.5–97.5% replicate band) and observed":
        "验证目标随时间变化：模型（均值及重复间2.5–97.5%区间带）与观测值",
    # --- calibration ---
    "evaluation": "评估次序",
    "best so far": "当前最优",
    "written values (rounded)": "写入的取值（四舍五入）",
    "every target at 1 tolerance": "每个目标恰为1个容差",
    "Loss: sum of squared errors in tolerance units": "损失：以容差为单位的误差平方和",
    "loss": "损失",
    "Free parameters over the search": "搜索过程中的自由参数",
    "position in the declared range (0 = low, 1 = high)": "在声明范围内的位置（0 = 下限，1 = 上限）",
    "Targets before (grey) and after the fit": "拟合前（灰）后的目标",
    "(model − observed) / tolerance": "（模型 − 观测）/ 容差",
    "Calibration of the free parameters to the article's targets": "按文章目标校准自由参数",
    "shaded: within tolerance": "阴影：容差以内",
    # --- sweep ---
    "Total (ST)": "总效应（ST）",
    "First order (S1)": "一阶效应（S1）",
    "share of output variance": "占输出方差比例",
    "bars: indices of the replicate mean; whiskers: 95% bootstrap intervals": "柱：重复均值的指数；须线：95% 自助法区间",
    "mu* (mean |effect|)": "mu*（|效应|均值）",
    "sigma (spread of effects)": "sigma（效应离散度）",
    "Spearman rank correlation with the outcome": "与结果的 Spearman 秩相关系数",
    "orange: outcome rises with the input; green: falls": "橙色：结果随输入上升；绿色：随输入下降",
    "dots: mean across replicates per point": "点：每个设计点的各重复均值",
    "cells: mean across replicates": "单元格：各重复均值",
    "ρ undefined": "ρ 无定义",
    "hatched: within noise of every neighbour (difference inside its 95% interval)":
        "斜线：与各相邻格的差异均在噪声以内（差值在其95%区间内）",
    "hatched: within noise of every neighbour (difference inside its 95% interval) (none here)":
        "斜线：与各相邻格的差异均在噪声以内（差值在其95%区间内）（本图没有）",
    "lines: mean across replicates; shaded: 2.5–97.5 percentile range across replicates":
        "线：各重复均值；阴影：重复间2.5–97.5百分位范围",
    "lines: mean across replicates; shaded: min–max range across replicates": "线：各重复均值；阴影：重复间最小–最大范围",
    "lines: mean across replicates; shaded: replicate range": "线：各重复均值；阴影：重复间范围",
    "rows are labelled by what differs from row 1": "各行以与第1行不同之处标注",
    "whiskers: min–max range across replicates": "须线：重复间最小–最大范围",
    "whiskers: 2.5–97.5 percentile range across replicates": "须线：重复间2.5–97.5百分位范围",
    "2.5–97.5 percentile range across replicates": "重复间2.5–97.5百分位范围",
    "min–max range across replicates": "重复间最小–最大范围",
    "replicate range": "重复间范围",
    "same as row 1": "同第1行",
    "People below the poverty line (registry: calendar-year income)": "贫困线以下人口（建档口径：公历年收入）",
    "People below the poverty line (alert: rolling income net of medical)": "贫困线以下人口（预警口径：滚动收入扣除医疗支出）",
    "Mean per-capita net income": "人均纯收入均值",
    "Households ever below the line since 2021 (registry)": "2021年以来曾低于贫困线的户（建档口径）",
    "Households ever below the line since 2021 (alert)": "2021年以来曾低于贫困线的户（预警口径）",
    "Households below the poverty line (alert)": "低于贫困线户数（预警口径）",
    "Households below the poverty line (registry)": "低于贫困线户数（建档口径）",
    "Point": "设计点",
    "Outcome": "结果指标",
    "Poverty rate": "贫困发生率",
    "Mass-return villages": "规模性返贫村数",
    "Fiscal cost": "财政支出",
    "Fiscal cost per person per year": "人均年财政支出",
    "Households ever monitored": "曾被监测户占比",
    "% of ever monitored": "% 曾监测户",
    "per 1,000 households": "每千户",
    "yuan per person per year": "元/人/年",
    "thousand yuan": "千元",
    "billion yuan": "十亿元",
    **UNITS_ZH,
    **TARGETS_ZH,
}

#: The whole-line or whole-part texts with numbers or ids: (pattern, builder of the Chinese text).
Builder = Callable[[re.Match], str]


def _names(text: str) -> str:
    """A list of scenario ids: ``baseline (reference), a, b`` -> ``baseline（参照）、a、b``."""
    return text.replace(" (reference)", "（参照）").replace(", ", "、")


_COUNT = r"([\d,.?]+)"
PATTERNS_ZH: tuple[tuple[str, Builder], ...] = (
    # source notes: "scenario baseline", "2 replicates × 2,000 households"
    (r"scenario (\S+)", lambda m: f"情景 {m[1]}"),
    (r"scenarios (.+) \(reference\) and (\d+) others", lambda m: f"情景 {m[1]}（参照）及其他 {m[2]} 个"),
    (r"scenarios (.+)", lambda m: f"情景 {_names(m[1])}"),
    (_COUNT + r" (?:paired )?replicates? × " + _COUNT + r" households",
     lambda m: f"{m[1]} 次{'配对' if 'paired' in m[0] else ''}重复 × {m[2]} 户"),
    (r"seed (\S+)", lambda m: f"种子 {m[1]}"),
    (r"shaded: 95% interval of the mean", lambda m: "阴影：均值95%区间"),
    (r"lines: mean across replicates; shaded: (.+)", lambda m: f"线：各重复均值；阴影：{_tr(m[1])}"),
    # income distribution
    (r"x axis clipped at ([\d,]+) yuan \(99th percentile\): ([\d.]+)% of people above(?:, ([\d.]+)% below ([\d,\-−]+))?",
     lambda m: f"横轴截断于 {m[1]} 元（第99百分位）：{m[2]}% 人口高于此值"
               + (f"，{m[3]}% 低于 {m[4]} 元" if m[3] else "")),
    (r"% of people per ([\d,]+)-yuan bin", lambda m: f"% 人口（每 {m[1]} 元一组）"),
    (r"(\d{4}-\d{2}): median ([\d,]+) yuan(?:, ([\d.]+)% below poverty line)?",
     lambda m: f"{m[1]}：中位数 {m[2]} 元" + (f"，{m[3]}% 低于贫困线" if m[3] else "")),
    (r"(Poverty line|Monitoring line)( \d{4})?: ([\d,]+) yuan",
     lambda m: f"{'贫困线' if m[1] == 'Poverty line' else '监测线'}{m[2] or ''}：{m[3]} 元"),
    # villages and counties
    (r"([\d,]+) (villages|counties) per replicate, replicates pooled",
     lambda m: f"每次重复 {m[1]} 个{'村' if m[2] == 'villages' else '县'}，合并各重复"),
    (r"([\d,]+) (village|county)-Decembers at or above the mass-return threshold",
     lambda m: f"{m[1]} 个{'村' if m[2] == 'village' else '县'}·年（12月）达到规模性返贫阈值"),
    (r"(\d{4}-\d{2}) \(median ([\d.]+)%\)", lambda m: f"{m[1]}（中位数 {m[2]}%）"),
    # dynamics
    (r"annual average monthly probabilities = household-months moving / household-months in the from-state",
     lambda m: "年均月度概率 = 转移的户·月数 / 起始状态的户·月数"),
    (r"([\d,]+) ended spells per replicate", lambda m: f"每次重复结束的贫困段：{m[1]} 段"),
    (r"median length (\d+) months?", lambda m: f"持续时间中位数：{m[1]} 个月"),
    (r"(\d+)% last longer than 12 months", lambda m: f"{m[1]}% 持续超过12个月"),
    (r"Rates per year \(alert measure\)", lambda m: "年度比率（预警口径）"),
    (r"ever fell below by (\S+): ([\d.]+)% of households", lambda m: f"截至 {m[1]} 曾低于贫困线：{m[2]}% 户"),
    # comparison
    (r"Robustness: (\S+) against (\S+) under each assumption's low and high",
     lambda m: f"稳健性：情景 {m[1]} 相对 {m[2]}，各项假设分别取低值与高值"),
    (r"(\S+) \(reference\)", lambda m: f"{m[1]}（参照）"),
    (r"Difference from (\S+) \(scenario minus reference, replicate by replicate\)",
     lambda m: f"与 {m[1]} 的差值（情景减参照，逐次重复配对）"),
    (r"net ([\d,.\-−]+)", lambda m: f"纯收入 {m[1]}"),
    (r"Extra spending over the whole run vs (\S+), by programme", lambda m: f"全期相对 {m[1]} 的新增支出，按项目"),
    (r"Cost-effectiveness plane at (\S+) \(vs (\S+)\)", lambda m: f"{m[1]} 成本效果平面（相对 {m[2]}）"),
    (r"households kept above the poverty line vs (\S+) \(of the simulated households\)",
     lambda m: f"相对 {m[1]} 保持在贫困线上的户数（模拟户）"),
    (r"extra cumulative fiscal cost since start, (.+)", lambda m: f"起始以来新增累计财政支出，{_tr(m[1])}"),
    (r"At (\S+), compared with (\S+):", lambda m: f"{m[1]}，与 {m[2]} 相比："),
    # validation and calibration
    (r"observed (.+), tolerance (.+)", lambda m: f"观测值 {m[1]}，容差 {m[2]}"),
    (r"observed (.+)", lambda m: f"观测值 {m[1]}"),
    (r"model (\S+ \[.+\])", lambda m: f"模型 {m[1]}"),
    (r"(holds|MISSES)(, every replicate)?",
     lambda m: ("符合" if m[1] == "holds" else "不符合") + ("（每次重复）" if m[2] else "")),
    (r"(\S+) \((article|public):(\S+)\)", lambda m: f"{m[1]}（{_SOURCES[m[2]]}:{m[3]}）"),
    (r"\((article|public):(\S+)\)", lambda m: f"（{_SOURCES[m[1]]}:{m[2]}）"),
    (r"(\S+): (.+)", lambda m: f"{m[1]}：{_tr(m[2])}" if re.fullmatch(r"[A-Z]+\d+\w*", m[1]) else _NO_MATCH),
    (r"(mean|value|min|max|growth) over (\S+(?: -> \S+)?)",
     lambda m: f"{m[2].replace(' -> ', ' → ')} {_STAT_OVER[m[1]]}"),
    (r"(.+) → (.+) \(observed (.+)\)", lambda m: f"{m[1]} → {m[2]}（观测值 {m[3]}）"),
    (r"each evaluation: mean of (\S+) replicates? × ([\d,]+) households with the same seeds \(common random numbers\)",
     lambda m: f"每次评估：{m[1]} 次重复 × {m[2]} 户的均值，种子相同（共同随机数）"),
    (r"ruralsim", lambda m: "ruralsim"),
    (r"million (.+)", lambda m: f"百万{_tr(m[1])}"),
    (r"at (least|most) (.+?)( \(observed \+ tolerance\))?",
     lambda m: f"{'不低于' if m[1] == 'least' else '不高于'} {m[2]}{'（观测值 + 容差）' if m[3] else ''}"),
    (r"growth over (\d+) months", lambda m: f"{m[1]} 个月增长率"),
    # sweep
    (r"experiment (\S+) \((\S+) design, base scenario (\S+)\)",
     lambda m: f"实验 {m[1]}（{_DESIGNS.get(m[2], m[2])}设计，基准情景 {m[3]}）"),
    (r"(\S+) points × (\S+) replicates? × ([\d,]+) households × (\S+) months",
     lambda m: f"{m[1]} 个设计点 × {m[2]} 次重复 × {m[3]} 户 × {m[4]} 个月"),
    (r"(\d+) failed run\(s\) left out", lambda m: f"{m[1]} 次失败运行未计入"),
    (r"averaged over (.+)", lambda m: f"对 {m[1]} 取平均"),
    (r"Spearman ρ = ([+\-−][\d.]+)", lambda m: f"Spearman ρ = {m[1]}"),
    (r"a step is (\S+) of each parameter's range", lambda m: f"步长为各参数范围的 {m[1]}"),
    (r"whiskers: 95% bootstrap intervals of mu\*", lambda m: "须线：mu* 的95% 自助法区间"),
    (r"(.+) per Morris step", lambda m: f"{_tr(m[1])}（每个 Morris 步长）"),
    (r"(\S+): outcomes against (\S+)", lambda m: f"{m[1]}：结果随 {m[2]} 的变化"),
    (r"(\S+): which inputs drive the outcomes \(Sobol' indices\)", lambda m: f"{m[1]}：哪些输入驱动结果（Sobol' 指数）"),
    (r"(\S+): elementary effects \(Morris screening\)", lambda m: f"{m[1]}：基本效应（Morris 筛选）"),
    (r"(\S+): rank correlations of inputs and outcomes", lambda m: f"{m[1]}：输入与结果的秩相关"),
    (r"(\S+): outcomes of each design row", lambda m: f"{m[1]}：各设计行的结果"),
    (r"(\S+ = \S+) × base", lambda m: f"{m[1]} × 基准"),
    (r"([a-z_]+\.[\w.\[\]]+) \((.+)\)", lambda m: f"{m[1]}（{UNITS_ZH.get(m[2], m[2])}）"),
    (r"(.+), (" + "|".join(re.escape(k) for k in STATS_ZH) + ")", lambda m: f"{_tr(m[1])}，{STATS_ZH[m[2]]}"),
    (r"(\S+): (.+) by month", lambda m: f"{m[1]}：{_tr(m[2][:1].upper() + m[2][1:])}（逐月）"),
    # "<experiment or id>: <a title>", only when the title translates whole
    (r"([\w.\-]+): (.+)", lambda m: f"{m[1]}：{_tr(m[2])}" if not _LATIN.search(_tr(m[2])) else _NO_MATCH),
)
_LATIN = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z'-]{2,}(?![A-Za-z0-9_.])")
_DESIGNS = {"grid": "网格", "full-grid": "全因子网格", "lhs": "拉丁超立方", "Latin-hypercube": "拉丁超立方",
            "sobol": "Sobol' ", "Sobol'": "Sobol' ", "morris": "Morris ", "Morris": "Morris ", "table": "列表"}
_SOURCES = {"article": "文章", "public": "公开资料"}
_STAT_OVER = {"mean": "均值", "value": "取值", "min": "最小值", "max": "最大值", "growth": "增长"}
_NO_MATCH = "\0no match"  # a builder's answer when its pattern matched but the text is not its kind
_PATTERNS = tuple((re.compile(p), b) for p, b in PATTERNS_ZH)


_translate: Callable[[str], str] = str  # the registry's translation of a part, given by match_pattern's caller


def _tr(text: str) -> str:
    return _translate(text)


def match_pattern(text: str, translate: Callable[[str], str]) -> str | None:
    """The Chinese form of a whole text that one of :data:`PATTERNS_ZH` matches, else None. ``translate``
    puts a part of it (a unit, a title) in Chinese (:func:`ruralsim.presentation.labels.translate`, passed in
    so this module needs no import of it)."""
    global _translate
    _translate = translate
    for pattern, build in _PATTERNS:
        m = pattern.fullmatch(text)
        if m and (found := build(m)) != _NO_MATCH:
            return found
    return None


def wrap_zh(text: str, width: int) -> str:
    """A Chinese text on lines of at most ``width`` characters, broken after ，；、 or before （ where it can be
    (textwrap breaks only at spaces, so it would cut a Chinese word or a number in two)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for token in re.split(r"(?<=[，；、 ])|(?=（)", para):
            while len(token) > width:  # a run with no break point: cut it
                room = width - len(line)
                lines.append(line + token[:room])
                line, token = "", token[room:]
            if len(line) + len(token) > width and line:
                lines.append(line.rstrip())
                line = ""
            line += token
        lines.append(line.rstrip())
    return "\n".join(lines)
