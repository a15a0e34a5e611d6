"""``zhiping schema session|outcome``: the JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from zhiping.cli._common import EXIT_OK, add_lang, add_parser
from zhiping.documents.outcome import OutcomeDocument
from zhiping.documents.session import Session
from zhiping.glossary import Lang, Text

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
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Print the schema."""
    model = Session if arguments.document == "session" else OutcomeDocument
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:zhiping:{arguments.document}:1",
        **model.model_json_schema(by_alias=True),
    }
    sys.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
