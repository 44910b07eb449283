"""The parameter table as the inputs of the tools modellers already use: SALib and EMA Workbench.

Every parameter is declared once, with its kind, range, unit and source (:mod:`ruralsim.parameters`);
these helpers turn a list of its names into what each tool wants, so nobody copies ranges by hand:

>>> from ruralsim.interop import salib_problem, salib_kwargs
>>> problem = salib_problem(["training_coverage", "transition_taper_years"])
>>> problem["bounds"]
[[0.0, 1.0], [1.0, 20.0]]
>>> from SALib.sample import latin
>>> X = latin.sample(problem, 8, seed=1)                            # doctest: +SKIP
>>> runs = [RuralModel(**kw) for kw in salib_kwargs(problem, X)]    # doctest: +SKIP

For EMA Workbench (an optional dependency, ``pip install 'ruralsim[ema]'``)::

    from ema_workbench import perform_experiments
    from ruralsim.interop import ema_model
    model = ema_model(uncertainties=["shocks_illness_rate"], levers=["training_coverage"],
                      run_households=2000, run_months=24)
    experiments, outcomes = perform_experiments(model, scenarios=8, policies=2)

Names may be flat (``training_coverage``, as :class:`~ruralsim.RuralModel` takes them) or dotted
(``training.coverage``, as scenario files write them); ``bounds`` narrows a range (``{name: (low,
high)}``) and must stay inside the declared one. Bad input raises :class:`~ruralsim.config.ConfigError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..simulation.inputs.config import _NO_VALUE, ConfigError, Problem, _suggest_param, check_overrides
from ..simulation.inputs.parameters import PARAMS, PARAMS_BY_FLAT, PARAMS_BY_KEY, Param
from ..simulation.phases.metrics import current_metric_name

__all__ = ["DEFAULT_OUTCOMES", "ema_levers", "ema_model", "ema_uncertainties", "parameter_table",
           "run_outcomes", "salib_kwargs", "salib_problem"]

#: Outcomes of :func:`run_outcomes` (and of :func:`ema_model`) unless others are asked for.
DEFAULT_OUTCOMES = ("poverty_rate_registry", "poverty_rate_alert", "below_monitoring_line", "mean_income", "ever_fallen_share",
                    "monitored_households", "fiscal_cost")
REDUCTIONS = ("last", "mean", "sum")
_SOURCE = "interop"


def parameter_table(values: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One plain dict per parameter (JSON-ready): flat name, dotted key, kind, value, default, range,
    choices, whether it varies by year, unit, source and description (``ruralsim params --format json``)."""
    out = []
    for p in PARAMS:
        value = values[p.flat] if values is not None else p.default
        out.append({"name": p.flat, "key": p.key, "kind": p.kind, "value": _jsonable(value),
                    "default": _jsonable(p.default), "low": p.low, "high": p.high,
                    "choices": list(p.choices) if p.choices else None, "by_year": p.by_year,
                    "unit": p.unit, "source": p.source, "description": p.description})
    return out


