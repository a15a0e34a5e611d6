"""Malformed and hostile requests for the server: the reliability harness's damaged
documents (``tests/reliability``), and damage only HTTP can do (content types, lengths,
chunked bodies over the limit, parameters, methods)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from reliability.hostile import hostile_cases
from reliability.hostile_cases import Case
from reliability.kit_documents import base_documents
from reliability.plan import QUICK
from serve.support import JSON
from zhiping.documents.limits import MAX_DOCUMENT_BYTES

SEED = 16

Expect = Literal["reject", "accept", "either"]


@dataclass
class Hostile:
    """One request to send.

    Attributes:
        label: what it is.
        method: the HTTP method.
        path: the path and query.
        content: the body (bytes, or an iterator of chunks for a body without a length).
        headers: the headers besides the token.
        expect: ``reject`` (a 4xx), ``accept`` (a 2xx) or ``either``.
    """

    label: str
    method: str
    path: str
    content: bytes | Iterator[bytes] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: Expect = "reject"


def document_cases() -> list[Case]:
    """The reliability harness's hostile documents (its quick plan), controls included."""
    return hostile_cases(QUICK, base_documents(), SEED)


def sampled(cases: list[Case], count: int) -> list[Case]:
    """Return ``count`` cases spread evenly over the list (every category keeps some)."""
    if count >= len(cases):
        return list(cases)
    step = len(cases) / count
    return [cases[int(index * step)] for index in range(count)]


def as_requests(cases: list[Case], path: str) -> list[Hostile]:
    """Return each case as a JSON body POSTed to ``path``.

    Recording, a valid control may meet a conflict (two drawn documents share an id):
    it is then ``either``, a 409 as good an answer as a 201.
    """

    def expected(case: Case) -> Expect:
        return "either" if path == "/sessions" and case.expect == "accept" else case.expect

    return [
        Hostile(
            f"{case.category}: {case.label}", "POST", path, case.data, dict(JSON), expected(case)
        )
        for case in cases
    ]


def _chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    yield b'{"id": "'
    sent = 8
    while sent < total:
        yield b"x" * size
        sent += size


def http_damage(valid: bytes, session: str) -> list[Hostile]:
    """Requests broken at the HTTP level; ``valid`` is a valid document of ``session``."""
    over = MAX_DOCUMENT_BYTES + 1
    text = {"Content-Type": "text/plain"}
    return [
        Hostile("no content type", "POST", "/evaluate", valid, {"Content-Type": ""}),
        Hostile("text/plain", "POST", "/evaluate", valid, text),
        Hostile(
            "form",
            "POST",
            "/evaluate",
            b"a=1",
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        Hostile("xml", "POST", "/sessions", b"<session/>", {"Content-Type": "application/xml"}),
        Hostile(
            "multipart",
            "POST",
            "/sessions",
            b"--x--",
            {"Content-Type": "multipart/form-data; boundary=x"},
        ),
        Hostile("empty body", "POST", "/evaluate", b"", dict(JSON)),
        Hostile("empty body, recording", "POST", "/sessions", b"", dict(JSON)),
        Hostile("one byte over the limit", "POST", "/evaluate", b" " * over, dict(JSON)),
        Hostile("over the limit, recording", "POST", "/sessions", b"[" * over, dict(JSON)),
        Hostile("chunked over the limit", "POST", "/evaluate", _chunks(over), dict(JSON)),
        Hostile("null", "POST", "/evaluate", b"null", dict(JSON)),
        Hostile("an array", "POST", "/evaluate", b"[]", dict(JSON)),
        Hostile("a number", "POST", "/sessions", b"1e999999", dict(JSON)),
        Hostile("NaN", "POST", "/evaluate", b"NaN", dict(JSON)),
        Hostile("deep arrays", "POST", "/evaluate", b"[" * 200_000 + b"]" * 200_000, dict(JSON)),
        Hostile(
            "deep objects",
            "POST",
            "/sessions",
            b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
            dict(JSON),
        ),
        Hostile("UTF-16", "POST", "/evaluate", valid.decode().encode("utf-16"), dict(JSON)),
        Hostile("unknown pack", "POST", "/evaluate?pack=nowhere", valid, dict(JSON)),
        Hostile("unknown trace level", "POST", "/evaluate?trace=all", valid, dict(JSON)),
        Hostile("trace level of format 1", "POST", "/evaluate?trace=none", valid, dict(JSON)),
        Hostile("outcome version 3", "POST", "/evaluate?outcome_version=3", valid, dict(JSON)),
        Hostile("valid, for control", "POST", "/evaluate", valid, dict(JSON), "accept"),
        Hostile(
            "amendment without reason",
            "POST",
            f"/sessions/{session}/amendments",
            json.dumps({"document": json.loads(valid)}).encode(),
            dict(JSON),
        ),
        Hostile(
            "amendment of a list", "POST", f"/sessions/{session}/amendments", b"[1]", dict(JSON)
        ),
        Hostile(
            "amendment with a broken document",
            "POST",
            f"/sessions/{session}/amendments",
            b'{"document": {"id": 1}, "reason": "x"}',
            dict(JSON),
        ),
        Hostile(
            "amendment of another session",
            "POST",
            "/sessions/420117101299-2025/amendments",
            json.dumps({"document": json.loads(valid), "reason": "x"}).encode(),
            dict(JSON),
        ),
        Hostile(
            "fulfilment without a date",
            "POST",
            f"/sessions/{session}/commitments/q1/fulfilment",
            b"{}",
            dict(JSON),
        ),
        Hostile(
            "fulfilment on no date",
            "POST",
            f"/sessions/{session}/commitments/q1/fulfilment",
            b'{"fulfilled_on": "2026-02-30"}',
            dict(JSON),
        ),
        Hostile(
            "fulfilment of nothing",
            "POST",
            "/sessions/nothing/commitments/q1/fulfilment",
            b'{"fulfilled_on": "2026-02-03"}',
            dict(JSON),
        ),
        Hostile("list with limit 0", "GET", "/sessions?limit=0"),
        Hostile("list with a word for a year", "GET", "/sessions?year=last"),
        Hostile("list of a status unknown", "GET", "/sessions?status=maybe"),
        Hostile("list of a prefix of letters", "GET", "/sessions?prefix=abc"),
        Hostile("a session never recorded", "GET", "/sessions/nothing"),
        Hostile("its sheet", "GET", "/sessions/nothing/sheet"),
        Hostile("a sheet in French", "GET", f"/sessions/{session}/sheet?lang=fr"),
        Hostile("history of no village code", "GET", "/villages/42/history"),
        Hostile("no such pack", "GET", "/packs/nowhere"),
        Hostile("no such schema", "GET", "/schemas/ballot"),
        Hostile("verify against garbage", "GET", "/store/verify?checkpoint=garbage"),
        Hostile("no such path", "GET", "/etc/passwd"),
        Hostile("wrong method", "DELETE", f"/sessions/{session}"),
        Hostile("wrong method, evaluate", "GET", "/evaluate"),
    ]
