"""Checking every dated value of a chain for its meaning, when the chain is built.

Each mechanism declares what its parameters must be (:mod:`zhiping.rules._parameters`);
here every value of every pack of a chain is held against that declaration and the
chain's :class:`~zhiping.rules.Vocabulary`, so that a misspelt grade or a table missing
a grade is refused when the packs load, never when a cadre first earns that grade.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from zhiping.documents.values import value_to_json
from zhiping.glossary import Text
from zhiping.packs.model import TALLY_MECHANISM, Chain, Pack
from zhiping.rules import Mechanism, ParameterType, Vocabulary

__all__ = ["TALLY_MECHANISM", "value_problems", "vocabulary_of", "vocabulary_problems"]


TALLY_WORDS = ("scale", "abstentions")
"""The tally rule's parameters that name ballot words."""


def vocabulary_of(chain: Chain, mechanisms: Mapping[str, Mechanism]) -> Vocabulary:
    """Return the grades, ballot words and actions the chain's values may name.

    The chain's own (:attr:`Chain.vocabulary`); ``mechanisms`` is kept for callers of the
    earlier signature.
    """
    del mechanisms
    return chain.vocabulary


def vocabulary_problems(chain: Chain) -> list[Text]:
    """Return what is wrong with the chain's words, each placed in its pack's file.

    Where the chain declares its ballot words, every word the tally rule's ``scale``
    and ``abstentions`` take must be one of them (a misspelt word would otherwise be
    printed as its id). An id in two lists (a grade and an action) must have one label.
    """
    problems: list[Text] = []
    declaring = next((p for p in reversed(chain.packs) if p.vocabulary.words), None)
    if declaring is not None and declaring.vocabulary.words is not None:
        declared = {term.id for term in declaring.vocabulary.words}
        tallying = [r.id for r in chain.rules() if r.mechanism == TALLY_MECHANISM]
        for name in (f"{rule_id}.{key}" for rule_id in tallying for key in TALLY_WORDS):
            pack = next((p for p in reversed(chain.packs) if name in p.parameters), None)
            if pack is None:
                continue
            for index, dated in enumerate(pack.parameters[name].values):
                words = dated.value if isinstance(dated.value, tuple) else ()
                for word in (w for w in words if w not in declared):
                    problems.append(
                        _placed(
                            pack,
                            f'parameters."{name}".values[{index}].value',
                            Text(
                                zh=f"{word!r} 不是 {declaring.name} 的 [vocabulary] words "
                                f"中的选项(应为 {'、'.join(sorted(declared))} 之一)",
                                en=f"{word!r} is not a ballot word that {declaring.name}'s "
                                f"[vocabulary] declares (expected one of "
                                f"{', '.join(sorted(declared))})",
                            ),
                        )
                    )
    seen: dict[str, tuple[str, Text]] = {}
    for pack in chain.packs:
        for which in ("grades", "words", "actions"):
            for term in getattr(pack.vocabulary, which) or ():
                earlier = seen.setdefault(term.id, (which, term.name))
                if earlier[0] != which and earlier[1] != term.name:
                    problems.append(
                        _placed(
                            pack,
                            f"vocabulary.{which}: {term.id}",
                            Text(
                                zh=f"与 {earlier[0]} 中的同名项写法不同({earlier[1].zh} 与 "
                                f"{term.name.zh}):一个 id 只能有一种写法",
                                en=f"labelled differently in {earlier[0]} ({earlier[1].en} and "
                                f"{term.name.en}): an id has one label",
                            ),
                        )
                    )
    return problems


def value_problems(
    chain: Chain, declared: Mapping[str, ParameterType], vocabulary: Vocabulary
) -> list[Text]:
    """Return every problem of every dated value the chain applies, each placed.

    Each names the pack's file, the key (``parameters."x.y".values[i]``) and the value:
    a value its declaration refuses, or a pack's first value that starts after the
    pack comes into force (once a pack sets a parameter, its parent's value no longer
    applies, so the days in between would have none). A parameter's values are those of
    the most specific pack that sets it: a parent's values it replaces are checked in
    the parent's own chain, against the parent's words (a town with its own grades
    replaces every table keyed by its parent's).
    """
    problems: list[Text] = []
    applied = {name: pack.name for pack in chain.packs for name in pack.parameters}
    for pack in chain.packs:
        for name, parameter in pack.parameters.items():
            declaration = declared.get(name) if applied[name] == pack.name else None
            for index, dated in enumerate(parameter.values):
                where = f'parameters."{name}".values[{index}]'
                shown = json.dumps(value_to_json(dated.value), ensure_ascii=False)
                found = declaration.problems(dated.value, vocabulary) if declaration else []
                problems.extend(_placed(pack, f"{where}.value = {shown}", p) for p in found)
            first = parameter.values[0].effective_from
            if first > pack.in_force_from:
                problems.append(
                    _placed(
                        pack,
                        f'parameters."{name}".values[0].from = {first}',
                        Text(
                            zh=f"晚于规则包施行之日 {pack.in_force_from}:规则包设定了这个参数,"
                            "上级规则包的取值就不再适用,其间的会议将没有取值",
                            en=f"after the pack comes into force on {pack.in_force_from}: "
                            "once the pack sets the parameter its parent's value no longer "
                            "applies, and sessions in between would have none",
                        ),
                    )
                )
    return problems


def _placed(pack: Pack, where: str, problem: Text) -> Text:
    source = pack.source or f"pack {pack.name}"
    return Text(zh=f"{source}: {where}: {problem.zh}", en=f"{source}: {where}: {problem.en}")
