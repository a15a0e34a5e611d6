"""One bilingual text: every message zhiping carries in two languages is one keyword-only Text.

A ``Text`` names both languages at every call (``Text(zh=…, en=…)``), so no message can
have its Chinese and English swapped; a class that carries a message takes one ``Text``
rather than a pair of strings in an order of its own.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import zhiping
import zhiping.store
from zhiping.errors import Problem, ZhipingError
from zhiping.glossary import Text, name_of, names_of
from zhiping.store import Checkpoint, Discrepancy, Store


def test_a_text_names_both_languages_and_gives_either() -> None:
    text = Text(zh="满意", en="satisfied")
    assert (text["zh"], text["en"]) == ("满意", "satisfied")
    assert text.to_json() == {"zh": "满意", "en": "satisfied"}


def test_a_text_given_its_languages_by_position_is_refused() -> None:
    with pytest.raises(TypeError):
        Text("满意", "satisfied")  # type: ignore[call-arg]


def test_a_text_needs_both_languages() -> None:
    with pytest.raises(TypeError):
        Text(zh="满意")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Text(en="satisfied")  # type: ignore[call-arg]


def test_a_text_is_asked_only_for_chinese_or_english() -> None:
    with pytest.raises(KeyError):
        Text(zh="满意", en="satisfied")["fr"]


def test_glossary_words_are_texts_joined_in_each_languages_own_way() -> None:
    assert name_of("excellent") == Text(zh="优秀", en="excellent")
    assert names_of(["time", "place"]) == Text(zh="时间、地点", en="time, place")


def _modules() -> Iterator[str]:
    """Name every module of zhiping but ``__main__``, which runs the command line."""
    yield "zhiping"
    root = Path(zhiping.__file__).parent
    for module in pkgutil.walk_packages([str(root)], prefix="zhiping."):
        if not module.name.endswith("__main__"):
            yield module.name


def _classes() -> Iterator[type]:
    """Yield every class defined in a module of zhiping, private ones included."""
    for name in _modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name:
                yield cls


CLASSES = sorted(set(_classes()), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
LANGUAGES = ("zh", "en")


def test_the_walk_finds_the_classes_that_carry_messages() -> None:
    names = {cls.__qualname__ for cls in CLASSES}
    assert {"Text", "Problem", "Discrepancy", "Refused", "Invalid", "Finding"} <= names


def test_no_attrs_class_but_text_keeps_a_language_in_a_string_field_of_its_own() -> None:
    """A class carrying a message has one Text field, not a ``zh`` string beside another."""
    pairs = [
        f"{cls.__module__}.{cls.__qualname__}.{field.name}"
        for cls in CLASSES
        if attrs.has(cls) and cls is not Text
        for field in attrs.fields(cls)
        if field.name in LANGUAGES
    ]
    assert pairs == []


def test_no_class_takes_a_language_by_position() -> None:
    """``Refused(zh, en)`` and ``Problem(path, en, zh)`` are gone: a class takes a Text.

    Exceptions keep Python's own shape, the English as their argument, with the Chinese
    named (``PackError(message, zh=…)``): a language passed as a keyword cannot be
    swapped with the other.
    """
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    by_position = [
        f"{cls.__module__}.{cls.__qualname__}({parameter.name})"
        for cls in CLASSES
        if cls is not Text and "__init__" in vars(cls)
        for parameter in inspect.signature(vars(cls)["__init__"]).parameters.values()
        if parameter.name in LANGUAGES and parameter.kind in positional
    ]
    assert by_position == []


def test_an_error_is_told_its_chinese_by_name_only() -> None:
    parameter = inspect.signature(ZhipingError.__init__).parameters["zh"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY


def test_a_problem_refuses_two_strings_for_its_message() -> None:
    with pytest.raises(TypeError):
        Problem("year", "must be at most 9999", "应不大于9999")  # type: ignore[call-arg, arg-type]


def test_the_stores_discrepancy_is_named_apart_from_a_rules_finding() -> None:
    assert "Discrepancy" in zhiping.store.__all__
    assert "Finding" not in zhiping.store.__all__
    assert not hasattr(zhiping.store, "Finding")


def test_a_discrepancy_reads_in_either_language_with_its_session(tmp_path: Path) -> None:
    """An empty chain checked against a checkpoint of 3 events is found short, as a Text."""
    head = "0" * 64
    with Store(tmp_path / "records.db") as store:
        verification = store.verify(checkpoint=Checkpoint(3, head))
    assert verification.tampered == (
        Discrepancy(
            None,
            Text(
                zh=f"审计链只有0个事件,少于检查点 3:{head} 的3个",
                en=f"the chain has 0 events, fewer than the 3 of checkpoint 3:{head}",
            ),
        ),
    )
    found = verification.tampered[0]
    assert found.describe("en") == str(found) == found.message == found.text.en
    assert found.describe("zh") == found.zh == found.text.zh
    assert Discrepancy("s1", found.text).describe("zh") == f"s1: {found.text.zh}"
