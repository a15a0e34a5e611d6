"""The results sheet for the village affairs board (公示): one A4 page per session, in HTML.

``zhiping evaluate --format html`` writes it. The document is self-contained: inline CSS,
no script, no external resource, so that it prints the same anywhere (a browser's
"print to PDF", headless Chromium). Each session is one village's evaluation and gets
its own page (``@page`` A4, a page break between pages), in the chosen language:

- the village's name and division code, the year (and quarter), the session's date and
  id, and its status; for a void session, why it is void (the violations' messages);
- for the party organization and each cadre: the count of each answer of the tally
  scale, abstentions, invalid votes and valid votes, the grade and the actions;
- the packs applied, and the store's checkpoint ``SIZE:HASH`` when the results were
  recorded, so that anyone can later check that the records were not rewritten
  (``zhiping store verify --checkpoint``).

What is posted is public, so the sheet gives counts only, never a ballot, and leaves
performance pay off: pay is personal (the CSV table and the outcome document carry it
for the township).

The markup is in Jinja2 templates shipped with the package (``templates/results_sheet/``:
``head.html`` with ``style.css``, ``page.html``, ``tail.html``), rendered with autoescape on,
so that everything taken from a document is HTML-escaped, and with ``StrictUndefined``, so
that a name missing from a template's context is an error rather than an empty cell. This
module only works out the plain text each cell shows.

The document is written in pieces, :func:`sheet_head`, one :func:`sheet_page` per
session and :func:`sheet_tail`, so that a stream of sessions is written as it is
evaluated; :func:`results_sheet` yields all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
from jinja2 import Environment, PackageLoader, StrictUndefined

from zhiping._version import __version__
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session
from zhiping.documents.vocabulary import Vocabulary
from zhiping.glossary import Lang, Text, name_of
from zhiping.packs.registry import PackRegistry, default_registry

__all__ = ["results_sheet", "sheet_head", "sheet_page", "sheet_tail"]

Result = tuple[Session, Outcome | Mapping[str, Any]]
"""A session and its outcome, as an :class:`Outcome` or as its ``zhiping.outcome/1`` data."""

_LABELS = {
    "title": Text(
        zh="村干部群众直评结果公示", en="Results of the direct evaluation of village cadres"
    ),
    "village": Text(zh="村", en="Village"),
    "code": Text(zh="区划代码", en="Division code"),
    "year": Text(zh="年度", en="Year"),
    "quarter": Text(zh="季度", en="Quarter"),
    "held_on": Text(zh="直评会日期", en="Session held on"),
    "session": Text(zh="会议编号", en="Session"),
    "status": Text(zh="结果", en="Status"),
    "valid": Text(zh="有效", en="valid"),
    "void": Text(zh="无效，须重新召开", en="void: the session must be held again"),
    "void_reasons": Text(zh="无效原因", en="Why the session is void"),
    "void_note": Text(
        zh="本次直评无效，须重新召开：下列票数不评定等次，不产生任何处理。",
        en="The session is void and must be held again: the counts below give no grade and "
        "no action.",
    ),
    "subject": Text(zh="测评对象", en="Subject"),
    "posts": Text(zh="职务", en="Posts"),
    "valid_votes": Text(zh="有效票", en="Valid votes"),
    "grade": Text(zh="等次", en="Grade"),
    "actions": Text(zh="处理", en="Actions"),
    "not_eligible": Text(zh="不参评", en="not evaluated"),
    "packs": Text(zh="适用规则包", en="Rule packs"),
    "checkpoint": Text(
        zh="记录库校验点（本村结果记录后）",
        en="Store checkpoint (after these results were recorded)",
    ),
    "privacy": Text(
        zh="本表只公布计票结果，不含任何个人选票；绩效报酬属个人信息，不在公示之列。",
        en="Only the counts are posted, never a ballot; performance pay is personal and is "
        "not posted.",
    ),
}

_NAME_SEPARATOR = Text(zh="、", en=", ")
_COLON = Text(zh="：", en=": ")
_NO_GRADE = "—"

_TEMPLATES = Environment(
    loader=PackageLoader("zhiping.outputs", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
"""The templates of ``zhiping/outputs/templates``, read from the installed package."""


@attrs.frozen
class _Row:
    """The text of each cell of a subject's row, before escaping."""

    name: str
    posts: str
    counts: tuple[str, ...]
    valid_votes: str
    grade: str
    actions: str


def results_sheet(
    results: Iterable[Result],
    lang: Lang,
    checkpoint: str | None = None,
    *,
    registry: PackRegistry | None = None,
) -> Iterator[str]:
    """Yield the results sheet of some sessions as one HTML document, piece by piece.

    Args:
        results: each session with its outcome (an :class:`Outcome` or its document);
            taken lazily, one page at a time.
        lang: the language of the sheet, ``zh`` or ``en``.
        checkpoint: the store's checkpoint ``SIZE:HASH`` after all the sessions were
            recorded, printed on every page; None when they were not recorded.
        registry: the packs whose words (grades, ballot words, actions) the sheet
            prints, for each outcome's chain; by default the installed packs.

    Yields:
        The head, one page for each session, and the tail; joined, the document.
    """
    yield sheet_head(lang)
    for session, outcome in results:
        yield sheet_page(session, outcome, lang, checkpoint=checkpoint, registry=registry)
    yield sheet_tail()


