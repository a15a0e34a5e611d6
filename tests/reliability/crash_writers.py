"""Kill writers of a zhiping store with SIGKILL mid-batch, and run writers at once.

The acceptance of the records store (DESIGN §7): an acknowledged session survives a
writer killed at any moment, the file stays whole (``PRAGMA integrity_check``), the
audit chain never breaks, and two processes writing at once lose nothing.

Three phases, each on its own store:

``crash``
    A writer subprocess records sessions from a deterministic list one by one with
    :meth:`zhiping.store.Store.evaluate`; after each call returns it prints the session
    id and flushes (an acknowledgement). Once at least one acknowledgement was read,
    the writer is killed with SIGKILL after a random 0-50 ms (seeded), and a new writer
    resumes the batch at the last acknowledged session (recording it again is a no-op).
    A writer that finishes its batch starts the next one. After every kill, before the
    next writer starts, every acknowledged session must be in the store, the file must
    pass ``PRAGMA integrity_check`` and the chain must hash through; at the end
    the store must hold exactly the batches begun, each session at revision 1, and
    :meth:`~zhiping.store.Store.verify` must find nothing. With ``--companion``, one
    more writer records sessions of its own all along and is killed only at the end.
``disjoint``
    ``--writers-at-once`` writers start together on disjoint lists of ``--sessions``
    sessions: every session is recorded, once. ``switches`` counts how often the
    writer of consecutive records changes: how much the writers took turns.
``overlap``
    As many writers start together on the same list, in the same order: every session
    is recorded exactly once (revision 1 only), since identical documents are no-ops.

The concurrent writers sleep ``--pause`` seconds after each session, so that they
take turns (SQLite's busy wait otherwise lets one run far ahead). Their stores are
created before the writers start, unless ``--concurrent-create``: then the writers
also create the file at the same moment.

It prints the figures of each phase (``name key=value ...``, then ``result ok`` or
``FAIL`` lines) and exits 1 if a check failed, 2 on bad arguments. The default test run
runs a reduced form from ``tests/store/test_durability.py``, and the reliability
harness its crash and concurrency phases (:mod:`.crash`, :mod:`.concurrency`); by hand,
from the repository's root::

    PYTHONPATH=tests python -m reliability.crash_writers --kills 50

The writers are this module again (``python -m reliability.crash_writers writer …``).
Only the standard library, zhiping (with its ``test`` extra, for
:func:`zhiping.testing.session_document`) and the harness's own :mod:`.forgery` (the
chain recomputed from DESIGN §7) and :mod:`.figures`.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence, Set
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, ClassVar

from reliability.figures import Report, figure_line
from reliability.forgery import read_only, recompute_chain
from reliability.probes import harness_command, harness_environment
from zhiping.store import Store
from zhiping.testing import session_document

FIRST_VILLAGE = 420117101201
"""The village code of session 0; session ``i`` is held in village ``FIRST_VILLAGE + i``."""
MAX_KILL_DELAY = 0.050
"""The longest wait, in seconds, between a writer's first acknowledgement and its kill."""
WAIT_TIMEOUT = 120.0
"""How long to wait for a writer to acknowledge, be ready, or end, before giving up."""
COMPANION_FIRST = 500_000
"""The first session of the crash phase's companion writer (village 420117601201)."""
COMPANION_PAUSE = 0.010
"""Seconds the companion sleeps after each session: it writes a fifth of the time or so."""
DONE = "done"
READY = "ready"
GO = "go"


# The sessions


def session_id(index: int) -> str:
    """Return the id of session ``index`` of the deterministic list."""
    return f"crash-{index:06d}"


def session_index(identifier: str) -> int:
    """Return the index of a session from its id (see :func:`session_id`)."""
    return int(identifier.rsplit("-", 1)[1])


def document(index: int) -> dict[str, Any]:
    """Return session ``index``: a valid document, its own id and village.

    Each session has its own village, so no session's evaluation depends on which
    others are already recorded, whatever order the writers record them in.
    """
    built = session_document(village_code=str(FIRST_VILLAGE + index))
    built["id"] = session_id(index)
    return built


# The writer (a subprocess)


