"""``zhiping packs`` and ``zhiping packs show NAME``."""

from __future__ import annotations

import argparse
from typing import Any

from zhiping.cli._common import (
    COMMANDS,
    EXIT_OK,
    add_lang,
    add_parser,
    iso_date,
    require_pack,
    wide_console,
)
from zhiping.glossary import Lang, Text
from zhiping.outputs.packs_report import render_pack, render_packs
from zhiping.packs.registry import default_registry

__all__ = ["add_command"]


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``packs`` and ``packs show`` to the command line, their help in ``lang``."""
    parser = add_parser(
        commands,
        "packs",
        lang,
        help=Text(
            zh="列出已安装的规则包,或显示其中一个", en="list the installed rule packs, or show one"
        )[lang],
        description=Text(
            zh=(
                "列出已安装的规则包及其区划代码前缀、上级和来源;"
                "'zhiping packs show NAME' 显示一个规则包的规则链、规则和按日期施行的参数。"
            ),
            en=(
                "List the installed rule packs with their prefix, parent and origin; "
                "'zhiping packs show NAME' prints a pack's chain, rules and dated parameters."
            ),
        )[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=list_packs)
    subcommands = parser.add_subparsers(title=COMMANDS[lang], metavar="COMMAND")
    show = add_parser(
        subcommands,
        "show",
        lang,
        help=Text(
            zh="显示一个规则包的规则链、规则和参数", en="show a pack's chain, rules and parameters"
        )[lang],
    )
    show.add_argument("name", metavar="NAME")
    show.add_argument(
        "--on",
        metavar="DATE",
        type=iso_date,
        help=Text(
            zh="标出在此日期(YYYY-MM-DD)施行的取值",
            en="mark the values in force on this date (YYYY-MM-DD)",
        )[lang],
    )
    add_lang(show, lang)
    show.set_defaults(run=show_pack)


def list_packs(arguments: argparse.Namespace) -> int:
    """Print every installed pack."""
    render_packs(default_registry(), wide_console(), arguments.lang)
    return EXIT_OK


def show_pack(arguments: argparse.Namespace) -> int:
    """Print one pack's chain, rules and parameters."""
    registry = default_registry()
    require_pack(registry, arguments.name)
    render_pack(registry, arguments.name, wide_console(), arguments.lang, on=arguments.on)
    return EXIT_OK
