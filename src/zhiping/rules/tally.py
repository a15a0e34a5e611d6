"""Tallying: each subject's marks counted on the pack's scale, in either ballot form.

A missing mark, or one of the pack's abstention words (``unknown``), is an abstention;
a mark outside the scale is invalid for that subject only. The ``cast`` form (one
object per ballot) and the ``counts`` form (pre-counted on site) give the same tally.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from zhiping.documents.outcome import Tally
from zhiping.documents.session import Ballot, group_size
from zhiping.errors import InputError, Problem, json_path
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["tally_marks", "tally_of_cast", "tally_of_counts"]

ABSTAIN = "abstain"
INVALID = "invalid"
NO_GROUP = ""


@mechanism(
    "tally_marks", stage="tally", parameters={"scale": param.texts(), "abstentions": param.texts()}
)
def tally_marks(ctx: RuleContext) -> None:
    """Count each subject's marks on ``scale``; ``abstentions`` and no mark are abstentions."""
    scale, scale_used = ctx.parameter("scale", tuple)
    abstentions, abstentions_used = ctx.parameter("abstentions", tuple)
    ballots = ctx.session.ballots
    subjects = ctx.session.subject_ids
    if ballots.cast is not None:
        groups = _cast_by_group(ballots.cast)
        by_group = {
            group: tally_of_cast(cast, subjects, scale, abstentions)
            for group, cast in groups.items()
        }
    elif ballots.counts is not None:
        by_group = {
            NO_GROUP: _checked_counts(
                ballots.counts,
                ("ballots", "counts"),
                subjects,
                scale,
                abstentions,
                ballots.returned,
            )
        }
    else:
        group_counts = ballots.group_counts or {}
        by_group = {
            group: _checked_counts(
                counts,
                ("ballots", "group_counts", group),
                subjects,
                scale,
                abstentions,
                group_size(counts),
            )
            for group, counts in group_counts.items()
        }
    empty = Tally(scale, (0,) * len(scale))
    ordered = sorted(by_group)
    for subject in subjects:
        # One group (ballots not by group) is its own sum: the same tally, made once.
        tally = (
            by_group[ordered[0]][subject]
            if len(ordered) == 1
            else sum((by_group[g][subject] for g in ordered), empty)
        )
        label = ctx.label(subject)
        ctx.tally(
            subject,
            tally,
            Text(
                zh=f"{label.zh}计票:有效票{tally.valid_votes}张",
                en=f"{label.en}: {tally.valid_votes} valid votes",
            ),
            groups={g: by_group[g][subject] for g in ordered if g != NO_GROUP},
            inputs={"form": ballots.form, "returned": ballots.returned, **tally.to_json()},
            parameters=[scale_used, abstentions_used],
        )


def tally_of_cast(
    cast: Iterable[Ballot],
    subjects: Iterable[str],
    scale: tuple[str, ...],
    abstentions: tuple[str, ...],
) -> dict[str, Tally]:
    """Count ballots one by one: each subject's mark on each ballot."""
    counters: dict[str, Counter[str]] = {subject: Counter() for subject in subjects}
    for ballot in cast:
        for subject, counter in counters.items():
            mark = ballot.marks.get(subject)
            if mark is None or mark in abstentions:
                counter[ABSTAIN] += 1
            elif mark in scale:
                counter[mark] += 1
            else:
                counter[INVALID] += 1
    return {subject: _tally(counter, scale) for subject, counter in counters.items()}


def tally_of_counts(
    counts: Mapping[str, Mapping[str, int]],
    subjects: Iterable[str],
    scale: tuple[str, ...],
    abstentions: tuple[str, ...],
    returned: int,
) -> dict[str, Tally]:
    """Read pre-counted marks; a subject not listed was left unmarked on every ballot."""
    tallies = {}
    for subject in subjects:
        words = counts.get(subject)
        counter: Counter[str] = Counter()
        if words is None:
            counter[ABSTAIN] = returned
        for word, count in (words or {}).items():
            counter[ABSTAIN if word in abstentions else word] += count
        tallies[subject] = _tally(counter, scale)
    return tallies


def _tally(counter: Counter[str], scale: tuple[str, ...]) -> Tally:
    return Tally(scale, tuple(counter[word] for word in scale), counter[ABSTAIN], counter[INVALID])


def _cast_by_group(cast: Iterable[Ballot]) -> dict[str, list[Ballot]]:
    groups: dict[str, list[Ballot]] = {NO_GROUP: []}
    for ballot in cast:
        groups.setdefault(ballot.group or NO_GROUP, []).append(ballot)
    return groups


def _checked_counts(
    counts: Mapping[str, Mapping[str, int]],
    location: tuple[str, ...],
    subjects: tuple[str, ...],
    scale: tuple[str, ...],
    abstentions: tuple[str, ...],
    returned: int,
) -> dict[str, Tally]:
    allowed = (*scale, *abstentions, ABSTAIN, INVALID)
    known = frozenset(subjects)
    problems = [
        Problem(
            json_path((*location, subject, word)),
            Text(
                zh=f"不是测评票上的选项,应为以下之一:{'、'.join(allowed)}",
                en=f"not a word of the scale; expected one of {', '.join(allowed)}",
            ),
        )
        for subject, words in counts.items()
        if subject in known  # marks for unknown subjects are ignored, and reported
        for word in words
        if word not in allowed
    ]
    if problems:
        raise InputError(problems)
    return tally_of_counts(counts, subjects, scale, abstentions, returned)
