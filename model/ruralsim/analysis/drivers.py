"""Drivers of a comparison's answer: each lever's contribution, alone, and the interaction left over.

A scenario differs from its reference in some parameters. They are grouped into *levers*: every key of
one scenario-file section is one lever (a ``[programmes]`` path is one lever, ``[categories]`` another),
except that each declared shock (``shocks.migrant_demand_drop*``, ``shocks.price_drop*``, the illness
multiplier) is a lever of its own. Past :data:`MAX_LEVERS` groups, the smallest sections (fewest keys;
ties by schema order) are merged into one "other levers" group, so a scenario never needs more than
:data:`MAX_LEVERS` extra runs per replicate.

Each lever is run *alone*: the reference's parameters plus that lever's values, with the same replicates
(common random numbers) and the same common 2020-12 start; a dated lever keeps its date, because the model
switches a lever on at 2021-01 or at its own date (:mod:`ruralsim.simulation.policy.levers`) whoever sets it.
Replicate by replicate::

    contribution_i = (reference + lever i) - reference
    interaction    = (scenario - reference) - sum_i contribution_i

so levers plus interaction equal the total exactly, and each term has its own paired t-interval. A
scenario with one lever needs no extra run: that lever alone *is* the scenario (interaction 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..simulation.inputs.parameters import PARAMS, PARAMS_BY_FLAT
from .compare_stats import describe_rows
from .headline import OUTCOMES, as_matrix

MAX_LEVERS = 6
OTHER = "other levers"
SHOCK_STEMS = ("shocks_migrant_demand_drop", "shocks_price_drop", "shocks_illness")
_ORDER = {p.flat: i for i, p in enumerate(PARAMS)}


@dataclass(frozen=True)
class Lever:
    """A group of parameters switched together: its name, the dotted keys and the flat values it sets."""

    name: str
    keys: tuple[str, ...]
    values: dict[str, Any] = field(hash=False)


def _group_name(flat: str) -> str:
    for stem in SHOCK_STEMS:
        if flat.startswith(stem):
            return stem.replace("_", ".", 1)
    return PARAMS_BY_FLAT[flat].section


def changed_keys(params: Mapping[str, Any], reference: Mapping[str, Any]) -> list[str]:
    """Flat keys (not run settings) whose value differs between a scenario and its reference, schema order."""
    keys = [k for k in params if not k.startswith("run_") and k in PARAMS_BY_FLAT and params[k] != reference.get(k)]
    return sorted(keys, key=lambda k: _ORDER[k])


def lever_groups(params: Mapping[str, Any], reference: Mapping[str, Any], cap: int = MAX_LEVERS) -> list[Lever]:
    """The scenario's levers against the reference (see the module docstring for how groups are made)."""
    groups: dict[str, list[str]] = {}
    for k in changed_keys(params, reference):
        groups.setdefault(_group_name(k), []).append(k)
    if len(groups) > cap:
        keep = sorted(groups, key=lambda g: -len(groups[g]))[:cap - 1]
        merged = {g: ks for g, ks in groups.items() if g in keep}
        merged[OTHER] = sorted((k for g, ks in groups.items() if g not in keep for k in ks), key=lambda k: _ORDER[k])
        groups = merged
    return [Lever(name, tuple(PARAMS_BY_FLAT[k].key for k in ks), {k: params[k] for k in ks})
            for name, ks in groups.items()]


def runs_needed(levers: Sequence[Lever]) -> list[Lever]:
    """The levers that need a run of their own: none for a one-lever scenario (the lever is the scenario)."""
    return list(levers) if len(levers) > 1 else []


def decompose(scenario: pd.DataFrame, reference: pd.DataFrame, alone: Mapping[str, pd.DataFrame],
              replicates: Sequence[int]) -> pd.DataFrame:
    """Contribution of each lever, the interaction and the total, per headline outcome.

    ``scenario``, ``reference`` and each of ``alone`` (lever name -> the reference plus that lever) are
    per-replicate headline values (:func:`ruralsim.analysis.headline.headline_values`). A one-lever scenario
    passes ``alone={lever: scenario}`` (the lever alone is the scenario: interaction exactly 0). Columns: outcome, term
    (a lever's name, ``interaction`` or ``total``), kind (lever, interaction, total), mean, ci_lo, ci_hi, n,
    share_of_total (mean / total mean; NaN when the total is 0).
    """
    reps = list(replicates)
    rows = []
    for o in OUTCOMES:
        ref = as_matrix(reference, o.key, reps)
        total = as_matrix(scenario, o.key, reps) - ref
        parts = {name: as_matrix(frame, o.key, reps) - ref for name, frame in alone.items()}
        interaction = total - sum(parts.values()) if parts else np.zeros_like(total)
        terms = [(name, "lever", v) for name, v in parts.items()] + [("interaction", "interaction", interaction),
                                                                   ("total", "total", total)]
        total_mean = float(np.nanmean(total)) if len(total) else np.nan
        for name, kind, v in terms:
            d = describe_rows(v[None, :])
            mean = float(d["mean"][0])
            rows.append({"outcome": o.key, "term": name, "kind": kind, "mean": mean,
                         "ci_lo": float(d["ci_lo"][0]), "ci_hi": float(d["ci_hi"][0]), "n": int(d["n"][0]),
                         "share_of_total": mean / total_mean if total_mean else np.nan})
    return pd.DataFrame(rows)
