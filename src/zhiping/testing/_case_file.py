"""The case-file format: reading a case, its base document and fragment, its expectations.

See :mod:`zhiping.testing.cases` for the format and for checking a case against a pack.
"""

from __future__ import annotations

import copy
import importlib
import re
import tomllib
from collections.abc import Mapping
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

from zhiping.documents._validation import Invalid, texts_of, texts_of_any
from zhiping.documents.vocabulary import WordId
from zhiping.errors import PackError, json_path
from zhiping.glossary import GRADES, Text
from zhiping.packs.registry import PackRegistry
from zhiping.testing._documents import session_document
from zhiping.testing._pack_documents import PackProfile

__all__ = [
    "AMOUNT",
    "CASES_DIRECTORY",
    "NONE",
    "SUFFIXES",
    "Case",
    "Expectation",
    "load_case",
    "merged",
    "pack_session_document",
]

CASES_DIRECTORY = "cases"


"""The directory beside a pack's ``pack.toml`` that holds its case files."""


SUFFIXES = (".toml", ".yaml", ".yml")


NONE = "none"  # TOML has no null: "none" expects no grade, or no pay


Document = dict[str, Any]


AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")

WORD_ID = re.compile(r"[a-z][a-z0-9_]*")


RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]


Amount = Annotated[str, StringConstraints(pattern=rf"^{AMOUNT.pattern}$")]


VillageCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]


def _grade_or_none(value: object) -> object:
    # Whether it is a grade of the pack's scale is checked when the case is run.
    if value is None or value == NONE or (isinstance(value, str) and WORD_ID.fullmatch(value)):
        return value
    raise Invalid(
        Text(
            zh=f"{value!r} 不是等次:请写规则包等次表中的 id(如 {GRADES[0]}),或 none",
            en=f"{value!r} is not a grade: write a grade id of the pack (as {GRADES[0]}), or none",
        ),
    )


def _amount_or_none(value: object) -> object:
    if value is None or value == NONE or (isinstance(value, str) and AMOUNT.fullmatch(value)):
        return value
    raise Invalid(
        Text(
            zh=f'{value!r} 不是金额:请以文本书写元数("9000.05"),或写 none',
            en=f'{value!r} is not an amount: write yuan as text ("9000.05"), or none',
        ),
    )


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
    actions: dict[str, list[WordId]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _says_something(self) -> _Expect:
        if not self.model_fields_set:
            raise Invalid(
                Text(
                    zh="请写明结果应当如何(status、grades、pay 等)",
                    en="say what the outcome must be (status, grades, pay, …)",
                ),
            )
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
            raise Invalid(
                Text(
                    zh="[base] 和 [document] 只能给出其一",
                    en="give either [base] or [document], not both",
                ),
            )
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
                said = texts_of_any(error)
                raise PackError(
                    f"{self.source}: base: {said.en}", zh=f"{self.source}: base: {said.zh}"
                ) from None
        return merged(start, _plain(self.fragment))


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
        problems = _problems(error, data)
        raise PackError(
            f"{path}: not a valid case file:\n  " + "\n  ".join(p.en for p in problems),
            zh=f"{path}:不是有效的用例文件:\n  " + "\n  ".join(p.zh for p in problems),
        ) from None
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


def _problems(error: ValidationError, data: Any) -> list[Text]:
    """Return each problem as ``key.path: message`` in zh and en, one line per key."""
    found: dict[str, list[Text]] = {}
    for problem in error.errors():
        where = _located(data, problem["loc"], missing=problem["type"] == "missing")
        found.setdefault(json_path(where), []).append(texts_of(problem))
    return [
        Text(
            zh=f"{where or '(整个文件)'}: {';或 '.join(dict.fromkeys(t.zh for t in said))}",
            en=f"{where or '(the file)'}: {'; or '.join(dict.fromkeys(t.en for t in said))}",
        )
        for where, said in found.items()
    ]


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
        reason = error.strerror or error
        raise PackError(f"{path}: cannot read: {reason}", zh=f"无法读取 {path}:{reason}") from None
    except UnicodeDecodeError as error:
        raise PackError(
            f"{path}: not UTF-8 text: {error.reason}", zh=f"{path}:不是 UTF-8 文本({error.reason})"
        ) from None
    if path.name.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PackError(
                f"{path}: not valid TOML: {error}",
                zh=f"{path}:不是有效的 TOML(解析器说明:{error})",
            ) from None
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        raise PackError(
            f"{path}: YAML case files need PyYAML (pip install pyyaml)",
            zh=f"{path}:YAML 格式的用例文件需要 PyYAML(pip install pyyaml)",
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PackError(
            f"{path}: not valid YAML: {error}",
            zh=f"{path}:不是有效的 YAML(解析器说明:{error})",
        ) from None


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
