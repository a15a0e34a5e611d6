"""``zhiping demo``: a synthetic district shaped like Xinzhou, over two years, in a store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, cast

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhiping.cli._common import EXIT_OK, StdoutConsole, add_lang, add_parser
from zhiping.glossary import Text
from zhiping.outputs.report import Lang

__all__ = ["DEFAULT_STORE", "add_command"]

DEFAULT_STORE = Path("zhiping-demo.db")
"""Where the demo keeps its store unless told: in the current directory."""


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``demo`` to the command line, its help in ``lang``."""
    parser = add_parser(
        commands,
        "demo",
        lang,
        help=Text(
            zh="连续两个年度评议一个仿照新洲区生成的合成区",
            en="evaluate a synthetic district shaped like Xinzhou over two years",
        )[lang],
        description=Text(
            zh=(
                "生成 14 个街镇共 588 个村,评议两个年度并记入记录库,再输出区里的干部想了解的情况。"
                "对同一记录库再次运行,不会记下任何新内容。"
            ),
            en=(
                "Build 588 villages in 14 townships, evaluate two years into the records store, "
                "and print what a district officer wants to know. Running it again on the same "
                "store records nothing new."
            ),
        )[lang],
    )
    parser.add_argument(
        "--store",
        metavar="PATH",
        type=Path,
        default=DEFAULT_STORE,
        help=Text(
            zh=f"保存结果的记录库(默认:{DEFAULT_STORE})",
            en=f"the store to keep the results in (default: {DEFAULT_STORE})",
        )[lang],
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=2026,
        help=Text(zh="生成该区所用的随机种子(2026)", en="the district's seed (2026)")[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Run the demo with a progress bar, then print its summary."""
    from zhiping.demo import render_summary, run_demo

    console = StdoutConsole(highlight=False)
    lang = cast(Lang, arguments.lang)
    console.print(("结果保存于 " if lang == "zh" else "results kept in ") + str(arguments.store))
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("评议" if lang == "zh" else "evaluating", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        summary = run_demo(database=arguments.store, seed=arguments.seed, progress=advance)
    render_summary(summary, console, lang)
    return EXIT_OK
