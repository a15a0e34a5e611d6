"""What each endpoint does, as plain blocking functions: no HTTP framework in here.

The routes (:mod:`zhiping.serve._app`) run these in a thread pool, off the event loop;
every store call takes the store's lock, so one :class:`~zhiping.store.Store` serves all
the threads of a worker. Each function returns JSON data, or raises a zhiping error or
an :class:`~zhiping.serve._problems.HttpProblem` that :func:`as_problem` answers.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal
from urllib.parse import quote

import attrs

from zhiping.documents._json import load_json
from zhiping.documents.compact import OutcomeVersion, TraceLevel
from zhiping.documents.compact import outcome_document as document_of
from zhiping.documents.session import Session, parse_session
from zhiping.engine import evaluate_chain
from zhiping.errors import InputError, PackError, Problem
from zhiping.glossary import Text
from zhiping.outputs.results_sheet import sheet_head, sheet_page, sheet_tail
from zhiping.packs.model import Chain
from zhiping.packs.registry import PackRegistry
from zhiping.serve._packs import document_schema, pack_detail, pack_summary, require_pack
from zhiping.serve._problems import HttpProblem
from zhiping.serve._public import persons_of, public_outcome
from zhiping.serve._tokens import Token, Tokens
from zhiping.store import Checkpoint, Recorded, Store, StoredSession

__all__ = ["Service", "session_url"]

_NO_STORE = Text(
    zh="本服务未打开记录库(启动时未给 --store)",
    en="this server keeps no store (it was started without --store)",
)


@attrs.define
class Service:
    """The packs, the tokens and the store one server process works with.

    Attributes:
        registry: the packs, discovered once when the server starts.
        tokens: who may write.
        store: the records store, or None when the server keeps none.
    """

    registry: PackRegistry
    tokens: Tokens
    store: Store | None = None
    # One evaluation at a time in a process: its threads share one interpreter lock, and
    # eight evaluating at once take longer in all than one after the other (they starve
    # the event loop too). Processes (--workers) evaluate in parallel.
    _evaluating: threading.Lock = attrs.field(factory=threading.Lock, init=False, repr=False)

    # Who asks

    def token(self, authorization: str | None) -> Token | None:
        """Return the token a request presents, None when it presents none.

        Raises:
            HttpProblem: 401 when the header is not a bearer token this server knows.
        """
        if authorization is None:
            return None
        scheme, _, presented = authorization.partition(" ")
        found = self.tokens.find(presented.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise _unauthorized(
                Text(zh="令牌无效", en="the bearer token is not valid"), error="invalid_token"
            )
        return found

    def writer(self, authorization: str | None) -> Token:
        """Return the token of a request that writes.

        Raises:
            HttpProblem: 401 when it presents no valid token.
        """
        token = self.token(authorization)
        if token is None:
            raise _unauthorized(
                Text(
                    zh="写入须提供令牌(Authorization: Bearer …)",
                    en="writing needs a token (Authorization: Bearer …)",
                )
            )
        return token

    # Evaluating and recording

    def evaluate(
        self, body: bytes, *, pack: str | None, trace: TraceLevel, version: OutcomeVersion
    ) -> dict[str, Any]:
        """Evaluate a session document as given, recording nothing."""
        _check_outcome_options(trace, version)
        self._require_pack(pack)
        session = parse_session(body)
        chain = self._chain(session, pack)
        with self._evaluating:
            outcome = evaluate_chain(session, chain, self.registry.mechanisms)
            return document_of(outcome, version=version, trace=trace)

    def record(
        self,
        body: bytes,
        token: Token,
        *,
        pack: str | None,
        trace: TraceLevel = "full",
        version: OutcomeVersion = 1,
    ) -> dict[str, Any]:
        """Evaluate a session document against the record, and record it.

        The answer's outcome is in format ``version`` with its trace at ``trace``; the
        store keeps the whole outcome whatever the answer carries.
        """
        _check_outcome_options(trace, version)
        store = self._store()
        self._require_pack(pack)
        session = parse_session(body)
        _require_scope(token, session.village.code)
        self._chain(session, pack)
        with self._evaluating:
            recorded = store.record(session, pack=pack, registry=self.registry)
            return _recorded_json(recorded, document_of(recorded, version=version, trace=trace))

    def amend(
        self, session_id: str, body: bytes, token: Token, *, pack: str | None
    ) -> dict[str, Any]:
        """Record a corrected document for a recorded session, with its reason."""
        store = self._store()
        self._require_pack(pack)
        data = _object(load_json(body))
        problems = []
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem("reason", _REASON_NEEDED))
        if "document" not in data:
            problems.append(Problem("document", _DOCUMENT_NEEDED))
        if problems:
            raise InputError(problems)
        try:
            session = parse_session(data["document"])
        except InputError as error:
            raise error.prefixed("document") from None
        if session.id != session_id:
            raise InputError([Problem("document.id", _other_session(session.id, session_id))])
        _require_scope(token, session.village.code)
        self._chain(session, pack)
        store.get(session_id)  # SessionNotFound: 404, before anything else is said
        assert isinstance(reason, str)
        with self._evaluating:
            recorded = store.amend(session, reason=reason, pack=pack, registry=self.registry)
            return _recorded_json(recorded)

    def fulfil(self, session_id: str, inquiry: str, body: bytes, token: Token) -> dict[str, Any]:
        """Record that the commitment answering an inquiry of a session was kept."""
        store = self._store()
        data = _object(load_json(body))
        fulfilled_on = _iso_date(data.get("fulfilled_on"))
        _require_scope(token, store.get(session_id).summary.village_code)
        store.fulfil(session_id, inquiry, fulfilled_on)
        return {
            "session": session_id,
            "inquiry": inquiry,
            "fulfilled_on": fulfilled_on.isoformat(),
            "checkpoint": str(store.checkpoint()),
        }

    # Reading

    def session(self, session_id: str, token: Token | None) -> dict[str, Any]:
        """Return a recorded session: public, or whole for a token covering its village."""
        store = self._store()
        found = store.get(session_id)
        whole = token is not None and token.covers(found.summary.village_code)
        shown: dict[str, Any] = {
            **found.summary.to_json(),
            "village_name": found.document.get("village", {}).get("name"),
            "reason": found.reason,
            "event": found.event,
            "engine": found.engine,
            "packs": list(found.packs),
            "checkpoint": str(store.checkpoint_at(found.event)),
            "sheet": session_url(session_id, "/sheet"),
            "public": not whole,
        }
        if whole:
            shown |= {"outcome": found.outcome, "document": found.document}
        else:
            shown["outcome"] = public_outcome(found.outcome, persons_of(found.document))
        return shown

    def sessions(
        self,
        *,
        village: str | None,
        year: int | None,
        prefix: str | None,
        status: Literal["valid", "void"] | None,
        after: str | None,
        limit: int,
    ) -> dict[str, Any]:
        """Return a page of recorded sessions as the results board shows them."""
        store = self._store()
        page = store.list(
            village=village, year=year, prefix=prefix, status=status, after=after, limit=limit
        )
        items = [_board_item(store, store.get(summary.session)) for summary in page]
        return {"items": items, "next": page[-1].session if len(page) == limit else None}

    def sheet(self, session_id: str, lang: Literal["zh", "en"]) -> tuple[str, str]:
        """Return a recorded session's results sheet (HTML) and its checkpoint."""
        store = self._store()
        found = store.get(session_id)
        checkpoint = str(store.checkpoint_at(found.event))
        session = parse_session(found.document)
        page = sheet_page(
            session, found.outcome, lang, checkpoint=checkpoint, registry=self.registry
        )
        return sheet_head(lang) + page + sheet_tail(), checkpoint

    def history(self, village_code: str) -> dict[str, Any]:
        """Return a village's grades by period, and its open commitments."""
        store = self._store()
        return {
            "village_code": village_code,
            "grades": [
                {
                    "subject": entry.subject,
                    "year": entry.year,
                    "quarter": entry.quarter,
                    "grade": entry.grade,
                }
                for entry in store.history(village_code)
            ],
            "open_commitments": [
                {
                    "to": commitment.to,
                    "text": commitment.text,
                    "due": commitment.due.isoformat(),
                    "year": commitment.year,
                }
                for commitment in store.open_commitments(village_code)
            ],
        }

    def checkpoint(self) -> dict[str, Any]:
        """Return the head of the audit chain."""
        return {"checkpoint": str(self._store().checkpoint())}

    def verify(self, checkpoint: str | None) -> dict[str, Any]:
        """Verify the store (against an earlier checkpoint, if given)."""
        store = self._store()
        earlier = None if checkpoint is None else _checkpoint(checkpoint)
        verification = store.verify(checkpoint=earlier, registry=self.registry)

        def listed(found: Any) -> list[dict[str, Any]]:
            return [{"session": d.session, **d.text.to_json()} for d in found]

        return {
            "ok": verification.ok,
            "checkpoint": str(verification.checkpoint),
            "sessions": verification.sessions,
            "tampered": listed(verification.tampered),
            "changed_packs": listed(verification.changed_packs),
            "reworded": listed(verification.reworded),
            "stale": [stale.to_json() for stale in verification.stale],
        }

    # Packs and schemas

    def packs(self) -> dict[str, Any]:
        """Return every installed pack, briefly."""
        return {"items": [pack_summary(self.registry, name) for name in self.registry.names()]}

    def pack(self, name: str) -> dict[str, Any]:
        """Return a pack: its chain, its words and every dated parameter value."""
        return pack_detail(self.registry, name)

    def schema(
        self, document: Literal["session", "outcome"], *, pack: str | None, version: int
    ) -> dict[str, Any]:
        """Return the JSON Schema of a document, as ``zhiping schema`` prints it."""
        return document_schema(self.registry, document, pack=pack, version=version)

    def _chain(self, session: Session, pack: str | None) -> Chain:
        """Return the chain that governs the session.

        The packs were all checked when the server started: a chain that cannot be had
        now is the document's doing (a date no pack is in force on, a pack forced where
        it does not apply), not a fault of the server.

        Raises:
            InputError: no chain can evaluate the session, at ``held_on``.
        """
        try:
            return self.registry.chain(session.village.code, session.held_on, pack=pack)
        except PackError as error:
            text = Text(zh=error.message("zh"), en=error.message("en"))
            raise InputError([Problem("held_on", text)]) from None

    def _require_pack(self, name: str | None) -> None:
        require_pack(self.registry, name)

    def _store(self) -> Store:
        if self.store is None:
            raise HttpProblem(404, "no-store", _NO_STORE)
        return self.store


