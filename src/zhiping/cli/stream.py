"""Streaming a JSON Lines file through ``zhiping evaluate``: one outcome per line, in order.

Memory stays bounded whatever the number of sessions: lines are read as they are
needed, and outcomes written as they come. Each line is checked and evaluated on its own:
a line that cannot be evaluated, whatever :class:`~zhiping.errors.ZhipingError` says why (a
broken document, a line over the size limit, no pack governing its village, a conflict
with what the store recorded), is reported on stderr with its line number, and the run
goes on with the next; the exit status is then 2.

The CSV table and the HTML results sheet stream too: the header (or the head of the
document) first, then each session's rows (or page) as it comes, then the tail. They
name villages and cadres, so for them each line is parsed here, once, and the parsed
session goes to the workers. With ``--store``, each page of the sheet shows the store's
checkpoint taken right after its session was recorded: the checkpoint of the whole run
is only known at its end, while each village's page is posted on its own board.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any, NamedTuple

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from zhiping.batch import BatchResult, OutcomeForm, evaluate_many, failed
from zhiping.cli._common import EXIT_INPUT, EXIT_OK
from zhiping.cli._reading import TOO_LARGE, NumberedLine
from zhiping.documents._json import too_large
from zhiping.documents.compact import OutcomeVersion, TraceLevel, outcome_document
from zhiping.documents.session import Session, parse_session
from zhiping.errors import InputError, ZhipingError, escape_controls
from zhiping.glossary import Lang, Text, name_of
from zhiping.outputs.results_sheet import sheet_head, sheet_page, sheet_tail
from zhiping.outputs.results_table import answer_words, write_results_table
from zhiping.packs.registry import default_registry
from zhiping.store import Checkpoint, Recorded, Store

__all__ = ["numbered_lines", "report_stale", "stream_outcomes"]

_SHEETS = ("csv", "html")
"""The formats that name villages and cadres, so need each parsed session."""


_SESSIONS = Text(zh="已评议 {} 场", en="{} sessions")
_LINE = Text(zh="第{}行", en="line {}")
_SUMMARY = Text(
    zh="共 {total} 场:有效 {valid} 场,无效 {void} 场,文档有误 {broken} 场",
    en="{total} sessions: {valid} valid, {void} void, {broken} broken",
)


class _Evaluated(NamedTuple):
    number: int
    result: BatchResult
    session: Session | None = None
    checkpoint: Checkpoint | None = None


def stream_outcomes(
    lines: Iterable[NumberedLine],
    *,
    output_format: str,
    jobs: int,
    pack: str | None,
    store: Path | None,
    source: str,
    lang: Lang = "en",
    bom: bool = False,
    version: OutcomeVersion = 1,
    trace: TraceLevel = "full",
) -> int:
    """Evaluate numbered lines and write each outcome as it comes; return the exit status.

    Args:
        lines: the non-blank lines with their numbers (:data:`TOO_LARGE` for a line over
            the size limit).
        output_format: ``text``, ``json``, ``jsonl``, ``csv`` or ``html``.
        jobs: the processes to evaluate in (1: this one).
        pack: apply this pack's chain whatever the village codes.
        store: record each session in this store, serially, before writing it.
        source: how messages name the input.
        lang: the language of the CSV names and of the results sheet.
        bom: begin the CSV with a byte order mark, for Excel.
        version: the outcome format of json and jsonl lines (1 or 2).
        trace: the trace level of format 2.

    Returns:
        2 if any line could not be evaluated, else 0.
    """
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    tally: Counter[str] = Counter()
    sheets = output_format in _SHEETS
    executor: Executor | None = ProcessPoolExecutor(jobs) if jobs > 1 else None
    try:
        form = OutcomeForm(version, trace, as_text=output_format in ("json", "jsonl"))
        evaluated = (
            _recorded(lines, store, pack, checkpoints=output_format == "html", form=form, lang=lang)
            if store
            else _evaluated(lines, executor, pack, parse_here=sheets, form=form)
        )
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as progress:
            task = progress.add_task(_SESSIONS[lang].format(0), total=None)

            def counted() -> None:
                progress.update(task, description=_SESSIONS[lang].format(sum(tally.values())))

            good = _reported(evaluated, escape_controls(source), stderr, tally, counted, lang)
            _write(good, output_format, lang, bom=bom)
    finally:
        if executor is not None:
            executor.shutdown()
    _summary(tally, stderr, lang)
    return EXIT_INPUT if tally["broken"] else EXIT_OK


_PLACEHOLDER = "{}"
"""What goes to the batch in place of a line over the size limit, to keep its place."""


def _evaluated(
    lines: Iterable[NumberedLine],
    executor: Executor | None,
    pack: str | None,
    *,
    parse_here: bool,
    form: OutcomeForm,
) -> Iterator[_Evaluated]:
    """Evaluate the lines in order; with ``parse_here``, keep each parsed session."""
    pending: deque[tuple[int, Session | None, bool]] = deque()

    def documents() -> Iterator[Session | str]:
        for number, text in lines:
            session: Session | None = None
            if text is TOO_LARGE:
                pending.append((number, None, True))
                yield _PLACEHOLDER
                continue
            if parse_here:
                # A broken line goes on as text: the batch reports its problems.
                with contextlib.suppress(InputError):
                    session = parse_session(text)
            pending.append((number, session, False))
            yield text if session is None else session

    batch = evaluate_many(
        documents(),
        executor=executor,
        pack=pack,
        as_text=form.as_text,
        version=form.version,
        trace=form.trace,
    )
    for result in batch:
        number, session, oversized = pending.popleft()
        if oversized:
            result = BatchResult(result.index, None, problems=(too_large(),), error="InputError")
        yield _Evaluated(number, result, session)


def _recorded(
    lines: Iterable[NumberedLine],
    path: Path,
    pack: str | None,
    *,
    checkpoints: bool,
    form: OutcomeForm,
    lang: Lang,
) -> Iterator[_Evaluated]:
    # Recording is serial: each session reads the history the ones before it wrote. A
    # session the store refuses (a conflict with a recorded one) leaves the store as it
    # was, so the run goes on with the next line.
    with Store(path) as store:
        for index, (number, text) in enumerate(lines):
            session: Session | None = None
            try:
                if text is TOO_LARGE:
                    raise InputError([too_large()])
                session = parse_session(text)
                outcome = store.evaluate(session, pack=pack)
            except ZhipingError as error:
                named = None if session is None else session.id
                yield _Evaluated(number, failed(index, named, error))
                continue
            report_stale((outcome,), lang)
            rendered = outcome_document(outcome, version=form.version, trace=form.trace)
            result = BatchResult(index, session.id, outcome.status, outcome=rendered)
            checkpoint = store.checkpoint() if checkpoints else None
            yield _Evaluated(number, result, session, checkpoint)


STALE = Text(
    zh="已过时(记录库现在会作出不同的决定;用 Store.amend 更正)",
    en="stale (the record now decides otherwise; amend it with Store.amend)",
)


def report_stale(outcomes: Iterable[Recorded], lang: Lang) -> None:
    """Print to stderr each recorded session that an outcome just recorded makes stale."""
    for outcome in outcomes:
        for stale in outcome.stale:
            sys.stderr.write(f"zhiping: {STALE[lang]}: {escape_controls(stale.describe(lang))}\n")


def _reported(
    evaluated: Iterable[_Evaluated],
    source: str,
    stderr: Console,
    tally: Counter[str],
    counted: Callable[[], None],
    lang: Lang,
) -> Iterator[_Evaluated]:
    """Count every result and report the broken ones; yield those evaluated."""
    for item in evaluated:
        if item.result.ok:
            tally[str(item.result.status)] += 1
        else:
            tally["broken"] += 1
            for problem in item.result.problems:
                line = _LINE[lang].format(item.number)
                where = f"{line}: {problem.path}" if problem.path else line
                message = problem.describe(lang).removeprefix(f"{problem.path}: ")
                stderr.print(f"zhiping: {source}: {where}: {message}", markup=False)
        counted()
        if item.result.ok:
            yield item


def _write(evaluated: Iterable[_Evaluated], output_format: str, lang: Lang, *, bom: bool) -> None:
    out: IO[str] = sys.stdout
    if output_format == "csv":
        answers = answer_words(default_registry())
        write_results_table(_results(evaluated), out, lang, answers=answers, bom=bom)
    elif output_format == "html":
        out.write(sheet_head(lang))
        for item in evaluated:
            session, outcome = _result(item)
            shown = None if item.checkpoint is None else str(item.checkpoint)
            out.write(sheet_page(session, outcome, lang, checkpoint=shown))
        out.write(sheet_tail())
    else:
        for item in evaluated:
            _write_line(item.result, output_format, out, lang)


def _results(evaluated: Iterable[_Evaluated]) -> Iterator[tuple[Session, Mapping[str, Any]]]:
    for item in evaluated:
        yield _result(item)


def _result(item: _Evaluated) -> tuple[Session, Mapping[str, Any]]:
    if item.session is None or item.result.outcome is None:
        raise AssertionError(f"line {item.number}: evaluated without its session or outcome")
    return item.session, item.result.outcome


def _write_line(result: BatchResult, output_format: str, out: IO[str], lang: Lang) -> None:
    if result.text is not None:
        out.write(result.text + "\n")
        return
    outcome: dict[str, Any] = dict(result.outcome or {})
    if output_format == "text":
        words = default_registry().vocabulary(outcome["packs"])
        grades = ", ".join(
            f"{s['id']} {words.name_of(s['grade'])[lang]}"
            for s in outcome["subjects"]
            if s["grade"]
        )
        out.write(f"{outcome['session']}\t{name_of(outcome['status'])[lang]}\t{grades}\n")
    else:
        out.write(json.dumps(outcome, ensure_ascii=False, separators=(",", ":")) + "\n")


def _summary(tally: Counter[str], stderr: Console, lang: Lang) -> None:
    counts = {key: tally[key] for key in ("valid", "void", "broken")}
    stderr.print(_SUMMARY[lang].format(total=sum(tally.values()), **counts), markup=False)


def numbered_lines(lines: Iterable[str | None]) -> Iterator[NumberedLine]:
    """Yield the non-blank lines with their numbers, from 1 (:data:`TOO_LARGE` is not blank)."""
    for number, line in enumerate(lines, start=1):
        if line is TOO_LARGE or line.strip():
            yield number, line
