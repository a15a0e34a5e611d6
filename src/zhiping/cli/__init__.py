"""The command line: ``zhiping evaluate | demo | synth | packs | schema | store``.

One module per command; this one assembles them and turns errors into exit codes.

Exit status (DESIGN §8): 0 when evaluated (a void session is a result, not a failure);
2 for bad input, with every problem and its JSON path on stderr and no traceback; 1 for
a fault of zhiping itself or of an installed pack.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from rich.console import Console

from zhiping._version import __version__
from zhiping.cli import demo, evaluate, packs, schema, serve, store, synth
from zhiping.cli._common import (
    COMMANDS,
    EXIT_FAULT,
    EXIT_INPUT,
    EXIT_OK,
    Refused,
    add_help,
    default_lang,
    help_formatter,
    requested_lang,
)
from zhiping.errors import InputError, NoApplicableRule, PackError, StoreError, escape_controls
from zhiping.glossary import Lang, Text

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    arguments = _parser(requested_lang(argv)).parse_args(argv)
    stderr = Console(stderr=True, highlight=False, soft_wrap=True)
    lang: Lang = getattr(arguments, "lang", default_lang())
    try:
        return int(arguments.run(arguments))
    except InputError as error:
        _print_problems(error, stderr, lang)
        return EXIT_INPUT
    except NoApplicableRule as error:
        _say(stderr, error.message(lang))
        _say(stderr, _CHOOSE_A_PACK[lang])
        return EXIT_INPUT
    except Refused as error:
        _say(stderr, error.text[lang])
        return EXIT_INPUT
    except StoreError as error:
        _say(stderr, error.message(lang))
        return EXIT_INPUT
    except PackError as error:
        _say(stderr, f"{_PACK_UNUSABLE[lang]}: {error.message(lang)}")
        return EXIT_FAULT
    except KeyboardInterrupt:
        _say(stderr, _INTERRUPTED[lang])
        return 130
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, as command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # the last line of defence: a fault of zhiping itself
        _say(stderr, f"{_INTERNAL[lang]}: {type(error).__name__}: {escape_controls(str(error))}")
        if os.environ.get("ZHIPING_DEBUG"):
            stderr.print(traceback.format_exc(), markup=False)
        else:
            _say(stderr, _SEE_TRACEBACK[lang])
        return EXIT_FAULT


_CHOOSE_A_PACK = Text(
    zh="请用 --pack NAME 选定规则包;'zhiping packs' 列出已安装的规则包",
    en="choose a pack with --pack NAME; 'zhiping packs' lists them",
)
_PACK_UNUSABLE = Text(zh="规则包无法使用", en="a rule pack cannot be used")
_INTERRUPTED = Text(zh="已中断", en="interrupted")
_INTERNAL = Text(zh="内部错误", en="internal error")
_SEE_TRACEBACK = Text(
    zh="(设置 ZHIPING_DEBUG=1 可查看调用栈;请报告此问题)",
    en="(set ZHIPING_DEBUG=1 to see the traceback; please report it)",
)


def _say(console: Console, message: str) -> None:
    console.print(f"zhiping: {message}", markup=False)


_DESCRIPTION = Text(
    zh="由群众按各街镇的规则直接评议村干部(直评村官)。",
    en="Evaluate village cadres directly by the people (直评村官) under the rules of each town.",
)
_VERSION_HELP = Text(zh="显示程序版本号并退出", en="show program's version number and exit")


def _parser(lang: Lang = "en") -> argparse.ArgumentParser:
    """Return the command line, its help texts in ``lang`` (English for the docs site)."""
    parser = argparse.ArgumentParser(
        prog="zhiping",
        description=_DESCRIPTION[lang],
        formatter_class=help_formatter(lang),
        add_help=False,
    )
    add_help(parser, lang)
    parser.add_argument(
        "--version",
        action="version",
        version=f"zhiping {__version__}",
        help=_VERSION_HELP[lang],
    )
    commands = parser.add_subparsers(title=COMMANDS[lang], required=True, metavar="COMMAND")
    for command in (evaluate, demo, synth, packs, schema, store, serve):
        command.add_command(commands, lang)
    return parser


def _print_problems(error: InputError, console: Console, lang: Lang) -> None:
    where = f"{error.source}: " if error.source else ""
    count = len(error.problems)
    if lang == "zh":
        _say(console, f"{where}共{count}处问题;未作任何评议")
    else:
        _say(console, f"{where}{count} problem{'s' if count != 1 else ''}; nothing was evaluated")
    for problem in error.problems:
        console.print(f"  {problem.describe(lang)}", markup=False)
