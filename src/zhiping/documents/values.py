"""The values a rule reads and an outcome cites: typed values, their sources, their JSON.

A pack's parameters (:mod:`zhiping.packs.parameters`) hold dated values of these types;
a rule that reads one records a :class:`ParameterUse`, which the outcome's trace shows
with its :class:`Citation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal, TypeAlias

import attrs

__all__ = [
    "KINDS",
    "Citation",
    "Comparison",
    "ParameterKind",
    "ParameterUse",
    "ShareCondition",
    "Value",
    "value_to_json",
]

ParameterKind = Literal["integer", "fraction", "decimal", "text", "texts", "table", "conditions"]
KINDS: tuple[ParameterKind, ...] = (
    "integer",
    "fraction",
    "decimal",
    "text",
    "texts",
    "table",
    "conditions",
)
"""The kinds of value: an int; an exact share like ``"4/5"``; a decimal like ``"0.90"``;
an identifier; a list of identifiers; a table of decimals keyed by identifier (a grade);
a list of share conditions (:class:`ShareCondition`)."""

Comparison = Literal["at_least", "more_than", "at_most", "less_than"]

SYMBOLS: Mapping[Comparison, str] = {
    "at_least": "≥",
    "more_than": ">",
    "at_most": "≤",
    "less_than": "<",
}


@attrs.frozen
class ShareCondition:
    """A condition on a share of the valid votes, giving a grade when it holds.

    ``ShareCondition("incompetent", ("dissatisfied",), "at_least", Fraction(1, 2))``
    reads: graded incompetent if the dissatisfied votes are at least half the valid ones.

    Attributes:
        grade: the grade given when the condition holds.
        words: the ballot words whose counts are added up.
        comparison: how their share compares with ``share``.
        share: the threshold, an exact fraction of the valid votes.
    """

    grade: str
    words: tuple[str, ...]
    comparison: Comparison
    share: Fraction

    def holds(self, count: int, valid_votes: int) -> bool:
        """Return whether ``count`` of ``valid_votes`` meets the condition (exactly)."""
        left = count * self.share.denominator
        right = valid_votes * self.share.numerator
        if self.comparison == "at_least":
            return left >= right
        if self.comparison == "more_than":
            return left > right
        if self.comparison == "at_most":
            return left <= right
        return left < right

    def describe(self) -> str:
        """Return the condition as a formula: ``dissatisfied ≥ 1/2 × n``."""
        words = " + ".join(self.words)
        return f"{words} {SYMBOLS[self.comparison]} {self.share} × n"


Value: TypeAlias = (
    int
    | Fraction
    | Decimal
    | str
    | tuple[str, ...]
    | Mapping[str, Decimal]
    | tuple[ShareCondition, ...]
)


@attrs.frozen
class Citation:
    """Where a rule or a value comes from.

    Attributes:
        title: the document's title.
        article: the article, section or paragraph, as the document numbers it.
        url: where to read it, when public.
        published_on: the document's date, when known.
    """

    title: str
    article: str | None = None
    url: str | None = None
    published_on: date | None = None


@attrs.frozen
class ParameterUse:
    """A parameter value as one rule used it: what the trace shows.

    Attributes:
        name: the parameter's name.
        pack: the pack whose value was in force (the most specific that sets it).
        value: the value used.
        effective_from: the date from which that value is in force.
        citation: its source, if any.
        assumed: whether the pack assumed it.
        note: the pack's remark on it.
    """

    name: str
    pack: str
    value: Value
    effective_from: date
    citation: Citation | None = None
    assumed: bool = False
    note: str | None = None


def value_to_json(value: Value) -> object:
    """Render a parameter value as JSON: fractions and decimals become strings."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, Fraction | Decimal):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {key: str(amount) for key, amount in value.items()}
    return [
        item
        if isinstance(item, str)
        else {
            "grade": item.grade,
            "words": list(item.words),
            "comparison": item.comparison,
            "share": str(item.share),
        }
        for item in value
    ]
