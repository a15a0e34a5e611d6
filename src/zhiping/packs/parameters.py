"""Dated, cited parameter values: the numbers a rule pack sets.

A parameter has one or more values, each in force from a date; the value in force on a
session's ``held_on`` is the one used. Each value may cite where it comes from, or be
marked ``assumed`` when the source does not fix it. Values are typed; see
:data:`~zhiping.documents.values.KINDS`.
"""

from __future__ import annotations

from datetime import date

import attrs

from zhiping.documents._validation import Invalid
from zhiping.documents.values import Citation, ParameterKind, Value
from zhiping.glossary import Text

__all__ = ["DatedValue", "Parameter"]


@attrs.frozen
class DatedValue:
    """One value of a parameter and the date from which it is in force.

    Attributes:
        effective_from: the first day the value applies.
        value: the typed value.
        citation: the source that fixes it, if any.
        assumed: true when no source fixes it and the pack chose it.
        note: why it was assumed, or any remark the trace should show.
    """

    effective_from: date
    value: Value
    citation: Citation | None = None
    assumed: bool = False
    note: str | None = None


@attrs.frozen
class Parameter:
    """A named parameter of a pack with its dated values, oldest first.

    Attributes:
        name: ``<rule id>.<name>``, e.g. ``quorum.party_members.share``.
        kind: the kind of every value.
        values: the dated values, sorted by date, no two on the same date.
    """

    name: str
    kind: ParameterKind
    values: tuple[DatedValue, ...] = attrs.field()

    @values.validator
    def _dated_in_order(
        self, _: attrs.Attribute[tuple[DatedValue, ...]], values: tuple[DatedValue, ...]
    ) -> None:
        days = [value.effective_from for value in values]
        if not days:
            raise Invalid(
                Text(zh=f"参数 {self.name} 没有取值", en=f"parameter {self.name} has no value")
            )
        if days != sorted(set(days)):
            raise Invalid(
                Text(
                    zh=f"参数 {self.name}:各取值的生效日期应互不相同,并按先后排列",
                    en=f"parameter {self.name}: dates must be distinct and in order",
                ),
            )

    def value_on(self, day: date) -> DatedValue | None:
        """Return the value in force on ``day``, or None if none is in force yet."""
        in_force = [value for value in self.values if value.effective_from <= day]
        return in_force[-1] if in_force else None
