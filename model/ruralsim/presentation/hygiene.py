"""Figure hygiene: checks a drawn figure for faults a reader notices at once.

* text outside the canvas (a clipped title or note);
* a legend lying over an annotation or data label;
* one series drawn twice under two names (the same data with two legend labels);
* in a Chinese figure, text left in English (a reader of the zh figure meets an English title).

:func:`ruralsim.plots.save_figure` runs these checks on every figure it writes when the environment
variable ``RURALSIM_FIGURE_CHECK`` is set (the test suite sets it), and fails loudly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

ENV = "RURALSIM_FIGURE_CHECK"
TOLERANCE_PX = 1.5


class FigureHygieneError(AssertionError):
    """A figure breaks one of the hygiene rules (raised only when checking is on)."""


def enabled() -> bool:
    return bool(os.environ.get(ENV))


def problems(fig: Figure) -> list[str]:
    """Every hygiene fault of a figure (draws it first so the layout is final)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [*_outside_canvas(fig, renderer), *_legend_over_labels(fig, renderer), *_duplicated_series(fig),
            *_untranslated(fig)]


def check(fig: Figure, name: str = "figure") -> None:
    found = problems(fig)
    if found:
        raise FigureHygieneError(f"{name}: " + "; ".join(found))


def _outside_canvas(fig: Figure, renderer) -> list[str]:
    """Figure texts (title, notes), figure legends and each axes with its drawn labels, ticks,
    titles and legends must lie inside the canvas."""
    box = fig.bbox
    out = []
    items = [(t.get_text()[:40], t.get_window_extent(renderer)) for t in fig.texts if t.get_text().strip()]
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        items.append((fig._suptitle.get_text()[:40], fig._suptitle.get_window_extent(renderer)))
    items += [("figure legend", lg.get_window_extent(renderer)) for lg in fig.legends]
    for ax in fig.axes:
        if ax.get_visible():
            items.append((f"axes {ax.get_title()[:30] or ax.get_label()!r}", ax.get_tightbbox(renderer)))
    for name, bb in items:
        if bb is None:
            continue
        if (bb.x0 < box.x0 - TOLERANCE_PX or bb.y0 < box.y0 - TOLERANCE_PX
                or bb.x1 > box.x1 + TOLERANCE_PX or bb.y1 > box.y1 + TOLERANCE_PX):
            out.append(f"{name!r} reaches outside the canvas")
    return out


def _legends(fig: Figure) -> list[Legend]:
    found = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [lg for lg in found if lg.get_visible()]


def _legend_over_labels(fig: Figure, renderer) -> list[str]:
    """Annotations, data labels, titles and notes that a legend box overlaps."""
    out = []
    labels = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    labels += [t for t in fig.texts if t.get_visible() and t.get_text().strip()]  # source notes
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        labels.append(fig._suptitle)
    for lg in _legends(fig):
        lb = lg.get_window_extent(renderer)
        for t in labels:
            tb = t.get_window_extent(renderer)
            if lb.overlaps(tb) and _area(lb, tb) > 4:
                out.append(f"legend covers the label {t.get_text()[:40]!r}")
    return out


