"""Batch evaluation: streaming, in input order, the same outcomes on any executor."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest

import zhiping
from zhiping.batch import evaluate_many
from zhiping.demo import build_district, session_documents
from zhiping.packs.registry import default_registry, discover

YEAR = 2025


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    """Two townships' sessions (84 villages): valid ones, void ones, both ballot forms."""
    return list(session_documents(build_district(11, first_year=YEAR, villages=84), YEAR))


def serially(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The independent reference: each document evaluated on its own."""
    return [zhiping.evaluate(document).to_document() for document in documents]


def test_results_come_in_input_order_with_their_session_ids(
    documents: list[dict[str, Any]],
) -> None:
    results = list(evaluate_many(documents, chunk_size=5))
    assert [r.index for r in results] == list(range(len(documents)))
    assert [r.session for r in results] == [d["id"] for d in documents]
    assert [r.outcome for r in results] == serially(documents)


@pytest.mark.parametrize("executor_kind", ["threads", "processes"])
def test_an_executor_gives_the_outcomes_of_a_serial_run(
    documents: list[dict[str, Any]], executor_kind: str
) -> None:
    pool = ThreadPoolExecutor(2) if executor_kind == "threads" else ProcessPoolExecutor(2)
    with pool:
        results = list(evaluate_many(documents, executor=pool, chunk_size=7, window=3))
    assert [r.outcome for r in results] == serially(documents)


def test_a_broken_document_gives_its_problems_and_the_batch_goes_on(
    documents: list[dict[str, Any]],
) -> None:
    broken = dict(documents[1])
    broken["year"] = "twenty"
    batch = [documents[0], broken, json.dumps(documents[2]), "{not json"]
    results = list(evaluate_many(batch))
    assert [r.ok for r in results] == [True, False, True, False]
    assert results[1].session == documents[1]["id"]
    assert [p.path for p in results[1].problems] == ["year"]
    assert results[3].session is None
    assert results[2].outcome == serially([documents[2]])[0]


def test_the_input_is_read_as_results_are_taken(documents: list[dict[str, Any]]) -> None:
    """Streaming: taking the first result reads no more than a window of chunks."""
    read = []

    def source() -> Any:
        for document in documents:
            read.append(document["id"])
            yield document

    with ThreadPoolExecutor(2) as pool:
        results = evaluate_many(source(), executor=pool, chunk_size=4, window=2)
        next(results)
        assert len(read) <= 4 * 3
        results.close()


@pytest.mark.parametrize(("chunk_size", "window"), [(0, None), (5, 0)])
def test_sizes_must_be_positive(chunk_size: int, window: int | None) -> None:
    with pytest.raises(ValueError, match="positive"):
        list(evaluate_many([], chunk_size=chunk_size, window=window))


def test_a_registry_of_other_packs_is_refused_with_an_executor_not_silently_dropped(
    documents: list[dict[str, Any]],
) -> None:
    """Workers discover the installed packs; a registry of others cannot reach them."""
    bundled_only = discover(entry_points=False)
    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(ValueError, match="a registry cannot reach an executor's workers"):
            list(evaluate_many(documents[:1], executor=pool, registry=bundled_only))
        # The installed packs' own registry is what the workers use: accepted.
        results = list(evaluate_many(documents[:2], executor=pool, registry=default_registry()))
    assert [r.outcome for r in results] == serially(documents[:2])
    # Without an executor, the registry given is the one used.
    assert [r.outcome for r in evaluate_many(documents[:2], registry=bundled_only)] == (
        serially(documents[:2])
    )
