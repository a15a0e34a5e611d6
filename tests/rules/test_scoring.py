"""Scores, applied after a tally on the ``cn`` scale with the weights each test sets.

From the mechanisms' docstrings and ``reference/variants.md``, with r the share of valid
votes for the ``satisfied`` words (here satisfied and basically satisfied):

- ``weighted_composite`` (温江: 30% democratic evaluation, 20% township committee, 50%
  target assessment): score = Σ weight × component, ``ballot`` = 100 × r, others the
  session's ``assessments``; a missing assessment, or no valid votes, gives no score and
  an ``assessment.missing`` warning.
- ``weighted_groups`` (西充: villagers 50%, township officials 30%, resident officers
  20%): score = Σ weight × r of each group; a group without valid votes counts 0, with a
  ``score.group_without_votes`` warning; every ballot must name a weighted group.

Every score is an exact fraction.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from rule_runs import Run

from zhiping.errors import InputError
from zhiping.rules.eligibility import organization_not_evaluated
from zhiping.rules.scoring import weighted_composite, weighted_groups
from zhiping.rules.tally import tally_marks
from zhiping.testing import counted, session_document

SCALE = ("satisfied", "basically_satisfied", "dissatisfied")
SATISFIED = ("satisfied", "basically_satisfied")
WENJIANG = {
    "ballot": Decimal("0.3"),
    "township_committee": Decimal("0.2"),
    "target": Decimal("0.5"),
}
XICHONG = {
    "villagers": Decimal("0.5"),
    "township_officials": Decimal("0.3"),
    "resident_officers": Decimal("0.2"),
}


def tallied(document: dict[str, Any]) -> Run:
    run = Run.of(document)
    run.apply(organization_not_evaluated, "eligibility.organization")
    return run.apply(tally_marks, "ballots.tally", scale=SCALE, abstentions=("unknown",))


# weighted_composite


def composite(
    c1: dict[str, int],
    *,
    township_committee: str | None = "85",
    target: str | None = "78.5",
    weights: dict[str, Decimal] = WENJIANG,
) -> Run:
    """Score c1, whose ballots are ``c1``, with these assessments."""
    n = sum(c1.values())
    document = session_document(cadres=1, counts={"organization": {"satisfied": n}, "c1": c1})
    assessments = {}
    if township_committee is not None:
        assessments["township_committee"] = {"c1": township_committee}
    if target is not None:
        assessments["target"] = {"c1": target}
    document["assessments"] = assessments
    run = tallied(document)
    return run.apply(weighted_composite, "score.composite", weights=weights, satisfied=SATISFIED)


def test_the_composite_is_the_weighted_sum_of_ballot_and_assessments() -> None:
    """r = 8/10, D = 80: 0.3 × 80 + 0.2 × 85 + 0.5 × 78.5 = 24 + 17 + 39.25 = 80.25."""
    run = composite(counted(satisfied=6, basically_satisfied=2, dissatisfied=2))
    assert run.evaluation.scores == {"c1": Fraction(8025, 100)}
    entry = run.entry("score.composite", "c1")
    assert (entry.result, entry.fulfilled) == ("80.25", None)
    assert dict(entry.inputs) == {"ballot": "80", "township_committee": "85", "target": "78.5"}
    assert entry.message.en == "干部1 (c1) scores 80.25"


def test_abstentions_and_invalid_marks_do_not_lower_the_ballot_component() -> None:
    """The same 8 of 10 valid votes with 5 abstentions and 3 invalid: still 80.25."""
    marks = counted(satisfied=6, basically_satisfied=2, dissatisfied=2, abstain=5, invalid=3)
    assert composite(marks).evaluation.scores["c1"] == Fraction(8025, 100)


def test_a_rate_in_thirds_is_kept_exact() -> None:
    """r = 1/3: 0.3 × 100/3 = 10 exactly; + 0.2 × 90 + 0.5 × 80 = 68."""
    run = composite(counted(satisfied=1, dissatisfied=2), township_committee="90", target="80")
    assert run.evaluation.scores["c1"] == 68
    assert run.entry("score.composite", "c1").inputs["ballot"] == "100/3 (≈33.33)"


def test_a_score_that_is_no_decimal_is_written_as_a_fraction() -> None:
    run = composite(counted(satisfied=1, dissatisfied=2), weights={"ballot": Decimal("1")})
    assert run.evaluation.scores["c1"] == Fraction(100, 3)
    assert run.entry("score.composite", "c1").result == "100/3 (≈33.33)"


@pytest.mark.parametrize(
    ("township_committee", "target", "missing"),
    [
        ("85", None, ["target"]),
        (None, "78.5", ["township_committee"]),
        (None, None, ["township_committee", "target"]),
    ],
)
def test_a_missing_assessment_gives_no_score_and_a_warning(
    township_committee: str | None, target: str | None, missing: list[str]
) -> None:
    run = composite(counted(satisfied=10), township_committee=township_committee, target=target)
    assert run.evaluation.scores == {"c1": None}
    (finding,) = run.findings
    assert (finding.rule, finding.severity, finding.subject) == (
        "assessment.missing",
        "warning",
        "c1",
    )
    assert dict(finding.facts) == {"missing": missing}
    entry = run.entry("score.composite", "c1")
    assert (entry.result, entry.fulfilled) == (None, False)
    assert entry.message == finding.message


def test_no_valid_votes_gives_no_score() -> None:
    run = composite(counted(abstain=8, invalid=2))
    assert run.evaluation.scores == {"c1": None}
    assert [dict(f.facts) for f in run.findings] == [{"missing": ["valid votes"]}]
    assert run.findings[0].message.en == "干部1 (c1) lacks valid votes: no score"


def test_only_eligible_subjects_are_scored() -> None:
    run = composite(counted(satisfied=10))
    assert [entry.subject for entry in run.trace if entry.rule == "score.composite"] == ["c1"]


# weighted_groups


def grouped(*ballots: tuple[str | None, str | None]) -> dict[str, Any]:
    """A session whose cast ballots each come from a group and mark c1 (or leave it)."""
    document = session_document(cadres=1)
    cast = [
        {
            **({"group": group} if group is not None else {}),
            "marks": {"c1": mark} if mark is not None else {},
        }
        for group, mark in ballots
    ]
    document["ballots"] = {"issued": len(cast), "returned": len(cast), "cast": cast}
    return document


def groups_score(document: dict[str, Any], *, min_group_size: int | None = 1) -> Run:
    """Score by Xichong's weights; a minimum of 1 publishes even the tiny groups here.

    ``min_group_size=None`` leaves the parameter unset, so that the default applies.
    """
    minimum = {} if min_group_size is None else {"min_group_size": min_group_size}
    return tallied(document).apply(
        weighted_groups, "score.groups", weights=XICHONG, satisfied=SATISFIED, **minimum
    )


def test_the_weighted_satisfaction_is_the_weighted_sum_of_each_groups_rate() -> None:
    """Villagers 3/4, officials 1, residents 1/2: 0.375 + 0.3 + 0.1 = 0.775."""
    run = groups_score(
        grouped(
            ("villagers", "satisfied"),
            ("villagers", "basically_satisfied"),
            ("villagers", "satisfied"),
            ("villagers", "dissatisfied"),
            ("township_officials", "satisfied"),
            ("resident_officers", "satisfied"),
            ("resident_officers", "dissatisfied"),
        )
    )
    assert run.evaluation.scores["c1"] == Fraction(775, 1000)
    entry = run.entry("score.groups", "c1")
    assert entry.result == "0.775"
    assert dict(entry.inputs) == {
        "villagers": "0.75",
        "township_officials": "1",
        "resident_officers": "0.5",
    }
    assert run.findings == []


def test_full_marks_from_both_official_groups_reach_only_half() -> None:
    """西充: villagers all dissatisfied, both official groups all satisfied: 0.3 + 0.2."""
    run = groups_score(
        grouped(
            ("villagers", "dissatisfied"),
            ("township_officials", "satisfied"),
            ("resident_officers", "satisfied"),
        )
    )
    assert run.evaluation.scores["c1"] == Fraction(1, 2)


def test_a_group_without_valid_votes_counts_zero_with_a_warning() -> None:
    """The residents' one ballot leaves c1 unmarked: 0.5 × 1 + 0.3 × 1 + 0.2 × 0 = 0.8."""
    run = groups_score(
        grouped(
            ("villagers", "satisfied"),
            ("township_officials", "satisfied"),
            ("resident_officers", None),
        )
    )
    assert run.evaluation.scores["c1"] == Fraction(4, 5)
    (finding,) = run.findings
    assert (finding.rule, finding.severity, finding.subject) == (
        "score.group_without_votes",
        "warning",
        "c1",
    )
    assert dict(finding.facts) == {"group": "resident_officers"}
    assert run.entry("score.groups", "c1").inputs["resident_officers"] == "0"


