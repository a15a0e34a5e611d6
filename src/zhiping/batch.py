"""Evaluating many sessions: streaming, in input order, on any executor.

:func:`evaluate_many` takes an iterable of documents (JSON text, decoded JSON or parsed
sessions) and yields one :class:`BatchResult` per document, in input order, while
holding only a bounded window of them in memory, whatever the count. Work goes to any
:class:`concurrent.futures.Executor` in chunks of consecutive documents (a JSON Lines
file of a district lists a village's sessions together, so each chunk stays local): a
``ProcessPoolExecutor`` on one machine, or Dask's ``Client.get_executor()`` on a cluster.
Without an executor everything runs in this process.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future
from typing import Any

import attrs

from zhiping.documents.compact import (
    TRACE_LEVELS,
    OutcomeVersion,
    TraceLevel,
    outcome_document,
    outcome_text,
)
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session, check_session, parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import InputError, Problem, ZhipingError
from zhiping.glossary import Text
from zhiping.packs.registry import PackRegistry, default_registry

__all__ = ["BatchResult", "OutcomeForm", "evaluate_many", "failed"]


@attrs.frozen
class OutcomeForm:
    """How a batch renders each outcome: its format, its trace level, encoded or not.

    Checked when it is made, so that a wrong level fails at once, not in a worker.

    Attributes:
        version: the outcome format, 1 or 2.
        trace: the trace level (format 2 only; format 1 is always ``full``).
        as_text: encode each outcome as a line of compact JSON where it is evaluated.

    Raises:
        ValueError: the version or the level is unknown, or they do not go together.
    """

    version: OutcomeVersion = 1
    trace: TraceLevel = "full"
    as_text: bool = False

    def __attrs_post_init__(self) -> None:
        if self.trace not in TRACE_LEVELS:
            raise ValueError(f"trace must be one of {', '.join(TRACE_LEVELS)}, not {self.trace!r}")
        if self.version == 1 and self.trace != "full":
            raise ValueError(f"the trace level {self.trace!r} needs the outcome format 2")
        if self.version not in (1, 2):
            raise ValueError(f"the outcome format is 1 or 2, not {self.version!r}")


Document = Session | str | bytes | Mapping[str, Any]


@attrs.frozen
class BatchResult:
    """The result for one document of a batch.

    Attributes:
        index: the document's position in the input, from 0.
        session: the session's id, when the document could be read that far.
        status: ``valid`` or ``void`` when it was evaluated.
        outcome: the outcome document (``zhiping.outcome/1``), unless asked as text.
        text: the outcome document as one line of compact JSON, when asked as text.
        problems: what was wrong with the document when it was not evaluated.
        error: the kind of :class:`~zhiping.errors.ZhipingError` that stopped it
            (``InputError``, ``NoApplicableRule``, ``PackConflict``, ``SessionConflict``,
            …), when it was not evaluated.
    """

    index: int
    session: str | None
    status: str | None = None
    outcome: Mapping[str, Any] | None = None
    text: str | None = None
    problems: tuple[Problem, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the document was evaluated."""
        return self.status is not None


