"""The run the reliability phases share, and their figures, printed at the end of the run.

``ZHIPING_RELIABILITY`` (``quick`` or ``full``) and ``ZHIPING_RELIABILITY_SEED`` choose
the plan and the seed; see the package docstring for the phases and their targets.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from reliability.failures import describe
from reliability.figures import Figure, Report, figure_line
from reliability.plan import PLANS, QUICK, Measure, Phase, Plan, Run

MODE = "ZHIPING_RELIABILITY"
"""The environment variable that names the plan: ``quick`` (the default) or ``full``."""
SEED = "ZHIPING_RELIABILITY_SEED"
"""The environment variable that gives the seed of the draws and mutations (1 by default)."""

_RUN = pytest.StashKey[Run]()
_STARTED = pytest.StashKey[float]()
_REPORTS = pytest.StashKey[list[Report]]()


def chosen(environment: Mapping[str, str]) -> tuple[Plan, int]:
    """Return the plan and the seed the environment chooses.

    Raises:
        ValueError: the plan is not one of :data:`~reliability.plan.PLANS`, or the seed
            is not a whole number.
    """
    mode = environment.get(MODE, QUICK.name)
    if mode not in PLANS:
        raise ValueError(f"{MODE}={mode!r}: choose one of {', '.join(PLANS)}")
    seed = environment.get(SEED, "1")
    if not seed.isdigit():
        raise ValueError(f"{SEED}={seed!r}: give a whole number")
    return PLANS[mode], int(seed)


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Iterator[Run]:
    """Return the run every phase shares: its plan, its seed and a temporary directory."""
    try:
        plan, seed = chosen(os.environ)
    except ValueError as error:
        pytest.fail(str(error), pytrace=False)
    pytestconfig.stash[_STARTED] = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="zhiping-reliability-") as directory:
        pytestconfig.stash[_RUN] = shared = Run(plan, seed, Path(directory))
        yield shared


@pytest.fixture
def measure(run: Run, pytestconfig: pytest.Config) -> Measure:
    """Return what runs a phase and keeps its report for the figures printed at the end.

    A phase that raises is kept as a failure of its own, then the exception goes on.
    """

    def measured(phase: Phase) -> Report:
        reports = pytestconfig.stash.setdefault(_REPORTS, [])
        try:
            report = phase(run)
        except Exception as error:
            name = phase.__name__.removesuffix("_phase")
            reports.append(Report(name, problems=[f"the phase itself raised {describe(error)}"]))
            raise
        reports.append(report)
        return report

    return measured


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Print the figures of every phase run, the summary and the result."""
    reports = config.stash.get(_REPORTS, [])
    if not reports:
        return
    run = config.stash[_RUN]
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "reliability figures")
    names = ",".join(report.name for report in reports)
    write(f"plan mode={run.plan.name} seed={run.seed} phases={names}")
    for report in reports:
        for line in report.lines():
            write(line)
    verdicts: dict[str, Figure] = {r.name: "FAIL" if r.problems else "ok" for r in reports}
    elapsed = time.perf_counter() - config.stash[_STARTED]
    write(figure_line("summary", {**verdicts, "time_s": elapsed}))
    write("result " + ("FAIL" if "FAIL" in verdicts.values() else "ok"))
