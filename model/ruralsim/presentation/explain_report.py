"""The comparison report's section "Why, and how sure" (drivers and robustness), one part per scenario.

Built from ``compare_drivers.csv``, ``compare_robustness_verdicts.csv`` and the tornado charts, so a report
redrawn later says what the folder holds. Kept out of :mod:`ruralsim.presentation.report` (which only passes
the section to its templates) so the report's structure can change without touching this.
"""

from __future__ import annotations

import base64
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.headline import OUTCOMES

TEXT = {
    "en": dict(title="Why, and how sure: drivers and robustness", lever="Lever", keys="Parameters",
               drivers="Drivers: each lever alone on the reference (95% paired interval)",
               robustness="Robustness: does the sign of the effect hold under every assumption? (The difference in "
                          "brackets is the robustness runs' own, at {size}: it can differ from the drivers' total.)",
               interaction="interaction (total − sum of levers)", total="total effect", other="other levers",
               figure="Tornado charts: the difference with each assumption at its low (blue) and high (red); line: "
                      "the declared values, grey: its 95% paired interval, dashed: zero",
               no_drivers="No drivers table (run with --drivers).",
               no_robustness="No robustness runs (run with --robustness).",
               assumptions="The assumptions varied, each at its low and its high",
               assumption_header=["Assumption", "Low", "High", "Why this range"], from_year="from {}"),
    "zh": dict(title="原因与把握：驱动因素与稳健性", lever="政策杠杆", keys="参数",
               drivers="驱动因素：在参照情景上单独施加每个杠杆（95%配对区间）",
               robustness="稳健性：效应的方向在每一项假设下是否都成立？（括号内为稳健性运行本身的配对差，规模{size}，"
                          "可能与驱动因素表的合计不同。）",
               interaction="交互作用（合计减各杠杆之和）", total="合计效应", other="其他杠杆",
               figure="龙卷风图：各项假设取低值（蓝）与高值（红）时的配对差；实线为设定取值，灰色为其95%配对区间，虚线为零",
               no_drivers="没有驱动因素表（运行时加 `--drivers`）。",
               no_robustness="没有稳健性运行（运行时加 `--robustness`）。",
               assumptions="所变动的假设（各取低值与高值）",
               assumption_header=["假设", "低值", "高值", "取值范围的依据（文件原文）"], from_year="{}年起"),
}


def _fmt(value: float, scale: float, signed: bool = True) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    v = value * scale
    digits = 2 if scale != 1 else 0
    v = 0.0 if round(v, digits) == 0 else v  # no "-0"
    return f"{v:+,.{digits}f}" if signed else f"{v:,.{digits}f}"


def _cell(row: pd.Series, scale: float) -> str:
    text = _fmt(row["mean"], scale)
    if math.isfinite(row["ci_lo"]):
        text += f" [{_fmt(row['ci_lo'], scale)}, {_fmt(row['ci_hi'], scale)}]"
    return text


def _intro(manifest_extra: dict[str, Any], lang: str) -> list[str]:
    info = manifest_extra.get("explain") or {}
    rob = info.get("robustness") or {}
    zh = lang == "zh"
    out = [("每个情景与参照不同的参数按情景文件的节归为杠杆（一节为一个杠杆，例如 `[programmes]` 路径；每种冲击单独为一个杠杆；"
            "超过6个时最小的几节并为“其他杠杆”）。每个杠杆单独施加在参照情景上，采用相同的重复和随机数，有日期的杠杆保持其日期；"
            "交互作用 = 合计效应 − 各杠杆贡献之和，因此各项相加恰好等于合计。")
           if zh else
           ("The parameters in which a scenario differs from the reference are grouped into levers by scenario-file "
            "section (one section is one lever, e.g. a `[programmes]` path; each shock is a lever of its own; past 6, "
            "the smallest sections are merged into \"other levers\"). Each lever runs alone on the reference with the "
            "same replicates and random numbers, dated levers keeping their dates; the interaction is the total minus "
            "the levers' sum, so the rows add up to the total exactly.")]
    if rob:
        n = len(rob.get("assumptions") or [])
        out.append((f"稳健性：{n} 项假设（{Path(rob.get('file', '')).name}）分别取低值与高值，一次一项，情景与参照取同一值；"
                    f"稳健性运行规模为 {int(rob.get('households', 0)):,} 户 × {int(rob.get('replicates', 0))} 次配对重复"
                    "（小于比较本身，以控制运行时间），因此其配对区间更宽。")
                   if zh else
                   (f"Robustness: {n} assumptions ({Path(rob.get('file', '')).name}) each at its low and its high, one "
                    "at a time, the same in scenario and reference; these runs use "
                    f"{int(rob.get('households', 0)):,} households × {int(rob.get('replicates', 0))} paired replicates "
                    "(smaller than the comparison, to keep the run short), so their intervals are wider."))
        for note in rob.get("notes") or []:
            # The note starts with the file's full path: the report names the file only (intro above).
            out.append(("跳过的假设（本模型没有其参数）：" + note.split("assumption ", 1)[-1].split(" skipped")[0])
                       if zh else note.split(": ", 1)[-1][:1].upper() + note.split(": ", 1)[-1][1:] + ".")
    return out


