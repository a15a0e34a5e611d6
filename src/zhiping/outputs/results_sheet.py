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
for the township). Everything taken from a document is HTML-escaped.

The document is written in pieces, :func:`sheet_head`, one :func:`sheet_page` per
session and :func:`sheet_tail`, so that a stream of sessions is written as it is
evaluated; :func:`results_sheet` yields all of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from html import escape
from typing import Any

from zhiping._version import __version__
from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session
from zhiping.glossary import Lang, Text, name_of

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
        en=(
            "The session is void and must be held again: "
            "the counts below give no grade and no action."
        ),
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
        en=(
            "Only the counts are posted, never a ballot; performance pay is personal and is "
            "not posted."
        ),
    ),
}

_NAME_SEPARATOR = Text(zh="、", en=", ")
_COLON = Text(zh="：", en=": ")
_NO_GRADE = "—"

_STYLE = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
html {
  font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC",
    "Microsoft YaHei", "PingFang SC", "Heiti SC", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #000; background: #fff;
}
body { margin: 0; }
section.page + section.page { break-before: page; page-break-before: always; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 6mm; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
  gap: 1mm 4mm; margin: 0 0 4mm; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
.void { border: 1.5pt solid #b00; padding: 2mm 4mm; margin: 0 0 4mm; }
.void p { margin: 0; font-weight: bold; }
.void ul { margin: 1mm 0 0; padding-left: 5mm; }
table.results { width: 100%; border-collapse: collapse; }
table.results tr { break-inside: avoid; }
table.results th, table.results td { border: 0.75pt solid #000; padding: 1.2mm 1.5mm; }
table.results th { background: #eee; font-weight: bold; text-align: center; }
table.results td.count { text-align: right; font-variant-numeric: tabular-nums; }
table.results td.grade { text-align: center; white-space: nowrap; }
footer { margin-top: 5mm; font-size: 9pt; }
footer p { margin: 0 0 1mm; }
.checkpoint { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt;
  white-space: nowrap; }
@media screen {
  html { background: #ddd; }
  section.page { background: #fff; width: 210mm; min-height: 297mm; box-sizing: border-box;
    margin: 8mm auto; padding: 16mm 15mm; }
}
"""


def results_sheet(
    results: Iterable[Result], lang: Lang, checkpoint: str | None = None
) -> Iterator[str]:
    """Yield the results sheet of some sessions as one HTML document, piece by piece.

    Args:
        results: each session with its outcome (an :class:`Outcome` or its document);
            taken lazily, one page at a time.
        lang: the language of the sheet, ``zh`` or ``en``.
        checkpoint: the store's checkpoint ``SIZE:HASH`` after all the sessions were
            recorded, printed on every page; None when they were not recorded.

    Yields:
        The head, one page for each session, and the tail; joined, the document.
    """
    yield sheet_head(lang)
    for session, outcome in results:
        yield sheet_page(session, outcome, lang, checkpoint=checkpoint)
    yield sheet_tail()


def sheet_head(lang: Lang) -> str:
    """Return the start of the document: the declaration, the title, the style, ``<body>``.

    Args:
        lang: the language of the sheet.

    Returns:
        The HTML up to the first page.
    """
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="zhiping {escape(__version__)}">\n'
        f"<title>{_label('title', lang)}</title>\n"
        f"<style>{_STYLE}</style>\n</head>\n<body>\n"
    )


def sheet_tail() -> str:
    """Return the end of the document, after the last page."""
    return "</body>\n</html>\n"


def sheet_page(
    session: Session,
    outcome: Outcome | Mapping[str, Any],
    lang: Lang,
    *,
    checkpoint: str | None = None,
) -> str:
    """Return the page of one session: its facts, its status, a row per subject, its footer.

    Args:
        session: the session evaluated.
        outcome: its outcome, or the outcome document.
        lang: the language of the sheet.
        checkpoint: the store's checkpoint ``SIZE:HASH`` after the session was recorded;
            None when it was not recorded.

    Returns:
        One ``<section class="page">`` element.
    """
    document = outcome.to_document() if isinstance(outcome, Outcome) else outcome
    parts = [
        f'<section class="page" data-session="{escape(session.id)}">',
        f"<h1>{escape(_heading(session, lang))}</h1>",
        _facts(session, document, lang),
    ]
    if document["status"] == "void":
        parts.append(_void_reasons(document, lang))
    parts.append(_results_table(session, document, lang))
    parts.append(_footer(document, lang, checkpoint))
    parts.append("</section>\n")
    return "\n".join(parts)


def _label(key: str, lang: Lang) -> str:
    return escape(_LABELS[key][lang])


def _heading(session: Session, lang: Lang) -> str:
    name, year, quarter = session.village.name, session.year, session.quarter
    if lang == "zh":
        period = f"{year}年度" if quarter is None else f"{year}年第{quarter}季度"
        return f"{name}{period}村干部群众直评结果公示"
    period = str(year) if quarter is None else f"{year}, quarter {quarter}"
    return f"{name}: results of the direct evaluation of village cadres, {period}"


def _facts(session: Session, document: Mapping[str, Any], lang: Lang) -> str:
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
    items = "".join(f"<dt>{_label(key, lang)}</dt><dd>{escape(value)}</dd>" for key, value in facts)
    return f'<dl class="facts">{items}</dl>'


def _void_reasons(document: Mapping[str, Any], lang: Lang) -> str:
    reasons = "".join(
        f"<li>{escape(finding['message'][lang])}</li>"
        for finding in document["findings"]
        if finding["severity"] == "violation"
    )
    return (
        f'<div class="void"><p>{_label("void_note", lang)}</p>'
        f"<h2>{_label('void_reasons', lang)}</h2><ul>{reasons}</ul></div>"
    )


def _results_table(session: Session, document: Mapping[str, Any], lang: Lang) -> str:
    scale = _scale(document)
    words = (*scale, "abstain", "invalid")
    head = "".join(
        [
            f'<th class="name">{_label("subject", lang)}</th>',
            f'<th class="posts">{_label("posts", lang)}</th>',
            *(f'<th class="count">{escape(name_of(word)[lang])}</th>' for word in words),
            f'<th class="count">{_label("valid_votes", lang)}</th>',
            f"<th>{_label('grade', lang)}</th>",
            f'<th class="actions">{_label("actions", lang)}</th>',
        ]
    )
    rows = "\n".join(
        _subject_row(session, subject, words, lang) for subject in document["subjects"]
    )
    return (
        f'<table class="results">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n'
        "</table>"
    )


def _scale(document: Mapping[str, Any]) -> tuple[str, ...]:
    for subject in document["subjects"]:
        if subject["tally"] is not None:
            return tuple(word for word in subject["tally"] if word not in ("abstain", "invalid"))
    return ()


def _subject_row(
    session: Session, subject: Mapping[str, Any], words: tuple[str, ...], lang: Lang
) -> str:
    tally: Mapping[str, int] = subject["tally"] or {}
    counts = "".join(f'<td class="count">{escape(str(tally.get(word, "")))}</td>' for word in words)
    valid = subject["valid_votes"]
    cells = [
        f"<td>{escape(session.subject_name(subject['id'], lang))}</td>",
        f"<td>{escape(_posts(session, subject['id'], lang))}</td>",
        counts,
        f'<td class="count">{escape("" if valid is None else str(valid))}</td>',
        f'<td class="grade">{escape(_grade(subject, lang))}</td>',
        f"<td>{escape(_actions(subject, lang))}</td>",
    ]
    return f"<tr>{''.join(cells)}</tr>"


def _posts(session: Session, subject_id: str, lang: Lang) -> str:
    cadre = session.cadre(subject_id)
    posts = cadre.posts if cadre is not None else ()
    return _NAME_SEPARATOR[lang].join(name_of(post)[lang] for post in posts)


def _grade(subject: Mapping[str, Any], lang: Lang) -> str:
    if subject["grade"]:
        return name_of(subject["grade"])[lang]
    return _NO_GRADE if subject["eligible"] else _LABELS["not_eligible"][lang]


def _actions(subject: Mapping[str, Any], lang: Lang) -> str:
    return _NAME_SEPARATOR[lang].join(name_of(a["kind"])[lang] for a in subject["actions"])


def _footer(document: Mapping[str, Any], lang: Lang, checkpoint: str | None) -> str:
    packs = " ► ".join(document["packs"])
    colon = _COLON[lang]
    lines = [f"<p>{_label('packs', lang)}{colon}{escape(packs)}</p>"]
    if checkpoint is not None:
        lines.append(
            f"<p>{_label('checkpoint', lang)}{colon}"
            f'<span class="checkpoint">{escape(checkpoint)}</span></p>'
        )
    lines.append(f"<p>{_label('privacy', lang)}</p>")
    return f"<footer>{''.join(lines)}</footer>"
