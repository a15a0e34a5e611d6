"""The engine as a whole: void sessions, the trace, the chain of packs, determinism."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import attrs
import pytest

import zhiping
from zhiping import HistoryEntry
from zhiping.engine import evaluate_chain, merge_history
from zhiping.packs.model import Chain
from zhiping.packs.registry import default_registry
from zhiping.rules import Period
from zhiping.testing import as_cast, session_document

MARKS_FOR = {
    "excellent": {"satisfied": 60},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}


def eventful(**options: Any) -> dict[str, Any]:
    """A document where, if valid, every rule that applies something fires.

    The organization and c1 are incompetent (c1 also in 2025), c2 competent, c3 excellent
    without performance pay.
    """
    document = session_document(
        cadres=3,
        counts={
            "organization": MARKS_FOR["incompetent"],
            "c1": MARKS_FOR["incompetent"],
            "c2": MARKS_FOR["competent"],
            "c3": MARKS_FOR["excellent"],
        },
        **options,
    )
    del document["cadres"][2]["performance_pay"]
    document["history"] = [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    return document


def test_the_eventful_document_applies_grades_pay_and_actions_when_valid() -> None:
    outcome = zhiping.evaluate(eventful())
    assert outcome.status == "valid"
    assert [s.grade for s in outcome.subjects] == [
        "incompetent",
        "incompetent",
        "competent",
        "excellent",
    ]
    assert [a.kind for a in outcome.subject("organization").actions] == [
        "weak_organization_rectification"
    ]
    assert [a.kind for a in outcome.subject("c1").actions] == ["organizational_adjustment"]
    assert outcome.subject("c1").pay is not None
    assert outcome.subject("c2").pay is not None


def void_by_notice() -> dict[str, Any]:
    return eventful(notice_days=2)


def void_by_quorum() -> dict[str, Any]:
    return eventful(party_members_present=29)


def void_by_issued() -> dict[str, Any]:
    document = eventful()
    document["ballots"]["issued"] = 63  # 62 evaluators present
    return document


def void_by_returned() -> dict[str, Any]:
    document = eventful()
    document["ballots"]["issued"] = 59  # 60 returned
    return document


def void_by_no_notice() -> dict[str, Any]:
    return eventful(notice_days=None)


@pytest.mark.parametrize(
    "build", [void_by_notice, void_by_quorum, void_by_issued, void_by_returned, void_by_no_notice]
)
def test_a_void_session_shows_tallies_but_applies_nothing(build: Any) -> None:
    outcome = zhiping.evaluate(build())
    assert outcome.status == "void"
    assert any(f.severity == "violation" for f in outcome.findings)
    assert [s.id for s in outcome.subjects] == ["organization", "c1", "c2", "c3"]
    for subject in outcome.subjects:
        assert subject.tally is not None
        assert subject.tally.valid_votes == 60
        assert subject.grade is None
        assert subject.pay is None
        assert subject.actions == ()
    c1 = outcome.subject("c1").tally
    assert c1 is not None
    assert c1.to_json()["dissatisfied"] == 30


def test_a_void_session_document_has_null_grades_and_pay_and_no_actions() -> None:
    document = zhiping.evaluate(void_by_notice()).to_document()
    assert document["status"] == "void"
    for subject in document["subjects"]:
        assert subject["tally"] is not None
        assert subject["valid_votes"] == 60
        assert subject["grade"] is None
        assert subject["pay"] is None
        assert subject["actions"] == []


def test_a_void_session_ignores_history_given_to_evaluate_too() -> None:
    document = void_by_quorum()
    del document["history"]
    outcome = zhiping.evaluate(
        document, history=[HistoryEntry(subject="c1", year=2025, grade="incompetent")]
    )
    assert outcome.status == "void"
    assert all(s.actions == () for s in outcome.subjects)


def test_warnings_alone_leave_the_session_valid() -> None:
    document = eventful()
    document["reach"] = {"households_informed": 247, "households_visited": 200}
    document["attendance"].append({"person": "stranger", "as": ["party_member"]})
    outcome = zhiping.evaluate(document)
    assert {f.severity for f in outcome.findings} == {"warning"}
    assert outcome.status == "valid"
    assert outcome.subject("c1").actions != ()


# The trace.


def entries_for(outcome: zhiping.Outcome, subject: str, stage: str) -> list[Any]:
    return [t for t in outcome.trace if t.subject == subject and t.stage == stage]


def assert_parameters_explained(entry: Any) -> None:
    assert entry.parameters, f"{entry.rule} used no parameter"
    for use in entry.parameters:
        assert use.name.startswith(entry.rule + ".")
        assert use.value is not None
        assert isinstance(use.effective_from, date)
        assert use.effective_from <= date(2027, 1, 15)
        assert use.pack in ("cn", "xinzhou")
        assert use.citation is not None or use.assumed is True, use.name
        if use.citation is not None:
            assert use.citation.title


def test_every_grade_has_a_trace_entry_naming_its_rule_pack_and_parameters() -> None:
    outcome = zhiping.evaluate(eventful())
    for subject in outcome.subjects:
        (entry,) = entries_for(outcome, subject.id, "grade")
        assert entry.rule == "grade.thresholds"
        assert entry.pack == "xinzhou"
        assert entry.result == subject.grade
        assert_parameters_explained(entry)


def test_every_pay_figure_has_a_trace_entry_naming_its_rule_pack_and_parameters() -> None:
    outcome = zhiping.evaluate(eventful())
    paid = [s for s in outcome.subjects if s.pay is not None]
    assert [s.id for s in paid] == ["c1", "c2"]
    for subject in paid:
        assert subject.pay is not None
        (entry,) = entries_for(outcome, subject.id, "pay")
        assert entry.rule == "pay.coefficient"
        assert entry.pack == "xinzhou"
        assert entry.result == f"{subject.pay.amount:.2f}"
        assert_parameters_explained(entry)


def test_every_action_has_a_trace_entry_naming_its_rule_pack_and_parameters() -> None:
    outcome = zhiping.evaluate(eventful())
    actions = [(s.id, a) for s in outcome.subjects for a in s.actions]
    assert len(actions) == 2
    for subject, action in actions:
        assert action.pack == "xinzhou"
        matching = [
            t
            for t in outcome.trace
            if t.subject == subject and t.rule == action.rule and t.result == action.kind
        ]
        assert len(matching) == 1
        (entry,) = matching
        assert entry.pack == "xinzhou"
        assert entry.fulfilled is True
        assert_parameters_explained(entry)


def test_every_parameter_in_the_trace_has_a_value_a_date_and_a_citation_or_is_assumed() -> None:
    outcome = zhiping.evaluate(eventful())
    uses = [use for entry in outcome.trace for use in entry.parameters]
    assert uses
    for use in uses:
        assert use.value is not None
        assert isinstance(use.effective_from, date)
        assert use.citation is not None or use.assumed is True, use.name


def test_assumed_values_say_so_in_the_trace() -> None:
    """DESIGN §5 marks the thresholds and coefficients as assumed."""
    outcome = zhiping.evaluate(eventful())
    assumed = {use.name for entry in outcome.trace for use in entry.parameters if use.assumed}
    assert {
        "grade.thresholds.conditions",
        "grade.thresholds.otherwise",
        "pay.coefficient.coefficients",
    } <= assumed
    cited = {use.name for entry in outcome.trace for use in entry.parameters if not use.assumed}
    assert {
        "notice.period.days",
        "quorum.party_members.share",
        "quorum.representatives.minimum",
        "sanction.consecutive_incompetent.years",
    } <= cited


def test_every_rule_of_the_xinzhou_table_appears_in_the_trace() -> None:
    document = eventful()
    document["reach"] = {"households_informed": 248, "households_visited": 248}
    traced = {entry.rule for entry in zhiping.evaluate(document).trace}
    assert {
        "notice.period",
        "notice.channels",
        "notice.contents",
        "notice.reach",
        "attendance.not_on_roster",
        "attendance.invitee_kind",
        "quorum.party_members",
        "quorum.representatives",
        "ballots.issued",
        "ballots.returned",
        "ballots.unknown_subject",
        "grade.thresholds",
        "pay.coefficient",
        "sanction.consecutive_incompetent",
        "organization.weak",
        "inquiry.commitment",
        "commitment.overdue",
    } <= traced


def test_the_trace_of_a_void_session_records_the_skipped_stages() -> None:
    outcome = zhiping.evaluate(void_by_notice())
    assert not [t for t in outcome.trace if t.stage in ("grade", "pay") and t.result]
    assert not [t for t in outcome.trace if t.rule == "grade.thresholds"]


# The chain of packs.


def test_a_xinzhou_village_is_evaluated_under_cn_then_xinzhou() -> None:
    outcome = zhiping.evaluate(session_document(village_code="420117101201"))
    assert outcome.packs == ("cn", "xinzhou")
    assert outcome.to_document()["packs"] == ["cn", "xinzhou"]


def test_any_village_code_under_420117_is_xinzhou() -> None:
    outcome = zhiping.evaluate(session_document(village_code="420117999999"))
    assert outcome.packs == ("cn", "xinzhou")


def test_a_village_outside_xinzhou_has_no_applicable_rule() -> None:
    with pytest.raises(zhiping.NoApplicableRule):
        zhiping.evaluate(session_document(village_code="110101001001"))


def test_a_neighbouring_district_code_has_no_applicable_rule() -> None:
    """420116 (Huangpi) shares the city prefix 4201 but not the district 420117."""
    with pytest.raises(zhiping.NoApplicableRule):
        zhiping.evaluate(session_document(village_code="420116101201"))


def test_forcing_the_xinzhou_pack_applies_its_chain_to_any_village() -> None:
    document = eventful(village_code="110101001001")
    outcome = zhiping.evaluate(document, pack="xinzhou")
    assert outcome.packs == ("cn", "xinzhou")
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "incompetent"
    assert [a.kind for a in outcome.subject("c1").actions] == ["organizational_adjustment"]
    same_in_xinzhou = zhiping.evaluate(eventful())
    assert outcome.subjects == same_in_xinzhou.subjects


def test_forcing_an_unknown_pack_is_a_pack_error() -> None:
    with pytest.raises(zhiping.PackError):
        zhiping.evaluate(session_document(), pack="no_such_pack")


def test_forcing_the_root_pack_alone_has_no_applicable_rule() -> None:
    """The root pack grades nothing: a chain of cn alone cannot evaluate."""
    with pytest.raises(zhiping.NoApplicableRule):
        zhiping.evaluate(session_document(), pack="cn")


def test_subjects_are_the_organization_then_the_cadres_in_document_order() -> None:
    document = session_document(cadres=3)
    document["cadres"].reverse()
    outcome = zhiping.evaluate(document)
    assert [s.id for s in outcome.subjects] == ["organization", "c3", "c2", "c1"]
    assert [s.kind for s in outcome.subjects] == ["organization", "cadre", "cadre", "cadre"]
    assert all(s.eligible for s in outcome.subjects)


# Determinism and input forms.


def test_evaluating_the_same_document_twice_gives_equal_outcomes() -> None:
    document = eventful()
    first = zhiping.evaluate(document)
    second = zhiping.evaluate(document)
    assert first == second
    assert first.to_document() == second.to_document()
    assert json.dumps(first.to_document(), sort_keys=True, ensure_ascii=False) == json.dumps(
        second.to_document(), sort_keys=True, ensure_ascii=False
    )


def test_evaluation_does_not_change_the_document_it_is_given() -> None:
    document = eventful()
    before = json.dumps(document, sort_keys=True)
    zhiping.evaluate(document)
    assert json.dumps(document, sort_keys=True) == before


def test_a_dict_its_json_text_and_the_parsed_session_give_the_same_outcome() -> None:
    document = eventful()
    text = json.dumps(document, ensure_ascii=False)
    from_dict = zhiping.evaluate(document).to_document()
    assert zhiping.evaluate(text).to_document() == from_dict
    assert zhiping.evaluate(text.encode()).to_document() == from_dict
    assert zhiping.evaluate(zhiping.parse_session(document)).to_document() == from_dict


def test_cast_ballots_in_any_order_give_the_same_outcome_as_counts() -> None:
    document = eventful()
    by_counts = zhiping.evaluate(document).subjects
    in_order = as_cast(document)
    reversed_order = as_cast(document, order=list(reversed(range(60))))
    assert zhiping.evaluate(in_order).subjects == by_counts
    assert zhiping.evaluate(reversed_order).subjects == by_counts


# The session's dates.


@pytest.mark.parametrize("held_on", [date(2025, 12, 31), date(2028, 1, 1), date(2030, 6, 1)])
def test_a_session_held_outside_the_work_year_and_the_next_is_an_input_error(
    held_on: date,
) -> None:
    document = session_document(year=2026, held_on=held_on)
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(document)
    assert [p.path for p in raised.value.problems] == ["held_on"]


@pytest.mark.parametrize(
    "held_on", [date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 1), date(2027, 12, 31)]
)
def test_a_session_held_in_the_work_year_or_the_next_is_evaluated(held_on: date) -> None:
    outcome = zhiping.evaluate(session_document(year=2026, held_on=held_on))
    assert outcome.status == "valid"


# merge_history: the document's history with the caller's, by subject and period.


def quarterly(quarter: int, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    document = session_document(year=2026, cadres=1)
    document["quarter"] = quarter
    document["history"] = history or []
    return document


def test_the_callers_earlier_quarter_of_the_sessions_year_is_merged() -> None:
    session = zhiping.parse_session(
        quarterly(3, [{"subject": "c1", "year": 2026, "quarter": 1, "grade": "competent"}])
    )
    extra = [HistoryEntry(subject="c1", year=2026, quarter=2, grade="incompetent")]
    merged = merge_history(session, extra)
    assert merged == {
        ("c1", Period(2026, 1)): "competent",
        ("c1", Period(2026, 2)): "incompetent",
    }


@pytest.mark.parametrize(
    ("year", "quarter", "path"),
    [
        (2026, 3, "history[0].quarter"),
        (2026, 4, "history[0].quarter"),
        (2026, None, "history[0].year"),
        (2027, 1, "history[0].year"),
    ],
)
def test_the_callers_entry_not_before_the_sessions_quarter_is_refused(
    year: int, quarter: int | None, path: str
) -> None:
    session = zhiping.parse_session(quarterly(3))
    extra = [HistoryEntry(subject="c1", year=year, quarter=quarter, grade="competent")]
    with pytest.raises(zhiping.InputError) as raised:
        merge_history(session, extra)
    assert [p.path for p in raised.value.problems] == [path]


def test_the_callers_entry_repeating_the_documents_is_accepted() -> None:
    given = {"subject": "c1", "year": 2025, "quarter": 4, "grade": "incompetent"}
    session = zhiping.parse_session(quarterly(1, [given]))
    merged = merge_history(session, [HistoryEntry(**given)])
    assert merged == {("c1", Period(2025, 4)): "incompetent"}


def test_the_callers_quarter_contradicting_the_documents_is_refused() -> None:
    session = zhiping.parse_session(
        quarterly(1, [{"subject": "c1", "year": 2025, "quarter": 4, "grade": "incompetent"}])
    )
    extra = [HistoryEntry(subject="c1", year=2025, quarter=4, grade="competent")]
    with pytest.raises(zhiping.InputError) as raised:
        merge_history(session, extra)
    (problem,) = raised.value.problems
    assert problem.path == "history[0]"
    assert problem.text.en == "'c1' is graded incompetent for 2025 Q4 in the document"


def test_the_callers_yearly_grade_for_a_year_the_document_gives_by_quarter_is_refused() -> None:
    session = zhiping.parse_session(
        quarterly(1, [{"subject": "c1", "year": 2025, "quarter": 4, "grade": "incompetent"}])
    )
    extra = [HistoryEntry(subject="c1", year=2025, grade="incompetent")]
    with pytest.raises(zhiping.InputError) as raised:
        merge_history(session, extra)
    assert [p.path for p in raised.value.problems] == ["history[0]"]


def test_a_quarterly_history_reaches_the_two_year_rule_through_evaluate() -> None:
    """Xinzhou, Q1 2026, 62 evaluators and 60 ballots: c1 incompetent (2d = 60 ≥ 60 = n)
    and 2025's last recorded quarter, Q4, incompetent: the organizational adjustment."""
    document = quarterly(1)
    document["ballots"] = {
        "issued": 60,
        "returned": 60,
        "counts": {
            "organization": {"satisfied": 60},
            "c1": {"satisfied": 30, "dissatisfied": 30},
        },
    }
    history = [
        HistoryEntry(subject="c1", year=2025, quarter=3, grade="competent"),
        HistoryEntry(subject="c1", year=2025, quarter=4, grade="incompetent"),
    ]
    outcome = zhiping.evaluate(document, history=history)
    assert outcome.subject("c1").grade == "incompetent"
    assert [a.kind for a in outcome.subject("c1").actions] == ["organizational_adjustment"]
    history[1] = HistoryEntry(subject="c1", year=2025, quarter=4, grade="competent")
    assert zhiping.evaluate(document, history=history).subject("c1").actions == ()


