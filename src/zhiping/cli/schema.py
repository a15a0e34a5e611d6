"""``zhiping schema session|outcome [--pack NAME]``: the JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from zhiping.cli._common import EXIT_OK, add_lang, add_outcome_version, add_parser, require_pack
from zhiping.documents.schemas import document_schema
from zhiping.glossary import Lang, Text
from zhiping.packs.registry import default_registry

__all__ = ["add_command"]


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``schema`` to the command line, its help in ``lang``."""
    parser = add_parser(
        commands,
        "schema",
        lang,
        help=Text(zh="输出一种文档的 JSON Schema", en="print the JSON Schema of a document")[lang],
        description=Text(
            zh="输出由文档模型生成的 JSON Schema。",
            en="Print the JSON Schema generated from the document models.",
        )[lang],
    )
    parser.add_argument("document", choices=("session", "outcome"))
    parser.add_argument(
        "--pack",
        metavar="NAME",
        help=Text(
            zh="按该规则包链的等次、测评票选项和处理方式给出枚举值",
            en="list the grades, ballot words and actions of this pack's chain as enums",
        )[lang],
    )
    add_outcome_version(
        parser,
        Text(
            zh="结果文档的格式:1 为 zhiping.outcome/1(默认),2 为紧凑的 zhiping.outcome/2",
            en="the outcome format: 1 for zhiping.outcome/1 (default), 2 for the compact "
            "zhiping.outcome/2",
        )[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Print the schema; with ``--pack``, its grades, words and actions as enums.

    Without a pack, a grade, ballot word or action is any id (``^[a-z][a-z0-9_]*$``),
    marked ``x-zhiping-vocabulary``: each chain has its own, checked at evaluation.
    """
    vocabulary = None
    if arguments.pack is not None:
        registry = default_registry()
        require_pack(registry, arguments.pack)
        vocabulary = registry.check_pack(arguments.pack).vocabulary
    schema = document_schema(
        arguments.document,
        version=arguments.outcome_version,
        pack=arguments.pack,
        vocabulary=vocabulary,
    )
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
