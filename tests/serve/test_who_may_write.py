"""Acceptance 3: tokens scoped to prefixes decide who records; public reads withhold pay
and persons."""

from __future__ import annotations

import json

import httpx
import pytest

from serve.support import DISTRICT, JSON, WRITER, bearer

OFF_ROSTER = "王小明"
"""A person who signs in as a party member without being on the roster: a finding names
him, so a public read must not."""


def _first_document(district) -> dict:
    return json.loads(district.read_text(encoding="utf-8").splitlines()[0])


def _of_village(document: dict, code: str) -> dict:
    moved = json.loads(json.dumps(document))
    moved["village"]["code"] = code
    moved["id"] = f"{code}-{document['year']}"
    return moved


def _with_off_roster_attendee(document: dict) -> dict:
    changed = json.loads(json.dumps(document))
    changed["attendance"].append({"person": OFF_ROSTER, "as": ["party_member"]})
    return changed


def _post(base: str, document: dict, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{base}/sessions", content=json.dumps(document).encode(), headers=JSON | headers
    )


@pytest.fixture
def server(served, tmp_path):
    return served(store=tmp_path / "s.db")


def test_a_token_for_one_township_cannot_record_a_village_of_another(server, district):
    other = _of_village(_first_document(district), "420117102201")
    answer = _post(server, other, bearer(WRITER))
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["problems"][0]["path"] == "village.code"
    assert httpx.get(f"{server}/sessions").json()["items"] == []


@pytest.mark.parametrize("change", ["commitments/q1/fulfilment", "amendments"])
def test_a_token_for_one_township_cannot_change_a_session_of_another(server, district, change):
    other = _of_village(_first_document(district), "420117102201")
    assert _post(server, other, bearer(DISTRICT)).status_code == 201
    before = httpx.get(f"{server}/store/checkpoint").json()
    body = (
        {"document": other, "reason": "a correction"}
        if change == "amendments"
        else {"fulfilled_on": "2026-02-03"}
    )
    answer = httpx.post(
        f"{server}/sessions/{other['id']}/{change}",
        content=json.dumps(body).encode(),
        headers=JSON | bearer(WRITER),
    )
    assert answer.status_code == 403
    assert answer.json()["problems"][0]["path"] == "village.code"
    assert httpx.get(f"{server}/store/checkpoint").json() == before


def test_a_token_for_a_township_records_its_own_villages(server, district):
    answer = _post(server, _first_document(district), bearer(WRITER))
    assert answer.status_code == 201
    assert answer.headers["location"] == "/sessions/420117101201-2025"


@pytest.mark.parametrize(
    "headers",
    [{}, bearer("not-a-token-of-this-server"), {"Authorization": f"Basic {WRITER}"}],
    ids=["no token", "unknown token", "not a bearer token"],
)
def test_without_a_valid_token_nothing_is_recorded(server, district, headers):
    answer = _post(server, _first_document(district), headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    problem = answer.json()
    assert problem["status"] == 401
    assert problem["problems"][0]["zh"]
    assert problem["problems"][0]["en"]
    assert httpx.get(f"{server}/sessions").json()["items"] == []


def _persons(document: dict) -> set[str]:
    roster = document["roster"]
    return {
        *roster["party_members"],
        *roster["representatives"],
        *(entry["person"] for entry in document["attendance"]),
    }


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*map(_strings, value.values()), *map(_strings, value.keys()))
    if isinstance(value, list):
        return set().union(*map(_strings, value))
    return set()


def test_public_reads_show_no_pay_and_no_person(server, district):
    document = _with_off_roster_attendee(_first_document(district))
    recorded = _post(server, document, bearer(WRITER))
    assert recorded.status_code == 201
    full = recorded.json()["outcome"]
    # Worked out from the document: what the outcome would show if nothing were withheld.
    pay = {cadre["performance_pay"] for cadre in document["cadres"]}
    amounts = {s["pay"]["amount"] for s in full["subjects"] if s.get("pay")}
    assert OFF_ROSTER in _strings(full)  # the finding that names him is there to withhold
    assert pay & _strings(full)
    session = document["id"]

    public = httpx.get(f"{server}/sessions/{session}")
    listing = httpx.get(f"{server}/sessions")
    sheet = httpx.get(f"{server}/sessions/{session}/sheet")
    for answer in (public, listing):
        assert answer.status_code == 200
        shown = _strings(answer.json())
        assert not shown & _persons(document)
        assert not shown & (pay | amounts)
        assert "document" not in answer.json()
    outcome = public.json()["outcome"]
    assert all("pay" not in subject for subject in outcome["subjects"])
    assert all(entry["stage"] != "pay" for entry in outcome["trace"])
    assert public.json()["public"] is True
    assert sheet.status_code == 200
    assert sheet.headers["content-type"].startswith("text/html")
    assert OFF_ROSTER not in sheet.text
    assert not any(figure in sheet.text for figure in pay | amounts)

    whole = httpx.get(f"{server}/sessions/{session}", headers=bearer(WRITER)).json()
    assert whole["public"] is False
    assert whole["document"]["attendance"][-1]["person"] == OFF_ROSTER
    assert whole["outcome"] == full
