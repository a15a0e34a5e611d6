"""The size limits of a session document (:mod:`zhiping.documents.limits`), checked cheaply.

:func:`oversized` walks the decoded JSON before any model is built (building the models
of an oversized document is the work the limits are there to spare);
:func:`model_oversized` checks a :class:`~zhiping.documents.session.Session` built
without validation. Every problem names the limit it breaks.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from zhiping import glossary
from zhiping.documents.limits import (
    MAX_BALLOTS,
    MAX_CADRES,
    MAX_ENTRIES,
    MAX_LABELS,
    MAX_MARKS,
    MAX_PERSONS,
    MAX_SUBJECTS,
)
from zhiping.errors import Problem, json_path

if TYPE_CHECKING:
    from zhiping.documents.session import Session

__all__ = ["model_oversized", "over_limit", "oversized"]


_LIMITED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("cadres",), "MAX_CADRES"),
    (("cadres", "*", "posts"), "MAX_LABELS"),
    (("roster", "party_members"), "MAX_PERSONS"),
    (("roster", "representatives"), "MAX_PERSONS"),
    (("attendance",), "MAX_PERSONS"),
    (("attendance", "*", "as"), "MAX_LABELS"),
    (("notice", "channels"), "MAX_LABELS"),
    (("notice", "covers"), "MAX_LABELS"),
    (("ballots", "cast"), "MAX_BALLOTS"),
    (("ballots", "cast", "*", "marks"), "MAX_SUBJECTS"),
    (("ballots", "counts"), "MAX_SUBJECTS"),
    (("ballots", "counts", "*"), "MAX_LABELS"),
    (("ballots", "group_counts"), "MAX_LABELS"),
    (("ballots", "group_counts", "*"), "MAX_SUBJECTS"),
    (("ballots", "group_counts", "*", "*"), "MAX_LABELS"),
    (("assessments",), "MAX_LABELS"),
    (("assessments", "*"), "MAX_SUBJECTS"),
    (("vetoes",), "MAX_ENTRIES"),
    (("inquiries",), "MAX_ENTRIES"),
    (("history",), "MAX_ENTRIES"),
    (("carried_commitments",), "MAX_ENTRIES"),
)
"""Each list or map of a session document with the limit on its length, by name in
:mod:`zhiping.documents.limits`; ``*`` is every item of a list or every value of a map.
The outer list is checked before its items, so a document of 20,000 cadres is refused for
its cadres without a look at their posts."""

_LIMIT_VALUES = {
    "MAX_BALLOTS": MAX_BALLOTS,
    "MAX_CADRES": MAX_CADRES,
    "MAX_ENTRIES": MAX_ENTRIES,
    "MAX_LABELS": MAX_LABELS,
    "MAX_PERSONS": MAX_PERSONS,
    "MAX_SUBJECTS": MAX_SUBJECTS,
}

_REPORTED_SIZES = 20
"""Oversized lists reported at most: 20,000 ballots may each mark too many subjects."""


def oversized(data: Any) -> Iterator[Problem]:
    """Yield each list or map of a decoded document over its limit, before any model is built.

    Building the models of an oversized document is the work the limits are there to
    spare, so these are checked on the decoded JSON, cheaply, first.
    """
    found = 0
    over: list[tuple[str, ...]] = []
    for pattern, name in _LIMITED:
        if any(pattern[: len(outer)] == outer for outer in over):
            continue  # a list over its limit says enough: its items are not walked
        limit = _LIMIT_VALUES[name]
        for location, size in _sizes(data, pattern, (), above=limit):
            if size > limit:
                yield over_limit(json_path(location), size, name, limit)
                over.append(pattern)
                found += 1
                if found == _REPORTED_SIZES:
                    return
    marks = _marks_given(data)
    if marks > MAX_MARKS:
        yield over_limit("ballots.cast", marks, "MAX_MARKS", MAX_MARKS, what=_MARKS)


def _sizes(
    value: Any, pattern: tuple[str, ...], location: tuple[int | str, ...], *, above: int = -1
) -> Iterator[tuple[tuple[int | str, ...], int]]:
    """Yield the location and length of each list or map that ``pattern`` names.

    Only those longer than ``above``. Level by level rather than by recursion (a
    district's documents hold many thousands of lists), in the same order: each level
    keeps the document's order. A location is kept as a link to its parent's, and
    spelled out only for a list that is yielded.
    """
    level: list[tuple[_Link, Any]] = [(None, value)]
    for step in pattern:
        below: list[tuple[_Link, Any]] = []
        if step != "*":
            for link, found in level:
                if isinstance(found, dict) and step in found:
                    below.append(((link, step), found[step]))
        else:
            for link, found in level:
                if isinstance(found, list | dict):
                    # The items' links and values, in tuples made without a Python loop.
                    keys = range(len(found)) if isinstance(found, list) else found.keys()
                    items = found if isinstance(found, list) else found.values()
                    links = zip(itertools.repeat(link), keys, strict=False)  # repeat is endless
                    below.extend(zip(links, items, strict=True))
        level = below
    for link, found in level:
        if isinstance(found, list | dict) and len(found) > above:
            yield (*location, *_spelled(link)), len(found)


_Link = tuple[Any, int | str] | None
"""A location in a decoded document: its parent's link and its own key, None at the top."""


def _spelled(link: _Link) -> tuple[int | str, ...]:
    keys: list[int | str] = []
    while link is not None:
        link, key = link
        keys.append(key)
    return tuple(reversed(keys))


def _marks_given(data: Any) -> int:
    """Return how many marks the cast ballots of a decoded document hold together."""
    ballots = data.get("ballots") if isinstance(data, dict) else None
    cast = ballots.get("cast") if isinstance(ballots, dict) else None
    if not isinstance(cast, list):
        return 0
    return sum(
        len(marks)
        for ballot in cast
        if isinstance(ballot, dict) and isinstance(marks := ballot.get("marks"), dict)
    )


_ITEMS = glossary.Text(zh="项", en="items")
_MARKS = glossary.Text(zh="个评价", en="marks")


def over_limit(
    path: str, size: int, name: str, limit: int, *, what: glossary.Text = _ITEMS
) -> Problem:
    """Return the problem of a list over a limit, naming the limit."""
    return Problem(
        path,
        glossary.Text(
            zh=f"共{size:,}{what.zh},超过{limit:,}{what.zh}的上限(zhiping.documents.limits.{name})",
            en=(
                f"{size:,} {what.en}, over the limit of {limit:,} (zhiping.documents.limits.{name})"
            ),
        ),
    )


def model_oversized(session: Session) -> Iterator[Problem]:
    """Yield the limits a session built without validation (``model_construct``) breaks.

    Validation refuses every list over its limit; these are the lists whose length sets
    how much work an evaluation does.
    """
    if len(session.cadres) > MAX_CADRES:
        yield over_limit("cadres", len(session.cadres), "MAX_CADRES", MAX_CADRES)
    cast = session.ballots.cast or ()
    if len(cast) > MAX_BALLOTS:
        yield over_limit("ballots.cast", len(cast), "MAX_BALLOTS", MAX_BALLOTS)
    marks = sum(len(ballot.marks) for ballot in cast)
    if marks > MAX_MARKS:
        yield over_limit("ballots.cast", marks, "MAX_MARKS", MAX_MARKS, what=_MARKS)
