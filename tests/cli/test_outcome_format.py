"""``--outcome-version 2`` and ``--trace``: the compact outcome on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from zhiping.cli import main
from zhiping.documents.compact import as_format_1

EXAMPLE = Path(__file__).parents[2] / "examples" / "guanzhai-2026.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--lang", "en"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_compact_outcome_at_each_level_decides_as_format_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "evaluate", str(EXAMPLE), "--format", "json")
    first = json.loads(out)
    for level in ("full", "decisions", "none"):
        code, out, _ = run(
            capsys,
            "evaluate",
            str(EXAMPLE),
            "--format",
            "json",
            "--outcome-version",
            "2",
            "--trace",
            level,
        )
        compact = json.loads(out)
        assert (code, compact["format"], compact["trace_level"]) == (0, "zhiping.outcome/2", level)
        assert (compact["status"], compact["subjects"]) == (first["status"], first["subjects"])
    full = run(capsys, "evaluate", str(EXAMPLE), "--format", "json", "--outcome-version", "2")[1]
    assert as_format_1(json.loads(full)) == first


def test_the_compact_schema_validates_the_compact_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    schema = json.loads(run(capsys, "schema", "outcome", "--outcome-version", "2")[1])
    assert schema["$id"] == "urn:zhiping:outcome:2"
    out = run(
        capsys,
        "evaluate",
        str(EXAMPLE),
        "--format",
        "json",
        "--outcome-version",
        "2",
        "--trace",
        "decisions",
    )[1]
    jsonschema.validate(json.loads(out), schema)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--format", "json", "--trace", "none"), "--trace decisions or none needs"),
        (("--format", "csv", "--outcome-version", "2"), "are for --format json or jsonl"),
        (("--trace", "none", "--outcome-version", "2"), "are for --format json or jsonl"),
    ],
)
def test_options_that_do_not_go_together_are_refused_before_any_work(
    capsys: pytest.CaptureFixture[str], options: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, "evaluate", str(EXAMPLE), *options)
    assert (code, out) == (2, "")
    assert message in err
