"""What a mechanism's parameters mean, and the checks a pack's values must pass.

A mechanism declares each parameter's *meaning*, not just its kind: ``grade()`` is a
grade of the chain's scale, ``integer(at_least=1)`` an int of at least 1,
``grade_table()`` a table of decimals keyed by grade that covers every grade, ``bands()``
minimum scores that rank with the grades. Each value of a pack is checked against its
declaration when a chain is built (:meth:`zhiping.packs.PackRegistry.check`), first for
its type with a pydantic ``TypeAdapter``, then against the chain's :class:`Vocabulary`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal

import attrs
from pydantic import Field, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from zhiping.documents._validation import texts_of
from zhiping.documents.values import KINDS, ParameterKind, ShareCondition, Value
from zhiping.documents.vocabulary import GLOSSARY_WORDS, Vocabulary
from zhiping.glossary import CAPACITIES, POSTS, Capacity, Post, Text

__all__ = [
    "GLOSSARY_WORDS",
    "ParameterType",
    "Vocabulary",
    "action",
    "ballot_words",
    "bands",
    "capacities",
    "capacity",
    "decimal",
    "fraction",
    "grade",
    "grade_table",
    "integer",
    "of_kind",
    "one_of",
    "posts",
    "share_conditions",
    "table",
    "text",
    "texts",
]

Check = Callable[[Any, Vocabulary], list[Text]]
"""A cross-check of a value against the chain's vocabulary: the problems it finds."""


@attrs.frozen
class ParameterType:
    """What a parameter must be: its kind in the pack file, its type, and its meaning.

    Attributes:
        kind: the kind a pack file declares (``kind = "table"``), one of ``KINDS``.
        meaning: what the value must be, in zh and en, for messages and the docs.
        adapter: the pydantic adapter of the declared type (constraints included), if
            the kind alone does not say it all.
        checks: the cross-checks against the chain's vocabulary.
        default: the value a rule uses where no pack of the chain gives one in force on
            the session's date; None for a parameter every chain must set. A parameter
            with a default is optional: a pack written before it existed keeps loading,
            and the trace shows the default as an assumed value.
    """

    kind: ParameterKind
    meaning: Text
    adapter: TypeAdapter[Any] | None = attrs.field(default=None, eq=False)
    checks: tuple[Check, ...] = attrs.field(default=(), eq=False)
    default: Value | None = None

    def problems(self, value: Value, vocabulary: Vocabulary) -> list[Text]:
        """Return what is wrong with a value of this parameter (nothing if it is sound)."""
        if self.adapter is not None:
            try:
                self.adapter.validate_python(value, strict=True)
            except ValidationError as error:
                return [_located(item) for item in error.errors(include_url=False)]
        return [problem for check in self.checks for problem in check(value, vocabulary)]


def _located(error: ErrorDetails) -> Text:
    """Return one of pydantic's errors, prefixed with where in the value it is (``[0]``)."""
    text = texts_of(error)
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"])
    return Text(zh=f"{where}: {text.zh}", en=f"{where}: {text.en}") if where else text


def _listed(what: Text, value: object, allowed: Iterable[str]) -> list[Text]:
    allowed = tuple(allowed)
    if value in allowed:
        return []
    return [
        Text(
            zh=f"{value!r} 不是{what.zh}(应为 {'、'.join(allowed)} 之一)",
            en=f"{value!r} is not {what.en} (expected one of {', '.join(allowed)})",
        )
    ]


_A_GRADE = Text(zh="规则包链等次表中的等次", en="a grade of the chain's scale")
_A_WORD = Text(zh="规则包链测评票上的选项", en="a ballot word of the chain")
_AN_ACTION = Text(zh="规则包链中的处理方式", en="an action kind of the chain")


def _grades(value: Iterable[str], vocabulary: Vocabulary) -> list[Text]:
    return [p for item in value for p in _listed(_A_GRADE, item, vocabulary.grades)]


def _words(value: Iterable[str], vocabulary: Vocabulary) -> list[Text]:
    return [p for item in value for p in _listed(_A_WORD, item, vocabulary.words)]


def _distinct(value: tuple[str, ...], _: Vocabulary) -> list[Text]:
    repeated = sorted({item for item in value if value.count(item) > 1})
    if not repeated:
        return []
    return [Text(zh=f"重复的项:{'、'.join(repeated)}", en=f"repeated: {', '.join(repeated)}")]


def _some(value: tuple[str, ...], _: Vocabulary) -> list[Text]:
    # Not a min_length on the adapter: pydantic would also call a list of one misspelt
    # word empty (it counts the items left after validation).
    if value:
        return []
    return [Text(zh="不能为空,至少应有1项", en="must not be empty: give at least one item")]


