"""The records store (DESIGN §7): recording across years, amendments, commitments, checkpoints.

Grades are worked out by hand from the Xinzhou thresholds (DESIGN §5): with n valid
votes, d dissatisfied and s satisfied, ``incompetent`` if 2d ≥ n; else
``basically_competent`` if 3d > n; else ``excellent`` if 10s ≥ 9n; else ``competent``.
"""

from __future__ import annotations

import sqlite3
import tomllib
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import zhiping
from zhiping import HistoryEntry, SessionConflict, StoreError
from zhiping.documents.session import CarriedCommitment
from zhiping.packs.loading import pack_from_data
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.store import SCHEMA_VERSION, Checkpoint, Store
from zhiping.testing import as_cast, session_document

VILLAGE = "420117101201"
OTHER_VILLAGE = "420117101202"
GENESIS = "0" * 64

# Each row is 60 valid votes (n = 60) and the grade DESIGN §5 gives them, at a boundary:
MARKS_FOR: dict[str, dict[str, int]] = {
    # s = 54: 10s = 540 ≥ 9n = 540; d = 0.
    "excellent": {"satisfied": 54, "basically_satisfied": 6},
    # d = 20: 2d = 40 < 60 and 3d = 60, not > 60; s = 40: 10s = 400 < 540.
    "competent": {"satisfied": 40, "dissatisfied": 20},
    # d = 21: 2d = 42 < 60 but 3d = 63 > 60.
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    # d = 30: 2d = 60 ≥ 60.
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}
ADJUSTMENT = "organizational_adjustment"
COMMITMENT_TEXT = "6月底前完成村道硬化"


def session_id(year: int, village: str = VILLAGE) -> str:
    return f"{village}-{year}"


def held_on(year: int) -> date:
    """The day a work year's session is held: 15 January of the year after."""
    return date(year + 1, 1, 15)


