"""``zhiping packs check``: every value checked for its meaning, each problem placed."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhiping.cli import main
from zhiping.packs.registry import default_registry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def town(tmp_path: Path, parent: str, prefix: str, since: str, parameters: str) -> Path:
    """Write a township pack under ``parent`` that sets ``parameters`` (TOML), as a file."""
    path = tmp_path / "pack.toml"
    path.write_text(
        f"""
[pack]
name = "testtown"
title = {{ zh = "测试镇", en = "Test town" }}
prefix = "{prefix}"
parent = "{parent}"
in_force_from = {since}

{parameters}
""",
        encoding="utf-8",
    )
    return path


def xinzhou_town(tmp_path: Path, parameters: str) -> Path:
    return town(tmp_path, "xinzhou", "420117999", "2016-01-01", parameters)


def two_year_rule(grade: str) -> str:
    return f"""
[parameters."sanction.consecutive_incompetent.grade"]
kind = "text"
values = [{{ from = 2016-01-01, value = "{grade}", assumed = true, note = "test" }}]
"""


def thresholds(word: str) -> str:
    return f"""
[parameters."grade.thresholds.conditions"]
kind = "conditions"
values = [{{ from = 2016-01-01, assumed = true, note = "test", value = [
    {{ grade = "incompetent", words = ["{word}"], comparison = "at_least", share = "1/2" }},
] }}]
"""


def coefficients(table: str) -> str:
    return f"""
[parameters."pay.coefficient.coefficients"]
kind = "table"
values = [{{ from = 2016-01-01, value = {{ {table} }}, assumed = true, note = "test" }}]
"""


def bands(table: str) -> str:
    return f"""
[parameters."grade.bands.bands"]
kind = "table"
values = [{{ from = 2005-01-01, value = {{ {table} }}, assumed = true, note = "test" }}]
"""


def test_every_bundled_pack_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "packs", "check", "--lang", "en")
    assert code == 0, err
    for name in default_registry().names():
        assert f"ok {name} " in out


def test_a_pack_by_name_is_checked_with_its_chain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "packs", "check", "xinzhou", "--lang", "en")
    assert code == 0
    assert "ok xinzhou (cn ► xinzhou)" in out


def test_a_misspelt_grade_in_the_two_year_rule_is_refused_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xinzhou_town(tmp_path, two_year_rule("incompetant"))
    code, out, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert code == 2
    assert out == ""
    assert str(path) in err
    assert 'parameters."sanction.consecutive_incompetent.grade".values[0].value' in err
    assert "'incompetant' is not a grade of the chain's scale" in err
    assert "Traceback" not in err


def test_the_two_year_rule_spelt_right_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xinzhou_town(tmp_path, two_year_rule("incompetent"))
    code, out, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert (code, err) == (0, "")
    assert "ok testtown (cn ► xinzhou ► testtown)" in out


def test_a_misspelt_ballot_word_in_a_threshold_is_refused_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xinzhou_town(tmp_path, thresholds("dissatisifed"))
    code, _, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert code == 2
    assert str(path) in err
    assert 'parameters."grade.thresholds.conditions".values[0].value' in err
    assert "[0]: 'dissatisifed' is not a ballot word of the chain" in err


def test_a_threshold_on_a_word_of_the_scale_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = xinzhou_town(tmp_path, thresholds("dissatisfied"))
    assert run(capsys, "packs", "check", str(path))[0] == 0


def test_a_coefficient_table_missing_a_grade_is_refused_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = 'excellent = "1.00", competent = "0.90", incompetent = "0.00"'
    path = xinzhou_town(tmp_path, coefficients(table))
    code, _, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert code == 2
    assert str(path) in err
    assert 'parameters."pay.coefficient.coefficients".values[0].value' in err
    assert "no value for basically_competent" in err


def test_a_coefficient_table_covering_every_grade_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = (
        'excellent = "1.10", competent = "0.90", basically_competent = "0.50", incompetent = "0.00"'
    )
    path = xinzhou_town(tmp_path, coefficients(table))
    assert run(capsys, "packs", "check", str(path))[0] == 0


def test_bands_in_reverse_order_are_refused_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = 'excellent = "70", competent = "80", basically_competent = "90"'
    path = town(tmp_path, "wenjiang", "510115999", "2005-01-01", bands(table))
    code, _, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert code == 2
    assert str(path) in err
    assert 'parameters."grade.bands.bands".values[0].value' in err
    assert "bands rank with grades: excellent's 70 must be above competent's 80" in err


@pytest.mark.parametrize(
    ("competent", "status"),
    [("90", 2), ("89.9", 0)],
)
def test_equal_bands_are_refused_and_one_below_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], competent: str, status: int
) -> None:
    """A competent band equal to the excellent one never grades anyone competent."""
    table = f'excellent = "90", competent = "{competent}", basically_competent = "70"'
    path = town(tmp_path, "wenjiang", "510115999", "2005-01-01", bands(table))
    assert run(capsys, "packs", "check", str(path))[0] == status


def test_every_problem_is_listed_at_once_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = 'excellent = "1.00", competent = "0.90", incompetent = "0.00"'
    path = xinzhou_town(tmp_path, two_year_rule("incompetant") + coefficients(table))
    code, _, err = run(capsys, "packs", "check", str(path), "--lang", "zh")
    assert code == 2
    assert "2 个取值不当" in err
    assert "'incompetant' 不是规则包链等次表中的等次" in err
    assert "缺少等次 basically_competent" in err


def test_a_value_starting_after_the_pack_comes_into_force_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The town is in force from 2016 but its value only from 2017: 2016 would have none."""
    later = two_year_rule("incompetent").replace("from = 2016-01-01", "from = 2017-01-01")
    path = xinzhou_town(tmp_path, later)
    code, _, err = run(capsys, "packs", "check", str(path), "--lang", "en")
    assert code == 2
    assert 'parameters."sanction.consecutive_incompetent.grade".values[0].from = 2017-01-01' in err
    assert "after the pack comes into force on 2016-01-01" in err


def test_neither_a_pack_nor_a_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "packs", "check", str(tmp_path / "nope.toml"), "--lang", "en")
    assert code == 2
    assert "neither an installed pack" in err
