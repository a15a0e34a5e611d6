"""Open a store with a plain ``sqlite3`` client, as someone outside zhiping would."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def read_only(path: Path) -> closing[sqlite3.Connection]:
    """Return a read-only connection to a store, closed at the end of a ``with`` block."""
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
