"""The schema's part for the regime after the transition (issue 13): programme paths, categories, merged monitoring.

Kept apart from :mod:`ruralsim.simulation.inputs.parameters` so the rules after 2025 read as one block;
``parameters.PARAMS`` appends a ``Param`` for each entry of :data:`POST2025_PARAMS` (plain keyword dicts,
so this module imports nothing from the schema and makes no import circle). Sources ``public:Qnn`` are the rows of
``docs/sources/POST2025_FIGURES.md``.

``[programmes]``: one level per programme (its ledger name), a number (from 2026 on) or a table by year
from 2026 (``posts = { 2026 = 1.0, 2027 = 0.0 }``). ``"transition"`` (the default) means the programme
follows the transition's single scalar (:func:`ruralsim.simulation.phases.transition.support_level`) as every
programme did before; a path overrides it from its first year. What each level scales is
:data:`ruralsim.simulation.inputs.programme_paths.PROGRAMMES`.
"""

from __future__ import annotations

from typing import Any

ASSUME = "assumption: "
Q = "public:"
LEVEL_HIGH = 3.0  # a level is a multiple of the programme as declared; 3x is already far outside the record

_FOLLOW = ("follows the transition's support level (transition.*) until its first listed year "
           "(the default 'transition' always does)")
_STAY = "stays as declared (level 1) until its first listed year (the default 'transition' always does)"
_LEVEL_SOURCE = ASSUME + "a scenario lever; 1 is the programme as declared, Q04: funding stays broadly stable"


def Param(section: str, name: str, default: Any, unit: str, description: str, source: str,
          low: float | None = None, high: float | None = None, **more: Any) -> dict[str, Any]:
    """One parameter's declaration, as the keyword arguments of :class:`ruralsim.simulation.inputs.parameters.Param`."""
    return dict(section=section, name=name, default=default, unit=unit, description=description, source=source,
                low=low, high=high, **more)


def _level(name: str, scales: str, follows: bool = True) -> dict[str, Any]:
    return Param("programmes", name, "transition", "x declared level",
                 f"Level of {scales} by year from 2026; {_FOLLOW if follows else _STAY}.", _LEVEL_SOURCE,
                 0.0, LEVEL_HIGH, by_year=True, kind="level")


POST2025_PARAMS: tuple[dict[str, Any], ...] = (
    # --- programmes: one path each (programme_paths.PROGRAMMES lists what each level scales) -------
    _level("subsidies", "the targeted subsidies per person"),
    _level("industry", "industry support per person"),
    _level("training", "training coverage (new enrolments)", follows=False),
    _level("posts", "the public-welfare post quota per village"),
    _level("workshops", "the workshop subsidy per job (and the jobs it keeps viable)"),
    _level("dividend_subsidy", "the guaranteed dividend rate topped up by the fund"),
    _level("medical", "the poverty-specific medical tiers (premium subsidy, insured out-of-pocket tier)"),
    _level("dibao", "the 低保 and 特困 standards", follows=False),
    _level("temporary", "the temporary-assistance amount", follows=False),
    _level("monitoring", "monitoring's detection (work teams' identification probability)", follows=False),
    # --- categorised assistance (分层分类帮扶) ------------------------------------------------------
    Param("categories", "packages", False, "-",
          "From 2026 each household category gets its own package (分层分类帮扶): development support "
          "(placement, training priority, industry grant) for households that can work, 兜底 (低保 without "
          "the take-up draw, higher medical assistance) for those that cannot or carry rigid spending.",
          Q + "Q01, Q02"),
    Param("categories", "review", "yearly", "-",
          "How often a household's category is recomputed: 'yearly' at its annual 低保 review month, or "
          "'monthly'.",
          Q + "Q05: the MCA's dynamic monitoring re-checks households at least yearly; monthly is the upper bound",
          choices=("yearly", "monthly")),
    Param("categories", "placement_factor", 1.5, "x",
          "Development package: multiplier on monitoring.placement_prob for households that can work "
          "(fully or partly).",
          ASSUME + "Q02 asks to strengthen development support for those who can work; 1.5 a middle step", 0.0, 5.0),
    Param("categories", "training_factor", 1.5, "x",
          "Development package: multiplier on training.monitored_priority for monitored households with a "
          "full labourer.",
          ASSUME + "Q02 (development support for those who can work); size a middle step", 0.0, 5.0),
    Param("categories", "grant_factor", 1.0, "x",
          "Development package: multiplier on monitoring.industry_grant for households with a full labourer.",
          ASSUME + "the grant as declared (A09) unless a scenario shifts the fund", 0.0, 5.0),
    Param("categories", "protection_medical_share", 0.7, "share of out-of-pocket",
          "兜底 package: medical assistance's share of out-of-pocket cost for assisted households that cannot "
          "work or carry a rigid-spending risk (medical.assistance_share for the others).",
          ASSUME + "P15's third tier with the higher reimbursement most provinces give 特困 and 低保 (70%)",
          0.0, 1.0),
    Param("categories", "protection_no_draw", True, "-",
          "兜底 package: a household that cannot work and is under the standard is enrolled in 低保/特困 at "
          "review without the take-up draw (应保尽保).",
          Q + "Q02, Q05 (social assistance as the safety net for those without labour capacity)"),
    Param("categories", "able_posts", 1.0, "x posts.other_priority",
          "From 2026, multiplier on the post priority of full labourers (posts.other_priority); 0 ends posts "
          "for the able-bodied and releases the full labourers holding one in January 2026.",
          ASSUME + "1 keeps today's rule; posts are meant for weak labourers first (A22, P22)", 0.0, 10.0),
    # --- monitoring after 2025 -------------------------------------------------------------------
    Param("monitoring", "after_2025", "separate", "-",
          "Anti-return monitoring from 2026: 'separate' (as today, on monitoring.line) or 'merged' into the "
          "low-income population system (its line monitoring.merged_line_multiple x the 低保 standard, "
          "detection x monitoring.merged_detection_factor).",
          Q + "Q01, Q03 (the two monitoring systems are to be joined)", choices=("separate", "merged")),
    Param("monitoring", "merged_line_multiple", 1.5, "x 低保 standard",
          "Merged system's line: households under this multiple of the 低保 standard (低保边缘) are in it.",
          Q + "Q06 (低保边缘: under 1.5x the local 低保 standard)", 1.0, 3.0),
    Param("monitoring", "merged_detection_factor", 1.0, "x",
          "Merged system: multiplier on the work teams' detection (the platform's data matching adds to "
          "door-to-door visits).",
          ASSUME + "no published detection rate; 1 keeps the work teams' rate (Q05 describes both channels)",
          0.0, 5.0),
    Param("monitoring", "merged_data_prob", 0.8, "per month",
          "Merged system: monthly probability that the low-income platform's data matching (incomes and "
          "benefits from civil affairs, human resources, health insurance) finds a household under the merged "
          "line; the departments' data channel then sees income, not only events.",
          Q + "Q05 (the platform matches departments' data and alerts automatically); rate an assumption",
          0.0, 1.0),
    Param("monitoring", "merged_review_months", 1, "months",
          "Merged system: months between the reviews that take a household off the platform once it is stable "
          "(monitoring.eliminate_after months above the merged line); the platform re-matches incomes each "
          "month, so 1 reviews every month (the separate system reviews at the year's check: "
          "monitoring.review_months).",
          Q + "Q05 (dynamic monitoring on matched data); interval an assumption", 1, 12),
)
