"""Declarative cases: a session built from a few numbers, and what its outcome must be.

A pack ships its hand-worked cases as files in a ``cases/`` directory beside its
``pack.toml``, and ``pytest --zhiping-pack NAME`` runs each one, in the manner of
OpenFisca's YAML tests. A case file (TOML; YAML too when PyYAML is installed)::

    [case]
    name = "a second incompetent year brings an organizational adjustment"

    [base]                       # options of zhiping.testing.session_document
    cadres = 1
    counts = { organization = { satisfied = 62 }, c1 = { satisfied = 10, dissatisfied = 52 } }

    [fragment]                   # merged over the base: tables merge, arrays replace
    history = [{ subject = "c1", year = 2025, grade = "incompetent" }]

    [expect]
    status = "valid"
    grades = { c1 = "incompetent" }
    pay = { c1 = "0.00" }
    actions = { c1 = ["organizational_adjustment"] }

The base document is for a village the pack governs, in a year it is in force, unless
the case says otherwise. ``docs/testing.md`` describes every key. A bad case file
raises :class:`~zhiping.errors.PackError` naming the file and the key; an outcome that
differs raises :class:`CaseFailed`, showing subject by subject what was expected and
what came.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import InputError, PackError
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.testing._case_file import (
    CASES_DIRECTORY,
    NONE,
    SUFFIXES,
    Case,
    Expectation,
    load_case,
    merged,
    pack_session_document,
)
from zhiping.testing._pack_documents import PackProfile

__all__ = [
    "CASES_DIRECTORY",
    "Case",
    "CaseFailed",
    "Expectation",
    "Mismatch",
    "case_files",
    "check_case",
    "compare",
    "load_case",
    "merged",
    "pack_cases",
    "pack_session_document",
]


class CaseFailed(AssertionError):
    """A case's outcome differs from what it expects; the message shows each difference.

    Attributes:
        case: the case.
        pack: the pack it was evaluated under.
        mismatches: what differs, subject by subject.
        outcome: the outcome the case got.
    """

    def __init__(
        self, case: Case, pack: str, mismatches: Sequence[Mismatch], outcome: Outcome
    ) -> None:
        self.case, self.pack, self.outcome = case, pack, outcome
        self.mismatches = tuple(mismatches)
        count = len(self.mismatches)
        lines = [
            f"{case.source}: case {case.name!r} under pack {pack}: "
            f"{count} expectation{'s' if count > 1 else ''} not met",
            *(f"  {mismatch}" for mismatch in self.mismatches),
            "the outcome:",
            *(f"  {line}" for line in _summary(outcome)),
        ]
        super().__init__("\n".join(lines))


@attrs.frozen
class Mismatch:
    """One expectation not met.

    Attributes:
        subject: the subject's id, or None for the session as a whole.
        key: what was checked (``status``, ``grade``, ``pay``, …).
        expected: what the case expects, as written.
        got: what the outcome has.
    """

    subject: str | None
    key: str
    expected: str
    got: str

    def __str__(self) -> str:
        where = f"{self.subject} {self.key}" if self.subject else self.key
        return f"{where}: expected {self.expected}, got {self.got}"


def case_files(pack: str | Pack, *, registry: PackRegistry | None = None) -> tuple[Path, ...]:
    """Return the case files of a pack: the ``cases/`` directory beside its pack file.

    Raises:
        PackError: no pack of that name is installed.
    """
    found = pack if isinstance(pack, Pack) else _installed(pack, registry)
    if not found.source:
        return ()
    directory = Path(found.source).parent / CASES_DIRECTORY
    if not directory.is_dir():
        return ()
    return tuple(sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file()))


def pack_cases(pack: str | Pack, *, registry: PackRegistry | None = None) -> tuple[Case, ...]:
    """Read every case file of a pack, in file-name order.

    Raises:
        PackError: no such pack, or a case file is bad.
    """
    return tuple(load_case(path) for path in case_files(pack, registry=registry))


def check_case(case: Case, pack: str, *, registry: PackRegistry | None = None) -> Outcome:
    """Evaluate a case under a pack and compare the outcome with what it expects.

    Returns:
        The outcome, when every expectation is met.

    Raises:
        CaseFailed: an expectation is not met.
        PackError: the case's document is not a valid session, or the pack is not
            installed.
    """
    registry = registry or default_registry()
    _installed(pack, registry)
    _require_the_chain_words(case, registry.vocabulary((pack,)))
    profile = PackProfile.of(pack, registry=registry)
    document = case.session_document(profile)
    forced = profile.forced if case.forced is None else case.forced
    try:
        outcome = zhiping.evaluate(document, registry=registry, pack=pack if forced else None)
    except InputError as error:
        raise PackError(
            f"{case.source}: the session it builds is not valid: {error}",
            zh=f"{case.source}:它构造的直评会文件无效:{error.message('zh')}",
        ) from None
    mismatches = compare(case.expect, outcome, pack=pack)
    if mismatches:
        raise CaseFailed(case, pack, mismatches, outcome)
    return outcome


def _require_the_chain_words(case: Case, vocabulary: Vocabulary) -> None:
    """Refuse a case expecting a grade or an action the pack's chain does not have."""
    expect = case.expect
    unknown = [
        (f"expect.grades.{subject}", grade, vocabulary.grades)
        for subject, grade in expect.grades.items()
        if grade is not None and grade != NONE and grade not in vocabulary.grades
    ] + [
        (f"expect.actions.{subject}", kind, vocabulary.actions)
        for subject, kinds in expect.actions.items()
        for kind in kinds
        if kind not in vocabulary.actions
    ]
    if unknown:
        where, word, known = unknown[0]
        raise PackError(
            f"{case.source}: {where}: {word!r} is not a word of the pack's chain "
            f"(expected one of {', '.join(known)})",
            zh=f"{case.source}:{where}:{word!r} 不是规则包链中的词(应为 {'、'.join(known)} 之一)",
        )


