"""``zhiping.documents.schemas``: the schemas the CLI prints and the server serves."""

from __future__ import annotations

import json

import pytest

from zhiping.documents.schemas import document_schema
from zhiping.packs.registry import default_registry


def test_each_document_and_format_is_named_by_its_id() -> None:
    assert document_schema("session")["$id"] == "urn:zhiping:session:1"
    assert document_schema("session", version=2)["$id"] == "urn:zhiping:session:1"
    assert document_schema("outcome")["$id"] == "urn:zhiping:outcome:1"
    assert document_schema("outcome", version=2)["$id"] == "urn:zhiping:outcome:2"


def test_a_packs_schema_lists_its_chains_grades_best_first() -> None:
    vocabulary = default_registry().check_pack("xinzhou").vocabulary
    schema = document_schema("outcome", pack="xinzhou", vocabulary=vocabulary)
    assert schema["$id"] == "urn:zhiping:outcome:1:xinzhou"
    # DESIGN §5: Xinzhou grades excellent, competent, basically competent, incompetent.
    grades = ["excellent", "competent", "basically_competent", "incompetent"]
    assert f'"enum": {json.dumps(grades)}' in json.dumps(schema)


def test_a_pack_without_its_words_or_words_without_a_pack_is_a_mistake() -> None:
    vocabulary = default_registry().check_pack("xinzhou").vocabulary
    with pytest.raises(ValueError, match="together"):
        document_schema("session", pack="xinzhou")
    with pytest.raises(ValueError, match="together"):
        document_schema("session", vocabulary=vocabulary)
