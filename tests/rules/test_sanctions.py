"""Sanctions over time: the Xinzhou two-year rule, the statute's two evaluations running, and
the history they read, by year and by quarter."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from rule_runs import Run

import zhiping
from zhiping import HistoryEntry
from zhiping.glossary import Text
from zhiping.rules import Period, RuleContext, mechanism
from zhiping.rules.eligibility import organization_not_evaluated
from zhiping.rules.organization import team_action_when_any_below
from zhiping.rules.sanctions import consecutive_grade, low_satisfaction_action
from zhiping.testing import session_document

YEAR = 2026
MARKS_FOR = {
    "excellent": {"satisfied": 60},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}


def document_graded(grade: str, history: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid 2026 document in which c1 earns ``grade`` and c2 is excellent."""
    document = session_document(
        year=YEAR,
        cadres=2,
        counts={
            "organization": {"satisfied": 60},
            "c1": MARKS_FOR[grade],
            "c2": MARKS_FOR["excellent"],
        },
    )
    if history is not None:
        document["history"] = history
    return document


def actions_of(outcome: zhiping.Outcome, subject: str) -> list[tuple[str, str, str]]:
    return [(a.kind, a.rule, a.pack) for a in outcome.subject(subject).actions]


ADJUSTMENT = ("organizational_adjustment", "sanction.consecutive_incompetent", "xinzhou")


def test_incompetent_now_and_last_year_brings_an_organizational_adjustment() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == [ADJUSTMENT]
    assert actions_of(outcome, "c2") == []
    assert actions_of(outcome, "organization") == []


def test_incompetent_now_and_only_two_years_ago_is_a_broken_streak() -> None:
    """A gap year (2025 without a grade) breaks the streak."""
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2024, "grade": "incompetent"}])
    )
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == []


def test_incompetent_now_with_a_better_grade_in_between_is_a_broken_streak() -> None:
    history = [
        {"subject": "c1", "year": 2024, "grade": "incompetent"},
        {"subject": "c1", "year": 2025, "grade": "basically_competent"},
    ]
    outcome = zhiping.evaluate(document_graded("incompetent", history))
    assert actions_of(outcome, "c1") == []


def test_incompetent_three_years_running_still_brings_the_adjustment() -> None:
    history = [
        {"subject": "c1", "year": 2024, "grade": "incompetent"},
        {"subject": "c1", "year": 2025, "grade": "incompetent"},
    ]
    outcome = zhiping.evaluate(document_graded("incompetent", history))
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


@pytest.mark.parametrize("grade", ["excellent", "competent", "basically_competent"])
def test_a_better_grade_now_after_an_incompetent_year_brings_nothing(grade: str) -> None:
    outcome = zhiping.evaluate(
        document_graded(grade, [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    assert outcome.subject("c1").grade == grade
    assert actions_of(outcome, "c1") == []


@pytest.mark.parametrize("earlier", ["excellent", "competent", "basically_competent"])
def test_incompetent_now_after_a_better_grade_last_year_brings_nothing(earlier: str) -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": earlier}])
    )
    assert actions_of(outcome, "c1") == []


def test_incompetent_now_without_any_history_brings_nothing() -> None:
    outcome = zhiping.evaluate(document_graded("incompetent"))
    assert actions_of(outcome, "c1") == []


def test_another_cadres_incompetent_year_does_not_count() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c2", "year": 2025, "grade": "incompetent"}])
    )
    assert actions_of(outcome, "c1") == []
    assert actions_of(outcome, "c2") == []


def test_history_passed_to_evaluate_counts_like_history_in_the_document() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent"),
        history=[HistoryEntry(subject="c1", year=2025, grade="incompetent")],
    )
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


def test_a_gap_year_in_history_passed_to_evaluate_brings_nothing() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent"),
        history=[HistoryEntry(subject="c1", year=2024, grade="incompetent")],
    )
    assert actions_of(outcome, "c1") == []


def test_history_passed_to_evaluate_agreeing_with_the_document_is_accepted() -> None:
    entry = {"subject": "c1", "year": 2025, "grade": "incompetent"}
    outcome = zhiping.evaluate(
        document_graded("incompetent", [entry]), history=[HistoryEntry(**entry)]
    )
    assert actions_of(outcome, "c1") == [ADJUSTMENT]


