"""Verifying commitments: their state against their documents and every fulfilment event.

A commitment kept as fulfilled needs a fulfilment behind it; one kept as open must have
none (a *reopened* commitment). Every ``fulfil`` event must concern a recorded session
and a commitment one of its revisions made.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from zhiping.documents.session import Session
from zhiping.glossary import Text
from zhiping.store._derived import derived_commitments

__all__ = ["Tamper", "check_commitments", "check_fulfilment_events", "decoded_documents"]

Tamper = Callable[[str | None, Text], None]
"""How a finding of tampering is reported: the session (or None) and what is wrong."""


def decoded_documents(records: list[tuple[Any, ...]]) -> list[Any]:
    """Return each record's document decoded (None where it is no JSON), in record order.

    Decoded once for all the checks below, which only read them.
    """
    found = []
    for row in records:
        try:
            found.append(json.loads(row[2]))
        except (TypeError, ValueError):
            found.append(None)
    return found


def check_commitments(
    latest: dict[str, tuple[Session, dict[str, Any]] | None],
    payloads: dict[int, dict[str, Any]],
    records: list[tuple[Any, ...]],
    documents: list[Any],
    tamper: Tamper,
    db: sqlite3.Connection,
) -> None:
    """Check the commitments kept against their documents and every fulfilment recorded.

    A commitment kept as fulfilled needs a fulfilment behind it; one kept as open must
    have none: its own document, a ``fulfil`` event or a later session carrying it as
    fulfilled (recorded while the commitment was kept) would have closed it.
    """
    expected, own = _expected_commitments(latest)
    since = _kept_since(records, documents)
    backing: dict[tuple[str, str], dict[str, int]] = {}
    for seq, payload in payloads.items():
        if "inquiry" in payload and "fulfilled_on" in payload:
            key = (str(payload.get("session")), str(payload.get("inquiry")))
            backing.setdefault(key, {})[str(payload["fulfilled_on"])] = seq
    carried = _carried_fulfilments(records, documents)
    unsound = {session for session, parsed in latest.items() if parsed is None}
    rows = db.execute(
        "SELECT session, inquiry, village_code, year, subject, text, due, "
        "fulfilled_on FROM commitments"
    ).fetchall()
    seen = set()
    for session, inquiry, village, year, subject, text, due, fulfilled_on in rows:
        if session in unsound:
            continue
        key = (session, inquiry)
        seen.add(key)
        if expected.get(key) != (village, year, subject, text, due):
            tamper(
                session,
                Text(
                    zh=f"整改承诺 {inquiry} 与其文件中的不同",
                    en=f"commitment {inquiry} is not the one its document gives",
                ),
            )
            continue
        start = since.get(key, 0)
        closings = {
            **{day: seq for day, seq in backing.get(key, {}).items() if seq > start},
            **{
                day: seq
                for event, match, day in carried
                if match == (village, subject, text, year) and event > start
                for seq in (event,)
            },
        }
        if key in own:
            closings[own[key]] = start
        if fulfilled_on is None and closings:
            day, seq = min(closings.items())
            tamper(
                session,
                Text(
                    zh=f"整改承诺 {inquiry}:已于{day}践诺(事件 {seq}),记录中却仍未兑现",
                    en=f"commitment {inquiry}: fulfilled on {day} (event {seq}) but kept as open",
                ),
            )
        elif fulfilled_on is not None and not _backed(
            key, fulfilled_on, own, backing, carried, row_key=(village, subject, text, year)
        ):
            tamper(
                session,
                Text(
                    zh=f"整改承诺 {inquiry}:{fulfilled_on} 践诺一事没有任何记录",
                    en=(
                        f"commitment {inquiry}: its fulfilment on {fulfilled_on} "
                        "is recorded nowhere"
                    ),
                ),
            )
    for key in sorted(set(expected) - seen):
        if key[0] not in unsound:
            tamper(key[0], Text(zh=f"整改承诺 {key[1]} 缺失", en=f"commitment {key[1]} is missing"))


def _backed(
    key: tuple[str, str],
    fulfilled_on: str,
    own: dict[tuple[str, str], str],
    backing: dict[tuple[str, str], dict[str, int]],
    carried: list[tuple[int, tuple[Any, ...], str]],
    *,
    row_key: tuple[Any, ...],
) -> bool:
    if own.get(key) == fulfilled_on or fulfilled_on in backing.get(key, {}):
        return True
    return any(match == row_key and day == fulfilled_on for _, match, day in carried)


def _expected_commitments(
    latest: dict[str, tuple[Session, dict[str, Any]] | None],
) -> tuple[dict[tuple[str, str], tuple[Any, ...]], dict[tuple[str, str], str]]:
    """Return the commitments the latest sound documents give, and those they fulfil."""
    expected: dict[tuple[str, str], tuple[Any, ...]] = {}
    own: dict[tuple[str, str], str] = {}
    for parsed in latest.values():
        if parsed is None:
            continue
        session, _ = parsed
        # The rows recording gives, with only the fulfilments the document itself states.
        for row in derived_commitments(session, {}):
            key = (row[0], row[1])
            expected[key] = row[2:7]
            if row[7] is not None:
                own[key] = row[7]
    return expected, own


def _commitment_ids(decoded: Any) -> set[str]:
    """Return the inquiries of a stored document (decoded) that make a commitment."""
    inquiries = decoded.get("inquiries") if isinstance(decoded, dict) else None
    found = set()
    for inquiry in inquiries if isinstance(inquiries, list) else []:
        commitment = inquiry.get("commitment") if isinstance(inquiry, dict) else None
        if isinstance(commitment, dict) and commitment.get("due") is not None:
            found.add(str(inquiry.get("id")))
    return found


def _kept_since(records: list[tuple[Any, ...]], documents: list[Any]) -> dict[tuple[str, str], int]:
    """Return, for each commitment kept now, the event since which it has been kept.

    A revision without the inquiry drops the commitment (and its fulfilment); a later
    one that gives it again keeps it anew.
    """
    since: dict[tuple[str, str], int] = {}
    current: dict[str, set[str]] = {}
    for row, document in zip(records, documents, strict=True):  # in the order recorded
        session, event = row[0], row[6]
        ids = _commitment_ids(document)
        for dropped in current.get(session, set()) - ids:
            since.pop((session, dropped), None)
        for inquiry in ids:
            since.setdefault((session, inquiry), event)
        current[session] = ids
    return since


def _carried_fulfilments(
    records: list[tuple[Any, ...]], documents: list[Any]
) -> list[tuple[int, tuple[Any, ...], str]]:
    """Return each fulfilment a recorded revision carried: its event, the commitment, the day."""
    found = []
    for row, decoded in zip(records, documents, strict=True):
        carried = decoded.get("carried_commitments") if isinstance(decoded, dict) else None
        for item in carried if isinstance(carried, list) else []:
            if isinstance(item, dict) and item.get("fulfilled_on"):
                match = (row[7], item.get("to"), item.get("text"), item.get("year"))
                found.append((int(row[6]), match, str(item["fulfilled_on"])))
    return found


def check_fulfilment_events(
    events: list[tuple[int, str, str, str, str, str]],
    payloads: dict[int, dict[str, Any]],
    records: list[tuple[Any, ...]],
    documents: list[Any],
    tamper: Tamper,
) -> None:
    """Check that every fulfilment event concerns a commitment some revision made."""
    sessions = {row[0] for row in records}
    made = {
        (row[0], inquiry)
        for row, document in zip(records, documents, strict=True)
        for inquiry in _commitment_ids(document)
    }
    for seq, kind, session, _, _, _ in events:
        payload = payloads.get(seq)
        if kind != "fulfil" or payload is None:
            continue
        inquiry = str(payload.get("inquiry"))
        if session not in sessions:
            tamper(
                session,
                Text(
                    zh=f"事件 {seq}(fulfil):涉及的直评会 {session} 没有记录",
                    en=f"event {seq} (fulfil): its session {session} is not recorded",
                ),
            )
        elif (session, inquiry) not in made:
            tamper(
                session,
                Text(
                    zh=f"事件 {seq}(fulfil):直评会 {session} 从未作出质询 {inquiry} 的承诺",
                    en=f"event {seq} (fulfil): session {session} never made commitment {inquiry}",
                ),
            )
