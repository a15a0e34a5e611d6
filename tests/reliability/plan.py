"""How much a run does (the quick plan, CI's, or the full one), and what its phases share."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reliability.figures import Report
from reliability.probes import MB
from reliability.samples import build_sample_store
from zhiping.store import Checkpoint

BIG_KEYS = (
    "string_name",
    "string_id",
    "string_remarks",
    "string_mark",
    "whitespace",
    "nesting_document",
    "nesting_name",
)
"""The largest inputs, run in probe subprocesses (see :func:`~.big_documents.big_cases`)."""


@dataclass(frozen=True)
class Plan:
    """How much each phase does: the full run, or the quick one for CI.

    Attributes:
        name: ``full`` or ``quick``.
        drawn_valid: valid documents drawn in each ballot form, as controls.
        kit_examples: documents drawn for each defect kind of the kit.
        truncations: offsets each base document is cut at.
        flips: bits flipped in each base document, one per case.
        duplicate_keys: keys given twice in each base document (each in both orders).
        number_paths: how many numeric fields of each base get NaN, huge or float values.
        subprocess_samples: cases of each category also run through ``python -m zhiping``.
        big: the largest inputs run (in probe subprocesses), by key (see :data:`BIG_KEYS`).
        huge_string: the length of the huge strings, in bytes.
        whitespace: the size of the whitespace-only document.
        depth: the deepest nesting tried.
        ballots: the ``cast`` sizes the limits phase parses.
        megabytes: the document sizes the limits phase parses.
        kills: mid-batch kills in the crash phase.
        concurrent_sessions: sessions each concurrent writer records.
        tamper_villages: villages of the sample store (two years each).
        every_column: the tables whose every column of every row is updated; in the
            others, one column per row, in turn.
        demo_recount: recount the demo's store (588 villages, two years) too.
    """

    name: str
    drawn_valid: int
    kit_examples: int
    truncations: int
    flips: int
    duplicate_keys: int
    number_paths: int
    subprocess_samples: int
    big: tuple[str, ...]
    huge_string: int
    whitespace: int
    depth: int
    ballots: tuple[int, ...]
    megabytes: tuple[int, ...]
    kills: int
    concurrent_sessions: int
    tamper_villages: int
    every_column: tuple[str, ...]
    demo_recount: bool


FULL = Plan(
    name="full",
    drawn_valid=5,
    kit_examples=40,
    truncations=120,
    flips=150,
    duplicate_keys=60,
    number_paths=6,
    subprocess_samples=3,
    big=BIG_KEYS,
    huge_string=100 * MB,
    whitespace=50 * MB,
    depth=100_000,
    ballots=(1_000, 10_000, 100_000),
    megabytes=(1, 10, 100),
    kills=50,
    concurrent_sessions=200,
    tamper_villages=20,
    every_column=("events", "records"),
    demo_recount=True,
)
QUICK = Plan(
    name="quick",
    drawn_valid=2,
    kit_examples=4,
    truncations=12,
    flips=12,
    duplicate_keys=5,
    number_paths=1,
    subprocess_samples=1,
    big=("string_name", "string_mark", "whitespace", "nesting_document"),
    huge_string=10 * MB,
    whitespace=5 * MB,
    depth=100_000,
    ballots=(1_000, 10_000),
    megabytes=(1,),
    kills=10,
    concurrent_sessions=30,
    tamper_villages=3,
    every_column=(),
    demo_recount=False,
)


PLANS = {plan.name: plan for plan in (QUICK, FULL)}
"""The plans by name, for ``ZHIPING_RELIABILITY`` to choose from."""
SHOWN = 10
"""How many mismatches of one kind a phase prints."""


@dataclass
class Run:
    """One run of the harness: its plan and what the phases share.

    Attributes:
        plan: how much to do.
        seed: the seed of every draw and mutation.
        work: a temporary directory, removed afterwards.
    """

    plan: Plan
    seed: int
    work: Path
    _sample: tuple[Path, Checkpoint] | None = None

    def sample_store(self) -> tuple[Path, Checkpoint]:
        """Return the sample store (built on first use, never changed) and its checkpoint."""
        if self._sample is None:
            path = self.work / "sample.db"
            self._sample = path, build_sample_store(path, self.plan.tamper_villages)
        return self._sample


def workers() -> int:
    """Return how many processes or threads to use: the cores, at most 2."""
    return max(1, min(2, os.cpu_count() or 1))


Phase = Callable[[Run], Report]
"""A phase: it runs on the shared run and reports its figures and the targets it missed."""
Measure = Callable[[Phase], Report]
"""What runs a phase for a test and keeps its report for the figures (the ``measure`` fixture)."""
