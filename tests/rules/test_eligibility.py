"""Eligibility mechanisms, applied alone with the parameters each test sets.

From the mechanisms' docstrings and ``reference/variants.md``:

- ``tenure_eligibility``: a cadre is evaluated only if ``in_office_since + months`` (added
  on the calendar, a day past the month's end clamped to its last day) is *before*
  ``held_on``; otherwise ``eligible: false`` and a finding (泰州: 任职半年以上).
- ``eligible_posts``: a cadre is evaluated only if they hold one of ``posts`` (the
  statute: the members of the villagers' committee).
- ``organization_not_evaluated``: the organization is not evaluated, and that is no
  finding.

A subject one rule leaves out stays out whatever the others decide.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rule_runs import Run

import zhiping
from zhiping.rules.eligibility import (
    eligible_posts,
    organization_not_evaluated,
    tenure_eligibility,
)
from zhiping.testing import session_document

COMMITTEE = ("committee_director", "committee_deputy_director", "committee_member")


def document(
    held_on: date = date(2027, 1, 15),
    *,
    since: tuple[str, ...] = ("2021-01-10",),
    posts: tuple[tuple[str, ...], ...] | None = None,
) -> dict[str, Any]:
    """A Xinzhou-shaped session with one cadre per ``since`` date (and per ``posts``)."""
    result = session_document(year=held_on.year - 1, held_on=held_on, cadres=len(since))
    for index, cadre in enumerate(result["cadres"]):
        cadre["in_office_since"] = since[index]
        if posts is not None:
            cadre["posts"] = list(posts[index])
    return result


def tenure(held_on: date, since: str, months: int = 6) -> Run:
    return Run.of(document(held_on, since=(since,))).apply(
        tenure_eligibility, "eligibility.tenure", severity="info", months=months
    )


# tenure_eligibility: in_office_since + months < held_on.


@pytest.mark.parametrize(
    ("since", "held_on", "eligible"),
    [
        ("2026-07-15", date(2027, 1, 15), False),  # + 6 months = held_on: not before it
        ("2026-07-14", date(2027, 1, 15), True),  # + 6 months = 2027-01-14 < held_on
        ("2026-07-16", date(2027, 1, 15), False),  # + 6 months = 2027-01-16
        ("2026-08-31", date(2027, 2, 28), False),  # 31 Aug + 6 months = 28 Feb (clamped)
        ("2026-08-31", date(2027, 3, 1), True),
        ("2023-08-31", date(2024, 2, 29), False),  # a leap year: 29 Feb 2024
        ("2023-08-31", date(2024, 3, 1), True),
        ("2026-08-29", date(2027, 3, 1), True),  # 29 Aug + 6 months = 28 Feb (clamped) < 1 Mar
    ],
)
def test_a_cadre_is_evaluated_only_once_the_months_have_passed_before_the_session(
    since: str, held_on: date, eligible: bool
) -> None:
    run = tenure(held_on, since)
    assert (run.evaluation.eligible["c1"]) is eligible
    entry = run.entry("eligibility.tenure", "c1")
    assert entry.fulfilled is eligible
    assert entry.inputs["in_office_since"] == since
    assert entry.inputs["held_on"] == held_on.isoformat()
    assert run.finding_rules() == ([] if eligible else ["eligibility.tenure"])


def test_the_tenure_in_months_is_the_packs_parameter() -> None:
    """12 months: 2026-01-14 + 12 = 2027-01-14 < 2027-01-15; 2026-01-15 + 12 is not before."""
    assert tenure(date(2027, 1, 15), "2026-01-14", months=12).evaluation.eligible["c1"]
    assert not tenure(date(2027, 1, 15), "2026-01-15", months=12).evaluation.eligible["c1"]


def test_a_cadre_left_out_for_tenure_is_an_info_finding_with_the_dates() -> None:
    run = tenure(date(2027, 1, 15), "2026-08-01")
    (finding,) = run.findings
    assert (finding.rule, finding.severity, finding.subject) == ("eligibility.tenure", "info", "c1")
    assert dict(finding.facts) == {
        "in_office_since": "2026-08-01",
        "qualifies_after": "2027-02-01",
        "held_on": "2027-01-15",
    }
    assert finding.message.en == (
        "干部1 (c1) in office since 2026-08-01, not over 6 months by 2027-01-15: not evaluated"
    )
    assert run.entry("eligibility.tenure", "c1").message == finding.message


def test_an_eligible_cadres_entry_says_so_and_cites_the_months() -> None:
    run = tenure(date(2027, 1, 15), "2021-01-10")
    entry = run.entry("eligibility.tenure", "c1")
    assert entry.message.en == "干部1 (c1) has held office over 6 months: evaluated"
    assert [(used.name, used.value) for used in entry.parameters] == [
        ("eligibility.tenure.months", 6)
    ]


def test_tenure_never_concerns_the_organization() -> None:
    run = tenure(date(2027, 1, 15), "2027-01-01")
    assert run.evaluation.eligible["organization"]
    assert [entry.subject for entry in run.trace] == ["c1"]


# eligible_posts: a cadre holding one of the posts.


def test_a_cadre_holding_one_of_the_posts_is_evaluated_and_one_holding_none_is_not() -> None:
    run = Run.of(
        document(
            since=("2021-01-10", "2021-01-10"),
            posts=(("party_secretary", "committee_director"), ("party_secretary",)),
        )
    ).apply(eligible_posts, "eligibility.posts", severity="info", posts=COMMITTEE)
    assert run.evaluation.eligible == {"organization": True, "c1": True, "c2": False}
    (finding,) = run.findings
    assert (finding.subject, dict(finding.facts)) == ("c2", {"posts": ["party_secretary"]})
    assert [(e.subject, e.fulfilled) for e in run.trace] == [("c1", True), ("c2", False)]


@pytest.mark.parametrize(
    ("posts", "eligible"),
    [
        (("committee_member",), True),
        (("committee_deputy_director",), True),
        (("party_deputy_secretary", "committee_member"), True),
        (("party_deputy_secretary",), False),
        (("party_secretary",), False),
    ],
)
def test_one_post_of_the_list_is_enough(posts: tuple[str, ...], eligible: bool) -> None:
    run = Run.of(document(posts=(posts,))).apply(
        eligible_posts, "eligibility.posts", severity="info", posts=COMMITTEE
    )
    assert run.evaluation.eligible["c1"] is eligible


# organization_not_evaluated, and rules together.


def test_the_organization_left_out_is_no_finding() -> None:
    run = Run.of(document()).apply(organization_not_evaluated, "eligibility.organization")
    assert run.evaluation.eligible == {"organization": False, "c1": True}
    assert run.findings == []
    entry = run.entry("eligibility.organization", "organization")
    assert entry.fulfilled is False
    assert entry.message.en == "the party organization is not graded as a body here"


def test_a_cadre_one_rule_leaves_out_stays_out_when_the_next_admits_them() -> None:
    """c1 holds a committee post but has been in office only since December."""
    run = Run.of(document(since=("2026-12-01",), posts=(("committee_member",),)))
    run.apply(tenure_eligibility, "eligibility.tenure", severity="info", months=6)
    run.apply(eligible_posts, "eligibility.posts", severity="info", posts=COMMITTEE)
    assert run.evaluation.eligible["c1"] is False
    assert run.entry("eligibility.posts", "c1").fulfilled is True
    assert run.evaluation.evaluated() == ["organization"]


def test_under_the_statute_only_committee_members_are_graded() -> None:
    """cn-organic-law: c1 a committee member is graded; c2 a party secretary only is not.

    Its ballots say ``competent`` (the statute's scale); 32 representatives vote.
    """
    session = document(
        since=("2021-01-10", "2021-01-10"),
        posts=(("committee_member",), ("party_secretary",)),
    )
    session["ballots"].update(
        issued=32, returned=32, counts={s: {"competent": 32} for s in ("organization", "c1", "c2")}
    )
    outcome = zhiping.evaluate(session, pack="cn-organic-law")
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "competent"  # 2c = 64 > n = 32
    eligible = {s.id: s.eligible for s in outcome.subjects}
    assert eligible == {"organization": False, "c1": True, "c2": False}
    assert outcome.subject("c2").grade is None
    assert [f.subject for f in outcome.findings_of("eligibility.posts")] == ["c2"]
