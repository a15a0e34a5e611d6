"""``zhiping schema session|outcome``: the JSON Schemas generated from the models."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from zhiping.cli._common import EXIT_OK, add_lang
from zhiping.outcome import OutcomeDocument
from zhiping.session import Session

__all__ = ["add_command"]


def add_command(commands: Any) -> None:
    """Add ``schema`` to the command line."""
    parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of a document",
        description="Print the JSON Schema generated from the document models.",
    )
    parser.add_argument("document", choices=("session", "outcome"))
    add_lang(parser)
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
