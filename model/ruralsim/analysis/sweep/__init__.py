"""Parameter sweeps and sensitivity analysis (``ruralsim sweep``), on one machine or a Dask cluster.

>>> from ruralsim.sweep import load_experiment, run_sweep             # doctest: +SKIP
>>> exp = load_experiment("experiments/monitoring.toml", households=500, replicates=1)
>>> summary = run_sweep(exp, "results/monitoring_small", workers=2)

Modules: :mod:`.experiment` (the file format; :mod:`.checks` validates into :mod:`.spec`),
:mod:`.designs` (points, run ids), :mod:`.outcomes` (per-run metrics), :mod:`.execute` (local
processes or Dask, resume), :mod:`.storage` (the results folder), :mod:`.analysis` and
:mod:`.plots` (tables and figures), :mod:`.report` (both, from stored results).
"""

from .designs import Design, Task, build_design, run_id, tasks
from .execute import RunResult, SweepSummary, run_sweep, run_task
from .experiment import Experiment, Factor, find_experiment, load_experiment


def __getattr__(name: str):
    """Tables and figures load matplotlib: imported on first use, so workers stay light."""
    if name in ("redraw_sweep", "write_report"):
        from ...workflows import sweep_report as report

        return getattr(report, name)
    raise AttributeError(name)


__all__ = ["Design", "Experiment", "Factor", "RunResult", "SweepSummary", "Task", "build_design",
           "find_experiment", "load_experiment", "redraw_sweep", "run_id", "run_sweep", "run_task", "tasks",
           "write_report"]
