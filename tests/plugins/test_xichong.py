"""The bundled pack ``xichong`` (南充市西充县, prefix 511325), against reference/variants.md.

Quarterly sessions; three evaluator groups, each with its own satisfaction rate
r_g = (s_g + b_g) / n_g over its valid votes; the composite
R = 0.5 r_villagers + 0.3 r_township_officials + 0.2 r_resident_officers, exact; a group
without valid votes counts 0 with a warning. ``competent`` if R ≥ 3/5, else
``incompetent`` with an ``interview``; the organization is not graded, but gets one
``team_interview`` when any cadre falls below 3/5. Every expected value below is worked
out by hand from variants.md.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.errors import InputError
from zhiping.testing import PackTests, as_cast, counted, session_document

VILLAGE = "511325001001"

# The capacity in which each group's members sign in, and how their ids are spelled.
_ATTENDANCE = {
    "villagers": ("v", {"as": ["villager"]}),
    "township_officials": ("t", {"as": ["invitee"], "invitee_kind": "township_official"}),
    "resident_officers": ("o", {"as": ["invitee"], "invitee_kind": "resident_officer"}),
}

Counts = dict[str, int]
GroupCounts = dict[str, dict[str, Counts]]


def marks(s: int = 0, b: int = 0, d: int = 0, abstain: int = 0, invalid: int = 0) -> Counts:
    """One subject's counts: s satisfied, b basically satisfied, d dissatisfied."""
    return counted(
        satisfied=s, basically_satisfied=b, dissatisfied=d, abstain=abstain, invalid=invalid
    )


class TestXichong(PackTests):
    pack = "xichong"


def size(counts: dict[str, Counts]) -> int:
    """How many ballots a group returned: what its first subject's counts sum to."""
    return sum(next(iter(counts.values())).values())


