"""Reading JSON from outside: strictly, within the limits, every problem with its path.

Python's :func:`json.loads` is lenient where a document from a phone or a township
office must not be: it takes ``NaN`` and ``Infinity``, keeps the last of two equal keys,
converts integers of any length (and raises a plain ``ValueError`` past 4,300 digits),
and recurses until ``RecursionError``. Here each of those is a
:class:`~zhiping.errors.InputError` with the JSON path, and so is anything over the
limits of :mod:`zhiping.documents.limits`. A UTF-8 byte order mark at the start of the bytes is
ignored, as editors on Windows write one; in text already decoded, it is refused.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from zhiping.documents._validation import not_json
from zhiping.documents.limits import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_INTEGER_DIGITS,
    MAX_STRING_LENGTH,
)
from zhiping.errors import InputError, Problem, json_path
from zhiping.glossary import Text

__all__ = ["check_value", "is_json_object", "load_json", "too_large"]

_REPORTED = 20
"""Problems reported at most by the walk; a hostile document can have millions."""

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""Control characters (but tab and line breaks), lone surrogates, and the bidirectional
overrides, isolates and marks (LRM, RLM, ALM): invisible, or able to make a posted name
read as another."""


_UTF8_REASONS = {
    "invalid start byte": "有无效的起始字节",
    "invalid continuation byte": "有无效的后续字节",
    "unexpected end of data": "数据意外结束",
}


class _Duplicated(dict[str, Any]):
    """An object in which some key appeared more than once."""

    def __init__(self, pairs: list[tuple[str, Any]], keys: list[str]) -> None:
        super().__init__(pairs)
        self.duplicated = keys


class _NotANumber:
    """``NaN``, ``Infinity`` or ``-Infinity``, which JSON does not have."""

    def __init__(self, word: str) -> None:
        self.word = word


class _HugeInteger:
    """An integer with more digits than :data:`~zhiping.documents.limits.MAX_INTEGER_DIGITS`."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


_SUSPECT: ContextVar[list[bool] | None] = ContextVar("_SUSPECT", default=None)
"""Set by the decoder's hooks, during :func:`load_json`, when a value needs the walk."""


def _suspect() -> None:
    box = _SUSPECT.get()
    if box is not None:
        box[0] = True


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    _suspect()
    seen: set[str] = set()
    duplicated = []
    for key, _ in pairs:
        if key in seen:
            duplicated.append(key)
        seen.add(key)
    return _Duplicated(pairs, duplicated)


def _integer(text: str) -> int | _HugeInteger:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        _suspect()
        return _HugeInteger(digits)
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _suspect()
    return value


def _not_a_number(word: str) -> _NotANumber:
    _suspect()
    return _NotANumber(word)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_not_a_number, parse_int=_integer, parse_float=_float
)

_ESCAPES = re.compile(r'\\[ubf"]')
"""Escapes that can make a forbidden character (``\\u``, ``\\b``, ``\\f``) or hide a
string's end from :func:`_screened` (an escaped quote)."""

_BRACKETS = re.compile(r"[\[\]{}]")


def load_json(document: str | bytes) -> Any:
    """Decode a JSON document strictly and within the limits.

    Args:
        document: the JSON text, or its UTF-8 bytes (a leading byte order mark is
            ignored).

    Returns:
        The decoded value: dicts, lists, strings, ints, floats, booleans and None.

    Raises:
        InputError: the text is too large, not UTF-8, not JSON, or holds what JSON or
            the limits do not allow; each problem with its JSON path.
    """
    text = _text(document)
    suspect = [False]
    token = _SUSPECT.set(suspect)
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        message = not_json(error)
        raise InputError([Problem("", message)]) from None
    except RecursionError:
        raise InputError([_too_deep("")]) from None
    finally:
        _SUSPECT.reset(token)
    if suspect[0] or not _screened(text):
        check_value(value)
    return value


def _screened(text: str) -> bool:
    """Return whether decoded JSON text is surely within the limits the walk checks.

    The decoder's hooks have flagged a repeated key, a huge integer, a non-finite float
    and ``NaN``/``Infinity``; what is left is read off the text: no forbidden character
    (nor an escape that could make one, nor an escaped quote), no string longer than the
    limit, no nesting deeper than the limit. When it is not sure, the walk decides, with
    the same problems as ever: this only saves the walk's time on the common document.
    """
    if _FORBIDDEN.search(text) or _ESCAPES.search(text):
        return False
    # Without escaped quotes, the odd parts are the strings (keys too), the even ones
    # the structure between them.
    parts = text.split('"')
    if len(text) > MAX_STRING_LENGTH and max(map(len, parts[1::2]), default=0) > MAX_STRING_LENGTH:
        return False
    brackets = _BRACKETS.findall("".join(parts[0::2]))
    deepest = max(itertools.accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)
    return deepest <= MAX_DEPTH


