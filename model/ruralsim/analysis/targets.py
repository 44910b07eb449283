"""Calibration and validation targets: observed outcomes the model must reproduce, read from TOML.

A targets file lists each observed figure with the exact rule that turns the model's monthly
series into a comparable number, so a reviewer can check *what* is compared, not only whether
it matched::

    title = "..."
    [run]                          # optional: the size the tolerances were set for
    households = 20000
    replicates = 20

    [targets.A17_growth]
    metric = "operating_income"    # a column of RuralModel.timeseries()
    date = "2022-12"               # or period = ["2022-01", "2022-12"]
    stat = "growth"                # value | mean | min | max | growth (needs base)
    base = "2021-12"
    observed = 0.225
    tolerance = 0.03
    kind = "equal"                 # equal | at_least | at_most
    judge = "mean"                 # mean (of replicates) | all (every replicate)
    scale = 1.0                    # a number, or "national" (x national people / cohort people)
    unit = "share"
    how = "value(2022-12) / value(2021-12) - 1 of the rolling 12-month per-capita sum"
    source = "article:A17"

    [calibration]                  # optional: used by ``ruralsim calibrate``
    targets = ["A07", "A17_level", "A17_growth", "A20"]
    households = 10000
    replicates = 20
    seed = 7
    budget = 60
    [calibration.params]           # free parameters with their search ranges
    "labour.migrant_find_rate" = [0.05, 0.25]
    "farm.productivity_growth[2022]" = [0.1, 0.4]   # one year's entry of a by-year table

Every problem in the file is reported at once (file, key path, value, what is allowed), as for
scenario files, and nothing runs until the whole file is valid.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..simulation.inputs.config import _NO_VALUE, ConfigError, Problem, _disp, _suggest, _suggest_param
from ..simulation.inputs.parameters import PARAMS_BY_FLAT, PARAMS_BY_KEY, Param, value_in_year

STATS = ("value", "mean", "min", "max", "growth")
KINDS = ("equal", "at_least", "at_most")
JUDGES = ("mean", "all")
METHODS = ("nelder-mead", "differential-evolution")
TOP_KEYS = ("title", "description", "run", "targets", "calibration")
TARGET_KEYS = ("label", "metric", "date", "period", "stat", "base", "observed", "tolerance", "kind",
               "judge", "scale", "unit", "how", "source")
RUN_KEYS = ("households", "replicates", "seed")
CALIBRATION_KEYS = ("targets", "params", "households", "replicates", "seed", "budget", "method")
REQUIRED = ("metric", "observed", "tolerance", "how", "source")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_PARAM_KEY = re.compile(r"^([a-z_]+\.[a-z_0-9]+)(?:\[(\d{4})\])?$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

#: The shipped article targets.
ARTICLE_TARGETS = Path(__file__).resolve().parents[3] / "experiments" / "targets_article.toml"


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One observed figure and the rule that computes the model's counterpart per replicate."""

    id: str
    metric: str
    start: str  # first month "YYYY-MM" (== end for a single date)
    end: str
    stat: str
    observed: float
    tolerance: float
    how: str
    source: str
    kind: str = "equal"
    judge: str = "mean"
    base: str | None = None
    scale: float | str = 1.0
    unit: str = ""
    label: str = ""

    @property
    def when(self) -> str:
        """The date or period as written, for tables (growth: ``base -> date``)."""
        if self.stat == "growth":
            return f"{self.base} -> {self.end}"
        return self.end if self.start == self.end else f"{self.start}..{self.end}"

    @property
    def title(self) -> str:
        return self.label or f"{self.id}: {self.metric}"

    def months(self) -> list[str]:
        """Every month the rule reads (for checking the run covers them)."""
        months = [str(p) for p in pd.period_range(self.start, self.end, freq="M")]
        return ([self.base] if self.base else []) + months

    def replicate_values(self, ts: pd.DataFrame) -> pd.Series:
        """The model's value for each replicate (index: replicate), from a stacked time series."""
        month = pd.to_datetime(ts["date"]).dt.strftime("%Y-%m")
        series = ts[self.metric].astype(float) * self.factor(ts)
        frame = pd.DataFrame({"replicate": ts["replicate"].to_numpy(), "month": month.to_numpy(),
                              "v": series.to_numpy()})
        missing = sorted(set(self.months()) - set(frame["month"]))
        if missing:
            raise ValueError(f"target {self.id}: months {missing[:3]} not in the run "
                             f"({frame['month'].min()}..{frame['month'].max()})")
        inside = frame[(frame["month"] >= self.start) & (frame["month"] <= self.end)]
        by_rep = inside.groupby("replicate")["v"]
        if self.stat in ("value", "mean"):
            return by_rep.mean()
        if self.stat == "min":
            return by_rep.min()
        if self.stat == "max":
            return by_rep.max()
        base = frame[frame["month"] == self.base].set_index("replicate")["v"]
        return by_rep.mean() / base - 1.0  # growth: end value over base value

    def factor(self, ts: pd.DataFrame) -> Any:
        """Multiplier applied to the metric: a number, or national people / cohort people per row."""
        if self.scale == "national":
            from ..simulation.inputs.parameters import PARAMS_BY_FLAT

            national = float(PARAMS_BY_FLAT["population_national_people"].default)
            if "national_people" in ts.attrs:
                national = float(ts.attrs["national_people"])
            return national / ts["people"].astype(float)
        return float(self.scale)

    def holds(self, values: np.ndarray) -> bool:
        """Whether the target is met: on the replicate mean, or on every replicate (judge = all)."""
        vals = np.asarray(values, dtype=float)
        if vals.size == 0 or not np.all(np.isfinite(vals)):
            return False
        checked = vals if self.judge == "all" else np.array([vals.mean()])
        if self.kind == "at_least":
            return bool(np.all(checked >= self.observed - self.tolerance))
        if self.kind == "at_most":
            return bool(np.all(checked <= self.observed + self.tolerance))
        return bool(np.all(np.abs(checked - self.observed) <= self.tolerance))

    @property
    def width(self) -> float:
        """The unit of the standardised error: the tolerance, or 1% of the observed value (1 if it is 0)
        when the tolerance is 0 (inequalities such as "above 99%")."""
        return self.tolerance if self.tolerance > 0 else (abs(self.observed) * 0.01 or 1.0)

    def error(self, model: float) -> float:
        """Signed error in tolerance units; inequalities count only a violation (else 0)."""
        width = self.width
        gap = model - self.observed
        if self.kind == "at_least":
            gap = min(0.0, gap + self.tolerance)
        elif self.kind == "at_most":
            gap = max(0.0, gap - self.tolerance)
        return gap / width


