"""The command line: ``zhiping evaluate | demo | synth | packs | schema | store``.

One module per command; this one assembles them and turns errors into exit codes.

Exit status (DESIGN §8): 0 when evaluated (a void session is a result, not a failure);
2 for bad input, with every problem and its JSON path on stderr and no traceback; 1 for
a fault of zhiping itself or of an installed pack.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from rich.console import Console

from zhiping import __version__
from zhiping.cli import demo, evaluate, packs, schema, store, synth
from zhiping.cli._common import EXIT_FAULT, EXIT_INPUT, EXIT_OK, Refused
from zhiping.errors import InputError, NoApplicableRule, PackError, StoreError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = _parser().parse_args(argv)
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return int(arguments.run(arguments))
    except InputError as error:
        _print_problems(error, stderr)
        return EXIT_INPUT
    except NoApplicableRule as error:
        stderr.print(f"zhiping: {error}", markup=False)
        stderr.print("choose a pack with --pack NAME; 'zhiping packs' lists them", markup=False)
        return EXIT_INPUT
    except Refused as error:
        stderr.print(f"zhiping: {error.text[arguments.lang]}", markup=False)
        return EXIT_INPUT
    except StoreError as error:
        stderr.print(f"zhiping: {error}", markup=False)
        return EXIT_INPUT
    except PackError as error:
        stderr.print(f"zhiping: a rule pack cannot be used: {error}", markup=False)
        return EXIT_FAULT
    except KeyboardInterrupt:
        stderr.print("zhiping: interrupted", markup=False)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # the last line of defence: a fault of zhiping itself
        stderr.print(f"zhiping: internal error: {type(error).__name__}: {error}", markup=False)
        if os.environ.get("ZHIPING_DEBUG"):
            stderr.print(traceback.format_exc(), markup=False)
        else:
            stderr.print("(set ZHIPING_DEBUG=1 to see the traceback; please report it)")
        return EXIT_FAULT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhiping",
        description="Evaluate village cadres directly by the people (直评村官) under "
        "the rules of each town.",
    )
    parser.add_argument("--version", action="version", version=f"zhiping {__version__}")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for command in (evaluate, demo, synth, packs, schema, store):
        command.add_command(commands)
    return parser


def _print_problems(error: InputError, console: Console) -> None:
    where = f"{error.source}: " if error.source else ""
    count = len(error.problems)
    console.print(
        f"zhiping: {where}{count} problem{'s' if count != 1 else ''}; nothing was evaluated",
        markup=False,
    )
    for problem in error.problems:
        console.print(f"  {problem}", markup=False)
