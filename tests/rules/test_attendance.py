"""The Xinzhou attendance rules: roster backing and invitee kinds (DESIGN §5)."""

from __future__ import annotations

from typing import Any

import pytest

import zhiping
from zhiping.testing import session_document

RECOGNISED_KINDS = (
    "mass_organization",
    "resident_enterprise",
    "work_team",
    "paired_department",
    "deputy",
)


def with_ballots(document: dict[str, Any], returned: int, issued: int | None = None) -> None:
    """Make every subject marked satisfied on ``returned`` ballots, ``issued`` handed out."""
    subjects = ["organization", *(cadre["id"] for cadre in document["cadres"])]
    document["ballots"] = {
        "issued": returned if issued is None else issued,
        "returned": returned,
        "counts": {subject: {"satisfied": returned} for subject in subjects},
    }


def attendance_of(document: dict[str, Any], person: str) -> dict[str, Any]:
    return next(entry for entry in document["attendance"] if entry["person"] == person)


# attendance.not_on_roster


def test_a_party_member_claim_not_on_the_roster_is_a_warning_and_not_counted() -> None:
    """31 sign in as party members, one of them not on the roster: 30 of 37 still count."""
    document = session_document(party_members_present=30)
    document["attendance"].append({"person": "stranger", "as": ["party_member"]})
    outcome = zhiping.evaluate(document)
    (finding,) = outcome.findings_of("attendance.not_on_roster")
    assert finding.severity == "warning"
    assert finding.facts["person"] == "stranger"
    assert finding.facts["capacity"] == "party_member"
    assert outcome.status == "valid"


def test_an_unbacked_claim_can_break_the_party_member_quorum() -> None:
    """30 sign in as party members but one is not on the roster: 29 of 37, 5×29 < 4×37."""
    document = session_document(party_members_present=29)
    document["attendance"].append({"person": "pm999", "as": ["party_member"]})
    outcome = zhiping.evaluate(document)
    assert [f.severity for f in outcome.findings_of("attendance.not_on_roster")] == ["warning"]
    (quorum,) = outcome.findings_of("quorum.party_members")
    assert quorum.severity == "violation"
    assert quorum.facts["present"] == 29
    assert outcome.status == "void"


def test_the_same_thirty_party_members_all_on_the_roster_meet_the_quorum() -> None:
    outcome = zhiping.evaluate(session_document(party_members_present=30))
    assert outcome.findings_of("quorum.party_members") == ()
    assert outcome.status == "valid"


def test_an_unbacked_representative_claim_can_break_the_representative_quorum() -> None:
    """29 representatives on the roster present, one more claims it without backing."""
    document = session_document(representatives_present=29)
    document["attendance"].append({"person": "r999", "as": ["representative"]})
    outcome = zhiping.evaluate(document)
    (ignored,) = outcome.findings_of("attendance.not_on_roster")
    assert ignored.facts == {"person": "r999", "capacity": "representative"}
    (quorum,) = outcome.findings_of("quorum.representatives")
    assert quorum.facts["present"] == 29
    assert outcome.status == "void"


def test_a_party_member_claiming_to_be_a_representative_counts_only_as_a_party_member() -> None:
    """pm001 claims both capacities but is only on the party-member roster."""
    document = session_document(party_members_present=30, representatives_present=30)
    attendance_of(document, "pm001")["as"] = ["party_member", "representative"]
    outcome = zhiping.evaluate(document)
    (ignored,) = outcome.findings_of("attendance.not_on_roster")
    assert ignored.facts == {"person": "pm001", "capacity": "representative"}
    # 30 representatives are backed by the roster, so the quorum still holds.
    assert outcome.findings_of("quorum.representatives") == ()
    assert outcome.findings_of("quorum.party_members") == ()
    assert outcome.status == "valid"


def test_a_person_whose_only_claim_is_unbacked_is_not_an_evaluator() -> None:
    """62 counted evaluators and one stranger; 63 ballots issued is one too many."""
    document = session_document()
    document["attendance"].append({"person": "stranger", "as": ["representative"]})
    with_ballots(document, returned=63)
    outcome = zhiping.evaluate(document)
    assert len(outcome.findings_of("attendance.not_on_roster")) == 1
    (issued,) = outcome.findings_of("ballots.issued")
    assert issued.facts == {"issued": 63, "evaluators": 62}
    assert outcome.status == "void"