@dataclass(frozen=True)
class FreeParam:
    """A parameter the calibration may move: a declared key, optionally one year of a by-year table."""

    key: str  # "section.name"
    low: float
    high: float
    year: int | None = None

    @property
    def param(self) -> Param:
        return PARAMS_BY_KEY[self.key]

    @property
    def label(self) -> str:
        return f"{self.key}[{self.year}]" if self.year is not None else self.key

    @property
    def integer(self) -> bool:
        return self.param.kind == "int"

    def clip(self, x: float) -> float | int:
        x = min(max(float(x), self.low), self.high)
        return int(round(x)) if self.integer else x

    def current(self, params: Mapping[str, Any]) -> float:
        """The value in force now (the year's entry for a by-year key)."""
        v = params[self.param.flat]
        return float(value_in_year(v, self.year) if self.year is not None else v)

    def apply(self, params: Mapping[str, Any], x: float) -> Any:
        """The override value setting this parameter (or only its year's entry) to ``x``."""
        x = self.clip(x)
        if self.year is None:
            return x
        return set_year_entry(params[self.param.flat], self.year, x)


@dataclass(frozen=True)
class CalibrationSpec:
    """The ``[calibration]`` table: which targets enter the loss, free parameters, size and budget."""

    targets: tuple[str, ...] = ()
    params: tuple[FreeParam, ...] = ()
    households: int | None = None
    replicates: int | None = None
    seed: int | None = None
    budget: int | None = None
    method: str = "nelder-mead"


@dataclass(frozen=True)
class TargetSet:
    """A validated targets file."""

    path: Path
    title: str
    targets: tuple[Target, ...]
    run: dict[str, int] = field(default_factory=dict)
    calibration: CalibrationSpec = CalibrationSpec()
    description: str = ""

    def by_id(self, ids: tuple[str, ...] | list[str] | None = None) -> tuple[Target, ...]:
        """The targets with these ids, in file order (all when ``ids`` is None or empty)."""
        if not ids:
            return self.targets
        wanted = set(ids)
        return tuple(t for t in self.targets if t.id in wanted)


