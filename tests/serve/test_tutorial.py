"""The tutorial "A frontend over HTTP" (``docs/tutorials/http.md``) is true.

Its ``bash`` blocks run in order, as a reader runs them from a clone of the repository,
against a real ``zhiping serve`` started with the tokens file the page's first block
writes; each gives what the page says it gives. Its ``javascript`` blocks, joined into
one module as the page says, run with ``node`` against the same kind of server and print
what the page shows. A block preceded by ``<!-- not-run: why -->`` is not run (starting
the server, choosing the tokens: the test does those itself).

Without ``node`` the JavaScript test is skipped, unless ``ZHIPING_REQUIRE_NODE=1`` (CI).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from markdown_blocks import runnable_blocks as blocks_of
from required_programs import required_program

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "tutorials" / "http.md"


def runnable_blocks(language: str, text: str | None = None) -> list[str]:
    """Return the page's blocks of ``language`` that are meant to run, in order."""
    page = PAGE.read_text(encoding="utf-8") if text is None else text
    return ["\n".join(body) + "\n" for _, body in blocks_of(page, language)]


def test_blocks_are_found_by_language_and_not_run_blocks_skipped():
    text = (
        "```bash\necho one\n```\n\n<!-- not-run: the server -->\n```bash\nzhiping serve\n```\n"
        "```json\n{}\n```\n```javascript\nconsole.log(1);\n```\n```bash\necho two\n```\n"
    )
    assert runnable_blocks("bash", text) == ["echo one\n", "echo two\n"]
    assert runnable_blocks("javascript", text) == ["console.log(1);\n"]


