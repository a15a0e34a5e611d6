"""The record is authoritative: a document's history checked against the grades kept.

Evaluating against a store, the store supplies the history. A document's own history
entry is compared with the record of its village:

- the store holds a grade for that subject and period: the entry must give the same
  grade, or the document is refused naming both;
- the store recorded a session of the village for that period but holds no grade for
  that subject (the session was void, or did not grade the subject): the document is
  refused, since the record says there is no such grade;
- the store recorded no session of the village for that period (the record starts
  later, or that year was never entered): the entry is kept as the document gives it.
  A claimed grade can only lengthen a streak of incompetent years, never break one the
  record holds, since a year missing from the history already breaks it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from zhiping.errors import InputError, Problem
from zhiping.glossary import Text, name_of

__all__ = ["RecordedPeriod", "StoredGrade", "checked_history", "history_entry", "history_key"]


@attrs.frozen
class StoredGrade:
    """A grade the store holds: subject, period and the session that gave it."""

    subject: str
    year: int
    quarter: int
    grade: str
    session: str


@attrs.frozen
class RecordedPeriod:
    """A period of the village for which the store holds a session, and its status."""

    year: int
    quarter: int
    session: str
    status: str


def _period(year: int, quarter: int) -> Text:
    if quarter:
        return Text(zh=f"{year}年第{quarter}季度", en=f"{year} Q{quarter}")
    return Text(zh=f"{year}年", en=str(year))


def checked_history(
    given: Sequence[Mapping[str, Any]],
    stored: Iterable[StoredGrade],
    recorded: Iterable[RecordedPeriod],
) -> list[dict[str, Any]]:
    """Return the history to evaluate with: the store's grades and the entries it lacks.

    Args:
        given: the document's history entries (JSON data), in document order.
        stored: the grades the store holds for the village before the session.
        recorded: the periods before the session for which the village has a session.

    Raises:
        InputError: an entry contradicts the record, with the path ``history[i]`` and
            both grades (or the recorded session that gave none).
    """
    grades = {(g.subject, g.year, g.quarter): g for g in stored}
    periods = {(p.year, p.quarter): p for p in recorded}
    merged: dict[tuple[str, int, int], dict[str, Any]] = {
        key: history_entry(key, grade.grade) for key, grade in grades.items()
    }
    problems = []
    for index, entry in enumerate(given):
        key = history_key(entry)
        problem = _against_record(f"history[{index}]", entry, key, grades, periods)
        if problem is not None:
            problems.append(problem)
        elif key not in merged:
            merged[key] = dict(entry)
    if problems:
        raise InputError(problems)
    return list(merged.values())


def _against_record(
    path: str,
    entry: Mapping[str, Any],
    key: tuple[str, int, int],
    grades: Mapping[tuple[str, int, int], StoredGrade],
    periods: Mapping[tuple[int, int], RecordedPeriod],
) -> Problem | None:
    subject, year, quarter = key
    period = _period(year, quarter)
    claimed = str(entry["grade"])
    kept = grades.get(key)
    if kept is not None:
        if kept.grade == claimed:
            return None
        return Problem(
            path,
            Text(
                zh=f"文件称 '{subject}' {period.zh}评定为{name_of(claimed).zh},"
                f"而记录库中直评会 {kept.session} 评定为{name_of(kept.grade).zh};以记录为准",
                en=f"the document grades '{subject}' {claimed} for {period.en}, but the "
                f"store records {kept.grade} from session {kept.session}; the record stands",
            ),
        )
    session = periods.get((year, quarter))
    if session is None:
        return None
    why = (
        Text(zh="该次直评会无效,不产生等次", en="that session is void and gives no grade")
        if session.status == "void"
        else Text(
            zh=f"该次直评会没有评定 '{subject}'", en=f"that session did not grade '{subject}'"
        )
    )
    return Problem(
        path,
        Text(
            zh=f"文件称 '{subject}' {period.zh}评定为{name_of(claimed).zh},而记录库中"
            f"{period.zh}的直评会 {session.session} 没有这一等次:{why.zh}",
            en=f"the document grades '{subject}' {claimed} for {period.en}, but the store's "
            f"session {session.session} of {period.en} gives no such grade: {why.en}",
        ),
    )


def history_key(entry: Mapping[str, Any]) -> tuple[str, int, int]:
    """Return a history entry's ``(subject, year, quarter)``, quarter 0 for a year."""
    return (str(entry["subject"]), int(entry["year"]), int(entry.get("quarter") or 0))


def history_entry(key: tuple[str, int, int], grade: str) -> dict[str, Any]:
    """Return the history entry (JSON data) of a grade for ``(subject, year, quarter)``."""
    subject, year, quarter = key
    entry: dict[str, Any] = {"subject": subject, "year": year, "grade": grade}
    if quarter:
        entry["quarter"] = quarter
    return entry