def test_a_ballot_that_names_no_weighted_group_is_an_input_error() -> None:
    document = grouped(("villagers", "satisfied"), (None, "satisfied"), ("elders", "satisfied"))
    with pytest.raises(InputError) as raised:
        groups_score(document)
    assert [problem.path for problem in raised.value.problems] == [
        "ballots.cast[1].group",
        "ballots.cast[2].group",
    ]


def test_counts_without_groups_are_an_input_error_when_ballots_were_returned() -> None:
    document = session_document(cadres=1, counts={"c1": {"satisfied": 3}})
    with pytest.raises(InputError) as raised:
        groups_score(document)
    assert [problem.path for problem in raised.value.problems] == ["ballots.counts"]


def test_counts_of_no_ballot_at_all_need_no_groups() -> None:
    """Nothing returned: every group is without votes, and the score is 0."""
    document = session_document(
        cadres=1, counts={"organization": {"satisfied": 0}, "c1": {"satisfied": 0}}
    )
    run = groups_score(document)
    assert run.evaluation.scores["c1"] == 0
    assert [dict(f.facts)["group"] for f in run.findings] == list(XICHONG)


def test_group_counts_of_a_group_not_weighted_are_an_input_error() -> None:
    document = session_document(cadres=1)
    document["ballots"] = {
        "issued": 1,
        "returned": 1,
        "group_counts": {"elders": {"c1": {"satisfied": 1}}},
    }
    with pytest.raises(InputError) as raised:
        groups_score(document)
    assert [problem.path for problem in raised.value.problems] == ["ballots.group_counts.elders"]


