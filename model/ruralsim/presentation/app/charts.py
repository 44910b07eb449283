"""Plotly figures of the page, each a pure function of :class:`~.outcomes.Outcomes` and a language.

Every level chart shows the baseline and the policy with the 95% interval of the mean across
replicates; the difference chart shows the paired difference and its interval.
"""

from __future__ import annotations

import plotly.graph_objects as go

from .labels import programme_label, t
from .outcomes import HEADLINE_YEAR, INCOME_SOURCES, Outcomes

COLOURS = {"baseline": "#7f7f7f", "policy": "#d62728"}
BANDS = {"baseline": "rgba(127,127,127,0.2)", "policy": "rgba(214,39,40,0.2)"}


def _layout(fig: go.Figure, title: str, ytitle: str = "") -> go.Figure:
    fig.update_layout(title=title, margin=dict(l=50, r=10, t=40, b=40), height=300,
                      legend=dict(orientation="h", y=-0.2), template="plotly_white", yaxis_title=ytitle)
    return fig


def _rows(o: Outcomes, measure: str, scenario: str):
    t_ = o.table
    return t_[(t_["measure"] == measure) & (t_["scenario"] == scenario)].sort_values("year")


def level_chart(o: Outcomes, measure: str, title_key: str, lang: str) -> go.Figure:
    """Baseline and policy by year, mean with its 95% interval band."""
    fig = go.Figure()
    for sc in ("baseline", "policy"):
        r = _rows(o, measure, sc)
        x = list(r["year"]) + list(r["year"])[::-1]
        fig.add_trace(go.Scatter(x=x, y=list(r["ci_hi"]) + list(r["ci_lo"])[::-1], fill="toself",
                                 fillcolor=BANDS[sc], line=dict(width=0), hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=r["year"], y=r["mean"], name=t(sc, lang), mode="lines+markers",
                                 line=dict(color=COLOURS[sc])))
    return _layout(fig, t(title_key, lang), "%")


def difference_chart(o: Outcomes, lang: str) -> go.Figure:
    """Paired difference (policy − baseline) of poverty and return to poverty by year, with intervals."""
    fig = go.Figure()
    for measure, colour in (("poverty", "#d62728"), ("returns", "#1f77b4")):
        r = _rows(o, measure, "policy")
        fig.add_trace(go.Scatter(
            x=r["year"], y=r["diff_mean"], name=t(f"diff_{measure}", lang), mode="markers+lines",
            line=dict(color=colour),
            error_y=dict(type="data", symmetric=False, array=r["diff_ci_hi"] - r["diff_mean"],
                         arrayminus=r["diff_mean"] - r["diff_ci_lo"])))
    fig.add_hline(y=0, line=dict(color="black", width=1))
    return _layout(fig, t("chart_diff", lang), "pp")


def income_chart(o: Outcomes, lang: str, year: int = HEADLINE_YEAR) -> go.Figure:
    """Income by source in ``year``: stacked bars, baseline and policy."""
    fig = go.Figure()
    names = [t("baseline", lang), t("policy", lang)]
    for src in INCOME_SOURCES:
        fig.add_trace(go.Bar(x=names, y=[o.value(src, sc, year) for sc in ("baseline", "policy")],
                             name=t(src, lang)))
    fig.update_layout(barmode="stack")
    return _layout(fig, t("chart_income", lang, year=year), t("yuan", lang))


def monitored_chart(o: Outcomes, lang: str) -> go.Figure:
    """Monitored caseload by month (mean across replicates)."""
    fig = go.Figure()
    for sc in ("baseline", "policy"):
        m = o.monthly[o.monthly["scenario"] == sc]
        fig.add_trace(go.Scatter(x=m["date"], y=m["monitored"], name=t(sc, lang), line=dict(color=COLOURS[sc])))
    return _layout(fig, t("chart_monitored", lang), "‰")


def fiscal_chart(o: Outcomes, lang: str, year: int = HEADLINE_YEAR) -> go.Figure:
    """Spending by programme summed over 2021..``year``, yuan per household, baseline and policy."""
    fig = go.Figure()
    labels = [programme_label(p, lang) for p in o.programmes]
    for sc in ("baseline", "policy"):
        t_ = o.table
        rows = t_[(t_["scenario"] == sc) & (t_["year"] <= year)]
        total = [rows.loc[rows["measure"] == p, "mean"].sum() for p in o.programmes]
        fig.add_trace(go.Bar(y=labels, x=total, name=t(sc, lang), orientation="h",
                             marker_color=COLOURS[sc]))
    fig.update_layout(barmode="group")
    return _layout(fig, t("chart_fiscal", lang, year=year))
