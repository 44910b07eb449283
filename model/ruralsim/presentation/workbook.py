"""The results workbook for people who open it in Excel or WPS: ``<folder>.xlsx`` (``<folder>_zh.xlsx`` in Chinese).

Why a cover and a wide sheet: the tidy CSVs (one row per month x metric) are right for code but make a
reader pivot before seeing a number. The cover says the question, the answer (the report's own sentences
and headline table, so the workbook and the report cannot disagree) and how the run was made; the wide
sheet puts years down and indicators across, each header naming its measure and unit. Then every CSV
table of the folder follows as a sheet, with percentage and thousands formats and readable widths, and
the data dictionary last (with each column's code name, so a Chinese header can be traced to its key).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.outputs import atomic_path, spreadsheet_frame
from .labels import label, lookup
from .tables import DICTIONARY, table_files

#: Sheets first in a workbook, in this order; the other CSVs follow alphabetically.
FIRST_SHEETS = ("summary", "comparison", "poverty_by_year", "cost_effectiveness", "fiscal_budget",
                "fiscal_comparison", "dynamics_comparison")
COVER = {"en": "cover", "zh": "封面"}
WIDE = {"en": "by_year", "zh": "逐年指标"}
#: Chinese sheet names of the tables (a table not listed keeps its file name).
SHEETS_ZH = {
    "summary": "结果摘要", "comparison": "情景比较", "poverty_by_year": "逐年贫困发生率", "cost_effectiveness": "成本效益",
    "fiscal_budget": "财政支出与预算", "fiscal_comparison": "财政支出比较", "dynamics_comparison": "返贫动态比较",
    "fiscal_by_programme": "分项目财政支出", "groups": "分地区结果", "compare_groups": "分地区比较",
    "dynamics_causes": "返贫原因", "dynamics_ever_fallen": "累计返贫", "dynamics_reentry": "再返贫与脱贫",
    "dynamics_spells": "贫困持续时长", "dynamics_transitions": "状态转移", "data_dictionary": "数据字典",
    "question_answers": "问题答案",
}
MAX_WIDTH = 48


def workbook_name(folder: Path, lang: str) -> str:
    return f"{folder.name}_zh.xlsx" if lang == "zh" else f"{folder.name}.xlsx"


def sheet_name(stem: str, lang: str) -> str:
    return (SHEETS_ZH.get(stem, stem) if lang == "zh" else stem)[:31]


def header(column: str, lang: str) -> str:
    """A table header: the code name in English (as the CSV has it), the Chinese name (and unit) in Chinese."""
    if lang != "zh":
        return column
    entry = lookup(column)
    if entry is None:
        return column
    return f"{entry.zh}（{entry.unit_zh}）" if entry.unit_zh and entry.unit_zh not in entry.zh else entry.zh


def number_format(column: str) -> str | None:
    """Excel format of a column's values from its unit: shares as percentages, counts and yuan with thousands."""
    entry = lookup(column)
    unit = entry.unit if entry else ""
    if "(0-1)" in unit or unit.startswith("share"):
        return "0.00%"
    if any(w in unit for w in ("yuan", "households", "people", "count", "jobs", "villages", "labourers")):
        return "#,##0"
    return None


def write_workbook(folder: str | Path, lang: str = "en", report: Any = None) -> Path:
    """``<folder>.xlsx`` (``<folder>_zh.xlsx``): cover, wide year x indicator sheet, every CSV table, dictionary.

    ``report`` is the folder's :class:`ruralsim.presentation.report.Report` in ``lang``, whose question, answer,
    headline and run details make the cover (so the workbook says what the report says)."""
    folder = Path(folder)
    csvs = {p.stem: p for p in table_files(folder) if p.suffix == ".csv"}  # never a symbolic link
    order = [s for s in FIRST_SHEETS if s in csvs] + sorted(s for s in csvs if s not in FIRST_SHEETS)
    if (folder / DICTIONARY).is_file() and not (folder / DICTIONARY).is_symlink():
        csvs["data_dictionary"] = folder / DICTIONARY
        order.append("data_dictionary")
    path = folder / workbook_name(folder, lang)
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            _cover(xl, report, lang)
            wide = wide_table(folder, lang)
            if wide is not None:
                _sheet(xl, WIDE[lang], wide, formats={c: f for c, f in wide.attrs.get("formats", {}).items()})
            for stem in order:
                frame = spreadsheet_frame(pd.read_csv(csvs[stem], encoding="utf-8-sig"))
                formats = {header(c, lang): number_format(c) for c in frame.columns}
                _sheet(xl, sheet_name(stem, lang), frame.rename(columns=lambda c: header(c, lang)), formats)
    return path


