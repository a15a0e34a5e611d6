"""The store on the command line: evaluate --store, store verify|history|checkpoint|export."""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhiping.cli import main
from zhiping.testing import session_document

INCOMPETENT = {"organization": {"satisfied": 62}, "c1": {"dissatisfied": 31, "satisfied": 31}}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def two_years(tmp_path: Path) -> tuple[Path, Path]:
    """Two sessions of one village, 2025 and 2026, c1 graded incompetent in both."""
    paths = []
    for year in (2025, 2026):
        document: dict[str, Any] = session_document(
            cadres=1, counts=INCOMPETENT, year=year, held_on=date(year + 1, 1, 15)
        )
        if year == 2025:
            document["inquiries"] = [
                {
                    "id": "q1",
                    "to": "c1",
                    "topic": "村道",
                    "answered": "later",
                    "commitment": {"text": "修通村道", "due": "2026-06-30"},
                }
            ]
        path = tmp_path / f"{year}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def recorded_two_years(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Record the two sessions of :func:`two_years` in a new store; return its path."""
    store = tmp_path / "records.db"
    for path in two_years(tmp_path):
        assert run(capsys, "evaluate", str(path), "--store", str(store))[0] == 0
    return store


def test_two_years_through_the_store_bring_the_adjustment_and_the_overdue_commitment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_years(tmp_path)
    store = tmp_path / "records.db"
    assert run(capsys, "evaluate", str(first), "--store", str(store), "--format", "json")[0] == 0
    code, out, _ = run(capsys, "evaluate", str(second), "--store", str(store), "--format", "json")
    assert code == 0
    outcome = json.loads(out)
    assert [a["kind"] for a in outcome["subjects"][1]["actions"]] == ["organizational_adjustment"]
    assert [f["rule"] for f in outcome["findings"]] == ["commitment.overdue"]


def test_recording_again_is_a_no_op_and_the_store_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_years(tmp_path)
    store = tmp_path / "records.db"
    for path in (first, second, first, second):
        assert run(capsys, "evaluate", str(path), "--store", str(store), "--format", "json")[0] == 0
    code, out, _ = run(capsys, "store", "checkpoint", str(store))
    assert code == 0
    assert out.startswith("2:")
    code, out, _ = run(capsys, "store", "verify", str(store), "--checkpoint", out.strip())
    assert code == 0
    assert "2 recorded revisions recomputed" in out


def test_another_document_under_a_recorded_id_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = two_years(tmp_path)
    store = tmp_path / "records.db"
    run(capsys, "evaluate", str(first), "--store", str(store))
    changed = json.loads(first.read_text("utf-8"))
    changed["held_on"] = "2026-01-16"
    first.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(first), "--store", str(store))
    assert code == 2
    assert "amendment" in err


def test_verify_names_the_session_whose_document_was_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    db = sqlite3.connect(store)
    db.execute("DROP TRIGGER records_are_append_only_update")
    # The document as kept (zlib-compressed canonical JSON, schema 3), renamed and kept again.
    (kept,) = db.execute("SELECT document FROM records WHERE year = 2025").fetchone()
    renamed = zlib.decompress(kept).decode().replace("管寨村", "管寨庄")
    assert "管寨庄" in renamed
    db.execute(
        "UPDATE records SET document = ? WHERE year = 2025", (zlib.compress(renamed.encode()),)
    )
    db.commit()
    db.close()
    code, _, err = run(capsys, "store", "verify", str(store))
    assert code == 2
    assert "420117101201-2025" in err


def test_history_lists_the_grades_and_open_commitments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(
        capsys, "store", "history", str(store), "--village", "420117101201", "--subject", "c1"
    )
    assert code == 0
    assert out.count("incompetent") == 2
    assert "修通村道" in out


def test_export_prints_each_revision_as_canonical_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(capsys, "store", "export", str(store))
    assert code == 0
    lines = out.splitlines()
    assert [json.loads(line)["session"] for line in lines] == [
        "420117101201-2025",
        "420117101201-2026",
    ]
    for line in lines:
        assert line == json.dumps(
            json.loads(line), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )


@pytest.mark.parametrize("command", ["verify", "checkpoint", "export"])
def test_reading_a_store_that_does_not_exist_exits_2_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    missing = tmp_path / "missing.db"
    code, _, err = run(capsys, "store", command, str(missing))
    assert code == 2
    assert "no store" in err
    assert not missing.exists()


def test_a_file_that_is_not_a_store_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "ledger.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE ledger (entry TEXT)")
    db.commit()
    db.close()
    code, _, err = run(capsys, "store", "verify", str(other))
    assert code == 2
    assert "not a zhiping store" in err


