"""Scenario files for the page: list them, load one with the ``check`` message, save the page's state.

A saved file is self-contained (the picked scenario's overrides, the levers and the page's run
size and seed), so ``ruralsim run`` on it reproduces the page's numbers wherever the file is moved.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomli_w

from ...simulation.inputs.config import (SCENARIO_DIR, ConfigError, Scenario, load_scenario, scenario_paths,
                                         to_toml_tables)

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")  # up to 80 characters in all
SHIPPED, MINE = "shipped:", "mine:"
UNKNOWN = "not a scenario this page lists: pick one from the list"


def scenario_options(user_dir: Path | None) -> list[dict[str, str]]:
    """Dropdown options: every shipped scenario, then every ``.toml`` in the user's folder. A value is an
    id (``shipped:baseline``, ``mine:own.toml``), never a path: the page sends it back and the server
    resolves it with :func:`resolve`, so a client can name only files listed here."""
    opts = [{"label": p.stem, "value": SHIPPED + p.stem} for p in scenario_paths(SCENARIO_DIR)]
    opts += [{"label": f"{user_dir.name}/{p.name}", "value": MINE + p.name} for p in _user_files(user_dir)]
    return opts


def resolve(scenario_id: object, user_dir: Path | None) -> Path | None:
    """The file behind an id of :func:`scenario_options` (looked up in a fresh listing), else None."""
    if not isinstance(scenario_id, str):
        return None
    if scenario_id.startswith(SHIPPED):
        return next((p for p in scenario_paths(SCENARIO_DIR) if SHIPPED + p.stem == scenario_id), None)
    if scenario_id.startswith(MINE):
        return next((p for p in _user_files(user_dir) if MINE + p.name == scenario_id), None)
    return None


def scenario_id(path: Path) -> str:
    """The id of a shipped scenario file (the page's first pick)."""
    return SHIPPED + path.stem


def _user_files(user_dir: Path | None) -> list[Path]:
    """The user's ``.toml`` files: regular files only (a link could point at any file)."""
    if user_dir is None or user_dir.is_symlink() or not user_dir.is_dir():
        return []
    return [p for p in scenario_paths(user_dir) if not p.is_symlink() and p.is_file()]


def load_checked(path: str | Path | None, folders: tuple[Path, ...] = ()) -> tuple[Scenario | None, str]:
    """(scenario, "") or (None, the message ``ruralsim check`` prints for this file).

    With ``folders`` (the page), a message that names any file outside them (a file the scenario
    extends from elsewhere) is replaced by a pointer to ``ruralsim check``: the page never quotes
    values from files it does not list.
    """
    if path is None:
        return None, UNKNOWN
    try:
        return load_scenario(Path(path)), ""
    except ConfigError as err:
        if folders and not all(_within(pr.source, folders) for pr in err.problems):
            return None, (f"{Path(path).name}: INVALID (it extends a file outside the page's folders; "
                          f"run `ruralsim check {Path(path).name}` in a terminal to see why)")
        return None, f"{path}: INVALID\n{err}"


def _within(source: str, folders: tuple[Path, ...]) -> bool:
    try:
        where = Path(source).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return any(where.parent == f.resolve() for f in folders)


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
    if os.path.lexists(path):
        raise ConfigError(f"{path} exists already: choose another name")
    moved = ", ".join(f"{k} = {v}" for k, v in levers.items()) or "none"
    header = (f"# Saved by ruralsim app {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC from scenario "
              f"{base.name!r} ({base.path.name}).\n# Levers moved on the page: {moved}.\n"
              f"# `ruralsim run {path.name}` reproduces the page's run (same households, seed, replicates).\n")
    # ``extends`` the page's scenario: the common start is built under its root's levers, as on the page.
    doc = {"name": name, "extends": str(base.path.resolve()), **to_toml_tables({**overrides, **run})}
    directory.mkdir(parents=True, exist_ok=True)
    if directory.is_symlink():
        raise ConfigError(f"{directory} is a symbolic link: the page saves only into a real folder")
    # A fresh temporary name, created exclusively (O_EXCL | O_NOFOLLOW): a link or file planted at a
    # predictable name is never written through; the rename replaces nothing (checked above).
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".toml.part", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(header + tomli_w.dumps(doc))
        os.link(tmp, path)  # fails if ``path`` appeared meanwhile (never replaces a file)
    except FileExistsError:
        raise ConfigError(f"{path} exists already: choose another name") from None
    finally:
        os.unlink(tmp)
    load_scenario(path)  # what `ruralsim check` does; a failure here is a bug, not user input
    return path


def report_path(results_dir: Path, scenario_name: str) -> Path | None:
    """The stored run report of a scenario (``<results>/<name>/report.html``), if its folder is a
    complete ruralsim result and neither it nor the report is a link."""
    from ...analysis.folders import folder_state

    folder = results_dir / scenario_name
    p = folder / "report.html"
    if folder.is_symlink() or p.is_symlink() or not p.is_file() or folder_state(folder) != "complete":
        return None
    return p
