"""Finding sessions (issue 15): get, list with paging, and stores written before schema 2."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

import zhiping
from store.test_store import ADJUSTMENT, OTHER_VILLAGE, VILLAGE, action_kinds, session, session_id
from zhiping import InputError
from zhiping.store import SCHEMA_VERSION, SessionNotFound, Store

SCHEMA_1_STORE = Path(__file__).parent / "data" / "store-schema-1.db"
"""Written by zhiping before schema 2 (main at a5b93b5): 420117101201 in 2024 (c2
excellent) and 2025 (c2 incompetent, commitment q1 fulfilled 2026-05-30), and
420117101202 in 2025 (void: two days' notice). Four events."""

SCHEMA_2_STORE = Path(__file__).parent / "data" / "store-schema-2.db"
"""Written by zhiping before schema 3 (this branch at 3f726bb, by write_store_schema_2.py
beside it): 420117101201 in 2024 (c2 excellent) and 2025 (c2 incompetent, commitment q1;
amended, c1 excellent, "计票有误"; q1 fulfilled 2026-05-30), and 420117101202 in 2025
(void: two days' notice). Five events of format 2; outcomes as zhiping.outcome/1."""

TOWNSHIP_B = "420117102"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "records.db") as opened:
        opened.evaluate(session(2025))
        opened.evaluate(session(2026, c1="incompetent"))
        opened.evaluate(session(2025, village=OTHER_VILLAGE, notice_days=2))
        opened.evaluate(session(2025, village=TOWNSHIP_B + "001"))
        yield opened


def ids(page: tuple[object, ...]) -> list[str]:
    return [summary.session for summary in page]


def test_get_returns_the_latest_revision_with_its_document_and_outcome(store: Store) -> None:
    store.amend(session(2026, c1="basically_competent"), reason="计票有误")
    found = store.get(session_id(2026))
    assert found.summary.to_json() == {
        "session": session_id(2026),
        "revision": 2,
        "village_code": VILLAGE,
        "year": 2026,
        "quarter": None,
        "held_on": "2027-01-15",
        "status": "valid",
    }
    assert found.reason == "计票有误"
    assert found.event == 5
    assert found.engine == f"zhiping {zhiping.__version__}"
    assert found.outcome["subjects"][1]["grade"] == "basically_competent"
    assert {"subject": "c1", "year": 2025, "grade": "competent"} in found.document["history"]


def test_get_of_an_unknown_session_raises_session_not_found_naming_it(store: Store) -> None:
    with pytest.raises(SessionNotFound) as raised:
        store.get("420117101201-1999")
    assert raised.value.session_id == "420117101201-1999"
    assert isinstance(raised.value, LookupError)
    assert raised.value.zh == "直评会 420117101201-1999 没有记录"


def test_list_filters_by_village_year_prefix_and_status(store: Store) -> None:
    assert ids(store.list(village=VILLAGE)) == [session_id(2025), session_id(2026)]
    assert ids(store.list(year=2026)) == [session_id(2026)]
    assert ids(store.list(prefix=TOWNSHIP_B)) == [f"{TOWNSHIP_B}001-2025"]
    assert ids(store.list(status="void")) == [session_id(2025, OTHER_VILLAGE)]
    assert ids(store.list(prefix="420117101", year=2025, status="valid")) == [session_id(2025)]


def test_list_pages_by_session_id(store: Store) -> None:
    first = store.list(limit=2)
    assert ids(first) == [session_id(2025), session_id(2026)]
    second = store.list(limit=2, after=first[-1].session)
    assert ids(second) == [session_id(2025, OTHER_VILLAGE), f"{TOWNSHIP_B}001-2025"]
    assert store.list(limit=2, after=second[-1].session) == ()


def test_list_refuses_a_limit_or_status_it_cannot_use_naming_the_argument(store: Store) -> None:
    with pytest.raises(InputError) as raised:
        store.list(limit=0, status="lost")  # type: ignore[arg-type]
    assert [problem.path for problem in raised.value.problems] == ["status", "limit"]


