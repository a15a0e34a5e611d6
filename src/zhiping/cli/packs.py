"""``zhiping packs`` and ``zhiping packs show NAME``."""

from __future__ import annotations

import argparse
from typing import Any

from zhiping.cli._common import EXIT_OK, Refused, add_lang, iso_date, wide_console
from zhiping.packs_report import render_pack, render_packs
from zhiping.registry import default_registry

__all__ = ["add_command"]


def add_command(commands: Any) -> None:
    """Add ``packs`` and ``packs show`` to the command line."""
    parser = commands.add_parser(
        "packs",
        help="list the installed rule packs, or show one",
        description="List the installed rule packs with their prefix, parent and origin; "
        "'zhiping packs show NAME' prints a pack's chain, rules and dated parameters.",
    )
    add_lang(parser)
    parser.set_defaults(run=list_packs)
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    show = subcommands.add_parser("show", help="show a pack's chain, rules and parameters")
    show.add_argument("name", metavar="NAME")
    show.add_argument(
        "--on",
        metavar="DATE",
        type=iso_date,
        help="mark the values in force on this date (YYYY-MM-DD)",
    )
    add_lang(show)
    show.set_defaults(run=show_pack)


def list_packs(arguments: argparse.Namespace) -> int:
    """Print every installed pack."""
    render_packs(default_registry(), wide_console(), arguments.lang)
    return EXIT_OK


def show_pack(arguments: argparse.Namespace) -> int:
    """Print one pack's chain, rules and parameters."""
    registry = default_registry()
    if arguments.name not in registry.packs:
        installed = ", ".join(registry.names())
        raise Refused(
            f"没有名为 {arguments.name!r} 的规则包;已安装:{installed}",
            f"no pack named {arguments.name!r}; installed: {installed}",
        )
    render_pack(registry, arguments.name, wide_console(), arguments.lang, on=arguments.on)
    return EXIT_OK
