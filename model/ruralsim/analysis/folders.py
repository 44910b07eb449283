"""Results folders that are complete or visibly not, written by one process at a time.

A command that writes a results folder (run, compare, sweep, validate, calibrate) goes through
:func:`writing` before it simulates anything:

1. cheap checks: ``--out`` is a folder (or can be made one), is writable, and holds nothing but
   an earlier ruralsim result of the same kind (never a user's files or another command's folder);
2. a lock (``.ruralsim.lock``, ``flock``): a second writer into the same folder fails at once;
3. the marker ``INCOMPLETE.txt`` is written and the old ``manifest.json`` removed, then the earlier
   result is cleared (a sweep keeps its finished runs), so old and new files never sit together
   under a manifest;
4. the writer writes every file (each atomically) and ``manifest.json`` last;
5. on success the manifest gets the list of every file and folder the writer left (``written``)
   and the marker is removed. A crash, kill or full disk leaves the marker in place.

Ownership: a folder's files are ruralsim's only when its manifest (a JSON object whose ``schema``
starts ``ruralsim.``) lists them under ``written``; of an incomplete folder, everything but what its
marker records as kept (``kept: [...]``). Anything else is foreign: a user's notes, a ``manifest.json``
of another program, a symbolic link (ruralsim writes none). A rerun removes exactly what is listed
and refuses (exit 2, naming the foreign entries) while anything foreign is there, unless ``--force``,
which keeps the foreign entries in place and still deletes nothing of them. Symbolic links are never
followed when a folder is listed or cleared.

So "complete" is one rule for the whole folder, whatever files it holds: ``manifest.json`` present
and no ``INCOMPLETE.txt`` in the folder or its parent (a comparison's scenario folders). Readers
(``ruralsim plot`` and anything reading stored results) call :func:`require_complete`.

Nothing here knows the file names a writer produces, so new outputs (reports, spreadsheets) need
no change here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from ..simulation.inputs.config import ConfigError, Problem

MARKER = "INCOMPLETE.txt"
LOCK = ".ruralsim.lock"
MANIFEST = "manifest.json"
#: Files of ours that never count as content.
OWN = (MARKER, LOCK)
#: Manifest key listing every file and folder (relative, ``/``-separated) the writer left.
WRITTEN = "written"
#: How a manifest says ruralsim wrote it.
SCHEMA_PREFIX = "ruralsim."
#: Longest output folder name made from a scenario's or experiment's ``name``.
MAX_NAME = 80

_HELD: dict[Path, int] = {}  # folders this process holds the lock of (re-entrant use by inner writers)


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
def safe_name(name: object, fallback: str = "results") -> str:
    """One path component made from a user-given name: letters (any script), digits, ``_ . -``.

    Separators, ``..``, control characters and NUL cannot survive, so ``results/<name>`` always
    stays inside ``results/``.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(ch if (ch.isalnum() or ch in "_.-") else "_" for ch in text)
    text = re.sub(r"_+", "_", text).strip("._-")[:MAX_NAME].strip("._-")
    return text or fallback


def run_out_dir(name: str) -> Path:
    """``results/<scenario>/`` under the current directory (the name made one safe path component)."""
    return Path("results") / safe_name(name, "scenario")


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def folder_state(folder: Path) -> str:
    """'complete', 'incomplete', 'empty', 'missing', 'file' or 'foreign'."""
    if not folder.exists():
        return "missing"
    if not folder.is_dir():
        return "file"
    if (folder / MARKER).exists() or (folder.parent / MARKER).exists():
        return "incomplete"
    if (folder / MANIFEST).is_file():
        return "complete"
    names = [p.name for p in folder.iterdir() if p.name not in OWN]
    return "foreign" if names else "empty"  # (a runs/ folder alone no longer means a sweep: issue 26)


def require_complete(folder: Path, command: str) -> dict:
    """The folder's manifest, or a one-line ConfigError when the folder is not a complete result."""
    folder = Path(folder)
    allowed = "a folder written to the end by ruralsim run, compare, sweep, validate or calibrate"
    state = folder_state(folder)
    if state == "missing":
        raise ConfigError([Problem(command, "RESULTS_DIR", str(folder), "no such folder", allowed)])
    if state == "file":
        raise ConfigError([Problem(command, "RESULTS_DIR", str(folder), "not a folder", allowed)])
    if state == "incomplete":
        where = folder if (folder / MARKER).exists() or not (folder.parent / MARKER).exists() else folder.parent
        raise ConfigError([Problem(str(where), "", _no_value(), f"incomplete results folder ({MARKER}: its writer "
                                   "was stopped or is still running); rerun the command that wrote it", allowed)])
    if state != "complete":
        raise ConfigError([Problem(str(folder), "", _no_value(), "no manifest.json in this folder", allowed)])
    return read_manifest(folder / MANIFEST)


