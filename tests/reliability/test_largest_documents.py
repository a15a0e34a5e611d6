"""The largest documents the limits accept evaluate in 2 s and 300 MB; 20,000 cadres are refused.

Marked ``reliability``: wall time is asserted here, never in the default run.
``pytest -m reliability -k largest -s`` prints the figures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reliability.largest_documents import SHAPES, measure

pytestmark = pytest.mark.reliability

SECONDS = 2.0
PEAK_MB = 300


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_largest_accepted_document_of_each_shape_stays_within_the_bound(
    tmp_path: Path, shape: str
) -> None:
    found = measure(SHAPES[shape](), tmp_path)
    print(f"largest/{shape} {json.dumps(found, ensure_ascii=False)}")
    assert found["result"] == "evaluated"
    assert found["seconds"] <= SECONDS
    assert found["peak_mb"] <= PEAK_MB


def twenty_thousand_cadres() -> dict[str, Any]:
    document = SHAPES["most_evaluators_counted"]()
    cadre = document["cadres"][0]
    document["cadres"] = [{**cadre, "id": f"c{i}", "name": f"张{i}"} for i in range(20_000)]
    del document["ballots"]["counts"]
    document["ballots"]["cast"] = []
    document["ballots"]["returned"] = document["ballots"]["issued"] = 0
    document["roster"]["party_members"] = ["pm1"]
    document["roster"]["representatives"] = [f"r{i}" for i in range(40)]
    document["attendance"] = document["attendance"][:41]
    return document


def test_a_document_of_20000_cadres_is_refused_at_once_naming_the_limit(tmp_path: Path) -> None:
    found = measure(twenty_thousand_cadres(), tmp_path)
    print(f"largest/20000_cadres {json.dumps(found, ensure_ascii=False)}")
    assert 2_000_000 < found["bytes"] < 3_000_000
    assert found["result"].startswith("InputError: 1 problem:\n  cadres: 20,000 items, over")
    assert "zhiping.documents.limits.MAX_CADRES" in found["result"]
    assert found["seconds"] <= 0.5
    assert found["peak_mb"] <= PEAK_MB
