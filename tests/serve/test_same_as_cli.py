"""Acceptance 1: recording a district through ``zhiping serve`` gives what the CLI gives.

The expected outcomes and records are those of ``zhiping evaluate FILE --store DB``, run
as a separate command on the same file; the server's answers are compared with them.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from serve.support import DISTRICT, JSON, bearer, tokens_file, zhiping
from zhiping.store import Store

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)


def _records(path: Path) -> list[dict]:
    with Store(path, read_only=True) as store:
        return list(store.sessions())


def test_a_district_posted_to_the_server_gives_the_cli_outcomes_and_records(
    district, served_command, tmp_path
):
    cli_db = tmp_path / "cli.db"
    printed = zhiping("evaluate", str(district), "--store", str(cli_db), "--format", "jsonl")
    expected = [json.loads(line) for line in printed.splitlines()]

    served_db = tmp_path / "s.db"
    base = served_command("--store", str(served_db), "--tokens", str(tokens_file(tmp_path)))
    outcomes = []
    with httpx.Client(base_url=base, headers=bearer(DISTRICT) | JSON, timeout=60) as client:
        for line in district.read_text(encoding="utf-8").splitlines():
            answer = client.post("/sessions", content=line.encode("utf-8"))
            assert answer.status_code == 201, answer.text
            outcomes.append(answer.json()["outcome"])
        served_checkpoint = client.get("/store/checkpoint").json()["checkpoint"]
        listed = client.get("/sessions", params={"limit": 1000}).json()["items"]

    assert len(outcomes) == 84
    assert outcomes == expected
    # The same events, in the same order, hash to the same chain: no clock is recorded.
    assert served_checkpoint == zhiping("store", "checkpoint", str(cli_db)).strip()
    assert _records(served_db) == _records(cli_db)
    with Store(cli_db, read_only=True) as store:
        for item in listed:
            found = store.get(item["session"])
            assert item["status"] == found.summary.status
            assert item["grades"] == {
                s["id"]: s["grade"] for s in found.outcome["subjects"] if s["grade"]
            }
