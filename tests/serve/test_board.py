"""The public results board at ``/``, loaded in headless Chromium from a running server.

Seven sessions are recorded into a temporary store (``zhiping.testing.session_document``:
30 of 37 party members and 32 of 40 representatives present, 62 evaluators, every ballot
``satisfied`` unless counts are given; the Xinzhou rules of DESIGN §5):

- 420117101201 管寨村, 2025 and 2026: valid; the organization, c1 and c2 each 62/62
  satisfied, 10s ≥ 9n: ``excellent``. Only 2026 is on the board for 2026.
- 420117101202 李家湾村, 2026: 29 party members present, 5 × 29 = 145 < 148 = 4 × 37:
  void, ``quorum.party_members``.
- 420117101203 王家村, 2026: valid. The organization 50/10/2 (satisfied, basically,
  dissatisfied): 2d = 4 < 62, 3d = 6 ≤ 62, 10s = 500 < 558: ``competent``; c1 20/12/30:
  2d = 60 < 62, 3d = 90 > 62: ``basically_competent``; c2 10/20/32: 2d = 64 ≥ 62:
  ``incompetent``.
- 420117101204 陈家岗村, 2026: 29 party members present: void, ``quorum.party_members``.
- 420117102201 张湾村, 2026: notice 1 day ahead, fewer than 3: void, ``notice.period``.
- 420117102202 刘集村, 2026: one cadre; the organization and c1 ``excellent``.

So the board of township 420117101 for 2026 lists 201, 202, 203 and 204; the grades
chart (the townships of county 420117) stacks 420117101: excellent 3, competent 1,
basically competent 1, incompetent 1, and 420117102: excellent 2; the void chart has
quorum.party_members 2 and notice.period 1.

Chromium is found as ``tests/outputs/test_results_sheet.py`` finds it: without it the
Chromium tests are skipped, unless ``ZHIPING_REQUIRE_CHROMIUM=1`` (as in CI), when they
fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from zhiping.packs import default_registry
from zhiping.store import Store
from zhiping.testing import session_document

BOARD = Path(__file__).parents[2] / "src" / "zhiping" / "serve" / "board"

TOWNSHIP = "420117101"
YEAR = 2026
SHOWN = ["420117101201", "420117101202", "420117101203", "420117101204"]
GRADES_BY_TOWNSHIP = {
    ("420117101", "excellent"): 3,
    ("420117101", "competent"): 1,
    ("420117101", "basically_competent"): 1,
    ("420117101", "incompetent"): 1,
    ("420117102", "excellent"): 2,
}
VOID_BY_CAUSE = {"quorum.party_members": 2, "notice.period": 1}


def village(code: str, name: str, **options: Any) -> dict[str, Any]:
    document = session_document(village_code=code, **options)
    document["village"]["name"] = name
    return document


def recorded_sessions() -> list[dict[str, Any]]:
    """The documents of the module docstring, in the order they are recorded."""
    mixed = {
        "organization": {"satisfied": 50, "basically_satisfied": 10, "dissatisfied": 2},
        "c1": {"satisfied": 20, "basically_satisfied": 12, "dissatisfied": 30},
        "c2": {"satisfied": 10, "basically_satisfied": 20, "dissatisfied": 32},
    }
    return [
        village("420117101201", "管寨村", year=2025, held_on=date(2026, 1, 15)),
        village("420117101201", "管寨村"),
        village("420117101202", "李家湾村", party_members_present=29),
        village("420117101203", "王家村", counts=mixed),
        village("420117101204", "陈家岗村", party_members_present=29),
        village("420117102201", "张湾村", notice_days=1),
        village("420117102202", "刘集村", cadres=1),
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Record the sessions; return the store and each session's checkpoint."""
    path = tmp_path_factory.mktemp("board") / "store.db"
    checkpoints = {}
    with Store(path) as opened:
        for document in recorded_sessions():
            recorded = opened.record(document)
            checkpoints[recorded.session] = str(recorded.checkpoint)
    return path, checkpoints


# A stand-in for `zhiping serve`: the board's files and the API contract it reads


