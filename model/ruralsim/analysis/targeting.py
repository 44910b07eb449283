"""Targeting diagnostics (``targeting.csv``): who is below the registry line, and whether the system has them.

One row per calendar year (the mean over replicates, with the replicates' count): of the households below
the registry line at the December check, how many are monitored or under 兜底 (低保, 特困, 单人保) by the
following March, and how many are missed; monitored households above the monitoring line (leakage, not
an error by itself: assistance lifted them, and they stay monitored until their risk is declared
eliminated); the median wait from the first month under the monitoring line to identification; and the
households identified in the year by each channel (:mod:`ruralsim.simulation.phases.identification`).
All counts are households of the simulated sample.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CHANNELS = ("annual_check", "self_report", "cadre_screening", "data_screening")
COLUMNS = ("year", "replicates", "households_below_registry", "below_assisted", "below_missed",
           "below_missed_share", "monitored_above_line", "median_months_to_identification",
           "identified_by_channel_annual", "identified_by_channel_triggers", "identified_by_channel_data",
           "identified_by_channel_self_report", "identified_by_channel_cadre_screening")


def targeting_table(ts: pd.DataFrame) -> pd.DataFrame:
    """The year-by-year targeting table from a run's monthly timeseries (empty if it has no such columns)."""
    need = {"households_below_registry", "below_assisted", "monitored_above_line"} | {
        f"identified_{c}" for c in CHANNELS}
    if ts.empty or not need <= set(ts.columns):
        return pd.DataFrame(columns=list(COLUMNS))
    ts = ts.assign(year=pd.to_datetime(ts["date"]).dt.year, month=pd.to_datetime(ts["date"]).dt.month)
    dec = ts[ts["month"] == 12].set_index(["replicate", "year"])
    # "By the following March": March of year y + 1 reports on December y's households below the line.
    march = ts[ts["month"] == 3].assign(year=lambda d: d["year"] - 1).set_index(["replicate", "year"])
    ids = ts.groupby(["replicate", "year"])[[f"identified_{c}" for c in CHANNELS]].sum()
    rows = pd.DataFrame(index=dec.index)
    rows["households_below_registry"] = dec["households_below_registry"]
    rows["below_assisted"] = march["below_assisted"].reindex(rows.index)
    rows["below_missed"] = rows["households_below_registry"] - rows["below_assisted"]
    rows["below_missed_share"] = np.where(rows["households_below_registry"] > 0,
                                          rows["below_missed"] / rows["households_below_registry"].clip(lower=1),
                                          np.nan)
    rows["monitored_above_line"] = dec["monitored_above_line"]
    rows["median_months_to_identification"] = dec.get("median_months_to_identification", np.nan)
    ids = ids.reindex(rows.index)
    rows["identified_by_channel_annual"] = ids["identified_annual_check"]
    rows["identified_by_channel_triggers"] = ids["identified_self_report"] + ids["identified_cadre_screening"]
    rows["identified_by_channel_data"] = ids["identified_data_screening"]
    rows["identified_by_channel_self_report"] = ids["identified_self_report"]
    rows["identified_by_channel_cadre_screening"] = ids["identified_cadre_screening"]
    out = rows.groupby(level="year").mean()
    out.insert(0, "replicates", rows.groupby(level="year").size())
    return out.reset_index()[list(COLUMNS)]


__all__ = ["targeting_table", "COLUMNS", "CHANNELS"]
