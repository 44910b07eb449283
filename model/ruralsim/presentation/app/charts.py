"""Plotly figures of the page, each a pure function of :class:`~.outcomes.Outcomes` and a language.

Every level chart shows the baseline and the policy with the 95% interval of the mean across
replicates; the difference chart shows the paired difference and its interval. Figures are plain
plotly dicts (what ``dcc.Graph`` takes): building ``plotly.graph_objects`` validates every property
and took longer than the rest of an answer.
"""

from __future__ import annotations

from typing import Any

from .labels import programme_label, t
from .outcomes import HEADLINE_YEAR, INCOME_SOURCES, Outcomes

COLOURS = {"baseline": "#7f7f7f", "policy": "#d62728"}
BANDS = {"baseline": "rgba(127,127,127,0.2)", "policy": "rgba(214,39,40,0.2)"}
Figure = dict[str, Any]
#: The bundled CJK font's name on the page (declared by the page's @font-face) and the stack that uses it.
FONT_NAME = "ruralsim CJK"
FONT_STACK = f'"DejaVu Sans", Arial, "{FONT_NAME}", sans-serif'


def _figure(data: list[dict], title: str, ytitle: str = "", **layout: Any) -> Figure:
    return {"data": data, "layout": {
        "font": {"family": FONT_STACK}, "title": {"text": title, "font": {"size": 14}}, "margin": {"l": 50, "r": 10, "t": 40, "b": 40}, "height": 300,
        "legend": {"orientation": "h", "y": -0.2}, "template": {"layout": {"plot_bgcolor": "white"}},
        "xaxis": {"gridcolor": "#eee"}, "yaxis": {"title": {"text": ytitle}, "gridcolor": "#eee"}, **layout}}


def _rows(o: Outcomes, measure: str, scenario: str):
    t_ = o.table
    return t_[(t_["measure"] == measure) & (t_["scenario"] == scenario)].sort_values("year")


def level_chart(o: Outcomes, measure: str, title_key: str, lang: str) -> Figure:
    """Baseline and policy by year, mean with its 95% interval band."""
    data = []
    for sc in ("baseline", "policy"):
        r = _rows(o, measure, sc)
        years = r["year"].tolist()
        data.append({"type": "scatter", "x": years + years[::-1], "y": r["ci_hi"].tolist() + r["ci_lo"].tolist()[::-1],
                     "fill": "toself", "fillcolor": BANDS[sc], "line": {"width": 0}, "hoverinfo": "skip",
                     "showlegend": False})
        data.append({"type": "scatter", "x": years, "y": r["mean"].tolist(), "name": t(sc, lang),
                     "mode": "lines+markers", "line": {"color": COLOURS[sc]}})
    return _figure(data, t(title_key, lang), "%")


def difference_chart(o: Outcomes, lang: str) -> Figure:
    """Paired difference (policy − baseline) of poverty and return to poverty by year, with intervals."""
    data = []
    for measure, colour in (("poverty", "#d62728"), ("returns", "#1f77b4")):
        r = _rows(o, measure, "policy")
        data.append({"type": "scatter", "x": r["year"].tolist(), "y": r["diff_mean"].tolist(),
                     "name": t(f"diff_{measure}", lang), "mode": "markers+lines", "line": {"color": colour},
                     "error_y": {"type": "data", "symmetric": False,
                                 "array": (r["diff_ci_hi"] - r["diff_mean"]).tolist(),
                                 "arrayminus": (r["diff_mean"] - r["diff_ci_lo"]).tolist()}})
    zero = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0, "line": {"color": "black", "width": 1}}
    return _figure(data, t("chart_diff", lang), "百分点" if lang == "zh" else "percentage points", shapes=[zero])


def income_chart(o: Outcomes, lang: str, year: int = HEADLINE_YEAR) -> Figure:
    """Income by source in ``year``: stacked bars, baseline and policy."""
    names = [t("baseline", lang), t("policy", lang)]
    data = [{"type": "bar", "x": names, "y": [o.value(src, sc, year) for sc in ("baseline", "policy")],
             "name": t(src, lang)} for src in INCOME_SOURCES]
    return _figure(data, t("chart_income", lang, year=year), t("yuan", lang), barmode="stack")


def monitored_chart(o: Outcomes, lang: str) -> Figure:
    """Monitored caseload by month (mean across replicates)."""
    data = []
    for sc in ("baseline", "policy"):
        m = o.monthly[o.monthly["scenario"] == sc]
        data.append({"type": "scatter", "x": m["date"].dt.strftime("%Y-%m").tolist(), "y": m["monitored"].tolist(),
                     "name": t(sc, lang), "line": {"color": COLOURS[sc], "width": 3 if sc == "baseline" else 1.5}})
    return _figure(data, t("chart_monitored", lang), "‰")  # the baseline drawn wider: equal until a policy differs


def fiscal_chart(o: Outcomes, lang: str, year: int = HEADLINE_YEAR) -> Figure:
    """Spending by programme summed over 2021..``year``, yuan per household, baseline and policy."""
    labels = [programme_label(p, lang) for p in o.programmes]
    t_ = o.table
    data = []
    for sc in ("baseline", "policy"):
        rows = t_[(t_["scenario"] == sc) & (t_["year"] <= year)]
        total = rows.groupby("measure")["mean"].sum()
        data.append({"type": "bar", "y": labels, "x": [float(total.get(p, 0.0)) for p in o.programmes],
                     "name": t(sc, lang), "orientation": "h", "marker": {"color": COLOURS[sc]}})
    return _figure(data, t("chart_fiscal", lang, year=year), barmode="group",
                   margin={"l": 230, "r": 10, "t": 40, "b": 40})
