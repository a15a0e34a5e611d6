"""Hostile documents damaged byte by byte: cut short, bits flipped, not UTF-8, not one document.

Each starts from a valid :class:`~.hostile_cases.Base` (or is no document at all); what
is still strict JSON after the damage may still be a valid session (``either``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from reliability.hostile_cases import Base, Case, damaged
from reliability.strict_json import BOM


def truncations(base: Base, count: int) -> list[Case]:
    """The base cut at ``count`` offsets spread over it, and at its first and last bytes."""
    data = base.text.encode()
    size = len(data)
    offsets = {0, 1, size - 1, *(round(i * size / count) for i in range(count))} - {size}
    return [
        damaged("truncate", f"{base.name} cut at byte {k} of {size}", data[:k])
        for k in sorted(offsets)
    ]


def flips(base: Base, count: int, rng: random.Random) -> list[Case]:
    """The base with one bit flipped, ``count`` times at random offsets."""
    data = base.text.encode()
    cases = []
    for _ in range(count):
        offset = rng.randrange(len(data))
        flipped = bytearray(data)
        flipped[offset] ^= 1 << rng.randrange(8)
        label = f"{base.name} byte {offset} {data[offset]:#04x}->{flipped[offset]:#04x}"
        cases.append(damaged("flip", label, bytes(flipped)))
    return cases


_INVALID_UTF8 = {
    "0xff": b"\xff",
    "0xc3 0x28": b"\xc3\x28",
    "overlong 0xc0 0xaf": b"\xc0\xaf",
    "UTF-8 of a surrogate 0xed 0xa0 0x80": b"\xed\xa0\x80",
    "beyond U+10FFFF 0xf4 0x90 0x80 0x80": b"\xf4\x90\x80\x80",
    "cut sequence 0xe6 0x9d": b"\xe6\x9d",
    "lone continuation 0x80": b"\x80",
}


def invalid_utf8(base: Base) -> list[Case]:
    """Byte sequences that are not UTF-8, inside a string, inside a key, between tokens."""
    data = base.text.encode()
    places = {
        "in the village name": data.index(b'"name": "') + len('"name": "'),
        "in a key": data.index(b'"village"') + 4,
        "between tokens": 1,
    }
    return [
        Case("invalid_utf8", f"{name} {place}", data[:at] + sequence + data[at:], why="not UTF-8")
        for name, sequence in _INVALID_UTF8.items()
        for place, at in places.items()
    ]


def encodings(base: Base) -> list[Case]:
    """A BOM, and other encodings than UTF-8 (RFC 8259 §8.1: UTF-8 between systems)."""
    text = base.text
    other = "it is not UTF-8 (RFC 8259 section 8.1)"
    return [
        Case("encoding", "UTF-8 BOM before the document", BOM + text.encode(), "either"),
        Case("encoding", "two UTF-8 BOMs", BOM + BOM + text.encode(), why="it has two BOMs"),
        Case("encoding", "UTF-16 with a BOM", text.encode("utf-16"), why=other),
        Case("encoding", "UTF-16-BE without a BOM", text.encode("utf-16-be"), why=other),
        Case("encoding", "UTF-32 with a BOM", text.encode("utf-32"), why=other),
        Case(
            "encoding", "GB18030 (a township office's default)", text.encode("gb18030"), why=other
        ),
    ]


def shapes(bases: Sequence[Base]) -> list[Case]:
    """Empty files, other JSON values than an object, and documents followed by more."""
    document = bases[0].text.encode()
    compact = bases[2].text.encode()
    cases = {
        "0-byte file": b"",
        "an empty file but for a newline": b"\n",
        "whitespace only": b" \n\t\r\n ",
        "null": b"null",
        "top-level empty array": b"[]",
        "top-level array holding the document": b"[" + document + b"]",
        "a string": b'"zhiping.session/1"',
        "a number": b"42",
        "true": b"true",
        "an empty object": b"{}",
        "only the format": b'{"format":"zhiping.session/1"}',
        "two documents back to back": compact + compact,
        "the document then garbage": document + b" x",
        "JSON Lines, every line broken": b'{}\n{"format":"zhiping.session/1"}\n[]\n',
        "JSON Lines, a recorded document then null": compact + b"\nnull\n",
        "JSON Lines, a recorded document then one cut short": compact + b"\n" + compact[:-9],
    }
    why = "it is not one session document"
    return [Case("shape", label, data, why=why) for label, data in cases.items()]
