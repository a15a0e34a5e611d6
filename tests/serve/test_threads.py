"""One store shared by the server's threads: eight clients recording at once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from serve.support import DISTRICT, JSON, bearer, zhiping

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)

CLIENTS = 8


def test_eight_clients_at_once_record_what_the_cli_records_one_by_one(served, district, tmp_path):
    # One year: the villages do not read each other, so the order of recording is free.
    lines = district.read_text(encoding="utf-8").splitlines()[:42]
    year = tmp_path / "2025.jsonl"
    year.write_text("\n".join(lines) + "\n", encoding="utf-8")
    printed = zhiping(
        "evaluate", str(year), "--store", str(tmp_path / "cli.db"), "--format", "jsonl"
    )
    expected = {outcome["session"]: outcome for outcome in map(json.loads, printed.splitlines())}

    base = served(store=tmp_path / "s.db")

    def record(line: str) -> dict:
        with httpx.Client(base_url=base, headers=bearer(DISTRICT) | JSON, timeout=120) as client:
            answer = client.post("/sessions", content=line.encode("utf-8"))
            assert answer.status_code == 201, answer.text
            return answer.json()["outcome"]

    with ThreadPoolExecutor(CLIENTS) as clients:
        outcomes = list(clients.map(record, lines))

    assert {outcome["session"]: outcome for outcome in outcomes} == expected
    verified = httpx.get(f"{base}/store/verify", timeout=120).json()
    assert verified["ok"] is True
    assert verified["sessions"] == 42
    assert verified["checkpoint"].startswith("42:")
