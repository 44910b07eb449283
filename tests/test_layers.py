"""The package's architecture, checked from its source: imports only go down the layers, no circle, and
no module over 600 lines.

Layers, lowest first: ``simulation`` (the model) → ``analysis`` (computations on stored results) →
``presentation`` (figures) → ``workflows`` (drivers: run, compare, sweep reports; they write folders and call
the figure writers) → ``commands`` and ``cli.py``. Inside ``simulation`` the sub-packages have their own
order, lowest first: ``inputs`` → ``cohort`` → ``phases`` → ``policy`` → ``engine``. Every ``import`` counts,
also those deferred inside a function, since a deferred import is still a dependency. Read with :mod:`ast`,
nothing is imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "model" / "ruralsim"
LAYERS = ("simulation", "analysis", "presentation", "workflows", "commands")
TOP = len(LAYERS)  # ruralsim/__init__.py (the re-exports) and cli.py sit above every layer
SIMULATION_ORDER = ("inputs", "cohort", "phases", "policy", "engine")  # a sub-package imports only those before it
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else TOP


def imports(module: str) -> list[tuple[str, int]]:
    """(imported ruralsim module, line) for every import statement of ``module``, resolved to a module file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "ruralsim"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "ruralsim":
                continue
            for alias in node.names:  # "from pkg import module" depends on that module
                sub = f"{source}.{alias.name}"
                found.append((sub if sub in MODULES else source, node.lineno))
    return found


def graph() -> dict[str, list[tuple[str, int]]]:
    return {m: imports(m) for m in MODULES}


def test_every_import_names_an_existing_module():
    """An import of a moved module's old path (``ruralsim.config``) must use the new one inside the package."""
    bad = [f"{m} line {line}: imports {target}, which is no module of the package (moved? see README's layout)"
           for m, edges in graph().items() for target, line in edges if target not in MODULES]
    assert not bad, "\n".join(bad)


def test_imports_only_go_down_the_layers():
    bad = [f"{m} ({LAYERS[layer(m)] if layer(m) < TOP else 'top'}) line {line} imports {target} "
           f"({LAYERS[layer(target)] if layer(target) < TOP else 'top'}): an upward import"
           for m, edges in graph().items() for target, line in edges
           if target in MODULES and layer(target) > layer(m)]
    assert not bad, "\n".join(bad)


def find_circle(edges: dict[str, list[tuple[str, int]]]) -> list[str] | None:
    """One import circle as [a, b, ..., a], or None (depth-first search, colouring the modules)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for target, _ in edges.get(m, []):
            if target == m or target not in edges:
                continue
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (circle := visit(target)):
                return circle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state and (circle := visit(m)):
            return circle
    return None


def test_no_import_circle():
    edges = graph()
    # a package's __init__ re-exports its own modules; a module importing a sibling through the
    # package (``from . import outcomes``) resolves to that sibling, so the re-exports make no circle
    circle = find_circle({m: [(t, n) for t, n in e if not (MODULES[m].name == "__init__.py"
                                                          and t.startswith(m + "."))]
                          for m, e in edges.items()})
    where = []
    if circle:
        for a, b in zip(circle, circle[1:]):
            where += [f"{a} line {line} imports {b}" for t, line in edges[a] if t == b][:1]
    assert circle is None, "import circle: " + " -> ".join(circle or []) + "\n" + "\n".join(where)


def lines_of(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_600_lines():
    """A module a reader can hold in mind: every ``.py`` of the package, counted line by line."""
    assert len(MODULES) > 100  # the walk saw the package (a vacuous pass would see nothing)
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py") if (n := lines_of(p)) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them by job): {long}"


def test_the_line_count_sees_a_long_module(tmp_path):
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert lines_of(long) == MAX_LINES + 1 > MAX_LINES


def simulation_part(module: str) -> str | None:
    """``inputs`` for ``ruralsim.simulation.inputs.config``; None outside the simulation's sub-packages."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "simulation" else None


def test_every_simulation_module_sits_in_a_sub_package():
    """The simulation is navigable by its sub-packages: no flat module left, and ``ruralsim.SIMULATION``
    (which keeps the old flat names importing) lists exactly the modules there are."""
    import ruralsim

    flat = [m for m in MODULES if m.startswith("ruralsim.simulation.") and simulation_part(m) is None
            and m.rsplit(".", 1)[1] not in SIMULATION_ORDER]
    assert not flat, f"modules directly in simulation/ (put each in a sub-package): {flat}"
    assert {m.split(".")[2] for m in MODULES if simulation_part(m)} == set(SIMULATION_ORDER)
    for part in SIMULATION_ORDER:  # each sub-package says what it holds
        assert (ast.get_docstring(ast.parse(MODULES[f"ruralsim.simulation.{part}"].read_text())) or "").strip(), part
    listed = {f"ruralsim.simulation.{part}.{name}" for part, names in ruralsim.SIMULATION.items() for name in names}
    moved_from = {m for m in MODULES if simulation_part(m) and not m.rsplit(".", 1)[1].startswith(
        ("model_", "param_", "parameters_economy", "parameters_policy", "config_values"))}
    assert moved_from <= listed | {f"ruralsim.simulation.{p}" for p in SIMULATION_ORDER}
    assert all(m in MODULES for m in listed), sorted(listed - set(MODULES))


