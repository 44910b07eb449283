"""Units and scale of the numbers a report shows: per person, per household, and the national cohort.

Why: a run simulates a sample (20,000 households by default), so "858 households under monitoring" or
"200,877,264 yuan" mean nothing until they are put per household and scaled to the nation. The scale is
stated once (:func:`scale_note`); each number then carries its unit (:func:`unit_of`) and, for counts and
yuan, its value per household and nationally (:func:`per_household`, :func:`national`).

The national cohort is ``population.national_people`` (A01: ~98.99M people); a run's people and
households are its simulated ones at the start, so the factor is people-based and the same for every row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .labels import MEASURE_NAMES, lookup, measure_key


@dataclass(frozen=True)
class Scale:
    """The sample against the national cohort."""

    national_people: float
    people: float
    households: float

    @property
    def factor(self) -> float:
        """National people per simulated person (1 at national scale)."""
        return self.national_people / self.people if self.people else float("nan")

    @property
    def national_households(self) -> float:
        return self.households * self.factor


def scale_of(manifest: dict[str, Any], people: float, households: float) -> Scale | None:
    """The scale of a run from its manifest and its simulated people and households (None when unknown)."""
    params = manifest.get("params") or {}
    national = (params.get("population") or {}).get("national_people")
    if not national or not people or not households:
        return None
    if (params.get("run") or {}).get("scale") == "national":
        national = people
    return Scale(float(national), float(people), float(households))


def _kind(metric: str) -> str:
    entry = lookup(metric)
    unit = entry.unit if entry else ""
    if "share of people" in unit:
        return "people_share"
    if "share of households" in unit:
        return "household_share"
    if unit == "households":
        return "households"
    if unit in ("yuan", "yuan per year"):
        return "yuan"
    return ""


def unit_of(metric: str, lang: str) -> str:
    """The unit a report shows a metric's value in (shares as %)."""
    entry = lookup(metric)
    kind = _kind(metric)
    zh = lang == "zh"
    if kind == "people_share":
        return "% 人口" if zh else "% of people"
    if kind == "household_share":
        return "% 户" if zh else "% of households"
    if kind == "households":
        return "户（模拟样本）" if zh else "households (sample)"
    if kind == "yuan":
        return "元（模拟样本）" if zh else "yuan (sample)"
    return entry.unit_in(lang) if entry else ""


def per_household(value: float, metric: str, scale: Scale | None, lang: str) -> str:
    """Counts per 1,000 households, yuan per household; "" where the value is already a rate or per person."""
    if scale is None or not math.isfinite(value):
        return ""
    kind = _kind(metric)
    zh = lang == "zh"
    if kind == "households":
        return f"{1000 * value / scale.households:,.1f}" + (" 户/千户" if zh else " per 1,000 households")
    if kind == "yuan":
        return f"{value / scale.households:,.0f}" + (" 元/户" if zh else " yuan per household")
    return ""


def national(value: float, metric: str, scale: Scale | None, lang: str) -> str:
    """The value scaled to the national cohort (people, households or yuan), "" for per-person values."""
    if scale is None or not math.isfinite(value):
        return ""
    kind = _kind(metric)
    if kind == "people_share":
        return _count(value * scale.national_people, "people", lang)
    if kind == "household_share":
        return _count(value * scale.national_households, "households", lang)
    if kind == "households":
        return _count(value * scale.factor, "households", lang)
    if kind == "yuan":
        return _yuan(value * scale.factor, lang)
    return ""


def _count(n: float, what: str, lang: str) -> str:
    if lang == "zh":
        return f"{n / 1e4:,.1f} 万{'人' if what == 'people' else '户'}"
    return f"{n / 1e6:,.2f} million {what}"


def yuan_text(v: float, lang: str) -> str:
    """A national amount of yuan as a reader takes it in: 亿元 in Chinese, billion yuan in English."""
    return _yuan(v, lang)


def _yuan(v: float, lang: str) -> str:
    if lang == "zh":
        return f"{v / 1e8:,.1f} 亿元"
    return f"{v / 1e9:,.2f} billion yuan"


def scale_note(scale: Scale | None, lang: str) -> str:
    """One sentence stating the scaling, for the headline's note."""
    if scale is None:
        return ""
    if lang == "zh":
        return (f"全国口径：模拟样本（{scale.people:,.0f} 人、{scale.households:,.0f} 户）按全国脱贫人口 "
                f"{scale.national_people / 1e4:,.0f} 万人（A01）等比放大，系数 {scale.factor:,.0f}。")
    return (f"National: the simulated sample ({scale.people:,.0f} people in {scale.households:,.0f} households) "
            f"scaled to the national cohort of {scale.national_people / 1e6:,.2f} million people (A01), "
            f"a factor of {scale.factor:,.0f}.")


def measure_words(metric: str, lang: str) -> str:
    """The measure a metric counts, as a reading names it (``registry``, ``建档口径``; "" when none)."""
    entry = lookup(metric)
    en, zh = MEASURE_NAMES.get(measure_key(entry.measure if entry else ""), ("", ""))
    return zh if lang == "zh" else en


def scaled_aside(value: float, metric: str, scale: Scale | None, lang: str) -> str:
    """`` (38.3 per 1,000 households; 1.14 million households nationally)`` for a count or yuan, "" otherwise."""
    per, nat = per_household(value, metric, scale, lang), national(value, metric, scale, lang)
    if not per and not nat:
        return ""
    if lang == "zh":
        return "（" + "，".join(x for x in (per, f"全国约 {nat}" if nat else "") if x) + "）"
    return " (" + "; ".join(x for x in (per, f"about {nat} nationally" if nat else "") if x) + ")"
