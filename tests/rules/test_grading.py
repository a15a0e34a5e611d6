"""Grading: the Xinzhou grade thresholds (DESIGN §5, assumed), bands of a score, vetoes.

With n valid votes, d dissatisfied and s satisfied: ``incompetent`` if 2d ≥ n; else
``basically_competent`` if 3d > n; else ``excellent`` if 10s ≥ 9n; else ``competent``.
``score_bands`` gives the highest band whose minimum the score reaches, and no grade
without a score; ``veto_grade`` gives its grade to a vetoed subject, whatever its grade.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from rule_runs import Run

import zhiping
from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import RuleContext, mechanism
from zhiping.rules.eligibility import organization_not_evaluated
from zhiping.rules.grading import score_bands, veto_grade
from zhiping.testing import as_cast, session_document


def document_for(
    satisfied: int = 0,
    basically_satisfied: int = 0,
    dissatisfied: int = 0,
    abstain: int = 0,
    invalid: int = 0,
) -> dict[str, Any]:
    """A valid document whose cadre c1 got these marks; the organization all satisfied."""
    c1 = {
        "satisfied": satisfied,
        "basically_satisfied": basically_satisfied,
        "dissatisfied": dissatisfied,
        "abstain": abstain,
        "invalid": invalid,
    }
    returned = sum(c1.values())
    assert returned <= 62  # 30 party members and 32 representatives present
    return session_document(cadres=1, counts={"organization": {"satisfied": returned}, "c1": c1})


def grade_of(**marks: int) -> str | None:
    outcome = zhiping.evaluate(document_for(**marks))
    assert outcome.status == "valid"
    return outcome.subject("c1").grade


# incompetent: 2d ≥ n.


def test_exactly_half_dissatisfied_is_incompetent() -> None:
    """n = 62, d = 31: 2d = 62 ≥ 62."""
    assert grade_of(satisfied=31, dissatisfied=31) == "incompetent"


def test_one_fewer_than_half_dissatisfied_is_not_incompetent() -> None:
    """n = 62, d = 30: 2d = 60 < 62; 3d = 90 > 62, so basically competent."""
    assert grade_of(satisfied=32, dissatisfied=30) == "basically_competent"


def test_exactly_half_of_an_odd_number_rounds_up_for_incompetent() -> None:
    """n = 61: d = 31 gives 62 ≥ 61, incompetent; d = 30 gives 60 < 61."""
    assert grade_of(satisfied=30, dissatisfied=31) == "incompetent"
    assert grade_of(satisfied=31, dissatisfied=30) == "basically_competent"


def test_all_dissatisfied_is_incompetent() -> None:
    assert grade_of(dissatisfied=62) == "incompetent"


# basically_competent: 3d > n (and 2d < n).


def test_exactly_a_third_dissatisfied_is_not_basically_competent() -> None:
    """n = 60, d = 20: 3d = 60 is not > 60; s = 40: 400 < 540, so competent."""
    assert grade_of(satisfied=40, dissatisfied=20) == "competent"


def test_one_more_than_a_third_dissatisfied_is_basically_competent() -> None:
    """n = 60, d = 21: 3d = 63 > 60; 2d = 42 < 60."""
    assert grade_of(satisfied=39, dissatisfied=21) == "basically_competent"


def test_a_third_dissatisfied_is_competent_even_when_the_rest_are_basically_satisfied() -> None:
    """n = 60, d = 20, b = 40, s = 0."""
    assert grade_of(basically_satisfied=40, dissatisfied=20) == "competent"


# excellent: 10s ≥ 9n (and 3d ≤ n).


def test_exactly_ninety_percent_satisfied_is_excellent() -> None:
    """n = 60, s = 54: 540 ≥ 540."""
    assert grade_of(satisfied=54, basically_satisfied=6) == "excellent"


def test_one_fewer_than_ninety_percent_satisfied_is_competent() -> None:
    """n = 60, s = 53: 530 < 540."""
    assert grade_of(satisfied=53, basically_satisfied=7) == "competent"


def test_ninety_percent_satisfied_with_the_rest_dissatisfied_is_excellent() -> None:
    """n = 60, s = 54, d = 6: 3d = 18 ≤ 60, then 540 ≥ 540."""
    assert grade_of(satisfied=54, dissatisfied=6) == "excellent"


def test_ninety_percent_of_an_uneven_n_rounds_up() -> None:
    """n = 62: 9n = 558, so s = 56 (560) is excellent and s = 55 (550) is not."""
    assert grade_of(satisfied=56, basically_satisfied=6) == "excellent"
    assert grade_of(satisfied=55, basically_satisfied=7) == "competent"


@pytest.mark.parametrize(
    ("satisfied", "basically_satisfied", "dissatisfied", "grade"),
    [
        (1, 0, 0, "excellent"),
        (0, 1, 0, "competent"),
        (0, 0, 1, "incompetent"),
        (1, 0, 1, "incompetent"),  # 2d = 2 ≥ 2
        (2, 0, 1, "competent"),  # n = 3: 2d = 2 < 3; 3d = 3 is not > 3; 20 < 27
        (1, 1, 1, "competent"),  # n = 3: as above, 10 < 27
        (1, 0, 2, "incompetent"),  # n = 3: 2d = 4 ≥ 3
        (3, 0, 2, "basically_competent"),  # n = 5: 2d = 4 < 5; 3d = 6 > 5
        (9, 0, 1, "excellent"),  # 3d = 3 ≤ 10; 10s = 90 ≥ 90
        (8, 1, 1, "competent"),  # 80 < 90
        (5, 5, 0, "competent"),
    ],
)
def test_small_tallies_follow_the_thresholds(
    satisfied: int, basically_satisfied: int, dissatisfied: int, grade: str
) -> None:
    assert (
        grade_of(
            satisfied=satisfied,
            basically_satisfied=basically_satisfied,
            dissatisfied=dissatisfied,
        )
        == grade
    )


# Abstentions and invalid marks are not valid votes.


def test_abstentions_and_invalid_marks_are_left_out_of_n_for_incompetent() -> None:
    """d = 30, s = 30, 1 abstention, 1 invalid: n = 60 and 2d = 60 ≥ 60 (not n = 62)."""
    outcome = zhiping.evaluate(document_for(satisfied=30, dissatisfied=30, abstain=1, invalid=1))
    c1 = outcome.subject("c1")
    assert c1.tally is not None
    assert c1.tally.valid_votes == 60
    assert c1.grade == "incompetent"


def test_abstentions_are_left_out_of_n_for_excellent() -> None:
    """s = 54, b = 6, 2 abstentions: n = 60 and 540 ≥ 540 (with n = 62, 540 < 558)."""
    assert grade_of(satisfied=54, basically_satisfied=6, abstain=2) == "excellent"


def test_invalid_marks_are_left_out_of_n_for_basically_competent() -> None:
    """d = 20, s = 39, 3 invalid: n = 59 and 3d = 60 > 59 (with n = 62, 60 ≤ 62)."""
    assert grade_of(satisfied=39, dissatisfied=20, invalid=3) == "basically_competent"


def test_the_thresholds_apply_alike_to_cast_ballots_with_unknown_and_misspelt_marks() -> None:
    """As cast ballots: 30 dissatisfied, 30 satisfied, one `unknown`, one misspelt mark."""
    document = as_cast(document_for(satisfied=30, dissatisfied=30, abstain=2))
    cast = document["ballots"]["cast"]
    abstaining = [b for b in cast if "c1" not in b["marks"]]
    abstaining[0]["marks"]["c1"] = "unknown"
    abstaining[1]["marks"]["c1"] = "dissatisfed"
    outcome = zhiping.evaluate(document)
    tally = outcome.subject("c1").tally
    assert tally is not None
    assert (tally.valid_votes, tally.abstain, tally.invalid) == (60, 1, 1)
    assert outcome.subject("c1").grade == "incompetent"


# No valid votes: no grade, a warning.


@pytest.mark.parametrize(("abstain", "invalid"), [(62, 0), (0, 62), (31, 31)])
def test_no_valid_votes_gives_no_grade_and_a_warning(abstain: int, invalid: int) -> None:
    outcome = zhiping.evaluate(document_for(abstain=abstain, invalid=invalid))
    assert outcome.status == "valid"
    c1 = outcome.subject("c1")
    assert c1.grade is None
    assert c1.pay is None
    (finding,) = outcome.findings_of("grade.no_valid_votes")
    assert finding.severity == "warning"
    assert finding.subject == "c1"
    assert outcome.subject("organization").grade == "excellent"


def test_one_valid_vote_is_enough_for_a_grade() -> None:
    outcome = zhiping.evaluate(document_for(basically_satisfied=1, abstain=61))
    assert outcome.subject("c1").grade == "competent"
    assert outcome.findings_of("grade.no_valid_votes") == ()


def test_the_organization_is_graded_with_the_same_thresholds() -> None:
    """The organization with n = 60 and d = 30 is incompetent, like a cadre."""
    c1 = {"satisfied": 62}
    organization = {"satisfied": 30, "dissatisfied": 30, "abstain": 2}
    outcome = zhiping.evaluate(
        session_document(cadres=1, counts={"organization": organization, "c1": c1})
    )
    assert outcome.subject("organization").grade == "incompetent"
    organization["dissatisfied"], organization["satisfied"] = 29, 31
    outcome = zhiping.evaluate(
        session_document(cadres=1, counts={"organization": organization, "c1": c1})
    )
    assert outcome.subject("organization").grade == "basically_competent"


def test_grades_are_traced_with_assumed_thresholds() -> None:
    outcome = zhiping.evaluate(document_for(satisfied=31, dissatisfied=31))
    (entry,) = [t for t in outcome.trace if t.rule == "grade.thresholds" and t.subject == "c1"]
    assert entry.pack == "xinzhou"
    assert entry.result == "incompetent"
    assert entry.parameters
    assert all(use.assumed for use in entry.parameters)


def test_no_valid_votes_is_traced_as_no_grade_with_the_tally() -> None:
    outcome = zhiping.evaluate(document_for(abstain=60, invalid=2))
    (entry,) = [t for t in outcome.trace if t.rule == "grade.thresholds" and t.subject == "c1"]
    assert (entry.fulfilled, entry.result) == (False, None)
    assert entry.inputs["abstain"] == 60
    assert entry.message.en == "干部1 (c1) has no valid votes; no grade"


# score_bands (温江: ≥ 90 excellent, ≥ 80 competent, ≥ 70 basically competent, else
# incompetent), applied alone to the scores a test gives.

BANDS = {
    "excellent": Decimal("90"),
    "competent": Decimal("80"),
    "basically_competent": Decimal("70"),
}


@mechanism("scores_given", stage="score")
def scores_given(ctx: RuleContext) -> None:
    """Stand for a score stage (the tests set the scores through the context)."""


def banded(*scores: Fraction | None, vetoes: tuple[tuple[str, str], ...] = ()) -> Run:
    """Grade cadres c1, c2, … whose scores are these (None: the score stage gave none)."""
    document = session_document(cadres=len(scores))
    document["vetoes"] = [{"subject": subject, "reason": reason} for subject, reason in vetoes]
    run = Run.of(document)
    run.apply(organization_not_evaluated, "eligibility.organization")
    scorer = run.context(scores_given)
    for index, score in enumerate(scores, 1):
        scorer.score(f"c{index}", score, Text(zh="得分", en="score"))
    return run.apply(score_bands, "grade.bands", bands=BANDS, otherwise="incompetent")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (Fraction(90), "excellent"),
        (Fraction(8999, 100), "competent"),
        (Fraction(80), "competent"),
        (Fraction(79999, 1000), "basically_competent"),
        (Fraction(70), "basically_competent"),
        (Fraction(209, 3), "incompetent"),  # 69.67
        (Fraction(0), "incompetent"),
        (Fraction(100), "excellent"),
    ],
)
def test_a_score_earns_the_highest_band_whose_minimum_it_reaches(
    score: Fraction, grade: str
) -> None:
    run = banded(score)
    assert run.evaluation.grades["c1"] == grade
    entry = run.entry("grade.bands", "c1")
    assert (entry.result, entry.fulfilled) == (grade, True)


def test_a_subject_without_a_score_gets_no_grade_and_an_entry_saying_so() -> None:
    run = banded(Fraction(95), None)
    assert run.evaluation.grades == {"c1": "excellent", "c2": None}
    entry = run.entry("grade.bands", "c2")
    assert (entry.result, entry.fulfilled, dict(entry.inputs)) == (None, False, {"score": None})
    assert entry.message.en == "干部2 (c2) has no score; no grade"


def test_grading_by_score_without_a_score_stage_is_a_pack_error() -> None:
    run = Run.of(session_document(cadres=1))
    with pytest.raises(PackError, match="grades by score, but no rule of the chain scored org"):
        run.apply(score_bands, "grade.bands", bands=BANDS, otherwise="incompetent")


# veto_grade: a one-vote-veto item gives its grade, whatever the grade before.


def test_a_veto_overrides_the_grade_and_is_a_finding_with_the_grade_before() -> None:
    vetoed = banded(Fraction(95), Fraction(85), vetoes=(("c1", "违法违纪"),))
    vetoed.apply(veto_grade, "grade.veto", severity="warning", grade="incompetent")
    assert vetoed.evaluation.grades == {"c1": "incompetent", "c2": "competent"}
    (finding,) = vetoed.findings
    assert (finding.rule, finding.severity, finding.subject) == ("grade.veto", "warning", "c1")
    assert dict(finding.facts) == {"reason": "违法违纪", "grade_before": "excellent"}
    entries = [e for e in vetoed.trace if e.subject == "c1" and e.stage == "grade"]
    assert [(e.rule, e.result) for e in entries] == [
        ("grade.bands", "excellent"),
        ("grade.veto", "incompetent"),
    ]


def test_a_veto_of_a_subject_not_evaluated_is_ignored() -> None:
    document = session_document(cadres=1)
    document["vetoes"] = [{"subject": "organization", "reason": "软弱涣散"}]
    run = Run.of(document)
    run.apply(organization_not_evaluated, "eligibility.organization")
    run.apply(veto_grade, "grade.veto", severity="warning", grade="incompetent")
    assert run.evaluation.grades == {}
    assert run.findings == []


def test_a_withheld_score_grades_as_any_other_and_is_printed_as_withheld() -> None:
    """A score of 85 withheld for ballot secrecy: competent (≥ 80), and no 85 anywhere."""
    run = Run.of(session_document(cadres=1))
    run.apply(organization_not_evaluated, "eligibility.organization")
    run.context(scores_given).score("c1", Fraction(85), Text(zh="得分", en="score"), withheld=True)
    run.apply(score_bands, "grade.bands", bands=BANDS, otherwise="incompetent")
    entry = run.entry("grade.bands", "c1")
    assert run.evaluation.grades["c1"] == "competent"
    assert dict(entry.inputs) == {"score": "withheld"}
    assert entry.message.zh == "干部1(c1)得分不公开,评定为称职"
    assert entry.message.en == "干部1 (c1) scores withheld: graded competent"