def test_a_person_on_both_rosters_counts_in_both_capacities_but_once_as_an_evaluator() -> None:
    """r001 is also a party member: present in both capacities, one evaluator."""
    document = session_document(party_members_present=29, representatives_present=30)
    document["roster"]["party_members"].append("r001")  # 38 party members on the roster
    attendance_of(document, "r001")["as"] = ["party_member", "representative"]
    # Party members present: 29 + r001 = 30 of 38; 5×30 = 150 < 4×38 = 152: not enough.
    outcome = zhiping.evaluate(document)
    assert outcome.findings_of("attendance.not_on_roster") == ()
    (quorum,) = outcome.findings_of("quorum.party_members")
    assert (quorum.facts["present"], quorum.facts["on_roster"]) == (30, 38)
    # Evaluators: 29 + 30 = 59 distinct persons; 59 ballots is fine, 60 is one too many.
    with_ballots(document, returned=59)
    assert zhiping.evaluate(document).findings_of("ballots.issued") == ()
    with_ballots(document, returned=60)
    (issued,) = zhiping.evaluate(document).findings_of("ballots.issued")
    assert issued.facts["evaluators"] == 59


def test_every_claim_backed_by_the_roster_gives_no_finding() -> None:
    outcome = zhiping.evaluate(session_document(invitees=2))
    assert outcome.findings_of("attendance.not_on_roster") == ()
    assert outcome.findings_of("attendance.invitee_kind") == ()


# attendance.invitee_kind


@pytest.mark.parametrize("kind", RECOGNISED_KINDS)
def test_an_invitee_of_a_recognised_kind_is_an_evaluator(kind: str) -> None:
    """62 members and representatives plus one invitee: 63 ballots are within the evaluators."""
    document = session_document(invitees=1)
    attendance_of(document, "x01")["invitee_kind"] = kind
    assert document["ballots"]["issued"] == 63
    outcome = zhiping.evaluate(document)
    assert outcome.findings == ()
    assert outcome.status == "valid"


@pytest.mark.parametrize("kind", ["journalist", "villager", None])
def test_an_invitee_without_a_recognised_kind_is_a_warning_and_not_an_evaluator(
    kind: str | None,
) -> None:
    document = session_document(invitees=1)
    entry = attendance_of(document, "x01")
    if kind is None:
        del entry["invitee_kind"]
    else:
        entry["invitee_kind"] = kind
    with_ballots(document, returned=62)  # the 62 members and representatives
    outcome = zhiping.evaluate(document)
    (finding,) = outcome.findings_of("attendance.invitee_kind")
    assert finding.severity == "warning"
    assert finding.facts["person"] == "x01"
    assert outcome.status == "valid"
    # With the invitee counted, 63 ballots would be fine; without, they are one too many.
    with_ballots(document, returned=63)
    (issued,) = zhiping.evaluate(document).findings_of("ballots.issued")
    assert issued.facts == {"issued": 63, "evaluators": 62}


def test_an_invitee_without_a_kind_who_is_also_a_party_member_still_evaluates() -> None:
    """pm001 signs in as party member and as an invitee without a kind: still one evaluator."""
    document = session_document()
    attendance_of(document, "pm001")["as"] = ["party_member", "invitee"]
    outcome = zhiping.evaluate(document)
    assert len(outcome.findings_of("attendance.invitee_kind")) == 1
    assert outcome.findings_of("ballots.issued") == ()
    assert outcome.findings_of("quorum.party_members") == ()
    assert outcome.status == "valid"


def test_a_villager_is_not_an_evaluator_in_xinzhou() -> None:
    """Xinzhou's evaluators are party members, representatives and invitees."""
    document = session_document()
    document["attendance"].append({"person": "v001", "as": ["villager"]})
    with_ballots(document, returned=63)
    (issued,) = zhiping.evaluate(document).findings_of("ballots.issued")
    assert issued.facts["evaluators"] == 62
