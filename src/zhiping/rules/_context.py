"""The rule context: a mechanism's view of one evaluation, and its verbs.

A mechanism reads its parameters and what earlier rules decided through a
:class:`RuleContext`, and sets every result through one of its verbs, which also writes
the result's trace entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TypeVar

import attrs

from zhiping.documents.outcome import Action, Basis, Facts, Finding, Pay, Tally, TraceEntry
from zhiping.documents.session import Session
from zhiping.documents.values import ParameterUse, Value
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import PackError
from zhiping.glossary import Capacity, Severity, Text
from zhiping.rules._mechanism import (
    Evaluation,
    History,
    Mechanism,
    ParameterSource,
    Period,
    RuleDefinition,
)

__all__ = ["WITHHELD", "RuleContext", "exact"]

WITHHELD = Text(zh="不公开", en="withheld")
"""What the outcome prints instead of a figure withheld for ballot secrecy (docs/secrecy.md).

Its ``en`` word is also the value of a withheld figure in a trace entry's inputs and result.
"""

T = TypeVar("T")

_UNTRACED = TraceEntry(stage="", rule="", pack="", message=Text(zh="", en=""))
"""The entry a verb passes on when the evaluation keeps no trace: never recorded."""


def exact(value: Fraction) -> str:
    """Write a fraction as a decimal when it is one (``85.3``), else as ``a/b (≈x.xx)``."""
    denominator = value.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return f"{value} (≈{float(value):.2f})"


@attrs.frozen
class RuleContext:
    """One rule's view of the evaluation, and the verbs that record what it decides.

    A mechanism reads its parameters, the session and what earlier rules decided through
    the context (:meth:`parameter`, :meth:`tally_of`, :meth:`grade_of`, …), and sets
    every result through a verb that also writes the result's trace entry, so that no
    result is ever without one:

    - :meth:`check` a condition: a finding when it fails, the decision in the trace;
    - :meth:`disregard` a claimed capacity, :meth:`count_evaluators`;
    - :meth:`admit` a subject to the evaluation or not;
    - :meth:`tally`, :meth:`score`, :meth:`grade`, :meth:`pay` a subject;
    - :meth:`act`: give a subject a consequence;
    - :meth:`find` what is wrong, :meth:`explain` a decision that sets no result.

    Attributes:
        rule: the rule definition in force (id, pack, severity, basis).
        mechanism: the mechanism applying it.
        chain: the chain of packs, for parameter values.
        evaluation: the working state; mechanisms read it through the context's
            accessors and write it only through its verbs.
        vocabulary: the chain's grades, ballot words and actions, and their labels.
    """

    rule: RuleDefinition
    mechanism: Mechanism
    chain: ParameterSource
    evaluation: Evaluation
    vocabulary: Vocabulary = attrs.field(factory=Vocabulary)

    def name_of(self, identifier: str) -> Text:
        """Return a grade, ballot word or action of the chain as the chain writes it."""
        return self.vocabulary.name_of(identifier)

    def names_of(self, identifiers: Iterable[str]) -> Text:
        """Return words of the chain joined as a list in each language."""
        return self.vocabulary.names_of(identifiers)

    def rank_of(self, grade: str) -> int:
        """Return a grade's place on the chain's scale, 0 for the best."""
        return self.vocabulary.rank_of(grade)

    # What the session says and what earlier rules decided.

    @property
    def session(self) -> Session:
        """Return the session evaluated."""
        return self.evaluation.session

    @property
    def history(self) -> History:
        """Return the prior grades by (subject, period), from the document and the caller.

        Rules read it through :meth:`earlier_grades`, :meth:`previous_evaluation`,
        :meth:`earlier_quarters` and :meth:`year_grade`.
        """
        return self.evaluation.history

    @property
    def period(self) -> Period:
        """Return the period this session evaluates: its year, and its quarter if any."""
        return Period.of(self.session.year, self.session.quarter)

    def earlier_grades(self, subject: str) -> tuple[tuple[Period, str], ...]:
        """Return a subject's grades before this session, oldest first."""
        return tuple(
            sorted(
                (period, grade)
                for (held_by, period), grade in self.evaluation.history.items()
                if held_by == subject and period < self.period
            )
        )

    def previous_evaluation(self, subject: str) -> tuple[Period, str] | None:
        """Return a subject's latest evaluation before this session, whatever its period."""
        earlier = self.earlier_grades(subject)
        return earlier[-1] if earlier else None

    def earlier_quarters(self, subject: str) -> tuple[tuple[Period, str], ...]:
        """Return a subject's grades in the earlier quarters of this session's year."""
        year = self.session.year
        return tuple(
            (p, g) for p, g in self.earlier_grades(subject) if p.year == year and p.quarter
        )

    def year_grade(self, subject: str, year: int) -> str | None:
        """Return a subject's grade for an earlier work year, None if it has none.

        A year graded as a whole has that grade; a year graded by quarter has the grade
        of its last recorded quarter (the latest word on the cadre that year). Of this
        session's own year only its earlier quarters are known.
        """
        graded = [g for p, g in self.earlier_grades(subject) if p.year == year]
        return graded[-1] if graded else None

    def parameter(self, name: str, kind: type[T]) -> tuple[T, ParameterUse]:
        """Return the value of the rule's parameter ``name`` and the record of its use.

        Where no pack of the chain gives a value in force and the mechanism declares a
        default (an optional parameter), the default is used; its record names the
        rule's pack and the session's date, is marked assumed, and its note says that
        the value is the mechanism's default.

        Raises:
            PackError: no pack sets it and it has no default, or its value is not of
                the expected type.
        """
        try:
            use = self.chain.parameter(f"{self.rule.id}.{name}")
        except PackError:
            declared = self.mechanism.parameters.get(name)
            if declared is None or declared.default is None:
                raise
            use = self._default_use(name, declared.default)
        if not isinstance(use.value, kind):
            expected, found = kind.__name__, type(use.value).__name__
            raise PackError(
                f"pack {use.pack}: parameter {use.name} should be a {expected}, not {found}",
                zh=f"规则包 {use.pack}:参数 {use.name} 应为 {expected} 类型,而不是 {found}",
            )
        return use.value, use

    def _default_use(self, name: str, value: Value) -> ParameterUse:
        """Return the record of a mechanism's default used for the optional ``name``."""
        return ParameterUse(
            name=f"{self.rule.id}.{name}",
            pack=self.rule.pack,
            value=value,
            effective_from=self.session.held_on,
            assumed=True,
            note=(
                f"no pack of the chain sets it: the default of the mechanism {self.mechanism.name}"
            ),
        )

    def capacities(self, person: str) -> frozenset[Capacity]:
        """Return the capacities still counted for a person present (none if absent)."""
        return frozenset(self.evaluation.capacities.get(person, ()))

    def present(self, capacity: Capacity) -> frozenset[str]:
        """Return the persons present and counted in ``capacity``."""
        return self.evaluation.present(capacity)

    def evaluators(self) -> frozenset[str]:
        """Return the distinct persons present in at least one evaluator capacity."""
        return self.evaluation.evaluators()

    def is_eligible(self, subject: str) -> bool:
        """Return whether the subject is evaluated (no rule has excluded it)."""
        return self.evaluation.eligible.get(subject, False)

    def evaluated(self) -> list[str]:
        """Return the eligible subjects, the organization first, then cadres in order."""
        return self.evaluation.evaluated()

    def tally_of(self, subject: str) -> Tally:
        """Return a subject's marks, all evaluator groups together.

        Raises:
            PackError: no rule of the chain tallied the subject.
        """
        tally = self.evaluation.tallies.get(subject)
        if tally is None:
            raise PackError(
                f"rule {self.rule.id} reads a tally, but no rule tallied {subject}",
                zh=f"规则 {self.rule.id} 读取计票结果,但没有规则为 {subject} 计票",
            )
        return tally

    def group_tallies_of(self, subject: str) -> Mapping[str, Tally]:
        """Return a subject's marks by evaluator group (empty when ballots name no group)."""
        return MappingProxyType(self.evaluation.group_tallies.get(subject, {}))

    def is_scored(self, subject: str) -> bool:
        """Return whether a rule has scored the subject, or found that it cannot."""
        return subject in self.evaluation.scores

    def score_of(self, subject: str) -> Fraction | None:
        """Return a subject's score; None where the score stage could not compute one.

        Raises:
            PackError: no rule of the chain scored the subject.
        """
        if not self.is_scored(subject):
            raise PackError(
                f"rule {self.rule.id} reads a score, but no rule scored {subject}",
                zh=f"规则 {self.rule.id} 读取得分,但没有规则为 {subject} 计算得分",
            )
        return self.evaluation.scores.get(subject)

    def is_withheld(self, subject: str) -> bool:
        """Return whether a subject's score is withheld from the outcome (ballot secrecy)."""
        return subject in self.evaluation.withheld

    def shown_score(self, subject: str) -> Text:
        """Return a subject's score as the outcome may print it, for messages and inputs.

        The exact figure (the same in both languages), or :data:`WITHHELD` when the
        score rule withheld it: a mechanism that reads a score writes this wherever it
        would print the figure. Its ``en`` is what a trace entry's inputs carry.

        Raises:
            PackError: no rule of the chain scored the subject.
        """
        if self.is_withheld(subject):
            return WITHHELD
        score = self.score_of(subject)
        shown = "None" if score is None else exact(score)
        return Text(zh=shown, en=shown)

    def grade_of(self, subject: str) -> str | None:
        """Return a subject's grade so far; None when it has none."""
        return self.evaluation.grades.get(subject)

    def label(self, subject: str) -> Text:
        """Return a subject's name for messages: the organization, or the cadre's name."""
        return self.evaluation.label(subject)

    # Findings and decisions.

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
        """Record in the trace one decision of this rule that sets no result.

        A decision that sets a result is recorded by the verb that sets it.

        Args:
            message: the decision in a sentence, in zh and en.
            subject: the subject decided on, if one.
            inputs: the facts of the session it read.
            parameters: the parameter values it used.
            fulfilled: whether its condition held; None when it is not a yes/no question.
            result: what it decided, in a word.
        """
        self.evaluation.note(
            self._entry(message, subject, inputs, parameters, fulfilled=fulfilled, result=result)
        )

    def check(
        self,
        fulfilled: bool,
        message: Text,
        *,
        facts: Facts | None = None,
        subject: str | None = None,
        parameters: Iterable[ParameterUse] = (),
        result: str | None = None,
        inputs: Facts | None = None,
        finding_message: Text | None = None,
    ) -> bool:
        """Record a checked condition: a finding when it fails, the decision in any case.

        Args:
            fulfilled: whether the condition holds.
            message: the decision in a sentence, for the trace and for the finding.
            facts: the values that led to it: the finding's facts, and the trace's inputs
                unless ``inputs`` says otherwise.
            subject: the subject it concerns, if one.
            parameters: the parameter values it used.
            result: what it decided, in a word.
            inputs: the trace's inputs, when they are not the finding's facts.
            finding_message: the finding's message, when it is not the trace's.

        Returns:
            ``fulfilled``.
        """
        if not fulfilled:
            self.find(finding_message or message, facts=facts, subject=subject)
        self.explain(
            message,
            subject=subject,
            inputs=facts if inputs is None else inputs,
            parameters=parameters,
            fulfilled=fulfilled,
            result=result,
        )
        return fulfilled

    # The verbs that set results: each writes the result and its trace entry.

    def disregard(self, person: str, capacity: Capacity, message: Text, *, facts: Facts) -> None:
        """Stop counting ``person`` in ``capacity``; a finding of this rule records it.

        The rule's trace entry sums up what it disregarded (:meth:`explain`).
        """
        self.evaluation.disregard(person, capacity)
        self.find(message, facts=facts)

    def count_evaluators(
        self, capacities: Iterable[Capacity], *, parameters: Iterable[ParameterUse] = ()
    ) -> int:
        """Make a person present in any of ``capacities`` an evaluator; return how many are.

        The trace entry gives the count in each capacity and the distinct evaluators.
        """
        chosen = tuple(capacities)
        self.evaluation.evaluator_capacities = frozenset(chosen)
        counts: dict[str, int] = {c: len(self.present(c)) for c in chosen}
        evaluators = len(self.evaluators())
        self.explain(
            Text(zh=f"参评人员{evaluators}人", en=f"{evaluators} evaluators present"),
            inputs={**counts, "evaluators": evaluators},
            parameters=parameters,
            result=str(evaluators),
        )
        return evaluators

    def admit(
        self,
        subject: str,
        admitted: bool,
        message: Text,
        *,
        facts: Facts | None = None,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
        finding: bool = True,
    ) -> None:
        """Record whether this rule lets ``subject`` be evaluated.

        A subject any rule does not admit stays out, whatever other rules decide.

        Args:
            subject: the subject.
            admitted: whether this rule admits it.
            message: the decision in a sentence.
            facts: the values that led to it (the trace's inputs unless ``inputs`` says).
            inputs: the trace's inputs, when they are not ``facts``.
            parameters: the parameter values it used.
            finding: whether leaving the subject out is also a finding of this rule.
        """
        if not admitted and finding:
            self.find(message, facts=facts, subject=subject)
        inputs = facts if inputs is None else inputs
        self.evaluation.record_eligibility(
            subject, admitted, self._entry(message, subject, inputs, parameters, fulfilled=admitted)
        )

    def tally(
        self,
        subject: str,
        tally: Tally,
        message: Text,
        *,
        groups: Mapping[str, Tally] | None = None,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
    ) -> None:
        """Set a subject's marks, and by evaluator group where ballots name one.

        The trace entry's result is the number of valid votes.
        """
        entry = self._entry(message, subject, inputs, parameters, result=str(tally.valid_votes))
        self.evaluation.record_tally(subject, tally, groups or {}, entry)

    def score(
        self,
        subject: str,
        score: Fraction | None,
        message: Text,
        *,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
        withheld: bool = False,
    ) -> None:
        """Set a subject's score, or None where none can be computed (a finding says why).

        The trace entry's result is the score written exactly; without a score, the
        entry says the rule's condition was not fulfilled. A ``withheld`` score decides
        as any other, but is published nowhere: this entry's result is ``withheld``
        (the caller keeps the figure out of ``message`` and ``inputs``), and every
        later rule prints :meth:`shown_score` instead of the figure.
        """
        shown = None if score is None else (WITHHELD.en if withheld else exact(score))
        entry = self._entry(
            message,
            subject,
            inputs,
            parameters,
            fulfilled=False if score is None else None,
            result=shown,
        )
        self.evaluation.record_score(subject, score, entry, withheld=withheld)

    def grade(
        self,
        subject: str,
        grade: str | None,
        message: Text,
        *,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
    ) -> None:
        """Set a subject's grade, or None where none can be given.

        The trace entry's result is the grade; it is fulfilled when there is one.
        """
        entry = self._entry(
            message, subject, inputs, parameters, fulfilled=grade is not None, result=grade
        )
        self.evaluation.record_grade(subject, grade, entry)

    def pay(
        self,
        subject: str,
        pay: Pay | None,
        message: Text,
        *,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
    ) -> None:
        """Set a cadre's performance pay; None records that no figure can be given.

        The trace entry's result is the amount; it is fulfilled when there is one.
        """
        entry = self._entry(
            message,
            subject,
            inputs,
            parameters,
            fulfilled=pay is not None,
            result=None if pay is None else pay.amount_text(),
        )
        self.evaluation.record_pay(subject, pay, entry)

    def act(
        self,
        subject: str,
        kind: str,
        message: Text,
        *,
        when: bool = True,
        inputs: Facts | None = None,
        parameters: Iterable[ParameterUse] = (),
    ) -> Action | None:
        """Give ``subject`` the consequence ``kind`` if ``when`` holds; record it either way.

        Args:
            subject: the subject.
            kind: the consequence, an action kind of the chain.
            message: the decision in a sentence.
            when: the rule's condition; when it fails, nothing is given and the trace
                says so.
            inputs: the facts of the session it read.
            parameters: the parameter values it used.

        Returns:
            The action given, or None.

        Raises:
            PackError: ``kind`` is not an action kind of the chain.
        """
        action = None
        if when:
            if kind not in self.vocabulary.actions:
                raise PackError(
                    f"pack {self.rule.pack}: rule {self.rule.id}: unknown action {kind!r}",
                    zh=f"规则包 {self.rule.pack}:规则 {self.rule.id}:未知的处理措施 {kind!r}",
                )
            action = Action(kind=kind, rule=self.rule.id, pack=self.rule.pack)
        entry = self._entry(
            message, subject, inputs, parameters, fulfilled=when, result=kind if when else None
        )
        self.evaluation.record_action(subject, action, entry)
        return action

    def _entry(
        self,
        message: Text,
        subject: str | None,
        inputs: Facts | None,
        parameters: Iterable[ParameterUse],
        *,
        fulfilled: bool | None = None,
        result: str | None = None,
    ) -> TraceEntry:
        if not self.evaluation.traced:
            return _UNTRACED  # recorded nowhere: no need to build it
        return TraceEntry(
            stage=self.mechanism.stage,
            rule=self.rule.id,
            pack=self.rule.pack,
            message=message,
            subject=subject,
            inputs=dict(inputs or {}),
            parameters=tuple(parameters),
            fulfilled=fulfilled,
            result=result,
            rule_assumed=self.rule.assumed,
            rule_note=self.rule.note,
        )