def read_manifest(path: Path) -> dict:
    """A manifest as a dict; a damaged one is a ConfigError naming the file and what is wrong (no content)."""
    allowed = "a manifest.json written by ruralsim (rerun the command that wrote the folder)"
    try:
        size = path.stat().st_size
        if size > 64 * 2**20:
            raise ConfigError([Problem(str(path), "", _no_value(), f"too large ({size:,} bytes)", allowed)])
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ConfigError([Problem(str(path), "", _no_value(), "not valid JSON (damaged or truncated)",
                                   allowed)]) from None
    except OSError as exc:
        raise ConfigError([Problem(str(path), "", _no_value(), f"cannot read: {exc.strerror}", allowed)]) from None
    if not isinstance(doc, dict):
        raise ConfigError([Problem(str(path), "", _no_value(), f"a JSON {type(doc).__name__}, not an object",
                                   allowed)])
    kind = doc.get("kind", "run")
    if not isinstance(kind, str):
        raise ConfigError([Problem(str(path), "kind", _no_value(), f"must be a string, not {type(kind).__name__}",
                                   allowed)])
    return doc


def manifest_kind(doc: dict) -> str:
    """What wrote the folder: the manifest's ``kind`` (older manifests: ``extra.kind``; default run)."""
    extra = doc.get("extra") if isinstance(doc.get("extra"), dict) else {}
    return str(doc.get("kind") or extra.get("kind") or "run")


def inside(folder: Path, relative: object, what: str) -> Path:
    """``folder / relative`` when ``relative`` is one plain folder name under ``folder`` (a manifest's
    pointer to a sub-folder); a ConfigError otherwise, so a manifest cannot send a reader elsewhere."""
    ok = isinstance(relative, str) and relative == safe_name(relative, "") and relative not in ("", ".", "..")
    target = folder / relative if ok else folder
    if ok:
        try:
            ok = (not target.is_symlink()) and target.resolve().parent == folder.resolve()
        except (OSError, RuntimeError):
            ok = False
    if not ok:
        raise ConfigError([Problem(str(folder / MANIFEST), what, _no_value(),
                                   "must name a sub-folder of this folder (one plain name)",
                                   "the manifest as written by ruralsim")])
    return target


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def writing(out: Path | str, kind: str, *, keep: Sequence[str] = (), strict: bool = True,
            option: str = "--out", force: bool = False) -> Iterator[Path]:
    """Hold ``out`` for writing a result of ``kind`` (see the module docstring); yields the folder.

    ``keep``: entries kept from an earlier result of the same kind (a sweep's finished runs).
    ``strict`` (commands): refuse foreign content and clear the earlier result; library writers
    called without it only lock, mark and drop the old manifest. ``force``: write beside foreign
    content (kept, never claimed). Re-entrant within a process.
    """
    out = Path(out)
    key = _key(out)
    if key in _HELD or any(p in _HELD for p in key.parents):
        yield out  # an outer writer of this process holds it (a command around a library writer)
        return
    check_out(out, kind, option=option, strict=strict, force=force)
    out.mkdir(parents=True, exist_ok=True)
    lock = _lock(out, option)
    _HELD[key] = 1
    try:
        owned, foreign = ownership(out)
        _mark(out, kind, kept=foreign)
        if owned is None or MANIFEST in owned:  # (an older ruralsim's manifest: its own, too)
            _remove(out / MANIFEST)
        if strict:
            clear(out, owned, keep=(*keep, *OWN))
        yield out
        if not (out / MANIFEST).is_file():
            return  # the writer did not finish: the marker stays
        claim(out, foreign)
        _remove(out / MARKER)
        _fsync_dir(out)
    finally:
        _HELD.pop(key, None)
        _unlock(lock)


@contextlib.contextmanager
def updating(folder: Path | str, command: str) -> Iterator[dict]:
    """Hold a complete folder to add or redraw files (``ruralsim plot``, ``ruralsim report``); yields its
    manifest. Refused while the folder holds foreign entries (a symbolic link, a file a user added), so
    nothing is read through a link and no file of the user's is overwritten; the files added are listed."""
    folder = Path(folder)
    manifest = require_complete(folder, command)
    owned, foreign = ownership(folder)
    if _manifest_doc(folder) is None:  # a manifest ruralsim cannot vouch for: only links are surely foreign
        owned, foreign = None, _top_most([p for p in entries(folder) if (folder / p).is_symlink()])
    if foreign:
        raise ConfigError([Problem(str(folder), "", _no_value(), "holds entries ruralsim did not write: "
                                   + _listed(foreign) + "; refusing to read or write beside them",
                                   "move them out of the results folder, then run the command again")])
    lock = _lock(folder, "RESULTS_DIR")
    _HELD[_key(folder)] = 1
    try:
        yield manifest
        if owned is not None and _listing(manifest) is not None:
            claim(folder, [])
    finally:
        _HELD.pop(_key(folder), None)
        _unlock(lock)


