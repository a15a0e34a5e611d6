"""Sanctions for a grade repeated over consecutive years.

Source: Xinzhou, 一(二): a cadre rated incompetent two years running is
organizationally adjusted (对连续两年被评为不称职的进行组织调整). Only valid
sessions enter the history, and a year without a grade breaks the streak; so does a
year that ended before the cadre took office.
"""

from __future__ import annotations

from datetime import date

from zhiping.glossary import Text, name_of
from zhiping.rules._mechanism import RuleContext, mechanism

__all__ = ["consecutive_grade"]


@mechanism(
    "consecutive_grade",
    stage="sanctions",
    parameters={"grade": "text", "years": "integer", "action": "text"},
)
def consecutive_grade(ctx: RuleContext) -> None:
    """A cadre graded ``grade`` this year and each of the ``years − 1`` before gets ``action``."""
    grade, grade_used = ctx.parameter("grade", str)
    years, years_used = ctx.parameter("years", int)
    action, action_used = ctx.parameter("action", str)
    used = [grade_used, years_used, action_used]
    year = ctx.session.year
    for cadre in ctx.session.cadres:
        current = ctx.evaluation.grades.get(cadre.id)
        if current is None:
            continue
        # A grade of a work year that ended before the cadre took office belongs to
        # someone else who held the id: it never counts against this cadre.
        earlier = {
            str(year - back): ctx.evaluation.history.get((cadre.id, year - back))
            if cadre.in_office_since <= date(year - back, 12, 31)
            else None
            for back in range(1, years)
        }
        fulfilled = current == grade and all(g == grade for g in earlier.values())
        label = ctx.label(cadre.id)
        graded, consequence = name_of(grade), name_of(action)
        if fulfilled:
            ctx.act(cadre.id, action)
            message = Text(
                zh=f"{label.zh}连续{years}年评为{graded.zh},予以{consequence.zh}",
                en=f"{label.en} graded {graded.en} {years} years running: {consequence.en}",
            )
        else:
            message = Text(
                zh=f"{label.zh}未连续{years}年评为{graded.zh}",
                en=f"{label.en} not graded {graded.en} {years} years running",
            )
        ctx.explain(
            message,
            subject=cadre.id,
            inputs={
                "year": year,
                "grade": current,
                "earlier": earlier,
                "in_office_since": cadre.in_office_since.isoformat(),
            },
            parameters=used,
            fulfilled=fulfilled,
            result=action if fulfilled else None,
        )
