"""Hostile documents on the command line: exit 2, the problem named, no traceback.

Each document is a valid one damaged in one way that a phone, a township office's
editor or an attacker could produce. The real command runs in a subprocess, so that
what reaches the operator's terminal is what is checked; with ``--store``, the store
must be byte-for-byte what it was.

Long (a subprocess per document, about 45 s in all): a CI step of its own, with the other
harnesses (``pytest -m harness``).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zhiping.documents.limits import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.harness

EXAMPLE = Path(__file__).parents[2] / "examples" / "guanzhai-2026.json"
TEXT = EXAMPLE.read_text(encoding="utf-8")
VALID = json.loads(TEXT)


def _replaced(old: str, new: str) -> bytes:
    assert old in TEXT
    return TEXT.replace(old, new, 1).encode()


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


def _long_name() -> bytes:
    document = dict(VALID, village=dict(VALID["village"], name="村" * (100 * 1024 * 1024)))
    return json.dumps(document, ensure_ascii=False).encode()


# name → (the document's bytes, words the message must contain in English)
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated": (lambda: TEXT.encode()[: len(TEXT) // 2], "not JSON"),
    "a flipped byte": (lambda: _replaced('"format"', '"f\x00rmat"'), "control"),
    "a duplicated key": (
        lambda: _replaced('"year": 2026', '"year": 2026, "year": 2025'),
        'the key "year" appears more than once',
    ),
    "invalid UTF-8": (lambda: TEXT.encode().replace(b"\xe7", b"\xff", 1), "not UTF-8"),
    "two byte order marks": (
        lambda: b"\xef\xbb\xbf\xef\xbb\xbf" + TEXT.encode(),
        "byte order mark",
    ),
    "UTF-16": (lambda: TEXT.encode("utf-16"), "not UTF-8"),
    "NaN for a count": (lambda: _replaced('"issued": ', '"issued": NaN, "x": '), "NaN"),
    "Infinity for a count": (
        lambda: _replaced('"issued": ', '"issued": Infinity, "x": '),
        "Infinity",
    ),
    "a huge integer": (lambda: _replaced('"year": 2026', '"year": 1' + "0" * 5000), "digits"),
    "a float for a count": (lambda: _replaced('"year": 2026', '"year": 2026.0'), "year"),
    "a boolean for a count": (lambda: _replaced('"year": 2026', '"year": true'), "year"),
    "deep nesting inside": (
        lambda: _replaced('"year": 2026', '"year": ' + "[" * 100_000 + "]" * 100_000),
        "nested more than",
    ),
    "deep nesting as the document": (lambda: _nested(100_000), "nested more than"),
    "a 100 MB string": (_long_name, "larger than the limit"),
    "an escape sequence in an id": (
        lambda: _replaced('"id": "c1"', '"id": "c1\\u001b[2J"'),
        "U+001B",
    ),
    "a right-to-left override in a name": (
        lambda: _replaced('"name": "管寨村"', '"name": "\\u202e村寨管"'),
        "U+202E",
    ),
    "a lone surrogate": (lambda: _replaced('"id": "c1"', '"id": "c\\ud800"'), "U+D800"),
    "an empty file": (lambda: b"", "not JSON"),
    "null": (lambda: b"null", "object"),
    "a top-level array": (lambda: b"[]", "object"),
    "50 MB of whitespace": (lambda: b" " * (50 * 1024 * 1024), "larger than the limit"),
    "just over the size limit": (
        lambda: TEXT.encode() + b" " * (MAX_DOCUMENT_BYTES - len(TEXT.encode()) + 1),
        "larger than the limit",
    ),
}


def _digest(path: Path) -> str:
    files = sorted(path.parent.glob(path.name + "*"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store that already holds the example's session."""
    path = tmp_path_factory.mktemp("store") / "records.db"
    completed = subprocess.run(
        [sys.executable, "-m", "zhiping", "evaluate", str(EXAMPLE), "--store", str(path)],
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_document_exits_2_naming_the_problem_without_a_traceback(
    name: str, tmp_path: Path, store: Path
) -> None:
    """Refused with its problem on stderr, the store untouched, in both languages."""
    make, named = HOSTILE[name]
    document = tmp_path / "hostile.json"
    document.write_bytes(make())
    before = _digest(store)
    for lang in ("en", "zh"):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "zhiping",
                "evaluate",
                str(document),
                "--store",
                str(store),
                "--lang",
                lang,
            ],
            capture_output=True,
            check=False,
            timeout=120,
        )
        err = completed.stderr.decode("utf-8", "replace")
        assert completed.returncode == 2, err
        assert "Traceback" not in err
        assert "internal error" not in err
        assert "内部错误" not in err
        assert completed.stdout == b""
        assert "\x1b" not in err
        assert "\u202e" not in err
        if lang == "en":
            assert named in err
        else:
            assert "处问题" in err or "UTF-8" in err, err
    assert _digest(store) == before
