"""Every result of an outcome has the trace entry of the rule that set it: what the
mechanisms set through the rule context's verbs, checked over whole evaluations.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

import zhiping
from zhiping.testing import PackProfile, pack_documents, session_document, session_documents

# Every result of an outcome has the trace entry of the rule that set it.

BUNDLED = ("cn-organic-law", "taizhou", "wenjiang", "xichong", "xinzhou", "yanling")


def assert_every_result_is_traced(outcome: zhiping.Outcome) -> None:
    """Check each subject's tally, eligibility, score, grade, pay and actions against the trace."""
    trace = outcome.trace
    scored = any(entry.stage == "score" for entry in trace)
    valid = outcome.status == "valid"
    for subject in outcome.subjects:
        about = [entry for entry in trace if entry.subject == subject.id]
        if subject.tally is not None:
            tallied = [e for e in about if e.stage == "tally"]
            assert tallied[-1].result == str(subject.tally.valid_votes)
        if not subject.eligible:
            assert any(e.stage == "eligibility" and e.fulfilled is False for e in about)
        if valid and subject.eligible:
            if scored:
                assert any(e.stage == "score" for e in about), subject.id
            graded = [e for e in about if e.stage in ("grade", "quota")]
            assert graded, f"{subject.id} was graded with no trace entry"
            assert graded[-1].result == subject.grade
            assert graded[-1].fulfilled is (subject.grade is not None)
        paid = [e for e in about if e.stage == "pay" and e.fulfilled]
        if subject.pay is not None:
            assert [e.result for e in paid] == [subject.pay.to_json()["amount"]]
        else:
            assert paid == [] or not valid
        acted = [
            (e.rule, e.pack, e.result)
            for e in about
            if e.stage in ("sanctions", "organization") and e.fulfilled
        ]
        if valid:
            assert acted == [(a.rule, a.pack, a.kind) for a in subject.actions]


@pytest.mark.parametrize("pack", BUNDLED)
def test_every_result_of_a_packs_sessions_is_in_the_trace(pack: str) -> None:
    profile = PackProfile.of(pack)

    @given(pack_documents(profile, quorum="any", notice="any"))
    def check(document: dict[str, Any]) -> None:
        assert_every_result_is_traced(zhiping.evaluate(document, **profile.evaluate_options()))

    check()


@given(session_documents(quorum="any", notice="any", accounting="any", ballot_form="cast"))
def test_every_result_of_any_xinzhou_shaped_session_is_in_the_trace(
    document: dict[str, Any],
) -> None:
    assert_every_result_is_traced(zhiping.evaluate(document))


def test_a_subject_left_without_a_score_has_the_grade_rules_entry() -> None:
    """Wenjiang: c1 lacks the target assessment, so no score and no grade, and the trace says so.

    Before the verbs, ``score_bands`` set this grade (None) with no trace entry.
    """
    document = session_document(village_code="510115001001", cadres=1)
    document["assessments"] = {"township_committee": {"c1": "85"}}
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade is None
    (missing,) = outcome.findings_of("assessment.missing")
    assert missing.subject == "c1"
    (entry,) = [e for e in outcome.trace if e.rule == "grade.bands" and e.subject == "c1"]
    assert (entry.fulfilled, entry.result, dict(entry.inputs)) == (False, None, {"score": None})
    assert entry.message.en == "干部1 (c1) has no score; no grade"
