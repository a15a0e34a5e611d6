"""Strategies registered with hypothesis for ``st.from_type``, through its entry point.

Hypothesis calls :func:`register_strategies` when it is imported (entry-point group
``hypothesis``), so that ``st.from_type(zhiping.Session)`` gives parsed sessions and
``st.from_type(zhiping.HistoryEntry)`` prior results, with nothing to set up. The
strategies are deferred: the document strategies are imported when first drawn from,
not while hypothesis itself is still being imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from zhiping.documents.session import HistoryEntry, Session

__all__ = ["register_strategies"]


def register_strategies() -> None:
    """Register zhiping's types with hypothesis (called by hypothesis at import).

    ``Session``: valid Xinzhou-shaped sessions, ballots counted or cast, with notices,
    quorums and ballot accounting that may break the rules (a void session is a valid
    document). ``HistoryEntry``: a subject's grade in a year.
    """
    from zhiping.documents.session import HistoryEntry, Session

    st.register_type_strategy(Session, st.deferred(_sessions))
    st.register_type_strategy(HistoryEntry, st.deferred(_history_entries))


def _sessions() -> st.SearchStrategy[Session]:
    from zhiping.documents.session import parse_session
    from zhiping.testing.strategies import session_documents

    documents = st.one_of(
        session_documents(ballot_form="counts", notice="any", quorum="any", accounting="any"),
        session_documents(ballot_form="cast", notice="any", quorum="any", accounting="any"),
    )
    return documents.map(parse_session)


def _history_entries() -> st.SearchStrategy[HistoryEntry]:
    from zhiping.documents.session import HistoryEntry
    from zhiping.glossary import GRADES, ORGANIZATION

    return st.builds(
        HistoryEntry,
        subject=st.sampled_from([ORGANIZATION, "c1", "c2", "c3"]),
        year=st.integers(1949, 9999),
        grade=st.sampled_from(GRADES),
    )
