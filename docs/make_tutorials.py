"""Write docs/tutorial.ipynb (English) and docs/tutorial_zh.ipynb (Chinese) from one list of cells.

The two notebooks run the same code; only the text (and, in Chinese, code comments, labels and printed
words) differs, so they cannot drift apart. A parameter's value is never typed into the text: ``{baseline:
monitoring_detection_prob}`` is replaced by the shipped baseline's value when the notebooks are written, so
a recalibration cannot leave a tutorial saying something false.

    python docs/make_tutorials.py            # write both notebooks, executed, with their outputs
    python docs/make_tutorials.py --check    # exit 1 when a notebook's cells are out of date (outputs ignored)

CI executes both notebooks at small sizes (tests/test_notebooks.py) and checks every parameter value the
text states against the schema.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "model"))  # the checkout's ruralsim, for the baseline's values

# (kind, English, Chinese); code cells have one text for both.
CELLS: list[tuple[str, str, str]] = [
    ("md", """# ruralsim in a notebook

ruralsim simulates the formerly-poor cohort household by household, month by month from 2021-01, and
reports incomes and the risk of returning to poverty (返贫) under policy scenarios. This tutorial

1. builds the calibrated baseline,
2. changes one policy lever,
3. compares the two with common random numbers (CRN),
4. runs a small sensitivity sweep with SALib, and
5. runs a small experiment with Mesa's `batch_run`.

The sizes below are small so the notebook runs in a minute or two; raise `HOUSEHOLDS` (20,000 is the
default cohort sample) and `MONTHS` (120 runs to 2030-12) for real work.""",
     """# 在 Notebook 中使用 ruralsim

ruralsim 以家庭为单位、从 2021 年 1 月起逐月模拟脱贫人口，报告不同政策情景下的收入与返贫风险。本教程依次：

1. 构建已校准的基准情景（baseline）；
2. 调整一个政策杠杆；
3. 用共同随机数（CRN）比较两者；
4. 用 SALib 做一次小规模敏感性分析；
5. 用 Mesa 的 `batch_run` 做一次小规模实验。

下面的规模很小，整个 Notebook 一两分钟即可运行完毕；正式分析时请调大 `HOUSEHOLDS`（默认样本为 20,000 户）
和 `MONTHS`（120 个月即模拟到 2030 年 12 月）。"""),
    ("code", """import os

import matplotlib.pyplot as plt
import pandas as pd

from ruralsim import RuralModel

# Small sizes (the test suite makes them smaller still through these environment variables).
HOUSEHOLDS = int(os.environ.get("RURALSIM_TUTORIAL_HOUSEHOLDS", 2000))
MONTHS = int(os.environ.get("RURALSIM_TUTORIAL_MONTHS", 36))
SIZE = {"run_households": HOUSEHOLDS, "run_months": MONTHS}""", """import os

import matplotlib.pyplot as plt
import pandas as pd

from ruralsim import RuralModel
from ruralsim.presentation.fonts import install
from ruralsim.presentation.labels import label

install()  # 随软件包提供的中文字体：没有中文系统字体的机器上图中汉字也能显示


def 中文列名(frame):
    \"\"\"把指标代码名换成中文名（含口径），代码名见 data_dictionary.csv。\"\"\"
    return frame.rename(columns=lambda c: label(c, "zh"))


# 小规模（测试时通过这些环境变量再调小）。
HOUSEHOLDS = int(os.environ.get("RURALSIM_TUTORIAL_HOUSEHOLDS", 2000))
MONTHS = int(os.environ.get("RURALSIM_TUTORIAL_MONTHS", 36))
SIZE = {"run_households": HOUSEHOLDS, "run_months": MONTHS}"""),
    ("md", """## 1. The calibrated baseline

`RuralModel()` is the shipped, calibrated `baseline` scenario (the same as `RuralModel("baseline")` and
`ruralsim run baseline`). Keyword arguments override parameters by their flat names; `ruralsim params
--format json` lists them all with kinds, ranges, units and sources.

