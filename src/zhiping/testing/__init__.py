"""The consistency kit for rule authors and reviewers: strategies, laws, pack tests.

- Builders of valid session documents (:func:`session_document`, :func:`as_cast`, …).
- Hypothesis strategies: :func:`session_documents` (Xinzhou-shaped) and
  :func:`pack_documents` (shaped for any installed pack), also in
  :mod:`zhiping.testing.strategies`.
- The laws every pack must obey (:data:`LAWS`, :func:`check_law`, :func:`check_laws`),
  each raising :class:`LawBroken` with a shrunk counterexample.
- :class:`PackTests`, a test class to inherit that runs them all for one pack.

Needs the ``test`` extra: ``pip install 'zhiping[test]'``. The pytest plugin
(``pytest --zhiping-pack NAME``) runs the laws and a pack's declarative cases.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        "zhiping.testing needs hypothesis: install the test extra, pip install 'zhiping[test]'"
    ) from error

from zhiping.testing._documents import INVALID_MARK, as_cast, as_counts, session_document
from zhiping.testing._pack_documents import PackProfile, as_group_counts, pack_documents
from zhiping.testing._pack_tests import PackTests
from zhiping.testing.laws import LAWS, Law, LawBroken, check_law, check_laws
from zhiping.testing.strategies import (
    RECOGNISED_INVITEE_KINDS,
    THREE_LEVEL_SCALE,
    histories,
    session_documents,
    subject_counts,
)

__all__ = [
    "INVALID_MARK",
    "LAWS",
    "RECOGNISED_INVITEE_KINDS",
    "THREE_LEVEL_SCALE",
    "Law",
    "LawBroken",
    "PackProfile",
    "PackTests",
    "as_cast",
    "as_counts",
    "as_group_counts",
    "check_law",
    "check_laws",
    "histories",
    "pack_documents",
    "session_document",
    "session_documents",
    "subject_counts",
]
