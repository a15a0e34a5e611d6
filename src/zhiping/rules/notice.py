"""Notice mechanisms: how far ahead, through which channels, with what contents, to whom.

Source: Xinzhou, 二(一) 二是: time, place and procedure published 3 days ahead
(提前3天) through the village board, party-member QQ/WeChat groups, telephone,
broadcast; the three 100% targets of people informed and households visited.
"""

from __future__ import annotations

from fractions import Fraction

from zhiping.glossary import Text, names_of
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["notice_channels", "notice_contents", "notice_period", "notice_reach", "quarter_given"]

_NO_NOTICE = Text(zh="会前没有发布通知", en="no notice was published before the session")


@mechanism("notice_period", stage="notice", parameters={"days": param.integer(at_least=0)})
def notice_period(ctx: RuleContext) -> None:
    """The notice is published at least ``days`` calendar days before the session."""
    required, used = ctx.parameter("days", int)
    notice = ctx.session.notice
    if notice is None:
        ctx.check(
            False,
            _NO_NOTICE,
            facts={"required": required},
            inputs={},
            parameters=[used],
            result="no notice",
        )
        return
    days = (ctx.session.held_on - notice.published_on).days
    facts = {
        "published_on": notice.published_on.isoformat(),
        "held_on": ctx.session.held_on.isoformat(),
        "days": days,
        "required": required,
    }
    message = Text(
        zh=f"通知提前{days}天发布,规定至少提前{required}天",
        en=f"notice published {days} days ahead; at least {required} required",
    )
    ctx.check(days >= required, message, facts=facts, parameters=[used], result=str(days))


@mechanism("notice_channels", stage="notice", parameters={"channels": param.texts()})
def notice_channels(ctx: RuleContext) -> None:
    """The notice goes out through at least one of the accepted ``channels``."""
    accepted, used = ctx.parameter("channels", tuple)
    notice = ctx.session.notice
    if notice is None:
        ctx.check(False, _NO_NOTICE, parameters=[used])
        return
    through = [channel for channel in notice.channels if channel in accepted]
    fulfilled = bool(through)
    facts = {"channels": list(notice.channels), "accepted": list(accepted)}
    used_channels, given = names_of(through), names_of(notice.channels)
    message = (
        Text(zh=f"通知渠道:{used_channels.zh}", en=f"notice channels: {used_channels.en}")
        if fulfilled
        else Text(
            zh=f"通知渠道{given.zh}均不在认可渠道之内",
            en=f"none of the notice channels ({given.en}) is an accepted one",
        )
    )
    ctx.check(fulfilled, message, facts=facts, parameters=[used])


@mechanism("notice_contents", stage="notice", parameters={"required": param.texts()})
def notice_contents(ctx: RuleContext) -> None:
    """The notice states every item of ``required`` (time, place, procedure)."""
    required, used = ctx.parameter("required", tuple)
    notice = ctx.session.notice
    if notice is None:
        ctx.check(False, _NO_NOTICE, parameters=[used])
        return
    missing = [item for item in required if item not in notice.covers]
    facts = {"covers": list(notice.covers), "missing": missing}
    message = (
        Text(
            zh=f"通知未载明:{'、'.join(missing)}",
            en=f"the notice does not state: {', '.join(missing)}",
        )
        if missing
        else Text(
            zh="通知载明了时间、地点和程序等全部事项", en="the notice states every required item"
        )
    )
    ctx.check(not missing, message, facts=facts, parameters=[used])


@mechanism(
    "notice_reach", stage="notice", parameters={"share": param.fraction()}, severity="warning"
)
def notice_reach(ctx: RuleContext) -> None:
    """Households informed and households visited each reach ``share`` of all households."""
    share, used = ctx.parameter("share", Fraction)
    reach = ctx.session.reach
    if reach is None:
        ctx.explain(
            Text(zh="文件未报告知晓和入户情况,不作检查", en="no reach reported; nothing to check"),
            parameters=[used],
        )
        return
    households = ctx.session.roster.households
    short = {
        measure: count
        for measure, count in (
            ("households_informed", reach.households_informed),
            ("households_visited", reach.households_visited),
        )
        if count * share.denominator < households * share.numerator
    }
    facts = {
        "households": households,
        "households_informed": reach.households_informed,
        "households_visited": reach.households_visited,
        "share": str(share),
    }
    message = Text(
        zh=f"知晓{reach.households_informed}户、入户{reach.households_visited}户,"
        f"全村{households}户,目标{_percent(share)}",
        en=f"{reach.households_informed} households informed and {reach.households_visited} "
        f"visited of {households}; target {_percent(share)}",
    )
    ctx.check(
        not short, message, facts={**facts, "short": sorted(short)}, inputs=facts, parameters=[used]
    )


def _percent(share: Fraction) -> str:
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{float(percent):.1f}%"


@mechanism("quarter_given", stage="notice")
def quarter_given(ctx: RuleContext) -> None:
    """The session names the quarter it evaluates (for packs that evaluate each quarter)."""
    quarter = ctx.session.quarter
    message = (
        Text(zh=f"评议第{quarter}季度", en=f"the session evaluates quarter {quarter}")
        if quarter
        else Text(
            zh="按季度评议,但会议未注明季度", en="sessions are quarterly but no quarter is given"
        )
    )
    ctx.check(quarter is not None, message, facts={"quarter": quarter})
