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
    "MAX_CADRES",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_ENTRIES",
    "MAX_INTEGER_DIGITS",
    "MAX_LABELS",
    "MAX_MARKS",
    "MAX_PERSONS",
    "MAX_STRING_LENGTH",
    "MAX_SUBJECTS",
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

MAX_CADRES = 200
"""The most cadres of one session; a village's leading team has about a dozen.

Each cadre is a subject of every rule, with a tally, a grade and trace entries: the
cadres, not the bytes, bound how much work a document asks for.
"""

MAX_SUBJECTS = MAX_CADRES + 1
"""The most subjects a map keyed by subject may list (the organization and the cadres):
one ballot's marks, one form of counts, one assessment's scores."""

MAX_MARKS = 100_000
"""The most marks of all cast ballots together: 2,000 ballots marking 50 subjects, or
20,000 marking five. Ballots times subjects would otherwise be four million; a larger
meeting counts its ballots on site and gives the ``counts`` form."""

MAX_PERSONS = MAX_BALLOTS
"""The most persons of one list: the party members and the representatives on the roster,
and the attendance."""

MAX_ENTRIES = 2_000
"""The most entries of the other lists of records: inquiries, vetoes, history, carried
commitments (ten years of quarterly grades of 50 subjects)."""

MAX_LABELS = 64
"""The most items of a list of words: a notice's channels and contents, a cadre's posts,
the capacities claimed, the evaluator groups, the assessments, the words of one
subject's counts."""
