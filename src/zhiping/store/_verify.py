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

from zhiping.documents.session import Session, parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import PackError, TamperDetected, ZhipingError
from zhiping.glossary import Lang
from zhiping.packs.registry import PackRegistry
from zhiping.store._chain import GENESIS, Checkpoint, canonical_json, digest, event_hash

__all__ = ["Finding", "Verification", "verify_store"]


@attrs.frozen
class Finding:
    """One thing verification found.

    Attributes:
        session: the session concerned, or None for the chain as a whole.
        message: what is wrong, in English.
        zh: what is wrong, in Chinese.
    """

    session: str | None
    message: str
    zh: str

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: Lang) -> str:
        """Return ``session: message`` in ``lang`` (the message alone for the whole chain)."""
        message = self.zh if lang == "zh" else self.message
        return f"{self.session}: {message}" if self.session else message


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
            raise TamperDetected(
                "; ".join(finding.describe("en") for finding in self.tampered),
                zh="; ".join(finding.describe("zh") for finding in self.tampered),
            )


@attrs.define
class _Verifier:
    db: sqlite3.Connection
    registry: PackRegistry
    tampered: list[Finding] = attrs.field(factory=list)
    changed: list[Finding] = attrs.field(factory=list)

    def tamper(self, session: str | None, message: str, zh: str) -> None:
        self.tampered.append(Finding(session, message, zh))


def verify_store(
    db: sqlite3.Connection, checkpoint: Checkpoint | None, registry: PackRegistry
) -> Verification:
    """Verify the store behind a connection; see :meth:`zhiping.store.Store.verify`."""
    verifier = _Verifier(db, registry)
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        verifier.tamper(
            None,
            f"integrity check: {integrity[0][0]}",
            f"SQLite 完整性检查未通过:{integrity[0][0]}",
        )
    events = db.execute(
        "SELECT seq, kind, session, payload, previous, hash FROM events ORDER BY seq"
    ).fetchall()
    hashes = list(_chained(events, verifier))
    head = Checkpoint(len(events), hashes[-1] if hashes else GENESIS)
    if checkpoint is not None:
        _against(checkpoint, hashes, verifier)
    payloads = dict(_payloads(events, verifier))
    records = db.execute(
        "SELECT session, revision, document, outcome, fingerprint, input_hash, event, "
        "village_code, year, quarter, held_on, status, packs, reason FROM records ORDER BY event"
    ).fetchall()
    _check_every_revision_kept(events, {row[6] for row in records}, verifier)
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
            verifier.tamper(
                session,
                f"event {position} is missing (found {seq})",
                f"第{position}个事件缺失(此处是事件 {seq})",
            )
        if previous != running:
            verifier.tamper(
                session,
                f"event {seq} does not follow the one before",
                f"事件 {seq} 与前一个事件衔接不上",
            )
        running = event_hash(running, kind, payload)
        if stored != running:
            verifier.tamper(
                session,
                f"event {seq} does not hash to its recorded hash",
                f"事件 {seq} 的哈希值与记录的不符",
            )
        yield running


def _against(checkpoint: Checkpoint, hashes: list[str], verifier: _Verifier) -> None:
    if checkpoint.size > len(hashes):
        verifier.tamper(
            None,
            f"the chain has {len(hashes)} events, fewer than the "
            f"{checkpoint.size} of checkpoint {checkpoint}",
            f"审计链只有{len(hashes)}个事件,少于检查点 {checkpoint} 的{checkpoint.size}个",
        )
    elif checkpoint.size == 0 and checkpoint.head != GENESIS:
        verifier.tamper(
            None,
            f"checkpoint {checkpoint} is not one of an empty chain",
            f"检查点 {checkpoint} 不属于空的审计链",
        )
    elif checkpoint.size and hashes[checkpoint.size - 1] != checkpoint.head:
        verifier.tamper(
            None,
            f"the chain was rewritten: it no longer extends checkpoint {checkpoint}",
            f"审计链被改写:不再延续检查点 {checkpoint}",
        )


def _payloads(
    events: list[tuple[int, str, str, str, str, str]], verifier: _Verifier
) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, _, session, payload, _, _ in events:
        try:
            decoded = json.loads(payload)
        except ValueError:
            verifier.tamper(
                session, f"event {seq}: its payload is not JSON", f"事件 {seq}:内容不是 JSON"
            )
            continue
        if not isinstance(decoded, dict):
            verifier.tamper(
                session,
                f"event {seq}: its payload is not an object",
                f"事件 {seq}:内容不是 JSON 对象",
            )
        elif decoded.get("session") != session:
            # The session column is outside the hash: it must agree with the payload.
            verifier.tamper(
                session,
                f"event {seq}: its session column differs from its payload",
                f"事件 {seq}:其直评会一栏与事件内容不符",
            )
        else:
            yield seq, decoded


