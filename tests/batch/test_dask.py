"""Dask: a LocalCluster's executor gives the outcomes of a serial run."""

from __future__ import annotations

from typing import Any

import pytest
from distributed import Client, LocalCluster

import zhiping
from zhiping.batch import evaluate_many
from zhiping.demo import build_district, session_documents


@pytest.fixture(scope="module")
def client() -> Any:
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as connected:
        yield connected


def test_evaluating_on_a_local_dask_cluster_gives_the_serial_outcomes(client: Any) -> None:
    documents = list(session_documents(build_district(5, first_year=2025, villages=60), 2025))
    serial = [zhiping.evaluate(document).to_document() for document in documents]
    results = list(evaluate_many(documents, executor=client.get_executor(), chunk_size=8))
    assert [r.session for r in results] == [d["id"] for d in documents]
    assert [r.outcome for r in results] == serial
