"""Rendering an outcome for people: a summary table, and the trace as an explanation.

Both languages of the project: every label here has a zh and an en form, and every
message comes from the outcome itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from zhiping.documents.outcome import (
    Finding,
    Outcome,
    SubjectOutcome,
    TraceEntry,
    pay_figures,
)
from zhiping.documents.session import Session
from zhiping.documents.values import ParameterUse, value_to_json
from zhiping.documents.vocabulary import Vocabulary
from zhiping.glossary import Lang, Text
from zhiping.packs.registry import PackRegistry, default_registry

__all__ = ["Lang", "render_explanation", "render_outcome"]

_LABELS = {
    "status": Text(zh="结果", en="Status"),
    "valid": Text(zh="有效", en="valid"),
    "void": Text(zh="无效(须重新召开)", en="void (the session must be held again)"),
    "packs": Text(zh="适用规则包", en="Packs"),
    "findings": Text(zh="发现", en="Findings"),
    "no_findings": Text(zh="无", en="none"),
    "subject": Text(zh="测评对象", en="Subject"),
    "valid_votes": Text(zh="有效票", en="Valid"),
    "grade": Text(zh="等次", en="Grade"),
    "pay": Text(zh="绩效报酬(元)", en="Pay (yuan)"),
    "actions": Text(zh="处理", en="Actions"),
    "not_eligible": Text(zh="不参评", en="not evaluated"),
    "inputs": Text(zh="输入", en="inputs"),
    "parameter": Text(zh="参数", en="parameter"),
    "from": Text(zh="自", en="from"),
    "assumed": Text(zh="假定", en="assumed"),
    "yes": Text(zh="满足", en="yes"),
    "no": Text(zh="不满足", en="no"),
    "explanation": Text(zh="决定过程", en="How each decision was made"),
    "violation": Text(zh="违规", en="violation"),
    "warning": Text(zh="警告", en="warning"),
    "info": Text(zh="提示", en="info"),
}


_ABBREVIATIONS = {
    "satisfied": "sat.",
    "basically_satisfied": "basic.",
    "dissatisfied": "dissat.",
    "abstain": "abst.",
    "invalid": "inv.",
}


def _label(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


def render_outcome(
    outcome: Outcome,
    session: Session,
    console: Console,
    lang: Lang,
    *,
    registry: PackRegistry | None = None,
) -> None:
    """Print the outcome of one session: status, findings, and a row per subject.

    Grades, ballot words and actions are printed in the words of the outcome's chain,
    as ``registry`` (by default the installed packs) declares them.
    """
    words = (registry or default_registry()).vocabulary(outcome.packs)
    village = session.village
    console.print(
        RichText(
            f"{village.name} {village.code} · {session.year} · {session.held_on}", style="bold"
        )
    )
    console.print(f"{_label('packs', lang)}: {' ► '.join(outcome.packs)}")
    style = "green" if outcome.status == "valid" else "bold red"
    console.print(
        RichText(f"{_label('status', lang)}: ")
        + RichText(_label(outcome.status, lang), style=style)
    )
    _print_findings(outcome.findings, console, lang)
    console.print(_subjects_table(outcome, session, lang, words))


def _print_findings(findings: Iterable[Finding], console: Console, lang: Lang) -> None:
    console.print(f"{_label('findings', lang)}:")
    listed = False
    for finding in findings:
        listed = True
        colour = {"violation": "red", "warning": "yellow", "info": "cyan"}[finding.severity]
        line = RichText("  ")
        line.append(f"[{_label(finding.severity, lang)}]", style=colour)
        line.append(f" {finding.rule}: {finding.message[lang]}")
        console.print(line)
    if not listed:
        console.print(f"  {_label('no_findings', lang)}")


def _subjects_table(outcome: Outcome, session: Session, lang: Lang, words: Vocabulary) -> Table:
    scale = next((s.tally.scale for s in outcome.subjects if s.tally), ())
    table = Table(show_edge=False, pad_edge=False)
    table.add_column(_label("subject", lang), no_wrap=True)
    for word in (*scale, "abstain", "invalid"):
        header = words.name_of(word)[lang]
        if lang == "en":
            header = _ABBREVIATIONS.get(word, header)
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column(_label("valid_votes", lang), justify="right", no_wrap=True)
    table.add_column(_label("grade", lang), no_wrap=True)
    table.add_column(_label("pay", lang), justify="right", no_wrap=True)
    table.add_column(_label("actions", lang), no_wrap=True)
    for subject in outcome.subjects:
        table.add_row(*_subject_row(subject, session, scale, lang, words))
    return table


def _subject_row(
    subject: SubjectOutcome,
    session: Session,
    scale: tuple[str, ...],
    lang: Lang,
    words: Vocabulary,
) -> list[str]:
    cadre = session.cadre(subject.id)
    name = f"{cadre.name} ({subject.id})" if cadre else session.subject_name(subject.id, lang)
    counts = subject.tally.to_json() if subject.tally else {}
    grade = (
        words.name_of(subject.grade)[lang]
        if subject.grade
        else ("—" if subject.eligible else _label("not_eligible", lang))
    )
    return [
        name,
        *(str(counts.get(word, "")) for word in (*scale, "abstain", "invalid")),
        str(subject.tally.valid_votes) if subject.tally else "",
        grade,
        _pay_cell(subject),
        ("、" if lang == "zh" else ", ").join(words.name_of(a.kind)[lang] for a in subject.actions),
    ]


def _pay_cell(subject: SubjectOutcome) -> str:
    """Return the pay as the exact figures that multiply to it: ``10000.00 × 1.125 = 11250.00``."""
    if subject.pay is None:
        return ""
    figures = subject.pay.to_json()
    return f"{pay_figures(figures)} = {figures['amount']}"


def render_explanation(outcome: Outcome, console: Console, lang: Lang) -> None:
    """Print the trace: each decision with its rule, pack, inputs and dated, cited parameters."""
    console.print(RichText(_label("explanation", lang), style="bold underline"))
    for entry in outcome.trace:
        _print_entry(entry, console, lang)


def _print_entry(entry: TraceEntry, console: Console, lang: Lang) -> None:
    head = RichText(f"[{entry.stage}] ", style="dim")
    head.append(entry.rule, style="bold")
    head.append(f" · {entry.pack}")
    if entry.subject:
        head.append(f" · {entry.subject}")
    if entry.fulfilled is not None:
        verdict = _label("yes" if entry.fulfilled else "no", lang)
        head.append(f" · {verdict}", style="green" if entry.fulfilled else "red")
    if entry.result:
        head.append(f" → {entry.result}", style="bold")
    console.print(head)
    console.print(f"    {entry.message[lang]}")
    if entry.inputs:
        inputs = ", ".join(f"{key}={_compact(value)}" for key, value in entry.inputs.items())
        console.print(f"    {_label('inputs', lang)}: {inputs}", markup=False)
    for use in entry.parameters:
        console.print(f"    {_parameter_line(use, lang)}", markup=False)


def _parameter_line(use: ParameterUse, lang: Lang) -> str:
    value = _compact(value_to_json(use.value))
    where = f"{use.pack}, {_label('from', lang)} {use.effective_from.isoformat()}"
    if use.citation is not None:
        article = f" {use.citation.article}" if use.citation.article else ""
        where += f"; {use.citation.title}{article}"
    if use.assumed:
        where += f"; {_label('assumed', lang)}" + (f": {use.note}" if use.note else "")
    return f"{_label('parameter', lang)} {use.name} = {value} ({where})"


def _compact(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_compact(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "—"
    return str(value)
