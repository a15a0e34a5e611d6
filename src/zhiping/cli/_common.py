"""What every command shares: exit codes, refusals, consoles, languages."""

from __future__ import annotations

import argparse
import os
from datetime import date

from rich.console import Console

from zhiping.glossary import Lang, Text

__all__ = [
    "EXIT_FAULT",
    "EXIT_INPUT",
    "EXIT_OK",
    "Refused",
    "StdoutConsole",
    "add_lang",
    "default_lang",
    "iso_date",
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


def default_lang() -> Lang:
    """Return the language ``LANG`` asks for: Chinese for ``zh*``, else English."""
    return "zh" if os.environ.get("LANG", "").startswith("zh") else "en"


def add_lang(parser: argparse.ArgumentParser) -> None:
    """Add ``--lang zh|en``, defaulting to Chinese where ``LANG`` says so."""
    default = default_lang()
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help=f"language of every message, and of the text, csv names and html output "
        f"(default from LANG: {default})",
    )


class StdoutConsole(Console):
    """A rich console that lets a closed pipe (``| head``) reach :func:`zhiping.cli.main`.

    rich's own answer to a broken pipe is ``SystemExit(1)``; the command line's is to stop
    quietly with status 0, as command-line tools do.
    """

    def on_broken_pipe(self) -> None:
        """Raise :class:`BrokenPipeError` for ``main`` to handle."""
        raise BrokenPipeError


def wide_console() -> Console:
    """Return a console for tables: the terminal's width, or 160 columns into a pipe."""
    console = StdoutConsole(highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console = StdoutConsole(highlight=False, soft_wrap=True, width=160)
    return console


def iso_date(text: str) -> date:
    """Parse a ``YYYY-MM-DD`` argument."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2027-01-15: {text!r}") from None