Two poverty measures, named in every column: `poverty_rate_registry` is the **registry** measure (建档口径:
calendar-year per-capita net income, medical costs not deducted, judged once a year, as the registry
counts return to poverty); `poverty_rate_alert` is the **alert** measure (预警口径: rolling 12-month income
net of medical costs, tested monthly, the signal monitoring acts on). `mean_income` is net of medical costs.""",
     """## 1. 已校准的基准情景

`RuralModel()` 即随软件包提供、已校准的 `baseline` 情景（等同于 `RuralModel("baseline")` 和命令行
`ruralsim run baseline`）。关键字参数按“扁平名称”覆盖参数；`ruralsim params --format json`
列出全部参数及其类型、取值范围、单位和来源。

两个贫困口径，各列名都写明：`poverty_rate_registry` 为**建档口径**（公历年人均纯收入，不扣除医疗支出，
每年认定一次，与建档立卡系统认定返贫一致）；`poverty_rate_alert` 为**预警口径**（滚动12个月收入，扣除自付
医疗支出，每月检测，是动态监测据以预警的信号）。`mean_income` 为扣除自付医疗支出后的收入。"""),
    ("code", """base = RuralModel(**SIZE).run()
ts = base.timeseries()
print(base.scenario_name, len(ts), "months from", ts["date"].iloc[0].date())
ts[["date", "poverty_rate_registry", "poverty_rate_alert", "mean_income", "falls", "recoveries"]].tail()""",
     """base = RuralModel(**SIZE).run()
ts = base.timeseries()
print("情景", base.scenario_name, "：自", ts["date"].iloc[0].date(), "起模拟", len(ts), "个月")
中文列名(ts[["date", "poverty_rate_registry", "poverty_rate_alert", "mean_income", "falls", "recoveries"]].tail())"""),
    ("md", """## 2. Change a lever

