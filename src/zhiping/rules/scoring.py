"""Scores: weighted composites of the ballot and other assessments, or of evaluator groups.

Sources: 温江 (100-point total: democratic evaluation 30%, township committee 20%, target
assessment 50%); 西充 (ordinary villagers 50%, township officials 30%, resident village
officers 20% of the satisfaction rate). Every score is an exact fraction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from zhiping.errors import InputError, Problem
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext, exact
from zhiping.rules._mechanism import mechanism

__all__ = ["BALLOT", "exact", "weighted_composite", "weighted_groups"]

BALLOT = "ballot"
"""The component of a composite that is the democratic score, 100 × the satisfaction rate."""


@mechanism(
    "weighted_composite",
    stage="score",
    parameters={"weights": param.table(), "satisfied": param.ballot_words()},
    severity="warning",
)
def weighted_composite(ctx: RuleContext) -> None:
    """Score each subject Σ weight × component: ``ballot`` is 100 × rate, others assessments.

    The rate is the share of valid votes for the ``satisfied`` words. A subject missing
    an assessment, or without valid votes, gets no score and a warning.
    """
    weights, weights_used = ctx.parameter("weights", dict)
    satisfied, satisfied_used = ctx.parameter("satisfied", tuple)
    for subject in ctx.evaluated():
        label = ctx.label(subject)
        components, missing = _components(ctx, subject, weights, satisfied)
        if missing:
            message = Text(
                zh=f"{label.zh}缺少{'、'.join(missing)},不计算总分",
                en=f"{label.en} lacks {', '.join(missing)}: no score",
            )
            ctx.find(
                message, subject=subject, rule="assessment.missing", facts={"missing": missing}
            )
            ctx.score(subject, None, message, parameters=[weights_used, satisfied_used])
            continue
        score = sum(
            (Fraction(weights[name]) * value for name, value in components.items()), Fraction(0)
        )
        ctx.score(
            subject,
            score,
            Text(zh=f"{label.zh}综合得分{exact(score)}", en=f"{label.en} scores {exact(score)}"),
            inputs={name: exact(value) for name, value in components.items()},
            parameters=[weights_used, satisfied_used],
        )


def _components(
    ctx: RuleContext, subject: str, weights: Mapping[str, Decimal], satisfied: tuple[str, ...]
) -> tuple[dict[str, Fraction], list[str]]:
    components: dict[str, Fraction] = {}
    missing: list[str] = []
    for name in weights:
        if name == BALLOT:
            rate = ctx.tally_of(subject).share(*satisfied)
            if rate is None:
                missing.append("valid votes")
            else:
                components[name] = 100 * rate
            continue
        score = ctx.session.assessments.get(name, {}).get(subject)
        if score is None:
            missing.append(name)
        else:
            components[name] = Fraction(score)
    return components, missing


@mechanism(
    "weighted_groups",
    stage="score",
    parameters={"weights": param.table(), "satisfied": param.ballot_words()},
    severity="warning",
)
def weighted_groups(ctx: RuleContext) -> None:
    """Score each subject Σ weight × each evaluator group's satisfaction rate (0 to 1).

    A group without valid votes for the subject contributes 0, with a warning. Every
    ballot must come from one of the weighted groups (``group`` on a cast ballot, or
    ``group_counts``); ballots that do not say are an input error for this rule.
    """
    weights, weights_used = ctx.parameter("weights", dict)
    satisfied, satisfied_used = ctx.parameter("satisfied", tuple)
    _require_groups(ctx, tuple(weights))
    for subject in ctx.evaluated():
        label = ctx.label(subject)
        groups = ctx.group_tallies_of(subject)
        rates: dict[str, Fraction] = {}
        for group in weights:
            tally = groups.get(group)
            rate = tally.share(*satisfied) if tally else None
            if rate is None:
                ctx.find(
                    Text(
                        zh=f"{label.zh}:{group}组没有有效票,按0计",
                        en=f"{label.en}: no valid votes from the {group} group; counted as 0",
                    ),
                    subject=subject,
                    rule="score.group_without_votes",
                    facts={"group": group},
                )
            rates[group] = rate or Fraction(0)
        score = sum((Fraction(weights[g]) * rates[g] for g in weights), Fraction(0))
        ctx.score(
            subject,
            score,
            Text(
                zh=f"{label.zh}加权满意率{exact(score)}",
                en=f"{label.en}: weighted satisfaction {exact(score)}",
            ),
            inputs={group: exact(rate) for group, rate in rates.items()},
            parameters=[weights_used, satisfied_used],
        )


def _require_groups(ctx: RuleContext, groups: tuple[str, ...]) -> None:
    """Refuse ballots that do not say which of the weighted groups they come from."""
    ballots = ctx.session.ballots
    expected = Text(
        zh=f"不是以下分组之一:{'、'.join(groups)}", en=f"is not one of {', '.join(groups)}"
    )
    problems = []
    if ballots.counts is not None and ballots.returned:
        problems.append(
            Problem(
                "ballots.counts",
                Text(
                    zh=f"本规则包按参评人员分组加权({'、'.join(groups)}):请改用 group_counts",
                    en=(
                        f"this pack weights evaluator groups "
                        f"({', '.join(groups)}): give group_counts instead"
                    ),
                ),
            )
        )
    for index, ballot in enumerate(ballots.cast or ()):
        if ballot.group not in groups:
            problems.append(
                Problem(
                    f"ballots.cast[{index}].group",
                    Text(
                        zh=f"{ballot.group!r} {expected.zh}", en=f"{ballot.group!r} {expected.en}"
                    ),
                )
            )
    for group in ballots.group_counts or {}:
        if group not in groups:
            problems.append(
                Problem(
                    f"ballots.group_counts.{group}",
                    Text(zh=expected.zh, en=expected.en.removeprefix("is ")),
                )
            )
    if problems:
        raise InputError(problems)
