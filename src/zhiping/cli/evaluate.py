"""``zhiping evaluate FILE``: one session document, or a JSON Lines file of many.

Formats: ``text`` (tables for people), ``json``/``jsonl`` (the outcome documents),
``csv`` (a row per subject, :mod:`zhiping.outputs.results_table`) and ``html`` (the results
sheet for the village board, :mod:`zhiping.outputs.results_sheet`). With ``--store`` the
sessions are recorded first, and the sheet shows the store's checkpoint after them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from zhiping import evaluate
from zhiping.cli._common import (
    EXIT_OK,
    Refused,
    add_lang,
    add_outcome_version,
    add_parser,
    require_pack,
    wide_console,
)
from zhiping.cli._reading import (
    bounded_lines,
    opened,
    peek,
    read_history,
    read_rest,
    read_session,
    source_name,
)
from zhiping.cli.stream import report_stale, stream_outcomes
from zhiping.documents.compact import TRACE_LEVELS, outcome_document
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session
from zhiping.glossary import Text
from zhiping.outputs.report import Lang, render_explanation, render_outcome
from zhiping.outputs.results_sheet import results_sheet
from zhiping.outputs.results_table import answer_words, write_results_table
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.store import Checkpoint, Store

__all__ = ["add_command"]


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``evaluate`` to the command line, its help in ``lang``."""
    parser = add_parser(
        commands,
        "evaluate",
        lang,
        help=Text(
            zh="评议直评会文档并输出结果", en="evaluate session documents and print their outcomes"
        )[lang],
        description=Text(
            zh=(
                "评议一个直评会文档,或含多个文档的 JSON Lines 文件(每行一个文档)。"
                "JSON Lines 逐行检查、逐行评议:某行无法评议(文档有误、超过大小上限、"
                "没有规则包管辖该村、与记录库中已记录的直评会冲突)时,在标准错误输出中"
                "报告其行号,其余各行照常评议(用 --store 时照常记录);只要有一行未能评议,"
                "退出状态即为 2。"
            ),
            en=(
                "Evaluate one session document, or a JSON Lines file of many (one document a "
                "line). JSON Lines are checked and evaluated line by line: a line that cannot "
                "be evaluated (a broken document, a line over the size limit, a village no pack "
                "governs, a conflict with a session the store recorded) is reported on stderr "
                "with its line number, and every other line is evaluated (and, with --store, "
                "recorded); the exit status is 2 if any line failed."
            ),
        )[lang],
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help=Text(
            zh="一个直评会文档,或含多个文档的 JSON Lines;- 表示标准输入",
            en="a session document, or JSON Lines of many; - for stdin",
        )[lang],
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "jsonl", "csv", "html"),
        default="text",
        help=Text(
            zh=(
                "text 供人阅读(默认);json 或 jsonl(每个结果一行)输出 zhiping.outcome/1 文档;"
                "csv 每个测评对象一行;html 为张贴公示的结果表,每场直评会一页 A4"
            ),
            en=(
                "text for people (default); json or jsonl (one line each) for zhiping.outcome/1; "
                "csv, a row per subject; html, the results sheet to post, an A4 page per session"
            ),
        )[lang],
    )
    parser.add_argument(
        "--history",
        metavar="FILE",
        help=Text(
            zh="历年等次:由 {subject, year, grade} 组成的 JSON 数组",
            en="prior grades: a JSON array of {subject, year, grade}",
        )[lang],
    )
    parser.add_argument(
        "--store",
        metavar="DB",
        type=Path,
        help=Text(
            zh="从此记录库读取历年等次和未兑现的承诺,并把结果记入其中",
            en="read history and open commitments from this store, and record the outcomes in it",
        )[lang],
    )
    parser.add_argument(
        "--pack",
        metavar="NAME",
        help=Text(
            zh="不论区划代码如何,一律适用此规则包的规则链",
            en="apply this pack's chain whatever the village code",
        )[lang],
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help=Text(
            zh="输出每项决定是如何作出的(text 格式)",
            en="print how every decision was made (text format)",
        )[lang],
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help=Text(
            zh="用 N 个进程评议 JSON Lines(默认 1)",
            en="evaluate JSON Lines in N processes (default 1)",
        )[lang],
    )
    add_outcome_version(
        parser,
        Text(
            zh=(
                "json 与 jsonl 输出的结果文档格式:1 为 zhiping.outcome/1(默认);"
                "2 为紧凑的 zhiping.outcome/2,参数只列一次"
            ),
            en=(
                "the outcome format of json and jsonl: 1 for zhiping.outcome/1 (default); "
                "2 for the compact zhiping.outcome/2, each parameter listed once"
            ),
        )[lang],
    )
    parser.add_argument(
        "--trace",
        choices=TRACE_LEVELS,
        default="full",
        help=Text(
            zh=(
                "zhiping.outcome/2 的决定过程详略:full 全部(默认);decisions 只列各项决定,"
                "不含输入与说明;none 不含决定过程"
            ),
            en=(
                "the trace of zhiping.outcome/2: full (default); decisions, without inputs or "
                "sentences; none, no trace"
            ),
        )[lang],
    )
    parser.add_argument(
        "--bom",
        action="store_true",
        help=Text(
            zh="csv 以字节顺序标记(BOM)开头,供 Excel 识别 UTF-8",
            en="begin csv with a byte order mark, so that Excel reads it as UTF-8",
        )[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Evaluate the file's documents and print their outcomes."""
    if arguments.explain and arguments.format != "text":
        raise Refused(
            Text(
                zh="--explain 只用于 --format text;决定过程见 --format json 结果中的 trace",
                en="--explain is for --format text; the trace is in the outcome of --format json",
            ),
        )
    if arguments.history and arguments.store:
        raise Refused(
            Text(
                zh="--history 与 --store 不能同用:历年等次由记录库提供",
                en="--history and --store: the store supplies the history",
            ),
        )
    if arguments.bom and arguments.format != "csv":
        raise Refused(
            Text(zh="--bom 只用于 --format csv", en="--bom is for --format csv"),
        )
    _require_outcome_options(arguments)
    if arguments.jobs < 1:
        raise Refused(Text(zh="--jobs 至少为 1", en="--jobs must be at least 1"))
    if arguments.jobs > 1 and arguments.store:
        raise Refused(
            Text(
                zh="--jobs 与 --store 不能同用:记录须逐场进行,每场读取此前各场写下的历年等次",
                en=(
                    "--jobs and --store: recording is serial, each session reading the "
                    "history the ones before it wrote"
                ),
            ),
        )
    registry = default_registry()
    if arguments.pack:
        require_pack(registry, arguments.pack)
    with opened(arguments.file) as stream:
        head, is_json_lines = peek(stream, arguments.file)
        if is_json_lines:
            if arguments.history or arguments.explain:
                raise Refused(
                    Text(
                        zh=(
                            "--history 与 --explain 只用于单个文档;"
                            "JSON Lines 中每个文档自带历年等次"
                        ),
                        en=(
                            "--history and --explain are for one document; a JSON Lines "
                            "document carries its own history"
                        ),
                    ),
                )
            lines = bounded_lines(stream, arguments.file, head)
            source = source_name(arguments.file)
            return stream_outcomes(
                lines,
                output_format=arguments.format,
                jobs=arguments.jobs,
                pack=arguments.pack,
                store=arguments.store,
                source=source,
                lang=arguments.lang,
                bom=arguments.bom,
                version=arguments.outcome_version,
                trace=arguments.trace,
            )
        text = read_rest(stream, arguments.file, head)
    sessions = [read_session(arguments.file, text)]
    history = read_history(arguments.history) if arguments.history else ()
    checkpoint: Checkpoint | None = None
    if arguments.store:
        outcomes, checkpoint = _recorded(
            sessions, arguments.store, arguments.pack, registry, arguments.lang
        )
    else:
        outcomes = [
            evaluate(session, pack=arguments.pack, history=history, registry=registry)
            for session in sessions
        ]
    _print_outcomes(arguments, sessions, outcomes, checkpoint, registry)
    return EXIT_OK


def _require_outcome_options(arguments: argparse.Namespace) -> None:
    """Refuse an outcome format or trace level where no outcome document is printed."""
    chosen = arguments.outcome_version != 1 or arguments.trace != "full"
    if chosen and arguments.format not in ("json", "jsonl"):
        raise Refused(
            Text(
                zh="--outcome-version 与 --trace 只用于 --format json 或 jsonl",
                en="--outcome-version and --trace are for --format json or jsonl",
            )
        )
    if arguments.trace != "full" and arguments.outcome_version != 2:
        raise Refused(
            Text(
                zh="zhiping.outcome/1 总含完整的决定过程:--trace decisions 或 none 须与 "
                "--outcome-version 2 同用",
                en="zhiping.outcome/1 carries the full trace: --trace decisions or none needs "
                "--outcome-version 2",
            )
        )


def _print_outcomes(
    arguments: argparse.Namespace,
    sessions: list[Session],
    outcomes: Sequence[Outcome],
    checkpoint: Checkpoint | None,
    registry: PackRegistry,
) -> None:
    lang: Lang = arguments.lang
    if arguments.format in ("json", "jsonl"):
        indent = 2 if arguments.format == "json" else None
        for outcome in outcomes:
            document = outcome_document(
                outcome, version=arguments.outcome_version, trace=arguments.trace
            )
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=indent) + "\n")
    elif arguments.format == "csv":
        results = zip(sessions, outcomes, strict=True)
        write_results_table(
            results,
            sys.stdout,
            lang,
            answers=answer_words(registry),
            registry=registry,
            bom=arguments.bom,
        )
    elif arguments.format == "html":
        shown = None if checkpoint is None else str(checkpoint)
        sys.stdout.writelines(
            results_sheet(
                zip(sessions, outcomes, strict=True), lang, checkpoint=shown, registry=registry
            )
        )
    else:
        console = wide_console()
        for session, outcome in zip(sessions, outcomes, strict=True):
            _print_text(
                outcome, session, console, lang, explain=arguments.explain, registry=registry
            )


def _recorded(
    sessions: list[Session], path: Path, pack: str | None, registry: PackRegistry, lang: Lang
) -> tuple[Sequence[Outcome], Checkpoint]:
    """Record the sessions, reporting the recorded ones they make stale; return their
    outcomes and the store's checkpoint after them."""
    with Store(path) as store:
        outcomes = [store.evaluate(session, pack=pack, registry=registry) for session in sessions]
        report_stale(outcomes, lang)
        return outcomes, store.checkpoint()


def _print_text(
    outcome: Outcome,
    session: Session,
    console: Console,
    lang: Lang,
    *,
    explain: bool,
    registry: PackRegistry,
) -> None:
    render_outcome(outcome, session, console, lang, registry=registry)
    if explain:
        console.print()
        render_explanation(outcome, console, lang)
    console.print()