def test_simulation_sub_packages_import_only_downward():
    """inputs → cohort → phases → policy → engine: the parameters know no household, the cohort no
    phase, a phase no programme, and only the engine knows the model."""
    bad = [f"{m} line {line} imports {target}: {simulation_part(m)} may import only "
           f"{', '.join(SIMULATION_ORDER[: SIMULATION_ORDER.index(simulation_part(m)) + 1])}"
           for m, edges in graph().items() if simulation_part(m)
           for target, line in edges
           if simulation_part(target) and SIMULATION_ORDER.index(simulation_part(target))
           > SIMULATION_ORDER.index(simulation_part(m))]
    assert not bad, "\n".join(bad)


def test_the_simulation_imports_nothing_above_it():
    """The model runs without the analysis, the figures, the drivers or the command line."""
    bad = [f"{m} line {line} imports {target}" for m, edges in graph().items() if m.startswith("ruralsim.simulation")
           for target, line in edges if not target.startswith("ruralsim.simulation")]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("edges, expected", [
    ({"a": [("b", 1)], "b": [("c", 2)], "c": []}, None),
    ({"a": [("b", 1)], "b": [("c", 2)], "c": [("a", 3)]}, ["a", "b", "c", "a"]),
])
def test_the_circle_finder_finds_circles(edges, expected):
    assert find_circle(edges) == expected


def test_the_walk_sees_deferred_and_relative_imports():
    """The checks above would pass vacuously if the walk missed imports: it must see these known ones."""
    edges = graph()
    assert ("ruralsim.simulation.engine.model", 1) not in edges["ruralsim"]
    assert any(t == "ruralsim.simulation.engine.model" for t, _ in edges["ruralsim"])
    kernels = edges["ruralsim.simulation.phases.kernels"]
    assert any(t == "ruralsim.simulation.phases.kernels_numba" for t, _ in kernels)  # deferred, from . import
    assert any(t == "ruralsim.simulation.phases.labour" for t, _ in edges["ruralsim.simulation.engine.model"])
    assert all(layer(m) < TOP for m in MODULES if m.startswith("ruralsim.") and m != "ruralsim.cli")


def readme_layout_files() -> set[str]:
    """Files named in the layout table of docs/GUIDE.md, as paths under model/ruralsim (``simulation/engine/model.py``, ``rng.py``
    in the same row meaning ``simulation/cohort/rng.py``); folders end with ``/``."""
    text = (PACKAGE.parents[1] / "docs" / "GUIDE.md").read_text(encoding="utf-8")  # the README links to it
    table = text[text.index("## Layout"):]
    named = set()
    for row in table.splitlines():
        if not row.startswith("| `"):
            continue
        folder = ""
        for name in re.findall(r"`([^`]+)`", row.split("|")[1]):
            if "/" in name.rstrip("/"):
                folder = name.rsplit("/", 1)[0] + "/" if not name.endswith("/") else ""
                named.add(name)
            else:
                named.add(folder + name)
    return named


def test_readme_layout_table_matches_the_package():
    named = readme_layout_files()
    missing = [n for n in named if n.endswith(".py") and not (PACKAGE / n).is_file()]
    assert not missing, f"README's layout table names files that do not exist: {missing}"
    covered = {n.rstrip("/") for n in named if n.endswith("/")}
    unnamed = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"
               and str(p.relative_to(PACKAGE)) not in named
               and not any(str(p.relative_to(PACKAGE)).startswith(c + "/") for c in covered)]
    assert not unnamed, f"modules missing from README's layout table: {sorted(unnamed)}"


def test_odd_module_references_exist():
    text = (PACKAGE.parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`((?:model/ruralsim/)?(?:simulation|analysis|presentation|workflows)/[\w/]+\.py)`", text))
    assert paths, "the ODD names no module"
    missing = [p for p in paths if not (PACKAGE / p.removeprefix("model/ruralsim/")).is_file()]
    assert not missing, f"docs/ODD.md names modules that do not exist: {missing}"


def test_old_module_names_import_as_the_moved_modules():
    """``ruralsim.config`` and the other names before the layout are the same module objects as the new ones."""
    import importlib

    import ruralsim

    for old, new in ruralsim.MOVED.items():
        assert f"ruralsim.{new}" in MODULES, f"ruralsim.MOVED[{old!r}] names no module: {new}"
        assert importlib.import_module(f"ruralsim.{old}") is importlib.import_module(f"ruralsim.{new}"), old
    from ruralsim.sweep import load_experiment, run_sweep  # the import the sweep's docs showed
    from ruralsim.workflows.sweep import run_sweep as driver

    assert run_sweep is driver and callable(load_experiment)
    assert importlib.import_module("ruralsim.config").__spec__.name == "ruralsim.simulation.inputs.config"
    # the flat names of the simulation before its sub-packages: the same module objects, also for pickles
    from ruralsim.simulation.model import RuralModel
    from ruralsim.simulation.population import Households

    assert RuralModel is ruralsim.RuralModel
    assert Households.__module__ == "ruralsim.simulation.cohort.population"
    assert importlib.import_module("ruralsim.simulation.labour") is importlib.import_module(
        "ruralsim.simulation.phases.labour")