def _robust_size(manifest_extra: dict[str, Any], lang: str) -> str:
    rob = (manifest_extra.get("explain") or {}).get("robustness") or {}
    households, replicates = int(rob.get("households") or 0), int(rob.get("replicates") or 0)
    return (f"{households:,} 户 × {replicates} 次配对重复" if lang == "zh"
            else f"{households:,} households × {replicates} paired replicates")


def _assumption_rows(manifest_extra: dict[str, Any], lang: str) -> list[list[str]]:
    """One row per assumption varied: its label, its low and high settings, the source of its range
    (all text from the assumptions file: the templates escape it)."""
    rob = (manifest_extra.get("explain") or {}).get("robustness") or {}
    t = TEXT[lang]
    rows = []
    for a in rob.get("assumptions") or []:
        dated = f" ({t['from_year'].format(a['from_year'])})" if a.get("from_year") else ""
        sides = [", ".join(f"{k} = {v:g}" for k, v in (a.get(side) or {}).items()) + dated for side in ("low", "high")]
        rows.append([a.get("label_zh" if lang == "zh" else "label", a.get("name", "")), *sides, a.get("source", "")])
    return rows


def explain_section(folder: Path, manifest: dict[str, Any], labels: list[str], reference: str, lang: str,
                    html: bool) -> dict[str, Any] | None:
    """The section's content for the templates, or None when the folder has neither table."""
    drivers_csv, verdicts_csv = folder / "compare_drivers.csv", folder / "compare_robustness_verdicts.csv"
    if not drivers_csv.is_file() and not verdicts_csv.is_file():
        return None
    t = TEXT[lang]
    zh = lang == "zh"
    drivers = pd.read_csv(drivers_csv, encoding="utf-8-sig", keep_default_na=False, na_values=[""]) \
        if drivers_csv.is_file() else None
    verdicts = pd.read_csv(verdicts_csv, encoding="utf-8-sig") if verdicts_csv.is_file() else None
    header = [t["lever"], t["keys"]] + [f"{o.title_zh}（{o.unit_zh}）" if zh else f"{o.title} ({o.unit})"
                                         for o in OUTCOMES]
    parts = []
    for label in labels:
        if label == reference:
            continue
        part: dict[str, Any] = {"title": (f"情景 {label} 相对 {reference}" if zh else f"{label} against {reference}"),
                                "header": header, "rows": [], "verdicts": [], "figure": None}
        if drivers is not None:
            d = drivers[drivers["scenario"] == label]
            for term in dict.fromkeys(d["term"]):
                rows = d[d["term"] == term].set_index("outcome")
                kind = rows["kind"].iloc[0]
                name = {"interaction": t["interaction"], "total": t["total"]}.get(kind) or \
                    (t["other"] if term == "other levers" else term)
                keys = rows["keys"].iloc[0]
                cells = [_cell(rows.loc[o.key], o.scale) if o.key in rows.index else "–" for o in OUTCOMES]
                # Lever names are section names (code), shown as code in both languages.
                part["rows"].append({"name": name, "code": kind == "lever" and term != "other levers",
                                     "params": keys if isinstance(keys, str) else "", "cells": cells})
        if verdicts is not None:
            for o in OUTCOMES:
                v = verdicts[(verdicts["scenario"] == label) & (verdicts["outcome"] == o.key)]
                if v.empty:
                    continue
                r = v.iloc[0]
                sentence = r["verdict_zh"] if zh else r["verdict"]
                title = o.title_zh if zh else o.title.split(",")[0]  # keeps "(registry measure)"
                central = _fmt(r["central_diff"], o.scale)
                unit = o.unit_zh if zh else o.unit
                part["verdicts"].append(f"{title}（{central} {unit}）：{sentence}。" if zh
                                        else f"{title}, {central} {unit}: {sentence}.")
        png = folder / "plots" / "explain" / f"robustness_{label}.png"
        if png.is_file():
            part["figure"] = {"path": f"plots/explain/{png.name}", "caption": t["figure"],
                              "src": "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")
                              if html else ""}
        parts.append(part)
    return {"title": t["title"], "intro": _intro(manifest.get("extra") or {}, lang), "drivers_title": t["drivers"],
            "robustness_title": t["robustness"].format(size=_robust_size(manifest.get("extra") or {}, lang)),
            "scenarios": parts,
            "assumptions_title": t["assumptions"], "assumption_header": t["assumption_header"],
            "assumptions": _assumption_rows(manifest.get("extra") or {}, lang),
            "no_drivers": t["no_drivers"] if drivers is None else "",
            "no_robustness": t["no_robustness"] if verdicts is None else ""}