def set_year_entry(value: Any, year: int, x: Any) -> dict[int, Any]:
    """A by-year table equal to ``value`` in every year except ``year``, where it is ``x``.

    Neighbouring entries are added where needed so only that one year changes (an entry applies
    until the next listed year, and the earliest entry also applies before it).
    """
    table = {int(k): v for k, v in value.items()} if isinstance(value, Mapping) else {}
    before, after = value_in_year(value, year - 1), value_in_year(value, year + 1)
    if not table or year <= min(table):
        table[year - 1] = before
    table.setdefault(year + 1, after)
    table[year] = x
    return dict(sorted(table.items()))


# ---------------------------------------------------------------------------------------------
# Metrics the model records
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def metric_columns() -> tuple[str, ...]:
    """Numeric columns of :meth:`RuralModel.timeseries`, read from a tiny run (so never stale)."""
    from ..simulation.engine.model import RuralModel

    m = RuralModel(None, run_households=10, run_months=1, record_distribution=False).run()
    return tuple(k for k, v in m.current.items()
                 if k not in ("replicate", "date") and isinstance(v, (int, float, np.number)))


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def load_targets(path: str | Path) -> TargetSet:
    """Read and validate a targets file; raise :class:`ConfigError` listing every problem."""
    path = Path(path)
    src = _disp(path)
    from ..simulation.inputs.config import MAX_TOML_BYTES, read_config_file

    text = read_config_file(path, src, MAX_TOML_BYTES,
                            "a targets .toml file, e.g. experiments/targets_article.toml")
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise ConfigError([Problem(src, "", _NO_VALUE, "TOML nested too deeply",
                                   "tables and arrays nested a few levels deep")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(src, "", _NO_VALUE, f"TOML syntax error: {exc}", "valid TOML, see https://toml.io")])

    problems: list[Problem] = []
    for key in doc:
        if key not in TOP_KEYS:
            problems.append(Problem(src, key, doc[key], "unknown top-level key" + _suggest(key, list(TOP_KEYS)),
                                    ", ".join(TOP_KEYS)))
    title = _string(doc, "title", src, problems, default=path.stem)
    description = _string(doc, "description", src, problems, default="")
    run = _size_table(doc.get("run", {}), "run", RUN_KEYS, src, problems)

    raw_targets = doc.get("targets")
    targets: list[Target] = []
    if not isinstance(raw_targets, dict) or not raw_targets:
        problems.append(Problem(src, "targets", raw_targets if raw_targets is not None else _NO_VALUE,
                                "no targets" if raw_targets is None or raw_targets == {} else "must be a table",
                                "one table per target, e.g. [targets.A07] with " + ", ".join(REQUIRED)))
    else:
        for tid, table in raw_targets.items():
            t = _target(tid, table, src, problems)
            if t is not None:
                targets.append(t)

    calibration = _calibration(doc.get("calibration"), {t.id for t in targets}, set(raw_targets or {}),
                               src, problems)
    if problems:
        raise ConfigError(problems)
    return TargetSet(path=path, title=title, targets=tuple(targets), run=run, calibration=calibration,
                     description=description)


