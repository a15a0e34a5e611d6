"""Ballot secrecy in the store (DESIGN §7): nothing stored links a ballot to a person.

The schema has no column that could tie a ballot to anyone, the cast ballots are kept
in a canonical order rather than the order they were cast, and a stored ballot holds
only its marks.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zhiping
from zhiping.documents.session import INVALID_MARK as SESSION_INVALID_MARK
from zhiping.store import Store
from zhiping.testing import INVALID_MARK, as_cast, session_document

VILLAGE = "420117101201"
SESSION = f"{VILLAGE}-2026"
RETURNED = 60

# Words in column or table names that would name a person, or a single ballot or its
# position among the others.
PERSON_WORDS = (
    "person",
    "people",
    "voter",
    "elector",
    "evaluator",
    "member",
    "representative",
    "invitee",
    "villager",
    "attend",
    "roster",
    "name",
    "identity",
)
BALLOT_WORDS = ("ballot", "vote", "mark", "cast", "position", "order", "rank", "slot")


def counted_document() -> dict[str, Any]:
    """A session whose 60 ballots differ from one another, in the ``counts`` form."""
    return session_document(
        year=2026,
        held_on=date(2027, 1, 15),
        cadres=2,
        counts={
            "organization": {"satisfied": 50, "basically_satisfied": 6, "dissatisfied": 4},
            "c1": {"satisfied": 30, "dissatisfied": 25, "abstain": 3, "invalid": 2},
            "c2": {"basically_satisfied": 20, "satisfied": 35, "dissatisfied": 5},
        },
    )


def cast_document(order: list[int] | None = None) -> dict[str, Any]:
    return as_cast(counted_document(), order=order)


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stored_document(store: Store) -> dict[str, Any]:
    (row,) = [row for row in store.sessions() if row["session"] == SESSION]
    document: dict[str, Any] = json.loads(row["document"])
    return document


def schema(path: Path) -> dict[str, list[str]]:
    """Each table of the store, with the names of its columns."""
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")] for table in tables
        }


def keys_anywhere(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_anywhere(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_anywhere(item)}
    return set()


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    path = tmp_path / "records.db"
    with Store(path) as store:
        store.evaluate(cast_document(order=list(reversed(range(RETURNED)))))
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The stored document and checkpoint of the ballots recorded in the order given."""
    path = tmp_path_factory.mktemp("reference") / "records.db"
    with Store(path) as store:
        store.evaluate(cast_document())
        (row,) = store.sessions()
        return row["document"], str(store.checkpoint())


def test_no_column_of_the_schema_links_a_ballot_to_a_person(recorded: Path) -> None:
    tables = schema(recorded)
    assert tables, "the store has no tables"
    for table, columns in tables.items():
        for column in columns:
            lowered = column.lower()
            assert not any(word in lowered for word in PERSON_WORDS), f"{table}.{column}"
            assert not any(word in lowered for word in BALLOT_WORDS), f"{table}.{column}"


def test_no_table_keeps_ballots_or_people_apart_from_the_session_document(
    recorded: Path,
) -> None:
    for table in schema(recorded):
        lowered = table.lower()
        assert not any(word in lowered for word in (*PERSON_WORDS, *BALLOT_WORDS)), table


def test_the_only_foreign_key_ties_a_record_to_its_audit_event(recorded: Path) -> None:
    with closing(sqlite3.connect(recorded)) as db:
        keys = {
            (table, row[3], row[2], row[4])
            for table in schema(recorded)
            for row in db.execute(f"PRAGMA foreign_key_list({table})")
        }
    assert keys == {("records", "event", "events", "seq")}


def test_the_stored_cast_ballots_are_in_canonical_order_not_the_order_cast(
    recorded: Path,
) -> None:
    given = cast_document(order=list(reversed(range(RETURNED))))["ballots"]["cast"]
    with Store(recorded) as store:
        stored = stored_document(store)["ballots"]["cast"]
    assert stored == sorted(stored, key=canonical)
    marks_stored = [ballot["marks"] for ballot in stored]
    # A free-text mark (the kit's invalid mark) is kept only as the marker.
    marks_given = [
        {s: SESSION_INVALID_MARK if m == INVALID_MARK else m for s, m in ballot["marks"].items()}
        for ballot in given
    ]
    assert marks_stored != marks_given
    assert sorted(marks_stored, key=canonical) == sorted(marks_given, key=canonical)


def test_a_stored_ballot_holds_only_its_marks_for_subjects(recorded: Path) -> None:
    with Store(recorded) as store:
        document = stored_document(store)
    people = {*document["roster"]["party_members"], *document["roster"]["representatives"]}
    people |= {entry["person"] for entry in document["attendance"]}
    subjects = {"organization", *(cadre["id"] for cadre in document["cadres"])}
    for ballot in document["ballots"]["cast"]:
        assert set(ballot) <= {"group", "marks"}
        assert set(ballot["marks"]) <= subjects
        assert set(ballot["marks"].values()) <= {
            "satisfied",
            "basically_satisfied",
            "dissatisfied",
            SESSION_INVALID_MARK,
        }
        assert not set(ballot["marks"]) & people


def test_a_stored_attendance_entry_says_nothing_of_a_ballot(recorded: Path) -> None:
    with Store(recorded) as store:
        document = stored_document(store)
    for entry in document["attendance"]:
        assert set(entry) <= {"person", "as", "invitee_kind"}


def test_neither_the_outcome_nor_the_audit_chain_holds_single_ballots(recorded: Path) -> None:
    with Store(recorded) as store:
        (row,) = store.sessions()
    with closing(sqlite3.connect(recorded)) as db:
        payloads = [json.loads(text) for (text,) in db.execute("SELECT payload FROM events")]
    for stored in (json.loads(row["outcome"]), *payloads):
        assert not keys_anywhere(stored) & {"cast", "marks", "ballots", "attendance"}


@given(order=st.permutations(list(range(RETURNED))))
def test_whatever_order_the_ballots_were_cast_in_the_store_keeps_the_same_bytes(
    reference: tuple[str, str],
    tmp_path_factory: pytest.TempPathFactory,
    order: list[int],
) -> None:
    document, checkpoint = reference
    path = tmp_path_factory.mktemp("order") / "records.db"
    with Store(path) as store:
        store.evaluate(cast_document(order=order))
        (row,) = store.sessions()
        assert row["document"] == document
        assert str(store.checkpoint()) == checkpoint


def test_a_free_text_mark_is_kept_only_as_the_marker_that_it_was_invalid(tmp_path: Path) -> None:
    """A signature written on a ballot counts as invalid, and its text is not kept."""
    document = cast_document()
    document["ballots"]["cast"][0]["marks"]["c1"] = "同意。张三签"
    expected = zhiping.evaluate(document).to_document()
    with Store(tmp_path / "records.db") as store:
        assert store.evaluate(document).to_document() == expected
        stored = stored_document(store)
        assert "张三" not in json.dumps(stored, ensure_ascii=False)
        marks = [ballot["marks"].get("c1") for ballot in stored["ballots"]["cast"]]
        # c1's two invalid votes of the counts, and the signed ballot (it was satisfied).
        invalid = expected["subjects"][1]["tally"]["invalid"]
        assert marks.count(SESSION_INVALID_MARK) == 2 + 1 == invalid
        # The same document posted again is the same session, not a conflict.
        assert store.evaluate(document).to_document() == expected
        assert store.verify().ok
