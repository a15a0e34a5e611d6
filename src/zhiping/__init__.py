"""zhiping: the direct evaluation of village cadres by the people (直评村官), as rules.

Hand :func:`evaluate` a session document; get back an :class:`Outcome` that grades the
party organization and each cadre, figures their performance pay, names the actions
that follow, and explains every decision.

A plugin author imports from here alone: :data:`hookimpl` to implement the hooks,
:func:`mechanism` and :class:`RuleContext` to write a mechanism, :class:`Text` for its
messages, and :func:`pack_plugin` or :func:`load_pack` for a pack file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zhiping._version import __version__
from zhiping.documents.outcome import Outcome, OutcomeDocument, Pay, Tally
from zhiping.documents.session import (
    HistoryEntry,
    Session,
    check_history,
    check_session,
    parse_history,
    parse_session,
)
from zhiping.engine import evaluate_chain
from zhiping.errors import (
    InputError,
    NoApplicableRule,
    PackConflict,
    PackError,
    Problem,
    SessionConflict,
    StoreError,
    TamperDetected,
    ZhipingError,
)
from zhiping.glossary import Text
from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.loading import load_pack, pack_plugin
from zhiping.packs.model import Chain, Pack
from zhiping.packs.registry import PackRegistry, default_registry, discover
from zhiping.rules import Mechanism, RuleContext, mechanism

__all__ = [
    "Chain",
    "HistoryEntry",
    "InputError",
    "Mechanism",
    "NoApplicableRule",
    "Outcome",
    "OutcomeDocument",
    "Pack",
    "PackConflict",
    "PackError",
    "PackRegistry",
    "Pay",
    "Problem",
    "RuleContext",
    "Session",
    "SessionConflict",
    "StoreError",
    "Tally",
    "TamperDetected",
    "Text",
    "ZhipingError",
    "__version__",
    "default_registry",
    "discover",
    "evaluate",
    "hookimpl",
    "load_pack",
    "mechanism",
    "pack_plugin",
    "parse_history",
    "parse_session",
]


def evaluate(
    session: Session | str | bytes | Mapping[str, Any],
    *,
    pack: str | None = None,
    history: Iterable[HistoryEntry] | None = None,
    registry: PackRegistry | None = None,
) -> Outcome:
    """Evaluate one session under the packs that govern its village.

    Deterministic: the evaluation date is the document's ``held_on``, never the clock,
    and the same document, packs and history always give the same outcome.

    Args:
        session: a parsed :class:`Session`, or its JSON text or decoded JSON object.
        pack: apply this pack's chain whatever the village code.
        history: prior grades of this village's subjects, beyond the document's own.
        registry: the packs to choose from; by default the bundled and installed ones.

    Returns:
        The outcome: status, findings, each subject's tally, grade, pay and actions,
        and the trace of every decision.

    A :class:`Session` given here is checked as :func:`parse_session` checks a document
    (ids, counts and dates that must agree), however it was built: the same document
    is refused the same way as a model or as JSON. So is a ``history`` that lists an
    entry twice.

    Raises:
        InputError: the document is broken; every problem has its JSON path.
        NoApplicableRule: no pack of the chain grades this village.
        PackConflict: two packs claim the village on the session's date.
        PackError: a pack cannot be used.
    """
    checked = check_session(session) if isinstance(session, Session) else parse_session(session)
    prior = check_history(history or ())
    registry = registry or default_registry()
    chain = registry.chain(checked.village.code, checked.held_on, pack=pack)
    return evaluate_chain(checked, chain, registry.mechanisms, history=prior)
