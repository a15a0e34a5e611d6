"""The documented maximum sizes of a document, and whether a refusal names one.

The values come from ``zhiping.documents.limits`` when it exists. None: not documented yet, so
nothing is checked against it. Set a number here (or let ``zhiping.documents.limits`` provide it)
to check that a document over it is refused.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

_documented: ModuleType | None
try:  # the documented maximum sizes, once the library has them
    _documented = importlib.import_module("zhiping.documents.limits")
except ImportError:
    _documented = None

LIMITS_MODULE_EXISTS = _documented is not None
"""Whether ``zhiping.documents.limits`` exists (it may still lack some of the limits)."""
MAX_DOCUMENT_BYTES: int | None = getattr(_documented, "MAX_DOCUMENT_BYTES", None)
"""The largest session document, in bytes of JSON text."""
MAX_BALLOTS: int | None = getattr(_documented, "MAX_BALLOTS", None)
"""The most ballots a session may list in ``cast`` form."""
MAX_STRING_LENGTH: int | None = getattr(_documented, "MAX_STRING_LENGTH", None)
"""The longest string anywhere in a document (a mark has no other bound), in characters."""
MAX_DEPTH: int | None = getattr(_documented, "MAX_DEPTH", None)
"""The deepest nesting of arrays and objects, the document itself counting as 1."""
MAX_INTEGER_DIGITS: int | None = getattr(_documented, "MAX_INTEGER_DIGITS", None)
"""The most digits of an integer."""
DOCUMENTED: dict[str, int | None] = {
    "MAX_DOCUMENT_BYTES": MAX_DOCUMENT_BYTES,
    "MAX_BALLOTS": MAX_BALLOTS,
    "MAX_STRING_LENGTH": MAX_STRING_LENGTH,
    "MAX_DEPTH": MAX_DEPTH,
    "MAX_INTEGER_DIGITS": MAX_INTEGER_DIGITS,
}
"""Every limit by name, in the order the limits phase probes them."""
LIMIT_WORDS = ("limit", "at most", "maximum", "too large", "too long", "too many", "too deep")
"""A refusal names a limit when a problem says one of these, or the limit's number."""


def over_limit(limit: int | None, size: int) -> bool:
    """Return whether ``size`` is over a documented limit (never, when it is undocumented)."""
    return limit is not None and size > limit


def names_limit(messages: Iterable[str], value: int | None) -> bool:
    """Return whether a refusal names a limit: a limit word, or the limit's number."""
    numbers = {str(value), f"{value:,}", f"{value:_}"} if value else set()
    return any(
        any(word in message.lower() for word in LIMIT_WORDS) or any(n in message for n in numbers)
        for message in messages
    )
