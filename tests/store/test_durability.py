"""Durability of the records store (DESIGN §7): writers killed mid-batch, writers at once.

Runs the reduced form of the reliability harness's ``crash_writers``
(``tests/reliability/crash_writers.py``): writers killed with SIGKILL at least 20 times
mid-batch lose no acknowledged session, leave no ``integrity_check`` failure and no
chain break; two writers at once lose nothing and record each session once. The figures
are the writers driver's; nothing here depends on timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reliability.crash_writers_run import run_crash_writers
from zhiping.store import Store

pytestmark = [
    pytest.mark.harness,  # long: a CI step of its own (pytest -m harness)
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX only"),
]

Figures = dict[str, dict[str, float]]


def run(*arguments: str, expect: int = 0) -> Figures:
    """Run the writers' driver in a subprocess; return its figures (all numbers), by phase."""
    writers = run_crash_writers(arguments)
    assert writers.measured.status == expect, writers.output
    return {
        phase: {key: float(value) for key, value in figures.items()}
        for phase, figures in writers.figures.items()
    }


def assert_whole(phase: dict[str, float]) -> None:
    """Nothing acknowledged lost, nothing twice, the file whole, the chain unbroken."""
    assert phase["lost"] == 0
    assert phase["duplicates"] == 0
    assert phase["integrity_failures"] == 0
    assert phase["chain_findings"] == 0
    assert phase["events"] == phase["sessions_in_store"]
    assert phase["sessions_in_store"] >= phase["acked_sessions"] > 0


def assert_verifies(path: Path) -> None:
    """The store opens, verifies clean, and holds every session at revision 1."""
    with Store(path) as store:
        verification = store.verify()
        revisions = [record["revision"] for record in store.sessions()]
    assert verification.tampered == ()
    assert verification.sessions == len(revisions) > 0
    assert set(revisions) == {1}


def test_writers_killed_mid_batch_lose_no_acknowledged_session(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    arguments = ["--kills", "20", "--seed", "1", "--sessions", "200"]
    figures = run(*arguments, "--companion", "--writers-at-once", "0", "--store", str(path))

    crash = figures["crash"]
    assert crash["mid_batch_kills"] >= 20
    assert crash["kills"] >= crash["mid_batch_kills"]
    assert crash["acks_of_killed_writers"] >= 20  # every kill came after an acknowledgement
    assert crash["companion_acks"] > 0
    assert_whole(crash)
    assert_verifies(path)


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "two.sqlite"
    arguments = ["--kills", "0", "--writers-at-once", "2", "--sessions", "200"]
    figures = run(*arguments, "--store", str(path))

    disjoint, overlap = figures["disjoint"], figures["overlap"]
    for phase in (disjoint, overlap):
        assert phase["writers"] == 2
        assert phase["writer_failures"] == 0
        assert_whole(phase)
    assert disjoint["sessions_in_store"] == disjoint["acked_sessions"] == 400
    assert overlap["acks"] == 400  # both writers acknowledged every session
    assert overlap["sessions_in_store"] == overlap["acked_sessions"] == 200
    assert overlap["no_ops"] == 200  # the second recording of each was a no-op
    assert_verifies(path.with_name(path.name + "-overlap"))


def test_two_writers_creating_the_store_at_once_both_record(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    arguments = ["--kills", "0", "--writers-at-once", "2", "--sessions", "20"]
    figures = run(*arguments, "--concurrent-create", "--store", str(path))

    for phase in (figures["disjoint"], figures["overlap"]):
        assert phase["writer_failures"] == 0
        assert_whole(phase)


def test_the_script_refuses_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "kept.sqlite"
    path.write_bytes(b"")

    run("--kills", "1", "--store", str(path), expect=2)
