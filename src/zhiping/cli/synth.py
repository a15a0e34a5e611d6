"""``zhiping synth``: synthetic session documents as JSON Lines, the demo's generator."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from zhiping.cli._common import EXIT_OK, Refused, add_lang, add_parser
from zhiping.glossary import Lang, Text

__all__ = ["add_command"]


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``synth`` to the command line, its help in ``lang``."""
    parser = add_parser(
        commands,
        "synth",
        lang,
        help=Text(
            zh="以 JSON Lines 输出合成的直评会文档",
            en="write synthetic session documents as JSON Lines",
        )[lang],
        description=Text(
            zh=(
                "随机生成一个仿照新洲区的区(每个街镇 42 个村,名册、签到和测评票贴近实际,"
                "部分直评会达不到法定人数或通知不合要求),逐年把每个村每个年度的直评会"
                "写成一行 JSON。"
            ),
            en=(
                "Draw a district shaped like Xinzhou (townships of 42 villages, realistic rosters, "
                "attendance and ballots, some sessions failing quorum or notice) and write each "
                "village's session of each year as one JSON line, year by year."
            ),
        )[lang],
    )
    parser.add_argument(
        "--villages",
        type=int,
        default=588,
        metavar="N",
        help=Text(zh="村的个数(默认 588)", en="how many villages (588 by default)")[lang],
    )
    parser.add_argument(
        "--years",
        type=int,
        default=1,
        metavar="K",
        help=Text(zh="连续几个年度(默认 1)", en="how many consecutive work years (1 by default)")[
            lang
        ],
    )
    parser.add_argument(
        "--first-year",
        type=int,
        default=2025,
        metavar="YEAR",
        help=Text(zh="第一个年度(默认 2025)", en="the first work year (2025 by default)")[lang],
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="S",
        help=Text(
            zh="随机种子:种子相同,生成的文档也相同(默认 2026)",
            en="the same seed gives the same documents (2026 by default)",
        )[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Write the documents, one per line, to standard output."""
    from zhiping.demo import build_district, session_documents
    from zhiping.demo.district import MAX_VILLAGES

    if not 1 <= arguments.villages <= MAX_VILLAGES:
        raise Refused(
            Text(
                zh=f"--villages 须在 1 到 {MAX_VILLAGES} 之间",
                en=f"--villages must be from 1 to {MAX_VILLAGES}",
            ),
        )
    if not 1 <= arguments.years <= 50:
        raise Refused(Text(zh="--years 须在 1 到 50 之间", en="--years must be from 1 to 50"))
    district = build_district(
        arguments.seed, first_year=arguments.first_year, villages=arguments.villages
    )
    out = sys.stdout
    for year in range(arguments.first_year, arguments.first_year + arguments.years):
        for document in session_documents(district, year):
            out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    return EXIT_OK
