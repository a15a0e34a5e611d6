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
from zhiping.packs.model import Chain, Pack
from zhiping.rules import Mechanism, ParameterType, Vocabulary

__all__ = ["TALLY_MECHANISM", "value_problems", "vocabulary_of"]

TALLY_MECHANISM = "tally_marks"
"""The mechanism whose ``scale`` and ``abstentions`` give the chain's ballot words."""


def vocabulary_of(chain: Chain, mechanisms: Mapping[str, Mechanism]) -> Vocabulary:
    """Return the grades, ballot words and actions the chain's values may name.

    Grades and actions are the glossary's; the ballot words are every word the tally
    rule's ``scale`` (and ``abstentions``) takes in the most specific pack that sets it.
    """
    tally = next(
        (
            rule.id
            for rule in chain.rules()
            if rule.mechanism == TALLY_MECHANISM and TALLY_MECHANISM in mechanisms
        ),
        None,
    )
    if tally is None:
        return Vocabulary()
    default = Vocabulary()
    return Vocabulary(
        words=_every_word(chain, f"{tally}.scale") or default.words,
        abstentions=_every_word(chain, f"{tally}.abstentions") or default.abstentions,
    )


def _every_word(chain: Chain, name: str) -> tuple[str, ...]:
    for pack in reversed(chain.packs):
        parameter = pack.parameters.get(name)
        if parameter is not None:
            words: dict[str, None] = {}
            for dated in parameter.values:
                if isinstance(dated.value, tuple):
                    words.update(dict.fromkeys(w for w in dated.value if isinstance(w, str)))
            return tuple(words)
    return ()


def value_problems(
    chain: Chain, declared: Mapping[str, ParameterType], vocabulary: Vocabulary
) -> list[Text]:
    """Return every problem of every dated value the chain's packs set, each placed.

    Each names the pack's file, the key (``parameters."x.y".values[i]``) and the value:
    a value its declaration refuses, or a pack's first value that starts after the
    pack comes into force (once a pack sets a parameter, its parent's value no longer
    applies, so the days in between would have none).
    """
    problems: list[Text] = []
    for pack in chain.packs:
        for name, parameter in pack.parameters.items():
            declaration = declared.get(name)
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
