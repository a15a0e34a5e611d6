"""No control, DEL, C1 or bidi character from the input reaches the terminal, for each one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from zhiping.cli import main
from zhiping.documents.session import parse_session
from zhiping.errors import InputError
from zhiping.testing import session_document

CONTROLS = [
    *map(chr, range(0x00, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]
"""Every code point of C0, DEL and C1, and the bidirectional controls and marks."""

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What may not appear in stderr: all of CONTROLS but the newline that ends each line."""


def hostile(char: str) -> str:
    """A document with the character in a key that has a second problem under it, in a value,
    and in the key of an assessment (a third way a path quotes a key)."""
    document = dict(session_document(cadres=1))
    document[f"extra{char}"] = {"inner": float("nan")}
    document["assessments"] = {"township": {f"c1{char}": "85"}}
    document["cadres"] = [{**document["cadres"][0], "name": f"张{char}三"}]
    return json.dumps(document, ensure_ascii=True)


def unsafe(text: str) -> list[str]:
    return [f"U+{ord(found):04X}" for found in _UNSAFE.findall(text)]


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_character_in_a_document_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], char: str
) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(hostile(char), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        parse_session(path.read_text(encoding="utf-8"))
    assert unsafe(str(raised.value)) == []
    assert unsafe(raised.value.zh) == []
    for lang in ("en", "zh"):
        assert main(["evaluate", str(path), "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert unsafe(err) == []
        assert "inner: NaN is not a JSON number" in err or "inner: NaN 不是 JSON 数值" in err


@pytest.mark.parametrize(
    "char", [c for c in CONTROLS if c != "\x00"], ids=lambda c: f"U+{ord(c):04X}"
)
def test_a_control_character_in_a_file_name_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], char: str
) -> None:
    missing = tmp_path / f"no{char}such.json"
    assert main(["evaluate", str(missing), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert unsafe(err) == []
    assert f"no\\u{ord(char):04x}such.json" in err


def test_a_file_name_with_a_null_byte_is_refused_as_bad_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["evaluate", "no\x00such.json", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert unsafe(err) == []
    assert "cannot read no\\u0000such.json" in err


@pytest.mark.parametrize("char", ["\x1b", "\x9b", "\u202e", "\r"], ids=repr)
def test_a_control_character_in_a_json_lines_file_name_is_never_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], char: str
) -> None:
    path = tmp_path / f"d{char}.jsonl"
    broken = json.dumps({**dict(session_document()), "id": ""})
    path.write_text(json.dumps(dict(session_document())) + "\n" + broken + "\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--format", "jsonl", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert unsafe(err) == []
    assert f"d\\u{ord(char):04x}.jsonl: line 2: id: must not be empty" in err
