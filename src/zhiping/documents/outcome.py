"""The outcome of an evaluation: immutable values, and the ``zhiping.outcome/1`` document.

The engine builds an :class:`Outcome`; :meth:`Outcome.to_document` renders it as the
JSON document of DESIGN §3, whose JSON Schema comes from :class:`OutcomeDocument`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

import attrs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from zhiping.documents.values import Citation, ParameterUse, value_to_json
from zhiping.documents.vocabulary import WORDS_OF_THE_CHAIN, ActionId, GradeId
from zhiping.glossary import Severity, Text

__all__ = [
    "FORMAT",
    "Action",
    "Basis",
    "Finding",
    "Outcome",
    "OutcomeDocument",
    "Pay",
    "PayForm",
    "SubjectOutcome",
    "Tally",
    "Text",
    "TraceEntry",
    "exact_figure",
    "parameter_json",
    "pay_figures",
]

FORMAT = "zhiping.outcome/1"

Facts = Mapping[str, object]
"""JSON-ready values a finding or trace entry read: ints, strings, lists, booleans."""


@attrs.frozen
class Basis:
    """A source of a rule, as a finding cites it.

    Attributes:
        pack: the pack that supplies the rule.
        citation: the document and article.
    """

    pack: str
    citation: Citation

    def to_json(self) -> dict[str, Any]:
        """Return the basis as the outcome document spells it."""
        return {"pack": self.pack, **_citation_json(self.citation)}


@attrs.frozen
class Finding:
    """Something a rule found about the session.

    Attributes:
        rule: the finding's id (usually the rule's id, e.g. ``notice.period``).
        severity: ``violation`` voids the session; ``warning`` and ``info`` do not.
        message: what was found, in zh and en.
        facts: the values that led to it.
        basis: the sources of the rule.
        subject: the subject it concerns, if one.
    """

    rule: str
    severity: Severity
    message: Text
    facts: Facts = attrs.field(factory=dict)
    basis: tuple[Basis, ...] = ()
    subject: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the finding as the outcome document spells it."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message.to_json(),
            "facts": dict(self.facts),
            "basis": [basis.to_json() for basis in self.basis],
        }


@attrs.frozen
class Tally:
    """The count of marks for one subject.

    Attributes:
        scale: the pack's ballot words, in order.
        marks: the count for each word of ``scale``.
        abstain: ballots with no mark, or ``unknown``, for the subject.
        invalid: ballots whose mark is outside the scale.
    """

    scale: tuple[str, ...]
    marks: tuple[int, ...]
    abstain: int = 0
    invalid: int = 0

    @property
    def valid_votes(self) -> int:
        """Return n, the ballots with a mark on the scale."""
        return sum(self.marks)

    def count(self, *words: str) -> int:
        """Return the votes for the given words, added up."""
        return sum(self.marks[self.scale.index(word)] for word in words)

    def share(self, *words: str) -> Fraction | None:
        """Return the exact share of the valid votes the words got; None without valid votes."""
        n = self.valid_votes
        return Fraction(self.count(*words), n) if n else None

    def __add__(self, other: Tally) -> Tally:
        if self.scale != other.scale:
            raise ValueError("tallies on different scales cannot be added")
        return Tally(
            self.scale,
            tuple(a + b for a, b in zip(self.marks, other.marks, strict=True)),
            self.abstain + other.abstain,
            self.invalid + other.invalid,
        )

    def to_json(self) -> dict[str, int]:
        """Return ``{word: count, …, "abstain": …, "invalid": …}``."""
        return {
            **dict(zip(self.scale, self.marks, strict=True)),
            "abstain": self.abstain,
            "invalid": self.invalid,
        }


PayForm = Literal["coefficient", "proportional", "fixed"]
"""How a pay rule figures an amount: a grade's coefficient of the performance pay, a share
of it proportional to a score between two lines, or a fixed amount per month."""


def exact_figure(value: Decimal | Fraction | int) -> str:
    """Write a figure exactly: a decimal with at least 2 places when it is one, else ``a/b``.

    ``1.125`` stays ``1.125`` and ``0.9`` becomes ``0.90``; two thirds is ``2/3``, never a
    rounded ``0.67``.
    """
    if isinstance(value, Decimal) and value.is_finite() and not value.is_signed():
        digits = value.as_tuple().digits
        if len(digits) <= _EXACT_DIGITS:
            # A decimal is one already: the figure below, without a round trip by Fraction.
            return _with_places(value)
    fraction = Fraction(value)
    denominator = fraction.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1:
        return str(fraction)
    return _with_places(Decimal(fraction.numerator) / Decimal(fraction.denominator))


_EXACT_DIGITS = 28
"""The digits of the default decimal context: a decimal with no more is exact in it."""


def _with_places(decimal: Decimal) -> str:
    text = f"{decimal.normalize():f}"
    whole, _, places = text.partition(".")
    return f"{whole}.{places.ljust(2, '0')}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


@attrs.frozen
class Pay:
    """The pay a rule gives a cadre, with the exact figures that multiply to it.

    The figures are :meth:`figures`: the performance pay and the coefficient, or for a
    fixed amount the amount per month and the months. Their product, rounded half-up to
    the fen, is ``amount``; a pay whose figures do not give its amount cannot be built.

    Attributes:
        performance_pay: the cadre's performance pay, in yuan; None for a fixed amount.
        coefficient: the exact share of the performance pay: the grade's coefficient as
            the pack gives it (``1.125``), or for proportional pay the score's place
            between the two lines (``2/3``); None for a fixed amount.
        amount: the product of the figures, rounded half-up to the fen.
        form: how the amount was figured.
        score: proportional pay: the cadre's score.
        none_below: proportional pay: the score below which nothing is paid.
        full_at: proportional pay: the score from which the full pay is paid.
        per_month: fixed pay: the amount for one month, in yuan.
        months: fixed pay: the months of the session's period (a year 12, a quarter 3).

    Raises:
        ValueError: the figures are missing for the form, or do not give the amount.
    """

    performance_pay: Decimal | None
    coefficient: Decimal | Fraction | None
    amount: Decimal
    form: PayForm = attrs.field(default="coefficient", kw_only=True)
    score: Fraction | None = attrs.field(default=None, kw_only=True)
    none_below: Decimal | Fraction | None = attrs.field(default=None, kw_only=True)
    full_at: Decimal | Fraction | None = attrs.field(default=None, kw_only=True)
    per_month: Decimal | None = attrs.field(default=None, kw_only=True)
    months: int | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        numerator, denominator = 1, 1
        for figure in self.figures():
            top, bottom = figure.as_integer_ratio()
            numerator, denominator = numerator * top, denominator * bottom
        # Half-up to the fen, exactly: the fen is the integer part of product × 100 + ½,
        # that is (200 × numerator + denominator) // (2 × denominator), all in integers.
        fen = (200 * numerator + denominator) // (2 * denominator)
        if Decimal(fen).scaleb(-2) != self.amount:
            raise ValueError(f"pay figures {self.figures()} do not give the amount {self.amount}")

    def figures(self) -> tuple[Decimal | Fraction | int, ...]:
        """Return the exact figures whose product, rounded half-up to the fen, is the amount.

        Raises:
            ValueError: the form's figures are not all set.
        """
        if self.form == "fixed":
            found: tuple[Decimal | Fraction | int | None, ...] = (self.per_month, self.months)
        else:
            found = (self.performance_pay, self.coefficient)
        if self.form == "proportional" and None in (self.score, self.none_below, self.full_at):
            raise ValueError("proportional pay needs its score and both lines")
        figures = tuple(figure for figure in found if figure is not None)
        if len(figures) != len(found):
            raise ValueError(f"{self.form} pay needs the figures {found}")
        return figures

    def amount_text(self) -> str:
        """Return the amount as the outcome document spells it: yuan, to the fen."""
        return _money(self.amount)

    def to_json(self) -> dict[str, Any]:
        """Return the pay as the outcome document spells it: exact decimal strings in yuan.

        The keys ``performance_pay``, ``coefficient`` and ``amount`` are always present
        (the first two null for a fixed amount); ``form`` and the form's own figures only
        for a form other than ``coefficient``, so that coefficient pay reads as it always did.
        """
        document: dict[str, Any] = {
            "performance_pay": None
            if self.performance_pay is None
            else _money(self.performance_pay),
            "coefficient": None if self.coefficient is None else exact_figure(self.coefficient),
            "amount": self.amount_text(),
        }
        if self.form == "proportional":
            document["form"] = self.form
            for key, figure in (
                ("score", self.score),
                ("none_below", self.none_below),
                ("full_at", self.full_at),
            ):
                document[key] = None if figure is None else exact_figure(figure)
        elif self.form == "fixed":
            document["form"] = self.form
            document["per_month"] = None if self.per_month is None else exact_figure(self.per_month)
            document["months"] = self.months
        return document


def pay_figures(pay: Mapping[str, Any]) -> str:
    """Write a ``pay`` object of the outcome document as its product: ``10000.00 × 1.125``.

    The figures are the exact ones that, multiplied and rounded half-up to the fen, give
    the ``amount``: the performance pay and the coefficient, or for a fixed amount the
    amount per month and the months.
    """
    if pay.get("form") == "fixed":
        return f"{pay['per_month']} × {pay['months']}"
    return f"{pay['performance_pay']} × {pay['coefficient']}"


@attrs.frozen
class Action:
    """A consequence the result has for a subject.

    Attributes:
        kind: the consequence (``organizational_adjustment``, …).
        rule: the rule that gives it.
        pack: the pack that supplies the rule.
    """

    kind: str
    rule: str
    pack: str

    def to_json(self) -> dict[str, str]:
        """Return the action as the outcome document spells it."""
        return {"kind": self.kind, "rule": self.rule, "pack": self.pack}


@attrs.frozen
class SubjectOutcome:
    """The result for one subject: the organization or a cadre.

    Attributes:
        id: ``organization`` or the cadre's id.
        kind: ``organization`` or ``cadre``.
        eligible: whether the chain evaluates this subject.
        tally: its marks, when ballots were counted for it.
        grade: its grade, or None (void session, not eligible, no valid votes).
        pay: its performance pay, when a pay rule applies.
        actions: the consequences, in the order the rules gave them.
    """

    id: str
    kind: Literal["organization", "cadre"]
    eligible: bool
    tally: Tally | None
    grade: str | None = None
    pay: Pay | None = None
    actions: tuple[Action, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the subject as the outcome document spells it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "eligible": self.eligible,
            "tally": self.tally.to_json() if self.tally else None,
            "valid_votes": self.tally.valid_votes if self.tally else None,
            "grade": self.grade,
            "pay": self.pay.to_json() if self.pay else None,
            "actions": [action.to_json() for action in self.actions],
        }


@attrs.frozen
class TraceEntry:
    """One decision of the evaluation, with everything it read.

    Attributes:
        stage: the stage it belongs to (``quorum``, ``grade``, …).
        rule: the rule's id.
        pack: the pack that supplied the rule.
        subject: the subject decided on, if one.
        inputs: the facts of the session it read.
        parameters: each parameter value it used, with date, pack and citation.
        fulfilled: whether the rule's condition held; None when not a yes/no question.
        result: what it decided, in a word (``competent``, ``10800.00``, ``void``).
        message: the decision in a sentence, in zh and en.
        rule_assumed: true when the pack assumed the rule itself (no source fixes it).
        rule_note: why the rule was assumed.
    """

    stage: str
    rule: str
    pack: str
    message: Text
    subject: str | None = None
    inputs: Facts = attrs.field(factory=dict)
    parameters: tuple[ParameterUse, ...] = ()
    fulfilled: bool | None = None
    result: str | None = None
    rule_assumed: bool = False
    rule_note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the entry as the outcome document spells it.

        ``rule_assumed`` and ``rule_note`` appear only for a rule the pack assumed, so
        that every other entry reads as before.
        """
        return self._json([parameter_json(use) for use in self.parameters])

    def _json(self, parameters: object) -> dict[str, Any]:
        """Return the entry's JSON with ``parameters`` as the value of its parameters."""
        assumed: dict[str, Any] = {"rule_assumed": True} if self.rule_assumed else {}
        if self.rule_assumed and self.rule_note is not None:
            assumed["rule_note"] = self.rule_note
        return {
            "stage": self.stage,
            "rule": self.rule,
            "pack": self.pack,
            "subject": self.subject,
            "inputs": dict(self.inputs),
            "parameters": parameters,
            "fulfilled": self.fulfilled,
            "result": self.result,
            "message": self.message.to_json(),
            **assumed,
        }