def _target(tid: Any, table: Any, src: str, problems: list[Problem]) -> Target | None:
    where = f"targets.{tid}"
    n0 = len(problems)
    if not isinstance(tid, str) or not _ID.match(tid):
        problems.append(Problem(src, where, tid, "bad target id", "letters, digits and _ (e.g. A17_growth)"))
    if not isinstance(table, dict):
        problems.append(Problem(src, where, table, "a target must be a table",
                                f"[{where}] with keys " + ", ".join(TARGET_KEYS)))
        return None
    for key in table:
        if key not in TARGET_KEYS:
            problems.append(Problem(src, f"{where}.{key}", table[key], "unknown key" + _suggest(key, list(TARGET_KEYS)),
                                    ", ".join(TARGET_KEYS)))
    for key in REQUIRED:
        if key not in table:
            problems.append(Problem(src, f"{where}.{key}", _NO_VALUE, "missing", _ALLOWED[key]))

    metric = table.get("metric")
    if metric is not None:
        known = metric_columns()
        if not isinstance(metric, str) or metric not in known:
            problems.append(Problem(src, f"{where}.metric", metric,
                                    "unknown metric" + (_suggest(metric, list(known)) if isinstance(metric, str) else ""),
                                    "a column of RuralModel.timeseries(): " + ", ".join(known)))
    stat = table.get("stat")
    if stat is not None and stat not in STATS:
        problems.append(Problem(src, f"{where}.stat", stat, "unknown statistic" + _suggest(str(stat), list(STATS)),
                                ", ".join(STATS)))
    has_date, has_period = "date" in table, "period" in table
    start = end = None
    if has_date and has_period:
        problems.append(Problem(src, f"{where}.period", table["period"], "give either date or period, not both",
                                "date = \"YYYY-MM\" or period = [\"YYYY-MM\", \"YYYY-MM\"]"))
    elif has_date:
        start = end = _month(table["date"], f"{where}.date", src, problems)
    elif has_period:
        per = table["period"]
        if (not isinstance(per, list) or len(per) != 2):
            problems.append(Problem(src, f"{where}.period", per, "must be a list of two months",
                                    "[\"YYYY-MM\", \"YYYY-MM\"] (first and last month, inclusive)"))
        else:
            start = _month(per[0], f"{where}.period[0]", src, problems)
            end = _month(per[1], f"{where}.period[1]", src, problems)
            if start and end and start > end:
                problems.append(Problem(src, f"{where}.period", per, "first month is after the last",
                                        "[first, last] in time order"))
    else:
        problems.append(Problem(src, f"{where}.date", _NO_VALUE, "missing (give date or period)",
                                "date = \"YYYY-MM\" or period = [\"YYYY-MM\", \"YYYY-MM\"]"))
    if stat is None:
        stat = "mean" if has_period else "value"
    if has_date and stat in ("mean", "min", "max"):
        pass  # a statistic over one month is that month's value; harmless
    base = None
    if stat == "growth":
        if "base" not in table:
            problems.append(Problem(src, f"{where}.base", _NO_VALUE, "missing (stat = \"growth\" needs a base month)",
                                    "base = \"YYYY-MM\", earlier than the date"))
        else:
            base = _month(table["base"], f"{where}.base", src, problems)
            if base and start and base >= start:
                problems.append(Problem(src, f"{where}.base", table["base"], "base month is not before the date",
                                        "a month earlier than the date or period"))
    elif "base" in table:
        problems.append(Problem(src, f"{where}.base", table["base"], "base is only used with stat = \"growth\"",
                                "remove it, or set stat = \"growth\""))

    observed = _number(table, "observed", where, src, problems)
    tolerance = _number(table, "tolerance", where, src, problems, low=0.0)
    kind = _choice(table, "kind", KINDS, "equal", where, src, problems)
    judge = _choice(table, "judge", JUDGES, "mean", where, src, problems)
    scale = table.get("scale", 1.0)
    if not (scale == "national" or (isinstance(scale, (int, float)) and not isinstance(scale, bool)
                                     and math.isfinite(scale) and scale != 0)):
        problems.append(Problem(src, f"{where}.scale", scale, "bad scale",
                                "a non-zero number, or \"national\" (x national people / cohort people)"))
    texts = {k: _string(table, k, src, problems, default="", where=where) for k in ("how", "source", "unit", "label")}
    for k in ("how", "source"):
        if k in table and not texts[k].strip():
            problems.append(Problem(src, f"{where}.{k}", table[k], "must not be empty", _ALLOWED[k]))
    if len(problems) > n0:
        return None
    return Target(id=tid, metric=metric, start=start, end=end, stat=stat, observed=observed, tolerance=tolerance,
                  how=texts["how"].strip(), source=texts["source"].strip(), kind=kind, judge=judge, base=base,
                  scale=scale if scale == "national" else float(scale), unit=texts["unit"], label=texts["label"])


_ALLOWED = {
    "metric": "a column of RuralModel.timeseries(), e.g. risk_eliminated_share",
    "observed": "a number: the observed figure",
    "tolerance": "a number >= 0: how far the model may be from the observed value",
    "how": "a sentence saying how the model's value is computed",
    "source": "the figure's id, e.g. \"article:A07\" or \"public:P22\"",
}


