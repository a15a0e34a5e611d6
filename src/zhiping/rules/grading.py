"""Grading: by thresholds on shares of the valid votes, by bands of a score, by veto.

Xinzhou's text is cut before its thresholds; the ``xinzhou`` pack assumes them (DESIGN
§5): incompetent if 2d ≥ n, else basically competent if 3d > n, else excellent if
10s ≥ 9n, else competent. Other packs set other conditions with the same mechanism.
"""

from __future__ import annotations

from fractions import Fraction

from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["score_bands", "share_thresholds", "veto_grade"]


@mechanism(
    "share_thresholds",
    stage="grade",
    parameters={"conditions": param.share_conditions(), "otherwise": param.grade()},
    severity="warning",
)
def share_thresholds(ctx: RuleContext) -> None:
    """Give the grade of the first of ``conditions`` that holds, else ``otherwise``."""
    conditions, conditions_used = ctx.parameter("conditions", tuple)
    otherwise, otherwise_used = ctx.parameter("otherwise", str)
    used = [conditions_used, otherwise_used]
    for subject in ctx.evaluated():
        tally = ctx.tally_of(subject)
        label = ctx.label(subject)
        n = tally.valid_votes
        if n == 0:
            message = Text(
                zh=f"{label.zh}没有有效票,不评定等次", en=f"{label.en} has no valid votes; no grade"
            )
            ctx.find(
                message, subject=subject, rule="grade.no_valid_votes", facts={"valid_votes": 0}
            )
            ctx.grade(subject, None, message, inputs=tally.to_json(), parameters=used)
            continue
        tested = []
        grade: str = otherwise
        for condition in conditions:
            count = tally.count(*condition.words)
            holds = condition.holds(count, n)
            tested.append({"condition": condition.describe(), "count": count, "holds": holds})
            if holds:
                grade = condition.grade
                break
        name = ctx.name_of(grade)
        ctx.grade(
            subject,
            grade,
            Text(zh=f"{label.zh}评定为{name.zh}", en=f"{label.en} graded {name.en}"),
            inputs={"valid_votes": n, **tally.to_json(), "conditions": tested},
            parameters=used,
        )


@mechanism(
    "score_bands",
    stage="grade",
    parameters={"bands": param.bands(), "otherwise": param.grade()},
)
def score_bands(ctx: RuleContext) -> None:
    """Give the grade of the highest band whose minimum the score reaches, else ``otherwise``.

    ``bands`` maps a grade to the least score that earns it (``excellent = "90"``).
    A subject the score stage could not score gets no grade; a score the score stage
    withheld (ballot secrecy) grades as any other and is printed as withheld.

    Raises:
        PackError: the chain has no score stage.
    """
    bands, bands_used = ctx.parameter("bands", dict)
    otherwise, otherwise_used = ctx.parameter("otherwise", str)
    ordered = sorted(bands.items(), key=lambda band: band[1], reverse=True)
    used = [bands_used, otherwise_used]
    for subject in ctx.evaluated():
        if not ctx.is_scored(subject):
            raise PackError(
                f"rule {ctx.rule.id} grades by score, but no rule of the chain scored {subject}",
                zh=f"规则 {ctx.rule.id} 按得分评定等次,但规则包链中没有规则为 {subject} 计算得分",
            )
        score = ctx.score_of(subject)
        label = ctx.label(subject)
        if score is None:
            ctx.grade(
                subject,
                None,
                Text(zh=f"{label.zh}没有得分,不评定等次", en=f"{label.en} has no score; no grade"),
                inputs={"score": None},
                parameters=used,
            )
            continue
        grade: str = next((g for g, minimum in ordered if score >= Fraction(minimum)), otherwise)
        shown = ctx.shown_score(subject)
        ctx.grade(
            subject,
            grade,
            Text(
                zh=f"{label.zh}得分{shown.zh},评定为{ctx.name_of(grade).zh}",
                en=f"{label.en} scores {shown.en}: graded {ctx.name_of(grade).en}",
            ),
            inputs={"score": shown.en},
            parameters=used,
        )


@mechanism("veto_grade", stage="grade", parameters={"grade": param.grade()}, severity="warning")
def veto_grade(ctx: RuleContext) -> None:
    """A subject with a one-vote-veto item (一票否决) gets ``grade``, whatever its score."""
    grade, used = ctx.parameter("grade", str)
    for veto in ctx.session.vetoes:
        if not ctx.is_eligible(veto.subject):
            continue
        label = ctx.label(veto.subject)
        facts = {"reason": veto.reason, "grade_before": ctx.grade_of(veto.subject)}
        message = Text(
            zh=f"{label.zh}因“{veto.reason}”一票否决,评定为{ctx.name_of(grade).zh}",
            en=f"{label.en} vetoed ('{veto.reason}'): graded {ctx.name_of(grade).en}",
        )
        ctx.find(message, subject=veto.subject, rule="grade.veto", facts=facts)
        ctx.grade(veto.subject, grade, message, inputs=facts, parameters=[used])
