"""The bundled pack ``cn-organic-law`` (村民委员会组织法, 2018 text), case by case.

Every expected value is worked out by hand from ``reference/variants.md``
(cn-organic-law), with n valid votes and c, b, i the ``competent``,
``basically_competent`` and ``incompetent`` marks:

- selected by name only (``pack="cn-organic-law"``); it governs no village code;
- only cadres holding a villagers' committee post are evaluated; others and the
  organization are ``eligible: false``;
- ``quorum.representatives_share``: 3 × representatives present ≥ 2 × on the roster;
- evaluators: representatives and villagers;
- the ballot words are ``competent``, ``basically_competent``, ``incompetent``;
- grade (assumed): ``incompetent`` if 2i > n; else ``competent`` if 2c > n; else
  ``basically_competent``;
- ``sanction.consecutive_evaluations``: incompetent now and at the most recent earlier
  evaluation in history, whatever its year → ``office_terminated``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

import zhiping
from zhiping.testing import PackTests, as_cast, counted, session_document

PACK = "cn-organic-law"
VILLAGE = "420117101201"  # any code: the pack is chosen by name
NO_PACK_VILLAGE = "110101001001"  # 北京市东城区: no bundled pack governs it
HELD_ON = date(2027, 1, 15)  # session_document's default

Document = dict[str, Any]

_STATUTORY_WORDS = {
    "satisfied": "competent",
    "basically_satisfied": "basically_competent",
    "dissatisfied": "incompetent",
}


STATUTE_SCALE = ("competent", "basically_competent", "incompetent")


class TestCnOrganicLaw(PackTests):
    pack = PACK


def marks(**votes: int) -> dict[str, int]:
    """One subject's pre-counted marks on the statute's scale."""
    return counted(scale=STATUTE_SCALE, **votes)


def statutory_document(
    c1: Mapping[str, int] | None = None,
    *,
    representatives: int = 40,
    present: int = 40,
    posts: list[str] | None = None,
    history: list[dict[str, Any]] | None = None,
) -> Document:
    """A valid session (year 2026, held 2027-01-15): ``present`` of ``representatives``
    on the roster present, no party member present, cadre c1 a committee director.

    Without marks, every ballot marks both subjects ``competent``. One ballot per
    representative present is issued and returned unless the marks sum to fewer.
    """
    c1 = dict(c1 if c1 is not None else marks(competent=present))
    returned = sum(c1.values())
    document = session_document(
        village_code=VILLAGE,
        party_members=37,
        party_members_present=0,
        representatives=representatives,
        representatives_present=present,
        cadres=1,
        counts={"organization": {"competent": returned}, "c1": c1},
    )
    document["cadres"][0]["posts"] = posts or ["committee_director"]
    if history is not None:
        document["history"] = history
    return document


def evaluate(document: Document, **options: Any) -> zhiping.Outcome:
    return zhiping.evaluate(document, pack=PACK, **options)


def grade_of(**counts: int) -> str | None:
    outcome = evaluate(statutory_document(marks(**counts)))
    assert outcome.status == "valid"
    return outcome.subject("c1").grade


def action_kinds(outcome: zhiping.Outcome, subject: str = "c1") -> list[str]:
    return [action.kind for action in outcome.subject(subject).actions]


# Selection: by name only.


def test_forced_by_name_the_chain_is_cn_then_the_statute() -> None:
    outcome = evaluate(statutory_document())
    assert outcome.packs == ("cn", PACK)
    assert outcome.status == "valid"


def test_no_village_code_selects_the_statute() -> None:
    """A code no other pack governs has no grading without ``pack=``."""
    document = statutory_document()
    document["village"]["code"] = NO_PACK_VILLAGE
    with pytest.raises(zhiping.NoApplicableRule):
        zhiping.evaluate(document)
    assert evaluate(document).packs == ("cn", PACK)


def test_a_xinzhou_village_is_governed_by_xinzhou_unless_the_statute_is_forced() -> None:
    registry = zhiping.default_registry()
    assert registry.chain(VILLAGE, HELD_ON).names == ("cn", "xinzhou")
    assert registry.chain(VILLAGE, HELD_ON, pack=PACK).names == ("cn", PACK)


# Eligibility: the villagers' committee only.


@pytest.mark.parametrize(
    ("posts", "eligible"),
    [
        (["committee_director"], True),
        (["committee_deputy_director"], True),
        (["committee_member"], True),
        (["party_secretary", "committee_director"], True),
        (["party_committee_member", "committee_member"], True),
        (["party_secretary"], False),
        (["party_deputy_secretary"], False),
        (["party_committee_member"], False),
        (["supervisory_director"], False),
        (["other"], False),
    ],
)
def test_only_members_of_the_villagers_committee_are_evaluated(
    posts: list[str], eligible: bool
) -> None:
    """All 40 mark c1 incompetent: 2i = 80 > 40, if c1 is evaluated at all."""
    outcome = evaluate(statutory_document(marks(incompetent=40), posts=posts))
    assert outcome.status == "valid"
    c1 = outcome.subject("c1")
    assert c1.eligible is eligible
    assert c1.grade == ("incompetent" if eligible else None)


def test_the_organization_is_not_evaluated() -> None:
    outcome = evaluate(statutory_document())
    organization = outcome.subject("organization")
    assert organization.eligible is False
    assert organization.grade is None


# quorum.representatives_share: 3 × present ≥ 2 × on the roster.


@pytest.mark.parametrize(
    ("representatives", "present", "status"),
    [
        (40, 26, "void"),  # 3 × 26 = 78 < 80
        (40, 27, "valid"),  # 3 × 27 = 81 ≥ 80
        (30, 19, "void"),  # 57 < 60
        (30, 20, "valid"),  # 60 ≥ 60: exactly two thirds
        (3, 1, "void"),  # 3 < 6
        (3, 2, "valid"),  # 6 ≥ 6
        (31, 20, "void"),  # 60 < 62
        (31, 21, "valid"),  # 63 ≥ 62
    ],
)
def test_two_thirds_of_the_representatives_must_be_present(
    representatives: int, present: int, status: str
) -> None:
    document = statutory_document(representatives=representatives, present=present)
    outcome = evaluate(document)
    assert outcome.status == status
    findings = outcome.findings_of("quorum.representatives_share")
    if status == "void":
        (finding,) = findings
        assert finding.severity == "violation"
        assert outcome.subject("c1").grade is None
    else:
        assert findings == ()
        assert outcome.subject("c1").grade == "competent"


def test_party_members_present_do_not_make_up_the_quorum() -> None:
    """26 of 40 representatives and 10 party members present: 78 < 80, void."""
    document = statutory_document(marks(competent=26), present=26)
    document["attendance"] += [
        {"person": f"pm{i:03d}", "as": ["party_member"]} for i in range(1, 11)
    ]
    outcome = evaluate(document)
    assert outcome.status == "void"
    assert outcome.findings_of("quorum.representatives_share")


# Evaluators: representatives and villagers, not party members as such.


def test_party_members_present_only_as_party_members_are_not_evaluators() -> None:
    """27 representatives and 10 party members present: 27 evaluators.
    Issuing 37 ballots is 10 too many; issuing 27 is sound."""
    document = statutory_document(marks(competent=27), present=27)
    document["attendance"] += [
        {"person": f"pm{i:03d}", "as": ["party_member"]} for i in range(1, 11)
    ]
    assert evaluate(document).status == "valid"
    document["ballots"]["issued"] = 37
    outcome = evaluate(document)
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("ballots.issued")
    assert finding.severity == "violation"


def test_villagers_present_are_evaluators() -> None:
    """27 representatives and 10 villagers present: 37 evaluators, 37 ballots."""
    document = statutory_document(marks(competent=37), present=27)
    document["attendance"] += [{"person": f"v{i:03d}", "as": ["villager"]} for i in range(1, 11)]
    outcome = evaluate(document)
    assert outcome.status == "valid"
    assert outcome.findings_of("ballots.issued") == ()
    document["ballots"]["issued"] = 38  # 38 > 37
    assert evaluate(document).status == "void"


# The ballot scale: competent, basically competent, incompetent.


def test_a_satisfied_mark_is_invalid_under_the_statute() -> None:
    """Cast ballots: 5 competent, 4 incompetent, 2 marked `satisfied`: the two are
    invalid, n = 9 and 2c = 10 > 9, competent (counting them, n = 11: 10 ≤ 11)."""
    document = as_cast(statutory_document(marks(competent=5, incompetent=4, abstain=2)))
    unmarked = [ballot for ballot in document["ballots"]["cast"] if "c1" not in ballot["marks"]]
    for ballot in unmarked:
        ballot["marks"]["c1"] = "satisfied"
    outcome = evaluate(document)
    c1 = outcome.subject("c1")
    assert c1.tally is not None
    assert (c1.tally.valid_votes, c1.tally.invalid, c1.tally.abstain) == (9, 2, 0)
    assert c1.grade == "competent"


def test_the_statutes_words_are_counted_on_cast_ballots() -> None:
    document = as_cast(statutory_document(marks(competent=3, basically_competent=2, incompetent=1)))
    c1 = evaluate(document).subject("c1")
    assert c1.tally is not None
    assert [c1.tally.count(word) for word in _STATUTORY_WORDS.values()] == [3, 2, 1]
    assert c1.tally.invalid == 0


def test_counts_in_the_three_level_words_do_not_fit_the_statutes_scale() -> None:
    """The ``counts`` form counts each word of the pack's scale (DESIGN §2)."""
    document = statutory_document(marks(competent=10))
    document["ballots"]["counts"]["c1"] = {"satisfied": 10}
    with pytest.raises(zhiping.InputError):
        evaluate(document)


