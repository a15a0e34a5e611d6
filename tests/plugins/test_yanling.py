"""The bundled pack ``yanling`` (许昌市鄢陵县, prefix 411024), against reference/variants.md.

At least 20 evaluators present, in any counted capacity; a cadre with 2(s + b) < n is
``incompetent`` and dismissed; of the others, the first q = ⌊15% × (cadres not
incompetent)⌋ by r = (s + b) / n are ``excellent``, unless the q-th and (q+1)-th are tied,
when everyone at that rate stays ``competent`` with a ``quota.tie`` warning. The
organization is not graded. Every expected value below is worked out by hand from
variants.md.
"""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.testing import PackTests, counted, session_document

VILLAGE = "411024001001"

Counts = dict[str, int]


def marks(s: int = 0, b: int = 0, d: int = 0, abstain: int = 0, invalid: int = 0) -> Counts:
    """One subject's counts: s satisfied, b basically satisfied, d dissatisfied."""
    return counted(
        satisfied=s, basically_satisfied=b, dissatisfied=d, abstain=abstain, invalid=invalid
    )


class TestYanling(PackTests):
    pack = "yanling"


def document(
    counts: dict[str, Counts], *, cadres: int, party_members: int = 10, representatives: int = 10
) -> dict[str, Any]:
    """A valid Yanling session: that many party members and representatives present."""
    return session_document(
        village_code=VILLAGE,
        party_members=party_members,
        party_members_present=party_members,
        representatives=representatives,
        representatives_present=representatives,
        cadres=cadres,
        counts=counts,
    )


def evaluate(doc: dict[str, Any]) -> Outcome:
    return zhiping.evaluate(doc)


def grades(outcome: Outcome) -> dict[str, str | None]:
    return {s.id: s.grade for s in outcome.subjects if s.kind == "cadre"}


def of_twenty(*satisfied: int) -> dict[str, Counts]:
    """Cadres c1, c2, … with s + b = ``satisfied[i]`` of n = 20 valid votes (d the rest)."""
    return {f"c{i}": marks(s=k, d=20 - k) for i, k in enumerate(satisfied, start=1)}


def graded(*satisfied: int) -> Outcome:
    outcome = evaluate(document(of_twenty(*satisfied), cadres=len(satisfied)))
    assert outcome.status == "valid"
    return outcome


def excellent(outcome: Outcome) -> list[str]:
    return [c for c, grade in grades(outcome).items() if grade == "excellent"]


def test_a_village_under_411024_is_evaluated_by_cn_then_yanling() -> None:
    outcome = evaluate(document(of_twenty(15), cadres=1))
    assert outcome.packs == ("cn", "yanling")
    assert outcome.status == "valid"


# quorum.evaluators: evaluators present ≥ 20, in any counted capacity.


def test_twenty_evaluators_present_is_a_quorum() -> None:
    """10 party members + 10 representatives = 20 ≥ 20."""
    outcome = evaluate(document(of_twenty(15), cadres=1))
    assert outcome.findings_of("quorum.evaluators") == ()
    assert outcome.subject("c1").grade == "competent"


def test_nineteen_evaluators_present_is_void() -> None:
    """10 party members + 9 representatives = 19 < 20; 19 ballots."""
    doc = document({"c1": marks(s=19)}, cadres=1, representatives=9)
    outcome = evaluate(doc)
    (finding,) = outcome.findings_of("quorum.evaluators")
    assert finding.severity == "violation"
    assert outcome.status == "void"
    assert outcome.subject("c1").grade is None


def test_an_invitee_is_a_counted_evaluator() -> None:
    """10 party members + 9 representatives + 1 invited deputy = 20."""
    doc = session_document(
        village_code=VILLAGE,
        party_members=10,
        party_members_present=10,
        representatives=9,
        representatives_present=9,
        invitees=1,
        cadres=1,
        counts={"c1": marks(s=20)},
    )
    outcome = evaluate(doc)
    assert outcome.findings_of("quorum.evaluators") == ()
    assert outcome.status == "valid"


def test_a_person_in_two_capacities_counts_once() -> None:
    """pm001 is on both rosters and signs in as both: 10 party members and 10
    representatives present, but 10 + 9 = 19 distinct persons < 20.
    """
    doc = document({"c1": marks(s=19)}, cadres=1, representatives=9)
    doc["roster"]["representatives"].append("pm001")
    doc["attendance"][0] = {"person": "pm001", "as": ["party_member", "representative"]}
    outcome = evaluate(doc)
    assert outcome.findings_of("attendance.not_on_roster") == ()
    (finding,) = outcome.findings_of("quorum.evaluators")
    assert finding.facts["present"] == 19
    assert outcome.status == "void"


