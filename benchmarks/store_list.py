"""Benchmark: finding sessions in a store of 100,000 sessions (issue 15, acceptance 5).

The store is built once, by bulk SQL inserts rather than 100,000 evaluations: one real
session is recorded through :class:`zhiping.store.Store`, and its document and outcome
(with the session id and village code replaced) are copied into every other row, each
with its own correctly chained event of the current format and the document and outcome
hashes of its own texts, kept zlib-compressed as the store keeps them (schema 3). Rows
are as large as real ones (about 22 kB of text, about 4 kB compressed); the grades and
commitments tables are left empty (listing does not read them), and the copied texts
keep the template's year and held-on date, so ``verify`` reports them: the store is for
timing queries, not for verifying. 10,000 villages of 14 townships, ten work years each.

Then it times, on a read-only store (each a median, p95 and maximum over 200 draws):
``list(village=…)`` of one village; ``list(prefix=township, year=…, status="valid",
limit=100)``; the next page of a township (``after=``); ``get(session_id)``.

Run: ``python benchmarks/store_list.py [--sessions 100000] [--store PATH]``. The store
is kept at PATH (``/tmp/zhiping-store-list.sqlite`` by default) and reused when it has
the number of sessions asked for. Figures only: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from zhiping.store import Store
from zhiping.store._chain import EVENT_FORMAT, digest, event_hash, event_json
from zhiping.store._texts import kept, text_of
from zhiping.testing import session_document

YEARS = 10
TOWNSHIPS = 14
FIRST_YEAR = 2021
TEMPLATE_VILLAGE = "420117199999"
"""The village of the one session evaluated, outside the numbered ones."""


def village_code(number: int) -> str:
    """The number-th village: 14 townships of 42011710x, villages numbered within."""
    township = 101 + number % TOWNSHIPS
    return f"420117{township:03d}{number // TOWNSHIPS:03d}"


def build(path: Path, sessions: int) -> None:
    """Build a store of ``sessions`` sessions at ``path``; see the module docstring."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    template_id = f"{TEMPLATE_VILLAGE}-{FIRST_YEAR}"
    with Store(path) as store:
        store.record(
            session_document(
                village_code=TEMPLATE_VILLAGE,
                year=FIRST_YEAR,
                held_on=date(FIRST_YEAR + 1, 1, 15),
                cadres=3,
                counts={
                    "organization": {"satisfied": 300, "basically_satisfied": 20},
                    "c1": {"satisfied": 250, "dissatisfied": 70},
                    "c2": {"satisfied": 200, "dissatisfied": 120},
                    "c3": {"satisfied": 150, "dissatisfied": 170},
                },
            )
        )
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA synchronous = OFF")
        row = db.execute(
            "SELECT document, outcome, packs, fingerprint, input_hash, hash FROM records "
            "JOIN events ON events.seq = records.event"
        ).fetchone()
        stored_document, stored_outcome, packs, fingerprint, input_hash, head = row
        document, outcome = text_of(stored_document), text_of(stored_outcome)
        db.execute("BEGIN")
        seq = 1
        for number in range(sessions - 1):
            village = village_code(number // YEARS)
            year = FIRST_YEAR + number % YEARS
            session = f"{village}-{year}"
            texts = [
                text.replace(template_id, session).replace(TEMPLATE_VILLAGE, village)
                for text in (document, outcome)
            ]
            status = "void" if number % 17 == 0 else "valid"
            payload = {
                "format": EVENT_FORMAT,
                "session": session,
                "revision": 1,
                "input_hash": input_hash,
                "document_hash": digest(texts[0]),
                "outcome_hash": digest(texts[1]),
                "packs": json.loads(packs),
                "engine": "benchmark",
                "fingerprint": fingerprint,
                "reason": None,
            }
            text = event_json(payload)
            seq += 1
            new_head = event_hash(head, "record", text)
            db.execute(
                "INSERT INTO events (seq, kind, session, payload, previous, hash) "
                "VALUES (?, 'record', ?, ?, ?, ?)",
                (seq, session, text, head, new_head),
            )
            head = new_head
            db.execute(
                "INSERT INTO records (session, revision, village_code, year, quarter, held_on, "
                "status, input_hash, document, outcome, packs, fingerprint, reason, event) "
                "VALUES (?, 1, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
                (
                    session,
                    village,
                    year,
                    f"{year + 1}-01-15",
                    status,
                    input_hash,
                    kept(texts[0]),
                    kept(texts[1]),
                    packs,
                    fingerprint,
                    seq,
                ),
            )
        db.execute("COMMIT")
        db.execute("ANALYZE")


def timed(label: str, calls: list[Callable[[], Any]]) -> None:
    """Print the median, p95 and maximum time of the calls, in milliseconds."""
    times = []
    for call in calls:
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{label:<48} median {statistics.median(times):7.2f} ms   "
        f"p95 {p95:7.2f} ms   max {times[-1]:7.2f} ms   ({len(times)} calls)"
    )


def main() -> None:
    """Build the store if needed, then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=Path("/tmp/zhiping-store-list.sqlite"))
    arguments = parser.parse_args()
    path, sessions = arguments.store, arguments.sessions
    if path.exists():
        with closing(sqlite3.connect(path)) as db:
            present = db.execute("SELECT count(*) FROM records").fetchone()[0]
    else:
        present = 0
    if present != sessions:
        started = time.perf_counter()
        build(path, sessions)
        print(f"built {sessions} sessions in {time.perf_counter() - started:.1f} s: {path}")
    print(f"store: {path.stat().st_size / 1e9:.2f} GB, {sessions} sessions")
    rng = random.Random(15)
    villages = [village_code(rng.randrange(sessions // YEARS)) for _ in range(200)]
    with Store(path, read_only=True) as store:
        store.list(village=villages[0])  # open the file's pages once
        found = [len(store.list(village=village)) for village in villages[:5]]
        print(f"sessions per village listed: {found}")
        timed("list(village=…)", [lambda v=v: store.list(village=v) for v in villages])
        townships = [v[:9] for v in villages]
        timed(
            "list(prefix=township, year, status, limit=100)",
            [
                lambda t=t: store.list(prefix=t, year=2025, status="valid", limit=100)
                for t in townships
            ],
        )
        pages = [store.list(prefix=t, limit=100)[-1].session for t in townships[:50]]
        timed(
            "list(prefix=township, after=…, limit=100)",
            [
                lambda t=t, a=a: store.list(prefix=t, after=a, limit=100)
                for t, a in zip(townships[:50], pages, strict=True)
            ],
        )
        timed("get(session_id)", [lambda v=v: store.get(f"{v}-2025") for v in villages])


if __name__ == "__main__":
    main()
