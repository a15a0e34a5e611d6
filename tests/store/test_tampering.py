"""Tampering with a store through a plain SQLite client is detected (DESIGN §7).

Each test opens the file with the standard ``sqlite3`` module, drops the append-only
triggers where it needs to, changes the data, commits and closes; then
``Store(path).verify(...)`` must fail with a finding naming the session concerned (or,
for damage to the chain as a whole, a finding with no session). The plain client, the
truncation and the consistent rewrite of the chain (rehashed with DESIGN §7's hash,
computed independently of zhiping) are the reliability harness's own
(``tests/reliability/forgery.py``), which makes the same changes to every row of a
larger store.

The store under attack holds, in this order: the 2024 session (event 1), the 2025
session with a commitment (event 2), the fulfilment of that commitment (event 3) and
the 2026 session (event 4), in which c1 is incompetent for the second year running.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability.forgery import GENESIS, forge_session, plain_client, truncate
from zhiping import StoreError, TamperDetected
from zhiping.store import Checkpoint, Store, Verification
from zhiping.store._chain import digest
from zhiping.testing import session_document

VILLAGE = "420117101201"
S2024, S2025, S2026 = (f"{VILLAGE}-{year}" for year in (2024, 2025, 2026))
SESSIONS = (S2024, S2025, S2026)

# 60 valid votes: 30 dissatisfied make 2d ≥ n (incompetent); 20 of 60 make 3d = n, not
# more (competent); 54 satisfied make 10s ≥ 9n (excellent). DESIGN §5.
INCOMPETENT = {"satisfied": 30, "dissatisfied": 30}
COMPETENT = {"satisfied": 40, "dissatisfied": 20}
EXCELLENT = {"satisfied": 54, "basically_satisfied": 6}


def session(year: int, c1: dict[str, int], **extra: Any) -> dict[str, Any]:
    document = session_document(
        year=year,
        held_on=date(year + 1, 1, 15),
        cadres=2,
        counts={"organization": EXCELLENT, "c1": c1, "c2": COMPETENT},
    )
    document.update(extra)
    return document


COMMITMENT = {
    "id": "q1",
    "to": "c1",
    "topic": "村道硬化进度",
    "answered": "later",
    "commitment": {"text": "6月底前完工", "due": "2026-06-30"},
}


def record_sessions(path: Path) -> list[Checkpoint]:
    """Record the store under attack; return the checkpoint after each event."""
    checkpoints = []
    with Store(path) as store:
        store.evaluate(session(2024, COMPETENT))
        checkpoints.append(store.checkpoint())
        store.evaluate(session(2025, INCOMPETENT, inquiries=[COMMITMENT]))
        checkpoints.append(store.checkpoint())
        store.fulfil(S2025, "q1", date(2026, 6, 20))
        checkpoints.append(store.checkpoint())
        outcome = store.evaluate(session(2026, INCOMPETENT))
        checkpoints.append(store.checkpoint())
    assert [action.kind for action in outcome.subject("c1").actions] == [
        "organizational_adjustment"
    ]
    return checkpoints


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Path, list[Checkpoint]]:
    path = tmp_path / "records.db"
    return path, record_sessions(path)


@pytest.fixture
def path(recorded: tuple[Path, list[Checkpoint]]) -> Path:
    return recorded[0]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store under attack recorded once, for property tests to copy."""
    path = tmp_path_factory.mktemp("template") / "records.db"
    record_sessions(path)
    return path


def verify(path: Path, checkpoint: Checkpoint | None = None) -> Verification:
    with Store(path) as store:
        return store.verify(checkpoint=checkpoint)


def named(verification: Verification) -> set[str | None]:
    return {finding.session for finding in verification.tampered}


def assert_caught(verification: Verification, session: str | None) -> None:
    assert not verification.ok
    assert session in named(verification), verification.tampered


def stored_text(path: Path, column: str, session: str) -> str:
    """The text of a document or outcome column, decompressed as docs/store.md says."""
    with closing(sqlite3.connect(path)) as db:
        value: bytes = db.execute(
            f"SELECT {column} FROM records WHERE session = ?", (session,)
        ).fetchone()[0]
    return zlib.decompress(value).decode("utf-8")