def salib_problem(names: Sequence[str], bounds: Mapping[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    """A SALib problem dict (``num_vars``, ``names``, ``bounds``) over numeric parameters.

    Names come back flat, so a row of a SALib sample maps straight onto ``RuralModel`` keywords
    (see :func:`salib_kwargs`, which also rounds whole-number parameters)."""
    params = _params(names)
    problems = [Problem(_SOURCE, p.flat, p.kind, "SALib samples numbers only", "a float or int parameter")
                for p in params if p.kind not in ("float", "int")]
    if problems:
        raise ConfigError(problems)
    ranges = _ranges(params, bounds)
    return {"num_vars": len(params), "names": [p.flat for p in params],
            "bounds": [[float(lo), float(hi)] for lo, hi in ranges]}


def salib_kwargs(problem: Mapping[str, Any], X: np.ndarray) -> list[dict[str, Any]]:
    """Rows of a SALib sample as keyword dicts for ``RuralModel``; whole-number parameters are rounded."""
    X = np.atleast_2d(np.asarray(X, dtype=float))
    names = list(problem["names"])
    params = _params(names)
    rows = []
    for row in X:
        rows.append({p.flat: (int(round(v)) if p.kind == "int" else float(v)) for p, v in zip(params, row)})
    return rows


def ema_uncertainties(names: Sequence[str], bounds: Mapping[str, tuple[float, float]] | None = None) -> list:
    """EMA Workbench parameters (Real/Integer/Boolean/Categorical) for ``model.uncertainties``."""
    return _ema_parameters(names, bounds)


def ema_levers(names: Sequence[str], bounds: Mapping[str, tuple[float, float]] | None = None) -> list:
    """EMA Workbench parameters for ``model.levers`` (the policy levers a decision maker sets)."""
    return _ema_parameters(names, bounds)


def run_outcomes(scenario: str = "baseline", outcomes: Sequence[str] = DEFAULT_OUTCOMES, reduce: str = "last",
                 replicate: int = 0, **params: Any) -> dict[str, float]:
    """Run ``RuralModel(scenario, **params)`` and reduce each outcome's monthly series to one number
    (``last`` month, ``mean`` or ``sum`` over the run): the function an EMA ``Model`` wraps."""
    from ..simulation.engine.model import RuralModel

    if reduce not in REDUCTIONS:
        raise ConfigError([Problem(_SOURCE, "reduce", reduce, "unknown reduction", ", ".join(REDUCTIONS))])
    model = RuralModel(scenario, replicate=replicate, record_distribution=False, **params)
    column = {o: current_metric_name(o) for o in outcomes}  # an old name keeps working, with a warning
    ts = model.run().timeseries()
    missing = [o for o in outcomes if column[o] not in ts.columns]
    if missing:
        raise ConfigError([Problem(_SOURCE, "outcomes", o, "not a metric of the model's timeseries",
                                   "a column of RuralModel.timeseries()") for o in missing])
    if reduce == "last":
        return {o: float(ts[column[o]].iloc[-1]) for o in outcomes}
    return {o: float(getattr(ts[column[o]], reduce)()) for o in outcomes}


def ema_model(uncertainties: Sequence[str] = (), levers: Sequence[str] = (),
              outcomes: Sequence[str] = DEFAULT_OUTCOMES, *, name: str = "ruralsim", scenario: str = "baseline",
              bounds: Mapping[str, tuple[float, float]] | None = None, reduce: str = "last", **constants: Any):
    """An EMA Workbench ``Model`` running :func:`run_outcomes`: the named uncertainties and levers
    (ranges from the parameter table, narrowed by ``bounds``), scalar outcomes, and ``constants``
    (e.g. ``run_households=2000``) passed unchanged to every run."""
    ema = _ema()
    check_overrides(constants, source="ema_model constants")
    model = ema.Model(name, function=run_outcomes)
    model.uncertainties = ema_uncertainties(uncertainties, bounds) if uncertainties else []
    model.levers = ema_levers(levers, bounds) if levers else []
    model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    model.constants = [ema.Constant(k, v) for k, v in {"scenario": scenario, "outcomes": tuple(outcomes),
                                                         "reduce": reduce, **constants}.items()]
    return model


# ---------------------------------------------------------------------------------------------
def _ema():
    try:
        import ema_workbench
    except ImportError:
        raise ConfigError([Problem(_SOURCE, "", _NO_VALUE, "EMA Workbench is not installed",
                                   "pip install 'ruralsim[ema]'")]) from None
    return ema_workbench


def _ema_parameters(names: Sequence[str], bounds: Mapping[str, tuple[float, float]] | None) -> list:
    ema = _ema()
    params = _params(names)
    numeric = [p for p in params if p.kind in ("float", "int")]
    ranges = dict(zip((p.flat for p in numeric), _ranges(numeric, bounds)))
    out = []
    for p in params:
        if p.kind == "float":
            out.append(ema.RealParameter(p.flat, *map(float, ranges[p.flat])))
        elif p.kind == "int":
            out.append(ema.IntegerParameter(p.flat, *map(int, ranges[p.flat])))
        elif p.kind == "bool":
            out.append(ema.BooleanParameter(p.flat))
        elif p.kind == "choice":
            out.append(ema.CategoricalParameter(p.flat, list(p.choices or ())))
        else:
            raise ConfigError([Problem(_SOURCE, p.flat, p.kind, "a free-text parameter cannot be sampled",
                                       "a number, whole number, true/false or choice parameter")])
    return out


def _params(names: Iterable[str]) -> list[Param]:
    if isinstance(names, str):
        names = [names]
    out, problems = [], []
    for n in names:
        p = PARAMS_BY_FLAT.get(n) or PARAMS_BY_KEY.get(n) if isinstance(n, str) else None
        if p is None:
            problems.append(Problem(_SOURCE, str(n), _NO_VALUE, "unknown parameter"
                                    + (_suggest_param(n) if isinstance(n, str) else ""),
                                    "a declared parameter, flat (section_name) or dotted (section.name)"))
        else:
            out.append(p)
    if problems:
        raise ConfigError(problems)
    return out


def _ranges(params: Sequence[Param], bounds: Mapping[str, tuple[float, float]] | None) -> list[tuple]:
    """Each parameter's (low, high): the declared range, narrowed by ``bounds`` (checked against it)."""
    given = {(PARAMS_BY_FLAT.get(k) or PARAMS_BY_KEY.get(k) or _params([k])[0]).flat: v
             for k, v in (bounds or {}).items()}
    out, problems = [], []
    for p in params:
        lo, hi = given.get(p.flat, (p.low, p.high))
        if lo is None or hi is None:
            problems.append(Problem(_SOURCE, p.flat, (lo, hi), "the declared range is open",
                                    f"bounds={{{p.flat!r}: (low, high)}}"))
            continue
        try:
            check_overrides({p.flat: lo}, source="bounds")
            check_overrides({p.flat: hi}, source="bounds")
        except ConfigError as err:
            problems.extend(err.problems)
            continue
        if not lo < hi:
            problems.append(Problem(_SOURCE, p.flat, (lo, hi), "low must be below high", p.allowed()))
            continue
        out.append((lo, hi))
    if problems:
        raise ConfigError(problems)
    return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _jsonable(x) for k, x in v.items()}
    return v