def _covers_every_grade(value: Mapping[str, Decimal], vocabulary: Vocabulary) -> list[Text]:
    missing = [grade for grade in vocabulary.grades if grade not in value]
    if not missing:
        return []
    return [
        Text(
            zh=f"缺少等次 {'、'.join(missing)}:按等次的表须涵盖每个等次",
            en=f"no value for {', '.join(missing)}: a table by grade covers every grade",
        )
    ]


def _rank_with_grades(value: Mapping[str, Decimal], vocabulary: Vocabulary) -> list[Text]:
    ranked = [(grade, value[grade]) for grade in vocabulary.grades if grade in value]
    problems = []
    for (better, higher), (worse, lower) in itertools.pairwise(ranked):
        if not higher > lower:
            problems.append(
                Text(
                    zh=f"分数线应随等次降低:{better} 的 {higher} 应高于 {worse} 的 {lower}",
                    en=f"bands rank with grades: {better}'s {higher} must be above "
                    f"{worse}'s {lower}",
                )
            )
    return problems


def _conditions(value: tuple[ShareCondition, ...], vocabulary: Vocabulary) -> list[Text]:
    problems = []
    for index, condition in enumerate(value):
        for problem in (
            _listed(_A_GRADE, condition.grade, vocabulary.grades)
            + _words(condition.words, vocabulary)
            + _share_within(condition.share, Fraction(0), Fraction(1))
        ):
            problems.append(Text(zh=f"[{index}]: {problem.zh}", en=f"[{index}]: {problem.en}"))
    return problems


def _share_within(share: Fraction, low: Fraction, high: Fraction | None) -> list[Text]:
    if low <= share and (high is None or share <= high):
        return []
    bounds = Text(zh=f"不小于 {low}", en=f"at least {low}")
    if high is not None:
        bounds = Text(zh=f"在 {low} 与 {high} 之间", en=f"between {low} and {high}")
    return [Text(zh=f"比例 {share} 应{bounds.zh}", en=f"the share {share} must be {bounds.en}")]


def _adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def integer(*, at_least: int = 0, default: int | None = None) -> ParameterType:
    """Declare an int of at least ``at_least``; optional when it has a ``default``.

    Raises:
        ValueError: the default is not an int of at least ``at_least``.
    """
    if default is not None and (isinstance(default, bool) or default < at_least):
        raise ValueError(f"the default {default!r} is not an integer of at least {at_least}")
    meaning = Text(zh=f"不小于 {at_least} 的整数", en=f"an integer of at least {at_least}")
    if default is not None:
        meaning = Text(
            zh=f"{meaning.zh}(可不设,默认为 {default})",
            en=f"{meaning.en} (optional, {default} by default)",
        )
    return ParameterType(
        "integer", meaning, _adapter(Annotated[int, Field(ge=at_least)]), default=default
    )


def fraction(
    *, at_least: Fraction = Fraction(0), at_most: Fraction | None = Fraction(1)
) -> ParameterType:
    """Declare an exact share (``"4/5"``) of at least ``at_least`` and at most ``at_most``."""
    meaning = Text(
        zh=f"不小于 {at_least} 的精确比例", en=f"an exact fraction of at least {at_least}"
    )
    if at_most is not None:
        meaning = Text(
            zh=f"{at_least} 至 {at_most} 之间的精确比例",
            en=f"an exact fraction from {at_least} to {at_most}",
        )
    return ParameterType(
        "fraction", meaning, checks=(lambda share, _: _share_within(share, at_least, at_most),)
    )


def decimal(*, at_least: Decimal = Decimal(0)) -> ParameterType:
    """Declare a decimal of at least ``at_least``."""
    return ParameterType(
        "decimal",
        Text(zh=f"不小于 {at_least} 的十进制数", en=f"a decimal of at least {at_least}"),
        _adapter(Annotated[Decimal, Field(ge=at_least, allow_inf_nan=False)]),
    )


def text() -> ParameterType:
    """Declare an identifier, with no further meaning."""
    return ParameterType("text", Text(zh="标识符", en="an identifier"))


def texts(*, distinct: bool = True) -> ParameterType:
    """Declare a non-empty list of identifiers, each once unless ``distinct`` is false."""
    return ParameterType(
        "texts",
        Text(zh="不重复的标识符列表", en="a list of distinct identifiers"),
        _adapter(Annotated[tuple[str, ...], Field(min_length=1)]),
        (_distinct,) if distinct else (),
    )


