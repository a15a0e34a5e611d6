"""Scores: weighted composites of the ballot and other assessments, or of evaluator groups.

Sources: 温江 (100-point total: democratic evaluation 30%, township committee 20%, target
assessment 50%); 西充 (ordinary villagers 50%, township officials 30%, resident village
officers 20% of the satisfaction rate). Every score is an exact fraction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from zhiping.documents.session import group_size
from zhiping.errors import InputError, Problem
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import WITHHELD, RuleContext, exact
from zhiping.rules._mechanism import mechanism

__all__ = ["BALLOT", "MIN_GROUP_SIZE", "exact", "weighted_composite", "weighted_groups"]

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


MIN_GROUP_SIZE = 3
"""The least evaluator group whose rates a weighted score publishes, unless a pack says."""


@mechanism(
    "weighted_groups",
    stage="score",
    parameters={
        "weights": param.table(),
        "satisfied": param.ballot_words(),
        "min_group_size": param.integer(at_least=1, default=MIN_GROUP_SIZE),
    },
    severity="warning",
)
def weighted_groups(ctx: RuleContext) -> None:
    """Score each subject Σ weight × each evaluator group's satisfaction rate (0 to 1).

    A group without valid votes for the subject contributes 0, with a warning. Every
    ballot must come from one of the weighted groups (``group`` on a cast ballot, or
    ``group_counts``); ballots that do not say are an input error for this rule.

    Ballot secrecy (docs/secrecy.md): when a weighted group returned ballots but fewer
    than ``min_group_size`` (optional, 3 by default), its rates together with the
    others' and the composite would reveal how its few evaluators marked. Its ballots
    still count, every score decides as before, but for every subject the groups'
    rates, which groups gave no valid votes and the score itself are withheld from the
    outcome, and one warning (``score.small_group``) says what and why.
    """
    weights, weights_used = ctx.parameter("weights", dict)
    satisfied, satisfied_used = ctx.parameter("satisfied", tuple)
    minimum, minimum_used = ctx.parameter("min_group_size", int)
    used = [weights_used, satisfied_used, minimum_used]
    _require_groups(ctx, tuple(weights))
    small = {
        group: size
        for group, size in _group_sizes(ctx, tuple(weights)).items()
        if 0 < size < minimum
    }
    if small:
        _warn_small_groups(ctx, small, minimum)
    for subject in ctx.evaluated():
        label = ctx.label(subject)
        rates = _group_rates(ctx, subject, weights, satisfied, announce=not small)
        score = sum((Fraction(weights[g]) * rates[g] for g in weights), Fraction(0))
        if small:
            ctx.score(
                subject,
                score,
                Text(
                    zh=f"{label.zh}加权满意率{WITHHELD.zh}(评议小组人数过少)",
                    en=f"{label.en}: weighted satisfaction {WITHHELD.en} (a group too small)",
                ),
                inputs=dict.fromkeys(rates, WITHHELD.en),
                parameters=used,
                withheld=True,
            )
            continue
        ctx.score(
            subject,
            score,
            Text(
                zh=f"{label.zh}加权满意率{exact(score)}",
                en=f"{label.en}: weighted satisfaction {exact(score)}",
            ),
            inputs={group: exact(rate) for group, rate in rates.items()},
            parameters=used,
        )


def _group_rates(
    ctx: RuleContext,
    subject: str,
    weights: Mapping[str, Decimal],
    satisfied: tuple[str, ...],
    *,
    announce: bool,
) -> dict[str, Fraction]:
    """Return each weighted group's rate for a subject, 0 for a group without valid votes.

    A group without valid votes is a warning only when ``announce``: where rates are
    withheld, that a group gave no valid votes is withheld too.
    """
    label = ctx.label(subject)
    groups = ctx.group_tallies_of(subject)
    rates: dict[str, Fraction] = {}
    for group in weights:
        tally = groups.get(group)
        rate = tally.share(*satisfied) if tally else None
        if rate is None and announce:
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
    return rates


def _group_sizes(ctx: RuleContext, groups: tuple[str, ...]) -> dict[str, int]:
    """Return how many ballots each weighted group returned (0 for a group without any)."""
    ballots = ctx.session.ballots
    sizes = dict.fromkeys(groups, 0)
    for ballot in ballots.cast or ():
        if ballot.group in sizes:
            sizes[ballot.group] += 1
    for group, counts in (ballots.group_counts or {}).items():
        if group in sizes:
            sizes[group] = group_size(counts)
    return sizes


def _warn_small_groups(ctx: RuleContext, small: Mapping[str, int], minimum: int) -> None:
    """Say once which groups are below the minimum and what is withheld for them."""
    listed = Text(
        zh="、".join(f"{group}组{size}人" for group, size in small.items()),
        en=", ".join(
            f"the {group} group has {size} evaluator{'' if size == 1 else 's'}"
            for group, size in small.items()
        ),
    )
    ctx.find(
        Text(
            zh=f"{listed.zh},少于{minimum}人:为保护投票秘密,各组满意率、各组有无有效票及"
            f"加权满意率均不公开;该组选票照常计入,等次和处理不变",
            en=f"{listed.en}, fewer than {minimum}: to keep the ballot secret, every "
            f"group's rates, whether a group gave valid votes, and the weighted "
            f"satisfaction are withheld; its ballots count as usual and no grade or "
            f"action changes",
        ),
        rule="score.small_group",
        facts={
            "groups": dict(small),
            "minimum": minimum,
            "withheld": ["group_rates", "groups_without_votes", "weighted_satisfaction"],
        },
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
