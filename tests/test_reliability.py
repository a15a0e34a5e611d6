"""The reliability targets: hostile input, limits, crashes, concurrency, tampering, recounts.

Runs ``scripts/reliability.py --quick`` once, as CI does, and checks that every phase
printed its figures and that every target was met (the script exits 0). The figures and
the failures are the script's; see its docstring for what each phase measures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path("scripts") / "reliability.py"
PHASES = ("hostile", "limits", "crash", "concurrency", "tamper", "recount")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and wait4 are POSIX")

Figures = dict[str, dict[str, str]]


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    """Run the script from the repository's root."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def figures_of(stdout: str) -> Figures:
    """Read the ``name key=value ...`` lines, by name."""
    figures: Figures = {}
    for line in stdout.splitlines():
        name, *pairs = line.split()
        if pairs and all("=" in pair for pair in pairs):
            figures[name] = dict(pair.split("=", 1) for pair in pairs)
    return figures


@pytest.fixture(scope="module")
def quick() -> subprocess.CompletedProcess[str]:
    """The quick run, once for the module."""
    return run("--quick")


def test_every_phase_prints_its_figures(quick: subprocess.CompletedProcess[str]) -> None:
    figures = figures_of(quick.stdout)
    missing = [phase for phase in PHASES if phase not in figures]
    assert not missing, quick.stdout + quick.stderr
    assert figures["summary"].keys() >= set(PHASES)
    assert int(figures["hostile"]["cases"]) >= 200
    assert int(figures["hostile"]["subprocess_runs"]) > 0
    assert int(figures["crash"]["mid_batch_kills"]) >= 10
    assert int(figures["tamper"]["cases"]) > 0
    assert int(figures["recount"]["revisions"]) > 0


def test_the_quick_run_meets_every_target(quick: subprocess.CompletedProcess[str]) -> None:
    failures = [line for line in quick.stdout.splitlines() if line.startswith("FAIL")]
    assert quick.returncode == 0, "\n".join(failures) or quick.stdout + quick.stderr
    assert not failures
    assert quick.stdout.splitlines()[-1] == "result ok"


def test_bad_arguments_exit_2() -> None:
    completed = run("--phase", "nonsense")
    assert completed.returncode == 2
    assert "--phase" in completed.stderr
