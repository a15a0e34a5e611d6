"""The words of a chain of packs: its grades, ballot words and action kinds, with labels.

A town names its own grades (较好 / 一般 / 较差), its own sanctions (诫免, 暂停职务) and
the words on its ballots. Documents and outcomes carry the ids (``good``, ``warning``);
a chain's :class:`Vocabulary` says which ids it knows, in which order, and how each is
written in Chinese and English. The glossary's words are the default, used by a chain
that declares none (and declared by the root pack ``cn``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

import attrs
from pydantic import GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from zhiping.glossary import ACTION_KINDS, GRADES, Text, name_of

__all__ = [
    "GLOSSARY_WORDS",
    "VOCABULARY_KEY",
    "WORDS_OF_THE_CHAIN",
    "ActionId",
    "GradeId",
    "Term",
    "Vocabulary",
    "WordId",
    "WordList",
    "with_vocabulary",
]

WordList = Literal["grades", "words", "actions"]
"""The three lists of a vocabulary."""

VOCABULARY_KEY = "x-zhiping-vocabulary"
"""The JSON Schema keyword that marks a string (or an object's keys) as one of a list."""


@attrs.frozen
class _OfList:
    """Marks a field's JSON Schema as holding ids of one list of the chain's vocabulary."""

    which: WordList

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema[VOCABULARY_KEY] = self.which
        return schema


WordId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
"""The id of a grade, ballot word or action kind: lower-case ASCII, digits and ``_``."""

GradeId = Annotated[WordId, _OfList("grades")]
"""A grade of the chain's scale (checked against the chain when a session is evaluated)."""

ActionId = Annotated[WordId, _OfList("actions")]
"""An action kind of the chain."""

WORDS_OF_THE_CHAIN = _OfList("words")
"""Marks a mapping keyed by the chain's ballot words (a tally)."""

GLOSSARY_WORDS: tuple[str, ...] = ("satisfied", "basically_satisfied", "dissatisfied")
"""The three-level scale of the root pack ``cn``: the ballot words when a chain sets none."""


@attrs.frozen
class Term:
    """One word of a vocabulary: its id and how it is written.

    Attributes:
        id: the id documents carry (``good``).
        name: its label in zh and en (``较好`` / ``good``).
    """

    id: str
    name: Text


@attrs.frozen
class Vocabulary:
    """The words a chain's documents, parameters and outcomes may name, and their labels.

    Attributes:
        grades: the grade scale, best first.
        words: the ballot words that count as votes.
        abstentions: the ballot words that are abstentions.
        actions: the kinds of action (consequence) a rule may give.
        labels: how the chain writes each id, in zh and en; an id it does not label is
            written as the glossary writes it.
    """

    grades: tuple[str, ...] = GRADES
    words: tuple[str, ...] = GLOSSARY_WORDS
    abstentions: tuple[str, ...] = ("unknown",)
    actions: tuple[str, ...] = ACTION_KINDS
    labels: Mapping[str, Text] = attrs.field(factory=dict, eq=False)

    def name_of(self, identifier: str) -> Text:
        """Return a word of the chain in zh and en; the glossary's word when unlabelled."""
        return self.labels.get(identifier) or name_of(identifier)

    def names_of(self, identifiers: Iterable[str]) -> Text:
        """Return words of the chain joined as a list: 较好、一般 / good, fair."""
        names = [self.name_of(identifier) for identifier in identifiers]
        return Text(zh="、".join(n.zh for n in names), en=", ".join(n.en for n in names))

    def rank_of(self, grade: str) -> int:
        """Return a grade's place on the scale, 0 for the best.

        Raises:
            ValueError: the grade is not on the scale.
        """
        return self.grades.index(grade)

    def ids(self, which: WordList) -> tuple[str, ...]:
        """Return the ids of one list as an outcome may carry them.

        ``grades`` and ``actions`` are the lists; ``words`` are the keys of a tally: the
        ballot words that count, then ``abstain`` and ``invalid``.
        """
        if which == "grades":
            return self.grades
        if which == "actions":
            return self.actions
        return (*self.words, "abstain", "invalid")


def with_vocabulary(schema: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """Return a JSON Schema whose marked strings are enums of the vocabulary's ids.

    A model marks a field with ``{"x-zhiping-vocabulary": "grades"}`` (or ``words``,
    ``actions``); here a string so marked gets ``enum`` and an object so marked gets
    ``propertyNames`` with that enum, so that a frontend's validator knows the chain's
    grades, ballot words and actions.
    """

    def walk(node: Any) -> Any:
        if isinstance(node, Mapping):
            done = {key: walk(value) for key, value in node.items()}
            which = node.get(VOCABULARY_KEY)
            if which in ("grades", "words", "actions"):
                ids = list(vocabulary.ids(which))
                if node.get("type") == "object":
                    done["propertyNames"] = {"enum": ids}
                else:
                    done["enum"] = ids
            return done
        if isinstance(node, Sequence) and not isinstance(node, str):
            return [walk(item) for item in node]
        return node

    walked: dict[str, Any] = walk(schema)
    return walked
