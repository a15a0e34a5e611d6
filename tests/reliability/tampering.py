"""The changes the tamper phase makes to a store behind zhiping's back, and which to make.

Each is made in a copy of the sample store with a plain ``sqlite3`` client, the
triggers dropped first: a row's column updated, a row deleted, two rows' values
swapped, the chain truncated, or a session rewritten and the whole chain rehashed as a
careful forger would (the last two with :mod:`.forgery`, which
``tests/store/test_tampering.py`` uses too).
"""

from __future__ import annotations

import json
import re
import sqlite3
import zlib
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reliability.failures import shorten
from reliability.forgery import drop_triggers, forge_session, read_only, truncate
from reliability.oracle import GRADES

TABLE_ORDER = ("events", "records", "grades", "commitments")
"""The tables tampered with first, in this order; any others after them."""
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Tamper:
    """One change made to a copy of the sample store with a plain SQLite client.

    Attributes:
        table: the table changed (``events`` for truncations and rewrites).
        mutation: ``update``, ``delete``, ``swap``, ``truncate`` or ``rewrite``.
        rowid: the row changed (for ``truncate``, the first event removed).
        column: the column updated.
        session: the session forged by a ``rewrite``.
    """

    table: str
    mutation: str
    rowid: int = 0
    column: str = ""
    session: str = ""


