"""A validation folder (``ruralsim validate``): the table, the series, the targets and the figures.

The comparison itself is :mod:`ruralsim.analysis.validation`; the figures are
:mod:`ruralsim.presentation.validation_plots`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis.targets import load_targets
from ..analysis.validation import TABLE, Validation
from ..presentation.validation_plots import write_plots


def write_validation(v: Validation, out_dir: str | Path, extra: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write the table, the series, a copy of the targets file, the plots and the manifest (last)."""
    from ..analysis.folders import writing

    with writing(out_dir, "validation", strict=False) as out:
        return _write_validation(v, out, extra)


def _write_validation(v: Validation, out: Path, extra: Mapping[str, Any] | None) -> dict[str, Path]:
    from ..analysis import outputs

    out.mkdir(parents=True, exist_ok=True)
    res = v.result
    paths = {"table": outputs.write_csv(out / TABLE, v.table),
             "timeseries": outputs.write_parquet(out / "timeseries.parquet", v.timeseries)}
    with outputs.atomic_path(out / "targets.toml") as tmp:
        shutil.copyfile(v.target_set.path, tmp)
    paths["targets"] = out / "targets.toml"
    meta = _meta(res.scenario.name, res.params, v.timeseries)
    for name, path in write_plots(out, v.table, v.timeseries, v.target_set.targets, meta).items():
        paths[f"plot_{name}"] = path
    sc = res.scenario
    manifest = outputs.run_manifest(
        res.params, scenario={"name": sc.name, "file": str(sc.path), "extends": [str(p) for p in sc.chain]},
        seeds=res.seeds, started_at=res.started_at, wall_seconds=res.wall_seconds,
        extra={"kind": "validation", "targets_file": str(v.target_set.path), "all_hold": v.all_hold,
               "missed": v.table.loc[~v.table["within_tolerance"], "target"].tolist(), **(extra or {})})
    manifest["kind"] = "validation"  # read by ``ruralsim plot``
    paths["manifest"] = outputs.write_manifest(out / "manifest.json", manifest)
    return paths


def redraw_validation(out_dir: str | Path) -> list[Path]:
    """Redraw a validation folder's plots from its stored table, series and targets copy."""
    out = Path(out_dir)
    table = pd.read_csv(out / TABLE)
    ts = pd.read_parquet(out / "timeseries.parquet")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    params = {f"{s}_{k}": v for s, d in manifest.get("params", {}).items() for k, v in d.items()}
    ts.attrs["national_people"] = float(params.get("population_national_people", 98_990_000))
    targets = load_targets(out / "targets.toml").targets
    meta = _meta((manifest.get("scenario") or {}).get("name"), params, ts)
    return list(write_plots(out, table, ts, targets, meta).values())


def _meta(name: Any, params: Mapping[str, Any], ts: pd.DataFrame) -> dict[str, Any]:
    from ..analysis.outputs import ruralsim_version

    return {"name": name, "version": ruralsim_version(), "households": params.get("run_households"),
            "replicates": int(ts["replicate"].nunique())}
