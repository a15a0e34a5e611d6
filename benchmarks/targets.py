"""Benchmark: every figure of issue 14 beside its target, measured in one run.

Each row prints the figure, its target and whether it is met. Ratios are measured
against a baseline run in the same process, in turn with it (or the same machine, for
the subprocess rows), so that a loaded machine slows both sides:

- end to end on a district of 588 villages (read a JSON line, parse, check, evaluate,
  write the outcome as compact JSON as the command line does), beside ``json.loads``
  and a ``Counter`` tally of the same lines; CPU time; with the full trace
  (``zhiping.outcome/1`` and ``/2``) and with none;
- the rules stage (the engine on parsed sessions) beside the Xinzhou rules coded by hand
  in plain Python on the same parsed sessions (:func:`hand_coded_xinzhou`: the decisions
  alone, no validation, no trace);
- 1 and 2 jobs of ``zhiping evaluate FILE --format jsonl`` on 5,000 villages (wall time);
- the bytes of the outcomes per byte of input, by format and trace level;
- the bytes of the store per session, and ``Store.verify`` seconds per 1,000 sessions;
- the peak RSS of ``zhiping evaluate -`` streaming 25,000 villages.

Run: ``python benchmarks/targets.py [--villages 588] [--parallel 5000] [--stream 25000]``
(``--quick`` for a smaller run). Figures only: nothing asserts. A target not met is
printed as such; the note of the release says what is left.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import closing
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from batch import MEASURED, baseline_tally, best  # benchmarks/batch.py, beside this file
from zhiping import parse_session
from zhiping.documents.compact import outcome_document, outcome_text
from zhiping.documents.session import Session
from zhiping.engine import evaluate_chain
from zhiping.packs.registry import default_registry
from zhiping.store import Store


def cpu(run: Callable[[], object], repeat: int = 3) -> float:
    """Return the least CPU time of ``repeat`` runs, in seconds."""
    return best(run, repeat, clock=time.process_time)


def cpu_ratio(run: Callable[[], object], floor: Callable[[], object], repeat: int = 5) -> float:
    """Return the least CPU time of ``run`` over the least of ``floor``, runs taken in turn.

    Taken in turn, a moment of load on a shared machine slows one run of each side, and
    the least of each is kept: a ratio of two separate measurements is as far off as
    the load that fell on the floor's.
    """
    runs, floors = [], []
    for _ in range(repeat):
        floors.append(cpu(floor, repeat=1))
        runs.append(cpu(run, repeat=1))
    return min(runs) / min(floors)


def baseline(lines: Iterable[str]) -> None:
    """Decode each line and tally its marks with a Counter: the practical floor."""
    baseline_tally(json.loads(line) for line in lines)


COEFFICIENTS = {
    "excellent": Decimal("1.00"),
    "competent": Decimal("0.90"),
    "basically_competent": Decimal("0.60"),
    "incompetent": Decimal("0.00"),
}
SCALE = ("satisfied", "basically_satisfied", "dissatisfied")


def hand_coded_xinzhou(session: Session) -> dict[str, Any]:
    """Decide a Xinzhou session in plain Python: quorum, notice (3 days ahead, stating time,
    place and procedure), tally, grade, pay, removal.

    The decisions alone (DESIGN §5): no validation, no trace, no explanation.
    """
    present = {a.person: set(a.as_) for a in session.attendance}
    members = sum(1 for p in session.roster.party_members if "party_member" in present.get(p, ()))
    representatives = sum(
        1 for p in session.roster.representatives if "representative" in present.get(p, ())
    )
    void = 5 * members < 4 * len(session.roster.party_members) or representatives < 30
    notice = session.notice
    if (
        notice is None
        or (session.held_on - notice.published_on).days < 3
        or not {"time", "place", "procedure"} <= set(notice.covers)
    ):
        void = True
    counts: dict[str, Counter[str]] = {}
    ballots = session.ballots
    subjects = ["organization", *(c.id for c in session.cadres)]
    for subject in subjects:
        counter: Counter[str] = Counter()
        if ballots.cast is not None:
            for ballot in ballots.cast:
                mark = ballot.marks.get(subject)
                counter[mark if mark in SCALE else "other"] += 1
        elif ballots.counts is not None:
            counter.update(dict(ballots.counts.get(subject, {})))
        counts[subject] = counter
    decided: dict[str, Any] = {"void": void, "subjects": {}}
    history = {(h.subject, h.year): h.grade for h in session.history}
    for subject in subjects:
        counter = counts[subject]
        n = sum(counter[w] for w in SCALE)
        d, s = counter["dissatisfied"], counter["satisfied"]
        grade = None
        if not void and n:
            if 2 * d >= n:
                grade = "incompetent"
            elif 3 * d > n:
                grade = "basically_competent"
            elif 10 * s >= 9 * n:
                grade = "excellent"
            else:
                grade = "competent"
        cadre = session.cadre(subject) if subject != "organization" else None
        pay = None
        if grade and cadre is not None and cadre.performance_pay is not None:
            pay = (cadre.performance_pay * COEFFICIENTS[grade]).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        removed = grade == "incompetent" and history.get((subject, session.year - 1)) == grade
        decided["subjects"][subject] = (grade, pay, removed)
    return decided


def _decisions_of(subject: Any) -> tuple[str | None, Decimal | None, bool]:
    """Return a subject's grade, pay and removal as :func:`hand_coded_xinzhou` gives them."""
    pay = None if subject.pay is None else subject.pay.amount
    removed = any(action.kind == "organizational_adjustment" for action in subject.actions)
    return subject.grade, pay, removed


