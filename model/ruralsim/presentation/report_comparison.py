"""The comparison report (the question, the paired differences with their intervals, what they say,
each scenario's changed parameters) and the sweep report, built from a folder's stored tables.

Rendered by :mod:`.report`, which picks the kind of report from the folder's manifest."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from . import units
from .labels import label, translate
from .report_parts import (Cell, GROUP_NAMES, Headline, Report, TEXT, _dates_note, _figures, _is_share, _manifest,
                           _param_diff, _repro, _title, ever_metric, fmt, fmt_interval, header_comment,
                           headline_dates, poverty_metric)


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
