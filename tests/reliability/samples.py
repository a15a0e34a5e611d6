"""The valid inputs the phases start from: the example, the synthetic district, a sample store."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from reliability.probes import ROOT
from zhiping.store import Checkpoint, Store

if TYPE_CHECKING:
    from pathlib import Path

    from zhiping.demo import District

EXAMPLE = ROOT / "examples" / "guanzhai-2026.json"
DISTRICT_SEED = 2026
"""The synthetic district's seed (``zhiping synth``'s default): the same villages every run."""


def example_text() -> str:
    """Return the example document's JSON text."""
    return EXAMPLE.read_text(encoding="utf-8")


def example_document() -> dict[str, Any]:
    """Return the example document, decoded."""
    document: dict[str, Any] = json.loads(example_text())
    return document


def synthetic_district(villages: int) -> District:
    """Return the synthetic district of :data:`DISTRICT_SEED` from 2025, ``villages`` large."""
    from zhiping.demo import build_district

    return build_district(DISTRICT_SEED, first_year=2025, villages=villages)


def build_sample_store(path: Path, villages: int) -> Checkpoint:
    """Record synthetic villages over two years, a fulfilment and an amendment.

    A third of the villages' ballots are recorded in ``cast`` form (the same ballots as
    the counts, one by one), so that both forms are stored.

    Returns:
        The checkpoint taken after the last event.
    """
    from zhiping.demo import session_documents
    from zhiping.testing import as_cast

    district = synthetic_district(villages)
    with Store(path) as store:
        documents: list[dict[str, Any]] = []
        for year in (2025, 2026):
            for index, document in enumerate(session_documents(district, year)):
                if index % 3 == 1 and document["ballots"].get("counts") is not None:
                    document = as_cast(document)
                store.evaluate(document)
                documents.append(document)
        for record in list(store.sessions()):
            stored = json.loads(record["document"])
            open_ = [
                inquiry
                for inquiry in stored.get("inquiries") or []
                if (inquiry.get("commitment") or {}).get("due")
                and not inquiry["commitment"].get("fulfilled_on")
            ]
            if open_:
                due = date.fromisoformat(open_[0]["commitment"]["due"])
                store.fulfil(record["session"], open_[0]["id"], due - timedelta(days=3))
                break
        amended = copy.deepcopy(documents[-1])
        amended["village"]["name"] += "（更正）"
        store.amend(amended, reason="村名笔误更正 / the village's name was misspelt")
        return store.checkpoint()