@attrs.frozen
class Outcome:
    """What the rules give for one session.

    Attributes:
        session: the session's id.
        packs: the chain applied, root first.
        status: ``valid``, or ``void`` when any finding is a violation.
        findings: what the rules found, in the order of the stages.
        subjects: the organization, then the cadres in document order.
        trace: every decision, in order.
    """

    session: str
    packs: tuple[str, ...]
    status: Literal["valid", "void"]
    findings: tuple[Finding, ...]
    subjects: tuple[SubjectOutcome, ...]
    trace: tuple[TraceEntry, ...]

    def subject(self, subject_id: str) -> SubjectOutcome:
        """Return the result for one subject.

        Raises:
            KeyError: no subject has that id.
        """
        for subject in self.subjects:
            if subject.id == subject_id:
                return subject
        raise KeyError(subject_id)

    def findings_of(self, rule: str) -> tuple[Finding, ...]:
        """Return the findings with the given rule id."""
        return tuple(finding for finding in self.findings if finding.rule == rule)

    def to_document(self) -> dict[str, Any]:
        """Return the ``zhiping.outcome/1`` document as JSON-ready data."""
        return {
            "format": FORMAT,
            **self.results_json(),
            "trace": [entry.to_json() for entry in self.trace],
        }

    def to_text(self) -> str:
        """Return the ``zhiping.outcome/1`` document as compact JSON text, one line.

        The text is ``json.dumps(self.to_document(), ensure_ascii=False,
        separators=(",", ":"))``, character for character. Most of its bytes are the
        parameter values that every trace entry repeats; each is encoded once per
        process (a chain shares its records among sessions) and set into the text.
        """
        lists: list[str] = []
        numbered: dict[tuple[int, ...], str] = {}
        trace = []
        for entry in self.trace:
            # The entry holds its records, so their ids name them while this runs.
            key = tuple(map(id, entry.parameters))
            mark = numbered.get(key)
            if mark is None:
                mark = numbered[key] = _MARK.format(len(lists))
                lists.append("[" + ",".join(map(_parameter_text, entry.parameters)) + "]")
            trace.append(entry._json(mark))
        text = _COMPACT.encode({"format": FORMAT, **self.results_json(), "trace": trace})
        parts = _MARKED.split(text)
        if len(parts) != 2 * len(trace) + 1:
            # A mark's text elsewhere in the document (a string no check lets in, but
            # the text must be right whatever it holds): encode it all as it is.
            return _COMPACT.encode(self.to_document())
        parts[1::2] = [lists[int(number)] for number in parts[1::2]]
        return "".join(parts)

    def results_json(self) -> dict[str, Any]:
        """Return what every outcome format carries, as JSON-ready data, in its order.

        The session, the packs, the status, the findings and the subjects: the
        ``zhiping.outcome/1`` document without its format and its trace.
        """
        return {
            "session": self.session,
            "packs": list(self.packs),
            "status": self.status,
            "findings": [finding.to_json() for finding in self.findings],
            "subjects": [subject.to_json() for subject in self.subjects],
        }