def _month(v: Any, key: str, src: str, problems: list[Problem]) -> str | None:
    m = _MONTH.match(v) if isinstance(v, str) else None
    if not m or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2100):
        problems.append(Problem(src, key, v, "bad date", "a month \"YYYY-MM\" from 2000-01 to 2100-12"))
        return None
    return v


def _number(table: Mapping, key: str, where: str, src: str, problems: list[Problem],
            low: float | None = None) -> float | None:
    if key not in table:
        return None
    v = table[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        problems.append(Problem(src, f"{where}.{key}", v, "not a finite number", _ALLOWED.get(key, "a number")))
        return None
    if low is not None and v < low:
        problems.append(Problem(src, f"{where}.{key}", v, "out of range", _ALLOWED.get(key, f"a number >= {low:g}")))
        return None
    return float(v)


def _choice(table: Mapping, key: str, choices: tuple[str, ...], default: str, where: str, src: str,
            problems: list[Problem]) -> str:
    v = table.get(key, default)
    if v not in choices:
        problems.append(Problem(src, f"{where}.{key}", v, "invalid choice" + _suggest(str(v), list(choices)),
                                "one of " + ", ".join(choices)))
        return default
    return v


def _string(table: Mapping, key: str, src: str, problems: list[Problem], default: str, where: str = "") -> str:
    v = table.get(key, default)
    if not isinstance(v, str):
        problems.append(Problem(src, f"{where}.{key}" if where else key, v, "must be a string", "a string"))
        return default
    return v


def _size_table(table: Any, where: str, keys: tuple[str, ...], src: str, problems: list[Problem]) -> dict[str, int]:
    out: dict[str, int] = {}
    if not isinstance(table, dict):
        problems.append(Problem(src, where, table, "must be a table", f"[{where}] with keys " + ", ".join(keys)))
        return out
    for key, v in table.items():
        if key not in keys:
            continue  # the caller checks the table's other keys
        ok = isinstance(v, int) and not isinstance(v, bool) and (v >= 0 if key == "seed" else v >= 1)
        if not ok:
            problems.append(Problem(src, f"{where}.{key}", v, "must be a whole number "
                                    + (">= 0" if key == "seed" else ">= 1"), "a whole number"))
        else:
            out[key] = v
    if where == "run":
        for key in table:
            if key not in keys:
                problems.append(Problem(src, f"run.{key}", table[key], "unknown key" + _suggest(key, list(keys)),
                                        ", ".join(keys)))
    return out


def _calibration(table: Any, valid_ids: set[str], all_ids: set[str], src: str,
                 problems: list[Problem]) -> CalibrationSpec:
    if table is None:
        return CalibrationSpec()
    if not isinstance(table, dict):
        problems.append(Problem(src, "calibration", table, "must be a table",
                                "[calibration] with keys " + ", ".join(CALIBRATION_KEYS)))
        return CalibrationSpec()
    for key in table:
        if key not in CALIBRATION_KEYS:
            problems.append(Problem(src, f"calibration.{key}", table[key],
                                    "unknown key" + _suggest(key, list(CALIBRATION_KEYS)), ", ".join(CALIBRATION_KEYS)))
    size = _size_table(table, "calibration", ("households", "replicates", "seed", "budget"), src, problems)
    ids = table.get("targets", [])
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        problems.append(Problem(src, "calibration.targets", ids, "must be a list of target ids",
                                "e.g. [\"A07\", \"A17_level\"]"))
        ids = []
    for i in ids:
        if i not in all_ids:
            problems.append(Problem(src, "calibration.targets", i, "no such target" + _suggest(i, sorted(all_ids)),
                                    "ids of [targets.*] tables: " + ", ".join(sorted(all_ids))))
    method = _choice(table, "method", METHODS, "nelder-mead", "calibration", src, problems)
    raw = table.get("params", {})
    params: list[FreeParam] = []
    if not isinstance(raw, dict):
        problems.append(Problem(src, "calibration.params", raw, "must be a table",
                                "[calibration.params] with \"section.name\" = [low, high]"))
    else:
        for key, rng in raw.items():
            fp = parse_free_param(key, rng, src, f"calibration.params.\"{key}\"", problems)
            if fp is not None:
                params.append(fp)
    return CalibrationSpec(targets=tuple(ids), params=tuple(params), households=size.get("households"),
                           replicates=size.get("replicates"), seed=size.get("seed"), budget=size.get("budget"),
                           method=method)


def parse_free_param(key: Any, rng: Any, src: str, where: str, problems: list[Problem]) -> FreeParam | None:
    """Check one free parameter: a declared numeric key (``[year]`` only for by-year ones) and a range
    inside the schema's. ``rng`` is ``[low, high]`` or None for the schema's own range."""
    m = _PARAM_KEY.match(key) if isinstance(key, str) else None
    p = PARAMS_BY_KEY.get(m.group(1)) if m else None
    if p is None:
        name = m.group(1) if m else str(key)
        problems.append(Problem(src, where, key, "unknown parameter" + _suggest_param(name),
                                "a declared numeric parameter \"section.name\", or \"section.name[YEAR]\" "
                                "for one year of a by-year table (see ruralsim params)"))
        return None
    year = int(m.group(2)) if m.group(2) else None
    if p.section == "run" or "seed" in p.name:
        problems.append(Problem(src, where, key, "run sizes and seeds cannot be calibrated (they set how the "
                                "model is run, not what it assumes)", "a model parameter such as "
                                "labour.migrant_find_rate; sizes are --households, --replicates, --seed"))
        return None
    if p.kind not in ("int", "float"):
        problems.append(Problem(src, where, key, f"not a numeric parameter ({p.kind})", "a float or int parameter"))
        return None
    if year is not None and not p.by_year:
        problems.append(Problem(src, where, key, "this parameter does not vary by year",
                                f"\"{p.key}\" without [YEAR]"))
        return None
    if year is not None and not 2000 <= year <= 2100:
        problems.append(Problem(src, where, key, "year out of range", "a year from 2000 to 2100"))
        return None
    if p.by_year and year is None:
        problems.append(Problem(src, where, key, "a by-year parameter needs the year of the entry to fit",
                                f"\"{p.key}[YEAR]\", e.g. \"{p.key}[2022]\""))
        return None
    if rng is None:
        low, high = p.low, p.high
    elif (isinstance(rng, (list, tuple)) and len(rng) == 2
          and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in rng)):
        low, high = float(rng[0]), float(rng[1])
    else:
        problems.append(Problem(src, where, rng, "bad range", "[low, high] with two numbers"))
        return None
    if not low < high:
        problems.append(Problem(src, where, rng, "low must be below high", "[low, high] with low < high"))
        return None
    if (p.low is not None and low < p.low) or (p.high is not None and high > p.high):
        problems.append(Problem(src, where, rng, "range outside the parameter's declared range", p.allowed()))
        return None
    return FreeParam(key=p.key, low=float(low), high=float(high), year=year)


