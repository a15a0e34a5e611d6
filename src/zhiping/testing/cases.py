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

import copy
import importlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    StrictInt,
    StringConstraints,
    ValidationError,
    model_validator,
)

import zhiping
from zhiping.errors import InputError, PackError
from zhiping.glossary import GRADES, ActionKind
from zhiping.outcome import Outcome
from zhiping.registry import PackRegistry, default_registry
from zhiping.rulebook import Pack
from zhiping.session import json_path
from zhiping.testing._documents import session_document
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

CASES_DIRECTORY = "cases"
"""The directory beside a pack's ``pack.toml`` that holds its case files."""

SUFFIXES = (".toml", ".yaml", ".yml")
NONE = "none"  # TOML has no null: "none" expects no grade, or no pay

Document = dict[str, Any]
AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]
Amount = Annotated[str, StringConstraints(pattern=rf"^{AMOUNT.pattern}$")]
VillageCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]


def _grade_or_none(value: object) -> object:
    if value is None or value == NONE or value in GRADES:
        return value
    raise ValueError(f"{value!r} is not a grade: write one of {', '.join(GRADES)}, or none")


def _amount_or_none(value: object) -> object:
    if value is None or value == NONE or (isinstance(value, str) and AMOUNT.fullmatch(value)):
        return value
    raise ValueError(f'{value!r} is not an amount: write yuan as text ("9000.05"), or none')


