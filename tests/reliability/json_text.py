"""Write JSON text by hand: raw tokens at chosen paths, a key given twice, files in pieces.

``json.dumps`` cannot write what is not JSON (``NaN`` aside), nor a value too large to
hold in memory; these can.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JsonPath = tuple[str | int, ...]
PLACEHOLDER = "@@reliability-placeholder@@"
"""A string put where text is to be spliced in after ``json.dumps``."""
CHUNK = 1 << 20
"""About how many bytes :func:`write_pieces` writes at a time."""


@dataclass(frozen=True)
class Duplicate:
    """A key given twice in the object at ``at``: once with ``value`` (raw JSON text).

    Attributes:
        at: the object's path.
        key: the key repeated.
        value: the other value, as JSON text.
        first: the other value comes first (and the real one last), not the reverse.
    """

    at: JsonPath
    key: str
    value: str
    first: bool


def dumps_with(
    value: Any,
    *,
    raw: Mapping[JsonPath, str] | None = None,
    duplicate: Duplicate | None = None,
) -> str:
    """Return compact JSON of ``value`` with raw text at the paths of ``raw``, and a key twice."""
    out: list[str] = []
    _emit(value, (), raw or {}, duplicate, out)
    return "".join(out)


def _emit(
    value: Any, at: JsonPath, raw: Mapping[JsonPath, str], dup: Duplicate | None, out: list[str]
) -> None:
    if at in raw:
        out.append(raw[at])
        return
    if isinstance(value, dict):
        entries: list[str | tuple[str, Any]] = list(value.items())
        if dup is not None and dup.at == at:
            extra = f"{json.dumps(dup.key, ensure_ascii=False)}:{dup.value}"
            entries.insert(0 if dup.first else len(entries), extra)
        out.append("{")
        for index, entry in enumerate(entries):
            if index:
                out.append(",")
            if isinstance(entry, str):
                out.append(entry)
                continue
            key, item = entry
            out.append(json.dumps(key, ensure_ascii=False) + ":")
            _emit(item, (*at, key), raw, dup, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _emit(item, (*at, index), raw, dup, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def render(path: JsonPath) -> str:
    """Return a path as the library writes it: ``cadres[0].id``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(document)"


def objects(value: Any, at: JsonPath = ()) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Yield every object inside ``value`` with its path, outermost first."""
    if isinstance(value, dict):
        yield at, value
        for key, item in value.items():
            yield from objects(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from objects(item, (*at, index))


def get(value: Any, path: JsonPath) -> Any:
    """Return the value at ``path``."""
    for part in path:
        value = value[part]
    return value


def around(document: Any, path: JsonPath) -> tuple[str, str]:
    """Return the JSON text before and after the value at ``path``."""
    placed = copy.deepcopy(document)
    get(placed, path[:-1])[path[-1]] = None  # the key exists, whatever the value
    before, after = dumps_with(placed, raw={path: PLACEHOLDER}).split(PLACEHOLDER)
    return before, after


def nesting(depth: int, *, arrays: bool = True) -> str:
    """Return arrays (or objects) nested ``depth`` deep."""
    if arrays:
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "0" + "}" * depth


@dataclass
class Repeat:
    """``unit`` written ``count`` times, in chunks."""

    unit: bytes
    count: int


Piece = bytes | str | Repeat


def write_pieces(path: Path, pieces: Iterable[Piece]) -> int:
    """Write pieces to a file without holding it whole in memory; return its size."""
    size = 0
    with path.open("wb") as out:
        for piece in pieces:
            if isinstance(piece, Repeat):
                chunk = piece.unit * max(1, CHUNK // max(1, len(piece.unit)))
                per_chunk = len(chunk) // len(piece.unit)
                whole, rest = divmod(piece.count, per_chunk)
                for _ in range(whole):
                    out.write(chunk)
                out.write(piece.unit * rest)
                size += len(piece.unit) * piece.count
            else:
                data = piece.encode("utf-8") if isinstance(piece, str) else piece
                out.write(data)
                size += len(data)
    return size
