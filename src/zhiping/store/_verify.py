"""Verifying a store: the chain, each record against its event, each outcome recomputed.

Tampering is told apart from a changed pack: an outcome is recomputed only when the
chain that governs it still has the fingerprint recorded with it; otherwise the session
is reported as evaluated under packs that have changed since.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import attrs

from zhiping.engine import evaluate_chain
from zhiping.errors import InputError, PackError, TamperDetected
from zhiping.registry import PackRegistry
from zhiping.session import Session, parse_session
from zhiping.store._chain import GENESIS, Checkpoint, canonical_json, digest, event_hash

__all__ = ["Finding", "Verification", "verify_store"]


@attrs.frozen
class Finding:
    """One thing verification found.

    Attributes:
        session: the session concerned, or None for the chain as a whole.
        message: what is wrong, in English.
    """

    session: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.session}: {self.message}" if self.session else self.message


@attrs.frozen
class Verification:
    """What :meth:`zhiping.store.Store.verify` found.

    Attributes:
        checkpoint: the head of the chain as verified.
        sessions: how many sessions were recomputed.
        tampered: evidence of tampering, by session where it can be named.
        changed_packs: sessions recorded under packs that have changed since; their
            outcomes could not be recomputed as recorded (not tampering).
    """

    checkpoint: Checkpoint
    sessions: int
    tampered: tuple[Finding, ...] = ()
    changed_packs: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether nothing was tampered with."""
        return not self.tampered

    def raise_if_tampered(self) -> None:
        """Raise :class:`~zhiping.errors.TamperDetected` listing the evidence, if any."""
        if self.tampered:
            raise TamperDetected("; ".join(str(finding) for finding in self.tampered))


def verify_store(
    db: sqlite3.Connection, checkpoint: Checkpoint | None, registry: PackRegistry
) -> Verification:
    """Verify the store behind a connection; see :meth:`zhiping.store.Store.verify`."""
    tampered: list[Finding] = []
    changed: list[Finding] = []
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        tampered.append(Finding(None, f"integrity check: {integrity[0][0]}"))
    events = db.execute(
        "SELECT seq, kind, session, payload, previous, hash FROM events ORDER BY seq"
    ).fetchall()
    hashes = list(_chain_findings(events, tampered))
    head = Checkpoint(len(events), hashes[-1] if hashes else GENESIS)
    if checkpoint is not None:
        _against(checkpoint, hashes, tampered)
    payloads = {seq: json.loads(payload) for seq, _, _, payload, _, _ in events}
    count = 0
    for row in db.execute(
        "SELECT session, revision, document, outcome, fingerprint, "
        "input_hash, event FROM records ORDER BY event"
    ).fetchall():
        count += 1
        _record_findings(row, payloads, registry, tampered, changed)
    _derived_findings(db, tampered)
    return Verification(head, count, tuple(tampered), tuple(changed))


def _chain_findings(
    events: list[tuple[int, str, str, str, str, str]], tampered: list[Finding]
) -> Iterator[str]:
    running = GENESIS
    for position, (seq, kind, session, payload, previous, stored) in enumerate(events, 1):
        if seq != position:
            tampered.append(Finding(session, f"event {position} is missing (found {seq})"))
        if previous != running:
            tampered.append(Finding(session, f"event {seq} does not follow the one before"))
        running = event_hash(running, kind, payload)
        if stored != running:
            tampered.append(Finding(session, f"event {seq} does not hash to its recorded hash"))
        yield running


def _against(checkpoint: Checkpoint, hashes: list[str], tampered: list[Finding]) -> None:
    if checkpoint.size > len(hashes):
        tampered.append(
            Finding(
                None,
                f"the chain has {len(hashes)} events, fewer than the "
                f"{checkpoint.size} of checkpoint {checkpoint}",
            )
        )
    elif checkpoint.size and hashes[checkpoint.size - 1] != checkpoint.head:
        tampered.append(
            Finding(None, f"the chain was rewritten: it no longer extends checkpoint {checkpoint}")
        )


def _record_findings(
    row: tuple[str, int, str, str, str, str, int],
    payloads: dict[int, dict[str, object]],
    registry: PackRegistry,
    tampered: list[Finding],
    changed: list[Finding],
) -> None:
    session_id, revision, document, outcome, fingerprint, input_hash, event = row
    payload = payloads.get(event)
    if payload is None:
        tampered.append(Finding(session_id, f"revision {revision}: its event {event} is gone"))
        return
    expected = {
        "session": session_id,
        "revision": revision,
        "document_hash": digest(document),
        "outcome_hash": digest(outcome),
        "fingerprint": fingerprint,
        "input_hash": input_hash,
    }
    differing = sorted(key for key, value in expected.items() if payload.get(key) != value)
    if differing:
        tampered.append(
            Finding(
                session_id,
                f"revision {revision}: {', '.join(differing)} differ from the audit chain",
            )
        )
        return
    try:
        session = parse_session(document)
        chain = registry.chain(
            session.village.code, session.held_on, pack=_forced(payload, registry, session)
        )
    except (InputError, PackError) as error:
        changed.append(Finding(session_id, f"cannot be recomputed: {error}"))
        return
    if chain.fingerprint() != fingerprint:
        changed.append(Finding(session_id, "its packs have changed since it was recorded"))
        return
    recomputed = canonical_json(evaluate_chain(session, chain, registry.mechanisms).to_document())
    if recomputed != outcome:
        tampered.append(
            Finding(
                session_id,
                f"revision {revision}: the stored outcome is not the one its document gives",
            )
        )


def _forced(payload: dict[str, object], registry: PackRegistry, session: Session) -> str | None:
    """Return the pack a session was evaluated under by name, if its chain was forced."""
    packs = payload.get("packs")
    names = [p.get("name") for p in packs if isinstance(p, dict)] if isinstance(packs, list) else []
    try:
        governing = list(registry.chain(session.village.code, session.held_on).names)
    except PackError:
        governing = []
    return None if governing == names or not names else str(names[-1])


def _derived_findings(db: sqlite3.Connection, tampered: list[Finding]) -> None:
    """Check that the grades kept are those the latest revisions give."""
    expected: set[tuple[object, ...]] = set()
    latest = db.execute(
        "SELECT r.document, r.outcome FROM records r WHERE r.revision = "
        "(SELECT max(revision) FROM records WHERE session = r.session)"
    ).fetchall()
    for document, outcome in latest:
        session = parse_session(document)
        rendered = json.loads(outcome)
        if rendered["status"] != "valid":
            continue
        for subject in rendered["subjects"]:
            if subject["grade"] is not None:
                expected.add(
                    (
                        session.village.code,
                        subject["id"],
                        session.year,
                        session.quarter or 0,
                        subject["grade"],
                        session.id,
                    )
                )
    stored = set(db.execute("SELECT * FROM grades").fetchall())
    for row in sorted(stored ^ expected, key=repr):
        where = "kept but not given by any outcome" if row in stored else "missing"
        tampered.append(Finding(str(row[5]), f"grade {row[1]} {row[2]} {row[4]}: {where}"))