def _citation_json(citation: Citation | None) -> dict[str, Any]:
    if citation is None:
        return {"title": None, "article": None, "url": None}
    return {"title": citation.title, "article": citation.article, "url": citation.url}


_PARAMETERS_KEPT = 4096
"""How many parameter records' JSON a process keeps (a chain shares its records)."""

_parameters_kept: dict[int, tuple[ParameterUse, dict[str, Any], str]] = {}


def _kept(use: ParameterUse) -> tuple[ParameterUse, dict[str, Any], str]:
    """Return a record with its JSON and that JSON as compact text, both made once."""
    kept = _parameters_kept.get(id(use))
    if kept is None:
        # The entry holds the record, so its id is not reused while the entry is kept.
        if len(_parameters_kept) >= _PARAMETERS_KEPT:
            _parameters_kept.clear()
        shown = _parameter_json(use)
        kept = _parameters_kept[id(use)] = (use, shown, _COMPACT.encode(shown))
    return kept


def parameter_json(use: ParameterUse) -> dict[str, Any]:
    """Return a parameter value as a rule used it: name, pack, value, date, citation, assumed.

    A chain hands the same frozen record to every rule and session that reads the
    parameter, so the record's JSON is built once per process and each call returns a
    fresh copy of it (the caller may change what it is given).
    """
    shown = dict(_kept(use)[1])
    value = shown["value"]
    if isinstance(value, dict | list):
        shown["value"] = value_to_json(use.value)
    if shown["citation"] is not None:
        shown["citation"] = dict(shown["citation"])
    return shown


