"""Running the demo: draw the district, evaluate its years in order, keep the results.

The first year is evaluated and recorded in the store first; each session of the second
year then reads its village's grades and open commitments back from the store, so that
the two-year rule (连续两年被评为不称职的进行组织调整) can fire. Recording the same
district again changes nothing. Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from zhiping.demo.district import District, build_district
from zhiping.demo.sessions import session_documents
from zhiping.demo.summary import DistrictSummary, summarize_year
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session, parse_session
from zhiping.store import Store

__all__ = ["ProgressReport", "evaluate_year", "run_demo"]

ProgressReport = Callable[[int, int], None]
"""Told ``(sessions done, sessions in all)``: once before the first session, then after each."""


def run_demo(
    *,
    database: Path,
    seed: int = 2026,
    years: tuple[int, int] = (2025, 2026),
    progress: ProgressReport | None = None,
) -> DistrictSummary:
    """Build the synthetic district, evaluate two years of sessions, and sum them up.

    For a rich progress bar, pass ``progress=lambda done, total: bar.update(task,
    completed=done, total=total)``.

    Args:
        database: the store that keeps the results; created if missing. Sessions
            already recorded there are not recorded again.
        seed: the same seed gives the same district, documents and results.
        years: two consecutive work years, the earlier first.
        progress: told how many of the sessions (588 a year) are done.

    Returns:
        Each year's summary; the last year's is where the two-year rule fires.

    Raises:
        ValueError: the years are not two consecutive years.
        StoreError: the store cannot be used.
    """
    first, second = years
    if second != first + 1:
        raise ValueError(f"the demo needs two consecutive years, not {first} and {second}")
    district = build_district(seed, first_year=first)
    townships = {township.code: township.name for township in district.townships}
    total = len(district.villages) * len(years)
    report = progress or _unreported
    report(0, total)
    summaries = []
    with Store(database) as store:
        for index, year in enumerate(years):
            evaluated = evaluate_year(district, year, store)
            counted = _counted(evaluated, index * len(district.villages), total, report)
            summaries.append(summarize_year(year, counted, townships=townships))
    return DistrictSummary(
        seed=seed,
        townships=len(district.townships),
        villages=len(district.villages),
        years=tuple(summaries),
    )


def evaluate_year(district: District, year: int, store: Store) -> Iterator[tuple[Session, Outcome]]:
    """Evaluate and record every village's session of the year, one by one.

    Each session is evaluated with its village's grades and open commitments of
    earlier years from the store, and recorded before the next one is evaluated.

    Yields:
        Each session with its outcome, in village order.

    Raises:
        InputError: a generated document does not parse (a bug of the demo).
        StoreError: the store cannot be used.
    """
    for document in session_documents(district, year):
        session = parse_session(document)
        yield session, store.evaluate(session)


def _counted(
    evaluated: Iterable[tuple[Session, Outcome]], before: int, total: int, report: ProgressReport
) -> Iterator[tuple[Session, Outcome]]:
    for done, pair in enumerate(evaluated, before + 1):
        yield pair
        report(done, total)


def _unreported(done: int, total: int) -> None:
    """Report nothing."""