def sheet_head(lang: Lang) -> str:
    """Return the start of the document: the declaration, the title, the style, ``<body>``.

    Args:
        lang: the language of the sheet.

    Returns:
        The HTML up to the first page.
    """
    return _TEMPLATES.get_template("results_sheet/head.html").render(
        html_lang="zh-CN" if lang == "zh" else "en",
        version=__version__,
        title=_LABELS["title"][lang],
    )


def sheet_tail() -> str:
    """Return the end of the document, after the last page."""
    return _TEMPLATES.get_template("results_sheet/tail.html").render()


def sheet_page(
    session: Session,
    outcome: Outcome | Mapping[str, Any],
    lang: Lang,
    *,
    checkpoint: str | None = None,
    registry: PackRegistry | None = None,
) -> str:
    """Return the page of one session: its facts, its status, a row per subject, its footer.

    Args:
        session: the session evaluated.
        outcome: its outcome, or the outcome document.
        lang: the language of the sheet.
        checkpoint: the store's checkpoint ``SIZE:HASH`` after the session was recorded;
            None when it was not recorded.
        registry: the packs whose words the page prints, for the outcome's chain; by
            default the installed packs.

    Returns:
        One ``<section class="page">`` element.
    """
    document = outcome.to_document() if isinstance(outcome, Outcome) else outcome
    scale = _scale(document)
    words = (*scale, "abstain", "invalid")
    vocabulary = (registry or default_registry()).vocabulary(document["packs"])
    return _TEMPLATES.get_template("results_sheet/page.html").render(
        labels={key: text[lang] for key, text in _LABELS.items()},
        session_id=session.id,
        heading=_heading(session, lang),
        facts=_facts(session, document, lang),
        void_reasons=_void_reasons(document, lang) if document["status"] == "void" else None,
        words=[vocabulary.name_of(word)[lang] for word in words],
        rows=[_row(session, subject, words, lang, vocabulary) for subject in document["subjects"]],
        colon=_COLON[lang],
        packs=" ► ".join(document["packs"]),
        checkpoint=checkpoint,
    )


def _heading(session: Session, lang: Lang) -> str:
    name, year, quarter = session.village.name, session.year, session.quarter
    if lang == "zh":
        period = f"{year}年度" if quarter is None else f"{year}年第{quarter}季度"
        return f"{name}{period}村干部群众直评结果公示"
    period = str(year) if quarter is None else f"{year}, quarter {quarter}"
    return f"{name}: results of the direct evaluation of village cadres, {period}"


def _facts(session: Session, document: Mapping[str, Any], lang: Lang) -> list[tuple[str, str]]:
    """Return the facts at the head of a page, each as its label and its value."""
    year = str(session.year)
    if session.quarter is not None:
        year += f" · {_LABELS['quarter'][lang]} {session.quarter}"
    facts = [
        ("village", session.village.name),
        ("code", session.village.code),
        ("year", year),
        ("held_on", session.held_on.isoformat()),
        ("status", _LABELS[document["status"]][lang]),
        ("session", session.id),
    ]
    return [(_LABELS[key][lang], value) for key, value in facts]


def _void_reasons(document: Mapping[str, Any], lang: Lang) -> list[str]:
    """Return the messages of the violations that made the session void."""
    return [
        finding["message"][lang]
        for finding in document["findings"]
        if finding["severity"] == "violation"
    ]


def _scale(document: Mapping[str, Any]) -> tuple[str, ...]:
    for subject in document["subjects"]:
        if subject["tally"] is not None:
            return tuple(word for word in subject["tally"] if word not in ("abstain", "invalid"))
    return ()


def _row(
    session: Session,
    subject: Mapping[str, Any],
    words: tuple[str, ...],
    lang: Lang,
    vocabulary: Vocabulary,
) -> _Row:
    tally: Mapping[str, int] = subject["tally"] or {}
    valid = subject["valid_votes"]
    return _Row(
        name=session.subject_name(subject["id"], lang),
        posts=_posts(session, subject["id"], lang),
        counts=tuple(str(tally.get(word, "")) for word in words),
        valid_votes="" if valid is None else str(valid),
        grade=_grade(subject, lang, vocabulary),
        actions=_actions(subject, lang, vocabulary),
    )


def _posts(session: Session, subject_id: str, lang: Lang) -> str:
    cadre = session.cadre(subject_id)
    posts = cadre.posts if cadre is not None else ()
    return _NAME_SEPARATOR[lang].join(name_of(post)[lang] for post in posts)


def _grade(subject: Mapping[str, Any], lang: Lang, vocabulary: Vocabulary) -> str:
    if subject["grade"]:
        return vocabulary.name_of(subject["grade"])[lang]
    return _NO_GRADE if subject["eligible"] else _LABELS["not_eligible"][lang]


def _actions(subject: Mapping[str, Any], lang: Lang, vocabulary: Vocabulary) -> str:
    kinds = (a["kind"] for a in subject["actions"])
    return _NAME_SEPARATOR[lang].join(vocabulary.name_of(kind)[lang] for kind in kinds)
