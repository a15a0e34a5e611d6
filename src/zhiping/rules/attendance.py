"""Attendance mechanisms: which claimed capacities count, and who is an evaluator.

Source: Xinzhou, 二(一) 二是: evaluators are in principle all party members and
village representatives, and invited mass organizations, resident enterprises, the work
team, the paired department and the "two deputies and one member".
"""

from __future__ import annotations

from typing import cast

from zhiping.errors import PackError
from zhiping.glossary import CAPACITIES, Capacity, Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["evaluator_capacities", "invitee_kinds", "roster_backing"]

_ROSTERED: dict[Capacity, str] = {
    "party_member": "party_members",
    "representative": "representatives",
}
_NAMES = {
    "party_member": Text(zh="党员", en="party member"),
    "representative": Text(zh="村民代表", en="representative"),
}


@mechanism("roster_backing", stage="attendance", severity="warning")
def roster_backing(ctx: RuleContext) -> None:
    """A party-member or representative capacity counts only if the roster lists the person."""
    roster = ctx.session.roster
    listed = {capacity: frozenset(getattr(roster, field)) for capacity, field in _ROSTERED.items()}
    ignored = 0
    for entry in ctx.session.attendance:
        person = entry.person
        held = ctx.capacities(person)
        for capacity in _ROSTERED:
            if capacity in held and person not in listed[capacity]:
                ignored += 1
                ctx.disregard(
                    person,
                    capacity,
                    Text(
                        zh=f"{person}以{_NAMES[capacity].zh}身份签到,但不在名册上,不计入",
                        en=f"{person} signed in as a {_NAMES[capacity].en} but is not on "
                        "the roster; not counted as one",
                    ),
                    facts={"person": person, "capacity": capacity},
                )
    ctx.explain(
        Text(zh=f"核对名册:{ignored}项身份不予计入", en=f"roster check: {ignored} claims ignored"),
        inputs={"present": len(ctx.session.attendance), "ignored": ignored},
        fulfilled=ignored == 0,
    )


@mechanism(
    "invitee_kinds", stage="attendance", parameters={"kinds": param.texts()}, severity="warning"
)
def invitee_kinds(ctx: RuleContext) -> None:
    """An invitee counts only if their ``invitee_kind`` is one of the recognised ``kinds``."""
    kinds, used = ctx.parameter("kinds", tuple)
    ignored = 0
    for entry in ctx.session.attendance:
        if "invitee" not in entry.as_ or entry.invitee_kind in kinds:
            continue
        ignored += 1
        kind = entry.invitee_kind or "—"
        ctx.disregard(
            entry.person,
            "invitee",
            Text(
                zh=f"受邀人员{entry.person}的类别({kind})不在认可之列,不计为参评人员",
                en=f"invitee {entry.person} has no recognised kind ({kind}); "
                "not counted as an evaluator",
            ),
            facts={"person": entry.person, "invitee_kind": entry.invitee_kind},
        )
    invitees = len(ctx.present("invitee"))
    ctx.explain(
        Text(
            zh=f"计入受邀人员{invitees}人,不予计入{ignored}人",
            en=f"{invitees} invitees counted, {ignored} not",
        ),
        inputs={"invitees_counted": invitees, "ignored": ignored},
        parameters=[used],
        fulfilled=ignored == 0,
    )


@mechanism(
    "evaluator_capacities", stage="attendance", parameters={"capacities": param.capacities()}
)
def evaluator_capacities(ctx: RuleContext) -> None:
    """A person present in any of the ``capacities`` is an evaluator (counted once)."""
    capacities, used = ctx.parameter("capacities", tuple)
    unknown = [c for c in capacities if c not in CAPACITIES]
    if unknown:
        raise PackError(
            f"pack {used.pack}: {used.name}: unknown capacities {unknown}",
            zh=f"规则包 {used.pack}:{used.name}:未知的身份 {unknown}",
        )
    ctx.count_evaluators(cast(tuple[Capacity, ...], capacities), parameters=[used])
