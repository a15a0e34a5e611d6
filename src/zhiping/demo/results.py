"""The demo's results: an embedded SQLite file that keeps each session and the grades.

This is the demo's stand-in for the records store of a later issue (DESIGN §7), kept
small so that the store can replace it: one table of sessions (the document and its
outcome as canonical JSON), one table of grades from valid sessions, read back as the
next year's history. It has no audit chain, no amendments and no migrations; each
session is written in one transaction, and recording a session id again replaces it.

The file is marked with its own ``application_id``, so that the demo never writes into
a SQLite file that is something else.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Any

from zhiping.errors import StoreError
from zhiping.outcome import Outcome
from zhiping.session import HistoryEntry, Session

__all__ = ["APPLICATION_ID", "DemoResults", "canonical_json"]

APPLICATION_ID = 0x5A485044
"""The ``PRAGMA application_id`` of a demo results file (``ZHPD``)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    village_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'void')),
    document TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_village ON sessions (village_code, year);
CREATE TABLE IF NOT EXISTS grades (
    village_code TEXT NOT NULL,
    subject TEXT NOT NULL,
    year INTEGER NOT NULL,
    grade TEXT NOT NULL,
    session TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (village_code, subject, year)
);
CREATE INDEX IF NOT EXISTS grades_by_session ON grades (session);
"""


def canonical_json(value: Any) -> str:
    """Return the one JSON text of a value: keys sorted, no spaces, UTF-8 characters kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class DemoResults:
    """The demo's results file: sessions with their outcomes, and the grades they gave.

    Open it on a path (created if missing), record sessions, read history back, and
    close it, or use it as a context manager.

    Raises:
        StoreError: the file cannot be opened or written, or is not a demo results file.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._connection = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreError(f"{path}: cannot open: {error}") from None
        try:
            self._prepare()
        except sqlite3.Error as error:
            self._connection.close()
            raise StoreError(f"{path}: cannot prepare the demo results: {error}") from None
        except StoreError:
            self._connection.close()
            raise

    def __enter__(self) -> DemoResults:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _prepare(self) -> None:
        connection = self._connection
        # The demo can be rebuilt from its seed: WAL without a sync at every commit
        # keeps 1176 transactions fast. The records store will sync fully.
        connection.execute("PRAGMA busy_timeout = 5000")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        (tables,) = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if application_id != APPLICATION_ID and (application_id != 0 or tables > 0):
            raise StoreError(f"{self.path}: not a zhiping demo results file")
        connection.executescript(
            f"BEGIN IMMEDIATE;\n{_SCHEMA}\nPRAGMA application_id = {APPLICATION_ID};\nCOMMIT;"
        )

    def clear(self) -> None:
        """Remove every recorded session and grade.

        Raises:
            StoreError: the file cannot be written.
        """
        with self._transaction():
            self._connection.execute("DELETE FROM grades")
            self._connection.execute("DELETE FROM sessions")

    def record(self, session: Session, outcome: Outcome) -> None:
        """Keep a session and its outcome, and the grades of a valid session, at once.

        A session id recorded before is replaced, with its grades.

        Args:
            session: the evaluated session.
            outcome: what the evaluation gave for it.

        Raises:
            StoreError: the file cannot be written, or another valid session of the
                same village and year already graded one of the subjects.
        """
        document = session.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        code = session.village.code
        grades = [
            (code, subject.id, session.year, subject.grade, session.id)
            for subject in outcome.subjects
            if outcome.status == "valid" and subject.grade is not None
        ]
        with self._transaction():
            self._connection.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
            self._connection.execute(
                "INSERT INTO sessions (id, village_code, year, status, document, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    session.id,
                    code,
                    session.year,
                    outcome.status,
                    canonical_json(document),
                    canonical_json(outcome.to_document()),
                ),
            )
            self._connection.executemany(
                "INSERT INTO grades (village_code, subject, year, grade, session)"
                " VALUES (?, ?, ?, ?, ?)",
                grades,
            )

    def history(self, village_code: str, before_year: int) -> list[HistoryEntry]:
        """Return the village's grades from valid sessions of the years before one.

        Args:
            village_code: the village's 12-digit code.
            before_year: only years before this one are returned.

        Returns:
            The grades, year by year, subject by subject.

        Raises:
            StoreError: the file cannot be read.
        """
        try:
            rows = self._connection.execute(
                "SELECT subject, year, grade FROM grades"
                " WHERE village_code = ? AND year < ? ORDER BY year, subject",
                (village_code, before_year),
            ).fetchall()
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: cannot read the history: {error}") from None
        return [
            HistoryEntry.model_validate({"subject": subject, "year": year, "grade": grade})
            for subject, year, grade in rows
        ]

    def close(self) -> None:
        """Close the file; recorded sessions stay in it."""
        self._connection.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection, self.path)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` and a :class:`StoreError`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._connection = connection
        self._path = path

    def __enter__(self) -> None:
        try:
            self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise StoreError(f"{self._path}: cannot begin a transaction: {error}") from None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None:
            try:
                self._connection.execute("COMMIT")
                return
            except sqlite3.Error as failure:
                error = failure
        self._connection.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise StoreError(f"{self._path}: cannot write: {error}") from None