def _area(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


def _duplicated_series(fig: Figure) -> list[str]:
    """Two labelled lines of one axes with the same data but different names.

    Scenarios of a comparison may legitimately coincide (common random numbers: before a policy
    differs, the paths are the same), so names listed in ``fig.ruralsim_scenarios`` are exempt."""
    out = []
    scenarios = set(getattr(fig, "ruralsim_scenarios", ()))
    for ax in fig.axes:
        seen: dict[bytes, str] = {}
        for line in ax.get_lines():
            name = line.get_label()
            if not isinstance(line, Line2D) or not name or name.startswith("_"):
                continue
            xy = np.asarray(line.get_xydata(), dtype=float)  # dates already converted to numbers
            x, y = xy[:, 0], xy[:, 1]
            if y.size < 2:
                continue
            key = np.ascontiguousarray(np.stack([np.broadcast_to(x, y.shape), y])).tobytes()
            if key in seen and seen[key] != name and not {seen[key], name} <= scenarios:
                out.append(f"the same series is drawn as {seen[key]!r} and {name!r}")
            seen.setdefault(key, name)
    return out


# Latin words a Chinese figure may keep: the program's name, the baseline scenario's id, statistical and
# unit abbreviations. Scenario ids with an underscore or a digit (cliff_exit, policy_2026) are ids, not
# English, and are allowed too.
KEPT_WORDS = frozenset({"ruralsim", "baseline", "CI", "pp", "PNG", "CSV", "NumPy", "Numba", "Mesa",
                        # names of statistics and methods, kept in Chinese statistical writing
                        "Fieller", "Spearman", "Sobol'", "Sobol", "Morris", "mu", "sigma", "Nelder-Mead",
                        # encodings named in the reports' notes on the tables
                        "UTF", "BOM"})
# A Latin word of 3+ letters not part of an id (letters, digits, ``_`` or ``.`` around it); Chinese
# characters beside it do not hide it (``\w`` would).
_WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z'-]{2,}(?![A-Za-z0-9_.])")


def untranslated_words(text: str) -> list[str]:
    """English words in a text meant to be Chinese (ids with ``_`` or digits and KEPT_WORDS excepted)."""
    return [w for w in _WORD.findall(text) if w not in KEPT_WORDS]


def _untranslated(fig: Figure) -> list[str]:
    """Every visible text of a figure drawn in Chinese must be Chinese, apart from ids and KEPT_WORDS."""
    from matplotlib.text import Text

    from .labels import current_lang

    if current_lang() != "zh":
        return []
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
             and not _MATH.fullmatch(t.get_text())]
    ids = _declared_ids(fig, texts)
    out = []
    for text in texts:
        if [w for w in untranslated_words(text) if w not in ids]:
            out.append(f"text left in English in a zh figure: {text[:60]!r}")
    return out


_MATH = re.compile(r"\$.*\$")  # mathtext (log-axis ticks such as $\mathdefault{10^{2}}$)
# The source note names the figure's scenarios and experiment: "情景 a（参照）、b" / "实验 monitoring（…".
_DECLARED = re.compile(r"(?:情景|实验) ([^\s·（]+(?:（参照）)?(?:、[^\s·（、]+)*)")


def _declared_ids(fig: Figure, texts: list[str]) -> set[str]:
    """Names of scenarios and experiments are ids, not English: those the figure declares (its source
    note, or ``fig.ruralsim_scenarios``) are allowed in its texts."""
    ids = {str(n) for n in getattr(fig, "ruralsim_scenarios", ())}
    for text in texts:
        for m in _DECLARED.finditer(text):
            ids.update(n.removesuffix("（参照）") for n in m[1].split("、"))
    return ids


_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")


def report_untranslated(markdown: str, ids: Iterable[str] = ()) -> list[str]:
    """Lines of a Chinese report (``report.md``) with English words left in them.

    Excepted: code spans (commands, column names, file names), link and image targets, ids (``ids``:
    scenario and experiment names; words with ``_`` or digits) and the scenario files' own descriptions,
    which the report quotes as written under its research-question heading (研究问题).
    """
    allowed = set(ids)
    out, quoted = [], False
    for line in markdown.splitlines():
        if line.startswith("#"):
            quoted = line.strip("# ").strip() == "研究问题"
            continue
        if quoted and line.startswith(">"):
            continue
        if line.startswith("|") and _CODE.search(line):  # a parameter's row: its values are data (keep, cliff)
            continue
        text = _LINK_TARGET.sub("]", _CODE.sub("", line))
        if [w for w in untranslated_words(text) if w not in allowed]:
            out.append(line[:100])
    return out
