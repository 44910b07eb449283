"""Calibration: fit the free parameters to observed targets (``ruralsim calibrate``).

The loss is the sum over the calibration targets of the squared error in tolerance units,
``((model - observed) / tolerance)^2``; inequality targets add to it only when violated. The model's
value is the mean over replicates run with the same seeds at every evaluation (common random
numbers), so two parameter sets are compared on the same shocks and the loss surface is smooth
rather than noisy. A SciPy optimiser searches the declared ranges within a budget of evaluations:

* ``nelder-mead`` (default): a simplex search on the ranges rescaled to [0, 1], starting from the
  scenario's current values; integer parameters are rounded, so it sees them as steps;
* ``differential-evolution``: a global search that treats integer parameters as integers; it needs a
  larger budget (a population of 5 per parameter and generation).

Outputs: ``fitted.toml`` (values, ranges, losses, each target before and after), ``loss_history.csv``
(every evaluation), ``plots/calibration_fit.png`` and ``manifest.json``; and unless told not to, the
fitted values are written into the scenario file in place (:func:`update_scenario_file`), each with
a comment line ``# source = "calibrated: A07, A17, A20" (ruralsim calibrate, <date>)`` above it.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import _NO_VALUE, ConfigError, Problem, Scenario, load_scenario
from .parameters import PARAMS_BY_FLAT
from .targets import FreeParam, Target, months_needed

CAL_MARK = '# source = "calibrated'
SIGNIFICANT = 4  # significant digits of the values written to the scenario file


class _Budget(Exception):
    """Raised inside the objective when the evaluation budget is spent (stops any optimiser)."""


@dataclass
class Evaluation:
    """One evaluation of the loss: parameter values, the model's value per target, the loss."""

    index: int
    phase: str  # start | search | final
    x: dict[str, float]
    values: dict[str, float]
    loss: float
    seconds: float


@dataclass
class Calibration:
    """A finished calibration."""

    scenario: Scenario
    free: tuple[FreeParam, ...]
    targets: tuple[Target, ...]
    settings: dict[str, Any]
    history: list[Evaluation] = field(default_factory=list)
    fitted: dict[str, float] = field(default_factory=dict)  # label -> value written
    overrides: dict[str, Any] = field(default_factory=dict)  # flat name -> value written (tables whole)
    started_at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.timezone.utc))
    wall_seconds: float = 0.0

    @property
    def start(self) -> Evaluation:
        return self.history[0]

    @property
    def final(self) -> Evaluation:
        return self.history[-1]

    @property
    def source(self) -> str:
        """``calibrated: A07, A17, A20``: the figure ids of the targets in the loss, in order."""
        ids = [re.sub(r"^[a-z]+:", "", t.source).split()[0].rstrip(",;") for t in self.targets]
        return "calibrated: " + ", ".join(dict.fromkeys(ids))

    def history_frame(self) -> pd.DataFrame:
        rows = []
        best = math.inf
        for e in self.history:
            best = min(best, e.loss) if e.phase != "final" else best
            rows.append({"evaluation": e.index, "phase": e.phase, "loss": e.loss, "best_loss": best,
                         **e.x, **{f"model_{k}": v for k, v in e.values.items()},
                         **{f"error_{t.id}": t.error(e.values[t.id]) for t in self.targets},
                         "seconds": e.seconds})
        return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------------------------
def loss(targets: Sequence[Target], values: Mapping[str, float]) -> float:
    """Sum of squared errors in tolerance units (inequalities: violations only); inf if any is missing."""
    total = 0.0
    for t in targets:
        v = values.get(t.id, math.nan)
        if not math.isfinite(v):
            return math.inf
        total += t.error(v) ** 2
    return total


def overrides_for(free: Sequence[FreeParam], base: Mapping[str, Any], x: Sequence[float]) -> dict[str, Any]:
    """Flat overrides setting each free parameter to its value in ``x`` (year entries merged per table)."""
    out: dict[str, Any] = {}
    for fp, xi in zip(free, x):
        flat = fp.param.flat
        out[flat] = fp.apply({flat: out.get(flat, base[flat])}, xi)
    return out


