"""Reading documents from files and standard input, never more than the limits allow.

A file is one session document, or JSON Lines of many (one document per line). No read
takes more than :data:`~zhiping.documents.limits.MAX_DOCUMENT_BYTES` characters at once, so a
100 MB line, or a file of whitespace, is refused without being held whole. A UTF-8 byte
order mark at the start is ignored.
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
    except OSError as error:
        reason = error.strerror or str(error)
        raise Refused(
            Text(zh=f"无法读取 {name}:{reason}", en=f"cannot read {name}: {reason}")
        ) from None
    with stream:
        yield stream


def source_name(name: str) -> str:
    """Return how problems name the input: the file, or ``<stdin>``."""
    return "<stdin>" if name == "-" else name


def peek(stream: TextIO, name: str) -> tuple[list[str], bool]:
    """Read up to the second non-blank line: JSON Lines if the first is a whole object.

    Returns:
        The lines read, and whether the input is JSON Lines.

    Raises:
        Refused: the input is not UTF-8.
        InputError: the first line alone is over the size limit.
    """
    head = [_line(stream, name)]
    if len(head[0]) > MAX_DOCUMENT_BYTES:
        raise InputError([too_large()], source=source_name(name))
    if not is_json_object(head[0]):
        return head, False
    while line := _line(stream, name):
        head.append(line)
        if line.strip():
            return head, True
    return head, False


def read_rest(stream: TextIO, name: str, head: list[str]) -> str:
    """Return the whole single document: the lines peeked and the rest of the stream.

    Raises:
        Refused: the input is not UTF-8.
        InputError: the document is over the size limit.
    """
    text = "".join(head)
    try:
        text += stream.read(_CHUNK - len(text)) if len(text) < _CHUNK else ""
    except UnicodeDecodeError as error:
        raise _not_utf8(name, error) from None
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputError([too_large()], source=source_name(name))
    return text


def bounded_lines(stream: TextIO, name: str) -> Iterator[str]:
    """Yield the lines of JSON Lines, each cut one character past the size limit.

    A line that long is refused as too large when it is parsed; the rest of it is
    skipped here without being held.

    Raises:
        Refused: the input is not UTF-8.
    """
    while line := _line(stream, name):
        if len(line) > MAX_DOCUMENT_BYTES and not line.endswith("\n"):
            while (more := _line(stream, name)) and not more.endswith("\n"):
                pass
        yield line


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
