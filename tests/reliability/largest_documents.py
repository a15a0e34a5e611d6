"""The largest documents the limits accept, each shaped to load one limit, and their cost.

Each shape fills the lists the limits of :mod:`zhiping.documents.limits` bound to the
brim, in the way that makes the most work for that list: 200 cadres marked on 1,000
ballots (the limit on marks), 20,000 ballots of ten marks, 20,000 evaluators present,
2,000 history entries and inquiries, 64 groups of counts. :func:`measure` evaluates one in
a fresh interpreter (parse, check, evaluate, write the outcome as JSON) and returns the
seconds and the peak memory (``VmHWM``) of that process; ``python -m
reliability.largest_documents`` prints them all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from zhiping.documents.limits import (
    MAX_BALLOTS,
    MAX_CADRES,
    MAX_ENTRIES,
    MAX_LABELS,
    MAX_MARKS,
    MAX_PERSONS,
)

WORDS = ("satisfied", "basically_satisfied", "dissatisfied")


def _base(cadres: int, present: int) -> dict[str, Any]:
    """A Xinzhou session of ``cadres`` cadres and ``present`` representatives present."""
    return {
        "format": "zhiping.session/1",
        "id": "420117101201-2026",
        "village": {"code": "420117101201", "name": "管寨村"},
        "year": 2026,
        "held_on": "2027-01-15",
        "notice": {
            "published_on": "2027-01-10",
            "channels": ["village_board"],
            "covers": ["time", "place", "procedure"],
        },
        "roster": {
            "party_members": ["pm1"],
            "representatives": [f"r{i}" for i in range(present)],
            "households": 248,
        },
        "cadres": [
            {
                "id": f"c{i}",
                "name": f"张{i}",
                "posts": ["committee_member"],
                "in_office_since": "2021-01-10",
                "performance_pay": "12000.00",
            }
            for i in range(cadres)
        ],
        "attendance": [
            {"person": "pm1", "as": ["party_member"]},
            *({"person": f"r{i}", "as": ["representative"]} for i in range(present)),
        ],
    }


def _subjects(document: dict[str, Any]) -> list[str]:
    return ["organization", *(cadre["id"] for cadre in document["cadres"])]


def _cast(document: dict[str, Any], ballots: int) -> dict[str, Any]:
    subjects = _subjects(document)
    document["ballots"] = {
        "issued": ballots,
        "returned": ballots,
        "cast": [
            {"marks": {s: WORDS[(b + i) % 3] for i, s in enumerate(subjects)}}
            for b in range(ballots)
        ],
    }
    return document


def _counts(document: dict[str, Any], ballots: int) -> dict[str, Any]:
    third = ballots // 3
    counts = {"satisfied": ballots - 2 * third, "basically_satisfied": third, "dissatisfied": third}
    document["ballots"] = {
        "issued": ballots,
        "returned": ballots,
        "counts": {s: {**counts, "abstain": 0, "invalid": 0} for s in _subjects(document)},
    }
    return document


def cadres_on_most_marks() -> dict[str, Any]:
    """200 cadres, every subject marked on as many ballots as the limit on marks allows."""
    document = _base(MAX_CADRES, 995)
    return _cast(document, MAX_MARKS // (MAX_CADRES + 1))


def most_ballots() -> dict[str, Any]:
    """20,000 cast ballots, each marking the organization and nine cadres."""
    document = _base(MAX_MARKS // MAX_BALLOTS - 1, MAX_PERSONS - 1)
    return _cast(document, MAX_BALLOTS)


def most_evaluators_counted() -> dict[str, Any]:
    """20,000 present and on the roster, 200 cadres, the ballots pre-counted."""
    document = _base(MAX_CADRES, MAX_PERSONS - 1)
    document["roster"]["party_members"] = [f"pm{i}" for i in range(MAX_PERSONS)]
    return _counts(document, MAX_BALLOTS)


def most_records() -> dict[str, Any]:
    """200 cadres with 2,000 history entries, inquiries, vetoes and carried commitments; each
    inquiry's topic as long as a text may be (1,998 characters), for 15 MB in all."""
    document = _counts(_base(MAX_CADRES, 40), 41)
    subjects = _subjects(document)
    document["history"] = [
        {
            "subject": subjects[i % len(subjects)],
            "year": 2025 - i // len(subjects),
            "grade": "competent",
        }
        for i in range(MAX_ENTRIES)
    ]
    document["inquiries"] = [
        {
            "id": f"q{i}",
            "to": subjects[i % len(subjects)],
            "topic": "村道硬化进度" * 333,
            "answered": "later",
            "commitment": {"text": "6月底前完工", "due": "2027-06-30"},
        }
        for i in range(MAX_ENTRIES)
    ]
    document["vetoes"] = [
        {"subject": subjects[1 + i % (len(subjects) - 1)], "reason": "违反规定" * 100}
        for i in range(MAX_ENTRIES)
    ]
    document["carried_commitments"] = [
        {"to": subjects[i % len(subjects)], "text": "修路" * 100, "due": "2026-06-30", "year": 2025}
        for i in range(MAX_ENTRIES)
    ]
    return document


def most_groups() -> dict[str, Any]:
    """64 evaluator groups, each with counts for 201 subjects, under Xichong's weighting
    pack (forced with ``--pack``-like ``pack="xichong"``)."""
    document = _base(MAX_CADRES, 40)
    subjects = _subjects(document)
    per_group = {
        "satisfied": 1,
        "basically_satisfied": 0,
        "dissatisfied": 0,
        "abstain": 0,
        "invalid": 0,
    }
    document["ballots"] = {
        "issued": MAX_LABELS,
        "returned": MAX_LABELS,
        "group_counts": {f"g{g}": dict.fromkeys(subjects, per_group) for g in range(MAX_LABELS)},
    }
    return document


SHAPES: dict[str, Callable[[], dict[str, Any]]] = {
    "cadres_on_most_marks": cadres_on_most_marks,
    "most_ballots": most_ballots,
    "most_evaluators_counted": most_evaluators_counted,
    "most_records": most_records,
    "most_groups": most_groups,
}

_MEASURED = """
import json, re, sys, time
import zhiping
from zhiping.packs.registry import default_registry
from zhiping.errors import ZhipingError
registry = default_registry()
text = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    outcome = zhiping.evaluate(text, registry=registry).to_document()
    json.dumps(outcome, ensure_ascii=False)
    result = "evaluated"
except ZhipingError as error:
    result = type(error).__name__ + ": " + str(error)[:200]
seconds = time.perf_counter() - started
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024
print(json.dumps({"seconds": round(seconds, 3), "peak_mb": peak, "result": result}))
"""


def measure(document: dict[str, Any], directory: Path) -> dict[str, Any]:
    """Evaluate a document in a fresh interpreter; return its seconds, peak MB and result.

    The seconds count the parse, the checks, the evaluation and the writing of the outcome,
    not the start of the interpreter nor the discovery of packs.
    """
    path = directory / "document.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    found: dict[str, Any] = json.loads(done.stdout)
    found["bytes"] = path.stat().st_size
    return found


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        for name, shape in SHAPES.items():
            print(name, measure(shape(), Path(directory)), flush=True)
