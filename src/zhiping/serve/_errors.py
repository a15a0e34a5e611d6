"""Which problem answers which error: the one place that maps zhiping's errors to HTTP.

| error | status |
|---|---|
| :class:`~zhiping.errors.InputError` (a bad document or argument) | 422 |
| :class:`~zhiping.errors.NoApplicableRule` (no pack governs the village) | 422 |
| ``DocumentConflict``, ``PeriodConflict`` | 409, with ``conflict`` and ``existing_session_id`` |
| ``SessionNotFound`` | 404 |
| any other :class:`~zhiping.errors.StoreError` (an amendment of nothing, …) | 409 |
| :class:`~zhiping.errors.PackError` (an installed pack that cannot be used) | 500 |
| anything else | 500, saying nothing of the fault's internals |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException

from zhiping.errors import (
    InputError,
    NoApplicableRule,
    PackError,
    Problem,
    SessionConflict,
    StoreError,
    escape_controls,
    json_path,
)
from zhiping.glossary import Text
from zhiping.serve._problems import HttpProblem
from zhiping.store import SessionNotFound

__all__ = ["as_problem", "validation_problem"]

_INVALID = Text(zh="文件或参数有误", en="the document or its parameters are invalid")
_NOT_FOUND = Text(zh="未找到", en="not found")


def as_problem(error: BaseException) -> HttpProblem:
    """Return the problem that answers ``error``."""
    if isinstance(error, HttpProblem):
        return error
    if isinstance(error, InputError):
        return HttpProblem(422, "invalid-document", _INVALID, error.problems)
    if isinstance(error, NoApplicableRule):
        return HttpProblem(
            422, "no-applicable-rule", _INVALID, [Problem("village.code", _texts(error))]
        )
    if isinstance(error, SessionConflict):
        extra: dict[str, Any] = {
            "conflict": getattr(error, "conflict", None),
            "existing_session_id": getattr(error, "existing_session_id", None),
        }
        title = Text(zh="与已记录的直评会冲突", en="conflicts with a recorded session")
        return HttpProblem(409, "conflict", title, [Problem("", _texts(error))], extra=extra)
    if isinstance(error, SessionNotFound):
        return HttpProblem(
            404,
            "not-found",
            _NOT_FOUND,
            [Problem("", _texts(error))],
            extra={"session_id": error.session_id},
        )
    if isinstance(error, StoreError):
        title = Text(zh="记录库拒绝了此操作", en="the store refused this")
        return HttpProblem(409, "store-refused", title, [Problem("", _texts(error))])
    if isinstance(error, StarletteHTTPException):
        return _http(error)
    if isinstance(error, PackError):
        title = Text(zh="规则包无法使用", en="a rule pack cannot be used")
        return HttpProblem(500, "pack-unusable", title, [Problem("", _texts(error))])
    return HttpProblem(
        500,
        "internal",
        Text(zh="服务内部错误", en="internal error"),
        [
            Problem(
                "",
                Text(
                    zh="服务出错;请求未被执行完毕。请报告此问题。",
                    en="the server failed; the request may not have been carried out. "
                    "Please report it.",
                ),
            )
        ],
    )


def _texts(error: Any) -> Text:
    return Text(zh=error.message("zh"), en=error.message("en"))


def _http(error: StarletteHTTPException) -> HttpProblem:
    known = {
        404: Text(zh="没有这个地址", en="no such resource"),
        405: Text(zh="该地址不接受此方法", en="method not allowed here"),
    }
    text = known.get(
        error.status_code,
        Text(zh=f"HTTP 错误 {error.status_code}", en=f"HTTP error {error.status_code}"),
    )
    headers = dict(error.headers or {})
    return HttpProblem(error.status_code, "http", text, headers=headers)


def validation_problem(errors: Sequence[Any]) -> HttpProblem:
    """Return the 422 problem for FastAPI's validation errors of a request's parameters."""
    problems = []
    for error in errors:
        location = tuple(error.get("loc", ()))
        where = location[0] if location else ""
        path = json_path(tuple(location[1:])) if len(location) > 1 else ""
        message = escape_controls(str(error.get("msg", "invalid")))
        problems.append(
            Problem(
                path,
                Text(
                    zh=f"{_WHERE_ZH.get(str(where), str(where))}参数 {path} 有误:{message}",
                    en=f"{where} parameter {path}: {message}",
                ),
            )
        )
    return HttpProblem(422, "invalid-parameter", _INVALID, problems, in_body=False)


_WHERE_ZH = {"query": "查询", "path": "路径", "header": "请求头", "body": "请求体"}
