"""Verifying a store: the chain, each record against its event, each outcome recomputed.

Tampering is told apart from a changed pack: an outcome is recomputed only when the
chain that governs it still has the fingerprint recorded with it; otherwise the session
is reported as evaluated under packs that have changed since. A recomputed outcome is
compared, in the format it was stored in (``zhiping.outcome/1`` before schema 3,
``zhiping.outcome/2`` at the full trace since), by its decisions
(:mod:`zhiping.store._decisions`); one that differs only in
wording (a reworded message, a new trace line) is reported apart, not as tampering. The
stored outcome itself is covered by the hash in its event. Whatever was changed, a
discrepancy is reported; nothing stored can make verification raise.

The caller runs it inside one read transaction, so that it reads one snapshot.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs

from zhiping.documents.compact import compact_document
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session, parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import TamperDetected, ZhipingError
from zhiping.glossary import Lang, Text
from zhiping.packs.model import Chain
from zhiping.packs.registry import PackRegistry
from zhiping.store._chain import (
    GENESIS,
    Checkpoint,
    canonical_json,
    digest,
    event_hash,
    is_canonical_payload,
)
from zhiping.store._decisions import decisions
from zhiping.store._stale import LatestRevision, StaleSession, forced_pack, stale_among
from zhiping.store._texts import readable
from zhiping.store._verify_commitments import (
    check_commitments,
    check_fulfilment_events,
    decoded_documents,
)

__all__ = ["Discrepancy", "Verification", "verify_store"]


@attrs.frozen
class Discrepancy:
    """One thing verification found: ``Discrepancy(session, Text(zh=…, en=…))``.

    Named apart from :class:`zhiping.documents.outcome.Finding`, what a rule finds about a
    session.

    Attributes:
        session: the session concerned, or None for the chain as a whole.
        text: what is wrong, in Chinese and in English.
    """

    session: str | None
    text: Text = attrs.field(validator=attrs.validators.instance_of(Text))

    @property
    def message(self) -> str:
        """Return what is wrong, in English."""
        return self.text.en

    @property
    def zh(self) -> str:
        """Return what is wrong, in Chinese."""
        return self.text.zh

    def __str__(self) -> str:
        return self.describe("en")

    def describe(self, lang: Lang) -> str:
        """Return ``session: message`` in ``lang`` (the message alone for the whole chain)."""
        message = self.text.zh if lang == "zh" else self.text.en
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
        reworded: sessions whose recomputed outcome makes the same decisions in other
            words (a newer engine's messages or trace); not tampering.
        stale: sessions whose decisions the record now gives otherwise, because an
            earlier period was recorded after them; they change only by amendment.
    """

    checkpoint: Checkpoint
    sessions: int
    tampered: tuple[Discrepancy, ...] = ()
    changed_packs: tuple[Discrepancy, ...] = ()
    reworded: tuple[Discrepancy, ...] = ()
    stale: tuple[StaleSession, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether nothing was tampered with."""
        return not self.tampered

    def raise_if_tampered(self) -> None:
        """Raise :class:`~zhiping.errors.TamperDetected` listing the evidence, if any."""
        if self.tampered:
            raise TamperDetected(
                "; ".join(found.describe("en") for found in self.tampered),
                zh="; ".join(found.describe("zh") for found in self.tampered),
            )


_COMPACT_END = ',"trace_level":"full"}'


@attrs.define
class _Verifier:
    db: sqlite3.Connection
    registry: PackRegistry
    tampered: list[Discrepancy] = attrs.field(factory=list)
    changed: list[Discrepancy] = attrs.field(factory=list)
    reworded: list[Discrepancy] = attrs.field(factory=list)
    # Chains by their packs and date, each with its fingerprint: built and hashed once.
    chains: dict[tuple[tuple[str, ...], date], tuple[Chain, str]] = attrs.field(factory=dict)

    def tamper(self, session: str | None, text: Text) -> None:
        self.tampered.append(Discrepancy(session, text))

    def chain(self, session: Session, payload: dict[str, Any]) -> tuple[Chain, str]:
        """Return the chain that governs a session now, and its fingerprint.

        Raises:
            PackError, PackConflict: as :meth:`PackRegistry.chain`.
        """
        chain = self.registry.chain(
            session.village.code, session.held_on, pack=_forced(payload, self.registry, session)
        )
        key = (chain.names, chain.held_on)
        if key not in self.chains:
            self.chains[key] = (chain, chain.fingerprint())
        return self.chains[key]


def verify_store(
    db: sqlite3.Connection, checkpoint: Checkpoint | None, registry: PackRegistry
) -> Verification:
    """Verify the store behind a connection; see :meth:`zhiping.store.Store.verify`."""
    verifier = _Verifier(db, registry)
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        verifier.tamper(
            None,
            Text(
                zh=f"SQLite 完整性检查未通过:{integrity[0][0]}",
                en=f"integrity check: {integrity[0][0]}",
            ),
        )
    events = db.execute(
        "SELECT seq, kind, session, payload, previous, hash FROM events ORDER BY seq"
    ).fetchall()
    hashes = list(_chained(events, verifier))
    head = Checkpoint(len(events), hashes[-1] if hashes else GENESIS)
    if checkpoint is not None:
        _against(checkpoint, hashes, verifier)
    payloads = dict(_payloads(events, verifier))
    records = [
        (row[0], row[1], readable(row[2], row[3]), readable(row[4], row[5]), *row[6:])
        for row in db.execute(
            "SELECT session, revision, CAST(document AS BLOB), typeof(document), "
            "CAST(outcome AS BLOB), typeof(outcome), fingerprint, input_hash, event, "
            "village_code, year, quarter, held_on, status, packs, reason FROM records "
            "ORDER BY event"
        )
    ]
    _check_every_revision_kept(events, {row[6] for row in records}, verifier)
    latest: dict[str, tuple[Session, dict[str, Any]] | None] = {}
    for row in records:
        latest[row[0]] = _checked_record(row, payloads, verifier)
    _check_grades(latest, verifier)
    documents = decoded_documents(records)
    check_commitments(latest, payloads, records, documents, verifier.tamper, db)
    check_fulfilment_events(events, payloads, records, documents, verifier.tamper)
    return Verification(
        head,
        len(records),
        tuple(verifier.tampered),
        tuple(verifier.changed),
        tuple(verifier.reworded),
        _stale(latest, records, documents, registry, db),
    )


def _stale(
    latest: dict[str, tuple[Session, dict[str, Any]] | None],
    records: list[tuple[Any, ...]],
    documents: list[Any],
    registry: PackRegistry,
    db: sqlite3.Connection,
) -> tuple[StaleSession, ...]:
    """Return the sound sessions whose decisions the record now gives otherwise."""
    closed = {
        (str(session), str(inquiry))
        for session, inquiry in db.execute(
            "SELECT session, inquiry FROM commitments WHERE fulfilled_on IS NOT NULL"
        )
    }
    # Ordered by event: the last of a session is its latest revision.
    revisions = {row[0]: (row, document) for row, document in zip(records, documents, strict=True)}
    villages: dict[str, list[LatestRevision]] = {}
    for session_id, parsed in latest.items():
        if parsed is None:
            continue
        session, rendered = parsed
        row, document = revisions[session_id]
        villages.setdefault(session.village.code, []).append(
            LatestRevision(
                session=session_id,
                revision=row[1],
                village_code=session.village.code,
                year=session.year,
                quarter=session.quarter or 0,
                document=document,
                outcome=rendered,
                packs=_pack_names(_decoded(row[12])),
            )
        )
    found: list[StaleSession] = []
    for village in villages.values():
        found.extend(stale_among(village, village, registry, closed))
    return tuple(sorted(found, key=lambda stale: stale.session))


def _chained(
    events: list[tuple[int, str, str, str, str, str]], verifier: _Verifier
) -> Iterator[str]:
    running = GENESIS
    for position, (seq, kind, session, payload, previous, stored) in enumerate(events, 1):
        if seq != position:
            verifier.tamper(
                session,
                Text(
                    zh=f"第{position}个事件缺失(此处是事件 {seq})",
                    en=f"event {position} is missing (found {seq})",
                ),
            )
        if previous != running:
            verifier.tamper(
                session,
                Text(
                    zh=f"事件 {seq} 与前一个事件衔接不上",
                    en=f"event {seq} does not follow the one before",
                ),
            )
        if not _canonical(payload):
            verifier.tamper(
                session,
                Text(
                    zh=f"事件 {seq} 的内容不是其格式所要求的规范化 JSON",
                    en=f"event {seq}: its payload is not the canonical JSON of its format",
                ),
            )
        running = event_hash(running, kind, payload)
        if stored != running:
            verifier.tamper(
                session,
                Text(
                    zh=f"事件 {seq} 的哈希值与记录的不符",
                    en=f"event {seq} does not hash to its recorded hash",
                ),
            )
        yield running


def _canonical(payload: str) -> bool:
    try:
        return is_canonical_payload(payload, json.loads(payload))
    except ValueError:
        return True  # reported as not JSON where the payloads are read


def _against(checkpoint: Checkpoint, hashes: list[str], verifier: _Verifier) -> None:
    if checkpoint.size > len(hashes):
        verifier.tamper(
            None,
            Text(
                zh=f"审计链只有{len(hashes)}个事件,少于检查点 {checkpoint} 的{checkpoint.size}个",
                en=(
                    f"the chain has {len(hashes)} events, fewer than the "
                    f"{checkpoint.size} of checkpoint {checkpoint}"
                ),
            ),
        )
    elif checkpoint.size == 0 and checkpoint.head != GENESIS:
        verifier.tamper(
            None,
            Text(
                zh=f"检查点 {checkpoint} 不属于空的审计链",
                en=f"checkpoint {checkpoint} is not one of an empty chain",
            ),
        )
    elif checkpoint.size and hashes[checkpoint.size - 1] != checkpoint.head:
        verifier.tamper(
            None,
            Text(
                zh=f"审计链被改写:不再延续检查点 {checkpoint}",
                en=f"the chain was rewritten: it no longer extends checkpoint {checkpoint}",
            ),
        )


def _payloads(
    events: list[tuple[int, str, str, str, str, str]], verifier: _Verifier
) -> Iterator[tuple[int, dict[str, Any]]]:
    for seq, _, session, payload, _, _ in events:
        try:
            decoded = json.loads(payload)
        except ValueError:
            verifier.tamper(
                session,
                Text(zh=f"事件 {seq}:内容不是 JSON", en=f"event {seq}: its payload is not JSON"),
            )
            continue
        if not isinstance(decoded, dict):
            verifier.tamper(
                session,
                Text(
                    zh=f"事件 {seq}:内容不是 JSON 对象",
                    en=f"event {seq}: its payload is not an object",
                ),
            )
        elif decoded.get("session") != session:
            # The session column is outside the hash: it must agree with the payload.
            verifier.tamper(
                session,
                Text(
                    zh=f"事件 {seq}:其直评会一栏与事件内容不符",
                    en=f"event {seq}: its session column differs from its payload",
                ),
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
            Text(
                zh=f"第{revision}版:其事件 {event} 已不存在或无法读取",
                en=f"revision {revision}: its event {event} is gone or unreadable",
            ),
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
            Text(
                zh=f"第{revision}版:{'、'.join(differing)} 与审计链不符",
                en=f"revision {revision}: {', '.join(differing)} differ from the audit chain",
            ),
        )
        return None
    try:
        session = parse_session(document)
        recomputed, failure = _recomputed(session, payload, fingerprint, outcome, verifier)
        # The stored text is decoded only when it is not the recomputed one's text.
        same = recomputed is not None and canonical_json(recomputed) == outcome
        rendered = recomputed if same and recomputed is not None else json.loads(outcome)
        if not isinstance(rendered, dict):
            raise ValueError("the stored outcome is not a JSON object")
        if not _columns_agree(row, session, rendered, verifier):
            return None
        if failure is not None:
            raise failure
    except (ZhipingError, ValueError) as error:
        said = error.message("zh") if isinstance(error, ZhipingError) else str(error)
        verifier.changed.append(
            Discrepancy(
                session_id, Text(zh=f"无法重新计算:{said}", en=f"cannot be recomputed: {error}")
            )
        )
        return None
    if recomputed is None:
        verifier.changed.append(
            Discrepancy(
                session_id,
                Text(
                    zh="记录之后,其规则包已有改动",
                    en="its packs have changed since it was recorded",
                ),
            )
        )
        return session, rendered
    if same:
        return session, rendered
    if decisions(recomputed) == decisions(rendered):
        engine = payload.get("engine", "?")
        verifier.reworded.append(
            Discrepancy(
                session_id,
                Text(
                    zh=f"第{revision}版:重新计算的结果决定相同,只是措辞不同(记录时为 {engine})",
                    en=f"revision {revision}: the recomputed outcome decides the same, "
                    f"worded otherwise (recorded by {engine})",
                ),
            )
        )
        return session, rendered
    verifier.tamper(
        session_id,
        Text(
            zh=f"第{revision}版:记录的结果与其文件得出的结果不同",
            en=f"revision {revision}: the stored outcome is not the one its document gives",
        ),
    )
    return None


def _recomputed(
    session: Session, payload: dict[str, Any], fingerprint: str, stored: str, verifier: _Verifier
) -> tuple[dict[str, Any] | None, ZhipingError | ValueError | None]:
    """Return the outcome recomputed under today's chain, or None when its packs changed.

    A chain that cannot be built or evaluated is returned as the error, for the caller
    to report once it has checked the columns against the stored outcome.
    """
    try:
        chain, chain_fingerprint = verifier.chain(session, payload)
        if chain_fingerprint != fingerprint:
            return None, None
        outcome = evaluate_chain(session, chain, verifier.registry.mechanisms)
        return _as_stored(outcome, stored), None
    except (ZhipingError, ValueError) as error:
        return None, error


def _as_stored(outcome: Outcome, stored: str) -> dict[str, Any]:
    """Return an outcome's document in the format of the stored text (1, or 2 in full).

    The stored text is canonical JSON, its keys sorted: ``zhiping.outcome/2`` ends with
    its ``trace_level``, ``zhiping.outcome/1`` with its ``trace`` array. A text that is
    neither is compared as format 1 and found to differ.
    """
    if stored.endswith(_COMPACT_END):
        return compact_document(outcome, trace="full")
    return outcome.to_document()


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
            Text(
                zh=f"第{row[1]}版:{'、'.join(differing)} 与其文件及结果不符",
                en=(
                    f"revision {row[1]}: {', '.join(differing)} "
                    "differ from its document and outcome"
                ),
            ),
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
                Text(
                    zh=f"事件 {seq}({kind}):其对应的记录已不存在",
                    en=f"event {seq} ({kind}): its revision is gone from the records",
                ),
            )


def _forced(payload: dict[str, Any], registry: PackRegistry, session: Session) -> str | None:
    """Return the pack a session was evaluated under by name, if its chain was forced."""
    names = _pack_names(payload.get("packs"))
    return forced_pack(names, registry, session.village.code, session.held_on)


def _pack_names(packs: Any) -> list[str]:
    """Return the names of a stored ``packs`` list (decoded); none from anything else."""
    if not isinstance(packs, list):
        return []
    return [str(p.get("name")) for p in packs if isinstance(p, dict)]


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
            Text(
                zh=(
                    f"{row[1]} {row[2]}年的等次({row[4]}):"
                    + ("有记录,但没有任何结果给出它" if kept else "缺失")
                ),
                en=f"grade of {row[1]} for {row[2]} ({row[4]}): {where}",
            ),
        )
