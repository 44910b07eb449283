"""Robustness of a comparison's answer: each scenario's paired difference under each assumption's low and high.

One at a time: for assumption *a* at side *s* (low or high), the scenario and its reference both run with
*a* at *s* and everything else as declared; the paired difference (same replicates, common random numbers)
is set against the difference at the declared values ("central", run at the same size). The answer
*holds* for an outcome when the sign of the central effect is the sign under every assumption's low and
high; it *reverses* when some setting flips it. An assumption *moves* the answer when its shift from the
central estimate exceeds the central paired interval's half-width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .assumptions import SIDES, Assumption
from .compare_stats import describe_rows
from .headline import OUTCOMES, as_matrix

CENTRAL = "central"


def settings(assumptions: Sequence[Assumption]) -> list[tuple[str, str]]:
    """Every (assumption, side) setting, after the central one: the one-at-a-time design."""
    return [(CENTRAL, CENTRAL)] + [(a.name, side) for a in assumptions for side in SIDES]


def robustness_table(values: Mapping[tuple[str, str, str], pd.DataFrame], labels: Sequence[str], reference: str,
                     assumptions: Sequence[Assumption], replicates: Sequence[int]) -> pd.DataFrame:
    """One row per (scenario, outcome, setting): the paired difference, its shift from the central one.

    ``values[(label, assumption, side)]`` holds per-replicate headline values (central: ``("central",
    "central")``). A setting missing for a scenario (e.g. the scenario sets that parameter itself) is left out.
    """
    reps = list(replicates)
    by_name = {a.name: a for a in assumptions}
    rows = []
    for label in labels:
        if label == reference:
            continue
        for o in OUTCOMES:
            central = None
            for name, side in settings(assumptions):
                if (label, name, side) not in values or (reference, name, side) not in values:
                    continue
                d = as_matrix(values[(label, name, side)], o.key, reps) - as_matrix(values[(reference, name, side)],
                                                                                    o.key, reps)
                s = describe_rows(d[None, :])
                mean, lo, hi = float(s["mean"][0]), float(s["ci_lo"][0]), float(s["ci_hi"][0])
                if name == CENTRAL:
                    central = (mean, (hi - lo) / 2.0)
                if central is None:
                    continue
                a = by_name.get(name)
                rows.append({"scenario": label, "reference": reference, "outcome": o.key, "assumption": name,
                             "side": side, "setting": "" if a is None else a.describe(side),
                             "diff_mean": mean, "diff_ci_lo": lo, "diff_ci_hi": hi, "n": int(s["n"][0]),
                             "central_diff": central[0], "central_half_width": central[1],
                             "shift": mean - central[0],
                             "moves_beyond_half_width": bool(abs(mean - central[0]) > central[1])
                             if np.isfinite(central[1]) else False,
                             "same_sign": bool(np.sign(mean) == np.sign(central[0]))})
    return pd.DataFrame(rows)


def _sides_text(flips: pd.DataFrame, labels: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """"X is at its low or high, or Y is at its high" in English and Chinese (one clause per assumption)."""
    en, zh = [], []
    for name, g in flips.groupby("assumption", sort=False):
        sides = list(dict.fromkeys(g["side"]))
        en.append(f"{labels[name][0]} is at its {' or '.join(sides)}")
        zh.append(f"{labels[name][1]}取{'或'.join('低值' if s == 'low' else '高值' for s in sides)}")
    return ", or ".join(en), "或".join(zh)


def verdicts(table: pd.DataFrame, assumptions: Sequence[Assumption]) -> pd.DataFrame:
    """One sentence per (scenario, outcome), in English and Chinese: the answer holds, or what reverses it.

    The sign judged is the sign of the mean paired difference. When the difference at the declared values
    is not clear (its paired interval contains 0), the sentence says so first: a reversal of a sign that
    was never clear is noise, not a finding.
    """
    labels = {a.name: (a.label, a.label_zh) for a in assumptions}
    columns = ["scenario", "outcome", "central_diff", "central_half_width", "clear", "holds", "reversed_by",
               "largest_mover", "largest_shift", "moves_beyond_half_width", "verdict", "verdict_zh"]
    rows = []
    for (label, outcome), g in (table.groupby(["scenario", "outcome"], sort=False) if not table.empty else []):
        central = g[g["assumption"] == CENTRAL].iloc[0]
        sides = g[g["assumption"] != CENTRAL]
        flips = sides[~sides["same_sign"]]
        clear = bool(central["diff_ci_lo"] > 0 or central["diff_ci_hi"] < 0)
        holds = flips.empty and central["central_diff"] != 0
        big = sides.iloc[int(np.argmax(np.abs(sides["shift"].to_numpy())))] if len(sides) else None
        if central["central_diff"] == 0:
            en, zh = "no effect at the declared values", "在设定取值下没有影响"
        elif holds:
            en, zh = "holds under every assumption", "在每一项假设下均成立"
        else:
            en, zh = _sides_text(flips, labels)
            en, zh = f"reverses when {en}", f"当{zh}时方向逆转"
        if not clear and central["central_diff"] != 0:
            en = "not clear at the declared values (the paired interval contains 0); its sign " + en
            zh = "设定取值下不明确（配对区间包含0）；" + ("其方向" + zh if holds else zh)  # "当…时方向逆转" names it already
        rows.append({"scenario": label, "outcome": outcome, "central_diff": central["central_diff"],
                     "central_half_width": central["central_half_width"], "clear": clear, "holds": bool(holds),
                     "reversed_by": ";".join(f"{r.assumption}:{r.side}" for r in flips.itertuples()),
                     "largest_mover": "" if big is None else f"{big['assumption']}:{big['side']}",
                     "largest_shift": np.nan if big is None else float(big["shift"]),
                     "moves_beyond_half_width": bool(sides["moves_beyond_half_width"].any()),
                     "verdict": en, "verdict_zh": zh})
    return pd.DataFrame(rows, columns=columns)
