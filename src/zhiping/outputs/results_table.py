"""The results as a spreadsheet: one CSV row for each subject of each session.

``zhiping evaluate --format csv`` writes this table. Its columns have stable English
ids, whatever ``--lang`` says; only the values of the ``*_name`` and ``*_names``
columns and of ``void_reasons`` are in the chosen language. A row per subject means
one shape for every session, so that a district's table filters, sorts and pivots:

- the session: ``session_id``, ``village_code``, ``village_name``, ``year``,
  ``quarter`` (empty unless the session is quarterly), ``held_on``, ``status``
  (``valid`` or ``void``), ``status_name``, ``void_reasons`` (the violations' messages),
  ``packs`` (the chain applied, root first);
- the subject: ``subject_id``, ``subject_kind`` (``organization`` or ``cadre``),
  ``subject_name``, ``posts``, ``post_names``, ``eligible`` (``true`` or ``false``);
- the count: ``tally_<word>`` for each answer word (the words of every installed scale,
  :func:`answer_words`; a word not on the session's scale is left empty),
  ``tally_abstain``, ``tally_invalid``, ``valid_votes``;
- the result: ``grade``, ``grade_name``, ``pay_amount`` (yuan), ``pay_figures`` (the
  exact figures whose product, rounded half-up to the fen, is the amount:
  ``10000.00 × 1.125`` for performance pay × coefficient, ``500.00 × 3`` for an amount
  per month × the months), ``actions``, ``action_names``.

A void session keeps its rows: its tallies are shown as counted (as in the outcome
document), ``void_reasons`` says why it is void on each row, and ``grade``,
``pay_amount``, ``pay_figures`` and ``actions`` are empty, since nothing is applied from
it. Lists of ids are joined with ``;``; lists of names with ``、`` in Chinese and ``; `` in English.

A spreadsheet takes a cell that begins with ``=``, ``+``, ``-`` or ``@`` for a formula,
and a village or a cadre may be named ``=HYPERLINK(…)``. Following OWASP's advice on CSV
injection, every such cell, and every cell that begins with a tab or a carriage return,
is written with a ``'`` before it (:func:`neutralised`): Excel and WPS then show it as
text. A cell that is a plain number (``-3``, ``12.50``) is left as it is. With
``bom=True`` the table begins with a UTF-8 byte order mark, by which Excel knows the
encoding.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from zhiping.documents.outcome import Outcome, pay_figures
from zhiping.documents.session import Session
from zhiping.documents.vocabulary import Vocabulary
from zhiping.glossary import Lang, Text, name_of
from zhiping.packs.registry import PackRegistry, default_registry

__all__ = [
    "RATING_WORDS",
    "answer_words",
    "neutralised",
    "table_columns",
    "table_rows",
    "write_results_table",
]

RATING_WORDS: tuple[str, ...] = (
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
    "competent",
    "basically_competent",
    "incompetent",
)
"""The ballot words of the glossary, in its order: the answer columns every table has."""

_SESSION_COLUMNS = (
    "session_id",
    "village_code",
    "village_name",
    "year",
    "quarter",
    "held_on",
    "status",
    "status_name",
    "void_reasons",
    "packs",
)
_SUBJECT_COLUMNS = (
    "subject_id",
    "subject_kind",
    "subject_name",
    "posts",
    "post_names",
    "eligible",
)
_RESULT_COLUMNS = (
    "grade",
    "grade_name",
    "pay_amount",
    "pay_figures",
    "actions",
    "action_names",
)

_NAME_SEPARATOR = Text(zh="、", en="; ")
_REASON_SEPARATOR = Text(zh="；", en="; ")
_ID_SEPARATOR = ";"

Result = tuple[Session, Outcome | Mapping[str, Any]]
"""A session and its outcome, as an :class:`Outcome` or as its ``zhiping.outcome/1`` data."""


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralised(cell: str) -> str:
    """Return a cell as a spreadsheet must show it: as text, never as a formula.

    A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    ``'`` before it, unless it is a plain number.

    Examples:
        ``=1+1`` → ``'=1+1``; ``@SUM(A1)`` → ``'@SUM(A1)``; ``-3`` → ``-3``.
    """
    if cell.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def answer_words(registry: PackRegistry) -> tuple[str, ...]:
    """Return the answer words a table needs columns for under the installed packs.

    The glossary's ballot words come first, in its order, then any other word that a
    pack's tally scale uses (in any of its dated values), sorted; so the columns do not
    depend on the order in which packs were registered.

    Args:
        registry: the installed packs and mechanisms.

    Returns:
        The words, each once.
    """
    tallying = {
        rule.id
        for pack in registry.packs.values()
        for rule in pack.rules
        if rule.mechanism is not None
        and (found := registry.mechanisms.get(rule.mechanism)) is not None
        and found.stage == "tally"
        and "scale" in found.parameters
    }
    words: set[str] = set()
    for pack in registry.packs.values():
        for rule_id in tallying:
            parameter = pack.parameters.get(f"{rule_id}.scale")
            if parameter is None:
                continue
            for dated in parameter.values:
                if isinstance(dated.value, tuple):
                    words.update(str(word) for word in dated.value)
    return (*RATING_WORDS, *sorted(words - set(RATING_WORDS)))


def table_columns(answers: Iterable[str] = RATING_WORDS) -> tuple[str, ...]:
    """Return the column ids of the table, in order.

    Args:
        answers: the answer words that get a ``tally_<word>`` column.

    Returns:
        The ids, the header row of the CSV.
    """
    counts = (*(f"tally_{word}" for word in answers), "tally_abstain", "tally_invalid")
    return (
        *_SESSION_COLUMNS,
        *_SUBJECT_COLUMNS,
        *counts,
        "valid_votes",
        *_RESULT_COLUMNS,
    )


def table_rows(
    session: Session,
    outcome: Outcome | Mapping[str, Any],
    lang: Lang,
    *,
    answers: Iterable[str] = RATING_WORDS,
    registry: PackRegistry | None = None,
) -> Iterator[dict[str, str]]:
    """Yield one row for each subject of a session: the organization, then each cadre.

    Args:
        session: the session evaluated.
        outcome: its outcome, or the outcome document.
        lang: the language of the ``*_name`` columns and of ``void_reasons``.
        answers: the answer words that have a column.
        registry: the packs whose words the ``grade_name`` and ``action_names`` cells
            are in, for the outcome's chain; by default the installed packs.

    Yields:
        Each row, keyed by the column ids of :func:`table_columns`; every value a string.

    Raises:
        ValueError: the outcome counts a word that ``answers`` has no column for.
    """
    document = outcome.to_document() if isinstance(outcome, Outcome) else outcome
    columns = tuple(answers)
    head = _session_cells(session, document, lang)
    vocabulary = (registry or default_registry()).vocabulary(document["packs"])
    for subject in document["subjects"]:
        yield {
            **head,
            **_subject_cells(session, subject, lang),
            **_count_cells(subject, columns),
            **_result_cells(subject, lang, vocabulary),
        }


def write_results_table(
    results: Iterable[Result],
    out: IO[str],
    lang: Lang,
    *,
    answers: Iterable[str] = RATING_WORDS,
    registry: PackRegistry | None = None,
    bom: bool = False,
) -> None:
    """Write the header, then the rows of each session as it comes, as CSV.

    The rows follow ``results`` lazily, so a stream of sessions is written as it is
    evaluated. Open a file for it with ``newline=""``, as for any :mod:`csv` writer.

    Args:
        results: each session with its outcome (an :class:`Outcome` or its document).
        out: where to write.
        lang: the language of the ``*_name`` columns and of ``void_reasons``.
        answers: the answer words that get a column; :func:`answer_words` gives those
            of the installed packs.
        registry: the packs whose words the ``*_names`` cells are in; by default the
            installed packs.
        bom: begin with a byte order mark (U+FEFF), for Excel.

    Every cell is :func:`neutralised`.

    Raises:
        ValueError: an outcome counts a word that ``answers`` has no column for.
    """
    columns = tuple(answers)
    if bom:
        out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=table_columns(columns))
    writer.writeheader()
    for session, outcome in results:
        writer.writerows(
            {key: neutralised(cell) for key, cell in row.items()}
            for row in table_rows(session, outcome, lang, answers=columns, registry=registry)
        )


def _session_cells(session: Session, document: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    status: str = document["status"]
    reasons = [
        finding["message"][lang]
        for finding in document["findings"]
        if finding["severity"] == "violation"
    ]
    return {
        "session_id": session.id,
        "village_code": session.village.code,
        "village_name": session.village.name,
        "year": str(session.year),
        "quarter": "" if session.quarter is None else str(session.quarter),
        "held_on": session.held_on.isoformat(),
        "status": status,
        "status_name": name_of(status)[lang],
        "void_reasons": _REASON_SEPARATOR[lang].join(reasons),
        "packs": _ID_SEPARATOR.join(document["packs"]),
    }


def _subject_cells(session: Session, subject: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    subject_id: str = subject["id"]
    cadre = session.cadre(subject_id)
    posts: tuple[str, ...] = cadre.posts if cadre is not None else ()
    return {
        "subject_id": subject_id,
        "subject_kind": subject["kind"],
        "subject_name": session.subject_name(subject_id, lang),
        "posts": _ID_SEPARATOR.join(posts),
        "post_names": _NAME_SEPARATOR[lang].join(name_of(post)[lang] for post in posts),
        "eligible": "true" if subject["eligible"] else "false",
    }


def _count_cells(subject: Mapping[str, Any], answers: tuple[str, ...]) -> dict[str, str]:
    tally: Mapping[str, int] | None = subject["tally"]
    if tally is None:
        empty = (*answers, "abstain", "invalid")
        return {**{f"tally_{word}": "" for word in empty}, "valid_votes": ""}
    missing = sorted(set(tally) - {*answers, "abstain", "invalid"})
    if missing:
        raise ValueError(f"subject {subject['id']}: no column for the answer words {missing}")
    cells = {f"tally_{word}": str(tally[word]) if word in tally else "" for word in answers}
    return {
        **cells,
        "tally_abstain": str(tally["abstain"]),
        "tally_invalid": str(tally["invalid"]),
        "valid_votes": str(subject["valid_votes"]),
    }


def _result_cells(subject: Mapping[str, Any], lang: Lang, vocabulary: Vocabulary) -> dict[str, str]:
    grade: str | None = subject["grade"]
    pay: Mapping[str, Any] | None = subject["pay"]
    kinds = [action["kind"] for action in subject["actions"]]
    return {
        "grade": grade or "",
        "grade_name": vocabulary.name_of(grade)[lang] if grade else "",
        "pay_amount": pay["amount"] if pay else "",
        "pay_figures": pay_figures(pay) if pay else "",
        "actions": _ID_SEPARATOR.join(kinds),
        "action_names": _NAME_SEPARATOR[lang].join(
            vocabulary.name_of(kind)[lang] for kind in kinds
        ),
    }
