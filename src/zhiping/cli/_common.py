"""What every command shares: exit codes, refusals, consoles, languages, reading files."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from zhiping.glossary import Text

__all__ = [
    "EXIT_FAULT",
    "EXIT_INPUT",
    "EXIT_OK",
    "Refused",
    "add_lang",
    "iso_date",
    "read_text",
    "wide_console",
]

EXIT_OK, EXIT_FAULT, EXIT_INPUT = 0, 1, 2


class Refused(Exception):
    """A request the CLI turns down as bad input (exit 2), with its message in both languages.

    Attributes:
        text: what to print, in Chinese and in English.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.text = Text(zh, en)


def add_lang(parser: argparse.ArgumentParser) -> None:
    """Add ``--lang zh|en``, defaulting to Chinese where ``LANG`` says so."""
    default = "zh" if os.environ.get("LANG", "").startswith("zh") else "en"
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help=f"language of the text output (default from LANG: {default})",
    )


def wide_console() -> Console:
    """Return a console for tables: the terminal's width, or 160 columns into a pipe."""
    console = Console(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console = Console(highlight=False, soft_wrap=True, width=160)
    return console


def read_text(name: str) -> str:
    """Read a UTF-8 file, or standard input for ``-``.

    Raises:
        Refused: the file cannot be read or is not UTF-8.
    """
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or str(error)
        raise Refused(f"无法读取 {name}:{reason}", f"cannot read {name}: {reason}") from None
    except UnicodeDecodeError as error:
        raise Refused(
            f"{name}:不是 UTF-8 文本({error.reason})", f"{name}: not UTF-8 text ({error.reason})"
        ) from None


def iso_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2027-01-15: {text!r}") from None