def _checked_record(
    row: tuple[Any, ...],
    payloads: dict[int, dict[str, Any]],
    verifier: _Verifier,
) -> tuple[Session, dict[str, Any]] | None:
    """Check one revision; return it parsed when it is sound, for the derived tables."""
    session_id, revision, document, outcome, fingerprint, input_hash, event = row[:7]
    payload = payloads.get(event)
    if payload is None:
        verifier.tamper(
            session_id,
            f"revision {revision}: its event {event} is gone or unreadable",
            f"第{revision}版:其事件 {event} 已不存在或无法读取",
        )
        return None
    expected = {
        "session": session_id,
        "revision": revision,
        "document_hash": digest(document),
        "outcome_hash": digest(outcome),
        "fingerprint": fingerprint,
        "input_hash": input_hash,
        "packs": _decoded(row[12]),
        "reason": row[13],
    }
    differing = sorted(key for key, value in expected.items() if payload.get(key) != value)
    if differing:
        verifier.tamper(
            session_id,
            f"revision {revision}: {', '.join(differing)} differ from the audit chain",
            f"第{revision}版:{'、'.join(differing)} 与审计链不符",
        )
        return None
    try:
        session = parse_session(document)
        rendered = json.loads(outcome)
        if not _columns_agree(row, session, rendered, verifier):
            return None
        chain = verifier.registry.chain(
            session.village.code, session.held_on, pack=_forced(payload, verifier.registry, session)
        )
    except (ZhipingError, ValueError) as error:
        said = error.message("zh") if isinstance(error, ZhipingError) else str(error)
        verifier.changed.append(
            Finding(session_id, f"cannot be recomputed: {error}", f"无法重新计算:{said}")
        )
        return None
    if chain.fingerprint() != fingerprint:
        verifier.changed.append(
            Finding(
                session_id,
                "its packs have changed since it was recorded",
                "记录之后,其规则包已有改动",
            )
        )
        return session, rendered
    recomputed = evaluate_chain(session, chain, verifier.registry.mechanisms).to_document()
    if canonical_json(recomputed) != outcome:
        verifier.tamper(
            session_id,
            f"revision {revision}: the stored outcome is not the one its document gives",
            f"第{revision}版:记录的结果与其文件得出的结果不同",
        )
        return None
    return session, rendered


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _columns_agree(
    row: tuple[Any, ...], session: Session, rendered: dict[str, Any], verifier: _Verifier
) -> bool:
    """Check the columns the store queries against the document and outcome they copy."""
    expected = {
        "village_code": session.village.code,
        "year": session.year,
        "quarter": session.quarter or 0,
        "held_on": session.held_on.isoformat(),
        "status": rendered.get("status"),
    }
    columns = ("village_code", "year", "quarter", "held_on", "status")
    stored = dict(zip(columns, row[7:12], strict=True))
    differing = sorted(key for key, value in expected.items() if stored[key] != value)
    if differing:
        verifier.tamper(
            row[0],
            f"revision {row[1]}: {', '.join(differing)} differ from its document and outcome",
            f"第{row[1]}版:{'、'.join(differing)} 与其文件及结果不符",
        )
    return not differing


def _check_every_revision_kept(
    events: list[tuple[int, str, str, str, str, str]], kept: set[int], verifier: _Verifier
) -> None:
    """Check that every recording or amendment in the chain still has its revision."""
    for seq, kind, session, _, _, _ in events:
        if kind in ("record", "amend") and seq not in kept:
            verifier.tamper(
                session,
                f"event {seq} ({kind}): its revision is gone from the records",
                f"事件 {seq}({kind}):其对应的记录已不存在",
            )


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
        kept = row in stored
        where = "kept but given by no outcome" if kept else "missing"
        verifier.tamper(
            str(row[5]),
            f"grade of {row[1]} for {row[2]} ({row[4]}): {where}",
            f"{row[1]} {row[2]}年的等次({row[4]}):"
            + ("有记录,但没有任何结果给出它" if kept else "缺失"),
        )


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
            verifier.tamper(
                session,
                f"commitment {inquiry} is not the one its document gives",
                f"整改承诺 {inquiry} 与其文件中的不同",
            )
        elif (
            fulfilled_on is not None
            and fulfilled_on not in backing.get(key, set())
            and (village, subject, text, year, fulfilled_on) not in carried_fulfilments
        ):
            verifier.tamper(
                session,
                f"commitment {inquiry}: its fulfilment on {fulfilled_on} is recorded nowhere",
                f"整改承诺 {inquiry}:{fulfilled_on} 践诺一事没有任何记录",
            )
    for key in sorted(set(expected) - seen):
        if key[0] not in unsound:
            verifier.tamper(key[0], f"commitment {key[1]} is missing", f"整改承诺 {key[1]} 缺失")
