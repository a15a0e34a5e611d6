"""Rendering the installed packs for people: a list, and one pack's chain and parameters."""

from __future__ import annotations

import json
from datetime import date

from rich.console import Console
from rich.table import Table

from zhiping.documents.values import Value, value_to_json
from zhiping.glossary import Lang, Text
from zhiping.packs.model import Pack, vocabulary_of_packs
from zhiping.packs.parameters import DatedValue
from zhiping.packs.registry import PackRegistry
from zhiping.rules import RuleDefinition

__all__ = ["render_pack", "render_packs"]

_LABELS = {
    "name": Text(zh="名称", en="name"),
    "title": Text(zh="辖区", en="jurisdiction"),
    "prefix": Text(zh="区划代码前缀", en="prefix"),
    "parent": Text(zh="上级", en="parent"),
    "in_force": Text(zh="施行", en="in force"),
    "origin": Text(zh="来源", en="origin"),
    "bundled": Text(zh="zhiping 自带", en="bundled"),
    "by_name": Text(zh="仅按名称选用", en="by name only"),
    "chain": Text(zh="规则链", en="chain"),
    "rules": Text(zh="规则", en="rules"),
    "rule": Text(zh="规则", en="rule"),
    "mechanism": Text(zh="机制", en="mechanism"),
    "pack": Text(zh="规则包", en="pack"),
    "parameters": Text(zh="参数", en="parameters"),
    "parameter": Text(zh="参数", en="parameter"),
    "value": Text(zh="取值", en="value"),
    "from": Text(zh="起始日期", en="from"),
    "source": Text(zh="依据", en="source"),
    "assumed": Text(zh="假定", en="assumed"),
    "disabled": Text(zh="停用", en="disabled"),
    "rule_disabled": Text(zh="所属规则已停用,不适用", en="its rule is disabled: not applied"),
    "in_force_on": Text(zh="标 ● 者为该日有效取值", en="● marks the value in force on"),
    "words": Text(zh="用语", en="words"),
    "default": Text(
        zh="机制的默认值:没有规则包设定(假定)",
        en="the mechanism's default: no pack sets it (assumed)",
    ),
    "list": Text(zh="类别", en="list"),
    "id": Text(zh="标识", en="id"),
    "label": Text(zh="写法", en="label"),
    "grades": Text(zh="等次(由高到低)", en="grades (best first)"),
    "ballot_words": Text(zh="测评票选项", en="ballot words"),
    "actions": Text(zh="处理方式", en="actions"),
}


def _label(key: str, lang: Lang) -> str:
    return _LABELS[key][lang]


def render_packs(registry: PackRegistry, console: Console, lang: Lang) -> None:
    """Print every installed pack with its prefix, parent, dates in force and origin."""
    table = Table(show_edge=False, pad_edge=False)
    for key in ("name", "title", "prefix", "parent", "in_force", "origin"):
        table.add_column(_label(key, lang), no_wrap=True)
    for name in registry.names():
        pack = registry.packs[name]
        prefix = _label("by_name", lang) if pack.selectable_only else (pack.prefix or "—")
        table.add_row(
            pack.name,
            pack.title[lang],
            prefix,
            pack.parent or "—",
            _in_force(pack),
            _origin(registry, name, lang),
        )
    console.print(table)


def render_pack(
    registry: PackRegistry, name: str, console: Console, lang: Lang, *, on: date | None = None
) -> None:
    """Print a pack's chain, its words, the rules in force in it, and every parameter's values.

    Each rule and parameter is shown from the most specific pack of the chain that
    speaks to it, as the engine resolves them.
    """
    line = registry.lineage(name)
    pack = line[-1]
    console.print(f"{pack.name}: {pack.title[lang]}", style="bold")
    console.print(f"{_label('chain', lang)}: {' ► '.join(p.name for p in line)}")
    console.print(
        f"{_label('in_force', lang)}: {_in_force(pack)}{_in_force_mark(pack, lang)}; "
        f"{_label('origin', lang)}: {_origin(registry, name, lang)}"
    )
    console.print()
    console.print(_words_table(line, lang))
    console.print()
    console.print(_rules_table(line, lang))
    console.print()
    if on is not None:
        console.print(f"{_label('in_force_on', lang)} {on.isoformat()}")
    console.print(_parameters_table(line, lang, on, _defaults(registry, line)))


