#!/usr/bin/env python
"""Measure how zhiping holds up against what it is given; exit 1 when a target is missed.

zhiping runs inside systems that receive documents from phones in village meetings and
files from township offices. It must never crash on what it is given, never lose or
corrupt a record, and show anyone who asks that its records are intact. Six phases
measure that. Each prints its figures (``phase key=value ...``, and ``phase/part
key=value ...`` for its parts), a ``FAIL phase: ...`` line for every target missed (each
group of alike failures once, counted, with an example) and ``NOTE phase: ...`` lines for
what is worth knowing but not a target. The last lines are ``summary phase=ok|FAIL ...``
and ``result ok`` or ``result FAIL``.

``hostile``
    Malformed documents fed to the library (:func:`zhiping.parse_session` on the text, on
    the bytes and, for the kit's documents, on the decoded object; then
    :func:`zhiping.evaluate`) and to the CLI in-process (``main(["evaluate", FILE])``, and
    ``main(["evaluate", FILE, "--store", DB])`` on a store holding sessions already), plus a
    sample of each category through a real ``python -m zhiping evaluate FILE``. Sources:
    the kit's :func:`~zhiping.testing.invalid_documents` (every defect kind, drawn with a
    seed), and byte-level damage to valid documents (the example and synthetic ones):
    truncations, flipped bits, keys given twice with different values, invalid UTF-8, a
    BOM and other encodings, ``NaN``/``Infinity``, huge integers, floats and booleans where
    counts belong, deep nesting, 100 MB strings, control characters and lone surrogates
    in ids, empty files, ``null``, top-level arrays, 50 MB of whitespace. Valid documents
    run alongside as controls. Targets: no exception outside ``ZhipingError`` from the
    library; no invalid document accepted (a damaged document that is still valid JSON is
    either, and counted ``still_valid``); the CLI exits 2 for every refused document and
    0 for every accepted one, with no traceback and no "internal error"; the store is
    unchanged (its tables, read with a plain read-only client) after every refused one.
    The peak memory of the largest documents is measured in subprocesses.
``limits``
    Documents of growing size (1k, 10k, 100k ballots in ``cast`` form; 1, 10, 100 MB)
    parsed and evaluated in subprocesses: time, peak RSS, and whether each is refused
    with an ``InputError`` naming a limit. The documented limits (``zhiping.documents.limits``,
    when it exists; see ``_reliability/documented_limits.py``) add documents at and
    just over each limit (and ``MAX_INTEGER_DIGITS``). Targets: no exception outside
    ``ZhipingError``, no probe killed by its size; a document over a documented limit is
    refused with an ``InputError`` whose problem names the limit.
``crash``
    ``scripts/crash_writers.py --kills K --companion``: writers killed with SIGKILL
    mid-batch. Targets: 0 acknowledged sessions lost, 0 integrity failures, 0 chain
    findings, every kill mid-batch.
``concurrency``
    ``scripts/crash_writers.py --writers-at-once 4``, on disjoint and on the same
    sessions. Targets: 0 lost, 0 recorded twice, 0 writer failures, and no raw
    ``sqlite3`` error anywhere in its output.
``tamper``
    A sample store (synthetic villages over two years, a fulfilment and an amendment,
    recorded with :meth:`zhiping.store.Store.evaluate`) and its checkpoint; then, each in
    a fresh copy, with a plain ``sqlite3`` client and the triggers dropped: every row of
    every table updated (in full mode every column of the events and records, elsewhere
    one column per row, in turn), deleted, and swapped with the next row that differs;
    the chain truncated after every event; and whole-chain rewrites that recompute every
    hash with a hash function written here from DESIGN §7, as a careful forger would.
    Detection: :meth:`~zhiping.store.Store.verify` with the checkpoint reports tampering,
    or raises ``StoreError``. Target: 100% detected, and ``verify`` never raises anything
    else.
``recount``
    An independent recount of every stored outcome from its stored document (a counter
    written here from DESIGN §2, not zhiping's), each subject's tally and valid votes,
    and the Xinzhou grade and pay (DESIGN §5) where the chain is ``cn ► xinzhou``; and an
    independent recomputation of the audit chain's hashes. On the tamper phase's sample
    store, and in full mode on the demo's store too. Target: 0 mismatches.

Full mode by default; ``--quick`` runs a few hundred hostile cases, 10 kills and small
stores in under a minute on two cores. ``--phase NAME`` (repeatable) runs only those.
CI runs the quick form from ``tests/test_reliability.py``::

    python scripts/reliability.py --quick

Peak memory is a process's ``VmHWM`` (Linux), read by the process itself or, for the
real CLI, while it runs. Exit status: 0 when every target is met, 1 otherwise, 2 on bad
arguments. POSIX only (SIGKILL, ``os.wait4``). Only the standard library and zhiping
with its ``test`` extra (hypothesis).

This file is the entry point: the command line, the phases chosen, the summary. Each
phase is a module of ``scripts/_reliability/`` (its ``__init__`` lists them all), and so
are the ``probe`` and ``probe-limit`` subprocesses, which run this file again.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from _reliability.concurrency import concurrency_phase
from _reliability.crash import crash_phase
from _reliability.failures import describe
from _reliability.figures import Figure, Report, figure_line
from _reliability.hostile import hostile_phase
from _reliability.limits import limits_phase, probe_limit_main
from _reliability.plan import FULL, QUICK, Run
from _reliability.recount import recount_phase
from _reliability.subprocess_probe import probe_main
from _reliability.tamper import tamper_phase

PHASES: dict[str, Callable[[Run], Report]] = {
    "hostile": hostile_phase,
    "limits": limits_phase,
    "crash": crash_phase,
    "concurrency": concurrency_phase,
    "tamper": tamper_phase,
    "recount": recount_phase,
}
"""Every phase, in the order they run."""
PROBES: dict[str, Callable[[Sequence[str]], int]] = {
    "probe": probe_main,
    "probe-limit": probe_limit_main,
}
"""The probe subprocesses, by the first word of their command line."""


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Read the driver's command line."""
    parser = argparse.ArgumentParser(
        description="Measure how zhiping holds up: hostile documents, size limits, crashes, "
        "concurrent writers, tampering and recounts. Exits 1 when a target is missed."
    )
    parser.add_argument("--quick", action="store_true", help="the reduced run for CI (< 60 s)")
    parser.add_argument(
        "--phase",
        action="append",
        choices=tuple(PHASES),
        help="run only this phase (repeatable); all by default",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the draws and mutations")
    parser.add_argument(
        "--kills", type=int, help="mid-batch kills in the crash phase (50 full, 10 quick)"
    )
    parser.add_argument(
        "--show", type=int, default=10, help="mismatches of one kind printed (default 10)"
    )
    arguments = parser.parse_args(argv)
    if (arguments.kills is not None and arguments.kills < 1) or arguments.show < 1:
        parser.error("--kills and --show must be at least 1")
    return arguments


def run_phase(name: str, run: Run) -> Report:
    """Run one phase; a phase that raises is reported as a failure of its own."""
    try:
        return PHASES[name](run)
    except Exception as error:  # a fault of this script or of zhiping: told, not hidden
        return Report(name, problems=[f"the phase itself raised {describe(error)}"])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the phases and print their figures; or a probe, when the first word says so."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] and words[0] in PROBES:
        return PROBES[words[0]](words[1:])
    arguments = parse(words)
    plan = QUICK if arguments.quick else FULL
    kills = arguments.kills or plan.kills
    selected = [name for name in PHASES if name in (arguments.phase or PHASES)]
    started = time.perf_counter()
    print(f"plan mode={plan.name} seed={arguments.seed} phases={','.join(selected)}", flush=True)
    verdicts: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="zhiping-reliability-") as directory:
        run = Run(plan, arguments.seed, kills, Path(directory), arguments.show)
        for name in selected:
            report = run_phase(name, run)
            for line in report.lines():
                print(line, flush=True)
            verdicts[name] = "FAIL" if report.problems else "ok"
    summary: dict[str, Figure] = {**verdicts, "time_s": time.perf_counter() - started}
    print(figure_line("summary", summary), flush=True)
    failed = "FAIL" in verdicts.values()
    print("result", "FAIL" if failed else "ok", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
