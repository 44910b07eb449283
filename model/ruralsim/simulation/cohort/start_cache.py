"""One start, computed once (issue 25): the 2020-12 state is built once per key and reused.

Every scenario of a root starts from the same 2020-12 state by design (:mod:`.levers`): the cohort,
its start-up fit, the burn-in and the warm-up depend only on the start parameters and the replicate.
So a comparison, a sweep over levers, the app's lever changes and the robustness runs need that state
once per (start parameters, replicate), not once per scenario. :func:`establish` builds it the first
time and snapshots it; later models with the same key restore the snapshot and then go their own way
(their scenario's levers are switched on as 2021-01 opens, as before).

The key is the start parameters (which hold the households, the scale and the seed; not the run's
length nor its number of replicates, :data:`RUN_ONLY`), the replicate and the code's version (a hash
of the simulation package's sources; NumPy's, pandas' and Python's versions); not the kernels,
threads or chunks, which never change results. Snapshots live in memory (a few, not national ones)
and on disk (:mod:`.start_store`); a snapshot whose key or checksum does not match is recomputed,
never used.

The snapshot is the model's attributes that the set-up created (the household and labourer arrays,
the sectors, budget, projects, ledgers, rings...), pickled with the model itself, its start
parameters, its random streams and its kernels as references to the restoring model's own. What a
restored model rebuilds instead: its chunks (``chunk_households`` is its own option) and its Mesa
agent handles (views with no state of their own).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import pickle
import platform
import threading
import time
import warnings
from collections import Counter, OrderedDict
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from . import start_store as store

FORMAT = 1
#: Set-ups of this process by how the start was had: "computed", "memory" or "disk" (tests count them).
COUNTS: Counter = Counter()
MEMORY_ENTRIES = 16         # starts kept in a process: a comparison needs one per replicate (scenario-major order)
MEMORY_BYTES = 1 << 29      # ... and at most 512 MiB of them (two starts of 1M households); never national ones
#: Parameters that say how long and how often to run, never read by the set-up: not part of the key.
RUN_ONLY = frozenset({"run_months", "run_replicates"})
#: Attributes the set-up makes that a restored model rebuilds rather than restores (they follow its options).
REBUILT = frozenset({"spans", "_local_indices"})

_memory: OrderedDict[str, tuple[dict, bytes]] = OrderedDict()
_memory_lock = threading.Lock()


# ---------------------------------------------------------------------------------------------
# The key
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of the simulation package's sources (every rule the start runs lives there)."""
    root = Path(__file__).resolve().parents[1]  # simulation/, all its sub-packages
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON-able form of a parameter value that keeps its type and exact value."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value).hex()  # exact, and 1 and 1.0 stay apart
    if isinstance(value, dict):
        return {"dict": sorted([json.dumps(_canonical(k)), _canonical(v)] for k, v in value.items())}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, str):
        return value
    return repr(value)


def start_key(params: dict[str, Any], replicate: int) -> dict[str, Any]:
    """What a start depends on."""
    return {"format": FORMAT, "code": code_version(), "numpy": np.__version__, "pandas": _pandas_version(),
            "python": ".".join(platform.python_version_tuple()[:2]), "replicate": int(replicate),
            "params": {k: _canonical(params[k]) for k in sorted(params) if k not in RUN_ONLY}}


def _pandas_version() -> str:
    import pandas

    return pandas.__version__  # the start holds a DataFrame (the warm-up's income sample)


def key_hash(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]


# ---------------------------------------------------------------------------------------------
# Snapshot and restore
# ---------------------------------------------------------------------------------------------
def _references(model: Any) -> dict[str, Any]:
    """Objects a snapshot refers to rather than copies: each model has its own."""
    return {"model": model, "params": model.p, "streams": model.streams, "kernels": model.kern}


def _dump(model: Any, state: dict[str, Any], out: Any) -> None:
    refs = {id(obj): name for name, obj in _references(model).items()}

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> str | None:
            return refs.get(id(obj))

    Pickler(out, protocol=5).dump(state)


def _load(model: Any, source: Any) -> dict[str, Any]:
    refs = _references(model)

    class Unpickler(pickle.Unpickler):
        def persistent_load(self, pid: str) -> Any:
            return refs[pid]

    return Unpickler(source).load()


def _restore(model: Any, state: dict[str, Any], rebuild: Callable[[], None]) -> None:
    vars(model).update(state)
    rebuild()


# ---------------------------------------------------------------------------------------------
# The memory
# ---------------------------------------------------------------------------------------------
def _remember(digest: str, key: dict, payload: bytes) -> None:
    if len(payload) > MEMORY_BYTES:
        return
    with _memory_lock:
        _memory[digest] = (key, payload)
        _memory.move_to_end(digest)
        while len(_memory) > MEMORY_ENTRIES or sum(len(p) for _, p in _memory.values()) > MEMORY_BYTES:
            _memory.popitem(last=False)


