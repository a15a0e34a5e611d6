"""The store keeps and supplies quarterly grades (DESIGN §7, docs/store.md).

A real SQLite file in a temporary directory. Grades are worked out by hand from the
Xinzhou thresholds (DESIGN §5), n = 60 valid votes: ``incompetent`` if 2d ≥ n (d = 30);
``competent`` with d = 20 (2d = 40 < 60, 3d = 60 not > 60, 10s = 400 < 540);
``excellent`` with s = 54 (10s = 540 ≥ 540).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import zhiping
from zhiping import HistoryEntry
from zhiping.store import Store
from zhiping.testing import session_document

VILLAGE = "420117101201"
MARKS_FOR: dict[str, dict[str, int]] = {
    "excellent": {"satisfied": 54, "basically_satisfied": 6},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}
ADJUSTMENT = "organizational_adjustment"


def quarter_session(year: int, quarter: int, *, c1: str = "competent") -> dict[str, Any]:
    """A Xinzhou session of one quarter, held ten days after it ends; c1 graded ``c1``."""
    held_on = date(year, 3 * quarter, 1) if quarter < 4 else date(year + 1, 1, 10)
    document = session_document(
        village_code=VILLAGE,
        year=year,
        held_on=held_on,
        cadres=1,
        counts={"organization": MARKS_FOR["excellent"], "c1": MARKS_FOR[c1]},
    )
    document["id"] = f"{VILLAGE}-{year}-q{quarter}"
    document["quarter"] = quarter
    return document


def periods(history: tuple[HistoryEntry, ...]) -> list[tuple[str, int, int | None, str]]:
    return [(e.subject, e.year, e.quarter, e.grade) for e in history]


def action_kinds(outcome: zhiping.Outcome, subject: str = "c1") -> list[str]:
    return [action.kind for action in outcome.subject(subject).actions]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "records.db") as opened:
        yield opened


def test_the_history_returns_each_quarters_grades_oldest_first(store: Store) -> None:
    store.evaluate(quarter_session(2026, 2, c1="incompetent"))
    store.evaluate(quarter_session(2026, 1))
    assert periods(store.history(VILLAGE, subject="c1")) == [
        ("c1", 2026, 1, "competent"),
        ("c1", 2026, 2, "incompetent"),
    ]


def test_before_a_quarter_the_history_gives_that_years_earlier_quarters_only(
    store: Store,
) -> None:
    store.evaluate(quarter_session(2025, 4))
    for quarter in (1, 2, 3):
        store.evaluate(quarter_session(2026, quarter))
    earlier = store.history(VILLAGE, before_year=2026, before_quarter=3, subject="c1")
    assert [(e.year, e.quarter) for e in earlier] == [(2025, 4), (2026, 1), (2026, 2)]
    yearly = store.history(VILLAGE, before_year=2026, subject="c1")
    assert [(e.year, e.quarter) for e in yearly] == [(2025, 4)]


def test_a_yearly_store_still_gives_entries_without_a_quarter(store: Store) -> None:
    document = session_document(
        village_code=VILLAGE, year=2025, held_on=date(2026, 1, 15), cadres=1
    )
    store.evaluate(document)
    (entry,) = store.history(VILLAGE, subject="c1")
    assert (entry.year, entry.quarter) == (2025, None)
    assert "quarter" not in entry.model_dump(mode="json")


def test_a_quarterly_session_sees_the_earlier_quarters_of_its_year(store: Store) -> None:
    store.evaluate(quarter_session(2026, 1, c1="excellent"))
    store.evaluate(quarter_session(2026, 2, c1="incompetent"))
    store.evaluate(quarter_session(2026, 3))
    (row,) = [r for r in store.sessions() if r["session"] == f"{VILLAGE}-2026-q3"]
    history = zhiping.parse_session(row["document"]).history
    assert sorted(periods(history)) == [
        ("c1", 2026, 1, "excellent"),
        ("c1", 2026, 2, "incompetent"),
        ("organization", 2026, 1, "excellent"),
        ("organization", 2026, 2, "excellent"),
    ]
    assert store.verify().ok


def test_the_two_year_rule_reads_last_years_last_recorded_quarter_from_the_store(
    store: Store,
) -> None:
    """2025 Q3 and Q4 incompetent; 2026 Q1 incompetent: adjusted."""
    store.evaluate(quarter_session(2025, 3, c1="incompetent"))
    store.evaluate(quarter_session(2025, 4, c1="incompetent"))
    outcome = store.evaluate(quarter_session(2026, 1, c1="incompetent"))
    assert outcome.subject("c1").grade == "incompetent"
    assert action_kinds(outcome) == [ADJUSTMENT]


def test_a_competent_last_quarter_breaks_the_two_year_rule_in_the_store(store: Store) -> None:
    """2025 Q3 incompetent but Q4 competent: 2025's grade is competent."""
    store.evaluate(quarter_session(2025, 3, c1="incompetent"))
    store.evaluate(quarter_session(2025, 4, c1="competent"))
    outcome = store.evaluate(quarter_session(2026, 1, c1="incompetent"))
    assert outcome.subject("c1").grade == "incompetent"
    assert action_kinds(outcome) == []


def test_the_statute_counts_the_previous_quarter_from_the_store(store: Store) -> None:
    """cn-organic-law: incompetent in Q1 and Q2 of 2026: the office ends at Q2."""

    def statutory(quarter: int, grade: str) -> dict[str, Any]:
        # n = 40: 2i = 48 > 40 incompetent; 2i = 32 ≤ 40 and 2c = 48 > 40 competent.
        c1 = (
            {"competent": 16, "incompetent": 24}
            if grade == "incompetent"
            else {"competent": 24, "incompetent": 16}
        )
        document = session_document(
            village_code=VILLAGE,
            year=2026,
            held_on=date(2026, 3 * quarter, 1),
            party_members_present=0,
            representatives=40,
            representatives_present=40,
            cadres=1,
            counts={"organization": {"competent": 40}, "c1": c1},
        )
        document["cadres"][0]["posts"] = ["committee_director"]
        document["id"] = f"{VILLAGE}-2026-q{quarter}"
        document["quarter"] = quarter
        return document

    first = store.evaluate(statutory(1, "incompetent"), pack="cn-organic-law")
    assert action_kinds(first) == []
    second = store.evaluate(statutory(2, "incompetent"), pack="cn-organic-law")
    assert second.subject("c1").grade == "incompetent"
    assert action_kinds(second) == ["office_terminated"]
