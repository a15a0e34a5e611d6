"""``zhiping packs``, ``zhiping packs show NAME`` and ``zhiping packs check [NAME|PATH]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from zhiping.cli._common import (
    COMMANDS,
    EXIT_INPUT,
    EXIT_OK,
    add_lang,
    add_parser,
    iso_date,
    require_pack,
    wide_console,
)
from zhiping.errors import PackError
from zhiping.glossary import Lang, Text
from zhiping.outputs.packs_report import render_pack, render_packs
from zhiping.packs.loading import load_pack
from zhiping.packs.registry import PackRegistry, default_registry, discover

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
                "'zhiping packs show NAME' 显示一个规则包的规则链、规则和按日期施行的参数;"
                "'zhiping packs check [NAME|PATH]' 检查规则包的每个取值。"
            ),
            en=(
                "List the installed rule packs with their prefix, parent and origin; "
                "'zhiping packs show NAME' prints a pack's chain, rules and dated parameters; "
                "'zhiping packs check [NAME|PATH]' checks every value of packs."
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
    check = add_parser(
        subcommands,
        "check",
        lang,
        help=Text(
            zh="检查规则包的每个取值是否合乎其含义",
            en="check every value of rule packs for its meaning",
        )[lang],
        description=Text(
            zh=(
                "检查规则包链中每个规则包的每个按日期施行的取值:等次属于等次表,"
                "测评票选项属于规则包链,按等次的表涵盖每个等次,分数线随等次降低。"
                "不给参数时检查所有已安装的规则包;给出名称时检查该规则包的规则包链;"
                "给出 pack.toml 的路径时检查该文件(其上级规则包在已安装的规则包中查找)。"
                "全部无误时退出状态为 0,否则列出每个问题(文件、键、取值),退出状态为 2。"
            ),
            en=(
                "Check every dated value of every pack of a chain: a grade is in the "
                "scale, a ballot word is the chain's, a table by grade covers every grade, "
                "bands rank with grades. With no argument, every installed pack; with a "
                "name, that pack's chain; with the path of a pack.toml, that file (its "
                "parent found among the installed packs). Exit 0 when all is sound, "
                "else 2, listing every problem with its file, key and value."
            ),
        )[lang],
    )
    check.add_argument(
        "target",
        metavar="NAME|PATH",
        nargs="?",
        help=Text(
            zh="规则包名称,或 pack.toml 文件的路径", en="a pack's name, or the path of a pack.toml"
        )[lang],
    )
    add_lang(check, lang)
    check.set_defaults(run=check_packs)


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


def check_packs(arguments: argparse.Namespace) -> int:
    """Check packs: print an ok line for each sound one, every problem of the others."""
    lang: Lang = arguments.lang
    stdout = Console(highlight=False, soft_wrap=True)
    stderr = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    target: str | None = arguments.target
    try:
        registry, names = _to_check(target)
    except PackError as error:
        stderr.print(error.message(lang), markup=False)
        return EXIT_INPUT
    failed = 0
    for name in names:
        try:
            chain = registry.check_pack(name)
        except PackError as error:
            failed += 1
            stderr.print(f"{_REFUSED[lang]} {name}: {error.message(lang)}", markup=False)
            continue
        source = registry.packs[name].source
        stdout.print(f"ok {name} ({' ► '.join(chain.names)}) {source}".rstrip(), markup=False)
    return EXIT_INPUT if failed else EXIT_OK


_REFUSED = Text(zh="未通过", en="refused")


def _to_check(target: str | None) -> tuple[PackRegistry, tuple[str, ...]]:
    """Return the packs to check: every installed one, one by name, or one file's."""
    installed = discover(checked=False)
    if target is None:
        return installed, installed.names()
    if target in installed.packs:
        return installed, (target,)
    path = Path(target)
    if not path.is_file():
        names = ", ".join(installed.names())
        raise PackError(
            f"{target}: neither an installed pack ({names}) nor a pack file",
            zh=f"{target}:既不是已安装的规则包({names}),也不是规则包文件",
        )
    pack = load_pack(path)
    others = [p for p in installed.packs.values() if p.name != pack.name]
    registry = PackRegistry.of(
        [*others, pack], installed.mechanisms.values(), installed.origins, checked=False
    )
    return registry, (pack.name,)
