"""The ballot rules: issued, returned, unknown subjects, and how marks are tallied."""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping.testing import as_cast, session_document


def ballots_of(
    document: dict[str, Any], *, issued: int, returned: int, c1: dict[str, int] | None = None
) -> dict[str, Any]:
    """Set the ballots: every subject satisfied on each returned ballot, unless ``c1`` is given."""
    counts = {
        "organization": {"satisfied": returned},
        "c1": c1 if c1 is not None else {"satisfied": returned},
    }
    document["ballots"] = {"issued": issued, "returned": returned, "counts": counts}
    return document


def one_cadre() -> dict[str, Any]:
    """A valid document with 62 evaluators present (30 party members, 32 representatives)."""
    return session_document(cadres=1)


# ballots.issued: issued ≤ evaluators present.


def test_issuing_one_ballot_more_than_evaluators_present_voids_the_session() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=63, returned=62))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("ballots.issued")
    assert finding.severity == "violation"
    assert finding.facts == {"issued": 63, "evaluators": 62}
    assert [f.rule for f in outcome.findings] == ["ballots.issued"]


def test_issuing_exactly_as_many_ballots_as_evaluators_is_fine() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=62, returned=62))
    assert outcome.status == "valid"
    assert outcome.findings == ()


def test_issuing_fewer_ballots_than_evaluators_is_fine() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=50, returned=50))
    assert outcome.findings_of("ballots.issued") == ()


def test_invitees_of_a_recognised_kind_are_evaluators_for_the_ballot_count() -> None:
    """30 + 32 + 3 invitees = 65 evaluators; 65 ballots fine, 66 too many."""
    document = session_document(cadres=1, invitees=3)
    assert zhiping.evaluate(ballots_of(document, issued=65, returned=65)).findings == ()
    outcome = zhiping.evaluate(ballots_of(document, issued=66, returned=65))
    assert len(outcome.findings_of("ballots.issued")) == 1


# ballots.returned: returned ≤ issued.


def test_returning_one_ballot_more_than_issued_voids_the_session() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=60, returned=61))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("ballots.returned")
    assert finding.severity == "violation"
    assert finding.facts == {"issued": 60, "returned": 61}
    assert [f.rule for f in outcome.findings] == ["ballots.returned"]


def test_returning_as_many_ballots_as_issued_is_fine() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=60, returned=60))
    assert outcome.status == "valid"
    assert outcome.findings_of("ballots.returned") == ()


def test_returning_fewer_ballots_than_issued_is_fine() -> None:
    outcome = zhiping.evaluate(ballots_of(one_cadre(), issued=60, returned=55))
    assert outcome.status == "valid"
    assert outcome.findings == ()


# ballots.unknown_subject: marks for subjects that do not exist are ignored and reported.


def test_marks_for_an_unknown_subject_in_cast_ballots_are_a_warning_and_ignored() -> None:
    document = as_cast(ballots_of(one_cadre(), issued=62, returned=62))
    for ballot in document["ballots"]["cast"][:10]:
        ballot["marks"]["c9"] = "dissatisfied"
    outcome = zhiping.evaluate(document)
    (finding,) = outcome.findings_of("ballots.unknown_subject")
    assert finding.severity == "warning"
    assert finding.facts["subjects"] == ["c9"]
    assert outcome.status == "valid"
    assert [s.id for s in outcome.subjects] == ["organization", "c1"]
    for subject in outcome.subjects:
        assert subject.tally is not None
        assert subject.tally.to_json() == {
            "satisfied": 62,
            "basically_satisfied": 0,
            "dissatisfied": 0,
            "abstain": 0,
            "invalid": 0,
        }
        assert subject.grade == "excellent"


def test_counts_for_an_unknown_subject_are_a_warning_and_ignored() -> None:
    document = ballots_of(one_cadre(), issued=62, returned=62)
    document["ballots"]["counts"]["c9"] = {"dissatisfied": 62}
    outcome = zhiping.evaluate(document)
    (finding,) = outcome.findings_of("ballots.unknown_subject")
    assert finding.facts["subjects"] == ["c9"]
    assert outcome.status == "valid"
    with pytest.raises(KeyError):
        outcome.subject("c9")
    assert outcome.subject("c1").grade == "excellent"


