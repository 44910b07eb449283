"""Stored results of a run: summary table, provenance manifest, parquet files and plots.

A run directory is self-describing so that any figure or number in a report can be traced
back to the exact parameters, seeds, code version and machine that produced it, and plots
can be redrawn later without re-running the model (:func:`load_run`)::

    out_dir/
      timeseries.parquet    monthly series, one row per (replicate, date)
      distribution.parquet  per-household income samples at the start and end dates
      summary.csv           :func:`summarise` of the series (tidy long format)
      manifest.json         :func:`run_manifest`
      plots/*.png           :func:`ruralsim.presentation.run_plots.write_run_plots`

Every file is written to a temporary name in the same directory and then renamed with
:func:`os.replace`, so an interrupted run never leaves a truncated file under a real name.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..simulation.phases.metrics import GROUP_LEVELS

MANIFEST_SCHEMA = "ruralsim.run-manifest/1"

#: Distributions whose versions go into the manifest (missing ones are recorded as None).
DEPENDENCIES: tuple[str, ...] = (
    "numpy", "pandas", "pyarrow", "mesa", "matplotlib", "scipy", "pydantic", "SALib",
    "dask", "distributed", "tqdm", "psutil", "numba",
)

FILES = {
    "timeseries": "timeseries.parquet",
    "distribution": "distribution.parquet",
    "summary": "summary.csv",
    "manifest": "manifest.json",
    "county": "counties.parquet",
    "village": "villages.parquet",
}

SUMMARY_COLUMNS = ["date", "metric", "mean", "lo", "hi", "ci_lo", "ci_hi", "n"]


# ---------------------------------------------------------------------------------------------
# Summary table
# ---------------------------------------------------------------------------------------------
def summarise(
    ts: pd.DataFrame, dates: list[str] | None = None, metrics: list[str] | None = None
) -> pd.DataFrame:
    """Each metric at chosen months, summarised across replicates (tidy long format).

    Two intervals are reported because they answer different questions:

    * ``lo``/``hi`` -- 2.5% and 97.5% percentiles (linear interpolation) of the replicate
      values: the *spread of outcomes* a single run might produce. With few replicates
      they are close to the min and max.
    * ``ci_lo``/``ci_hi`` -- Student-t 95% confidence interval of the *mean* across
      replicates (NaN when fewer than two replicates): how precisely the replicates pin
      down the expected outcome; it shrinks as replicates are added.

    ``dates`` are months such as ``"2025-12"`` (default: every December in the run plus the
    last month); ``metrics`` default to every numeric column except ``replicate``. Missing
    values are dropped per metric; ``n`` is the number of replicates used. The ``date``
    column of the result is the month as ``"YYYY-MM"`` text.
    """
    months = pd.to_datetime(ts["date"]).dt.to_period("M")
    chosen = _summary_months(months, dates)
    metrics = list(metrics) if metrics is not None else _numeric_metrics(ts)
    missing = [m for m in metrics if m not in ts.columns]
    if missing:
        raise KeyError(f"metrics not in the time series: {missing}")
    rows = [
        {"date": str(month), "metric": metric, **_describe(ts.loc[months == month, metric])}
        for month in chosen
        for metric in metrics
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _summary_months(months: pd.Series, dates: list[str] | None) -> list[pd.Period]:
    """Requested months, or every December plus the last month; unknown months are an error."""
    available = set(months.unique())
    if dates is None:
        chosen = {m for m in available if m.month == 12} | {months.max()}
        return sorted(chosen)
    chosen = [pd.Period(d, freq="M") for d in dates]
    unknown = [str(m) for m in chosen if m not in available]
    if unknown:
        raise ValueError(
            f"dates not in the run: {unknown} (run covers {months.min()} to {months.max()})"
        )
    return chosen


def _numeric_metrics(ts: pd.DataFrame) -> list[str]:
    return [
        c for c in ts.columns
        if c != "replicate" and pd.api.types.is_numeric_dtype(ts[c])
        and not pd.api.types.is_bool_dtype(ts[c])
    ]


def _describe(values: pd.Series) -> dict[str, float | int]:
    """Mean, 2.5-97.5% percentile range and t-based 95% CI of the mean of one sample."""
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    n = len(v)
    if n == 0:
        return dict(mean=np.nan, lo=np.nan, hi=np.nan, ci_lo=np.nan, ci_hi=np.nan, n=0)
    mean = float(v.mean())
    lo, hi = (float(x) for x in np.percentile(v, [2.5, 97.5]))
    if n < 2:
        return dict(mean=mean, lo=lo, hi=hi, ci_lo=np.nan, ci_hi=np.nan, n=n)
    from scipy import stats  # deferred: only the summary needs scipy

    half = float(stats.t.ppf(0.975, n - 1)) * float(v.std(ddof=1)) / math.sqrt(n)
    return dict(mean=mean, lo=lo, hi=hi, ci_lo=mean - half, ci_hi=mean + half, n=n)


# ---------------------------------------------------------------------------------------------
# Manifest (provenance)
# ---------------------------------------------------------------------------------------------
def run_manifest(
    params: Mapping[str, Any],
    scenario: Mapping[str, Any] | None = None,
    seeds: Sequence[Any] | None = None,
    started_at: _dt.datetime | float | str | None = None,
    wall_seconds: float | None = None,
    extra: Mapping[str, Any] | None = None,
    *,
    master_seed: int | None = None,
    argv: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Everything needed to reproduce or audit a run, as a JSON-safe dict.

    ``params``: resolved parameters, flat (``monitoring_line``, ``monitoring.line``) or
    already nested by section; stored nested by section. ``scenario``: e.g. ``{"name": ...,
    "file": ..., "extends": [...]}``. ``seeds``: one entry per replicate -- an int, a
    :class:`numpy.random.SeedSequence` (entropy and spawn key are recorded) or a dict.
    ``master_seed`` defaults to ``params``' ``run.seed``. ``started_at`` is a datetime
    (naive = local time), epoch seconds or ISO text; default now. ``argv`` defaults to
    :data:`sys.argv`. Peak memory is read now, so call this at the end of the run.
    """
    nested = nest_params(params)
    if master_seed is None:
        master_seed = nested.get("run", {}).get("seed")
    return _jsonable({
        "schema": MANIFEST_SCHEMA,
        "scenario": dict(scenario or {}),
        "params": nested,
        "seeds": {"master": master_seed, "replicates": _seed_records(seeds or [])},
        "versions": package_versions(),
        "git": git_info(),
        "platform": platform_info(),
        "command": list(sys.argv if argv is None else argv),
        "started_at": _iso_utc(started_at),
        "wall_seconds": None if wall_seconds is None else float(wall_seconds),
        "resources": resource_info(),
        "extra": dict(extra or {}),
    })


