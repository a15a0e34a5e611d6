"""Verify under live writes (issue 15, acceptance 3): no false finding while others write.

Four writer processes record sessions into one store, each its own villages, with
fulfilments, amendments and earlier years recorded after later ones; meanwhile
``zhiping store verify`` runs again and again. Nobody tampers with anything, so every
finding is false: the target is none over every run.

Run as a script, a writer: ``python verify_under_writers.py STORE WRITER STOP_FILE``.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

WRITERS = 4
RUNS = 50
PAUSE_S = 0.3
"""How long a writer waits between writes."""
REVISIONS = 40
"""Revisions (sessions and amendments) each writer records; then it goes on with
fulfilments only, which add events but no outcome to recompute, so that the store stays
small enough for 50 verifications in a few minutes on two cores while writes go on."""


def document(village: str, year: int, *, void: bool, incompetent: bool) -> dict[str, Any]:
    """A Xinzhou session of the village and year; c1 incompetent (30 of 60) or competent."""
    from zhiping.testing import session_document

    c1 = (
        {"satisfied": 30, "dissatisfied": 30}
        if incompetent
        else {"satisfied": 40, "dissatisfied": 20}
    )
    made = session_document(
        village_code=village,
        year=year,
        held_on=date(year + 1, 1, 15),
        notice_days=2 if void else 3,
        cadres=1,
        counts={"organization": {"satisfied": 54, "basically_satisfied": 6}, "c1": c1},
    )
    made["inquiries"] = [
        {
            "id": "q1",
            "to": "c1",
            "topic": "村道硬化进度",
            "answered": "later",
            "commitment": {"text": f"{year}年村道硬化", "due": f"{year + 1}-06-30"},
        }
    ]
    return made


def write(store_path: Path, writer: int, stop: Path) -> Counter[str]:
    """Record sessions until ``stop`` exists; return how many writes of each kind."""
    from zhiping.store import Store

    rng = random.Random(writer)
    done: Counter[str] = Counter()
    recorded: list[tuple[str, int]] = []
    village_number = 0
    with Store(store_path) as store:
        while not stop.exists():
            choice = rng.random() if len(recorded) + done["amendments"] < REVISIONS else 0.7
            if choice < 0.6 or not recorded:
                village_number += 1
                village = f"42011710{writer + 1}{village_number:03d}"
                years = [2026, 2025] if rng.random() < 0.3 else [2025, 2026]
                for year in years:
                    void = rng.random() < 0.1
                    store.record(document(village, year, void=void, incompetent=rng.random() < 0.5))
                    recorded.append((village, year))
                    done["sessions"] += 1
            elif choice < 0.8:
                village, year = rng.choice(recorded)
                store.fulfil(f"{village}-{year}", "q1", date(year + 1, 5, rng.randint(1, 31)))
                done["fulfilments"] += 1
            else:
                village, year = rng.choice(recorded)
                amended = document(village, year, void=False, incompetent=rng.random() < 0.5)
                store.amend(amended, reason="复核更正")
                done["amendments"] += 1
            time.sleep(PAUSE_S)
    return done


def run_verify_under_writers(work: Path, runs: int = RUNS) -> dict[str, Any]:
    """Start the writers, verify ``runs`` times with the CLI, stop them; return the figures."""
    store = work / "live.sqlite"
    stop = work / "stop"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen(
            [sys.executable, __file__, str(store), str(writer), str(stop)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for writer in range(WRITERS)
    ]
    figures: Counter[str] = Counter()
    findings: list[str] = []
    started = time.monotonic()
    try:
        while not store.exists():
            time.sleep(0.05)
        time.sleep(2 * PAUSE_S)
        for _ in range(runs):
            verified = subprocess.run(
                [sys.executable, "-m", "zhiping", "store", "verify", str(store), "--lang", "en"],
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            figures["runs"] += 1
            figures[f"exit_{verified.returncode}"] += 1
            figures["stale_lines"] += verified.stdout.count("\nstale: ")
            figures["changed_packs_lines"] += verified.stdout.count("packs changed: ")
            lines = verified.stderr.splitlines()
            found = [line for line in lines if line.startswith("tampered: ")]
            figures["false_findings"] += len(found)
            findings.extend(found[:3])
            if verified.returncode != 0 and not found:
                findings.append(verified.stderr[-500:])
            for line in verified.stdout.splitlines():
                if line.endswith("recorded revisions recomputed"):
                    figures["last_revisions_verified"] = int(line.split()[0])
                if line.startswith("checkpoint "):
                    figures["last_events_verified"] = int(line.split()[1].split(":")[0])
    finally:
        stop.touch()
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            figures[f"writer_exit_{writer.returncode}"] += 1
            if writer.returncode != 0:
                findings.append(f"writer failed: {err[-500:]}")
            for line in out.splitlines():
                kind, _, count = line.partition("=")
                if count.isdigit():
                    figures[f"written_{kind}"] += int(count)
    figures["seconds"] = round(time.monotonic() - started)
    return {"figures": dict(figures), "findings": findings}


if __name__ == "__main__":
    written = write(Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
    for kind, count in sorted(written.items()):
        print(f"{kind}={count}")
