"""The bundled pack ``wenjiang`` (成都市温江区, prefix 510115), case by case.

Every expected value is worked out by hand from ``reference/variants.md`` (wenjiang),
with n valid votes, s satisfied, b basically satisfied, d dissatisfied:

- democratic score D = 100 × (s + b) / n; township score T and target score G from
  ``assessments``; composite = 0.3 D + 0.2 T + 0.5 G, exact;
- missing T or G: warning ``assessment.missing``, no grade;
- ``grade.bands``: ≥ 90 ``excellent``; ≥ 80 ``competent``; ≥ 70 ``basically_competent``;
  else ``incompetent``;
- a veto: grade ``incompetent`` and a ``grade.veto`` finding with the reason;
- ``sanction.low_satisfaction``: 2(s + b) < n → ``adjustment_or_recall``, whatever the band;
- the organization is not graded (``eligible: false``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import zhiping
from zhiping.testing import PackTests, counted, session_document

VILLAGE = "510115001001"  # 成都市温江区

Document = dict[str, Any]


class TestWenjiang(PackTests):
    pack = "wenjiang"


def wenjiang_document(
    c1: Mapping[str, int],
    *,
    township_committee: str | None = "100",
    target: str | None = "100",
    vetoes: list[dict[str, str]] | None = None,
) -> Document:
    """A valid Wenjiang session (62 evaluators present) whose cadre c1 got these marks
    and these assessments; the organization all satisfied."""
    returned = sum(c1.values())
    assert returned <= 62  # 30 party members and 32 representatives present
    document = session_document(
        village_code=VILLAGE,
        cadres=1,
        counts={"organization": {"satisfied": returned}, "c1": dict(c1)},
    )
    assessments: dict[str, dict[str, str]] = {}
    if township_committee is not None:
        assessments["township_committee"] = {"c1": township_committee}
    if target is not None:
        assessments["target"] = {"c1": target}
    document["assessments"] = assessments
    if vetoes is not None:
        document["vetoes"] = vetoes
    return document


def outcome_of(c1: Mapping[str, int], **options: Any) -> zhiping.Outcome:
    outcome = zhiping.evaluate(wenjiang_document(c1, **options))
    assert outcome.status == "valid"
    return outcome


def action_kinds(outcome: zhiping.Outcome, subject: str = "c1") -> list[str]:
    return [action.kind for action in outcome.subject(subject).actions]


def test_the_chain_is_cn_then_wenjiang() -> None:
    outcome = outcome_of(counted(satisfied=10))
    assert outcome.packs == ("cn", "wenjiang")


def test_the_organization_is_not_graded() -> None:
    """All ten ballots mark the organization satisfied; it still gets no grade."""
    outcome = outcome_of(counted(satisfied=10))
    organization = outcome.subject("organization")
    assert organization.eligible is False
    assert (organization.grade, organization.actions) == (None, ())
    assert outcome.subject("c1").eligible is True


def test_a_veto_of_the_organization_grades_nothing() -> None:
    outcome = outcome_of(
        counted(satisfied=10), vetoes=[{"subject": "organization", "reason": "班子不团结"}]
    )
    assert outcome.subject("organization").grade is None
    assert outcome.subject("c1").grade == "excellent"  # 30 + 20 + 50 = 100


# score.composite and grade.bands: each band's least score, and just below it.


@pytest.mark.parametrize(
    ("c1", "township_committee", "target", "grade"),
    [
        # n = 10, s = 10: D = 100; 0.3 × 100 + 0.2 × 89.5 + 0.5 × 84.2 = 30 + 17.9 + 42.1 = 90
        (counted(satisfied=10), "89.5", "84.2", "excellent"),
        # 30 + 17.9 + 0.5 × 84.1 = 30 + 17.9 + 42.05 = 89.95
        (counted(satisfied=10), "89.5", "84.1", "competent"),
        # s = 6, b = 3, d = 1: D = 90; 27 + 18 + 45 = 90 (basically satisfied counts in D)
        (counted(satisfied=6, basically_satisfied=3, dissatisfied=1), "90", "90", "excellent"),
        # 27 + 18 + 0.5 × 89.999998 = 27 + 18 + 44.999999 = 89.999999
        (
            counted(satisfied=6, basically_satisfied=3, dissatisfied=1),
            "90",
            "89.999998",
            "competent",
        ),
        # s = 5, b = 3, d = 2: D = 80; 24 + 16 + 40 = 80
        (counted(satisfied=5, basically_satisfied=3, dissatisfied=2), "80", "80", "competent"),
        # 24 + 16 + 0.5 × 79.98 = 24 + 16 + 39.99 = 79.99
        (
            counted(satisfied=5, basically_satisfied=3, dissatisfied=2),
            "80",
            "79.98",
            "basically_competent",
        ),
        # s = 7, d = 3: D = 70; 21 + 14 + 35 = 70
        (counted(satisfied=7, dissatisfied=3), "70", "70", "basically_competent"),
        # 21 + 0.2 × 69.95 + 35 = 21 + 13.99 + 35 = 69.99
        (counted(satisfied=7, dissatisfied=3), "69.95", "70", "incompetent"),
        # n = 3, s = 1, b = 1: D = 200/3, not a decimal; 0.3 × 200/3 = 20; 20 + 15 + 35 = 70
        (
            counted(satisfied=1, basically_satisfied=1, dissatisfied=1),
            "75",
            "70",
            "basically_competent",
        ),
        # 20 + 15 + 0.5 × 69.99 = 20 + 15 + 34.995 = 69.995
        (counted(satisfied=1, basically_satisfied=1, dissatisfied=1), "75", "69.99", "incompetent"),
        # n = 3, s = 2: D = 200/3 again; 20 + 0.2 × 100 + 0.5 × 100 = 90
        (counted(satisfied=2, dissatisfied=1), "100", "100", "excellent"),
        # all dissatisfied: D = 0; 0 + 20 + 50 = 70: the band alone says basically competent
        (counted(dissatisfied=10), "100", "100", "basically_competent"),
        # D = 100; 30 + 0 + 0 = 30
        (counted(satisfied=10), "0", "0", "incompetent"),
    ],
)
def test_the_composite_score_falls_in_a_band(
    c1: dict[str, int], township_committee: str, target: str, grade: str
) -> None:
    outcome = outcome_of(c1, township_committee=township_committee, target=target)
    assert outcome.subject("c1").grade == grade


def test_abstentions_and_invalid_marks_are_left_out_of_the_democratic_score() -> None:
    """s = 9, d = 1, 4 abstentions, 1 invalid: n = 10, D = 90; 27 + 18 + 45 = 90.
    Counting the 15 returned ballots would give D = 60 and 18 + 18 + 45 = 81."""
    c1 = counted(satisfied=9, dissatisfied=1, abstain=4, invalid=1)
    outcome = outcome_of(c1, township_committee="90", target="90")
    assert outcome.subject("c1").grade == "excellent"


# assessment.missing: no township or no target score, no grade.


@pytest.mark.parametrize(
    ("township_committee", "target", "missing"),
    [
        (None, "100", "township_committee"),
        ("100", None, "target"),
    ],
)
def test_a_missing_assessment_gives_a_warning_and_no_grade(
    township_committee: str | None, target: str | None, missing: str
) -> None:
    outcome = outcome_of(
        counted(satisfied=10), township_committee=township_committee, target=target
    )
    assert outcome.subject("c1").grade is None
    (finding,) = outcome.findings_of("assessment.missing")
    assert (finding.severity, finding.subject) == ("warning", "c1")
    assert missing in finding.facts["missing"]


def test_both_assessments_missing_gives_one_warning_naming_both() -> None:
    outcome = outcome_of(counted(satisfied=10), township_committee=None, target=None)
    assert outcome.subject("c1").grade is None
    (finding,) = outcome.findings_of("assessment.missing")
    assert {"township_committee", "target"} <= set(finding.facts["missing"])


def test_an_assessment_of_another_subject_does_not_score_the_cadre() -> None:
    """The township scored only the second cadre: the first has no T."""
    document = wenjiang_document(counted(satisfied=10))
    second = dict(document["cadres"][0], id="c2", name="干部2")
    document["cadres"].append(second)
    document["ballots"]["counts"]["c2"] = counted(satisfied=10)
    document["assessments"] = {
        "township_committee": {"c2": "90"},
        "target": {"c1": "90", "c2": "90"},
    }
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c2").grade == "excellent"  # 30 + 18 + 45 = 93
    (finding,) = outcome.findings_of("assessment.missing")
    assert finding.subject == "c1"


def test_all_assessments_present_gives_no_warning() -> None:
    outcome = outcome_of(counted(satisfied=10))
    assert outcome.findings_of("assessment.missing") == ()


# No valid votes: no democratic score, so no composite and no grade.


@pytest.mark.parametrize(
    "c1", [counted(abstain=10), counted(invalid=10), counted(abstain=6, invalid=4)]
)
def test_no_valid_votes_gives_no_score_and_no_grade(c1: dict[str, int]) -> None:
    outcome = outcome_of(c1, township_committee="100", target="100")
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c1").actions == ()


# grade.veto: incompetent whatever the score, with the reason.


def test_a_veto_makes_a_cadre_with_full_marks_incompetent() -> None:
    """D = T = G = 100: composite 100, excellent but for the veto."""
    reason = "违反计划生育政策"
    outcome = outcome_of(counted(satisfied=10), vetoes=[{"subject": "c1", "reason": reason}])
    assert outcome.subject("c1").grade == "incompetent"
    (finding,) = outcome.findings_of("grade.veto")
    assert finding.subject == "c1"
    assert finding.facts["reason"] == reason
    assert reason in finding.message.zh
    assert reason in finding.message.en


def test_a_veto_of_one_cadre_leaves_another_alone() -> None:
    document = wenjiang_document(
        counted(satisfied=10), vetoes=[{"subject": "c2", "reason": "贪污"}]
    )
    second = dict(document["cadres"][0], id="c2", name="干部2")
    document["cadres"].append(second)
    document["ballots"]["counts"]["c2"] = counted(satisfied=10)
    document["assessments"]["township_committee"]["c2"] = "100"
    document["assessments"]["target"]["c2"] = "100"
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade == "excellent"
    assert outcome.subject("c2").grade == "incompetent"
    (finding,) = outcome.findings_of("grade.veto")
    assert finding.subject == "c2"


def test_without_a_veto_there_is_no_veto_finding() -> None:
    assert outcome_of(counted(satisfied=10)).findings_of("grade.veto") == ()


# sanction.low_satisfaction: 2(s + b) < n → adjustment_or_recall, whatever the band.


def test_exactly_half_satisfied_brings_no_action() -> None:
    """n = 10, s + b = 5: 2 × 5 = 10 is not < 10. Composite 15 + 20 + 50 = 85."""
    outcome = outcome_of(counted(satisfied=3, basically_satisfied=2, dissatisfied=5))
    assert outcome.subject("c1").grade == "competent"
    assert action_kinds(outcome) == []


def test_one_fewer_than_half_satisfied_brings_recall_even_when_competent() -> None:
    """n = 10, s + b = 4: 8 < 10. Composite 0.3 × 40 + 20 + 50 = 82: competent all the same."""
    outcome = outcome_of(counted(satisfied=2, basically_satisfied=2, dissatisfied=6))
    c1 = outcome.subject("c1")
    assert c1.grade == "competent"
    ((action,),) = [c1.actions]
    assert (action.kind, action.rule) == ("adjustment_or_recall", "sanction.low_satisfaction")


def test_half_of_an_odd_number_satisfied_rounds_up() -> None:
    """n = 11: s + b = 6 gives 12 ≥ 11, no action; s + b = 5 gives 10 < 11, recall."""
    assert action_kinds(outcome_of(counted(satisfied=6, dissatisfied=5))) == []
    assert action_kinds(outcome_of(counted(satisfied=5, dissatisfied=6))) == [
        "adjustment_or_recall"
    ]


def test_basically_satisfied_counts_as_satisfied_for_the_sanction() -> None:
    """n = 10, b = 5, s = 0: 2 × 5 = 10 is not < 10."""
    assert action_kinds(outcome_of(counted(basically_satisfied=5, dissatisfied=5))) == []


def test_all_dissatisfied_brings_recall_in_the_basically_competent_band() -> None:
    """D = 0: 0 + 20 + 50 = 70, basically competent; 0 < 10: recall."""
    outcome = outcome_of(counted(dissatisfied=10))
    assert outcome.subject("c1").grade == "basically_competent"
    assert action_kinds(outcome) == ["adjustment_or_recall"]


def test_abstentions_are_left_out_of_n_for_the_sanction() -> None:
    """s = 5, d = 5, 4 abstentions, 1 invalid: n = 10 and 10 is not < 10 (with 15: 10 < 15)."""
    outcome = outcome_of(counted(satisfied=5, dissatisfied=5, abstain=4, invalid=1))
    assert action_kinds(outcome) == []


def test_low_satisfaction_and_a_veto_both_apply() -> None:
    """n = 10, s = 4: 8 < 10, recall; and the veto makes the cadre incompetent."""
    outcome = outcome_of(
        counted(satisfied=4, dissatisfied=6), vetoes=[{"subject": "c1", "reason": "失职"}]
    )
    assert outcome.subject("c1").grade == "incompetent"
    assert action_kinds(outcome) == ["adjustment_or_recall"]


def test_a_void_session_applies_no_recall() -> None:
    """Issued 63 > 62 evaluators present: void; nothing is applied, low satisfaction or not."""
    document = wenjiang_document(counted(dissatisfied=10))
    document["ballots"]["issued"] = 63
    outcome = zhiping.evaluate(document)
    assert outcome.status == "void"
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c1").actions == ()