Weaker monitoring: village work teams find at-risk households less often (`monitoring.detection_prob`,
{baseline:monitoring_detection_prob} a month in the baseline). The weak case below uses a quarter of the
baseline's value, read from the model itself.""",
     """## 2. 调整一个政策杠杆

弱化动态监测：驻村工作队每月发现风险户的概率降低（`monitoring.detection_prob`，基准情景为每月
{baseline:monitoring_detection_prob}）。下面的“弱监测”取基准值的四分之一，数值直接从模型读取。"""),
    ("code", """from ruralsim.interop import parameter_table

table = pd.DataFrame(parameter_table())
table.set_index("name").loc[["monitoring_detection_prob", "training_coverage"], ["kind", "default", "low", "high", "unit", "source"]]""",
     """from ruralsim.interop import parameter_table

table = pd.DataFrame(parameter_table())
表 = table.set_index("name").loc[["monitoring_detection_prob", "training_coverage"], ["kind", "default", "low", "high", "unit", "source"]]
表.rename(columns={"kind": "类型", "default": "默认值", "low": "下限", "high": "上限", "unit": "单位", "source": "来源"},
         index={"monitoring_detection_prob": "监测识别概率", "training_coverage": "技能培训覆盖率"})"""),
    ("code", """base_prob = base.p["monitoring_detection_prob"]
weak = RuralModel(monitoring_detection_prob=base_prob / 4, **SIZE).run()
wts = weak.timeseries()
print("detection probability per month: baseline", base_prob, "-> weak monitoring", base_prob / 4)""",
     """base_prob = base.p["monitoring_detection_prob"]
weak = RuralModel(monitoring_detection_prob=base_prob / 4, **SIZE).run()
wts = weak.timeseries()
print("每月识别概率：基准", base_prob, "→ 弱监测", base_prob / 4)"""),
    ("md", """## 3. Compare with common random numbers

Both runs used the same seed and replicate, so every household met the same illnesses, job losses and
price shocks: the difference between the two series is the lever's effect, not sampling noise. A
different `replicate` (or, under `mesa.batch_run`, a different iteration) gives another independent draw
of the cohort, the same in every scenario.""",
     """## 3. 用共同随机数比较

两次运行使用相同的随机种子和重复编号（replicate），每户遇到的疾病、失业和价格冲击完全相同：
两条序列之差就是政策杠杆的效果，而不是抽样噪声。换一个 `replicate`（或在 `mesa.batch_run` 中的另一次
iteration）会得到另一组独立抽样，但在各情景之间仍然相同。"""),
    ("code", """diff = pd.DataFrame({
    "date": ts["date"],
    "baseline": 100 * ts["below_monitoring_line"],
    "weak monitoring": 100 * wts["below_monitoring_line"],
})
diff["effect (points)"] = diff["weak monitoring"] - diff["baseline"]
ax = diff.plot(x="date", y=["baseline", "weak monitoring"], figsize=(7, 3))
ax.set_ylabel("% of people below the monitoring line (alert)")
plt.show()
print("mean effect:", round(diff["effect (points)"].mean(), 3), "percentage points")""",
     """diff = pd.DataFrame({
    "月份": ts["date"],
    "基准": 100 * ts["below_monitoring_line"],
    "弱监测": 100 * wts["below_monitoring_line"],
})
diff["效果（百分点）"] = diff["弱监测"] - diff["基准"]
ax = diff.plot(x="月份", y=["基准", "弱监测"], figsize=(7, 3))
ax.set_ylabel("低于监测线的人口 %（预警口径）")
plt.show()
print("平均效果（mean effect）：", round(diff["效果（百分点）"].mean(), 3), "个百分点")"""),
    ("md", """## 4. A small sensitivity sweep with SALib

`salib_problem` turns parameter names into a SALib problem, ranges taken from the parameter table (or
narrowed with `bounds=`); `salib_kwargs` turns the sample into keyword arguments (whole-number
parameters rounded). Here: Morris elementary effects of two levers on the share of people below the
monitoring line (alert measure) in the last month.""",
     """## 4. 用 SALib 做小规模敏感性分析

`salib_problem` 把参数名称转换为 SALib 的 problem 字典，取值范围来自参数表（也可用 `bounds=` 收窄）；
`salib_kwargs` 把样本转换为模型的关键字参数（整数参数自动取整）。这里计算两个政策杠杆对最后一个月
低于监测线人口占比（预警口径）的 Morris 基本效应。"""),
    ("code", """from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from ruralsim.interop import run_outcomes, salib_kwargs, salib_problem

problem = salib_problem(["monitoring_detection_prob", "training_coverage"],
                        bounds={"training_coverage": (0.0, 0.3)})
X = morris_sample.sample(problem, N=3, num_levels=4, seed=1)
Y = [run_outcomes(outcomes=["below_monitoring_line"], **kw, **SIZE)["below_monitoring_line"]
     for kw in salib_kwargs(problem, X)]
effects = morris_analyze.analyze(problem, X, pd.Series(Y).to_numpy(), num_levels=4, seed=1)
effects.to_df()""", """from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from ruralsim.interop import run_outcomes, salib_kwargs, salib_problem

problem = salib_problem(["monitoring_detection_prob", "training_coverage"],
                        bounds={"training_coverage": (0.0, 0.3)})
X = morris_sample.sample(problem, N=3, num_levels=4, seed=1)
Y = [run_outcomes(outcomes=["below_monitoring_line"], **kw, **SIZE)["below_monitoring_line"]
     for kw in salib_kwargs(problem, X)]
effects = morris_analyze.analyze(problem, X, pd.Series(Y).to_numpy(), num_levels=4, seed=1)
# mu_star：平均绝对基本效应；sigma：效应的离散程度（交互或非线性）
effects.to_df().rename(index={"monitoring_detection_prob": "监测识别概率", "training_coverage": "技能培训覆盖率"})"""),
    ("md", """## 5. A small experiment with Mesa's `batch_run`

Each row is one step of one run: `Step` 0 is the state at the start (2020-12), step 1 is 2021-01. Every
metric of `timeseries()` is there, the return-to-poverty dynamics (`falls`, their causes, `reentries`,
`recoveries`, transitions `tr_*`) included. Iteration *k* is replicate *k*.""",
     """## 5. 用 Mesa 的 `batch_run` 做小规模实验

每一行是一次运行中的一步：`Step` 0 为起始状态（2020 年 12 月），第 1 步为 2021 年 1 月。`timeseries()`
的全部指标都在其中，包括返贫动态（`falls` 及其原因、`reentries`、`recoveries`、状态转移 `tr_*`）。
第 *k* 次 iteration 即第 *k* 个重复（replicate）。"""),
    ("code", """import warnings

import mesa

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # Mesa 3.5 prefers rng=[None, None]
    rows = mesa.batch_run(RuralModel, parameters={**SIZE, "training_coverage": [0.06, 0.3]},
                          iterations=2, max_steps=MONTHS, number_processes=1,
                          data_collection_period=1, display_progress=False)
runs = pd.DataFrame(rows)
last = runs[runs["Step"] == runs["Step"].max()]
last.groupby("training_coverage")[["trained_share", "employment_rate", "poverty_rate_registry", "falls"]].mean()""",
     """import warnings

import mesa

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # Mesa 3.5 建议 rng=[None, None]
    rows = mesa.batch_run(RuralModel, parameters={**SIZE, "training_coverage": [0.06, 0.3]},
                          iterations=2, max_steps=MONTHS, number_processes=1,
                          data_collection_period=1, display_progress=False)
runs = pd.DataFrame(rows)
last = runs[runs["Step"] == runs["Step"].max()]
中文列名(last.groupby("training_coverage")[["trained_share", "employment_rate", "poverty_rate_registry", "falls"]].mean())"""),
]


