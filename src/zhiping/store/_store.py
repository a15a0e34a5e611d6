"""The store: sessions and outcomes kept across years in an embedded SQLite file.

Every write is one ``BEGIN IMMEDIATE`` transaction on a WAL database with
``synchronous=FULL``, foreign keys on and a busy timeout, so that an acknowledged
session survives a crash and two writers wait for each other rather than fail.

A :class:`Store` may be shared by the threads of one process: it holds one connection
and a lock, and each call takes the lock while it uses the connection, so that calls
from several threads run one after the other, each in its own transaction.

Recording evaluates off the lock and outside the write transaction: it reads what the
evaluation depends on (the village's earlier grades and periods, its open commitments,
the session's latest revision) in one read transaction, with a *stamp* (the last audit
event about the village or the session); evaluates; then, in the write transaction,
writes that outcome only if the stamp is unchanged, and otherwise evaluates again there.
So threads, and the processes of ``zhiping serve --workers``, evaluate at once and wait
for each other only to write; what is written is what evaluating inside the write
transaction would have written.
"""

from __future__ import annotations

import builtins
import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import attrs

from zhiping._version import __version__
from zhiping.documents.compact import compact_document
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import (
    CarriedCommitment,
    HistoryEntry,
    Session,
    check_session,
    masked_marks,
    parse_session,
)
from zhiping.engine import evaluate_chain
from zhiping.errors import StoreError
from zhiping.packs.model import Chain
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.store._authority import RecordedPeriod, StoredGrade, checked_history
from zhiping.store._chain import (
    EVENT_FORMAT,
    GENESIS,
    Checkpoint,
    canonical_json,
    digest,
    event_hash,
    event_json,
)
from zhiping.store._connection import (
    BUSY_TIMEOUT_MS,
    connect,
    readable,
    sqlite_errors,
    use_wal,
)
from zhiping.store._derived import canonical_document, derived_commitments, derived_grades
from zhiping.store._errors import DocumentConflict, PeriodConflict, StoreClosed
from zhiping.store._reading import (
    LATEST,
    SessionSummary,
    StoredSession,
    find_sessions,
    stored_session,
)
from zhiping.store._recorded import Recorded, as_recorded
from zhiping.store._schema import check_identity, migrate
from zhiping.store._stale import LatestRevision, StaleSession, stale_among
from zhiping.store._texts import format_1_text, kept, text_of
from zhiping.store._verify import Verification, verify_store

