"""Rule packs as values, and the chain of packs that governs one session.

A :class:`Pack` names the jurisdiction it governs, sets dated parameters and defines or
disables rules. A :class:`Chain` lists the packs that apply to a session, root first; the
most specific pack that speaks to a rule or a parameter wins (DESIGN §4).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable, Mapping
from datetime import date
from typing import Any, TypeVar

import attrs

from zhiping.documents.values import Citation, ParameterUse, value_to_json
from zhiping.documents.vocabulary import Term, Vocabulary
from zhiping.errors import PackError
from zhiping.glossary import ACTION_KINDS, GRADES, Text
from zhiping.packs.parameters import Parameter
from zhiping.rules import RuleDefinition

__all__ = ["TALLY_MECHANISM", "Chain", "Pack", "PackVocabulary", "vocabulary_of_packs"]

T = TypeVar("T")

TALLY_MECHANISM = "tally_marks"
"""The mechanism whose ``scale`` and ``abstentions`` say which ballot words count."""


@attrs.frozen
class PackVocabulary:
    """The words a pack declares (its ``[vocabulary]`` table); None where it keeps its parent's.

    A list declared replaces the parent's whole: a town with three grades does not
    inherit the glossary's four.

    Attributes:
        grades: the grade scale, best first.
        words: the labels of the ballot words (which of them count and which are
            abstentions is said by the tally rule's ``scale`` and ``abstentions``).
        actions: the kinds of action its rules may give.
    """

    grades: tuple[Term, ...] | None = None
    words: tuple[Term, ...] | None = None
    actions: tuple[Term, ...] | None = None


@attrs.frozen
class Pack:
    """A rule pack: the rules and parameters of one jurisdiction.

    Attributes:
        name: the pack's name (``xinzhou``).
        title: its title in zh and en.
        prefix: the division-code prefix it governs; empty for the root and for packs
            that are only selected by name.
        parent: the pack it refines; None only for the root.
        in_force_from: the first day it applies.
        in_force_until: the last day it applies, if it has ended.
        in_force_from_assumed: true when no source fixes that day and the pack chose it.
        in_force_from_note: why the day was assumed.
        references: the policy documents it cites.
        rules: what it says about each rule id, in its file's order.
        parameters: its parameters by name.
        selectable_only: true for a pack that governs no prefix by itself.
        vocabulary: the grades, ballot words and actions it declares.
        source: the file it was read from, for messages.
    """

    name: str
    title: Text
    prefix: str
    parent: str | None
    in_force_from: date
    in_force_until: date | None = None
    in_force_from_assumed: bool = False
    in_force_from_note: str | None = None
    references: tuple[Citation, ...] = ()
    rules: tuple[RuleDefinition, ...] = ()
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict)
    selectable_only: bool = False
    vocabulary: PackVocabulary = PackVocabulary()
    source: str = ""

    @property
    def label(self) -> str:
        """Return how messages name the pack: its name, and its file when known."""
        return f"pack {self.name} ({self.source})" if self.source else f"pack {self.name}"

    @property
    def label_zh(self) -> str:
        """Return how Chinese messages name the pack: 规则包 and its name, and its file."""
        return f"规则包 {self.name}({self.source})" if self.source else f"规则包 {self.name}"

    def in_force_on(self, day: date) -> bool:
        """Return whether the pack applies on ``day``."""
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )

    def governs(self, village_code: str) -> bool:
        """Return whether the pack's prefix covers the village."""
        return not self.selectable_only and village_code.startswith(self.prefix)


@attrs.frozen
class Chain:
    """The packs that apply to one session, root first, and what they decide together.

    A chain is immutable (its packs are frozen and never changed once loaded), so what it
    resolves (its rules, its vocabulary, each parameter's value in force on ``held_on``)
    is resolved once and kept with it: the registry hands out the same chain for every
    session of a pack and date, and each session reads the resolved values.

    Attributes:
        packs: root first, the most specific last.
        held_on: the session's date: parameters take the value in force on it.
    """

    packs: tuple[Pack, ...]
    held_on: date
    _memo: dict[Hashable, Any] = attrs.field(
        factory=dict, init=False, repr=False, eq=False, hash=False
    )

    def memoized(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return what ``make`` returns, computed once for this chain under ``key``.

        Safe because the chain never changes; ``make`` must depend on nothing else that
        changes (the engine keys its compiled rules by the mechanisms it binds).
        An exception from ``make`` is raised each time: nothing is kept for it.
        """
        try:
            found: T = self._memo[key]
        except KeyError:
            found = self._memo[key] = make()
        return found

    @property
    def names(self) -> tuple[str, ...]:
        """Return the packs' names, root first."""
        return self.memoized("names", lambda: tuple(pack.name for pack in self.packs))

    @property
    def vocabulary(self) -> Vocabulary:
        """Return the chain's words: see :func:`vocabulary_of_packs`."""
        return self.memoized("vocabulary", lambda: vocabulary_of_packs(self.packs))

    def rules(self) -> tuple[RuleDefinition, ...]:
        """Return the rule each id resolves to, in the order ids first appear, root first.

        A disabled rule is returned too (``mechanism`` None) so that the trace can say
        who disabled it and why.
        """
        return self.memoized("rules", self._resolve_rules)

    def _resolve_rules(self) -> tuple[RuleDefinition, ...]:
        resolved: dict[str, RuleDefinition] = {}
        for pack in self.packs:
            for rule in pack.rules:
                resolved[rule.id] = rule
        return tuple(resolved.values())

    def mechanism_defined_for(self, rule_id: str) -> str | None:
        """Return the mechanism the most specific pack defining ``rule_id`` binds it to.

        A disabled rule keeps the stage of the definition it switches off; None when no
        pack of the chain defines the rule.
        """
        for pack in reversed(self.packs):
            for rule in pack.rules:
                if rule.id == rule_id and rule.mechanism is not None:
                    return rule.mechanism
        return None

    def parameter(self, name: str) -> ParameterUse:
        """Return the value of ``name`` in force on ``held_on`` from the most specific pack.

        The record is resolved once per chain and shared by every rule and session that
        reads it (it is frozen).

        Raises:
            PackError: no pack of the chain sets the parameter, or the most specific
                one that does has no value in force on ``held_on``.
        """
        return self.memoized(("parameter", name), lambda: self._resolve_parameter(name))

    def _resolve_parameter(self, name: str) -> ParameterUse:
        for pack in reversed(self.packs):
            parameter = pack.parameters.get(name)
            if parameter is None:
                continue
            dated = parameter.value_on(self.held_on)
            if dated is None:
                raise PackError(
                    f"pack {pack.name}: parameter {name} has no value in force on {self.held_on}",
                    zh=f"规则包 {pack.name}:参数 {name} 在 {self.held_on} 没有生效的取值",
                )
            return ParameterUse(
                name=name,
                pack=pack.name,
                value=dated.value,
                effective_from=dated.effective_from,
                citation=dated.citation,
                assumed=dated.assumed,
                note=dated.note,
            )
        chain = " ► ".join(self.names)
        raise PackError(
            f"no pack of the chain {chain} sets parameter {name}",
            zh=f"规则包链 {chain} 中没有规则包设定参数 {name}",
        )

    def fingerprint(self) -> str:
        """Return a SHA-256 of what decides an outcome: the rules and the values in force.

        Two chains with the same fingerprint give the same outcome for the same
        document; a pack whose rules or values in force changed gives another.
        """
        rules = [
            [rule.id, rule.pack, rule.mechanism, rule.severity, rule.disabled]
            for rule in self.rules()
        ]
        names = sorted({name for pack in self.packs for name in pack.parameters})
        values = []
        for name in names:
            use = self.parameter(name)
            values.append(
                [
                    name,
                    use.pack,
                    value_to_json(use.value),
                    use.effective_from.isoformat(),
                    use.assumed,
                ]
            )
        text = json.dumps(
            [list(self.names), rules, values],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vocabulary_of_packs(packs: tuple[Pack, ...]) -> Vocabulary:
    """Return the words of a line of packs (root first): the most specific declaration wins.

    The grades and actions are those of the most specific pack declaring them, else the
    glossary's. The ballot words that count are every word the tally rule's ``scale``
    (and ``abstentions``) takes, in any dated value, in the most specific pack that
    sets it; their labels are the declared ``words``. Labels of grades come before those
    of actions, then words, where an id is in two lists.
    """
    declared = {
        which: next(
            (getattr(p.vocabulary, which) for p in reversed(packs) if getattr(p.vocabulary, which)),
            None,
        )
        for which in ("grades", "words", "actions")
    }
    labels: dict[str, Text] = {}
    for which in ("words", "actions", "grades"):
        labels.update({term.id: term.name for term in declared[which] or ()})
    grades = tuple(t.id for t in declared["grades"]) if declared["grades"] else GRADES
    actions = tuple(t.id for t in declared["actions"]) if declared["actions"] else ACTION_KINDS
    default = Vocabulary()
    resolved: dict[str, RuleDefinition] = {}
    for pack in packs:
        resolved.update({rule.id: rule for rule in pack.rules})
    tally = next((r.id for r in resolved.values() if r.mechanism == TALLY_MECHANISM), None)
    if tally is None:
        return Vocabulary(grades=grades, actions=actions, labels=labels)
    return Vocabulary(
        grades=grades,
        words=_every_word(packs, f"{tally}.scale") or default.words,
        abstentions=_every_word(packs, f"{tally}.abstentions") or default.abstentions,
        actions=actions,
        labels=labels,
    )


def _every_word(packs: tuple[Pack, ...], name: str) -> tuple[str, ...]:
    for pack in reversed(packs):
        parameter = pack.parameters.get(name)
        if parameter is not None:
            words: dict[str, None] = {}
            for dated in parameter.values:
                if isinstance(dated.value, tuple):
                    words.update(dict.fromkeys(w for w in dated.value if isinstance(w, str)))
            return tuple(words)
    return ()