# weighted_groups and ballot secrecy: a group that returned ballots but fewer than
# min_group_size (3 by default) withholds every group's rates and the composite.


def test_a_group_below_the_default_minimum_withholds_the_rates_and_the_score() -> None:
    """Villagers 3, officials 3, one resident officer: R = 0.5 + 0.3 × 2/3 + 0.2 × 0 =
    7/10, used as computed but published nowhere; one warning names the group."""
    run = groups_score(
        grouped(
            *[("villagers", "satisfied")] * 3,
            *[("township_officials", "satisfied")] * 2,
            ("township_officials", "dissatisfied"),
            ("resident_officers", "dissatisfied"),
        ),
        min_group_size=None,
    )
    assert run.evaluation.scores["c1"] == Fraction(7, 10)
    assert run.evaluation.withheld == {"c1"}
    entry = run.entry("score.groups", "c1")
    assert entry.result == "withheld"
    assert dict(entry.inputs) == dict.fromkeys(XICHONG, "withheld")
    assert "0.7" not in entry.message.zh + entry.message.en
    assert entry.message.en == "干部1 (c1): weighted satisfaction withheld (a group too small)"
    (warning,) = run.findings
    assert (warning.rule, warning.severity, warning.subject) == (
        "score.small_group",
        "warning",
        None,
    )
    assert warning.facts["groups"] == {"resident_officers": 1}
    assert warning.facts["minimum"] == 3
    (minimum,) = [use for use in entry.parameters if use.name.endswith("min_group_size")]
    assert (minimum.name, minimum.value, minimum.pack, minimum.assumed) == (
        "score.groups.min_group_size",
        3,
        "test",
        True,
    )
    assert minimum.note == (
        "no pack of the chain sets it: the default of the mechanism weighted_groups"
    )


@pytest.mark.parametrize(("officers", "withheld"), [(1, True), (2, True), (3, False)])
def test_the_minimum_is_met_at_three_and_missed_below(officers: int, withheld: bool) -> None:
    """Three in each other group; resident officers 1, 2 (withheld) or 3 (published)."""
    run = groups_score(
        grouped(
            *[("villagers", "satisfied")] * 3,
            *[("township_officials", "satisfied")] * 3,
            *[("resident_officers", "satisfied")] * officers,
        ),
        min_group_size=None,
    )
    assert run.evaluation.scores["c1"] == 1
    assert run.entry("score.groups", "c1").result == ("withheld" if withheld else "1")
    assert run.finding_rules() == (["score.small_group"] if withheld else [])


def test_a_pack_may_lower_the_minimum_to_publish_a_group_of_two() -> None:
    run = groups_score(
        grouped(
            ("villagers", "satisfied"),
            ("villagers", "dissatisfied"),
            ("township_officials", "satisfied"),
            ("township_officials", "satisfied"),
            ("resident_officers", "satisfied"),
            ("resident_officers", "satisfied"),
        ),
        min_group_size=2,
    )
    assert run.entry("score.groups", "c1").result == "0.75"  # 0.25 + 0.3 + 0.2
    assert run.findings == []


def test_a_group_without_any_ballot_reveals_nothing_and_withholds_nothing() -> None:
    """No resident officer at all: nobody's marks to keep secret; R = 0.5 + 0.3 = 4/5."""
    run = groups_score(
        grouped(*[("villagers", "satisfied")] * 3, *[("township_officials", "satisfied")] * 3),
        min_group_size=None,
    )
    assert run.entry("score.groups", "c1").result == "0.8"
    assert run.finding_rules() == ["score.group_without_votes"]


def test_withheld_rates_do_not_say_which_group_gave_no_valid_votes() -> None:
    """The lone officer leaves c1 unmarked: counted 0 as always, but no finding says
    that the resident officers gave no valid vote (it would tell what the officer did)."""
    run = groups_score(
        grouped(
            *[("villagers", "satisfied")] * 3,
            *[("township_officials", "satisfied")] * 3,
            ("resident_officers", None),
        ),
        min_group_size=None,
    )
    assert run.evaluation.scores["c1"] == Fraction(4, 5)
    assert run.finding_rules() == ["score.small_group"]


def test_a_small_group_in_the_group_counts_form_is_withheld_too() -> None:
    document = session_document(cadres=1)
    document["ballots"] = {
        "issued": 7,
        "returned": 7,
        "group_counts": {
            "villagers": {"c1": {"satisfied": 3}},
            "township_officials": {"c1": {"satisfied": 3}},
            "resident_officers": {"c1": {"dissatisfied": 1}},
        },
    }
    run = groups_score(document, min_group_size=None)
    assert run.evaluation.scores["c1"] == Fraction(4, 5)
    assert run.entry("score.groups", "c1").result == "withheld"
    assert run.findings[0].facts["groups"] == {"resident_officers": 1}
