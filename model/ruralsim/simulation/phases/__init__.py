"""The month's phases, one module of vectorised NumPy rules each (demography, labour, shocks,
identification, categories, projects, transition, east-west cooperation, and the named metrics the month
ends by collecting), with their compiled Numba translations beside them (``kernels`` selects a set;
``kernels_numba`` and ``kernels_policy`` must stay bit-identical to the NumPy rules, ``tests/test_scale.py``)."""
