"""``zhiping synth``: synthetic session documents as JSON Lines, the demo's generator."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from zhiping.cli._common import EXIT_OK, Refused, add_lang

__all__ = ["add_command"]


def add_command(commands: Any) -> None:
    """Add ``synth`` to the command line."""
    parser = commands.add_parser(
        "synth",
        help="write synthetic session documents as JSON Lines",
        description="Draw a district shaped like Xinzhou (townships of 42 villages, "
        "realistic rosters, attendance and ballots, some sessions failing quorum or notice) "
        "and write each village's session of each year as one JSON line, year by year.",
    )
    parser.add_argument(
        "--villages", type=int, default=588, metavar="N", help="how many villages (588 by default)"
    )
    parser.add_argument(
        "--years",
        type=int,
        default=1,
        metavar="K",
        help="how many consecutive work years (1 by default)",
    )
    parser.add_argument(
        "--first-year",
        type=int,
        default=2025,
        metavar="YEAR",
        help="the first work year (2025 by default)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="S",
        help="the same seed gives the same documents (2026 by default)",
    )
    add_lang(parser)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Write the documents, one per line, to standard output."""
    from zhiping.demo import build_district, session_documents
    from zhiping.demo.district import MAX_VILLAGES

    if not 1 <= arguments.villages <= MAX_VILLAGES:
        raise Refused(
            f"--villages 须在 1 到 {MAX_VILLAGES} 之间",
            f"--villages must be from 1 to {MAX_VILLAGES}",
        )
    if not 1 <= arguments.years <= 50:
        raise Refused("--years 须在 1 到 50 之间", "--years must be from 1 to 50")
    district = build_district(
        arguments.seed, first_year=arguments.first_year, villages=arguments.villages
    )
    out = sys.stdout
    for year in range(arguments.first_year, arguments.first_year + arguments.years):
        for document in session_documents(district, year):
            out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    return EXIT_OK
