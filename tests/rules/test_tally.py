"""Tallying (``tally_marks``), applied alone on the ``cn`` scale.

From the module's docstring and DESIGN §2: a missing mark, or one of the ``abstentions``
(``unknown``), is an abstention; a mark outside the scale is invalid for that subject
only; valid votes are the marks on the scale; the ``cast`` and ``counts`` forms give the
same tally; a subject the counts do not list was unmarked on every ballot; a word of the
counts outside the scale is an input error at its JSON path, except for a subject that
does not exist (ignored here, reported by ``ballots.unknown_subject``).
"""

from __future__ import annotations

from typing import Any

import pytest
from rule_runs import Run

from zhiping.documents.outcome import Tally
from zhiping.documents.session import Ballot
from zhiping.errors import InputError
from zhiping.rules.tally import tally_marks, tally_of_cast, tally_of_counts
from zhiping.testing import INVALID_MARK, as_cast, session_document

SCALE = ("satisfied", "basically_satisfied", "dissatisfied")
ABSTENTIONS = ("unknown",)


def tallied(document: dict[str, Any]) -> Run:
    return Run.of(document).apply(
        tally_marks, "ballots.tally", scale=SCALE, abstentions=ABSTENTIONS
    )


def counts_document(counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    return session_document(cadres=1, counts=counts)


def cast_document(*marks: dict[str, str], group: str | None = None) -> dict[str, Any]:
    """A session whose cast ballots carry these marks (one ballot each)."""
    document = session_document(cadres=1)
    ballots: list[dict[str, Any]] = [
        {"marks": dict(m), **({"group": group} if group else {})} for m in marks
    ]
    document["ballots"] = {"issued": len(ballots), "returned": len(ballots), "cast": ballots}
    return document


def test_each_mark_on_the_scale_counts_and_the_rest_abstain_or_are_invalid() -> None:
    """Five ballots for c1: satisfied, basically satisfied, unknown, no mark, 不清楚."""
    run = tallied(
        cast_document(
            {"c1": "satisfied"},
            {"c1": "basically_satisfied"},
            {"c1": "unknown"},
            {},
            {"c1": INVALID_MARK},
        )
    )
    tally = run.evaluation.tallies["c1"]
    assert tally == Tally(SCALE, (1, 1, 0), abstain=2, invalid=1)
    assert tally.valid_votes == 2


def test_a_mark_outside_the_scale_is_invalid_for_that_subject_only() -> None:
    run = tallied(cast_document({"organization": "satisfied", "c1": "满意"}))
    assert run.evaluation.tallies["organization"] == Tally(SCALE, (1, 0, 0))
    assert run.evaluation.tallies["c1"] == Tally(SCALE, (0, 0, 0), invalid=1)
    assert run.findings == []


def test_every_subject_is_tallied_with_an_entry_giving_its_valid_votes() -> None:
    counts = {
        "organization": {"satisfied": 50, "dissatisfied": 12},
        "c1": {"satisfied": 40, "basically_satisfied": 10, "abstain": 8, "invalid": 4},
    }
    run = tallied(counts_document(counts))
    assert [(e.subject, e.result) for e in run.trace] == [("organization", "62"), ("c1", "50")]
    entry = run.entry("ballots.tally", "c1")
    assert dict(entry.inputs) == {
        "form": "counts",
        "returned": 62,
        "satisfied": 40,
        "basically_satisfied": 10,
        "dissatisfied": 0,
        "abstain": 8,
        "invalid": 4,
    }
    assert entry.message.en == "干部1 (c1): 50 valid votes"


def test_the_cast_and_counts_forms_give_the_same_tallies() -> None:
    counts = {
        "organization": {"satisfied": 30, "basically_satisfied": 20, "dissatisfied": 12},
        "c1": {"satisfied": 10, "dissatisfied": 40, "abstain": 7, "invalid": 5},
    }
    document = counts_document(counts)
    from_counts = tallied(document).evaluation.tallies
    from_cast = tallied(as_cast(document, order=range(61, -1, -1))).evaluation.tallies
    assert from_cast == from_counts
    assert from_counts["c1"] == Tally(SCALE, (10, 0, 40), abstain=7, invalid=5)


def test_unknown_in_the_counts_is_an_abstention() -> None:
    run = tallied(counts_document({"organization": {"satisfied": 60, "unknown": 2}}))
    assert run.evaluation.tallies["organization"] == Tally(SCALE, (60, 0, 0), abstain=2)


def test_a_subject_the_counts_leave_out_abstained_on_every_ballot() -> None:
    run = tallied(counts_document({"organization": {"satisfied": 62}}))
    assert run.evaluation.tallies["c1"] == Tally(SCALE, (0, 0, 0), abstain=62)


def test_a_word_of_the_counts_outside_the_scale_is_an_input_error_at_its_path() -> None:
    document = counts_document({"organization": {"satisfied": 60, "满意": 2}})
    with pytest.raises(InputError) as raised:
        tallied(document)
    assert [problem.path for problem in raised.value.problems] == [
        "ballots.counts.organization.满意"
    ]


def test_the_counts_of_a_subject_that_does_not_exist_are_not_checked() -> None:
    document = counts_document({"organization": {"satisfied": 62}, "c9": {"满意": 62}})
    run = tallied(document)
    assert set(run.evaluation.tallies) == {"organization", "c1"}


def test_ballots_naming_groups_are_tallied_by_group_and_together() -> None:
    document = cast_document(
        {"c1": "satisfied"}, {"c1": "dissatisfied"}, {"c1": "satisfied"}, group="villagers"
    )
    document["ballots"]["cast"][2]["group"] = "township_officials"
    run = tallied(document)
    assert run.evaluation.tallies["c1"] == Tally(SCALE, (2, 0, 1))
    assert run.evaluation.group_tallies["c1"] == {
        "township_officials": Tally(SCALE, (1, 0, 0)),
        "villagers": Tally(SCALE, (1, 0, 1)),
    }


def test_ballots_without_a_group_make_no_group_tally() -> None:
    run = tallied(cast_document({"c1": "satisfied"}, {"c1": "dissatisfied"}))
    assert run.evaluation.group_tallies["c1"] == {}
    assert run.evaluation.tallies["c1"] == Tally(SCALE, (1, 0, 1))


def test_group_counts_are_tallied_by_group_and_together() -> None:
    document = session_document(cadres=1)
    words = dict.fromkeys([*SCALE, "abstain", "invalid"], 0)
    document["ballots"] = {
        "issued": 5,
        "returned": 5,
        "group_counts": {
            "villagers": {
                "organization": {**words, "satisfied": 3},
                "c1": {**words, "satisfied": 1, "dissatisfied": 1, "abstain": 1},
            },
            "resident_officers": {
                "organization": {**words, "basically_satisfied": 2},
                "c1": {**words, "invalid": 2},
            },
        },
    }
    run = tallied(document)
    assert run.evaluation.tallies["c1"] == Tally(SCALE, (1, 0, 1), abstain=1, invalid=2)
    assert run.evaluation.group_tallies["organization"] == {
        "resident_officers": Tally(SCALE, (0, 2, 0)),
        "villagers": Tally(SCALE, (3, 0, 0)),
    }
    assert run.entry("ballots.tally", "organization").result == "5"


def test_tallies_of_cast_ballots_and_of_counts_are_the_same_function_of_the_marks() -> None:
    ballots = [
        Ballot(marks={"c1": "satisfied"}),
        Ballot(marks={"c1": "unknown"}),
        Ballot(marks={"c1": "bad"}),
        Ballot(marks={}),
    ]
    from_cast = tally_of_cast(ballots, ["c1"], SCALE, ABSTENTIONS)
    from_counts = tally_of_counts(
        {"c1": {"satisfied": 1, "unknown": 1, "invalid": 1, "abstain": 1}},
        ["c1"],
        SCALE,
        ABSTENTIONS,
        returned=4,
    )
    assert from_cast == from_counts == {"c1": Tally(SCALE, (1, 0, 0), abstain=2, invalid=1)}
