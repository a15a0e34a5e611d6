"""The recount phase: recount every stored outcome independently; see the driver's docstring.

The counter here is written from DESIGN §2 (the tally) and §5 (the Xinzhou grade and
pay), not from zhiping's code, and the chain is recomputed with :mod:`.chain`: a
mistake in zhiping would have to be made twice, the same way, to go unnoticed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from _reliability.chain import recompute_chain
from _reliability.figures import Figure, Report
from _reliability.plan import Run
from zhiping.store import Store

# DESIGN §2 and §5: the three-level scale, the abstention word, the Xinzhou grades and pay.
SCALE = ("satisfied", "basically_satisfied", "dissatisfied")
ABSTENTIONS = ("unknown",)
GRADES = ("excellent", "competent", "basically_competent", "incompetent")
COEFFICIENTS = {
    "excellent": Decimal("1.00"),
    "competent": Decimal("0.90"),
    "basically_competent": Decimal("0.60"),
    "incompetent": Decimal("0.00"),
}
XINZHOU_CHAIN = ["cn", "xinzhou"]
MISMATCHES = ("tally_mismatches", "valid_votes_mismatches", "grade_mismatches", "pay_mismatches")
TOTALS = (
    "revisions",
    "subjects",
    "tally_mismatches",
    "valid_votes_mismatches",
    "grades_checked",
    "grade_mismatches",
    "pay_checked",
    "pay_mismatches",
    "chain_breaks",
)
"""The phase's totals over its stores, in the order they are printed."""


