"""Say what went wrong: failures grouped by cause, and exceptions and outputs on one line."""

from __future__ import annotations

import re
import traceback
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Failure:
    """One target missed (or, as a note, one thing worth knowing) for one input.

    Attributes:
        kind: what went wrong (``library_exception``, ``cli_exit``, ``store_changed``, …).
        category: where the input came from (``kit``, ``truncate``, ``deep_nesting``, …).
        label: the input, in a few words.
        detail: the exception, exit status or message; alike failures share it.
        where: the paths or runs it happened on (``text, bytes``; ``cli, cli --store``).
    """

    kind: str
    category: str
    label: str
    detail: str
    where: str = ""


PRIORITY = (
    "probe_died",
    "library_exception",
    "cli_crash",
    "store_changed",
    "accepted_invalid",
    "rejected_valid",
    "cli_exit",
    "cli_traceback",
    "subprocess_crash",
    "subprocess_exit",
    "subprocess_traceback",
)
"""Which of a case's failures is its cause: the first of these kinds that it has."""


def grouped(failures: Sequence[Failure], *, by_cause: bool = True) -> list[str]:
    """Group failures into one line per cause, largest groups first: a to-do list.

    With ``by_cause``, each input counts once, under its first failure in
    :data:`PRIORITY` order (a library crash explains the CLI's exit 1 that follows);
    the other kinds its inputs also showed are named. Inputs group together when that
    failure's kind and detail agree, numbers aside. Each line says how many inputs,
    the kind, the detail, the categories they came from, and an example.
    """
    by_input: dict[tuple[str, str], list[Failure]] = defaultdict(list)
    for failure in failures:
        by_input[(failure.category, failure.label)].append(failure)
    groups: dict[tuple[str, str], list[tuple[Failure, list[Failure]]]] = defaultdict(list)
    for found in by_input.values():
        causes = sorted(found, key=_rank) if by_cause else found
        for cause in causes[:1] if by_cause else causes:
            groups[(cause.kind, signature(cause.detail))].append((cause, found))
    lines = []
    for (kind, _), members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        categories = Counter(cause.category for cause, _ in members)
        origin = ", ".join(f"{name}({count})" for name, count in categories.most_common())
        first = members[0][0]
        also = sorted({f.kind for _, found in members for f in found} - {kind}, key=_rank_kind)
        then = f"; then also {', '.join(also)}" if by_cause and also else ""
        on = f" [{first.where}]" if first.where else ""
        lines.append(
            f"{len(members)}x {kind}: {first.detail}{then} -- in {origin}; "
            f"e.g. {first.category}: {first.label}{on}"
        )
    return lines


def _rank(failure: Failure) -> int:
    return _rank_kind(failure.kind)


def _rank_kind(kind: str) -> int:
    return PRIORITY.index(kind) if kind in PRIORITY else len(PRIORITY)


def signature(detail: str) -> str:
    """Return a failure's detail with numbers and temporary paths blurred, for grouping."""
    blurred = re.sub(r"/\S*zhiping-reliability-\S*", "<file>", detail)
    return re.sub(r"\d+", "#", blurred)


def shorten(text: str, limit: int = 240) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters."""
    line = " | ".join(part.strip() for part in text[: limit * 2].splitlines() if part.strip())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe(error: BaseException) -> str:
    """Return an exception's type, message and where it was raised, on one line."""
    return f"{type(error).__name__}: {shorten(str(error), 160)} ({raised_at(error)})"


def raised_at(error: BaseException) -> str:
    """Return the frame that raised, and the last frame inside zhiping when that differs."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "no traceback"
    last = frames[-1]
    ours = [frame for frame in frames if "/zhiping/" in frame.filename.replace("\\", "/")]
    where = f"{_short(last.filename)}:{last.lineno} in {last.name}"
    if ours and ours[-1] is not last:
        where += f" <- {_short(ours[-1].filename)}:{ours[-1].lineno} in {ours[-1].name}"
    return where


def _short(filename: str) -> str:
    path = filename.replace("\\", "/")
    for marker in ("/src/", "/site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return path.split("/", 1)[1] if path.startswith(".") else path