ExpectedGrade = Annotated[str | None, BeforeValidator(_grade_or_none)]
ExpectedAmount = Annotated[str | None, BeforeValidator(_amount_or_none)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Header(_Table):
    name: str = Field(min_length=1)
    description: str = ""
    forced: bool | None = None


class _Base(_Table):
    # Each is an option of session_document; only those given are passed on.
    village_code: VillageCode | None = None
    year: int | None = None
    held_on: date | None = None
    notice_days: StrictInt | Literal[False] | None = None
    party_members: NonNegativeInt | None = None
    party_members_present: NonNegativeInt | None = None
    representatives: NonNegativeInt | None = None
    representatives_present: NonNegativeInt | None = None
    invitees: NonNegativeInt | None = None
    cadres: NonNegativeInt | None = None
    performance_pay: Amount | Literal[False] | None = None
    counts: dict[str, dict[str, NonNegativeInt]] | None = None
    issued: NonNegativeInt | None = None


class _Expect(_Table):
    status: Literal["valid", "void"] | None = None
    packs: list[str] | None = None
    findings: list[RuleId] = Field(default_factory=list)
    no_findings: list[RuleId] = Field(default_factory=list)
    eligible: dict[str, bool] = Field(default_factory=dict)
    grades: dict[str, ExpectedGrade] = Field(default_factory=dict)
    pay: dict[str, ExpectedAmount] = Field(default_factory=dict)
    actions: dict[str, list[ActionKind]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _says_something(self) -> _Expect:
        if not self.model_fields_set:
            raise ValueError("say what the outcome must be (status, grades, pay, …)")
        return self


class _CaseFile(_Table):
    case: _Header
    base: _Base | None = None
    document: dict[str, Any] | None = None
    fragment: dict[str, Any] = Field(default_factory=dict)
    expect: _Expect

    @model_validator(mode="after")
    def _one_starting_point(self) -> _CaseFile:
        if self.base is not None and self.document is not None:
            raise ValueError("give either [base] or [document], not both")
        return self


@attrs.frozen
class Expectation:
    """What a case's outcome must be; a subject or key left out is not checked.

    Attributes:
        status: ``valid`` or ``void``.
        packs: the whole chain; by default the chain must end with the pack under test.
        findings: rule ids that must be among the findings.
        no_findings: rule ids that must not be.
        eligible: per subject, whether it is evaluated.
        grades: per subject, its grade, or None for no grade.
        pay: per subject, the amount paid, or None for no pay.
        actions: per subject, the kinds of every action, in any order.
    """

    status: str | None = None
    packs: tuple[str, ...] | None = None
    findings: tuple[str, ...] = ()
    no_findings: tuple[str, ...] = ()
    eligible: Mapping[str, bool] = attrs.field(factory=dict)
    grades: Mapping[str, str | None] = attrs.field(factory=dict)
    pay: Mapping[str, Decimal | None] = attrs.field(factory=dict)
    actions: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)


@attrs.frozen
class Case:
    """A hand-worked case: how to build its session, and what the outcome must be.

    Attributes:
        name: what the case shows, in a sentence.
        description: how the expected values were worked out.
        source: the file it was read from.
        base: options of :func:`~zhiping.testing.session_document`, when the case
            builds its document from them.
        document: a whole session document, when the case gives one.
        fragment: merged over the base or the document (tables merge, arrays replace).
        forced: evaluate with ``pack=`` the pack under test whatever the village
            code; by default, only for a pack no village code selects.
        expect: what the outcome must be.
    """

    name: str
    source: str
    expect: Expectation
    description: str = ""
    base: Mapping[str, Any] | None = None
    document: Mapping[str, Any] | None = None
    fragment: Mapping[str, Any] = attrs.field(factory=dict)
    forced: bool | None = None

    def session_document(self, profile: PackProfile) -> Document:
        """Return the case's session document, for the pack described by ``profile``.

        Raises:
            PackError: the base options cannot make a document.
        """
        if self.document is not None:
            start = _plain(self.document)
        else:
            try:
                start = pack_session_document(profile, **(self.base or {}))
            except ValueError as error:
                raise PackError(f"{self.source}: base: {error}") from None
        return merged(start, _plain(self.fragment))


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


def load_case(path: Path | Traversable) -> Case:
    """Read and check a case file.

    Raises:
        PackError: the file cannot be read or parsed, or breaks the case format;
            the message names the file and the key.
    """
    data = _read(path)
    try:
        parsed = _CaseFile.model_validate(data)
    except ValidationError as error:
        problems = "\n  ".join(_problems(error, data))
        raise PackError(f"{path}: not a valid case file:\n  {problems}") from None
    expect = parsed.expect
    return Case(
        name=parsed.case.name,
        description=parsed.case.description,
        source=str(path),
        base=parsed.base.model_dump(exclude_unset=True) if parsed.base else None,
        document=parsed.document,
        fragment=parsed.fragment,
        forced=parsed.case.forced,
        expect=Expectation(
            status=expect.status,
            packs=tuple(expect.packs) if expect.packs is not None else None,
            findings=tuple(expect.findings),
            no_findings=tuple(expect.no_findings),
            eligible=dict(expect.eligible),
            grades={s: None if g in (None, NONE) else g for s, g in expect.grades.items()},
            pay={s: None if a in (None, NONE) else Decimal(a) for s, a in expect.pay.items()},
            actions={s: tuple(kinds) for s, kinds in expect.actions.items()},
        ),
    )


def _problems(error: ValidationError, data: Any) -> list[str]:
    """Return each problem as ``key.path: message``, one line per key."""
    found: dict[str, list[str]] = {}
    for problem in error.errors():
        where = _located(data, problem["loc"], missing=problem["type"] == "missing")
        found.setdefault(json_path(where) or "(the file)", []).append(problem["msg"])
    return [f"{where}: {'; or '.join(dict.fromkeys(said))}" for where, said in found.items()]


def _located(data: Any, location: tuple[int | str, ...], *, missing: bool) -> tuple[int | str, ...]:
    """Return the part of a pydantic location that is a place in the file.

    pydantic adds a tag for the member of a union it tried (``literal['none']``,
    ``int``): no key of the file, so it is left out.
    """
    kept: list[int | str] = []
    node = data
    for index, part in enumerate(location):
        if _holds(node, part):
            node = node[part]
        elif not (missing and index == len(location) - 1):
            continue
        kept.append(part)
    return tuple(kept)


def _holds(node: Any, part: int | str) -> bool:
    if isinstance(node, Mapping):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _read(path: Path | Traversable) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PackError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise PackError(f"{path}: not UTF-8 text: {error.reason}") from None
    if path.name.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PackError(f"{path}: not valid TOML: {error}") from None
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        raise PackError(f"{path}: YAML case files need PyYAML (pip install pyyaml)") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PackError(f"{path}: not valid YAML: {error}") from None


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
    profile = PackProfile.of(pack, registry=registry)
    document = case.session_document(profile)
    forced = profile.forced if case.forced is None else case.forced
    try:
        outcome = zhiping.evaluate(document, registry=registry, pack=pack if forced else None)
    except InputError as error:
        raise PackError(f"{case.source}: the session it builds is not valid: {error}") from None
    mismatches = compare(case.expect, outcome, pack=pack)
    if mismatches:
        raise CaseFailed(case, pack, mismatches, outcome)
    return outcome


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


def pack_session_document(
    pack: str | PackProfile, *, registry: PackRegistry | None = None, **options: Any
) -> Document:
    """Return :func:`~zhiping.testing.session_document` for a village the pack governs.

    The village code, year and ``held_on`` (15 January of the next year) default to
    the pack's, and without ``counts`` every ballot marks every subject with the first
    (best) word of the pack's scale; every other option is the builder's.
    ``notice_days=False`` and ``performance_pay=False`` leave out the notice and the
    cadres' pay.

    Raises:
        InvalidArgument: no pack of that name is installed.
        ValueError: the numbers cannot make a valid document.
    """
    profile = pack if isinstance(pack, PackProfile) else PackProfile.of(pack, registry=registry)
    shape = dict(options)
    for option in ("notice_days", "performance_pay"):
        if shape.get(option) is False:
            shape[option] = None
    shape.setdefault("village_code", profile.village_code)
    shape.setdefault("year", profile.year)
    shape.setdefault("held_on", date(shape["year"] + 1, 1, 15))
    document = session_document(**shape)
    if "counts" not in shape:
        # Every ballot marks every subject with the best word of the pack's own scale.
        counts = document["ballots"]["counts"]
        for subject, words in counts.items():
            counts[subject] = {profile.scale[0]: sum(words.values())}
    return document


def merged(base: Mapping[str, Any], fragment: Mapping[str, Any]) -> Document:
    """Return ``base`` with ``fragment`` merged over it: tables merge, anything else replaces.

    Neither argument is changed.
    """
    result: Document = copy.deepcopy(dict(base))
    for key, value in fragment.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _plain(value: Any) -> Any:
    """Return the value as JSON spells it: TOML and YAML dates become ISO text."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _installed(pack: str, registry: PackRegistry | None) -> Pack:
    registry = registry or default_registry()
    if pack not in registry.packs:
        raise PackError(f"no pack named {pack!r}; installed: {', '.join(registry.names())}")
    return registry.packs[pack]
