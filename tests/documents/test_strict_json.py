"""The strict JSON reader: a cheap screen decides when the walk can be skipped.

The reference is the walk itself, run on every decoded value (``check_value``): for
any text, ``load_json`` must refuse exactly what the walk refuses, with the same
problems, whether the screen let it skip the walk or not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from zhiping.documents import _json
from zhiping.documents.limits import MAX_DEPTH, MAX_STRING_LENGTH
from zhiping.errors import InputError


def walked(text: str) -> list[str] | None:
    """The problems the walk finds in the decoded text; None when it finds none."""
    try:
        _json.check_value(_json._DECODER.decode(text))
    except InputError as error:
        return [str(problem) for problem in error.problems]
    return None


def loaded(text: str) -> list[str] | None:
    try:
        _json.load_json(text)
    except InputError as error:
        return [str(problem) for problem in error.problems]
    return None


# The strings at and over the length limit are in the cases below: drawn, they are slow.
TRICKY = st.sampled_from(
    ["管寨村", "a", "", "\t", "\n", "\u0000", "\u001b[31m", "\u007f", "\u009b", "\u202e",
     "\u200f", "\ud800", '"', "\\", "/", "\b", "\f"]
)  # fmt: skip
STRINGS = st.one_of(st.text(max_size=20), TRICKY, st.lists(TRICKY, max_size=3).map("".join))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    STRINGS,
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(STRINGS, children, max_size=3)
    ),
    max_leaves=20,
)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@settings(max_examples=300, derandomize=True)
@given(value=VALUES, ascii_only=st.booleans())
@example(value={"a": [[[["deep"]]]]}, ascii_only=False)
def test_load_json_refuses_exactly_what_the_walk_refuses(value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert loaded(text) == walked(text)


@pytest.mark.parametrize(
    "text",
    [
        nested(MAX_DEPTH),
        nested(MAX_DEPTH + 1),
        '{"a": 1, "a": 2}',
        '{"n": 1234567890123456}',
        '{"n": 123456789012345}',
        '{"n": 1e999}',
        '{"n": NaN}',
        '{"n": -Infinity}',
        '{"s": "' + "z" * (MAX_STRING_LENGTH + 1) + '"}',
        '{"s": "' + "z" * MAX_STRING_LENGTH + '"}',
        '{"' + "k" * (MAX_STRING_LENGTH + 1) + '": 1}',
        '{"s": "a\\u0000b"}',
        '{"s": "\\"' + "q" * MAX_STRING_LENGTH + '\\""}',
        '{"s": "a\\bb"}',
        '{"s": "a\\nb\\tc"}',
        '{"s": "[[[[[[[[[[[[[[[[[[[[[["}',
        '{"s": "\u202e"}',
        '{"\u0085": 1}',
    ],
)
def test_each_limit_is_refused_alike_at_and_over_it(text: str) -> None:
    assert loaded(text) == walked(text)


def test_a_plain_document_skips_the_walk_and_a_suspect_one_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(_json, "check_value", lambda value: calls.append(value))
    _json.load_json('{"village": {"code": "420117101201", "name": "管寨村"}, "n": [1, 2.5]}')
    assert calls == []
    _json.load_json('{"a": 1, "a": 1}')
    _json.load_json('{"s": "\\u0041"}')
    assert len(calls) == 2