def _recall(digest: str, key: dict) -> bytes | None:
    with _memory_lock:
        got = _memory.get(digest)
        if got is None or got[0] != key:
            return None
        _memory.move_to_end(digest)
        return got[1]


def forget() -> None:
    """Empty this process's memory of starts (the disk cache is left alone)."""
    with _memory_lock:
        _memory.clear()


# ---------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------
def establish(model: Any, build: Callable[[], None], rebuild: Callable[[], None]) -> dict[str, Any]:
    """Give ``model`` its 2020-12 state: restored from memory or disk when this start was built before,
    else built by ``build()`` and kept. ``rebuild()`` remakes what a restored model does not take from
    the snapshot (:data:`REBUILT`, the Mesa handles). Returns how the start was had, for the run's record:
    ``{"start": "computed"|"memory"|"disk", "key": <hash>, "cache": <folder>|"memory"|"off", "seconds": ...}``."""
    t0 = time.perf_counter()
    where = store.setting()
    key = start_key(model.p, model.replicate)
    digest = key_hash(key)
    cache = str(where.folder) if where.folder else where.mode

    def done(how: str) -> dict[str, Any]:
        COUNTS[how] += 1
        return {"start": how, "key": digest, "cache": cache, "seconds": round(time.perf_counter() - t0, 3)}

    if where.mode == "off":
        build()
        return done("computed")
    payload = _recall(digest, key)
    if payload is not None:
        _restore(model, _load(model, io.BytesIO(payload)), rebuild)
        return done("memory")
    if where.mode == "memory":
        _build_and_keep(model, build, key, digest, None)
        return done("computed")
    limit = store.max_bytes()  # read (and checked) before the work, not after
    with store.entry_lock(where.folder, digest):
        if _restore_from_disk(model, rebuild, where.folder, key, digest):
            return done("disk")
        _build_and_keep(model, build, key, digest, where.folder, limit)
        return done("computed")


def _keeps_in_memory(model: Any) -> bool:
    return model.p.get("run_scale") != "national"


def _build_and_keep(model: Any, build: Callable[[], None], key: dict, digest: str, folder: Path | None,
                    limit: int = 0) -> None:
    before = set(vars(model))
    build()
    state = {k: v for k, v in vars(model).items() if k not in before and k not in REBUILT}
    labels = {"households": int(model.n_households), "labourers": int(model.n_labourers),
              "replicate": int(model.replicate), "seed": int(model.p["run_seed"]),
              "scale": str(model.p["run_scale"]), "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    payload = None
    try:
        if _keeps_in_memory(model):
            buffer = io.BytesIO()
            _dump(model, state, buffer)
            payload = buffer.getvalue()
            _remember(digest, key, payload)
        if folder is None:
            return
        need = len(payload) if payload is not None else sum(model.state_nbytes().values())
        if not store.has_room(folder, need):
            warnings.warn(f"ruralsim: the start ({need / 1e9:.1f} GB) was not cached in {folder}: too little disk "
                          "space; runs go on, computing their start", RuntimeWarning, stacklevel=3)
            return
        store.write_entry(folder, digest, key, labels,
                          (lambda w: w.write(payload)) if payload is not None else (lambda w: _dump(model, state, w)))
        store.trim(folder, limit, keep=digest)
    except OSError as exc:  # a cache must never stop a run: a full or read-only disk only costs the reuse
        warnings.warn(f"ruralsim: the start was not cached in {folder} ({exc.strerror or exc}); "
                      "runs go on, computing their start", RuntimeWarning, stacklevel=3)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        # A set-up attribute that cannot be pickled (a lock, a closure): the code's fault, said loudly, not fatal.
        warnings.warn(f"ruralsim: this start cannot be cached ({type(exc).__name__}: {exc}); runs go on, "
                      "computing their start", RuntimeWarning, stacklevel=3)


def _restore_from_disk(model: Any, rebuild: Callable[[], None], folder: Path, key: dict, digest: str) -> bool:
    """Restore from a checked entry; False (the start is then recomputed and the entry rewritten) when it is
    missing, corrupt, stale or unreadable."""
    try:
        fh, trailer = store.open_entry(store.entry_path(folder, digest), key)
    except OSError:
        return False
    if fh is None:
        return False
    with fh:
        try:
            if _keeps_in_memory(model):
                payload = fh.read(int(trailer["payload_bytes"]))
                state = _load(model, io.BytesIO(payload))
                _remember(digest, key, payload)
            else:
                state = _load(model, fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return False  # checked, yet unreadable here: recomputed
    store.touch(store.entry_path(folder, digest))
    _restore(model, state, rebuild)
    return True

