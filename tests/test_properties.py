"""Properties of evaluations under the Xinzhou pack, on documents zhiping.testing generates.

The oracles here are written from DESIGN §5 alone, with integer and Decimal arithmetic,
and never read the engine's own figures back.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import zhiping
from zhiping.testing import (
    THREE_LEVEL_SCALE,
    as_cast,
    as_counts,
    histories,
    session_document,
    session_documents,
    subject_counts,
)

ANY_SESSION = session_documents(notice="any", quorum="any", accounting="any")
VALID_SESSION = session_documents()

RANK = {"incompetent": 0, "basically_competent": 1, "competent": 2, "excellent": 3}
"""DESIGN §5's order of grades: excellent > competent > basically_competent > incompetent."""

COEFFICIENTS = {
    "excellent": Decimal("1.00"),
    "competent": Decimal("0.90"),
    "basically_competent": Decimal("0.60"),
    "incompetent": Decimal("0.00"),
}
"""DESIGN §5's assumed pay coefficients."""

WORSENING_MOVES = [
    ("satisfied", "dissatisfied"),
    ("satisfied", "basically_satisfied"),
    ("basically_satisfied", "dissatisfied"),
    ("abstain", "dissatisfied"),
    ("invalid", "dissatisfied"),
    ("satisfied", "abstain"),
    ("satisfied", "invalid"),
]
"""Moving one ballot's mark this way never gives a better grade under DESIGN §5's
thresholds (with n valid votes, d dissatisfied, s satisfied: each move raises d or
lowers s, and a change of n by one never offsets it); the reverse never gives a worse one.
"""

NEUTRAL_MOVES = [("abstain", "invalid"), ("invalid", "abstain")]
"""Abstentions and invalid votes both stay out of n: trading one for the other changes nothing."""


def xinzhou_grade(counts: dict[str, int] | None) -> str | None:
    """Grade a subject's counts by DESIGN §5's thresholds, in integers; None without votes."""
    counts = counts or {}
    satisfied = counts.get("satisfied", 0)
    dissatisfied = counts.get("dissatisfied", 0)
    n = satisfied + counts.get("basically_satisfied", 0) + dissatisfied
    if n == 0:
        return None
    if 2 * dissatisfied >= n:
        return "incompetent"
    if 3 * dissatisfied > n:
        return "basically_competent"
    if 10 * satisfied >= 9 * n:
        return "excellent"
    return "competent"


def outcome_of(document: dict[str, Any]) -> dict[str, Any]:
    return zhiping.evaluate(document).to_document()


def grades_of(outcome: dict[str, Any]) -> dict[str, str | None]:
    return {subject["id"]: subject["grade"] for subject in outcome["subjects"]}


def forms_read(outcome: dict[str, Any]) -> set[str]:
    return {entry["inputs"]["form"] for entry in outcome["trace"] if "form" in entry["inputs"]}


def without_form(outcome: dict[str, Any]) -> dict[str, Any]:
    """Return the outcome without the one input that names the ballot form it read."""
    result = copy.deepcopy(outcome)
    for entry in result["trace"]:
        entry["inputs"].pop("form", None)
    return result


def subject_ids(document: dict[str, Any]) -> list[str]:
    return ["organization", *(cadre["id"] for cadre in document["cadres"])]


def all_counts(document: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Return every subject's counts; a subject left out is unmarked on every ballot."""
    ballots = document["ballots"]
    unmarked = {**dict.fromkeys(THREE_LEVEL_SCALE, 0), "abstain": ballots["returned"], "invalid": 0}
    return {s: dict(ballots["counts"].get(s, unmarked)) for s in subject_ids(document)}


@given(document=ANY_SESSION, data=st.data())
def test_the_cast_and_counts_forms_of_the_same_ballots_give_the_same_outcome(
    document: dict[str, Any], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(document["ballots"]["returned"])))
    counted = outcome_of(document)
    cast = outcome_of(as_cast(document, order))
    assert forms_read(counted) == {"counts"}
    assert forms_read(cast) == {"cast"}
    assert without_form(cast) == without_form(counted)


