"""The endpoints over real HTTP, each answer compared with what the CLI prints or with
what the documents say."""

from __future__ import annotations

import json

import httpx
import pytest

from serve.support import JSON, WRITER, bearer, zhiping
from zhiping.store import Store


@pytest.fixture
def first(district) -> dict:
    return json.loads(district.read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture
def base(served, tmp_path):
    return served(store=tmp_path / "s.db")


def _post(base: str, path: str, body: object, token: str | None = WRITER) -> httpx.Response:
    headers = JSON | (bearer(token) if token else {})
    return httpx.post(f"{base}{path}", content=json.dumps(body).encode(), headers=headers)


def test_evaluate_gives_what_zhiping_evaluate_prints(base, first, tmp_path):
    document = tmp_path / "one.json"
    document.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    for query, options in [
        ("", ()),
        ("?outcome_version=2&trace=decisions", ("--outcome-version", "2", "--trace", "decisions")),
    ]:
        expected = json.loads(zhiping("evaluate", str(document), "--format", "json", *options))
        answer = _post(base, f"/evaluate{query}", first, token=None)
        assert answer.status_code == 200
        assert answer.json() == expected


def test_recording_may_answer_the_compact_outcome_and_the_store_keeps_the_whole(
    base, first, tmp_path
):
    document = tmp_path / "one.json"
    document.write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    whole = json.loads(zhiping("evaluate", str(document), "--format", "json"))
    answer = _post(base, "/sessions?outcome_version=2&trace=none", first)
    assert answer.status_code == 201
    compact = answer.json()["outcome"]
    assert (compact["format"], compact["trace_level"], compact["trace"]) == (
        "zhiping.outcome/2",
        "none",
        [],
    )
    assert compact["subjects"] == whole["subjects"]
    kept = httpx.get(f"{base}/sessions/{first['id']}", headers=bearer(WRITER)).json()
    assert kept["outcome"] == whole
    refused = _post(base, "/sessions?trace=none", first)
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["path"] == "trace"


def test_the_same_document_again_changes_nothing_and_answers_200(base, first):
    assert _post(base, "/sessions", first).status_code == 201
    again = _post(base, "/sessions", first)
    assert again.status_code == 200
    assert again.json()["written"] is False


def test_another_document_under_a_recorded_id_is_a_409_naming_it(base, first):
    assert _post(base, "/sessions", first).status_code == 201
    changed = json.loads(json.dumps(first))
    changed["held_on"] = "2026-01-15"
    answer = _post(base, "/sessions", changed)
    assert answer.status_code == 409
    problem = answer.json()
    assert problem["conflict"] == "document"
    assert problem["existing_session_id"] == first["id"]


def test_a_second_session_of_a_village_and_year_is_a_409_naming_the_first(base, first):
    assert _post(base, "/sessions", first).status_code == 201
    second = json.loads(json.dumps(first))
    second["id"] = f"{first['id']}-bis"
    answer = _post(base, "/sessions", second)
    assert answer.status_code == 409
    assert answer.json()["conflict"] == "period"
    assert answer.json()["existing_session_id"] == first["id"]


def test_an_amendment_records_a_second_revision_with_its_reason(base, first):
    assert _post(base, "/sessions", first).status_code == 201
    changed = json.loads(json.dumps(first))
    changed["held_on"] = "2026-01-15"
    path = f"/sessions/{first['id']}/amendments"
    answer = _post(base, path, {"document": changed, "reason": "召开日期登记错误"})
    assert answer.status_code == 201
    assert answer.json()["revision"] == 2
    shown = httpx.get(f"{base}/sessions/{first['id']}").json()
    assert shown["revision"] == 2
    assert shown["reason"] == "召开日期登记错误"
    assert shown["held_on"] == "2026-01-15"


def test_an_amendment_of_a_session_never_recorded_is_a_404(base, first):
    answer = _post(base, f"/sessions/{first['id']}/amendments", {"document": first, "reason": "x"})
    assert answer.status_code == 404


def test_a_fulfilment_closes_the_commitment_in_the_history(base, first):
    assert _post(base, "/sessions", first).status_code == 201
    village = first["village"]["code"]
    committed = [q for q in first["inquiries"] if q.get("commitment")]
    before = httpx.get(f"{base}/villages/{village}/history").json()
    assert len(before["open_commitments"]) == len(committed)
    inquiry = committed[0]["id"]
    path = f"/sessions/{first['id']}/commitments/{inquiry}/fulfilment"
    assert _post(base, path, {"fulfilled_on": "2026-03-20"}, token=None).status_code == 401
    answer = _post(base, path, {"fulfilled_on": "2026-03-20"})
    assert answer.status_code == 200
    after = httpx.get(f"{base}/villages/{village}/history").json()
    assert len(after["open_commitments"]) == len(committed) - 1
    grades = {(g["subject"], g["year"]): g["grade"] for g in after["grades"]}
    outcome = httpx.get(f"{base}/sessions/{first['id']}").json()["outcome"]
    assert grades == {(s["id"], first["year"]): s["grade"] for s in outcome["subjects"]}


def test_the_sheet_is_the_one_zhiping_store_sheet_prints(base, first, tmp_path):
    assert _post(base, "/sessions", first).status_code == 201
    answer = httpx.get(f"{base}/sessions/{first['id']}/sheet", params={"lang": "zh"})
    assert answer.status_code == 200
    with Store(tmp_path / "s.db", read_only=True) as store:
        checkpoint = str(store.checkpoint())
    printed = zhiping("store", "sheet", str(tmp_path / "s.db"), first["id"], "--lang", "zh")
    assert answer.text == printed
    assert answer.headers["x-zhiping-checkpoint"] == checkpoint
    assert checkpoint in answer.text


def test_the_list_pages_by_after(base, district):
    for line in district.read_text(encoding="utf-8").splitlines()[:5]:
        assert _post(base, "/sessions", json.loads(line)).status_code == 201
    page = httpx.get(f"{base}/sessions", params={"limit": 3}).json()
    assert len(page["items"]) == 3
    rest = httpx.get(f"{base}/sessions", params={"limit": 3, "after": page["next"]}).json()
    assert len(rest["items"]) == 2
    assert rest["next"] is None
    ids = [item["session"] for item in page["items"] + rest["items"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5


def test_checkpoint_and_verify_agree_with_the_cli(base, first, tmp_path):
    assert _post(base, "/sessions", first).status_code == 201
    checkpoint = httpx.get(f"{base}/store/checkpoint").json()["checkpoint"]
    assert checkpoint == zhiping("store", "checkpoint", str(tmp_path / "s.db")).strip()
    verified = httpx.get(f"{base}/store/verify", params={"checkpoint": checkpoint}).json()
    assert verified["ok"] is True
    assert verified["sessions"] == 1


def test_a_pack_shows_its_chain_words_best_first_and_dated_parameters(base):
    shown = httpx.get(f"{base}/packs/xinzhou").json()
    assert shown["chain"] == ["cn", "xinzhou"]
    grades = [grade["id"] for grade in shown["vocabulary"]["grades"]]
    assert grades == ["excellent", "competent", "basically_competent", "incompetent"]
    assert all(grade["zh"] and grade["en"] for grade in shown["vocabulary"]["grades"])
    coefficients = [p for p in shown["parameters"] if p["name"] == "pay.coefficient.coefficients"]
    assert coefficients[0]["effective_from"] == "2016-01-01"
    assert {"name", "pack", "value", "effective_from", "citation", "assumed", "note"} <= set(
        coefficients[0]
    )


@pytest.mark.parametrize(
    ("path", "arguments"),
    [
        ("/schemas/session", ("schema", "session")),
        ("/schemas/outcome?outcome_version=2", ("schema", "outcome", "--outcome-version", "2")),
        ("/schemas/session?pack=xinzhou", ("schema", "session", "--pack", "xinzhou")),
    ],
)
def test_the_schemas_are_those_zhiping_schema_prints(base, path, arguments):
    assert httpx.get(f"{base}{path}").json() == json.loads(zhiping(*arguments))


def test_the_openapi_document_carries_the_document_models(base):
    spec = httpx.get(f"{base}/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"Session", "OutcomeDocument", "CompactOutcomeDocument"} <= set(schemas)
    body = spec["paths"]["/sessions"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Session"}
    session = json.loads(zhiping("schema", "session"))
    assert set(schemas["Session"]["properties"]) == set(session["properties"])
    for expected in ("/evaluate", "/sessions/{session_id}/sheet", "/packs/{name}", "/store/verify"):
        assert expected in spec["paths"]


def test_without_a_store_the_store_endpoints_say_so(served):
    base = served()
    answer = httpx.get(f"{base}/sessions")
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("no-store")


def test_the_board_is_served_at_the_root_and_its_files_under_board(served, tmp_path):
    board = tmp_path / "board"
    board.mkdir()
    (board / "index.html").write_text("<!doctype html><title>公示</title>", encoding="utf-8")
    (board / "board.js").write_text("// the board", encoding="utf-8")
    base = served(board=board)
    page = httpx.get(f"{base}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "公示" in page.text
    assert httpx.get(f"{base}/board/board.js").text == "// the board"
    missing = httpx.get(f"{base}/board/nothing.js")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_a_session_id_with_a_slash_and_chinese_has_its_paths_percent_encoded(base, first):
    named = json.loads(json.dumps(first))
    named["id"] = "郑家店村/2025"
    answer = _post(base, "/sessions", named)
    assert answer.status_code == 201
    location = answer.headers["location"]
    assert location == "/sessions/%E9%83%91%E5%AE%B6%E5%BA%97%E6%9D%91%2F2025"
    item = httpx.get(f"{base}/sessions").json()["items"][0]
    assert item["sheet"] == location + "/sheet"
    assert httpx.get(f"{base}{item['sheet']}").status_code == 200
    assert httpx.get(f"{base}{location}").json()["session"] == "郑家店村/2025"


def test_a_session_on_a_day_no_pack_is_in_force_is_a_422_not_a_500(base, first):
    early = json.loads(json.dumps(first))
    early["year"], early["held_on"] = 1989, "1990-01-14"
    early["notice"]["published_on"] = "1990-01-07"
    for cadre in early["cadres"]:
        cadre["in_office_since"] = "1985-01-01"
    early["inquiries"] = [q for q in early["inquiries"] if not q.get("commitment")]
    for path in ("/evaluate", "/sessions"):
        answer = _post(base, path, early)
        assert answer.status_code == 422, answer.text
        assert answer.json()["problems"][0]["pointer"] == "/held_on"
