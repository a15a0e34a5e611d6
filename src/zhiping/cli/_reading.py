"""Reading documents from files and standard input, never more than the limits allow.

A file is one session document, or JSON Lines of many (one document per line). No read
takes more than :data:`~zhiping.documents.limits.MAX_DOCUMENT_BYTES` characters at once, so a
100 MB line, or a file of whitespace, is refused without being held whole. A UTF-8 byte
order mark at the start is ignored.

JSON Lines are split where the file breaks its lines, never by a count of bytes: a line
over the limit is read to its end without being kept, and is one refused line
(:data:`TOO_LARGE`) under its own number; the lines after it keep theirs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from zhiping.cli._common import Refused
from zhiping.documents._json import is_json_object, too_large
from zhiping.documents.limits import MAX_DOCUMENT_BYTES
from zhiping.documents.session import HistoryEntry, Session, parse_history, parse_session
from zhiping.errors import InputError
from zhiping.glossary import Text

__all__ = [
    "TOO_LARGE",
    "bounded_lines",
    "opened",
    "peek",
    "read_history",
    "read_rest",
    "read_session",
    "source_name",
]

_CHUNK = MAX_DOCUMENT_BYTES + 1
"""Characters read at most at once: one more than any document may have."""

TOO_LARGE = None
"""What :func:`bounded_lines` gives for a line over the size limit: it is not kept."""

Line = str | None
"""A line of the input with its line break, or :data:`TOO_LARGE`."""


@contextmanager
def opened(name: str) -> Iterator[TextIO]:
    """Open a file, or standard input for ``-``, as UTF-8 text.

    Raises:
        Refused: the file cannot be opened.
    """
    if name == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # standard input replaced by a text stream
            yield sys.stdin
            return
        stdin = io.TextIOWrapper(buffer, encoding="utf-8-sig")
        try:
            yield stdin
        finally:
            stdin.detach()  # leave sys.stdin open
        return
    try:
        stream = open(name, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except (OSError, ValueError) as error:  # ValueError: a null byte in the name
        reason = getattr(error, "strerror", None) or str(error)
        raise Refused(
            Text(zh=f"无法读取 {name}:{reason}", en=f"cannot read {name}: {reason}")
        ) from None
    with stream:
        yield stream


def source_name(name: str) -> str:
    """Return how problems name the input: the file, or ``<stdin>``."""
    return "<stdin>" if name == "-" else name


NumberedLine = tuple[int, Line]
"""A non-blank line with its number in the file, from 1."""


def peek(stream: TextIO, name: str) -> tuple[list[NumberedLine], bool]:
    """Read up to the second non-blank line: JSON Lines if the first is a whole object.

    A first line over the size limit is JSON Lines when the next non-blank line that is
    not over the limit too is a whole object (the long ones are then refused lines);
    otherwise it is one document too large. Blank lines are counted, not kept.

    Returns:
        The non-blank lines read with their numbers (:data:`TOO_LARGE` for a line over
        the limit), and whether the input is JSON Lines.

    Raises:
        Refused: the input is not UTF-8.
        InputError: the input is one document, over the size limit.
    """
    first = _bounded_line(stream, name)
    head: list[NumberedLine] = [(1, first)]
    if first is not TOO_LARGE and not is_json_object(first):
        return head, False
    number = 1
    while (line := _bounded_line(stream, name)) != "":
        number += 1
        if line is not TOO_LARGE and not line.strip():
            continue
        head.append((number, line))
        if first is not TOO_LARGE:
            return head, True
        if line is not TOO_LARGE:
            if is_json_object(line):
                return head, True
            break
    if first is TOO_LARGE:
        raise InputError([too_large()], source=source_name(name))
    return head, False


def read_rest(stream: TextIO, name: str, head: list[NumberedLine]) -> str:
    """Return the whole single document: the lines peeked and the rest of the stream.

    Raises:
        Refused: the input is not UTF-8.
        InputError: the document is over the size limit.
    """
    if any(line is TOO_LARGE for _, line in head):
        raise InputError([too_large()], source=source_name(name))
    text = "".join(line for _, line in head if line is not None)
    try:
        text += stream.read(_CHUNK - len(text)) if len(text) < _CHUNK else ""
    except UnicodeDecodeError as error:
        raise _not_utf8(name, error) from None
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputError([too_large()], source=source_name(name))
    return text


def bounded_lines(stream: TextIO, name: str, head: list[NumberedLine]) -> Iterator[NumberedLine]:
    """Yield the non-blank lines of JSON Lines with their numbers: ``head``, then the rest.

    Each line of the file has one number, whatever its length: a line over the size
    limit is read to its end without being held, and given as :data:`TOO_LARGE`, so that
    the lines after it keep their numbers.

    Args:
        stream: the input, after the lines :func:`peek` read.
        name: the file's name, for messages.
        head: what :func:`peek` returned.

    Raises:
        Refused: the input is not UTF-8.
    """
    yield from head
    number = head[-1][0] if head else 0
    while (line := _bounded_line(stream, name)) != "":
        number += 1
        if line is TOO_LARGE or line.strip():
            yield number, line


def _bounded_line(stream: TextIO, name: str) -> Line:
    """Read one line: ``""`` at the end, :data:`TOO_LARGE` past the size limit."""
    line = _line(stream, name)
    if len(line) < _CHUNK or line.endswith("\n"):
        return line
    # More than the limit and no line break yet: skip to the break, holding one chunk.
    while (more := _line(stream, name)) and not more.endswith("\n"):
        pass
    return TOO_LARGE


def read_session(name: str, text: str) -> Session:
    """Parse and check one session document read from ``name``.

    Raises:
        InputError: every problem of the document, naming ``name``.
    """
    try:
        return parse_session(text)
    except InputError as error:
        raise error.with_source(source_name(name)) from None


def read_history(name: str) -> tuple[HistoryEntry, ...]:
    """Read a history file: a JSON array of ``{subject, year, grade}``.

    Raises:
        Refused: the file cannot be read.
        InputError: every problem of the history, naming the file.
    """
    with opened(name) as stream:
        text = read_rest(stream, name, [])
    try:
        return parse_history(text)
    except InputError as error:
        raise error.with_source(source_name(name)) from None


def _line(stream: TextIO, name: str) -> str:
    try:
        return stream.readline(_CHUNK)
    except UnicodeDecodeError as error:
        raise _not_utf8(name, error) from None


def _not_utf8(name: str, error: UnicodeDecodeError) -> Refused:
    where = source_name(name)
    return Refused(
        Text(
            zh=f"{where}:不是 UTF-8 文本({error.reason})",
            en=f"{where}: not UTF-8 text ({error.reason})",
        )
    )