@given(document=session_documents(ballot_form="cast", notice="any", quorum="any"))
def test_counting_cast_ballots_on_the_scale_gives_the_same_outcome(
    document: dict[str, Any],
) -> None:
    counted = as_counts(document, THREE_LEVEL_SCALE)
    assert without_form(outcome_of(counted)) == without_form(outcome_of(document))


@given(document=session_documents(ballot_form="cast", notice="any", quorum="any"), data=st.data())
def test_shuffling_the_cast_ballots_changes_nothing(
    document: dict[str, Any], data: st.DataObject
) -> None:
    shuffled = copy.deepcopy(document)
    shuffled["ballots"]["cast"] = data.draw(st.permutations(document["ballots"]["cast"]))
    assert outcome_of(shuffled) == outcome_of(document)


@given(counts=subject_counts(min_ballots=1, max_ballots=60), data=st.data())
def test_a_vote_moved_against_a_subject_never_gives_a_better_grade_nor_one_for_it_a_worse(
    counts: dict[str, int], data: st.DataObject
) -> None:
    moves = [(a, b, "worse") for a, b in WORSENING_MOVES]
    moves += [(b, a, "better") for a, b in WORSENING_MOVES]
    moves += [(a, b, "same") for a, b in NEUTRAL_MOVES]
    possible = [move for move in moves if counts[move[0]] > 0]
    source, target, direction = data.draw(st.sampled_from(possible))
    moved = {**counts, source: counts[source] - 1, target: counts[target] + 1}
    steady = {**dict.fromkeys(THREE_LEVEL_SCALE, 0), "satisfied": sum(counts.values())}
    before = outcome_of(session_document(cadres=1, counts={"organization": counts, "c1": steady}))
    after = outcome_of(session_document(cadres=1, counts={"organization": moved, "c1": steady}))
    assert before["status"] == after["status"] == "valid"
    old, new = grades_of(before)["organization"], grades_of(after)["organization"]
    assert grades_of(before)["c1"] == grades_of(after)["c1"] == "excellent"
    assume(old is not None and new is not None)
    if direction == "worse":
        assert RANK[new] <= RANK[old]
    elif direction == "better":
        assert RANK[new] >= RANK[old]
    else:
        assert new == old


@given(document=VALID_SESSION, data=st.data())
def test_turning_one_satisfied_mark_into_dissatisfied_never_improves_any_grade(
    document: dict[str, Any], data: st.DataObject
) -> None:
    counts = all_counts(document)
    marked = [subject for subject, words in counts.items() if words["satisfied"] > 0]
    assume(marked)
    subject = data.draw(st.sampled_from(marked))
    moved = copy.deepcopy(document)
    moved["ballots"]["counts"][subject] = {
        **counts[subject],
        "satisfied": counts[subject]["satisfied"] - 1,
        "dissatisfied": counts[subject]["dissatisfied"] + 1,
    }
    before, after = grades_of(outcome_of(document)), grades_of(outcome_of(moved))
    old, new = before.pop(subject), after.pop(subject)
    assert old is not None
    assert new is not None
    assert RANK[new] <= RANK[old]
    assert after == before


@given(document=ANY_SESSION)
def test_a_void_outcome_never_has_grades_pay_or_actions(document: dict[str, Any]) -> None:
    outcome = outcome_of(document)
    assume(outcome["status"] == "void")
    for subject in outcome["subjects"]:
        assert subject["grade"] is None
        assert subject["pay"] is None
        assert subject["actions"] == []


@given(document=ANY_SESSION)
def test_a_session_is_void_exactly_when_some_finding_is_a_violation(
    document: dict[str, Any],
) -> None:
    outcome = outcome_of(document)
    violations = [f for f in outcome["findings"] if f["severity"] == "violation"]
    assert (outcome["status"] == "void") == bool(violations)