def test_marks_for_known_subjects_only_give_no_unknown_subject_finding() -> None:
    outcome = zhiping.evaluate(as_cast(one_cadre()))
    assert outcome.findings_of("ballots.unknown_subject") == ()


# Tallying: missing and `unknown` marks abstain; marks outside the scale are invalid.


def test_a_mark_outside_the_scale_is_invalid_for_that_subject_only() -> None:
    document = as_cast(ballots_of(one_cadre(), issued=62, returned=62))
    document["ballots"]["cast"][0]["marks"]["c1"] = "很满意"
    document["ballots"]["cast"][1]["marks"]["c1"] = "Satisfied"
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    c1 = outcome.subject("c1").tally
    assert c1 is not None
    assert (c1.marks, c1.abstain, c1.invalid) == ((60, 0, 0), 0, 2)
    organization = outcome.subject("organization").tally
    assert organization is not None
    assert (organization.marks, organization.invalid) == ((62, 0, 0), 0)


def test_a_missing_mark_and_an_unknown_mark_are_abstentions() -> None:
    document = as_cast(ballots_of(one_cadre(), issued=62, returned=62))
    del document["ballots"]["cast"][0]["marks"]["c1"]
    document["ballots"]["cast"][1]["marks"]["c1"] = "unknown"
    document["ballots"]["cast"][2]["marks"] = {}
    outcome = zhiping.evaluate(document)
    c1 = outcome.subject("c1").tally
    assert c1 is not None
    assert (c1.marks, c1.abstain, c1.invalid) == ((59, 0, 0), 3, 0)
    assert c1.valid_votes == 59
    organization = outcome.subject("organization").tally
    assert organization is not None
    assert (organization.marks, organization.abstain) == ((61, 0, 0), 1)


def test_the_cast_and_counts_forms_of_the_same_ballots_give_the_same_outcome() -> None:
    counts = {"satisfied": 30, "basically_satisfied": 20, "dissatisfied": 8}
    document = ballots_of(
        one_cadre(), issued=62, returned=62, c1={**counts, "abstain": 3, "invalid": 1}
    )
    by_counts = zhiping.evaluate(document)
    by_cast = zhiping.evaluate(as_cast(document))
    assert [s.tally for s in by_counts.subjects] == [s.tally for s in by_cast.subjects]
    assert [s.grade for s in by_counts.subjects] == [s.grade for s in by_cast.subjects]
    assert by_counts.subject("c1").tally.to_json() == {  # type: ignore[union-attr]
        **counts,
        "abstain": 3,
        "invalid": 1,
    }


def test_unknown_as_a_pre_counted_word_is_an_abstention() -> None:
    document = ballots_of(one_cadre(), issued=62, returned=62, c1={"satisfied": 60, "unknown": 2})
    tally = zhiping.evaluate(document).subject("c1").tally
    assert tally is not None
    assert (tally.valid_votes, tally.abstain) == (60, 2)


def test_a_subject_left_out_of_the_counts_abstains_on_every_ballot() -> None:
    document = ballots_of(one_cadre(), issued=62, returned=62)
    del document["ballots"]["counts"]["c1"]
    outcome = zhiping.evaluate(document)
    tally = outcome.subject("c1").tally
    assert tally is not None
    assert (tally.valid_votes, tally.abstain, tally.invalid) == (0, 62, 0)


def test_a_pre_counted_word_outside_the_scale_is_an_input_error() -> None:
    document = ballots_of(one_cadre(), issued=62, returned=62, c1={"satisfied": 60, "excellent": 2})
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(document)
    assert [p.path for p in raised.value.problems] == ["ballots.counts.c1.excellent"]


def test_pre_counted_words_for_an_unknown_subject_are_ignored_whatever_they_are() -> None:
    document = ballots_of(one_cadre(), issued=62, returned=62)
    document["ballots"]["counts"]["c9"] = {"excellent": 62}
    outcome = zhiping.evaluate(document)
    (finding,) = outcome.findings_of("ballots.unknown_subject")
    assert finding.facts["subjects"] == ["c9"]
    assert outcome.subject("c1").grade == "excellent"
