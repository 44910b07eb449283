"""The start cache's folder (issue 25): one file per start, written atomically, checked before it is trusted.

Where: ``RURALSIM_CACHE`` names the folder; ``off`` turns the cache off, ``memory`` keeps starts in the
process only. Unset, starts are kept in memory only: ruralsim writes nowhere the user did not point
(a disk cache is a folder the user names, e.g. ``RURALSIM_CACHE=~/.cache/ruralsim/starts``, shared by
every working folder and worker process of one machine). ``ruralsim cache info`` shows the folder;
``ruralsim cache clear`` empties it.

A start file ``<key hash>.start`` is::

    MAGIC (16 bytes) | payload (a pickle) | trailer (JSON) | trailer size (8 bytes, little-endian) | END (8 bytes)

The trailer holds the full key, the payload's size and SHA-256 and a few labels for ``cache info``. It
comes last so a national start (gigabytes) is hashed while it streams to disk, never held twice in
memory. A file is written under a temporary name and renamed into place (``os.replace``), so readers
see a whole entry or none, and two processes filling one entry leave one good entry (the last rename).
A per-entry lock file makes a second process wait for the first instead of computing the same start.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import struct
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

ENV = "RURALSIM_CACHE"
SIZE_ENV = "RURALSIM_CACHE_GB"
DEFAULT_GB = 10.0  # a sweep or calibration over non-lever keys makes a start per point: the folder must not grow forever
MAGIC = b"ruralsim-start\x00\x01"   # 16 bytes: format 1
END = b"RSSTART1"                   # 8 bytes
SUFFIX, LOCK_SUFFIX = ".start", ".lock"
TAG = "CACHEDIR.TAG"  # the standard mark backup tools skip (https://bford.info/cachedir/)
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# ruralsim's cache of model starts (the 2020-12 state); `ruralsim cache clear` empties it.\n")
_ENTRY = re.compile(r"[0-9a-f]{32}\.start")
_LOCK = re.compile(r"[0-9a-f]{32}\.lock")
_TEMP = re.compile(r"\.[0-9a-f]{32}\.start\.[A-Za-z0-9_]+\.tmp")
_BLOCK = 1 << 24  # bytes hashed per read when checking a large entry


@dataclass(frozen=True)
class Setting:
    """How starts are cached: ``mode`` is "off", "memory" or "disk" (then ``folder`` is set)."""

    mode: str
    folder: Path | None = None


def suggested_folder() -> Path:
    """Where the guide suggests a disk cache (``$XDG_CACHE_HOME/ruralsim/starts``); never used unless named."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "ruralsim" / "starts"


def setting(value: str | None = None, source: str = "--dir") -> Setting:
    """The cache setting from ``value`` (given as ``source``) or ``RURALSIM_CACHE`` (read at each call, so
    workers and tests follow it)."""
    from ..inputs.config import ConfigError, Problem

    text = (os.environ.get(ENV, "") if value is None else value).strip()
    source, key = (f"environment variable {ENV}", ENV) if value is None else ("command line", source)
    if not text:
        return Setting("memory")  # unset: nothing written outside where the user pointed
    if text.lower() in ("off", "memory"):
        return Setting(text.lower())
    folder = Path(text).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise ConfigError([Problem(source, key, text, "is a file, not a folder",
                                   "a folder for the start cache, 'memory' (this process only) or 'off'")])
    return Setting("disk", folder)


def max_bytes() -> int:
    """The folder's size limit (``RURALSIM_CACHE_GB``, default 10 GB): past it the least recently used entries go."""
    from ..inputs.config import ConfigError, Problem

    text = os.environ.get(SIZE_ENV, "").strip()
    if not text:
        return int(DEFAULT_GB * 1e9)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise ConfigError([Problem(f"environment variable {SIZE_ENV}", SIZE_ENV, text, "is not a size in GB",
                                   "a number of gigabytes > 0, e.g. 10 or 2.5")])
    return int(value * 1e9)


