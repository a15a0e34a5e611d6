"""The records store: sessions, outcomes, grades and commitments across years.

SQLite through the standard library, in one file, with an append-only audit chain
(DESIGN §7). :class:`Store` is the whole interface; a server-backed store could offer
the same methods.
"""

from __future__ import annotations

from zhiping.store._chain import Checkpoint
from zhiping.store._schema import SCHEMA_VERSION
from zhiping.store._store import Store, canonical_document
from zhiping.store._verify import Discrepancy, Verification

__all__ = [
    "SCHEMA_VERSION",
    "Checkpoint",
    "Discrepancy",
    "Store",
    "Verification",
    "canonical_document",
]
