"""Stale later outcomes (DESIGN §7): an earlier year recorded late is reported, not applied.

c2 graded ``incompetent`` in 2025 and 2026 (30 of 60 dissatisfied each year): recorded
in that order, 2026 brings ``organizational_adjustment``; 2026 recorded first had no
2025 to read, so recording 2025 afterwards makes 2026's decisions change: it is stale.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import zhiping
from store.test_store import ADJUSTMENT, action_kinds, inquiry, session, session_id
from zhiping.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "records.db") as opened:
        yield opened


def test_recording_2025_after_2026_reports_2026_stale_and_leaves_it_as_recorded(
    store: Store,
) -> None:
    later = store.record(session(2026, c2="incompetent"))
    assert action_kinds(later, "c2") == []
    earlier = store.record(session(2025, c2="incompetent"))
    (stale,) = earlier.stale
    assert (stale.session, stale.revision) == (session_id(2026), 1)
    (change,) = stale.changes
    assert change.en == (
        'c2 actions: [] → [["organizational_adjustment","sanction.consecutive_incompetent"]]'
    )
    kept = store.get(session_id(2026))
    assert kept.summary.revision == 1
    assert kept.outcome["subjects"][2]["actions"] == []
    verification = store.verify()
    assert verification.ok
    assert [s.session for s in verification.stale] == [session_id(2026)]
    assert store.stale() == verification.stale
    assert store.stale(village="420117101299") == ()


def test_posting_the_stale_session_again_returns_it_marked_stale(store: Store) -> None:
    store.record(session(2026, c2="incompetent"))
    store.record(session(2025, c2="incompetent"))
    again = store.record(session(2026, c2="incompetent"))
    assert not again.written
    assert action_kinds(again, "c2") == []
    assert [s.session for s in again.stale] == [session_id(2026)]


def test_an_amendment_records_the_outcome_the_record_now_gives(store: Store) -> None:
    store.record(session(2026, c2="incompetent"))
    store.record(session(2025, c2="incompetent"))
    amended = store.amend(session(2026, c2="incompetent"), reason="2025年度结果补录")
    assert amended.revision == 2
    assert action_kinds(amended, "c2") == [ADJUSTMENT]
    verification = store.verify()
    assert verification.ok
    assert verification.stale == ()


def test_an_earlier_year_that_changes_no_decision_makes_nothing_stale(store: Store) -> None:
    store.record(session(2026, c2="incompetent"))
    # c2 excellent in 2025: 2026 has no streak either way.
    assert store.record(session(2025, c2="excellent")).stale == ()
    assert store.verify().stale == ()


def test_a_session_recorded_in_order_is_never_stale(store: Store) -> None:
    store.record(session(2025, c2="incompetent"))
    recorded = store.record(session(2026, c2="incompetent"))
    assert recorded.stale == ()
    assert recorded.revision == 1
    assert recorded.written
    assert recorded.checkpoint == store.checkpoint()
    assert recorded.checkpoint.size == recorded.event == 2


def test_the_recorded_outcome_equals_the_plain_one_and_carries_its_place(store: Store) -> None:
    document = session(2025)
    recorded = store.record(document)
    plain = zhiping.evaluate(document)
    assert recorded == plain
    assert plain == recorded
    assert recorded.outcome == plain
    assert type(recorded.outcome) is zhiping.Outcome


def test_a_commitment_of_an_earlier_year_recorded_late_makes_the_later_session_stale(
    store: Store,
) -> None:
    """Due 2026-06-30, open, before the 2026 session held 2027-01-15: overdue there."""
    store.record(session(2026))
    earlier = store.record(session(2025, inquiries=[inquiry("2026-06-30")]))
    (stale,) = earlier.stale
    assert stale.session == session_id(2026)
    assert [change.en for change in stale.changes] == [
        "finding added: commitment.overdue (warning) c1"
    ]
    amended = store.amend(session(2026), reason="2025年度结果补录")
    assert [finding.subject for finding in amended.findings_of("commitment.overdue")] == ["c1"]


def test_a_commitment_fulfilled_before_the_late_recording_changes_nothing(store: Store) -> None:
    store.record(session(2026))
    fulfilled = inquiry("2026-06-30", fulfilled_on="2026-06-01")
    assert store.record(session(2025, inquiries=[fulfilled])).stale == ()