def write(store: Path, indices: Sequence[int], *, wait: bool, pause: float = 0.0) -> int:
    """Record the sessions ``indices`` in ``store`` one by one, acknowledging each.

    Prints each session's id once :meth:`~zhiping.store.Store.evaluate` has returned
    (and flushes), then ``done``. With ``wait``, prints ``ready`` (zhiping is imported
    by then) and opens the store only when a line is read from stdin. Sleeps ``pause``
    seconds after each acknowledgement, as a writer with other work to do would.

    Returns:
        The exit status: 0 (errors propagate as a traceback and status 1).
    """
    if wait:
        _say(READY)
        sys.stdin.readline()
    with Store(store) as records:
        for index in indices:
            records.evaluate(document(index))
            _say(session_id(index))
            if pause:
                time.sleep(pause)
    _say(DONE)
    return 0


def _say(line: str) -> None:
    """Write one line to stdout in one write, and flush it."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Writer:
    """A writer subprocess, with a thread reading its acknowledgements as they come.

    Args:
        store: the store to record into.
        indices: the sessions to record, in order.
        wait: wait for :meth:`go` before opening the store.
        pause: seconds to sleep after each acknowledgement.
    """

    started: ClassVar[list[Writer]] = []
    """Every writer started, to be killed if the driver stops early."""

    def __init__(
        self, store: Path, indices: range, *, wait: bool = False, pause: float = 0.0
    ) -> None:
        command = harness_command(
            "crash_writers",
            "writer",
            "--store",
            str(store),
            "--first",
            str(indices.start),
            "--stop",
            str(indices.stop),
        )
        if wait:
            command.append("--wait")
        if pause:
            command.extend(["--pause", str(pause)])
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE if wait else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=harness_environment(),
        )
        Writer.started.append(self)
        self.acks: list[str] = []
        self.done = False
        self.stderr = ""
        self.ready = threading.Event()
        self.acknowledged = threading.Event()
        self._out = threading.Thread(target=self._read_out, daemon=True)
        self._err = threading.Thread(target=self._read_err, daemon=True)
        self._out.start()
        self._err.start()

    def _read_out(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        for line in stream:
            if not line.endswith("\n"):
                break  # cut off by the kill: not an acknowledgement
            text = line[:-1]
            if text == READY:
                self.ready.set()
            elif text == DONE:
                self.done = True
            else:
                self.acks.append(text)
                self.acknowledged.set()
        self.ready.set()
        self.acknowledged.set()

    def _read_err(self) -> None:
        stream: IO[str] | None = self.process.stderr
        assert stream is not None
        self.stderr = stream.read()

    def go(self) -> None:
        """Let a writer started with ``wait`` open the store and record."""
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(GO + "\n")
        stdin.flush()

    def kill(self) -> bool:
        """Send SIGKILL; return whether the writer was still running to receive it."""
        if self.process.poll() is not None:
            return False
        self.process.send_signal(signal.SIGKILL)
        return True

    def wait(self) -> int:
        """Wait for the writer to end and for its output to be read; return its status."""
        try:
            status = self.process.wait(timeout=WAIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self._out.join()
        self._err.join()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        return status

    def failure(self, status: int) -> str:
        """Describe how a writer that should have finished did not."""
        last = self.stderr.strip().splitlines()[-1:] or ["(no output on stderr)"]
        return f"writer exited with status {status}: {last[0]}"


# Checking a store


@dataclass
class Inspection:
    """What a look at a store's file found.

    Attributes:
        integrity_ok: ``PRAGMA integrity_check`` said ``ok``.
        integrity: what it said otherwise.
        revisions: the revisions recorded, by session id.
        order: the session of each record, in the order recorded.
        events: how many events the audit chain holds.
        chain_breaks: events that do not follow the one before, or do not hash to
            their recorded hash.
    """

    integrity_ok: bool
    integrity: str
    revisions: dict[str, list[int]]
    order: list[str]
    events: int
    chain_breaks: int


def inspect(store: Path) -> Inspection:
    """Look at a store with a read-only stdlib connection, leaving its WAL as it is."""
    with read_only(store) as db:
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
        revisions: dict[str, list[int]] = {}
        order: list[str] = []
        for session, revision in db.execute("SELECT session, revision FROM records ORDER BY event"):
            revisions.setdefault(session, []).append(revision)
            order.append(session)
        chain = recompute_chain(db)
    ok = integrity == ["ok"]
    return Inspection(ok, "; ".join(integrity), revisions, order, chain.events, chain.breaks)


def final_checks(
    figures: Report,
    store: Path,
    acks: Sequence[str],
    expected: set[str] | None,
    tolerated: Set[str] = frozenset(),
) -> Inspection:
    """Check a store at the end of a phase, add the figures, and return what was found.

    Every acknowledged session must be in the store, each session once at revision 1
    (and, if ``expected`` is given, exactly those sessions, give or take some of
    ``tolerated``); each record must have its event; ``PRAGMA integrity_check`` must say
    ok and :meth:`~zhiping.store.Store.verify` must find no tampering.
    """
    found = inspect(store)
    stored = set(found.revisions)
    lost = sorted(set(acks) - stored)
    duplicates = sorted(s for s, revisions in found.revisions.items() if revisions != [1])
    records = sum(len(revisions) for revisions in found.revisions.values())
    with Store(store) as opened:
        verification = opened.verify()
    chain_findings = len(verification.tampered)
    integrity_failures = int(figures.counts.get("integrity_failures", 0)) + (not found.integrity_ok)
    figures.counts.update(
        acks=len(acks),
        acked_sessions=len(set(acks)),
        sessions_in_store=len(stored),
        lost=len(lost),
        duplicates=len(duplicates),
        events=found.events,
        integrity_failures=integrity_failures,
        chain_findings=chain_findings + found.chain_breaks,
    )
    if lost:
        figures.problems.append(f"acknowledged but not in the store: {_some(lost)}")
    if duplicates:
        figures.problems.append(f"recorded more than once: {_some(duplicates)}")
    if expected is not None and stored - tolerated != expected - tolerated:
        figures.problems.append(
            f"store holds {len(stored)} sessions, expected {len(expected)}: "
            f"missing {_some(sorted(expected - stored))}, extra {_some(sorted(stored - expected))}"
        )
    if found.events != records:
        figures.problems.append(f"{found.events} events for {records} records")
    if not found.integrity_ok:
        figures.problems.append(f"integrity_check: {found.integrity}")
    for finding in verification.tampered:
        figures.problems.append(f"verify: {finding}")
    if found.chain_breaks:
        figures.problems.append(f"{found.chain_breaks} chain breaks")
    return found


def _some(items: Sequence[str], shown: int = 5) -> str:
    """Name the first few of a list, and how many more."""
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return (", ".join(items[:shown]) or "none") + more


# The phases


def crash_phase(store: Path, kills: int, sessions: int, seed: int, *, companion: bool) -> Report:
    """Kill writers mid-batch ``kills`` times; see the module's docstring.

    Args:
        store: the store (a new file).
        kills: how many kills must land mid-batch.
        sessions: the sessions in a batch.
        seed: the seed of the kill delays.
        companion: run another writer, never killed until the end, alongside the
            killed ones (on sessions of its own from :data:`COMPANION_FIRST` on).
    """
    figures = Report("crash")
    rng = random.Random(seed)
    started = time.perf_counter()
    acks: list[str] = []
    mid_batch = all_kills = finished = writers = integrity_failures = in_flight = 0
    acks_of_killed = 0
    batch_start, resume = 0, 0
    attempts = kills * 5 + 10
    other: Writer | None = None
    if companion:
        Store(store).close()  # the writers must not create it at the same moment
        companions = range(COMPANION_FIRST, COMPANION_FIRST + 10**5)
        other = Writer(store, companions, pause=COMPANION_PAUSE)
    while mid_batch < kills and writers < attempts and not figures.problems:
        writers += 1
        writer = Writer(store, range(resume, batch_start + sessions))
        writer.acknowledged.wait(WAIT_TIMEOUT)
        killed = False
        if writer.acks:
            time.sleep(rng.uniform(0.0, MAX_KILL_DELAY))
            killed = writer.kill()
        status = writer.wait()
        acks.extend(writer.acks)
        if writer.done and status in (0, -signal.SIGKILL):
            finished += 1
            batch_start += sessions
            resume = batch_start
        elif status == -signal.SIGKILL and killed:
            all_kills += 1
            mid_batch += bool(writer.acks)
            acks_of_killed += len(writer.acks)
            if writer.acks:
                resume = session_index(writer.acks[-1])  # redone: a no-op
        else:
            figures.problems.append(writer.failure(status))
            break
        if other is not None and other.process.poll() is not None:
            break  # the companion failed: told below
        if not store.exists():
            continue
        acked = set(acks) | set(other.acks if other is not None else ())
        found = inspect(store)
        integrity_failures += not found.integrity_ok
        lost = sorted(acked - set(found.revisions))
        if lost:
            figures.problems.append(f"after kill {all_kills}: lost {_some(lost)}")
        if not found.integrity_ok:
            figures.problems.append(f"after kill {all_kills}: integrity_check: {found.integrity}")
        if found.chain_breaks:
            figures.problems.append(f"after kill {all_kills}: {found.chain_breaks} chain breaks")
        # Recorded, but killed before it was acknowledged: the next writer redoes it.
        in_flight += sum(session_index(s) < COMPANION_FIRST for s in set(found.revisions) - acked)
    companion_alive = other is None or other.process.poll() is None
    if mid_batch < kills and not figures.problems and companion_alive:
        figures.problems.append(f"only {mid_batch} of {kills} kills landed mid-batch")
    # One last writer, not killed, finishes the batch: the store then holds exactly it.
    if not figures.problems and companion_alive:
        writers += 1
        writer = Writer(store, range(resume, batch_start + sessions))
        status = writer.wait()
        acks.extend(writer.acks)
        if status != 0 or not writer.done:
            figures.problems.append(writer.failure(status))
    expected = {session_id(i) for i in range(batch_start + sessions)}
    tolerated: set[str] = set()
    if other is not None:
        running = other.kill()
        status = other.wait()
        if not running or status != -signal.SIGKILL or other.done:
            figures.problems.append("companion: " + other.failure(status))
        acks.extend(other.acks)
        expected.update(other.acks)
        upto = session_index(other.acks[-1]) if other.acks else COMPANION_FIRST - 1
        tolerated.add(session_id(upto + 1))  # recorded, perhaps, but killed before its ack
    figures.counts.update(
        kills=all_kills,
        mid_batch_kills=mid_batch,
        writers=writers,
        acks_of_killed_writers=acks_of_killed,
        batches_finished=finished,
        recorded_before_ack=in_flight,
        integrity_failures=integrity_failures,
    )
    if other is not None:
        figures.counts["companion_acks"] = len(other.acks)
    if store.exists():
        final_checks(figures, store, acks, None if figures.problems else expected, tolerated)
    figures.counts["time_s"] = time.perf_counter() - started
    return figures


def concurrent_phase(
    name: str, store: Path, lists: Sequence[range], *, create: bool, pause: float
) -> Report:
    """Start one writer per list at the same moment, let them finish, and check the store.

    Args:
        name: the phase's name.
        store: the store (a new file).
        lists: the sessions of each writer.
        create: create the store before the writers start.
        pause: seconds each writer sleeps after each acknowledgement.
    """
    figures = Report(name)
    started = time.perf_counter()
    if create:
        Store(store).close()
    writers = [Writer(store, indices, wait=True, pause=pause) for indices in lists]
    for writer in writers:
        writer.ready.wait(WAIT_TIMEOUT)
    for writer in writers:
        writer.go()
    acks: list[str] = []
    failures = 0
    for writer in writers:
        status = writer.wait()
        acks.extend(writer.acks)
        if status != 0 or not writer.done:
            failures += 1
            figures.problems.append(writer.failure(status))
    expected = {session_id(i) for indices in lists for i in indices}
    figures.counts.update(writers=len(writers), writer_failures=failures)
    if store.exists():
        found = final_checks(figures, store, acks, None if failures else expected)
        owner = {session_id(i): k for k, indices in enumerate(lists) for i in indices}
        if len(owner) == sum(map(len, lists)):  # disjoint: whose turn it was, record by record
            writers_in_turn = [owner.get(session) for session in found.order]
            figures.counts["switches"] = sum(a != b for a, b in pairwise(writers_in_turn))
        else:
            figures.counts["no_ops"] = len(acks) - len(found.order)
    else:
        figures.problems.append("no store was created")
    figures.counts["time_s"] = time.perf_counter() - started
    return figures


# The command line


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Read the command line (the driver's, or a writer's after ``writer``)."""
    if argv[:1] == ["writer"]:
        parser = argparse.ArgumentParser(prog="crash_writers.py writer")
        parser.add_argument("--store", type=Path, required=True)
        parser.add_argument("--first", type=int, required=True)
        parser.add_argument("--stop", type=int, required=True)
        parser.add_argument("--wait", action="store_true")
        parser.add_argument("--pause", type=float, default=0.0)
        arguments = parser.parse_args(argv[1:])
        arguments.role = "writer"
        return arguments
    parser = argparse.ArgumentParser(
        description="Kill zhiping store writers with SIGKILL mid-batch, and run writers "
        "at once; check that nothing acknowledged is lost and the store stays whole."
    )
    parser.add_argument("--kills", type=int, default=20, help="mid-batch kills (0: no crash phase)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill delays")
    parser.add_argument(
        "--store",
        type=Path,
        help="the crash phase's store, a new file (the concurrent phases use PATH-disjoint "
        "and PATH-overlap); a temporary directory, removed afterwards, by default",
    )
    parser.add_argument(
        "--writers-at-once",
        type=int,
        default=2,
        help="writers started together in the concurrent phases (0: none)",
    )
    parser.add_argument(
        "--sessions",
        type=int,
        default=200,
        help="sessions in a batch of the crash phase, and in each writer's list",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.002,
        help="seconds each concurrent writer sleeps between sessions (default 0.002), so "
        "that the writers take turns; with 0, SQLite's busy wait lets one run ahead",
    )
    parser.add_argument(
        "--companion",
        action="store_true",
        help="in the crash phase, run a writer that is not killed alongside the killed ones",
    )
    parser.add_argument(
        "--concurrent-create",
        action="store_true",
        help="let the concurrent writers create their store at the same moment",
    )
    arguments = parser.parse_args(argv)
    if arguments.kills < 0 or arguments.writers_at_once < 0 or arguments.sessions < 2:
        parser.error("--kills and --writers-at-once must be >= 0, --sessions >= 2")
    arguments.role = "driver"
    return arguments