def compare(expect: Expectation, outcome: Outcome, *, pack: str | None = None) -> list[Mismatch]:
    """Return every expectation the outcome does not meet (none when all are met).

    Args:
        expect: what the outcome must be.
        outcome: what came.
        pack: when the case names no chain, the pack the chain must end with.
    """
    mismatches = _session_mismatches(expect, outcome, pack)
    subjects = {subject.id: subject for subject in outcome.subjects}
    checked = [*expect.eligible, *expect.grades, *expect.pay, *expect.actions]
    for subject_id in dict.fromkeys(checked):
        subject = subjects.get(subject_id)
        if subject is None:
            got = f"subjects {', '.join(subjects)}"
            mismatches.append(Mismatch(subject_id, "subject", "it in the outcome", got))
            continue
        if subject_id in expect.eligible and subject.eligible != expect.eligible[subject_id]:
            wanted = expect.eligible[subject_id]
            mismatches.append(Mismatch(subject_id, "eligible", str(wanted), str(subject.eligible)))
        if subject_id in expect.grades and subject.grade != expect.grades[subject_id]:
            wanted_grade, got_grade = expect.grades[subject_id], subject.grade
            mismatches.append(Mismatch(subject_id, "grade", _text(wanted_grade), _text(got_grade)))
        if subject_id in expect.pay:
            amount = subject.pay.amount if subject.pay else None
            if amount != expect.pay[subject_id]:
                mismatches.append(
                    Mismatch(subject_id, "pay", _text(expect.pay[subject_id]), _text(amount))
                )
        if subject_id in expect.actions:
            kinds = sorted(action.kind for action in subject.actions)
            if kinds != sorted(expect.actions[subject_id]):
                wanted_kinds = sorted(expect.actions[subject_id])
                mismatches.append(Mismatch(subject_id, "actions", str(wanted_kinds), str(kinds)))
    return mismatches


def _session_mismatches(expect: Expectation, outcome: Outcome, pack: str | None) -> list[Mismatch]:
    mismatches: list[Mismatch] = []
    chain = " ► ".join(outcome.packs)
    if expect.packs is not None and outcome.packs != expect.packs:
        mismatches.append(Mismatch(None, "packs", " ► ".join(expect.packs), chain))
    elif expect.packs is None and pack is not None and outcome.packs[-1:] != (pack,):
        mismatches.append(Mismatch(None, "packs", f"a chain ending in {pack}", chain))
    if expect.status is not None and outcome.status != expect.status:
        mismatches.append(Mismatch(None, "status", expect.status, outcome.status))
    found = {finding.rule for finding in outcome.findings}
    rules = ", ".join(sorted(found)) or "none"
    missing = [rule for rule in expect.findings if rule not in found]
    if missing:
        mismatches.append(Mismatch(None, "findings", f"{', '.join(missing)} among them", rules))
    unwanted = [rule for rule in expect.no_findings if rule in found]
    if unwanted:
        mismatches.append(Mismatch(None, "findings", f"none of {', '.join(unwanted)}", rules))
    return mismatches


def _summary(outcome: Outcome) -> list[str]:
    findings = [f"{f.rule} ({f.severity})" for f in outcome.findings]
    lines = [
        f"status {outcome.status} under {' ► '.join(outcome.packs)}; "
        f"findings: {', '.join(findings) or 'none'}"
    ]
    for subject in outcome.subjects:
        pay = _text(subject.pay.amount if subject.pay else None)
        actions = ", ".join(action.kind for action in subject.actions) or "none"
        eligible = "" if subject.eligible else ", not eligible"
        lines.append(
            f"{subject.id}: grade {_text(subject.grade)}, pay {pay}, actions {actions}{eligible}"
        )
    return lines


def _text(value: object) -> str:
    return NONE if value is None else str(value)


def _installed(pack: str, registry: PackRegistry | None) -> Pack:
    registry = registry or default_registry()
    if pack not in registry.packs:
        installed = registry.names()
        raise PackError(
            f"no pack named {pack!r}; installed: {', '.join(installed)}",
            zh=f"没有名为 {pack!r} 的规则包;已安装的有:{'、'.join(installed)}",
        )
    return registry.packs[pack]
