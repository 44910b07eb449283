"""The Dash page: layout and callbacks.

Flow: picking a scenario sets the controls to its values; any change of scenario or control submits
a request to the :class:`~.runs.RunManager` (superseding the browser's one before); a 0.2 s timer polls
the request, shows its progress, and draws the charts once all its replicates are in.

What a client sends is never trusted: a scenario is an id from the list the server built (resolved on
the server, :func:`~.scenario_file.resolve`), a request an id of the browser's own session
(:mod:`.sessions`), and a callback given inputs of the wrong shape answers nothing instead of failing.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html
from flask import abort, send_file

from ...simulation.inputs.config import SCENARIO_DIR, ConfigError, Scenario
from . import charts
from .labels import t
from .levers import LEVERS, lever_overrides, lever_values
from .outcomes import HEADLINE, HEADLINE_YEAR, outcomes
from ..report import CONTENT_SECURITY_POLICY
from .guard import allowed_hosts, current_session, protect
from .runs import RunManager
from .scenario_file import (UNKNOWN, load_checked, report_path, resolve, save_scenario, scenario_id,
                            scenario_options)
from .sessions import Asked, Sessions

POLL_SECONDS = 0.2
SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")  # a scenario name, never a path
#: The page's fonts: the package's own CJK font (served at FONT_URL) before the system's, so Chinese draws on a
#: machine with no CJK font, as the figures and the report do (:mod:`ruralsim.presentation.fonts`).
FONT_URL = "/font/ruralsim-cjk.otf"
FONT_STACK = charts.FONT_STACK
FONT_FACE = (f'<style>@font-face {{font-family: "{charts.FONT_NAME}"; src: url("{FONT_URL}") format("opentype"); '
             'font-display: block;}</style>')
CHARTS = ("poverty", "returns", "diff", "income", "monitored", "fiscal")
PERCENT = ("poverty", "returns")  # shown in %, their differences in percentage points
FORMATS = {"poverty": "{:.2f}%", "returns": "{:.2f}%", "monitored": "{:.1f}", "mean_income": "{:,.0f}",
           "fiscal_total": "{:,.0f}"}


def fmt(measure: str, value: float, signed: bool = False, lang: str = "en") -> str:
    """How the page shows a number of ``measure`` (the tests format direct runs the same way); a difference
    of a percentage is in percentage points (个百分点)."""
    points = " 个百分点" if lang == "zh" else " pp"
    pattern = FORMATS[measure].replace("%", points) if signed and measure in PERCENT else FORMATS[measure]
    text = pattern.replace("{:", "{:+" if signed else "{:").format(value)
    return "–" if value != value else text  # NaN: an interval needs two replicates


@dataclass
class AppSettings:
    """What the command line fixes for the session."""

    households: int = 2000
    replicates: int = 3
    seed: int = 20210101
    lang: str = "en"
    user_dir: Path = field(default_factory=lambda: Path("my_scenarios"))
    results_dir: Path = field(default_factory=lambda: Path("results"))
    workers: int = 2
    baseline: Path = field(default_factory=lambda: SCENARIO_DIR / "baseline.toml")

    def run_overrides(self, months: int) -> dict[str, Any]:
        return {"run_households": self.households, "run_seed": self.seed, "run_replicates": self.replicates,
                "run_months": months, "run_scale": "sample"}


def _control(lv, lang: str):
    label = html.Label(t(lv.flat, lang), htmlFor=lv.control_id, className="lever-label")
    if lv.is_select:
        ctrl = dcc.Dropdown(id=lv.control_id, options=[{"label": t(c, lang), "value": c} for c in lv.param.choices],
                            clearable=False, searchable=False)
    else:
        marks = {lv.low: f"{lv.low:g}", lv.high: f"{lv.high:g}"}
        ctrl = dcc.Slider(id=lv.control_id, min=lv.low, max=lv.high, step=lv.step, marks=marks,
                          tooltip={"placement": "bottom", "always_visible": True},
                          allow_direct_input=False, updatemode="mouseup")
    return html.Div([label, ctrl], className="lever", style={"marginBottom": "34px"})


def layout(s: AppSettings, first: str) -> html.Div:
    lang = s.lang
    controls = [_control(lv, lang) for lv in LEVERS]
    graphs = [dcc.Graph(id=f"chart-{c}", config={"displaylogo": False}, style={"width": "49%", "display": "inline-block"})
              for c in CHARTS]
    return html.Div([
        html.H2(t("title", lang)), html.Div(t("subtitle", lang), style={"color": "#555"}),
        html.Div(t("run_info", lang, households=s.households, replicates=s.replicates, seed=s.seed), id="run-info"),
        html.Div([
            html.Div([
                html.Label(t("scenario", lang), htmlFor="scenario"),
                dcc.Dropdown(id="scenario", options=scenario_options(s.user_dir), value=first, clearable=False),
                html.Pre(id="scenario-error", style={"color": "#b00", "whiteSpace": "pre-wrap"}),
                html.H4(t("levers", lang)), *controls,
                html.Div([dcc.Input(id="save-name", type="text", placeholder=t("save_name", lang)),
                          html.Button(t("save", lang), id="save", n_clicks=0)]),
                html.Div(id="save-result"),
                html.Div(id="downloads", style={"marginTop": "10px"}),
            ], style={"width": "24%", "display": "inline-block", "verticalAlign": "top", "padding": "8px"}),
            html.Div([
                html.Div([html.Progress(id="progress", value="0", max="100", style={"width": "60%"}),
                          html.Span(id="status", style={"marginLeft": "10px"}),
                          html.Span(id="job-id", style={"display": "none"})]),
                html.Pre(id="run-error", style={"color": "#b00", "whiteSpace": "pre-wrap"}),
                html.Div(id="headline"),
                *graphs,
            ], style={"width": "74%", "display": "inline-block", "verticalAlign": "top"}),
        ]),
        dcc.Store(id="job"), dcc.Store(id="ready"),
        dcc.Interval(id="poll", interval=int(POLL_SECONDS * 1000)),
    ], style={"fontFamily": FONT_STACK, "margin": "10px"})


def headline_table(o, lang: str, request_id: int) -> html.Table:
    """The headline year's figures; cells have ids ``headline-<measure>-<baseline|policy|diff>``."""
    head = html.Tr([html.Th(t("headline", lang, year=HEADLINE_YEAR))] +
                   [html.Th(t(k, lang)) for k in ("col_baseline", "col_policy", "col_diff")])
    rows = []
    for m in HEADLINE:
        d, lo, hi = (o.value(m, "policy", column=c) for c in ("diff_mean", "diff_ci_lo", "diff_ci_hi"))
        rows.append(html.Tr([
            html.Td(t(m, lang)),
            html.Td(fmt(m, o.value(m, "baseline")), id=f"headline-{m}-baseline"),
            html.Td(fmt(m, o.value(m, "policy")), id=f"headline-{m}-policy"),
            html.Td(f"{fmt(m, d, True, lang)} [{fmt(m, lo, True, lang)}, {fmt(m, hi, True, lang)}]",
                    id=f"headline-{m}-diff"),
        ]))
    return html.Table([head, *rows], style={"borderSpacing": "12px 2px"}, id="headline-table",
                      **{"data-request": str(request_id)})


