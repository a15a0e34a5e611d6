"""The tamper phase: every row of a sample store changed, in copies, and verified; see the package.

Each change (:mod:`.tampering`) is made in a fresh copy by a worker process, then the
copy is verified against the checkpoint taken before: every change must be detected,
and ``verify`` must never raise anything but a ``ZhipingError``.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from reliability.failures import Failure, describe, shorten, signature
from reliability.figures import Figure, Report
from reliability.forgery import read_only
from reliability.plan import Run, workers
from reliability.tampering import Tamper, apply_tamper, tamper_plan
from zhiping.errors import ZhipingError
from zhiping.store import Checkpoint, Store


@dataclass
class Tampered:
    """What verification made of one change.

    Attributes:
        tamper: the change.
        outcome: ``detected``, ``undetected``, ``crashed`` (verify raised something else
            than a ``ZhipingError``) or ``skipped`` (the change could not be made).
        detail: the finding, the exception, or what was changed.
        consistent: for truncations and rewrites, whether the store verified clean
            without the checkpoint (the change kept it consistent in itself).
    """

    tamper: Tamper
    outcome: str
    detail: str = ""
    consistent: bool | None = None


def verdict_of(path: Path, checkpoint: Checkpoint | None) -> tuple[str, str]:
    """Verify a store; return ``detected``, ``undetected`` or ``crashed``, and why."""
    try:
        with Store(path) as store:
            verification = store.verify(checkpoint=checkpoint)
    except ZhipingError as error:
        return "detected", f"raised {type(error).__name__}: {shorten(str(error), 120)}"
    except Exception as error:
        return "crashed", f"verify raised {describe(error)}"
    if not verification.ok:
        return "detected", shorten(str(verification.tampered[0]), 120)
    return "undetected", "verify found nothing"


def tamper_once(job: tuple[str, str, int, Tamper, int, str]) -> Tampered:
    """Copy the template, make one change, and verify against the checkpoint (a worker)."""
    template, work, index, spec, size, head = job
    path = Path(work) / f"tamper-{index}.db"
    scratch = Path(work) / f"scratch-{index}.db"
    shutil.copyfile(template, path)
    try:
        changed = apply_tamper(path, spec, scratch)
        if changed is None:
            return Tampered(spec, "skipped")
        consistent = None
        if spec.mutation in ("truncate", "rewrite"):
            consistent = verdict_of(path, None)[0] == "undetected"
        outcome, why = verdict_of(path, Checkpoint(size, head))
        return Tampered(spec, outcome, f"{changed}: {why}", consistent)
    finally:
        for leftover in (path, scratch):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{leftover}{suffix}").unlink(missing_ok=True)


def tamper_phase(run: Run) -> Report:
    """Tamper with every row of a sample store, in copies; see the package docstring."""
    started = time.perf_counter()
    report = Report("tamper")
    template, checkpoint = run.sample_store()
    baseline = verdict_of(template, checkpoint)
    specs, rows = tamper_plan(template, run.plan.every_column)
    jobs = [
        (str(template), str(run.work), index, spec, checkpoint.size, checkpoint.head)
        for index, spec in enumerate(specs)
    ]
    with ProcessPoolExecutor(max_workers=workers()) as pool:
        results = list(pool.map(tamper_once, jobs, chunksize=8))
    report.parts = parts_by_change(results)
    applied = [r for r in results if r.outcome != "skipped"]
    detected = sum(r.outcome == "detected" for r in applied)
    rewrites = [r for r in applied if r.tamper.mutation == "rewrite"]
    truncations = [r for r in applied if r.tamper.mutation == "truncate"]
    crashes = [r for r in results if r.outcome == "crashed"]
    report.counts = {
        "sessions": stored_sessions(template),
        "events": checkpoint.size,
        "rows": sum(rows.values()),
        **{f"{table}_rows": count for table, count in rows.items()},
        "cases": len(applied),
        "detected": detected,
        "undetected": sum(r.outcome == "undetected" for r in applied),
        "verify_crashed": len(crashes),
        "skipped": len(results) - len(applied),
        "detection_pct": 100.0 * detected / len(applied) if applied else 0.0,
        "rewrites": len(rewrites),
        "rewrites_self_consistent": sum(bool(r.consistent) for r in rewrites),
        "truncations_self_consistent": sum(bool(r.consistent) for r in truncations),
        "baseline_ok": int(baseline[0] == "undetected"),
        "time_s": time.perf_counter() - started,
    }
    if baseline[0] != "undetected":
        report.problems.append(f"the untouched sample store does not verify: {baseline[1]}")
    report.problems += undetected_problems(results)
    report.problems += [
        f"{failure.kind}: {failure.detail} -- e.g. {failure.label}"
        for failure in _grouped_crashes(crashes)
    ]
    if rewrites and len(rewrites) != report.counts["rewrites_self_consistent"]:
        report.notes.append(
            "a forged rewrite did not verify clean without the checkpoint: the forgery here "
            "missed something, so it tests less than a careful forger's would"
        )
    return report


def parts_by_change(results: Sequence[Tampered]) -> list[tuple[str, dict[str, Figure]]]:
    """Return the figures of each kind of change (``table.mutation``), in the order made."""
    by_kind: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for result in results:
        by_kind[(result.tamper.table, result.tamper.mutation)][result.outcome] += 1
    return [
        (
            f"{table}.{mutation}",
            {
                "cases": sum(tally.values()) - tally["skipped"],
                "detected": tally["detected"],
                "undetected": tally["undetected"],
                "crashed": tally["crashed"],
                "skipped": tally["skipped"],
            },
        )
        for (table, mutation), tally in by_kind.items()
    ]


def undetected_problems(results: Sequence[Tampered]) -> list[str]:
    """Return one line per kind of change (and column) that went undetected, most first."""
    undetected: dict[tuple[str, str, str], list[Tampered]] = defaultdict(list)
    totals: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        spec = result.tamper
        group = (spec.table, spec.mutation, spec.column)
        totals[group] += result.outcome != "skipped"
        if result.outcome == "undetected":
            undetected[group].append(result)
    problems = []
    for (table, mutation, column), missed in sorted(undetected.items(), key=lambda i: -len(i[1])):
        what = f"{table}.{mutation}" + (f" of {column}" if column else "")
        example = missed[0]
        problems.append(
            f"{what}: undetected in {len(missed)} of {totals[(table, mutation, column)]}; "
            f"e.g. row {example.tamper.rowid or example.tamper.session}: {example.detail}"
        )
    return problems


def _grouped_crashes(crashes: Sequence[Tampered]) -> list[Failure]:
    groups: dict[str, list[Tampered]] = defaultdict(list)
    for crash in crashes:
        groups[signature(crash.detail.split(": ", 1)[-1])].append(crash)
    return [
        Failure(
            f"{len(members)}x verify_raised",
            "tamper",
            f"{members[0].tamper.table}.{members[0].tamper.mutation} {members[0].tamper.column}",
            members[0].detail,
        )
        for members in groups.values()
    ]


def stored_sessions(path: Path) -> int:
    """Return how many sessions a store holds."""
    with read_only(path) as db:
        return int(db.execute("SELECT count(DISTINCT session) FROM records").fetchone()[0])
