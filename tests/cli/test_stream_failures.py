"""JSON Lines: a line that cannot be evaluated, for any reason, is named and the run goes on."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from zhiping.cli import main
from zhiping.documents.limits import MAX_DOCUMENT_BYTES
from zhiping.testing import session_document

UNGOVERNED = "110101001001"
"""A Beijing village: no bundled pack grades it, so evaluating it is ``NoApplicableRule``."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def document(session_id: str, *, village_code: str = "420117101201", cadres: int = 2) -> str:
    found = dict(session_document(village_code=village_code, cadres=cadres))
    found["id"] = session_id
    return json.dumps(found, ensure_ascii=False)


def five_lines(tmp_path: Path) -> Path:
    """Lines 1, 2 and 5 are good; 3 is ungoverned; 4 reuses line 1's id with another document."""
    lines = [
        document("s1", village_code="420117101201"),
        document("s2", village_code="420117101202"),
        document("s3", village_code=UNGOVERNED),
        document("s1", village_code="420117101201", cadres=3),
        document("s5", village_code="420117101205"),
    ]
    path = tmp_path / "district.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_ungoverned_village_and_a_store_conflict_stop_only_their_own_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, store = five_lines(tmp_path), tmp_path / "records.db"
    code, out, err = run(
        capsys, "evaluate", str(path), "--format", "jsonl", "--store", str(store), "--lang", "en"
    )
    assert code == 2
    assert [json.loads(line)["session"] for line in out.splitlines()] == ["s1", "s2", "s5"]
    assert f"{path}: line 3: " in err
    assert f"{path}: line 4: session s1 is recorded with another document" in err
    assert [f"line {n}:" in err for n in range(1, 6)] == [False, False, True, True, False]
    assert "5 sessions: 3 valid, 0 void, 2 broken" in err
    with sqlite3.connect(store) as db:
        recorded = {row[0] for row in db.execute("SELECT session FROM records")}
    assert recorded == {"s1", "s2", "s5"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_ungoverned_village_without_a_store_is_named_and_the_others_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    path = five_lines(tmp_path)
    code, out, err = run(capsys, "evaluate", str(path), "--format", "jsonl", "--jobs", jobs)
    assert code == 2
    # Without a store, line 4 is a session like any other: s1 evaluated twice.
    assert [json.loads(line)["session"] for line in out.splitlines()] == ["s1", "s2", "s1", "s5"]
    assert f"{path}: line 3: " in err
    assert UNGOVERNED in err
    assert "5 sessions: 4 valid, 0 void, 1 broken" in err


def test_csv_of_json_lines_goes_on_past_an_ungoverned_village(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "evaluate", str(five_lines(tmp_path)), "--format", "csv")
    assert code == 2
    sessions = [row.split(",")[0] for row in out.splitlines()[1:]]
    # Three subjects for each session of two cadres, four for line 4's three cadres.
    assert sessions == ["s1"] * 3 + ["s2"] * 3 + ["s1"] * 4 + ["s5"] * 3
    assert "line 3: " in err


@pytest.mark.parametrize("padding", [MAX_DOCUMENT_BYTES - 100, 20 * 1024 * 1024])
def test_a_line_over_the_limit_is_one_refused_line_with_its_own_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], padding: int
) -> None:
    """Padded with spaces to just over the limit or far over it: refused alike, as line 2."""
    good = document("s1")
    path = tmp_path / "padded.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(good + "\n")
        out.write(document("s2") + " " * padding + "\n")
        out.write("\n")
        out.write(document("s4") + "\n")
    code, out_text, err = run(capsys, "evaluate", str(path), "--format", "jsonl", "--lang", "en")
    assert code == 2
    assert [json.loads(line)["session"] for line in out_text.splitlines()] == ["s1", "s4"]
    assert f"line 2: the document is larger than the limit of {MAX_DOCUMENT_BYTES:,} bytes" in err
    assert err.count("larger than the limit") == 1
    assert "3 sessions: 2 valid, 0 void, 1 broken" in err


def test_a_first_line_over_the_limit_is_a_refused_line_of_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "first.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(" " * (MAX_DOCUMENT_BYTES + 10) + "{}\n")
        out.write(document("s2") + "\n")
    code, out_text, err = run(capsys, "evaluate", str(path), "--format", "jsonl", "--lang", "en")
    assert code == 2
    assert [json.loads(line)["session"] for line in out_text.splitlines()] == ["s2"]
    assert "line 1: the document is larger than the limit" in err


def test_one_document_over_the_limit_is_refused_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.json"
    path.write_text(document("s1") + " " * (MAX_DOCUMENT_BYTES + 10), encoding="utf-8")
    code, out_text, err = run(capsys, "evaluate", str(path), "--lang", "en")
    assert (code, out_text) == (2, "")
    assert "1 problem; nothing was evaluated" in err
    assert "larger than the limit" in err


def test_the_help_says_each_line_is_evaluated_on_its_own(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["evaluate", "--help", "--lang", "en"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "checked before any is evaluated" not in shown
    assert "reported on stderr with its line number" in shown
    assert "the exit status is 2 if any line failed" in shown