# A compiled chain and an untraced evaluation decide as before.


def evaluated_untraced(document: dict[str, Any]) -> tuple[Any, Any]:
    session = zhiping.parse_session(document)
    registry = default_registry()
    chain = registry.chain(session.village.code, session.held_on)
    traced = evaluate_chain(session, chain, registry.mechanisms)
    untraced = evaluate_chain(session, chain, registry.mechanisms, traced=False)
    return traced, untraced


@pytest.mark.parametrize(
    "document",
    [eventful(), void_by_notice(), void_by_quorum(), as_cast(eventful())],
    ids=["eventful", "void for its notice", "void for its quorum", "cast ballots"],
)
def test_an_untraced_evaluation_decides_what_a_traced_one_does_and_traces_nothing(
    document: dict[str, Any],
) -> None:
    traced, untraced = evaluated_untraced(document)
    assert traced.trace  # every decision, as always
    assert untraced.trace == ()
    assert (untraced.status, untraced.findings, untraced.subjects) == (
        traced.status,
        traced.findings,
        traced.subjects,
    )


def test_a_void_session_is_void_untraced_too() -> None:
    _, untraced = evaluated_untraced(void_by_notice())
    assert untraced.status == "void"
    assert [s.grade for s in untraced.subjects] == [None, None, None, None]


