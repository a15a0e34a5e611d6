"""Opening the store's SQLite file, and keeping raw ``sqlite3`` errors inside the store.

The connection is usable from any thread (the store's lock serializes the calls); a
read-only one never writes, and an empty or new file opened read-only reads as an
empty store, in memory.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from zhiping.errors import StoreError
from zhiping.store._schema import has_schema, migrate

__all__ = ["BUSY_TIMEOUT_MS", "connect", "readable", "sqlite_errors", "use_wal"]

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another before giving up."""


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    """Open the file, usable from any thread (the store's lock serializes the calls)."""
    try:
        if read_only:
            uri = f"file:{quote(str(path.absolute()))}?mode=ro"
            return sqlite3.connect(
                uri,
                uri=True,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
            )
        return sqlite3.connect(
            path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StoreError(
            f"{path}: cannot open: {error}", zh=f"无法打开记录库 {path}:{error}"
        ) from None


def readable(db: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """Return the connection to read a store by, an empty one in memory for an empty file."""
    if has_schema(db):
        return db
    db.close()
    empty = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    migrate(empty, str(path))
    return empty


def use_wal(db: sqlite3.Connection) -> None:
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
def sqlite_errors(path: Path) -> Iterator[None]:
    """Raise a ``StoreError`` naming the file for any ``sqlite3`` error inside."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{path}: {error}", zh=f"记录库 {path} 出错:{error}") from None