def round_value(fp: FreeParam, x: float) -> float | int:
    """The value as written to the scenario file: integers exact, floats to 4 significant digits."""
    x = fp.clip(x)
    return x if fp.integer else float(f"{x:.{SIGNIFICANT}g}")


def _replicate_values(scenario: Scenario, replicate: int, overrides: dict[str, Any],
                      targets: tuple[Target, ...]) -> dict[str, float]:
    """Run one replicate and return each target's value (runs in a worker process)."""
    from .model import RuralModel

    m = RuralModel(scenario, replicate=replicate, record_distribution=False, **overrides).run()
    ts = m.timeseries()
    ts.attrs["national_people"] = float(m.p["population_national_people"])
    return {t.id: float(t.replicate_values(ts).iloc[0]) for t in targets}


class Objective:
    """Evaluates the loss at a parameter vector (natural units), recording every evaluation."""

    def __init__(self, scenario: Scenario, free: Sequence[FreeParam], targets: Sequence[Target], *,
                 households: int, replicates: int, seed: int, budget: int, pool: Executor | None = None,
                 progress: Any = None) -> None:
        self.scenario, self.free, self.targets = scenario, tuple(free), tuple(targets)
        self.base = scenario.params
        self.replicates, self.budget, self.pool, self.progress = replicates, budget, pool, progress
        self.run = {"run_households": households, "run_seed": seed, "run_replicates": replicates,
                    "run_months": months_needed(self.targets, int(self.base["run_start_year"]))}
        self.history: list[Evaluation] = []
        self._seen: dict[tuple, float] = {}

    def values(self, x: Sequence[float]) -> dict[str, float]:
        """Mean over replicates of each target's value at ``x``."""
        ov = {**self.run, **overrides_for(self.free, self.base, x)}
        args = [(self.scenario, r, ov, self.targets) for r in range(self.replicates)]
        if self.pool is not None:
            per_rep = list(self.pool.map(_replicate_values, *zip(*args)))
        else:
            per_rep = [_replicate_values(*a) for a in args]
        return {t.id: float(np.mean([v[t.id] for v in per_rep])) for t in self.targets}

    def evaluate(self, x: Sequence[float], phase: str = "search") -> float:
        xs = [fp.clip(v) for fp, v in zip(self.free, x)]
        key = tuple(xs)
        if phase == "search" and key in self._seen:
            return self._seen[key]  # the same point again (e.g. the optimiser's first call): no run, no budget
        if phase == "search" and self.searches >= self.budget:
            raise _Budget
        t0 = time.perf_counter()
        values = self.values(xs)
        e = Evaluation(len(self.history), phase, {fp.label: v for fp, v in zip(self.free, xs)}, values,
                       loss(self.targets, values), time.perf_counter() - t0)
        self._seen[key] = e.loss
        self.history.append(e)
        if self.progress is not None:
            self.progress.update(1)
            self.progress.set_postfix(loss=f"{e.loss:.3g}", best=f"{min(h.loss for h in self.history):.3g}")
        return e.loss

    @property
    def searches(self) -> int:
        return sum(e.phase in ("start", "search") for e in self.history)

    def best(self) -> Evaluation:
        return min((e for e in self.history if e.phase != "final"), key=lambda e: e.loss)


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------
def calibrate(scenario: Scenario, free: Sequence[FreeParam], targets: Sequence[Target], *, budget: int,
              households: int, replicates: int, seed: int, method: str = "nelder-mead",
              workers: int | None = None, progress: bool = False) -> Calibration:
    """Fit ``free`` to ``targets`` starting from ``scenario``'s values; return the fit (nothing written)."""
    from scipy import optimize

    if not free:
        raise ConfigError("no free parameters: declare [calibration.params] in the targets file or give --params")
    if not targets:
        raise ConfigError("no calibration targets: list them in [calibration] targets or give --use")
    t_start = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc)
    workers = workers if workers is not None else min(replicates, os.cpu_count() or 1)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=budget + 1, desc="calibrate", unit="eval", dynamic_ncols=True)
    from .processes import pool as worker_pool, stop_pool

    pool = worker_pool(workers) if workers > 1 else None
    try:
        obj = Objective(scenario, free, targets, households=households, replicates=replicates, seed=seed,
                        budget=budget, pool=pool, progress=bar)
        lows = np.array([fp.low for fp in free])
        spans = np.array([fp.high - fp.low for fp in free])
        x0 = np.array([fp.clip(fp.current(scenario.params)) for fp in free], dtype=float)
        obj.evaluate(x0, phase="start")
        try:
            if method == "differential-evolution":
                d = len(free)
                pop = 5
                optimize.differential_evolution(
                    lambda x: obj.evaluate(x), bounds=list(zip(lows, lows + spans)), x0=x0, popsize=pop,
                    maxiter=max(1, budget // (pop * d)), polish=False, seed=seed, tol=0.0,
                    integrality=[fp.integer for fp in free], init="sobol")
            else:
                u0 = (x0 - lows) / spans
                simplex = [u0] + [u0 + np.eye(len(free))[i] * (0.15 if u0[i] <= 0.85 else -0.15)
                                  for i in range(len(free))]
                optimize.minimize(lambda u: obj.evaluate(lows + np.clip(u, 0, 1) * spans), u0,
                                  method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(free),
                                  options={"maxfev": budget, "initial_simplex": np.array(simplex),
                                           "xatol": 1e-3, "fatol": 1e-3})
        except _Budget:
            pass  # the budget is spent: keep the best evaluation so far
        best = obj.best()
        fitted = {fp.label: round_value(fp, best.x[fp.label]) for fp in free}
        obj.evaluate([fitted[fp.label] for fp in free], phase="final")  # what the written values give
    except BaseException:
        if pool is not None:
            stop_pool(pool)  # interrupted: do not wait for the evaluations in flight
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown()
        if bar is not None:
            bar.close()
    written = overrides_for(free, scenario.params, [fitted[fp.label] for fp in free])
    settings = {"method": method, "budget": budget, "households": households, "replicates": replicates,
                "seed": seed, "months": obj.run["run_months"], "workers": workers}
    return Calibration(scenario, tuple(free), tuple(targets), settings, obj.history, fitted, written,
                       started, time.perf_counter() - t_start)


# ---------------------------------------------------------------------------------------------
# Writing the scenario file in place
# ---------------------------------------------------------------------------------------------
def toml_value(value: Any) -> str:
    """A parameter value as TOML text: numbers, booleans, strings and by-year inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{int(y)} = {toml_value(v)}" for y, v in sorted(value.items(),
                                                                                  key=lambda kv: int(kv[0]))) + " }"
    if isinstance(value, float):
        text = repr(value)
        return text if any(c in text for c in ".en") else text + ".0"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


_HEADER = re.compile(r"^\s*\[([^\[\]]+)\]\s*(#.*)?$")


def update_scenario_file(path: str | Path, overrides: Mapping[str, Any], comment: str) -> list[str]:
    """Write ``overrides`` (flat names) into a scenario file by editing only their lines.

    Each key gets ``comment`` on the line above (replacing an earlier calibration comment). An existing
    key keeps its place and trailing comment; a missing key is added after its section's last key,
    and a missing section at the end of the file. The result is validated with :func:`load_scenario`
    before it replaces the file (atomically), so a failure leaves the file as it was. Returns the keys
    written (dotted).
    """
    from .outputs import atomic_path

    path = Path(path)
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    written = []
    for flat, value in overrides.items():
        p = PARAMS_BY_FLAT[flat]
        section, name, text = p.section, p.name, toml_value(value)
        headers = [i for i, ln in enumerate(lines) if _HEADER.match(ln)]
        hdr = next((i for i in headers if _HEADER.match(lines[i]).group(1).strip() == section), None)
        if hdr is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines += [f"[{section}]", comment, f"{name} = {text}"]
        else:
            end = next((i for i in headers if i > hdr), len(lines))
            key_re = re.compile(rf"^(\s*){re.escape(name)}\s*=")
            k = next((i for i in range(hdr + 1, end) if key_re.match(lines[i])), None)
            if k is not None:
                indent = key_re.match(lines[k]).group(1)
                rest = lines[k].split("=", 1)[1]
                trail = rest[rest.index("#"):] if "#" in rest else ""
                value_part = f"{indent}{name} = {text}"
                lines[k] = f"{value_part}  {trail}" if trail else value_part
                if lines[k - 1].strip().startswith(CAL_MARK):
                    lines[k - 1] = indent + comment
                else:
                    lines.insert(k, indent + comment)
            else:
                kv = [i for i in range(hdr + 1, end) if lines[i].strip() and not lines[i].strip().startswith("#")]
                pos = (kv[-1] + 1) if kv else hdr + 1
                lines[pos:pos] = [comment, f"{name} = {text}"]
        written.append(p.key)
    new = "\n".join(lines) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(new, encoding="utf-8")
        check = load_scenario(tmp)  # raises ConfigError: the original stays in place
        wrong = [PARAMS_BY_FLAT[k].key for k, v in overrides.items() if check.params[k] != v]
        if wrong:
            raise ConfigError([Problem(str(path), k, _NO_VALUE, "the edited file does not give the fitted value",
                                       "a plain [section] name = value layout") for k in wrong])
    return written


def calibrated_sources(scenario: Scenario) -> dict[str, str]:
    """Flat names of parameters a scenario's files mark as calibrated, with the comment's source text.

    The last file in the ``extends`` chain that sets a key decides, as it does for the value.
    """
    out: dict[str, str] = {}
    for path in scenario.chain:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        section, previous = "", ""
        for line in lines:
            m = _HEADER.match(line)
            if m:
                section = m.group(1).strip()
            elif "=" in line and not line.strip().startswith("#") and section:
                flat = f"{section}_{line.split('=', 1)[0].strip()}"
                if flat in PARAMS_BY_FLAT:
                    out.pop(flat, None)
                    if previous.strip().startswith(CAL_MARK):
                        found = re.search(r'"(calibrated[^"]*)"(.*)$', previous)
                        if found:
                            out[flat] = (found.group(1) + found.group(2)).strip()
            previous = line
    return out


# ---------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------
def write_calibration(cal: Calibration, out_dir: str | Path, targets_file: Path | None = None,
                      extra: Mapping[str, Any] | None = None) -> dict[str, Path]:
    """Write fitted.toml, loss_history.csv, plots/calibration_fit.png and manifest.json (last)."""
    from .folders import writing

    with writing(out_dir, "calibration", strict=False) as out:
        return _write_calibration(cal, out, targets_file, extra)


def _write_calibration(cal: Calibration, out: Path, targets_file: Path | None,
                       extra: Mapping[str, Any] | None) -> dict[str, Path]:
    import tomli_w

    from . import outputs
    from .plots import save_figure

    out.mkdir(parents=True, exist_ok=True)
    hist = cal.history_frame()
    paths = {"history": outputs.write_csv(out / "loss_history.csv", hist)}
    doc = {
        "calibration": {"source": cal.source, "scenario": str(cal.scenario.path),
                        "targets_file": str(targets_file) if targets_file else "",
                        "date": cal.started_at.date().isoformat(), **cal.settings,
                        "evaluations": len(cal.history), "loss_start": cal.start.loss,
                        "loss_best": min(e.loss for e in cal.history if e.phase != "final"),
                        "loss_final": cal.final.loss, "wall_seconds": round(cal.wall_seconds, 1)},
        "fitted": dict(cal.fitted),
        "start": dict(cal.start.x),
        "ranges": {fp.label: [fp.low, fp.high] for fp in cal.free},
        "targets": {t.id: {"source": t.source, "observed": t.observed, "tolerance": t.tolerance, "kind": t.kind,
                           "start": cal.start.values[t.id], "final": cal.final.values[t.id],
                           "within_tolerance": bool(abs(t.error(cal.final.values[t.id])) <= 1.0)}
                    for t in cal.targets},
    }
    with outputs.atomic_path(out / "fitted.toml") as tmp:
        tmp.write_text("# Written by ruralsim calibrate. Values in [fitted] were written to the scenario file;\n"
                       "# model values are means over the calibration's replicates (common random numbers).\n"
                       + tomli_w.dumps(_finite(doc)), encoding="utf-8")
    paths["fitted"] = out / "fitted.toml"
    meta = {"name": cal.scenario.name, "households": cal.settings["households"],
            "replicates": cal.settings["replicates"]}
    paths["plot_calibration_fit"] = save_figure(plot_fit(cal.targets, hist, cal.free, meta),
                                                out / "plots" / "calibration_fit.png")
    params = {**cal.scenario.params, **cal.overrides}
    manifest = outputs.run_manifest(params, scenario={"name": cal.scenario.name, "file": str(cal.scenario.path)},
                                    started_at=cal.started_at, wall_seconds=cal.wall_seconds, master_seed=cal.settings["seed"],
                                    extra={"kind": "calibration", **cal.settings, "source": cal.source,
                                           "fitted": cal.fitted, **(extra or {})})
    manifest["kind"] = "calibration"  # read by ``ruralsim plot``
    paths["manifest"] = outputs.write_manifest(out / "manifest.json", manifest)
    return paths


def _finite(obj: Any) -> Any:
    """TOML has no null: drop non-finite floats' meaning by writing them as strings."""
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    return obj


def redraw_calibration(out_dir: str | Path) -> list[Path]:
    """Redraw the fit plot from ``fitted.toml`` and ``loss_history.csv``."""
    import tomllib

    from .plots import save_figure

    out = Path(out_dir)
    doc = tomllib.loads((out / "fitted.toml").read_text(encoding="utf-8"))
    hist = pd.read_csv(out / "loss_history.csv")
    targets = [Target(id=k, metric="", start="", end="", stat="value", observed=v["observed"],
                      tolerance=v["tolerance"], how="", source=v["source"], kind=v["kind"])
               for k, v in doc["targets"].items()]
    free = [_free_from_label(label, rng) for label, rng in doc["ranges"].items()]
    c = doc["calibration"]
    meta = {"name": Path(c["scenario"]).stem, "households": c["households"], "replicates": c["replicates"]}
    return [save_figure(plot_fit(targets, hist, free, meta), out / "plots" / "calibration_fit.png")]


def _free_from_label(label: str, rng: Sequence[float]) -> FreeParam:
    m = re.match(r"^(.+?)(?:\[(\d{4})\])?$", label)
    return FreeParam(key=m.group(1), low=float(rng[0]), high=float(rng[1]),
                     year=int(m.group(2)) if m.group(2) else None)


def plot_fit(targets: Sequence[Target], hist: pd.DataFrame, free: Sequence[FreeParam], meta: Mapping[str, Any]):
    """Loss history, free parameters over the search, and each target before and after the fit."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .validation import MISS_COLOR, OK_COLOR, fmt_value

    fig = Figure(figsize=(16, 5.6), layout="constrained")
    FigureCanvasAgg(fig)
    fig.get_layout_engine().set(rect=(0, 0.35 / 5.6, 1, 1 - 0.35 / 5.6))
    ax_loss, ax_par, ax_fit = fig.subplots(1, 3, width_ratios=(1, 1, 1.35))
    search = hist[hist["phase"] != "final"]
    ax_loss.plot(search["evaluation"], search["loss"], "o", ms=3.5, color="#1f77b4", alpha=0.6, label="evaluation")
    ax_loss.plot(search["evaluation"], search["best_loss"], color="#1f77b4", lw=2, label="best so far")
    fin = hist[hist["phase"] == "final"]
    if len(fin):
        ax_loss.plot(fin["evaluation"], fin["loss"], "D", color=OK_COLOR, ms=7, label="written values (rounded)")
    ax_loss.axhline(len(targets), color="#555555", ls=":", lw=1)
    ax_loss.annotate("every target at 1 tolerance", xy=(0.5, len(targets)), xycoords=("axes fraction", "data"),
                     xytext=(0, -3), textcoords="offset points", ha="center", va="top", fontsize=7.5,
                     color="#555555")
    if (search["loss"] > 0).all():
        from matplotlib.ticker import FuncFormatter, LogLocator

        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax_loss.yaxis.set_minor_formatter(FuncFormatter(lambda v, pos: ""))
        ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:g}"))
    ax_loss.set(title="Loss: sum of squared errors in tolerance units", xlabel="evaluation", ylabel="loss")
    ax_loss.grid(alpha=0.3)
    ax_loss.legend(fontsize=8, loc="upper right")

    for i, fp in enumerate(free):
        u = (search[fp.label] - fp.low) / (fp.high - fp.low)
        final = hist[hist["phase"] == "final"][fp.label]
        label = f"{fp.label} = {fmt_value(float(final.iloc[0]))}" if len(final) else fp.label
        ax_par.plot(search["evaluation"], u, lw=1.3, color=f"C{i}", label=label)
    ax_par.set(title="Free parameters over the search", xlabel="evaluation",
               ylabel="position in the declared range (0 = low, 1 = high)", ylim=(-0.03, 1.03))
    ax_par.grid(alpha=0.3)
    ax_par.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=1, frameon=False)

    start, final = hist.iloc[0], (fin.iloc[0] if len(fin) else hist.loc[hist["loss"].idxmin()])
    y = np.arange(len(targets))[::-1]
    for yi, t in zip(y, targets):
        ax_fit.fill_between([-1, 1], yi - 0.3, yi + 0.3, color=OK_COLOR, alpha=0.13, lw=0)
        e0, e1 = t.error(float(start[f"model_{t.id}"])), t.error(float(final[f"model_{t.id}"]))
        c0, c1 = max(-4, min(4, e0)), max(-4, min(4, e1))
        ax_fit.annotate("", xy=(c1, yi), xytext=(c0, yi),
                        arrowprops={"arrowstyle": "->", "color": "#777777", "lw": 1.2})
        ax_fit.plot([c0], [yi], "o", color="#999999", ms=7)
        ax_fit.plot([c1], [yi], "o", color=OK_COLOR if abs(e1) <= 1 else MISS_COLOR, ms=8)
        ax_fit.annotate(f"{fmt_value(float(start[f'model_{t.id}']), t.observed)} → "
                        f"{fmt_value(float(final[f'model_{t.id}']), t.observed)} "
                        f"(observed {fmt_value(t.observed)} ± {fmt_value(t.tolerance, t.observed)})",
                        xy=(1.01, yi), xycoords=("axes fraction", "data"), va="center", fontsize=8)
    ax_fit.axvline(0, color="#222222", lw=1)
    ax_fit.set_yticks(y, [f"{t.id}\n({t.source})" for t in targets], fontsize=8.5)
    ax_fit.set(xlim=(-4.3, 4.3), ylim=(-0.7, len(targets) - 0.3),
               title="Targets before (grey) and after the fit", xlabel="(model − observed) / tolerance")
    ax_fit.grid(axis="x", alpha=0.3)
    fig.suptitle("Calibration of the free parameters to the article's targets", fontsize=13, fontweight="bold")
    fig.text(0.008, 0.01, f"ruralsim · scenario {meta.get('name')} · each evaluation: mean of "
             f"{meta.get('replicates')} replicates × {int(meta.get('households') or 0):,} households with the same "
             "seeds (common random numbers) · shaded: within tolerance", fontsize=7.5, color="#555555")
    return fig


def parse_param_option(items: Sequence[str], declared: Sequence[FreeParam], src: str = "--params"
                       ) -> tuple[FreeParam, ...]:
    """``--params KEY[=LOW:HIGH] ...``: a key alone takes its range from the targets file, else the schema."""
    from .targets import parse_free_param

    problems: list[Problem] = []
    out = []
    by_label = {fp.label: fp for fp in declared}
    for item in items:
        key, _, rng = item.partition("=")
        key = key.strip()
        if rng:
            lo, sep, hi = rng.partition(":")
            try:
                bounds: Any = [float(lo), float(hi)] if sep else None
            except ValueError:
                bounds = None
            if bounds is None:
                problems.append(Problem(src, key, rng, "bad range", "KEY=LOW:HIGH, e.g. labour.migrant_find_rate=0.05:0.25"))
                continue
        elif key in by_label:
            out.append(by_label[key])
            continue
        else:
            bounds = None
        fp = parse_free_param(key, bounds, src, key, problems)
        if fp is not None:
            out.append(fp)
    if problems:
        raise ConfigError(problems)
    return tuple(out)


__all__ = ["Calibration", "Evaluation", "Objective", "calibrate", "calibrated_sources", "loss",
           "overrides_for", "parse_param_option", "update_scenario_file", "write_calibration"]
