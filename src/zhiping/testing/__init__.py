"""What zhiping offers the authors and reviewers of rule packs for their own tests.

Builders of valid session documents, hypothesis strategies that generate them (also
in :mod:`zhiping.testing.strategies`), and :class:`PackTests`, the tests every pack must
pass. Needs the ``test`` extra (hypothesis, jsonschema): ``pip install 'zhiping[test]'``.
"""

from __future__ import annotations

from zhiping.testing._documents import INVALID_MARK, as_cast, as_counts, session_document
from zhiping.testing._pack_tests import PackTests
from zhiping.testing.strategies import (
    THREE_LEVEL_SCALE,
    histories,
    session_documents,
    subject_counts,
)

__all__ = [
    "INVALID_MARK",
    "THREE_LEVEL_SCALE",
    "PackTests",
    "as_cast",
    "as_counts",
    "histories",
    "session_document",
    "session_documents",
    "subject_counts",
]
