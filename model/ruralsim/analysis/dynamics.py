"""Return-to-poverty (返贫) dynamics of a run: who falls back, how often, for how long, and why.

Built only from the stored monthly series and ended spells, so they can be computed for any run
folder after the fact (:func:`dynamics_tables`; :func:`ruralsim.workflows.run.write_extras` writes them). They
are on the **alert** measure (the monthly rolling income net of medical costs, docs/ODD.md §7.11); the registry
measure's counterparts are the columns ``poverty_rate_registry`` and ``ever_below_registry_share``. Tables:

* ``ever_fallen`` -- share of the cohort's households that fell below the poverty line at least
  once since the start (``ever_fallen_share``), at every December and the last month;
* ``reentry`` -- by year: falls, re-entries (falls of households that had been below before) and
  recoveries, and the rates per household (count in the year / households);
* ``transitions`` -- the annual average *monthly* transition probabilities between the states
  secure, monitored (above the line, under monitoring) and below (the poverty line): for each
  from-state, household-months that moved to each state / all household-months starting in it,
  pooled over the year's months ("all" pools the whole run). Rows sum to 1;
* ``spells`` -- ended spells below the line by length in months (60 = 60 months or more). Spells
  still running at the end are not counted, so long spells are under-represented in short runs;
* ``causes`` -- falls by the cause attributed by the model, by year: the end of targeted support when
  full support would have kept the household above the line (a but-for test), else the most telling
  shock in the 12 months before ("other" when there was none).

Rates and counts are means across replicates with Student-t 95% intervals (see
:mod:`ruralsim.compare_stats`). Counts are for the simulated sample; rates do not depend on its size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..simulation.phases.shocks import CAUSES
from .compare_stats import describe_rows, summarise_frame, widen

STATES = ("secure", "monitored", "below")
STATE_LABELS = {"secure": "Secure", "monitored": "Monitored\n(above line)", "below": "Below the\npoverty line"}
CAUSE_LABELS = {
    "illness": "Illness (costly episode)", "job_loss": "Job loss", "price": "Crop price fall",
    "disaster": "Village disaster", "support_end": "Support withdrawn (but-for)",
    "other": "Other (no recent shock)",
}
TABLES = ("ever_fallen", "reentry", "transitions", "spells", "causes")
SPELL_TOP = 60  # the last bin of RuralModel.spell_lengths counts spells of 60 months or more
RATES = {"falls": "fall_rate", "reentries": "reentry_rate", "recoveries": "recovery_rate"}


def transition_columns() -> list[str]:
    """The ``tr_<from>_<to>`` columns of the monthly series, from-state major."""
    return [f"tr_{a}_{b}" for a in STATES for b in STATES]


def yearly(ts: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Per replicate and calendar year: sums of ``columns``, months covered and mean households."""
    year = pd.to_datetime(ts["date"]).dt.year.rename("year")
    grouped = ts.groupby([ts["replicate"], year])
    out = grouped[columns].sum()
    out["months"] = grouped.size()
    out["households"] = grouped["households"].mean()
    return out.reset_index()


