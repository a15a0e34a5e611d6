"""The audit chain's hashes as DESIGN §7 defines them, computed here, not by zhiping.

The tamper phase's forger rehashes a rewritten chain with them; the recount phase
recomputes a stored chain with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from _reliability.plain_sqlite import read_only

GENESIS = "0" * 64
"""The previous hash of the first event."""


def chain_hash(previous: str, kind: str, payload: str) -> str:
    """Return an event's hash as DESIGN §7 defines it, computed here, not by zhiping.

    SHA-256 of the previous hash's bytes, then the kind and the canonical payload, each
    as UTF-8 preceded by its length in 8 big-endian bytes.
    """
    encoded_kind, encoded_payload = kind.encode("utf-8"), payload.encode("utf-8")
    message = bytes.fromhex(previous)
    for part in (encoded_kind, encoded_payload):
        message += len(part).to_bytes(8, "big") + part
    return hashlib.sha256(message).hexdigest()


@dataclass(frozen=True)
class Recomputed:
    """A store's chain, recomputed.

    Attributes:
        events: how many events it holds.
        breaks: events out of sequence, not linked to the one before, or whose stored
            hash is not the recomputed one (an event can count twice).
        head: the recomputed hash of the last event.
    """

    events: int
    breaks: int
    head: str


def recompute_chain(path: Path) -> Recomputed:
    """Recompute a store's chain from its events, read with a plain read-only client."""
    breaks, running, events = 0, GENESIS, 0
    with read_only(path) as db:
        for seq, kind, payload, previous, stored in db.execute(
            "SELECT seq, kind, payload, previous, hash FROM events ORDER BY seq"
        ):
            events += 1
            breaks += seq != events or previous != running
            running = chain_hash(running, kind, payload)
            breaks += stored != running
    return Recomputed(events, breaks, running)