@pytest.mark.harness  # long: a CI step of its own (pytest -m harness)
def test_a_district_recorded_twice_on_one_store_leaves_the_same_rows_and_verifies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two years of 42 villages, recorded twice: nothing new the second time.

    (``tests/demo`` runs the whole demo twice on one store through the library.)
    """
    code, lines, _ = run(capsys, "synth", "--villages", "42", "--years", "2")
    assert code == 0
    district = tmp_path / "district.jsonl"
    district.write_text(lines, encoding="utf-8")
    store = tmp_path / "district.db"
    exports = []
    for _ in range(2):
        assert (
            run(capsys, "evaluate", str(district), "--store", str(store), "--format", "jsonl")[0]
            == 0
        )
        code, out, _ = run(capsys, "store", "export", str(store))
        assert code == 0
        exports.append(out)
    assert exports[0] == exports[1]
    assert len(exports[0].splitlines()) == 84
    assert run(capsys, "store", "verify", str(store))[0] == 0


def test_history_and_verify_speak_chinese_with_lang_zh(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(
        capsys,
        "store",
        "history",
        str(store),
        "--village",
        "420117101201",
        "--subject",
        "c1",
        "--lang",
        "zh",
    )
    assert code == 0
    assert out.count("不称职") == 2
    assert "等次" in out
    assert "未兑现的承诺" in out
    code, out, _ = run(capsys, "store", "verify", str(store), "--lang", "zh")
    assert code == 0
    assert "条记录的结果已重新计算" in out
    assert out.rstrip().endswith("完好")


def test_get_prints_the_latest_revision_and_as_json_all_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(capsys, "store", "get", str(store), "420117101201-2026", "--lang", "en")
    assert code == 0
    assert "session 420117101201-2026\nrevision 1\n" in out
    assert "  c1: incompetent\n" in out
    code, out, _ = run(capsys, "store", "get", str(store), "420117101201-2026", "--format", "json")
    found = json.loads(out)
    assert (code, found["status"], found["event"]) == (0, "valid", 2)
    assert found["outcome"]["subjects"][1]["actions"][0]["kind"] == "organizational_adjustment"


def test_get_of_an_unknown_session_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, _, err = run(capsys, "store", "get", str(store), "nowhere-2026", "--lang", "en")
    assert code == 2
    assert "session nowhere-2026 is not recorded" in err


def test_list_pages_sessions_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(
        capsys, "store", "list", str(store), "--village", "420117101201", "--format", "json"
    )
    assert code == 0
    assert [json.loads(line)["session"] for line in out.splitlines()] == [
        "420117101201-2025",
        "420117101201-2026",
    ]
    code, out, _ = run(
        capsys,
        "store",
        "list",
        str(store),
        "--after",
        "420117101201-2025",
        "--limit",
        "1",
        "--format",
        "json",
    )
    assert [json.loads(line)["year"] for line in out.splitlines()] == [2026]


def test_sheet_prints_the_results_sheet_with_the_checkpoint_of_the_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = recorded_two_years(tmp_path, capsys)
    code, out, _ = run(capsys, "store", "sheet", str(store), "420117101201-2025", "--lang", "en")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert "1:" in out


def test_verify_of_an_empty_file_writes_nothing_into_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, out, _ = run(capsys, "store", "verify", str(empty), "--lang", "en")
    assert code == 0
    assert out.endswith("ok\n")
    assert empty.read_bytes() == b""


def test_verify_prints_a_stale_session_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = two_years(tmp_path)
    store = tmp_path / "records.db"
    assert run(capsys, "evaluate", str(second), "--store", str(store))[0] == 0  # 2026 first
    code, _, err = run(capsys, "evaluate", str(first), "--store", str(store), "--lang", "en")
    assert code == 0
    # Recording 2025 says at once that it makes 2026 stale.
    assert err.startswith(
        "zhiping: stale (the record now decides otherwise; amend it with Store.amend): "
        "420117101201-2026 (revision 1): finding added: commitment.overdue"
    )
    code, out, _ = run(capsys, "store", "verify", str(store), "--lang", "en")
    assert code == 0
    # 2025 brings c1's first incompetent year and commitment q1, due 2026-06-30 and open
    # when the 2026 session is held (2027-01-15).
    line = (
        "stale: 420117101201-2026 (revision 1): finding added: commitment.overdue (warning) "
        'c1; c1 actions: [] → [["organizational_adjustment","sanction.consecutive_incompetent"]]\n'
    )
    assert line in out
    assert run(capsys, "store", "stale", str(store), "--lang", "en") == (0, line, "")
    code, out, _ = run(capsys, "store", "stale", str(store), "--format", "json")
    assert [json.loads(found)["session"] for found in out.splitlines()] == ["420117101201-2026"]
