"""The store's tables, and the migrations that bring an older file up to date.

``PRAGMA user_version`` holds the schema version; ``PRAGMA application_id`` marks the
file as a zhiping store, so that no other SQLite file is written into by mistake.
Records and events are append-only, enforced by triggers; grades and commitments are
derived from them and rebuilt with them.
"""

from __future__ import annotations

import sqlite3

from zhiping.errors import StoreError

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "check_identity", "has_schema", "migrate"]

APPLICATION_ID = 0x5A485053
"""``PRAGMA application_id`` of a zhiping store (``ZHPS``)."""

_VERSION_1 = """
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('record', 'amend', 'fulfil')),
    session TEXT NOT NULL,
    payload TEXT NOT NULL,
    previous TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- One row per revision of a session: the document as evaluated (with the history and
-- the commitments the store supplied, ballots in canonical order) and its outcome.
CREATE TABLE records (
    session TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 1),
    village_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    held_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid', 'void')),
    input_hash TEXT NOT NULL,
    document TEXT NOT NULL,
    outcome TEXT NOT NULL,
    packs TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    reason TEXT,
    event INTEGER NOT NULL UNIQUE REFERENCES events (seq),
    PRIMARY KEY (session, revision)
);
CREATE INDEX records_by_village ON records (village_code, year);
CREATE TRIGGER records_are_append_only_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
CREATE TRIGGER records_are_append_only_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;

-- Derived from the latest revision of each valid session: what the two-year rule reads.
CREATE TABLE grades (
    village_code TEXT NOT NULL,
    subject TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL,
    grade TEXT NOT NULL,
    session TEXT NOT NULL,
    PRIMARY KEY (village_code, subject, year, quarter)
);
CREATE INDEX grades_by_session ON grades (session);

-- Derived from the inquiries of each session's latest revision, and fulfilments.
CREATE TABLE commitments (
    session TEXT NOT NULL,
    inquiry TEXT NOT NULL,
    village_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    due TEXT NOT NULL,
    fulfilled_on TEXT,
    PRIMARY KEY (session, inquiry)
);
CREATE INDEX commitments_by_village ON commitments (village_code, year);
"""

# Version 2: the indexes that finding sessions reads (Store.list); the tables are
# unchanged, so a store of version 1 is read and verified as it is. records_listed
# covers what a list shows, so that a township's page is read from the index alone.
_VERSION_2 = """
CREATE INDEX records_listed ON records
    (village_code, session, revision, year, quarter, held_on, status);
CREATE INDEX records_by_year ON records (year, village_code);
CREATE INDEX events_by_session ON events (session);
"""

# Version 3: the tables are unchanged, what a record keeps is not. A record written now
# keeps its document and its outcome (``zhiping.outcome/2`` at the full trace, a
# parameter and its citation once) as zlib-compressed canonical JSON, in BLOBs, and its
# event is of format ``zhiping.event/3``; rows written before stay as they are. The
# version is raised so that a zhiping that cannot read such a record refuses the file.
_VERSION_3 = """
-- No statement: the version alone marks the records of schema 3.
"""

_MIGRATIONS: tuple[str, ...] = (_VERSION_1, _VERSION_2, _VERSION_3)
SCHEMA_VERSION = len(_MIGRATIONS)
"""The schema version this zhiping writes; each migration raises it by one."""


def check_identity(connection: sqlite3.Connection, path: str) -> None:
    """Refuse, before anything is written, a file that is not a store this zhiping can use.

    Raises:
        StoreError: the file is another application's SQLite file, or a store written
            by a newer zhiping.
    """
    # One statement, so one snapshot: read apart, another process creating the store
    # could commit its tables and its application id between the reads.
    application, version, tables = connection.execute(
        "SELECT (SELECT application_id FROM pragma_application_id), "
        "(SELECT user_version FROM pragma_user_version), "
        "(SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if application != APPLICATION_ID and (application != 0 or tables):
        raise StoreError(f"{path}: not a zhiping store", zh=f"{path} 不是 zhiping 记录库")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer zhiping (schema {version}; this one knows "
            f"{SCHEMA_VERSION})",
            zh=f"{path} 由更新版本的 zhiping 写入(结构版本 {version};"
            f"本版本只认识到 {SCHEMA_VERSION})",
        )


def has_schema(connection: sqlite3.Connection) -> bool:
    """Return whether the file holds a store's tables (an empty or new file does not)."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    return bool(version)


def migrate(connection: sqlite3.Connection, path: str) -> None:
    """Create the schema in a new file, or bring an older store up to date.

    Each step runs in its own ``BEGIN IMMEDIATE`` transaction and reads the version
    inside it, so that two processes opening a new file at once create it once.

    Raises:
        StoreError: as :func:`check_identity`.
    """
    while True:
        connection.execute("BEGIN IMMEDIATE")
        try:
            check_identity(connection, path)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA_VERSION:
                connection.execute("COMMIT")
                return
            for statement in _statements(_MIGRATIONS[version]):
                connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements, current = [], ""
    for line in script.splitlines():
        if line.startswith("--") or not line.strip():
            continue
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current)
            current = ""
    return statements
