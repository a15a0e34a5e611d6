"""Sanctions: for a grade repeated over consecutive years or evaluations, and for low
satisfaction whatever the grade.

Source: Xinzhou, 一(二): a cadre rated incompetent two years running is
organizationally adjusted (对连续两年被评为不称职的进行组织调整). Only valid
sessions enter the history, and a year without a grade breaks the streak; so does a
year that ended before the cadre took office. 村民委员会组织法 art. 33: a member
evaluated incompetent twice running leaves office, whatever the years. Where a pack
evaluates by quarter, a year's grade is its last recorded quarter's, and evaluations
are counted in order across quarters. 温江, 西充,
鄢陵: satisfaction below a line brings recall, interviews or dismissal.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import attrs

from zhiping.documents.values import ParameterUse
from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext, exact
from zhiping.rules._mechanism import mechanism

__all__ = [
    "SatisfactionLine",
    "consecutive_evaluations",
    "consecutive_grade",
    "low_satisfaction_action",
]


@mechanism(
    "consecutive_grade",
    stage="sanctions",
    parameters={
        "grade": param.grade(),
        "years": param.integer(at_least=1),
        "action": param.action(),
    },
)
def consecutive_grade(ctx: RuleContext) -> None:
    """A cadre graded ``grade`` this year and each of the ``years − 1`` before gets ``action``.

    A year's grade is its yearly grade or, where a pack evaluates by quarter, the
    grade of its last recorded quarter; this year's is this session's grade.
    """
    grade, grade_used = ctx.parameter("grade", str)
    years, years_used = ctx.parameter("years", int)
    action, action_used = ctx.parameter("action", str)
    used = [grade_used, years_used, action_used]
    year = ctx.session.year
    for cadre in ctx.session.cadres:
        current = ctx.grade_of(cadre.id)
        if current is None:
            continue
        # A grade of a work year that ended before the cadre took office belongs to
        # someone else who held the id: it never counts against this cadre.
        earlier = {
            str(year - back): ctx.year_grade(cadre.id, year - back)
            if cadre.in_office_since <= date(year - back, 12, 31)
            else None
            for back in range(1, years)
        }
        fulfilled = current == grade and all(g == grade for g in earlier.values())
        label = ctx.label(cadre.id)
        graded, consequence = ctx.name_of(grade), ctx.name_of(action)
        if years == 1:  # the grade alone brings the action
            message = Text(
                zh=f"{label.zh}评为{graded.zh},予以{consequence.zh}",
                en=f"{label.en} graded {graded.en}: {consequence.en}",
            )
            if not fulfilled:
                message = Text(
                    zh=f"{label.zh}未评为{graded.zh}", en=f"{label.en} not graded {graded.en}"
                )
        elif fulfilled:
            message = Text(
                zh=f"{label.zh}连续{years}年评为{graded.zh},予以{consequence.zh}",
                en=f"{label.en} graded {graded.en} {years} years running: {consequence.en}",
            )
        else:
            message = Text(
                zh=f"{label.zh}未连续{years}年评为{graded.zh}",
                en=f"{label.en} not graded {graded.en} {years} years running",
            )
        ctx.act(
            cadre.id,
            action,
            message,
            when=fulfilled,
            inputs={
                "year": year,
                "grade": current,
                "earlier": earlier,
                "in_office_since": cadre.in_office_since.isoformat(),
            },
            parameters=used,
        )


@mechanism(
    "consecutive_evaluations",
    stage="sanctions",
    parameters={"grade": param.grade(), "action": param.action()},
)
def consecutive_evaluations(ctx: RuleContext) -> None:
    """A cadre graded ``grade`` now and at their latest earlier evaluation gets ``action``.

    Whatever year or quarter the earlier evaluation was in: the statute counts
    evaluations, not years (连续两次被评议不称职的,其职务终止).
    """
    grade, grade_used = ctx.parameter("grade", str)
    action, action_used = ctx.parameter("action", str)
    for cadre in ctx.session.cadres:
        current = ctx.grade_of(cadre.id)
        if current is None:
            continue
        found = ctx.previous_evaluation(cadre.id)
        period, previous = found if found is not None else (None, None)
        fulfilled = current == grade and previous == grade
        label, graded, consequence = ctx.label(cadre.id), ctx.name_of(grade), ctx.name_of(action)
        if fulfilled:
            message = Text(
                zh=f"{label.zh}连续两次评议为{graded.zh},{consequence.zh}",
                en=f"{label.en} evaluated {graded.en} twice running: {consequence.en}",
            )
        else:
            message = Text(
                zh=f"{label.zh}未连续两次评议为{graded.zh}",
                en=f"{label.en} not evaluated {graded.en} twice running",
            )
        ctx.act(
            cadre.id,
            action,
            message,
            when=fulfilled,
            inputs={
                "grade": current,
                "previous_year": period.year if period else None,
                **({"previous_quarter": period.quarter} if period and period.quarter else {}),
                "previous_grade": previous,
            },
            parameters=[grade_used, action_used],
        )


@mechanism(
    "low_satisfaction_action",
    stage="sanctions",
    parameters={
        "measure": param.one_of("rate", "score"),
        "below": param.fraction(at_most=None),
        "satisfied": param.ballot_words(),
        "action": param.action(),
    },
)
def low_satisfaction_action(ctx: RuleContext) -> None:
    """A cadre whose satisfaction is below ``below`` gets ``action``, whatever the grade.

    ``measure`` is ``rate`` (the share of valid votes for the ``satisfied`` words) or
    ``score`` (the score stage's result, e.g. a weighted satisfaction); a withheld score
    acts as any other and is printed as withheld.
    """
    line = SatisfactionLine.of(ctx)
    measure, below, action = line.measure, line.below, line.action
    for cadre in ctx.session.cadres:
        if not ctx.is_eligible(cadre.id):
            continue
        value = line.satisfaction(ctx, cadre.id)
        if value is None:
            continue
        fulfilled = value < below
        label, consequence = ctx.label(cadre.id), ctx.name_of(action)
        shown = line.shown(ctx, cadre.id, value)
        if fulfilled:
            message = Text(
                zh=f"{label.zh}满意率{shown.zh},低于{below}:{consequence.zh}",
                en=f"{label.en}: satisfaction {shown.en} below {below}: {consequence.en}",
            )
        else:
            message = Text(
                zh=f"{label.zh}满意率{shown.zh},不低于{below}",
                en=f"{label.en}: satisfaction {shown.en}, not below {below}",
            )
        ctx.act(
            cadre.id,
            action,
            message,
            when=fulfilled,
            inputs={"measure": measure, "satisfaction": shown.en},
            parameters=line.used,
        )


@attrs.frozen
class SatisfactionLine:
    """The parameters of a rule acting on low satisfaction: what, below which line, then what.

    Attributes:
        measure: ``rate`` (the share of valid votes for the ``satisfied`` words) or
            ``score`` (the score stage's result).
        below: the line.
        satisfied: the ballot words counted as satisfied.
        action: the consequence.
        used: the four parameter values, for the trace.
    """

    measure: str
    below: Fraction
    satisfied: tuple[str, ...]
    action: str
    used: tuple[ParameterUse, ...]

    @classmethod
    def of(cls, ctx: RuleContext) -> SatisfactionLine:
        """Read the rule's ``measure``, ``below``, ``satisfied`` and ``action``."""
        measure, measure_used = ctx.parameter("measure", str)
        below, below_used = ctx.parameter("below", Fraction)
        satisfied, satisfied_used = ctx.parameter("satisfied", tuple)
        action, action_used = ctx.parameter("action", str)
        return cls(
            measure,
            below,
            satisfied,
            action,
            (measure_used, below_used, satisfied_used, action_used),
        )

    def shown(self, ctx: RuleContext, subject: str, value: Fraction) -> Text:
        """Return a subject's satisfaction as the outcome may print it.

        A rate is the tally's, published anyway; a score the score rule withheld
        (ballot secrecy) is printed as withheld.
        """
        if self.measure == "score":
            return ctx.shown_score(subject)
        return Text(zh=exact(value), en=exact(value))

    def satisfaction(self, ctx: RuleContext, subject: str) -> Fraction | None:
        """Return a subject's satisfaction by the measure, if it has one.

        Raises:
            PackError: the measure is neither ``rate`` nor ``score``, or ``score``
                without a score stage.
        """
        if self.measure == "rate":
            return ctx.tally_of(subject).share(*self.satisfied)
        if self.measure == "score":
            return ctx.score_of(subject)
        raise PackError(
            f"rule {ctx.rule.id}: measure must be rate or score, not {self.measure!r}",
            zh=f"规则 {ctx.rule.id}:measure 应为 rate 或 score,而不是 {self.measure!r}",
        )
