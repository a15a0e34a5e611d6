"""What every command shares: exit codes, refusals, consoles, languages."""

from __future__ import annotations

import argparse
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from rich.console import Console

from zhiping.errors import escape_controls
from zhiping.glossary import Lang, Text
from zhiping.packs.registry import PackRegistry

__all__ = [
    "COMMANDS",
    "EXIT_FAULT",
    "EXIT_INPUT",
    "EXIT_OK",
    "Refused",
    "StdoutConsole",
    "WideHelpFormatter",
    "add_help",
    "add_lang",
    "add_parser",
    "default_lang",
    "help_formatter",
    "iso_date",
    "requested_lang",
    "require_pack",
    "wide_console",
    "wrap_wide",
]

EXIT_OK, EXIT_FAULT, EXIT_INPUT = 0, 1, 2


class Refused(Exception):
    """A request the CLI turns down as bad input (exit 2): ``Refused(Text(zh=…, en=…))``.

    Control characters in the text (a file name may hold one) are escaped
    (:func:`~zhiping.errors.escape_controls`).

    Args:
        text: what to print, in Chinese and in English; ``str(error)`` is the English.

    Attributes:
        text: what to print, in Chinese and in English.
    """

    def __init__(self, text: Text) -> None:
        shown = Text(zh=escape_controls(text.zh), en=escape_controls(text.en))
        super().__init__(shown.en)
        self.text = shown


def require_pack(registry: PackRegistry, name: str) -> None:
    """Refuse a pack name that no installed pack has, listing the installed ones.

    Raises:
        Refused: no pack is named ``name``.
    """
    if name not in registry.packs:
        installed = ", ".join(registry.names())
        raise Refused(
            Text(
                zh=f"没有名为 {name!r} 的规则包;已安装:{installed}",
                en=f"no pack named {name!r}; installed: {installed}",
            ),
        )


def default_lang() -> Lang:
    """Return the language ``LANG`` asks for: Chinese for ``zh*``, else English."""
    return "zh" if os.environ.get("LANG", "").startswith("zh") else "en"


def requested_lang(argv: Sequence[str]) -> Lang:
    """Return the language ``argv`` asks for with ``--lang``, so the help can be in it.

    The command line is built in the language it is to speak, before it parses ``argv``:
    this looks for ``--lang zh``, ``--lang=zh`` or an abbreviation argparse accepts
    (``--la zh``) anywhere before a ``--``; the last one wins. Without one, or when its value
    is not a language, it returns :func:`default_lang`, and argparse reports the bad value.
    """
    asked: str | None = None
    words = list(argv)
    for index, word in enumerate(words):
        if word == "--":
            break
        option, equals, attached = word.partition("=")
        if option in _LANG_OPTIONS:
            asked = attached if equals else next(iter(words[index + 1 :]), None)
    if asked == "zh":
        return "zh"
    if asked == "en":
        return "en"
    return default_lang()


_LANG_OPTIONS = frozenset({"--l", "--la", "--lan", "--lang"})
"""``--lang`` and the abbreviations argparse takes for it (no other option starts ``--l``)."""

_LANG_HELP = Text(
    zh="所有消息的语言,也是 text 输出、csv 列名和 html 输出的语言(默认取自 LANG:{default})",
    en=(
        "language of every message, and of the text, csv names and html output "
        "(default from LANG: {default})"
    ),
)
COMMANDS = Text(zh="命令", en="commands")
"""The title of the list of commands, in every parser that has one."""

_HELP_HELP = Text(zh="显示此帮助信息并退出", en="show this help message and exit")


def add_help(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """Add ``-h, --help`` with its help in ``lang``, to a parser made with ``add_help=False``.

    argparse words its own ``-h`` from gettext, in English here; zhiping words it itself.
    """
    parser.add_argument("-h", "--help", action="help", help=_HELP_HELP[lang])


def add_parser(commands: Any, name: str, lang: Lang, **options: Any) -> argparse.ArgumentParser:
    """Add the command ``name`` to ``commands`` (what ``add_subparsers`` returns), in ``lang``.

    Args:
        commands: the parser's subcommands.
        name: the command's name.
        lang: the language of its help, ``-h`` included, and how its help is wrapped.
        options: for ``add_parser``: ``help``, ``description``, already in ``lang``.
    """
    parser: argparse.ArgumentParser = commands.add_parser(
        name, add_help=False, formatter_class=help_formatter(lang), **options
    )
    add_help(parser, lang)
    return parser


def help_formatter(lang: Lang) -> type[argparse.HelpFormatter]:
    """Return how to lay out help in ``lang``: argparse's own for English."""
    return WideHelpFormatter if lang == "zh" else argparse.HelpFormatter


class WideHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, wrapping Chinese text by the columns a terminal gives it.

    argparse wraps with :mod:`textwrap`, which counts a Chinese character as one column
    and breaks lines only at spaces, so Chinese help would run to twice the terminal's
    width. This counts two columns for a wide character and breaks between any two, but
    not before closing punctuation nor after an opening bracket. It overrides the two
    methods argparse's own :class:`argparse.RawTextHelpFormatter` overrides.
    """

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_wide(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_wide(text, width - len(indent)))


_PIECES = re.compile(r"\s+|[^\s\u2e80-\uffff]+|[\u2e80-\uffff]")
"""Spaces, a run of narrow characters (a word), or one wide character."""

# ASCII and full-width (escaped, as they look alike) punctuation.
_CLOSING = tuple(",.;:!?)]}、。\uff0c\uff1b\uff1a\uff01\uff1f\uff09》」』")
_OPENING = tuple("([{\uff08《「『")


def wrap_wide(text: str, width: int) -> list[str]:
    """Wrap ``text`` into lines of at most ``width`` columns, a wide character taking two.

    Runs of white space become one space, as argparse makes them; a word wider than
    ``width`` gets a line of its own.
    """
    pieces: list[str] = []
    for piece in _PIECES.findall(text.strip()):
        glued = bool(pieces) and not piece.isspace() and not pieces[-1].isspace()
        if glued and (piece.startswith(_CLOSING) or pieces[-1].endswith(_OPENING)):
            pieces[-1] += piece
        else:
            pieces.append(" " if piece.isspace() else piece)
    lines: list[str] = []
    line, used = "", 0
    for piece in pieces:
        size = _columns(piece)
        if used and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        if piece == " " and not used:
            continue
        line, used = line + piece, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def add_lang(parser: argparse.ArgumentParser, lang: Lang) -> None:
    """Add ``--lang zh|en``, defaulting to Chinese where ``LANG`` says so; help in ``lang``."""
    default = default_lang()
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help=_LANG_HELP[lang].format(default=default),
    )


def add_outcome_version(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Add ``--outcome-version 1|2``: ``zhiping.outcome/1`` (the default) or the compact ``/2``."""
    parser.add_argument(
        "--outcome-version", type=int, choices=(1, 2), default=1, metavar="1|2", help=help_text
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