# Grade: incompetent if 2i > n; else competent if 2c > n; else basically competent.


@pytest.mark.parametrize(
    ("competent", "basically_competent", "incompetent", "grade"),
    [
        (5, 0, 5, "basically_competent"),  # n = 10: 2i = 10 ≤ 10; 2c = 10 ≤ 10
        (4, 0, 6, "incompetent"),  # 2i = 12 > 10
        (6, 0, 4, "competent"),  # 2i = 8 ≤ 10; 2c = 12 > 10
        (5, 5, 0, "basically_competent"),  # 2c = 10 ≤ 10
        (6, 4, 0, "competent"),  # 2c = 12 > 10
        (0, 5, 5, "basically_competent"),  # 2i = 10 ≤ 10; 2c = 0
        (0, 4, 6, "incompetent"),  # 2i = 12 > 10
        (5, 1, 5, "basically_competent"),  # n = 11: 2i = 10 ≤ 11; 2c = 10 ≤ 11
        (5, 0, 6, "incompetent"),  # n = 11: 12 > 11
        (6, 0, 5, "competent"),  # n = 11: 10 ≤ 11; 12 > 11
        (0, 10, 0, "basically_competent"),  # neither majority
        (1, 0, 0, "competent"),  # 2 > 1
        (0, 1, 0, "basically_competent"),
        (0, 0, 1, "incompetent"),  # 2 > 1
        (1, 0, 1, "basically_competent"),  # n = 2: 2 ≤ 2 both ways
        (40, 0, 0, "competent"),
        (0, 0, 40, "incompetent"),
    ],
)
def test_a_majority_of_the_valid_votes_decides_the_grade(
    competent: int, basically_competent: int, incompetent: int, grade: str
) -> None:
    assert (
        grade_of(
            competent=competent,
            basically_competent=basically_competent,
            incompetent=incompetent,
        )
        == grade
    )