def one_of(*options: str) -> ParameterType:
    """Declare one of a fixed set of identifiers."""
    return ParameterType(
        "text",
        Text(zh=f"{'、'.join(options)} 之一", en=f"one of {', '.join(options)}"),
        _adapter(Literal[options]),
    )


def grade() -> ParameterType:
    """Declare a grade of the chain's scale."""
    return ParameterType(
        "text", _A_GRADE, checks=(lambda value, vocabulary: _grades([value], vocabulary),)
    )


def action() -> ParameterType:
    """Declare an action kind of the chain."""
    return ParameterType(
        "text",
        _AN_ACTION,
        checks=(lambda value, vocabulary: _listed(_AN_ACTION, value, vocabulary.actions),),
    )


def capacity(*, also: tuple[str, ...] = ()) -> ParameterType:
    """Declare a capacity of attendance (or one of ``also``, like ``evaluator``)."""
    return one_of(*CAPACITIES, *also)


def capacities() -> ParameterType:
    """Declare a non-empty list of distinct capacities of attendance."""
    return ParameterType(
        "texts",
        Text(zh=f"{'、'.join(CAPACITIES)} 中的若干项", en=f"some of {', '.join(CAPACITIES)}"),
        _adapter(tuple[Capacity, ...]),
        (_some, _distinct),
    )


def posts() -> ParameterType:
    """Declare a non-empty list of distinct posts of the glossary."""
    return ParameterType(
        "texts",
        Text(zh=f"{'、'.join(POSTS)} 中的若干项", en=f"some of {', '.join(POSTS)}"),
        _adapter(tuple[Post, ...]),
        (_some, _distinct),
    )


def ballot_words() -> ParameterType:
    """Declare a non-empty list of distinct ballot words of the chain (no abstentions)."""
    return ParameterType(
        "texts",
        Text(zh="规则包链测评票上的选项列表", en="a list of the chain's ballot words"),
        _adapter(Annotated[tuple[str, ...], Field(min_length=1)]),
        (_distinct, _words),
    )


def table() -> ParameterType:
    """Declare a table of non-negative decimals keyed by identifier."""
    return ParameterType(
        "table",
        Text(zh="以标识符为键、非负十进制数为值的表", en="a table of non-negative decimals"),
        _adapter(Annotated[dict[str, Annotated[Decimal, Field(ge=0)]], Field(min_length=1)]),
    )


def grade_table() -> ParameterType:
    """Declare a table of non-negative decimals keyed by grade, covering every grade."""
    return ParameterType(
        "table",
        Text(
            zh="以等次为键的十进制数表,涵盖每个等次",
            en="a table of decimals keyed by grade, covering every grade",
        ),
        _adapter(dict[str, Annotated[Decimal, Field(ge=0)]]),
        (lambda value, vocabulary: _grades(value, vocabulary), _covers_every_grade),
    )


def bands() -> ParameterType:
    """Declare minimum scores keyed by grade, higher for a better grade."""
    return ParameterType(
        "table",
        Text(
            zh="以等次为键的最低分,等次越高分数线越高",
            en="least scores keyed by grade, higher for a better grade",
        ),
        _adapter(Annotated[dict[str, Annotated[Decimal, Field(ge=0)]], Field(min_length=1)]),
        (lambda value, vocabulary: _grades(value, vocabulary), _rank_with_grades),
    )


def share_conditions() -> ParameterType:
    """Declare share conditions whose grades and words are the chain's, shares within 0–1."""
    return ParameterType(
        "conditions",
        Text(
            zh="比例条件列表,等次和选项属于规则包链",
            en="share conditions naming the chain's grades and ballot words",
        ),
        checks=(_conditions,),
    )


_UNSAID = {
    "integer": Text(zh="整数", en="an integer"),
    "fraction": Text(zh="精确比例", en="an exact fraction"),
    "decimal": Text(zh="十进制数", en="a decimal"),
    "text": Text(zh="标识符", en="an identifier"),
    "texts": Text(zh="标识符列表", en="a list of identifiers"),
    "table": Text(zh="十进制数表", en="a table of decimals"),
    "conditions": Text(zh="比例条件列表", en="a list of share conditions"),
}


def of_kind(kind: ParameterKind) -> ParameterType:
    """Declare a value of ``kind`` and no further meaning (a plugin's older declaration).

    Raises:
        ValueError: ``kind`` is not one of ``KINDS``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown parameter kind {kind!r}; expected one of {', '.join(KINDS)}")
    return ParameterType(kind, _UNSAID[kind])
