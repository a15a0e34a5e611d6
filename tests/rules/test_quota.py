"""The top-share quota (``top_share_quota``), applied after a tally and a grading.

From the mechanism's docstring and ``reference/variants.md`` (鄢陵: of the cadres not
rated incompetent, at most 15% are rated excellent): q = ⌊share × m⌋ with m the cadres
graded and not ``excluded``; they are ranked by r, the share of valid votes for the
``satisfied`` words, highest first; the first q get ``grade``. If the q-th and the
(q+1)-th have the same r, nobody with that r gets it and a ``quota.tie`` warning says so.

Each test's cadres have 20 ballots; the grading before the quota is Yanling's:
``incompetent`` if 2(s + b) < n, else ``competent``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from rule_runs import Run

from zhiping.documents.values import ShareCondition
from zhiping.rules.grading import share_thresholds
from zhiping.rules.quota import top_share_quota
from zhiping.rules.tally import tally_marks
from zhiping.testing import counted, session_document

SCALE = ("satisfied", "basically_satisfied", "dissatisfied")
SATISFIED = ("satisfied", "basically_satisfied")
BALLOTS = 20
YANLING_GRADING = (ShareCondition("incompetent", SATISFIED, "less_than", Fraction(1, 2)),)


def quota(*satisfied: int | None, share: Fraction = Fraction(15, 100)) -> Run:
    """Apply the quota to cadres c1, c2, … with these satisfied votes of 20 (None: no votes)."""
    counts = {"organization": counted(satisfied=BALLOTS)}
    for index, s in enumerate(satisfied, 1):
        counts[f"c{index}"] = (
            counted(abstain=BALLOTS)
            if s is None
            else counted(satisfied=s, dissatisfied=BALLOTS - s)
        )
    run = Run.of(session_document(cadres=len(satisfied), counts=counts))
    run.apply(tally_marks, "ballots.tally", scale=SCALE, abstentions=("unknown",))
    run.apply(
        share_thresholds,
        "grade.thresholds",
        severity="warning",
        conditions=YANLING_GRADING,
        otherwise="competent",
    )
    return run.apply(
        top_share_quota,
        "grade.quota",
        severity="warning",
        share=share,
        grade="excellent",
        excluded="incompetent",
        satisfied=SATISFIED,
    )


def excellent(run: Run) -> list[str]:
    return [s for s, grade in run.evaluation.grades.items() if grade == "excellent"]


def summary(run: Run) -> dict[str, object]:
    return dict(run.entry("grade.quota").inputs)


@pytest.mark.parametrize(
    ("cadres", "places"),
    [
        (6, 0),  # 15% × 6 = 0.9
        (7, 1),  # 1.05
        (13, 1),  # 1.95
        (14, 2),  # 2.1
    ],
)
def test_the_quota_is_the_share_of_the_candidates_rounded_down(cadres: int, places: int) -> None:
    """Rates 20/20, 19/20, … down to 10/20 (then 10/20 again): the first ``places`` win."""
    rates = [max(s, 10) for s in range(20, 20 - cadres, -1)]
    run = quota(*rates)
    assert summary(run)["candidates"] == cadres
    assert summary(run)["quota"] == places
    assert excellent(run) == [f"c{i}" for i in range(1, places + 1)]


def test_cadres_are_ranked_by_rate_whatever_their_order() -> None:
    """Seven cadres; c5 has the highest rate (19/20) and is the one place."""
    run = quota(12, 15, 11, 14, 19, 13, 10)
    assert excellent(run) == ["c5"]
    assert summary(run)["ranking"] == [
        ["c5", "0.95"],
        ["c2", "0.75"],
        ["c4", "0.7"],
        ["c6", "0.65"],
        ["c1", "0.6"],
        ["c3", "0.55"],
        ["c7", "0.5"],
    ]
    assert run.evaluation.grades["c2"] == "competent"


def test_incompetent_cadres_are_not_candidates_and_do_not_count_toward_the_quota() -> None:
    """Seven cadres, one below half (9/20, incompetent): m = 6, so no place; at 10/20 m = 7."""
    below = quota(20, 19, 18, 17, 16, 15, 9)
    assert below.evaluation.grades["c7"] == "incompetent"
    assert (summary(below)["candidates"], summary(below)["quota"]) == (6, 0)
    assert excellent(below) == []
    at_half = quota(20, 19, 18, 17, 16, 15, 10)
    assert (summary(at_half)["candidates"], summary(at_half)["quota"]) == (7, 1)
    assert excellent(at_half) == ["c1"]


def test_a_cadre_without_a_grade_is_not_a_candidate() -> None:
    """c8 has no valid votes, hence no grade: seven candidates, one place."""
    run = quota(20, 19, 18, 17, 16, 15, 14, None)
    assert run.evaluation.grades["c8"] is None
    assert summary(run)["candidates"] == 7
    assert excellent(run) == ["c1"]


def test_a_tie_across_the_last_place_gives_nobody_with_that_rate_the_grade() -> None:
    """Seven cadres, c1 and c2 both 19/20, one place: neither is excellent."""
    run = quota(19, 19, 18, 17, 16, 15, 14)
    assert excellent(run) == []
    (finding,) = run.findings
    assert (finding.rule, finding.severity) == ("quota.tie", "warning")
    assert finding.facts["tied"] == ["c1", "c2"]
    assert finding.facts["chosen"] == []
    entry = run.entry("grade.quota")
    assert (entry.fulfilled, entry.result) == (False, None)


def test_a_tie_across_the_last_place_keeps_the_places_above_it() -> None:
    """Fourteen cadres, two places; c1 20/20, c2 and c3 19/20: only c1 is excellent."""
    run = quota(20, 19, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10)
    assert excellent(run) == ["c1"]
    assert run.findings[0].facts["tied"] == ["c2", "c3"]


def test_a_tie_within_the_places_is_no_tie() -> None:
    """Fourteen cadres, two places; c1 and c2 both 20/20, c3 19/20: both excellent."""
    run = quota(20, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10)
    assert excellent(run) == ["c1", "c2"]
    assert run.findings == []
    assert run.entry("grade.quota").result == "c1, c2"


def test_a_tie_just_below_the_places_is_no_tie() -> None:
    """Seven cadres, one place; c1 20/20, c2 and c3 tied at 19/20 below it."""
    run = quota(20, 19, 19, 17, 16, 15, 14)
    assert excellent(run) == ["c1"]
    assert run.findings == []


def test_each_cadre_given_the_grade_has_an_entry_with_its_rank() -> None:
    run = quota(20, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10)
    first = run.entry("grade.quota", "c1")
    assert (first.result, first.fulfilled) == ("excellent", True)
    assert dict(first.inputs) == {"rank": 1, "rate": "1", "quota": 2}
    assert first.message.en == "干部1 (c1): rate 1, ranked 1 of 2 places: excellent"
    assert run.entry("grade.quota", "c2").inputs["rank"] == 2


def test_the_organization_is_never_a_candidate() -> None:
    run = quota(20, 19, 18, 17, 16, 15, 14)
    assert run.evaluation.grades["organization"] == "competent"
    assert summary(run)["candidates"] == 7
    assert [e.subject for e in run.trace if e.rule == "grade.quota"] == [None, "c1"]


def test_a_share_of_one_half_gives_half_the_places() -> None:
    """Five candidates, share 1/2: ⌊2.5⌋ = 2 places."""
    run = quota(20, 19, 18, 17, 16, share=Fraction(1, 2))
    assert excellent(run) == ["c1", "c2"]
