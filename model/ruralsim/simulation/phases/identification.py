"""How monitoring finds households: the channels the rules name (P35), each with its rate and delay.

Four channels, in three groups, as the 2021 guideline lists them (P35: "complementary", no cap on
numbers, identification within ~15 days of the first signal):

- **annual check** (年度收入核查 / 集中排查): each December every registered household's calendar-year income
  less its medical out-of-pocket spending is checked against the monitoring line (and its medical
  spending, when it exceeds ``monitoring.annual_rigid_share`` of income, is deducted first: 刚性支出); the
  households under it, outside household-wide 兜底, are identified
  ``monitoring.annual_check_delay`` months later, all but the exclusion error
  (1 − ``monitoring.annual_check_coverage``);
- **triggers during the year**: the household's own report (农户自主申报, ``monitoring.self_report_prob`` a
  month) and the cadres' visits (基层干部排查, the village work team's ``detection_prob``), both on the alert
  signal (rolling income under the line for more than ``detection_delay`` months, large rigid spending,
  sudden hardship);
- **departments' data** (部门筛查预警): a signal in the data (a large medical bill, a death or disability, a
  disaster loss, a job loss on a low income) is matched ``monitoring.data_screening_delay`` months later
  with probability ``monitoring.data_screening_prob``. It sees events, not income: a household whose
  income fell without an event is not in it. In the merged system (from 2026, ``monitoring.after_2025 =
  "merged"``) the platform matches incomes too, at ``monitoring.merged_data_prob`` a month.

One uniform draw a month per household decides the month's channels (common random numbers: the same
household meets the same luck in every scenario); the interval it falls in names the channel that found
it: [0, data), then own report, then cadres. The annual check has its own draw each December.

Functions here are the NumPy reference; the policy kernel (:mod:`ruralsim.simulation.phases.kernels_policy`)
does the same arithmetic in the same order.
"""

from __future__ import annotations

import numpy as np

from ..cohort.population import DIBAO, ELIMINATED, MONITORED, NONE, TEKUN
from ..inputs.programme_paths import FIRST_PATH_YEAR

# Channel codes (0: not identified this month) and their output names.
ANNUAL, SELF_REPORT, CADRE, DATA = 1, 2, 3, 4
CHANNELS = {ANNUAL: "annual_check", SELF_REPORT: "self_report", CADRE: "cadre_screening", DATA: "data_screening"}
NO_DUE = np.int16(-32768)   # ``annual_due`` / ``data_due`` when nothing is pending
WAIT_BINS = 121             # months from the first month under the line to identification, 0..120


def channel_thresholds(p_data: np.ndarray, p_self: np.ndarray, p_cadre: np.ndarray) -> tuple[np.ndarray, ...]:
    """Cumulative thresholds on the month's uniform (float64): data, then own report, then cadres;
    ``u < t3`` is identified, and the first threshold it is under names the channel."""
    t1 = p_data
    t2 = t1 + (1.0 - t1) * p_self
    t3 = t2 + (1.0 - t2) * p_cadre
    return t1, t2, t3


