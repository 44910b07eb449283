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

from .config import ConfigError

# Subcommands, in the order ``ruralsim --help`` lists them.
COMMANDS = ("run", "params", "check", "plot", "report", "compare", "sweep", "validate", "calibrate")


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
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ConfigError as err:
        print(f"ruralsim {args.command}: error:\n{err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nruralsim {args.command}: interrupted; finished outputs were kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``ruralsim params | head``): stop quietly. Commands print only after
        # writing their files, so nothing is lost. Point stdout at devnull so the exit flush cannot fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
