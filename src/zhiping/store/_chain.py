"""The audit chain: canonical encodings, event hashes, and checkpoints.

Each event's hash is ``SHA-256(previous hash ‖ encoding)``, where the previous hash is
taken as its 32 raw bytes and the encoding is length-prefixed (the kind, then the
payload's UTF-8 bytes, each preceded by its length as an 8-byte big-endian integer) so
that no two events encode alike. The first event's previous hash is 32 zero bytes. A
:class:`Checkpoint` (size and head) printed on the results sheet lets a later
:meth:`~zhiping.store.Store.verify` detect a rewritten or truncated chain.

Payloads are canonical JSON. Events of formats 2 and 3 (``"format": "zhiping.event/2"``
or ``"zhiping.event/3"`` in the payload) are canonical by RFC 8785 (:func:`event_json`);
earlier events, written before the format was versioned, carry no ``format`` key and are
canonical as :func:`canonical_json` writes (keys sorted by code point, no spaces,
characters kept). An event of format 3 has the keys of format 2; its ``outcome_hash`` is
of the outcome as stored since schema 3, ``zhiping.outcome/2`` at the full trace, where
one of format 1 or 2 hashes a ``zhiping.outcome/1`` document.
``docs/store.md`` spells the whole construction out for an auditor.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import attrs
import rfc8785

from zhiping.errors import InputError, Problem
from zhiping.glossary import Text

__all__ = [
    "EVENT_FORMAT",
    "GENESIS",
    "RFC_8785_FORMATS",
    "Checkpoint",
    "canonical_json",
    "digest",
    "event_hash",
    "event_json",
    "is_canonical_payload",
]

GENESIS = "0" * 64
"""The previous hash of the first event."""

EVENT_FORMAT = "zhiping.event/3"
"""The ``format`` of the payloads written now: RFC 8785 canonical JSON."""

RFC_8785_FORMATS = frozenset({"zhiping.event/2", EVENT_FORMAT})
"""The event formats whose payloads are canonical by RFC 8785."""


def canonical_json(value: Any) -> str:
    """Return the one JSON text of a value: keys sorted, no spaces, characters kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_json(payload: Any) -> str:
    """Return an event payload's RFC 8785 canonical JSON text (formats 2 and 3)."""
    return rfc8785.dumps(payload).decode("utf-8")


def is_canonical_payload(text: str, payload: Any) -> bool:
    """Return whether a stored payload text is the canonical form its format asks for."""
    if isinstance(payload, dict) and payload.get("format") in RFC_8785_FORMATS:
        try:
            return event_json(payload) == text
        except (rfc8785.CanonicalizationError, ValueError):
            return False
    return canonical_json(payload) == text


def digest(text: str) -> str:
    """Return the SHA-256 of a text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def event_hash(previous: str, kind: str, payload: str) -> str:
    """Return an event's hash from the previous hash, its kind and its canonical payload."""
    encoding = _prefixed(kind.encode("utf-8")) + _prefixed(payload.encode("utf-8"))
    return hashlib.sha256(bytes.fromhex(previous) + encoding).hexdigest()


@attrs.frozen
class Checkpoint:
    """The head of the audit chain at one moment: how many events, and the last hash.

    Written ``SIZE:HASH`` (``1176:9f2c…``) for the results sheet.

    Attributes:
        size: the number of events.
        head: the hash of the last event (:data:`GENESIS` for an empty chain).
    """

    size: int
    head: str

    def __str__(self) -> str:
        return f"{self.size}:{self.head}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Read a checkpoint written ``SIZE:HASH``.

        Raises:
            InputError: the text is not a checkpoint (also a ``ValueError``).
        """
        found = re.fullmatch(r"\s*(\d+):([0-9a-f]{64})\s*", text)
        if not found:
            raise InputError(
                [
                    Problem(
                        "",
                        Text(
                            zh=f"不是检查点(应为 事件数:哈希):{text[:80]!r}",
                            en=f"not a checkpoint (SIZE:HASH): {text[:80]!r}",
                        ),
                    )
                ]
            )
        return cls(int(found.group(1)), found.group(2))
