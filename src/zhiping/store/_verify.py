"""Verifying a store: the chain, each record against its event, each outcome recomputed.

Tampering is told apart from a changed pack: an outcome is recomputed only when the
chain that governs it still has the fingerprint recorded with it; otherwise the session
is reported as evaluated under packs that have changed since. Whatever was changed, a
finding is reported; nothing stored can make verification raise.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

import attrs

from zhiping.engine import evaluate_chain
from zhiping.errors import PackError, TamperDetected, ZhipingError
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
        sessions: how many recorded revisions were checked.
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


@attrs.define
class _Verifier:
    db: sqlite3.Connection
    registry: PackRegistry
    tampered: list[Finding] = attrs.field(factory=list)
    changed: list[Finding] = attrs.field(factory=list)

    def tamper(self, session: str | None, message: str) -> None:
        self.tampered.append(Finding(session, message))


def verify_store(
    db: sqlite3.Connection, checkpoint: Checkpoint | None, registry: PackRegistry
) -> Verification:
    """Verify the store behind a connection; see :meth:`zhiping.store.Store.verify`."""
    verifier = _Verifier(db, registry)
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        verifier.tamper(None, f"integrity check: {integrity[0][0]}")
    events = db.execute(
        "SELECT seq, kind, session, payload, previous, hash FROM events ORDER BY seq"
    ).fetchall()
    hashes = list(_chained(events, verifier))
    head = Checkpoint(len(events), hashes[-1] if hashes else GENESIS)
    if checkpoint is not None:
        _against(checkpoint, hashes, verifier)
    payloads = dict(_payloads(events, verifier))
    records = db.execute(
        "SELECT session, revision, document, outcome, fingerprint, "
        "input_hash, event FROM records ORDER BY event"
    ).fetchall()
    latest: dict[str, tuple[Session, dict[str, Any]] | None] = {}
    for row in records:
        latest[row[0]] = _checked_record(row, payloads, verifier)
    _check_grades(latest, verifier)
    _check_commitments(latest, payloads, verifier)
    return Verification(head, len(records), tuple(verifier.tampered), tuple(verifier.changed))


def _chained(
    events: list[tuple[int, str, str, str, str, str]], verifier: _Verifier
) -> Iterator[str]:
    running = GENESIS
    for position, (seq, kind, session, payload, previous, stored) in enumerate(events, 1):
        if seq != position:
            verifier.tamper(session, f"event {position} is missing (found {seq})")
        if previous != running:
            verifier.tamper(session, f"event {seq} does not follow the one before")
        running = event_hash(running, kind, payload)
        if stored != running:
            verifier.tamper(session, f"event {seq} does not hash to its recorded hash")
        yield running


def _against(checkpoint: Checkpoint, hashes: list[str], verifier: _Verifier) -> None:
    if checkpoint.size > len(hashes):
        verifier.tamper(
            None,
            f"the chain has {len(hashes)} events, fewer than the "
            f"{checkpoint.size} of checkpoint {checkpoint}",
        )
    elif checkpoint.size == 0 and checkpoint.head != GENESIS:
        verifier.tamper(None, f"checkpoint {checkpoint} is not one of an empty chain")
    elif checkpoint.size and hashes[checkpoint.size - 1] != checkpoint.head:
        verifier.tamper(
            None, f"the chain was rewritten: it no longer extends checkpoint {checkpoint}"
        )


def _payloads(
    events: list[tuple[int, str, str, str, str, str]], verifier: _Verifier
) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, _, session, payload, _, _ in events:
        try:
            decoded = json.loads(payload)
        except ValueError:
            verifier.tamper(session, f"event {seq}: its payload is not JSON")
            continue
        if isinstance(decoded, dict):
            yield seq, decoded
        else:
            verifier.tamper(session, f"event {seq}: its payload is not an object")


def _checked_record(
    row: tuple[str, int, str, str, str, str, int],
    payloads: dict[int, dict[str, Any]],
    verifier: _Verifier,
) -> tuple[Session, dict[str, Any]] | None:
    """Check one revision; return it parsed when it is sound, for the derived tables."""
    session_id, revision, document, outcome, fingerprint, input_hash, event = row
    payload = payloads.get(event)
    if payload is None:
        verifier.tamper(session_id, f"revision {revision}: its event {event} is gone or unreadable")
        return None
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
        verifier.tamper(
            session_id, f"revision {revision}: {', '.join(differing)} differ from the audit chain"
        )
        return None
    try:
        session = parse_session(document)
        rendered = json.loads(outcome)
        chain = verifier.registry.chain(
            session.village.code, session.held_on, pack=_forced(payload, verifier.registry, session)
        )
    except (ZhipingError, ValueError) as error:
        verifier.changed.append(Finding(session_id, f"cannot be recomputed: {error}"))
        return None
    if chain.fingerprint() != fingerprint:
        verifier.changed.append(Finding(session_id, "its packs have changed since it was recorded"))
        return session, rendered
    recomputed = evaluate_chain(session, chain, verifier.registry.mechanisms).to_document()
    if canonical_json(recomputed) != outcome:
        verifier.tamper(
            session_id, f"revision {revision}: the stored outcome is not the one its document gives"
        )
        return None
    return session, rendered


def _forced(payload: dict[str, Any], registry: PackRegistry, session: Session) -> str | None:
    """Return the pack a session was evaluated under by name, if its chain was forced."""
    packs = payload.get("packs")
    names = [p.get("name") for p in packs if isinstance(p, dict)] if isinstance(packs, list) else []
    try:
        governing = list(registry.chain(session.village.code, session.held_on).names)
    except PackError:
        governing = []
    return None if governing == names or not names else str(names[-1])


def _check_grades(
    latest: dict[str, tuple[Session, dict[str, Any]] | None], verifier: _Verifier
) -> None:
    """Check that the grades kept are those the latest sound revisions give."""
    expected: set[tuple[Any, ...]] = set()
    for parsed in latest.values():
        if parsed is None:
            continue
        session, rendered = parsed
        if rendered.get("status") != "valid":
            continue
        for subject in rendered.get("subjects", []):
            if subject.get("grade") is not None:
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
    unsound = {session for session, parsed in latest.items() if parsed is None}
    stored = {
        row
        for row in verifier.db.execute("SELECT * FROM grades").fetchall()
        if row[5] not in unsound
    }
    for row in sorted(stored ^ expected, key=repr):
        where = "kept but given by no outcome" if row in stored else "missing"
        verifier.tamper(str(row[5]), f"grade of {row[1]} for {row[2]} ({row[4]}): {where}")


def _check_commitments(
    latest: dict[str, tuple[Session, dict[str, Any]] | None],
    payloads: dict[int, dict[str, Any]],
    verifier: _Verifier,
) -> None:
    """Check the commitments kept: each from a sound document, each fulfilment backed."""
    expected: dict[tuple[str, str], tuple[Any, ...]] = {}
    backing: dict[tuple[str, str], set[str]] = {}
    carried_fulfilments: set[tuple[str, str, str, int, str]] = set()
    for parsed in latest.values():
        if parsed is None:
            continue
        session, _ = parsed
        for inquiry in session.inquiries:
            commitment = inquiry.commitment
            if commitment is None or commitment.due is None:
                continue
            expected[(session.id, inquiry.id)] = (
                session.village.code,
                session.year,
                inquiry.to,
                commitment.text,
                commitment.due.isoformat(),
            )
            if commitment.fulfilled_on is not None:
                backing.setdefault((session.id, inquiry.id), set()).add(
                    commitment.fulfilled_on.isoformat()
                )
        for carried in session.carried_commitments:
            if carried.fulfilled_on is not None:
                carried_fulfilments.add(
                    (
                        session.village.code,
                        carried.to,
                        carried.text,
                        carried.year,
                        carried.fulfilled_on.isoformat(),
                    )
                )
    for payload in payloads.values():
        if "inquiry" in payload and "fulfilled_on" in payload:
            key = (str(payload.get("session")), str(payload.get("inquiry")))
            backing.setdefault(key, set()).add(str(payload["fulfilled_on"]))
    unsound = {session for session, parsed in latest.items() if parsed is None}
    rows = verifier.db.execute(
        "SELECT session, inquiry, village_code, year, subject, text, due, "
        "fulfilled_on FROM commitments"
    ).fetchall()
    seen = set()
    for session, inquiry, village, year, subject, text, due, fulfilled_on in rows:
        if session in unsound:
            continue
        key = (session, inquiry)
        seen.add(key)
        if expected.get(key) != (village, year, subject, text, due):
            verifier.tamper(session, f"commitment {inquiry} is not the one its document gives")
        elif (
            fulfilled_on is not None
            and fulfilled_on not in backing.get(key, set())
            and (village, subject, text, year, fulfilled_on) not in carried_fulfilments
        ):
            verifier.tamper(
                session,
                f"commitment {inquiry}: its fulfilment on {fulfilled_on} is recorded nowhere",
            )
    for key in sorted(set(expected) - seen):
        if key[0] not in unsound:
            verifier.tamper(key[0], f"commitment {key[1]} is missing")