def test_a_chain_compiled_for_one_session_evaluates_the_next_as_a_fresh_chain_does() -> None:
    """The second session of a chain runs the rules the first compiled: same outcome."""
    registry = default_registry()
    first, second = zhiping.parse_session(eventful()), zhiping.parse_session(session_document())
    shared = registry.chain(first.village.code, first.held_on)
    evaluate_chain(first, shared, registry.mechanisms)
    fresh = Chain(shared.packs, shared.held_on)
    assert evaluate_chain(second, shared, registry.mechanisms) == evaluate_chain(
        second, fresh, registry.mechanisms
    )


def test_a_chain_evaluated_with_other_mechanisms_binds_its_rules_to_those() -> None:
    """A second mapping of mechanisms is bound for its own session, not the first's."""
    registry = default_registry()
    session = zhiping.parse_session(eventful())
    chain = registry.chain(session.village.code, session.held_on)
    evaluate_chain(session, chain, registry.mechanisms)
    silent = {
        name: attrs.evolve(found, apply=lambda ctx: None) if found.stage == "sanctions" else found
        for name, found in registry.mechanisms.items()
    }
    without = evaluate_chain(session, chain, silent)
    assert without.subject("c1").actions == ()  # its removal is a sanction
    assert not any(entry.stage == "sanctions" for entry in without.trace)
    again = evaluate_chain(session, chain, registry.mechanisms)
    assert [a.kind for a in again.subject("c1").actions] == ["organizational_adjustment"]
