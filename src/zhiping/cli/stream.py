"""Streaming a JSON Lines file through ``zhiping evaluate``: one outcome per line, in order.

Memory stays bounded whatever the number of sessions: lines are read as they are
needed, and outcomes written as they come. A broken line is reported on stderr with its
line number and the run goes on; the exit status is then 2.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from zhiping.batch import BatchResult, evaluate_many
from zhiping.cli._common import EXIT_INPUT, EXIT_OK
from zhiping.store import Store

__all__ = ["numbered_lines", "stream_outcomes"]


def stream_outcomes(
    lines: Iterable[tuple[int, str]],
    *,
    output_format: str,
    jobs: int,
    pack: str | None,
    store: Path | None,
    source: str,
) -> int:
    """Evaluate numbered lines and write each outcome as it comes; return the exit status."""
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    numbers: deque[int] = deque()

    def texts() -> Iterator[str]:
        for number, text in lines:
            numbers.append(number)
            yield text

    tally: Counter[str] = Counter()
    executor: Executor | None = ProcessPoolExecutor(jobs) if jobs > 1 else None
    try:
        results = (
            _recorded(texts(), store, pack)
            if store
            else evaluate_many(texts(), executor=executor, pack=pack)
        )
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
        ) as progress:
            task = progress.add_task("0 sessions", total=None)
            for result in results:
                number = numbers.popleft()
                _write(result, number, output_format, source, stderr, tally)
                progress.update(task, description=f"{sum(tally.values())} sessions")
    finally:
        if executor is not None:
            executor.shutdown()
    _summary(tally, stderr)
    return EXIT_INPUT if tally["broken"] else EXIT_OK


def _recorded(texts: Iterable[str], path: Path, pack: str | None) -> Iterator[BatchResult]:
    # Recording is serial: each session reads the history the ones before it wrote.
    from zhiping.errors import InputError
    from zhiping.session import parse_session

    with Store(path) as store:
        for index, text in enumerate(texts):
            try:
                session = parse_session(text)
                outcome = store.evaluate(session, pack=pack)
            except InputError as error:
                yield BatchResult(index, None, problems=error.problems)
                continue
            yield BatchResult(index, session.id, outcome.status, outcome=outcome.to_document())


def _write(
    result: BatchResult,
    number: int,
    output_format: str,
    source: str,
    stderr: Console,
    tally: Counter[str],
) -> None:
    if not result.ok:
        tally["broken"] += 1
        for problem in result.problems:
            where = f"line {number}: {problem.path}" if problem.path else f"line {number}"
            stderr.print(f"zhiping: {source}: {where}: {problem.message}", markup=False)
        return
    tally[str(result.status)] += 1
    out: IO[str] = sys.stdout
    if result.text is not None:
        out.write(result.text + "\n")
        return
    outcome: dict[str, Any] = dict(result.outcome or {})
    if output_format == "text":
        grades = ", ".join(f"{s['id']} {s['grade']}" for s in outcome["subjects"] if s["grade"])
        out.write(f"{outcome['session']}\t{outcome['status']}\t{grades}\n")
    else:
        out.write(json.dumps(outcome, ensure_ascii=False, separators=(",", ":")) + "\n")


def _summary(tally: Counter[str], stderr: Console) -> None:
    total = sum(tally.values())
    stderr.print(
        f"{total} sessions: {tally['valid']} valid, {tally['void']} void, {tally['broken']} broken",
        markup=False,
    )


def numbered_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield the non-blank lines with their numbers, from 1."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line
