"""Benchmark: zhiping beside a minimal hand-written baseline, in the same run.

The baseline is the practical limit for pure Python: the standard library's ``json``
and a ``Counter`` tally of the same documents, with no validation, no rules and no
trace. Each row prints both times and their ratio:

    (a) one village of 320 ballots;
    (b) a district of 588 villages: the rules stage on parsed documents beside the
        baseline's tally stage, and end to end (read, parse, validate, evaluate) beside
        the baseline's read-parse-tally;
    (c) a streaming run of N villages (25,000 by default) through ``zhiping evaluate -``,
        with the evaluating process's peak RSS;
    (d) that run with 1, 2 and all cores' jobs.

Run: ``python benchmarks/batch.py [--villages 25000]``. Figures only: nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from zhiping import evaluate, parse_session
from zhiping.demo import build_district, session_documents
from zhiping.engine import evaluate_chain
from zhiping.packs.registry import default_registry
from zhiping.testing import as_cast, session_document

BASELINE = """
import json, sys
from collections import Counter
for line in sys.stdin:
    document = json.loads(line)
    ballots = document["ballots"]
    tally = Counter()
    for ballot in ballots.get("cast") or ():
        for subject, mark in ballot["marks"].items():
            tally[subject, mark] += 1
    for subject, words in (ballots.get("counts") or {}).items():
        for word, count in words.items():
            tally[subject, word] += count
    sys.stdout.write(json.dumps(dict((f"{s}:{w}", n) for (s, w), n in tally.items())) + "\\n")
"""

MEASURED = """
import re, sys
from zhiping.cli import main
code = main(sys.argv[1:])
status = open('/proc/self/status').read()
sys.stderr.write('peak_kb=' + re.search(r'VmHWM:\\s+(\\d+)', status).group(1) + '\\n')
raise SystemExit(code)
"""


def best(
    run: Callable[[], object], repeat: int = 5, *, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Return the best of ``repeat`` times of ``run`` by ``clock`` (wall time), in seconds."""
    times = []
    for _ in range(repeat):
        start = clock()
        run()
        times.append(clock() - start)
    return min(times)


def baseline_tally(documents: Iterable[dict[str, Any]]) -> list[Counter[tuple[str, str]]]:
    """Tally every document's marks with a Counter: the baseline's tally stage."""
    tallies = []
    for document in documents:
        tally: Counter[tuple[str, str]] = Counter()
        ballots = document["ballots"]
        for ballot in ballots.get("cast") or ():
            for subject, mark in ballot["marks"].items():
                tally[subject, mark] += 1
        for subject, words in (ballots.get("counts") or {}).items():
            for word, count in words.items():
                tally[subject, word] += count
        tallies.append(tally)
    return tallies


def row(name: str, ours: float, theirs: float, note: str = "") -> None:
    """Print one row of the table."""
    print(
        f"| {name:<44} | {ours * 1000:>10.1f} | {theirs * 1000:>10.1f} | "
        f"{ours / theirs:>6.1f}× | {note}"
    )


def one_village() -> None:
    """(a) one village of 320 ballots, cast one by one."""
    counts = {
        "organization": {"satisfied": 300, "dissatisfied": 20},
        "c1": {"satisfied": 200, "basically_satisfied": 80, "dissatisfied": 40},
        "c2": {"satisfied": 250, "dissatisfied": 70},
    }
    document = as_cast(
        session_document(
            cadres=2,
            counts=counts,
            party_members=300,
            party_members_present=290,
            representatives_present=40,
        )
    )
    text = json.dumps(document, ensure_ascii=False)
    ours = best(lambda: evaluate(text), 20)
    theirs = best(lambda: baseline_tally([json.loads(text)]), 20)
    row("(a) one village, 320 ballots, end to end", ours, theirs)


def district(path: Path) -> None:
    """(b) the demo's district of 588 villages."""
    lines = path.read_text(encoding="utf-8").splitlines()
    documents = [json.loads(line) for line in lines]
    registry = default_registry()
    sessions = [parse_session(document) for document in documents]
    chains = [registry.chain(s.village.code, s.held_on) for s in sessions]

    def rules() -> None:
        for session, chain in zip(sessions, chains, strict=True):
            evaluate_chain(session, chain, registry.mechanisms)

    def end_to_end() -> None:
        for line in lines:
            evaluate(line, registry=registry)

    row(
        "(b) 588 villages: rules stage / tally stage",
        best(rules, 3),
        best(lambda: baseline_tally(documents), 3),
    )
    row(
        "(b) 588 villages: end to end / read-parse-tally",
        best(end_to_end, 3),
        best(lambda: baseline_tally(json.loads(line) for line in lines), 3),
    )


def streaming(path: Path, villages: int, jobs: Iterable[int]) -> None:
    """(c) and (d): the streaming command line on a file of ``villages`` sessions."""
    start = time.perf_counter()
    with path.open("rb") as source:
        subprocess.run(
            [sys.executable, "-c", BASELINE], stdin=source, stdout=subprocess.DEVNULL, check=True
        )
    theirs = time.perf_counter() - start
    for count in jobs:
        start = time.perf_counter()
        with path.open("rb") as source:
            done = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    MEASURED,
                    "evaluate",
                    "-",
                    "--format",
                    "jsonl",
                    "--jobs",
                    str(count),
                ],
                stdin=source,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=True,
            )
        ours = time.perf_counter() - start
        found = re.search(r"peak_kb=(\d+)", done.stderr.decode())
        peak = int(found.group(1)) / 1024 if found else float("nan")
        row(
            f"({'c' if count == 1 else 'd'}) {villages} villages streamed, {count} job(s)",
            ours,
            theirs,
            f"peak RSS {peak:.0f} MB (main process)",
        )


def write_district(path: Path, villages: int) -> None:
    """Write ``villages`` sessions of 2025 as JSON Lines."""
    generated = session_documents(build_district(2026, first_year=2025, villages=villages), 2025)
    with path.open("w", encoding="utf-8") as out:
        for document in generated:
            out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--villages", type=int, default=25_000, help="villages in the streaming run (25,000)"
    )
    arguments = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"zhiping beside json + Counter, {cores} cores; milliseconds, best of several")
    print(f"| {'measure':<44} | {'zhiping':>10} | {'baseline':>10} | {'ratio':>7} |")
    print(f"|{'-' * 46}|{'-' * 12}|{'-' * 12}|{'-' * 9}|")
    one_village()
    with tempfile.TemporaryDirectory() as scratch:
        small, large = Path(scratch) / "588.jsonl", Path(scratch) / "many.jsonl"
        write_district(small, 588)
        district(small)
        write_district(large, arguments.villages)
        streaming(large, arguments.villages, sorted({1, 2, cores}))


if __name__ == "__main__":
    main()