# ---------------------------------------------------------------------------------------------
# Comparing
# ---------------------------------------------------------------------------------------------
def months_needed(targets: tuple[Target, ...] | list[Target], start_year: int) -> int:
    """Months a run starting in January of ``start_year`` needs to cover every target."""
    last = max(t.end for t in targets)
    return (int(last[:4]) - start_year) * 12 + int(last[5:7])


def check_dates(target_set: TargetSet, targets: tuple[Target, ...], start_year: int) -> None:
    """Every month a target reads must fall inside a run starting in ``start_year`` (else ConfigError).

    A month past the longest run the schema allows is reported by the target's own key (``date``,
    ``base`` or ``period``), not as the ``run_months`` it would have needed.
    """
    problems = []
    first = f"{start_year}-01"
    longest = int(PARAMS_BY_FLAT["run_months"].high or 600)
    end = start_year * 12 + longest - 1
    last = f"{end // 12}-{end % 12 + 1:02d}"
    for t in targets:
        months = t.months()
        early = [m for m in months if m < first]
        late = [m for m in months if m > last]
        for wrong, why in ((early, f"before the run starts ({first})"),
                           (late, f"after the longest run ends ({last}: run.months is at most {longest})")):
            if wrong:
                key = "base" if t.base in wrong else ("date" if t.start == t.end else "period")
                problems.append(Problem(_disp(target_set.path), f"targets.{t.id}.{key}", wrong[0], why,
                                        f"months from {first} to {last}"))
    if problems:
        raise ConfigError(problems)