def drive(arguments: argparse.Namespace, directory: Path) -> int:
    """Run the phases, print their figures, and return the exit status."""
    store: Path = arguments.store or directory / "crash.sqlite"
    stores = {
        "crash": store,
        "disjoint": store.with_name(store.name + "-disjoint"),
        "overlap": store.with_name(store.name + "-overlap"),
    }
    existing = [str(path) for path in stores.values() if path.exists()]
    if existing:
        print(f"error: the stores must be new files: {', '.join(existing)}", file=sys.stderr)
        return 2
    phases: list[Report] = []
    if arguments.kills:
        phases.append(
            crash_phase(
                store,
                arguments.kills,
                arguments.sessions,
                arguments.seed,
                companion=arguments.companion,
            )
        )
        print(figure_line(phases[-1].name, phases[-1].counts), flush=True)
    if arguments.writers_at_once:
        n, size = arguments.writers_at_once, arguments.sessions
        disjoint = [range(k * size, (k + 1) * size) for k in range(n)]
        overlap = [range(size)] * n
        create = not arguments.concurrent_create
        for name, lists in (("disjoint", disjoint), ("overlap", overlap)):
            phases.append(
                concurrent_phase(name, stores[name], lists, create=create, pause=arguments.pause)
            )
            print(figure_line(phases[-1].name, phases[-1].counts), flush=True)
    problems = [f"{phase.name}: {problem}" for phase in phases for problem in phase.problems]
    for problem in problems:
        print(f"FAIL {problem}", flush=True)
    print("result", "FAIL" if problems else "ok", flush=True)
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the driver, or a writer when the first argument is ``writer``."""
    arguments = parse(list(sys.argv[1:] if argv is None else argv))
    if arguments.role == "writer":
        indices = range(arguments.first, arguments.stop)
        return write(arguments.store, indices, wait=arguments.wait, pause=arguments.pause)
    try:
        with tempfile.TemporaryDirectory(prefix="zhiping-crash-") as directory:
            return drive(arguments, Path(directory))
    finally:
        for writer in Writer.started:
            if writer.process.poll() is None:
                writer.process.kill()
                writer.process.wait()


if __name__ == "__main__":
    sys.exit(main())
