"""The hostile phase: malformed documents fed to the library and the CLI; see the package.

Every case runs in-process (:mod:`.in_process_probe`) in worker processes, each
against a store of its own; a sample of each category runs again through a real
``python -m zhiping``, and the largest documents in probe subprocesses
(:mod:`.subprocess_probe`), their memory measured.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability.big_documents import big_cases
from reliability.byte_damage import encodings, flips, invalid_utf8, shapes, truncations
from reliability.failures import Failure, grouped
from reliability.figures import Figure, Report
from reliability.hostile_cases import Base, Case
from reliability.in_process_probe import Probed, probe
from reliability.json_damage import (
    control_characters,
    deep_nesting,
    duplicate_keys,
    number_cases,
    surrogates,
)
from reliability.json_text import Piece, write_pieces
from reliability.kit_documents import base_documents, kit_cases, valid_cases
from reliability.plan import Plan, Run, workers
from reliability.subprocess_probe import judge_real_cli, probe_big, real_cli
from zhiping.store import Store

TOTALS = (
    "library_runs",
    "library_exceptions",
    "accepted_invalid",
    "rejected_valid",
    "cli_runs",
    "cli_bad_exits",
    "cli_tracebacks",
    "store_runs",
    "store_changed",
    "store_bytes_changed",
    "subprocess_runs",
    "subprocess_failures",
    "still_valid",
    "inconsistent",
    "echoed_controls",
)
"""The phase's totals over every case, in the order they are printed."""


def hostile_cases(plan: Plan, bases: Sequence[Base], seed: int) -> list[Case]:
    """Return every in-process case of the hostile phase, controls first."""
    rng = random.Random(seed)
    cases = [*valid_cases(plan, bases, seed), *kit_cases(plan, seed)]
    for base in bases:
        cases += truncations(base, plan.truncations)
        cases += flips(base, plan.flips, rng)
        cases += duplicate_keys(base, plan.duplicate_keys, rng)
        cases += number_cases(base, plan.number_paths)
    example = bases[0]
    cases += invalid_utf8(example)
    cases += encodings(example)
    cases += deep_nesting(example, plan.depth)
    cases += control_characters(example)
    cases += surrogates(bases)
    cases += shapes(bases)
    return cases


