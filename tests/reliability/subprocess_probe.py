"""Run hostile cases in subprocesses: the largest in a probe subprocess, samples as users do.

A probe subprocess (``python -m reliability.probe hostile``) runs one big case through
:func:`~.in_process_probe.probe` and reports its peak memory; ``python -m zhiping
evaluate FILE`` runs a sample of every category, as a user would, with its exit status
checked against the in-process CLI's.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reliability.failures import Failure
from reliability.figures import Figure
from reliability.hostile_cases import Case
from reliability.in_process_probe import Probed, headline, probe, shows_internal_error
from reliability.probes import (
    Measured,
    megabytes,
    probe_report,
    quiet_environment,
    report_to_harness,
    rss_kb,
    run_measured,
    run_probe,
)


def real_cli(file: Path) -> Measured:
    """Run ``python -m zhiping evaluate FILE`` as a user would, measured."""
    command = [sys.executable, "-m", "zhiping", "evaluate", str(file)]
    return run_measured(command, env=quiet_environment())


def judge_real_cli(case: Case, measured: Measured, in_process: int | str | None) -> list[Failure]:
    """Check a real CLI run: exit 0 or 2 as in-process, no traceback."""
    stderr = measured.stderr.decode("utf-8", "replace")
    status = measured.status
    found = []
    if measured.timed_out:
        found.append(("subprocess_exit", f"killed after {measured.seconds:.0f} s"))
    elif status not in (0, 2):
        found.append(("subprocess_crash", f"exit {status}: {headline(stderr)}"))
    elif status == 0 and case.expect == "reject":
        found.append(("subprocess_exit", "exit 0 for a document that must be refused"))
    elif in_process in (0, 2) and status != in_process:
        found.append(("subprocess_exit", f"exit {status}, in-process {in_process}"))
    if shows_internal_error(stderr):
        found.append(("subprocess_traceback", headline(stderr)))
    where = "python -m zhiping"
    return [Failure(kind, case.category, case.label, detail, where) for kind, detail in found]


def probe_big(case: Case, store: Path) -> tuple[Probed, dict[str, Figure]]:
    """Run a big case in a probe subprocess, then through the real CLI; measure both.

    Removes the case's file afterwards.
    """
    assert case.file is not None
    arguments = [
        "--file",
        str(case.file),
        "--category",
        case.category,
        "--label",
        case.label,
        "--expect",
        case.expect,
        "--why",
        case.why,
        "--store",
        str(store),
    ]
    try:
        measured = run_probe("hostile", *arguments)
        probed, reported = _probe_result(case, measured)
        cli = real_cli(case.file)
        found = judge_real_cli(case, cli, probed.cli_status)
        probed.failures += found
        probed.counts["subprocess_runs"] += 1
        probed.counts["subprocess_failures"] += bool(found)
    finally:
        case.file.unlink()
    figures: dict[str, Figure] = {
        f"{case.key}_mb": megabytes(reported.get("rss_kb") or measured.rss_kb),
        f"{case.key}_cli_mb": megabytes(cli.rss_kb),
        f"{case.key}_s": measured.seconds,
    }
    if "base_rss_kb" in reported:
        figures["base_mb"] = megabytes(reported["base_rss_kb"])
    return probed, figures


def _probe_result(case: Case, measured: Measured) -> tuple[Probed, dict[str, Any]]:
    reported = probe_report(measured)
    if reported is not None:
        return Probed.from_json(reported), reported
    detail = f"the probe subprocess died ({measured.ending()}): {measured.tail()}"
    died = Failure("probe_died", case.category, case.label, detail)
    return Probed(Counter(library_exceptions=1), [died]), {}


def probe_main(argv: Sequence[str]) -> int:
    """The ``hostile`` probe subprocess: run one big case (already in its file); report as JSON."""
    parser = argparse.ArgumentParser(prog="python -m reliability.probe hostile")
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--category", required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--expect", choices=("reject", "accept", "either"), required=True)
    parser.add_argument("--why", default="")
    parser.add_argument("--store", type=Path, required=True)
    arguments = parser.parse_args(argv)
    import zhiping.cli  # noqa: F401 - imported before the baseline is taken

    base = rss_kb()
    data = arguments.file.read_bytes()
    case = Case(arguments.category, arguments.label, expect=arguments.expect, why=arguments.why)
    probed = probe(case, data, arguments.file, arguments.store)
    report_to_harness(probed.to_json() | {"base_rss_kb": base, "rss_kb": rss_kb()})
    return 0
