"""The FastAPI application: routes, error handlers, the OpenAPI document.

Routes that only read are plain ``def`` functions, which FastAPI runs in its thread
pool; routes that take a body read it here, bounded (:mod:`zhiping.serve._body`), then
hand the blocking work to the thread pool with ``run_in_threadpool``. Nothing blocks the
event loop.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, Query, Request
from fastapi import Path as PathParameter
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware

from zhiping._version import __version__
from zhiping.documents.compact import CompactOutcomeDocument, OutcomeVersion, TraceLevel
from zhiping.documents.outcome import OutcomeDocument
from zhiping.documents.session import Session
from zhiping.errors import InputError, Problem, ZhipingError
from zhiping.glossary import Text
from zhiping.packs.registry import default_registry
from zhiping.serve._body import read_json_body
from zhiping.serve._errors import as_problem, validation_problem
from zhiping.serve._problems import HttpProblem, problem_response
from zhiping.serve._service import Service, session_url
from zhiping.serve._tokens import Tokens, read_tokens
from zhiping.store import Store

__all__ = ["CONFIG_VARIABLE", "allowed_origin", "app_from_environment", "create_app"]

CONFIG_VARIABLE = "ZHIPING_SERVE_CONFIG"
"""The environment variable through which ``zhiping serve --workers N`` hands each worker
process its options (a JSON object: ``store``, ``tokens``, ``allow_origins``)."""

BOARD = Path(__file__).parent / "board"
"""The public results board's static files, when they are installed."""

_log = logging.getLogger("zhiping.serve")

Authorization = Annotated[str | None, Header(include_in_schema=False)]

# A query parameter arrives as text: Literal[1, 2] would refuse "2" in strict mode.
Version = Annotated[int, Query(ge=1, le=2, description="1: zhiping.outcome/1; 2: the compact /2")]


def create_app(
    *,
    store: str | Path | None = None,
    tokens: Tokens | None = None,
    board: Path = BOARD,
    allow_origins: Iterable[str] = (),
) -> FastAPI:
    """Return the application; the packs are discovered now, the store opened at startup.

    Args:
        store: the records store's file, or None to serve without one.
        tokens: who may write; nobody when None.
        board: the results board's folder, served at ``/`` and ``/board/`` if it exists.
        allow_origins: the origins (``https://host[:port]``, or ``*`` for any) whose
            browser pages may call the API (CORS); none when empty.

    Raises:
        InputError: an origin that is neither ``*`` nor ``scheme://host[:port]``.
    """
    origins = [allowed_origin(origin) for origin in allow_origins]
    service = Service(registry=default_registry(), tokens=tokens or Tokens())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            service.store = await run_in_threadpool(Store, store)
        try:
            yield
        finally:
            if service.store is not None:
                await run_in_threadpool(service.store.close)

    app = FastAPI(
        title="zhiping",
        version=__version__,
        summary="The direct evaluation of village cadres by the people (直评村官), over HTTP",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: a public service loads
        # nothing from another site. /openapi.json is there for any viewer.
        docs_url=None,
        redoc_url=None,
    )
    _add_handlers(app)
    if origins:
        _allow_origins(app, origins)
    _add_writing(app, service)
    _add_reading(app, service)
    _add_board(app, board)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app


def app_from_environment() -> FastAPI:
    """Return the application from the options in ``ZHIPING_SERVE_CONFIG`` (a worker's)."""
    options = json.loads(os.environ.get(CONFIG_VARIABLE, "{}"))
    tokens = read_tokens(options["tokens"]) if options.get("tokens") else None
    return create_app(
        store=options.get("store"), tokens=tokens, allow_origins=options.get("allow_origins", ())
    )