def with_one_character_changed(text: str, index: int, character: str) -> str:
    assert text[index] != character
    changed = text[:index] + character + text[index + 1 :]
    assert len(changed) == len(text)
    assert sum(a != b for a, b in zip(text, changed, strict=True)) == 1
    return changed


def set_record(path: Path, session: str, **columns: str | bytes) -> None:
    """Set columns of a record; a document or outcome text is compressed as the store keeps it."""
    values = [
        zlib.compress(value.encode("utf-8"))
        if column in ("document", "outcome") and isinstance(value, str)
        else value
        for column, value in columns.items()
    ]
    assignments = ", ".join(f"{column} = ?" for column in columns)
    with plain_client(path) as db:
        db.execute(f"UPDATE records SET {assignments} WHERE session = ?", (*values, session))


# The triggers


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 4",
        "UPDATE records SET outcome = '{}' WHERE session = '420117101201-2025'",
        "DELETE FROM records WHERE session = '420117101201-2026'",
    ],
    ids=["update-events", "delete-events", "update-records", "delete-records"],
)
def test_the_triggers_refuse_to_change_events_and_records_through_a_plain_client(
    path: Path, statement: str
) -> None:
    before = path.read_bytes()
    with (
        closing(sqlite3.connect(path)) as db,
        pytest.raises(sqlite3.DatabaseError, match="append-only"),
    ):
        db.execute(statement)
    assert path.read_bytes() == before
    assert verify(path).ok


def test_an_untouched_store_verifies(recorded: tuple[Path, list[Checkpoint]]) -> None:
    path, checkpoints = recorded
    for checkpoint in checkpoints:
        verification = verify(path, checkpoint)
        assert verification.ok, verification.tampered
        assert verification.sessions == 3
        assert verification.checkpoint == checkpoints[-1]


# Stored documents and outcomes


def test_one_character_of_a_document_changed_is_detected(path: Path) -> None:
    """The village's name 管寨村 becomes 管寨材: still a valid document."""
    text = stored_text(path, "document", S2025)
    index = text.index("管寨村") + 2
    set_record(path, S2025, document=with_one_character_changed(text, index, "材"))
    assert_caught(verify(path), S2025)


def test_one_character_of_an_outcome_changed_is_detected(path: Path) -> None:
    """A letter of an English message in the trace: still a valid outcome."""
    text = stored_text(path, "outcome", S2026)
    index = text.index('"en":"') + len('"en":"')
    replacement = "X" if text[index] != "X" else "Y"
    set_record(path, S2026, outcome=with_one_character_changed(text, index, replacement))
    assert_caught(verify(path), S2026)


def test_a_grade_changed_in_a_stored_outcome_is_detected(path: Path) -> None:
    text = stored_text(path, "outcome", S2026)
    set_record(path, S2026, outcome=text.replace('"incompetent"', '"competent"'))
    assert_caught(verify(path), S2026)


def test_a_document_changed_with_its_hash_in_records_is_caught_by_the_event_payload(
    path: Path,
) -> None:
    """The village's name changes, and the input hash kept with it is recomputed."""
    text = stored_text(path, "document", S2024)
    forged = with_one_character_changed(text, text.index("管寨村") + 2, "材")
    set_record(path, S2024, document=forged, input_hash=digest(forged))
    assert_caught(verify(path), S2024)


@pytest.mark.parametrize(
    ("column", "session", "damage"),
    [
        ("document", S2025, lambda text: "x" + text[1:]),
        ("outcome", S2026, lambda text: "x" + text[1:]),
        ("document", S2025, lambda text: text.replace('"year":2025', '"year":2024', 1)),
        ("outcome", S2025, lambda text: text.replace('"status":', '"statvs":', 1)),
    ],
    ids=["document-not-json", "outcome-not-json", "document-not-a-session", "outcome-no-status"],
)
def test_a_one_character_change_that_breaks_a_document_is_reported_not_raised(
    path: Path, column: str, session: str, damage: Callable[[str], str]
) -> None:
    text = stored_text(path, column, session)
    changed = damage(text)
    assert sum(a != b for a, b in zip(text, changed, strict=True)) == 1
    set_record(path, session, **{column: changed})
    assert_caught(verify(path), session)