def test_abstentions_and_invalid_marks_are_left_out_of_n() -> None:
    """c = 5, i = 4, 2 abstentions, 1 invalid: n = 9 and 2c = 10 > 9 (with 12: 10 ≤ 12);
    c = 4, i = 5, 3 abstentions: n = 9 and 2i = 10 > 9 (with 12: 10 ≤ 12)."""
    assert grade_of(competent=5, incompetent=4, abstain=2, invalid=1) == "competent"
    assert grade_of(competent=4, incompetent=5, abstain=3) == "incompetent"


def test_no_valid_votes_gives_no_grade() -> None:
    outcome = evaluate(statutory_document(marks(abstain=30, invalid=10)))
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c1").actions == ()


# sanction.consecutive_evaluations: incompetent twice running → office_terminated.

INCOMPETENT_NOW = marks(competent=16, incompetent=24)  # n = 40: 2i = 48 > 40
COMPETENT_NOW = marks(competent=24, incompetent=16)  # 2i = 32 ≤ 40; 2c = 48 > 40
BASICALLY_NOW = marks(competent=20, incompetent=20)  # 40 ≤ 40 both ways


def entry(year: int, grade: str, subject: str = "c1") -> dict[str, Any]:
    return {"subject": subject, "year": year, "grade": grade}


