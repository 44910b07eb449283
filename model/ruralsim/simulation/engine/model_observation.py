"""What the model shows: the month's metric parts summed over chunks, the row of metrics they make, the
place groups, and the tables a run returns (time series, income sample, spells, county or village table).

A mixin of :class:`~ruralsim.simulation.engine.model.RuralModel`: the phases in :mod:`.model` accumulate the
parts (sums by county, in county order, so results do not depend on the chunks); this assembles them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..cohort import places as places_mod, population
from ..cohort.chunking import HOUSEHOLD_STATE, Part, Partial, combine_counties, county_array
from ..cohort.population import ELIMINATED, INACTIVE, MONITORED, POST, WORKSHOP
from ..phases import categories, identification, labour, shocks
from ..phases.metrics import mass_return_villages, median_from_histogram, median_histogram, people_below, share_of
from . import group_metrics
from .model_shared import COMPONENTS, FISCAL, DISTRIBUTION_SAMPLE, SPELL_BINS, _add


class ModelObservation:
    """Metric assembly and result tables of :class:`RuralModel`."""

    def _metric_parts(self, c: Part, pc: np.ndarray | None = None) -> None:
        """One chunk's part of the month's metrics: counts, a median histogram and per-county sums."""
        H, L, o = c.hh, c.labs, c.out
        pc = c.inc_sum / H.size if pc is None else pc
        st = L.status
        o["inc_sum"] = c.hh_sum(c.inc_sum)
        o["median_hist"] = median_histogram(pc, H.size)
        o["people_below_poverty"] = people_below(pc, H.size, self.poverty_line)
        o["people_below_monitoring"] = people_below(pc, H.size, self.monitoring_line)
        o["ever_below"] = int(np.count_nonzero(c.ever_below))
        o["monitored"] = int(np.count_nonzero(c.mon_state == MONITORED))
        o["eliminated"] = int(np.count_nonzero(c.mon_state == ELIMINATED))
        o["ever_monitored"] = int(np.count_nonzero(c.ever_monitored))
        o["employed"] = int(np.count_nonzero(labour.employed_mask(L)))
        o["migrant"] = int(np.count_nonzero(st == population.MIGRANT))
        o["workshop"] = int(np.count_nonzero(st == WORKSHOP))
        o["post"] = int(np.count_nonzero(st == POST))
        o["trained"] = int(np.count_nonzero(L.skill))
        o["insured"] = int(np.count_nonzero(c.insured))
        self._more_parts(c)

    def _more_parts(self, c: Part) -> None:
        """The registry measure, the safety net, the monitored caseload in people, demography (the Numba
        kernels count them in their status loop: :mod:`ruralsim.simulation.phases.kernels_status`)."""
        from ..policy.programmes import DIBAO, SINGLE, TEKUN

        H, o = c.hh, c.out
        size = H.size.astype(np.int64)
        mon = c.mon_state == MONITORED
        o["people_now"] = int(size.sum())
        o["people_below_registry"] = int(size[c.reg_below].sum())
        o["households_below_registry"] = int(np.count_nonzero(c.reg_below))
        # Mass return (规模性返贫, A10) is judged on the registry measure: registered households whose
        # calendar-year income fell below the line, not a month's alert signal.
        o["mass_return"] = mass_return_villages(c.reg_below, H.village, c.n_villages,
                                                self.p["monitoring_mass_return_threshold"])
        o["registry_inc"] = c.hh_sum(c.reg_inc)
        o["ever_below_registry"] = int(np.count_nonzero(c.ever_below_reg))
        o["identified"] = int(np.count_nonzero(c.identified))
        o["ill_risk"] = int(np.count_nonzero(c.ill_risk))
        o["monitored_people"] = int(size[mon].sum())
        o["dibao_households"] = int(np.count_nonzero((c.cover == DIBAO) | (c.cover == SINGLE)))
        o["dibao_people"] = int(size[c.cover == DIBAO].sum()) + int(np.count_nonzero(c.cover == SINGLE))
        o["tekun_people"] = int(size[c.cover == TEKUN].sum())
        o["chronic"] = int(np.count_nonzero(H.chronic))
        o["active_labourers"] = int(np.count_nonzero(c.labs.status != INACTIVE))
        self._category_parts(c)

    def _category_parts(self, c: Part) -> None:
        """The category counts, targeting counts and the groups' parts."""
        o = c.out
        cap = np.bincount(categories.capacity(c.category), minlength=3)
        o["cat_able"], o["cat_partly"], o["cat_not_able"] = int(cap[0]), int(cap[1]), int(cap[2])
        o["cat_rigid"] = int(np.count_nonzero(c.category % 2 == categories.RIGID))
        identification.targeting_parts(c, places_mod.monitoring_lines(c, self.monitoring_line))
        group_metrics.chunk_parts(c, c.flows, self.t % 12, self.month_of_year == 11)

    def _combine(self, parts: list[Partial]) -> None:
        """The month's national totals from the chunks' parts; the metrics row; the budget's books."""
        t = self.t
        self.ledger.clear()
        self.reached.clear()
        for name in {k for part in parts for k in part.ledger}:
            self.ledger[name] = combine_counties(parts, self.n_counties, name, where="ledger")
        if self.new_share_capital:  # shares issued as the scenario's levers switched on: a one-off outlay
            self.ledger["coop_shares"], self.new_share_capital = self.new_share_capital, 0.0
        for part in parts:
            for name, value in part.reached.items():
                self.reached[name] += value
        for k in COMPONENTS:
            self.comp_ring[k][t % 12] = combine_counties(parts, self.n_counties, k)
        if t == -1:  # the exit verification's 兜底 counted in every month of the rolling year (identification)
            self.comp_ring["transfer"] += combine_counties(parts, self.n_counties, "verification_credit")
        self.dividends_paid = combine_counties(parts, self.n_counties, "dividends_paid")
        falls = _add(parts, "falls_by_cause")
        extra = {f"falls_{name}": int(falls[i]) for i, name in enumerate(shocks.CAUSES)}
        extra["falls"] = int(falls.sum())
        extra["reentries"] = int(_add(parts, "reentries"))
        extra["recoveries"] = int(_add(parts, "recoveries"))
        self.spell_hist += _add(parts, "spell_hist")
        trans = _add(parts, "transitions")
        for i, a in enumerate(("secure", "monitored", "below")):
            for j, b in enumerate(("secure", "monitored", "below")):
                extra[f"tr_{a}_{b}"] = int(trans[3 * i + j])
        extra["detected"] = int(_add(parts, "detected"))
        for name in identification.CHANNELS.values():
            extra[f"identified_{name}"] = int(_add(parts, f"id_{name}"))
        if self.month_of_year == 0:  # waits to identification are reported for the calendar year so far
            self.id_wait_hist[:] = 0
        self.id_wait_hist += _add(parts, "id_wait")
        extra["median_months_to_identification"] = identification.median_wait(self.id_wait_hist)
        self._market_from(parts)
        self.projects.invest(t, county_array(parts, self.n_counties, "industry_invest"))
        extra["migrant_vacancies"] = self.migrant_vacancies
        extra["migrant_find_rate"] = self.migrant_find
        extra.update(self._market_and_projects(combine_counties(parts, self.n_counties, "industry_returns")))
        self.current = self._metrics(parts, extra)
        fund_spent = self.current["fund_spending"]
        self.budget.book(fund_spent / self.ration if self.ration > 0.05 else (self.budget.last_planned or 0.0),
                         fund_spent)
        if t >= 0:
            self.records.append(self.current)
        if self.record_distribution and t == self.months - 1:
            self._record_distribution(self._date(t))

    def _metrics(self, parts: list[Partial], extra: dict, t: int | None = None) -> dict[str, Any]:
        count = {k: int(_add(parts, k)) for k in (
            "people_below_poverty", "people_below_monitoring", "ever_below", "monitored", "eliminated",
            "ever_monitored", "mass_return", "employed", "migrant", "workshop", "post", "trained",
            "dibao_households", "insured", "people_now", "people_below_registry", "households_below_registry", "ever_below_registry",
            "identified", "ill_risk", "monitored_people", "dibao_people", "tekun_people", "chronic",
            "active_labourers", "cat_able", "cat_partly", "cat_not_able", "cat_rigid", "below_assisted",
            "monitored_above_line")}
        # Rates use the people alive now; national scaling (employed_national) the cohort at the start (A01).
        self.people_now = count["people_now"]
        people = float(self.people_now)
        comp = {c: float(self.comp_ring[c].sum()) / people for c in COMPONENTS}
        employed, ever, m = count["employed"], count["ever_monitored"], count["active_labourers"]
        fiscal = {f"fiscal_{k}": float(self.ledger.get(k, 0.0)) for k in FISCAL}
        groups = self._group_columns(parts, t)
        return {
            "replicate": self.replicate,
            "date": self._date(self.t if t is None else t),
            "households": self.n_households,
            "people": self.people,
            "mean_income": combine_counties(parts, self.n_counties, "inc_sum") / people,
            "median_income": median_from_histogram(_add(parts, "median_hist")),
            "wage_income": comp["wage"],
            "operating_income": comp["operating"],
            "transfer_income": comp["transfer"],
            "property_income": comp["property"],
            "medical_oop": comp["medical"],
            "people_now": self.people_now,
            "poverty_rate_registry": count["people_below_registry"] / people,
            "households_below_registry": count["households_below_registry"],
            "below_assisted": count["below_assisted"],
            "monitored_above_line": count["monitored_above_line"],
            "registry_income": combine_counties(parts, self.n_counties, "registry_inc") / people,
            "ever_below_registry_share": count["ever_below_registry"] / self.n_households,
            "poverty_rate_alert": count["people_below_poverty"] / people,
            "below_monitoring_line": count["people_below_monitoring"] / people,
            "ever_fallen_share": count["ever_below"] / self.n_households,
            "monitored_households": count["monitored"],
            "ever_monitored": ever,
            "ever_monitored_households": count["identified"],
            "monitored_people_share": count["monitored_people"] / people,
            "monitored_illness_share": share_of(count["ill_risk"], count["identified"]),
            "risk_eliminated_share": share_of(count["eliminated"], ever),
            "mass_return_villages": count["mass_return"],
            "labourers": m,
            "employed_labourers": employed,
            "employment_rate": employed / max(m, 1),
            "employed_national": employed * self.p["population_national_people"] / float(self.people),
            "migrant_labourers": count["migrant"],
            "workshop_labourers": count["workshop"],
            "post_labourers": count["post"],
            "trained_share": count["trained"] / m if m else 0.0,
            "dibao_households": count["dibao_households"],
            "dibao_people": count["dibao_people"],
            "tekun_people": count["tekun_people"],
            "safety_net_share": (count["dibao_people"] + count["tekun_people"]) / people,
            "chronic_share": count["chronic"] / self.n_households,
            "insured_share": count["insured"] / self.n_households,
            "support_level": self.support,
            **{f"level_{k}": v for k, v in self.levels.items()},
            "households_able": count["cat_able"],
            "households_partly_able": count["cat_partly"],
            "households_not_able": count["cat_not_able"],
            "households_rigid_risk": count["cat_rigid"],
            "budget_ration": self.ration,
            "dividends_paid": float(getattr(self, "dividends_paid", 0.0)),
            "poverty_line": self.poverty_line,
            "monitoring_line": self.monitoring_line,
            **fiscal,
            "fiscal_cost": float(sum(fiscal.values())),
            "fund_spending": float(sum(self.ledger.get(pr.name, 0.0) for pr in self.programmes if pr.fund)),
            "budget": self.budget.monthly,
            "crop_price": float(self.coops.price.mean()),
            **groups,
            **extra,
        }

    def _group_columns(self, parts: list[Partial], t: int | None) -> dict[str, float]:
        """The month's place-group totals into the group book (:mod:`ruralsim.simulation.engine.group_metrics`); each
        December from 2020 on, its rows. The start's snapshot (``t`` given) reuses the last month's totals."""
        if t is not None and self.group_book.last:
            return self.group_book.columns()
        totals = group_metrics.combine(parts, self.n_counties)
        columns = self.group_book.month(totals, self.t)
        if self.month_of_year == 11 and self.t >= -1:
            self.group_book.december(totals, self.replicate, self.year)
        return columns

    def _record_distribution(self, date: pd.Timestamp) -> None:
        n = self.n_households
        k = min(n, DISTRIBUTION_SAMPLE)
        rows = np.sort(self.streams.generator("dist.sample").choice(n, size=k, replace=False)) if k < n \
            else np.arange(n)
        pc = self.inc_sum[rows] / self.hh.size[rows]
        self.distribution.append(pd.DataFrame({"replicate": self.replicate, "date": date,
                                               "income": pc.astype(float), "size": self.hh.size[rows]}))

    def timeseries(self) -> pd.DataFrame:
        """The monthly metrics as a DataFrame (one row per month)."""
        return pd.DataFrame(self.records)

    def distribution_frame(self) -> pd.DataFrame:
        """Per-capita income of a sample of households at the start and the end."""
        return pd.concat(self.distribution, ignore_index=True) if self.distribution else pd.DataFrame()

    def place_groups(self) -> pd.DataFrame:
        """Each December from 2020 (the start): households, people, income, poverty (both measures), the
        monitored and the wage share by place group (``groups.csv``; :mod:`ruralsim.simulation.engine.group_metrics`)."""
        return self.group_book.frame()

    def spell_lengths(self) -> pd.DataFrame:
        """Ended spells below the poverty line by length in months (the last bin is 60+)."""
        return pd.DataFrame({"replicate": self.replicate, "months": np.arange(SPELL_BINS),
                             "spells": self.spell_hist})[1:]

    def group_table(self, level: str = "county") -> pd.DataFrame:
        """The current month by village or county: households, people, households and people below the
        poverty line (alert measure), households under monitoring, the share of households below, and
        whether it counts as mass return (A10: a village's share of households below the line on the
        registry measure at or above ``monitoring.mass_return_threshold``)."""
        if level not in ("village", "county"):
            raise ValueError(f"level={level!r}: use 'village' or 'county'")
        group, n = (self.hh.village, self.n_villages) if level == "village" else (self.hh.county, self.n_counties)
        households = np.bincount(group, minlength=n)
        below = np.bincount(group[self.below], minlength=n)
        share = np.divide(below, households, out=np.zeros(n), where=households > 0)
        below_reg = np.bincount(group[self.reg_below], minlength=n)
        share_reg = np.divide(below_reg, households, out=np.zeros(n), where=households > 0)
        ids = {level: np.arange(n, dtype=np.int32)}
        if level == "village":  # so village rows can be summed up to their county
            ids["county"] = self.structure.village_county.astype(np.int32)
        return pd.DataFrame({
            **ids, "households": households.astype(np.int32),
            "people": np.bincount(group, self.hh.size, minlength=n).astype(np.int32),
            "below_poverty_line": below.astype(np.int32),
            "people_below_poverty_line": np.bincount(group[self.below], self.hh.size[self.below],
                                                     minlength=n).astype(np.int32),
            "monitored": np.bincount(group[self.mon_state == MONITORED], minlength=n).astype(np.int32),
            "share_below": share.astype(np.float32),
            "share_below_registry": share_reg.astype(np.float32),
            "mass_return": share_reg >= self.p["monitoring_mass_return_threshold"],
        })

    def month_simulated(self) -> pd.Timestamp:
        """The date of the month the last step simulated (e.g. to label a :meth:`group_table`)."""
        return self._date(self.t - 1)

    def state_nbytes(self) -> dict[str, int]:
        """Bytes held by the per-household and per-labourer state (what grows with the cohort)."""
        model = sum(getattr(self, k).nbytes for k in HOUSEHOLD_STATE) + self.ring.nbytes
        return {"households": self.hh.nbytes(), "labourers": self.labs.nbytes(), "model": model,
                "flows": sum(v.nbytes for v in self.flows.values()), "cooperatives": self.coops.pooled_mu_hh.nbytes}
