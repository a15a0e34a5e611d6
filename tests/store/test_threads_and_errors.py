"""A store shared by threads, closing, and errors that carry what a frontend reads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from store.test_store import OTHER_VILLAGE, session, session_id
from zhiping import SessionConflict, StoreError
from zhiping.store import DocumentConflict, PeriodConflict, Store, StoreClosed

VILLAGES = [f"4201171012{number:02d}" for number in range(1, 9)]


def test_threads_of_one_process_share_a_store(tmp_path: Path) -> None:
    failures: list[BaseException] = []
    with Store(tmp_path / "records.db") as store:

        def record(village: str) -> None:
            try:
                for year in (2025, 2026):
                    store.evaluate(session(year, village=village))
                    store.list(village=village)
            except BaseException as error:  # reported below, in the test's thread
                failures.append(error)

        threads = [threading.Thread(target=record, args=(village,)) for village in VILLAGES]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert len(store.list(limit=100)) == 16
        verification = store.verify()
        assert verification.ok
        assert verification.checkpoint.size == 16


def test_a_store_used_from_another_thread_than_the_one_that_opened_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "records.db")
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(store.evaluate(session(2025)).status))
    thread.start()
    thread.join()
    store.close()
    assert seen == ["valid"]


def test_a_closed_store_raises_store_closed_and_closes_twice_quietly(tmp_path: Path) -> None:
    store = Store(tmp_path / "records.db")
    store.close()
    store.close()
    with pytest.raises(StoreClosed) as raised:
        store.checkpoint()
    assert isinstance(raised.value, StoreError)
    assert raised.value.zh.endswith("已关闭")


def test_another_document_under_a_recorded_id_is_a_document_conflict(tmp_path: Path) -> None:
    with Store(tmp_path / "records.db") as store:
        store.evaluate(session(2025))
        with pytest.raises(DocumentConflict) as raised:
            store.evaluate(session(2025, c1="excellent"))
    error = raised.value
    assert isinstance(error, SessionConflict)
    assert (error.conflict, error.session_id, error.existing_session_id) == (
        "document",
        session_id(2025),
        session_id(2025),
    )


def test_a_second_valid_session_of_a_period_is_a_period_conflict(tmp_path: Path) -> None:
    with Store(tmp_path / "records.db") as store:
        store.evaluate(session(2025, village=OTHER_VILLAGE))
        second = session(2025, village=OTHER_VILLAGE)
        second["id"] = "second-sitting"
        with pytest.raises(PeriodConflict) as raised:
            store.evaluate(second)
    error = raised.value
    assert (error.conflict, error.session_id, error.existing_session_id) == (
        "period",
        "second-sitting",
        session_id(2025, OTHER_VILLAGE),
    )
    assert (error.village_code, error.year, error.quarter) == (OTHER_VILLAGE, 2025, None)


def test_writing_to_a_store_opened_read_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    Store(path).close()
    with Store(path, read_only=True) as store, pytest.raises(StoreError) as raised:
        store.evaluate(session(2025))
    assert "read-only" in str(raised.value)