def test_history_passed_to_evaluate_contradicting_the_document_is_an_input_error() -> None:
    document = document_graded(
        "incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    )
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(
            document, history=[HistoryEntry(subject="c1", year=2025, grade="competent")]
        )
    assert [p.path for p in raised.value.problems] == ["history[0]"]


def test_history_passed_to_evaluate_for_the_evaluated_year_is_an_input_error() -> None:
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(
            document_graded("incompetent"),
            history=[HistoryEntry(subject="c1", year=YEAR, grade="incompetent")],
        )
    assert [p.path for p in raised.value.problems] == ["history[0].year"]


def test_the_adjustment_is_traced_with_its_parameters() -> None:
    outcome = zhiping.evaluate(
        document_graded("incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}])
    )
    (entry,) = [
        t
        for t in outcome.trace
        if t.rule == "sanction.consecutive_incompetent" and t.subject == "c1"
    ]
    assert entry.pack == "xinzhou"
    assert entry.fulfilled is True
    assert entry.result == "organizational_adjustment"
    values = {use.name: use.value for use in entry.parameters}
    assert values["sanction.consecutive_incompetent.years"] == 2
    assert values["sanction.consecutive_incompetent.grade"] == "incompetent"


@pytest.mark.parametrize(
    ("in_office_since", "adjusted"),
    [("2025-12-31", True), ("2026-01-01", False), ("2026-09-01", False)],
)
def test_a_grade_from_before_the_cadre_took_office_does_not_count(
    in_office_since: str, adjusted: bool
) -> None:
    """Work year 2025 ends on 2025-12-31: a cadre in office from 2026 was not graded in it."""
    document = document_graded(
        "incompetent", [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    )
    document["cadres"][0]["in_office_since"] = in_office_since
    outcome = zhiping.evaluate(document)
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == ([ADJUSTMENT] if adjusted else [])


# Periods: quarterly sessions (docs/rules.md, "The two-year rule and quarters").


def quarter_entry(year: int, quarter: int, grade: str, subject: str = "c1") -> dict[str, Any]:
    return {"subject": subject, "year": year, "quarter": quarter, "grade": grade}


def quarterly_graded(grade: str, quarter: int, history: list[dict[str, Any]]) -> dict[str, Any]:
    """The 2026 document of ``document_graded`` as the session of one quarter."""
    document = document_graded(grade, history)
    document["quarter"] = quarter
    return document


@pytest.mark.parametrize(
    ("history", "year_2025", "adjusted"),
    [
        # 2025's grade is its last recorded quarter's: Q4 incompetent.
        (
            [quarter_entry(2025, 3, "competent"), quarter_entry(2025, 4, "incompetent")],
            "incompetent",
            True,
        ),
        # Q4 competent after an incompetent Q3: 2025's grade is competent.
        (
            [quarter_entry(2025, 3, "incompetent"), quarter_entry(2025, 4, "competent")],
            "competent",
            False,
        ),
        # Only Q2 of 2025 recorded: it is the year's last recorded evaluation.
        ([quarter_entry(2025, 2, "incompetent")], "incompetent", True),
        # 2026's own earlier quarters are not year − 1: 2025 has no grade, a gap year.
        ([quarter_entry(2026, 1, "incompetent")], None, False),
        # A yearly 2025 grade counts for a quarterly 2026 session as for a yearly one.
        ([{"subject": "c1", "year": 2025, "grade": "incompetent"}], "incompetent", True),
    ],
)
def test_the_two_year_rule_in_a_quarterly_session_reads_the_last_recorded_quarter(
    history: list[dict[str, Any]], year_2025: str | None, adjusted: bool
) -> None:
    """A Q2 2026 session grading c1 incompetent: adjusted iff 2025's grade is incompetent."""
    outcome = zhiping.evaluate(quarterly_graded("incompetent", 2, history))
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "incompetent"
    assert actions_of(outcome, "c1") == ([ADJUSTMENT] if adjusted else [])
    (entry,) = [
        t
        for t in outcome.trace
        if t.rule == "sanction.consecutive_incompetent" and t.subject == "c1"
    ]
    assert entry.inputs["earlier"] == {"2025": year_2025}


def test_a_competent_quarter_now_after_an_incompetent_year_brings_nothing() -> None:
    history = [quarter_entry(2025, 4, "incompetent")]
    outcome = zhiping.evaluate(quarterly_graded("competent", 1, history))
    assert outcome.subject("c1").grade == "competent"
    assert actions_of(outcome, "c1") == []


STATUTE = "cn-organic-law"
STATUTE_MARKS = {
    # n = 40: 2i = 48 > 40: incompetent.
    "incompetent": {"competent": 16, "incompetent": 24},
    # 2i = 32 ≤ 40; 2c = 48 > 40: competent.
    "competent": {"competent": 24, "incompetent": 16},
}


def statutory_quarter(grade: str, quarter: int, history: list[dict[str, Any]]) -> dict[str, Any]:
    """A statute session of 2026's ``quarter``: 40 of 40 representatives present, c1 a
    committee director graded ``grade``."""
    document = session_document(
        year=YEAR,
        party_members_present=0,
        representatives=40,
        representatives_present=40,
        cadres=1,
        counts={"organization": {"competent": 40}, "c1": STATUTE_MARKS[grade]},
    )
    document["cadres"][0]["posts"] = ["committee_director"]
    document["quarter"] = quarter
    document["history"] = history
    return document


@pytest.mark.parametrize(
    ("history", "terminated", "previous"),
    [
        # The previous evaluation is this year's Q1.
        ([quarter_entry(2026, 1, "incompetent")], True, (2026, 1)),
        # Q1 competent comes after 2025 Q4 incompetent: the run is broken.
        (
            [quarter_entry(2025, 4, "incompetent"), quarter_entry(2026, 1, "competent")],
            False,
            (2026, 1),
        ),
        # Q1 incompetent after a competent Q4: two running, whatever came before.
        (
            [quarter_entry(2025, 4, "competent"), quarter_entry(2026, 1, "incompetent")],
            True,
            (2026, 1),
        ),
        # No 2026 quarter yet: the previous evaluation is 2025 Q4.
        ([quarter_entry(2025, 4, "incompetent")], True, (2025, 4)),
    ],
)
def test_evaluations_are_counted_in_order_across_quarters(
    history: list[dict[str, Any]], terminated: bool, previous: tuple[int, int]
) -> None:
    """A Q2 2026 statute session grading c1 incompetent."""
    outcome = zhiping.evaluate(statutory_quarter("incompetent", 2, history), pack=STATUTE)
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == "incompetent"
    kinds = [a.kind for a in outcome.subject("c1").actions]
    assert kinds == (["office_terminated"] if terminated else [])
    (entry,) = [
        t
        for t in outcome.trace
        if t.rule == "sanction.consecutive_evaluations" and t.subject == "c1"
    ]
    assert (entry.inputs["previous_year"], entry.inputs["previous_quarter"]) == previous


def test_a_yearly_previous_evaluation_is_traced_without_a_quarter() -> None:
    history = [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    outcome = zhiping.evaluate(statutory_quarter("incompetent", 1, history), pack=STATUTE)
    (entry,) = [
        t
        for t in outcome.trace
        if t.rule == "sanction.consecutive_evaluations" and t.subject == "c1"
    ]
    assert entry.inputs == {
        "grade": "incompetent",
        "previous_year": 2025,
        "previous_grade": "incompetent",
    }
    assert [a.kind for a in outcome.subject("c1").actions] == ["office_terminated"]


# The rule context's history accessors, on a Q3 2026 session.

QUARTERLY_HISTORY = [
    quarter_entry(2024, 4, "competent"),
    quarter_entry(2025, 1, "incompetent"),
    quarter_entry(2025, 3, "basically_competent"),
    quarter_entry(2026, 1, "excellent"),
    quarter_entry(2026, 2, "competent"),
    quarter_entry(2026, 2, "incompetent", subject="c2"),
    {"subject": "c2", "year": 2025, "grade": "excellent"},
]


def q3_context() -> RuleContext:
    document = quarterly_graded("competent", 3, QUARTERLY_HISTORY)
    return Run.of(document).context(consecutive_grade)


def test_earlier_grades_are_the_subjects_own_oldest_first() -> None:
    assert q3_context().earlier_grades("c1") == (
        (Period(2024, 4), "competent"),
        (Period(2025, 1), "incompetent"),
        (Period(2025, 3), "basically_competent"),
        (Period(2026, 1), "excellent"),
        (Period(2026, 2), "competent"),
    )
    assert q3_context().earlier_grades("organization") == ()


def test_the_previous_evaluation_is_the_latest_before_the_session() -> None:
    ctx = q3_context()
    assert ctx.period == Period(2026, 3)
    assert ctx.previous_evaluation("c1") == (Period(2026, 2), "competent")
    assert ctx.previous_evaluation("c2") == (Period(2026, 2), "incompetent")
    assert ctx.previous_evaluation("organization") is None


def test_the_earlier_quarters_are_those_of_the_sessions_year() -> None:
    ctx = q3_context()
    assert ctx.earlier_quarters("c1") == (
        (Period(2026, 1), "excellent"),
        (Period(2026, 2), "competent"),
    )
    assert ctx.earlier_quarters("c2") == ((Period(2026, 2), "incompetent"),)


def test_a_years_grade_is_its_yearly_grade_or_its_last_recorded_quarter() -> None:
    ctx = q3_context()
    assert ctx.year_grade("c1", 2025) == "basically_competent"  # Q3, not Q1
    assert ctx.year_grade("c1", 2024) == "competent"
    assert ctx.year_grade("c1", 2023) is None
    assert ctx.year_grade("c2", 2025) == "excellent"  # a yearly grade
    assert ctx.year_grade("c1", 2026) == "competent"  # so far: Q2


def test_a_yearly_period_comes_before_the_next_years_quarters() -> None:
    assert Period(2025) < Period(2026, 1) < Period(2026, 2) < Period(2027)
    assert Period.of(2026, None) == Period(2026, 0)
    assert (str(Period(2026)), str(Period(2026, 2))) == ("2026", "2026 Q2")


# low_satisfaction_action and team_action_when_any_below on a score withheld for ballot
# secrecy: the action is what the score decides; the figure is printed as withheld.


@mechanism("scores_given", stage="score")
def scores_given(ctx: RuleContext) -> None:
    """Stand for a score stage (the tests set the scores through the context)."""


def withheld_scores(*scores: Fraction) -> Run:
    """Cadres c1, c2, … with these scores, all withheld; the organization not evaluated."""
    run = Run.of(session_document(cadres=len(scores)))
    run.apply(organization_not_evaluated, "eligibility.organization")
    scorer = run.context(scores_given)
    for index, score in enumerate(scores, 1):
        scorer.score(f"c{index}", score, Text(zh="得分", en="s"), withheld=True)
    return run


LINE: dict[str, Any] = {
    "measure": "score",
    "below": Fraction(3, 5),
    "satisfied": ("satisfied", "basically_satisfied"),
}


def test_a_withheld_score_below_the_line_brings_the_action_without_its_figure() -> None:
    """c1 at 11/20 < 3/5: interview; c2 at exactly 3/5: none; neither figure printed."""
    run = withheld_scores(Fraction(11, 20), Fraction(3, 5))
    run.apply(low_satisfaction_action, "sanction.low", action="interview", **LINE)
    first, second = run.entry("sanction.low", "c1"), run.entry("sanction.low", "c2")
    assert (first.result, second.result) == ("interview", None)
    assert dict(first.inputs) == {"measure": "score", "satisfaction": "withheld"}
    assert first.message.en == "干部1 (c1): satisfaction withheld below 3/5: interview"
    assert second.message.zh == "干部2(c2)满意率不公开,不低于3/5"
    run.apply(team_action_when_any_below, "team", action="team_interview", **LINE)
    assert run.entry("team", "organization").result == "team_interview"
    assert dict(run.entry("team", "organization").inputs) == {"below": ["c1"]}