def evaluate_many(
    documents: Iterable[Document],
    *,
    executor: Executor | None = None,
    pack: str | None = None,
    chunk_size: int = 64,
    window: int | None = None,
    registry: PackRegistry | None = None,
    as_text: bool = False,
    version: OutcomeVersion = 1,
    trace: TraceLevel = "full",
) -> Iterator[BatchResult]:
    """Evaluate documents one by one or in parallel, yielding results in input order.

    A document that cannot be evaluated gives a result with its problems, whatever
    :class:`~zhiping.errors.ZhipingError` stopped it (a broken document, no pack
    governing its village, two packs in conflict); the batch goes on.

    Args:
        documents: the documents, in any form :func:`zhiping.evaluate` accepts.
        executor: where to evaluate; None evaluates in this process. Workers discover
            the installed packs themselves: a ``registry`` of other packs cannot reach
            them and is refused.
        pack: apply this pack's chain whatever the village codes.
        chunk_size: documents sent to a worker at once.
        window: chunks in flight at once (by default twice the executor's workers, or 4);
            memory is bounded by ``window × chunk_size`` documents.
        registry: the packs to evaluate with, in this process (with an executor, only
            the installed packs, :func:`~zhiping.packs.registry.default_registry`).
        as_text: give each outcome as a line of compact JSON (``text``) rather than as
            data (``outcome``): the workers then do the encoding, not this process.
        version: the outcome format, 1 (``zhiping.outcome/1``) or 2 (the compact
            ``zhiping.outcome/2``, :mod:`zhiping.documents.compact`).
        trace: the trace level of format 2: ``full``, ``decisions`` or ``none``.

    Raises:
        ValueError: ``chunk_size`` or ``window`` is not positive, a ``registry`` other
            than the installed packs' is given with an ``executor``, or ``version`` and
            ``trace`` do not go together (format 1 carries the full trace).
    """
    if chunk_size < 1 or (window is not None and window < 1):
        raise ValueError("chunk_size and window must be positive")
    form = OutcomeForm(version, trace, as_text)
    if executor is not None and registry is not None and registry is not default_registry():
        raise ValueError(
            "a registry cannot reach an executor's workers, which discover the installed "
            "packs: evaluate in this process (executor=None), or install the packs as a "
            "distribution with an entry point"
        )
    chunks = _chunks(documents, chunk_size)
    if executor is None:
        for start, chunk in chunks:
            yield from evaluate_chunk(start, chunk, pack, registry, form=form)
        return
    in_flight: deque[Future[list[BatchResult]]] = deque()
    limit = window or 2 * max(1, getattr(executor, "_max_workers", 2))
    for start, chunk in chunks:
        in_flight.append(executor.submit(evaluate_chunk, start, chunk, pack, None, form=form))
        if len(in_flight) >= limit:
            yield from in_flight.popleft().result()
    while in_flight:
        yield from in_flight.popleft().result()


def _chunks(documents: Iterable[Document], size: int) -> Iterator[tuple[int, list[Document]]]:
    iterator = iter(documents)
    start = 0
    while chunk := list(itertools.islice(iterator, size)):
        yield start, chunk
        start += len(chunk)


def evaluate_chunk(
    start: int,
    chunk: list[Document],
    pack: str | None,
    registry: PackRegistry | None = None,
    *,
    form: OutcomeForm | None = None,
) -> list[BatchResult]:
    """Evaluate consecutive documents; a top-level function, so that it pickles.

    Args:
        start: the index of the first document in the batch.
        chunk: the documents.
        pack: apply this pack's chain whatever the village codes.
        registry: the packs (the installed ones by default, discovered once per process).
        form: the outcome's format and trace level, and whether to encode it here.
    """
    registry = registry or default_registry()
    form = form or OutcomeForm()
    results = []
    for index, document in enumerate(chunk, start):
        try:
            session = (
                check_session(document)
                if isinstance(document, Session)
                else parse_session(document)
            )
        except InputError as error:
            results.append(failed(index, _session_id(document), error))
            continue
        try:
            outcome: Outcome = _evaluate(session, pack, registry, traced=form.trace != "none")
        except ZhipingError as error:
            results.append(failed(index, session.id, error))
            continue
        if form.as_text:
            text = outcome_text(outcome, version=form.version, trace=form.trace)
            results.append(BatchResult(index, session.id, outcome.status, text=text))
        else:
            rendered = outcome_document(outcome, version=form.version, trace=form.trace)
            results.append(BatchResult(index, session.id, outcome.status, outcome=rendered))
    return results


def failed(index: int, session: str | None, error: ZhipingError) -> BatchResult:
    """Return the result of a document that ``error`` stopped: its problems, or the error's
    message as one problem of the whole document."""
    if isinstance(error, InputError):
        problems = error.problems
    else:
        problems = (Problem("", Text(zh=error.message("zh"), en=error.message("en"))),)
    return BatchResult(index, session, problems=problems, error=type(error).__name__)


def _evaluate(
    session: Session, pack: str | None, registry: PackRegistry, *, traced: bool = True
) -> Outcome:
    chain = registry.chain(session.village.code, session.held_on, pack=pack)
    return evaluate_chain(session, chain, registry.mechanisms, traced=traced)


def _session_id(document: Document) -> str | None:
    if isinstance(document, Session):
        return document.id
    if isinstance(document, Mapping):
        found = document.get("id")
        return found if isinstance(found, str) else None
    return None