def tamper_plan(template: Path, every_column: Sequence[str]) -> tuple[list[Tamper], dict[str, int]]:
    """Return every change to make, and how many rows each table has."""
    specs: list[Tamper] = []
    rows: dict[str, int] = {}
    with read_only(template) as db:
        found = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables = sorted((name for (name,) in found), key=_table_rank)
        for table in tables:
            columns = [name for name, _ in _columns(db, table)]
            rowids = [r[0] for r in db.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid')]
            rows[table] = len(rowids)
            for position, rowid in enumerate(rowids):
                every = table in every_column
                chosen = columns if every else [columns[position % len(columns)]]
                specs += [Tamper(table, "update", rowid, column) for column in chosen]
                specs.append(Tamper(table, "delete", rowid))
                if len(rowids) > 1:
                    specs.append(Tamper(table, "swap", rowid))
        seqs = [r[0] for r in db.execute("SELECT seq FROM events ORDER BY seq")]
        specs += [Tamper("events", "truncate", seq) for seq in seqs]
        sessions = [
            session
            for (session,) in db.execute(
                "SELECT session FROM records r WHERE (SELECT count(*) FROM records "
                "WHERE session = r.session) = 1 ORDER BY event"
            )
        ]
        if sessions:
            targets = dict.fromkeys([sessions[0], sessions[len(sessions) // 2], sessions[-1]])
            specs += [Tamper("events", "rewrite", session=s) for s in targets]
    return specs, rows


def _table_rank(table: str) -> tuple[int, str]:
    return (TABLE_ORDER.index(table) if table in TABLE_ORDER else len(TABLE_ORDER), table)


def _columns(db: sqlite3.Connection, table: str) -> list[tuple[str, bool]]:
    """Return a table's columns, each with whether it is part of the primary key."""
    return [(row[1], bool(row[5])) for row in db.execute(f'PRAGMA table_info("{table}")')]


def apply_tamper(path: Path, spec: Tamper, scratch: Path) -> str | None:
    """Make the change in the file; return what was changed, or None if it cannot be made."""
    with closing(sqlite3.connect(path)) as db:
        drop_triggers(db)
        if spec.mutation == "update":
            changed = _update(db, spec)
        elif spec.mutation == "delete":
            row = db.execute(f'SELECT * FROM "{spec.table}" WHERE rowid = ?', (spec.rowid,))
            gone = shorten(repr(row.fetchone()[:3]), 60)
            db.execute(f'DELETE FROM "{spec.table}" WHERE rowid = ?', (spec.rowid,))
            changed = f"deleted {gone}"
        elif spec.mutation == "swap":
            changed = _swap(db, spec)
        elif spec.mutation == "truncate":
            changed = f"events from {spec.rowid} on removed ({truncate(db, spec.rowid)})"
        else:
            changed = _rewrite(db, spec.session, scratch)
        db.commit()
    return changed


def _update(db: sqlite3.Connection, spec: Tamper) -> str | None:
    row = db.execute(
        f'SELECT "{spec.column}" FROM "{spec.table}" WHERE rowid = ?', (spec.rowid,)
    ).fetchone()
    old = row[0]
    for new in alternatives(spec.column, old):
        try:
            db.execute(
                f'UPDATE "{spec.table}" SET "{spec.column}" = ? WHERE rowid = ?', (new, spec.rowid)
            )
        except sqlite3.IntegrityError:
            continue
        return f"{shorten(repr(old), 40)} -> {shorten(repr(new), 40)}"
    return None


def alternatives(column: str, value: Any) -> list[Any]:
    """Return other values for a column, the most plausible first (a forger's choice)."""
    if value is None:
        return ["2026-06-01" if column in ("due", "fulfilled_on", "held_on") else "更正", 0]
    if isinstance(value, int):
        return [value + 1, value - 1, value + 1_000_000]
    if isinstance(value, bytes):
        return [value + b"x"]
    text = str(value)
    if re.fullmatch(r"[0-9a-f]{64}", text):
        return [text[:-1] + ("0" if text[-1] != "0" else "1")]
    if _ISO.fullmatch(text):
        day = date.fromisoformat(text)
        return [(day + timedelta(days=1)).isoformat(), (day - timedelta(days=1)).isoformat()]
    swaps = {"valid": "void", "void": "valid", "record": "amend", "amend": "record"}
    if text in swaps:
        return [swaps[text], "fulfil" if text != "fulfil" else "record"]
    if text == "fulfil":
        return ["record"]
    if text in GRADES:
        return [g for g in GRADES if g != text]
    if text[:1] in "{[":
        return [_digit_changed(text), text + " "]
    if re.fullmatch(r"\d{12}", text):
        return [text[:-1] + str((int(text[-1]) + 1) % 10), text[:-3] + "999"]
    return [text + "x", text[:-1] or "x"]


def _digit_changed(text: str) -> str:
    """Return JSON text with one digit after its middle changed: still JSON, mostly."""
    for index in range(len(text) // 2, len(text)):
        if text[index].isdigit():
            return text[:index] + str((int(text[index]) + 1) % 10) + text[index + 1 :]
    return text + " "


def _swap(db: sqlite3.Connection, spec: Tamper) -> str | None:
    """Swap a row's values, all but its key, with the next row that has other values."""
    columns = _columns(db, spec.table)
    names = ", ".join(f'"{name}"' for name, _ in columns)
    key = [index for index, (_, primary) in enumerate(columns) if primary]
    rows = db.execute(f'SELECT rowid, {names} FROM "{spec.table}" ORDER BY rowid').fetchall()
    position = next(i for i, row in enumerate(rows) if row[0] == spec.rowid)
    first = rows[position][1:]

    def values(row: Sequence[Any]) -> list[Any]:
        return [value for index, value in enumerate(row) if index not in key]

    later = rows[position + 1 :] + rows[:position]
    partner = next((row for row in later if values(row[1:]) != values(first)), None)
    if partner is None:
        return None  # every other row holds the same values: nothing to swap
    second = partner[1:]
    swapped = [
        tuple(a if index in key else b for index, (a, b) in enumerate(zip(x, y, strict=True)))
        for x, y in ((first, second), (second, first))
    ]
    db.execute(f'DELETE FROM "{spec.table}" WHERE rowid IN (?, ?)', (spec.rowid, partner[0]))
    marks = ", ".join("?" for _ in columns)
    try:
        db.executemany(f'INSERT INTO "{spec.table}" ({names}) VALUES ({marks})', swapped)
    except sqlite3.IntegrityError:
        db.rollback()
        return None
    return f"rows {spec.rowid} and {partner[0]} swapped"


def _rewrite(db: sqlite3.Connection, session: str, scratch: Path) -> str | None:
    """Forge a session's village name, as zhiping itself would record it, and rehash all.

    The forged document is the stored one (with the history and commitments the store
    supplied), its village renamed: see :func:`~.forgery.forge_session`.
    """
    found = db.execute("SELECT document FROM records WHERE session = ?", (session,)).fetchall()
    if len(found) != 1:
        return None
    stored = found[0][0]  # zlib-compressed since store schema 3
    forged = json.loads(zlib.decompress(stored) if isinstance(stored, bytes) else stored)
    forged["village"]["name"] += "伪"
    rehashed = forge_session(db, session, forged, scratch)
    return None if rehashed is None else f"{session} forged and {rehashed} events rehashed"
