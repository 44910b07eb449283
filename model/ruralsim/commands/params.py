"""``ruralsim params [SCENARIO]``: the parameter table, with each value's source."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ..simulation.inputs.config import find_scenario, load_scenario
from ..simulation.inputs.parameters import PARAMS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("params", help="print every parameter with its value, unit, range and source",
                       description="Print the declared parameters. With a scenario, show its values and mark "
                                   "those it changes from the defaults with '*'.")
    p.add_argument("scenario", nargs="?", help="scenario file or shipped name (default: the defaults)")
    p.add_argument("--format", choices=("table", "csv", "markdown", "json"), default="table",
                   help="json: one object per parameter with its flat keyword name (as RuralModel, "
                        "Mesa, SALib and EMA Workbench take it), kind, value, default, low, high, "
                        "choices, unit and source")
    p.set_defaults(func=main)


def _fmt(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{y}: {_fmt(x)}" for y, x in sorted(v.items(), key=lambda kv: int(kv[0]))) + "}"
    if isinstance(v, float):
        return f"{v:,.6g}" if abs(v) < 1e6 else f"{v:.4g}"
    return str(v).lower() if isinstance(v, bool) else str(v)


def rows(scenario=None) -> list[dict[str, str]]:
    """One row per parameter: key, name (the flat keyword of RuralModel), value, changed, default, unit, range, source, description."""
    from ..analysis.calibration import calibrated_sources

    values = scenario.params if scenario else None
    marked = calibrated_sources(scenario) if scenario else {}  # keys the scenario file marks as calibrated
    out = []
    for p in PARAMS:
        value = values[p.flat] if values else p.default
        rng = ("|".join(p.choices) if p.choices else
               "" if p.low is None and p.high is None else f"{_fmt(p.low)} .. {_fmt(p.high)}")
        out.append({"key": p.key, "name": p.flat, "value": _fmt(value), "changed": "*" if value != p.default else "",
                    "default": _fmt(p.default), "unit": p.unit, "range": rng, "source": marked.get(p.flat, p.source),
                    "description": p.description})
    return out


def main(args: argparse.Namespace) -> int:
    scenario = load_scenario(find_scenario(args.scenario)) if args.scenario else None
    if args.format == "json":
        from ..analysis.calibration import calibrated_sources
        from ..analysis.interop import parameter_table

        table = parameter_table(scenario.params if scenario else None)
        marked = calibrated_sources(scenario) if scenario else {}
        for row in table:
            row["source"] = marked.get(row["name"], row["source"])
        doc = {"scenario": scenario.name if scenario else None, "parameters": table}
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    table = rows(scenario)
    if args.format == "csv":
        sys.stdout.write("\ufeff")  # UTF-8 BOM: Excel/WPS then read the Chinese text as UTF-8
        w = csv.DictWriter(sys.stdout, fieldnames=list(table[0]))
        w.writeheader()
        w.writerows(table)
    elif args.format == "markdown":
        cols = ["key", "value", "unit", "range", "source", "description"]
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        for r in table:
            print("| " + " | ".join(r[c].replace("|", "\\|") for c in cols) + " |")
    else:
        title = f"Parameters of scenario '{scenario.name}' ({scenario.path})" if scenario else "Parameter defaults"
        print(title + ("; * = changed from the default" if scenario else ""))
        section = None
        for r in table:
            sec = r["key"].split(".")[0]
            if sec != section:
                section = sec
                print(f"\n[{sec}]")
            print(f"  {r['key']:<42} {r['changed']:1} {r['value']:<28} {r['unit']:<22} [{r['range']}]")
            print(f"      {r['description']}  (keyword: {r['name']}; source: {r['source']})")
    return 0
