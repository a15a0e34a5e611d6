"""Stale outcomes: later sessions whose decisions change once an earlier one is recorded.

A session reads the grades of the periods before it. When an earlier period is recorded
(or amended) after a later one, the later outcome may no longer be the one the record
gives: the two-year rule may now fire, or no longer. Such a session is *stale*. It is
reported, never rewritten: it changes only by an amendment, which records the new
outcome with its reason.

A session is re-evaluated only when what the record now supplies differs from what it
was evaluated with: the history (the record's grades for every period it holds a
session of, and the document's own entries for the periods it holds none of), or the
open commitments of earlier years (one recorded late may be overdue by then).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs

from zhiping.documents.session import parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import PackError, ZhipingError
from zhiping.glossary import Lang, Text
from zhiping.packs.registry import PackRegistry
from zhiping.store._authority import history_entry, history_key
from zhiping.store._chain import canonical_json
from zhiping.store._decisions import differences

__all__ = ["LatestRevision", "StaleSession", "forced_pack", "stale_among"]


@attrs.frozen
class StaleSession:
    """A recorded session whose decisions the record now gives otherwise.

    Attributes:
        session: the session id.
        revision: its latest revision, the one that is stale.
        changes: how its decisions would change, each in zh and en.
    """

    session: str
    revision: int
    changes: tuple[Text, ...]

    def describe(self, lang: Lang) -> str:
        """Return ``session (revision n): change; change`` in ``lang``."""
        said = "; ".join(change.zh if lang == "zh" else change.en for change in self.changes)
        label = f"第{self.revision}版" if lang == "zh" else f"revision {self.revision}"
        return f"{self.session} ({label}): {said}"

    def to_json(self) -> dict[str, Any]:
        """Return the stale session as JSON data."""
        return {
            "session": self.session,
            "revision": self.revision,
            "changes": [change.to_json() for change in self.changes],
        }


@attrs.frozen
class LatestRevision:
    """What staleness reads of a session's latest revision."""

    session: str
    revision: int
    village_code: str
    year: int
    quarter: int
    document: Mapping[str, Any]
    outcome: Mapping[str, Any]
    packs: Sequence[str]

    @property
    def period(self) -> tuple[int, int]:
        """Return ``(year, quarter)``, quarter 0 for a yearly session."""
        return (self.year, self.quarter)

    def reads(self, other: LatestRevision) -> bool:
        """Return whether this session's history covers the other's period."""
        year, quarter = other.period
        return year < self.year or (year == self.year and 0 < quarter < self.quarter)


def _grades(revision: LatestRevision) -> Iterable[tuple[tuple[str, int, int], str]]:
    if revision.outcome.get("status") != "valid":
        return
    for subject in revision.outcome.get("subjects", []):
        if subject.get("grade") is not None:
            yield (str(subject["id"]), revision.year, revision.quarter), str(subject["grade"])


def supplied_history(
    target: LatestRevision, village: Iterable[LatestRevision]
) -> list[dict[str, Any]]:
    """Return the history the record supplies to ``target`` now, sorted canonically."""
    earlier = [other for other in village if target.reads(other)]
    recorded = {other.period for other in earlier}
    history = {key: history_entry(key, grade) for other in earlier for key, grade in _grades(other)}
    for entry in target.document.get("history", []):
        key = history_key(entry)
        if (key[1], key[2]) not in recorded:
            history.setdefault(key, dict(entry))
    return sorted(history.values(), key=canonical_json)


def supplied_commitments(
    target: LatestRevision,
    village: Iterable[LatestRevision],
    closed: Collection[tuple[str, str]],
) -> list[dict[str, Any]]:
    """Return the commitments the record carries into ``target`` now, sorted canonically.

    Those the document was evaluated with, and the open ones of earlier years'
    sessions that it lacks (as the store adds them when recording).

    Args:
        target: the session.
        village: the latest revision of every session of its village.
        closed: ``(session, inquiry)`` of the commitments fulfilled since.
    """
    given = target.document.get("carried_commitments", [])
    carried = {canonical_json(item): dict(item) for item in given}
    kept = {(item["to"], item["text"], item["year"]) for item in given}
    for other in village:
        if other.year >= target.year:
            continue
        for inquiry in other.document.get("inquiries", []):
            commitment = inquiry.get("commitment") or {}
            if commitment.get("due") is None or commitment.get("fulfilled_on"):
                continue
            if (other.session, inquiry["id"]) in closed:
                continue
            item = {
                "to": inquiry["to"],
                "text": commitment["text"],
                "due": commitment["due"],
                "fulfilled_on": None,
                "year": other.year,
            }
            if (item["to"], item["text"], item["year"]) not in kept:
                carried[canonical_json(item)] = item
    return sorted(carried.values(), key=canonical_json)


def forced_pack(
    packs: Sequence[str], registry: PackRegistry, village: str, held_on: Any
) -> str | None:
    """Return the pack a session was evaluated under by name, if its chain was forced."""
    try:
        governing = list(registry.chain(village, held_on).names)
    except PackError:
        governing = []
    return None if governing == list(packs) or not packs else str(packs[-1])


def stale_among(
    village: Sequence[LatestRevision],
    targets: Iterable[LatestRevision],
    registry: PackRegistry,
    closed: Collection[tuple[str, str]],
) -> tuple[StaleSession, ...]:
    """Return the targets whose decisions change with what the record now supplies.

    Args:
        village: the latest revision of every session of the village.
        targets: the sessions to check (some of ``village``).
        registry: the packs to re-evaluate with.
        closed: ``(session, inquiry)`` of the commitments kept as fulfilled.
    """
    stale = []
    for target in targets:
        history = supplied_history(target, village)
        carried = supplied_commitments(target, village, closed)
        as_evaluated = (
            sorted(target.document.get("history", []), key=canonical_json),
            sorted(target.document.get("carried_commitments", []), key=canonical_json),
        )
        if (history, carried) == as_evaluated:
            continue
        changes = _changes(target, history, carried, registry)
        if changes:
            stale.append(StaleSession(target.session, target.revision, changes))
    return tuple(stale)


def _changes(
    target: LatestRevision,
    history: list[dict[str, Any]],
    carried: list[dict[str, Any]],
    registry: PackRegistry,
) -> tuple[Text, ...]:
    document = json.loads(canonical_json(target.document))
    document["history"] = history
    document["carried_commitments"] = carried
    try:
        session = parse_session(document)
        pack = forced_pack(target.packs, registry, session.village.code, session.held_on)
        chain = registry.chain(session.village.code, session.held_on, pack=pack)
        outcome = evaluate_chain(session, chain, registry.mechanisms).to_document()
    except ZhipingError as error:
        return (
            Text(
                zh=f"无法按现有记录重新计算:{error.message('zh')}",
                en=f"cannot be re-evaluated against the record: {error.message('en')}",
            ),
        )
    return differences(target.outcome, outcome)