@pytest.mark.parametrize("column", ["document", "outcome"])
def test_a_compressed_text_broken_is_reported_not_raised(path: Path, column: str) -> None:
    """A stored BLOB that is no longer zlib (a bit of its checksum flipped) hashes to nothing."""
    with closing(sqlite3.connect(path)) as db:
        (value,) = db.execute(
            f"SELECT {column} FROM records WHERE session = ?", (S2025,)
        ).fetchone()
    set_record(path, S2025, **{column: value[:-1] + bytes([value[-1] ^ 1])})
    assert_caught(verify(path), S2025)


def test_bytes_appended_to_a_compressed_text_are_reported(path: Path) -> None:
    """zlib would inflate the stream and ignore what follows; the store takes no such row."""
    with closing(sqlite3.connect(path)) as db:
        (value,) = db.execute("SELECT outcome FROM records WHERE session = ?", (S2025,)).fetchone()
    set_record(path, S2025, outcome=value + b"x")
    assert_caught(verify(path), S2025)


def test_a_stored_text_that_is_no_utf_8_is_reported_not_raised(path: Path) -> None:
    """SQLite keeps whatever bytes a plain client writes as TEXT; verify still reads them."""
    with plain_client(path) as db:
        db.execute(
            "UPDATE records SET document = CAST(x'ff' || document AS TEXT) WHERE session = ?",
            (S2025,),
        )
    assert_caught(verify(path), S2025)


def test_a_compressed_text_replaced_by_the_same_text_uncompressed_verifies(path: Path) -> None:
    """What is committed to is the text, not how it is kept: a TEXT row reads as a BLOB's."""
    text = stored_text(path, "outcome", S2025)
    with plain_client(path) as db:
        db.execute("UPDATE records SET outcome = ? WHERE session = ?", (text, S2025))
    verification = verify(path)
    assert verification.ok, verification.tampered
    assert verification.reworded == ()


def test_one_character_of_an_event_payload_that_breaks_its_json_is_reported_not_raised(
    path: Path,
) -> None:
    with plain_client(path) as db:
        db.execute("UPDATE events SET payload = 'x' || substr(payload, 2) WHERE seq = 2")
    assert_caught(verify(path), S2025)