class Reader:
    """A reader of the page: a clone's ``examples/``, the tokens, and the server once needed."""

    def __init__(self, directory: Path, start: Callable[..., str]) -> None:
        shutil.copytree(ROOT / "examples", directory / "examples")
        self.directory = directory
        self.start = start
        proxies = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
        self.environment = {
            name: value for name, value in os.environ.items() if name.lower() not in proxies
        } | {
            "TOKEN": secrets.token_hex(24),
            "OTHER_TOKEN": secrets.token_hex(24),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }

    def run(self, code: str) -> str:
        """Run a block as the page says (starting the server first if it names it)."""
        if "$ZHIPING" in code and "ZHIPING" not in self.environment:
            self.environment["ZHIPING"] = self.start(
                "--store",
                str(self.directory / "district.db"),
                "--tokens",
                str(self.directory / "tokens.toml"),
            )
        done = subprocess.run(
            ["bash", "-c", code],
            cwd=self.directory,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == 0, f"{code}\n{done.stderr}"
        return done.stdout


GUANZHAI = "420117101201-2026"
# examples/guanzhai-2026.json by hand, under the Xinzhou rules (the working is that of
# tests/outputs/test_results_table.py): organization 50/8/2, n = 60: 2d = 4 < 60,
# 3d = 6 ≤ 60, 10s = 500 < 540 → competent; c1 40/10/8, 2 abstaining, n = 58: 2d = 16,
# 3d = 24, 10s = 400 < 522 → competent, pay 12000.00 × 0.90 = 10800.00; c2 20/10/30:
# 2d = 60 ≥ 60 → incompetent, pay 10000.01 × 0 = 0.00.
GRADES = {"organization": "competent", "c1": "competent", "c2": "incompetent"}
MISSING = {"zh": "缺少必填字段", "en": "required field is missing"}
BAD_DOCUMENT_PROBLEMS = [
    {
        "path": "village.code",
        "pointer": "/village/code",
        "zh": "应为村的12位统计用区划代码",
        "en": "expected the village's 12-digit division code",
    },
    {"path": "held_on", "pointer": "/held_on"} | MISSING,
    {"path": "roster", "pointer": "/roster"} | MISSING,
    {"path": "ballots", "pointer": "/ballots"} | MISSING,
]


def _tokens_file(printed: str, reader: Reader) -> None:
    assert printed == "2\n"
    assert reader.environment["TOKEN"] not in (reader.directory / "tokens.toml").read_text()


def _packs(printed: str, _: Reader) -> None:
    names = {pack["name"]: pack for pack in json.loads(printed)["items"]}
    assert names["xinzhou"]["prefix"] == "420117"
    assert "cn" in names


def _evaluated(printed: str, _: Reader) -> None:
    outcome = json.loads(printed)
    assert outcome["format"] == "zhiping.outcome/2"
    assert outcome["status"] == "valid"
    assert {subject["id"]: subject["grade"] for subject in outcome["subjects"]} == GRADES
    c1 = next(subject for subject in outcome["subjects"] if subject["id"] == "c1")
    assert c1["pay"]["amount"] == "10800.00"
    assert outcome["subjects"][2]["actions"][0]["kind"] == "organizational_adjustment"


def _recorded(printed: str, _: Reader) -> None:
    lines = printed.splitlines()
    assert lines[0] == "HTTP/1.1 201 Created"
    assert f"location: /sessions/{GUANZHAI}" in lines
    assert "content-type: application/json" in lines
    assert re.fullmatch(r'"checkpoint":"1:[0-9a-f]{64}"', lines[-2])
    assert lines[-1] == '"written":true'


def _recorded_again(printed: str, _: Reader) -> None:
    assert printed.splitlines() == ["200", '"written":false']


def _bad_document(printed: str, _: Reader) -> None:
    body, status = printed.rstrip("\n").rsplit("\n", 1)
    problem = json.loads(body)
    assert status == "422"
    assert problem["type"] == "urn:zhiping:problem:invalid-document"
    assert problem["title_zh"] == "文件或参数有误"
    assert problem["detail"].startswith("4 problems; the first: village.code: ")
    assert problem["problems"] == BAD_DOCUMENT_PROBLEMS


def _refused(printed: str, _: Reader) -> None:
    assert printed.splitlines() == ["401", "403"]


def _listed(printed: str, _: Reader) -> None:
    page = json.loads(printed)
    assert page["next"] is None
    [item] = page["items"]
    assert (item["session"], item["village_name"], item["status"]) == (GUANZHAI, "管寨村", "valid")
    assert item["grades"] == GRADES
    assert item["sheet"] == f"/sessions/{GUANZHAI}/sheet"


def _history(printed: str, _: Reader) -> None:
    history = json.loads(printed)
    assert history["village_code"] == "420117101201"
    grades = {(entry["subject"], entry["year"]): entry["grade"] for entry in history["grades"]}
    assert grades == {(subject, 2026): grade for subject, grade in GRADES.items()}
    [commitment] = history["open_commitments"]
    assert (commitment["to"], commitment["due"]) == ("c1", "2027-06-30")


def _sheet(printed: str, reader: Reader) -> None:
    lines = printed.splitlines()
    assert lines[0] == "HTTP/1.1 200 OK"
    assert any(re.fullmatch(r"x-zhiping-checkpoint: 1:[0-9a-f]{64}", line) for line in lines)
    assert "content-type: text/html; charset=utf-8" in lines
    assert '<html lang="en">' in (reader.directory / "sheet.html").read_text(encoding="utf-8")


def _verified(printed: str, _: Reader) -> None:
    now, verified = (json.loads(line) for line in printed.splitlines())
    assert now["checkpoint"].startswith("1:")
    assert verified["ok"] is True
    assert (verified["checkpoint"], verified["sessions"]) == (now["checkpoint"], 1)


def _withheld(printed: str, _: Reader) -> None:
    assert printed.splitlines() == [
        '"public":true',
        "---",
        '"amount":"0.00"',
        '"amount":"10800.00"',
        '"attendance"',
        '"public":false',
    ]


CURL_BLOCKS: list[tuple[str, Callable[[str, Reader], None]]] = [
    ("cat > tokens.toml", _tokens_file),
    ("/packs", _packs),
    ("/evaluate", _evaluated),
    ("-o recorded.json", _recorded),
    ("-o recorded-again.json", _recorded_again),
    ("42011710120", _bad_document),
    ("OTHER_TOKEN", _refused),
    ("/sessions?village=", _listed),
    ("/history", _history),
    ("/sheet", _sheet),
    ("/store/verify", _verified),
    ('"public"', _withheld),
]
"""Each runnable bash block of the page, in order: a piece of it, and what it gives."""


def test_the_curl_blocks_give_what_the_page_says(served_command, tmp_path):
    blocks = runnable_blocks("bash")
    assert len(blocks) == len(CURL_BLOCKS), "a bash block without its check, or a check too many"
    reader = Reader(tmp_path / "clone", served_command)
    for code, (piece, check) in zip(blocks, CURL_BLOCKS, strict=True):
        assert piece in code, f"the blocks are not in the order the test expects: {code}"
        check(reader.run(code), reader)


def _node_or_skip() -> str:
    return required_program(
        "node", purpose="the JavaScript blocks are not run", required_by="ZHIPING_REQUIRE_NODE"
    )


def test_the_javascript_client_prints_what_the_page_says(served_command, tmp_path):
    node = _node_or_skip()
    reader = Reader(tmp_path / "clone", served_command)
    for code in runnable_blocks("bash")[:4]:  # the tokens, the server, and the recording
        reader.run(code)
    client = reader.directory / "client.mjs"
    client.write_text("".join(runnable_blocks("javascript")), encoding="utf-8")

    printed = {}
    for lang in ("zh_CN.UTF-8", "en_US.UTF-8"):
        done = subprocess.run(
            [node, client.name],
            cwd=reader.directory,
            env=reader.environment | {"LANG": lang, "LC_ALL": lang},
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        printed[lang[:2]] = done.stdout.splitlines()

    listed = '管寨村 valid {"organization":"competent","c1":"competent","c2":"incompetent"}'
    assert printed["zh"] == [
        f"{GUANZHAI} written: false",
        "422 文件或参数有误",
        "  held_on: 不是有效的日期(这个月没有这一天),应为 ISO 格式的日期,如 '2027-01-15'",
        listed,
    ]
    assert printed["en"] == [
        f"{GUANZHAI} written: false",
        "422 the document or its parameters are invalid",
        "  held_on: not a valid date (day value is outside expected range); "
        "expected an ISO date like '2027-01-15'",
        listed,
    ]