def recount(document: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Count each subject's marks from a session document, as DESIGN §2 describes them.

    Subjects are the organization, then the cadres in order. In ``cast`` form, a missing
    mark or ``unknown`` is an abstention, a word of the scale counts for itself, and any
    other mark is invalid; marks for other subject ids are ignored. In ``counts`` (or
    ``group_counts``) form, a subject not listed abstained on every ballot (of its group).
    """
    subjects = ["organization", *(cadre["id"] for cadre in document.get("cadres") or [])]
    words = (*SCALE, "abstain", "invalid")
    tallies = {subject: dict.fromkeys(words, 0) for subject in subjects}
    ballots = document["ballots"]
    if ballots.get("cast") is not None:
        for ballot in ballots["cast"]:
            marks = ballot.get("marks") or {}
            for subject in subjects:
                mark = marks.get(subject)
                if mark is None or mark in ABSTENTIONS:
                    tallies[subject]["abstain"] += 1
                elif mark in SCALE:
                    tallies[subject][mark] += 1
                else:
                    tallies[subject]["invalid"] += 1
    elif ballots.get("counts") is not None:
        _add_counts(tallies, ballots["counts"], int(ballots["returned"]))
    else:
        for counts in (ballots.get("group_counts") or {}).values():
            size = sum(next(iter(counts.values()), {}).values())
            _add_counts(tallies, counts, size)
    return tallies


def _add_counts(
    tallies: dict[str, dict[str, int]], counts: Mapping[str, Mapping[str, int]], returned: int
) -> None:
    for subject, tally in tallies.items():
        words = counts.get(subject)
        if words is None:
            tally["abstain"] += returned
            continue
        for word, count in words.items():
            tally["abstain" if word in ABSTENTIONS else word] += count


def xinzhou_grade(tally: Mapping[str, int]) -> str | None:
    """Return the Xinzhou grade of a tally (DESIGN §5), None without valid votes."""
    n = sum(tally[word] for word in SCALE)
    d, s = tally["dissatisfied"], tally["satisfied"]
    if n == 0:
        return None
    if 2 * d >= n:
        return "incompetent"
    if 3 * d > n:
        return "basically_competent"
    return "excellent" if 10 * s >= 9 * n else "competent"


def xinzhou_pay(amount: str | float, grade: str) -> Decimal:
    """Return the performance pay due for a grade (DESIGN §5), to the fen."""
    return (Decimal(amount) * COEFFICIENTS[grade]).quantize(Decimal("0.01"), ROUND_HALF_UP)


def recount_store(path: Path) -> tuple[dict[str, Figure], list[str]]:
    """Recount every stored outcome and recompute the chain, independently of zhiping."""
    counts: Counter[str] = Counter()
    problems: list[str] = []
    with Store(path) as store:
        records = list(store.sessions())
        head = store.checkpoint()
    for record in records:
        counts["revisions"] += 1
        document, outcome = json.loads(record["document"]), json.loads(record["outcome"])
        where = f"{record['session']} revision {record['revision']}"
        form = next(
            f for f in ("cast", "counts", "group_counts") if document["ballots"].get(f) is not None
        )
        counts[form] += 1
        problems += _compare(where, document, outcome, counts)
    chain = recompute_chain(path)
    counts["chain_events"] = chain.events
    counts["chain_breaks"] = chain.breaks
    counts["chain_head_matches"] = int(chain.head == head.head and chain.events == head.size)
    if chain.breaks:
        problems.append(f"{chain.breaks} events do not hash as DESIGN §7 says")
    if not counts["chain_head_matches"]:
        problems.append(f"the recomputed head {chain.head} is not the checkpoint's {head}")
    figures: dict[str, Figure] = dict(counts)
    for key in MISMATCHES:
        figures.setdefault(key, 0)
    return figures, problems


def _compare(
    where: str, document: Mapping[str, Any], outcome: Mapping[str, Any], counts: Counter[str]
) -> list[str]:
    problems = []
    expected = recount(document)
    subjects = outcome.get("subjects") or []
    ids = [subject.get("id") for subject in subjects]
    if ids != list(expected):
        counts["tally_mismatches"] += 1
        return [f"{where}: subjects {ids}, the document has {list(expected)}"]
    xinzhou = outcome.get("packs") == XINZHOU_CHAIN
    pay = {c["id"]: c.get("performance_pay") for c in document.get("cadres") or []}
    for subject in subjects:
        counts["subjects"] += 1
        tally = expected[subject["id"]]
        if subject.get("tally") != tally:
            counts["tally_mismatches"] += 1
            problems.append(
                f"{where} {subject['id']}: tally {subject.get('tally')}, recount {tally}"
            )
        if subject.get("valid_votes") != sum(tally[w] for w in SCALE):
            counts["valid_votes_mismatches"] += 1
            problems.append(f"{where} {subject['id']}: valid_votes {subject.get('valid_votes')}")
        if not xinzhou:
            continue
        counts["grades_checked"] += 1
        grade = xinzhou_grade(tally) if outcome.get("status") == "valid" else None
        if subject.get("grade") != grade:
            counts["grade_mismatches"] += 1
            problems.append(
                f"{where} {subject['id']}: grade {subject.get('grade')}, recount {grade}"
            )
        amount = pay.get(subject["id"])
        if grade is not None and amount is not None:
            counts["pay_checked"] += 1
            due = xinzhou_pay(amount, grade)
            paid = (subject.get("pay") or {}).get("amount")
            if paid is None or Decimal(paid) != due:
                counts["pay_mismatches"] += 1
                problems.append(f"{where} {subject['id']}: pay {paid}, recount {due}")
    return problems


def recount_phase(run: Run) -> Report:
    """Recount the sample store (and the demo's, in full mode); see the driver's docstring."""
    started = time.perf_counter()
    report = Report("recount")
    stores = [("sample", run.sample_store()[0])]
    if run.plan.demo_recount:
        from zhiping.demo import run_demo

        demo = run.work / "demo.db"
        run_demo(database=demo)
        stores.append(("demo", demo))
    totals: Counter[str] = Counter()
    for name, path in stores:
        figures, problems = recount_store(path)
        report.parts.append((name, figures))
        totals.update({k: v for k, v in figures.items() if isinstance(v, int)})
        shown = problems[: run.show]
        report.problems += [f"{name}: {problem}" for problem in shown]
        if len(problems) > len(shown):
            report.problems.append(f"{name}: and {len(problems) - len(shown)} more mismatches")
    report.counts = {
        "stores": len(stores),
        **{key: totals[key] for key in TOTALS},
        "time_s": time.perf_counter() - started,
    }
    return report
