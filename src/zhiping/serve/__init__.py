"""``zhiping serve``: the library behind HTTP, for frontends in any language (DESIGN §10).

FastAPI on uvicorn, from the optional extra ``zhiping[serve]``. Stateless evaluation,
recording against the store, amendments and fulfilments, session lookup and listing,
history, the results sheet, packs, schemas, checkpoint and verify; errors as RFC 9457
problem details; writes need a bearer token scoped to division-code prefixes; public
reads never show performance pay or the persons a session document names. See
``docs/serve.md``.
"""

from __future__ import annotations

from zhiping.serve._app import create_app
from zhiping.serve._problems import json_pointer
from zhiping.serve._public import public_outcome
from zhiping.serve._tokens import Token, Tokens, read_tokens

__all__ = ["Token", "Tokens", "create_app", "json_pointer", "public_outcome", "read_tokens"]