def row(name: str, figure: str, target: str, met: bool | None) -> None:
    """Print one row: the figure, its target, and whether it is met."""
    verdict = "—" if met is None else ("met" if met else "NOT MET")
    print(f"| {name:<52} | {figure:>14} | {target:>10} | {verdict:<7} |")


def draw(villages: int, path: Path, years: int = 1) -> None:
    """Write a synthetic district's JSON Lines with ``zhiping synth``."""
    with path.open("w", encoding="utf-8") as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "zhiping",
                "synth",
                "--villages",
                str(villages),
                "--years",
                str(years),
            ],
            stdout=out,
            check=True,
        )


def end_to_end(lines: list[str]) -> None:
    """Rows: end to end and the rules stage, beside their baselines; bytes per byte."""
    registry = default_registry()

    def zhiping(version: int, trace: str) -> Callable[[], None]:
        def run() -> None:
            for line in lines:
                session = parse_session(line)
                chain = registry.chain(session.village.code, session.held_on)
                outcome = evaluate_chain(
                    session, chain, registry.mechanisms, traced=trace != "none"
                )
                outcome_text(outcome, version=version, trace=trace)  # type: ignore[arg-type]

        return run

    for version, trace, target in ((1, "full", 4.0), (2, "full", 4.0), (2, "none", 3.0)):
        ratio = cpu_ratio(zhiping(version, trace), lambda: baseline(lines))
        row(
            f"end to end, {len(lines)} villages, outcome/{version} {trace} trace",
            f"{ratio:.1f}× baseline",
            f"≤ {target:.0f}×",
            ratio <= target,
        )
    sessions = [parse_session(line) for line in lines]
    chains = [registry.chain(s.village.code, s.held_on) for s in sessions]

    def rules(traced: bool) -> Callable[[], None]:
        def run() -> None:
            for session, chain in zip(sessions, chains, strict=True):
                evaluate_chain(session, chain, registry.mechanisms, traced=traced)

        return run

    def hand() -> None:
        for session in sessions:
            hand_coded_xinzhou(session)

    traced, untraced = cpu_ratio(rules(True), hand), cpu_ratio(rules(False), hand)
    agree = sum(
        1
        for s, c in zip(sessions, chains, strict=True)
        for subject in evaluate_chain(s, c, registry.mechanisms).subjects
        if hand_coded_xinzhou(s)["subjects"][subject.id] == _decisions_of(subject)
    )
    graded = sum(len(s.cadres) + 1 for s in sessions)
    print(
        f"(the hand-coded rules give the engine's grade, pay and removal to {agree} of "
        f"{graded} subjects)"
    )
    row("rules stage with the full trace / hand-coded", f"{traced:.1f}×", "≤ 3×", traced <= 3)
    row("rules stage with no trace / hand-coded", f"{untraced:.1f}×", "≤ 2×", untraced <= 2)
    size_in = sum(len(line.encode()) for line in lines)
    outcomes = [
        evaluate_chain(s, c, registry.mechanisms) for s, c in zip(sessions, chains, strict=True)
    ]
    for version, trace in ((1, "full"), (2, "full"), (2, "decisions"), (2, "none")):
        texts = [
            json.dumps(
                outcome_document(o, version=version, trace=trace),  # type: ignore[arg-type]
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode()
            for o in outcomes
        ]
        size = sum(map(len, texts))
        ratio = size / size_in
        row(
            f"outcome bytes per input byte, outcome/{version} {trace}",
            f"{ratio:.2f}",
            "≤ 1.5",
            ratio <= 1.5,
        )


def jobs(path: Path, villages: int) -> None:
    """Row: two jobs beside one, wall time of the command line."""
    times = {}
    for count in (1, 2):
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "zhiping",
                "evaluate",
                str(path),
                "--format",
                "jsonl",
                "--jobs",
                str(count),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        times[count] = time.perf_counter() - start
    speedup = times[1] / times[2]
    row(
        f"2 jobs / 1 job, {villages} villages ({os.cpu_count()} cores)",
        f"{speedup:.2f}×",
        "≥ 1.8×",
        speedup >= 1.8,
    )


def store(lines: list[str]) -> None:
    """Rows: store bytes per session beside the document, verify seconds per 1,000.

    Beside them, where they go: the bytes of the kept texts (document and outcome, as
    stored), and the part of verify that parsing and evaluating the documents again takes
    (verify recomputes every outcome, so that part is its floor).
    """
    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "store.sqlite"
        with Store(database) as records:
            for line in lines:
                records.evaluate(parse_session(line))
        size = database.stat().st_size
        for suffix in ("-wal", "-shm"):
            extra = Path(str(database) + suffix)
            size += extra.stat().st_size if extra.exists() else 0
        per_session = size / len(lines)
        document = sum(len(line.encode()) for line in lines) / len(lines)
        row(
            "store bytes per session / document bytes",
            f"{per_session / document:.2f}",
            "≤ 2",
            per_session <= 2 * document,
        )
        with closing(sqlite3.connect(database)) as db:
            texts = db.execute("SELECT sum(length(document) + length(outcome)) FROM records")
            kept = texts.fetchone()[0] / len(lines)
        row("  of which the kept document and outcome", f"{kept / document:.2f}", "", None)
        with Store(database) as records:
            start = time.perf_counter()
            records.verify()
            seconds = (time.perf_counter() - start) / len(lines) * 1000
        row("store verify, seconds per 1,000 sessions", f"{seconds:.2f} s", "≤ 1 s", seconds <= 1)
        registry = default_registry()
        start = time.perf_counter()
        for line in lines:
            session = parse_session(line)
            chain = registry.chain(session.village.code, session.held_on)
            evaluate_chain(session, chain, registry.mechanisms)
        floor = (time.perf_counter() - start) / len(lines) * 1000
        row("  of which parsing and evaluating again (its floor)", f"{floor:.2f} s", "", None)


def streamed_rss(path: Path, villages: int) -> None:
    """Row: the peak RSS of ``zhiping evaluate -`` over a JSON Lines stream."""
    with path.open("rb") as stream:
        result = subprocess.run(
            [sys.executable, "-c", MEASURED, "evaluate", "-", "--format", "jsonl"],
            stdin=stream,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    found = re.search(r"peak_kb=(\d+)", result.stderr)
    peak = int(found.group(1)) / 1024 if found else float("nan")
    row(f"peak RSS, {villages} villages streamed", f"{peak:.0f} MB", "≤ 300 MB", peak <= 300)


def main() -> None:
    """Draw the districts, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=588)
    parser.add_argument("--parallel", type=int, default=5000)
    parser.add_argument("--stream", type=int, default=25000)
    parser.add_argument("--quick", action="store_true", help="84 / 588 / 2,000 villages")
    options = parser.parse_args()
    if options.quick:
        options.villages, options.parallel, options.stream = 84, 588, 2000
    print(f"| {'figure':<52} | {'measured':>14} | {'target':>10} | {'':<7} |")
    print(f"|{'-' * 54}|{'-' * 16}|{'-' * 12}|{'-' * 9}|")
    with tempfile.TemporaryDirectory() as directory:
        district = Path(directory) / "district.jsonl"
        draw(options.villages, district)
        lines = district.read_text(encoding="utf-8").splitlines()
        end_to_end(lines)
        store(lines)
        parallel = Path(directory) / "parallel.jsonl"
        draw(options.parallel, parallel)
        jobs(parallel, options.parallel)
        streamed = Path(directory) / "streamed.jsonl"
        draw(options.stream, streamed)
        streamed_rss(streamed, options.stream)


if __name__ == "__main__":
    main()
