"""The Xinzhou two-year rule: incompetent now and in the year before → organizational adjustment."""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping import HistoryEntry
from zhiping.testing import session_document

YEAR = 2026
MARKS_FOR = {
    "excellent": {"satisfied": 60},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}


def document_graded(grade: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid 2026 document in which c1 earns ``grade`` and c2 is excellent."""
    document = session_document(
        year=YEAR,
        cadres=2,
        counts={
            "organization": {"satisfied": 60},
            "c1": MARKS_FOR[grade],
            "c2": MARKS_FOR["excellent"],
        },
    )
    if history is not None:
        document["history"] = history
    return document


def actions_of(outcome: zhiping.Outcome, subject: str) -> list[tuple[str, str, str]]:
    return [(a.kind, a.rule, a.pack) for a in outcome.subject(subject).actions]


ADJUSTMENT = ("organizational_adjustment", "sanction.consecutive_incompetent", "xinzhou")


def test_incompetent_now_and_last_year_brings_an_organizational_adjustment() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == [ADJUSTMENT]
    assert actions_of(outcome, "c2") == []
    assert actions_of(outcome, "organization") == []


def test_incompetent_now_and_only_two_years_ago_is_a_broken_streak() -> None:
    """A gap year (2025 without a grade) breaks the streak."""
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2024, "grade": "incompetent"}])
    )
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == []


def test_incompetent_now_with_a_better_grade_in_between_is_a_broken_streak() -> None:
    history = [
        {"subject": "c1", "year": 2024, "grade": "incompetent"},
        {"subject": "c1", "year": 2025, "grade": "basically_competent"},
    ]
    outcome = zhiping.evaluate(document_graded("incompetent", history))
    assert actions_of(outcome, "c1") == []


def test_incompetent_three_years_running_still_brings_the_adjustment() -> None:
    history = [
        {"subject": "c1", "year": 2024, "grade": "incompetent"},
        {"subject": "c1", "year": 2025, "grade": "incompetent"},
    ]
    outcome = zhiping.evaluate(document_graded("incompetent", history))
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


@pytest.mark.parametrize("grade", ["excellent", "competent", "basically_competent"])
def test_a_better_grade_now_after_an_incompetent_year_brings_nothing(grade: str) -> None:
    outcome = zhiping.evaluate(
        document_graded(grade, [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    assert outcome.subject("c1").grade == grade
    assert actions_of(outcome, "c1") == []


@pytest.mark.parametrize("earlier", ["excellent", "competent", "basically_competent"])
def test_incompetent_now_after_a_better_grade_last_year_brings_nothing(earlier: str) -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": earlier}])
    )
    assert actions_of(outcome, "c1") == []


def test_incompetent_now_without_any_history_brings_nothing() -> None:
    outcome = zhiping.evaluate(document_graded("incompetent"))
    assert actions_of(outcome, "c1") == []


def test_another_cadres_incompetent_year_does_not_count() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c2", "year": 2025, "grade": "incompetent"}])
    )
    assert actions_of(outcome, "c1") == []
    assert actions_of(outcome, "c2") == []


def test_history_passed_to_evaluate_counts_like_history_in_the_document() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent"),
        history=[HistoryEntry(subject="c1", year=2025, grade="incompetent")],
    )
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


def test_a_gap_year_in_history_passed_to_evaluate_brings_nothing() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent"),
        history=[HistoryEntry(subject="c1", year=2024, grade="incompetent")],
    )
    assert actions_of(outcome, "c1") == []


def test_history_passed_to_evaluate_agreeing_with_the_document_is_accepted() -> None:
    entry = {"subject": "c1", "year": 2025, "grade": "incompetent"}
    outcome = zhiping.evaluate(
        document_graded("incompetent", [entry]), history=[HistoryEntry(**entry)]
    )
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


def test_history_passed_to_evaluate_contradicting_the_document_is_an_input_error() -> None:
    document = document_graded(
        "incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    )
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(
            document, history=[HistoryEntry(subject="c1", year=2025, grade="competent")]
        )
    assert [p.path for p in raised.value.problems] == ["history[0]"]


def test_history_passed_to_evaluate_for_the_evaluated_year_is_an_input_error() -> None:
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(
            document_graded("incompetent"),
            history=[HistoryEntry(subject="c1", year=YEAR, grade="incompetent")],
        )
    assert [p.path for p in raised.value.problems] == ["history[0].year"]


def test_the_adjustment_is_traced_with_its_parameters() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    (entry,) = [
        t
        for t in outcome.trace
        if t.rule == "sanction.consecutive_incompetent" and t.subject == "c1"
    ]
    assert entry.pack == "xinzhou"
    assert entry.fulfilled is True
    assert entry.result == "organizational_adjustment"
    values = {use.name: use.value for use in entry.parameters}
    assert values["sanction.consecutive_incompetent.years"] == 2
    assert values["sanction.consecutive_incompetent.grade"] == "incompetent"


@pytest.mark.parametrize(
    ("in_office_since", "adjusted"),
    [("2025-12-31", True), ("2026-01-01", False), ("2026-09-01", False)],
)
def test_a_grade_from_before_the_cadre_took_office_does_not_count(
    in_office_since: str, adjusted: bool
) -> None:
    """Work year 2025 ends on 2025-12-31: a cadre in office from 2026 was not graded in it."""
    document = document_graded(
        "incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    )
    document["cadres"][0]["in_office_since"] = in_office_since
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == ([ADJUSTMENT] if adjusted else [])
