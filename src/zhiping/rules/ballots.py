"""Ballot accounting: no more ballots issued than evaluators, none returned beyond those issued.

Source: the common practice of every variant (唱票、计票、监票); DESIGN §5
``ballots.issued``, ``ballots.returned``, ``ballots.unknown_subject``.
"""

from __future__ import annotations

from zhiping.documents.session import Session
from zhiping.glossary import Text
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["issued_within_evaluators", "returned_within_issued", "unknown_subjects"]


@mechanism("issued_within_evaluators", stage="ballots")
def issued_within_evaluators(ctx: RuleContext) -> None:
    """No more ballots are issued than there are evaluators present."""
    issued = ctx.session.ballots.issued
    evaluators = len(ctx.evaluators())
    ctx.check(
        issued <= evaluators,
        Text(
            zh=f"发出选票{issued}张,到会参评人员{evaluators}人",
            en=f"{issued} ballots issued to {evaluators} evaluators present",
        ),
        facts={"issued": issued, "evaluators": evaluators},
    )


@mechanism("returned_within_issued", stage="ballots")
def returned_within_issued(ctx: RuleContext) -> None:
    """No more ballots are returned than were issued."""
    ballots = ctx.session.ballots
    ctx.check(
        ballots.returned <= ballots.issued,
        Text(
            zh=f"发出选票{ballots.issued}张,收回{ballots.returned}张",
            en=f"{ballots.returned} ballots returned of {ballots.issued} issued",
        ),
        facts={"issued": ballots.issued, "returned": ballots.returned},
    )


@mechanism("unknown_subjects", stage="ballots", severity="warning")
def unknown_subjects(ctx: RuleContext) -> None:
    """Marks for subject ids that do not exist are ignored, and reported."""
    unknown = sorted(marked_subjects(ctx.session) - set(ctx.session.subject_ids))
    ctx.check(
        not unknown,
        Text(zh=f"不存在的测评对象{len(unknown)}个", en=f"{len(unknown)} unknown subjects marked"),
        facts={"subjects": unknown},
        finding_message=Text(
            zh=f"选票上有不存在的测评对象:{'、'.join(unknown)},已忽略",
            en=f"marks for subjects that do not exist were ignored: {', '.join(unknown)}",
        ),
    )


def marked_subjects(session: Session) -> set[str]:
    """Return every subject id the ballots mark, whatever their form."""
    ballots = session.ballots
    if ballots.cast is not None:
        return {subject for ballot in ballots.cast for subject in ballot.marks}
    if ballots.counts is not None:
        return set(ballots.counts)
    return {subject for counts in (ballots.group_counts or {}).values() for subject in counts}
