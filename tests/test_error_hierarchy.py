"""The error hierarchy audit (DESIGN §9): only ``ZhipingError`` leaves the public API.

Two checks. Statically, every error class of :mod:`zhiping.errors` is expected by some
test (``pytest.raises(TheError)``), so none is dead or untested. Dynamically, hypothesis
drives the public entry points with arbitrary input (any JSON value, any text, any
bytes, any mapping, and broken variants of valid documents) and may see an outcome or
a ``ZhipingError`` subclass, nothing else.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhiping
from zhiping import errors
from zhiping.batch import evaluate_many
from zhiping.errors import ZhipingError
from zhiping.packs.registry import default_registry
from zhiping.store import Checkpoint, Store
from zhiping.testing import invalid_documents, session_documents

TESTS = Path(__file__).parent
EXAMPLE = TESTS.parent / "examples" / "guanzhai-2026.json"
ERROR_CLASSES = sorted(
    name
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, ZhipingError)
)


def _expected_in_tests() -> set[str]:
    """Return the names given to ``pytest.raises`` anywhere under ``tests/``."""
    names: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "raises"
                and node.args
            ):
                for expected in ast.walk(node.args[0]):
                    if isinstance(expected, ast.Name):
                        names.add(expected.id)
                    elif isinstance(expected, ast.Attribute):
                        names.add(expected.attr)
    return names


@pytest.mark.parametrize("name", ERROR_CLASSES)
def test_every_error_class_is_expected_by_some_test(name: str) -> None:
    """An error class no test expects is either dead or untested."""
    assert name in _expected_in_tests(), f"no test has pytest.raises({name})"


def test_every_error_class_is_a_zhiping_error_and_the_design_lists_them_all() -> None:
    """The hierarchy is DESIGN §9's, each class also the fitting built-in where it says so."""
    design = sorted(
        [
            "InputError",
            "NoApplicableRule",
            "PackConflict",
            "PackError",
            "SessionConflict",
            "StoreError",
            "TamperDetected",
            "ZhipingError",
        ]
    )
    assert design == ERROR_CLASSES
    assert issubclass(errors.InputError, ValueError)
    assert issubclass(errors.PackConflict, errors.PackError)
    assert issubclass(errors.TamperDetected, errors.StoreError)
    assert issubclass(errors.SessionConflict, errors.StoreError)


def test_the_base_class_is_what_a_caller_catches(tmp_path: Path) -> None:
    """``except ZhipingError`` catches a broken document, a missing pack and a tampered store."""
    with pytest.raises(ZhipingError):
        zhiping.parse_session("{}")
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(ZhipingError):
        zhiping.evaluate(document, pack="no-such-pack")
    path = tmp_path / "store.db"
    with Store(path) as store:
        store.evaluate(document)
    with closing(sqlite3.connect(path)) as db:
        db.execute("DROP TRIGGER records_are_append_only_update")
        db.execute("UPDATE records SET status = 'void'")
        db.commit()
    with Store(path) as store, pytest.raises(ZhipingError):
        store.verify().raise_if_tampered()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
"""Any JSON-like value, NaN and huge integers included."""

FIELDS = ["format", "id", "village", "year", "held_on", "roster", "ballots", "attendance"]


@st.composite
def tampered_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with one field, anywhere near the top, replaced by any value."""
    document: dict[str, Any] = draw(session_documents())
    key = draw(st.sampled_from(sorted(document)))
    target = document
    if isinstance(document[key], dict) and document[key] and draw(st.booleans()):
        target = document[key]
        key = draw(st.sampled_from(sorted(target)))
    target[key] = draw(json_values)
    return document


hostile_input = st.one_of(
    json_values,
    st.text(max_size=200),
    st.binary(max_size=200),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8),
    tampered_documents(),
    invalid_documents().map(lambda drawn: drawn[0]),
    invalid_documents().map(lambda drawn: json.dumps(drawn[0], ensure_ascii=False)),
)


def _only_zhiping_errors(call: Callable[[], object]) -> None:
    with contextlib.suppress(ZhipingError):
        call()


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hostile_input)
def test_parse_and_evaluate_raise_only_zhiping_errors(value: Any) -> None:
    """Whatever it is given, the engine's entry points answer or raise a ZhipingError."""
    _only_zhiping_errors(lambda: zhiping.parse_session(value))
    _only_zhiping_errors(lambda: zhiping.evaluate(value))
    _only_zhiping_errors(lambda: zhiping.parse_history(value))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_input, max_size=3))
def test_a_batch_reports_each_broken_document_and_raises_nothing(values: list[Any]) -> None:
    """``evaluate_many`` turns every broken document into a result with its problems."""
    texts = [v if isinstance(v, str) else json.dumps(v, default=str) for v in values]
    results = list(evaluate_many(texts))
    assert len(results) == len(texts)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(value=hostile_input)
def test_the_store_raises_only_zhiping_errors_and_records_nothing_broken(
    tmp_path: Path, value: Any
) -> None:
    """A store given anything either records a valid session or refuses it untouched."""
    with Store(tmp_path / "store.db") as store:
        before = store.checkpoint()
        try:
            store.evaluate(value)
        except ZhipingError:
            assert store.checkpoint() == before


@given(st.text(max_size=40), st.dates())
def test_pack_lookups_and_checkpoints_raise_only_zhiping_errors(text: str, on: date) -> None:
    """Names, division codes and checkpoints from outside are checked, not trusted."""
    registry = default_registry()
    _only_zhiping_errors(lambda: registry.chain(text, on))
    _only_zhiping_errors(lambda: registry.chain("420117101201", on, pack=text))
    _only_zhiping_errors(lambda: registry.lineage(text))
    _only_zhiping_errors(lambda: Checkpoint.parse(text))