class Stopwatch:
    """Time the steps of a phase, each from the end of the one before."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        """Record the time since the last lap (or the start) under ``name``."""
        self.laps[name] = self.elapsed() - sum(self.laps.values())

    def elapsed(self) -> float:
        """Return the seconds since the start."""
        return time.perf_counter() - self.started


@dataclass
class Findings:
    """What the cases found, added up.

    Attributes:
        totals: the figures of every case, summed.
        by_category: each category's cases, accepted and still valid.
        failures: targets missed, in the order found.
        notes: worth knowing, not a target.
    """

    totals: Counter[str] = field(default_factory=Counter)
    by_category: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[Failure] = field(default_factory=list)
    notes: list[Failure] = field(default_factory=list)

    def absorb(self, case: Case, probed: Probed) -> None:
        """Add what one case found."""
        self.totals.update(probed.counts)
        tally = self.by_category[case.category]
        tally["cases"] += 1
        tally["accepted"] += probed.accepted
        tally["still_valid"] += probed.counts["still_valid"]
        self.failures.extend(probed.failures)
        self.notes.extend(probed.notes)

    def absorb_sample(self, found: Sequence[Failure]) -> None:
        """Add what one run of the real CLI found."""
        self.totals["subprocess_runs"] += 1
        self.totals["subprocess_failures"] += bool(found)
        self.failures.extend(found)


def hostile_phase(run: Run) -> Report:
    """Feed malformed documents to the library and the CLI; see the package docstring."""
    clock = Stopwatch()
    bases = base_documents()
    cases = hostile_cases(run.plan, bases, run.seed)
    clock.lap("build_s")
    findings = Findings()
    seeded, results = probe_in_workers(run.work, cases, [base.document for base in bases])
    for case, probed in zip(cases, results, strict=True):
        findings.absorb(case, probed)
    clock.lap("probes_s")
    for found in sample_real_cli(run.work, cases, results, run.plan.subprocess_samples):
        findings.absorb_sample(found)
    clock.lap("samples_s")
    memory: dict[str, Figure] = {}
    store = run.work / "hostile-0" / "store.db"
    for case, pieces in big_cases(run.plan, bases):
        probed, figures = probe_big_case(run.work, case, pieces, store)
        findings.absorb(case, probed)
        memory.update(figures)
    clock.lap("big_s")
    return hostile_report(findings, memory, seeded, clock)


def probe_in_workers(
    work: Path, cases: Sequence[Case], documents: list[dict[str, Any]]
) -> tuple[int, list[Probed]]:
    """Probe every case, each worker process every n-th case against a store of its own.

    Returns:
        How many sessions each store held before, and what each case found, in order.
    """
    count = workers()
    jobs = [(list(cases[k::count]), documents, str(work / f"hostile-{k}")) for k in range(count)]
    results: list[Probed] = [Probed()] * len(cases)
    seeded = 0
    with ProcessPoolExecutor(max_workers=count) as pool:
        for k, (held, probed_cases) in enumerate(pool.map(probe_cases, jobs)):
            results[k::count] = probed_cases
            seeded = held
    return seeded, results


def probe_cases(job: tuple[list[Case], list[dict[str, Any]], str]) -> tuple[int, list[Probed]]:
    """Probe cases one by one against a new store holding ``documents`` (a worker).

    Returns:
        How many sessions the store held before, and what each case found.
    """
    cases, documents, directory = job
    work = Path(directory)
    work.mkdir()
    store = work / "store.db"
    seeded = seed_store(store, documents)
    file = work / "case.json"
    found = []
    for case in cases:
        file.write_bytes(case.data)
        found.append(probe(case, case.data, file, store))
    return seeded, found


def seed_store(path: Path, documents: Iterable[Mapping[str, Any]]) -> int:
    """Record valid documents in a new store; return how many sessions it holds."""
    with Store(path) as store:
        for document in documents:
            store.evaluate(document)
        return sum(1 for _ in store.sessions())


def sample_real_cli(
    work: Path, cases: Sequence[Case], results: Sequence[Probed], per_category: int
) -> list[list[Failure]]:
    """Run a sample of each category through ``python -m zhiping``; return each run's failures."""

    def sample(index: int) -> list[Failure]:
        path = work / f"sample-{index}.json"
        path.write_bytes(cases[index].data)
        try:
            return judge_real_cli(cases[index], real_cli(path), results[index].cli_status)
        finally:
            path.unlink()

    with ThreadPoolExecutor(max_workers=workers()) as threads:
        return list(threads.map(sample, sampled(cases, per_category)))


def sampled(cases: Sequence[Case], per_category: int) -> list[int]:
    """Return the indices of up to ``per_category`` cases of each category, spread out."""
    by_category: dict[str, list[int]] = defaultdict(list)
    for index, case in enumerate(cases):
        by_category[case.category].append(index)
    chosen = []
    for indices in by_category.values():
        step = max(1, len(indices) // per_category)
        chosen += indices[::step][:per_category]
    return sorted(chosen)


def probe_big_case(
    work: Path, case: Case, pieces: Iterable[Piece], store: Path
) -> tuple[Probed, dict[str, Figure]]:
    """Write a big case's file, probe it in a subprocess and return its memory figures."""
    case.file = work / f"{case.key}.json"
    write_pieces(case.file, pieces)
    return probe_big(case, store)


def hostile_report(
    findings: Findings, memory: dict[str, Figure], seeded: int, clock: Stopwatch
) -> Report:
    """Return the phase's report: each category, the memory figures, the totals."""
    report = Report("hostile")
    failed = {(failure.category, failure.label) for failure in findings.failures}
    for category, tally in sorted(findings.by_category.items()):
        tally["failures"] = sum(origin == category for origin, _ in failed)
        report.parts.append((category, dict(tally)))
    report.parts.append(("memory", memory))
    report.counts = {
        "cases": sum(tally["cases"] for tally in findings.by_category.values()),
        "failures": len(findings.failures),
        "cases_failed": len(failed),
        "store_sessions_before": seeded,
        **{key: findings.totals[key] for key in TOTALS},
        **clock.laps,
        "time_s": clock.elapsed(),
    }
    report.problems = grouped(findings.failures)
    report.notes = grouped(findings.notes, by_cause=False)
    return report
