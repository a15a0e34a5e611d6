"""Hostile documents written by hand: keys twice, bad numbers, deep nesting, odd characters.

Each is a valid :class:`~.hostile_cases.Base` with one value made hostile in the JSON
text itself (:func:`~.json_text.dumps_with`), where ``json.dumps`` could not write it.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Mapping, Sequence
from typing import Any

from reliability.documented_limits import MAX_DEPTH, MAX_INTEGER_DIGITS, over_limit
from reliability.hostile_cases import Base, Case, Expect, damaged, encoded
from reliability.json_text import (
    PLACEHOLDER,
    Duplicate,
    JsonPath,
    dumps_with,
    get,
    nesting,
    objects,
    render,
)

CONTROLS = {"U+0000": "\u0000", "U+001B": "\u001b", "U+202E": "\u202e"}
"""Control characters put into ids: NUL, ESC (terminal escapes) and RIGHT-TO-LEFT OVERRIDE."""

_KEYS_TO_REPEAT: tuple[JsonPath, ...] = (
    ("id",),
    ("format",),
    ("year",),
    ("village", "code"),
    ("ballots", "returned"),
)


def duplicate_keys(base: Base, count: int, rng: random.Random) -> list[Case]:
    """The base with keys given twice, with different values, the other one first or last.

    RFC 8259 leaves such a document's meaning to the parser (Python keeps the last
    value, others the first); I-JSON forbids it. Either way it must be refused: two
    systems could read two different sessions from the same bytes.
    """
    slots = [(at, key) for at, found in objects(base.document) for key in found]
    chosen = [(path[:-1], str(path[-1])) for path in _KEYS_TO_REPEAT]
    rest = [slot for slot in slots if slot not in chosen]
    chosen += rng.sample(rest, min(len(rest), max(0, count - len(chosen)) + count // 2))
    cases = []
    for at, key in chosen[: max(count, len(_KEYS_TO_REPEAT))]:
        other = json.dumps(different(get(base.document, at)[key]), ensure_ascii=False)
        for first in (True, False):
            text = dumps_with(base.document, duplicate=Duplicate(at, key, other, first))
            order = "the other value first" if first else "the other value last"
            label = f"{base.name} {render((*at, key))} twice, {order}"
            cases.append(Case("duplicate_key", label, text.encode(), why="a key is given twice"))
    return cases


def different(value: Any) -> Any:
    """Return another value of the same JSON type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x" if value else "x"
    if isinstance(value, list):
        return [] if value else [1]
    if isinstance(value, dict):
        return {} if value else {"x": 1}
    return 0


_NAN = "NaN and Infinity are not JSON"
_NEGATIVE = "a count is not negative"
_WHOLE = "a count is a whole number"
# (category, token, label, why it must be refused; "" where the field has no upper bound)
_NUMBERS: tuple[tuple[str, str, str, str], ...] = (
    ("nan", "NaN", "NaN", _NAN),
    ("nan", "Infinity", "Infinity", _NAN),
    ("nan", "-Infinity", "-Infinity", _NAN),
    ("huge_int", "1" + "0" * 5000, "10**5000", ""),
    ("huge_int", "-1" + "0" * 5000, "-10**5000", _NEGATIVE),
    ("huge_int", "1" + "0" * 4299, "10**4299 (4300 digits)", ""),
    ("huge_int", "1" + "0" * 30, "10**30", ""),
    ("huge_int", "-1" + "0" * 30, "-10**30", _NEGATIVE),
    ("float_bool", "3.0", "3.0", _WHOLE),
    ("float_bool", "1e300", "1e300", _WHOLE),
    ("float_bool", "1E2", "1E2", _WHOLE),
    ("float_bool", "-0.0", "-0.0", _WHOLE),
    ("float_bool", "true", "true", _WHOLE),
    ("float_bool", "false", "false", _WHOLE),
    ("float_bool", '"3"', 'the string "3"', _WHOLE),
)


def number_paths(document: Mapping[str, Any]) -> list[JsonPath]:
    """Return where counts belong in a document, the most telling first."""
    paths: list[JsonPath] = [("roster", "households"), ("ballots", "issued"), ("year",)]
    counts = document["ballots"].get("counts")
    if counts:
        subject = next(iter(counts))
        paths.append(("ballots", "counts", subject, next(iter(counts[subject]))))
    paths.append(("ballots", "returned"))
    if "reach" in document:
        paths.append(("reach", "households_informed"))
    return paths


