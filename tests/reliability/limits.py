"""The limits phase: parse documents of growing size in subprocesses; see the package docstring.

Each document (:mod:`.limit_documents`) is parsed and evaluated in a probe subprocess
(``python -m reliability.probe limit``) that times both steps and reports its peak memory.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reliability.documented_limits import DOCUMENTED, LIMITS_MODULE_EXISTS, names_limit
from reliability.failures import describe, shorten
from reliability.figures import Figure, Report
from reliability.limit_documents import LimitProbe, limit_probes
from reliability.plan import Run
from reliability.probes import (
    Measured,
    megabytes,
    probe_report,
    report_to_harness,
    rss_kb,
    run_probe,
)
from zhiping import evaluate, parse_session
from zhiping.errors import InputError, ZhipingError


def limits_phase(run: Run) -> Report:
    """Parse documents of growing size in subprocesses; see the package docstring."""
    started = time.perf_counter()
    report = Report("limits")
    crashed = over = refused = 0
    peak = 0.0
    for limit_probe in limit_probes(run.plan):
        size, measured, result = run_limit_probe(run.work, limit_probe)
        figures = limit_figures(size, measured, result)
        peak = max(peak, float(figures["rss_mb"]))
        report.parts.append((limit_probe.name, figures))
        outcome = result.get("result")
        if outcome in (None, "crashed"):
            crashed += 1
            detail = result.get("detail") or f"the probe died: exit {measured.status}"
            report.problems.append(f"{limit_probe.name} ({size} bytes): {detail}")
        if limit_probe.limit:
            over += 1
            if outcome == "rejected" and result.get("named"):
                refused += 1
            elif outcome == "rejected":
                report.problems.append(
                    f"{limit_probe.name}: refused, but no problem names the limit "
                    f"{limit_probe.limit}={limit_probe.value}: {result.get('detail')}"
                )
            elif outcome == "accepted":
                report.problems.append(
                    f"{limit_probe.name}: a document over {limit_probe.limit}="
                    f"{limit_probe.value} was accepted"
                )
    missing = [name for name, value in DOCUMENTED.items() if value is None]
    if missing:
        report.notes.append(
            f"no documented value for {', '.join(missing)} (zhiping.documents.limits "
            f"{'lacks them' if LIMITS_MODULE_EXISTS else 'does not exist'}): sizes are "
            "measured, but no document is required to be refused for its size"
        )
    report.counts = {
        "documented": len(DOCUMENTED) - len(missing),
        "probes": len(report.parts),
        "crashed": crashed,
        "over_limit": over,
        "over_limit_refused": refused,
        "peak_rss_mb": round(peak, 1),
        "time_s": time.perf_counter() - started,
    }
    return report


def run_limit_probe(work: Path, limit_probe: LimitProbe) -> tuple[int, Measured, dict[str, Any]]:
    """Write a document, parse it in a probe subprocess and remove it.

    Returns:
        The document's size, the subprocess, and what it reported (``detail`` alone
        when it died before reporting).
    """
    path = work / f"{limit_probe.name}.json"
    size = limit_probe.write(path)
    arguments = ["--file", str(path)]
    if limit_probe.value:
        arguments += ["--limit-value", str(limit_probe.value)]
    try:
        measured = run_probe("limit", *arguments)
    finally:
        path.unlink()
    result = probe_report(measured)
    if result is None:
        result = {"detail": f"the probe died ({measured.ending()}): {measured.tail()}"}
    return size, measured, result


def limit_figures(size: int, measured: Measured, result: dict[str, Any]) -> dict[str, Figure]:
    """Return one document's figures: size, outcome, times, memory, and a limit named."""
    figures: dict[str, Figure] = {
        "bytes": size,
        "result": result.get("result", "died"),
        "parse_s": float(result.get("parse_s", 0.0)),
        "evaluate_s": float(result.get("evaluate_s", 0.0)),
        "rss_mb": megabytes(result.get("rss_kb") or measured.rss_kb),
    }
    if "base_rss_kb" in result:
        figures["base_rss_mb"] = megabytes(result["base_rss_kb"])
    if result.get("result") != "accepted":
        figures["limit_named"] = int(bool(result.get("named")))
    return figures


def probe_limit_main(argv: Sequence[str]) -> int:
    """The ``limit`` probe subprocess: parse and evaluate one file, timed; report as JSON."""
    parser = argparse.ArgumentParser(prog="python -m reliability.probe limit")
    parser.add_argument("--file", type=Path, required=True)
    parser.add_argument("--limit-value", type=int)
    arguments = parser.parse_args(argv)
    base = rss_kb()
    data = arguments.file.read_bytes()
    result: dict[str, Any] = {"base_rss_kb": base}
    started = time.perf_counter()
    try:
        session = parse_session(data)
        result["parse_s"] = time.perf_counter() - started
        started = time.perf_counter()
        evaluate(session)
        result["evaluate_s"] = time.perf_counter() - started
        result["result"] = "accepted"
    except InputError as error:
        messages = [str(problem) for problem in error.problems]
        result["parse_s"] = time.perf_counter() - started
        result.update(
            result="rejected",
            named=names_limit(messages, arguments.limit_value),
            detail=shorten("; ".join(messages[:3])),
        )
    except ZhipingError as error:
        result.update(result="rejected", named=False, detail=shorten(str(error)))
    except Exception as error:
        result.update(result="crashed", detail=describe(error))
    result["rss_kb"] = rss_kb()
    report_to_harness(result)
    return 0