def test_a_schema_1_store_reads_and_verifies_read_only_without_being_migrated(
    tmp_path: Path,
) -> None:
    path = shutil.copy(SCHEMA_1_STORE, tmp_path / "old.db")
    with Store(path, read_only=True) as old:
        verification = old.verify()
        assert verification.ok
        assert verification.sessions == 3
        assert ids(old.list(village=VILLAGE)) == [session_id(2024), session_id(2025)]
        assert old.get(session_id(2025)).summary.status == "valid"
        assert old.get(session_id(2025)).engine is None  # format-1 events kept no engine
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_schema_1_store_is_migrated_and_goes_on_with_format_2_events(tmp_path: Path) -> None:
    path = shutil.copy(SCHEMA_1_STORE, tmp_path / "old.db")
    with Store(path) as old:
        assert old.open_commitments(VILLAGE) == ()
        recorded = old.record(session(2026, c2="incompetent"))
        assert action_kinds(recorded, "c2") == [ADJUSTMENT]
        assert recorded.checkpoint.size == 5
        old.fulfil(session_id(2025), "q1", date(2026, 5, 31))
        assert old.verify().ok
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"records_listed", "records_by_year", "events_by_session"} <= indexes
        formats = [
            json.loads(payload).get("format")
            for (payload,) in db.execute("SELECT payload FROM events ORDER BY seq")
        ]
        assert formats == [None, None, None, None, "zhiping.event/3", "zhiping.event/3"]


def test_a_schema_2_store_reads_and_verifies_read_only_without_being_migrated(
    tmp_path: Path,
) -> None:
    path = shutil.copy(SCHEMA_2_STORE, tmp_path / "old.db")
    with Store(path, read_only=True) as old:
        verification = old.verify()
        assert verification.ok
        assert (verification.sessions, verification.reworded) == (4, ())
        assert ids(old.list(village=VILLAGE)) == [session_id(2024), session_id(2025)]
        amended = old.get(session_id(2025))
        assert (amended.summary.revision, amended.reason) == (2, "计票有误")
        assert amended.outcome["format"] == "zhiping.outcome/1"
        assert [(e.subject, e.year, e.grade) for e in old.history(VILLAGE, subject="c2")] == [
            ("c2", 2024, "excellent"),
            ("c2", 2025, "incompetent"),
        ]
        assert old.stale() == ()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_schema_2_store_is_migrated_goes_on_and_verifies_again(tmp_path: Path) -> None:
    """Acceptance 3 of issue 14: a store written before the compact store verifies after it."""
    path = shutil.copy(SCHEMA_2_STORE, tmp_path / "old.db")
    with Store(path, read_only=True) as old:
        before = old.get(session_id(2025))
        exported = list(old.sessions())
    with Store(path) as old:
        assert old.get(session_id(2025)) == before  # migrating rewrites no record
        # c2 incompetent in 2025 (the amended revision) and again in 2026: adjustment.
        recorded = old.record(session(2026, c2="incompetent"))
        assert action_kinds(recorded, "c2") == [ADJUSTMENT]
        assert recorded.checkpoint.size == 6
        assert old.get(session_id(2026)).outcome == recorded.to_document()
        assert list(old.sessions())[:4] == exported
        verification = old.verify()
        assert verification.ok
        assert (verification.sessions, verification.reworded) == (5, ())
        # c2 incompetent in 2024 too makes 2025 its second year running: the amended
        # 2025 revision, kept as zhiping.outcome/1, is stale; 2026 (/2) stays as it is.
        amended = old.amend(session(2024, c2="incompetent"), reason="计票有误")
        assert [(s.session, s.revision) for s in amended.stale] == [(session_id(2025), 2)]
        assert [s.session for s in old.stale()] == [session_id(2025)]
        assert old.verify().ok
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 3
        kept = db.execute(
            "SELECT typeof(document), typeof(outcome) FROM records ORDER BY event"
        ).fetchall()
        assert kept == [("text", "text")] * 4 + [("blob", "blob")] * 2
        formats = [
            json.loads(payload).get("format")
            for (payload,) in db.execute("SELECT payload FROM events ORDER BY seq")
        ]
        assert formats == ["zhiping.event/2"] * 5 + ["zhiping.event/3"] * 2
