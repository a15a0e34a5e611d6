"""The engine: a session, a chain of packs and a history in; an explained outcome out.

Pure: no I/O, no clock, no globals. The evaluation date is the document's ``held_on``.
Stages run in the order of :data:`zhiping.rules.STAGES`; within a stage, rules run in
the order their ids first appear in the chain, root first. Once a violation is found,
the stages that apply results to people are skipped: a void session applies nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Protocol, TypeVar

import attrs

from zhiping.documents.outcome import Outcome, SubjectOutcome, TraceEntry
from zhiping.documents.session import HistoryEntry, Session, mixed_periods, not_earlier
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import InputError, NoApplicableRule, PackError, Problem
from zhiping.glossary import ORGANIZATION, Text, name_of
from zhiping.rules import (
    APPLYING_STAGES,
    STAGES,
    Evaluation,
    Mechanism,
    ParameterSource,
    Period,
    RuleContext,
    RuleDefinition,
    Stage,
)

__all__ = ["REQUIRED_STAGES", "Rulebook", "evaluate_chain", "merge_history"]

T = TypeVar("T")


class Rulebook(ParameterSource, Protocol):
    """What the engine needs of the chain of packs that governs a session.

    :class:`zhiping.packs.Chain` provides it; the engine knows no pack files, registry
    or plugins.
    """

    @property
    def names(self) -> tuple[str, ...]:
        """Return the packs' names, root first."""
        ...

    def rules(self) -> tuple[RuleDefinition, ...]:
        """Return the rule each id resolves to, disabled ones included, root first."""
        ...

    def mechanism_defined_for(self, rule_id: str) -> str | None:
        """Return the mechanism the most specific pack defining ``rule_id`` binds it to."""
        ...

    @property
    def vocabulary(self) -> Vocabulary:
        """Return the chain's grades, ballot words and actions, and their labels."""
        ...

    def memoized(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return what ``make`` returns, computed once for this rulebook under ``key``.

        The engine keeps its compiled rules there (see :func:`evaluate_chain`): a
        rulebook must not change once made.
        """
        ...


REQUIRED_STAGES: tuple[Stage, ...] = ("tally", "grade")
"""Stages every chain must define: a chain that grades nothing cannot evaluate."""

_STAGE_NAMES = {"tally": "计票", "grade": "评定等次"}


def evaluate_chain(
    session: Session,
    chain: Rulebook,
    mechanisms: Mapping[str, Mechanism],
    *,
    history: Iterable[HistoryEntry] = (),
    traced: bool = True,
) -> Outcome:
    """Apply the chain's rules to a session.

    Args:
        session: the checked session document.
        chain: the packs that govern it, root first.
        mechanisms: every mechanism known, by name.
        history: prior grades beyond those the document carries.
        traced: record every decision in the outcome's trace (the default); false
            for an outcome written without a trace (``zhiping.outcome/2`` at the level
            ``none``): its findings and subjects are the same, its trace is empty.

    Returns:
        The outcome, with every decision in its trace when ``traced``.

    Raises:
        NoApplicableRule: the chain defines no rule for a required stage.
        PackError: a rule names an unknown mechanism or a parameter is missing.
        InputError: the ballots do not fit the chain's scale, or the history
            contradicts the document's.
    """
    compiled = _compiled(chain, mechanisms)
    _require_stages(compiled, chain, session)
    vocabulary = chain.vocabulary
    history = tuple(history)
    _require_known_grades(session, history, vocabulary)
    evaluation = Evaluation.start(session, merge_history(session, history), traced=traced)
    for stage, staged in compiled.stages:
        if stage in APPLYING_STAGES and evaluation.void:
            _skip(evaluation, stage, chain)
            continue
        for rule, mechanism in staged:
            if rule.disabled is not None:
                _note_disabled(evaluation, rule, stage)
                continue
            mechanism.apply(RuleContext(rule, mechanism, chain, evaluation, vocabulary))
    return _outcome(evaluation, chain)


Bound = tuple[tuple[RuleDefinition, Mechanism], ...]


@attrs.frozen
class _CompiledChain:
    """A chain's rules bound to their mechanisms and grouped by stage, once per chain.

    Attributes:
        mechanisms: the mechanisms bound (the key it was compiled for).
        stages: each stage that has rules, in the order of :data:`STAGES`, with its
            rules (disabled ones included) in the chain's order.
        defined: the stages that have a rule in force.
    """

    mechanisms: Mapping[str, Mechanism]
    stages: tuple[tuple[Stage, Bound], ...]
    defined: frozenset[Stage]


def _compiled(chain: Rulebook, mechanisms: Mapping[str, Mechanism]) -> _CompiledChain:
    """Return the chain's rules compiled for ``mechanisms``, compiled on first use.

    Kept with the chain (a chain never changes, nor the mechanisms a registry holds),
    for the first mapping of mechanisms it is evaluated with: a registry passes the
    same one every time. With another mapping the rules are compiled for that session
    alone, so that what a chain keeps stays one compilation. A compilation that fails
    (an unknown mechanism) is kept for nothing, and fails again on the next session.
    """
    compiled = chain.memoized("engine.compiled", lambda: _compile(chain, mechanisms))
    if compiled.mechanisms is not mechanisms:
        return _compile(chain, mechanisms)
    return compiled


def _compile(chain: Rulebook, mechanisms: Mapping[str, Mechanism]) -> _CompiledChain:
    rules = _bound_rules(chain, mechanisms)
    stages = tuple(
        (stage, staged)
        for stage in STAGES
        if (staged := tuple((r, m) for r, m in rules if m.stage == stage))
    )
    defined = frozenset(mechanism.stage for rule, mechanism in rules if rule.disabled is None)
    return _CompiledChain(mechanisms, stages, defined)


def _require_known_grades(
    session: Session, extra: tuple[HistoryEntry, ...], vocabulary: Vocabulary
) -> None:
    """Refuse a history grade that is not on the chain's scale, at its path.

    Raises:
        InputError: naming each such entry's ``grade`` and the chain's grades.
    """
    scale = vocabulary.grades
    problems = [
        Problem(
            f"history[{index}].grade",
            Text(
                zh=f"{entry.grade!r} 不是适用规则包链的等次(应为 {'、'.join(scale)} 之一)",
                en=f"{entry.grade!r} is not a grade of the chain that applies "
                f"(expected one of {', '.join(scale)})",
            ),
        )
        for entries in (session.history, extra)
        for index, entry in enumerate(entries)
        if entry.grade not in scale
    ]
    if problems:
        raise InputError(problems)


def merge_history(session: Session, extra: Iterable[HistoryEntry]) -> dict[tuple[str, Period], str]:
    """Return the document's history with the caller's, by (subject, period).

    A period is a work year, or a quarter of one for packs that evaluate each quarter.

    Raises:
        InputError: the two give different grades for the same subject and period, one
            grades a subject's year as a whole and the other by quarter, or the caller's
            history is not before the evaluated period.
    """
    merged: dict[tuple[str, Period], str] = {
        (entry.subject, Period.of(entry.year, entry.quarter)): entry.grade
        for entry in session.history
    }
    quarterly = {
        (entry.subject, entry.year): entry.quarter is not None for entry in session.history
    }
    problems = []
    for index, entry in enumerate(extra):
        path = f"history[{index}]"
        key = (entry.subject, Period.of(entry.year, entry.quarter))
        late = not_earlier(path, entry, session)
        if late is not None:
            problems.append(late)
        elif quarterly.setdefault((entry.subject, entry.year), entry.quarter is not None) != (
            entry.quarter is not None
        ):
            problems.append(mixed_periods(path, entry))
        elif merged.setdefault(key, entry.grade) != entry.grade:
            problems.append(_contradiction(path, entry, merged[key]))
    if problems:
        raise InputError(problems)
    return merged


def _contradiction(path: str, entry: HistoryEntry, graded: str) -> Problem:
    period = entry.period
    return Problem(
        path,
        Text(
            zh=f"文件中 '{entry.subject}' {period.zh}评定为{name_of(graded).zh},与此处不同",
            en=f"'{entry.subject}' is graded {graded} for {period.en} in the document",
        ),
    )


def _bound_rules(
    chain: Rulebook, mechanisms: Mapping[str, Mechanism]
) -> list[tuple[RuleDefinition, Mechanism]]:
    bound = []
    for rule in chain.rules():
        name = rule.mechanism or _inherited_mechanism(chain, rule.id)
        if name not in mechanisms:
            raise PackError(
                f"pack {rule.pack}: rule {rule.id}: unknown mechanism {name!r}",
                zh=f"规则包 {rule.pack}:规则 {rule.id} 使用的机制 {name!r} 不存在",
            )
        bound.append((rule, mechanisms[name]))
    return bound


def _inherited_mechanism(chain: Rulebook, rule_id: str) -> str:
    # A disabled rule keeps the stage of the definition it switches off.
    mechanism = chain.mechanism_defined_for(rule_id)
    if mechanism is None:
        raise PackError(
            f"rule {rule_id} is disabled but no pack of the chain defines it",
            zh=f"规则 {rule_id} 被停用,但规则包链中没有规则包定义它",
        )
    return mechanism


def _require_stages(compiled: _CompiledChain, chain: Rulebook, session: Session) -> None:
    for stage in REQUIRED_STAGES:
        if stage not in compiled.defined:
            raise NoApplicableRule(
                f"no pack of the chain {' ► '.join(chain.names)} defines the {stage} stage "
                f"for village {session.village.code}",
                zh=f"规则包链 {' ► '.join(chain.names)} 中没有规则包为村 "
                f"{session.village.code} 定义{_STAGE_NAMES.get(stage, stage)}阶段",
            )


def _skip(evaluation: Evaluation, stage: Stage, chain: Rulebook) -> None:
    evaluation.note(
        TraceEntry(
            stage=stage,
            rule="session.void",
            pack=chain.names[0],
            message=Text(zh="会议无效:本阶段不予适用", en="the session is void: stage not applied"),
            fulfilled=False,
        )
    )


def _note_disabled(evaluation: Evaluation, rule: RuleDefinition, stage: Stage) -> None:
    evaluation.note(
        TraceEntry(
            stage=stage,
            rule=rule.id,
            pack=rule.pack,
            message=Text(
                zh=f"规则已由{rule.pack}停用:{rule.disabled}",
                en=f"rule disabled by {rule.pack}: {rule.disabled}",
            ),
            result="disabled",
        )
    )


def _outcome(evaluation: Evaluation, chain: Rulebook) -> Outcome:
    session = evaluation.session
    void = evaluation.void
    subjects = []
    for subject in session.subject_ids:
        subjects.append(
            SubjectOutcome(
                id=subject,
                kind="organization" if subject == ORGANIZATION else "cadre",
                eligible=evaluation.eligible.get(subject, False),
                tally=evaluation.tallies.get(subject),
                grade=None if void else evaluation.grades.get(subject),
                pay=None if void else evaluation.pay.get(subject),
                actions=() if void else tuple(evaluation.actions.get(subject, ())),
            )
        )
    return Outcome(
        session=session.id,
        packs=chain.names,
        status="void" if void else "valid",
        findings=tuple(evaluation.findings),
        subjects=tuple(subjects),
        trace=tuple(evaluation.trace),
    )
