"""Building session documents for tests: a valid Xinzhou-shaped document from a few numbers."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from zhiping.documents._validation import Invalid
from zhiping.documents.session import group_size
from zhiping.glossary import ORGANIZATION, Text

__all__ = ["INVALID_MARK", "as_cast", "as_counts", "counted", "session_document", "word_counted"]

INVALID_MARK = "不清楚"
"""A mark outside every bundled scale, used for invalid votes in the ``cast`` form."""

Document = dict[str, Any]


def session_document(
    *,
    village_code: str = "420117101201",
    year: int = 2026,
    held_on: date = date(2027, 1, 15),
    notice_days: int | None = 3,
    party_members: int = 37,
    party_members_present: int = 30,
    representatives: int = 40,
    representatives_present: int = 32,
    invitees: int = 0,
    cadres: int = 2,
    performance_pay: str | None = "10000.00",
    counts: Mapping[str, Mapping[str, int]] | None = None,
    issued: int | None = None,
) -> Document:
    """Return a valid session document (``counts`` form) shaped by a few numbers.

    Party members are ``pm001…``, representatives ``r001…`` (distinct people),
    invitees ``x01…`` of kind ``deputy``, cadres ``c1…`` each with ``performance_pay``.
    Without ``counts`` every returned ballot marks every subject ``satisfied``; with
    them, subjects left out are unmarked. ``returned`` is what the counts sum to, or
    every evaluator present; ``issued`` defaults to ``returned``.

    Raises:
        ValueError: the numbers cannot make a valid document (more present than on
            the roster, counts that do not sum alike).
    """
    if party_members_present > party_members or representatives_present > representatives:
        raise Invalid(Text(zh="到会人数多于名册人数", en="more present than on the roster"))
    subjects = [ORGANIZATION, *(f"c{i}" for i in range(1, cadres + 1))]
    evaluators = party_members_present + representatives_present + invitees
    if counts is None:
        counts = {subject: {"satisfied": evaluators} for subject in subjects}
    sums = {sum(words.values()) for words in counts.values()}
    if len(sums) > 1:
        raise Invalid(
            Text(
                zh=f"各测评对象的票数合计不一致:{sorted(sums)}",
                en=f"the counts of the subjects sum differently: {sorted(sums)}",
            ),
        )
    returned = sums.pop() if sums else evaluators
    document: Document = {
        "format": "zhiping.session/1",
        "id": f"{village_code}-{year}",
        "village": {"code": village_code, "name": "管寨村"},
        "year": year,
        "held_on": held_on.isoformat(),
        "roster": {
            "party_members": _ids("pm", party_members, 3),
            "representatives": _ids("r", representatives, 3),
            "households": 248,
        },
        "cadres": [
            {
                "id": subject,
                "name": f"干部{subject[1:]}",
                "posts": ["committee_member"],
                "in_office_since": "2021-01-10",
                **({"performance_pay": performance_pay} if performance_pay else {}),
            }
            for subject in subjects[1:]
        ],
        "attendance": [
            *({"person": p, "as": ["party_member"]} for p in _ids("pm", party_members_present, 3)),
            *(
                {"person": r, "as": ["representative"]}
                for r in _ids("r", representatives_present, 3)
            ),
            *(
                {"person": x, "as": ["invitee"], "invitee_kind": "deputy"}
                for x in _ids("x", invitees, 2)
            ),
        ],
        "ballots": {
            "issued": returned if issued is None else issued,
            "returned": returned,
            "counts": {subject: dict(words) for subject, words in counts.items()},
        },
    }
    if notice_days is not None:
        document["notice"] = {
            "published_on": (held_on - timedelta(days=notice_days)).isoformat(),
            "channels": ["village_board", "broadcast"],
            "covers": ["time", "place", "procedure"],
        }
    return document


def as_cast(document: Mapping[str, Any], order: Sequence[int] | None = None) -> Document:
    """Return the same document with its ``counts`` or ``group_counts`` as one ballot each.

    Abstentions become missing marks, invalid votes the mark :data:`INVALID_MARK`;
    ballots from ``group_counts`` carry their ``group``. ``order`` permutes the ballots
    (a permutation of ``range(returned)``).
    """
    result = copy.deepcopy(dict(document))
    ballots = result["ballots"]
    if "group_counts" in ballots:
        groups: Mapping[str, Mapping[str, Mapping[str, int]]] = ballots.pop("group_counts")
        cast = [
            {"group": group, **ballot}
            for group, counts in groups.items()
            for ballot in _ballots(counts, group_size(counts))
        ]
    else:
        cast = _ballots(ballots.pop("counts"), ballots["returned"])
    permutation = list(order) if order is not None else list(range(len(cast)))
    ballots["cast"] = [cast[i] for i in permutation]
    return result


def _ballots(counts: Mapping[str, Mapping[str, int]], returned: int) -> list[Document]:
    marks: list[dict[str, str]] = [{} for _ in range(returned)]
    for subject, words in counts.items():
        index = 0
        for word, count in words.items():
            for _ in range(count):
                if word != "abstain":
                    marks[index][subject] = INVALID_MARK if word == "invalid" else word
                index += 1
    return [{"marks": ballot} for ballot in marks]


def as_counts(document: Mapping[str, Any], scale: Sequence[str]) -> Document:
    """Return the same document with its ``cast`` ballots counted on ``scale``."""
    result = copy.deepcopy(dict(document))
    ballots = result["ballots"]
    cast: list[Mapping[str, Any]] = ballots.pop("cast")
    subjects = {subject for ballot in cast for subject in ballot.get("marks", {})}
    counts: dict[str, dict[str, int]] = {}
    for subject in sorted(subjects):
        words = dict.fromkeys([*scale, "abstain", "invalid"], 0)
        for ballot in cast:
            words[word_counted(ballot.get("marks", {}).get(subject), scale)] += 1
        counts[subject] = words
    ballots["counts"] = counts
    return result


def counted(
    *,
    scale: Sequence[str] = ("satisfied", "basically_satisfied", "dissatisfied"),
    abstain: int = 0,
    invalid: int = 0,
    **votes: int,
) -> dict[str, int]:
    """Return one subject's pre-counted marks: every word of ``scale``, abstain, invalid.

    ``counted(satisfied=8, dissatisfied=2)`` gives
    ``{"satisfied": 8, "basically_satisfied": 0, "dissatisfied": 2, "abstain": 0,
    "invalid": 0}``.

    Raises:
        ValueError: a word that is not on the scale, or a negative count.
    """
    unknown = sorted(set(votes) - set(scale))
    if unknown:
        raise Invalid(
            Text(
                zh=f"不是测评票选项 {list(scale)} 中的词:{unknown}",
                en=f"not words of the scale {list(scale)}: {unknown}",
            ),
        )
    counts = {word: votes.get(word, 0) for word in scale} | {"abstain": abstain, "invalid": invalid}
    if any(count < 0 for count in counts.values()):
        raise Invalid(
            Text(zh=f"票数不能为负数:{counts}", en=f"counts cannot be negative: {counts}")
        )
    return counts


def word_counted(mark: str | None, scale: Sequence[str]) -> str:
    """Return the count a mark adds to: its word, ``abstain`` or ``invalid``."""
    if mark is None or mark == "unknown":
        return "abstain"
    return mark if mark in scale else "invalid"


def _ids(prefix: str, count: int, width: int) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]