def session(
    year: int,
    *,
    village: str = VILLAGE,
    organization: str = "excellent",
    c1: str = "competent",
    c2: str = "excellent",
    notice_days: int = 3,
    inquiries: list[dict[str, Any]] | None = None,
    carried: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Xinzhou session of ``year`` in which each subject earns the grade named."""
    document = session_document(
        village_code=village,
        year=year,
        held_on=held_on(year),
        notice_days=notice_days,
        cadres=2,
        counts={
            "organization": MARKS_FOR[organization],
            "c1": MARKS_FOR[c1],
            "c2": MARKS_FOR[c2],
        },
    )
    if inquiries is not None:
        document["inquiries"] = inquiries
    if carried is not None:
        document["carried_commitments"] = carried
    return document


def inquiry(
    due: str, *, inquiry_id: str = "q1", to: str = "c1", fulfilled_on: str | None = None
) -> dict[str, Any]:
    """An inquiry answered later, with a commitment due on ``due``."""
    return {
        "id": inquiry_id,
        "to": to,
        "topic": "村道硬化进度",
        "answered": "later",
        "commitment": {"text": COMMITMENT_TEXT, "due": due, "fulfilled_on": fulfilled_on},
    }


def grades(history: tuple[HistoryEntry, ...]) -> list[tuple[str, int, str]]:
    return [(entry.subject, entry.year, entry.grade) for entry in history]


def action_kinds(outcome: zhiping.Outcome, subject: str) -> list[str]:
    return [action.kind for action in outcome.subject(subject).actions]


def overdue(outcome: zhiping.Outcome) -> list[tuple[str | None, dict[str, Any]]]:
    return [
        (finding.subject, dict(finding.facts))
        for finding in outcome.findings_of("commitment.overdue")
    ]


def stored_revisions(store: Store, session: str) -> list[dict[str, Any]]:
    return [row for row in store.sessions() if row["session"] == session]


def all_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read with a plain SQLite client."""
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(db.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in tables
        }


def files_in(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "records.db") as opened:
        yield opened


# Opening a file


def test_a_new_store_is_marked_as_a_zhiping_store_at_the_current_schema_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "records.db"
    Store(path).close()
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x5A485053
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_store_opens_again_with_what_was_recorded(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    with Store(path) as first:
        first.evaluate(session(2025))
        checkpoint = first.checkpoint()
    with Store(path) as again:
        assert again.checkpoint() == checkpoint
        assert grades(again.history(VILLAGE)) == [
            ("c1", 2025, "competent"),
            ("c2", 2025, "excellent"),
            ("organization", 2025, "excellent"),
        ]


def another_applications_file(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        db.execute("INSERT INTO contacts VALUES ('张三', '13800000000')")
        db.commit()


def an_empty_file_of_another_application(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA application_id = 1234")
        db.commit()


def a_store_from_a_newer_zhiping(path: Path) -> None:
    with Store(path) as newer:
        newer.evaluate(session(2025))
    with closing(sqlite3.connect(path)) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.commit()


def a_text_file(path: Path) -> None:
    path.write_text("village,cadre,grade\n420117101201,c1,competent\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (another_applications_file, "not a zhiping store"),
        (an_empty_file_of_another_application, "not a zhiping store"),
        (a_store_from_a_newer_zhiping, "newer zhiping"),
        (a_text_file, "not a"),
    ],
    ids=["other-application", "other-application-id", "newer-schema", "not-sqlite"],
)
def test_a_file_zhiping_must_not_write_into_is_refused_and_left_byte_for_byte_unchanged(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    path = tmp_path / "file.db"
    make(path)
    before = files_in(tmp_path)
    with pytest.raises(StoreError, match=message):
        Store(path)
    assert files_in(tmp_path) == before


def test_a_path_in_a_directory_that_does_not_exist_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path / "missing" / "records.db")
    assert not (tmp_path / "missing").exists()


def test_a_directory_given_as_the_path_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path)


@pytest.mark.parametrize(
    "use",
    [
        lambda s: s.evaluate(session(2025)),
        lambda s: s.history(VILLAGE),
        lambda s: s.open_commitments(VILLAGE),
        lambda s: s.checkpoint(),
        lambda s: s.verify(),
        lambda s: list(s.sessions()),
        lambda s: s.fulfil(session_id(2025), "q1", date(2026, 6, 1)),
    ],
    ids=["evaluate", "history", "open_commitments", "checkpoint", "verify", "sessions", "fulfil"],
)
def test_a_closed_store_raises_store_error_not_a_sqlite3_error(
    tmp_path: Path, use: Callable[[Store], object]
) -> None:
    closed = Store(tmp_path / "records.db")
    closed.close()
    with pytest.raises(StoreError):
        use(closed)


def test_a_backup_into_a_directory_that_does_not_exist_raises_store_error(store: Store) -> None:
    store.evaluate(session(2025))
    with pytest.raises(StoreError):
        store.backup(store.path.parent / "missing" / "copy.db")


# Grades and the two-year rule, across years


def test_the_grades_recorded_are_those_of_the_xinzhou_thresholds(store: Store) -> None:
    outcome = store.evaluate(session(2025, organization="competent", c1="incompetent"))
    store.evaluate(session(2026, organization="excellent", c1="basically_competent"))
    assert outcome.status == "valid"
    assert grades(store.history(VILLAGE)) == [
        ("c1", 2025, "incompetent"),
        ("c2", 2025, "excellent"),
        ("organization", 2025, "competent"),
        ("c1", 2026, "basically_competent"),
        ("c2", 2026, "excellent"),
        ("organization", 2026, "excellent"),
    ]


def test_two_incompetent_years_recorded_through_the_store_bring_an_organizational_adjustment(
    store: Store,
) -> None:
    first = store.evaluate(session(2025, c1="incompetent"))
    assert action_kinds(first, "c1") == []
    second = store.evaluate(session(2026, c1="incompetent"))
    assert second.status == "valid"
    assert second.subject("c1").grade == "incompetent"
    assert action_kinds(second, "c1") == [ADJUSTMENT]
    assert action_kinds(second, "c2") == []
    assert action_kinds(second, "organization") == []


def test_the_stored_document_carries_the_history_the_store_supplied(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    store.evaluate(session(2026, c1="incompetent"))
    (row,) = stored_revisions(store, session_id(2026))
    document = zhiping.parse_session(row["document"])
    assert sorted(grades(document.history)) == [
        ("c1", 2025, "incompetent"),
        ("c2", 2025, "excellent"),
        ("organization", 2025, "excellent"),
    ]


def test_an_incompetent_year_followed_by_a_competent_one_brings_no_adjustment(
    store: Store,
) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    assert action_kinds(store.evaluate(session(2026, c1="basically_competent")), "c1") == []


def test_a_gap_year_breaks_the_two_year_streak(store: Store) -> None:
    """2024 and 2026 incompetent, nothing recorded for 2025: no adjustment."""
    store.evaluate(session(2024, c1="incompetent"))
    outcome = store.evaluate(session(2026, c1="incompetent"))
    assert outcome.subject("c1").grade == "incompetent"
    assert action_kinds(outcome, "c1") == []


def test_a_void_session_gives_no_grades(store: Store) -> None:
    """A notice published 2 days ahead breaks notice.period: the session is void."""
    outcome = store.evaluate(session(2025, c1="incompetent", notice_days=2))
    assert outcome.status == "void"
    assert [subject.grade for subject in outcome.subjects] == [None, None, None]
    assert store.history(VILLAGE) == ()


def test_a_void_year_breaks_the_two_year_streak(store: Store) -> None:
    store.evaluate(session(2024, c1="incompetent"))
    store.evaluate(session(2025, c1="incompetent", notice_days=2))
    outcome = store.evaluate(session(2026, c1="incompetent"))
    assert outcome.subject("c1").grade == "incompetent"
    assert action_kinds(outcome, "c1") == []


def test_history_filters_by_year_and_subject_and_keeps_villages_apart(store: Store) -> None:
    store.evaluate(session(2024, c1="excellent"))
    store.evaluate(session(2025, c1="incompetent"))
    store.evaluate(session(2026, c1="basically_competent"))
    store.evaluate(session(2025, village=OTHER_VILLAGE, c1="competent"))
    assert grades(store.history(VILLAGE, subject="c1")) == [
        ("c1", 2024, "excellent"),
        ("c1", 2025, "incompetent"),
        ("c1", 2026, "basically_competent"),
    ]
    assert grades(store.history(VILLAGE, before_year=2026, subject="c1")) == [
        ("c1", 2024, "excellent"),
        ("c1", 2025, "incompetent"),
    ]
    assert grades(store.history(VILLAGE, before_year=2025)) == [
        ("c1", 2024, "excellent"),
        ("c2", 2024, "excellent"),
        ("organization", 2024, "excellent"),
    ]
    assert store.history(VILLAGE, before_year=2024) == ()
    assert grades(store.history(OTHER_VILLAGE, subject="c1")) == [("c1", 2025, "competent")]
    assert store.history("420117999999") == ()
    assert store.history(VILLAGE, subject="c9") == ()


def test_history_entries_are_public_history_entries(store: Store) -> None:
    store.evaluate(session(2025))
    assert store.history(VILLAGE, subject="organization") == (
        HistoryEntry(subject="organization", year=2025, grade="excellent"),
    )


def test_two_valid_sessions_of_one_village_and_year_leave_a_store_that_verifies(
    store: Store,
) -> None:
    """Either the store refuses a second grade for the same year, or it verifies after."""
    store.evaluate(session(2026))
    again = session(2026, c1="incompetent")
    again["id"] = f"{VILLAGE}-2026-again"
    with suppress(StoreError):  # refusing a second grade for 2026 is a fair answer
        store.evaluate(again)
    assert store.verify().tampered == ()


# Idempotence


def test_recording_the_same_document_twice_changes_nothing(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent", inquiries=[inquiry("2026-06-30")]))
    document = session(2026, c1="incompetent")
    first = store.evaluate(document)
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    second = store.evaluate(document)
    assert second.to_document() == first.to_document()
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_recording_an_earlier_year_again_after_a_later_one_changes_nothing(store: Store) -> None:
    document = session(2025, c1="incompetent")
    first = store.evaluate(document)
    store.evaluate(session(2026))
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    assert store.evaluate(document).to_document() == first.to_document()
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_the_cast_ballots_in_another_order_are_the_same_document(store: Store) -> None:
    counts_form = session(2025, c1="incompetent", c2="basically_competent")
    cast = as_cast(counts_form)
    reordered = as_cast(counts_form, order=list(reversed(range(60))))
    assert cast["ballots"]["cast"] != reordered["ballots"]["cast"]
    first = store.evaluate(cast)
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    second = store.evaluate(reordered)
    assert second.to_document() == first.to_document()
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_a_parsed_session_and_its_json_text_are_the_same_document(store: Store) -> None:
    document = session(2025)
    store.evaluate(zhiping.parse_session(document))
    checkpoint = store.checkpoint()
    store.evaluate(zhiping.parse_session(document).model_dump_json(by_alias=True))
    assert store.checkpoint() == checkpoint


# Conflicts and amendments


def test_a_different_document_under_a_recorded_session_id_raises_session_conflict(
    store: Store,
) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    with pytest.raises(SessionConflict, match=session_id(2025)) as raised:
        store.evaluate(session(2025, c1="competent"))
    assert raised.value.message("zh").startswith(f"直评会 {session_id(2025)} 已按另一份文件记录")
    assert isinstance(SessionConflict("x", zh="冲突"), StoreError)
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_an_amendment_keeps_both_revisions_and_grows_the_audit_chain(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    before = store.checkpoint()
    outcome = store.amend(session(2025, c1="competent"), reason="计票时误将满意票计入不满意")
    assert outcome.subject("c1").grade == "competent"
    assert store.checkpoint().size == before.size + 1
    revisions = stored_revisions(store, session_id(2025))
    assert [(row["revision"], row["reason"]) for row in revisions] == [
        (1, None),
        (2, "计票时误将满意票计入不满意"),
    ]
    first, second = (zhiping.parse_session(row["document"]) for row in revisions)
    assert first.ballots.counts is not None
    assert second.ballots.counts is not None
    assert first.ballots.counts["c1"]["dissatisfied"] == 30
    assert second.ballots.counts["c1"]["dissatisfied"] == 20
    verification = store.verify(checkpoint=before)
    assert verification.ok
    assert verification.sessions == 2


def test_grades_follow_the_amendment(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    store.amend(session(2025, c1="competent"), reason="重新计票")
    assert grades(store.history(VILLAGE, subject="c1")) == [("c1", 2025, "competent")]
    assert action_kinds(store.evaluate(session(2026, c1="incompetent")), "c1") == []


def test_an_amendment_to_incompetent_brings_the_adjustment_the_next_year(store: Store) -> None:
    store.evaluate(session(2025, c1="competent"))
    store.amend(session(2025, c1="incompetent"), reason="重新计票")
    assert action_kinds(store.evaluate(session(2026, c1="incompetent")), "c1") == [ADJUSTMENT]


def test_an_amendment_that_voids_a_session_removes_its_grades(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    store.amend(session(2025, c1="incompetent", notice_days=2), reason="公告实际只提前2天")
    assert store.history(VILLAGE) == ()
    assert action_kinds(store.evaluate(session(2026, c1="incompetent")), "c1") == []


def test_after_an_amendment_the_new_document_is_a_no_op_and_the_first_conflicts(
    store: Store,
) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    store.amend(session(2025, c1="competent"), reason="重新计票")
    checkpoint = store.checkpoint()
    assert store.evaluate(session(2025, c1="competent")).subject("c1").grade == "competent"
    assert store.checkpoint() == checkpoint
    with pytest.raises(SessionConflict):
        store.evaluate(session(2025, c1="incompetent"))
    assert store.checkpoint() == checkpoint


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_an_amendment_without_a_reason_is_refused(store: Store, reason: str) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    with pytest.raises(StoreError):
        store.amend(session(2025, c1="competent"), reason=reason)
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_amending_a_session_never_recorded_is_refused(store: Store) -> None:
    store.evaluate(session(2025))
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    with pytest.raises(StoreError, match=session_id(2026)) as raised:
        store.amend(session(2026), reason="重新计票")
    assert raised.value.message("zh") == f"直评会 {session_id(2026)} 没有记录,无从更正"
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


# Commitments


def test_an_overdue_commitment_from_last_year_is_reported_this_year(store: Store) -> None:
    first = store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    assert overdue(first) == []
    outcome = store.evaluate(session(2026))
    assert outcome.status == "valid"
    assert overdue(outcome) == [("c1", {"to": "c1", "year": 2025, "due": "2026-06-30"})]
    (finding,) = outcome.findings_of("commitment.overdue")
    assert finding.severity == "warning"


@pytest.mark.parametrize(
    ("due", "is_overdue"),
    [("2027-01-14", True), ("2027-01-15", False), ("2027-06-30", False)],
    ids=["the-day-before", "the-session-day", "after"],
)
def test_a_carried_commitment_is_overdue_only_when_due_before_the_session(
    store: Store, due: str, is_overdue: bool
) -> None:
    """The 2026 session is held on 2027-01-15."""
    store.evaluate(session(2025, inquiries=[inquiry(due)]))
    outcome = store.evaluate(session(2026))
    assert bool(overdue(outcome)) is is_overdue
    (row,) = stored_revisions(store, session_id(2026))
    carried = zhiping.parse_session(row["document"]).carried_commitments
    assert [(c.to, c.text, c.due.isoformat(), c.year) for c in carried] == [
        ("c1", COMMITMENT_TEXT, due, 2025)
    ]


def test_open_commitments_lists_the_unfulfilled_ones_oldest_first(store: Store) -> None:
    store.evaluate(
        session(
            2025,
            inquiries=[
                inquiry("2026-06-30"),
                {**inquiry("2026-03-31", inquiry_id="q2", to="organization")},
                inquiry("2026-05-01", inquiry_id="q3", to="c2", fulfilled_on="2026-01-10"),
                {"id": "q4", "to": "c2", "topic": "账目公开", "answered": "on_site"},
            ],
        )
    )
    store.evaluate(session(2026, inquiries=[inquiry("2027-06-30", to="c2")]))
    store.evaluate(session(2025, village=OTHER_VILLAGE, inquiries=[inquiry("2026-06-30")]))
    assert store.open_commitments(VILLAGE) == (
        CarriedCommitment(
            to="organization", text=COMMITMENT_TEXT, due=date(2026, 3, 31), year=2025
        ),
        CarriedCommitment(to="c1", text=COMMITMENT_TEXT, due=date(2026, 6, 30), year=2025),
        CarriedCommitment(to="c2", text=COMMITMENT_TEXT, due=date(2027, 6, 30), year=2026),
    )
    assert [c.year for c in store.open_commitments(VILLAGE, before_year=2026)] == [2025, 2025]
    assert store.open_commitments(VILLAGE, before_year=2025) == ()
    assert len(store.open_commitments(OTHER_VILLAGE)) == 1


def test_fulfil_closes_a_commitment_so_it_is_not_reported_next_year(store: Store) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    before = store.checkpoint()
    store.fulfil(session_id(2025), "q1", date(2026, 6, 20))
    assert store.checkpoint().size == before.size + 1
    assert store.open_commitments(VILLAGE) == ()
    outcome = store.evaluate(session(2026))
    assert overdue(outcome) == []
    assert store.verify(checkpoint=before).ok


def test_a_fulfilment_survives_an_amendment_of_its_session(store: Store) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    store.fulfil(session_id(2025), "q1", date(2026, 6, 20))
    store.amend(
        session(2025, c1="basically_competent", inquiries=[inquiry("2026-06-30")]),
        reason="重新计票",
    )
    assert store.open_commitments(VILLAGE) == ()
    assert overdue(store.evaluate(session(2026))) == []


@pytest.mark.parametrize(
    ("session_name", "inquiry_id"),
    [(session_id(2025), "q9"), (session_id(2024), "q1"), (session_id(2025), "q2")],
    ids=["unknown-inquiry", "unknown-session", "inquiry-without-commitment"],
)
def test_fulfilling_an_unknown_commitment_raises_store_error_and_writes_nothing(
    store: Store, session_name: str, inquiry_id: str
) -> None:
    store.evaluate(
        session(
            2025,
            inquiries=[
                inquiry("2026-06-30"),
                {"id": "q2", "to": "c2", "topic": "账目公开", "answered": "on_site"},
            ],
        )
    )
    rows, checkpoint = all_rows(store.path), store.checkpoint()
    with pytest.raises(StoreError):
        store.fulfil(session_name, inquiry_id, date(2026, 6, 20))
    assert store.checkpoint() == checkpoint
    assert all_rows(store.path) == rows


def test_a_carried_commitment_fulfilled_in_a_later_document_closes_the_stored_one(
    store: Store,
) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    carried = [
        {
            "to": "c1",
            "text": COMMITMENT_TEXT,
            "due": "2026-06-30",
            "fulfilled_on": "2026-06-25",
            "year": 2025,
        }
    ]
    outcome = store.evaluate(session(2026, carried=carried))
    assert overdue(outcome) == []
    assert store.open_commitments(VILLAGE) == ()
    assert overdue(store.evaluate(session(2027))) == []


def test_a_carried_commitment_of_another_text_closes_nothing(store: Store) -> None:
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    carried = [
        {
            "to": "c1",
            "text": "另一项承诺",
            "due": "2026-06-30",
            "fulfilled_on": "2026-06-25",
            "year": 2025,
        }
    ]
    outcome = store.evaluate(session(2026, carried=carried))
    assert overdue(outcome) == [("c1", {"to": "c1", "year": 2025, "due": "2026-06-30"})]
    assert len(store.open_commitments(VILLAGE)) == 1


# Checkpoints, verification, backup


def test_an_empty_store_has_the_genesis_checkpoint(store: Store) -> None:
    assert store.checkpoint() == Checkpoint(0, GENESIS)
    assert str(store.checkpoint()) == "0:" + GENESIS
    verification = store.verify()
    assert verification.ok
    assert verification.sessions == 0


def test_the_checkpoint_is_size_colon_head_and_parses_back(store: Store) -> None:
    store.evaluate(session(2025))
    store.evaluate(session(2026))
    checkpoint = store.checkpoint()
    size, head = str(checkpoint).split(":")
    assert size == "2"
    assert len(head) == 64
    assert set(head) <= set("0123456789abcdef")
    assert head != GENESIS
    assert checkpoint.size == 2
    assert checkpoint.head == head
    assert Checkpoint.parse(str(checkpoint)) == checkpoint


def test_every_write_moves_the_checkpoint_and_a_no_op_does_not(store: Store) -> None:
    seen = [store.checkpoint()]
    store.evaluate(session(2025, inquiries=[inquiry("2026-06-30")]))
    seen.append(store.checkpoint())
    store.amend(
        session(2025, c1="incompetent", inquiries=[inquiry("2026-06-30")]), reason="重新计票"
    )
    seen.append(store.checkpoint())
    store.fulfil(session_id(2025), "q1", date(2026, 6, 1))
    seen.append(store.checkpoint())
    store.evaluate(session(2025, c1="incompetent", inquiries=[inquiry("2026-06-30")]))
    assert store.checkpoint() == seen[-1]
    assert [checkpoint.size for checkpoint in seen] == [0, 1, 2, 3]
    assert len({checkpoint.head for checkpoint in seen}) == 4


@pytest.mark.parametrize(
    "text",
    ["", "12", ":" + "a" * 64, "x:" + "a" * 64, "-1:" + "a" * 64, "3:" + "a" * 63, "3:" + "g" * 64],
)
def test_checkpoint_parse_refuses_what_is_not_a_checkpoint(text: str) -> None:
    with pytest.raises(ValueError, match="checkpoint"):
        Checkpoint.parse(text)


def test_an_honest_store_verifies_against_each_of_its_earlier_checkpoints(store: Store) -> None:
    checkpoints = [store.checkpoint()]
    for year in (2024, 2025, 2026):
        store.evaluate(session(year, c1="incompetent", inquiries=[inquiry(f"{year + 1}-06-30")]))
        checkpoints.append(store.checkpoint())
    store.fulfil(session_id(2026), "q1", date(2027, 6, 1))
    checkpoints.append(store.checkpoint())
    for checkpoint in checkpoints:
        verification = store.verify(checkpoint=checkpoint)
        assert verification.ok, verification.tampered
        assert verification.tampered == ()
        assert verification.changed_packs == ()
        assert verification.sessions == 3
        assert verification.checkpoint == store.checkpoint()
    store.verify().raise_if_tampered()


def test_verify_against_a_checkpoint_from_a_longer_chain_fails(store: Store) -> None:
    store.evaluate(session(2025))
    head = store.checkpoint().head
    verification = store.verify(checkpoint=Checkpoint(2, head))
    assert not verification.ok
    assert any(finding.session is None for finding in verification.tampered)


def test_verify_against_another_stores_checkpoint_fails(tmp_path: Path) -> None:
    with Store(tmp_path / "other.db") as other:
        other.evaluate(session(2025, village=OTHER_VILLAGE))
        foreign = other.checkpoint()
    with Store(tmp_path / "records.db") as store:
        store.evaluate(session(2025))
        assert not store.verify(checkpoint=foreign).ok


def test_a_backup_verifies_with_the_same_checkpoint(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent", inquiries=[inquiry("2026-06-30")]))
    store.evaluate(session(2026, c1="incompetent"))
    store.fulfil(session_id(2025), "q1", date(2026, 6, 1))
    checkpoint = store.checkpoint()
    target = store.path.parent / "backup.db"
    store.backup(target)
    with Store(target) as copy:
        assert copy.checkpoint() == checkpoint
        verification = copy.verify(checkpoint=checkpoint)
        assert verification.ok
        assert verification.sessions == 2
        assert copy.history(VILLAGE) == store.history(VILLAGE)
        assert copy.open_commitments(VILLAGE) == store.open_commitments(VILLAGE) == ()
        assert list(copy.sessions()) == list(store.sessions())


def test_a_backup_is_a_store_that_takes_further_records(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    target = store.path.parent / "backup.db"
    store.backup(target)
    with Store(target) as copy:
        outcome = copy.evaluate(session(2026, c1="incompetent"))
        assert action_kinds(outcome, "c1") == [ADJUSTMENT]
        assert copy.verify().ok


# A changed pack is not tampering


def xinzhou_data() -> dict[str, Any]:
    text = files("zhiping.plugins.xinzhou").joinpath("pack.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def registry_with_xinzhou(change: Callable[[dict[str, Any]], None]) -> PackRegistry:
    """The installed packs, with the xinzhou pack changed by ``change``."""
    installed = default_registry()
    data = xinzhou_data()
    change(data)
    changed = pack_from_data(data, source="xinzhou, changed")
    packs = [pack for name, pack in installed.packs.items() if name != "xinzhou"]
    return PackRegistry.of([*packs, changed], installed.mechanisms.values(), installed.origins)


def representatives_minimum(value: int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["parameters"]["quorum.representatives.minimum"]["values"][0]["value"] = value

    return change


def test_a_changed_pack_is_reported_as_changed_not_as_tampering(store: Store) -> None:
    store.evaluate(session(2025, c1="incompetent"))
    store.evaluate(session(2026, c1="incompetent"))
    store.evaluate(session(2025, village=OTHER_VILLAGE))
    verification = store.verify(registry=registry_with_xinzhou(representatives_minimum(31)))
    assert verification.ok
    assert verification.tampered == ()
    assert sorted(finding.session or "" for finding in verification.changed_packs) == [
        session_id(2025),
        session_id(2026),
        session_id(2025, OTHER_VILLAGE),
    ]
    verification.raise_if_tampered()


def test_the_same_packs_rebuilt_are_not_a_change(store: Store) -> None:
    store.evaluate(session(2025))
    verification = store.verify(registry=registry_with_xinzhou(lambda data: None))
    assert verification.ok
    assert verification.changed_packs == ()
    assert verification.sessions == 1


def test_recording_with_a_registry_verifies_with_that_registry(store: Store) -> None:
    """32 representatives present: valid under a minimum of 32, void under 33."""
    relaxed = registry_with_xinzhou(representatives_minimum(32))
    stricter = registry_with_xinzhou(representatives_minimum(33))
    assert store.evaluate(session(2025), registry=relaxed).status == "valid"
    assert store.evaluate(session(2026), registry=stricter).status == "void"
    assert store.verify(registry=relaxed).changed_packs != ()
    verification = store.verify(registry=stricter)
    assert verification.ok
    assert [finding.session for finding in verification.changed_packs] == [session_id(2025)]


def test_a_clean_store_reports_no_changed_packs(store: Store) -> None:
    store.evaluate(session(2025))
    verification = store.verify()
    assert verification.ok
    assert verification.changed_packs == ()


def test_sessions_yields_every_revision_in_the_order_recorded(store: Store) -> None:
    store.evaluate(session(2026))
    store.evaluate(session(2025))
    store.amend(session(2026, c1="incompetent"), reason="重新计票")
    rows = list(store.sessions())
    assert [(row["session"], row["revision"]) for row in rows] == [
        (session_id(2026), 1),
        (session_id(2025), 1),
        (session_id(2026), 2),
    ]
    assert [row["event"] for row in rows] == [1, 2, 3]
    for row in rows:
        assert zhiping.parse_session(row["document"]).id == row["session"]
        assert isinstance(row["outcome"], str)
