"""The command line: ``zhiping evaluate | demo | schema``.

Exit status (DESIGN §8): 0 when evaluated (a void session is a result, not a failure);
2 for bad input, with every problem and its JSON path on stderr and no traceback; 1 for
a fault of zhiping itself or of an installed pack.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from zhiping import __version__, evaluate
from zhiping.errors import InputError, NoApplicableRule, PackError, Problem, StoreError
from zhiping.outcome import Outcome, OutcomeDocument
from zhiping.packs_report import render_pack, render_packs
from zhiping.registry import default_registry
from zhiping.report import Lang, render_explanation, render_outcome
from zhiping.session import HistoryEntry, Session, parse_history, parse_session

__all__ = ["main"]

EXIT_OK, EXIT_FAULT, EXIT_INPUT = 0, 1, 2


class _Refused(Exception):
    """A request the CLI turns down as bad input (exit 2), with the message to print."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
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
    except (_Refused, StoreError) as error:
        stderr.print(f"zhiping: {error}", markup=False)
        return EXIT_INPUT
    except PackError as error:
        stderr.print(f"zhiping: a rule pack cannot be used: {error}", markup=False)
        return EXIT_FAULT
    except KeyboardInterrupt:
        stderr.print("zhiping: interrupted", markup=False)
        return 130
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

    evaluate = commands.add_parser(
        "evaluate",
        help="evaluate session documents and print their outcomes",
        description="Evaluate one session document, or a JSON Lines file of many.",
    )
    evaluate.add_argument("file", metavar="FILE", help="a session document; - for stdin")
    evaluate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json for zhiping.outcome/1",
    )
    evaluate.add_argument(
        "--history", metavar="FILE", help="prior grades: a JSON array of {subject, year, grade}"
    )
    evaluate.add_argument(
        "--pack", metavar="NAME", help="apply this pack's chain whatever the village code"
    )
    evaluate.add_argument(
        "--explain", action="store_true", help="print how every decision was made (text format)"
    )
    _add_lang(evaluate)
    evaluate.set_defaults(run=_evaluate)

    demo = commands.add_parser(
        "demo",
        help="evaluate a synthetic district shaped like Xinzhou over two years",
        description="Build 588 villages in 14 townships, evaluate two years into an "
        "embedded SQLite file, and print what a district officer wants to know.",
    )
    demo.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        help="keep the results in this SQLite file (default: a temporary one)",
    )
    demo.add_argument("--seed", type=int, default=2026, help="the district's seed (2026)")
    _add_lang(demo)
    demo.set_defaults(run=_demo)

    packs = commands.add_parser(
        "packs",
        help="list the installed rule packs, or show one",
        description="List the installed rule packs with their prefix, parent and origin; "
        "'zhiping packs show NAME' prints a pack's chain, rules and dated parameters.",
    )
    _add_lang(packs)
    packs.set_defaults(run=_list_packs)
    packs_commands = packs.add_subparsers(title="commands", metavar="COMMAND")
    show = packs_commands.add_parser("show", help="show a pack's chain, rules and parameters")
    show.add_argument("name", metavar="NAME")
    show.add_argument(
        "--on",
        metavar="DATE",
        type=_iso_date,
        help="mark the values in force on this date (YYYY-MM-DD)",
    )
    _add_lang(show)
    show.set_defaults(run=_show_pack)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a document",
        description="Print the JSON Schema generated from the document models.",
    )
    schema.add_argument("document", choices=("session", "outcome"))
    schema.set_defaults(run=_schema)
    return parser


def _add_lang(parser: argparse.ArgumentParser) -> None:
    default = "zh" if os.environ.get("LANG", "").startswith("zh") else "en"
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help=f"language of the text output (default from LANG: {default})",
    )