PLACEHOLDER = re.compile(r"\{baseline:(\w+)\}")


def baseline_value(flat: str) -> str:
    """A parameter's value in the shipped baseline scenario, as the text shows it."""
    from ruralsim.simulation.config import find_scenario, load_scenario

    value = load_scenario(find_scenario("baseline")).params[flat]
    return f"{value:g}" if isinstance(value, float) else str(value)


def fill(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: baseline_value(m[1]), text)


def notebook(lang: str) -> nbformat.NotebookNode:
    """The tutorial in ``lang`` ("en" or "zh"), without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    for kind, en, zh in CELLS:
        if kind == "code":
            nb.cells.append(nbformat.v4.new_code_cell(zh if lang == "zh" and zh else en))
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(fill(en if lang == "en" else zh)))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{lang}-{i:02d}"  # stable ids keep the files byte-identical between runs
    return nb


def sources(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in nb.cells]


def execute(nb: nbformat.NotebookNode, where: Path) -> None:
    """Run every cell in a scratch folder (the tutorial writes nothing into the checkout)."""
    import nbclient

    nbclient.NotebookClient(nb, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(where)}}).execute()
    for i, cell in enumerate(nb.cells):
        cell.pop("execution", None)
        cell.metadata.pop("execution", None)


def main(argv: list[str]) -> int:
    import os
    import tempfile

    stale = []
    for lang, name in (("en", "tutorial.ipynb"), ("zh", "tutorial_zh.ipynb")):
        nb = notebook(lang)
        path = HERE / name
        if "--check" in argv:
            stored = nbformat.read(path, as_version=4) if path.is_file() else None
            if stored is None or sources(stored) != sources(nb):
                stale.append(name)
            continue
        os.environ.pop("MPLBACKEND", None)  # the kernel's inline backend stores the figures as outputs
        os.environ["PYTHONPATH"] = os.pathsep.join([str(HERE.parent / "model"), os.environ.get("PYTHONPATH", "")])
        with tempfile.TemporaryDirectory() as scratch:
            execute(nb, Path(scratch))
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{lang}-{i:02d}"  # stable ids keep diffs to what changed
        path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        print(f"wrote {path} (executed, with outputs)")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run python docs/make_tutorials.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
