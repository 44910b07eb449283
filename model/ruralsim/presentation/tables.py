"""Tables for people who open results in Excel or WPS: the data dictionary and one xlsx workbook.

``data_dictionary.csv`` lists every column of every table in a results folder (CSV and Parquet) with
its Chinese name, unit, definition and which poverty measure it counts, from the label registry.
``<folder>.xlsx`` holds the folder's CSV tables as sheets (summary first), rounded as the CSVs are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analysis.outputs import atomic_path, spreadsheet_frame, write_csv
from .labels import lookup

DICTIONARY = "data_dictionary.csv"
DICTIONARY_COLUMNS = ["file", "column", "name_zh", "name_en", "unit", "unit_zh", "definition", "poverty_measure"]
UNDOCUMENTED = "undocumented"
#: Sheets first in a workbook, in this order; the other CSVs follow alphabetically.
FIRST_SHEETS = ("summary", "comparison", "poverty_by_year", "cost_effectiveness", "fiscal_budget",
                "fiscal_comparison", "dynamics_comparison")


def table_files(folder: Path) -> list[Path]:
    """The CSV and Parquet tables directly in ``folder`` (not the dictionary itself). Symbolic links are
    left out: ruralsim writes none, and one could point at any file of the user's."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".csv", ".parquet") and p.name != DICTIONARY and not p.name.startswith(".")
                  and not p.is_symlink() and p.is_file())


def columns_of(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    return list(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)


def data_dictionary(folder: Path) -> pd.DataFrame:
    """One row per (file, column) of the folder's tables, described from the label registry."""
    rows = []
    for path in table_files(folder):
        for col in columns_of(path):
            entry = lookup(col)
            rows.append({"file": path.name, "column": col,
                         "name_zh": entry.zh if entry else "", "name_en": entry.en if entry else "",
                         "unit": entry.unit if entry else "", "unit_zh": entry.unit_zh if entry else "",
                         "definition": entry.definition if entry else UNDOCUMENTED,
                         "poverty_measure": entry.measure if entry else ""})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def write_dictionary(folder: Path) -> Path:
    return write_csv(folder / DICTIONARY, data_dictionary(folder))


def write_workbook(folder: Path, name: str | None = None) -> Path:
    """``<folder name>.xlsx``: every CSV table of the folder as a sheet, the data dictionary last."""
    csvs = {p.stem: p for p in table_files(folder) if p.suffix == ".csv"}
    order = [s for s in FIRST_SHEETS if s in csvs] + sorted(s for s in csvs if s not in FIRST_SHEETS)
    if (folder / DICTIONARY).is_file() and not (folder / DICTIONARY).is_symlink():
        csvs["data_dictionary"] = folder / DICTIONARY
        order.append("data_dictionary")
    path = folder / f"{name or folder.name}.xlsx"
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            for sheet in order:
                frame = spreadsheet_frame(pd.read_csv(csvs[sheet], encoding="utf-8-sig"))
                frame.to_excel(xl, sheet_name=sheet[:31], index=False)
                xl.sheets[sheet[:31]].freeze_panes = "A2"
    return path


def registry_markdown() -> str:
    """docs/OUTPUTS.md: the files a results folder holds and every column with its names and unit."""
    from .labels import _ENTRIES

    lines = [
        "# Output columns (generated: `python -m ruralsim.presentation.tables`; do not edit)",
        "",
        "Every results folder holds `data_dictionary.csv`: each column of each of its tables with these",
        "names, units and definitions. CSV files are UTF-8 with a byte-order mark (Excel and WPS open them",
        "directly), numbers rounded to 6 significant digits per column; the Parquet files keep full",
        "precision. Months are ISO text (`2025-12`). Columns ending `_ci_lo`/`_ci_hi` are the 95% interval",
        "of the mean across replicates of the column they extend; `tr_<from>_<to>` count household-months",
        "moving between the states secure, monitored and below; `falls_<cause>` split falls by cause.",
        "",
        "Poverty measures: *model income measure*: per-capita net income below the poverty line of",
        "the year; *registry measure*: households the monitoring system records as returned to poverty.",
        "",
        "| column | English | 中文名 | unit | 单位 | definition | poverty measure |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in _ENTRIES:
        measure = "registry" if "registry" in e.measure else ("income" if e.measure else "")
        lines.append(f"| `{e.key}` | {e.en} | {e.zh} | {e.unit} | {e.unit_zh} | {e.definition} | {measure} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    out = Path(__file__).resolve().parents[3] / "docs" / "OUTPUTS.md"
    out.write_text(registry_markdown(), encoding="utf-8")
    print(f"wrote {out}")