def number_cases(base: Base, count: int) -> list[Case]:
    """NaN, huge integers, floats and booleans where the base has counts."""
    cases = []
    for path in number_paths(base.document)[:count]:
        for category, token, label, why in _NUMBERS:
            text = dumps_with(base.document, raw={path: token})
            digits = len(token.lstrip("-"))
            if not why and path == ("year",):
                why = "a year is at most 9999"
            if not why and token.isdigit() and over_limit(MAX_INTEGER_DIGITS, digits):
                why = f"it has {digits} digits, over MAX_INTEGER_DIGITS={MAX_INTEGER_DIGITS}"
            description = f"{base.name} {render(path)} = {label}"
            expect: Expect = "reject" if why else "either"
            cases.append(Case(category, description, text.encode(), expect, why))
    return cases


def deeply(depth: int) -> str:
    """Return why a document nested ``depth`` deep must be refused, beside its shape."""
    over = f", over MAX_DEPTH={MAX_DEPTH}" if over_limit(MAX_DEPTH, depth) else ""
    return f"it nests {depth} deep{over}"


def deep_nesting(base: Base, depth: int) -> list[Case]:
    """Nesting inside a field and as the whole document (the deepest run in subprocesses)."""
    document = base.document
    remarks = {**document, "remarks": 0}
    name = ("village", "name")
    found = [
        (f"arrays {d} deep as village.name", dumps_with(document, raw={name: nesting(d)}), d)
        for d in (900, 5000)
    ]
    nested_objects = nesting(depth, arrays=False)
    found += [
        (
            f"objects {depth} deep as an unknown field",
            dumps_with(remarks, raw={("remarks",): nested_objects}),
            depth,
        ),
        (f"objects {depth} deep as the document", nested_objects, depth),
        ("arrays 5000 deep as the document", nesting(5000), 5000),
    ]
    return [Case("deep_nesting", label, text.encode(), why=deeply(d)) for label, text, d in found]


def control_characters(base: Base) -> list[Case]:
    """NUL, ESC and RLO in a cadre's id, a person's id, the session id and the village name.

    Escaped (``\\u001b``) they are valid JSON, and DESIGN §2 does not forbid them in ids:
    either outcome is fine, but a CLI that prints them raw lets a document drive the
    reader's terminal (a note). Unescaped control characters are not JSON.
    """
    document = base.document
    cases = []
    for name, char in CONTROLS.items():
        variants = {
            "in a cadre's id": renamed(document, "c1", f"c{char}1"),
            "in a person's id": renamed(document, "pm001", f"pm{char}001"),
            "in the session id": {**document, "id": f"{document['id']}{char}"},
            "in the village name": {
                **document,
                "village": {**document["village"], "name": f"管寨村{char}[2J"},
            },
        }
        for where, variant in variants.items():
            cases.append(damaged("control_chars", f"{name} {where}", encoded(variant)))
        if char < " ":
            escaped = json.dumps(char)[1:-1].encode()
            raw = encoded(variants["in a cadre's id"]).replace(escaped, char.encode())
            label = f"{name} unescaped in a cadre's id"
            why = "a raw control character in a string is not JSON"
            cases.append(Case("control_chars", label, raw, why=why))
    return cases


def renamed(value: Any, old: str, new: str) -> Any:
    """Return ``value`` with every string and key equal to ``old`` replaced by ``new``."""
    if isinstance(value, dict):
        return {(new if k == old else k): renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [renamed(item, old, new) for item in value]
    return new if value == old else value


def surrogates(bases: Sequence[Base]) -> list[Case]:
    """Lone surrogates (not Unicode text, and not storable as UTF-8), and a proper pair."""
    example, cast = bases[0].document, bases[1].document
    name = ("village", "name")
    mark = ("ballots", "cast", 0, "marks")
    in_id = dumps_with(renamed(example, "c1", PLACEHOLDER)).replace(PLACEHOLDER, "c\\udfff1")
    marked = copy.deepcopy(cast)
    get(marked, mark)["organization"] = PLACEHOLDER
    in_mark = dumps_with(marked).replace(PLACEHOLDER, "\\ud800")
    lone = "a lone surrogate is not Unicode text, and cannot be stored as UTF-8"
    return [
        Case(
            "surrogates", "\\ud800 in the village name", _raw(example, name, '"\\ud800"'), why=lone
        ),
        Case("surrogates", "\\udfff in a cadre's id", in_id.encode(), why=lone),
        Case("surrogates", "\\ud800 as a mark", in_mark.encode(), why=lone),
        Case(
            "surrogates",
            "a proper pair \\ud83d\\ude00 in the village name",
            _raw(example, name, '"管寨村\\ud83d\\ude00"'),
            "accept",
        ),
    ]


def _raw(document: Any, path: JsonPath, token: str) -> bytes:
    return dumps_with(document, raw={path: token}).encode()
