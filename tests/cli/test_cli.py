"""The command line as a person uses it: exit codes, messages, formats, languages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from zhiping.cli import main
from zhiping.testing import session_document

EXAMPLE = Path(__file__).parents[2] / "examples" / "guanzhai-2026.json"


def write(tmp_path: Path, document: Any, name: str = "session.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(("present", "status"), [(29, "void"), (30, "valid")])
def test_party_member_quorum_is_four_fifths_of_37(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], present: int, status: str
) -> None:
    """5 × 29 = 145 < 148 = 4 × 37 voids the session; 5 × 30 = 150 ≥ 148 does not."""
    path = write(tmp_path, session_document(party_members=37, party_members_present=present))
    code, out, _ = run(capsys, "evaluate", str(path), "--format", "json")
    outcome = json.loads(out)
    assert code == 0
    assert outcome["status"] == status
    violations = [f["rule"] for f in outcome["findings"] if f["severity"] == "violation"]
    assert violations == (["quorum.party_members"] if status == "void" else [])


def test_a_broken_document_exits_2_with_every_path_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = session_document()
    document["village"]["code"] = "42011710120"
    document["cadres"][1]["in_office_since"] = "2021-02-30"
    document["attendance"][1]["person"] = document["attendance"][0]["person"]
    document["surprise"] = True
    code, out, err = run(capsys, "evaluate", str(write(tmp_path, document)))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    for path in ("village.code", "cadres[1].in_office_since", "surprise"):
        assert f"  {path}: " in err
    assert "nothing was evaluated" in err


def test_consistency_problems_name_their_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = session_document()
    document["attendance"][1]["person"] = document["attendance"][0]["person"]
    document["ballots"]["counts"]["c1"]["satisfied"] -= 1
    code, _, err = run(capsys, "evaluate", str(write(tmp_path, document)))
    assert code == 2
    assert "  attendance[1].person: " in err
    assert "  ballots.counts.c1: " in err


def test_text_that_is_not_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "session.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert "not JSON" in err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "evaluate", str(tmp_path / "absent.json"))
    assert code == 2
    assert "cannot read" in err


def test_an_unknown_pack_exits_2_naming_the_installed_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "evaluate", str(EXAMPLE), "--pack", "atlantis")
    assert code == 2
    assert "atlantis" in err
    assert "xinzhou" in err


def test_a_village_no_pack_grades_exits_2_and_suggests_nothing_was_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, session_document(village_code="110101001001"))
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert "grade stage" in err
    assert "110101001001" in err


def test_forcing_the_xinzhou_pack_evaluates_any_village(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, session_document(village_code="110101001001"))
    code, out, _ = run(capsys, "evaluate", str(path), "--pack", "xinzhou", "--format", "json")
    assert code == 0
    assert json.loads(out)["packs"] == ["cn", "xinzhou"]


def test_json_output_validates_against_the_outcome_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, schema_text, _ = run(capsys, "schema", "outcome")
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    assert code == 0
    jsonschema.Draft202012Validator(json.loads(schema_text)).validate(json.loads(out))


def test_the_session_schema_accepts_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, schema_text, _ = run(capsys, "schema", "session")
    assert code == 0
    schema = json.loads(schema_text)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(EXAMPLE.read_text("utf-8")))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "How each decision was made",
                "parameter grade.thresholds.conditions",
                "from 2016-01-01",
                "assumed",
                "graded incompetent",
            ],
        ),
        (
            "zh",
            [
                "决定过程",
                "参数 pay.coefficient.coefficients",
                "自 2016-01-01",
                "假定",
                "评定为不称职",
                "二(一) 二是",
            ],
        ),
    ],
)
def test_explain_prints_rules_packs_dates_and_citations(
    capsys: pytest.CaptureFixture[str], lang: str, words: list[str]
) -> None:
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE), "--explain", "--lang", lang)
    assert code == 0
    for word in words:
        assert word in out
    assert "sanction.consecutive_incompetent · xinzhou · c2" in out


def test_explain_with_json_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "evaluate", str(EXAMPLE), "--explain", "--format", "json")
    assert code == 2
    assert "--explain" in err


@pytest.mark.parametrize("output_format", ["csv", "html"])
@pytest.mark.parametrize(("lang", "words"), [("zh", "只用于"), ("en", "is for --format text")])
def test_explain_with_csv_or_html_is_refused_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str], output_format: str, lang: str, words: str
) -> None:
    code, out, err = run(
        capsys, "evaluate", str(EXAMPLE), "--explain", "--format", output_format, "--lang", lang
    )
    assert (code, out) == (2, "")
    assert words in err


@pytest.mark.parametrize("output_format", ["csv", "html"])
def test_csv_and_html_read_standard_input_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(EXAMPLE.read_text("utf-8")))
    code, out, _ = run(capsys, "evaluate", "-", "--format", output_format, "--lang", "zh")
    assert code == 0
    assert "管寨村" in out
    assert "不称职" in out


def test_history_from_a_file_fires_the_two_year_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts = {"organization": {"satisfied": 62}, "c1": {"dissatisfied": 31, "satisfied": 31}}
    document = session_document(cadres=1, counts=counts)
    history = write(tmp_path, [{"subject": "c1", "year": 2025, "grade": "incompetent"}], "h.json")
    code, out, _ = run(
        capsys,
        "evaluate",
        str(write(tmp_path, document)),
        "--history",
        str(history),
        "--format",
        "json",
    )
    assert code == 0
    c1 = json.loads(out)["subjects"][1]
    assert c1["grade"] == "incompetent"
    assert [a["kind"] for a in c1["actions"]] == ["organizational_adjustment"]


def test_a_broken_history_file_exits_2_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write(tmp_path, [{"subject": "c1", "year": 2025, "grade": "Bad!"}], "h.json")
    code, _, err = run(capsys, "evaluate", str(EXAMPLE), "--history", str(history))
    assert code == 2
    assert "h.json" in err
    assert "[0].grade" in err


def test_a_history_grade_the_chain_does_not_have_exits_2_naming_the_chain_grades(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = write(tmp_path, [{"subject": "c1", "year": 2025, "grade": "good"}], "h.json")
    code, out, err = run(capsys, "evaluate", str(EXAMPLE), "--history", str(history))
    assert (code, out) == (2, "")
    assert "history[0].grade: 'good' is not a grade of the chain" in err
    assert "excellent, competent, basically_competent, incompetent" in err


def test_json_lines_evaluate_each_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [session_document(party_members_present=p) for p in (29, 30)]
    path = tmp_path / "sessions.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(path), "--format", "json")
    assert code == 0
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["void", "valid"]


def test_json_lines_with_a_broken_line_report_it_and_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Streaming: the good lines are evaluated, the broken one named; the exit is 2."""
    broken = session_document()
    broken["year"] = "twenty"
    lines = [session_document(), broken, session_document(party_members_present=29)]
    path = tmp_path / "sessions.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in lines) + "\n", "utf-8")
    code, out, err = run(capsys, "evaluate", str(path), "--format", "jsonl")
    assert code == 2
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["valid", "void"]
    assert "line 2: year" in err
    assert "3 sessions: 1 valid, 1 void, 1 broken" in err


