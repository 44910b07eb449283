"""Scenario files for the page: list them, load one with the ``check`` message, save the page's state.

A saved file is self-contained (the picked scenario's overrides, the levers and the page's run
size and seed), so ``ruralsim run`` on it reproduces the page's numbers wherever the file is moved.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomli_w

from ...simulation.config import SCENARIO_DIR, ConfigError, Scenario, load_scenario, scenario_paths, to_toml_tables

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$")


def scenario_options(user_dir: Path | None) -> list[dict[str, str]]:
    """Dropdown options: every shipped scenario, then every ``.toml`` in the user's folder."""
    opts = [{"label": p.stem, "value": str(p.resolve())} for p in scenario_paths(SCENARIO_DIR)]
    if user_dir is not None and user_dir.is_dir():
        opts += [{"label": f"{user_dir.name}/{p.name}", "value": str(p.resolve())} for p in scenario_paths(user_dir)]
    return opts


def load_checked(path: str | Path) -> tuple[Scenario | None, str]:
    """(scenario, "") or (None, the message ``ruralsim check`` prints for this file)."""
    try:
        return load_scenario(Path(path)), ""
    except ConfigError as err:
        return None, f"{path}: INVALID\n{err}"


def save_scenario(directory: Path, name: str, base: Scenario, overrides: dict[str, Any],
                  run: dict[str, Any], levers: dict[str, Any]) -> Path:
    """Write ``<directory>/<name>.toml`` (never over an existing file) and check it loads.

    ``overrides`` are the flat parameters the file sets (the base scenario's, the levers', the run's).
    Raises :class:`ConfigError` for a bad name or an existing file.
    """
    name = name.strip().removesuffix(".toml")
    if not NAME.match(name):
        raise ConfigError(f"file name {name!r}: use letters, digits, '_', '-' or '.' (up to 80), "
                          "starting with a letter or digit")
    path = directory / f"{name}.toml"
    if path.exists():
        raise ConfigError(f"{path} exists already: choose another name")
    moved = ", ".join(f"{k} = {v}" for k, v in levers.items()) or "none"
    header = (f"# Saved by ruralsim app {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from scenario "
              f"{base.name!r} ({base.path.name}).\n# Levers moved on the page: {moved}.\n"
              f"# `ruralsim run {path.name}` reproduces the page's run (same households, seed, replicates).\n")
    # ``extends`` the page's scenario: the common start is built under its root's levers, as on the page.
    doc = {"name": name, "extends": str(base.path.resolve()), **to_toml_tables({**overrides, **run})}
    directory.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.part")
    tmp.write_text(header + tomli_w.dumps(doc), encoding="utf-8")
    tmp.replace(path)
    load_scenario(path)  # what `ruralsim check` does; a failure here is a bug, not user input
    return path


def report_path(results_dir: Path, scenario_name: str) -> Path | None:
    """The stored run report of a scenario (``<results>/<name>/report.html``), if one exists."""
    p = results_dir / scenario_name / "report.html"
    return p if p.is_file() else None
