"""``zhiping serve`` as a command: without the extra, with a bad tokens file, its tokens,
and with two workers."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from serve.support import DISTRICT, JSON, WRITER, bearer, tokens_file, zhiping
from zhiping.errors import InputError
from zhiping.serve import read_tokens

_WITHOUT_FASTAPI = (
    "import sys; sys.modules['fastapi'] = None; "
    "from zhiping.cli import main; sys.exit(main(['serve', '--lang', 'en']))"
)


def test_without_the_serve_extra_the_command_says_how_to_install_it():
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_FASTAPI], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "pip install 'zhiping[serve]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_tokens_file_is_refused_before_the_server_starts(tmp_path):
    broken = tmp_path / "tokens.toml"
    broken.write_text('[[token]]\nvalue = "short"\nprefixes = ["4201x"]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "zhiping", "serve", "--tokens", str(broken), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "token[0]" in done.stderr
    assert "token[0].prefixes" in done.stderr
    assert "short" not in done.stderr  # not even a wrong token is repeated
    assert "Traceback" not in done.stderr


def test_a_token_is_found_by_its_hash_or_its_value_and_covers_its_prefixes(tmp_path):
    tokens = read_tokens(tokens_file(tmp_path))
    writer = tokens.find(WRITER)
    assert writer is not None
    assert writer.covers("420117101201")
    assert not writer.covers("420117102201")
    assert tokens.find(WRITER + "x") is None
    assert tokens.find("") is None
    assert WRITER not in repr(tokens)


@pytest.mark.parametrize(
    "text",
    ["not toml [", "token = 1", '[[token]]\nsha256 = "00"\nprefixes = ["42"]', "[[token]]\n"],
)
def test_a_tokens_file_without_usable_tokens_is_an_input_error(tmp_path, text):
    path = tmp_path / "tokens.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        read_tokens(path)


def test_two_workers_share_one_store_file(served_command, district, tmp_path):
    lines = district.read_text(encoding="utf-8").splitlines()
    chosen = lines[:6] + lines[42:48]  # six villages, both years
    source = tmp_path / "chosen.jsonl"
    source.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    printed = zhiping(
        "evaluate", str(source), "--store", str(tmp_path / "cli.db"), "--format", "jsonl"
    )
    expected = [json.loads(line) for line in printed.splitlines()]

    store = tmp_path / "s.db"
    base = served_command(
        "--store", str(store), "--tokens", str(tokens_file(tmp_path)), "--workers", "2"
    )
    with httpx.Client(base_url=base, headers=bearer(DISTRICT) | JSON, timeout=60) as client:
        outcomes = [
            client.post("/sessions", content=line.encode()).json()["outcome"] for line in chosen
        ]
        verified = client.get("/store/verify").json()
    assert outcomes == expected
    assert verified["ok"] is True
    assert verified["sessions"] == len(chosen)


def test_a_file_that_is_no_store_is_refused_before_the_server_starts(tmp_path):
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all" * 100)
    done = subprocess.run(
        [sys.executable, "-m", "zhiping", "serve", "--store", str(other), "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_no_worker_at_all_is_bad_input_refused_with_status_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zhiping", "serve", "--workers", "0", "--lang", "en"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--workers must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr


def test_no_token_reaches_the_server_log(served_command, district, tmp_path):
    base = served_command("--store", str(tmp_path / "s.db"), "--tokens", str(tokens_file(tmp_path)))
    line = district.read_text(encoding="utf-8").splitlines()[0].encode()
    for token in (WRITER, DISTRICT, "a-wrong-token-someone-tried"):
        httpx.post(f"{base}/sessions", content=line, headers=bearer(token) | JSON)
        httpx.get(f"{base}/sessions/420117101201-2025", headers=bearer(token))
    logged = "".join(path.read_text(errors="replace") for path in tmp_path.glob("serve-*.log"))
    assert "POST /sessions" in logged  # the access log is there, and written
    for token in (WRITER, DISTRICT, "a-wrong-token-someone-tried"):
        assert token not in logged
