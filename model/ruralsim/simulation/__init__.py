"""The model: who the households are, what happens to them each month, and the policy that acts on them.

Five sub-packages, each importing only those listed before it (``tests/test_layers.py`` checks it):

* :mod:`~ruralsim.simulation.inputs` -- what a run is told: parameters with their provenance, scenario
  files, year tables and programme paths;
* :mod:`~ruralsim.simulation.cohort` -- the households and their start: columns, places, random streams,
  chunks of counties, and the 2020-12 state built once and cached;
* :mod:`~ruralsim.simulation.phases` -- the month's phases, each a module of NumPy rules (labour, shocks,
  identification, ..., the named metrics), with their compiled Numba translations beside them (``kernels*``);
* :mod:`~ruralsim.simulation.policy` -- the programmes, the budget that pays for them and the levers a
  scenario moves;
* :mod:`~ruralsim.simulation.engine` -- :class:`RuralModel`, which runs the phases in order, its set-up, the
  assembly of its metrics, its Mesa face and the runner of replicates.

The flat names before this layout (``ruralsim.simulation.model``, ``ruralsim.simulation.labour``, ...) still
import, as the same module objects (:data:`ruralsim.MOVED`).
"""
