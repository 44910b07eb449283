"""The model that runs the month's phases in order (:class:`~ruralsim.simulation.engine.model.RuralModel`),
with its set-up to 2020-12, the assembly of each month's metric parts into one row, the sums by place
group, its Mesa face (agents, batch runs), and the runner of replicates across processes."""
