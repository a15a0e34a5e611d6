"""The recount phase: recount every stored outcome independently; see the package docstring.

The counter (:mod:`.oracle`) is written from DESIGN §2 (the tally) and §5 (the Xinzhou
grade and pay), not from zhiping's code, and the chain is recomputed with
:mod:`.forgery`'s hash of DESIGN §7: a mistake in zhiping would have to be made twice,
the same way, to go unnoticed.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from reliability.figures import Figure, Report
from reliability.forgery import read_only, recompute_chain
from reliability.oracle import SCALE, recount, xinzhou_grade, xinzhou_pay
from reliability.plan import SHOWN, Run
from zhiping.store import Store

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
    with read_only(path) as db:
        chain = recompute_chain(db)
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
    """Recount the sample store (and the demo's, in full mode); see the package docstring."""
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
        shown = problems[:SHOWN]
        report.problems += [f"{name}: {problem}" for problem in shown]
        if len(problems) > len(shown):
            report.problems.append(f"{name}: and {len(problems) - len(shown)} more mismatches")
    report.counts = {
        "stores": len(stores),
        **{key: totals[key] for key in TOTALS},
        "time_s": time.perf_counter() - started,
    }
    return report
