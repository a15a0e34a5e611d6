"""Golden outcomes: a synthetic district's outcomes do not change behind our back.

The hash below is of the canonical outcome documents of 126 villages (seed 2026, work
year 2025), recorded when the rules were last changed on purpose. A change of any grade,
pay figure, finding, message or trace entry changes it: if the change is intended,
record the new hash in the same commit and say why there.
"""

from __future__ import annotations

import hashlib
import json

import zhiping
from zhiping.demo import build_district, session_documents

GOLDEN = "cfa12f38aeac8ced47fb0ab3c4fbd50519200343c8616093bb00efb62c061714"


def test_the_district_outcomes_are_the_golden_ones() -> None:
    documents = session_documents(build_district(2026, first_year=2025, villages=126), 2025)
    digest = hashlib.sha256()
    for document in documents:
        outcome = zhiping.evaluate(document).to_document()
        text = json.dumps(outcome, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest.update(text.encode("utf-8") + b"\n")
    assert digest.hexdigest() == GOLDEN
