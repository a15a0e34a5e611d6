"""The concurrency phase: four writers at once with crash_writers.py; see the package docstring.

On disjoint sessions and on the same ones: nothing lost, nothing recorded twice, and no
raw ``sqlite3`` error anywhere in the output.
"""

from __future__ import annotations

import re
from collections import Counter

from reliability.crash_writers_run import run_crash_writers
from reliability.failures import shorten
from reliability.figures import Report
from reliability.plan import Run

WRITERS = 4
SQLITE_ERROR = re.compile(
    r"sqlite3\.|OperationalError|DatabaseError|IntegrityError|database is locked|"
    r"database table is locked|disk I/O error|malformed",
)
"""What a raw SQLite error, escaped past zhiping, looks like in the output."""
TARGETS_OF_ZERO = ("lost", "duplicates", "writer_failures", "integrity_failures", "chain_findings")


def concurrency_phase(run: Run) -> Report:
    """Run four writers at once with crash_writers.py; see the package docstring."""
    report = Report("concurrency")
    sessions = run.plan.concurrent_sessions
    arguments = ["--kills", "0", "--writers-at-once", str(WRITERS), "--sessions", str(sessions)]
    writers = run_crash_writers([*arguments, "--store", str(run.work / "concurrent.sqlite")])
    errors = [line for line in writers.output.splitlines() if SQLITE_ERROR.search(line)]
    totals: Counter[str] = Counter()
    expected = {"disjoint": WRITERS * sessions, "overlap": sessions}
    for name, stored in expected.items():
        phase = writers.figures.get(name)
        if phase is None:
            report.problems.append(
                f"crash_writers.py printed no {name} figures: {writers.measured.tail()}"
            )
            continue
        report.parts.append((name, phase))
        for key in TARGETS_OF_ZERO:
            totals[key] += int(phase.get(key, 0))
            if phase.get(key) != 0:
                report.problems.append(f"{name}: {key}={phase.get(key)} (target 0)")
        if phase.get("sessions_in_store") != stored:
            report.problems.append(
                f"{name}: {phase.get('sessions_in_store')} sessions in the store, not {stored}"
            )
    report.counts = {
        "writers": WRITERS,
        "sessions": sessions,
        **totals,
        "sqlite_errors": len(errors),
        "exit": writers.measured.status,
        "time_s": writers.measured.seconds,
    }
    report.problems += [f"raw sqlite error in the output: {shorten(line)}" for line in errors[:5]]
    report.problems += writers.closing_problems(report.problems)
    return report
