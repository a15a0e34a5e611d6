"""Eligibility: which subjects a pack evaluates at all.

Sources: 泰州 evaluates only cadres in office more than half a year; the statute
(村民委员会组织法 art. 33) evaluates the members of the villagers' committee; some
towns do not grade the party organization (variants.md).
"""

from __future__ import annotations

from dateutil.relativedelta import relativedelta

from zhiping.glossary import ORGANIZATION, Text, names_of
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["eligible_posts", "organization_not_evaluated", "tenure_eligibility"]


@mechanism(
    "tenure_eligibility",
    stage="eligibility",
    parameters={"months": param.integer(at_least=0)},
    severity="info",
)
def tenure_eligibility(ctx: RuleContext) -> None:
    """A cadre is evaluated only if ``in_office_since`` + ``months`` is before the session.

    Months are added on the calendar; a day past the month's end is the month's last day
    (31 August + 6 months is 28 or 29 February).
    """
    months, used = ctx.parameter("months", int)
    held_on = ctx.session.held_on
    for cadre in ctx.session.cadres:
        qualifies_on = cadre.in_office_since + relativedelta(months=+months)
        eligible = qualifies_on < held_on
        label = ctx.label(cadre.id)
        message = (
            Text(
                zh=f"{label.zh}任职已满{months}个月,参加评议",
                en=f"{label.en} has held office over {months} months: evaluated",
            )
            if eligible
            else Text(
                zh=f"{label.zh}自{cadre.in_office_since}任职,至{held_on}未满{months}个月,不参加评议",
                en=f"{label.en} in office since {cadre.in_office_since}, not over {months} "
                f"months by {held_on}: not evaluated",
            )
        )
        facts = {
            "in_office_since": cadre.in_office_since.isoformat(),
            "qualifies_after": qualifies_on.isoformat(),
            "held_on": held_on.isoformat(),
        }
        ctx.admit(cadre.id, eligible, message, facts=facts, parameters=[used])


@mechanism(
    "eligible_posts", stage="eligibility", parameters={"posts": param.posts()}, severity="info"
)
def eligible_posts(ctx: RuleContext) -> None:
    """A cadre is evaluated only if they hold one of ``posts``."""
    posts, used = ctx.parameter("posts", tuple)
    for cadre in ctx.session.cadres:
        held = [post for post in cadre.posts if post in posts]
        label = ctx.label(cadre.id)
        message = (
            Text(
                zh=f"{label.zh}任{names_of(held).zh},参加评议",
                en=f"{label.en} holds {names_of(held).en}: evaluated",
            )
            if held
            else Text(
                zh=f"{label.zh}所任{names_of(cadre.posts).zh}不在评议范围,不参加评议",
                en=f"{label.en} holds no post evaluated here ({names_of(cadre.posts).en})",
            )
        )
        ctx.admit(
            cadre.id, bool(held), message, facts={"posts": list(cadre.posts)}, parameters=[used]
        )


@mechanism("organization_not_evaluated", stage="eligibility")
def organization_not_evaluated(ctx: RuleContext) -> None:
    """The party organization is not evaluated as a body."""
    ctx.admit(
        ORGANIZATION,
        False,
        Text(
            zh="本地不对村级党组织整体评定等次",
            en="the party organization is not graded as a body here",
        ),
        finding=False,
    )
