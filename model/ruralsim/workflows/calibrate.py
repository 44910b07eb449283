"""A calibration folder (``ruralsim calibrate``): fitted values, the loss history, the fit figure, the manifest.

The search itself is :mod:`ruralsim.analysis.calibration`; the figure is
:mod:`ruralsim.presentation.calibration_plots`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..analysis.calibration import Calibration
from ..analysis.targets import FreeParam, Target
from ..presentation.calibration_plots import plot_fit


def write_calibration(cal: Calibration, out_dir: str | Path, targets_file: Path | None = None,
                      extra: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write fitted.toml, loss_history.csv, plots/calibration_fit.png and manifest.json (last)."""
    from ..analysis.folders import writing

    with writing(out_dir, "calibration", strict=False) as out:
        return _write_calibration(cal, out, targets_file, extra)


def _write_calibration(cal: Calibration, out: Path, targets_file: Path | None,
                       extra: Mapping[str, Any] | None) -> dict[str, Path]:
    import tomli_w

    from ..analysis import outputs
    from ..presentation.run_plots import save_figure

    out.mkdir(parents=True, exist_ok=True)
    hist = cal.history_frame()
    paths = {"history": outputs.write_csv(out / "loss_history.csv", hist)}
    doc = {
        "calibration": {"source": cal.source, "scenario": str(cal.scenario.path),
                        "targets_file": str(targets_file) if targets_file else "",
                        "date": cal.started_at.date().isoformat(), **cal.settings,
                        "evaluations": len(cal.history), "loss_start": cal.start.loss,
                        "loss_best": min(e.loss for e in cal.history if e.phase != "final"),
                        "loss_final": cal.final.loss, "wall_seconds": round(cal.wall_seconds, 1)},
        "fitted": dict(cal.fitted),
        "start": dict(cal.start.x),
        "ranges": {fp.label: [fp.low, fp.high] for fp in cal.free},
        "targets": {t.id: {"source": t.source, "observed": t.observed, "tolerance": t.tolerance, "kind": t.kind,
                           "start": cal.start.values[t.id], "final": cal.final.values[t.id],
                           "within_tolerance": bool(abs(t.error(cal.final.values[t.id])) <= 1.0)}
                    for t in cal.targets},
    }
    with outputs.atomic_path(out / "fitted.toml") as tmp:
        tmp.write_text("# Written by ruralsim calibrate. Values in [fitted] were written to the scenario file;\n"
                       "# model values are means over the calibration's replicates (common random numbers).\n"
                       + tomli_w.dumps(_finite(doc)), encoding="utf-8")
    paths["fitted"] = out / "fitted.toml"
    meta = {"name": cal.scenario.name, "households": cal.settings["households"],
            "replicates": cal.settings["replicates"]}
    paths["plot_calibration_fit"] = save_figure(plot_fit(cal.targets, hist, cal.free, meta),
                                                out / "plots" / "calibration_fit.png")
    params = {**cal.scenario.params, **cal.overrides}
    manifest = outputs.run_manifest(params, scenario={"name": cal.scenario.name, "file": str(cal.scenario.path)},
                                    started_at=cal.started_at, wall_seconds=cal.wall_seconds, master_seed=cal.settings["seed"],
                                    extra={"kind": "calibration", **cal.settings, "source": cal.source,
                                           "fitted": cal.fitted, **(extra or {})})
    manifest["kind"] = "calibration"  # read by ``ruralsim plot``
    paths["manifest"] = outputs.write_manifest(out / "manifest.json", manifest)
    return paths


def _finite(obj: Any) -> Any:
    """TOML has no null: drop non-finite floats' meaning by writing them as strings."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    return obj


def redraw_calibration(out_dir: str | Path) -> list[Path]:
    """Redraw the fit plot from ``fitted.toml`` and ``loss_history.csv``."""
    import tomllib

    from ..presentation.run_plots import save_figure

    out = Path(out_dir)
    doc = tomllib.loads((out / "fitted.toml").read_text(encoding="utf-8"))
    hist = pd.read_csv(out / "loss_history.csv")
    targets = [Target(id=k, metric="", start="", end="", stat="value", observed=v["observed"],
                      tolerance=v["tolerance"], how="", source=v["source"], kind=v["kind"])
               for k, v in doc["targets"].items()]
    free = [_free_from_label(label, rng) for label, rng in doc["ranges"].items()]
    c = doc["calibration"]
    meta = {"name": Path(c["scenario"]).stem, "households": c["households"], "replicates": c["replicates"]}
    return [save_figure(plot_fit(targets, hist, free, meta), out / "plots" / "calibration_fit.png")]


def _free_from_label(label: str, rng: Sequence[float]) -> FreeParam:
    m = re.match(r"^(.+?)(?:\[(\d{4})\])?$", label)
    return FreeParam(key=m.group(1), low=float(rng[0]), high=float(rng[1]),
                     year=int(m.group(2)) if m.group(2) else None)
