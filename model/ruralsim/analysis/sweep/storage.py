"""The results folder of a sweep, written run by run so an interrupted sweep loses nothing finished.

::

    experiment.json            the validated experiment (factors, design, sizes, outcomes)
    design.parquet             one row per point: factor values (and the unit sample u_*)
    runs/<run_id>.parquet      one finished run: its factor values, seed, replicate, outcomes
    failed/<run_id>.json       one failed run: parameters, seed, error and traceback
    series/replicate=<r>/<run_id>.parquet   its monthly series (a hive-partitioned dataset)
    runs.parquet               every run of the design, assembled (status ok / failed / missing)
    tables/*.csv, plots/*.png  analysis (see analysis.py, plots.py); ``ruralsim plot`` redraws them
    manifest.json              provenance, written last

Files are keyed by run id, not by position in the design, so a run is recognised whatever the
design order; each is written to a temporary name and renamed (atomic). A run's series is written
before its row, so the row's presence means the run is complete.
"""

from __future__ import annotations

import json
import traceback as _tb
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from ...simulation.inputs.config import ConfigError, Problem
from ..outputs import write_manifest, write_parquet
from .designs import Design, Task

STATUS = ("ok", "failed", "missing")


class SweepStore:
    """Paths and per-run reads and writes of one sweep folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.failed_dir = self.out / "failed"
        self.series_dir = self.out / "series"

    # --- start ---------------------------------------------------------------------------------
    def check_stale(self, run_ids: Iterable[str]) -> None:
        """Refuse a folder holding finished runs of another design (cheap: file names only)."""
        stale = self.finished() - set(run_ids)
        if stale:
            raise ConfigError([Problem(
                str(self.out), "", len(stale),
                f"this folder holds {len(stale)} finished run(s) that are not in this experiment's design "
                "(the experiment, its base scenario or the run sizes changed since they ran)",
                "another --out folder, or delete this one to start over")])

    def prepare(self, experiment: dict[str, Any], design: Design, run_ids: Iterable[str],
                outputs: tuple[str, str] | None = None) -> set[str]:
        """Create the folder, refuse one holding runs of another design, write the design; return the ids
        of finished runs that can be kept. ``outputs`` is (outputs id, comma-separated outcomes): a run
        stored with other outcomes or series, or whose files are damaged, is removed so it runs again
        (:attr:`redone` says how many and why)."""
        self.check_stale(run_ids)
        finished = self.validate_finished(*outputs) if outputs else self.finished()
        for d in (self.runs_dir, self.failed_dir, self.series_dir):
            d.mkdir(parents=True, exist_ok=True)
        self.write_json("experiment.json", experiment)
        frame = design.points.copy()
        if design.unit is not None:
            for i, col in enumerate(design.problem["names"]):
                frame[f"u_{col}"] = design.unit[:, i]
        write_parquet(self.out / "design.parquet", _arrow_safe(frame))
        return finished

    def finished(self) -> set[str]:
        """Ids of the runs with a result row on disk."""
        if not self.runs_dir.is_dir():
            return set()
        return {p.stem for p in self.runs_dir.glob("*.parquet")}

    def validate_finished(self, outputs_id: str, outcomes: str) -> set[str]:
        """Finished runs that hold what this experiment measures and whose files read back; the others
        are deleted (a truncated file, e.g. after a full disk, or outcomes added since) and counted in
        :attr:`redone`."""
        import pyarrow.parquet as pq

        self.redone: dict[str, int] = {}
        ids = self.finished()
        if not ids:
            return ids
        rows = self._rows(ids)
        wanted = [c for c in outcomes.split(",") if c]
        keep = set()
        for rid in sorted(ids):
            row = rows.get(rid)
            reason = None
            if row is None:
                reason = "damaged result file"
            elif row.get("outputs_id", outputs_id if all(c in row for c in wanted) else None) != outputs_id:
                reason = "stored with other outcomes or series"
            else:
                series = self.series_dir / f"replicate={row.get('replicate')}" / f"{rid}.parquet"
                try:
                    pq.read_metadata(series)
                except Exception:  # missing or truncated: ArrowInvalid, OSError
                    reason = "damaged or missing series file"
            if reason is None:
                keep.add(rid)
                continue
            self.redone[reason] = self.redone.get(reason, 0) + 1
            (self.runs_dir / f"{rid}.parquet").unlink(missing_ok=True)
            for f in self.series_dir.glob(f"replicate=*/{rid}.parquet"):
                f.unlink(missing_ok=True)
        return keep

    def _rows(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        """``{run id: row}`` of the readable result files (one scan; file by file if any is damaged)."""
        import pyarrow.dataset as ds

        files = [self.runs_dir / f"{i}.parquet" for i in sorted(ids)]
        try:
            frame = ds.dataset([str(f) for f in files], format="parquet").to_table().to_pandas()
            frames = [frame]
        except Exception:  # a damaged file, or type drift between files
            frames = []
            for f in files:
                try:
                    frames.append(pd.read_parquet(f))
                except Exception:
                    continue
        out: dict[str, dict[str, Any]] = {}
        for frame in frames:
            for rec in frame.to_dict("records"):
                if isinstance(rec.get("run_id"), str):
                    out[rec["run_id"]] = {k: v for k, v in rec.items() if not _isnan(v)}
        return out

    # --- per run -------------------------------------------------------------------------------
    def write_ok(self, task: Task, row: dict[str, Any], series: pd.DataFrame) -> None:
        """Series first, then the run's row (its presence marks the run finished); clear any old failure."""
        write_parquet(self.series_dir / f"replicate={task.replicate}" / f"{task.run_id}.parquet",
                      series.assign(run_id=task.run_id))
        write_parquet(self.runs_dir / f"{task.run_id}.parquet", _arrow_safe(pd.DataFrame([row])))
        stale = self.failed_dir / f"{task.run_id}.json"
        if stale.exists():
            stale.unlink()

    def write_failed(self, task: Task, record: dict[str, Any]) -> None:
        self.write_json(self.failed_dir / f"{task.run_id}.json", record)

    def failures(self, run_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Failure records (of the given runs only, when given), oldest first."""
        if not self.failed_dir.is_dir():
            return []
        wanted = None if run_ids is None else set(run_ids)
        out = []
        for p in sorted(self.failed_dir.glob("*.json")):
            if wanted is None or p.stem in wanted:
                try:
                    out.append(json.loads(p.read_text(encoding="utf-8")))
                except (OSError, json.JSONDecodeError):
                    continue
        return out

    def write_json(self, name: str | Path, obj: Any) -> Path:
        """Strict JSON (NaN -> null), atomically."""
        return write_manifest(self.out / name, obj)

    # --- assembly ------------------------------------------------------------------------------
    def assemble(self, expected: Sequence[tuple[str, int, int]], factor_columns: Sequence[str],
                 design: pd.DataFrame) -> pd.DataFrame:
        """``runs.parquet``: one row per run of the design (``expected`` = (run id, point, replicate)).

        Finished runs bring their outcomes; failed ones their error; the rest are 'missing'.
        """
        index = pd.DataFrame(expected, columns=["run_id", "point", "replicate"])
        ids = set(index["run_id"])
        files = [self.runs_dir / f"{i}.parquet" for i in index["run_id"] if (self.runs_dir / f"{i}.parquet").exists()]
        done = _read_many(files)
        failed = pd.DataFrame([{"run_id": f["run_id"], "error": f.get("error", "")} for f in self.failures(ids)],
                              columns=["run_id", "error"])
        done = done.drop(columns=[c for c in ("point", "replicate", *factor_columns) if c in done.columns])
        runs = index.merge(design, on="point", how="left")
        runs = runs.merge(done, on="run_id", how="left")
        runs = runs.merge(failed, on="run_id", how="left")
        finished = runs["run_id"].isin(set(done["run_id"]) if len(done) else set())
        runs["status"] = "missing"
        runs.loc[runs["run_id"].isin(set(failed["run_id"])), "status"] = "failed"
        runs.loc[finished, "status"] = "ok"
        runs.loc[finished, "error"] = None
        front = ["point", "replicate", "run_id", "status", *factor_columns]
        runs = runs[front + [c for c in runs.columns if c not in front]]
        runs = runs.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)
        write_parquet(self.out / "runs.parquet", _arrow_safe(runs))
        return runs

    def read_runs(self) -> pd.DataFrame:
        return pd.read_parquet(self.out / "runs.parquet")

    def read_series(self, columns: Sequence[str], run_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Some columns of the monthly series of the given runs (default all), read column-wise."""
        import pyarrow.dataset as ds

        if not self.series_dir.is_dir():
            return pd.DataFrame(columns=["run_id", "date", *columns])
        data = ds.dataset(self.series_dir, format="parquet", partitioning="hive")
        filt = None if run_ids is None else ds.field("run_id").isin(list(run_ids))
        cols = list(dict.fromkeys(["run_id", "replicate", "date", *columns]))
        cols = [c for c in cols if c in data.schema.names]
        return data.to_table(columns=cols, filter=filt).to_pandas()


def failure_record(task: Task, point_values: dict[str, Any], error: str, tb: str) -> dict[str, Any]:
    """What a failed run leaves: enough to reproduce it by hand."""
    return {"run_id": task.run_id, "point": task.point, "replicate": task.replicate,
            "seed": int(task.params["run_seed"]), "values": point_values, "error": error, "traceback": tb,
            "params": task.params, "when": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def format_exception(exc: BaseException) -> tuple[str, str]:
    return f"{type(exc).__name__}: {exc}", "".join(_tb.format_exception(exc))


def _read_many(files: Sequence[Path]) -> pd.DataFrame:
    """Concatenate many one-row parquet files quickly (one dataset scan), tolerating type drift."""
    if not files:
        return pd.DataFrame(columns=["run_id"])
    import pyarrow.dataset as ds

    try:
        return ds.dataset([str(f) for f in files], format="parquet").to_table().to_pandas()
    except Exception:  # schemas differ (e.g. int vs float in a column): fall back to pandas
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def _isnan(v: Any) -> bool:
    return isinstance(v, float) and v != v


def _arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns mixing types (e.g. a factor of strings and numbers) become strings for Parquet."""
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype == object:
            kinds = {type(v) for v in out[c].dropna()}
            if len(kinds) > 1:
                out[c] = out[c].map(lambda v: v if v is None or (isinstance(v, float) and v != v) else str(v))
    return out