def test_a_capacity_the_roster_does_not_back_does_not_count() -> None:
    """19 on the roster + 1 stranger signing in as a party member: still 19."""
    doc = document({"c1": marks(s=19)}, cadres=1, representatives=9)
    doc["attendance"].append({"person": "z01", "as": ["party_member"]})
    outcome = evaluate(doc)
    assert len(outcome.findings_of("attendance.not_on_roster")) == 1
    assert outcome.findings_of("quorum.evaluators")[0].severity == "violation"
    assert outcome.status == "void"


# The organization is not graded.


def test_the_organization_is_not_graded_whatever_its_marks() -> None:
    counts = {"organization": marks(d=20), **of_twenty(20, 5)}
    outcome = evaluate(document(counts, cadres=2))
    organization = outcome.subject("organization")
    assert (organization.eligible, organization.grade, organization.actions) == (False, None, ())
    assert outcome.subject("c2").grade == "incompetent"


# grade.thresholds and sanction.dismissal: incompetent and dismissed iff 2(s + b) < n.


@pytest.mark.parametrize(
    ("counts", "present", "expected"),
    [
        # n = 20, s + b = 6 + 4 = 10: 2 × 10 = 20, not < 20.
        (marks(s=6, b=4, d=10), 20, "competent"),
        # n = 20, s + b = 5 + 4 = 9: 18 < 20.
        (marks(s=5, b=4, d=11), 20, "incompetent"),
        # basically satisfied counts as satisfied: n = 20, s + b = 0 + 10.
        (marks(b=10, d=10), 20, "competent"),
        # n = 21, s + b = 11: 22 ≥ 21.
        (marks(s=11, d=10), 21, "competent"),
        # n = 21, s + b = 10: 20 < 21.
        (marks(s=10, d=11), 21, "incompetent"),
        # 24 returned, 2 abstain, 2 invalid: n = 20, s + b = 10: 20 not < 20.
        (marks(s=5, b=5, d=10, abstain=2, invalid=2), 24, "competent"),
        # 24 returned, n = 20, s + b = 9: 18 < 20.
        (marks(s=5, b=4, d=11, abstain=2, invalid=2), 24, "incompetent"),
    ],
)
def test_below_half_satisfied_is_incompetent_and_dismissed(
    counts: Counts, present: int, expected: str
) -> None:
    doc = document({"c1": counts}, cadres=1, representatives=present - 10)
    outcome = evaluate(doc)
    assert outcome.status == "valid"
    cadre = outcome.subject("c1")
    assert cadre.grade == expected
    actions = [(a.kind, a.rule) for a in cadre.actions]
    assert actions == ([("dismissal", "sanction.dismissal")] if expected == "incompetent" else [])
    assert outcome.subject("organization").actions == ()


# quota.excellent: q = ⌊15% × (cadres not incompetent)⌋, the first q by rate excellent.
# Rates below are s + b of n = 20; every rate ≥ 10/20 is not incompetent.


def test_six_cadres_leave_no_place_for_excellent() -> None:
    """q = ⌊0.15 × 6⌋ = ⌊0.9⌋ = 0."""
    outcome = graded(20, 19, 18, 17, 16, 15)
    assert set(grades(outcome).values()) == {"competent"}
    assert outcome.findings_of("quota.tie") == ()


def test_seven_cadres_leave_one_place() -> None:
    """q = ⌊0.15 × 7⌋ = ⌊1.05⌋ = 1: c1 (20/20) only."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14)
    assert excellent(outcome) == ["c1"]
    assert grades(outcome)["c2"] == "competent"


def test_thirteen_cadres_leave_one_place() -> None:
    """q = ⌊0.15 × 13⌋ = ⌊1.95⌋ = 1: c1 (20/20) only; ties far below the cut don't matter."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10)
    assert excellent(outcome) == ["c1"]
    assert outcome.findings_of("quota.tie") == ()


def test_fourteen_cadres_leave_two_places() -> None:
    """q = ⌊0.15 × 14⌋ = ⌊2.1⌋ = 2: c1 (20/20) and c2 (19/20); c3 (18/20) competent."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert excellent(outcome) == ["c1", "c2"]
    assert grades(outcome)["c3"] == "competent"
    assert outcome.findings_of("quota.tie") == ()


def test_nineteen_cadres_leave_two_places() -> None:
    """q = ⌊0.15 × 19⌋ = ⌊2.85⌋ = 2."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, *[10] * 9)
    assert excellent(outcome) == ["c1", "c2"]


