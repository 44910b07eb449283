"""Which columns must name their poverty measure, and the check (read by test_measure_names.py).

Generic on purpose: a new table or column added by another issue is walked without editing this file;
only a column whose key speaks of poverty or income must say which measure (registry / alert, 建档口径 /
预警口径) or, for income, what it deducts, in English and in Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

#: Keys about being poor or falling poor (the measure decides the number).
POVERTY = re.compile(r"poverty|below|fall|reentr|recover|spell|kept|mass_return|return(?!s)|missed|assisted"
                     r"|above_line|to_identification")
#: Keys about income (what is deducted decides the number), project returns paid to households among them.
INCOME = re.compile(r"income|returns")
#: Keys that match but hold no measured number: the lines themselves and the dictionary's own column.
NOT_MEASURED = {"poverty_line", "poverty_measure", "monitoring_line"}
MEASURE_EN = ("registry", "alert")
MEASURE_ZH = ("建档口径", "预警口径")
DEDUCT_EN = ("medical", *MEASURE_EN)
DEDUCT_ZH = ("医疗", *MEASURE_ZH)


def needs(key: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(English words, Chinese words) one of which the names of ``key`` must hold, or None."""
    if key in NOT_MEASURED:
        return None
    if POVERTY.search(key):
        return MEASURE_EN, MEASURE_ZH
    if INCOME.search(key):
        return DEDUCT_EN, DEDUCT_ZH
    return None


def name_problems(key: str, en: str, zh: str, where: str) -> list[str]:
    words = needs(key)
    if words is None:
        return []
    out = []
    if not any(w in en.lower() for w in words[0]):
        out.append(f"{where}: {key}: English name {en!r} names no measure ({' / '.join(words[0])})")
    if not any(w in zh for w in words[1]):
        out.append(f"{where}: {key}: Chinese name {zh!r} names no measure ({' / '.join(words[1])})")
    return out


def tables(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".csv", ".parquet") and p.name != "data_dictionary.csv")


def column_problems(folder: Path) -> list[str]:
    """Every column of every table under ``folder`` (and every metric named in a ``metric`` column) whose
    label does not name its measure in both languages, and every such dictionary row."""
    from ruralsim.presentation.labels import lookup

    problems: list[str] = []
    for path in tables(folder):
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, encoding="utf-8-sig")
        keys = list(frame.columns)
        if "metric" in frame.columns:  # long tables: each row's metric is a column of another table
            keys += sorted(set(frame["metric"].astype(str)))
        for key in keys:
            if needs(key) is None:
                continue
            entry = lookup(key)
            if entry is None:
                problems.append(f"{path.name}: {key}: no label")
                continue
            problems += name_problems(key, entry.en, entry.zh, path.name)
    for dictionary in folder.rglob("data_dictionary.csv"):
        rows = pd.read_csv(dictionary, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for row in rows.itertuples():
            where = f"{dictionary.parent.name}/data_dictionary.csv ({row.file})"
            problems += name_problems(row.column, row.name_en, row.name_zh, where)
            if needs(row.column) is not None and needs(row.column)[0] == MEASURE_EN and not row.poverty_measure:
                problems.append(f"{where}: {row.column}: poverty_measure is empty")
    return problems
