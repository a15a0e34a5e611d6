"""Quorum mechanisms: a share of a roster present, or a minimum headcount.

Source: Xinzhou, 二(一) 二是: party members present no fewer than 4/5 of all party
members (不得少于党员总数的五分之四), representatives no fewer than 30.
"""

from __future__ import annotations

from fractions import Fraction

from zhiping.documents.values import ParameterUse
from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["quorum_minimum", "quorum_share"]

_NAMES = {
    "party_member": Text(zh="党员", en="party members"),
    "representative": Text(zh="村民代表", en="representatives"),
    "villager": Text(zh="村民", en="villagers"),
    "invitee": Text(zh="受邀人员", en="invitees"),
    "evaluator": Text(zh="参评人员", en="evaluators"),
}


def _on_roster(ctx: RuleContext, capacity: str) -> int | None:
    roster = ctx.session.roster
    if capacity == "party_member":
        return len(roster.party_members)
    if capacity == "representative":
        return len(roster.representatives)
    if capacity == "villager":
        return roster.adult_villagers
    return None


def _present(ctx: RuleContext, capacity: str) -> int:
    if capacity == "evaluator":
        return len(ctx.evaluators())
    return len(ctx.present(capacity))  # type: ignore[arg-type]


def _unknown_capacity(used: ParameterUse, capacity: str) -> PackError:
    return PackError(
        f"pack {used.pack}: {used.name}: unknown capacity {capacity!r}",
        zh=f"规则包 {used.pack}:{used.name}:未知的身份 {capacity!r}",
    )


@mechanism(
    "quorum_share",
    stage="quorum",
    parameters={"capacity": param.capacity(), "share": param.fraction()},
)
def quorum_share(ctx: RuleContext) -> None:
    """At least ``share`` of the roster's ``capacity`` is present (and the roster is not empty)."""
    capacity, capacity_used = ctx.parameter("capacity", str)
    if capacity not in _NAMES:
        raise _unknown_capacity(capacity_used, capacity)
    share, share_used = ctx.parameter("share", Fraction)
    total = _on_roster(ctx, capacity)
    if total is None:
        raise PackError(
            f"pack {capacity_used.pack}: {capacity_used.name}: no roster counts {capacity!r}",
            zh=f"规则包 {capacity_used.pack}:{capacity_used.name}:名册不记录 {capacity!r} 的人数",
        )
    present = _present(ctx, capacity)
    fulfilled = total > 0 and present * share.denominator >= total * share.numerator
    name = _NAMES[capacity]
    facts = {"present": present, "on_roster": total, "share": str(share)}
    message = Text(
        zh=f"到会{name.zh}{present}人,名册{total}人,须不少于{share}",
        en=f"{present} of {total} {name.en} present; at least {share} required",
    )
    ctx.check(
        fulfilled,
        message,
        facts=facts,
        parameters=[capacity_used, share_used],
        result="met" if fulfilled else "not met",
    )


@mechanism(
    "quorum_minimum",
    stage="quorum",
    parameters={
        "capacity": param.capacity(also=("evaluator",)),
        "minimum": param.integer(at_least=1),
    },
)
def quorum_minimum(ctx: RuleContext) -> None:
    """At least ``minimum`` persons are present in ``capacity`` (``evaluator``: any counted one)."""
    capacity, capacity_used = ctx.parameter("capacity", str)
    if capacity not in _NAMES:
        raise _unknown_capacity(capacity_used, capacity)
    minimum, minimum_used = ctx.parameter("minimum", int)
    present = _present(ctx, capacity)
    fulfilled = present >= minimum
    name = _NAMES[capacity]
    facts = {"present": present, "minimum": minimum}
    message = Text(
        zh=f"到会{name.zh}{present}人,须不少于{minimum}人",
        en=f"{present} {name.en} present; at least {minimum} required",
    )
    ctx.check(
        fulfilled,
        message,
        facts=facts,
        parameters=[capacity_used, minimum_used],
        result="met" if fulfilled else "not met",
    )
