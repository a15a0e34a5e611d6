"""The compact outcome ``zhiping.outcome/2``: the same decisions at every trace level.

The reference is independent of the compact writer: the ``zhiping.outcome/1`` documents
kept in ``tests/snapshots/<pack>.json`` (the outcomes of every bundled pack's cases) and
``Outcome.to_document()`` for the example and a demo district. Each compact document,
at each level, must decide the same (status, findings, tallies, grades, pay, actions);
at ``full`` it must give back the whole format-1 document.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import zhiping
from zhiping.batch import evaluate_many
from zhiping.demo import build_district, session_documents
from zhiping.documents.compact import (
    TRACE_LEVELS,
    CompactOutcomeDocument,
    as_format_1,
    compact_document,
    outcome_document,
)
from zhiping.documents.outcome import Outcome
from zhiping.packs.registry import discover
from zhiping.testing import PackProfile
from zhiping.testing.cases import case_files, load_case

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots"
EXAMPLE = ROOT / "examples" / "guanzhai-2026.json"
BUNDLED = discover(entry_points=False)


def as_json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, ensure_ascii=False))


def decided(document: dict[str, Any]) -> dict[str, Any]:
    """Return what an outcome document decides, in either format."""
    return {
        "session": document["session"],
        "packs": document["packs"],
        "status": document["status"],
        "findings": [(f["rule"], f["severity"], f["subject"]) for f in document["findings"]],
        "subjects": document["subjects"],
    }


def traced(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Return each trace entry's decision, with the parameter values it read."""
    table = document.get("parameters", {})
    return [
        (
            entry["stage"],
            entry["rule"],
            entry["pack"],
            entry["subject"],
            entry["fulfilled"],
            entry["result"],
            [
                (p["name"], p["pack"], json.dumps(p["value"], sort_keys=True), p["effective_from"])
                for p in (table[r] if isinstance(r, str) else r for r in entry["parameters"])
            ],
        )
        for entry in document["trace"]
    ]


def case_outcomes() -> list[tuple[str, Outcome, dict[str, Any]]]:
    """Each bundled case's outcome now, with its format-1 document from the snapshot."""
    found = []
    for pack in sorted(BUNDLED.packs):
        kept = json.loads((SNAPSHOTS / f"{pack}.json").read_text(encoding="utf-8"))["cases"]
        profile = PackProfile.of(pack, registry=BUNDLED)
        for path in case_files(pack, registry=BUNDLED):
            case = load_case(path)
            forced = profile.forced if case.forced is None else case.forced
            outcome = zhiping.evaluate(
                case.session_document(profile), registry=BUNDLED, pack=pack if forced else None
            )
            found.append((f"{pack}/{path.stem}", outcome, kept[path.stem]["outcome"]))
    return found


CASES = case_outcomes()


@pytest.mark.parametrize("level", TRACE_LEVELS)
def test_every_bundled_case_decides_as_its_snapshot_at_every_level(level: str) -> None:
    for name, outcome, snapshot in CASES:
        compact = as_json(compact_document(outcome, trace=level))  # type: ignore[arg-type]
        assert decided(compact) == decided(snapshot), name
        if level != "none":
            assert traced(compact) == traced(snapshot), name
        else:
            assert (compact["trace"], compact["parameters"]) == ([], {}), name


def test_the_full_level_gives_back_the_format_1_document_exactly() -> None:
    for name, outcome, snapshot in CASES:
        assert as_format_1(as_json(compact_document(outcome))) == snapshot, name


def test_the_example_and_a_demo_district_decide_alike_in_both_formats() -> None:
    documents = [json.loads(EXAMPLE.read_text(encoding="utf-8"))]
    documents += list(session_documents(build_district(11, first_year=2025, villages=42), 2025))
    for document in documents:
        outcome = zhiping.evaluate(document)
        first = as_json(outcome.to_document())
        for level in TRACE_LEVELS:
            compact = as_json(outcome_document(outcome, version=2, trace=level))
            assert decided(compact) == decided(first)
            if level != "none":
                assert traced(compact) == traced(first)
        assert as_format_1(as_json(compact_document(outcome))) == first


def test_a_parameter_is_listed_once_and_every_reference_resolves() -> None:
    outcome = zhiping.evaluate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    compact = as_json(compact_document(outcome))
    references = [r for entry in compact["trace"] for r in entry["parameters"]]
    assert set(references) == set(compact["parameters"])
    assert len(references) > len(compact["parameters"])  # read more than once, listed once
    reference = "xinzhou/quorum.representatives.minimum@2016-01-01"
    assert compact["parameters"][reference]["value"] == 30
    decisions = as_json(compact_document(outcome, trace="decisions"))
    assert all(set(e) >= {"rule", "result"} for e in decisions["trace"])
    assert not any({"inputs", "message"} & set(e) for e in decisions["trace"])


@pytest.mark.parametrize("level", TRACE_LEVELS)
def test_the_compact_schema_accepts_each_level_and_refuses_a_dangling_reference(
    level: str,
) -> None:
    validator = Draft202012Validator(CompactOutcomeDocument.model_json_schema())
    outcome = zhiping.evaluate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    compact = as_json(compact_document(outcome, trace=level))  # type: ignore[arg-type]
    assert not list(validator.iter_errors(compact))
    CompactOutcomeDocument.model_validate(compact)
    if level != "none":
        compact["trace"][1]["parameters"] = ["xinzhou/no.such.parameter@2016-01-01"]
        with pytest.raises(ValueError, match="not in the table"):
            CompactOutcomeDocument.model_validate(compact)


def test_a_shorter_trace_cannot_be_read_as_format_1_and_format_1_is_always_full() -> None:
    outcome = zhiping.evaluate(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    with pytest.raises(ValueError, match="evaluate the session again"):
        as_format_1(compact_document(outcome, trace="decisions"))
    with pytest.raises(ValueError, match="needs format 2"):
        outcome_document(outcome, version=1, trace="none")


def test_workers_give_the_compact_documents_of_a_serial_run() -> None:
    documents = list(session_documents(build_district(11, first_year=2025, villages=42), 2025))
    serial = [compact_document(zhiping.evaluate(d), trace="decisions") for d in documents]
    with ProcessPoolExecutor(2) as pool:
        results = list(
            evaluate_many(documents, executor=pool, version=2, trace="decisions", as_text=True)
        )
    assert [json.loads(r.text or "") for r in results] == as_json(serial)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the outcome format 2"):
        list(evaluate_many(documents, trace="none"))
