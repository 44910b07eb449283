"""ruralsim: an agent-based model of China's post-2020 transition from poverty alleviation to rural revitalisation.

The package is layered, and imports only go down (``tests/test_layers.py`` checks it):

* :mod:`ruralsim.simulation` -- the model, its rules, random streams, parameters and scenario files;
* :mod:`ruralsim.analysis` -- computations on stored results: comparison, dynamics, fiscal tables,
  validation, calibration, sweeps;
* :mod:`ruralsim.presentation` -- figures;
* :mod:`ruralsim.workflows` -- the drivers that run, store and draw (run folders, comparisons, sweeps);
* :mod:`ruralsim.commands` and :mod:`ruralsim.cli` -- the ``ruralsim`` command line.

The modules' names before this layout (``ruralsim.config``, ``ruralsim.sweep``, ...) still import, as
the same module objects as their new names (:data:`MOVED`), so notebooks and scripts keep working.
"""

import importlib
import importlib.abc
import importlib.util
import sys
import multiprocessing as _mp
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ruralsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

#: The simulation's sub-packages and their modules (their flat names, ``ruralsim.simulation.<module>``,
#: were the layout before the sub-packages and still import, through :data:`MOVED`).
SIMULATION = {
    "inputs": ("parameters", "parameters_post2025", "config", "horizon", "programme_paths"),
    "cohort": ("rng", "threads", "population", "places", "chunking", "start_store", "start_cache"),
    "phases": ("demography", "labour", "shocks", "identification", "categories", "projects", "transition",
               "east_west", "metrics", "kernels", "jit", "kernels_numba", "kernels_policy", "kernels_status",
               "pcg64_numba"),
    "policy": ("programmes", "budget", "levers"),
    "engine": ("model", "mesa_glue", "agents", "runner", "processes", "group_metrics"),
}
_SIM_PLACE = {name: f"simulation.{sub}.{name}" for sub, names in SIMULATION.items() for name in names}

#: Old module name (under ``ruralsim.``) -> its place in the layered package.
MOVED = {
    **{name: _SIM_PLACE[name] for name in (
        "model", "population", "rng", "chunking", "kernels", "kernels_numba", "agents", "labour", "shocks",
        "transition", "programmes", "budget", "metrics", "parameters", "config", "runner")},
    **{f"simulation.{name}": place for name, place in _SIM_PLACE.items()},
    **{name: f"analysis.{name}" for name in (
        "outputs", "compare_tables", "compare_stats", "dynamics", "fiscal", "validation", "calibration", "targets")},
    "plots": "presentation.run_plots",
    "figures": "presentation.style",
    **{name: f"presentation.{name}" for name in ("group_plots", "compare_plots", "compare_ce_plot", "dynamics_plots")},
    "interop": "analysis.interop",  # the public short name of the client helpers (README)
    "compare": "workflows.compare",
    "sweep": "workflows.sweep",  # the sweep's public face: run_sweep and everything analysis.sweep exports
    "sweep.plots": "presentation.sweep_plots",
    "sweep.report": "workflows.sweep_report",
    **{f"sweep.{name}": f"analysis.sweep.{name}" for name in (
        "analysis", "checks", "designs", "execute", "experiment", "outcomes", "spec", "storage")},
}


class _Moved(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``ruralsim.<old name>`` as the module at its new place (one module object, not a copy)."""

    def find_spec(self, fullname, path=None, target=None):
        head, _, rest = fullname.partition(".")
        if head != __name__ or rest not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(f"{__name__}.{MOVED[spec.name.partition('.')[2]]}")
        self.real_spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self.real_spec  # the import system set the old name's spec: give back its own
        old = next(k for k, v in MOVED.items() if f"{__name__}.{v}" == module.__name__)
        if not hasattr(module, "__path__") and any(k.startswith(old + ".") for k in MOVED):
            module.__path__ = []  # ``ruralsim.sweep.execute``: its old submodules are found through MOVED


if not any(isinstance(f, _Moved) for f in sys.meta_path):
    sys.meta_path.insert(0, _Moved())

# Importing Mesa 3.3 sets the process-wide multiprocessing start method to "spawn" (mesa.batchrunner
# does it on import). Importing ruralsim must change no global state, so the method in force before is
# restored, unless Mesa was already imported by the user (then the change is theirs, not ours).
_mesa_before = "mesa.batchrunner" in sys.modules
_start_method = _mp.get_start_method(allow_none=True)

from .simulation.engine.model import RuralModel  # noqa: E402

if not _mesa_before:
    _mp.set_start_method(_start_method, force=True)
del _mesa_before, _start_method

__all__ = ["MOVED", "RuralModel", "SIMULATION", "__version__"]
