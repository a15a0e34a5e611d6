"""The server starts, answers, and stops: the first endpoint over real HTTP."""

from __future__ import annotations

import httpx


def test_packs_lists_the_bundled_packs_over_http(served):
    base = served()
    answer = httpx.get(f"{base}/packs")
    assert answer.status_code == 200
    names = [item["name"] for item in answer.json()["items"]]
    assert "xinzhou" in names
    assert "cn" in names
