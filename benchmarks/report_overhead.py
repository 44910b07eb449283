"""How much report writing adds to a run (issue 14 asks for under 10% of ``make baseline``).

    python benchmarks/report_overhead.py results/baseline

Times, in this process (imports already paid, as in ``ruralsim run``), each step ``run`` adds after
the results are written: data dictionary, xlsx workbook, report.html + report.md; and prints them
against the run's own wall time from its manifest.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(folder: str) -> None:
    out = Path(folder)
    from ruralsim.presentation import report, tables, workbook  # noqa: F401 - import outside the timing

    import jinja2  # noqa: F401
    import openpyxl  # noqa: F401

    steps = {"data_dictionary.csv": lambda: tables.write_dictionary(out),
             "xlsx workbook": lambda: workbook.write_workbook(out),
             "report.html + report.md": lambda: report.write_report(out, "en")}
    total = 0.0
    for name, step in steps.items():
        t0 = time.perf_counter()
        step()
        dt = time.perf_counter() - t0
        total += dt
        print(f"{name:<26} {dt:6.2f} s")
    run = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("wall_seconds") or float("nan")
    print(f"{'all report writing':<26} {total:6.2f} s")
    print(f"{'the run itself (manifest)':<26} {run:6.2f} s  -> report writing adds {100 * total / run:.1f}%")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results/baseline")
