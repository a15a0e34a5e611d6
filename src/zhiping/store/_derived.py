"""What the store derives from a session: its canonical document, grades and commitments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session
from zhiping.store._chain import canonical_json

__all__ = ["canonical_document", "derived_commitments", "derived_grades"]


def canonical_document(session: Session) -> dict[str, Any]:
    """Return a session as the store keeps it: its JSON, cast ballots in canonical order."""
    document = session.model_dump(mode="json", by_alias=True)
    cast = document["ballots"].get("cast")
    if cast is not None:
        document["ballots"]["cast"] = sorted(cast, key=canonical_json)
    return document


def derived_grades(session: Session, outcome: Outcome) -> list[tuple[Any, ...]]:
    """Return the grade rows a session gives: none from a void session."""
    if outcome.status != "valid":
        return []
    return [
        (
            session.village.code,
            subject.id,
            session.year,
            session.quarter or 0,
            subject.grade,
            session.id,
        )
        for subject in outcome.subjects
        if subject.grade is not None
    ]


def derived_commitments(session: Session, fulfilled: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """Return the commitment rows a session's inquiries give, keeping known fulfilments."""
    rows = []
    for inquiry in session.inquiries:
        commitment = inquiry.commitment
        if commitment is None or commitment.due is None:
            continue
        done = commitment.fulfilled_on.isoformat() if commitment.fulfilled_on else None
        rows.append(
            (
                session.id,
                inquiry.id,
                session.village.code,
                session.year,
                inquiry.to,
                commitment.text,
                commitment.due.isoformat(),
                done or fulfilled.get(inquiry.id),
            )
        )
    return rows