def test_the_installed_command_and_the_module_agree(tmp_path: Path) -> None:
    """The ``zhiping`` script and ``python -m zhiping`` are the same program."""
    path = write(tmp_path, session_document(party_members_present=29))
    script = Path(sys.executable).with_name("zhiping")
    for command in ([str(script)], [sys.executable, "-m", "zhiping"]):
        done = subprocess.run(
            [*command, "evaluate", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["status"] == "void"


def test_packs_lists_every_bundled_pack_with_prefix_parent_and_origin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "packs", "--lang", "en")
    assert code == 0
    rows = {line.split("│")[0].strip(): line for line in out.splitlines() if "│" in line}
    assert set(rows) >= {
        "cn",
        "cn-organic-law",
        "taizhou",
        "wenjiang",
        "xichong",
        "xinzhou",
        "yanling",
    }
    assert "420117" in rows["xinzhou"]
    assert "bundled" in rows["xinzhou"]
    assert "by name only" in rows["cn-organic-law"]


def test_packs_show_prints_the_chain_and_every_dated_cited_parameter(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "packs", "show", "xinzhou", "--on", "2027-01-15", "--lang", "en")
    assert code == 0
    assert "chain: cn ► xinzhou" in out
    assert "● quorum.party_members.share" in out
    assert "4/5" in out
    assert "2016-01-01" in out
    assert "assumed: the received text is cut" in out


def test_packs_show_of_an_unknown_pack_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "packs", "show", "atlantis")
    assert code == 2
    assert "atlantis" in err


def test_a_village_no_pack_governs_says_how_to_choose_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, session_document(village_code="330102001001"))
    code, out, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert out == ""
    assert "grade stage" in err
    assert "--pack NAME" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("code", "packs"),
    [
        ("511325001001", ["cn", "xichong"]),
        ("420117101201", ["cn", "xinzhou"]),
        ("321202001001", ["cn", "taizhou"]),
    ],
)
def test_the_village_code_selects_the_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], code: str, packs: list[str]
) -> None:
    path = write(tmp_path, session_document(village_code=code))
    status, out, _ = run(capsys, "evaluate", str(path), "--format", "json")
    assert status == 0
    assert json.loads(out)["packs"] == packs


@pytest.mark.parametrize("output_format", ["text", "json", "csv", "html"])
def test_a_reader_that_goes_away_ends_the_command_quietly_with_status_0(
    output_format: str,
) -> None:
    """``zhiping evaluate … | head`` is no fault: no traceback, no message, status 0."""
    command = [sys.executable, "-m", "zhiping", "evaluate", str(EXAMPLE), "--explain"]
    if output_format != "text":
        command[-1:] = ["--format", output_format]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.close()  # before zhiping has written anything
    _, err = process.communicate(timeout=60)
    assert (process.returncode, err.decode()) == (0, "")
