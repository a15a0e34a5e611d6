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

The server is the real one: ``zhiping serve --store DB`` on a free localhost port (the
``served_command`` fixture of ``tests/serve/conftest.py``), one per test. A further test
pip-installs the example town ``examples/zhiping-qingshan``, which grades in its own
words, and serves its store with the town's pack importable.

Chromium is found as ``tests/outputs/test_results_sheet.py`` finds it: without it the
Chromium tests are skipped, unless ``ZHIPING_REQUIRE_CHROMIUM=1`` (as in CI), when they
fail.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest

from pip_installed import discovered_with, pip_install
from required_programs import required_program
from zhiping.store import Store
from zhiping.testing import session_document

# Long (a server and Chromium per test): a CI step of its own, pytest -m harness.
pytestmark = pytest.mark.harness

ROOT = Path(__file__).parents[2]
BOARD = ROOT / "src" / "zhiping" / "serve" / "board"
TOWN = ROOT / "examples" / "zhiping-qingshan"

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


# The real server


@pytest.fixture
def server(store: tuple[Path, dict[str, str]], served_command: Callable[..., str]) -> str:
    """Run ``zhiping serve --store DB`` on a free localhost port; return its base URL."""
    return served_command("--store", str(store[0]))


# Headless Chromium


@pytest.fixture(scope="module")
def chromium() -> str:
    """Return the Chromium to load the board with; skip without one, unless CI requires it."""
    return required_program(
        "chromium",
        "chromium-browser",
        purpose="the results board is not loaded",
        required_by="ZHIPING_REQUIRE_CHROMIUM",
    )


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
        self.status = ""
        self._in_status = False
        self._table: str | None = None
        self._chart: str | None = None
        self._cell: list[str] | None = None
        self._header: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "body":
            self.state = attributes.get("data-state")
        elif tag == "p" and attributes.get("id") == "status":
            self._in_status = True
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
        if tag == "p":
            self._in_status = False
        elif tag == "table":
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
        if self._in_status:
            self.status += data


def loaded(chromium: str, url: str, profile: Path) -> Page:
    page = Page()
    page.feed(dump_dom(chromium, url, profile))
    page.close()
    return page


def board(chromium: str, server: str, profile: Path, lang: str) -> Page:
    page = loaded(chromium, f"{server}/?prefix={TOWNSHIP}&year={YEAR}&lang={lang}", profile)
    assert page.state == "ready", f"the board did not load: {page.state}: {page.status}"
    return page


@pytest.fixture
def board_zh(chromium: str, server: str, tmp_path: Path) -> Page:
    return board(chromium, server, tmp_path / "chromium", "zh")


@pytest.fixture
def board_en(chromium: str, server: str, tmp_path: Path) -> Page:
    return board(chromium, server, tmp_path / "chromium", "en")


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
    board_zh: Page, server: str, store: tuple[Path, dict[str, str]]
) -> None:
    sessions = [f"{code}-{YEAR}" for code in SHOWN]
    assert board_zh.links == [f"/sessions/{session}/sheet" for session in sessions]
    checkpoints = [store[1][session] for session in sessions]
    assert [row[6] for row in board_zh.rows[1:]] == checkpoints
    for link, checkpoint in zip(board_zh.links, checkpoints, strict=True):
        sheet = httpx.get(f"{server}{link}", timeout=30)
        assert sheet.status_code == 200
        assert sheet.headers["X-Zhiping-Checkpoint"] == checkpoint
        assert checkpoint in sheet.text


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


# A town that grades in its own words


@pytest.fixture(scope="module")
def town_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """Record the example town's session (2026, quarter 2): its site, store and checkpoint.

    ``examples/zhiping-qingshan`` grades 较好 / 一般 / 较差 (good, fair, poor): poor if
    3d ≥ n, else good if 3s ≥ 2n, else fair. Of n = 60: the organization 40/15/5 (3d = 15,
    3s = 120 ≥ 120) is good; c1 20/20/20 (3d = 60 ≥ 60) poor; c2 30/20/10 (3d = 30,
    3s = 90 < 120) fair.
    """
    site = pip_install(TOWN, tmp_path_factory.mktemp("site-packages"))
    registry = discovered_with(site, "zhiping_qingshan")
    path = tmp_path_factory.mktemp("town") / "store.db"
    document = (TOWN / "qingshan-2026-q2.json").read_text(encoding="utf-8")
    with Store(path) as opened:
        checkpoint = str(opened.record(document, registry=registry).checkpoint)
    return site, path, checkpoint


def test_a_town_that_grades_in_its_own_words_is_shown_in_them(
    chromium: str,
    town_store: tuple[Path, Path, str],
    served_command: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    site, path, checkpoint = town_store
    importable = [str(site), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(importable))
    server = served_command("--store", str(path))
    url = f"{server}/?prefix=421122150&year=2026&lang=zh"
    page = loaded(chromium, url, tmp_path / "chromium")
    assert page.state == "ready", page.status
    assert page.rows[1:] == [
        [
            "青山镇示例村",
            "421122150001",
            "2026-07-10 (第2季度)",
            "有效",
            "村级党组织: 较好; c1: 较差; c2: 一般",
            "公示单",
            checkpoint,
        ]
    ]
    assert page.links == ["/sessions/421122150001-2026-q2/sheet"]
    assert counted(page.bars["grades-chart"], "data-grade") == {
        ("421122150", "good"): 1,
        ("421122150", "fair"): 1,
        ("421122150", "poor"): 1,
    }
    assert page.charts["grades-chart"] == "各乡镇等次分布. 421122150: 较好 1, 一般 1, 较差 1"


def test_a_refused_request_shows_the_servers_problem_in_the_boards_language(
    chromium: str, server: str, tmp_path: Path
) -> None:
    """The server refuses a year before 1949: the board says why, and shows no villages."""
    page = loaded(chromium, f"{server}/?prefix={TOWNSHIP}&year=1900&lang=en", tmp_path)
    assert page.state == "error"
    assert page.rows == []
    assert page.bars == {}
    assert page.status.startswith("Could not load: ")
    assert "year: " in page.status


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
