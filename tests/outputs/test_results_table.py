"""``zhiping evaluate --format csv``: a row per subject, stable columns, names in either language.

Every expected grade and amount is worked out by hand from the Xinzhou rules (DESIGN §5):
with n valid votes, d dissatisfied, s satisfied, ``incompetent`` if 2d ≥ n; else
``basically_competent`` if 3d > n; else ``excellent`` if 10s ≥ 9n; else ``competent``;
pay is the performance pay times 1.00 / 0.90 / 0.60 / 0.00, rounded to the fen.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from zhiping import evaluate, parse_session
from zhiping.cli import main
from zhiping.outputs.results_table import (
    RATING_WORDS,
    answer_words,
    neutralised,
    table_columns,
    table_rows,
    write_results_table,
)
from zhiping.packs.parameters import DatedValue, Parameter
from zhiping.packs.registry import default_registry
from zhiping.testing import counted, session_document

EXAMPLE = Path(__file__).parents[2] / "examples" / "guanzhai-2026.json"

HEADER = [
    "session_id",
    "village_code",
    "village_name",
    "year",
    "quarter",
    "held_on",
    "status",
    "status_name",
    "void_reasons",
    "packs",
    "subject_id",
    "subject_kind",
    "subject_name",
    "posts",
    "post_names",
    "eligible",
    "tally_satisfied",
    "tally_basically_satisfied",
    "tally_dissatisfied",
    "tally_competent",
    "tally_basically_competent",
    "tally_incompetent",
    "tally_abstain",
    "tally_invalid",
    "valid_votes",
    "grade",
    "grade_name",
    "pay_amount",
    "pay_figures",
    "actions",
    "action_names",
]

LOCALIZED = {"status_name", "void_reasons", "subject_name", "post_names", "grade_name"}
LOCALIZED |= {"action_names"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def table(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, str]]:
    """Run ``zhiping evaluate … --format csv`` and read its output back."""
    code, out, err = run(capsys, "evaluate", *argv, "--format", "csv")
    assert code == 0, err
    reader = csv.DictReader(io.StringIO(out, newline=""))
    assert reader.fieldnames == HEADER
    return list(reader)


def json_lines(tmp_path: Path, *documents: dict[str, Any]) -> Path:
    path = tmp_path / "sessions.jsonl"
    text = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_gives_a_row_per_subject_with_the_grades_worked_out_by_hand(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Organization 50/8/2 and c1 40/10/8 are competent; c2 20/10/30 is incompetent.

    organization: n = 60, 2d = 4 < 60, 3d = 6 ≤ 60, 10s = 500 < 540 → competent.
    c1: n = 58 (2 abstain), 2d = 16 < 58, 3d = 24 ≤ 58, 10s = 400 < 522 → competent,
    12000.00 × 0.90 = 10800.00. c2: n = 60, 2d = 60 ≥ 60 → incompetent, 10000.01 × 0 = 0.00,
    and incompetent in 2025 too → organizational adjustment.
    """
    rows = table(capsys, str(EXAMPLE), "--lang", "zh")
    assert [row["subject_id"] for row in rows] == ["organization", "c1", "c2"]
    for row in rows:
        assert row["session_id"] == "420117101201-2026"
        assert row["village_code"] == "420117101201"
        assert row["village_name"] == "管寨村"
        assert (row["year"], row["quarter"], row["held_on"]) == ("2026", "", "2027-01-15")
        assert (row["status"], row["status_name"], row["void_reasons"]) == ("valid", "有效", "")
        assert row["packs"] == "cn;xinzhou"
        assert row["eligible"] == "true"
    organization, c1, c2 = rows
    assert organization["subject_kind"] == "organization"
    assert organization["subject_name"] == "村级党组织"
    assert (organization["posts"], organization["pay_amount"]) == ("", "")
    assert c1["subject_name"] == "张某"
    assert c1["posts"] == "party_secretary;committee_director"
    assert c1["post_names"] == "党组织书记、村委会主任"
    counts = ("satisfied", "basically_satisfied", "dissatisfied", "abstain", "invalid")
    assert [c1[f"tally_{word}"] for word in counts] == ["40", "10", "8", "2", "0"]
    assert [c1[f"tally_{word}"] for word in ("competent", "incompetent")] == ["", ""]
    assert [row["valid_votes"] for row in rows] == ["60", "58", "60"]
    assert [row["grade"] for row in rows] == ["competent", "competent", "incompetent"]
    assert [row["grade_name"] for row in rows] == ["称职", "称职", "不称职"]
    assert [row["pay_amount"] for row in rows] == ["", "10800.00", "0.00"]
    assert [row["pay_figures"] for row in rows] == ["", "12000.00 × 0.90", "10000.01 × 0.00"]
    assert [row["actions"] for row in rows] == ["", "", "organizational_adjustment"]
    assert c2["action_names"] == "组织调整"


