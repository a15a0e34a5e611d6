"""``zhiping store verify|history|checkpoint|export|get|list|sheet DB``: reading a records store.

Every one of them opens the store read-only: reading never writes, not even a schema
into an empty file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.table import Table

from zhiping.cli._common import (
    COMMANDS,
    EXIT_INPUT,
    EXIT_OK,
    Refused,
    add_lang,
    add_parser,
    wide_console,
)
from zhiping.documents.session import parse_session
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import InputError
from zhiping.glossary import Lang, Text
from zhiping.outputs.results_sheet import sheet_head, sheet_page, sheet_tail
from zhiping.packs.registry import default_registry
from zhiping.store import Checkpoint, SessionNotFound, Store
from zhiping.store._chain import canonical_json

__all__ = ["add_command"]

_LABELS = {
    "checkpoint": Text(zh="检查点", en="checkpoint"),
    "recomputed": Text(zh="条记录的结果已重新计算", en="recorded revisions recomputed"),
    "packs_changed": Text(zh="规则包已变更", en="packs changed"),
    "tampered": Text(zh="篡改", en="tampered"),
    "signs": Text(zh="处篡改迹象", en="signs of tampering"),
    "ok": Text(zh="完好", en="ok"),
    "subject": Text(zh="测评对象", en="subject"),
    "year": Text(zh="年度", en="year"),
    "grade": Text(zh="等次", en="grade"),
    "grades": Text(zh="历年等次", en="grades"),
    "to": Text(zh="承诺人", en="to"),
    "commitment": Text(zh="承诺事项", en="commitment"),
    "due": Text(zh="期限", en="due"),
    "open_commitments": Text(zh="未兑现的承诺", en="open commitments"),
    "reworded": Text(zh="措辞不同", en="reworded"),
    "stale": Text(zh="已过时", en="stale"),
    "session": Text(zh="直评会", en="session"),
    "revision": Text(zh="版本", en="revision"),
    "village": Text(zh="村", en="village"),
    "held_on": Text(zh="召开日期", en="held on"),
    "status": Text(zh="状态", en="status"),
    "sessions": Text(zh="直评会", en="sessions"),
    "next": Text(zh="下一页:--after", en="next page: --after"),
}

_AddSubcommand = Callable[[str, Text, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]
"""Adds a subcommand reading ``DB``: its name, its summary and what runs it."""


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``store`` and its subcommands to the command line, their help in ``lang``."""
    parser = add_parser(
        commands,
        "store",
        lang,
        help=Text(zh="校验、查询和导出记录库", en="verify, query and export a records store")[lang],
        description=Text(
            zh=(
                "读取由 'zhiping evaluate --store' 或 'zhiping demo' 写下的记录库。"
                "verify 发现篡改时以状态 2 退出。"
            ),
            en=(
                "Read a records store written by 'zhiping evaluate --store' or 'zhiping demo'. "
                "verify exits 2 when it finds tampering."
            ),
        )[lang],
    )
    subcommands = parser.add_subparsers(title=COMMANDS[lang], metavar="COMMAND", required=True)

    def add_subcommand(
        name: str, summary: Text, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        """Add a subcommand that reads the store ``DB`` (its first argument) with ``run``."""
        subcommand = add_parser(subcommands, name, lang, help=summary[lang])
        subcommand.add_argument("db", metavar="DB", type=Path)
        subcommand.set_defaults(run=run)
        return subcommand

    verify = add_subcommand(
        "verify",
        Text(zh="重新计算审计链和每一项结果", en="recompute the audit chain and every outcome"),
        run_verify,
    )
    verify.add_argument(
        "--checkpoint",
        metavar="SIZE:HASH",
        type=_checkpoint,
        help=Text(
            zh="此前记下的检查点,审计链须仍是它的延续",
            en="an earlier checkpoint the chain must still extend",
        )[lang],
    )
    add_lang(verify, lang)

    history = add_subcommand(
        "history",
        Text(zh="一个村历年的等次", en="a village's grades by year"),
        run_history,
    )
    history.add_argument("--village", metavar="CODE", required=True)
    history.add_argument("--subject", metavar="ID")
    add_lang(history, lang)

    checkpoint = add_subcommand(
        "checkpoint",
        Text(zh="输出审计链的链头", en="print the head of the audit chain"),
        run_checkpoint,
    )
    add_lang(checkpoint, lang)

    export = add_subcommand(
        "export",
        Text(
            zh="以规范化的 JSON Lines 输出记下的每个版本",
            en="print every recorded revision as canonical JSON Lines",
        ),
        run_export,
    )
    add_lang(export, lang)
    _add_finding_commands(add_subcommand, lang)


def _add_finding_commands(add_subcommand: _AddSubcommand, lang: Lang) -> None:
    """Add ``get``, ``list`` and ``sheet``: finding sessions in a store."""
    get = add_subcommand(
        "get",
        Text(zh="一次直评会的最新版本:文件与结果", en="a session's latest revision and outcome"),
        run_get,
    )
    get.add_argument("session", metavar="SESSION")
    _add_format(get, lang)
    add_lang(get, lang)

    listing = add_subcommand(
        "list",
        Text(
            zh="按村、年度、区划前缀或状态列出直评会",
            en="list sessions by village, year, prefix or status",
        ),
        run_list,
    )
    listing.add_argument("--village", metavar="CODE")
    listing.add_argument("--year", type=int)
    listing.add_argument("--prefix", metavar="DIGITS")
    listing.add_argument("--status", choices=("valid", "void"))
    listing.add_argument(
        "--after",
        metavar="SESSION",
        help=Text(zh="只列出编号在此之后的直评会(翻页)", en="only sessions after this id (paging)")[
            lang
        ],
    )
    listing.add_argument("--limit", type=_positive, default=100)
    _add_format(listing, lang)
    add_lang(listing, lang)

    stale = add_subcommand(
        "stale",
        Text(
            zh="因较早年度补录而决定已变的直评会(须更正)",
            en="sessions whose decisions an earlier period recorded late has changed",
        ),
        run_stale,
    )
    stale.add_argument("--village", metavar="CODE")
    _add_format(stale, lang)
    add_lang(stale, lang)

    sheet = add_subcommand(
        "sheet",
        Text(zh="一次直评会的结果公示页(HTML)", en="a session's results sheet (HTML)"),
        run_sheet,
    )
    sheet.add_argument("session", metavar="SESSION")
    add_lang(sheet, lang)


def _add_format(parser: argparse.ArgumentParser, lang: Lang) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=Text(zh="输出格式(默认 text)", en="output format (default text)")[lang],
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive integer: {text!r}")
    return value


def _checkpoint(text: str) -> Checkpoint:
    try:
        return Checkpoint.parse(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.problems[0].message) from None


def _existing(path: Path) -> Store:
    # Reading commands never create a store where there was none.
    if not path.is_file():
        raise Refused(Text(zh=f"{path} 处没有记录库", en=f"no store at {path}"))
    return Store(path, read_only=True)


def run_verify(arguments: argparse.Namespace) -> int:
    """Verify the store; exit 2 if it was tampered with."""
    with _existing(arguments.db) as store:
        verification = store.verify(checkpoint=arguments.checkpoint)
    lang = arguments.lang
    out = sys.stdout
    out.write(f"{_LABELS['checkpoint'][lang]} {verification.checkpoint}\n")
    out.write(f"{verification.sessions} {_LABELS['recomputed'][lang]}\n")
    for finding in verification.changed_packs:
        out.write(f"{_LABELS['packs_changed'][lang]}: {finding.describe(lang)}\n")
    for finding in verification.reworded:
        out.write(f"{_LABELS['reworded'][lang]}: {finding.describe(lang)}\n")
    for stale in verification.stale:
        out.write(f"{_LABELS['stale'][lang]}: {stale.describe(lang)}\n")
    for finding in verification.tampered:
        sys.stderr.write(f"{_LABELS['tampered'][lang]}: {finding.describe(lang)}\n")
    if not verification.ok:
        count = len(verification.tampered)
        sys.stderr.write(f"zhiping: {arguments.db}: {count} {_LABELS['signs'][lang]}\n")
        return EXIT_INPUT
    out.write(f"{_LABELS['ok'][lang]}\n")
    return EXIT_OK


def run_history(arguments: argparse.Namespace) -> int:
    """Print a village's grades by year, and its open commitments."""
    with _existing(arguments.db) as store:
        grades = store.history(arguments.village, subject=arguments.subject)
        open_commitments = store.open_commitments(arguments.village)
        words = _village_words(store, arguments.village)
    lang = arguments.lang

    def label(key: str) -> str:
        return _LABELS[key][lang]

    console = wide_console()
    table = Table(
        label("subject"),
        label("year"),
        label("grade"),
        title=f"{arguments.village}: {label('grades')}",
    )
    for entry in grades:
        table.add_row(entry.subject, entry.period.en, words.name_of(entry.grade)[lang])
    console.print(table)
    commitments = Table(
        label("year"),
        label("to"),
        label("commitment"),
        label("due"),
        title=label("open_commitments"),
    )
    for commitment in open_commitments:
        if arguments.subject is None or commitment.to == arguments.subject:
            commitments.add_row(
                str(commitment.year), commitment.to, commitment.text, commitment.due.isoformat()
            )
    console.print(commitments)
    return EXIT_OK


def run_checkpoint(arguments: argparse.Namespace) -> int:
    """Print the head of the audit chain as SIZE:HASH."""
    with _existing(arguments.db) as store:
        sys.stdout.write(f"{store.checkpoint()}\n")
    return EXIT_OK


def run_export(arguments: argparse.Namespace) -> int:
    """Print every revision, its document and its outcome, one canonical JSON line each."""
    with _existing(arguments.db) as store:
        for record in store.sessions():
            line = {
                **record,
                "packs": json.loads(record["packs"]),
                "document": json.loads(record["document"]),
                "outcome": json.loads(record["outcome"]),
            }
            sys.stdout.write(canonical_json(line) + "\n")
    return EXIT_OK


def run_get(arguments: argparse.Namespace) -> int:
    """Print a session's latest revision: its summary, or all of it as JSON."""
    with _existing(arguments.db) as store:
        try:
            found = store.get(arguments.session)
        except SessionNotFound as error:
            raise Refused(Text(zh=error.zh, en=str(error))) from None
    if arguments.format == "json":
        sys.stdout.write(canonical_json(found.to_json()) + "\n")
        return EXIT_OK
    lang = arguments.lang
    summary = found.summary
    out = sys.stdout
    out.write(f"{_LABELS['session'][lang]} {summary.session}\n")
    out.write(f"{_LABELS['revision'][lang]} {summary.revision}\n")
    out.write(f"{_LABELS['village'][lang]} {summary.village_code}\n")
    out.write(f"{_LABELS['year'][lang]} {_period(summary.year, summary.quarter)}\n")
    out.write(f"{_LABELS['held_on'][lang]} {summary.held_on.isoformat()}\n")
    out.write(f"{_LABELS['status'][lang]} {summary.status}\n")
    words = default_registry().vocabulary(found.outcome.get("packs", ()))
    for subject in found.outcome.get("subjects", []):
        grade = subject.get("grade")
        shown = words.name_of(grade)[lang] if grade else "-"
        out.write(f"  {subject.get('id')}: {shown}\n")
    return EXIT_OK


def _village_words(store: Store, village: str) -> Vocabulary:
    """Return the words (grades) of the chain a recorded session of the village was evaluated
    under; the glossary's when none is recorded."""
    page = store.list(village=village)
    if not page:
        return Vocabulary()
    latest = store.get(page[-1].session)
    return default_registry().vocabulary(tuple(pack["name"] for pack in latest.packs))


def run_list(arguments: argparse.Namespace) -> int:
    """Print a page of sessions, one line (or one JSON line) each."""
    with _existing(arguments.db) as store:
        try:
            page = store.list(
                village=arguments.village,
                year=arguments.year,
                prefix=arguments.prefix,
                status=arguments.status,
                after=arguments.after,
                limit=arguments.limit,
            )
        except InputError as error:
            raise Refused(Text(zh=error.message("zh"), en=error.message("en"))) from None
    if arguments.format == "json":
        for summary in page:
            sys.stdout.write(canonical_json(summary.to_json()) + "\n")
        return EXIT_OK
    lang = arguments.lang
    console = wide_console()
    table = Table(
        _LABELS["session"][lang],
        _LABELS["revision"][lang],
        _LABELS["year"][lang],
        _LABELS["held_on"][lang],
        _LABELS["status"][lang],
        title=_LABELS["sessions"][lang],
    )
    for summary in page:
        table.add_row(
            summary.session,
            str(summary.revision),
            _period(summary.year, summary.quarter),
            summary.held_on.isoformat(),
            summary.status,
        )
    console.print(table)
    if len(page) == arguments.limit:
        console.print(f"{_LABELS['next'][lang]} {page[-1].session}", markup=False)
    return EXIT_OK


def run_stale(arguments: argparse.Namespace) -> int:
    """Print the stale sessions, one line (or one JSON line) each."""
    with _existing(arguments.db) as store:
        found = store.stale(village=arguments.village)
    for stale in found:
        if arguments.format == "json":
            sys.stdout.write(canonical_json(stale.to_json()) + "\n")
        else:
            sys.stdout.write(
                f"{_LABELS['stale'][arguments.lang]}: {stale.describe(arguments.lang)}\n"
            )
    return EXIT_OK


def run_sheet(arguments: argparse.Namespace) -> int:
    """Print the results sheet of a recorded session, with the checkpoint of its event."""
    with _existing(arguments.db) as store:
        try:
            found = store.get(arguments.session)
        except SessionNotFound as error:
            raise Refused(Text(zh=error.zh, en=str(error))) from None
        checkpoint = store.checkpoint_at(found.event)
    lang = arguments.lang
    session = parse_session(found.document)
    sys.stdout.write(sheet_head(lang))
    sys.stdout.write(sheet_page(session, found.outcome, lang, checkpoint=str(checkpoint)))
    sys.stdout.write(sheet_tail())
    return EXIT_OK


def _period(year: int, quarter: int | None) -> str:
    return str(year) if quarter is None else f"{year} Q{quarter}"