@settings(report_multiple_bugs=False)
@given(data=st.data())
def test_changing_any_one_character_of_any_stored_document_or_outcome_is_detected(
    template: Path, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    path = tmp_path_factory.mktemp("one-character") / "records.db"
    path.write_bytes(template.read_bytes())
    column = data.draw(st.sampled_from(["document", "outcome"]), label="column")
    session = data.draw(st.sampled_from(SESSIONS), label="session")
    text = stored_text(path, column, session)
    index = data.draw(st.integers(0, len(text) - 1), label="index")
    character = data.draw(
        st.characters(codec="utf-8", min_codepoint=1).filter(lambda c: c != text[index]),
        label="character",
    )
    set_record(path, session, **{column: with_one_character_changed(text, index, character)})
    assert_caught(verify(path), session)


# The audit chain


def test_deleting_an_event_in_the_middle_is_detected(path: Path) -> None:
    """Event 2 (the 2025 session) goes; its record stays."""
    with plain_client(path) as db:
        db.execute("DELETE FROM events WHERE seq = 2")
    assert_caught(verify(path), S2025)


def test_deleting_an_event_in_the_middle_with_its_record_and_grades_is_detected(
    path: Path,
) -> None:
    with plain_client(path) as db:
        db.execute("DELETE FROM events WHERE seq = 2")
        db.execute("DELETE FROM records WHERE session = ?", (S2025,))
        db.execute("DELETE FROM grades WHERE session = ?", (S2025,))
        db.execute("DELETE FROM commitments WHERE session = ?", (S2025,))
    verification = verify(path)
    assert not verification.ok
    assert named(verification) & {None, S2025}, verification.tampered


def test_swapping_two_events_payloads_is_detected(path: Path) -> None:
    with plain_client(path) as db:
        second, fourth = (
            db.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()[0]
            for seq in (2, 4)
        )
        db.execute("UPDATE events SET payload = ? WHERE seq = 2", (fourth,))
        db.execute("UPDATE events SET payload = ? WHERE seq = 4", (second,))
    verification = verify(path)
    assert_caught(verification, S2025)
    assert_caught(verification, S2026)


def test_reordering_two_events_is_detected(path: Path) -> None:
    """The 2025 record (event 2) and its fulfilment (event 3) change places, records too."""
    with plain_client(path) as db:
        db.execute("UPDATE events SET seq = -2 WHERE seq = 2")
        db.execute("UPDATE events SET seq = 2 WHERE seq = 3")
        db.execute("UPDATE events SET seq = 3 WHERE seq = -2")
        db.execute("UPDATE records SET event = 3 WHERE event = 2")
    verification = verify(path)
    assert not verification.ok
    assert named(verification) & {None, S2025}, verification.tampered


def test_changing_an_events_stored_hash_is_detected(path: Path) -> None:
    with plain_client(path) as db:
        db.execute("UPDATE events SET hash = ? WHERE seq = 4", ("f" * 64,))
    assert_caught(verify(path), S2026)


def truncate_the_last_session(path: Path) -> None:
    """Remove event 4 and everything derived from it, leaving a consistent store."""
    with plain_client(path) as db:
        assert truncate(db, 4) == 1


def test_truncating_the_last_event_is_caught_against_a_checkpoint_taken_before(
    recorded: tuple[Path, list[Checkpoint]],
) -> None:
    path, checkpoints = recorded
    truncate_the_last_session(path)
    assert verify(path).ok, "the truncated store should be consistent in itself"
    assert verify(path).checkpoint == checkpoints[2]
    assert_caught(verify(path, checkpoints[3]), None)


def test_a_truncated_store_raises_tamper_detected_on_request(
    recorded: tuple[Path, list[Checkpoint]],
) -> None:
    path, checkpoints = recorded
    truncate_the_last_session(path)
    with pytest.raises(TamperDetected) as raised:
        verify(path, checkpoints[3]).raise_if_tampered()
    assert isinstance(raised.value, StoreError)
    assert str(checkpoints[3]) in str(raised.value)
    assert f"审计链只有3个事件,少于检查点 {checkpoints[3]} 的4个" in raised.value.message("zh")


def forge_the_first_session(path: Path, scratch: Path) -> None:
    """Rewrite the 2024 session (c1 excellent, not competent) and rehash the whole chain.

    The forged record and event payload are made by recording the forged document in a
    scratch store, so that they are exactly what zhiping would have written.
    """
    with plain_client(path) as db:
        assert forge_session(db, S2024, session(2024, EXCELLENT), scratch) == 4


def test_rewriting_the_whole_chain_consistently_is_caught_against_an_earlier_checkpoint(
    recorded: tuple[Path, list[Checkpoint]], tmp_path: Path
) -> None:
    path, checkpoints = recorded
    forge_the_first_session(path, tmp_path / "scratch.db")
    with Store(path) as store:
        assert [(h.subject, h.grade) for h in store.history(VILLAGE, before_year=2025)] == [
            ("c1", "excellent"),
            ("c2", "competent"),
            ("organization", "excellent"),
        ]
    forged = verify(path)
    assert forged.ok, "the forgery should be consistent in itself"
    assert forged.checkpoint.size == checkpoints[-1].size
    assert forged.checkpoint != checkpoints[-1]
    for checkpoint in checkpoints:
        assert_caught(verify(path, checkpoint), None)


# The derived grades


@pytest.mark.parametrize(
    ("statement", "arguments", "session"),
    [
        (
            "UPDATE grades SET grade = 'competent' WHERE session = ? AND subject = 'c1'",
            (S2026,),
            S2026,
        ),
        ("DELETE FROM grades WHERE session = ? AND subject = 'c1'", (S2025,), S2025),
        (
            "INSERT INTO grades VALUES (?, 'c1', 2023, 0, 'incompetent', ?)",
            (VILLAGE, f"{VILLAGE}-2023"),
            f"{VILLAGE}-2023",
        ),
        (
            "UPDATE grades SET year = 2023 WHERE session = ? AND subject = 'organization'",
            (S2024,),
            S2024,
        ),
    ],
    ids=["grade-changed", "grade-deleted", "grade-invented", "year-moved"],
)
def test_tampering_with_the_grades_table_is_detected(
    path: Path, statement: str, arguments: tuple[Any, ...], session: str
) -> None:
    with plain_client(path) as db:
        db.execute(statement, arguments)
    assert_caught(verify(path), session)


def test_a_tampered_grade_is_what_next_years_rule_would_read(path: Path) -> None:
    """Why the grades table is checked: hiding 2025's incompetence spares c1 in 2026."""
    with plain_client(path) as db:
        db.execute(
            "UPDATE grades SET grade = 'competent' WHERE session = ? AND subject = 'c1'", (S2025,)
        )
    with Store(path) as store:
        assert ("c1", 2025, "competent") in [
            (h.subject, h.year, h.grade) for h in store.history(VILLAGE)
        ]
        assert_caught(store.verify(), S2025)


def test_a_fulfilment_set_with_a_plain_client_is_detected(path: Path) -> None:
    """Marking last year's open commitment kept hides it next year: verify catches it."""
    with Store(path) as store:
        store.evaluate(session(2027, COMPETENT, inquiries=[{**COMMITMENT, "id": "q9"}]))
    with plain_client(path) as db:
        db.execute("UPDATE commitments SET fulfilled_on = '2027-05-01' WHERE inquiry = 'q9'")
    verification = verify(path)
    assert_caught(verification, "420117101201-2027")
    assert any("recorded nowhere" in finding.message for finding in verification.tampered)


def test_a_commitment_deleted_with_a_plain_client_is_detected(path: Path) -> None:
    with plain_client(path) as db:
        db.execute("DELETE FROM commitments WHERE inquiry = 'q1'")
    assert_caught(verify(path), S2025)


def test_the_fulfilment_recorded_through_the_store_verifies(path: Path) -> None:
    assert verify(path).ok


def test_a_checkpoint_of_an_empty_chain_with_another_head_is_refused(path: Path) -> None:
    assert_caught(verify(path, Checkpoint(0, "f" * 64)), None)
    assert verify(path, Checkpoint(0, GENESIS)).ok


# The columns the store queries, copied from the document and outcome of a revision


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("village_code", "420117101202"),
        ("year", 2023),
        ("quarter", 2),
        ("held_on", "2025-01-16"),
        ("status", "void"),
        ("packs", '[{"name":"cn","version":"zhiping 0.1.0"}]'),
        ("reason", "a reason never given"),
    ],
)
def test_a_queried_column_of_a_revision_changed_is_detected(
    path: Path, column: str, value: object
) -> None:
    """A status turned void would let a second valid session in: every copy is checked."""
    with plain_client(path) as db:
        db.execute(f"UPDATE records SET {column} = ? WHERE session = ?", (value, S2025))
    assert_caught(verify(path), S2025)


def test_an_events_session_column_changed_is_detected(path: Path) -> None:
    """The session column of an event is outside its hash, so it must match the payload."""
    with plain_client(path) as db:
        db.execute("UPDATE events SET session = ? WHERE seq = 2", (S2024,))
    assert not verify(path).ok


def test_a_revision_deleted_while_its_event_remains_is_detected(path: Path) -> None:
    """Deleting an amendment's row would make the earlier revision the latest again."""
    with Store(path) as store:
        amended = session(2026, COMPETENT)
        store.amend(amended, reason="两张选票漏计")
    with plain_client(path) as db:
        db.execute("DELETE FROM records WHERE session = ? AND revision = 2", (S2026,))
    assert_caught(verify(path), S2026)
