"""The largest inputs zhiping accepts, so that no document can exhaust memory or time.

Each limit is far above what a real village meeting produces (a few hundred evaluators,
a dozen cadres) and far below what would strain a small server. A document over a limit
is refused with an :class:`~zhiping.errors.InputError` naming the limit, before it is
parsed into models; nothing is evaluated or recorded. ``docs/reliability.md`` lists them
with the figures measured.
"""

from __future__ import annotations

__all__ = [
    "MAX_BALLOTS",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_STRING_LENGTH",
]

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""The largest session or history document, in bytes of UTF-8 (16 MiB).

A district-sized JSON Lines file is read line by line: the limit is per document.
"""

MAX_DEPTH = 16
"""The deepest nesting of arrays and objects; the session document needs 5."""

MAX_STRING_LENGTH = 10_000
"""The longest string, in characters: room for a long inquiry or a commitment's text."""

MAX_INTEGER_DIGITS = 15
"""The most digits of an integer; counts and years need far fewer, money is a string."""

MAX_BALLOTS = 20_000
"""The most ballots of one session: cast ballots, or the ballots one subject's counts add to."""
