"""Write ``store-schema-2.db``: a store of schema 2 with events of format 2, for the tests.

Run by the zhiping of commit 3f726bb (schema 2, outcomes stored as ``zhiping.outcome/1``,
events ``zhiping.event/2``), from the repository's root::

    python tests/store/data/write_store_schema_2.py

It is kept to show how the file was made; run by a later zhiping it writes a later
schema, which is not what the tests read it for.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))  # tests/, as pytest's pythonpath

from store.test_store import OTHER_VILLAGE, inquiry, session  # noqa: E402
from zhiping.store import Store  # noqa: E402


def main() -> None:
    """Record two villages' sessions, an amendment and a fulfilment into a new file."""
    path = HERE / "store-schema-2.db"
    path.unlink(missing_ok=True)
    with Store(path) as store:
        store.record(session(2024))
        store.record(session(2025, c2="incompetent", inquiries=[inquiry("2026-06-30")]))
        store.amend(
            session(2025, c1="excellent", c2="incompetent", inquiries=[inquiry("2026-06-30")]),
            reason="计票有误",
        )
        store.record(session(2025, village=OTHER_VILLAGE, notice_days=2))
        store.fulfil("420117101201-2025", "q1", date(2026, 5, 30))
    # One file, no write-ahead log beside it.
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("VACUUM")


if __name__ == "__main__":
    main()