# ---------------------------------------------------------------------------------------------
# Ownership
# ---------------------------------------------------------------------------------------------
def is_ours(doc: object) -> bool:
    """A manifest ruralsim wrote: a JSON object whose ``schema`` starts ``ruralsim.``."""
    return isinstance(doc, dict) and isinstance(doc.get("schema"), str) and doc["schema"].startswith(SCHEMA_PREFIX)


def entries(folder: Path) -> list[str]:
    """Every file, folder and link under ``folder``, relative and ``/``-separated, without following
    links (a link is listed, never entered); the marker and lock are left out."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel = Path(root).relative_to(folder)
        for name in dirs + files:
            path = (rel / name).as_posix()
            if path not in OWN:
                found.append(path)
    return sorted(found)


def ownership(folder: Path) -> tuple[set[str] | None, list[str]]:
    """(what ruralsim wrote here, the foreign entries, top-most only). ``None`` for the first when an
    older ruralsim's manifest lists nothing: all but links is taken as its, as before this rule."""
    if not folder.is_dir():
        return set(), []
    marker = folder / MARKER
    doc = _manifest_doc(folder)
    ours = marker.is_file() and not marker.is_symlink() and _marker_kind(marker)
    if not ours and doc is None:  # nothing here is ours: name the top-level entries (no walk of, say, ~)
        return set(), sorted(p.name for p in folder.iterdir() if p.name not in OWN)
    present = entries(folder)
    links = {p for p in present if (folder / p).is_symlink()}
    if ours:
        kept = set(_marker_kept(marker))
        owned = {p for p in present if p not in links and not _under(p, kept)}
    elif _listing(doc) is None:
        return None, _top_most(sorted(links))
    else:
        listed = set(_listing(doc))
        owned = {p for p in present if p in listed and p not in links}
    return owned, _top_most([p for p in present if p not in owned])


def claim(folder: Path, foreign: Sequence[str]) -> None:
    """List in the manifest every entry now in ``folder`` but the ``foreign`` ones and links."""
    from .outputs import write_manifest

    path = folder / MANIFEST
    doc = _manifest_doc(folder)
    if doc is None:
        return
    kept = set(foreign)
    doc[WRITTEN] = [p for p in entries(folder) if not _under(p, kept) and not (folder / p).is_symlink()]
    write_manifest(path, doc)


def _manifest_doc(folder: Path) -> dict | None:
    path = folder / MANIFEST
    if path.is_symlink() or not path.is_file():
        return None
    try:
        doc = read_manifest(path)
    except ConfigError:
        return None
    return doc if is_ours(doc) else None