def _evaluate(arguments: argparse.Namespace) -> int:
    if arguments.explain and arguments.format == "json":
        raise _Refused("--explain is for --format text; the JSON outcome carries the trace")
    sessions = _read_sessions(arguments.file)
    history = _read_history(arguments.history) if arguments.history else ()
    registry = default_registry()
    if arguments.pack and arguments.pack not in registry.packs:
        raise _Refused(
            f"no pack named {arguments.pack!r}; installed: {', '.join(registry.names())}"
        )
    outcomes = [
        evaluate(session, pack=arguments.pack, history=history, registry=registry)
        for session in sessions
    ]
    if arguments.format == "json":
        for outcome in outcomes:
            sys.stdout.write(
                json.dumps(
                    outcome.to_document(),
                    ensure_ascii=False,
                    indent=None if len(outcomes) > 1 else 2,
                )
                + "\n"
            )
        return EXIT_OK
    console = _wide_console()
    for session, outcome in zip(sessions, outcomes, strict=True):
        _print_text(outcome, session, console, arguments.lang, explain=arguments.explain)
    return EXIT_OK


def _wide_console() -> Console:
    # Tables of ballot counts need room; explanations wrap as the terminal does.
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console = Console(highlight=False, soft_wrap=True, width=160)
    return console


def _print_text(
    outcome: Outcome, session: Session, console: Console, lang: Lang, *, explain: bool
) -> None:
    render_outcome(outcome, session, console, lang)
    if explain:
        console.print()
        render_explanation(outcome, console, lang)
    console.print()


def _read_text(name: str) -> str:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise _Refused(f"cannot read {name}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise _Refused(f"{name}: not UTF-8 text ({error.reason})") from None


def _read_sessions(name: str) -> list[Session]:
    """Read one document, or a JSON Lines file of many; check them all before any runs."""
    text = _read_text(name)
    source = "<stdin>" if name == "-" else name
    try:
        return [parse_session(json.loads(text))]
    except json.JSONDecodeError as error:
        if error.msg != "Extra data":
            raise InputError(
                [
                    Problem(
                        "", f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
                    )
                ],
                source=source,
            ) from None
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


def _read_history(name: str) -> tuple[HistoryEntry, ...]:
    try:
        return parse_history(_read_text(name))
    except InputError as error:
        raise error.with_source(name) from None


def _print_problems(error: InputError, console: Console) -> None:
    where = f"{error.source}: " if error.source else ""
    count = len(error.problems)
    console.print(
        f"zhiping: {where}{count} problem{'s' if count != 1 else ''}; nothing was evaluated",
        markup=False,
    )
    for problem in error.problems:
        console.print(f"  {problem}", markup=False)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2027-01-15: {text!r}") from None


def _list_packs(arguments: argparse.Namespace) -> int:
    render_packs(default_registry(), _wide_console(), arguments.lang)
    return EXIT_OK


def _show_pack(arguments: argparse.Namespace) -> int:
    registry = default_registry()
    if arguments.name not in registry.packs:
        installed = ", ".join(registry.names())
        raise _Refused(f"no pack named {arguments.name!r}; installed: {installed}")
    render_pack(registry, arguments.name, _wide_console(), arguments.lang, on=arguments.on)
    return EXIT_OK


def _schema(arguments: argparse.Namespace) -> int:
    model = Session if arguments.document == "session" else OutcomeDocument
    schema: dict[str, Any] = model.model_json_schema(by_alias=True)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:zhiping:{arguments.document}:1",
        **schema,
    }
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _demo(arguments: argparse.Namespace) -> int:
    from zhiping.demo import render_summary, run_demo

    console = Console(highlight=False)
    lang = cast(Lang, arguments.lang)
    with tempfile.TemporaryDirectory(prefix="zhiping-demo-") as scratch:
        database = arguments.db or Path(scratch) / "district.sqlite3"
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as progress:
            task = progress.add_task("评议" if lang == "zh" else "evaluating", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            summary = run_demo(database=database, seed=arguments.seed, progress=advance)
        render_summary(summary, console, lang)
        if arguments.db:
            console.print(("结果已保存于 " if lang == "zh" else "results kept in ") + str(database))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
