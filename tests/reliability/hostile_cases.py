"""What a hostile input is: a case to feed zhiping, and the valid document it is damaged from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reliability.strict_json import not_strict_json

Expect = Literal["reject", "accept", "either"]


@dataclass
class Case:
    """One hostile input.

    Attributes:
        category: where it came from.
        label: what it is, in a few words.
        data: the file's bytes (empty for big cases, written to ``file`` instead).
        expect: ``reject`` (must be refused), ``accept`` (a valid control) or ``either``.
        why: why it must be refused.
        document: for the kit's documents, the decoded object, also given as such.
        file: for big cases, the file it was written to.
        key: for big cases, the short name of its memory figures.
    """

    category: str
    label: str
    data: bytes = b""
    expect: Expect = "reject"
    why: str = ""
    document: Any = None
    file: Path | None = None
    key: str = ""


@dataclass(frozen=True)
class Base:
    """A valid document that the byte-level damage starts from.

    Attributes:
        name: what it is.
        text: its JSON text, as a frontend would send it.
        document: its decoded object.
    """

    name: str
    text: str
    document: dict[str, Any]


def damaged(category: str, label: str, data: bytes) -> Case:
    """Return a case of damaged bytes: to be refused unless they are still strict JSON."""
    why = not_strict_json(data)
    return Case(category, label, data, "reject" if why else "either", why=why)


def encoded(document: Any) -> bytes:
    """Return a document's JSON text, as bytes."""
    return json.dumps(document, ensure_ascii=False, default=str).encode("utf-8")


def compact(document: Any) -> str:
    """Return a document's JSON as a frontend on a phone sends it: one line, no spaces."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
