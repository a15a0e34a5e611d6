"""Quotas: at most a share of the cadres may be given the top grade.

Source: 鄢陵 (of those not rated incompetent, at most 15% are rated 优秀). When the last
place within the quota is tied with the first place outside it, nobody with that rate
gets the top grade and a warning says so.
"""

from __future__ import annotations

import math
from fractions import Fraction

from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext, exact
from zhiping.rules._mechanism import mechanism

__all__ = ["top_share_quota"]


@mechanism(
    "top_share_quota",
    stage="quota",
    parameters={
        "share": param.fraction(),
        "grade": param.grade(),
        "excluded": param.grade(),
        "satisfied": param.ballot_words(),
    },
    severity="warning",
)
def top_share_quota(ctx: RuleContext) -> None:
    """Give ``grade`` to the first ⌊``share`` × cadres not ``excluded``⌋ cadres by rate.

    Cadres are ranked by the share of valid votes for the ``satisfied`` words, highest
    first. If the last one within the quota has the same rate as the first one outside
    it, every cadre with that rate keeps their grade, with a ``quota.tie`` warning.
    """
    share, share_used = ctx.parameter("share", Fraction)
    grade, grade_used = ctx.parameter("grade", str)
    excluded, excluded_used = ctx.parameter("excluded", str)
    satisfied, satisfied_used = ctx.parameter("satisfied", tuple)
    used = [share_used, grade_used, excluded_used, satisfied_used]
    rates = {}
    for cadre in ctx.session.cadres:
        current = ctx.grade_of(cadre.id)
        rate = ctx.tally_of(cadre.id).share(*satisfied)
        if current is not None and current != excluded and rate is not None:
            rates[cadre.id] = rate
    quota = math.floor(share * len(rates))
    ranked = sorted(rates, key=lambda c: rates[c], reverse=True)
    tied_rate = None
    if 0 < quota < len(ranked) and rates[ranked[quota - 1]] == rates[ranked[quota]]:
        tied_rate = rates[ranked[quota]]
    chosen = [c for c in ranked[:quota] if rates[c] != tied_rate]
    facts = {
        "candidates": len(rates),
        "quota": quota,
        "ranking": [[c, exact(rates[c])] for c in ranked],
        "chosen": chosen,
    }
    named = ctx.name_of(grade)
    if tied_rate is not None:
        tied = [c for c in ranked if rates[c] == tied_rate]
        ctx.find(
            Text(
                zh=f"名额{quota}个,满意率{exact(tied_rate)}并列者({'、'.join(tied)})均不评为"
                f"{ctx.name_of(grade).zh}",
                en=f"{quota} places; the cadres tied at rate {exact(tied_rate)} "
                f"({', '.join(tied)}) keep their grade",
            ),
            rule="quota.tie",
            facts={**facts, "tied": tied},
        )
    ctx.explain(
        Text(
            zh=f"{len(rates)}人中评为{named.zh}的名额为{quota},评定{len(chosen)}人",
            en=f"{quota} of {len(rates)} cadres may be {named.en}; {len(chosen)} given it",
        ),
        inputs=facts,
        parameters=used,
        fulfilled=tied_rate is None,
        result=", ".join(chosen) or None,
    )
    for rank, cadre_id in enumerate(chosen, 1):
        label = ctx.label(cadre_id)
        ctx.grade(
            cadre_id,
            grade,
            Text(
                zh=f"{label.zh}满意率{exact(rates[cadre_id])},名列第{rank},评为{ctx.name_of(grade).zh}",
                en=f"{label.en}: rate {exact(rates[cadre_id])}, ranked {rank} of {quota} "
                f"places: {ctx.name_of(grade).en}",
            ),
            inputs={"rank": rank, "rate": exact(rates[cadre_id]), "quota": quota},
            parameters=used,
        )
