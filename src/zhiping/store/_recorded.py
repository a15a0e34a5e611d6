"""An outcome as the store recorded it: the outcome, its revision, checkpoint and stale sessions."""

from __future__ import annotations

from typing import Any

import attrs

from zhiping.documents.outcome import Outcome
from zhiping.store._chain import GENESIS, Checkpoint
from zhiping.store._stale import StaleSession

__all__ = ["Recorded", "as_recorded"]


@attrs.frozen(eq=False)
class Recorded(Outcome):
    """An outcome as the store recorded it: the outcome, and its place in the record.

    It is an :class:`~zhiping.Outcome` (code that wants the outcome uses it as one, and it
    compares equal to the same outcome), with the revision it was recorded as, the audit
    checkpoint taken with it, and the later sessions it makes stale.

    Attributes:
        revision: the revision of the session this outcome is (1 unless amended).
        event: the audit event that recorded it.
        checkpoint: the chain's head at that event (``event`` events, its hash).
        written: False when the same document was recorded before and nothing was written.
        stale: recorded sessions whose decisions the record now gives otherwise: the
            later sessions of the village that this one changes, and this session itself
            when it was recorded before and is stale.
    """

    revision: int = 1
    event: int = 0
    checkpoint: Checkpoint = attrs.field(factory=lambda: Checkpoint(0, GENESIS))
    written: bool = True
    stale: tuple[StaleSession, ...] = ()

    @property
    def outcome(self) -> Outcome:
        """Return the plain outcome."""
        return Outcome(**_outcome_fields(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Recorded):
            return self.outcome == other.outcome
        if isinstance(other, Outcome):
            return self.outcome == other
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]


def as_recorded(
    outcome: Outcome,
    revision: int,
    event: int,
    checkpoint: Checkpoint,
    *,
    written: bool,
    stale: tuple[StaleSession, ...],
) -> Recorded:
    """Return the outcome with its place in the record."""
    return Recorded(
        **_outcome_fields(outcome),
        revision=revision,
        event=event,
        checkpoint=checkpoint,
        written=written,
        stale=stale,
    )


def _outcome_fields(outcome: Outcome) -> dict[str, Any]:
    """Return the fields an :class:`~zhiping.Outcome` is made of, by name."""
    return {field.name: getattr(outcome, field.name) for field in attrs.fields(Outcome)}