def month_channels(c, not_monitored: np.ndarray, low: np.ndarray, rigid: np.ndarray, sudden: np.ndarray,
                   job_lost: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The month's identification by channel (0 for none) of the households not monitored now; updates the
    departments' data signals (``data_due``) and counts the identified by channel and their wait."""
    p, t = c.p, c.t
    n = c.n_households
    level = float(c.levels["monitoring"])
    merged = bool(c.merged)
    # Annual check: due this month (found in December, see annual_check).
    annual = not_monitored & (c.annual_due == t)
    # Departments' data: an event (or, merged, a low income) opens a signal unless one is pending.
    signal = rigid | sudden | (job_lost & low)
    if merged:
        signal = signal | low
    new = not_monitored & signal & (c.data_due < t)
    c.data_due[new] = t + int(p["monitoring_data_screening_delay"])
    ripe = not_monitored & (c.data_due == t)
    data_rate = min(1.0, (float(p["monitoring_merged_data_prob"]) if merged else float(p["monitoring_data_screening_prob"]))
                    * level)
    p_data = np.where(ripe, data_rate, 0.0)
    # Triggers: own report and cadres' visits on the alert signal.
    trig = not_monitored & ((c.risk_months > p["monitoring_detection_delay"]) | rigid | sudden)
    factor = float(c.detect_factor)
    p_self = np.where(trig, min(1.0, float(p["monitoring_self_report_prob"]) * factor), 0.0)
    p_cadre = np.where(trig, np.minimum(c.detection_prob[c.hh.village].astype(np.float64) * factor, 1.0), 0.0)
    t1, t2, t3 = channel_thresholds(p_data, p_self, p_cadre)
    u64 = u.astype(np.float64)
    channel = np.where(u64 < t1, DATA, np.where(u64 < t2, SELF_REPORT, np.where(u64 < t3, CADRE, 0))).astype(np.int8)
    channel[annual] = ANNUAL
    # A ripe data signal is spent whether or not it was matched (the next event opens a new one).
    done = ripe | (channel > 0)
    c.data_due[done] = NO_DUE
    c.annual_due[annual] = NO_DUE
    return channel if n else np.zeros(0, np.int8)


def elimination_review(p, t: int, merged: bool = False) -> bool:
    """Whether month ``t`` holds a risk-elimination review: every ``monitoring.review_months`` months,
    counted from the month the annual check's households are identified (January with the default 1-month
    delay),
    so the year's check identifies the new and removes the stable at once (P33's procedure is the same as
    identification's). Reviewing every month instead makes each wave leave ``eliminate_after`` months after
    it came, on top of the next wave: a caseload that jumps each February. The merged platform (from 2026,
    ``merged``) takes the separate system's caseload over and, from the first year's check on, reviews every
    ``monitoring.merged_review_months`` (it re-matches incomes monthly); a review in the merger's first
    January would drop the old caseload a month before the platform's matching finds anyone."""
    first = (11 + int(p["monitoring_annual_check_delay"])) % 12
    if merged:
        first += (FIRST_PATH_YEAR - int(p["run_start_year"])) * 12
        return t >= first and (t - first) % int(p["monitoring_merged_review_months"]) == 0
    return (t - first) % int(p["monitoring_review_months"]) == 0


def count_channels(c, channel: np.ndarray) -> None:
    """The month's identifications by channel and their wait from the first month under the line (from 2021)."""
    o = c.out
    counts = np.bincount(channel, minlength=5) if c.t >= 0 else np.zeros(5, np.int64)
    for code, name in CHANNELS.items():
        o[f"id_{name}"] = int(counts[code])
    found = channel > 0
    o["id_wait"] = (np.bincount(np.minimum(c.risk_months[found], WAIT_BINS - 1), minlength=WAIT_BINS)
                    if c.t >= 0 else np.zeros(WAIT_BINS, np.int64))


def annual_check(c, lines_hh: np.ndarray, u: np.ndarray) -> None:
    """December: the year's income check of every registered household not monitored now (after the
    registry income is closed). Households whose calendar-year income per person is under the line, or
    would be once large medical spending is paid (above ``monitoring.annual_rigid_share`` of income), and
    that are outside household-wide 兜底, are found with the check's coverage and identified
    ``annual_check_delay`` months later."""
    p = c.p
    size = c.hh.size
    # 纯收入 under the line, or large rigid (medical) spending that leaves the household under it once paid.
    rigid = c.year_med > p["monitoring_annual_rigid_share"] * np.maximum(c.reg_inc, 1.0)
    low = (c.reg_inc / size < lines_hh) | (rigid & ((c.reg_inc - c.year_med) / size < lines_hh))
    guaranteed = (c.cover == DIBAO) | (c.cover == TEKUN)
    under = low & ~guaranteed
    coverage = min(1.0, float(p["monitoring_annual_check_coverage"]) * float(c.levels["monitoring"]))
    found = under & (c.mon_state != MONITORED) & (u.astype(np.float64) < coverage)
    if not p["monitoring_enabled"]:
        return
    if c.t == -1:
        _start_caseload(c, under, found)
        return
    c.annual_due[found] = c.t + int(p["monitoring_annual_check_delay"])


def _start_caseload(c, under: np.ndarray, found: np.ndarray) -> None:
    """End-2020: the verification re-checked every monitoring object of the warm-up. The caseload 2021 opens
    with is what that check leaves: households it finds under the monitoring line (or under it once large
    medical spending is paid) are monitored from now, not two months into 2021; monitored households above
    it (and those under 兜底, which is not flagged on income) had their risk declared eliminated (P33), and
    households below the registry line stay monitored (:func:`exit_verification`). Without this the start
    carries the warm-up's whole stock plus the check's wave, and 2021's fall in the caseload is the start
    settling, not policy."""
    monitored = c.mon_state == MONITORED
    c.mon_state[monitored & ~under & ~c.reg_below] = ELIMINATED
    _identify_now(c, found)


def _identify_now(c, mask: np.ndarray) -> None:
    """Make ``mask``'s households monitoring objects this month (state, counters, the placement episode)."""
    able = c.hh.n_lab > 0
    c.mon_state[mask] = MONITORED
    c.ever_monitored[mask] = 1
    c.safe_months[mask] = 0
    c.episode[mask] = np.where(able[mask], int(c.p["monitoring_placement_months"]), 0)


def exit_verification(c, m) -> None:
    """End-2020 (A01): the poverty-exit verification brought every registered household above the line.
    A household still under it at the end-2020 check is identified and put under 兜底 (政策性保障兜底), and
    the year's guaranteed payment counts in its 2020 registry income, as the verification counted it."""
    H = c.hh
    below = c.reg_below.copy()
    if not below.any():
        return

    able = H.n_lab > 0
    old = c.dibao.copy()
    test = m.prog_dibao.test_income(c, c.inc_sum - 12.0 * c.dibao)
    c.cover[below] = NONE  # re-tested now: an enrolled household's payment follows its income of the year
    m.prog_dibao.enrol_detected(c, below, able, test, m.dibao_standard, m.tekun_standard)
    _identify_now(c, below)
    c.reg_inc[:] = (c.reg_inc + 12.0 * (c.dibao - old)).astype(np.float32)
    # ... and in the rolling income the alert measure reads, so both measures start from the same state.
    c.ring[:] += (c.dibao - old).astype(np.float32)
    c.out["verification_credit"] = c.hh_sum(c.dibao - old)  # the same in the rolling transfer component
    c.inc_sum[:] = c.ring.sum(axis=0, dtype=np.float32)
    c.reg_below[:] = c.reg_inc / H.size < m.poverty_line


def targeting_parts(c, lines_hh: np.ndarray) -> None:
    """The month's targeting counts (targeting.csv reads March's and December's): households below the
    registry line that are monitored or under 兜底 now, and monitored households whose registry income is
    above the monitoring line (leakage, not an error by itself)."""

    mon = c.mon_state == MONITORED
    c.out["below_assisted"] = int(np.count_nonzero(c.reg_below & (mon | (c.cover != NONE))))
    c.out["monitored_above_line"] = int(np.count_nonzero(mon & (c.reg_inc / c.hh.size >= lines_hh)))


def median_wait(hist: np.ndarray) -> float:
    """Median months from the first month under the line to identification, from a histogram (NaN if empty)."""
    total = int(hist.sum())
    if total == 0:
        return float("nan")
    return float(np.searchsorted(np.cumsum(hist), (total + 1) / 2.0))