def session_url(session_id: str, rest: str = "") -> str:
    """Return the path of a session (``/sessions/<id>``, then ``rest``), its id percent-encoded:
    an id may hold any visible character, ``/`` and Chinese ones included."""
    return f"/sessions/{quote(session_id, safe='')}{rest}"


def _board_item(store: Store, found: StoredSession) -> dict[str, Any]:
    """Return a session as the results board lists it: no pay, no person."""
    summary, outcome = found.summary, found.outcome
    return {
        "session": summary.session,
        "village_code": summary.village_code,
        "village_name": found.document.get("village", {}).get("name"),
        "year": summary.year,
        "quarter": summary.quarter,
        "held_on": summary.held_on.isoformat(),
        "status": summary.status,
        "grades": {
            subject["id"]: subject["grade"]
            for subject in outcome.get("subjects", ())
            if subject.get("grade") is not None
        },
        "void_rules": [
            finding["rule"]
            for finding in outcome.get("findings", ())
            if finding.get("severity") == "violation"
        ],
        "packs": list(outcome.get("packs", ())),
        "sheet": session_url(summary.session, "/sheet"),
        "checkpoint": str(store.checkpoint_at(found.event)),
    }


def _recorded_json(recorded: Recorded, outcome: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "session": recorded.session,
        "revision": recorded.revision,
        "checkpoint": str(recorded.checkpoint),
        "written": recorded.written,
        "stale": [stale.to_json() for stale in recorded.stale],
        "outcome": recorded.to_document() if outcome is None else outcome,
    }


