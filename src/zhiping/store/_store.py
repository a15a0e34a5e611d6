"""The store: sessions and outcomes kept across years in an embedded SQLite file.

Every write is one ``BEGIN IMMEDIATE`` transaction on a WAL database with
``synchronous=FULL``, foreign keys on and a busy timeout, so that an acknowledged
session survives a crash and two writers wait for each other rather than fail.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from zhiping._version import __version__
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import CarriedCommitment, HistoryEntry, Session, parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import SessionConflict, StoreError
from zhiping.packs.model import Chain
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.store._chain import GENESIS, Checkpoint, canonical_json, digest, event_hash
from zhiping.store._schema import check_identity, migrate
from zhiping.store._verify import Verification, verify_store

__all__ = ["Store"]

BUSY_TIMEOUT_MS = 30_000


class Store:
    """The records of evaluated sessions, their grades and commitments, and an audit chain.

    Open it on a path (created if missing) and use it as a context manager, or call
    :meth:`close`. Nothing stored links a ballot to a person, and cast ballots are kept
    in a canonical order, not the order they were cast.

    Raises:
        StoreError: the file cannot be opened, is not a zhiping store, or was written
            by a newer zhiping.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
            )
        except sqlite3.Error as error:
            raise StoreError(
                f"{self.path}: cannot open: {error}", zh=f"无法打开记录库 {self.path}:{error}"
            ) from None
        try:
            with _sqlite_errors(self.path):
                self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                check_identity(self._db, str(self.path))
                _use_wal(self._db)
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
        """Close the file; the store cannot be used afterwards."""
        self._db.close()

    # Recording

    def evaluate(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None = None,
        registry: PackRegistry | None = None,
    ) -> Outcome:
        """Evaluate a session with the history and open commitments kept here, and record it.

        Recording the same document again changes nothing and returns the same outcome.

        Raises:
            InputError: the document is broken.
            SessionConflict: another document was recorded under the same session id;
                record it with :meth:`amend` if it corrects the first.
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
    ) -> Outcome:
        """Record a corrected document for a session already recorded, saying why.

        The earlier revision stays in the store and in the audit chain; grades and
        commitments follow the new one.

        Raises:
            StoreError: no session with that id has been recorded, or no reason is given.
        """
        if not reason.strip():
            raise StoreError("an amendment needs a reason", zh="更正须说明理由")
        return self._record(document, pack=pack, registry=registry, reason=reason)

    def _record(
        self,
        document: Session | str | bytes | Mapping[str, Any],
        *,
        pack: str | None,
        registry: PackRegistry | None,
        reason: str | None,
    ) -> Outcome:
        session = document if isinstance(document, Session) else parse_session(document)
        registry = registry or default_registry()
        chain = registry.chain(session.village.code, session.held_on, pack=pack)
        given = canonical_document(session)
        input_hash = digest(canonical_json(given))
        with self._transaction():
            latest = self._latest(session.id)
            if reason is None and latest is not None:
                if latest["input_hash"] != input_hash:
                    raise SessionConflict(
                        f"session {session.id} is recorded with another document; "
                        "record the new one as an amendment, with its reason",
                        zh=f"直评会 {session.id} 已按另一份文件记录;"
                        "请把新文件作为更正记录,并说明理由",
                    )
                evaluated = parse_session(latest["document"])
                return evaluate_chain(evaluated, chain, registry.mechanisms)
            if reason is not None and latest is None:
                raise StoreError(
                    f"session {session.id} is not recorded: nothing to amend",
                    zh=f"直评会 {session.id} 没有记录,无从更正",
                )
            evaluated = parse_session(self._with_records(given, session))
            outcome = evaluate_chain(evaluated, chain, registry.mechanisms)
            if outcome.status == "valid":
                self._refuse_a_second_valid_session(evaluated)
            revision = 1 if latest is None else latest["revision"] + 1
            self._write(evaluated, outcome, chain, registry, input_hash, revision, reason)
        return outcome

    def _refuse_a_second_valid_session(self, session: Session) -> None:
        other = self._db.execute(
            "SELECT r.session FROM records r WHERE r.village_code = ? AND r.year = ? "
            "AND r.quarter = ? AND r.session != ? AND r.status = 'valid' AND r.revision = "
            "(SELECT max(revision) FROM records WHERE session = r.session)",
            (session.village.code, session.year, session.quarter or 0, session.id),
        ).fetchone()
        if other is not None:
            raise SessionConflict(
                f"village {session.village.code} already has a valid session for "
                f"{session.year}: {other[0]}; a village is graded once a year (or quarter), "
                "so amend that session instead",
                zh=f"村 {session.village.code} 在{session.year}年度已有有效的直评会 {other[0]};"
                "每村每年(或每季度)只评定一次,请改为更正那次直评会",
            )

    def _with_records(self, given: dict[str, Any], session: Session) -> dict[str, Any]:
        """Add the grades and open commitments of earlier years kept here."""
        merged = dict(given)
        history = {(h["subject"], h["year"], h.get("quarter")): h for h in given["history"]}
        earlier = self.history(
            session.village.code, before_year=session.year, before_quarter=session.quarter
        )
        for entry in earlier:
            key = (entry.subject, entry.year, entry.quarter)
            history.setdefault(key, entry.model_dump(mode="json"))
        merged["history"] = sorted(history.values(), key=canonical_json)
        carried = {canonical_json(c): c for c in given["carried_commitments"]}
        kept = {(c["to"], c["text"], c["year"]) for c in given["carried_commitments"]}
        for commitment in self.open_commitments(session.village.code, before_year=session.year):
            item = commitment.model_dump(mode="json")
            if (item["to"], item["text"], item["year"]) not in kept:
                carried[canonical_json(item)] = item
        merged["carried_commitments"] = sorted(carried.values(), key=canonical_json)
        return merged

    def _write(
        self,
        session: Session,
        outcome: Outcome,
        chain: Chain,
        registry: PackRegistry,
        input_hash: str,
        revision: int,
        reason: str | None,
    ) -> None:
        document = canonical_json(canonical_document(session))
        rendered = canonical_json(outcome.to_document())
        packs = [{"name": name, "version": self._version(registry, name)} for name in chain.names]
        payload = {
            "session": session.id,
            "revision": revision,
            "input_hash": input_hash,
            "document_hash": digest(document),
            "outcome_hash": digest(rendered),
            "packs": packs,
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
                document,
                rendered,
                canonical_json(packs),
                payload["fingerprint"],
                reason,
                seq,
            ),
        )
        self._derive(session, outcome)

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

    def fulfil(self, session_id: str, inquiry_id: str, fulfilled_on: date) -> None:
        """Record that a commitment made in a session was kept on ``fulfilled_on``.

        Raises:
            StoreError: no such commitment is recorded.
        """
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
        text = canonical_json(payload)
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
        arguments: list[Any] = [village_code]
        if before_year is not None:
            query += " AND (year < ? OR (year = ? AND quarter > 0 AND quarter < ?))"
            arguments.extend([before_year, before_year, before_quarter or 0])
        if subject is not None:
            query += " AND subject = ?"
            arguments.append(subject)
        with _sqlite_errors(self.path):
            rows = self._db.execute(query + " ORDER BY year, quarter, subject", arguments)
            found = rows.fetchall()
        return tuple(
            HistoryEntry(subject=s, year=y, quarter=q or None, grade=g) for s, y, q, g in found
        )

    def open_commitments(
        self, village_code: str, *, before_year: int | None = None
    ) -> tuple[CarriedCommitment, ...]:
        """Return the village's commitments not yet fulfilled, oldest first."""
        query = (
            "SELECT subject, text, due, year FROM commitments WHERE village_code = ? "
            "AND fulfilled_on IS NULL"
        )
        arguments: list[Any] = [village_code]
        if before_year is not None:
            query += " AND year < ?"
            arguments.append(before_year)
        with _sqlite_errors(self.path):
            rows = self._db.execute(
                query + " ORDER BY year, due, subject, text", arguments
            ).fetchall()
        return tuple(
            CarriedCommitment(to=to, text=text, due=date.fromisoformat(due), year=year)
            for to, text, due, year in rows
        )

    def sessions(self) -> Iterator[dict[str, Any]]:
        """Yield every recorded revision, in the order recorded, as canonical JSON data."""
        with _sqlite_errors(self.path):
            rows = self._db.execute(
                "SELECT session, revision, reason, document, outcome, packs, event "
                "FROM records ORDER BY event"
            ).fetchall()
        for session, revision, reason, document, outcome, packs, event in rows:
            yield {
                "session": session,
                "revision": revision,
                "reason": reason,
                "event": event,
                "packs": packs,
                "document": document,
                "outcome": outcome,
            }

    def checkpoint(self) -> Checkpoint:
        """Return the head of the audit chain, to print on the results sheet."""
        with _sqlite_errors(self.path):
            size = self._db.execute("SELECT count(*) FROM events").fetchone()[0]
            head = self._db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return Checkpoint(size, head[0] if head else GENESIS)

    def verify(
        self, *, checkpoint: Checkpoint | None = None, registry: PackRegistry | None = None
    ) -> Verification:
        """Recompute the chain and every stored outcome from its document.

        Args:
            checkpoint: an earlier checkpoint; a chain that no longer extends it was
                rewritten or truncated.
            registry: the packs to recompute with (the installed ones by default).

        Returns:
            What was found: tampering by session, sessions whose packs changed since
            they were recorded (not tampering), and the chain's head.
        """
        with _sqlite_errors(self.path):
            return verify_store(self._db, checkpoint, registry or default_registry())

    def backup(self, target: str | Path) -> None:
        """Copy the store, consistently, to ``target`` while it stays in use."""
        with _sqlite_errors(self.path):
            destination = sqlite3.connect(target)
            try:
                self._db.backup(destination)
            finally:
                destination.close()

    # Internals

    def _latest(self, session_id: str) -> sqlite3.Row | None:
        self._db.row_factory = sqlite3.Row
        try:
            row: sqlite3.Row | None = self._db.execute(
                "SELECT revision, input_hash, document FROM records WHERE session = ? "
                "ORDER BY revision DESC LIMIT 1",
                (session_id,),
            ).fetchone()
        finally:
            self._db.row_factory = None
        return row

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        with _sqlite_errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")