def test_english_changes_only_the_name_columns(capsys: pytest.CaptureFixture[str]) -> None:
    """The header and every id stay; the ``*_name(s)`` columns follow ``--lang``."""
    chinese = table(capsys, str(EXAMPLE), "--lang", "zh")
    english = table(capsys, str(EXAMPLE), "--lang", "en")
    for zh_row, en_row in zip(chinese, english, strict=True):
        for column in set(HEADER) - LOCALIZED:
            assert zh_row[column] == en_row[column], column
    organization, c1, c2 = english
    assert organization["subject_name"] == "party organization"
    assert organization["status_name"] == "valid"
    assert c1["post_names"] == "party secretary; committee director"
    assert [row["grade_name"] for row in english] == ["competent", "competent", "incompetent"]
    assert c2["action_names"] == "organizational adjustment"
    assert c1["subject_name"] == "张某", "a name from the document is not translated"


def graded_sessions() -> list[dict[str, Any]]:
    """Two villages whose subjects sit on either side of each Xinzhou threshold, and a void one.

    Every subject has 60 ballots; the performance pay is 10000.00.
    """
    first = session_document(
        cadres=3,
        counts={
            # n = 60, 10s = 540 ≥ 540 → excellent
            "organization": counted(satisfied=54, basically_satisfied=6),
            # n = 56 (3 abstain, 1 invalid), 10s = 500 < 504 → competent
            "c1": counted(satisfied=50, basically_satisfied=6, abstain=3, invalid=1),
            # n = 60, 3d = 63 > 60, 2d = 42 < 60 → basically competent
            "c2": counted(satisfied=30, basically_satisfied=9, dissatisfied=21),
            # n = 60, 3d = 60 is not > 60, 10s = 400 < 540 → competent
            "c3": counted(satisfied=40, dissatisfied=20),
        },
    )
    second = session_document(
        village_code="420117101202",
        cadres=2,
        counts={
            # n = 60, 2d = 60 ≥ 60 → incompetent
            "organization": counted(satisfied=30, dissatisfied=30),
            # n = 59, 2d = 58 < 59, 3d = 87 > 59 → basically competent
            "c1": counted(satisfied=30, dissatisfied=29, abstain=1),
            # n = 60, 10s = 530 < 540 → competent
            "c2": counted(satisfied=53, basically_satisfied=7),
        },
    )
    second["village"]["name"] = "李家湾村"
    # 5 × 29 = 145 < 148 = 4 × 37 party members: void
    void = session_document(village_code="420117101203", cadres=2, party_members_present=29)
    void["village"]["name"] = "王家岗村"
    return [first, second, void]


def test_json_lines_of_several_sessions_give_each_grade_on_its_side_of_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = table(capsys, str(json_lines(tmp_path, *graded_sessions())), "--lang", "en")
    found = [(row["village_code"][-3:], row["subject_id"], row["grade"]) for row in rows]
    assert found == [
        ("201", "organization", "excellent"),
        ("201", "c1", "competent"),
        ("201", "c2", "basically_competent"),
        ("201", "c3", "competent"),
        ("202", "organization", "incompetent"),
        ("202", "c1", "basically_competent"),
        ("202", "c2", "competent"),
        ("203", "organization", ""),
        ("203", "c1", ""),
        ("203", "c2", ""),
    ]
    assert [row["pay_amount"] for row in rows[:7]] == [
        "",
        "9000.00",
        "6000.00",
        "9000.00",
        "",
        "6000.00",
        "9000.00",
    ]
    c1 = rows[1]
    assert (c1["tally_abstain"], c1["tally_invalid"], c1["valid_votes"]) == ("3", "1", "56")
    assert rows[4]["actions"] == "weak_organization_rectification"
    assert rows[4]["action_names"] == "rectification as a weak organization"
    assert {row["village_name"] for row in rows} == {"管寨村", "李家湾村", "王家岗村"}


