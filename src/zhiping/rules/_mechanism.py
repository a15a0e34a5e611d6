"""What every mechanism shares: the stages, the working state, and the rule's view of it.

A *mechanism* is a generic, parameterized rule (a fractional quorum, threshold grading,
pay by coefficient). A pack binds a rule id to a mechanism and sets its parameters under
``<rule id>.<name>``. The engine calls each mechanism with a :class:`RuleContext`, which
reads parameters from the chain and records findings and trace entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Literal, Protocol, TypeVar

import attrs

from zhiping.documents.outcome import Action, Basis, Facts, Finding, Pay, Tally, TraceEntry
from zhiping.documents.session import Session
from zhiping.documents.values import Citation, ParameterKind, ParameterUse
from zhiping.errors import PackError
from zhiping.glossary import ACTION_KINDS, ORGANIZATION, Capacity, Grade, Severity, Text

__all__ = [
    "APPLYING_STAGES",
    "STAGES",
    "Evaluation",
    "Mechanism",
    "ParameterSource",
    "RuleContext",
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

History = Mapping[tuple[str, int], Grade]


@attrs.define
class Evaluation:
    """The working state of one evaluation, filled in stage by stage.

    Private to the engine and the mechanisms; the caller sees only the
    :class:`~zhiping.documents.outcome.Outcome` built from it.

    Attributes:
        session: the session evaluated.
        history: prior grades by (subject, year), from the document and the caller.
        capacities: each person present and the capacities still counted for them.
        evaluator_capacities: the capacities that make a person an evaluator.
        eligible: whether each subject is evaluated.
        tallies: each subject's marks, all groups together.
        group_tallies: each evaluator group's marks by subject, for packs that weight groups.
        scores: each subject's score from the score stage; None where none could be
            computed (a finding says why).
        grades: each subject's grade, None where none could be given.
        pay: each cadre's performance pay, where a pay rule applied.
        actions: each subject's consequences.
        findings: what the rules found.
        trace: every decision.
    """

    session: Session
    history: History
    capacities: dict[str, set[Capacity]]
    evaluator_capacities: frozenset[Capacity] = frozenset()
    eligible: dict[str, bool] = attrs.field(factory=dict)
    tallies: dict[str, Tally] = attrs.field(factory=dict)
    group_tallies: dict[str, dict[str, Tally]] = attrs.field(factory=dict)
    scores: dict[str, Fraction | None] = attrs.field(factory=dict)
    grades: dict[str, Grade | None] = attrs.field(factory=dict)
    pay: dict[str, Pay] = attrs.field(factory=dict)
    actions: dict[str, list[Action]] = attrs.field(factory=dict)
    findings: list[Finding] = attrs.field(factory=list)
    trace: list[TraceEntry] = attrs.field(factory=list)

    @classmethod
    def start(cls, session: Session, history: History) -> Evaluation:
        """Return the state before any rule: everyone counted as they claim, all eligible."""
        return cls(
            session=session,
            history=history,
            capacities={entry.person: set(entry.as_) for entry in session.attendance},
            eligible=dict.fromkeys(session.subject_ids, True),
        )

    @property
    def void(self) -> bool:
        """Return whether a violation has been found."""
        return any(finding.severity == "violation" for finding in self.findings)

    def present(self, capacity: Capacity) -> frozenset[str]:
        """Return the persons present and counted in ``capacity``."""
        return frozenset(p for p, held in self.capacities.items() if capacity in held)

    def evaluated(self) -> list[str]:
        """Return the eligible subjects, the organization first, then cadres in order."""
        return [s for s in self.session.subject_ids if self.eligible.get(s, False)]

    def evaluators(self) -> frozenset[str]:
        """Return the distinct persons present in at least one evaluator capacity."""
        return frozenset(
            person for person, held in self.capacities.items() if held & self.evaluator_capacities
        )


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
    """

    id: str
    pack: str
    mechanism: str | None = None
    severity: Severity | None = None
    basis: tuple[Citation, ...] = ()
    disabled: str | None = None


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


@attrs.frozen
class Mechanism:
    """A generic rule that packs bind to rule ids.

    Attributes:
        name: the name packs use (``quorum_share``).
        stage: the stage it runs in.
        apply: the function applying it to a session.
        parameters: the parameters it reads, by name, with their kinds.
        severity: the severity of its findings unless the pack says otherwise.
        summary: one line on what it does.
    """

    name: str
    stage: Stage
    apply: Apply
    parameters: Mapping[str, ParameterKind] = attrs.field(factory=dict)
    severity: Severity = "violation"
    summary: str = ""


