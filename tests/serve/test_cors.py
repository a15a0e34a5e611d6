"""Cross-origin browsers (CORS): ``zhiping serve --allow-origin ORIGIN``.

A township's web system served from its own origin calls the API from the browser; the
browser asks first (a preflight ``OPTIONS``) and reads an answer only if it names the
page's origin. None is allowed unless the command says so.
"""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from serve.support import WRITER, bearer, tokens_file
from zhiping.errors import InputError
from zhiping.serve._app import allowed_origin

TOWNSHIP = "https://xz.example.gov.cn"
OTHER = "https://elsewhere.example.com"

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type",
}


@pytest.fixture
def allowing(served_command, tmp_path):
    """A real ``zhiping serve`` allowing the township's origin and a developer's."""
    return served_command(
        "--store",
        str(tmp_path / "s.db"),
        "--tokens",
        str(tokens_file(tmp_path)),
        "--allow-origin",
        TOWNSHIP,
        "--allow-origin",
        "http://localhost:5173",
    )


def test_a_preflight_from_an_allowed_origin_allows_the_methods_and_headers(allowing):
    answer = httpx.options(f"{allowing}/sessions", headers={"Origin": TOWNSHIP} | PREFLIGHT)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == TOWNSHIP
    assert answer.headers["Access-Control-Allow-Methods"] == "GET, POST"
    allowed = {name.strip() for name in answer.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"Authorization", "Content-Type"} <= allowed
    assert "Access-Control-Allow-Credentials" not in answer.headers


def test_an_answer_to_an_allowed_origin_names_it_and_exposes_location_and_checkpoint(allowing):
    # Unauthorized, so nothing is recorded: CORS headers are on every answer, errors too.
    for answer in (
        httpx.get(f"{allowing}/packs", headers={"Origin": "http://localhost:5173"}),
        httpx.post(f"{allowing}/sessions", content=b"{}", headers={"Origin": TOWNSHIP}),
    ):
        assert answer.headers["Access-Control-Allow-Origin"] == answer.request.headers["Origin"]
        exposed = answer.headers["Access-Control-Expose-Headers"]
        assert exposed == "Location, X-Zhiping-Checkpoint"
        assert "Access-Control-Allow-Credentials" not in answer.headers


def test_another_origin_is_named_in_no_answer(allowing):
    preflight = httpx.options(f"{allowing}/sessions", headers={"Origin": OTHER} | PREFLIGHT)
    simple = httpx.get(f"{allowing}/packs", headers={"Origin": OTHER} | bearer(WRITER))
    assert preflight.status_code == 400  # Starlette's "Disallowed CORS origin"
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert simple.status_code == 200  # the server answers; the browser withholds it
    assert "Access-Control-Allow-Origin" not in simple.headers


def test_without_allow_origin_no_origin_is_allowed(served_command, tmp_path):
    base = served_command("--store", str(tmp_path / "s.db"))
    preflight = httpx.options(f"{base}/sessions", headers={"Origin": TOWNSHIP} | PREFLIGHT)
    simple = httpx.get(f"{base}/packs", headers={"Origin": TOWNSHIP})
    assert preflight.status_code == 405  # no CORS layer: OPTIONS is a method /sessions lacks
    assert not [name for name in preflight.headers if name.lower().startswith("access-control")]
    assert not [name for name in simple.headers if name.lower().startswith("access-control")]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://xz.example.gov.cn", "https://xz.example.gov.cn"),
        ("HTTPS://XZ.Example.gov.cn", "https://xz.example.gov.cn"),  # as a browser sends it
        ("https://xz.example.gov.cn:443", "https://xz.example.gov.cn"),  # the default port
        ("http://localhost:5173", "http://localhost:5173"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("https://xn--fiqs8s.example", "https://xn--fiqs8s.example"),
        ("*", "*"),
    ],
)
def test_an_origin_is_kept_as_a_browser_sends_it(given, kept):
    assert allowed_origin(given) == kept


@pytest.mark.parametrize(
    "given",
    [
        "https://xz.example.gov.cn/",  # a path, even "/", is no part of an origin
        "https://xz.example.gov.cn/board",
        "xz.example.gov.cn",
        "ftp://xz.example.gov.cn",
        "https://",
        "https://xz.example.gov.cn:0",
        "https://xz.example.gov.cn:65536",
        "https://user@xz.example.gov.cn",
        "https://新洲.example",  # IDNA's xn-- form is what a browser sends
        "https://*.example.gov.cn",
        "null",
        "",
    ],
)
def test_a_value_that_is_no_origin_is_an_input_error(given):
    with pytest.raises(InputError) as raised:
        allowed_origin(given)
    assert "scheme://host[:port]" in raised.value.problems[0].text.en


@pytest.mark.parametrize(("lang", "said"), [("en", "is not an origin"), ("zh", "不是来源")])
def test_a_bad_allow_origin_is_refused_before_the_server_starts(tmp_path, lang, said):
    arguments = ["--allow-origin", TOWNSHIP, "--allow-origin", "https://xz.example.gov.cn/"]
    done = subprocess.run(
        [sys.executable, "-m", "zhiping", "serve", *arguments, "--lang", lang],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("zhiping: --allow-origin")
    assert "'https://xz.example.gov.cn/'" in done.stderr
    assert said in done.stderr
    assert "Uvicorn running" not in done.stderr
    assert "Traceback" not in done.stderr
