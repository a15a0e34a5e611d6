"""The bundled pack ``taizhou`` (江苏省泰州市, prefix 3212), case by case.

Every expected value is worked out by hand from ``reference/variants.md`` (taizhou):

- evaluators are villagers, and the village's party members and representatives are
  villagers too: the capacities ``villager``, ``party_member`` and ``representative``
  count; a party-member or representative claim the roster does not back is dropped
  (cn's ``attendance.not_on_roster``), and the person counts only if also a villager;
- ``eligibility.tenure``: a cadre is evaluated only if ``in_office_since`` + 6 calendar
  months < ``held_on``, a day past the month's end clamped to its last day; an
  ineligible cadre is ``eligible: false`` with no grade and an ``info`` finding;
- ``grade.thresholds`` (assumed, three grades only): ``incompetent`` if 2d > n; else
  ``excellent`` if 5s ≥ 4n; else ``competent``; the organization alike;
- no notice or quorum rule applies.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given

import zhiping
from zhiping.testing import PackTests, counted, session_document, subject_counts

VILLAGE = "321202001001"  # 泰州市海陵区
COUNTY_VILLAGE = "321281001001"  # 兴化市, a county-level city of Taizhou
HELD_ON = date(2027, 1, 15)

Document = dict[str, Any]


class TestTaizhou(PackTests):
    pack = "taizhou"


def taizhou_document(
    c1: Mapping[str, int] | None = None,
    *,
    organization: Mapping[str, int] | None = None,
    in_office_since: str = "2021-01-10",
    held_on: date = HELD_ON,
    village_code: str = VILLAGE,
) -> Document:
    """A valid Taizhou session: one villager present per ballot, no notice, cadre c1.

    Without marks, every ballot marks both subjects ``satisfied``; ``issued`` equals
    ``returned`` equals the villagers present, so the accounting is sound.
    """
    c1 = dict(c1 if c1 is not None else counted(satisfied=10))
    returned = sum(c1.values())
    organization = dict(organization or {"satisfied": returned})
    document = session_document(
        village_code=village_code,
        year=held_on.year - 1,
        held_on=held_on,
        notice_days=None,
        party_members=37,
        party_members_present=0,
        representatives=40,
        representatives_present=0,
        cadres=1,
        counts={"organization": organization, "c1": c1},
    )
    document["attendance"] = villagers(returned)
    document["cadres"][0]["in_office_since"] = in_office_since
    return document


def villagers(count: int) -> list[dict[str, Any]]:
    """Attendance of ``count`` villagers, ``v001…``."""
    return [{"person": f"v{i:03d}", "as": ["villager"]} for i in range(1, count + 1)]


def grade_of(**counts: int) -> str | None:
    outcome = zhiping.evaluate(taizhou_document(counted(**counts)))
    assert outcome.status == "valid"
    assert outcome.subject("c1").eligible
    return outcome.subject("c1").grade


# The chain: cn ► taizhou for the city and every county under 3212.


@pytest.mark.parametrize("code", [VILLAGE, COUNTY_VILLAGE, "321204105201", "321283001001"])
def test_every_village_under_3212_is_governed_by_cn_then_taizhou(code: str) -> None:
    chain = zhiping.default_registry().chain(code, HELD_ON)
    assert chain.names == ("cn", "taizhou")
    outcome = zhiping.evaluate(taizhou_document(village_code=code))
    assert outcome.packs == ("cn", "taizhou")
    assert outcome.status == "valid"


@pytest.mark.parametrize("code", ["321302001001", "320102001001"])
def test_a_village_of_a_neighbouring_city_is_not_governed_by_taizhou(code: str) -> None:
    """3213 (宿迁) and 3201 (南京) are not under 3212; no other pack grades them."""
    with pytest.raises(zhiping.NoApplicableRule):
        zhiping.evaluate(taizhou_document(village_code=code))


# Evaluators: the villagers.


def test_villagers_present_are_the_evaluators() -> None:
    """10 villagers present, 10 ballots issued and returned: sound accounting."""
    outcome = zhiping.evaluate(taizhou_document(counted(satisfied=10)))
    assert outcome.status == "valid"
    assert outcome.findings_of("ballots.issued") == ()


def test_one_ballot_more_than_villagers_present_voids_the_session() -> None:
    """10 villagers present: issued 10 is sound, issued 11 > 10 is a violation."""
    document = taizhou_document(counted(satisfied=10))
    document["ballots"]["issued"] = 11
    outcome = zhiping.evaluate(document)
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("ballots.issued")
    assert finding.severity == "violation"
    assert outcome.subject("c1").grade is None
    assert outcome.subject("organization").grade is None


def evaluators_of(outcome: zhiping.Outcome) -> int:
    """The distinct evaluators the trace of ``attendance.evaluators`` counts."""
    (entry,) = [e for e in outcome.trace if e.rule == "attendance.evaluators"]
    return int(entry.inputs["evaluators"])


def mixed_attendance() -> list[dict[str, Any]]:
    """87 villagers, 8 party members and 5 representatives (all on the roster) present."""
    return [
        *villagers(87),
        *({"person": f"pm{i:03d}", "as": ["party_member"]} for i in range(1, 9)),
        *({"person": f"r{i:03d}", "as": ["representative"]} for i in range(1, 6)),
    ]


@pytest.mark.parametrize(("issued", "status"), [(100, "valid"), (101, "void")])
def test_party_members_and_representatives_present_are_villagers(issued: int, status: str) -> None:
    """87 villagers + 13 party members and representatives = 100 evaluators: 100 ballots
    issued is sound, 101 > 100 voids the session."""
    document = taizhou_document(counted(satisfied=100))
    document["attendance"] = mixed_attendance()
    document["ballots"]["issued"] = issued
    outcome = zhiping.evaluate(document)
    assert evaluators_of(outcome) == 100
    assert outcome.status == status
    assert outcome.findings_of("attendance.not_on_roster") == ()
    assert len(outcome.findings_of("ballots.issued")) == (issued > 100)
    # s = n = 100: 5s = 500 ≥ 400 = 4n: excellent, unless void.
    assert outcome.subject("c1").grade == ("excellent" if status == "valid" else None)


def test_a_party_member_not_on_the_roster_is_not_counted_as_a_villager() -> None:
    """pm999 signs in only as a party member and is not on the roster: the claim is
    dropped and nothing says they are a villager, so 99 evaluators: 99 ballots issued is
    sound, 100 is a violation."""
    document = taizhou_document(counted(satisfied=99))
    document["attendance"] = [
        *mixed_attendance()[:99],
        {"person": "pm999", "as": ["party_member"]},
    ]
    outcome = zhiping.evaluate(document)
    assert evaluators_of(outcome) == 99
    (warning,) = outcome.findings_of("attendance.not_on_roster")
    assert warning.facts["person"] == "pm999"
    assert outcome.status == "valid"
    document["ballots"]["issued"] = 100
    assert zhiping.evaluate(document).status == "void"


def test_a_party_member_not_on_the_roster_but_also_a_villager_is_counted_once() -> None:
    """pm999 signs in as a party member and a villager: the party-member claim is
    dropped, the villager claim stands: 100 evaluators, 100 ballots issued is sound."""
    document = taizhou_document(counted(satisfied=100))
    document["attendance"] = [
        *mixed_attendance()[:99],
        {"person": "pm999", "as": ["party_member", "villager"]},
    ]
    outcome = zhiping.evaluate(document)
    assert evaluators_of(outcome) == 100
    assert len(outcome.findings_of("attendance.not_on_roster")) == 1
    assert outcome.status == "valid"


def test_a_party_member_present_also_as_a_villager_evaluates_once() -> None:
    """10 party members present each also as a villager: 10 evaluators, 10 ballots."""
    document = taizhou_document(counted(satisfied=10))
    document["attendance"] = [
        {"person": f"pm{i:03d}", "as": ["party_member", "villager"]} for i in range(1, 11)
    ]
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    document["ballots"]["issued"] = 11  # 11 > 10 persons, however many capacities
    assert zhiping.evaluate(document).status == "void"


# No notice rule, no quorum rule.


def test_a_session_without_notice_and_with_three_representatives_is_valid() -> None:
    """No notice at all; 3 representatives on the roster, all present, also as
    villagers; 37 party members on the roster, none present; 3 ballots issued and
    returned. Xinzhou would void it three times over; Taizhou states no such rule."""
    document = taizhou_document(counted(satisfied=3))
    document["roster"]["representatives"] = ["r001", "r002", "r003"]
    document["attendance"] = [
        {"person": f"r{i:03d}", "as": ["representative", "villager"]} for i in range(1, 4)
    ]
    assert "notice" not in document
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    assert not [f for f in outcome.findings if f.rule.startswith(("notice.", "quorum."))]
    assert not [t for t in outcome.trace if t.stage in ("notice", "quorum")]
    assert outcome.subject("c1").grade == "excellent"


# eligibility.tenure: in_office_since + 6 calendar months < held_on.


@pytest.mark.parametrize(
    ("in_office_since", "held_on", "eligible"),
    [
        # 2026-07-15 + 6 months = 2027-01-15: not before a session on that very day.
        ("2026-07-15", date(2027, 1, 15), False),
        # ... but before a session one day later.
        ("2026-07-15", date(2027, 1, 16), True),
        # 2026-07-14 + 6 months = 2027-01-14 < 2027-01-15.
        ("2026-07-14", date(2027, 1, 15), True),
        # 2026-07-16 + 6 months = 2027-01-16, after the session.
        ("2026-07-16", date(2027, 1, 15), False),
        # 2023-08-31 + 6 months = "2024-02-31", clamped to 2024-02-29 (leap year).
        ("2023-08-31", date(2024, 2, 29), False),
        ("2023-08-31", date(2024, 3, 1), True),
        # 2023-08-30 + 6 months clamps to 2024-02-29 as well.
        ("2023-08-30", date(2024, 2, 29), False),
        # 2023-08-29 + 6 months = 2024-02-29, no clamping; 2023-08-28 gives 02-28 < 02-29.
        ("2023-08-29", date(2024, 2, 29), False),
        ("2023-08-28", date(2024, 2, 29), True),
        # 2022-08-31 + 6 months = "2023-02-31", clamped to 2023-02-28 (not a leap year),
        # not rolled over to 2023-03-03.
        ("2022-08-31", date(2023, 2, 28), False),
        ("2022-08-31", date(2023, 3, 1), True),
        # 2022-08-29 + 6 months = "2023-02-29", clamped to 2023-02-28.
        ("2022-08-29", date(2023, 2, 28), False),
        ("2022-08-29", date(2023, 3, 1), True),
        # 2025-03-31 + 6 months = "2025-09-31", clamped to 2025-09-30.
        ("2025-03-31", date(2025, 9, 30), False),
        ("2025-03-31", date(2025, 10, 1), True),
    ],
)
def test_a_cadre_is_evaluated_only_after_six_calendar_months_in_office(
    in_office_since: str, held_on: date, eligible: bool
) -> None:
    document = taizhou_document(
        counted(satisfied=10), in_office_since=in_office_since, held_on=held_on
    )
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    c1 = outcome.subject("c1")
    assert c1.eligible is eligible
    findings = outcome.findings_of("eligibility.tenure")
    if eligible:
        assert c1.grade == "excellent"  # s = n = 10: 5s = 50 ≥ 4n = 40
        assert findings == ()
    else:
        assert c1.grade is None
        (finding,) = findings
        assert (finding.severity, finding.subject) == ("info", "c1")


def test_an_ineligible_cadre_gets_no_grade_and_no_action_but_keeps_a_tally() -> None:
    """In office since 2026-12-01: 2027-06-01 is after 2027-01-15. All 10 dissatisfied
    would make an eligible cadre incompetent (20 > 10)."""
    document = taizhou_document(counted(dissatisfied=10), in_office_since="2026-12-01")
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    c1 = outcome.subject("c1")
    assert (c1.eligible, c1.grade, c1.pay, c1.actions) == (False, None, None, ())
    assert c1.tally is not None
    assert c1.tally.count("dissatisfied") == 10
    assert outcome.subject("organization").eligible
    assert outcome.subject("organization").grade == "excellent"


def test_an_ineligible_cadre_does_not_affect_an_eligible_one() -> None:
    """c1 since 2026-10-01 (+6 = 2027-04-01, after the session), c2 since 2021-01-10."""
    document = taizhou_document(counted(satisfied=4, dissatisfied=6), in_office_since="2026-10-01")
    second = copy.deepcopy(document["cadres"][0])
    second.update(id="c2", name="干部2", in_office_since="2021-01-10")
    document["cadres"].append(second)
    document["ballots"]["counts"]["c2"] = counted(satisfied=4, dissatisfied=6)
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").eligible is False
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c2").eligible is True
    assert outcome.subject("c2").grade == "incompetent"  # 2d = 12 > 10
    (finding,) = outcome.findings_of("eligibility.tenure")
    assert finding.subject == "c1"


# grade.thresholds, incompetent: 2d > n.


def test_exactly_half_dissatisfied_is_not_incompetent() -> None:
    """n = 10, d = 5: 2d = 10 is not > 10; s = 5: 5s = 25 < 40, so competent."""
    assert grade_of(satisfied=5, dissatisfied=5) == "competent"


def test_one_more_than_half_dissatisfied_is_incompetent() -> None:
    """n = 10, d = 6: 2d = 12 > 10."""
    assert grade_of(satisfied=4, dissatisfied=6) == "incompetent"


def test_half_of_an_odd_number_dissatisfied_rounds_up() -> None:
    """n = 11: d = 6 gives 12 > 11, incompetent; d = 5 gives 10 ≤ 11, and s = 6 gives
    30 < 44, so competent."""
    assert grade_of(satisfied=5, dissatisfied=6) == "incompetent"
    assert grade_of(satisfied=6, dissatisfied=5) == "competent"


def test_all_dissatisfied_is_incompetent() -> None:
    assert grade_of(dissatisfied=10) == "incompetent"


# grade.thresholds, excellent: 5s ≥ 4n (and 2d ≤ n).


def test_exactly_eighty_percent_satisfied_is_excellent() -> None:
    """n = 10, s = 8: 5s = 40 ≥ 4n = 40."""
    assert grade_of(satisfied=8, basically_satisfied=2) == "excellent"


def test_one_fewer_than_eighty_percent_satisfied_is_competent() -> None:
    """n = 10, s = 7: 5s = 35 < 40."""
    assert grade_of(satisfied=7, basically_satisfied=3) == "competent"


def test_eighty_percent_satisfied_with_the_rest_dissatisfied_is_excellent() -> None:
    """n = 10, s = 8, d = 2: 2d = 4 ≤ 10, then 5s = 40 ≥ 40."""
    assert grade_of(satisfied=8, dissatisfied=2) == "excellent"


def test_eighty_percent_of_an_uneven_n_rounds_up() -> None:
    """n = 11: 4n = 44, so s = 9 (45) is excellent and s = 8 (40) is not."""
    assert grade_of(satisfied=9, basically_satisfied=2) == "excellent"
    assert grade_of(satisfied=8, basically_satisfied=3) == "competent"


# Only three grades: where Xinzhou's thresholds say basically competent, Taizhou's do not.


@pytest.mark.parametrize(
    ("satisfied", "basically_satisfied", "dissatisfied", "grade"),
    [
        (6, 0, 4, "competent"),  # 2d = 8 ≤ 10; 5s = 30 < 40 (Xinzhou: 3d = 12 > 10)
        (0, 6, 4, "competent"),  # as above, s = 0
        (3, 0, 2, "competent"),  # n = 5: 2d = 4 ≤ 5; 15 < 20 (Xinzhou: 3d = 6 > 5)
        (0, 10, 0, "competent"),  # s = 0: 0 < 40
        (1, 0, 0, "excellent"),  # 5 ≥ 4
        (0, 1, 0, "competent"),  # 0 < 4
        (0, 0, 1, "incompetent"),  # 2 > 1
        (1, 0, 1, "competent"),  # n = 2: 2d = 2 ≤ 2; 5 < 8
        (4, 0, 1, "excellent"),  # n = 5: 2 ≤ 5; 20 ≥ 20
        (3, 2, 0, "competent"),  # n = 5: 15 < 20
        (1, 1, 1, "competent"),  # n = 3: 2 ≤ 3; 5 < 12
    ],
)
def test_small_tallies_follow_the_thresholds(
    satisfied: int, basically_satisfied: int, dissatisfied: int, grade: str
) -> None:
    assert (
        grade_of(
            satisfied=satisfied,
            basically_satisfied=basically_satisfied,
            dissatisfied=dissatisfied,
        )
        == grade
    )


@given(c1=subject_counts(max_ballots=40))
def test_only_the_three_grades_are_ever_given(c1: dict[str, int]) -> None:
    outcome = zhiping.evaluate(taizhou_document(c1))
    grade = outcome.subject("c1").grade
    valid = c1["satisfied"] + c1["basically_satisfied"] + c1["dissatisfied"]
    if valid == 0:
        assert grade is None
    else:
        assert grade in ("excellent", "competent", "incompetent")


# Abstentions and invalid marks are not valid votes.


def test_abstentions_and_invalid_marks_are_left_out_of_n_for_excellent() -> None:
    """s = 8, b = 2, 3 abstentions, 2 invalid: n = 10 and 40 ≥ 40 (with 15: 40 < 60)."""
    assert grade_of(satisfied=8, basically_satisfied=2, abstain=3, invalid=2) == "excellent"


def test_abstentions_are_left_out_of_n_for_incompetent() -> None:
    """d = 5, s = 4, 2 abstentions: n = 9 and 2d = 10 > 9 (with 11: 10 ≤ 11)."""
    assert grade_of(satisfied=4, dissatisfied=5, abstain=2) == "incompetent"


def test_no_valid_votes_gives_no_grade() -> None:
    """All 10 abstain: n = 0."""
    outcome = zhiping.evaluate(taizhou_document(counted(abstain=6, invalid=4)))
    assert outcome.status == "valid"
    assert outcome.subject("c1").eligible
    assert outcome.subject("c1").grade is None


# The organization is graded with the same thresholds.


@pytest.mark.parametrize(
    ("organization", "grade"),
    [
        (counted(satisfied=5, dissatisfied=5), "competent"),  # 2d = 10 ≤ 10; 25 < 40
        (counted(satisfied=4, dissatisfied=6), "incompetent"),  # 12 > 10
        (counted(satisfied=8, basically_satisfied=2), "excellent"),  # 40 ≥ 40
        (counted(satisfied=7, basically_satisfied=3), "competent"),  # 35 < 40
        (counted(satisfied=6, dissatisfied=4), "competent"),  # never basically competent
    ],
)
def test_the_organization_is_graded_like_a_cadre(organization: dict[str, int], grade: str) -> None:
    outcome = zhiping.evaluate(taizhou_document(counted(satisfied=10), organization=organization))
    assert outcome.status == "valid"
    assert outcome.subject("organization").eligible
    assert outcome.subject("organization").grade == grade
