"""Drivers: they run the simulation, store the results and call the figure writers.

Above presentation (they use it) and below the commands (which parse arguments and call them):
:mod:`.run` (a run folder), :mod:`.compare` (scenarios side by side), :mod:`.sweep` and
:mod:`.sweep_report` (parameter sweeps), :mod:`.validate` and :mod:`.calibrate`.
"""
