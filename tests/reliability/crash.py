"""The crash phase: kill writers mid-batch with crash_writers.py; see the package docstring."""

from __future__ import annotations

from reliability.crash_writers_run import run_crash_writers
from reliability.figures import Report
from reliability.plan import Run


def crash_phase(run: Run) -> Report:
    """Kill writers mid-batch with crash_writers.py; see the package docstring."""
    report = Report("crash")
    arguments = ["--kills", str(run.plan.kills), "--seed", str(run.seed), "--companion"]
    arguments += ["--writers-at-once", "0", "--store", str(run.work / "crash.sqlite")]
    writers = run_crash_writers(arguments)
    crash = writers.figures.get("crash")
    report.counts = {**(crash or {}), "exit": writers.measured.status}
    if crash is None:
        report.problems.append(f"crash_writers.py printed no figures: {writers.measured.tail()}")
        return report
    for key in ("lost", "integrity_failures", "chain_findings"):
        if crash.get(key) != 0:
            report.problems.append(f"{key}={crash.get(key)} (target 0)")
    if int(crash.get("mid_batch_kills", 0)) < run.plan.kills:
        report.problems.append(
            f"only {crash.get('mid_batch_kills')} of {run.plan.kills} kills mid-batch"
        )
    report.problems += writers.closing_problems(report.problems)
    return report
