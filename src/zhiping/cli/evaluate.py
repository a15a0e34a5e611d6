"""``zhiping evaluate FILE``: one session document, or a JSON Lines file of many."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console

from zhiping import evaluate
from zhiping.cli._common import EXIT_OK, Refused, add_lang, read_text, wide_console
from zhiping.cli.stream import numbered_lines, stream_outcomes
from zhiping.errors import InputError, Problem
from zhiping.outcome import Outcome
from zhiping.registry import PackRegistry, default_registry
from zhiping.report import Lang, render_explanation, render_outcome
from zhiping.session import HistoryEntry, Session, parse_history, parse_session
from zhiping.store import Store

__all__ = ["add_command"]


def add_command(commands: Any) -> None:
    """Add ``evaluate`` to the command line."""
    parser = commands.add_parser(
        "evaluate",
        help="evaluate session documents and print their outcomes",
        description="Evaluate one session document, or a JSON Lines file of many. Every "
        "document is checked before any is evaluated.",
    )
    parser.add_argument(
        "file", metavar="FILE", help="a session document, or JSON Lines of many; - for stdin"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "jsonl"),
        default="text",
        help="text for people (default); json or jsonl (one line each) for zhiping.outcome/1",
    )
    parser.add_argument(
        "--history", metavar="FILE", help="prior grades: a JSON array of {subject, year, grade}"
    )
    parser.add_argument(
        "--store",
        metavar="DB",
        type=Path,
        help="read history and open commitments from this store, and record the outcomes in it",
    )
    parser.add_argument(
        "--pack", metavar="NAME", help="apply this pack's chain whatever the village code"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print how every decision was made (text format)"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="evaluate JSON Lines in N processes (default 1)",
    )
    add_lang(parser)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Evaluate the file's documents and print their outcomes."""
    if arguments.explain and arguments.format != "text":
        raise Refused(
            "--explain 只用于 --format text;其他格式的结果自带决定过程",
            "--explain is for --format text; the JSON outcome carries the trace",
        )
    if arguments.history and arguments.store:
        raise Refused(
            "--history 与 --store 不能同用:历年等次由记录库提供",
            "--history and --store: the store supplies the history",
        )
    if arguments.jobs < 1:
        raise Refused("--jobs 至少为 1", "--jobs must be at least 1")
    if arguments.jobs > 1 and arguments.store:
        raise Refused(
            "--jobs 与 --store 不能同用:记录须逐场进行,每场读取此前各场写下的历年等次",
            "--jobs and --store: recording is serial, each session reading the "
            "history the ones before it wrote",
        )
    registry = default_registry()
    if arguments.pack and arguments.pack not in registry.packs:
        installed = ", ".join(registry.names())
        raise Refused(
            f"没有名为 {arguments.pack!r} 的规则包;已安装:{installed}",
            f"no pack named {arguments.pack!r}; installed: {installed}",
        )
    with _opened(arguments.file) as stream:
        head, is_json_lines = _peek(stream)
        if is_json_lines:
            if arguments.history or arguments.explain:
                raise Refused(
                    "--history 与 --explain 只用于单个文档;JSON Lines 中每个文档自带历年等次",
                    "--history and --explain are for one document; a JSON Lines "
                    "document carries its own history",
                )
            lines = numbered_lines(itertools.chain(head, stream))
            source = "<stdin>" if arguments.file == "-" else arguments.file
            return stream_outcomes(
                lines,
                output_format=arguments.format,
                jobs=arguments.jobs,
                pack=arguments.pack,
                store=arguments.store,
                source=source,
            )
        text = "".join(head) + _rest(stream, arguments.file)
    sessions = read_sessions(arguments.file, text)
    history = read_history(arguments.history) if arguments.history else ()
    if arguments.store:
        outcomes = _recorded(sessions, arguments.store, arguments.pack, registry)
    else:
        outcomes = [
            evaluate(session, pack=arguments.pack, history=history, registry=registry)
            for session in sessions
        ]
    if arguments.format in ("json", "jsonl"):
        indent = 2 if arguments.format == "json" else None
        for outcome in outcomes:
            sys.stdout.write(
                json.dumps(outcome.to_document(), ensure_ascii=False, indent=indent) + "\n"
            )
        return EXIT_OK
    console = wide_console()
    for session, outcome in zip(sessions, outcomes, strict=True):
        _print_text(outcome, session, console, arguments.lang, explain=arguments.explain)
    return EXIT_OK


def _recorded(
    sessions: list[Session], path: Path, pack: str | None, registry: PackRegistry
) -> list[Outcome]:
    with Store(path) as store:
        return [store.evaluate(session, pack=pack, registry=registry) for session in sessions]


def _print_text(
    outcome: Outcome, session: Session, console: Console, lang: Lang, *, explain: bool
) -> None:
    render_outcome(outcome, session, console, lang)
    if explain:
        console.print()
        render_explanation(outcome, console, lang)
    console.print()


@contextmanager
def _opened(name: str) -> Iterator[TextIO]:
    if name == "-":
        yield sys.stdin
        return
    try:
        stream = open(name, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        reason = error.strerror or str(error)
        raise Refused(f"无法读取 {name}:{reason}", f"cannot read {name}: {reason}") from None
    with stream:
        yield stream


def _peek(stream: TextIO) -> tuple[list[str], bool]:
    """Read up to the second non-blank line: JSON Lines if the first is a whole document."""
    try:
        head = [stream.readline()]
        try:
            first = json.loads(head[0])
        except ValueError:
            return head, False
        while line := stream.readline():
            head.append(line)
            if line.strip():
                return head, isinstance(first, dict)
    except UnicodeDecodeError as error:
        raise Refused(
            f"不是 UTF-8 文本({error.reason})", f"not UTF-8 text ({error.reason})"
        ) from None
    return head, False


def _rest(stream: TextIO, name: str) -> str:
    try:
        return stream.read()
    except UnicodeDecodeError as error:
        raise Refused(
            f"{name}:不是 UTF-8 文本({error.reason})", f"{name}: not UTF-8 text ({error.reason})"
        ) from None


def read_sessions(name: str, text: str | None = None) -> list[Session]:
    """Read one document (or, given whole, a JSON Lines text of many); check them all.

    Raises:
        InputError: every problem of every document, with its line for JSON Lines.
    """
    text = read_text(name) if text is None else text
    source = "<stdin>" if name == "-" else name
    try:
        return [parse_session(json.loads(text))]
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            problem = Problem(
                "", f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            )
            raise InputError([problem], source=source) from None
    except InputError as error:
        raise error.with_source(source) from None
    return _read_json_lines(text, source)


def _read_json_lines(text: str, source: str) -> list[Session]:
    sessions: list[Session] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            sessions.append(parse_session(line))
        except InputError as error:
            problems.extend(
                Problem(f"line {number}: {p.path}" if p.path else f"line {number}", p.message)
                for p in error.problems
            )
    if problems:
        raise InputError(problems, source=source)
    return sessions


def read_history(name: str) -> tuple[HistoryEntry, ...]:
    """Read a history file: a JSON array of ``{subject, year, grade}``."""
    try:
        return parse_history(read_text(name))
    except InputError as error:
        raise error.with_source(name) from None
