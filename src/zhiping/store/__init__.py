"""The records store: sessions, outcomes, grades and commitments across years.

SQLite through the standard library, in one file, with an append-only audit chain
(DESIGN §7). :class:`Store` is the whole interface; a server-backed store could offer
the same methods.
"""

from __future__ import annotations

from zhiping.store._chain import EVENT_FORMAT, Checkpoint
from zhiping.store._errors import DocumentConflict, PeriodConflict, SessionNotFound, StoreClosed
from zhiping.store._reading import SessionSummary, StoredSession
from zhiping.store._schema import SCHEMA_VERSION
from zhiping.store._stale import StaleSession
from zhiping.store._store import Recorded, Store, canonical_document
from zhiping.store._verify import Discrepancy, Verification

__all__ = [
    "EVENT_FORMAT",
    "SCHEMA_VERSION",
    "Checkpoint",
    "Discrepancy",
    "DocumentConflict",
    "PeriodConflict",
    "Recorded",
    "SessionNotFound",
    "SessionSummary",
    "StaleSession",
    "Store",
    "StoreClosed",
    "StoredSession",
    "Verification",
    "canonical_document",
]