def _require_scope(token: Token, village_code: str) -> None:
    """Refuse (403) a token whose prefixes do not cover the village ``village_code``."""
    if token.covers(village_code):
        return
    raise HttpProblem(
        403,
        "forbidden",
        Text(zh="令牌无权记录该村", en="the token may not record this village"),
        [
            Problem(
                "village.code",
                Text(
                    zh=f"令牌的区划前缀不包括村 {village_code}",
                    en=f"the token's division-code prefixes do not cover village {village_code}",
                ),
            )
        ],
    )


def _unauthorized(text: Text, *, error: str | None = None) -> HttpProblem:
    challenge = 'Bearer realm="zhiping"' + (f', error="{error}"' if error else "")
    return HttpProblem(401, "unauthorized", text, headers={"WWW-Authenticate": challenge})


def _check_outcome_options(trace: TraceLevel, version: OutcomeVersion) -> None:
    if trace != "full" and version != 2:
        raise InputError(
            [
                Problem(
                    "trace",
                    Text(
                        zh="zhiping.outcome/1 总含完整的决定过程:trace=decisions 或 none 须与 "
                        "outcome_version=2 同用",
                        en="zhiping.outcome/1 carries the full trace: trace=decisions or none "
                        "needs outcome_version=2",
                    ),
                )
            ]
        )


def _object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InputError([Problem("", Text(zh="应为 JSON 对象", en="must be a JSON object"))])
    return value


def _iso_date(value: Any) -> date:
    try:
        if isinstance(value, str) and len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InputError(
        [
            Problem(
                "fulfilled_on",
                Text(zh="应为日期 YYYY-MM-DD", en="must be a date, YYYY-MM-DD"),
            )
        ]
    )


def _checkpoint(text: str) -> Checkpoint:
    try:
        return Checkpoint.parse(text)
    except InputError as error:
        raise error.prefixed("checkpoint") from None


def _other_session(given: str, expected: str) -> Text:
    return Text(
        zh=f"文件是直评会 {given} 的,而不是所更正的 {expected}",
        en=f"the document is of session {given}, not of {expected} being amended",
    )


_REASON_NEEDED = Text(zh="更正须说明理由(reason)", en="an amendment needs a reason")
_DOCUMENT_NEEDED = Text(zh="须给出更正后的文件(document)", en="the corrected document is needed")
