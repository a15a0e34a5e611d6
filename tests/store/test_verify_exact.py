"""Verify reads one snapshot, never writes, compares decisions, and misses no change.

Acceptance 4 of issue 15: a reopened commitment and a dangling appended event are found.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import zhiping.store._verify as verifying
from store.test_store import inquiry, session, session_id
from zhiping.documents.outcome import Outcome
from zhiping.store import Store
from zhiping.store._chain import event_hash, event_json


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "records.db"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store(path) as opened:
        yield opened


def tamper(path: Path, statement: str, *arguments: Any) -> None:
    """Change the file with a plain SQLite client, as someone with the file could."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(statement, arguments)


def append_event(path: Path, kind: str, session: str, payload: dict[str, Any]) -> None:
    """Append an event chained correctly to the head, as a forger who read the code would."""
    with closing(sqlite3.connect(path)) as db, db:
        head = db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
        text = event_json(payload)
        db.execute(
            "INSERT INTO events (kind, session, payload, previous, hash) VALUES (?, ?, ?, ?, ?)",
            (kind, session, text, head, event_hash(head, kind, text)),
        )


def messages(store: Store) -> list[str]:
    return [found.describe("en") for found in store.verify().tampered]


def test_a_commitment_reopened_although_a_fulfil_event_backs_it_is_found(
    store: Store, path: Path
) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    store.fulfil(session_id(2025), "q1", date(2026, 5, 30))
    assert store.verify().ok
    tamper(path, "UPDATE commitments SET fulfilled_on = NULL")
    assert messages(store) == [
        f"{session_id(2025)}: commitment q1: fulfilled on 2026-05-30 (event 2) but kept as open"
    ]


def test_a_commitment_reopened_although_a_later_session_carried_it_fulfilled_is_found(
    store: Store, path: Path
) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    carried = {
        "to": "c1",
        "text": "6月底前完成村道硬化",
        "due": "2026-06-30",
        "fulfilled_on": "2026-06-01",
        "year": 2025,
    }
    store.evaluate(session(2026, carried=[carried]))
    assert store.open_commitments("420117101201") == ()
    tamper(path, "UPDATE commitments SET fulfilled_on = NULL")
    assert messages(store) == [
        f"{session_id(2025)}: commitment q1: fulfilled on 2026-06-01 (event 2) but kept as open"
    ]


def test_a_dangling_appended_event_about_an_unknown_session_is_found(
    store: Store, path: Path
) -> None:
    store.evaluate(session(2025))
    payload = {
        "format": "zhiping.event/2",
        "session": "420117101299-2025",
        "inquiry": "q1",
        "fulfilled_on": "2026-05-30",
    }
    append_event(path, "fulfil", "420117101299-2025", payload)
    assert messages(store) == [
        "420117101299-2025: event 2 (fulfil): its session 420117101299-2025 is not recorded"
    ]


def test_a_fulfil_event_about_a_commitment_never_made_is_found(store: Store, path: Path) -> None:
    store.evaluate(session(2025))
    payload = {
        "format": "zhiping.event/2",
        "session": session_id(2025),
        "inquiry": "q7",
        "fulfilled_on": "2026-05-30",
    }
    append_event(path, "fulfil", session_id(2025), payload)
    assert messages(store) == [
        f"{session_id(2025)}: event 2 (fulfil): session {session_id(2025)} never made commitment q7"
    ]


def test_a_payload_that_is_not_canonical_is_found(store: Store, path: Path) -> None:
    store.evaluate(session(2025))
    with closing(sqlite3.connect(path)) as db, db:
        head = db.execute("SELECT hash FROM events").fetchone()[0]
        text = '{"session": "x", "format": "zhiping.event/2"}'  # spaces, keys unsorted
        db.execute(
            "INSERT INTO events (kind, session, payload, previous, hash) VALUES (?, ?, ?, ?, ?)",
            ("fulfil", "x", text, head, event_hash(head, "fulfil", text)),
        )
    assert "420117101201-2025" not in " ".join(messages(store))
    assert "x: event 2: its payload is not the canonical JSON of its format" in messages(store)


def test_verify_on_an_empty_file_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with Store(empty, read_only=True) as store:
        verification = store.verify()
    assert (verification.ok, verification.sessions, str(verification.checkpoint)) == (
        True,
        0,
        "0:" + "0" * 64,
    )
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_verify_read_only_leaves_the_file_as_it_was(store: Store, path: Path) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    store.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with Store(path, read_only=True) as reading:
        assert reading.verify().ok
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def recompute_with(monkeypatch: pytest.MonkeyPatch, change: Callable[[Outcome], Outcome]) -> None:
    """Make verify recompute every outcome and then ``change`` it, as another engine might."""
    evaluate = verifying.evaluate_chain

    def changed(*arguments: Any, **options: Any) -> Outcome:
        return change(evaluate(*arguments, **options))

    monkeypatch.setattr(verifying, "evaluate_chain", changed)


def test_an_outcome_recomputed_in_other_words_is_reported_apart_from_tampering(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.evaluate(session(2025))
    # A newer engine explains one step less.
    recompute_with(monkeypatch, lambda outcome: attrs.evolve(outcome, trace=outcome.trace[:-1]))
    verification = store.verify()
    assert verification.ok
    assert [found.session for found in verification.reworded] == [session_id(2025)]


def test_an_outcome_recomputed_with_another_decision_is_tampering(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.evaluate(session(2025))
    recompute_with(
        monkeypatch, lambda outcome: attrs.evolve(outcome, subjects=outcome.subjects[:-1])
    )
    assert messages(store) == [
        f"{session_id(2025)}: revision 1: the stored outcome is not the one its document gives"
    ]


def test_verify_reads_one_snapshot_while_another_writer_commits(
    store: Store, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session committed by another connection half-way through is not seen at all."""
    store.evaluate(session(2025))
    chained = verifying._chained
    writer = Store(path)

    def then_write(*arguments: Any) -> Iterator[str]:
        writer.evaluate(session(2026))  # commits between reading events and records
        yield from chained(*arguments)

    monkeypatch.setattr(verifying, "_chained", then_write)
    try:
        verification = store.verify()
    finally:
        writer.close()
    assert verification.tampered == ()
    assert (verification.sessions, verification.checkpoint.size) == (1, 1)
    monkeypatch.setattr(verifying, "_chained", chained)
    assert store.verify().sessions == 2
