"""The JSON Schemas of the documents, as ``zhiping schema`` prints them and the server serves them.

Generated from the pydantic models: ``zhiping.session/1``, ``zhiping.outcome/1`` and the
compact ``zhiping.outcome/2``. Without a chain's words a grade, ballot word or action is
any id, marked ``x-zhiping-vocabulary``; with them (:func:`with_vocabulary`) they are
enums of that chain's grades, tally words and actions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from zhiping.documents.compact import CompactOutcomeDocument
from zhiping.documents.outcome import OutcomeDocument
from zhiping.documents.session import Session
from zhiping.documents.vocabulary import Vocabulary, with_vocabulary

__all__ = ["document_schema"]


def document_schema(
    document: Literal["session", "outcome"],
    *,
    version: int = 1,
    pack: str | None = None,
    vocabulary: Vocabulary | None = None,
) -> dict[str, Any]:
    """Return the JSON Schema of a document.

    Args:
        document: ``session`` or ``outcome``.
        version: the outcome's format, 1 or 2 (a session has one format).
        pack: the pack whose chain's words the schema lists, with ``vocabulary``.
        vocabulary: the words of ``pack``'s chain.

    Raises:
        ValueError: ``pack`` is given without ``vocabulary``, or the other way round.
    """
    if (pack is None) != (vocabulary is None):
        raise ValueError("a pack and its chain's vocabulary are given together")
    model: type[BaseModel] = Session
    shown_version = 1
    if document == "outcome":
        shown_version = version
        model = OutcomeDocument if version == 1 else CompactOutcomeDocument
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:zhiping:{document}:{shown_version}",
        **model.model_json_schema(by_alias=True),
    }
    if pack is not None and vocabulary is not None:
        schema = with_vocabulary(schema, vocabulary)
        schema["$id"] = f"urn:zhiping:{document}:{shown_version}:{pack}"
    return schema
