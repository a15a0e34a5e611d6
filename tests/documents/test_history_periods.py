"""History entries with a quarter (DESIGN §2): several per year, the session's own
earlier quarters allowed, duplicates, contradictions and mixed periods refused."""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping import HistoryEntry
from zhiping.testing import session_document

Document = dict[str, Any]


def entry(
    year: int, quarter: int | None, grade: str = "competent", subject: str = "c1"
) -> Document:
    found: Document = {"subject": subject, "year": year, "grade": grade}
    if quarter is not None:
        found["quarter"] = quarter
    return found


def session_of(quarter: int | None, history: list[Document]) -> Document:
    """A valid 2026 session (of ``quarter``, or yearly) with ``history``."""
    document = session_document(year=2026, cadres=1)
    if quarter is not None:
        document["quarter"] = quarter
    document["history"] = history
    return document


def problem_paths(document: Document) -> list[str]:
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    return [problem.path for problem in raised.value.problems]


def test_a_history_entry_may_carry_a_quarter() -> None:
    session = zhiping.parse_session(session_of(3, [entry(2025, 4), entry(2026, 2)]))
    assert [(e.year, e.quarter) for e in session.history] == [(2025, 4), (2026, 2)]


def test_an_entry_without_a_quarter_is_written_as_before() -> None:
    """Old documents stay valid and are written back without a ``quarter`` key."""
    yearly = HistoryEntry(subject="c1", year=2025, grade="competent")
    assert yearly.quarter is None
    assert yearly.model_dump(mode="json") == {"subject": "c1", "year": 2025, "grade": "competent"}
    quarterly = HistoryEntry(subject="c1", year=2025, quarter=2, grade="competent")
    assert quarterly.model_dump(mode="json")["quarter"] == 2


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_a_quarter_outside_1_to_4_is_refused(quarter: int) -> None:
    assert problem_paths(session_of(3, [entry(2025, quarter)])) == ["history[0].quarter"]


def test_a_quarter_given_as_a_string_is_refused() -> None:
    history = [{"subject": "c1", "year": 2025, "quarter": "2", "grade": "competent"}]
    assert problem_paths(session_of(3, history)) == ["history[0].quarter"]


def test_several_quarters_of_a_year_are_accepted() -> None:
    history = [entry(2025, q) for q in (1, 2, 3, 4)]
    assert len(zhiping.parse_session(session_of(1, history)).history) == 4


@pytest.mark.parametrize(
    ("session_quarter", "entry_quarter", "allowed"),
    [(2, 1, True), (4, 3, True), (2, 2, False), (2, 3, False), (1, 1, False)],
)
def test_an_entry_of_the_sessions_own_year_must_be_of_an_earlier_quarter(
    session_quarter: int, entry_quarter: int, allowed: bool
) -> None:
    document = session_of(session_quarter, [entry(2026, entry_quarter)])
    if allowed:
        assert zhiping.parse_session(document).history[0].quarter == entry_quarter
    else:
        assert problem_paths(document) == ["history[0].quarter"]


def test_an_entry_of_a_later_year_is_refused_whatever_its_quarter() -> None:
    assert problem_paths(session_of(4, [entry(2027, 1)])) == ["history[0].year"]


def test_a_yearly_session_refuses_a_quarter_of_its_own_year() -> None:
    """A yearly session has no quarter for an entry to come before."""
    assert problem_paths(session_of(None, [entry(2026, 1)])) == ["history[0].year"]


def test_a_quarterly_session_refuses_a_yearly_entry_of_its_own_year() -> None:
    """The year is not over, so it has no yearly grade."""
    assert problem_paths(session_of(3, [entry(2026, None)])) == ["history[0].year"]


def test_an_exact_duplicate_is_refused_at_the_second_entry() -> None:
    document = session_of(3, [entry(2025, 2), entry(2025, 3), entry(2025, 2)])
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    (problem,) = raised.value.problems
    assert problem.path == "history[2]"
    assert problem.text.en == "'c1' is listed twice for 2025 Q2"
    assert problem.text.zh == "'c1' 2025年第2季度的成绩重复列出"


def test_an_exact_yearly_duplicate_is_refused() -> None:
    document = session_of(None, [entry(2025, None), entry(2025, None)])
    assert problem_paths(document) == ["history[1]"]


def test_two_grades_for_one_quarter_are_refused() -> None:
    document = session_of(3, [entry(2025, 2, "competent"), entry(2025, 2, "incompetent")])
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    (problem,) = raised.value.problems
    assert problem.path == "history[1]"
    assert problem.text.en == "'c1' is already graded competent for 2025 Q2"


@pytest.mark.parametrize(
    "history",
    [
        [entry(2025, None), entry(2025, 2)],
        [entry(2025, 2), entry(2025, None)],
    ],
)
def test_a_year_given_both_whole_and_by_quarter_is_refused(history: list[Document]) -> None:
    document = session_of(3, history)
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    (problem,) = raised.value.problems
    assert problem.path == "history[1]"
    assert "both a yearly and quarterly grades for 2025" in problem.text.en


def test_whole_and_quarterly_years_may_follow_each_other_and_differ_by_subject() -> None:
    """2024 yearly, 2025 by quarter for c1; organization yearly in 2025: all fine."""
    history = [
        entry(2024, None),
        entry(2025, 1),
        entry(2025, 2),
        entry(2025, None, subject="organization"),
    ]
    assert len(zhiping.parse_session(session_of(1, history)).history) == 4


def test_parse_history_reads_quarters_and_refuses_duplicates() -> None:
    parsed = zhiping.parse_history([entry(2025, 1), entry(2025, 2)])
    assert [e.quarter for e in parsed] == [1, 2]
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_history([entry(2025, 1), entry(2025, 1)])
    assert [p.path for p in raised.value.problems] == ["[1]"]
