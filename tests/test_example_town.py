"""The example town ``examples/zhiping-qingshan``: a pack in its own words, in data alone.

The distribution is pip-installed into a directory of its own and found through its
entry point, like any installed plugin; it holds a pack file and case files, no Python.
Its grades are 较好 / 一般 / 较差, its actions 诫免 / 暂停职务, its bonus fixed per month.
Expected values are worked by hand from its ``pack.toml`` (see its case files and the
example session ``qingshan-2026-q2.json``: c1 poor for the second quarter running, c2 fair).
"""

from __future__ import annotations

import csv
import importlib.metadata
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pip_installed import discovered_with, pip_install
from zhiping.packs.registry import PackRegistry
from zhiping.testing import LAWS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "zhiping-qingshan"
SESSION = EXAMPLE / "qingshan-2026-q2.json"
PACKAGE = "zhiping_qingshan"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory the example was pip-installed into, as into site-packages."""
    return pip_install(EXAMPLE, tmp_path_factory.mktemp("site-packages"))


@pytest.fixture(scope="module")
def installed(site: Path) -> PackRegistry:
    """Return the registry discovered with the installed example on ``sys.path``."""
    return discovered_with(site, PACKAGE)


def _run(
    site: Path, *command: str, cwd: Path | None = None, path: tuple[Path, ...] = ()
) -> subprocess.CompletedProcess[str]:
    importable = os.pathsep.join(map(str, (site, *path)))
    environment = {**os.environ, "PYTHONUTF8": "1", "PYTHONPATH": importable}
    environment.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_distribution_holds_no_python(site: Path) -> None:
    """The source and the installed package are data: a pack file and case files."""
    assert not list(EXAMPLE.rglob("*.py"))
    (dist,) = importlib.metadata.distributions(path=[str(site)])
    (entry_point,) = dist.entry_points.select(group="zhiping")
    assert (entry_point.name, entry_point.value) == ("qingshan", PACKAGE)
    installed = sorted(
        p.relative_to(site / PACKAGE).as_posix() for p in (site / PACKAGE).rglob("*")
    )
    assert installed == [
        "cases",
        "cases/grades-and-bonus.toml",
        "cases/just-below-each-line.toml",
        "cases/suspension-the-next-quarter.toml",
        "pack.toml",
    ]


def test_discover_reads_the_pack_file_of_a_package_without_hooks(
    installed: PackRegistry, site: Path
) -> None:
    pack = installed.packs["qingshan"]
    assert installed.origins["qingshan"] == "zhiping-qingshan 1.0.0"
    assert Path(pack.source).is_relative_to(site)
    vocabulary = installed.check_pack("qingshan").vocabulary
    assert vocabulary.grades == ("good", "fair", "poor")
    assert [vocabulary.name_of(g).zh for g in vocabulary.grades] == ["较好", "一般", "较差"]
    assert [vocabulary.name_of(a).zh for a in vocabulary.actions] == ["诫免", "暂停职务"]


def test_the_pack_passes_the_plugin_run_with_its_own_cases(site: Path, tmp_path: Path) -> None:
    """``pytest --zhiping-pack qingshan`` from an empty directory: checks, laws, cases.

    With a small hypothesis profile (10 examples a law), as in ``test_pytest_plugin``;
    the rule author's run uses the default profile.
    """
    (tmp_path / "fast_profile.py").write_text(
        "from hypothesis import settings\n"
        "settings.register_profile('fast', max_examples=10, deadline=None)\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    fast = ("-p", "fast_profile", "--hypothesis-profile=fast")
    options = ("-p", "no:cacheprovider", "-v", *fast, "--zhiping-pack", "qingshan")
    result = _run(site, "pytest", *options, cwd=empty, path=(tmp_path,))
    expected = 3 + len(LAWS) + 3
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{expected} passed" in result.stdout.splitlines()[-1]
    for case in ("grades-and-bonus", "just-below-each-line", "suspension-the-next-quarter"):
        assert f"qingshan::case::{case} PASSED" in result.stdout


def test_its_results_sheet_in_chinese_shows_its_own_words(site: Path) -> None:
    """c1: poor (较差), warned and suspended; c2: fair (一般); the organization good (较好)."""
    result = _run(site, "zhiping", "evaluate", str(SESSION), "--format", "html", "--lang", "zh")
    assert result.returncode == 0, result.stderr
    sheet = result.stdout
    for word in ("较好", "一般", "较差", "诫免", "暂停职务", "2026年第2季度"):
        assert word in sheet
    for glossary_word in ("优秀", "称职", "组织调整"):
        assert glossary_word not in sheet


def test_its_outcome_carries_ids_and_its_csv_its_labels_and_bonus(site: Path) -> None:
    outcome = json.loads(_run(site, "zhiping", "evaluate", str(SESSION), "--format", "json").stdout)
    grades = {s["id"]: s["grade"] for s in outcome["subjects"]}
    assert grades == {"organization": "good", "c1": "poor", "c2": "fair"}
    c1 = outcome["subjects"][1]
    assert sorted(a["kind"] for a in c1["actions"]) == ["suspension", "warning"]
    table = _run(site, "zhiping", "evaluate", str(SESSION), "--format", "csv", "--lang", "zh")
    rows = {row["subject_id"]: row for row in csv.DictReader(io.StringIO(table.stdout))}
    assert (rows["c1"]["grade_name"], rows["c1"]["action_names"]) == ("较差", "诫免、暂停职务")
    # 150.00 a month for fair, 3 months a quarter; 0.00 for poor.
    assert (rows["c2"]["pay_amount"], rows["c2"]["pay_figures"]) == ("450.00", "150.00 × 3")
    assert rows["c1"]["pay_amount"] == "0.00"


def test_the_schema_of_its_chain_lists_its_grades_and_actions(site: Path) -> None:
    result = _run(site, "zhiping", "schema", "outcome", "--pack", "qingshan")
    schema = json.loads(result.stdout)
    subject = schema["$defs"]["SubjectDocument"]["properties"]
    assert subject["grade"]["anyOf"][0]["enum"] == ["good", "fair", "poor"]
    assert schema["$defs"]["ActionDocument"]["properties"]["kind"]["enum"] == [
        "warning",
        "suspension",
    ]
    assert schema["$id"] == "urn:zhiping:outcome:1:qingshan"