def mechanism(
    name: str,
    *,
    stage: Stage,
    parameters: Mapping[str, ParameterKind] | None = None,
    severity: Severity = "violation",
) -> Callable[[Apply], Mechanism]:
    """Make a :class:`Mechanism` of the decorated function; its docstring is the summary."""

    def decorate(apply: Apply) -> Mechanism:
        summary = (apply.__doc__ or "").strip().splitlines()[0] if apply.__doc__ else ""
        return Mechanism(name, stage, apply, dict(parameters or {}), severity, summary)

    return decorate


T = TypeVar("T")


@attrs.frozen
class RuleContext:
    """One rule's view of the evaluation: its parameters, and where to record what it finds.

    Attributes:
        rule: the rule definition in force (id, pack, severity, basis).
        mechanism: the mechanism applying it.
        chain: the chain of packs, for parameter values.
        evaluation: the working state.
    """

    rule: RuleDefinition
    mechanism: Mechanism
    chain: ParameterSource
    evaluation: Evaluation

    @property
    def session(self) -> Session:
        """Return the session evaluated."""
        return self.evaluation.session

    def parameter(self, name: str, kind: type[T]) -> tuple[T, ParameterUse]:
        """Return the value of the rule's parameter ``name`` and the record of its use.

        Raises:
            PackError: no pack sets it, or its value is not of the expected type.
        """
        use = self.chain.parameter(f"{self.rule.id}.{name}")
        if not isinstance(use.value, kind):
            expected, found = kind.__name__, type(use.value).__name__
            raise PackError(
                f"pack {use.pack}: parameter {use.name} should be a {expected}, not {found}",
                zh=f"规则包 {use.pack}:参数 {use.name} 应为 {expected} 类型,而不是 {found}",
            )
        return use.value, use

    def find(
        self,
        message: Text,
        *,
        facts: Facts | None = None,
        subject: str | None = None,
        severity: Severity | None = None,
        rule: str | None = None,
    ) -> Finding:
        """Record a finding of this rule and return it.

        Args:
            message: what was found, in zh and en.
            facts: the values that led to it.
            subject: the subject it concerns, if one.
            severity: overrides the pack's and the mechanism's severity.
            rule: the finding's id when it is not the rule's (``grade.no_valid_votes``).
        """
        finding = Finding(
            rule=rule or self.rule.id,
            severity=severity or self.rule.severity or self.mechanism.severity,
            message=message,
            facts=dict(facts or {}),
            basis=tuple(Basis(self.rule.pack, citation) for citation in self.rule.basis),
            subject=subject,
        )
        self.evaluation.findings.append(finding)
        return finding

    def explain(
        self,
        message: Text,
        *,
        subject: str | None = None,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
        fulfilled: bool | None = None,
        result: str | None = None,
    ) -> None:
        """Record one decision of this rule in the trace."""
        self.evaluation.trace.append(
            TraceEntry(
                stage=self.mechanism.stage,
                rule=self.rule.id,
                pack=self.rule.pack,
                message=message,
                subject=subject,
                inputs=dict(inputs or {}),
                parameters=tuple(parameters),
                fulfilled=fulfilled,
                result=result,
            )
        )

    def act(self, subject: str, kind: str) -> Action:
        """Give ``subject`` the consequence ``kind`` under this rule and return it.

        Raises:
            PackError: ``kind`` is not a consequence the glossary names.
        """
        if kind not in ACTION_KINDS:
            raise PackError(
                f"pack {self.rule.pack}: rule {self.rule.id}: unknown action {kind!r}",
                zh=f"规则包 {self.rule.pack}:规则 {self.rule.id}:未知的处理措施 {kind!r}",
            )
        action = Action(kind=kind, rule=self.rule.id, pack=self.rule.pack)
        self.evaluation.actions.setdefault(subject, []).append(action)
        return action

    def label(self, subject: str) -> Text:
        """Return a subject's name for messages: the organization, or the cadre's name."""
        if subject == ORGANIZATION:
            return Text(zh="村级党组织", en="the party organization")
        cadre = self.session.cadre(subject)
        name = cadre.name if cadre else subject
        return Text(zh=f"{name}({subject})", en=f"{name} ({subject})")