_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
"""How each bracket changes the depth of nesting."""


def is_json_object(text: str) -> bool:
    """Return whether ``text`` is one JSON object, whatever the limits say of it."""
    try:
        return isinstance(_DECODER.decode(text), dict)
    except (ValueError, RecursionError):
        return False


def check_value(value: Any) -> None:
    """Check a decoded document (or one a program built) against the limits.

    Raises:
        InputError: each duplicated key, non-number, huge integer, string too long or
            with a forbidden character, and nesting too deep, with its JSON path.
    """
    problems = []
    for problem in _walk(value):
        problems.append(problem)
        if len(problems) == _REPORTED:
            problems.append(
                Problem(
                    "",
                    Text(
                        zh=f"另有问题未列出(仅列出前{_REPORTED}处)",
                        en=f"more problems not listed (the first {_REPORTED} are)",
                    ),
                )
            )
            break
    if problems:
        raise InputError(problems)


def _text(document: str | bytes) -> str:
    if len(document) > MAX_DOCUMENT_BYTES:
        raise InputError([too_large()])
    if isinstance(document, bytes):
        try:
            # One byte order mark is how some editors begin UTF-8: it is not content.
            text = document.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InputError(
                [
                    Problem(
                        "",
                        Text(
                            zh=(
                                f"不是 UTF-8 文本:第{error.start}字节处"
                                f"{_UTF8_REASONS.get(error.reason, error.reason)}"
                            ),
                            en=f"not UTF-8 text: {error.reason} at byte {error.start}",
                        ),
                    )
                ]
            ) from None
    else:
        text = document
        # A character takes up to 4 bytes: count them only when it could matter.
        if len(text) * 4 > MAX_DOCUMENT_BYTES and _utf8_size(text) > MAX_DOCUMENT_BYTES:
            raise InputError([too_large()])
    if text.startswith("\ufeff"):
        # Text is already decoded: a byte order mark left in it is a second one, or a
        # stray character, and JSON has no place for it.
        raise InputError(
            [
                Problem(
                    "",
                    Text(
                        zh="文本以字节顺序标记(U+FEFF)开头,JSON 不允许",
                        en=(
                            "the text begins with a byte order mark (U+FEFF), "
                            "which JSON does not allow"
                        ),
                    ),
                )
            ]
        )
    return text


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def too_large() -> Problem:
    """Return the problem of a document over the size limit (:data:`MAX_DOCUMENT_BYTES`)."""
    size = MAX_DOCUMENT_BYTES
    return Problem(
        "",
        Text(
            zh=f"文档超过{size:,}字节的上限(zhiping.documents.limits)",
            en=(
                f"the document is larger than the limit of {size:,} bytes "
                "(zhiping.documents.limits)"
            ),
        ),
    )


def _too_deep(path: str) -> Problem:
    return Problem(
        path,
        Text(
            zh=f"数组与对象嵌套超过{MAX_DEPTH}层(zhiping.documents.limits)",
            en=(
                f"arrays and objects are nested more than {MAX_DEPTH} deep "
                "(zhiping.documents.limits)"
            ),
        ),
    )


_Location = tuple["_Location", int | str] | None
"""Where a value is: its parent's location and its key, linked, so that a step is O(1)."""

_NUMBER_BOUND = 10**MAX_INTEGER_DIGITS
_CONTAINERS = (dict, list, Mapping)
"""Checked in this order: ``dict`` and ``list`` answer fast, the ``Mapping`` ABC does not."""


def _walk(root: Any) -> Iterator[Problem]:
    """Yield the problems of every value, depth first, without recursion.

    Most documents have none, so the common case is kept cheap: only arrays and objects
    go on the stack, and a path is written out only for a value found wrong.
    """
    yield from _value_problems(root, None)
    stack: list[tuple[Any, _Location, int]] = [(root, None, 0)]
    while stack:
        container, location, depth = stack.pop()
        if not isinstance(container, _CONTAINERS):
            continue
        if depth >= MAX_DEPTH:
            yield _too_deep(_path(location))
            continue
        if not isinstance(container, list):
            yield from _object_problems(container, location)
            items: Iterable[tuple[int | str, Any]] = container.items()
        else:
            items = enumerate(container)
        children = []
        for key, item in items:
            kind = type(item)
            if kind is dict or kind is list or kind is _Duplicated:
                children.append((item, (location, key), depth + 1))
            elif not _plainly_fine(item):
                if isinstance(item, _CONTAINERS):
                    children.append((item, (location, key), depth + 1))
                else:
                    yield from _value_problems(item, (location, key))
        children.reverse()  # popped in document order, so problems are listed in it
        stack.extend(children)


