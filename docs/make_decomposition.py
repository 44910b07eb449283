"""What carries an effect: switch each part off in turn and write the table for docs/ODD.md (issue 21).

    python docs/make_decomposition.py [--households 10000] [--replicates 5]

Prints Markdown tables of paired differences (common random numbers: the same replicates in every
variant) in registry poverty (people, % points, December), alert poverty (the year's mean) and fiscal cost (yuan per person per year) in 2025:
monitoring's value as `no_monitoring` against the baseline, then with each of monitoring's measures
switched off alone (grants, placements, 兜底 enrolment of the identified, temporary help, job priority), and the same
with full 低保 take-up; and `policy_2026` against the baseline split by its levers (each alone).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from ruralsim import RuralModel
from ruralsim.simulation.config import find_scenario, load_scenario


def outcome(scenario, n: int, reps: int, year: int, **kw) -> pd.DataFrame:
    rows = []
    for r in range(reps):
        ts = RuralModel(scenario, run_households=n, replicate=r, **kw).run().timeseries()
        ts["year"] = ts["date"].dt.year
        y = ts[ts["year"] == year]
        rows.append({"registry": 100 * y["poverty_rate_registry"].iloc[-1],
                     "alert": 100 * y["poverty_rate_alert"].mean(),
                     "cost": y["fiscal_cost"].sum() / y["people_now"].iloc[-1],
                     "monitored": 100 * y["monitored_people_share"].iloc[-1]})
    return pd.DataFrame(rows)


def diff(a: pd.DataFrame, b: pd.DataFrame) -> str:
    d = b - a
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return " | ".join(f"{d[k].mean():+.2f} [{d[k].mean() - half[k]:+.2f}, {d[k].mean() + half[k]:+.2f}]"
                      for k in ("registry", "alert", "cost", "monitored"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=10000)
    ap.add_argument("--replicates", type=int, default=5)
    a = ap.parse_args()
    n, reps = a.households, a.replicates
    print("| comparison (2025) | registry poverty, pp | alert poverty (year's mean), pp | fiscal cost, yuan/person/yr "
          "| monitored people, pp |")
    print("|---|---|---|---|---|")
    for takeup in (None, 1.0):
        extra = {} if takeup is None else {"transfers_dibao_takeup": takeup, "transfers_tekun_takeup": takeup,
                                           "transfers_single_cover_takeup": takeup}
        tag = "" if takeup is None else " (full take-up)"
        base = outcome("baseline", n, reps, 2025, **extra)
        print(f"| no monitoring vs baseline{tag} | {diff(base, outcome('baseline', n, reps, 2025, monitoring_enabled=False, **extra))} |")
        for name, kw in (("grants off", {"monitoring_industry_grant": 0.0}),
                         ("placements off", {"monitoring_placement_prob": 0.0}),
                         ("兜底 enrolment of the identified off", {"monitoring_enrol_identified": False}),
                         ("temporary help off", {"transfers_temporary_assistance": 0.0}),
                         ("job priority off", {"monitoring_job_priority": 1.0})):
            print(f"| {name} vs baseline{tag} | {diff(base, outcome('baseline', n, reps, 2025, **kw, **extra))} |")
    base30 = outcome("baseline", n, reps, 2030)
    print(f"| policy_2026 vs baseline (2030) | {diff(base30, outcome('policy_2026', n, reps, 2030))} |")
    sc = load_scenario(find_scenario("policy_2026"))
    base_p = load_scenario(find_scenario("baseline")).params
    for key, value in sorted(sc.params.items()):
        if base_p.get(key) != value and not key.startswith("run_"):
            print(f"| policy_2026 lever alone: {key} (2030) | {diff(base30, outcome('baseline', n, reps, 2030, **{key: value}))} |")


if __name__ == "__main__":
    main()