@pytest.mark.parametrize(
    ("lang", "status_name", "words"),
    [("zh", "无效", ["29", "37", "4/5"]), ("en", "void", ["29 of 37", "4/5"])],
)
def test_a_void_session_keeps_a_row_per_subject_with_its_reason_and_no_grade(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lang: str,
    status_name: str,
    words: list[str],
) -> None:
    """Rows keep their counts as counted; grade, pay and actions are empty; the reason is said."""
    void = graded_sessions()[2]
    path = tmp_path / "void.json"
    path.write_text(json.dumps(void, ensure_ascii=False), encoding="utf-8")
    rows = table(capsys, str(path), "--lang", lang)
    assert [row["subject_id"] for row in rows] == ["organization", "c1", "c2"]
    for row in rows:
        assert (row["status"], row["status_name"]) == ("void", status_name)
        for word in words:
            assert word in row["void_reasons"]
        # 29 party members + 32 representatives present, every ballot satisfied
        assert (row["tally_satisfied"], row["valid_votes"]) == ("61", "61")
        assert row["grade"] == row["grade_name"] == row["pay_amount"] == row["actions"] == ""
        assert row["pay_figures"] == ""


def test_the_statutory_scale_fills_its_own_columns_and_leaves_the_organization_ungraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under cn-organic-law c1 has 17 of 32 competent (> 1/2) and c2 17 of 32 incompetent."""
    scale = ("competent", "basically_competent", "incompetent")
    document = session_document(
        party_members_present=0,
        representatives_present=32,
        counts={
            "organization": counted(scale=scale, abstain=32),
            "c1": counted(scale=scale, competent=17, incompetent=15),
            "c2": counted(scale=scale, competent=14, basically_competent=1, incompetent=17),
        },
    )
    path = tmp_path / "statute.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    rows = table(capsys, str(path), "--pack", "cn-organic-law", "--lang", "zh")
    organization, c1, c2 = rows
    assert organization["eligible"] == "false"
    assert organization["grade"] == ""
    assert c1["tally_satisfied"] == c1["tally_dissatisfied"] == ""
    assert [c1[f"tally_{word}"] for word in scale] == ["17", "0", "15"]
    assert (c1["grade"], c1["grade_name"]) == ("competent", "称职")
    assert (c2["grade"], c2["grade_name"]) == ("incompetent", "不称职")
    assert c1["packs"] == "cn;cn-organic-law"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_json_lines_stream_the_same_table_as_each_document_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    documents = graded_sessions()
    streamed = table(capsys, str(json_lines(tmp_path, *documents)), "--jobs", jobs)
    alone = []
    for index, document in enumerate(documents):
        path = tmp_path / f"{index}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        alone.extend(table(capsys, str(path)))
    assert streamed == alone


def test_a_broken_line_is_reported_and_the_others_are_tabled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = session_document()
    broken["year"] = "twenty"
    first, second, _ = graded_sessions()
    path = json_lines(tmp_path, first, broken, second)
    code, out, err = run(capsys, "evaluate", str(path), "--format", "csv")
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [row["village_code"] for row in rows] == ["420117101201"] * 4 + ["420117101202"] * 3
    assert "line 2: year" in err


def test_the_columns_are_the_glossary_words_whatever_the_installed_packs() -> None:
    assert answer_words(default_registry()) == RATING_WORDS
    assert list(table_columns(RATING_WORDS)) == HEADER


def test_a_pack_with_other_words_on_its_scale_gets_columns_after_the_glossary_ones() -> None:
    registry = default_registry()
    scale = Parameter(
        "ballots.tally.scale", "texts", (DatedValue(date(2020, 1, 1), ("zeta", "alpha")),)
    )
    cn = registry.packs["cn"]
    other = attrs.evolve(cn, name="other", parent="cn", prefix="9", parameters={scale.name: scale})
    widened = attrs.evolve(registry, packs={**registry.packs, "other": other})
    assert answer_words(widened) == (*RATING_WORDS, "alpha", "zeta")


def test_an_outcome_word_without_a_column_is_refused() -> None:
    session = parse_session(EXAMPLE.read_text("utf-8"))
    with pytest.raises(ValueError, match="no column for the answer words"):
        list(table_rows(session, evaluate(session), "en", answers=("satisfied",)))


def test_the_writer_takes_an_outcome_or_its_document_alike() -> None:
    session = parse_session(EXAMPLE.read_text("utf-8"))
    outcome = evaluate(session)
    from_outcome, from_document = io.StringIO(newline=""), io.StringIO(newline="")
    write_results_table([(session, outcome)], from_outcome, "zh")
    write_results_table([(session, outcome.to_document())], from_document, "zh")
    assert from_outcome.getvalue() == from_document.getvalue()
    assert from_outcome.getvalue().count("\r\n") == 4, "RFC 4180 lines: a header and 3 rows"


@pytest.mark.parametrize(
    ("pay", "figures"),
    [
        (
            {"performance_pay": "10000.00", "coefficient": "1.125", "amount": "11250.00"},
            "10000.00 × 1.125",
        ),
        (
            {
                "performance_pay": "8000.00",
                "coefficient": "2/3",
                "amount": "5333.33",
                "form": "proportional",
                "score": "80.00",
                "none_below": "60.00",
                "full_at": "90.00",
            },
            "8000.00 × 2/3",
        ),
        (
            {
                "performance_pay": None,
                "coefficient": None,
                "amount": "900.00",
                "form": "fixed",
                "per_month": "300.00",
                "months": 3,
            },
            "300.00 × 3",
        ),
    ],
)
def test_the_pay_figures_column_shows_the_exact_figures_of_every_pay_form(
    pay: dict[str, Any], figures: str
) -> None:
    """The figures multiply to the amount before rounding; none is a rounded coefficient."""
    session = parse_session(EXAMPLE.read_text("utf-8"))
    document = evaluate(session).to_document()
    document["subjects"][1]["pay"] = pay
    c1 = list(table_rows(session, document, "en"))[1]
    assert (c1["pay_amount"], c1["pay_figures"]) == (pay["amount"], figures)


# Formulas: a name from a document is text in a spreadsheet, never a formula (OWASP).


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ('=HYPERLINK("http://x","点此")', '\'=HYPERLINK("http://x","点此")'),
        ("张三", "张三"),
        ("a=1", "a=1"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_take_for_a_formula_is_written_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, cell: str
) -> None:
    document = dict(session_document(cadres=1))
    document["cadres"] = [{**document["cadres"][0], "name": name}]
    document["village"] = {**document["village"], "name": name}
    path = tmp_path / "formula.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    rows = table(capsys, str(path), "--lang", "en")
    assert [row["subject_name"] for row in rows] == ["party organization", cell]
    assert {row["village_name"] for row in rows} == {cell}


def test_numbers_are_left_as_numbers_and_everything_else_neutralised() -> None:
    cells = ["-3", "12.50", "0", "-", "-3x", "\r1", "\t1", "=", "", "1=1"]
    assert [neutralised(c) for c in cells] == [
        "-3",
        "12.50",
        "0",
        "'-",
        "'-3x",
        "'\r1",
        "'\t1",
        "'=",
        "",
        "1=1",
    ]


def test_bom_begins_the_csv_for_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "csv", "--bom")
    assert code == 0
    assert out.startswith("\ufeffsession_id,village_code,")
    assert out.count("\ufeff") == 1
    _, plain, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "csv")
    assert out == "\ufeff" + plain
    lines = json_lines(tmp_path, dict(session_document()), dict(session_document()))
    code, streamed, _ = run(capsys, "evaluate", str(lines), "--format", "csv", "--bom")
    assert (code, streamed[:11], streamed.count("\ufeff")) == (0, "\ufeffsession_id", 1)


def test_bom_is_only_for_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "evaluate", str(EXAMPLE), "--format", "json", "--bom")
    assert (code, out) == (2, "")
    assert "--bom is for --format csv" in err