def _listing(doc: dict) -> list[str] | None:
    listed = doc.get(WRITTEN)
    return [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else None


def _under(path: str, tops: set[str]) -> bool:
    """``path`` is one of ``tops`` or inside one (checked by its ancestors: fast for long lists)."""
    parts = path.split("/")
    return any("/".join(parts[:i]) in tops for i in range(1, len(parts) + 1))


def _top_most(paths: list[str]) -> list[str]:
    given = set(paths)
    return sorted(p for p in given if not _under(p.rsplit("/", 1)[0], given) or "/" not in p)


def _listed(paths: Sequence[str], shown: int = 10) -> str:
    text = ", ".join(paths[:shown])
    return text + (f" and {len(paths) - shown} more" if len(paths) > shown else "")


def check_out(out: Path, kind: str, *, option: str = "--out", strict: bool = True, force: bool = False) -> None:
    """Cheap checks before any simulation: a folder we may write a ``kind`` result into."""
    out = Path(out)
    if "\x00" in str(out):
        raise ConfigError([Problem(option, "", _no_value(), "contains a NUL character", "a folder path")])
    if out.is_symlink() and not out.exists():
        raise ConfigError([Problem(option, "", str(out), f"is a symbolic link to {os.readlink(out)}, which does "
                                   "not exist", "a folder path (remove the dangling link or choose another)")])
    state = folder_state(out)
    if state == "file":
        raise ConfigError([Problem(option, "", str(out), "is a file, not a folder",
                                   "a new or empty folder, or one written earlier by the same command")])
    if state == "missing":
        parent = next((p for p in out.parents if p.exists()), Path("."))
        if not parent.is_dir():
            raise ConfigError([Problem(option, "", str(out), f"cannot be created: {parent} is not a folder",
                                       "a folder path")])
        if not os.access(parent, os.W_OK | os.X_OK):
            raise ConfigError([Problem(option, "", str(out), f"cannot be created: {parent} is not writable",
                                       "a folder you can write to")])
        return
    if not os.access(out, os.W_OK | os.X_OK):
        raise ConfigError([Problem(option, "", str(out), "is not writable", "a folder you can write to")])
    if not strict or state == "empty":
        return
    owned, foreign = ownership(out)
    found = _kind_of(out)
    if found not in (kind, "unknown") and owned:
        raise ConfigError([Problem(option, "", str(out), f"holds a {found} result, not a {kind} result; refusing "
                                   "to take it over", "another folder, or delete this one first")])
    if owned is None and not force:
        raise ConfigError([Problem(option, "", str(out), "holds a result of an older ruralsim that did not list "
                                   "the files it wrote; refusing to delete anything in it",
                                   "another folder, delete this one first, or --force (keeps its files)")])
    if foreign and not force:
        raise ConfigError([Problem(option, "", str(out), "holds files that ruralsim did not write: "
                                   + _listed(foreign) + "; refusing to mix results with them",
                                   "a new or empty folder, one written earlier by ruralsim "
                                   f"{kind}, or --force (writes beside them and deletes none of them)")])


def clear(out: Path, owned: set[str] | None, keep: Sequence[str]) -> None:
    """Remove exactly the earlier result's entries (except those under ``keep``), deepest first, so no
    stale file survives a new run and nothing else is touched; a folder still holding foreign entries stays.
    Links are never followed (none is ever owned)."""
    for rel in sorted(owned or (), key=lambda p: p.count("/"), reverse=True):
        if _under(rel, set(keep)):
            continue
        p = out / rel
        if p.is_symlink():
            continue
        if p.is_dir():
            with contextlib.suppress(OSError):
                p.rmdir()  # empty once its owned entries are gone; else foreign content keeps it
        else:
            _remove(p)


def _kind_of(out: Path) -> str:
    marker = out / MARKER
    if marker.is_file() and not marker.is_symlink() and (kind := _marker_kind(marker)):
        return kind
    doc = _manifest_doc(out)
    return manifest_kind(doc) if doc is not None else "unknown"


def _marker_lines(marker: Path) -> list[str]:
    try:
        return marker.read_text(encoding="utf-8", errors="replace").splitlines()[:40]
    except OSError:
        return []


def _marker_kind(marker: Path) -> str:
    return next((line[6:].strip() for line in _marker_lines(marker) if line.startswith("kind: ")), "")


def _marker_kept(marker: Path) -> list[str]:
    for line in _marker_lines(marker):
        if line.startswith("kept: "):
            with contextlib.suppress(ValueError):
                kept = json.loads(line[6:])
                return [p for p in kept if isinstance(p, str)] if isinstance(kept, list) else []
    return []


def _mark(out: Path, kind: str, kept: Sequence[str] = ()) -> None:
    from .outputs import atomic_path

    text = (f"This folder is not a complete result: ruralsim {kind} is writing it, or was stopped before it\n"
            "finished (killed, interrupted, disk full). Its files may mix runs. Rerun the command to replace it\n"
            "(a sweep resumes from its finished runs). The rerun removes what ruralsim wrote here and keeps the\n"
            "entries listed as kept (files that were here before; ruralsim never deletes them).\n\n"
            f"kind: {kind}\npid: {os.getpid()}\nstarted: {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n"
            f"kept: {json.dumps(list(kept), ensure_ascii=False)}\n")
    with atomic_path(out / MARKER) as tmp:
        tmp.write_text(text, encoding="utf-8")
    _fsync_dir(out)


def _lock(out: Path, option: str):
    try:
        fh = open(out / LOCK, "a+")
    except OSError as exc:
        raise ConfigError([Problem(option, "", str(out), f"is not writable ({exc.strerror})",
                                   "a folder you can write to")]) from None
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock
        return fh
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise ConfigError([Problem(option, "", str(out), "another ruralsim process is writing this folder",
                                   "wait for it to finish, or choose another --out")]) from None
    return fh


def _unlock(fh) -> None:
    with contextlib.suppress(OSError):
        fh.close()  # closing releases the flock


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _key(path: Path) -> Path:
    return Path(os.path.abspath(path))


def _no_value():
    from ..simulation.inputs.config import _NO_VALUE

    return _NO_VALUE