def dynamics_tables(ts: pd.DataFrame, spells: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The return-to-poverty tables of one scenario (see the module docstring)."""
    tables = {"ever_fallen": ever_fallen(ts), "reentry": reentry(ts), "transitions": transitions(ts),
              "causes": causes(ts)}
    tables["spells"] = spell_table(spells if spells is not None else pd.DataFrame())
    return {name: tables[name] for name in TABLES}


def ever_fallen(ts: pd.DataFrame) -> pd.DataFrame:
    """Share of households ever below the line since the start, at each December and the end."""
    months = pd.to_datetime(ts["date"]).dt.to_period("M")
    chosen = sorted({m for m in months.unique() if m.month == 12} | {months.max()})
    frame = ts.loc[months.isin(chosen), ["replicate", "ever_fallen_share"]].assign(
        date=months[months.isin(chosen)].astype(str))
    return summarise_frame(frame, ["date"], ["ever_fallen_share"]).drop(columns="measure")


def reentry(ts: pd.DataFrame) -> pd.DataFrame:
    """Falls, re-entries and recoveries by year: mean counts and rates per household."""
    per = yearly(ts, ["falls", "reentries", "recoveries"])
    for count, rate in RATES.items():
        per[rate] = per[count] / per["households"]
    per["reentry_share_of_falls"] = per["reentries"] / per["falls"].where(per["falls"] > 0)
    measures = [*RATES, *RATES.values(), "reentry_share_of_falls"]
    table = widen(summarise_frame(per, ["year"], measures), ["year"])
    info = per.groupby("year")[["months", "households"]].mean().reset_index()
    keep = ["year", "months", "households", "falls", "reentries", "recoveries", "fall_rate", "fall_rate_ci_lo",
            "fall_rate_ci_hi", "reentry_rate", "reentry_rate_ci_lo", "reentry_rate_ci_hi", "recovery_rate",
            "reentry_share_of_falls"]
    return info.merge(table, on="year")[keep]


def transitions(ts: pd.DataFrame) -> pd.DataFrame:
    """Monthly transition probabilities between states, per year and pooled ("all")."""
    cols = transition_columns()
    per = yearly(ts, cols)
    pooled = per.groupby("replicate")[cols].sum().reset_index().assign(year="all")
    rows = []
    for period, frame in [*((str(y), f) for y, f in per.groupby("year")), ("all", pooled)]:
        counts = frame[cols].to_numpy(float).reshape(len(frame), 3, 3)  # replicate x from x to
        totals = counts.sum(axis=2, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            prob = np.where(totals > 0, counts / totals, np.nan)
        stats = describe_rows(prob.reshape(len(frame), 9).T)
        mean_counts = counts.mean(axis=0).ravel()
        for k, (a, b) in enumerate((a, b) for a in STATES for b in STATES):
            rows.append({"period": period, "from": a, "to": b, "probability": stats["mean"][k],
                         "ci_lo": stats["ci_lo"][k], "ci_hi": stats["ci_hi"][k], "n": stats["n"][k],
                         "transitions": mean_counts[k]})
    return pd.DataFrame(rows)


def transition_matrix(table: pd.DataFrame, period: str = "all") -> pd.DataFrame:
    """3x3 matrix (from-state rows, to-state columns) of one period of :func:`transitions`."""
    sel = table[table["period"] == str(period)]
    return sel.pivot(index="from", columns="to", values="probability").reindex(index=STATES, columns=STATES)


def spell_table(spells: pd.DataFrame) -> pd.DataFrame:
    """Ended spells below the line by length: mean count per replicate, share and cumulative share."""
    months = np.arange(1, SPELL_TOP + 1)
    if spells.empty:
        counts = pd.DataFrame(0.0, index=months, columns=[0])
    else:
        counts = (spells.pivot_table(index="months", columns="replicate", values="spells", aggfunc="sum")
                  .reindex(months, fill_value=0).fillna(0))
    stats = describe_rows(counts.to_numpy())
    total = counts.to_numpy().sum()
    share = counts.to_numpy().sum(axis=1) / total if total > 0 else np.zeros(len(months))
    return pd.DataFrame({
        "months": months, "label": [str(m) if m < SPELL_TOP else f"{SPELL_TOP}+" for m in months],
        "spells": stats["mean"], "ci_lo": stats["ci_lo"], "ci_hi": stats["ci_hi"],
        "share": share, "cum_share": np.cumsum(share),
    })


def causes(ts: pd.DataFrame) -> pd.DataFrame:
    """Falls by attributed cause and year: mean count, rate per 1,000 households and share of falls."""
    cols = [f"falls_{c}" for c in CAUSES]
    per = yearly(ts, cols + ["falls"])
    summary = summarise_frame(per, ["year"], cols)
    summary["cause"] = summary.pop("measure").str.removeprefix("falls_")
    info = per.groupby("year")[["months", "households", "falls"]].mean()
    summary = summary.merge(info, left_on="year", right_index=True, suffixes=("", "_total"))
    summary = summary.rename(columns={"mean": "falls_mean", "falls": "falls_all"})
    summary["per_1000_households"] = 1000 * summary["falls_mean"] / summary["households"]
    summary["share_of_falls"] = summary["falls_mean"] / summary["falls_all"].where(summary["falls_all"] > 0)
    return summary.rename(columns={"falls_mean": "falls"})[
        ["year", "months", "cause", "falls", "ci_lo", "ci_hi", "n", "per_1000_households", "share_of_falls",
         "falls_all"]]


def causes_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Year x cause matrix of mean falls per 1,000 households (for stacked bars)."""
    return table.pivot(index="year", columns="cause", values="per_1000_households").reindex(
        columns=list(CAUSES))


__all__ = ["dynamics_tables", "transition_matrix", "causes_wide"]
