"""The model that runs the month's phases in order (:class:`~ruralsim.simulation.engine.model.RuralModel`),
its set-up, metrics and calendar, its Mesa face (agents, batch runs), and the runner of replicates across
processes."""