def write_manifest(path: Path | str, manifest: Mapping[str, Any]) -> Path:
    """Write the manifest as indented strict JSON (NaN/inf become null), atomically."""
    path = Path(path)
    text = json.dumps(_jsonable(manifest), indent=2, ensure_ascii=False, allow_nan=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return path


def nest_params(params: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Group parameters by section; flat names are split using the declared schema."""
    by_flat = _schema_by_flat()
    nested: dict[str, dict[str, Any]] = {}
    for key, value in params.items():
        if isinstance(value, Mapping) and key not in by_flat and not _is_year_table(value):
            nested.setdefault(str(key), {}).update(value)  # already a section
            continue
        section, name = _split_key(str(key), by_flat)
        nested.setdefault(section, {})[name] = value
    return nested


def _schema_by_flat() -> dict[str, tuple[str, str]]:
    try:
        from ruralsim.simulation.inputs.parameters import PARAMS
    except ImportError:  # schema unavailable: fall back to the naming convention only
        return {}
    return {p.flat: (p.section, p.name) for p in PARAMS}


def _split_key(key: str, by_flat: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    if key in by_flat:
        return by_flat[key]
    if "." in key:
        section, name = key.split(".", 1)
        return section, name
    return "other", key


def _is_year_table(value: Mapping[Any, Any]) -> bool:
    """A by-year table such as ``{2021: 6000}`` (not a section)."""
    return bool(value) and all(str(k).isdigit() for k in value)


def _seed_records(seeds: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"replicate": i, **_seed_record(s)} for i, s in enumerate(seeds)]


def _seed_record(seed: Any) -> dict[str, Any]:
    if isinstance(seed, np.random.SeedSequence):
        return {"seed": seed.entropy, "spawn_key": list(seed.spawn_key)}
    if isinstance(seed, Mapping):
        return dict(seed)
    return {"seed": seed, "spawn_key": None}


def package_versions() -> dict[str, str | None]:
    """Versions of Python, ruralsim and the scientific stack (None when not installed)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in ("ruralsim", *DEPENDENCIES):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def ruralsim_version() -> str:
    """Installed ruralsim version, or ``"unknown"`` when running from an uninstalled tree."""
    try:
        return metadata.version("ruralsim")
    except metadata.PackageNotFoundError:
        return "unknown"


def git_info(where: Path | str | None = None) -> dict[str, Any] | None:
    """Commit and dirtiness of the checkout holding the package source; None if not in git.

    ``dirty`` counts modified tracked files only, so untracked result folders do not mark
    every run as dirty.
    """
    cwd = Path(where) if where is not None else Path(__file__).resolve().parent
    commit = _git(cwd, "rev-parse", "HEAD")
    if commit is None:
        return None
    status = _git(cwd, "status", "--porcelain", "--untracked-files=no")
    return {"commit": commit, "dirty": None if status is None else bool(status)}


def _git(cwd: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=20, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def platform_info() -> dict[str, Any]:
    """Machine and interpreter description."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "python_implementation": platform.python_implementation(),
        "python_executable": sys.executable,
        "hostname": platform.node(),
    }


def resource_info() -> dict[str, Any]:
    """CPU count and peak resident memory (MiB) of this process and of its largest child.

    The child figure is meant for process pools; on Linux a forked short-lived child
    (e.g. ``git``) reports the parent's size at fork time, so it is an upper bound.
    """
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpu_usable": usable,
        "peak_rss_mb": _peak_rss_mb("RUSAGE_SELF"),
        "peak_rss_children_mb": _peak_rss_mb("RUSAGE_CHILDREN"),
    }


def _peak_rss_mb(who: str) -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    maxrss = resource.getrusage(getattr(resource, who)).ru_maxrss
    per_unit = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return round(maxrss * per_unit / 2**20, 1)


def _iso_utc(when: _dt.datetime | float | str | None) -> str:
    if when is None:
        when = _dt.datetime.now(_dt.timezone.utc)
    elif isinstance(when, (int, float)):
        when = _dt.datetime.fromtimestamp(when, _dt.timezone.utc)
    elif isinstance(when, str):
        when = _dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.astimezone()  # naive: interpret as local time
    return when.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")


def _jsonable(obj: Any) -> Any:
    """Recursively convert to JSON-safe types: str keys, lists, builtin numbers, NaN -> None."""
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = sorted(obj, key=str) if isinstance(obj, (set, frozenset)) else obj
        return [_jsonable(v) for v in items]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return _jsonable(obj.item())
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, (_dt.datetime, _dt.date, pd.Timestamp)):
        return obj.isoformat()
    if isinstance(obj, pd.Period):
        return str(obj)
    return str(obj)  # Path, Enum, anything else: readable text


# ---------------------------------------------------------------------------------------------
# Run directory
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary sibling of ``path``; on success fsync and rename it over ``path``.

    The temporary file is removed if the block raises, so no partial file is left behind.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def write_parquet(path: Path | str, frame: pd.DataFrame) -> Path:
    """Write a frame as parquet (pyarrow, no index), atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, engine="pyarrow", index=False)
    return path


#: CSV text encoding: UTF-8 with a byte-order mark, so Excel and WPS on Chinese Windows read it as
#: UTF-8 (without the mark they assume GBK and show mojibake); pandas and ``csv`` read it back with
#: ``encoding="utf-8-sig"`` (pandas strips the mark by itself).
CSV_ENCODING = "utf-8-sig"
#: Significant digits kept in CSV and xlsx tables (full precision stays in the Parquet files).
SIGNIFICANT_DIGITS = 6


def spreadsheet_frame(frame: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """A copy fit for a spreadsheet: each float rounded to ``digits`` significant digits (whole
    numbers keep all their integer digits: money stays to the yuan), dates as ISO text that Excel
    does not reinterpret. Rounded per value, since tidy tables mix metrics of every size in a column."""
    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            out[col] = values.dt.strftime("%Y-%m-%d")
        elif isinstance(values.dtype, pd.PeriodDtype):
            out[col] = values.astype(str)
        elif pd.api.types.is_float_dtype(values):
            out[col] = round_significant(values.to_numpy(dtype=float), digits)
    return out


def round_significant(v: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """``v`` rounded to ``digits`` significant digits but never to fewer than whole units.

    Dividing the rounded integer by a power of ten gives the double nearest the short decimal,
    so the CSV shows ``0.024613``, not ``0.024613000000000002``.
    """
    v = np.asarray(v, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(v)))
    decimals = np.clip(digits - 1 - np.where(np.isfinite(magnitude), magnitude, 0), 0, 15)
    scale = 10.0 ** decimals
    rounded = np.round(v * scale) / scale
    return np.where(np.isfinite(v), rounded, v)


def write_csv(path: Path | str, frame: pd.DataFrame) -> Path:
    """Write a frame as CSV for spreadsheets (:func:`spreadsheet_frame`, UTF-8 with BOM), atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:
        spreadsheet_frame(frame).to_csv(tmp, index=False, encoding=CSV_ENCODING)
    return path


def load_run(out_dir: Path | str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Read back ``(timeseries, distribution, manifest)`` from a run directory."""
    out = Path(out_dir)
    ts = pd.read_parquet(out / FILES["timeseries"], engine="pyarrow")
    dist = pd.read_parquet(out / FILES["distribution"], engine="pyarrow")
    manifest = json.loads((out / FILES["manifest"]).read_text(encoding="utf-8"))
    return ts, dist, manifest


def plot_meta(manifest: Mapping[str, Any], ts: pd.DataFrame | None = None) -> dict[str, Any]:
    """Labels and reference lines for the plots, taken from a manifest (tolerant of gaps)."""
    params = manifest.get("params", {}) or {}
    run, monitoring = params.get("run", {}) or {}, params.get("monitoring", {}) or {}
    transition = params.get("transition", {}) or {}
    meta: dict[str, Any] = {
        "name": (manifest.get("scenario") or {}).get("name"),
        "version": (manifest.get("versions") or {}).get("ruralsim") or ruralsim_version(),
        # What was simulated: at national scale run.households is not used (the cohort is A01's).
        "households": (int(ts["households"].iloc[0]) if ts is not None and "households" in ts.columns and len(ts)
                       else run.get("households")),
        "replicates": None if ts is None else int(ts["replicate"].nunique()),
        "poverty_line": monitoring.get("poverty_line"),
        "monitoring_line": monitoring.get("line") if monitoring.get("enabled", True) else None,
    }
    if run.get("start_year") is not None and transition.get("years") is not None:
        meta["transition_end"] = f"{int(run['start_year']) + int(transition['years'])}-01"
    return meta


def write_group_tables(out_dir: Path | str, groups: Mapping[str, pd.DataFrame]) -> dict[str, Path]:
    """``counties.parquet`` and ``villages.parquet``: each December (and the last month) by county and
    by village, every replicate (see :meth:`ruralsim.model.RuralModel.group_table`)."""
    out = Path(out_dir)
    return {f"groups_{level}": write_parquet(out / FILES[level], table)
            for level, table in groups.items() if level in FILES}


def load_groups(out_dir: Path | str) -> dict[str, pd.DataFrame]:
    """The run's village and county tables that exist (older runs have none)."""
    out = Path(out_dir)
    return {level: pd.read_parquet(out / FILES[level], engine="pyarrow")
            for level in GROUP_LEVELS if (out / FILES[level]).exists()}
