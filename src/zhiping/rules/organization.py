"""Consequences for the village party organization of its own grade.

Source: Xinzhou, 一(四): the evaluation identifies weak and lax party organizations
(评出软弱涣散基层党组织), which are then rectified.
"""

from __future__ import annotations

from zhiping.glossary import ORGANIZATION, Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism
from zhiping.rules.sanctions import SatisfactionLine

__all__ = ["organization_grade_action", "team_action_when_any_below"]


@mechanism(
    "organization_grade_action",
    stage="organization",
    parameters={"grade": param.grade(), "action": param.action()},
)
def organization_grade_action(ctx: RuleContext) -> None:
    """The organization graded ``grade`` gets ``action``."""
    grade, grade_used = ctx.parameter("grade", str)
    action, action_used = ctx.parameter("action", str)
    current = ctx.grade_of(ORGANIZATION)
    if current is None:
        return
    fulfilled = current == grade
    graded, consequence = ctx.name_of(current), ctx.name_of(action)
    ctx.act(
        ORGANIZATION,
        action,
        Text(
            zh=f"村级党组织评定为{graded.zh}" + (f",予以{consequence.zh}" if fulfilled else ""),
            en=f"the party organization is graded {graded.en}"
            + (f": {consequence.en}" if fulfilled else ""),
        ),
        when=fulfilled,
        inputs={"grade": current},
        parameters=[grade_used, action_used],
    )


@mechanism(
    "team_action_when_any_below",
    stage="organization",
    parameters={
        "measure": param.one_of("rate", "score"),
        "below": param.fraction(at_most=None),
        "satisfied": param.ballot_words(),
        "action": param.action(),
    },
)
def team_action_when_any_below(ctx: RuleContext) -> None:
    """The organization gets ``action`` once when any cadre's satisfaction is below ``below``.

    Source: 西充: below 60% brings an individual interview and a team interview (班子集体约谈)
    by the town's discipline committee. ``measure`` as for ``low_satisfaction_action``.
    """
    line = SatisfactionLine.of(ctx)
    below, action = line.below, line.action
    low = []
    for cadre in ctx.session.cadres:
        if not ctx.is_eligible(cadre.id):
            continue
        value = line.satisfaction(ctx, cadre.id)
        if value is not None and value < below:
            low.append(cadre.id)
    consequence = ctx.name_of(action)
    ctx.act(
        ORGANIZATION,
        action,
        Text(
            zh=f"满意率低于{below}的干部:{'、'.join(low) or '无'}"
            + (f";班子{consequence.zh}" if low else ""),
            en=f"cadres below {below}: {', '.join(low) or 'none'}"
            + (f"; the team: {consequence.en}" if low else ""),
        ),
        when=bool(low),
        inputs={"below": low},
        parameters=line.used,
    )
