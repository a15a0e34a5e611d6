"""The rule context: each verb sets its result and writes its trace entry, and the
accessors read what earlier rules decided.

A mechanism sets results only through the verbs of :class:`zhiping.rules.RuleContext`
(``check``, ``disregard``, ``count_evaluators``, ``admit``, ``tally``, ``score``,
``grade``, ``pay``, ``act``), each of which writes the trace entry with the result, so
that no result is without one.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from rule_runs import PACK, Run

from zhiping.documents.outcome import Action, Pay, Tally
from zhiping.documents.values import Citation
from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import Mechanism, RuleContext, RuleDefinition, Stage, mechanism
from zhiping.rules._context import exact
from zhiping.testing import session_document

MESSAGE = Text(zh="测试", en="a test")
SCALE = ("satisfied", "basically_satisfied", "dissatisfied")


def noop(stage: Stage, severity: Any = "violation") -> Mechanism:
    """Return a mechanism that does nothing, to get a context for one stage."""

    @mechanism(f"noop_{stage}", stage=stage, severity=severity)
    def apply(ctx: RuleContext) -> None:
        """Do nothing."""

    return apply


def context(stage: Stage, *, severity: Any = "violation", document: Any = None) -> RuleContext:
    """Return a context of rule ``test.rule`` in ``stage`` for a two-cadre Xinzhou session."""
    run = Run.of(document or session_document(cadres=2))
    return run.context(noop(stage, severity))


def tally(satisfied: int, basically_satisfied: int = 0, dissatisfied: int = 0) -> Tally:
    return Tally(SCALE, (satisfied, basically_satisfied, dissatisfied))


# check: a finding when the condition fails, the decision in the trace either way.


def test_a_fulfilled_check_records_the_decision_and_no_finding() -> None:
    ctx = context("quorum")
    assert ctx.check(True, MESSAGE, facts={"present": 30}, result="met") is True
    assert ctx.evaluation.findings == []
    (entry,) = ctx.evaluation.trace
    assert (entry.stage, entry.rule, entry.pack) == ("quorum", "test.rule", PACK)
    assert (entry.fulfilled, entry.result, dict(entry.inputs)) == (True, "met", {"present": 30})
    assert entry.message == MESSAGE


def test_a_failed_check_is_a_finding_with_its_facts_and_a_trace_entry() -> None:
    ctx = context("quorum")
    assert ctx.check(False, MESSAGE, facts={"present": 29}, subject="c1") is False
    (finding,) = ctx.evaluation.findings
    assert (finding.rule, finding.severity, finding.subject) == ("test.rule", "violation", "c1")
    assert dict(finding.facts) == {"present": 29}
    assert finding.message == MESSAGE
    (entry,) = ctx.evaluation.trace
    assert (entry.fulfilled, entry.subject, dict(entry.inputs)) == (False, "c1", {"present": 29})


def test_a_check_can_trace_other_inputs_and_report_another_message() -> None:
    """The finding carries ``facts`` and ``finding_message``; the trace ``inputs``, ``message``."""
    ctx = context("notice")
    other = Text(zh="发现", en="found")
    ctx.check(False, MESSAGE, facts={"a": 1, "b": 2}, inputs={"a": 1}, finding_message=other)
    (finding,) = ctx.evaluation.findings
    (entry,) = ctx.evaluation.trace
    assert (finding.message, dict(finding.facts)) == (other, {"a": 1, "b": 2})
    assert (entry.message, dict(entry.inputs)) == (MESSAGE, {"a": 1})


def test_a_failed_check_takes_the_rules_severity_over_the_mechanisms() -> None:
    run = Run.of(session_document())
    ctx = run.context(noop("notice", "violation"), severity="warning")
    ctx.check(False, MESSAGE)
    assert [f.severity for f in run.findings] == ["warning"]


def test_a_finding_cites_the_rules_basis_with_its_pack() -> None:
    run = Run.of(session_document())
    citation = Citation(title="实施办法", article="第五条")
    rule = RuleDefinition("test.rule", "xinzhou", "noop_notice", basis=(citation,))
    ctx = RuleContext(rule, noop("notice"), run.context(noop("notice")).chain, run.evaluation)
    finding = ctx.find(MESSAGE, rule="test.other")
    assert finding.rule == "test.other"
    assert [(b.pack, b.citation) for b in finding.basis] == [("xinzhou", citation)]


# disregard and count_evaluators: who counts, in which capacity.


def test_a_disregarded_capacity_no_longer_counts_and_is_a_finding() -> None:
    ctx = context("attendance", severity="warning")
    assert "pm001" in ctx.present("party_member")
    ctx.disregard("pm001", "party_member", MESSAGE, facts={"person": "pm001"})
    assert "pm001" not in ctx.present("party_member")
    assert ctx.capacities("pm001") == frozenset()
    (finding,) = ctx.evaluation.findings
    assert (finding.severity, dict(finding.facts)) == ("warning", {"person": "pm001"})
    assert ctx.evaluation.trace == []  # the rule sums up what it disregarded with explain


def test_counting_evaluators_counts_a_person_in_two_capacities_once() -> None:
    """30 party members and 32 representatives, one of them both: 62 evaluators."""
    document = session_document()
    document["attendance"][0]["as"] = ["party_member", "representative"]
    document["roster"]["representatives"].append("pm001")
    ctx = context("attendance", document=document)
    assert ctx.evaluators() == frozenset()
    assert ctx.count_evaluators(("party_member", "representative")) == 62
    assert len(ctx.evaluators()) == 62
    (entry,) = ctx.evaluation.trace
    assert dict(entry.inputs) == {"party_member": 30, "representative": 33, "evaluators": 62}
    assert (entry.result, entry.message.en) == ("62", "62 evaluators present")


# admit: eligibility.


def test_an_admitted_subject_stays_eligible_with_a_fulfilled_entry() -> None:
    ctx = context("eligibility", severity="info")
    ctx.admit("c1", True, MESSAGE, facts={"posts": ["committee_member"]})
    assert ctx.is_eligible("c1")
    assert ctx.evaluation.findings == []
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.fulfilled, dict(entry.inputs)) == (
        "c1",
        True,
        {"posts": ["committee_member"]},
    )


def test_a_subject_not_admitted_is_left_out_with_a_finding() -> None:
    ctx = context("eligibility", severity="info")
    ctx.admit("c1", False, MESSAGE, facts={"months": 5})
    assert not ctx.is_eligible("c1")
    assert ctx.evaluated() == ["organization", "c2"]
    (finding,) = ctx.evaluation.findings
    assert (finding.subject, finding.severity, dict(finding.facts)) == ("c1", "info", {"months": 5})
    assert ctx.evaluation.trace[0].fulfilled is False


def test_a_subject_can_be_left_out_without_a_finding() -> None:
    ctx = context("eligibility")
    ctx.admit("organization", False, MESSAGE, finding=False)
    assert not ctx.is_eligible("organization")
    assert ctx.evaluation.findings == []
    assert [(e.subject, e.fulfilled) for e in ctx.evaluation.trace] == [("organization", False)]


def test_a_subject_one_rule_leaves_out_stays_out_when_another_admits_it() -> None:
    ctx = context("eligibility", severity="info")
    ctx.admit("c1", False, MESSAGE)
    ctx.admit("c1", True, MESSAGE)
    assert not ctx.is_eligible("c1")


# tally, score, grade, pay.


def test_a_tally_is_set_with_its_groups_and_the_valid_votes_as_result() -> None:
    ctx = context("tally")
    whole, villagers = tally(5, 1, 2), tally(3, 1, 0)
    ctx.tally("c1", whole, MESSAGE, groups={"villagers": villagers}, inputs={"form": "cast"})
    assert ctx.tally_of("c1") == whole
    assert dict(ctx.group_tallies_of("c1")) == {"villagers": villagers}
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", "8", None)
    assert dict(entry.inputs) == {"form": "cast"}


def test_reading_a_tally_no_rule_made_is_a_pack_error() -> None:
    with pytest.raises(PackError, match="reads a tally, but no rule tallied c1"):
        context("grade").tally_of("c1")


def test_a_score_is_set_and_traced_exactly() -> None:
    ctx = context("score")
    ctx.score("c1", Fraction(1709, 20), MESSAGE)
    assert ctx.score_of("c1") == Fraction(1709, 20)
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", "85.45", None)


def test_no_score_is_traced_as_an_unfulfilled_decision() -> None:
    ctx = context("score")
    ctx.score("c1", None, MESSAGE)
    assert ctx.is_scored("c1")
    assert ctx.score_of("c1") is None
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", None, False)


def test_reading_a_score_no_rule_gave_is_a_pack_error() -> None:
    ctx = context("grade")
    assert not ctx.is_scored("c2")
    with pytest.raises(PackError, match="reads a score, but no rule scored c2"):
        ctx.score_of("c2")


def test_a_grade_is_set_and_traced_as_the_result() -> None:
    ctx = context("grade")
    assert ctx.grade_of("c1") is None
    ctx.grade("c1", "competent", MESSAGE, inputs={"valid_votes": 60})
    assert ctx.grade_of("c1") == "competent"
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", "competent", True)
    assert dict(entry.inputs) == {"valid_votes": 60}


def test_no_grade_is_traced_as_an_unfulfilled_decision() -> None:
    ctx = context("grade")
    ctx.grade("c1", "competent", MESSAGE)
    ctx.grade("c1", None, MESSAGE)
    assert ctx.grade_of("c1") is None
    assert [(e.result, e.fulfilled) for e in ctx.evaluation.trace] == [
        ("competent", True),
        (None, False),
    ]


def test_pay_is_set_and_its_amount_is_the_result() -> None:
    ctx = context("pay")
    pay = Pay(Decimal("10000"), Decimal("0.9"), Decimal("9000"))
    ctx.pay("c1", pay, MESSAGE)
    assert ctx.evaluation.pay == {"c1": pay}
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", "9000.00", True)


def test_no_pay_sets_nothing_and_is_traced_as_unfulfilled() -> None:
    ctx = context("pay")
    ctx.pay("c1", None, MESSAGE)
    assert ctx.evaluation.pay == {}
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", None, False)


# act: a consequence when the condition holds, the decision either way.


def test_an_action_is_given_with_the_rule_and_pack_and_traced() -> None:
    ctx = context("sanctions")
    action = ctx.act("c1", "organizational_adjustment", MESSAGE, inputs={"grade": "incompetent"})
    assert action == Action("organizational_adjustment", "test.rule", PACK)
    assert ctx.evaluation.actions == {"c1": [action]}
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == (
        "c1",
        "organizational_adjustment",
        True,
    )


def test_an_action_whose_condition_fails_is_not_given_but_traced() -> None:
    ctx = context("sanctions")
    assert ctx.act("c1", "organizational_adjustment", MESSAGE, when=False) is None
    assert ctx.evaluation.actions == {}
    entry = ctx.evaluation.trace[0]
    assert (entry.subject, entry.result, entry.fulfilled) == ("c1", None, False)


def test_an_action_the_glossary_does_not_name_is_a_pack_error() -> None:
    ctx = context("sanctions")
    with pytest.raises(PackError, match="unknown action 'exile'"):
        ctx.act("c1", "exile", MESSAGE)
    assert ctx.evaluation.actions == {}
    assert ctx.evaluation.trace == []


# explain, parameters, labels, exact numbers.


def test_explain_records_a_decision_that_sets_no_result() -> None:
    ctx = context("inquiries")
    ctx.explain(MESSAGE, inputs={"inquiries": 2}, fulfilled=True)
    entry = ctx.evaluation.trace[0]
    assert (entry.stage, entry.subject, entry.result, dict(entry.inputs)) == (
        "inquiries",
        None,
        None,
        {"inquiries": 2},
    )


def test_a_parameter_of_another_type_than_the_mechanism_reads_is_a_pack_error() -> None:
    run = Run.of(session_document())
    ctx = run.context(noop("quorum"), minimum=30)
    assert ctx.parameter("minimum", int)[0] == 30
    with pytest.raises(PackError, match="should be a str, not int"):
        ctx.parameter("minimum", str)


def test_a_subject_is_labelled_by_its_name_and_id() -> None:
    ctx = context("grade")
    assert ctx.label("c1") == Text(zh="干部1(c1)", en="干部1 (c1)")
    assert ctx.label("organization").en == "the party organization"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Fraction(80), "80"),
        (Fraction(853, 10), "85.3"),
        (Fraction(1, 8), "0.125"),
        (Fraction(3, 5), "0.6"),
        (Fraction(1, 3), "1/3 (≈0.33)"),
        (Fraction(2, 3), "2/3 (≈0.67)"),
    ],
)
def test_a_fraction_is_written_as_a_decimal_only_when_it_is_one(
    value: Fraction, written: str
) -> None:
    assert exact(value) == written


# Ballot secrecy: a withheld score, and what later rules print of it.


def test_a_score_is_shown_exactly_unless_withheld() -> None:
    run = Run.of(session_document(cadres=2))
    scorer = run.context(stand_in_score)
    scorer.score("c1", Fraction(2, 3), Text(zh="得分", en="score"))
    scorer.score("c2", Fraction(2, 3), Text(zh="得分", en="score"), withheld=True)
    reader = run.context(stand_in_score)
    assert reader.shown_score("c1") == Text(zh="2/3 (≈0.67)", en="2/3 (≈0.67)")
    assert reader.shown_score("c2") == Text(zh="不公开", en="withheld")
    assert (reader.is_withheld("c1"), reader.is_withheld("c2")) == (False, True)
    assert reader.score_of("c2") == Fraction(2, 3)  # rules still decide on it
    assert [e.result for e in run.trace] == ["2/3 (≈0.67)", "withheld"]


def test_a_parameter_without_a_default_that_no_pack_sets_is_still_a_pack_error() -> None:
    run = Run.of(session_document(cadres=1))
    with pytest.raises(PackError, match=r"no parameter test\.rule\.minimum"):
        run.context(stand_in_score).parameter("minimum", int)


@mechanism("stand_in_score", stage="score")
def stand_in_score(ctx: RuleContext) -> None:
    """Stand for a score stage (the tests set the scores through the context)."""


def test_a_disregarded_capacity_no_longer_makes_an_evaluator() -> None:
    """30 party members and 32 representatives; pm001 disregarded after the count: 61."""
    ctx = context("attendance")
    assert ctx.count_evaluators(("party_member", "representative")) == 62
    assert "pm001" in ctx.evaluators()
    ctx.disregard("pm001", "party_member", MESSAGE, facts={"person": "pm001"})
    assert "pm001" not in ctx.evaluators()
    assert len(ctx.evaluators()) == 61
    assert len(ctx.present("party_member")) == 29
