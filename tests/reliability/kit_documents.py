"""The valid documents the hostile phase damages and runs as controls, and the kit's invalid ones.

From zhiping's own kit (:mod:`zhiping.testing`, drawn with hypothesis and a seed), the
example and the synthetic district.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from reliability.hostile_cases import Base, Case, compact, encoded
from reliability.plan import Plan
from reliability.samples import example_text, synthetic_district


def base_documents() -> list[Base]:
    """Return the valid documents damaged: the example, and synthetic ones in both forms."""
    from zhiping.demo import session_documents
    from zhiping.testing import as_cast

    example = example_text()
    district = synthetic_district(42)
    # Of the year before the example's, and of other villages: each its own session.
    documents = [
        document
        for document in session_documents(district, 2025)
        if document["village"]["code"] != json.loads(example)["village"]["code"]
    ]
    counts = next(d for d in documents if d["ballots"].get("counts") is not None)
    cast = next((d for d in documents if d["ballots"].get("cast") is not None), None)
    if cast is None:
        cast = as_cast(documents[1])
    return [
        Base("example", example, json.loads(example)),
        Base("synth-cast", compact(cast), cast),
        Base("synth-counts", compact(counts), counts),
    ]


def drawn(strategy: Any, count: int, seed: int) -> list[Any]:
    """Return ``count`` examples of a hypothesis strategy, drawn deterministically."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded

    found: list[Any] = []

    @seeded(seed)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(copy.deepcopy(value))

    collect()
    return found[:count]


def valid_cases(plan: Plan, bases: Sequence[Base], seed: int) -> list[Case]:
    """Valid documents, which every path must accept: the controls."""
    from zhiping.testing import session_documents

    cases = [Case("valid", base.name, base.text.encode(), "accept") for base in bases]
    for form in ("cast", "counts"):
        strategy = session_documents(ballot_form=form)
        for index, document in enumerate(drawn(strategy, plan.drawn_valid, seed)):
            cases.append(Case("valid", f"drawn {form} #{index}", encoded(document), "accept"))
    return cases


def kit_cases(plan: Plan, seed: int) -> list[Case]:
    """The kit's invalid documents, ``kit_examples`` of every defect kind."""
    from zhiping.testing import DEFECT_KINDS, invalid_documents

    cases = []
    for kind in DEFECT_KINDS:
        for document, path in drawn(invalid_documents(kinds=[kind]), plan.kit_examples, seed):
            label = f"{kind} at {path or '(document)'}"
            why = f"it has the kit's defect {kind}"
            data = encoded(document)
            cases.append(Case("kit", label, data, "reject", why, document=document))
    return cases