# An origin as a browser sends it (RFC 6454): a scheme, a host (a name in ASCII, as IDNA
# spells it, or an IPv6 address in brackets) and a port, nothing else.
_ORIGIN = re.compile(
    r"(?P<scheme>https?)://"
    r"(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def allowed_origin(value: str) -> str:
    """Return an origin as a browser sends it (lower case, no default port), or ``*``.

    Raises:
        InputError: ``value`` is neither ``*`` nor ``scheme://host[:port]`` with the scheme
            ``http`` or ``https`` (no path, not even ``/``; a Chinese host name in its
            ``xn--`` form).
    """
    if value == "*":
        return value
    found = _ORIGIN.fullmatch(value.lower())
    if found is None or (found["port"] is not None and not 0 < int(found["port"]) < 65536):
        raise InputError(
            [
                Problem(
                    "allow_origins",
                    Text(
                        zh=(
                            f"{value!r} 不是来源:应为 scheme://host[:port],如 "
                            "https://xz.example.gov.cn 或 http://localhost:5173(不带路径),"
                            "或 * 表示任何来源"
                        ),
                        en=(
                            f"{value!r} is not an origin: scheme://host[:port], such as "
                            "https://xz.example.gov.cn or http://localhost:5173 (no path), "
                            "or * for any origin"
                        ),
                    ),
                )
            ]
        )
    origin = f"{found['scheme']}://{found['host']}"
    port = None if found["port"] is None else int(found["port"])
    return origin if port in (None, _DEFAULT_PORTS[found["scheme"]]) else f"{origin}:{port}"


def _allow_origins(app: FastAPI, origins: list[str]) -> None:
    # Tokens travel in the Authorization header, never in cookies: no credentials mode,
    # so that even "*" lets a page of another site use only a token it was given.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["Location", "X-Zhiping-Checkpoint"],
        allow_credentials=False,
        max_age=600,
    )


def _add_handlers(app: FastAPI) -> None:
    @app.exception_handler(HttpProblem)
    async def answer_problem(_: Request, problem: HttpProblem) -> Response:
        return problem_response(problem)

    # Registered apart from Exception: Starlette answers those in its outermost layer and
    # then raises them again, to be logged as faults; these are answers, not faults.
    @app.exception_handler(ZhipingError)
    async def answer_error(_: Request, error: ZhipingError) -> Response:
        return problem_response(as_problem(error))

    @app.exception_handler(RequestValidationError)
    async def answer_validation(_: Request, error: RequestValidationError) -> Response:
        return problem_response(validation_problem(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def answer_http(_: Request, error: StarletteHTTPException) -> Response:
        return problem_response(as_problem(error))

    @app.exception_handler(Exception)
    async def answer_anything(request: Request, error: Exception) -> Response:
        problem = as_problem(error)
        if problem.status >= 500:
            # The kind of fault and where, never the request's body or headers.
            _log.error("%s %s: %s", request.method, request.url.path, type(error).__name__)
        return problem_response(problem)


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=headers)


_SESSION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Session"}}},
    }
}

_OUTCOME: dict[int | str, dict[str, Any]] = {200: {"model": OutcomeDocument}}


def _add_writing(app: FastAPI, service: Service) -> None:
    @app.post("/evaluate", openapi_extra=_SESSION_BODY, responses=_OUTCOME, tags=["evaluate"])
    async def evaluate(
        request: Request,
        pack: str | None = None,
        trace: TraceLevel = "full",
        outcome_version: Version = 1,
    ) -> Response:
        """Evaluate a session document as given; nothing is recorded."""
        body = await read_json_body(request)
        version: OutcomeVersion = 2 if outcome_version == 2 else 1
        outcome = await run_in_threadpool(
            service.evaluate, body, pack=pack, trace=trace, version=version
        )
        return _json(outcome)

    @app.post("/sessions", openapi_extra=_SESSION_BODY, status_code=201, tags=["record"])
    async def record(
        request: Request,
        authorization: Authorization = None,
        pack: str | None = None,
        trace: TraceLevel = "full",
        outcome_version: Version = 1,
    ) -> Response:
        """Evaluate a session against the record and record it (a token covering its village).

        ``outcome_version=2`` with ``trace=decisions|none`` answers with the compact outcome;
        the store keeps the whole one.
        """
        token = service.writer(authorization)
        body = await read_json_body(request)
        version: OutcomeVersion = 2 if outcome_version == 2 else 1
        recorded = await run_in_threadpool(
            service.record, body, token, pack=pack, trace=trace, version=version
        )
        location = {"Location": session_url(recorded["session"])}
        return _json(recorded, 201 if recorded["written"] else 200, location)

    @app.post("/sessions/{session_id:path}/amendments", status_code=201, tags=["record"])
    async def amend(
        session_id: str,
        request: Request,
        authorization: Authorization = None,
        pack: str | None = None,
    ) -> Response:
        """Record a corrected document, ``{"document": …, "reason": …}``, as a new revision."""
        token = service.writer(authorization)
        body = await read_json_body(request)
        recorded = await run_in_threadpool(service.amend, session_id, body, token, pack=pack)
        return _json(recorded, 201 if recorded["written"] else 200)

    @app.post("/sessions/{session_id:path}/commitments/{inquiry}/fulfilment", tags=["record"])
    async def fulfil(
        session_id: str, inquiry: str, request: Request, authorization: Authorization = None
    ) -> Response:
        """Record that a commitment was kept: ``{"fulfilled_on": "YYYY-MM-DD"}``."""
        token = service.writer(authorization)
        body = await read_json_body(request)
        return _json(await run_in_threadpool(service.fulfil, session_id, inquiry, body, token))


