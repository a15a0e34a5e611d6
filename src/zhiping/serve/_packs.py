"""What the service says of the installed packs: their chains, words, dated parameters,
and the JSON Schemas of the documents, as ``zhiping packs`` and ``zhiping schema`` do."""

from __future__ import annotations

from typing import Any, Literal

from zhiping.documents.schemas import document_schema as schema_of
from zhiping.documents.values import value_to_json
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import Problem
from zhiping.glossary import Text
from zhiping.packs.registry import PackRegistry
from zhiping.serve._problems import HttpProblem

__all__ = ["document_schema", "pack_detail", "pack_summary", "require_pack"]


def pack_summary(registry: PackRegistry, name: str) -> dict[str, Any]:
    """Return a pack briefly: name, title, prefix, parent, dates in force, origin."""
    pack = registry.packs[name]
    until = pack.in_force_until
    return {
        "name": pack.name,
        "title": pack.title.to_json(),
        "prefix": pack.prefix,
        "parent": pack.parent,
        "in_force_from": pack.in_force_from.isoformat(),
        "in_force_until": None if until is None else until.isoformat(),
        "origin": registry.origins.get(name, "bundled"),
    }


def pack_detail(registry: PackRegistry, name: str) -> dict[str, Any]:
    """Return a pack: its chain (root first), its words, every dated parameter value.

    Raises:
        HttpProblem: 404, no pack has that name.
    """
    require_pack(registry, name, status=404)
    chain = registry.check_pack(name)
    return {
        **pack_summary(registry, name),
        "chain": list(chain.names),
        "vocabulary": _vocabulary_json(chain.vocabulary),
        "parameters": [
            {
                "name": parameter.name,
                "pack": pack.name,
                "value": value_to_json(dated.value),
                "effective_from": dated.effective_from.isoformat(),
                "citation": None
                if dated.citation is None
                else {
                    "title": dated.citation.title,
                    "article": dated.citation.article,
                    "url": dated.citation.url,
                },
                "assumed": dated.assumed,
                "note": dated.note,
            }
            for pack in chain.packs
            for parameter in pack.parameters.values()
            for dated in parameter.values
        ],
    }


def document_schema(
    registry: PackRegistry,
    document: Literal["session", "outcome"],
    *,
    pack: str | None,
    version: int,
) -> dict[str, Any]:
    """Return the JSON Schema of a document, as ``zhiping schema`` prints it.

    Raises:
        HttpProblem: 422, no pack has the name ``pack``.
    """
    vocabulary = None
    if pack is not None:
        require_pack(registry, pack)
        vocabulary = registry.check_pack(pack).vocabulary
    return schema_of(document, version=version, pack=pack, vocabulary=vocabulary)


def require_pack(registry: PackRegistry, name: str | None, *, status: int = 422) -> None:
    """Refuse a pack name that no installed pack has, listing the installed ones.

    Raises:
        HttpProblem: ``status`` (422 for a parameter, 404 for a path), at ``pack``.
    """
    if name is None or name in registry.packs:
        return
    installed = ", ".join(registry.names())
    raise HttpProblem(
        status,
        "no-such-pack",
        Text(zh="没有这个规则包", en="no such pack"),
        [
            Problem(
                "pack",
                Text(
                    zh=f"没有名为 {name!r} 的规则包;已安装:{installed}",
                    en=f"no pack named {name!r}; installed: {installed}",
                ),
            )
        ],
        in_body=False,
    )


def _vocabulary_json(vocabulary: Vocabulary) -> dict[str, Any]:
    def words(ids: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"id": word, **vocabulary.name_of(word).to_json()} for word in ids]

    return {
        "grades": words(vocabulary.grades),
        "words": words(vocabulary.words),
        "abstentions": words(vocabulary.abstentions),
        "actions": words(vocabulary.actions),
    }
