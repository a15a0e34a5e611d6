"""The Xinzhou quorum rules: 4/5 of the party members and 30 representatives (DESIGN §5)."""

from __future__ import annotations

import pytest

import zhiping
from zhiping.testing import session_document

# quorum.party_members: 5 × present ≥ 4 × on roster, and the roster has at least one.


def test_twenty_nine_of_thirty_seven_party_members_is_short_of_the_quorum() -> None:
    """5 × 29 = 145 < 4 × 37 = 148."""
    outcome = zhiping.evaluate(session_document(party_members=37, party_members_present=29))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("quorum.party_members")
    assert finding.severity == "violation"
    assert finding.facts["present"] == 29
    assert finding.facts["on_roster"] == 37
    assert [f.rule for f in outcome.findings] == ["quorum.party_members"]


def test_thirty_of_thirty_seven_party_members_meets_the_quorum() -> None:
    """5 × 30 = 150 ≥ 4 × 37 = 148."""
    outcome = zhiping.evaluate(session_document(party_members=37, party_members_present=30))
    assert outcome.status == "valid"
    assert outcome.findings == ()


@pytest.mark.parametrize(
    ("on_roster", "present", "met"),
    [
        (35, 28, True),  # exactly 4/5: 140 = 140
        (35, 27, False),  # 135 < 140
        (5, 4, True),  # 20 = 20
        (5, 3, False),  # 15 < 20
        (1, 1, True),
        (1, 0, False),
        (40, 32, True),  # 160 = 160
        (40, 31, False),  # 155 < 160
        (36, 29, True),  # 145 ≥ 144
        (36, 28, False),  # 140 < 144
    ],
)
def test_the_party_member_quorum_is_four_fifths_exactly(
    on_roster: int, present: int, met: bool
) -> None:
    outcome = zhiping.evaluate(
        session_document(party_members=on_roster, party_members_present=present)
    )
    assert (outcome.findings_of("quorum.party_members") == ()) is met
    assert outcome.status == ("valid" if met else "void")


def test_a_roster_without_party_members_cannot_meet_the_quorum() -> None:
    outcome = zhiping.evaluate(session_document(party_members=0, party_members_present=0))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("quorum.party_members")
    assert finding.severity == "violation"
    assert finding.facts["on_roster"] == 0


def test_every_party_member_present_meets_the_quorum() -> None:
    outcome = zhiping.evaluate(session_document(party_members=37, party_members_present=37))
    assert outcome.findings_of("quorum.party_members") == ()


# quorum.representatives: at least 30 present, whatever the village's size.


def test_twenty_nine_representatives_present_is_short_of_the_quorum() -> None:
    outcome = zhiping.evaluate(session_document(representatives=40, representatives_present=29))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("quorum.representatives")
    assert finding.severity == "violation"
    assert finding.facts["present"] == 29
    assert finding.facts["minimum"] == 30
    assert [f.rule for f in outcome.findings] == ["quorum.representatives"]


def test_thirty_representatives_present_meets_the_quorum() -> None:
    outcome = zhiping.evaluate(session_document(representatives=40, representatives_present=30))
    assert outcome.status == "valid"
    assert outcome.findings == ()


def test_a_small_village_with_every_one_of_its_29_representatives_present_is_short() -> None:
    """The ≥30 rule holds even when the roster has fewer than 30 representatives."""
    outcome = zhiping.evaluate(session_document(representatives=29, representatives_present=29))
    assert outcome.status == "void"
    assert len(outcome.findings_of("quorum.representatives")) == 1


def test_both_quorums_short_give_two_violations() -> None:
    outcome = zhiping.evaluate(
        session_document(party_members_present=29, representatives_present=29)
    )
    assert sorted(f.rule for f in outcome.findings) == [
        "quorum.party_members",
        "quorum.representatives",
    ]
    assert all(f.severity == "violation" for f in outcome.findings)


def test_party_members_do_not_count_towards_the_representatives() -> None:
    """37 party members present but only 29 representatives."""
    outcome = zhiping.evaluate(
        session_document(party_members_present=37, representatives_present=29)
    )
    assert len(outcome.findings_of("quorum.representatives")) == 1


def test_quorum_trace_shows_the_four_fifths_share_and_the_minimum() -> None:
    outcome = zhiping.evaluate(session_document())
    share = next(t for t in outcome.trace if t.rule == "quorum.party_members")
    minimum = next(t for t in outcome.trace if t.rule == "quorum.representatives")
    assert share.fulfilled is True
    assert minimum.fulfilled is True
    assert {p.name: str(p.value) for p in share.parameters}["quorum.party_members.share"] == "4/5"
    assert {p.name: p.value for p in minimum.parameters}["quorum.representatives.minimum"] == 30