def trim(folder: Path, limit: int, keep: str) -> int:
    """Delete the least recently used entries (by modification time, which a hit refreshes) until the folder's
    entries fit in ``limit`` bytes; never ``keep`` (the entry just written). Returns the entries deleted."""
    rows = []
    for path in folder.glob(f"*{SUFFIX}"):
        with contextlib.suppress(OSError):
            if _ENTRY.fullmatch(path.name) and path.name != f"{keep}{SUFFIX}" and is_own(path):
                st = path.stat()
                rows.append((st.st_mtime, st.st_size, path))
    total = sum(size for _, size, _ in rows)
    with contextlib.suppress(OSError):
        total += entry_path(folder, keep).stat().st_size
    deleted = 0
    for _, size, path in sorted(rows, key=lambda r: r[0]):
        if total <= limit:
            break
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            deleted += 1
        total -= size
    return deleted


def touch(path: Path) -> None:
    """Mark an entry as just used (its modification time), so :func:`trim` keeps it longest."""
    with contextlib.suppress(OSError):
        os.utime(path)


def entry_path(folder: Path, digest: str) -> Path:
    return folder / f"{digest}{SUFFIX}"


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
class _HashingWriter:
    """A file wrapper that hashes and counts what goes through it (pickle writes straight into it)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.sha.update(view)
        self.size += view.nbytes
        return self.fh.write(view)


def prepare(folder: Path) -> None:
    """Create the folder (and its CACHEDIR.TAG) if needed."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # entries are pickles: only their owner writes them
    tag = folder / TAG
    if not tag.exists():
        with contextlib.suppress(OSError):
            tag.write_text(TAG_TEXT, encoding="utf-8")


def has_room(folder: Path, need: int) -> bool:
    """Whether the folder's disk keeps 1 GiB free after an entry of about ``need`` bytes (a cache must not
    fill the disk that results are written to)."""
    import shutil

    prepare(folder)
    return shutil.disk_usage(folder).free >= need * 1.2 + (1 << 30)


def write_entry(folder: Path, digest: str, key: dict, labels: dict, fill: Callable[[Any], None]) -> Path:
    """Write an entry atomically: ``fill(writer)`` writes the payload (a pickle) into ``writer``."""
    prepare(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{digest}{SUFFIX}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC)
            writer = _HashingWriter(fh)
            fill(writer)
            trailer = json.dumps({"key": key, "payload_bytes": writer.size, "payload_sha256": writer.sha.hexdigest(),
                                  **labels}, sort_keys=True).encode()
            fh.write(trailer)
            fh.write(struct.pack("<Q", len(trailer)))
            fh.write(END)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, entry_path(folder, digest))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return entry_path(folder, digest)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def read_trailer(fh: BinaryIO) -> dict | None:
    """The trailer of an open entry, or None when the file is not a whole ruralsim start."""
    size = os.fstat(fh.fileno()).st_size
    if size < len(MAGIC) + 16:
        return None
    fh.seek(0)
    if fh.read(len(MAGIC)) != MAGIC:
        return None
    fh.seek(size - 16)
    (length,), end = struct.unpack("<Q", fh.read(8)), fh.read(8)
    if end != END or length > size - len(MAGIC) - 16:
        return None
    fh.seek(size - 16 - length)
    try:
        trailer = json.loads(fh.read(length))
    except ValueError:
        return None
    if not isinstance(trailer, dict) or trailer.get("payload_bytes") != size - len(MAGIC) - 16 - length:
        return None
    return trailer