def _plainly_fine(value: Any) -> bool:
    """Return whether a scalar needs no closer look (the case of nearly every one)."""
    kind = type(value)
    if kind is str:
        return _plain_string(value)
    if kind is int:
        return bool(-_NUMBER_BOUND < value < _NUMBER_BOUND)
    if kind is float:
        return math.isfinite(value)
    return value is None or kind is bool


def _plain_string(text: str) -> bool:
    # isprintable() is false for tab and line breaks too: the pattern has the last word.
    return len(text) <= MAX_STRING_LENGTH and (text.isprintable() or not _FORBIDDEN.search(text))


def _value_problems(value: Any, location: _Location) -> Iterator[Problem]:
    if isinstance(value, _CONTAINERS) or _plainly_fine(value):
        return
    if isinstance(value, str):
        yield from _string_problems(value, _path(location))
    else:
        yield from _scalar_problems(value, _path(location))


def _path(location: _Location) -> str:
    keys: list[int | str] = []
    while location is not None:
        location, key = location
        keys.append(key)
    return json_path(tuple(reversed(keys)))


def _object_problems(value: Mapping[Any, Any], location: _Location) -> Iterator[Problem]:
    duplicated = getattr(value, "duplicated", ())
    suspicious = [key for key in value if type(key) is not str or not _plain_string(key)]
    if not duplicated and not suspicious:
        return
    path = _path(location)
    for key in duplicated:
        yield Problem(
            path,
            Text(
                zh=f"键 {json.dumps(key, ensure_ascii=False)} 出现了不止一次",
                en=f"the key {json.dumps(key, ensure_ascii=False)} appears more than once",
            ),
        )
    for key in suspicious:
        if not isinstance(key, str):
            yield Problem(
                path, Text(zh="对象的键必须是字符串", en="an object's keys must be strings")
            )
        else:
            # The key is not echoed: it may be long, or carry terminal escapes.
            yield Problem(
                path,
                Text(
                    zh="某个键过长或含有控制字符",
                    en="a key is too long or holds a control character",
                ),
            )


def _string_problems(value: str, path: str) -> Iterator[Problem]:
    if len(value) > MAX_STRING_LENGTH:
        yield Problem(
            path,
            Text(
                zh=f"字符串长度{len(value):,}超过{MAX_STRING_LENGTH:,}个字符的上限(zhiping.documents.limits)",
                en=(
                    f"the string is longer than the limit of {MAX_STRING_LENGTH:,} characters "
                    f"({len(value):,}; zhiping.documents.limits)"
                ),
            ),
        )
    found = _FORBIDDEN.search(value)
    if found:
        code = f"U+{ord(found.group()):04X}"
        yield Problem(
            path,
            Text(
                zh=f"字符串含有控制字符或不可见字符 {code}",
                en=f"the string holds the control or invisible character {code}",
            ),
        )


def _scalar_problems(value: Any, path: str) -> Iterator[Problem]:
    if isinstance(value, _NotANumber) or (isinstance(value, float) and value != value):
        word = value.word if isinstance(value, _NotANumber) else "NaN"
        yield Problem(path, Text(zh=f"{word} 不是 JSON 数值", en=f"{word} is not a JSON number"))
    elif isinstance(value, float) and value in (float("inf"), float("-inf")):
        yield Problem(path, Text(zh="Infinity 不是 JSON 数值", en="Infinity is not a JSON number"))
    elif isinstance(value, _HugeInteger) or (
        isinstance(value, int)
        and not isinstance(value, bool)
        and abs(value) >= 10**MAX_INTEGER_DIGITS
    ):
        yield Problem(
            path,
            Text(
                zh=f"整数超过{MAX_INTEGER_DIGITS}位(zhiping.documents.limits)",
                en=(
                    f"the integer has more than {MAX_INTEGER_DIGITS} digits "
                    "(zhiping.documents.limits)"
                ),
            ),
        )
