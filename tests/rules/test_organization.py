"""The Xinzhou rule for the party organization: graded incompetent → rectification."""

from __future__ import annotations

import pytest

import zhiping
from zhiping.testing import session_document

MARKS_FOR = {
    "excellent": {"satisfied": 60},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}
RECTIFICATION = ("weak_organization_rectification", "organization.weak", "xinzhou")


def organization_graded(marks: dict[str, int]) -> zhiping.Outcome:
    document = session_document(
        cadres=1, counts={"organization": marks, "c1": {"satisfied": sum(marks.values())}}
    )
    return zhiping.evaluate(document)


def actions_of(outcome: zhiping.Outcome, subject: str) -> list[tuple[str, str, str]]:
    return [(a.kind, a.rule, a.pack) for a in outcome.subject(subject).actions]


def test_an_incompetent_organization_is_rectified_as_a_weak_organization() -> None:
    outcome = organization_graded(MARKS_FOR["incompetent"])
    assert outcome.status == "valid"
    assert outcome.subject("organization").grade == "incompetent"
    assert actions_of(outcome, "organization") == [RECTIFICATION]
    assert actions_of(outcome, "c1") == []


def test_an_organization_one_vote_short_of_incompetent_is_not_rectified() -> None:
    """n = 60, d = 29: 2d = 58 < 60, so basically competent."""
    outcome = organization_graded({"satisfied": 31, "dissatisfied": 29})
    assert outcome.subject("organization").grade == "basically_competent"
    assert actions_of(outcome, "organization") == []


@pytest.mark.parametrize("grade", ["excellent", "competent", "basically_competent"])
def test_an_organization_with_a_better_grade_gets_no_action(grade: str) -> None:
    outcome = organization_graded(MARKS_FOR[grade])
    assert outcome.subject("organization").grade == grade
    assert actions_of(outcome, "organization") == []


def test_an_organization_without_valid_votes_gets_no_grade_and_no_action() -> None:
    outcome = organization_graded({"abstain": 60})
    assert outcome.subject("organization").grade is None
    assert actions_of(outcome, "organization") == []
    (finding,) = outcome.findings_of("grade.no_valid_votes")
    assert finding.subject == "organization"


def test_an_incompetent_cadre_does_not_make_the_organization_weak() -> None:
    document = session_document(
        cadres=1,
        counts={"organization": MARKS_FOR["excellent"], "c1": MARKS_FOR["incompetent"]},
    )
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "organization") == []


def test_the_rectification_is_traced() -> None:
    outcome = organization_graded(MARKS_FOR["incompetent"])
    (entry,) = [t for t in outcome.trace if t.rule == "organization.weak"]
    assert entry.pack == "xinzhou"
    assert entry.subject == "organization"
    assert entry.fulfilled is True
    assert entry.result == "weak_organization_rectification"