def open_entry(path: Path, key: dict) -> tuple[BinaryIO | None, Any]:
    """(file, trailer) of an entry of this user whose key equals ``key`` and whose payload matches the
    trailer's SHA-256, else (None, why): "missing", "foreign" (another user's file), "corrupt" or "stale".
    The caller reads the payload from the current position (just after MAGIC) and closes the file."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None, "missing"
    try:
        if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
            fh.close()  # a pickle someone else wrote is never loaded
            return None, "foreign"
        trailer = read_trailer(fh)
        if trailer is None:
            fh.close()
            return None, "corrupt"
        if trailer.get("key") != key:
            fh.close()
            return None, "stale"
        fh.seek(len(MAGIC))
        sha, left = hashlib.sha256(), int(trailer["payload_bytes"])
        while left > 0:
            block = fh.read(min(_BLOCK, left))
            if not block:
                break
            sha.update(block)
            left -= len(block)
        if left or sha.hexdigest() != trailer.get("payload_sha256"):
            fh.close()
            return None, "corrupt"
        fh.seek(len(MAGIC))
        return fh, trailer
    except BaseException:
        fh.close()
        raise


@contextlib.contextmanager
def entry_lock(folder: Path, digest: str) -> Iterator[None]:
    """Hold ``<digest>.lock`` (an advisory ``flock``) so one process computes an entry and the others wait
    for it; where locks are not available (not POSIX, some network file systems) nothing is held."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        prepare(folder)
        fh = open(folder / f"{digest}{LOCK_SUFFIX}", "a+b")
    except OSError:
        yield
        return
    with fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except OSError:
            pass
        yield  # closing the file releases the lock


# ---------------------------------------------------------------------------------------------
# Listing and clearing (``ruralsim cache info|clear``)
# ---------------------------------------------------------------------------------------------
def is_own(path: Path) -> bool:
    """True for a file ruralsim writes in its cache folder: an entry (checked by its first bytes), a
    lock, an unfinished entry's temporary file, or the CACHEDIR.TAG it wrote."""
    name = path.name
    if path.is_symlink() or not path.is_file():
        return False
    if name == TAG:
        return path.read_text(encoding="utf-8", errors="replace") == TAG_TEXT
    if _LOCK.fullmatch(name):
        return path.stat().st_size == 0
    if _ENTRY.fullmatch(name) or _TEMP.fullmatch(name):
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC))
        return head == MAGIC or (_TEMP.fullmatch(name) is not None and MAGIC.startswith(head))
    return False


def entries(folder: Path) -> list[dict]:
    """The folder's whole entries: file, bytes and the labels of their trailers (unreadable ones say so)."""
    rows = []
    if not folder.is_dir():
        return rows
    for path in sorted(folder.iterdir()):
        if not _ENTRY.fullmatch(path.name) or not path.is_file():
            continue
        with open(path, "rb") as fh:
            trailer = read_trailer(fh)
        row = {"file": path.name, "bytes": path.stat().st_size, "valid": trailer is not None}
        if trailer:
            row.update({k: v for k, v in trailer.items() if k not in ("key", "payload_sha256")})
        rows.append(row)
    return rows


def foreign_files(folder: Path) -> list[Path]:
    """Everything in the folder ruralsim did not write there (sub-folders included)."""
    return [p for p in sorted(folder.iterdir()) if not is_own(p)] if folder.is_dir() else []


def clear(folder: Path) -> tuple[int, int]:
    """Delete the folder's ruralsim files; (files deleted, bytes freed). The folder itself stays. Refuses
    (ConfigError, nothing deleted) when it holds anything ruralsim did not write."""
    from ..inputs.config import ConfigError, Problem

    foreign = foreign_files(folder)
    if foreign:
        shown = ", ".join(p.name for p in foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ConfigError([Problem(str(folder), "", shown, f"the cache folder holds {len(foreign)} file(s) or "
                                   "folder(s) ruralsim did not write; nothing was deleted",
                                   f"a folder holding only ruralsim's start files: move the others away, or point "
                                   f"{ENV} at another folder")])
    count = freed = 0
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        with contextlib.suppress(FileNotFoundError):
            if is_own(path):  # checked again: a file may have appeared since
                size = path.stat().st_size
                path.unlink()
                count, freed = count + 1, freed + size
    return count, freed
