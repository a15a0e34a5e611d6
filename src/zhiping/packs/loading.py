"""Reading a rule pack from its TOML parameters file.

A pack file has four tables: ``[pack]`` (name, titles, prefix, parent, dates),
``[references.<id>]`` (the policy documents it cites), ``[rules."<rule id>"]`` (the
mechanism each rule uses, its sources, or why it is disabled; ``assumed`` with a
``note`` where no source fixes the rule) and
``[parameters."<rule id>.<name>"]`` (dated values, each cited or marked assumed).
``docs/packs.md`` shows a whole file. A bad file raises :class:`PackError` naming the
file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

import attrs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
)

from zhiping.documents._validation import Invalid, texts_of, texts_of_any
from zhiping.documents.values import Citation, Comparison, ParameterKind, ShareCondition, Value
from zhiping.documents.vocabulary import Term, WordId
from zhiping.errors import PackError, json_path
from zhiping.glossary import Severity, Text
from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.model import Pack, PackVocabulary
from zhiping.packs.parameters import DatedValue, Parameter
from zhiping.rules import RuleDefinition

__all__ = ["load_pack", "pack_from_data", "pack_plugin"]

Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$")]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class _Title(_Table):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Header(_Table):
    name: Name
    title: _Title
    prefix: Annotated[str, StringConstraints(pattern=r"^[0-9]{0,12}$")] = ""
    parent: Name | None = None
    in_force_from: date
    in_force_from_assumed: StrictBool = False
    in_force_from_note: str | None = Field(default=None, min_length=1)
    in_force_until: date | None = None
    selectable_only: bool = False


class _Reference(_Table):
    title: str = Field(min_length=1)
    url: str | None = None
    published_on: date | None = None


class _Cite(_Table):
    reference: str
    article: str | None = None


class _Rule(_Table):
    mechanism: Name | None = None
    severity: Severity | None = None
    basis: list[_Cite] = Field(default_factory=list)
    disabled: str | None = Field(default=None, min_length=1)
    assumed: StrictBool = False
    note: str | None = Field(default=None, min_length=1)


class _Value(_Table):
    from_: date = Field(alias="from")
    value: Any
    reference: str | None = None
    article: str | None = None
    assumed: bool = False
    note: str | None = None


class _Parameter(_Table):
    kind: ParameterKind
    values: list[_Value] = Field(min_length=1)


class _Term(_Table):
    id: WordId
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


Terms = Annotated[list[_Term], Field(min_length=1)]


class _Vocabulary(_Table):
    grades: Terms | None = None
    words: Terms | None = None
    actions: Terms | None = None


class _PackFile(_Table):
    pack: _Header
    vocabulary: _Vocabulary = Field(default_factory=_Vocabulary)
    references: dict[Name, _Reference] = Field(default_factory=dict)
    rules: dict[RuleId, _Rule] = Field(default_factory=dict)
    parameters: dict[str, _Parameter] = Field(default_factory=dict)


def pack_plugin(package: str, resource: str = "pack.toml") -> Callable[[], list[Pack]]:
    """Return a ``zhiping_packs`` hook implementation that reads a package's pack file.

    A pack that only sets parameters needs no other Python: its plugin module says
    ``zhiping_packs = pack_plugin(__name__)`` beside its ``pack.toml``.

    Args:
        package: the importable package holding the file (usually ``__name__``).
        resource: the file's name inside the package.
    """

    @hookimpl
    def zhiping_packs() -> list[Pack]:
        return [load_pack(files(package) / resource)]

    zhiping_packs.__doc__ = f"Return the pack read from {package}/{resource}."
    return zhiping_packs


def load_pack(path: str | Path | Traversable) -> Pack:
    """Read and check a pack's TOML file.

    Args:
        path: the file: a path as text or a :class:`~pathlib.Path`, or a resource of
            an installed package (``importlib.resources.files(...) / "pack.toml"``).

    Raises:
        PackError: the file cannot be read, is not TOML, or breaks the pack format;
            the message names the file and the key.
    """
    if isinstance(path, str):
        path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or error
        raise PackError(f"{path}: cannot read: {reason}", zh=f"无法读取 {path}:{reason}") from None
    except UnicodeDecodeError as error:
        raise PackError(
            f"{path}: not UTF-8 text: {error.reason}", zh=f"{path}:不是 UTF-8 文本({error.reason})"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        quoted = _quoted_line(text, str(error))
        raise PackError(
            f"{path}: not valid TOML: {error}{quoted}",
            zh=f"{path}:不是有效的 TOML(解析器说明:{error}){quoted}",
        ) from None
    return pack_from_data(data, source=str(path))


def _quoted_line(text: str, message: str) -> str:
    # tomllib says where ("at line 12, column 1") but not which key: quote the line.
    found = re.search(r"line (\d+)", message)
    if not found:
        return ""
    lines = text.splitlines()
    number = int(found.group(1))
    return f": {lines[number - 1].strip()!r}" if 0 < number <= len(lines) else ""


def pack_from_data(data: Mapping[str, Any], *, source: str) -> Pack:
    """Build a pack from the decoded contents of a pack file.

    Raises:
        PackError: naming ``source`` and the key that is wrong.
    """
    try:
        file = _PackFile.model_validate(data)
    except ValidationError as error:
        raise _refused(
            source,
            [
                _at(json_path(tuple(item["loc"])), texts_of(item))
                for item in error.errors(include_url=False)
            ],
        ) from None
    problems: list[Text] = []
    pack = attrs.evolve(_build(file, problems), source=source)
    if problems:
        raise _refused(source, problems)
    return pack


def _refused(source: str, problems: list[Text]) -> PackError:
    return PackError(
        f"{source}: " + "; ".join(problem.en for problem in problems),
        zh=f"{source}: " + "; ".join(problem.zh for problem in problems),
    )


def _at(where: str, text: Text) -> Text:
    """Return a problem placed at a key of the file: ``key: message`` in each language."""
    return Text(zh=f"{where}: {text.zh}", en=f"{where}: {text.en}")


def _build(file: _PackFile, problems: list[Text]) -> Pack:
    header = file.pack
    references = {
        key: Citation(title=ref.title, url=ref.url, published_on=ref.published_on)
        for key, ref in file.references.items()
    }

    def cite(reference: str | None, article: str | None, where: str) -> Citation | None:
        if reference is None:
            return None
        if reference not in references:
            problems.append(
                _at(
                    where,
                    Text(
                        zh=f"[references] 中没有 {reference!r}",
                        en=f"no reference named {reference!r}",
                    ),
                )
            )
            return None
        base = references[reference]
        return Citation(base.title, article, base.url, base.published_on)

    if header.parent is None and header.name != "cn":
        problems.append(
            Text(
                zh="pack.parent: 只有根规则包 cn 没有上级规则包",
                en="pack.parent: only the root pack cn has no parent",
            )
        )
    if header.in_force_from_assumed and header.in_force_from_note is None:
        problems.append(_unexplained("pack.in_force_from_note", "in_force_from"))
    if header.in_force_until is not None and header.in_force_until < header.in_force_from:
        problems.append(
            Text(
                zh="pack.in_force_until: 早于 in_force_from",
                en="pack.in_force_until: before in_force_from",
            )
        )
    rules = tuple(
        RuleDefinition(
            id=rule_id,
            pack=header.name,
            mechanism=rule.mechanism,
            severity=rule.severity,
            basis=tuple(
                c
                for index, b in enumerate(rule.basis)
                if (c := cite(b.reference, b.article, f'rules."{rule_id}".basis[{index}]'))
            ),
            disabled=rule.disabled,
            assumed=rule.assumed,
            note=rule.note,
        )
        for rule_id, rule in file.rules.items()
    )
    problems.extend(
        _unexplained(f'rules."{rule.id}".note', "the rule")
        for rule in rules
        if rule.assumed and rule.note is None
    )
    for rule in rules:
        if (rule.mechanism is None) == (rule.disabled is None):
            problems.append(
                _at(
                    f'rules."{rule.id}"',
                    Text(
                        zh="mechanism 和 disabled 须给出且只给出一个",
                        en="give either mechanism or disabled",
                    ),
                )
            )
    parameters = {
        name: _parameter(name, parameter, cite, problems)
        for name, parameter in file.parameters.items()
    }
    vocabulary = _vocabulary(file.vocabulary, problems)
    return Pack(
        name=header.name,
        title=Text(zh=header.title.zh, en=header.title.en),
        prefix=header.prefix,
        parent=header.parent,
        in_force_from=header.in_force_from,
        in_force_from_assumed=header.in_force_from_assumed,
        in_force_from_note=header.in_force_from_note,
        in_force_until=header.in_force_until,
        references=tuple(references.values()),
        rules=rules,
        parameters={name: p for name, p in parameters.items() if p is not None},
        selectable_only=header.selectable_only,
        vocabulary=vocabulary,
    )


def _vocabulary(table: _Vocabulary, problems: list[Text]) -> PackVocabulary:
    """Return the words a pack declares; a repeated id is a problem at its key."""
    lists: dict[str, tuple[Term, ...] | None] = {}
    for which in ("grades", "words", "actions"):
        terms: list[_Term] | None = getattr(table, which)
        if terms is None:
            lists[which] = None
            continue
        seen: set[str] = set()
        for index, term in enumerate(terms):
            if term.id in seen:
                problems.append(
                    _at(
                        f"vocabulary.{which}[{index}].id",
                        Text(zh=f"重复的 id {term.id!r}", en=f"repeated id {term.id!r}"),
                    )
                )
            seen.add(term.id)
        lists[which] = tuple(Term(t.id, Text(zh=t.zh, en=t.en)) for t in terms)
    return PackVocabulary(grades=lists["grades"], words=lists["words"], actions=lists["actions"])


def _unexplained(where: str, what: str) -> Text:
    """Return the problem of a mark ``assumed = true`` with no note saying why."""
    zh_what = "施行日期" if what == "in_force_from" else "该规则"
    return _at(
        where,
        Text(
            zh=f"{zh_what}标明为假定(assumed = true),请用 note 说明理由",
            en=f"{what} is marked assumed = true: say why in a note",
        ),
    )


Cite = Callable[[str | None, str | None, str], Citation | None]


def _parameter(
    name: str, parameter: _Parameter, cite: Cite, problems: list[Text]
) -> Parameter | None:
    where = f'parameters."{name}"'
    values = []
    before = len(problems)
    for index, item in enumerate(parameter.values):
        at = f"{where}.values[{index}]"
        try:
            value = _typed(parameter.kind, item.value)
        except ValueError as error:
            problems.append(_at(f"{at}.value", texts_of_any(error)))
            continue
        if item.reference is None and not item.assumed:
            problems.append(
                _at(
                    at,
                    Text(
                        zh="请引用依据(reference),或标明 assumed = true",
                        en="cite a reference or mark the value assumed = true",
                    ),
                )
            )
        values.append(
            DatedValue(
                effective_from=item.from_,
                value=value,
                citation=cite(item.reference, item.article, at),
                assumed=item.assumed,
                note=item.note,
            )
        )
    if len(problems) > before:
        return None
    try:
        return Parameter(name=name, kind=parameter.kind, values=tuple(values))
    except ValueError as error:
        problems.append(_at(where, texts_of_any(error)))
        return None


_COMPARISONS: tuple[Comparison, ...] = ("at_least", "more_than", "at_most", "less_than")


def _typed(kind: ParameterKind, raw: Any) -> Value:
    if kind == "integer":
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise Invalid(
                Text(zh=f"应为整数,而不是 {raw!r}", en=f"expected an integer, got {raw!r}")
            )
        return raw
    if kind == "fraction":
        return _fraction(raw)
    if kind == "decimal":
        return _decimal(raw)
    if kind == "text":
        if not isinstance(raw, str):
            raise Invalid(
                Text(zh=f"应为文本(字符串),而不是 {raw!r}", en=f"expected a string, got {raw!r}")
            )
        return raw
    if kind == "texts":
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise Invalid(
                Text(
                    zh=f"应为文本的列表,而不是 {raw!r}",
                    en=f"expected a list of strings, got {raw!r}",
                )
            )
        return tuple(raw)
    if kind == "table":
        if not isinstance(raw, dict):
            raise Invalid(
                Text(
                    zh=f"应为以十进制数文本为值的表,而不是 {raw!r}",
                    en=f"expected a table of decimal strings, got {raw!r}",
                ),
            )
        return {str(key): _decimal(item) for key, item in raw.items()}
    return _conditions(raw)


def _fraction(raw: Any) -> Fraction:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Fraction(raw)
    not_a_share = Invalid(
        Text(
            zh=f'应为精确的比例,如 "4/5",而不是 {raw!r}',
            en=f'expected an exact share like "4/5", got {raw!r}',
        ),
    )
    if not isinstance(raw, str):
        raise not_a_share
    try:
        share = Fraction(raw)
    except (ValueError, ZeroDivisionError):
        raise not_a_share from None
    if share < 0:
        raise Invalid(Text(zh=f"比例不能为负数:{raw!r}", en=f"a share cannot be negative: {raw!r}"))
    return share


def _decimal(raw: Any) -> Decimal:
    not_a_decimal = Invalid(
        Text(
            zh=f'应为十进制数文本,如 "0.90",而不是 {raw!r}',
            en=f'expected a decimal string like "0.90", got {raw!r}',
        ),
    )
    if not isinstance(raw, str):
        raise not_a_decimal
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise not_a_decimal from None
    if not amount.is_finite() or amount < 0:
        raise Invalid(
            Text(
                zh=f"应为有限的非负十进制数,而不是 {raw!r}",
                en=f"expected a finite, non-negative decimal, got {raw!r}",
            ),
        )
    return amount


def _conditions(raw: Any) -> tuple[ShareCondition, ...]:
    if not isinstance(raw, list):
        raise Invalid(
            Text(
                zh="应为由 {grade, words, comparison, share} 组成的列表",
                en="expected a list of {grade, words, comparison, share}",
            ),
        )
    conditions = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or set(item) != {"grade", "words", "comparison", "share"}:
            raise Invalid(
                Text(
                    zh=f"[{index}]: 应恰好包含 grade、words、comparison、share",
                    en=f"[{index}]: expected exactly grade, words, comparison, share",
                ),
            )
        words = item["words"]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise Invalid(
                Text(
                    zh=f"[{index}].words: 应为测评票选项的列表",
                    en=f"[{index}].words: expected a list of ballot words",
                ),
            )
        grade = item["grade"]
        if not isinstance(grade, str):
            raise Invalid(
                Text(
                    zh=f"[{index}].grade: 应为等次的 id", en=f"[{index}].grade: expected a grade id"
                )
            )
        if item["comparison"] not in _COMPARISONS:
            raise Invalid(
                Text(
                    zh=f"[{index}].comparison: 应为以下之一:{'、'.join(_COMPARISONS)}",
                    en=f"[{index}].comparison: expected one of {', '.join(_COMPARISONS)}",
                ),
            )
        conditions.append(
            ShareCondition(grade, tuple(words), item["comparison"], _fraction(item["share"]))
        )
    return tuple(conditions)
