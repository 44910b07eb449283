"""Parameter sweeps and sensitivity analysis: the design, execution, storage and sensitivity parts.

The driver that runs a sweep and then writes its tables and figures, :func:`run_sweep`, sits above
presentation, in :mod:`ruralsim.workflows.sweep` (which re-exports everything here too)::

>>> from ruralsim.workflows.sweep import load_experiment, run_sweep     # doctest: +SKIP

Modules: :mod:`.experiment` (the file format; :mod:`.checks` validates into :mod:`.spec`),
:mod:`.designs` (points, run ids), :mod:`.outcomes` (per-run metrics), :mod:`.execute` (a run, on local
processes or Dask), :mod:`.storage` (the results folder), :mod:`.analysis` (tables, sensitivity indices).
The figures are :mod:`ruralsim.presentation.sweep_plots`, written by :mod:`ruralsim.workflows.sweep_report`.
"""

from .designs import Design, Task, build_design, run_id, tasks
from .execute import RunResult, SweepSummary, run_task
from .experiment import Experiment, Factor, find_experiment, load_experiment

__all__ = ["Design", "Experiment", "Factor", "RunResult", "SweepSummary", "Task", "build_design",
           "find_experiment", "load_experiment", "run_id", "run_task", "tasks"]
