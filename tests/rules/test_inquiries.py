"""The Xinzhou inquiry rules: dated commitments, and carried commitments gone overdue."""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping.testing import session_document

HELD_ON = "2027-01-15"


def with_inquiry(
    answered: str, commitment: dict[str, Any] | None = None, to: str = "c1"
) -> dict[str, Any]:
    document = session_document()
    assert document["held_on"] == HELD_ON
    inquiry: dict[str, Any] = {"id": "q1", "to": to, "topic": "村道硬化进度", "answered": answered}
    if commitment is not None:
        inquiry["commitment"] = commitment
    document["inquiries"] = [inquiry]
    return document


def with_carried(due: str, fulfilled_on: str | None = None) -> dict[str, Any]:
    document = session_document()
    document["carried_commitments"] = [
        {"to": "c1", "text": "6月底前完工", "due": due, "fulfilled_on": fulfilled_on, "year": 2025}
    ]
    return document


# inquiry.commitment: an inquiry not answered on site needs a commitment with a due date.


@pytest.mark.parametrize("answered", ["later", "no"])
def test_an_inquiry_not_answered_on_site_without_a_commitment_is_a_warning(
    answered: str,
) -> None:
    outcome = zhiping.evaluate(with_inquiry(answered))
    assert outcome.status == "valid"
    (finding,) = outcome.findings_of("inquiry.commitment")
    assert finding.severity == "warning"
    assert finding.subject == "c1"
    assert finding.facts["inquiry"] == "q1"


def test_an_inquiry_answered_later_with_an_undated_commitment_is_a_warning() -> None:
    outcome = zhiping.evaluate(with_inquiry("later", {"text": "尽快完工"}))
    assert len(outcome.findings_of("inquiry.commitment")) == 1
    assert outcome.status == "valid"


def test_an_inquiry_answered_later_with_a_dated_commitment_is_fine() -> None:
    outcome = zhiping.evaluate(with_inquiry("later", {"text": "6月底前完工", "due": "2027-06-30"}))
    assert outcome.findings == ()


def test_an_inquiry_answered_on_site_needs_no_commitment() -> None:
    outcome = zhiping.evaluate(with_inquiry("on_site"))
    assert outcome.findings == ()


def test_an_inquiry_to_the_organization_is_checked_alike() -> None:
    outcome = zhiping.evaluate(with_inquiry("later", to="organization"))
    (finding,) = outcome.findings_of("inquiry.commitment")
    assert finding.subject == "organization"


def test_each_inquiry_without_a_dated_commitment_is_reported() -> None:
    document = with_inquiry("later")
    document["inquiries"] += [
        {"id": "q2", "to": "c2", "topic": "低保评定", "answered": "on_site"},
        {"id": "q3", "to": "c2", "topic": "集体账目", "answered": "no"},
    ]
    outcome = zhiping.evaluate(document)
    assert [f.facts["inquiry"] for f in outcome.findings_of("inquiry.commitment")] == ["q1", "q3"]


# commitment.overdue: a carried commitment due before held_on and not fulfilled.


def test_a_carried_commitment_due_before_the_session_and_unfulfilled_is_overdue() -> None:
    outcome = zhiping.evaluate(with_carried(due="2026-06-30"))
    assert outcome.status == "valid"
    (finding,) = outcome.findings_of("commitment.overdue")
    assert finding.severity == "warning"
    assert finding.subject == "c1"


def test_a_carried_commitment_due_the_day_before_the_session_is_overdue() -> None:
    outcome = zhiping.evaluate(with_carried(due="2027-01-14"))
    assert len(outcome.findings_of("commitment.overdue")) == 1


def test_a_carried_commitment_due_on_the_day_of_the_session_is_not_yet_overdue() -> None:
    outcome = zhiping.evaluate(with_carried(due=HELD_ON))
    assert outcome.findings_of("commitment.overdue") == ()


def test_a_carried_commitment_due_after_the_session_is_not_overdue() -> None:
    outcome = zhiping.evaluate(with_carried(due="2027-06-30"))
    assert outcome.findings == ()


@pytest.mark.parametrize("fulfilled_on", ["2026-06-01", "2026-06-30", "2026-12-01"])
def test_a_fulfilled_carried_commitment_is_not_overdue(fulfilled_on: str) -> None:
    """Fulfilled before, on, or after its due date (but before the session)."""
    outcome = zhiping.evaluate(with_carried(due="2026-06-30", fulfilled_on=fulfilled_on))
    assert outcome.findings == ()
