"""What every mechanism shares: the stages, the working state, and the rule's view of it.

A *mechanism* is a generic, parameterized rule (a fractional quorum, threshold grading,
pay by coefficient). A pack binds a rule id to a mechanism and sets its parameters under
``<rule id>.<name>``. The engine calls each mechanism with a :class:`RuleContext`, which
reads parameters from the chain and what earlier rules decided, and through whose verbs
the mechanism sets every result together with its trace entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, Protocol

import attrs

from zhiping.documents.outcome import Action, Finding, Pay, Tally, TraceEntry
from zhiping.documents.session import Session
from zhiping.documents.values import Citation, ParameterKind, ParameterUse
from zhiping.glossary import ORGANIZATION, Capacity, Severity, Text
from zhiping.rules._parameters import ParameterType, of_kind

if TYPE_CHECKING:
    from zhiping.rules._context import RuleContext

__all__ = [
    "APPLYING_STAGES",
    "STAGES",
    "Evaluation",
    "Mechanism",
    "ParameterSource",
    "RuleDefinition",
    "Stage",
    "mechanism",
]

Stage = Literal[
    "notice",
    "attendance",
    "quorum",
    "ballots",
    "eligibility",
    "tally",
    "score",
    "grade",
    "quota",
    "pay",
    "sanctions",
    "organization",
    "inquiries",
]
STAGES: tuple[Stage, ...] = (
    "notice",
    "attendance",
    "quorum",
    "ballots",
    "eligibility",
    "tally",
    "score",
    "grade",
    "quota",
    "pay",
    "sanctions",
    "organization",
    "inquiries",
)
"""The stages of an evaluation, in the order they run (DESIGN §1, with ``eligibility``
before the tally so that ineligible subjects are known before anything is graded)."""

APPLYING_STAGES: frozenset[Stage] = frozenset(
    {"score", "grade", "quota", "pay", "sanctions", "organization"}
)
"""The stages whose results are applied to people; a void session skips them."""


@attrs.frozen(order=True)
class Period:
    """A work year, or one quarter of it, in the order evaluations happen.

    Attributes:
        year: the work year.
        quarter: the quarter (1–4), or 0 for a yearly evaluation (as the store keeps
            it). A subject's year is graded either as a whole or by quarter, never both,
            so ordering by (year, quarter) orders a subject's evaluations.
    """

    year: int
    quarter: int = 0

    @classmethod
    def of(cls, year: int, quarter: int | None) -> Period:
        """Return the period of a session or history entry (``quarter`` None: the year)."""
        return cls(year, quarter or 0)

    def __str__(self) -> str:
        return f"{self.year}" if not self.quarter else f"{self.year} Q{self.quarter}"


History = Mapping[tuple[str, Period], str]
"""Prior grades by (subject, period), from the document and the caller."""


@attrs.define
class Evaluation:
    """The working state of one evaluation, filled in stage by stage.

    Private to the engine and the mechanisms; the caller sees only the
    :class:`~zhiping.documents.outcome.Outcome` built from it. Mechanisms read it and
    write it only through their :class:`RuleContext`, whose verbs build the trace entry
    of each result; the ``record_*`` methods set a result only together with its entry.

    Attributes:
        session: the session evaluated.
        history: prior grades by (subject, period), from the document and the caller.
        capacities: each person present and the capacities still counted for them.
        evaluator_capacities: the capacities that make a person an evaluator.
        eligible: whether each subject is evaluated.
        tallies: each subject's marks, all groups together.
        group_tallies: each evaluator group's marks by subject, for packs that weight groups.
        scores: each subject's score from the score stage; None where none could be
            computed (a finding says why).
        withheld: the subjects whose score is used but not published (ballot secrecy:
            a score from which a small evaluator group's marks could be computed).
        grades: each subject's grade, None where none could be given.
        pay: each cadre's performance pay, where a pay rule applied.
        actions: each subject's consequences.
        findings: what the rules found.
        trace: every decision; empty when not ``traced``.
        traced: whether the decisions are recorded in ``trace`` (an analytics batch
            that keeps no trace does not record them; every result is set all the same).
    """

    session: Session
    history: History
    capacities: dict[str, set[Capacity]]
    evaluator_capacities: frozenset[Capacity] = frozenset()
    eligible: dict[str, bool] = attrs.field(factory=dict)
    tallies: dict[str, Tally] = attrs.field(factory=dict)
    group_tallies: dict[str, dict[str, Tally]] = attrs.field(factory=dict)
    scores: dict[str, Fraction | None] = attrs.field(factory=dict)
    withheld: set[str] = attrs.field(factory=set)
    grades: dict[str, str | None] = attrs.field(factory=dict)
    pay: dict[str, Pay] = attrs.field(factory=dict)
    actions: dict[str, list[Action]] = attrs.field(factory=dict)
    findings: list[Finding] = attrs.field(factory=list)
    trace: list[TraceEntry] = attrs.field(factory=list)
    traced: bool = True
    # Who is present in each capacity, and the evaluators, as rules last asked: kept
    # until a capacity is disregarded (the only change to ``capacities`` once started).
    _present: dict[Capacity, frozenset[str]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )
    _evaluators: tuple[frozenset[Capacity], frozenset[str]] | None = attrs.field(
        default=None, init=False, repr=False, eq=False
    )
    _labels: dict[str, Text] = attrs.field(factory=dict, init=False, repr=False, eq=False)

    @classmethod
    def start(cls, session: Session, history: History, *, traced: bool = True) -> Evaluation:
        """Return the state before any rule: everyone counted as they claim, all eligible.

        Args:
            session: the session evaluated.
            history: prior grades by (subject, period).
            traced: whether to record the decisions in the trace.
        """
        return cls(
            session=session,
            history=history,
            capacities={entry.person: set(entry.as_) for entry in session.attendance},
            eligible=dict.fromkeys(session.subject_ids, True),
            traced=traced,
        )

    def note(self, entry: TraceEntry) -> None:
        """Record a decision in the trace, if the evaluation keeps one."""
        if self.traced:
            self.trace.append(entry)

    @property
    def void(self) -> bool:
        """Return whether a violation has been found."""
        return any(finding.severity == "violation" for finding in self.findings)

    def present(self, capacity: Capacity) -> frozenset[str]:
        """Return the persons present and counted in ``capacity``."""
        found = self._present.get(capacity)
        if found is None:
            found = self._present[capacity] = frozenset(
                p for p, held in self.capacities.items() if capacity in held
            )
        return found

    def evaluated(self) -> list[str]:
        """Return the eligible subjects, the organization first, then cadres in order."""
        return [s for s in self.session.subject_ids if self.eligible.get(s, False)]

    def evaluators(self) -> frozenset[str]:
        """Return the distinct persons present in at least one evaluator capacity."""
        chosen = self.evaluator_capacities
        if self._evaluators is None or self._evaluators[0] != chosen:
            found = frozenset(person for person, held in self.capacities.items() if held & chosen)
            self._evaluators = (chosen, found)
        return self._evaluators[1]

    def label(self, subject: str) -> Text:
        """Return a subject's name for messages: the organization, or the cadre's name."""
        found = self._labels.get(subject)
        if found is None:
            if subject == ORGANIZATION:
                found = Text(zh="村级党组织", en="the party organization")
            else:
                cadre = self.session.cadre(subject)
                name = cadre.name if cadre else subject
                found = Text(zh=f"{name}({subject})", en=f"{name} ({subject})")
            self._labels[subject] = found
        return found

    def disregard(self, person: str, capacity: Capacity) -> None:
        """Stop counting a person present in ``capacity`` (the trace is the caller's)."""
        self.capacities[person].discard(capacity)
        self._present.clear()
        self._evaluators = None

    # Each result is set together with the trace entry that explains it.

    def record_eligibility(self, subject: str, admitted: bool, entry: TraceEntry) -> None:
        """Leave ``subject`` out unless ``admitted`` (out stays out), with its trace entry."""
        if not admitted:
            self.eligible[subject] = False
        self.note(entry)

    def record_tally(
        self, subject: str, tally: Tally, groups: Mapping[str, Tally], entry: TraceEntry
    ) -> None:
        """Set a subject's marks, all together and by group, with its trace entry."""
        self.tallies[subject] = tally
        self.group_tallies[subject] = dict(groups)
        self.note(entry)

    def record_score(
        self, subject: str, score: Fraction | None, entry: TraceEntry, *, withheld: bool = False
    ) -> None:
        """Set a subject's score (None: none can be computed), with its trace entry.

        A ``withheld`` score decides as any other, but no later entry publishes it.
        """
        self.scores[subject] = score
        if withheld:
            self.withheld.add(subject)
        self.note(entry)

    def record_grade(self, subject: str, grade: str | None, entry: TraceEntry) -> None:
        """Set a subject's grade (None: none can be given), with its trace entry."""
        self.grades[subject] = grade
        self.note(entry)

    def record_pay(self, subject: str, pay: Pay | None, entry: TraceEntry) -> None:
        """Set a cadre's pay (None: no figure, nothing set), with its trace entry."""
        if pay is not None:
            self.pay[subject] = pay
        self.note(entry)

    def record_action(self, subject: str, action: Action | None, entry: TraceEntry) -> None:
        """Give a subject a consequence (None: none), with its trace entry."""
        if action is not None:
            self.actions.setdefault(subject, []).append(action)
        self.note(entry)


@attrs.frozen
class RuleDefinition:
    """What a pack says about one rule id: the mechanism that applies it, or that it is off.

    Attributes:
        id: the rule's id (``quorum.party_members``).
        pack: the pack that says it.
        mechanism: the name of the generic mechanism applying it; None when disabled.
        severity: the severity of its findings, overriding the mechanism's default.
        basis: the sources of the rule.
        disabled: the reason the pack switches an inherited rule off, if it does.
        assumed: true when no source fixes the rule and the pack chose it; every trace
            entry of the rule then says so.
        note: why the rule was assumed.
    """

    id: str
    pack: str
    mechanism: str | None = None
    severity: Severity | None = None
    basis: tuple[Citation, ...] = ()
    disabled: str | None = None
    assumed: bool = False
    note: str | None = None


class ParameterSource(Protocol):
    """Where a rule reads its parameters: the chain of packs in force on the session's date.

    :class:`zhiping.packs.Chain` is one; the engine and the rules need nothing more of it.
    """

    def parameter(self, name: str) -> ParameterUse:
        """Return the value of ``name`` in force, and the record of its use.

        Raises:
            PackError: no value of ``name`` is in force.
        """
        ...


Apply = Callable[["RuleContext"], None]
"""A mechanism's function: it applies the rule through the context it is given."""


@attrs.frozen
class Mechanism:
    """A generic rule that packs bind to rule ids.

    Attributes:
        name: the name packs use (``quorum_share``).
        stage: the stage it runs in.
        apply: the function applying it to a session.
        parameters: the parameters it reads, by name, with what each must be.
        severity: the severity of its findings unless the pack says otherwise.
        summary: one line on what it does.
    """

    name: str
    stage: Stage
    apply: Apply
    parameters: Mapping[str, ParameterType] = attrs.field(factory=dict)
    severity: Severity = "violation"
    summary: str = ""


def mechanism(
    name: str,
    *,
    stage: Stage,
    parameters: Mapping[str, ParameterType | ParameterKind] | None = None,
    severity: Severity = "violation",
) -> Callable[[Apply], Mechanism]:
    """Make a :class:`Mechanism` of the decorated function; its docstring is the summary.

    Args:
        name: the name packs use.
        stage: the stage it runs in.
        parameters: what each parameter must be: a :class:`ParameterType`
            (``grade()``, ``integer(at_least=1)``, ``grade_table()``, …), or only a
            kind (``"text"``) for a value whose meaning nothing checks.
        severity: the severity of its findings unless the pack says otherwise.

    Raises:
        ValueError: a parameter is declared with an unknown kind.
    """
    declared = {
        key: of_kind(kind) if isinstance(kind, str) else kind
        for key, kind in (parameters or {}).items()
    }

    def decorate(apply: Apply) -> Mechanism:
        summary = (apply.__doc__ or "").strip().splitlines()[0] if apply.__doc__ else ""
        return Mechanism(name, stage, apply, declared, severity, summary)

    return decorate
