"""``ruralsim cache info|clear``: the folder of cached model starts (:mod:`ruralsim.simulation.cohort.start_cache`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..simulation.cohort import start_store as store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", help="list or clear the cached model starts (the 2020-12 state)",
                       description="Every scenario of a comparison, sweep point over levers and app request "
                                   "starts from the same 2020-12 state; ruralsim computes it once per (start "
                                   "parameters, replicate, code version) and keeps it in a cache folder: "
                                   f"{store.ENV} if it names one ('off' disables the cache, 'memory', the "
                                   "default, keeps starts in the process only), e.g. "
                                   f"{store.ENV}={store.suggested_folder()}.")
    p.add_argument("action", choices=("info", "clear"),
                   help="info: list the entries, their sizes and the total; clear: delete them (only files "
                        "ruralsim wrote; refused if the folder holds anything else)")
    p.add_argument("--dir", metavar="DIR", help=f"the cache folder (default: the folder {store.ENV} names)")
    p.set_defaults(func=main)


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def main(args: argparse.Namespace) -> int:
    where = store.setting(args.dir)
    if where.folder is None:
        print(f"The start cache is {'off' if where.mode == 'off' else 'kept in memory only'} "
              f"({store.ENV}={os.environ.get(store.ENV) or 'unset'}): no folder to "
              f"{args.action}; give --dir DIR, or set {store.ENV}=DIR to keep starts on disk "
              f"(e.g. {store.suggested_folder()}).")
        return 0
    folder = where.folder
    if args.action == "clear":
        return _clear(folder)
    return _info(folder)


def _info(folder: Path) -> int:
    rows = store.entries(folder)
    print(f"Start cache: {folder}" + ("" if folder.is_dir() else " (does not exist yet)"))
    if not rows:
        print("No entries.")
        return 0
    print(f"{'entry':<34} {'households':>10} {'scale':<8} {'seed':>10} {'rep':>4} {'created (UTC)':<25} {'size':>12}")
    for r in rows:
        if not r["valid"]:
            print(f"{r['file'][:32]:<34} {'(unfinished or damaged: recomputed when needed)':<59} {_mb(r['bytes']):>12}")
            continue
        print(f"{r['file'][:32]:<34} {r.get('households', ''):>10,} {r.get('scale', ''):<8} {r.get('seed', ''):>10} "
              f"{r.get('replicate', ''):>4} {r.get('created', ''):<25} {_mb(r['bytes']):>12}")
    print(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}, {_mb(sum(r['bytes'] for r in rows))} in all, "
          f"limit {store.max_bytes() / 1e9:,.1f} GB ({store.SIZE_ENV}; the least recently used go first) "
          "(households: households simulated; size in megabytes, 1 MB = 10^6 bytes)")
    return 0


def _clear(folder: Path) -> int:
    if not folder.is_dir():
        print(f"Start cache: {folder} does not exist; nothing to clear.")
        return 0
    count, freed = store.clear(folder)  # a ConfigError (exit 2) when the folder holds foreign files
    print(f"Start cache: {folder}: deleted {count} file(s) ruralsim wrote, {_mb(freed)} freed; the folder stays.")
    return 0