@pytest.mark.parametrize(
    ("now", "history", "actions"),
    [
        # incompetent now and at the latest earlier evaluation, whatever its year
        (INCOMPETENT_NOW, [entry(2025, "incompetent")], ["office_terminated"]),
        (INCOMPETENT_NOW, [entry(2022, "incompetent")], ["office_terminated"]),
        (
            INCOMPETENT_NOW,
            [entry(2020, "competent"), entry(2022, "incompetent")],
            ["office_terminated"],
        ),
        # a competent evaluation in between breaks the run
        (INCOMPETENT_NOW, [entry(2022, "incompetent"), entry(2024, "competent")], []),
        (INCOMPETENT_NOW, [entry(2024, "incompetent"), entry(2025, "basically_competent")], []),
        (INCOMPETENT_NOW, [entry(2025, "excellent")], []),
        # the first incompetent evaluation
        (INCOMPETENT_NOW, [], []),
        # not incompetent now
        (COMPETENT_NOW, [entry(2025, "incompetent")], []),
        (BASICALLY_NOW, [entry(2025, "incompetent")], []),
    ],
)
def test_twice_running_incompetent_ends_the_office(
    now: dict[str, int], history: list[dict[str, Any]], actions: list[str]
) -> None:
    outcome = evaluate(statutory_document(now, history=history))
    assert outcome.status == "valid"
    assert action_kinds(outcome) == actions
    for action in outcome.subject("c1").actions:
        assert (action.rule, action.pack) == ("sanction.consecutive_evaluations", PACK)


def test_the_grades_behind_the_sanction_are_the_ones_worked_out() -> None:
    outcome = evaluate(statutory_document(INCOMPETENT_NOW))
    assert outcome.subject("c1").grade == "incompetent"
    assert evaluate(statutory_document(COMPETENT_NOW)).subject("c1").grade == "competent"
    basically = evaluate(statutory_document(BASICALLY_NOW)).subject("c1").grade
    assert basically == "basically_competent"


def test_history_given_to_evaluate_counts_like_the_documents() -> None:
    history = zhiping.parse_history([entry(2023, "incompetent")])
    outcome = evaluate(statutory_document(INCOMPETENT_NOW), history=history)
    assert action_kinds(outcome) == ["office_terminated"]


def test_another_subjects_incompetent_evaluation_does_not_count() -> None:
    """Only the organization was incompetent in 2025; c1 has no earlier evaluation."""
    history = [entry(2025, "incompetent", subject="organization")]
    outcome = evaluate(statutory_document(INCOMPETENT_NOW, history=history))
    assert action_kinds(outcome) == []


def test_a_void_session_ends_no_office() -> None:
    """26 of 40 present (78 < 80): void; nothing is applied."""
    document = statutory_document(
        marks(competent=10, incompetent=16), present=26, history=[entry(2025, "incompetent")]
    )
    outcome = evaluate(document)
    assert outcome.status == "void"
    assert outcome.subject("c1").grade is None
    assert action_kinds(outcome) == []


def test_a_cadre_outside_the_committee_is_not_terminated() -> None:
    """A party secretary only: not evaluated, so no grade and no termination."""
    document = statutory_document(
        INCOMPETENT_NOW, posts=["party_secretary"], history=[entry(2025, "incompetent")]
    )
    outcome = evaluate(document)
    assert outcome.subject("c1").grade is None
    assert action_kinds(outcome) == []
