"""The reliability targets: one test per phase, each failing when its phase misses one.

Marked ``reliability``, so left out of the default run: ``pytest -m reliability`` runs
them (CI does, in a step of its own) and prints their figures at the end. What each
phase does and the targets it checks are in the package docstring; each test's
docstring says them in short. Each test's name starts with its phase's, so that
``-k tamper`` runs one.
"""

from __future__ import annotations

import sys

import pytest

from reliability.concurrency import concurrency_phase
from reliability.crash import crash_phase
from reliability.figures import Report
from reliability.hostile import hostile_phase
from reliability.limits import limits_phase
from reliability.plan import Measure
from reliability.recount import recount_phase
from reliability.tamper import tamper_phase

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and wait4 are POSIX"),
]


def assert_met(report: Report, **least: int) -> None:
    """Fail with the phase's lines when it missed a target, or did less than ``least``.

    Args:
        report: the phase's report.
        least: figures the phase must reach (``cases=200``): a phase that did less
            than asked checked less than it says.
    """
    for key, floor in least.items():
        if float(report.counts.get(key, 0)) < floor:
            report.problems.append(f"{key}={report.counts.get(key)} (at least {floor})")
    assert not report.problems, "\n".join(report.lines())


def test_hostile_documents_crash_nothing_and_change_no_store(measure: Measure) -> None:
    """Only ``ZhipingError`` from the library, exit 2 without a traceback from the CLI.

    No invalid document accepted, the store unchanged after every refusal, on at least
    200 cases, a sample of them through the real ``python -m zhiping`` too.
    """
    assert_met(measure(hostile_phase), cases=200, subprocess_runs=1)


def test_limits_refuse_a_document_over_one_naming_it_and_no_size_kills_a_process(
    measure: Measure,
) -> None:
    """Growing documents, and documents at and over each limit, parsed in subprocesses."""
    assert_met(measure(limits_phase), probes=1)


def test_crash_of_writers_mid_batch_loses_no_acknowledged_session(measure: Measure) -> None:
    """At least 10 SIGKILLs mid-batch: nothing acknowledged lost, the file and chain whole."""
    assert_met(measure(crash_phase), mid_batch_kills=10)


def test_concurrency_of_four_writers_loses_and_duplicates_no_session(measure: Measure) -> None:
    """On disjoint and on the same sessions, with no raw ``sqlite3`` error in the output."""
    assert_met(measure(concurrency_phase), writers=4)


def test_tamper_with_any_stored_row_or_the_whole_chain_is_detected(
    measure: Measure,
) -> None:
    """Each change in a copy of the sample store, verified against its checkpoint: 100%."""
    assert_met(measure(tamper_phase), cases=1)


def test_recount_made_independently_agrees_with_every_stored_outcome(measure: Measure) -> None:
    """Tallies, valid votes, Xinzhou grades and pay, and the chain, recomputed from DESIGN."""
    assert_met(measure(recount_phase), revisions=1)