def document(
    group_counts: GroupCounts,
    *,
    cadres: int = 1,
    quarter: int | None = 1,
    issued: int | None = None,
    also_present: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    """A valid Xichong session in the ``group_counts`` form.

    Each group's members are present in the group's capacity, one per ballot the group
    returned (``v001…`` villagers, ``t001…`` township officials, ``o001…`` resident
    officers); nobody else counts unless ``also_present`` adds them. ``issued`` defaults
    to ``returned``.
    """
    base = session_document(
        village_code=VILLAGE,
        party_members=1,
        party_members_present=0,
        representatives=1,
        representatives_present=0,
        cadres=cadres,
        counts={},
    )
    attendance = []
    for group, counts in group_counts.items():
        prefix, claim = _ATTENDANCE[group]
        attendance.extend(
            {"person": f"{prefix}{i:03d}", **claim} for i in range(1, size(counts) + 1)
        )
    base["attendance"] = [*attendance, *also_present]
    returned = sum(size(counts) for counts in group_counts.values())
    base["ballots"] = {
        "issued": returned if issued is None else issued,
        "returned": returned,
        "group_counts": copy.deepcopy(group_counts),
    }
    if quarter is not None:
        base["quarter"] = quarter
    return base


def as_grouped_cast(doc: dict[str, Any], *, reverse: bool = False) -> dict[str, Any]:
    """The same session with each group's counts written out as one ballot each, tagged."""
    result = copy.deepcopy(doc)
    ballots = result["ballots"]
    cast: list[dict[str, Any]] = []
    for group, counts in ballots.pop("group_counts").items():
        written = as_cast({"ballots": {"returned": size(counts), "counts": counts}})
        cast.extend({"group": group, **ballot} for ballot in written["ballots"]["cast"])
    ballots["cast"] = cast[::-1] if reverse else cast
    return result


def evaluate(doc: dict[str, Any]) -> Outcome:
    return zhiping.evaluate(doc)


def score_of(outcome: Outcome, subject: str) -> Fraction:
    """The composite R the trace records for a subject (``0.6``, or ``1/3 (≈0.33)``).

    Only where every group that voted has at least 3 evaluators: a smaller group's
    composite is withheld (see the secrecy tests below).
    """
    (entry,) = [e for e in outcome.trace if e.rule == "score.groups" and e.subject == subject]
    assert entry.result not in (None, "withheld")
    assert entry.result is not None
    return Fraction(entry.result.split()[0])


def kinds(outcome: Outcome, subject: str) -> list[str]:
    return [action.kind for action in outcome.subject(subject).actions]


def full(n: int) -> Counts:
    return marks(s=n)


def none_satisfied(n: int) -> Counts:
    return marks(d=n)


def groups(villagers: Counts, township: Counts, resident: Counts) -> GroupCounts:
    """Group counts of a single cadre c1."""
    return {
        "villagers": {"c1": villagers},
        "township_officials": {"c1": township},
        "resident_officers": {"c1": resident},
    }


# The chain.


def test_a_village_under_511325_is_evaluated_by_cn_then_xichong() -> None:
    outcome = evaluate(document(groups(full(10), full(3), full(2))))
    assert outcome.packs == ("cn", "xichong")
    assert outcome.status == "valid"


# session.quarter: sessions are quarterly.


def test_a_session_without_a_quarter_is_void_and_nothing_is_applied() -> None:
    """R = 1/2 would bring an interview, but a void session applies nothing."""
    outcome = evaluate(document(groups(none_satisfied(10), full(3), full(2)), quarter=None))
    (finding,) = outcome.findings_of("session.quarter")
    assert finding.severity == "violation"
    assert outcome.status == "void"
    assert outcome.subject("c1").tally is not None
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c1").actions == ()
    assert outcome.subject("organization").actions == ()


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_each_quarter_from_1_to_4_is_a_valid_session(quarter: int) -> None:
    outcome = evaluate(document(groups(full(10), full(3), full(2)), quarter=quarter))
    assert outcome.findings_of("session.quarter") == ()
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "competent"


@pytest.mark.parametrize("quarter", [0, 5])
def test_a_quarter_outside_1_to_4_is_a_document_error(quarter: int) -> None:
    with pytest.raises(InputError) as raised:
        evaluate(document(groups(full(10), full(3), full(2)), quarter=quarter))
    assert [problem.path for problem in raised.value.problems] == ["quarter"]


# attendance.evaluators: villagers, and invitees who are township officials or resident
# officers. Here 10 villagers + 3 township officials + 2 resident officers = 15.


def test_ballots_issued_to_every_evaluator_and_no_more_is_valid() -> None:
    """issued = 15 ≤ 15 evaluators."""
    outcome = evaluate(document(groups(full(10), full(3), full(2)), issued=15))
    assert outcome.findings_of("ballots.issued") == ()
    assert outcome.status == "valid"


def test_one_ballot_more_than_the_evaluators_is_void() -> None:
    """issued = 16 > 15 evaluators."""
    outcome = evaluate(document(groups(full(10), full(3), full(2)), issued=16))
    (finding,) = outcome.findings_of("ballots.issued")
    assert finding.severity == "violation"
    assert outcome.status == "void"


@pytest.mark.parametrize("kind", ["township_official", "resident_officer"])
def test_an_invitee_of_an_official_kind_is_an_evaluator(kind: str) -> None:
    """15 + 1 invitee = 16 evaluators: 16 ballots issued is allowed."""
    invitee = {"person": "x01", "as": ["invitee"], "invitee_kind": kind}
    doc = document(groups(full(10), full(3), full(2)), issued=16, also_present=(invitee,))
    outcome = evaluate(doc)
    assert outcome.findings_of("attendance.invitee_kind") == ()
    assert outcome.findings_of("ballots.issued") == ()
    assert outcome.status == "valid"


def test_an_invitee_of_another_kind_is_not_an_evaluator() -> None:
    """A deputy is not one of the two official groups: 15 evaluators, 16 issued → void."""
    invitee = {"person": "x01", "as": ["invitee"], "invitee_kind": "deputy"}
    doc = document(groups(full(10), full(3), full(2)), issued=16, also_present=(invitee,))
    outcome = evaluate(doc)
    (warning,) = outcome.findings_of("attendance.invitee_kind")
    assert warning.severity == "warning"
    assert outcome.findings_of("ballots.issued")[0].severity == "violation"
    assert outcome.status == "void"


def test_a_person_in_two_evaluator_capacities_counts_once() -> None:
    """t001 signs in as a villager and a township official: still 15 persons, 16 issued."""
    doc = document(groups(full(10), full(3), full(2)), issued=16)
    (entry,) = [a for a in doc["attendance"] if a["person"] == "t001"]
    entry["as"] = ["villager", "invitee"]
    outcome = evaluate(doc)
    assert outcome.findings_of("ballots.issued")[0].facts["evaluators"] == 15
    assert outcome.status == "void"


@pytest.mark.parametrize(
    "present",
    [
        {"person": "pm001", "as": ["party_member"]},
        {"person": "r001", "as": ["representative"]},
    ],
)
def test_a_party_member_or_representative_on_the_roster_is_a_villager(
    present: dict[str, Any],
) -> None:
    """On the roster, hence a villager: 15 + 1 = 16 evaluators, so 16 issued is sound."""
    doc = document(groups(full(10), full(3), full(2)), issued=16, also_present=(present,))
    outcome = evaluate(doc)
    assert outcome.findings_of("attendance.not_on_roster") == ()
    assert outcome.findings_of("ballots.issued") == ()
    assert outcome.status == "valid"
    doc["ballots"]["issued"] = 17  # 17 > 16
    assert evaluate(doc).findings_of("ballots.issued")[0].severity == "violation"


@pytest.mark.parametrize(
    "present",
    [
        {"person": "pm999", "as": ["party_member"]},
        {"person": "r999", "as": ["representative"]},
    ],
)
def test_a_party_member_or_representative_not_on_the_roster_is_not_counted(
    present: dict[str, Any],
) -> None:
    """The roster does not back the claim, and nothing says they are a villager:
    still 15 evaluators, 16 issued → void."""
    doc = document(groups(full(10), full(3), full(2)), issued=16, also_present=(present,))
    outcome = evaluate(doc)
    assert outcome.findings_of("attendance.not_on_roster")[0].severity == "warning"
    assert outcome.findings_of("ballots.issued")[0].facts["evaluators"] == 15
    assert outcome.status == "void"


def test_87_villagers_and_13_party_members_and_representatives_are_100_evaluators() -> None:
    """100 ballots issued and returned, all in the villagers' group: valid; 101: void."""
    villagers_counts = {"c1": marks(s=100)}
    present = (
        *({"person": f"pm{i:03d}", "as": ["party_member"]} for i in range(1, 9)),
        *({"person": f"r{i:03d}", "as": ["representative"]} for i in range(1, 6)),
    )
    doc = document({"villagers": villagers_counts}, also_present=present)
    doc["attendance"] = doc["attendance"][13:]  # v001…v013 leave; v014…v100, 87 villagers, remain
    doc["roster"]["party_members"] = [f"pm{i:03d}" for i in range(1, 9)]
    doc["roster"]["representatives"] = [f"r{i:03d}" for i in range(1, 6)]
    assert len(doc["attendance"]) == 100
    outcome = evaluate(doc)
    (entry,) = [e for e in outcome.trace if e.rule == "attendance.evaluators"]
    assert entry.inputs["evaluators"] == 100
    assert outcome.findings_of("ballots.issued") == ()
    assert outcome.status == "valid"
    doc["ballots"]["issued"] = 101
    void = evaluate(doc)
    assert void.findings_of("ballots.issued")[0].facts["evaluators"] == 100
    assert void.status == "void"


# The two forms of the same ballots: group_counts, and cast ballots carrying `group`.


def _without_form(rendered: dict[str, Any]) -> dict[str, Any]:
    # The tally's trace names the form the ballots came in; nothing else may differ.
    trimmed = dict(rendered)
    trimmed["trace"] = [
        {**entry, "inputs": {k: v for k, v in entry["inputs"].items() if k != "form"}}
        for entry in rendered["trace"]
    ]
    return trimmed


MIXED: GroupCounts = {
    "villagers": {
        "organization": marks(s=7, b=3, d=2, abstain=1),
        "c1": marks(s=1, b=1, d=8, abstain=2, invalid=1),
        "c2": marks(s=6, b=2, d=4, invalid=1),
    },
    "township_officials": {"c1": marks(s=3), "c2": marks(s=1, d=1, abstain=1)},
    "resident_officers": {"c1": marks(b=3), "c2": marks(d=1, invalid=2)},
}


@pytest.mark.parametrize("reverse", [False, True])
def test_cast_ballots_with_groups_give_the_same_outcome_as_group_counts(reverse: bool) -> None:
    counted = document(MIXED, cadres=2)
    cast = as_grouped_cast(counted, reverse=reverse)
    assert "group_counts" not in cast["ballots"]
    assert len(cast["ballots"]["cast"]) == 13 + 3 + 3
    counted_outcome = evaluate(counted).to_document()
    assert _without_form(evaluate(cast).to_document()) == _without_form(counted_outcome)


def test_the_mixed_ballots_are_graded_as_worked_out_by_hand() -> None:
    """c1: r_v = (1 + 1)/10 (abstentions and invalid out), r_t = 3/3, r_r = 3/3:
    R = 1/10 + 3/10 + 2/10 = 3/5, competent.
    c2: r_v = 8/12, r_t = 1/2, r_r = 0/1: R = 1/3 + 3/20 + 0 = 29/60 < 3/5, incompetent.
    """
    for doc in (document(MIXED, cadres=2), as_grouped_cast(document(MIXED, cadres=2))):
        outcome = evaluate(doc)
        assert score_of(outcome, "c1") == Fraction(3, 5)
        assert score_of(outcome, "c2") == Fraction(29, 60)
        assert outcome.subject("c1").grade == "competent"
        assert outcome.subject("c2").grade == "incompetent"
        assert kinds(outcome, "c2") == ["interview"]
        assert kinds(outcome, "organization") == ["team_interview"]


# score.groups: R = 0.5 r_villagers + 0.3 r_township_officials + 0.2 r_resident_officers.


def test_full_marks_from_both_official_groups_and_none_from_villagers_is_one_half() -> None:
    """The source's own figure: R = 0.5 × 0 + 0.3 × 1 + 0.2 × 1 = 1/2, under 3/5."""
    outcome = evaluate(document(groups(none_satisfied(10), full(3), full(3))))
    assert outcome.status == "valid"
    assert score_of(outcome, "c1") == Fraction(1, 2)
    assert outcome.subject("c1").grade == "incompetent"
    assert kinds(outcome, "c1") == ["interview"]
    assert kinds(outcome, "organization") == ["team_interview"]


def test_exactly_three_fifths_is_competent_without_interview() -> None:
    """r_v = (1 + 1)/10 = 1/5, r_t = 3/3, r_r = 3/3 (basically satisfied counts):
    R = 0.5/5 + 0.3 + 0.2 = 1/10 + 3/10 + 2/10 = 3/5, not below the line.
    """
    outcome = evaluate(document(groups(marks(s=1, b=1, d=8), full(3), marks(b=3))))
    assert score_of(outcome, "c1") == Fraction(3, 5)
    assert outcome.subject("c1").grade == "competent"
    assert outcome.subject("c1").actions == ()
    assert outcome.subject("organization").actions == ()


def test_one_villager_vote_less_than_three_fifths_is_incompetent_with_interview() -> None:
    """r_v = 1/10: R = 1/20 + 3/10 + 2/10 = 11/20 < 3/5."""
    outcome = evaluate(document(groups(marks(b=1, d=9), full(3), marks(b=3))))
    assert score_of(outcome, "c1") == Fraction(11, 20)
    assert outcome.subject("c1").grade == "incompetent"
    assert kinds(outcome, "c1") == ["interview"]
    assert kinds(outcome, "organization") == ["team_interview"]


def test_three_fifths_made_of_thirds_is_exact() -> None:
    """r_v = 3/5, r_t = 1/3, r_r = 1: R = 3/10 + 1/10 + 1/5 = 3/5 exactly (competent);
    in binary floating point the sum may fall just short of 0.6.
    """
    outcome = evaluate(document(groups(marks(s=3, d=2), marks(s=1, d=2), full(3))))
    assert score_of(outcome, "c1") == Fraction(3, 5)
    assert outcome.subject("c1").grade == "competent"
    assert outcome.subject("c1").actions == ()


def test_abstentions_and_invalid_marks_are_not_valid_votes_of_a_group() -> None:
    """Villagers return 13: s = 1, b = 1, d = 8, 2 abstain, 1 invalid; n_v = 10, r_v = 1/5:
    R = 1/10 + 3/10 + 2/10 = 3/5, competent (with n_v = 13 it would be 2/13 and below).
    """
    villagers = marks(s=1, b=1, d=8, abstain=2, invalid=1)
    outcome = evaluate(document(groups(villagers, full(3), full(3))))
    assert outcome.subject("c1").tally is not None
    assert outcome.subject("c1").tally.valid_votes == 10 + 3 + 3
    assert score_of(outcome, "c1") == Fraction(3, 5)
    assert outcome.subject("c1").grade == "competent"


@pytest.mark.parametrize(
    ("villagers", "township", "resident", "expected", "grade"),
    [
        # R = 0.5 × [villagers] + 0.3 × [township officials] + 0.2 × [resident officers]
        (0, 0, 0, Fraction(0), "incompetent"),
        (1, 0, 0, Fraction(1, 2), "incompetent"),
        (0, 1, 0, Fraction(3, 10), "incompetent"),
        (0, 0, 1, Fraction(1, 5), "incompetent"),
        (1, 1, 0, Fraction(4, 5), "competent"),
        (1, 0, 1, Fraction(7, 10), "competent"),
        (0, 1, 1, Fraction(1, 2), "incompetent"),
        (1, 1, 1, Fraction(1), "competent"),
    ],
)
def test_each_group_carries_its_own_weight(
    villagers: int, township: int, resident: int, expected: Fraction, grade: str
) -> None:
    """A group all satisfied has rate 1, all dissatisfied rate 0."""

    def rated(all_satisfied: int, n: int) -> Counts:
        return full(n) if all_satisfied else none_satisfied(n)

    doc = document(groups(rated(villagers, 10), rated(township, 3), rated(resident, 3)))
    outcome = evaluate(doc)
    assert score_of(outcome, "c1") == expected
    assert outcome.subject("c1").grade == grade
    assert kinds(outcome, "c1") == ([] if grade == "competent" else ["interview"])
    assert outcome.findings_of("score.group_without_votes") == ()


# score.group_without_votes: a group without valid votes contributes 0, with a warning.


def test_a_group_with_no_ballots_contributes_zero_with_a_warning() -> None:
    """No resident officers: R = 0.5 × 1 + 0.3 × 1 + 0.2 × 0 = 4/5, competent."""
    doc = document({"villagers": {"c1": full(10)}, "township_officials": {"c1": full(3)}})
    outcome = evaluate(doc)
    (warning,) = outcome.findings_of("score.group_without_votes")
    assert warning.severity == "warning"
    assert (warning.subject, warning.facts["group"]) == ("c1", "resident_officers")
    assert outcome.status == "valid"
    assert score_of(outcome, "c1") == Fraction(4, 5)
    assert outcome.subject("c1").grade == "competent"


def test_a_group_whose_ballots_all_abstain_contributes_zero_with_a_warning() -> None:
    """Resident officers return 3 ballots, none valid (two unmarked, one invalid):
    n_r = 0, so R = 0.5 + 0.3 + 0 = 4/5.
    """
    outcome = evaluate(document(groups(full(10), full(3), marks(abstain=2, invalid=1))))
    (warning,) = outcome.findings_of("score.group_without_votes")
    assert (warning.subject, warning.facts["group"]) == ("c1", "resident_officers")
    assert score_of(outcome, "c1") == Fraction(4, 5)


def test_a_missing_group_counts_zero_and_is_not_reweighted() -> None:
    """Villagers all satisfied, township officials none, no resident officers:
    R = 0.5 × 1 + 0.3 × 0 + 0 = 1/2 < 3/5 (reweighting the two groups present would
    give 0.5/0.8 = 5/8 ≥ 3/5).
    """
    doc = document({"villagers": {"c1": full(10)}, "township_officials": {"c1": marks(d=3)}})
    outcome = evaluate(doc)
    assert len(outcome.findings_of("score.group_without_votes")) == 1
    assert score_of(outcome, "c1") == Fraction(1, 2)
    assert outcome.subject("c1").grade == "incompetent"
    assert kinds(outcome, "c1") == ["interview"]
    assert kinds(outcome, "organization") == ["team_interview"]


def test_a_missing_group_is_reported_once_for_each_cadre() -> None:
    """Township officials unmarked on every ballot: each of c1, c2 has r_t missing."""
    doc = document(
        {
            "villagers": {"c1": full(10), "c2": full(10)},
            "resident_officers": {"c1": full(3), "c2": full(3)},
        },
        cadres=2,
    )
    outcome = evaluate(doc)
    found = {
        (f.subject, f.facts["group"]) for f in outcome.findings_of("score.group_without_votes")
    }
    assert found == {("c1", "township_officials"), ("c2", "township_officials")}
    assert len(outcome.findings_of("score.group_without_votes")) == 2
    # R = 0.5 + 0 + 0.2 = 7/10 for both.
    assert score_of(outcome, "c1") == score_of(outcome, "c2") == Fraction(7, 10)


# The organization: not graded; one team interview when any cadre falls below 3/5.


def _three_cadres(below: set[str]) -> GroupCounts:
    """Cadres in ``below`` get R = 1/2 (villagers none satisfied), the others R = 1."""
    villagers = {c: none_satisfied(10) if c in below else full(10) for c in ("c1", "c2", "c3")}
    return {
        "villagers": {"organization": full(10), **villagers},
        "township_officials": {
            "organization": full(3),
            "c1": full(3),
            "c2": full(3),
            "c3": full(3),
        },
        "resident_officers": {"organization": full(2), "c1": full(2), "c2": full(2), "c3": full(2)},
    }


@pytest.mark.parametrize("below", [set(), {"c2"}, {"c1", "c3"}, {"c1", "c2", "c3"}])
def test_the_organization_gets_one_team_interview_iff_any_cadre_is_below(below: set[str]) -> None:
    outcome = evaluate(document(_three_cadres(below), cadres=3))
    assert outcome.status == "valid"
    organization = outcome.subject("organization")
    assert organization.eligible is False
    assert organization.grade is None
    assert kinds(outcome, "organization") == (["team_interview"] if below else [])
    if below:
        assert organization.actions[0].rule == "organization.team_interview"
    for cadre in ("c1", "c2", "c3"):
        if cadre in below:
            assert outcome.subject(cadre).grade == "incompetent"
            assert kinds(outcome, cadre) == ["interview"]
            assert outcome.subject(cadre).actions[0].rule == "sanction.low_satisfaction"
        else:
            assert outcome.subject(cadre).grade == "competent"
            assert kinds(outcome, cadre) == []


def test_the_organization_is_not_graded_nor_scored_whatever_its_marks() -> None:
    """The organization's own marks, all dissatisfied, bring it nothing."""
    counts = groups(full(10), full(3), full(2))
    counts["villagers"]["organization"] = none_satisfied(10)
    outcome = evaluate(document(counts))
    organization = outcome.subject("organization")
    assert (organization.eligible, organization.grade, organization.actions) == (False, None, ())
    assert not [
        e for e in outcome.trace if e.rule == "score.groups" and e.subject == "organization"
    ]


# Ballot secrecy (docs/secrecy.md): a group below the minimum (3 unless a pack says)
# withholds every group's rates and the composite; decisions stay as the rule says.
#
# Seven villagers, three township officials and one resident officer:
# c1: r_v = (4 + 1)/7 = 5/7, r_t = 2/3, r_r = 0 (the officer is dissatisfied):
#     R = 5/14 + 1/5 + 0 = 25/70 + 14/70 = 39/70 < 3/5: incompetent, interview.
# c2: r_v = 6/7, r_t = 3/3, r_r = 1 (the officer is satisfied):
#     R = 3/7 + 3/10 + 1/5 = 30/70 + 21/70 + 14/70 = 65/70 = 13/14: competent.
# The organization: one team interview, since c1 is below 3/5.

LONE_OFFICER: GroupCounts = {
    "villagers": {"c1": marks(s=4, b=1, d=2), "c2": marks(s=6, d=1)},
    "township_officials": {"c1": marks(s=2, d=1), "c2": marks(s=3)},
    "resident_officers": {"c1": marks(d=1), "c2": marks(s=1)},
}

# What, with the overall tally, would give the lone officer's marks away: the composite
# and every group's rate, as the outcome writes figures (exact(): ``a/b (≈x.xx)``).
REVEALING = ("39/70", "13/14", "5/7", "6/7", "2/3", "≈0.56", "≈0.93", "≈0.71", "≈0.86", "≈0.67")


def published(doc: dict[str, Any], outcome: Outcome) -> dict[str, str]:
    """Everything published of one session: the outcome JSON, the CSV, the results sheet,
    and the text report with its explanation, in both languages."""
    import io

    from rich.console import Console

    from zhiping.outputs.report import render_explanation, render_outcome
    from zhiping.outputs.results_sheet import results_sheet
    from zhiping.outputs.results_table import write_results_table

    session = zhiping.parse_session(doc)
    texts = {"json": json.dumps(outcome.to_document(), ensure_ascii=False, sort_keys=True)}
    for lang in ("zh", "en"):
        table = io.StringIO()
        write_results_table([(session, outcome)], table, lang)
        texts[f"csv-{lang}"] = table.getvalue()
        texts[f"sheet-{lang}"] = "".join(results_sheet([(session, outcome)], lang))
        console = Console(file=io.StringIO(), width=400, color_system=None)
        render_outcome(outcome, session, console, lang)
        render_explanation(outcome, console, lang)
        texts[f"report-{lang}"] = console.file.getvalue()  # type: ignore[attr-defined]
    return texts


def test_a_lone_resident_officer_changes_no_decision() -> None:
    """Decisions as worked out by hand above: c1 incompetent with an interview, c2
    competent, one team interview; the officer's ballot counts in the tally."""
    outcome = evaluate(document(LONE_OFFICER, cadres=2))
    assert outcome.status == "valid"
    assert [(s.id, s.grade, kinds(outcome, s.id)) for s in outcome.subjects] == [
        ("organization", None, ["team_interview"]),
        ("c1", "incompetent", ["interview"]),
        ("c2", "competent", []),
    ]
    tally = outcome.subject("c1").tally
    assert tally is not None
    assert tally.to_json() == {
        "satisfied": 4 + 2,
        "basically_satisfied": 1,
        "dissatisfied": 2 + 1 + 1,
        "abstain": 0,
        "invalid": 0,
    }


def test_a_lone_resident_officer_warns_once_what_is_withheld_and_why() -> None:
    outcome = evaluate(document(LONE_OFFICER, cadres=2))
    (warning,) = outcome.findings_of("score.small_group")
    assert (warning.severity, warning.subject) == ("warning", None)
    assert dict(warning.facts) == {
        "groups": {"resident_officers": 1},
        "minimum": 3,
        "withheld": ["group_rates", "groups_without_votes", "weighted_satisfaction"],
    }
    assert "resident_officers" in warning.message.zh
    assert "1人,少于3人" in warning.message.zh
    assert "the resident_officers group has 1 evaluator, fewer than 3" in warning.message.en
    assert "withheld" in warning.message.en


def test_a_lone_resident_officer_publishes_no_rate_and_no_composite() -> None:
    """No figure from which, with the overall tally, the officer's marks can be computed
    appears in the outcome JSON, the CSV, the results sheet or the report."""
    doc = document(LONE_OFFICER, cadres=2)
    outcome = evaluate(doc)
    for where, text in published(doc, outcome).items():
        for figure in REVEALING:
            assert figure not in text, (where, figure)
    for entry in outcome.trace:
        if entry.rule == "score.groups":
            assert entry.result == "withheld"
            assert dict(entry.inputs) == dict.fromkeys(LONE_OFFICER, "withheld")
        if entry.rule in ("grade.bands", "sanction.low_satisfaction"):
            assert set(entry.inputs.values()) & {"withheld"}, entry
    used = {
        use.name: use
        for entry in outcome.trace
        if entry.rule == "score.groups"
        for use in entry.parameters
    }
    minimum = used["score.groups.min_group_size"]
    assert (minimum.value, minimum.pack, minimum.assumed) == (3, "xichong", True)


def test_which_group_cast_a_mark_is_not_published() -> None:
    """The officer and a villager exchange their marks on c2 (R 13/14 becomes
    0.5 × 7/7 + 0.3 + 0 = 4/5, still competent): everything published is the same,
    so nothing published tells what the officer marked."""
    swapped = copy.deepcopy(LONE_OFFICER)
    swapped["villagers"]["c2"] = marks(s=7)
    swapped["resident_officers"]["c2"] = marks(d=1)
    first, second = document(LONE_OFFICER, cadres=2), document(swapped, cadres=2)
    assert published(first, evaluate(first)) == published(second, evaluate(second))


def test_three_resident_officers_publish_every_figure_as_before() -> None:
    """Groups of 7, 3 and 3: r_r(c1) = 1/3 (one satisfied of three), so
    R(c1) = 5/14 + 1/5 + 1/15 = 75/210 + 42/210 + 14/210 = 131/210: competent;
    R(c2) = 3/7 + 3/10 + 1/5 = 13/14; every rate and score is published."""
    counts = copy.deepcopy(LONE_OFFICER)
    counts["resident_officers"] = {"c1": marks(s=1, d=2), "c2": marks(s=3)}
    outcome = evaluate(document(counts, cadres=2))
    assert outcome.findings_of("score.small_group") == ()
    assert score_of(outcome, "c1") == Fraction(131, 210)
    assert score_of(outcome, "c2") == Fraction(13, 14)
    (entry,) = [e for e in outcome.trace if e.rule == "score.groups" and e.subject == "c1"]
    assert dict(entry.inputs) == {
        "villagers": "5/7 (≈0.71)",
        "township_officials": "2/3 (≈0.67)",
        "resident_officers": "1/3 (≈0.33)",
    }
    (grading,) = [e for e in outcome.trace if e.rule == "grade.bands" and e.subject == "c2"]
    assert dict(grading.inputs) == {"score": "13/14 (≈0.93)"}
    assert grading.message.en == "干部2 (c2) scores 13/14 (≈0.93): graded competent"
    assert "withheld" not in json.dumps(outcome.to_document())


@given(
    satisfied=st.integers(0, 6),
    officials_satisfied=st.integers(0, 3),
    officer_satisfied=st.booleans(),
)
def test_no_exchange_of_marks_between_the_lone_officer_and_a_villager_shows_unless_it_decides(
    satisfied: int, officials_satisfied: int, officer_satisfied: bool
) -> None:
    """Seven villagers (one of them marking c1 the other way from the officer), three
    officials: when the officer and that villager exchange marks, the outcome publishes
    the same unless a decision changes (the grade's own leak, docs/secrecy.md)."""
    officer, villager = ("satisfied", "dissatisfied")[:: 1 if officer_satisfied else -1]

    def session(officer_mark: str, villager_mark: str) -> dict[str, Any]:
        villagers = marks(s=satisfied, d=6 - satisfied)
        villagers[villager_mark] += 1
        counts = {
            "villagers": {"c1": villagers},
            "township_officials": {"c1": marks(s=officials_satisfied, d=3 - officials_satisfied)},
            "resident_officers": {"c1": marks(s=1) if officer_mark == "satisfied" else marks(d=1)},
        }
        return document(counts)

    first, second = evaluate(session(officer, villager)), evaluate(session(villager, officer))
    decided = [(s.grade, s.actions) for s in first.subjects]
    if decided == [(s.grade, s.actions) for s in second.subjects]:
        assert first.to_document() == second.to_document()
