"""Recording evaluates off the store's lock, and writes only what the record supports.

The record a session is evaluated against can change while it is evaluated: another
thread, or another process on the same file, records an earlier year of the village, or
the same session. The outcome written must then be the one evaluating inside the write
transaction gives. The tests make the change happen at that moment: the engine, as the
store calls it, first records something through a second connection to the same file.

c2 graded ``incompetent`` in 2025 and 2026 (30 of 60 dissatisfied each year): with 2025
in the record, 2026 brings ``organizational_adjustment`` (DESIGN §5, two years running).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zhiping.store._store as store_module
from store.test_store import ADJUSTMENT, action_kinds, session, session_id
from zhiping.store import DocumentConflict, Store


def _meanwhile(monkeypatch: pytest.MonkeyPatch, write: Callable[[], None]) -> list[str]:
    """Make ``write`` run once, during the first evaluation the store starts."""
    evaluate = store_module.evaluate_chain
    calls: list[str] = []

    def evaluating(evaluated: Any, *args: Any, **kwargs: Any) -> Any:
        if not calls:
            calls.append("first")
            write()
        else:
            calls.append("again")
        return evaluate(evaluated, *args, **kwargs)

    monkeypatch.setattr(store_module, "evaluate_chain", evaluating)
    return calls


def test_an_earlier_year_recorded_during_the_evaluation_is_read_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.db"
    with Store(path) as store, Store(path) as other:
        calls = _meanwhile(monkeypatch, lambda: other.record(session(2025, c2="incompetent")))
        recorded = store.record(session(2026, c2="incompetent"))
        # Evaluated once without 2025, then again in the write transaction, with it.
        assert calls[0] == "first"
        assert "again" in calls
        assert action_kinds(recorded, "c2") == [ADJUSTMENT]
        assert recorded.stale == ()
        verification = store.verify()
        assert verification.ok
        assert verification.stale == ()


def test_the_same_session_recorded_during_the_evaluation_is_not_recorded_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.db"
    with Store(path) as store, Store(path) as other:
        _meanwhile(monkeypatch, lambda: other.record(session(2026)))
        recorded = store.record(session(2026))
        assert not recorded.written
        assert recorded.revision == 1
        assert [s.session for s in store.list()] == [session_id(2026)]
        assert store.verify().ok


def test_another_document_under_the_same_id_recorded_meanwhile_is_a_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.db"
    with Store(path) as store, Store(path) as other:
        _meanwhile(monkeypatch, lambda: other.record(session(2026, c2="incompetent")))
        with pytest.raises(DocumentConflict):
            store.record(session(2026))
        assert store.verify().ok


def test_a_write_to_another_village_meanwhile_changes_nothing_and_costs_no_second_evaluation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.db"
    elsewhere = session(2025, c2="incompetent", village="420117101299")
    with Store(path) as store, Store(path) as other:
        calls = _meanwhile(monkeypatch, lambda: other.record(elsewhere))
        recorded = store.record(session(2026, c2="incompetent"))
        # The other village's record is no part of this one: the first evaluation stands
        # (two calls: the other store's own evaluation, then this one's).
        assert calls == ["first", "again"]
        assert action_kinds(recorded, "c2") == []
        assert store.verify().ok


def test_threads_evaluate_at_once_and_every_session_is_recorded_once(tmp_path: Path) -> None:
    years = [session(year, c2="incompetent") for year in range(2021, 2027)]
    with Store(tmp_path / "records.db") as store:
        results: list[Any] = []
        threads = [
            threading.Thread(target=lambda d=document: results.append(store.record(d)))
            for document in years
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(r.revision for r in results) == [1] * len(years)
        # Whatever order they were written in, the record now gives each year after the
        # first its two-year removal: either as written, or as a stale session to amend.
        verification = store.verify()
        assert verification.ok
        stale = {s.session for s in verification.stale}
        for result in results:
            if result.session != session_id(2021) and result.session not in stale:
                assert action_kinds(result, "c2") == [ADJUSTMENT]
