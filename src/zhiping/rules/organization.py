"""Consequences for the village party organization of its own grade.

Source: Xinzhou, 一(四): the evaluation identifies weak and lax party organizations
(评出软弱涣散基层党组织), which are then rectified.
"""

from __future__ import annotations

from zhiping.glossary import ORGANIZATION, Text, name_of
from zhiping.rules._mechanism import RuleContext, mechanism

__all__ = ["organization_grade_action"]


@mechanism(
    "organization_grade_action",
    stage="organization",
    parameters={"grade": "text", "action": "text"},
)
def organization_grade_action(ctx: RuleContext) -> None:
    """The organization graded ``grade`` gets ``action``."""
    grade, grade_used = ctx.parameter("grade", str)
    action, action_used = ctx.parameter("action", str)
    current = ctx.evaluation.grades.get(ORGANIZATION)
    if current is None:
        return
    fulfilled = current == grade
    if fulfilled:
        ctx.act(ORGANIZATION, action)
    graded, consequence = name_of(current), name_of(action)
    ctx.explain(
        Text(
            zh=f"村级党组织评定为{graded.zh}" + (f",予以{consequence.zh}" if fulfilled else ""),
            en=f"the party organization is graded {graded.en}"
            + (f": {consequence.en}" if fulfilled else ""),
        ),
        subject=ORGANIZATION,
        inputs={"grade": current},
        parameters=[grade_used, action_used],
        fulfilled=fulfilled,
        result=action if fulfilled else None,
    )
