"""Grading by thresholds on shares of the valid votes, first condition that holds wins.

Xinzhou's text is cut before its thresholds; the ``xinzhou`` pack assumes them (DESIGN
§5): incompetent if 2d ≥ n, else basically competent if 3d > n, else excellent if
10s ≥ 9n, else competent. Other packs set other conditions with the same mechanism.
"""

from __future__ import annotations

from zhiping.errors import PackError
from zhiping.glossary import GRADES, Grade, Text, name_of
from zhiping.rules._mechanism import RuleContext, mechanism

__all__ = ["share_thresholds"]


@mechanism(
    "share_thresholds",
    stage="grade",
    parameters={"conditions": "conditions", "otherwise": "text"},
    severity="warning",
)
def share_thresholds(ctx: RuleContext) -> None:
    """Give the grade of the first of ``conditions`` that holds, else ``otherwise``."""
    conditions, conditions_used = ctx.parameter("conditions", tuple)
    otherwise, otherwise_used = ctx.parameter("otherwise", str)
    if otherwise not in GRADES:
        raise PackError(f"pack {otherwise_used.pack}: {otherwise_used.name}: not a grade")
    used = [conditions_used, otherwise_used]
    for subject, tally in ctx.evaluation.tallies.items():
        if not ctx.evaluation.eligible.get(subject, False):
            continue
        label = ctx.label(subject)
        n = tally.valid_votes
        if n == 0:
            ctx.evaluation.grades[subject] = None
            message = Text(
                zh=f"{label.zh}没有有效票,不评定等次", en=f"{label.en} has no valid votes; no grade"
            )
            ctx.find(
                message, subject=subject, rule="grade.no_valid_votes", facts={"valid_votes": 0}
            )
            ctx.explain(
                message, subject=subject, inputs=tally.to_json(), parameters=used, fulfilled=False
            )
            continue
        tested = []
        grade: Grade = otherwise
        for condition in conditions:
            count = tally.count(*condition.words)
            holds = condition.holds(count, n)
            tested.append({"condition": condition.describe(), "count": count, "holds": holds})
            if holds:
                grade = condition.grade
                break
        ctx.evaluation.grades[subject] = grade
        name = name_of(grade)
        ctx.explain(
            Text(zh=f"{label.zh}评定为{name.zh}", en=f"{label.en} graded {name.en}"),
            subject=subject,
            inputs={"valid_votes": n, **tally.to_json(), "conditions": tested},
            parameters=used,
            fulfilled=True,
            result=grade,
        )
