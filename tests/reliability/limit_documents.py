"""The limits phase's documents: growing sizes, and at and just over each documented limit.

Each is written to a file piece by piece (:func:`~.json_text.write_pieces`), so that
even the largest is never held whole in this process.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reliability.documented_limits import DOCUMENTED
from reliability.json_text import JsonPath, Repeat, around, dumps_with, nesting, write_pieces
from reliability.plan import Plan
from reliability.probes import MB
from reliability.samples import example_document


@dataclass(frozen=True)
class LimitProbe:
    """A document of the limits phase.

    Attributes:
        name: its figures' name.
        write: writes it to a file.
        limit: the documented limit it is over, if any (``MAX_BALLOTS``, …).
        value: that limit's value.
    """

    name: str
    write: Callable[[Path], int]
    limit: str = ""
    value: int = 0


_BALLOTS = (
    '{"marks":{"organization":"satisfied","c1":"satisfied","c2":"basically_satisfied"}}',
    '{"marks":{"organization":"satisfied","c1":"dissatisfied","c2":"satisfied"}}',
    '{"marks":{"c1":"unknown"}}',
    '{"marks":{"organization":"不清楚","c1":"satisfied","c2":"satisfied"}}',
)
"""The ballots of the big documents, in turn: marks on the scale, abstentions, invalid."""


def cast_document(ballots: int, *, evaluators: bool) -> tuple[str, str]:
    """Return the text around the ``cast`` list of a document with ``ballots`` ballots.

    With ``evaluators``, as many party members are present as there are ballots, so
    that the session is valid; otherwise the roster is small and the session void.
    """
    from zhiping.testing import session_document

    people = max(ballots, 37) if evaluators else 37
    document = session_document(party_members=people, party_members_present=people - 7)
    document["ballots"] = {"issued": ballots, "returned": ballots, "cast": []}
    return around(document, ("ballots", "cast"))


def ballot_pieces(count: int) -> Iterator[str]:
    """Yield ``[``, the ballots separated by commas, ``]``."""
    yield "["
    block = ",".join(_BALLOTS)
    whole, rest = divmod(count, len(_BALLOTS))
    for index in range(whole):
        yield ("," if index else "") + block
    for index in range(rest):
        yield ("," if index or whole else "") + _BALLOTS[index]
    yield "]"


def write_cast(path: Path, ballots: int, *, evaluators: bool = True) -> int:
    """Write a document with ``ballots`` ballots in ``cast`` form; return its size."""
    before, after = cast_document(ballots, evaluators=evaluators)
    return write_pieces(path, [before, *ballot_pieces(ballots), after])


def write_megabytes(path: Path, megabytes: int) -> int:
    """Write a document of about ``megabytes`` MiB: ballots, on a small roster (void)."""
    before, after = cast_document(1, evaluators=False)
    average = sum(len(b.encode()) + 1 for b in _BALLOTS) / len(_BALLOTS)
    ballots = max(1, int((megabytes * MB - len(before.encode()) - len(after.encode())) / average))
    before, after = cast_document(ballots, evaluators=False)
    return write_pieces(path, [before, *ballot_pieces(ballots), after])


def write_padded(path: Path, size: int) -> int:
    """Write the example, compact, then spaces up to exactly ``size`` bytes."""
    data = json.dumps(example_document(), ensure_ascii=False).encode()
    return write_pieces(path, [data, Repeat(b" ", max(0, size - len(data)))])


def write_long_mark(path: Path, length: int) -> int:
    """Write a ``cast`` document with one mark ``length`` characters long."""
    before, after = cast_document(10, evaluators=True)
    marked = '{"marks":{"c1":"' + "x" * length + '"}}'
    ballots = ",".join([marked, *(_BALLOTS[i % len(_BALLOTS)] for i in range(9))])
    return write_pieces(path, [before, "[", ballots, "]", after])


def write_deep(path: Path, depth: int) -> int:
    """Write the example with arrays in an unknown field, ``depth`` deep counting the document."""
    before, after = around({**example_document(), "remarks": 0}, ("remarks",))
    return write_pieces(path, [before, nesting(max(0, depth - 1)), after])


def write_long_integer(path: Path, digits: int) -> int:
    """Write the example with ``digits`` digits of households (and of its reach)."""
    example = example_document()
    number = "9" * digits
    raw: dict[JsonPath, str] = {("roster", "households"): number}
    raw.update({("reach", key): number for key in example.get("reach", {})})
    return write_pieces(path, [dumps_with(example, raw=raw)])


WRITERS: dict[str, Callable[[Path, int], int]] = {
    "MAX_DOCUMENT_BYTES": write_padded,
    "MAX_BALLOTS": write_cast,
    "MAX_STRING_LENGTH": write_long_mark,
    "MAX_DEPTH": write_deep,
    "MAX_INTEGER_DIGITS": write_long_integer,
}
"""What writes a document of a given size for each documented limit."""


def limit_probes(plan: Plan) -> list[LimitProbe]:
    """Return the documents of growing size, and those at and over each documented limit."""
    probes = [LimitProbe(f"ballots-{n}", _writer(write_cast, n)) for n in plan.ballots]
    probes += [LimitProbe(f"megabytes-{m}", _writer(write_megabytes, m)) for m in plan.megabytes]
    for name, value in DOCUMENTED.items():
        if value is None:
            continue
        write = WRITERS[name]
        probes.append(LimitProbe(f"{name}-at", _writer(write, value)))
        probes.append(LimitProbe(f"{name}-over", _writer(write, value + 1), name, value))
    return probes


def _writer(write: Callable[[Path, int], int], size: int) -> Callable[[Path], int]:
    """Return ``write`` with its size given."""

    def written(path: Path) -> int:
        return write(path, size)

    return written
