"""The households and their start: the NumPy columns of households and labourers, the places they live
in, the random streams addressed by row blocks, the chunks of counties the month is run in, and the
2020-12 start state, computed once per start parameters and replicate and cached (``start_cache``)."""
