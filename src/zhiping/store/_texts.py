"""The stored texts of a record: canonical JSON, kept zlib-compressed since schema 3.

A record's document and outcome are canonical JSON texts (:func:`canonical_json`), and
every hash the store keeps (``input_hash``, and ``document_hash`` and ``outcome_hash`` in
the audit chain) is the SHA-256 of such a text's UTF-8 bytes. Since schema 3 the store
keeps each text compressed by zlib (RFC 1950, Python's :func:`zlib.compress`), as a
BLOB; rows written before stay as TEXT and are read as they are. Compression is how a
record is kept, never what it commits to: the hashes stay over the uncompressed text.
``docs/store.md`` shows an auditor how to read a record with the sqlite3 shell and zlib.
"""

from __future__ import annotations

import json
import zlib

from zhiping.documents.compact import as_format_1
from zhiping.documents.outcome import FORMAT
from zhiping.errors import StoreError
from zhiping.store._chain import canonical_json

__all__ = ["UNREADABLE", "format_1_text", "kept", "readable", "text_of"]

UNREADABLE = "\x00unreadable"
"""What :func:`readable` gives for a stored value that is no text: it hashes to no record's hash."""


def kept(text: str) -> bytes:
    """Return how the store keeps a canonical JSON text: its UTF-8 bytes, zlib-compressed."""
    return zlib.compress(text.encode("utf-8"))


def readable(value: object, kind: str | None = None) -> str:
    """Return the text of a stored value, or :data:`UNREADABLE` when it holds none.

    A TEXT value (a row written before schema 3) is its own text; a BLOB is decompressed.
    Verification reads each value as its bytes with SQLite's ``typeof`` as ``kind``
    (``CAST(x AS BLOB)``, since a TEXT value changed by hand may be no UTF-8), so that
    nothing stored can make it raise.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, bytes):
        return UNREADABLE
    try:
        if kind == "text":
            return value.decode("utf-8")
        return _inflated(value).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return UNREADABLE


def _inflated(value: bytes) -> bytes:
    """Return the bytes a zlib stream holds; a stream cut short or followed by more is no text.

    Raises:
        zlib.error: the value is not exactly one zlib stream.
    """
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(value)
    if not inflater.eof or inflater.unused_data:
        raise zlib.error("not exactly one zlib stream")
    return inflated


def text_of(value: object, *, column: str = "text") -> str:
    """Return the text of a stored value.

    Raises:
        StoreError: the value is neither a text nor a zlib-compressed text.
    """
    text = readable(value)
    if text == UNREADABLE:
        raise StoreError(
            f"a stored {column} cannot be read: run 'zhiping store verify'",
            zh=f"记录库中的{column}无法读取:请运行 zhiping store verify",
        )
    return text


def format_1_text(value: object) -> str:
    """Return a stored outcome as the canonical text of its ``zhiping.outcome/1`` document.

    Rows of schemas 1 and 2 hold that text already and are returned as they are.

    Raises:
        StoreError: as :func:`text_of`.
    """
    text = text_of(value, column="outcome")
    document = json.loads(text)
    if document.get("format") == FORMAT:
        return text
    return canonical_json(as_format_1(document))