def test_twenty_cadres_leave_exactly_three_places() -> None:
    """q = ⌊0.15 × 20⌋ = ⌊3⌋ = 3: c1, c2, c3; c4 competent."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, *[10] * 10)
    assert excellent(outcome) == ["c1", "c2", "c3"]
    assert grades(outcome)["c4"] == "competent"


def test_the_ranking_follows_the_rate_not_the_order_of_the_document() -> None:
    """7 cadres, q = 1: the best rate is c7's (20/20)."""
    outcome = graded(14, 15, 16, 17, 18, 19, 20)
    assert excellent(outcome) == ["c7"]


def test_the_rate_counts_basically_satisfied_and_only_valid_votes() -> None:
    """7 cadres, q = 1. c1: b = 19 of n = 19 (1 abstains), r = 1; c2: s = 19 of n = 20,
    r = 19/20. c1 ranks first (by s alone, or by s + b counted, it would not).
    """
    counts = {
        "c1": marks(b=19, abstain=1),
        "c2": marks(s=19, d=1),
        **{f"c{i}": marks(s=10 + i, d=10 - i) for i in range(3, 8)},
    }
    outcome = evaluate(document(counts, cadres=7))
    assert excellent(outcome) == ["c1"]
    assert grades(outcome)["c2"] == "competent"


def test_incompetent_cadres_are_not_counted_in_the_base() -> None:
    """7 cadres, c7 at 9/20 incompetent: base 6, q = ⌊0.9⌋ = 0 (not ⌊1.05⌋ = 1)."""
    outcome = graded(20, 19, 18, 17, 16, 15, 9)
    assert excellent(outcome) == []
    assert grades(outcome)["c7"] == "incompetent"
    assert [a.kind for a in outcome.subject("c7").actions] == ["dismissal"]


def test_eight_cadres_with_one_incompetent_leave_one_place() -> None:
    """Base 7 (c8 at 9/20 is incompetent): q = ⌊1.05⌋ = 1, c1."""
    outcome = graded(20, 19, 18, 17, 16, 15, 14, 9)
    assert excellent(outcome) == ["c1"]
    assert grades(outcome)["c8"] == "incompetent"


# quota.tie: the q-th and (q+1)-th tied → everyone at that rate stays competent.


def test_a_tie_across_the_cut_keeps_the_tied_out_and_warns() -> None:
    """14 cadres, q = 2; c2 and c3 both 19/20: c1 (20/20) excellent, c2 and c3 competent."""
    outcome = graded(20, 19, 19, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert outcome.status == "valid"
    assert excellent(outcome) == ["c1"]
    assert grades(outcome)["c2"] == grades(outcome)["c3"] == "competent"
    (warning,) = outcome.findings_of("quota.tie")
    assert warning.severity == "warning"


def test_a_tie_of_three_across_the_cut_keeps_all_three_out() -> None:
    """14 cadres, q = 2; c2, c3, c4 all 19/20: only c1 excellent."""
    outcome = graded(20, 19, 19, 19, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert excellent(outcome) == ["c1"]
    assert len(outcome.findings_of("quota.tie")) == 1


def test_a_tie_that_fills_and_overflows_the_quota_gives_no_excellent() -> None:
    """14 cadres, q = 2; c1, c2, c3 all 20/20: the 2nd and 3rd are tied, so nobody."""
    outcome = graded(20, 20, 20, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert excellent(outcome) == []
    assert len(outcome.findings_of("quota.tie")) == 1


def test_a_tie_for_a_single_place_gives_no_excellent() -> None:
    """7 cadres, q = 1; c1 and c2 both 20/20."""
    outcome = graded(20, 20, 18, 17, 16, 15, 14)
    assert excellent(outcome) == []
    assert len(outcome.findings_of("quota.tie")) == 1


def test_a_tie_within_the_quota_gives_both_excellent_without_warning() -> None:
    """14 cadres, q = 2; c1 and c2 both 20/20, c3 19/20: the 2nd and 3rd differ."""
    outcome = graded(20, 20, 19, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert excellent(outcome) == ["c1", "c2"]
    assert grades(outcome)["c3"] == "competent"
    assert outcome.findings_of("quota.tie") == ()


def test_a_tie_just_below_the_cut_does_not_matter() -> None:
    """14 cadres, q = 2; c3 and c4 both 18/20, under c2 (19/20)."""
    outcome = graded(20, 19, 18, 18, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10)
    assert excellent(outcome) == ["c1", "c2"]
    assert outcome.findings_of("quota.tie") == ()