class _Dash(dash.Dash):
    """Dash without the Python version in the page's ``_dash-config``."""

    def _config(self):
        config = super()._config()
        for key in ("python_version", "dash_version_url"):
            config.pop(key, None)
        return config


def guarded(*fallback: Any):
    """Answer ``fallback`` instead of an HTTP 500 when a client posts inputs of the wrong shape (a list
    where an id belongs, a number for a name): the page's own controls never do, so nothing is lost."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args):
            try:
                return fn(*args)
            except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError):
                return fallback[0] if len(fallback) == 1 else list(fallback)
        return inner
    return wrap


def create_app(s: AppSettings, manager: RunManager, host: str = "127.0.0.1", token: str | None = None) -> dash.Dash:
    """The Dash app; assets are served from the installed packages (``serve_locally``).

    ``host``: the address served (``Host`` headers are checked against it); ``token``: required of
    every request when given (see :mod:`.guard`)."""
    app = _Dash(__name__, title="ruralsim", serve_locally=True, update_title=None)
    app.index_string = app.index_string.replace("{%css%}", "{%css%}\n        " + FONT_FACE)
    baseline, msg = load_checked(s.baseline)
    if baseline is None:
        raise ConfigError(msg)
    months = int(baseline.params["run_months"])
    run = s.run_overrides(months)
    app.layout = layout(s, scenario_id(s.baseline))
    lever_ids = [lv.control_id for lv in LEVERS]
    sessions = app.sessions = Sessions(on_drop=manager.forget)
    protect(app.server, sessions, allowed_hosts(host), token)
    folders = (SCENARIO_DIR, s.user_dir)

    def scenario(sid: object) -> tuple[Scenario | None, str]:
        """The listed scenario behind a client's id; anything else is refused without reading a file."""
        return load_checked(resolve(sid, s.user_dir), folders)

    def policy_params(sc: Scenario, values: list) -> tuple[dict, dict]:
        levers = lever_overrides(sc.params, dict(zip([lv.flat for lv in LEVERS], values)))
        return {**sc.params, **levers, **run}, levers

    @app.callback([Output(i, "value") for i in lever_ids] + [Output("scenario-error", "children")],
                  Input("scenario", "value"))
    @guarded(*[dash.no_update] * len(lever_ids), UNKNOWN)
    def pick(sid):
        sc, message = scenario(sid)
        if sc is None:
            return [dash.no_update] * len(lever_ids) + [message]
        shown = lever_values(sc.params)
        return [shown[lv.flat] for lv in LEVERS] + [""]

    @app.callback(Output("job", "data"), Output("run-error", "children"), Output("job-id", "children"),
                  Input("scenario", "value"), *[Input(i, "value") for i in lever_ids])
    @guarded(dash.no_update, "", dash.no_update)
    def submit(sid, *values):
        sc, message = scenario(sid)
        if sc is None:
            return dash.no_update, "", dash.no_update
        try:
            params, _ = policy_params(sc, list(values))
        except ConfigError as err:
            return dash.no_update, str(err), dash.no_update
        session = current_session()
        asked = Asked(manager.submit(params, {**baseline.params, **run}, s.replicates, client=session.id), sc.name)
        rid = session.add(asked)
        return {"id": rid}, "", rid

    @app.callback(Output("progress", "value"), Output("status", "children"), Output("ready", "data"),
                  Input("poll", "n_intervals"), State("job", "data"), State("ready", "data"))
    @guarded(dash.no_update, dash.no_update, dash.no_update)
    def poll(_, job, ready):
        # Cheap on purpose: the timer fires again before a slow answer arrives, and Dash drops the
        # answer of a callback fired again meanwhile; drawing is left to ``draw``, fired once by ``ready``.
        if not job or (ready and ready.get("id") == job["id"]):
            return dash.no_update, dash.no_update, dash.no_update
        session = current_session(create=False)
        asked = session.asked(job["id"]) if session else None
        if asked is None:  # a dropped session, or an id that is not this browser's
            return "0", t("expired", s.lang), dash.no_update
        st = manager.status(asked.manager_id, client=session.id)
        if st["error"]:
            return "0", st["error"], dash.no_update
        if not st["done"]:
            return f"{100 * st['fraction']:.0f}", t("running", s.lang, pct=100 * st["fraction"]), dash.no_update
        seconds = time.perf_counter() - asked.submitted
        return "100", t("done", s.lang, seconds=seconds), {"id": job["id"]}

    @app.callback([Output("headline", "children"), Output("downloads", "children")]
                  + [Output(f"chart-{c}", "figure") for c in CHARTS],
                  Input("ready", "data"), prevent_initial_call=True)
    @guarded(*[dash.no_update] * (2 + len(CHARTS)))
    def draw(ready):
        rid = ready["id"]
        session = current_session(create=False)
        asked = session.asked(rid) if session else None
        if asked is None:  # not this browser's request: nothing to draw
            return [dash.no_update] * (2 + len(CHARTS))
        o = session.frames.get(rid)
        if o is None:
            o = outcomes(*manager.results(asked.manager_id))
            session.keep_frame(rid, o)
        figs = [charts.level_chart(o, "poverty", "chart_poverty", s.lang),
                charts.level_chart(o, "returns", "chart_returns", s.lang),
                charts.difference_chart(o, s.lang), charts.income_chart(o, s.lang),
                charts.monitored_chart(o, s.lang), charts.fiscal_chart(o, s.lang)]
        links = [html.A(t("download_csv", s.lang), href=f"/download/{rid}.csv", id="download-csv")]
        report = report_path(s.results_dir, asked.scenario) if SAFE_NAME.match(asked.scenario) else None
        links += [html.Br(), html.A(t("download_report", s.lang), href=f"/report/{asked.scenario}", id="report")
                  if report else html.Span(t("no_report", s.lang), style={"color": "#777"})]
        return [headline_table(o, s.lang, rid), links] + figs

    @app.callback(Output("save-result", "children"), Output("scenario", "options"),
                  Input("save", "n_clicks"), State("save-name", "value"), State("scenario", "value"),
                  *[State(i, "value") for i in lever_ids], prevent_initial_call=True)
    @guarded(html.Span("the page sent values it cannot read; reload the page", style={"color": "#b00"}),
             dash.no_update)
    def save(_, name, sid, *values):
        sc, message = scenario(sid)
        if sc is None:
            return message, dash.no_update
        try:
            _, levers = policy_params(sc, list(values))
            out = save_scenario(s.user_dir, name if isinstance(name, str) else "", sc, {**sc.overrides, **levers},
                                run, levers)
        except ConfigError as err:
            return html.Span(str(err), style={"color": "#b00"}), dash.no_update
        return html.Span(t("saved", s.lang, path=str(out)), id="saved-path"), scenario_options(s.user_dir)

    server = app.server

    @server.route(FONT_URL)
    def font():
        from ..fonts import FONT_FILE

        return send_file(FONT_FILE, mimetype="font/otf", max_age=86400)

    @server.route("/download/<rid>.csv")
    def download(rid: str):
        session = current_session(create=False)
        o = session.frames.get(rid) if session else None
        if o is None:
            abort(404)
        from io import BytesIO

        buf = BytesIO(o.table.to_csv(index=False).encode("utf-8-sig"))  # BOM: Excel/WPS read it as UTF-8
        return send_file(buf, mimetype="text/csv", as_attachment=True, download_name=f"ruralsim_app_{rid}.csv")

    @server.route("/report/<name>")
    def report(name: str):
        path = report_path(s.results_dir, name) if SAFE_NAME.match(name) else None
        if path is None:
            abort(404)
        answer = send_file(path.resolve(), mimetype="text/html")
        answer.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY + "; frame-ancestors 'none'"
        return answer

    return app
