"""Finding sessions in the store: one by id, or a page of them by village, year, status.

Every query reads the latest revision of each session, through the indexes of schema 2
(stores of schema 1 are read the same way, only without those indexes until they are
opened for writing and migrated).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

import attrs

from zhiping.errors import InputError, Problem
from zhiping.glossary import Text
from zhiping.store._errors import SessionNotFound
from zhiping.store._texts import format_1_text, text_of

__all__ = ["LATEST", "SessionSummary", "StoredSession", "find_sessions", "stored_session"]

LATEST = "r.revision = (SELECT max(revision) FROM records WHERE session = r.session)"
"""The SQL condition that a row ``r`` of ``records`` is its session's latest revision."""
_SUMMARY = "r.session, r.revision, r.village_code, r.year, r.quarter, r.held_on, r.status"


@attrs.frozen
class SessionSummary:
    """A recorded session as a list shows it: its latest revision, without documents.

    Attributes:
        session: the session id.
        revision: the latest revision's number (1 unless amended).
        village_code: the village.
        year: the work year evaluated.
        quarter: the quarter, or None for a yearly session.
        held_on: the day the session was held.
        status: ``valid`` or ``void``.
    """

    session: str
    revision: int
    village_code: str
    year: int
    quarter: int | None
    held_on: date
    status: str

    def to_json(self) -> dict[str, Any]:
        """Return the summary as JSON data."""
        return {
            "session": self.session,
            "revision": self.revision,
            "village_code": self.village_code,
            "year": self.year,
            "quarter": self.quarter,
            "held_on": self.held_on.isoformat(),
            "status": self.status,
        }


@attrs.frozen
class StoredSession:
    """A recorded session: its latest revision, document and outcome.

    Attributes:
        summary: what a list shows of it.
        reason: why the latest revision amended the one before (None for the first).
        event: the audit event that recorded the latest revision.
        engine: the zhiping that recorded it (``zhiping VERSION``), or None for a
            revision recorded before the engine's version was kept (event format 1).
        packs: the chain it was evaluated under, each ``{"name", "version"}``.
        document: the session document as evaluated (with the history and open
            commitments the store supplied), as JSON data.
        outcome: its ``zhiping.outcome/1`` document, as JSON data (a store of schema 3
            keeps it as ``zhiping.outcome/2``, from which this is rebuilt exactly).
    """

    summary: SessionSummary
    reason: str | None
    event: int
    engine: str | None
    packs: tuple[dict[str, Any], ...]
    document: dict[str, Any]
    outcome: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """Return the session as JSON data: the summary's keys, then the rest."""
        return {
            **self.summary.to_json(),
            "reason": self.reason,
            "event": self.event,
            "engine": self.engine,
            "packs": list(self.packs),
            "document": self.document,
            "outcome": self.outcome,
        }


def _summary(row: tuple[Any, ...]) -> SessionSummary:
    session, revision, village, year, quarter, held_on, status = row[:7]
    return SessionSummary(
        session=session,
        revision=revision,
        village_code=village,
        year=year,
        quarter=quarter or None,
        held_on=date.fromisoformat(held_on),
        status=status,
    )


def stored_session(db: sqlite3.Connection, session_id: str) -> StoredSession:
    """Return the latest revision of a session.

    Raises:
        SessionNotFound: no session with that id is recorded.
    """
    row = db.execute(
        f"SELECT {_SUMMARY}, r.reason, r.event, r.packs, r.document, r.outcome, e.payload "
        f"FROM records r LEFT JOIN events e ON e.seq = r.event "
        f"WHERE r.session = ? AND {LATEST}",
        (session_id,),
    ).fetchone()
    if row is None:
        raise SessionNotFound(session_id)
    payload = json.loads(row[12]) if row[12] else {}
    engine = payload.get("engine") if isinstance(payload, dict) else None
    return StoredSession(
        summary=_summary(row),
        reason=row[7],
        event=row[8],
        engine=engine if isinstance(engine, str) else None,
        packs=tuple(json.loads(row[9])),
        document=json.loads(text_of(row[10], column="document")),
        outcome=json.loads(format_1_text(row[11])),
    )


def find_sessions(
    db: sqlite3.Connection,
    *,
    village: str | None,
    year: int | None,
    prefix: str | None,
    status: str | None,
    after: str | None,
    limit: int,
) -> tuple[SessionSummary, ...]:
    """Return a page of sessions, by session id; see :meth:`zhiping.store.Store.list`."""
    _check_arguments(status=status, limit=limit)
    conditions: list[str] = [LATEST]
    arguments: list[Any] = []
    if village is not None:
        conditions.append("r.village_code = ?")
        arguments.append(village)
    if prefix:
        # A range on the indexed column, not LIKE: the index serves a range.
        conditions.append("r.village_code >= ? AND r.village_code < ?")
        arguments.extend([prefix, prefix + "\U0010ffff"])
    if year is not None:
        conditions.append("r.year = ?")
        arguments.append(year)
    if status is not None:
        conditions.append("r.status = ?")
        arguments.append(status)
    if after is not None:
        conditions.append("r.session > ?")
        arguments.append(after)
    query = (
        f"SELECT {_SUMMARY} FROM records r WHERE {' AND '.join(conditions)} "
        "ORDER BY r.session LIMIT ?"
    )
    rows = db.execute(query, [*arguments, limit]).fetchall()
    return tuple(_summary(row) for row in rows)


def _check_arguments(*, status: str | None, limit: int) -> None:
    problems = []
    if status not in (None, "valid", "void"):
        problems.append(
            Problem(
                "status",
                Text(
                    zh=f"状态只能是 valid 或 void,而非 {status!r}",
                    en=f"status is valid or void, not {status!r}",
                ),
            )
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        problems.append(
            Problem(
                "limit",
                Text(
                    zh=f"条数须为正整数,而非 {limit!r}",
                    en=f"limit must be a positive integer, not {limit!r}",
                ),
            )
        )
    if problems:
        raise InputError(problems)
