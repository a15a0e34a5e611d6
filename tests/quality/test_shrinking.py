"""How small Hypothesis shrinks the counterexample of a broken law: derandomized, apart.

A counterexample that a reader can check by hand is part of what a law promises, so
these tests assert its size. But how far Hypothesis shrinks depends on where its random
search starts: under the default ``dev`` profile such an assertion fails now and then
for no fault of the code. So they live here, as Hypothesis keeps its own shrink-quality
tests in its ``tests/quality/``, and run derandomized (``tests/quality/conftest.py``):
the same search, the same counterexample, every run. A failure here means the search or
the pack changed, never bad luck.

The broken packs are those of ``tests/broken_packs.py``; that each is caught by its law
is tested in ``tests/testing/test_broken_packs.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from broken_packs import breaking, evaluate
from zhiping.glossary import GRADES, Grade

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)


def rank(grade: Grade | None) -> int:
    """Return how good a grade is: 4 for excellent down to 1 for incompetent, 0 for none."""
    return len(GRADES) - GRADES.index(grade) if grade is not None else 0


def votes_moved_up(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield, for each mark below the top of the scale, the subject and the document with it
    moved one step up."""
    scale = ["satisfied", "basically_satisfied", "dissatisfied"]
    for index, ballot in enumerate(document["ballots"]["cast"]):
        for subject, mark in ballot["marks"].items():
            if mark in scale[1:]:
                better = copy.deepcopy(document)
                better["ballots"]["cast"][index]["marks"][subject] = scale[scale.index(mark) - 1]
                yield subject, better


def test_the_monotonicity_counterexample_is_shrunk_to_a_vote_or_two() -> None:
    """A reader can check it by hand: moving one of its few votes up costs a grade."""
    document = breaking("monotonicity", "flipped-threshold").document
    assert document["ballots"]["returned"] <= 2
    assert len(document["cadres"]) <= 3
    before = evaluate(document)
    assert before.status == "valid"
    lowered = [
        subject
        for subject, better in votes_moved_up(document)
        if rank(evaluate(better).subject(subject).grade) < rank(before.subject(subject).grade)
    ]
    assert lowered


def test_the_ballot_order_counterexample_is_two_ballots() -> None:
    """Shrunk to the least that shows it: two ballots marking one subject differently."""
    document = breaking("ballot_order", "first-ballot").document
    cast = document["ballots"]["cast"]
    assert len(cast) == 2
    assert len(document["cadres"]) <= 1
    reversed_order = copy.deepcopy(document)
    reversed_order["ballots"]["cast"].reverse()
    grades = [[s.grade for s in evaluate(d).subjects] for d in (document, reversed_order)]
    assert grades[0] != grades[1]