__all__ = ["Recorded", "Store", "canonical_document"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(
    method: Callable[Concatenate[Store, _P], _R],
) -> Callable[Concatenate[Store, _P], _R]:
    """Run a method under the store's lock, on an open store, with no raw sqlite3 error."""

    def guarded(store: Store, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with store._held():
            return method(store, *args, **kwargs)

    functools.update_wrapper(guarded, method)
    return guarded


class Store:
    """The records of evaluated sessions, their grades and commitments, and an audit chain.

    Open it on a path (created if missing) and use it as a context manager, or call
    :meth:`close`. Nothing stored links a ballot to a person, and cast ballots are kept
    in a canonical order, not the order they were cast. The threads of one process may
    share a store: its calls take a lock and run one at a time. Every call raises only
    :class:`~zhiping.errors.StoreError` (and :class:`~zhiping.errors.InputError` or
    :class:`~zhiping.errors.PackError` for a document or packs that cannot be evaluated).

    Args:
        path: the SQLite file.
        read_only: open without writing anything, ever: no schema is created in a new
            or empty file (it reads as an empty store) and an older store is read as it
            is, not migrated. Writing methods then raise ``StoreError``.

    Raises:
        StoreError: the file cannot be opened, is not a zhiping store, or was written
            by a newer zhiping.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.RLock()
        self._closed = False
        self._db = connect(self.path, read_only=read_only)
        try:
            with sqlite_errors(self.path):
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                check_identity(self._db, str(self.path))
                if read_only:
                    self._db = readable(self._db, self.path)
                    return
                use_wal(self._db)
                self._db.execute("PRAGMA synchronous = FULL")
                self._db.execute("PRAGMA foreign_keys = ON")
                migrate(self._db, str(self.path))
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file; the store cannot be used afterwards. Closing twice is harmless.

        Raises:
            StoreError: the file could not be closed cleanly.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with sqlite_errors(self.path):
                self._db.close()

    # Recording

    def evaluate(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None = None,
        registry: PackRegistry | None = None,
    ) -> Recorded:
        """Evaluate a session against the record, and record it: :meth:`record`.

        What it returns is the :class:`Recorded` outcome that :meth:`record` returns;
        only its declared type is the plain :class:`~zhiping.Outcome`, as it was
        before a recording carried its revision, checkpoint and stale sessions.
        """
        return self.record(document, pack=pack, registry=registry)

    def record(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None = None,
        registry: PackRegistry | None = None,
    ) -> Recorded:
        """Evaluate a session against the record, and record it.

        The record is authoritative: the store supplies the grades of earlier periods
        and the open commitments; a history entry of the document that contradicts the
        record is refused (see :mod:`zhiping.store._authority`). Recording the same
        document again changes nothing and returns the same outcome.

        Returns:
            The outcome, as recorded: with its revision, its checkpoint, and the later
            sessions of the village it makes stale.

        Raises:
            InputError: the document is broken, or its history contradicts the record
                (path ``history[i]``, naming both grades).
            DocumentConflict: another document was recorded under the same session id;
                record it with :meth:`amend` if it corrects the first.
            PeriodConflict: the village already has another valid session for the period.
            PackError, NoApplicableRule: as :func:`zhiping.evaluate`.
            StoreError: the file cannot be written.
        """
        return self._record(document, pack=pack, registry=registry, reason=None)

    def amend(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        reason: str,
        pack: str | None = None,
        registry: PackRegistry | None = None,
    ) -> Recorded:
        """Record a corrected (or, when stale, re-evaluated) document for a session, saying why.

        The earlier revision stays in the store and in the audit chain; grades and
        commitments follow the new one. Amending a stale session with its same document
        records the outcome the record now gives.

        Raises:
            StoreError: no session with that id has been recorded, or no reason is given.
        """
        if not reason.strip():
            raise StoreError("an amendment needs a reason", zh="更正须说明理由")
        return self._record(document, pack=pack, registry=registry, reason=reason)

    @_guarded
    def preview(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None = None,
        registry: PackRegistry | None = None,
    ) -> Outcome:
        """Evaluate a session against the record as :meth:`evaluate` would, writing nothing.

        Raises:
            InputError, PackError, NoApplicableRule: as :meth:`evaluate`.
        """
        session = _checked(document)
        registry = registry or default_registry()
        chain = registry.chain(session.village.code, session.held_on, pack=pack)
        self._db.execute("BEGIN")
        try:
            merged = self._with_records(canonical_document(session), session)
        finally:
            self._db.execute("ROLLBACK")
        return _evaluated(merged, chain, registry)[1]

    def _record(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None,
        registry: PackRegistry | None,
        reason: str | None,
    ) -> Recorded:
        self._writable()
        as_given = _checked(document)
        # What is kept of a free-text mark is that it was invalid, never its text.
        session = masked_marks(as_given)
        registry = registry or default_registry()
        chain = registry.chain(session.village.code, session.held_on, pack=pack)
        given = canonical_document(session)
        input_hash = digest(canonical_json(given))
        # What the evaluation reads, in one snapshot, with its stamp; then the evaluation,
        # off the lock, while other threads and workers read, evaluate or write.
        with self._held():
            self._db.execute("BEGIN")
            try:
                stamp = self._stamp(session)
                latest = self._latest(session.id)
                merged = None if latest is not None else self._with_records(given, session)
            finally:
                self._db.execute("ROLLBACK")
        evaluation = None if merged is None else _to_write(merged, chain, registry)
        with self._held(), self._transaction():
            latest = self._latest(session.id)
            if reason is None and latest is not None:
                # A document recorded before marks were masked was hashed as given.
                unmasked = input_hash if session is as_given else _hash_as_given(as_given)
                if latest["input_hash"] not in (input_hash, unmasked):
                    raise DocumentConflict(session.id)
                return self._recorded_before(latest, chain, registry)
            if reason is not None and latest is None:
                raise StoreError(
                    f"session {session.id} is not recorded: nothing to amend",
                    zh=f"直评会 {session.id} 没有记录,无从更正",
                )
            if evaluation is None or self._stamp(session) != stamp:
                # Written meanwhile, or amending: evaluate against the record as it is now.
                evaluation = _to_write(self._with_records(given, session), chain, registry)
            evaluated, outcome, texts = evaluation
            if outcome.status == "valid":
                self._refuse_a_second_valid_session(evaluated)
            revision = 1 if latest is None else latest["revision"] + 1
            event = self._write(
                evaluated, outcome, chain, registry, input_hash, revision, reason, texts
            )
            checkpoint = Checkpoint(event, self._hash_of(event))
            stale = self._stale_after(evaluated, registry)
        return as_recorded(outcome, revision, event, checkpoint, written=True, stale=stale)

    def _stamp(self, session: Session) -> int:
        """Return the last audit event about the session or its village (0 if none).

        Every write that changes what evaluating the session reads (a record or amendment
        of the village, a fulfilment of one of its commitments) appends an event about a
        session of the village, so an unchanged stamp means an unchanged record to read.
        """
        row = self._db.execute(
            "SELECT max(seq) FROM events WHERE session = ? OR session IN "
            "(SELECT session FROM records WHERE village_code = ?)",
            (session.id, session.village.code),
        ).fetchone()
        return int(row[0] or 0)

    def _recorded_before(
        self, latest: sqlite3.Row, chain: Chain, registry: PackRegistry
    ) -> Recorded:
        """Return the outcome of a document recorded before, and whether it is stale now."""
        evaluated, outcome = _evaluated(
            text_of(latest["document"], column="document"), chain, registry
        )
        event = latest["event"]
        village = self._latest_of_village(evaluated.village.code)
        itself = [r for r in village if r.session == evaluated.id]
        closed = self._closed_commitments(evaluated.village.code)
        stale = stale_among(village, itself, registry, closed)
        return as_recorded(
            outcome,
            latest["revision"],
            event,
            Checkpoint(event, self._hash_of(event)),
            written=False,
            stale=stale,
        )

    def _stale_after(self, session: Session, registry: PackRegistry) -> tuple[StaleSession, ...]:
        """Return the village's later sessions whose decisions this recording changes."""
        later_exists = self._db.execute(
            "SELECT 1 FROM records WHERE village_code = ? AND "
            "(year > ? OR (year = ? AND ? > 0 AND quarter > ?)) LIMIT 1",
            (
                session.village.code,
                session.year,
                session.year,
                session.quarter or 0,
                session.quarter or 0,
            ),
        ).fetchone()
        if later_exists is None:
            return ()
        village = self._latest_of_village(session.village.code)
        recorded = next(r for r in village if r.session == session.id)
        later = [r for r in village if r.reads(recorded)]
        closed = self._closed_commitments(session.village.code)
        return stale_among(village, later, registry, closed)

    def _closed_commitments(self, village_code: str) -> set[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT session, inquiry FROM commitments WHERE village_code = ? "
            "AND fulfilled_on IS NOT NULL",
            (village_code,),
        ).fetchall()
        return {(session, inquiry) for session, inquiry in rows}

    def _refuse_a_second_valid_session(self, session: Session) -> None:
        other = self._db.execute(
            "SELECT r.session FROM records r WHERE r.village_code = ? AND r.year = ? "
            f"AND r.quarter = ? AND r.session != ? AND r.status = 'valid' AND {LATEST}",
            (session.village.code, session.year, session.quarter or 0, session.id),
        ).fetchone()
        if other is not None:
            raise PeriodConflict(
                session.id,
                other[0],
                village_code=session.village.code,
                year=session.year,
                quarter=session.quarter,
            )

    def _with_records(self, given: dict[str, Any], session: Session) -> dict[str, Any]:
        """Return the document with the record's grades and open commitments of earlier years.

        Raises:
            InputError: a history entry of the document contradicts the record.
        """
        merged = dict(given)
        history = checked_history(
            given["history"], self._stored_grades(session), self._recorded_periods(session)
        )
        merged["history"] = sorted(history, key=canonical_json)
        carried = {canonical_json(c): c for c in given["carried_commitments"]}
        kept = {(c["to"], c["text"], c["year"]) for c in given["carried_commitments"]}
        for commitment in self._open_commitments(session.village.code, before_year=session.year):
            item = commitment.model_dump(mode="json")
            if (item["to"], item["text"], item["year"]) not in kept:
                carried[canonical_json(item)] = item
        merged["carried_commitments"] = sorted(carried.values(), key=canonical_json)
        return merged

    def _stored_grades(self, session: Session) -> builtins.list[StoredGrade]:
        rows = self._db.execute(
            "SELECT subject, year, quarter, grade, session FROM grades WHERE village_code = ? "
            f"AND {_BEFORE}",
            (session.village.code, session.year, session.year, session.quarter or 0),
        ).fetchall()
        return [StoredGrade(*row) for row in rows]

    def _recorded_periods(self, session: Session) -> builtins.list[RecordedPeriod]:
        rows = self._db.execute(
            "SELECT r.year, r.quarter, r.session, r.status FROM records r WHERE "
            f"r.village_code = ? AND {_BEFORE} AND {LATEST} ORDER BY r.status = 'valid'",
            (session.village.code, session.year, session.year, session.quarter or 0),
        ).fetchall()
        # A valid session of a period speaks for it over a void one (ordered last, kept).
        return list({(y, q): RecordedPeriod(y, q, s, st) for y, q, s, st in rows}.values())

    def _write(
        self,
        session: Session,
        outcome: Outcome,
        chain: Chain,
        registry: PackRegistry,
        input_hash: str,
        revision: int,
        reason: str | None,
        texts: _RecordTexts,
    ) -> int:
        packs = [{"name": name, "version": self._version(registry, name)} for name in chain.names]
        payload = {
            "format": EVENT_FORMAT,
            "session": session.id,
            "revision": revision,
            "input_hash": input_hash,
            "document_hash": texts.document_hash,
            "outcome_hash": texts.outcome_hash,
            "packs": packs,
            "engine": f"zhiping {__version__}",
            "fingerprint": chain.fingerprint(),
            "reason": reason,
        }
        seq = self._append("record" if revision == 1 else "amend", session.id, payload)
        self._db.execute(
            "INSERT INTO records (session, revision, village_code, year, quarter, held_on, "
            "status, input_hash, document, outcome, packs, fingerprint, reason, event) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.id,
                revision,
                session.village.code,
                session.year,
                session.quarter or 0,
                session.held_on.isoformat(),
                outcome.status,
                input_hash,
                texts.document,
                texts.outcome,
                canonical_json(packs),
                payload["fingerprint"],
                reason,
                seq,
            ),
        )
        self._derive(session, outcome)
        return seq

    def _derive(self, session: Session, outcome: Outcome) -> None:
        """Rebuild the session's grades and commitments from its latest revision."""
        self._db.execute("DELETE FROM grades WHERE session = ?", (session.id,))
        fulfilled = dict(
            self._db.execute(
                "SELECT inquiry, fulfilled_on FROM commitments WHERE session = ? "
                "AND fulfilled_on IS NOT NULL",
                (session.id,),
            ).fetchall()
        )
        self._db.execute("DELETE FROM commitments WHERE session = ?", (session.id,))
        for row in derived_grades(session, outcome):
            self._db.execute("INSERT OR REPLACE INTO grades VALUES (?, ?, ?, ?, ?, ?)", row)
        for row in derived_commitments(session, fulfilled):
            self._db.execute("INSERT INTO commitments VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        for carried in session.carried_commitments:
            if carried.fulfilled_on is not None:
                self._db.execute(
                    "UPDATE commitments SET fulfilled_on = ? WHERE village_code = ? AND "
                    "subject = ? AND text = ? AND year = ? AND fulfilled_on IS NULL",
                    (
                        carried.fulfilled_on.isoformat(),
                        session.village.code,
                        carried.to,
                        carried.text,
                        carried.year,
                    ),
                )

    @_guarded
    def fulfil(self, session_id: str, inquiry_id: str, fulfilled_on: date) -> None:
        """Record that a commitment made in a session was kept on ``fulfilled_on``.

        Raises:
            StoreError: no such commitment is recorded.
        """
        self._writable()
        with self._transaction():
            found = self._db.execute(
                "SELECT 1 FROM commitments WHERE session = ? AND inquiry = ?",
                (session_id, inquiry_id),
            ).fetchone()
            if found is None:
                raise StoreError(
                    f"no commitment {inquiry_id} of session {session_id}",
                    zh=f"直评会 {session_id} 没有质询 {inquiry_id} 的整改承诺",
                )
            payload = {
                "format": EVENT_FORMAT,
                "session": session_id,
                "inquiry": inquiry_id,
                "fulfilled_on": fulfilled_on.isoformat(),
            }
            self._append("fulfil", session_id, payload)
            self._db.execute(
                "UPDATE commitments SET fulfilled_on = ? WHERE session = ? AND inquiry = ?",
                (fulfilled_on.isoformat(), session_id, inquiry_id),
            )

    def _append(self, kind: str, session: str, payload: Mapping[str, Any]) -> int:
        head = self._db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        previous = head[0] if head else GENESIS
        text = event_json(payload)
        cursor = self._db.execute(
            "INSERT INTO events (kind, session, payload, previous, hash) VALUES (?, ?, ?, ?, ?)",
            (kind, session, text, previous, event_hash(previous, kind, text)),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _version(registry: PackRegistry, name: str) -> str:
        origin = registry.origins.get(name, "bundled")
        return f"zhiping {__version__}" if origin == "bundled" else origin

    # Reading

    @_guarded
    def get(self, session_id: str) -> StoredSession:
        """Return a recorded session: its latest revision, document and outcome.

        Raises:
            SessionNotFound: no session with that id is recorded (a ``LookupError``).
        """
        return stored_session(self._db, session_id)

    @_guarded
    def list(
        self,
        *,
        village: str | None = None,
        year: int | None = None,
        prefix: str | None = None,
        status: Literal["valid", "void"] | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> tuple[SessionSummary, ...]:
        """Return a page of recorded sessions (their latest revisions), by session id.

        Args:
            village: only this village's sessions.
            year: only sessions of this work year.
            prefix: only villages whose division code starts so (a township: 9 digits).
            status: only ``valid`` or only ``void`` sessions.
            after: only sessions whose id sorts after this one: pass the last id of a
                page to get the next page.
            limit: at most this many (a positive integer).

        Raises:
            InputError: ``status`` or ``limit`` is not one of those (a ``ValueError``).
        """
        return find_sessions(
            self._db,
            village=village,
            year=year,
            prefix=prefix,
            status=status,
            after=after,
            limit=limit,
        )

    @_guarded
    def history(
        self,
        village_code: str,
        *,
        before_year: int | None = None,
        before_quarter: int | None = None,
        subject: str | None = None,
    ) -> tuple[HistoryEntry, ...]:
        """Return the grades of the village's valid sessions, oldest first.

        A yearly session gives an entry of its year; a quarterly one, an entry of its
        year and quarter.

        Args:
            village_code: the village.
            before_year: only periods before this year ...
            before_quarter: ... or, with ``before_year``, also that year's quarters
                before this one (what a quarterly session of that year may read).
            subject: only this subject (``organization`` or a cadre's id).
        """
        query = "SELECT subject, year, quarter, grade FROM grades WHERE village_code = ?"
        arguments: builtins.list[Any] = [village_code]
        if before_year is not None:
            query += f" AND {_BEFORE}"
            arguments.extend([before_year, before_year, before_quarter or 0])
        if subject is not None:
            query += " AND subject = ?"
            arguments.append(subject)
        found = self._db.execute(query + " ORDER BY year, quarter, subject", arguments).fetchall()
        return tuple(
            HistoryEntry(subject=s, year=y, quarter=q or None, grade=g) for s, y, q, g in found
        )

    @_guarded
    def open_commitments(
        self, village_code: str, *, before_year: int | None = None
    ) -> tuple[CarriedCommitment, ...]:
        """Return the village's commitments not yet fulfilled, oldest first."""
        return self._open_commitments(village_code, before_year=before_year)

    def _open_commitments(
        self, village_code: str, *, before_year: int | None
    ) -> tuple[CarriedCommitment, ...]:
        query = (
            "SELECT subject, text, due, year FROM commitments WHERE village_code = ? "
            "AND fulfilled_on IS NULL"
        )
        arguments: builtins.list[Any] = [village_code]
        if before_year is not None:
            query += " AND year < ?"
            arguments.append(before_year)
        rows = self._db.execute(query + " ORDER BY year, due, subject, text", arguments).fetchall()
        return tuple(
            CarriedCommitment(to=to, text=text, due=date.fromisoformat(due), year=year)
            for to, text, due, year in rows
        )

    def sessions(self) -> Iterator[dict[str, Any]]:
        """Yield every recorded revision, in the order recorded, as canonical JSON data.

        Each outcome is its ``zhiping.outcome/1`` document, whichever form the store
        keeps it in.
        """
        rows = self._all_revisions()
        for session, revision, reason, document, outcome, packs, event in rows:
            yield {
                "session": session,
                "revision": revision,
                "reason": reason,
                "event": event,
                "packs": packs,
                "document": text_of(document, column="document"),
                "outcome": format_1_text(outcome),
            }

    @_guarded
    def _all_revisions(self) -> builtins.list[tuple[Any, ...]]:
        return self._db.execute(
            "SELECT session, revision, reason, document, outcome, packs, event "
            "FROM records ORDER BY event"
        ).fetchall()

    @_guarded
    def checkpoint(self) -> Checkpoint:
        """Return the head of the audit chain, to print on the results sheet."""
        # One statement, one snapshot: a writer between two reads would pair the size
        # of one chain with the head of another.
        size, head = self._db.execute(
            "SELECT count(*), (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events"
        ).fetchone()
        return Checkpoint(size, head or GENESIS)

    @_guarded
    def stale(
        self, *, village: str | None = None, registry: PackRegistry | None = None
    ) -> tuple[StaleSession, ...]:
        """Return the recorded sessions whose decisions the record now gives otherwise.

        What :meth:`verify` reports under ``stale``, without verifying anything else.

        Args:
            village: only this village's sessions.
            registry: the packs to re-evaluate with (the installed ones by default).
        """
        registry = registry or default_registry()
        if village is None:
            rows = self._db.execute("SELECT DISTINCT village_code FROM records ORDER BY 1")
            villages = [code for (code,) in rows.fetchall()]
        else:
            villages = [village]
        found: builtins.list[StaleSession] = []
        self._db.execute("BEGIN")
        try:
            for code in villages:
                latest = self._latest_of_village(code)
                closed = self._closed_commitments(code)
                found.extend(stale_among(latest, latest, registry, closed))
        finally:
            self._db.execute("ROLLBACK")
        return tuple(sorted(found, key=lambda stale: stale.session))

    @_guarded
    def checkpoint_at(self, event: int) -> Checkpoint:
        """Return the checkpoint the chain had once ``event`` was appended.

        Raises:
            StoreError: the chain has no such event.
        """
        row = self._db.execute("SELECT hash FROM events WHERE seq = ?", (event,)).fetchone()
        if row is None:
            raise StoreError(
                f"the audit chain has no event {event}", zh=f"审计链中没有事件 {event}"
            )
        return Checkpoint(event, str(row[0]))

    @_guarded
    def verify(
        self, *, checkpoint: Checkpoint | None = None, registry: PackRegistry | None = None
    ) -> Verification:
        """Recompute the chain and every stored outcome from its document, in one snapshot.

        Verification reads inside one read transaction, so that writers committing
        meanwhile are not seen half-way, and never writes.

        Args:
            checkpoint: an earlier checkpoint; a chain that no longer extends it was
                rewritten or truncated.
            registry: the packs to recompute with (the installed ones by default).

        Returns:
            What was found: tampering by session, sessions whose packs changed since
            they were recorded (not tampering), outcomes whose wording alone differs,
            stale sessions, and the chain's head.
        """
        self._db.execute("BEGIN")
        try:
            return verify_store(self._db, checkpoint, registry or default_registry())
        finally:
            self._db.execute("ROLLBACK")

    @_guarded
    def backup(self, target: str | Path) -> None:
        """Copy the store, consistently, to ``target`` while it stays in use."""
        destination = sqlite3.connect(target)
        try:
            self._db.backup(destination)
        finally:
            destination.close()

    # Internals

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"{self.path}: opened read-only", zh=f"记录库 {self.path} 以只读方式打开"
            )

    def _latest(self, session_id: str) -> sqlite3.Row | None:
        self._db.row_factory = sqlite3.Row
        try:
            row: sqlite3.Row | None = self._db.execute(
                "SELECT revision, input_hash, document, event FROM records WHERE session = ? "
                "ORDER BY revision DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        finally:
            self._db.row_factory = None
        return row

    def _latest_of_village(self, village_code: str) -> builtins.list[LatestRevision]:
        rows = self._db.execute(
            "SELECT r.session, r.revision, r.village_code, r.year, r.quarter, r.document, "
            f"r.outcome, r.packs FROM records r WHERE r.village_code = ? AND {LATEST} "
            "ORDER BY r.year, r.quarter, r.session",
            (village_code,),
        ).fetchall()
        return [
            LatestRevision(
                session=row[0],
                revision=row[1],
                village_code=row[2],
                year=row[3],
                quarter=row[4],
                document=json.loads(text_of(row[5], column="document")),
                outcome=json.loads(text_of(row[6], column="outcome")),
                packs=[p["name"] for p in json.loads(row[7])],
            )
            for row in rows
        ]

    def _hash_of(self, event: int) -> str:
        row = self._db.execute("SELECT hash FROM events WHERE seq = ?", (event,)).fetchone()
        return str(row[0]) if row else GENESIS

    @contextmanager
    def _held(self) -> Iterator[None]:
        """Hold the store's lock, on an open store, with no raw sqlite3 error."""
        with self._lock:
            if self._closed:
                raise StoreClosed(str(self.path))
            with sqlite_errors(self.path):
                yield

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


# The periods a session of (year, quarter) reads: earlier years, and earlier quarters of
# its own year when it is quarterly. Arguments: year, year, quarter.
_BEFORE = "(year < ? OR (year = ? AND quarter > 0 AND quarter < ?))"


@attrs.frozen
class _RecordTexts:
    """A record's texts as the store keeps them, and the hashes the audit chain commits to.

    Made from the evaluated session and its outcome alone, so that recording makes them
    off the lock and outside the write transaction, which then only inserts.
    """

    document: bytes
    outcome: bytes
    document_hash: str
    outcome_hash: str

    @classmethod
    def of(cls, session: Session, outcome: Outcome) -> _RecordTexts:
        """Return the texts of a session's record: the document, and the outcome kept as
        ``zhiping.outcome/2`` at the full trace (each parameter and its citation once;
        ``zhiping.outcome/1`` is rebuilt from it exactly by ``compact.as_format_1``)."""
        document = canonical_json(canonical_document(session))
        rendered = canonical_json(compact_document(outcome, trace="full"))
        return cls(kept(document), kept(rendered), digest(document), digest(rendered))


def _checked(document: Session | str | bytes | Mapping[str, Any]) -> Session:
    """Return the session of a document; a :class:`Session` built directly is checked too.

    Raises:
        InputError: the document, or the session, breaks the format.
    """
    return check_session(document) if isinstance(document, Session) else parse_session(document)


def _evaluated(
    document: str | Mapping[str, Any], chain: Chain, registry: PackRegistry
) -> tuple[Session, Outcome]:
    """Return a stored or record-supplied document's session, and its outcome under ``chain``.

    Raises:
        InputError: the document breaks the format.
    """
    session = parse_session(document)
    return session, evaluate_chain(session, chain, registry.mechanisms)


def _to_write(
    document: Mapping[str, Any], chain: Chain, registry: PackRegistry
) -> tuple[Session, Outcome, _RecordTexts]:
    """Return what :func:`_evaluated` gives, with the texts that recording it writes."""
    session, outcome = _evaluated(document, chain, registry)
    return session, outcome, _RecordTexts.of(session, outcome)


def _hash_as_given(session: Session) -> str:
    """Return the input hash of a session with its free-text marks as written."""
    return digest(canonical_json(canonical_document(session)))
