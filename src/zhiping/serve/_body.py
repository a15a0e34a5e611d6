"""Reading a request's body: JSON only, and never more than the size limit.

The size is checked against ``Content-Length`` before a byte is read, and again while the
body streams in (a chunked body has no length), so that an oversized body costs the
server at most the limit in memory.
"""

from __future__ import annotations

from starlette.requests import Request

from zhiping.documents.limits import MAX_DOCUMENT_BYTES
from zhiping.errors import Problem
from zhiping.glossary import Text
from zhiping.serve._problems import HttpProblem

__all__ = ["read_json_body"]

_JSON_TYPES = ("application/json",)

_TOO_LARGE = Text(zh="请求体过大", en="request body too large")


def _too_large() -> HttpProblem:
    limit = MAX_DOCUMENT_BYTES
    return HttpProblem(
        413,
        "too-large",
        _TOO_LARGE,
        [
            Problem(
                "",
                Text(
                    zh=f"请求体超过上限 {limit} 字节(zhiping.documents.limits.MAX_DOCUMENT_BYTES)",
                    en=f"the body is over the limit of {limit} bytes "
                    "(zhiping.documents.limits.MAX_DOCUMENT_BYTES)",
                ),
            )
        ],
    )


def _json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in _JSON_TYPES or (media.startswith("application/") and media.endswith("+json"))


async def read_json_body(request: Request) -> bytes:
    """Return the body of a JSON request, at most ``MAX_DOCUMENT_BYTES`` long.

    Raises:
        HttpProblem: 415 when the body is not declared JSON, 413 when it is too large,
            400 when its length header is not a number.
    """
    if not _json_media_type(request.headers.get("content-type", "")):
        raise HttpProblem(
            415,
            "unsupported-media-type",
            Text(zh="请求体须为 JSON", en="the body must be JSON"),
            [
                Problem(
                    "",
                    Text(
                        zh="请以 Content-Type: application/json 发送文档",
                        en="send the document with Content-Type: application/json",
                    ),
                )
            ],
        )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise HttpProblem(
                400,
                "bad-request",
                Text(zh="Content-Length 不是数字", en="Content-Length is not a number"),
            )
        if int(declared) > MAX_DOCUMENT_BYTES:
            raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_DOCUMENT_BYTES:
            raise _too_large()
    return bytes(body)