def canonical_document(session: Session) -> dict[str, Any]:
    """Return a session as the store keeps it: its JSON, cast ballots in canonical order."""
    document = session.model_dump(mode="json", by_alias=True)
    cast = document["ballots"].get("cast")
    if cast is not None:
        document["ballots"]["cast"] = sorted(cast, key=canonical_json)
    return document


def derived_grades(session: Session, outcome: Outcome) -> list[tuple[Any, ...]]:
    """Return the grade rows a session gives: none from a void session."""
    if outcome.status != "valid":
        return []
    return [
        (
            session.village.code,
            subject.id,
            session.year,
            session.quarter or 0,
            subject.grade,
            session.id,
        )
        for subject in outcome.subjects
        if subject.grade is not None
    ]


def derived_commitments(session: Session, fulfilled: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """Return the commitment rows a session's inquiries give, keeping known fulfilments."""
    rows = []
    for inquiry in session.inquiries:
        commitment = inquiry.commitment
        if commitment is None or commitment.due is None:
            continue
        done = commitment.fulfilled_on.isoformat() if commitment.fulfilled_on else None
        rows.append(
            (
                session.id,
                inquiry.id,
                session.village.code,
                session.year,
                inquiry.to,
                commitment.text,
                commitment.due.isoformat(),
                done or fulfilled.get(inquiry.id),
            )
        )
    return rows


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting while another process holds it.

    SQLite does not apply the busy timeout to a change of journal mode, so a second
    process opening a new store at the same moment retries here.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
            continue
        if mode == "wal":
            return
        if time.monotonic() > deadline:
            raise StoreError(
                f"cannot switch the store to WAL (journal mode {mode})",
                zh=f"无法把记录库切换到 WAL 日志模式(当前为 {mode})",
            )
        time.sleep(0.01)


@contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{path}: {error}", zh=f"记录库 {path} 出错:{error}") from None
