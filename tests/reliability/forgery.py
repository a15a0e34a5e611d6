"""What someone with a plain ``sqlite3`` client can do to a store behind zhiping's back.

Shared by the reliability harness (the tamper, recount and crash phases, and
``crash_writers``) and by ``tests/store/test_tampering.py``, so that each forgery is
written once. The audit chain's hashes are computed here from DESIGN §7, not by
zhiping: a forger rehashes a rewritten chain with them, and a recount recomputes a
stored chain with them, so a mistake in zhiping's chain would have to be made twice,
the same way, to go unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhiping.store import Store

GENESIS = "0" * 64
"""The previous hash of the first event."""


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """Return a read-only connection to a store, closed at the end of a ``with`` block."""
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


@contextmanager
def plain_client(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a store with the standard library alone, its triggers dropped; commit on exit.

    The triggers make events and records append-only; a forger with the file drops them.
    """
    with closing(sqlite3.connect(path)) as db:
        drop_triggers(db)
        yield db
        db.commit()


def drop_triggers(db: sqlite3.Connection) -> None:
    """Drop every trigger of the store open on ``db``."""
    triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for (name,) in triggers:
        db.execute(f'DROP TRIGGER "{name}"')


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


def recompute_chain(db: sqlite3.Connection) -> Recomputed:
    """Recompute the chain of the store open on ``db`` from its events, as DESIGN §7 says."""
    breaks, running, events = 0, GENESIS, 0
    for seq, kind, payload, previous, stored in db.execute(
        "SELECT seq, kind, payload, previous, hash FROM events ORDER BY seq"
    ):
        events += 1
        breaks += seq != events or previous != running
        running = chain_hash(running, kind, payload)
        breaks += stored != running
    return Recomputed(events, breaks, running)


def rechain(db: sqlite3.Connection) -> int:
    """Recompute every event's previous hash and hash, as a careful forger would.

    Returns:
        How many events were rehashed.
    """
    running = GENESIS
    events = db.execute("SELECT seq, kind, payload FROM events ORDER BY seq").fetchall()
    for seq, kind, payload in events:
        forged = chain_hash(running, kind, payload)
        db.execute("UPDATE events SET previous = ?, hash = ? WHERE seq = ?", (running, forged, seq))
        running = forged
    return len(events)


def truncate(db: sqlite3.Connection, first: int) -> int:
    """Remove the events from ``first`` on, and what they recorded: a shorter, consistent store.

    Records written by those events go; a session left without records loses its grades
    and commitments; a fulfilment removed reopens its commitment.

    Returns:
        How many events were removed.
    """
    gone = db.execute(
        "SELECT session, kind, payload FROM events WHERE seq >= ?", (first,)
    ).fetchall()
    db.execute("DELETE FROM events WHERE seq >= ?", (first,))
    db.execute("DELETE FROM records WHERE event >= ?", (first,))
    for session, kind, payload in gone:
        if kind == "fulfil":
            inquiry = json.loads(payload).get("inquiry")
            db.execute(
                "UPDATE commitments SET fulfilled_on = NULL WHERE session = ? AND inquiry = ?",
                (session, inquiry),
            )
        elif not db.execute("SELECT 1 FROM records WHERE session = ?", (session,)).fetchone():
            db.execute("DELETE FROM grades WHERE session = ?", (session,))
            db.execute("DELETE FROM commitments WHERE session = ?", (session,))
    return len(gone)


def forge_session(
    db: sqlite3.Connection, session: str, forged: Mapping[str, Any], scratch: Path
) -> int | None:
    """Put ``forged`` in place of a session's only revision, as zhiping would record it.

    The forged document is recorded in a new ``scratch`` store, so that its record,
    grades and event payload are exactly what zhiping writes; they replace the
    session's, and then every event's previous hash and hash are recomputed
    (:func:`rechain`): a store consistent in itself, caught only against a checkpoint
    taken before.

    Returns:
        How many events were rehashed, or None when the session has no revision or
        more than one (nothing is changed then).
    """
    found = db.execute(
        "SELECT rowid, event FROM records WHERE session = ? ORDER BY revision", (session,)
    ).fetchall()
    if len(found) != 1:
        return None
    ((rowid, event),) = found
    with Store(scratch) as forger:
        forger.evaluate(forged)
    with closing(sqlite3.connect(scratch)) as source:
        document, outcome, input_hash = source.execute(
            "SELECT document, outcome, input_hash FROM records"
        ).fetchone()
        (payload,) = source.execute("SELECT payload FROM events").fetchone()
        grades = source.execute("SELECT * FROM grades").fetchall()
    db.execute(
        "UPDATE records SET document = ?, outcome = ?, input_hash = ? WHERE rowid = ?",
        (document, outcome, input_hash, rowid),
    )
    db.execute("DELETE FROM grades WHERE session = ?", (session,))
    if grades:
        marks = ", ".join("?" for _ in grades[0])
        db.executemany(f"INSERT INTO grades VALUES ({marks})", grades)
    db.execute("UPDATE events SET payload = ? WHERE seq = ?", (payload, event))
    return rechain(db)
