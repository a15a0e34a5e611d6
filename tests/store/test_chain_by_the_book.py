"""An auditor recomputes the audit chain from docs/store.md alone.

The functions below were written from the section "The audit chain, for auditors" of
docs/store.md, with only the standard library and an RFC 8785 implementation: no zhiping
code reads the file. They run on stores whose chains hold format-1 events (written by
zhiping before format 2), format-2 events (before schema 3) and format-3 events, whose
records keep their texts zlib-compressed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zlib
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from store.test_reading import SCHEMA_1_STORE, SCHEMA_2_STORE
from store.test_store import inquiry, session, session_id
from zhiping.documents.compact import as_format_1
from zhiping.store import Store


def length_prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def format_1(value: Any) -> str:
    """Keys sorted by code point, no white space, non-ASCII characters as themselves."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def stored_text(value: str | bytes) -> str:
    """A TEXT value is the text itself; a BLOB is the text's UTF-8 bytes, zlib-compressed."""
    return value if isinstance(value, str) else zlib.decompress(value).decode("utf-8")


def audit(path: Path) -> tuple[str, list[str]]:
    """Recompute the chain and check the records; return the checkpoint and what is wrong."""
    wrong: list[str] = []
    head = bytes(32)
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        events = db.execute(
            "SELECT seq, kind, session, payload, previous, hash FROM events ORDER BY seq"
        ).fetchall()
        records = {
            row[0]: row[1:]
            for row in db.execute("SELECT event, session, revision, document, outcome FROM records")
        }
    for position, (seq, kind, column, payload, previous, stored) in enumerate(events, 1):
        if seq != position:
            wrong.append(f"event {position} missing")
        if previous != head.hex():
            wrong.append(f"event {seq}: previous")
        encoding = length_prefixed(kind.encode("utf-8")) + length_prefixed(payload.encode("utf-8"))
        head = hashlib.sha256(head + encoding).digest()
        if stored != head.hex():
            wrong.append(f"event {seq}: hash")
        value = json.loads(payload)
        if value.get("format") in ("zhiping.event/2", "zhiping.event/3"):
            canonical = rfc8785.dumps(value).decode("utf-8")
        else:
            canonical = format_1(value)
        if canonical != payload:
            wrong.append(f"event {seq}: not canonical")
        if value["session"] != column:
            wrong.append(f"event {seq}: session column")
        if kind in ("record", "amend"):
            record = records.get(seq)
            if record is None:
                wrong.append(f"event {seq}: no record")
                continue
            record_session, revision, document, outcome = record
            expected = (
                value["session"],
                value["revision"],
                value["document_hash"],
                value["outcome_hash"],
            )
            found = (
                record_session,
                revision,
                hashlib.sha256(stored_text(document).encode("utf-8")).hexdigest(),
                hashlib.sha256(stored_text(outcome).encode("utf-8")).hexdigest(),
            )
            if expected != found:
                wrong.append(f"event {seq}: record")
    return f"{len(events)}:{head.hex() if events else '0' * 64}", wrong


@pytest.mark.parametrize("older", [SCHEMA_1_STORE, SCHEMA_2_STORE], ids=["schema-1", "schema-2"])
def test_the_chain_recomputed_from_the_documentation_matches_the_store(
    tmp_path: Path, older: Path
) -> None:
    path = Path(shutil.copy(older, tmp_path / "records.db"))
    with Store(path) as store:
        store.evaluate(session(2026, inquiries=[inquiry("2027-06-30")]))
        store.fulfil(session_id(2026), "q1", date(2027, 6, 1))
        store.amend(session(2026, c1="excellent"), reason="计票有误")
        checkpoint = str(store.checkpoint())
    assert audit(path) == (checkpoint, [])
    with closing(sqlite3.connect(path)) as db:
        kinds = db.execute(
            "SELECT typeof(document), typeof(outcome), count(*) FROM records "
            "WHERE session = ? GROUP BY 1, 2",
            (session_id(2026),),
        ).fetchall()
    assert kinds == [("blob", "blob", 2)]  # the two revisions written now are compressed


def test_an_outcome_stored_in_the_compact_form_is_the_format_1_outcome_rebuilt(
    tmp_path: Path,
) -> None:
    """The outcome a record keeps is zhiping.outcome/2 in full; its citations appear once."""
    path = tmp_path / "records.db"
    with Store(path) as store:
        recorded = store.evaluate(session(2026))
    with closing(sqlite3.connect(path)) as db:
        (outcome,) = db.execute("SELECT outcome FROM records").fetchone()
    kept = json.loads(stored_text(outcome))
    assert kept["format"] == "zhiping.outcome/2"
    assert kept["trace_level"] == "full"
    cited = [entry["parameters"] for entry in kept["trace"]]
    assert all(isinstance(reference, str) for references in cited for reference in references)
    assert set(kept["parameters"]) == {reference for refs in cited for reference in refs}
    assert as_format_1(kept) == recorded.to_document()


def test_the_auditor_finds_a_payload_rewritten_in_place(tmp_path: Path) -> None:
    path = Path(shutil.copy(SCHEMA_1_STORE, tmp_path / "records.db"))
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("DROP TRIGGER events_are_append_only_update")
        db.execute("UPDATE events SET payload = replace(payload, '2026-05-30', '2026-05-29')")
    _checkpoint, wrong = audit(path)
    assert wrong == ["event 3: hash", "event 4: previous", "event 4: hash"]
