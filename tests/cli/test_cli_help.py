"""``zhiping … --help`` speaks the language of ``--lang`` (or of ``LANG``), like the rest.

The commands and subcommands are discovered from the parser, so a new one is checked
without being named here. argparse's own words ("usage:", "options:", its errors) come
from gettext and stay in English.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterator

import pytest

from zhiping.cli import _parser, main
from zhiping.cli._common import requested_lang, wrap_wide
from zhiping.glossary import Lang

HAN = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither the machine's LANG nor its terminal width decides what the tests see."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("COLUMNS", "80")


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Yield every parser with the words that reach it: () for zhiping itself."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from _parsers(subparser, (*path, name))


COMMANDS = [path for path, _ in _parsers(_parser())]


def _name(path: tuple[str, ...]) -> str:
    return " ".join(("zhiping", *path))


def _parser_at(path: tuple[str, ...], lang: Lang) -> argparse.ArgumentParser:
    return dict(_parsers(_parser(lang)))[path]


def _texts(parser: argparse.ArgumentParser) -> list[str]:
    """Return zhiping's own texts in a parser's help, in a fixed order ("" where none)."""
    texts = [parser.description or ""]
    for group in parser._action_groups:
        if any(isinstance(a, argparse._SubParsersAction) for a in group._group_actions):
            texts.append(group.title or "")
    for action in parser._actions:
        texts.append(action.help or "")
        if isinstance(action, argparse._SubParsersAction):
            texts.extend(choice.help or "" for choice in action._choices_actions)
    return texts


def _shape(parser: argparse.ArgumentParser) -> list[tuple[object, ...]]:
    """Return what a parser accepts, without its texts."""
    return [
        (
            type(action).__name__,
            tuple(action.option_strings),
            action.dest,
            action.metavar,
            tuple(action.choices or ()),
            action.default,
            action.nargs,
            action.required,
        )
        for action in parser._actions
    ]


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 0
    return capsys.readouterr().out


def _squeezed(text: str) -> str:
    """Drop white space, which wrapping adds and moves."""
    return "".join(text.split())


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


def test_every_command_is_found() -> None:
    assert {" ".join(path) for path in COMMANDS} >= {
        "",
        "evaluate",
        "demo",
        "synth",
        "packs",
        "packs show",
        "schema",
        "store",
        "store verify",
        "store history",
        "store checkpoint",
        "store export",
    }


@pytest.mark.parametrize("path", COMMANDS, ids=_name)
def test_help_in_chinese(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> None:
    out = _help(capsys, [*path, "--help", "--lang", "zh"])
    shown = _squeezed(out)
    chinese, english = _texts(_parser_at(path, "zh")), _texts(_parser_at(path, "en"))
    for zh, en in zip(chinese, english, strict=True):
        assert _squeezed(zh) in shown
        if WORD.search(en):
            assert _squeezed(en) not in shown
    assert "显示此帮助信息并退出" in out
    assert out.startswith(f"usage: {_name(path)}")  # argparse's own word stays English


@pytest.mark.parametrize("path", COMMANDS, ids=_name)
def test_help_in_english(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> None:
    out = _help(capsys, [*path, "--help", "--lang", "en"])
    shown = _squeezed(out)
    chinese, english = _texts(_parser_at(path, "zh")), _texts(_parser_at(path, "en"))
    for zh, en in zip(chinese, english, strict=True):
        assert _squeezed(en) in shown
        if HAN.search(zh):
            assert _squeezed(zh) not in shown
    assert "show this help message and exit" in out


@pytest.mark.parametrize("path", COMMANDS, ids=_name)
def test_chinese_help_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = _help(capsys, [*path, "--help", "--lang", "zh"])
    # argparse leaves two columns of margin; a Chinese character takes two. (The usage is
    # argparse's to wrap, in English too.)
    wide = [line for line in out.splitlines() if HAN.search(line) and _columns(line) > 58]
    assert wide == []
    assert max(_columns(line) for line in out.splitlines() if HAN.search(line)) > 40


def test_lang_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "评议直评会文档并输出结果" in _help(capsys, ["--help"])
    assert "Evaluate one session document" in _help(capsys, ["evaluate", "-h", "--lang", "en"])


def test_lang_given_before_help_and_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert "重新计算审计链" in _help(capsys, ["store", "--help", "--lang=zh"])
    assert "检查点" in _help(capsys, ["store", "verify", "--lang=zh", "-h"])


@pytest.mark.parametrize(
    ("argv", "lang"),
    [
        (["evaluate", "--lang=zh", "f.json"], "zh"),
        (["evaluate", "f.json", "--lang", "zh"], "zh"),
        (["--lang", "zh", "evaluate", "f.json"], "zh"),
        (["evaluate", "--lang", "zh", "f.json", "--lang", "en"], "en"),
        (["evaluate", "--lang=en", "f.json", "--lang=zh"], "zh"),
        (["evaluate", "--la", "zh", "f.json"], "zh"),
        (["evaluate", "f.json"], "en"),
        (["evaluate", "f.json", "--lang", "xx"], "en"),
        (["evaluate", "f.json", "--lang=zh", "--lang=xx"], "en"),
        (["evaluate", "f.json", "--lang"], "en"),
        (["evaluate", "--", "--lang", "zh"], "en"),
        (["evaluate", "--language", "zh"], "en"),
        ([], "en"),
    ],
)
def test_requested_lang(argv: list[str], lang: Lang) -> None:
    assert requested_lang(argv) == lang


def test_requested_lang_falls_back_to_lang_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert requested_lang(["schema", "session"]) == "zh"
    assert requested_lang(["schema", "session", "--lang", "xx"]) == "zh"
    assert requested_lang(["schema", "session", "--lang", "en"]) == "en"


@pytest.mark.parametrize(
    "argv",
    [
        ["schema", "session", "--lang", "xx"],
        ["schema", "--lang=xx", "--help"],
        ["evaluate", "f.json", "--lang", "zh", "--lang", "xx"],
    ],
)
def test_an_invalid_lang_is_argparses_error(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "argument --lang: invalid choice: 'xx'" in captured.err


def test_every_help_text_is_translated() -> None:
    chinese, english = dict(_parsers(_parser("zh"))), dict(_parsers(_parser("en")))
    assert chinese.keys() == english.keys()
    untranslated = []
    for path, parser in english.items():
        assert _shape(chinese[path]) == _shape(parser), _name(path)
        for zh, en in zip(_texts(chinese[path]), _texts(parser), strict=True):
            if WORD.search(en) and (zh == en or not HAN.search(zh)):
                untranslated.append(f"{_name(path)}: {en!r}")
    assert untranslated == []


def test_the_docs_parser_is_english() -> None:
    assert _texts(_parser()) == _texts(_parser("en"))
    assert _parser().description is not None
    assert _parser().description.startswith("Evaluate village cadres")


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("a  b   c", 3, ["a b", "c"]),
        ("", 10, []),
        ("hello world foo", 11, ["hello world", "foo"]),
        ("评议直评会文档", 6, ["评议直", "评会文", "档"]),
        ("一二,三四", 4, ["一", "二,", "三四"]),
        ("一(二三)", 4, ["一", "(二", "三)"]),
        ("一二\uff0c三四\uff08五六\uff09", 4, ["一", "二\uff0c", "三四", "\uff08五", "六\uff09"]),
        ("用 N 个进程", 5, ["用 N", "个进", "程"]),
    ],
)
def test_wrap_wide(text: str, width: int, lines: list[str]) -> None:
    assert wrap_wide(text, width) == lines
