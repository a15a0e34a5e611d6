"""Acceptance 2: malformed and hostile bodies never get a 500, and every 4xx carries
problems with their paths, JSON Pointers, Chinese and English.

The default run sends over 200 requests (every HTTP-level case and a spread sample of
the reliability harness's documents); ``pytest -m reliability`` sends all of them to
both ``/evaluate`` and ``/sessions``.
"""

from __future__ import annotations

import json

import httpx
import pytest

from serve.hostile_requests import (
    Hostile,
    as_requests,
    document_cases,
    http_damage,
    sampled,
)
from serve.support import DISTRICT, JSON, bearer

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)

GENESIS = "0:" + "0" * 64


def _check(client: httpx.Client, request: Hostile) -> int:
    answer = client.request(
        request.method, request.path, content=request.content, headers=request.headers
    )
    status = answer.status_code
    assert status < 500, f"{request.label}: {status} {answer.text[:300]}"
    if request.expect == "reject":
        assert 400 <= status < 500, f"{request.label}: {status}"
    if request.expect == "accept":
        assert status < 300, f"{request.label}: {status} {answer.text[:300]}"
    if status >= 400:
        assert answer.headers["content-type"] == "application/problem+json", request.label
        problem = answer.json()
        assert problem["status"] == status
        assert {"type", "title", "detail"} <= problem.keys()
        assert problem["problems"], request.label
        for each in problem["problems"]:
            assert {"path", "pointer", "zh", "en"} <= each.keys()
            assert each["zh"]
            assert each["en"]
            assert each["pointer"] == "" or each["pointer"].startswith("/")
            assert "Traceback" not in each["en"]
    return status


def _run(base: str, requests: list[Hostile]) -> dict[int, int]:
    statuses: dict[int, int] = {}
    with httpx.Client(base_url=base, headers=bearer(DISTRICT), timeout=120) as client:
        for request in requests:
            status = _check(client, request)
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


@pytest.fixture(scope="module")
def cases():
    return document_cases()


def _valid(cases) -> tuple[bytes, str]:
    control = next(case for case in cases if case.expect == "accept")
    return control.data, json.loads(control.data)["id"]


def test_two_hundred_hostile_requests_get_no_500_and_every_4xx_carries_problems(
    served, tmp_path, cases
):
    base = served(store=tmp_path / "s.db")
    valid, session = _valid(cases)
    rejected = [case for case in cases if case.expect == "reject"]
    requests = [
        *http_damage(valid, session),
        *as_requests(sampled(rejected, 80), "/sessions"),
        *as_requests(sampled(cases, 90), "/evaluate"),
    ]
    assert len(requests) >= 200
    statuses = _run(base, requests)
    print(f"\n{len(requests)} hostile requests: statuses {dict(sorted(statuses.items()))}")
    assert not any(status >= 500 for status in statuses)
    # Nothing refused was recorded: the rejected documents, then a control, went to /sessions.
    assert httpx.get(f"{base}/store/checkpoint").json()["checkpoint"] == GENESIS
    assert httpx.get(f"{base}/store/verify").json()["ok"] is True


def test_a_document_refused_names_where_it_is_wrong_as_path_and_pointer(served, cases):
    base = served()
    kit = next(case for case in cases if case.category == "kit" and "cadres[" in case.label)
    answer = httpx.post(f"{base}/evaluate", content=kit.data, headers=JSON)
    assert answer.status_code == 422
    paths = {(p["path"], p["pointer"]) for p in answer.json()["problems"]}
    path = kit.label.split(" at ", 1)[1]
    pointer = "/" + path.replace("[", "/").replace("]", "").replace(".", "/")
    assert (path, pointer) in paths


@pytest.mark.reliability
def test_every_hostile_document_to_both_endpoints_gets_no_500(served, tmp_path, cases):
    base = served(store=tmp_path / "s.db")
    valid, session = _valid(cases)
    requests = [
        *http_damage(valid, session),
        *as_requests(cases, "/evaluate"),
        *as_requests(cases, "/sessions"),
    ]
    statuses = _run(base, requests)
    print(f"\n{len(requests)} hostile requests: statuses {dict(sorted(statuses.items()))}")
    assert httpx.get(f"{base}/store/verify").json()["ok"] is True
