"""Acceptance 3 of issue 15: four writers and ``zhiping store verify`` in a loop, no false finding.

Marked ``reliability``: minutes long. ``pytest -m reliability -s
tests/reliability/test_verify_under_writers.py`` prints the figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability.verify_under_writers import RUNS, WRITERS, run_verify_under_writers

pytestmark = pytest.mark.reliability


def test_verify_finds_nothing_false_while_four_writers_record(tmp_path: Path) -> None:
    result = run_verify_under_writers(tmp_path)
    figures = result["figures"]
    print(f"\nverify under {WRITERS} writers: {figures}")
    for finding in result["findings"]:
        print(f"  {finding}")
    assert figures["runs"] == RUNS
    assert figures.get("exit_0") == RUNS
    assert figures.get("false_findings", 0) == 0
    assert figures.get("writer_exit_0") == WRITERS
    assert result["findings"] == []
