"""Inquiries and commitments: a question not answered on site needs a dated promise,
and a promise past its date and not kept is reported.

Source: Xinzhou, 二(一) 三是: every evaluator may question the organization and each
cadre (质询); inquiry is the core step of the session.
"""

from __future__ import annotations

from zhiping.glossary import Text
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["commitment_required", "overdue_commitments"]


@mechanism("commitment_required", stage="inquiries", severity="warning")
def commitment_required(ctx: RuleContext) -> None:
    """An inquiry not answered on site has a commitment with a due date."""
    missing = 0
    for inquiry in ctx.session.inquiries:
        if inquiry.answered == "on_site":
            continue
        if inquiry.commitment is not None and inquiry.commitment.due is not None:
            continue
        missing += 1
        ctx.find(
            Text(
                zh=f"质询{inquiry.id}(“{inquiry.topic}”)未当场答复,也没有限期整改承诺",
                en=f"inquiry {inquiry.id} ('{inquiry.topic}') was not answered on site "
                "and has no commitment with a due date",
            ),
            subject=inquiry.to,
            facts={"inquiry": inquiry.id, "to": inquiry.to, "answered": inquiry.answered},
        )
    ctx.explain(
        Text(
            zh=f"质询{len(ctx.session.inquiries)}项,缺少限期承诺{missing}项",
            en=f"{len(ctx.session.inquiries)} inquiries, {missing} without a dated commitment",
        ),
        inputs={"inquiries": len(ctx.session.inquiries), "without_commitment": missing},
        fulfilled=missing == 0,
    )


@mechanism("overdue_commitments", stage="inquiries", severity="warning")
def overdue_commitments(ctx: RuleContext) -> None:
    """A carried commitment due before the session and not fulfilled by then is overdue."""
    held_on = ctx.session.held_on
    overdue = 0
    for carried in ctx.session.carried_commitments:
        kept = carried.fulfilled_on is not None and carried.fulfilled_on <= held_on
        if carried.due >= held_on or kept:
            continue
        overdue += 1
        ctx.find(
            Text(
                zh=f"{carried.year}年对{carried.to}的承诺“{carried.text}”"
                f"应于{carried.due}前兑现,至今未兑现",
                en=f"the {carried.year} commitment of {carried.to}, '{carried.text}', "
                f"was due on {carried.due} and is not fulfilled",
            ),
            subject=carried.to,
            facts={"to": carried.to, "year": carried.year, "due": carried.due.isoformat()},
        )
    ctx.explain(
        Text(
            zh=f"往年承诺{len(ctx.session.carried_commitments)}项,逾期未兑现{overdue}项",
            en=f"{len(ctx.session.carried_commitments)} carried commitments, {overdue} overdue",
        ),
        inputs={"carried": len(ctx.session.carried_commitments), "overdue": overdue},
        fulfilled=overdue == 0,
    )