def _words_table(line: tuple[Pack, ...], lang: Lang) -> Table:
    """Return the chain's grades, ballot words and actions, with the pack declaring each."""
    table = Table(title=_label("words", lang), show_edge=False, pad_edge=False)
    for key in ("list", "id", "label", "pack"):
        table.add_column(_label(key, lang))
    vocabulary = vocabulary_of_packs(line)
    lists = (
        ("grades", "grades", vocabulary.grades),
        ("ballot_words", "words", (*vocabulary.words, *vocabulary.abstentions)),
        ("actions", "actions", vocabulary.actions),
    )
    for label, which, ids in lists:
        declaring = next((p.name for p in reversed(line) if getattr(p.vocabulary, which)), "—")
        for index, identifier in enumerate(ids):
            table.add_row(
                _label(label, lang) if index == 0 else "",
                identifier,
                vocabulary.name_of(identifier)[lang],
                declaring,
            )
    return table


def _rules_table(line: tuple[Pack, ...], lang: Lang) -> Table:
    table = Table(title=_label("rules", lang), show_edge=False, pad_edge=False)
    for key in ("rule", "mechanism", "pack", "source"):
        table.add_column(_label(key, lang))
    for rule in _resolved_rules(line):
        mechanism = rule.mechanism or f"{_label('disabled', lang)}: {rule.disabled}"
        basis = "; ".join(f"{c.title} {c.article}" if c.article else c.title for c in rule.basis)
        if rule.assumed:
            assumed = f"{_label('assumed', lang)}: {rule.note}"
            basis = f"{basis}; {assumed}" if basis else assumed
        table.add_row(rule.id, mechanism, rule.pack, basis)
    return table


def _defaults(registry: PackRegistry, line: tuple[Pack, ...]) -> dict[str, Value]:
    """Return the optional parameters of the chain's rules that no pack sets, with defaults."""
    found: dict[str, Value] = {}
    for rule in _resolved_rules(line):
        mechanism = registry.mechanisms.get(rule.mechanism or "")
        for name, declared in mechanism.parameters.items() if mechanism else ():
            key = f"{rule.id}.{name}"
            if declared.default is not None and not any(key in p.parameters for p in line):
                found[key] = declared.default
    return found


def _parameters_table(
    line: tuple[Pack, ...], lang: Lang, on: date | None, defaults: dict[str, Value]
) -> Table:
    table = Table(title=_label("parameters", lang), show_edge=False, pad_edge=False)
    for key in ("parameter", "value", "from", "pack", "source"):
        table.add_column(_label(key, lang))
    resolved = {
        name: (pack, parameter) for pack in line for name, parameter in pack.parameters.items()
    }
    disabled = {rule.id for rule in _resolved_rules(line) if rule.disabled is not None}
    for name in sorted(resolved):
        pack, parameter = resolved[name]
        off = name.rsplit(".", 1)[0] in disabled
        current = parameter.value_on(on) if on and not off else None
        for dated in parameter.values:
            mark = "● " if dated is current else ""
            table.add_row(
                f"{mark}{name}",
                _shown(dated),
                dated.effective_from.isoformat(),
                pack.name,
                f"{_label('rule_disabled', lang)}" if off else _source(dated, lang),
            )
    for name, value in sorted(defaults.items()):
        shown = json.dumps(value_to_json(value), ensure_ascii=False)
        table.add_row(name, shown, "—", "—", _label("default", lang))
    return table


def _resolved_rules(line: tuple[Pack, ...]) -> list[RuleDefinition]:
    return list({rule.id: rule for pack in line for rule in pack.rules}.values())


def _shown(dated: DatedValue) -> str:
    value = value_to_json(dated.value)
    if isinstance(value, list):
        return ", ".join(
            item
            if isinstance(item, str)
            else f"{item['grade']}: {' + '.join(item['words'])} "
            f"{item['comparison']} {item['share']}"
            for item in value
        )
    if isinstance(value, dict):
        return ", ".join(f"{key} {amount}" for key, amount in value.items())
    return str(value)


def _source(dated: DatedValue, lang: Lang) -> str:
    if dated.assumed:
        note = f": {dated.note}" if dated.note else ""
        return f"{_label('assumed', lang)}{note}"
    if dated.citation is None:
        return "—"
    article = f" {dated.citation.article}" if dated.citation.article else ""
    return f"{dated.citation.title}{article}"


def _in_force(pack: Pack) -> str:
    until = pack.in_force_until.isoformat() if pack.in_force_until else "…"
    return f"{pack.in_force_from.isoformat()} – {until}"


def _in_force_mark(pack: Pack, lang: Lang) -> str:
    if not pack.in_force_from_assumed:
        return ""
    return f" ({_label('assumed', lang)}: {pack.in_force_from_note})"


def _origin(registry: PackRegistry, name: str, lang: Lang) -> str:
    origin = registry.origins.get(name, "—")
    return _label("bundled", lang) if origin == "bundled" else origin