def wide_table(folder: Path, lang: str) -> pd.DataFrame | None:
    """Years down, indicators across (mean across replicates; a comparison: one column per scenario and
    indicator), from summary.csv or comparison.csv. Headers name the measure and the unit."""
    for name, by in (("summary.csv", None), ("comparison.csv", "scenario")):
        path = folder / name
        if not path.is_file() or path.is_symlink():
            continue
        table = pd.read_csv(path, encoding="utf-8-sig")
        if not {"date", "metric", "mean"} <= set(table.columns):
            continue
        columns = ["metric"] + ([by] if by and by in table.columns else [])
        wide = table.pivot_table(index="date", columns=columns, values="mean", aggfunc="first")
        metrics = list(dict.fromkeys(table["metric"]))
        wide = wide.reindex(columns=[c for c in wide.columns if (c[0] if isinstance(c, tuple) else c) in metrics])
        wide = wide[sorted(wide.columns, key=lambda c: metrics.index(c[0] if isinstance(c, tuple) else c))]
        names, formats = [], {}
        for col in wide.columns:
            metric, who = (col[0], col[1]) if isinstance(col, tuple) and len(col) > 1 else (
                col[0] if isinstance(col, tuple) else col, "")
            unit = (lookup(metric).unit_in(lang) if lookup(metric) else "")
            text = label(metric, lang) + (f"（{unit}）" if lang == "zh" and unit else f" ({unit})" if unit else "")
            text = f"{who}: {text}" if who else text
            names.append(text)
            formats[text] = number_format(metric)
        wide.columns = names
        wide = wide.reset_index().rename(columns={"date": label("date", lang)})
        wide.attrs["formats"] = formats
        return wide
    return None


def _cover(xl: Any, report: Any, lang: str) -> None:
    """Question, answer (the report's sentences and headline table) and run details."""
    zh = lang == "zh"
    rows: list[list[Any]] = []
    if report is not None:
        rows.append([report.title])
        rows.append([])
        rows.append(["研究问题" if zh else "Question"])
        for q in report.questions:
            rows.append([q.get("name", ""), q.get("text", "")])
        rows.append([])
        rows.append(["答案" if zh else "Answer"])
        rows += [[_plain(r)] for r in report.readings]
        rows.append([])
        rows.append(["主要结果" if zh else "Headline"])
        rows.append(list(report.headline.header))
        rows += [[c.text for c in row] for row in report.headline.rows]
        if report.headline_note:
            rows.append([_plain(report.headline_note)])
        rows.append([])
        rows.append(["运行信息" if zh else "Run details"])
        rows += [[str(k), _plain(str(v))] for k, v in report.repro.items() if v not in (None, "")]
    rows.append([])
    rows.append(["各工作表的列含义见“数据字典”（含代码名）。" if zh else
                 "Every column's meaning, unit and code name: the data_dictionary sheet."])
    width = max(len(row) for row in rows)  # rows padded to one width (pandas 4 refuses ragged rows)
    frame = pd.DataFrame([row + [None] * (width - len(row)) for row in rows])
    frame.to_excel(xl, sheet_name=COVER[lang], index=False, header=False)
    ws = xl.sheets[COVER[lang]]
    ws.column_dimensions["A"].width = 60
    for letter in "BCDEFG":
        ws.column_dimensions[letter].width = 28
    from openpyxl.styles import Alignment, Font

    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sheet(xl: Any, name: str, frame: pd.DataFrame, formats: dict[str, str | None]) -> None:
    frame.to_excel(xl, sheet_name=name, index=False)
    ws = xl.sheets[name]
    ws.freeze_panes = "A2"
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        values = ["" if v is None or v != v else str(v) for v in frame.iloc[:200, i - 1].tolist()]
        width = max([_display_width(str(col))] + [_display_width(v) for v in values])
        ws.column_dimensions[letter].width = min(MAX_WIDTH, width + 2)
        fmt = formats.get(col) if isinstance(col, str) else None
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                if isinstance(cell.value, (int, float)):
                    cell.number_format = fmt


def _display_width(text: str) -> int:
    """Characters as Excel columns count them: a CJK character is two wide."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


def _plain(text: str) -> str:
    """A report sentence as plain text (no Markdown code marks or emphasis)."""
    return text.replace("`", "").replace("**", "") if text else ""
