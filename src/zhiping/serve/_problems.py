"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the service answers is one JSON object: ``type``, ``title``, ``status``,
``detail`` (in English), ``title_zh`` and ``detail_zh`` (the same in Chinese), and
``problems``: each thing wrong, with its JSON path (``cadres[2].id``), the same place
as an RFC 6901 JSON Pointer (``/cadres/2/id``), and the message in Chinese and English.
A conflict also carries ``conflict`` and ``existing_session_id``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.responses import JSONResponse

from zhiping.errors import Problem, escape_controls
from zhiping.glossary import Text

__all__ = ["PROBLEM_TYPE", "HttpProblem", "json_pointer", "problem_response"]

PROBLEM_TYPE = "application/problem+json"

_TYPE_BASE = "urn:zhiping:problem:"

_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]')


def json_pointer(path: str) -> str:
    """Return the RFC 6901 JSON Pointer of a JSON path: ``cadres[2].id`` → ``/cadres/2/id``.

    A path that is not one zhiping writes gives the pointer of the whole document (``""``).
    """
    tokens: list[str] = []
    position = 0
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            return ""
        name, index, quoted = step.groups()
        if quoted is not None:
            try:
                name = str(json.loads(quoted))
            except ValueError:
                return ""
        tokens.append(index if index is not None else str(name))
        position = step.end()
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


def _problem_json(problem: Problem, *, in_body: bool) -> dict[str, str]:
    return {
        "path": problem.path,
        "pointer": json_pointer(problem.path) if in_body else "",
        "zh": problem.zh,
        "en": problem.message,
    }


class HttpProblem(Exception):
    """An HTTP error answered as problem details.

    Args:
        status: the HTTP status.
        kind: the last part of the problem's ``type`` (``urn:zhiping:problem:KIND``).
        title: what kind of problem it is, in zh and en.
        problems: each thing wrong; at least the title's own when none is given.
        extra: more members of the problem object (``existing_session_id``, …).
        headers: response headers (``WWW-Authenticate``).
        in_body: whether the paths are of the request's body (they have a JSON Pointer);
            false for a query or path parameter, whose pointer is then empty.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        title: Text,
        problems: Iterable[Problem] = (),
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        in_body: bool = True,
    ) -> None:
        super().__init__(title.en)
        self.status = status
        self.kind = kind
        self.title = title
        self.problems = tuple(problems) or (Problem("", title),)
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        self.in_body = in_body

    def body(self) -> dict[str, Any]:
        """Return the problem details object."""
        first = self.problems[0]
        many = len(self.problems) > 1
        detail = Text(
            zh=f"共{len(self.problems)}处问题;首个:{first.describe('zh')}" if many else first.zh,
            en=f"{len(self.problems)} problems; the first: {first.describe('en')}"
            if many
            else first.message,
        )
        return {
            "type": _TYPE_BASE + self.kind,
            "title": self.title.en,
            "title_zh": self.title.zh,
            "status": self.status,
            "detail": escape_controls(detail.en),
            "detail_zh": escape_controls(detail.zh),
            "problems": [_problem_json(p, in_body=self.in_body) for p in self.problems],
            **self.extra,
        }


def problem_response(problem: HttpProblem) -> JSONResponse:
    """Return the response that carries ``problem``."""
    return JSONResponse(
        problem.body(),
        status_code=problem.status,
        media_type=PROBLEM_TYPE,
        headers=problem.headers,
    )
