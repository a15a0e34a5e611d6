"""What DESIGN says a stored session's tallies, grades and pay are, computed here by hand.

An oracle written from DESIGN §2 (counting the marks) and §5 (the Xinzhou grade and
pay), not from zhiping's code: a mistake in zhiping would have to be made twice, the same
way, to go unnoticed. The reliability harness recounts every stored outcome with it
(:mod:`.recount`), and ``tests/store/test_store_machine.py`` grades its model's
sessions with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

SCALE = ("satisfied", "basically_satisfied", "dissatisfied")
"""DESIGN §2: the three-level scale, best first; its words are the valid votes."""
ABSTENTIONS = ("unknown",)
"""DESIGN §2: the mark that is an abstention, as a missing mark is."""
Grade = Literal["excellent", "competent", "basically_competent", "incompetent"]
"""DESIGN §5: a Xinzhou grade."""
GRADES: tuple[Grade, ...] = ("excellent", "competent", "basically_competent", "incompetent")
"""DESIGN §5: the Xinzhou grades, best first."""
COEFFICIENTS: dict[Grade, Decimal] = {
    "excellent": Decimal("1.00"),
    "competent": Decimal("0.90"),
    "basically_competent": Decimal("0.60"),
    "incompetent": Decimal("0.00"),
}
"""DESIGN §5: the share of a cadre's performance pay due for each grade."""


def recount(document: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Count each subject's marks from a session document, as DESIGN §2 describes them.

    Subjects are the organization, then the cadres in order. In ``cast`` form, a missing
    mark or ``unknown`` is an abstention, a word of the scale counts for itself, and any
    other mark is invalid; marks for other subject ids are ignored. In ``counts`` (or
    ``group_counts``) form, a subject not listed abstained on every ballot (of its group).
    """
    subjects = ["organization", *(cadre["id"] for cadre in document.get("cadres") or [])]
    words = (*SCALE, "abstain", "invalid")
    tallies = {subject: dict.fromkeys(words, 0) for subject in subjects}
    ballots = document["ballots"]
    if ballots.get("cast") is not None:
        for ballot in ballots["cast"]:
            marks = ballot.get("marks") or {}
            for subject in subjects:
                mark = marks.get(subject)
                if mark is None or mark in ABSTENTIONS:
                    tallies[subject]["abstain"] += 1
                elif mark in SCALE:
                    tallies[subject][mark] += 1
                else:
                    tallies[subject]["invalid"] += 1
    elif ballots.get("counts") is not None:
        _add_counts(tallies, ballots["counts"], int(ballots["returned"]))
    else:
        for counts in (ballots.get("group_counts") or {}).values():
            size = sum(next(iter(counts.values()), {}).values())
            _add_counts(tallies, counts, size)
    return tallies


def _add_counts(
    tallies: dict[str, dict[str, int]], counts: Mapping[str, Mapping[str, int]], returned: int
) -> None:
    for subject, tally in tallies.items():
        words = counts.get(subject)
        if words is None:
            tally["abstain"] += returned
            continue
        for word, count in words.items():
            tally["abstain" if word in ABSTENTIONS else word] += count


def xinzhou_grade(tally: Mapping[str, int]) -> Grade | None:
    """Return the Xinzhou grade of a tally (DESIGN §5), None without valid votes."""
    n = sum(tally[word] for word in SCALE)
    d, s = tally["dissatisfied"], tally["satisfied"]
    if n == 0:
        return None
    if 2 * d >= n:
        return "incompetent"
    if 3 * d > n:
        return "basically_competent"
    return "excellent" if 10 * s >= 9 * n else "competent"


def xinzhou_pay(amount: str | Decimal, grade: Grade) -> Decimal:
    """Return the performance pay due for a grade (DESIGN §5), to the fen."""
    return (Decimal(amount) * COEFFICIENTS[grade]).quantize(Decimal("0.01"), ROUND_HALF_UP)