def _add_reading(app: FastAPI, service: Service) -> None:
    @app.get("/sessions", tags=["read"])
    def sessions(
        village: Annotated[str | None, Query(pattern=r"^[0-9]{12}$")] = None,
        year: Annotated[int | None, Query(ge=1949, le=9999)] = None,
        prefix: Annotated[str | None, Query(pattern=r"^[0-9]{0,12}$")] = None,
        status: Literal["valid", "void"] | None = None,
        after: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        """List recorded sessions (latest revisions) by id, as the results board shows them."""
        page = service.sessions(
            village=village, year=year, prefix=prefix, status=status, after=after, limit=limit
        )
        return _json(page)

    # Before /sessions/{id}: an id may hold a slash (percent-encoded, decoded before routing).
    @app.get("/sessions/{session_id:path}/sheet", response_class=HTMLResponse, tags=["read"])
    def sheet(session_id: str, lang: Literal["zh", "en"] = "zh") -> Response:
        """Return the printable results sheet, with the checkpoint of its recording."""
        page, checkpoint = service.sheet(session_id, lang)
        return HTMLResponse(page, headers={"X-Zhiping-Checkpoint": checkpoint})

    @app.get("/sessions/{session_id:path}", tags=["read"])
    def session(session_id: str, authorization: Authorization = None) -> Response:
        """Return a recorded session; its pay and document only with a token for its village."""
        return _json(service.session(session_id, service.token(authorization)))

    @app.get("/villages/{village_code}/history", tags=["read"])
    def history(village_code: Annotated[str, PathParameter(pattern=r"^[0-9]{12}$")]) -> Response:
        """Return a village's grades by period and its open commitments."""
        return _json(service.history(village_code))

    @app.get("/packs", tags=["packs"])
    def packs() -> Response:
        """List the installed packs."""
        return _json(service.packs())

    @app.get("/packs/{name}", tags=["packs"])
    def pack(name: str) -> Response:
        """Return a pack's chain, words, and parameters with their dates and citations."""
        return _json(service.pack(name))

    @app.get("/schemas/{document}", tags=["packs"])
    def schema(
        document: Literal["session", "outcome"],
        pack: str | None = None,
        outcome_version: Version = 1,
    ) -> Response:
        """Return a document's JSON Schema, as ``zhiping schema`` prints it."""
        return _json(service.schema(document, pack=pack, version=outcome_version))

    @app.get("/store/checkpoint", tags=["store"])
    def checkpoint() -> Response:
        """Return the head of the audit chain, ``SIZE:HASH``."""
        return _json(service.checkpoint())

    @app.get("/store/verify", tags=["store"])
    def verify(checkpoint: Annotated[str | None, Query(max_length=100)] = None) -> Response:
        """Recompute the audit chain and every outcome; against an earlier checkpoint if given."""
        return _json(service.verify(checkpoint))


def _add_board(app: FastAPI, board: Path) -> None:
    index = board / "index.html"
    if not index.is_file():
        return

    @app.get("/", include_in_schema=False)
    def board_page() -> Response:
        return FileResponse(index, media_type="text/html")

    app.mount("/board", StaticFiles(directory=board), name="board")


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """Return the function that builds the OpenAPI document, with the document models."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            for model in (Session, OutcomeDocument, CompactOutcomeDocument):
                generated = model.model_json_schema(
                    by_alias=True, ref_template="#/components/schemas/{model}"
                )
                schemas.update(generated.pop("$defs", {}))
                schemas[model.__name__] = generated
            app.openapi_schema = spec
        return app.openapi_schema

    return openapi
