"""``zhiping store verify|history|checkpoint|export DB``: reading a records store."""

from __future__ import annotations

import argparse
import json
import sys
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
from zhiping.errors import InputError
from zhiping.glossary import Lang, Text, name_of
from zhiping.store import Checkpoint, Store
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
}


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

    def add_subcommand(name: str, summary: Text) -> argparse.ArgumentParser:
        return add_parser(subcommands, name, lang, help=summary[lang])

    verify = add_subcommand(
        "verify",
        Text(zh="重新计算审计链和每一项结果", en="recompute the audit chain and every outcome"),
    )
    verify.add_argument("db", metavar="DB", type=Path)
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
    verify.set_defaults(run=run_verify)

    history = add_subcommand(
        "history", Text(zh="一个村历年的等次", en="a village's grades by year")
    )
    history.add_argument("db", metavar="DB", type=Path)
    history.add_argument("--village", metavar="CODE", required=True)
    history.add_argument("--subject", metavar="ID")
    add_lang(history, lang)
    history.set_defaults(run=run_history)

    checkpoint = add_subcommand(
        "checkpoint", Text(zh="输出审计链的链头", en="print the head of the audit chain")
    )
    checkpoint.add_argument("db", metavar="DB", type=Path)
    add_lang(checkpoint, lang)
    checkpoint.set_defaults(run=run_checkpoint)

    export = add_subcommand(
        "export",
        Text(
            zh="以规范化的 JSON Lines 输出记下的每个版本",
            en="print every recorded revision as canonical JSON Lines",
        ),
    )
    export.add_argument("db", metavar="DB", type=Path)
    add_lang(export, lang)
    export.set_defaults(run=run_export)


def _checkpoint(text: str) -> Checkpoint:
    try:
        return Checkpoint.parse(text)
    except InputError as error:
        raise argparse.ArgumentTypeError(error.problems[0].message) from None


def _existing(path: Path) -> Store:
    # Reading commands never create a store where there was none.
    if not path.is_file():
        raise Refused(Text(zh=f"{path} 处没有记录库", en=f"no store at {path}"))
    return Store(path)


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
        table.add_row(entry.subject, entry.period.en, name_of(entry.grade)[lang])
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
