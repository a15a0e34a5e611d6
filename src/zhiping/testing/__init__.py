"""The consistency kit for rule authors and reviewers: strategies, laws, pack tests.

- Builders of valid session documents (:func:`session_document`, :func:`as_cast`, …).
- Hypothesis strategies: :func:`session_documents` (Xinzhou-shaped) and
  :func:`pack_documents` (shaped for any installed pack), also in
  :mod:`zhiping.testing.strategies`.
- :func:`invalid_documents`: documents broken in one known way (:data:`DEFECT_KINDS`),
  each with the JSON path at which parsing must report the problem.
- The laws every pack must obey (:data:`LAWS`, :func:`check_law`, :func:`check_laws`),
  each raising :class:`LawBroken` with a shrunk counterexample.
- The checks of a pack's data (:data:`PACK_CHECKS`: :func:`check_values`,
  :func:`check_sources`, :func:`check_rules`), each raising :class:`PackUnsound` or
  :class:`~zhiping.errors.PackError`.
- :class:`PackTests`, a test class to inherit that runs them all for one pack.

Needs the ``test`` extra: ``pip install 'zhiping[test]'``. The pytest plugin
(``pytest --zhiping-pack NAME``) runs the checks, the laws and a pack's declarative cases.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        "zhiping.testing needs hypothesis: install the test extra, pip install 'zhiping[test]'"
    ) from error

from zhiping.testing._documents import (
    INVALID_MARK,
    as_cast,
    as_counts,
    counted,
    session_document,
)
from zhiping.testing._pack_documents import (
    NEUTRAL_VILLAGE_CODE,
    PackProfile,
    as_group_counts,
    pack_documents,
)
from zhiping.testing._pack_tests import (
    PACK_CHECKS,
    PackTests,
    PackUnsound,
    check_rules,
    check_sources,
    check_values,
)
from zhiping.testing.invalid import DEFECT_KINDS, DefectKind, invalid_documents
from zhiping.testing.laws import LAWS, Law, LawBroken, check_law, check_laws
from zhiping.testing.strategies import (
    RECOGNISED_INVITEE_KINDS,
    THREE_LEVEL_SCALE,
    histories,
    session_documents,
    subject_counts,
)

__all__ = [
    "DEFECT_KINDS",
    "INVALID_MARK",
    "LAWS",
    "NEUTRAL_VILLAGE_CODE",
    "PACK_CHECKS",
    "RECOGNISED_INVITEE_KINDS",
    "THREE_LEVEL_SCALE",
    "DefectKind",
    "Law",
    "LawBroken",
    "PackProfile",
    "PackTests",
    "PackUnsound",
    "as_cast",
    "as_counts",
    "as_group_counts",
    "check_law",
    "check_laws",
    "check_rules",
    "check_sources",
    "check_values",
    "counted",
    "histories",
    "invalid_documents",
    "pack_documents",
    "session_document",
    "session_documents",
    "subject_counts",
]
