"""The ``ruralsim`` command line: a thin dispatcher over one module per subcommand.

Each module in :mod:`ruralsim.commands` has ``register(subparsers)``, which adds its parser and sets
``func`` to a handler returning the exit code. Bad input (a :class:`~ruralsim.config.ConfigError`)
is reported in one message with exit code 2 and no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .simulation.inputs.config import ConfigError

# Subcommands, in the order ``ruralsim --help`` lists them.
COMMANDS = ("run", "params", "check", "plot", "report", "compare", "sweep", "validate", "calibrate", "app", "cache")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="ruralsim",
        description="Agent-based model of household income and return-to-poverty risk in China's "
                    "transition from poverty alleviation to rural revitalisation (2021-).")
    parser.add_argument("--version", action="version", version=f"ruralsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"ruralsim.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .simulation.engine.processes import Terminated, on_sigterm_raise

    parser = build_parser()
    args = parser.parse_args(argv)
    on_sigterm_raise()  # SIGTERM unwinds like Ctrl-C: finished outputs kept, workers stopped
    try:
        return int(args.func(args) or 0)
    except ConfigError as err:
        print(f"ruralsim {args.command}: error:\n{err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"\nruralsim {args.command}: {what}; finished outputs were kept "
              "(an unfinished results folder keeps INCOMPLETE.txt).", file=sys.stderr)
        return 143 if isinstance(exc, Terminated) else 130
    except BrokenPipeError:
        # The reader went away (``ruralsim params | head``): stop quietly. Commands print only after
        # writing their files, so nothing is lost. Point stdout at devnull so the exit flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OSError, MemoryError, RecursionError) as exc:
        # The environment, not the input file's syntax: a full or read-only disk, a folder that
        # appeared meanwhile, memory. One line naming what failed, exit 2, no traceback.
        print(f"ruralsim {args.command}: error: {environment_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:
        if type(exc).__name__ != "ArrowInvalid":
            raise
        print(f"ruralsim {args.command}: error: a Parquet file is damaged or truncated "
              f"({type(exc).__name__}); rerun the command that wrote it", file=sys.stderr)
        return 2


def environment_error(exc: BaseException) -> str:
    """One line for an OSError, MemoryError or RecursionError (no file contents, no traceback)."""
    if isinstance(exc, MemoryError):
        return "out of memory (try fewer households, replicates or workers)"
    if isinstance(exc, RecursionError):
        return "input nested too deeply (a TOML or JSON file nested hundreds of levels, or an extends chain)"
    import errno

    where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
    reason = exc.strerror or type(exc).__name__
    hint = {errno.ENOSPC: " (the disk is full: free space and rerun; unfinished folders keep INCOMPLETE.txt)",
            errno.EROFS: " (a read-only file system: choose another --out)",
            errno.EACCES: " (permission denied: choose another --out)",
            errno.EEXIST: " (it appeared while ruralsim was writing: choose another --out)",
            errno.ENOTDIR: " (a file is in the way of a folder: choose another --out)"}.get(exc.errno or 0, "")
    return f"{reason}{where}{hint}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