def _parameter_text(use: ParameterUse) -> str:
    """Return :func:`parameter_json` of a record as compact JSON text, encoded once."""
    return _kept(use)[2]


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""What ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` encodes with."""

_MARK = "\x00zhiping-parameters:{}\x00"
"""Stands for a trace entry's parameters in :meth:`Outcome.to_text` until they are set in."""

_MARKED = re.compile(r'"\\u0000zhiping-parameters:([0-9]+)\\u0000"')
"""A mark as :data:`_COMPACT` writes it (a NUL is written ``\\u0000``)."""


def _parameter_json(use: ParameterUse) -> dict[str, Any]:
    return {
        "name": use.name,
        "pack": use.pack,
        "value": value_to_json(use.value),
        "effective_from": use.effective_from.isoformat(),
        "citation": _citation_json(use.citation) if use.citation else None,
        "assumed": use.assumed,
        "note": use.note,
    }


# The document models below exist to generate the JSON Schema and to read outcomes
# back; the engine never builds them.


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextDocument(_Doc):
    """A message in Chinese and English."""

    zh: str
    en: str


class CitationDocument(_Doc):
    """A document and article that a rule or value comes from."""

    title: str | None
    article: str | None
    url: str | None


class BasisDocument(CitationDocument):
    """A source of a rule, with the pack that supplies it."""

    pack: str


class FindingDocument(_Doc):
    """Something a rule found; a ``violation`` voids the session."""

    rule: str
    severity: Severity
    subject: str | None
    message: TextDocument
    facts: dict[str, Any]
    basis: list[BasisDocument]


class PayDocument(_Doc):
    """A cadre's pay: the exact figures that multiply to the amount, as strings in yuan.

    ``amount`` is ``performance_pay × coefficient`` (or, for a ``fixed`` form,
    ``per_month × months``) rounded half-up to the fen. The coefficient is exact: a decimal
    with at least 2 places (``1.125``), or a fraction (``2/3``). Without ``form`` the pay
    is by a grade's coefficient.
    """

    performance_pay: str | None = Field(pattern=r"^[0-9]+\.[0-9]{2}$")
    coefficient: str | None = Field(pattern=r"^[0-9]+(\.[0-9]{2,}|/[0-9]+)$")
    amount: str = Field(pattern=r"^[0-9]+\.[0-9]{2}$")
    form: PayForm | None = None
    score: str | None = Field(default=None, pattern=r"^[0-9]+(\.[0-9]{2,}|/[0-9]+)$")
    none_below: str | None = Field(default=None, pattern=r"^[0-9]+(\.[0-9]{2,}|/[0-9]+)$")
    full_at: str | None = Field(default=None, pattern=r"^[0-9]+(\.[0-9]{2,}|/[0-9]+)$")
    per_month: str | None = Field(default=None, pattern=r"^[0-9]+\.[0-9]{2,}$")
    months: int | None = Field(default=None, ge=1, le=12)

    @model_serializer(mode="wrap")
    def _leave_off_other_forms(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # The keys of one form only, as Pay.to_json writes them: coefficient pay reads as
        # it did before there were other forms.
        dumped: dict[str, Any] = handler(self)
        return {
            key: value for key, value in dumped.items() if key in _PAY_KEYS or value is not None
        }


_PAY_KEYS = frozenset({"performance_pay", "coefficient", "amount"})


class ActionDocument(_Doc):
    """A consequence of the result, with the rule and pack that give it."""

    kind: ActionId
    rule: str
    pack: str


class SubjectDocument(_Doc):
    """The result for the organization or one cadre."""

    id: str
    kind: Literal["organization", "cadre"]
    eligible: bool
    tally: Annotated[dict[str, int], WORDS_OF_THE_CHAIN] | None
    valid_votes: int | None
    grade: GradeId | None
    pay: PayDocument | None
    actions: list[ActionDocument]


class ParameterDocument(_Doc):
    """A parameter value as a rule used it."""

    name: str
    pack: str
    value: Any
    effective_from: date
    citation: CitationDocument | None
    assumed: bool
    note: str | None


class TraceDocument(_Doc):
    """One decision of the evaluation."""

    stage: str
    rule: str
    pack: str
    subject: str | None
    inputs: dict[str, Any]
    parameters: list[ParameterDocument]
    fulfilled: bool | None
    result: str | None
    message: TextDocument
    # Present only on the entries of a rule the pack assumed (optional in outcome/1).
    rule_assumed: Annotated[bool, Field(exclude_if=lambda value: not value)] = False
    rule_note: Annotated[str | None, Field(exclude_if=lambda value: value is None)] = None


class OutcomeDocument(_Doc):
    """The outcome document ``zhiping.outcome/1``."""

    format: Literal["zhiping.outcome/1"]
    session: str
    packs: list[str]
    status: Literal["valid", "void"]
    findings: list[FindingDocument]
    subjects: list[SubjectDocument]
    trace: list[TraceDocument]
