"""zhiping synth and the streaming zhiping evaluate: JSON Lines in, outcomes out, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import zhiping
from zhiping.cli import main
from zhiping.testing import session_document

# 40 of 60 satisfied, 20 dissatisfied: 3d = n, not more, so competent (DESIGN §5).
COMPETENT = {"satisfied": 40, "dissatisfied": 20}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_synth_writes_one_valid_document_per_village_and_year(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "synth", "--villages", "50", "--years", "2", "--seed", "3")
    assert code == 0
    documents = [json.loads(line) for line in out.splitlines()]
    assert len(documents) == 100
    assert [d["year"] for d in documents] == [2025] * 50 + [2026] * 50
    assert len({d["id"] for d in documents}) == 100
    for document in documents:
        zhiping.parse_session(document)
    assert run(capsys, "synth", "--villages", "50", "--years", "2", "--seed", "3")[1] == out


@pytest.mark.parametrize("argv", [["--villages", "0"], ["--years", "0"]])
def test_synth_refuses_sizes_out_of_range(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, _, err = run(capsys, "synth", *argv)
    assert code == 2
    assert "must be from" in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_evaluating_json_lines_streams_the_outcomes_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    _, lines, _ = run(capsys, "synth", "--villages", "30", "--seed", "4")
    path = tmp_path / "district.jsonl"
    path.write_text(lines, encoding="utf-8")
    code, out, err = run(capsys, "evaluate", str(path), "--format", "jsonl", "--jobs", jobs)
    assert code == 0
    outcomes = [json.loads(line) for line in out.splitlines()]
    documents = [json.loads(line) for line in lines.splitlines()]
    assert [o["session"] for o in outcomes] == [d["id"] for d in documents]
    assert outcomes == [zhiping.evaluate(d).to_document() for d in documents]
    assert "30 sessions:" in err


def test_jobs_and_a_store_together_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("{}\n{}\n", encoding="utf-8")
    code, _, err = run(
        capsys, "evaluate", str(path), "--jobs", "2", "--store", str(tmp_path / "s.db")
    )
    assert code == 2
    assert "--jobs and --store" in err


def test_json_lines_through_a_store_are_recorded_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, lines, _ = run(capsys, "synth", "--villages", "10", "--years", "2", "--seed", "5")
    path = tmp_path / "district.jsonl"
    path.write_text(lines, encoding="utf-8")
    store = tmp_path / "records.db"
    code, out, _ = run(capsys, "evaluate", str(path), "--format", "jsonl", "--store", str(store))
    assert code == 0
    assert len(out.splitlines()) == 20
    code, checkpoint, _ = run(capsys, "store", "checkpoint", str(store))
    assert checkpoint.startswith("20:")


# VmHWM is this process's own peak: ru_maxrss would carry the forking parent's over.
MEASURED = (
    "import re, sys\n"
    "from zhiping.cli import main\n"
    "code = main(['evaluate', '-', '--format', 'jsonl'])\n"
    "status = open('/proc/self/status').read()\n"
    "sys.stderr.write('peak_kb=' + re.search(r'VmHWM:\\s+(\\d+)', status).group(1) + '\\n')\n"
    "raise SystemExit(code)\n"
)


@pytest.mark.harness  # long: a CI step of its own (pytest -m harness)
def test_streaming_memory_stays_bounded() -> None:
    """3,000 villages through a pipe: the evaluating process stays far under 300 MB."""
    synth = subprocess.Popen(
        [sys.executable, "-m", "zhiping", "synth", "--villages", "3000", "--seed", "6"],
        stdout=subprocess.PIPE,
    )
    evaluated = subprocess.run(
        [sys.executable, "-c", MEASURED], stdin=synth.stdout, capture_output=True, check=False
    )
    assert synth.stdout is not None
    synth.stdout.close()
    assert synth.wait() == 0
    assert evaluated.returncode == 0, evaluated.stderr
    assert evaluated.stdout.count(b"\n") == 3000
    peak_kb = int(evaluated.stderr.decode().rsplit("peak_kb=", 1)[1])
    assert peak_kb < 300 * 1024


def test_json_lines_as_text_speak_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One line per session with its status and grade names, and the summary, in zh."""
    documents = [
        session_document(village_code="420117101201", counts={"c1": COMPETENT}),
        {"format": "zhiping.session/1"},
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", str(path), "--lang", "zh")
    assert code == 2
    session, status, grades = out.splitlines()[0].split("\t")
    assert (session, status) == ("420117101201-2026", "有效")
    assert "c1 称职" in grades
    assert "第2行" in err
    assert "共 2 场:有效 1 场,无效 0 场,文档有误 1 场" in err