class _StandIn(BaseHTTPRequestHandler):
    """Serve the board and ``GET /sessions``, ``/packs``, ``/packs/{name}`` from a store.

    ``limit`` is capped at 2, so the board must follow ``next`` to see every session.
    """

    store_path: Path

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test's output quiet."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == "/":
            self._file(BOARD / "index.html")
        elif url.path.startswith("/board/") and "/" not in url.path[len("/board/") :]:
            self._file(BOARD / url.path[len("/board/") :])
        elif url.path == "/sessions":
            self._json(self._sessions(query))
        elif url.path == "/packs":
            registry = default_registry()
            self._json(
                [
                    {"name": p.name, "title": p.title.to_json(), "prefix": p.prefix}
                    for p in registry.packs.values()
                ]
            )
        elif url.path.startswith("/packs/"):
            self._json(self._pack(url.path[len("/packs/") :]))
        else:
            self.send_error(404)

    def _sessions(self, query: dict[str, str]) -> dict[str, Any]:
        limit = min(int(query.get("limit", "100")), 2)
        with Store(self.store_path, read_only=True) as store:
            page = store.list(
                prefix=query.get("prefix") or None,
                year=int(query["year"]) if "year" in query else None,
                after=query.get("after"),
                limit=limit,
            )
            items = [self._item(store, summary.session) for summary in page]
        return {"items": items, "next": items[-1]["session"] if len(items) == limit else None}

    @staticmethod
    def _item(store: Store, session_id: str) -> dict[str, Any]:
        stored = store.get(session_id)
        outcome = stored.outcome
        return {
            **{key: value for key, value in stored.summary.to_json().items() if key != "revision"},
            "village_name": stored.document["village"]["name"],
            "grades": {s["id"]: s["grade"] for s in outcome["subjects"] if s["grade"]},
            "void_rules": [f["rule"] for f in outcome["findings"] if f["severity"] == "violation"],
            "packs": [p["name"] for p in stored.packs],
            "sheet": f"/sessions/{session_id}/sheet",
            "checkpoint": str(store.checkpoint_at(stored.event)),
        }

    @staticmethod
    def _pack(name: str) -> dict[str, Any]:
        registry = default_registry()
        pack = registry.packs[name]
        vocabulary = registry.vocabulary([name])
        return {
            "name": name,
            "title": pack.title.to_json(),
            "chain": [p.name for p in registry.lineage(name)],
            "vocabulary": {
                which: [
                    {"id": word, **vocabulary.name_of(word).to_json()}
                    for word in getattr(vocabulary, which)
                ]
                for which in ("grades", "words", "actions")
            },
        }

    def _file(self, path: Path) -> None:
        kinds = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
        if not path.is_file():
            self.send_error(404)
            return
        self._send(path.read_bytes(), f"{kinds.get(path.suffix, 'text/plain')}; charset=utf-8")

    def _json(self, body: Any) -> None:
        self._send(json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(store: tuple[Path, dict[str, str]]) -> Iterator[str]:
    """Serve the board over the store on a free localhost port; yield its base URL."""
    handler = type("Handler", (_StandIn,), {"store_path": store[0]})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# Headless Chromium


@pytest.fixture(scope="module")
def chromium() -> str:
    """Return the Chromium to load the board with; skip without one, unless CI requires it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "chromium is not on PATH: the results board is not loaded"
        if os.environ.get("ZHIPING_REQUIRE_CHROMIUM") == "1":
            pytest.fail(f"{reason}, and ZHIPING_REQUIRE_CHROMIUM=1 requires it")
        pytest.skip(reason)
    return found


def dump_dom(chromium: str, url: str, profile: Path) -> str:
    """Return the DOM of the page once its scripts have run (in virtual time)."""
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            # Virtual time waits for the page's fetches; the budget is not wall time.
            "--virtual-time-budget=30000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class Page(HTMLParser):
    """What the tests read of the board: the village rows, links, chart bars and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.state: str | None = None
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.bars: dict[str, list[dict[str, str]]] = {}
        self.charts: dict[str, str] = {}
        self.headers: list[str] = []
        self._table: str | None = None
        self._chart: str | None = None
        self._cell: list[str] | None = None
        self._header: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "body":
            self.state = attributes.get("data-state")
        elif tag == "table" and attributes.get("id") == "villages":
            self._table = "villages"
        elif self._table and tag == "tr":
            self.rows.append([])
        elif self._table and tag in ("td", "th"):
            self._cell = []
            if self._in_head:
                self._header = []
        elif self._cell and tag == "li":
            self._cell.append("; ")  # list items read as "a; b"
        elif self._table and tag == "a":
            self.links.append(attributes.get("href", ""))
        elif tag == "svg":
            self._chart = attributes.get("id", "")
            self.charts[self._chart] = attributes.get("aria-label", "")
            self.bars[self._chart] = []
        elif tag == "rect" and self._chart and "bar" in attributes.get("class", "").split():
            self.bars[self._chart].append(attributes)
        if tag == "thead":
            self._in_head = True

    _in_head = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            if self._header is not None:
                self.headers.append(text)
                self._header = None
            else:
                self.rows[-1].append(text)
            self._cell = None
        elif tag == "svg":
            self._chart = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def board(chromium: str, server: str, profile: Path, lang: str) -> Page:
    page = Page()
    page.feed(dump_dom(chromium, f"{server}/?prefix={TOWNSHIP}&year={YEAR}&lang={lang}", profile))
    page.close()
    assert page.state == "ready", f"the board did not finish loading: data-state={page.state}"
    return page


@pytest.fixture(scope="module")
def board_zh(chromium: str, server: str, tmp_path_factory: pytest.TempPathFactory) -> Page:
    return board(chromium, server, tmp_path_factory.mktemp("chromium-zh"), "zh")


@pytest.fixture(scope="module")
def board_en(chromium: str, server: str, tmp_path_factory: pytest.TempPathFactory) -> Page:
    return board(chromium, server, tmp_path_factory.mktemp("chromium-en"), "en")


def counted(bars: list[dict[str, str]], key: str) -> dict[Any, int]:
    return {
        ((bar["data-row"], bar[key]) if key == "data-grade" else bar[key]): int(bar["data-count"])
        for bar in bars
    }


# What the board shows


def test_the_board_lists_the_townships_villages_of_the_year(board_zh: Page) -> None:
    body = board_zh.rows[1:]
    assert [row[1] for row in body] == SHOWN
    assert [row[0] for row in body] == ["管寨村", "李家湾村", "王家村", "陈家岗村"]
    assert [row[3].split("; ")[0] for row in body] == ["有效", "无效", "有效", "无效"]
    assert board_zh.headers == [
        *("村", "区划代码", "直评日期", "状态", "等次", "结果公示", "存证检查点")
    ]


def test_each_village_shows_its_grades_in_the_packs_words_and_its_void_rules(
    board_zh: Page,
) -> None:
    rows = {row[1]: row for row in board_zh.rows[1:]}
    assert rows["420117101201"][4] == "村级党组织: 优秀; c1: 优秀; c2: 优秀"
    assert rows["420117101203"][4] == "村级党组织: 称职; c1: 基本称职; c2: 不称职"
    assert rows["420117101202"][3] == "无效; quorum.party_members"
    assert rows["420117101202"][4] == "—"


def test_each_village_links_to_its_sheet_and_shows_the_sheets_checkpoint(
    board_zh: Page, store: tuple[Path, dict[str, str]]
) -> None:
    sessions = [f"{code}-{YEAR}" for code in SHOWN]
    assert board_zh.links == [f"/sessions/{session}/sheet" for session in sessions]
    checkpoints = store[1]
    assert [row[6] for row in board_zh.rows[1:]] == [checkpoints[s] for s in sessions]


def test_the_grades_chart_stacks_each_townships_grades_of_the_county(board_zh: Page) -> None:
    assert counted(board_zh.bars["grades-chart"], "data-grade") == GRADES_BY_TOWNSHIP
    assert board_zh.charts["grades-chart"] == (
        "各乡镇等次分布. 420117101: 优秀 3, 称职 1, 基本称职 1, 不称职 1; "
        "420117102: 优秀 2, 称职 0, 基本称职 0, 不称职 0"
    )


def test_the_void_chart_counts_the_void_sessions_by_rule(board_zh: Page) -> None:
    assert counted(board_zh.bars["void-chart"], "data-rule") == VOID_BY_CAUSE
    assert board_zh.charts["void-chart"].startswith(
        "无效直评的原因. quorum.party_members: 2; notice.period: 1."
    )


def test_the_english_board_has_english_labels_and_the_same_figures(board_en: Page) -> None:
    assert board_en.headers[:5] == ["Village", "Division code", "Held on", "Status", "Grades"]
    rows = {row[1]: row for row in board_en.rows[1:]}
    assert rows["420117101203"][4] == (
        "party organization: competent; c1: basically competent; c2: incompetent"
    )
    assert rows["420117101202"][3] == "void; quorum.party_members"
    assert counted(board_en.bars["grades-chart"], "data-grade") == GRADES_BY_TOWNSHIP
    assert counted(board_en.bars["void-chart"], "data-rule") == VOID_BY_CAUSE
    assert board_en.charts["grades-chart"].startswith("Grades by township. 420117101: excellent 3")


# What the board loads


def test_the_board_loads_nothing_from_another_site() -> None:
    """No URL but the SVG namespace: no CDN script, no web font, no remote stylesheet."""
    names = sorted(path.name for path in BOARD.iterdir())
    assert names == ["board.css", "board.js", "index.html"]
    for path in BOARD.iterdir():
        text = path.read_text(encoding="utf-8")
        urls = re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'`)]*", text)
        assert urls in ([], ["http://www.w3.org/2000/svg"]), path.name
        assert "@import" not in text, path.name
        assert "@font-face" not in text, path.name