@given(document=ANY_SESSION)
def test_pay_is_performance_pay_times_the_grades_coefficient_rounded_half_up_to_the_fen(
    document: dict[str, Any],
) -> None:
    outcome = outcome_of(document)
    pay_of = {cadre["id"]: cadre.get("performance_pay") for cadre in document["cadres"]}
    for subject in outcome["subjects"]:
        pay, grade = subject["pay"], subject["grade"]
        if subject["id"] == "organization" or pay_of[subject["id"]] is None or grade is None:
            assert pay is None
            continue
        performance_pay = Decimal(pay_of[subject["id"]])
        coefficient = COEFFICIENTS[grade]
        amount = (performance_pay * coefficient).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert pay == {
            "performance_pay": f"{performance_pay:.2f}",
            "coefficient": f"{coefficient:.2f}",
            "amount": f"{amount:.2f}",
        }


@given(document=VALID_SESSION)
def test_actions_follow_the_two_year_rule_and_the_weak_organization_rule(
    document: dict[str, Any],
) -> None:
    outcome = outcome_of(document)
    earlier = {(e["subject"], e["year"]): e["grade"] for e in document.get("history", [])}
    for subject in outcome["subjects"]:
        kinds = [action["kind"] for action in subject["actions"]]
        incompetent = subject["grade"] == "incompetent"
        if subject["id"] == "organization":
            assert kinds == (["weak_organization_rectification"] if incompetent else [])
        else:
            last_year = earlier.get((subject["id"], document["year"] - 1))
            repeated = incompetent and last_year == "incompetent"
            assert kinds == (["organizational_adjustment"] if repeated else [])


@given(document=session_documents(history=False), data=st.data())
def test_a_history_given_by_the_caller_counts_as_if_the_document_carried_it(
    document: dict[str, Any], data: st.DataObject
) -> None:
    history = data.draw(histories(subjects=subject_ids(document), year=document["year"]))
    carried = {**document, "history": history}
    given_apart = zhiping.evaluate(document, history=zhiping.parse_history(history))
    assert given_apart.to_document() == outcome_of(carried)


@given(document=ANY_SESSION)
def test_every_grade_agrees_with_the_thresholds_of_design_section_5(
    document: dict[str, Any],
) -> None:
    outcome = outcome_of(document)
    counts = all_counts(document)
    for subject in outcome["subjects"]:
        expected = xinzhou_grade(counts[subject["id"]])
        assert subject["grade"] == (None if outcome["status"] == "void" else expected)


@given(counts=subject_counts(max_ballots=60))
def test_the_grade_of_any_tally_agrees_with_the_thresholds_of_design_section_5(
    counts: dict[str, int],
) -> None:
    outcome = outcome_of(session_document(cadres=0, counts={"organization": counts}))
    assert outcome["status"] == "valid"
    assert grades_of(outcome) == {"organization": xinzhou_grade(counts)}


@given(document=ANY_SESSION)
def test_each_subjects_tally_is_what_its_ballots_say(document: dict[str, Any]) -> None:
    outcome = outcome_of(document)
    counts = all_counts(document)
    for subject in outcome["subjects"]:
        assert subject["tally"] == counts[subject["id"]]
        assert subject["valid_votes"] == sum(counts[subject["id"]][w] for w in THREE_LEVEL_SCALE)


@given(document=ANY_SESSION)
def test_every_generated_document_parses(document: dict[str, Any]) -> None:
    session = zhiping.parse_session(document)
    assert session.village.code.startswith("420117")


@pytest.mark.parametrize(
    "make",
    [
        lambda: session_documents(ballot_form="paper"),  # type: ignore[arg-type]
        lambda: session_documents(quorum="almost"),  # type: ignore[arg-type]
        lambda: session_documents(village_code="4201171012"),
        lambda: session_documents(village_code="420118101201"),
        lambda: session_documents(village_prefix="42a"),
        lambda: session_documents(cadres=-1),
        lambda: session_documents(year=1900),
        lambda: session_documents(history="yes"),  # type: ignore[arg-type]
        lambda: subject_counts(min_ballots=5, max_ballots=2),
        lambda: subject_counts(scale=["satisfied", "abstain"]),
        lambda: subject_counts(scale="satisfied"),
        lambda: histories(subjects=["c1", "c1"], year=2026),
        lambda: histories(subjects=["c1"], year=2026, max_years=-1),
    ],
)
def test_a_strategy_given_a_bad_argument_refuses_it_at_once(make: Any) -> None:
    with pytest.raises(InvalidArgument):
        make()
