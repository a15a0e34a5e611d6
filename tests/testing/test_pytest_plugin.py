"""The pytest plugin: ``pytest --zhiping-pack NAME`` from any directory, and its fixtures.

Most tests run pytest in a process of its own, in an empty directory, as a rule author
would. A small hypothesis profile (10 examples a law), loaded by ``-p`` from a
directory outside the one under test, keeps every run to a few seconds.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhiping import _pytest_plugin as plugin
from zhiping.packs.registry import discover
from zhiping.testing import LAWS, PACK_CHECKS, PackTests
from zhiping.testing.cases import case_files

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "zhiping-yangluo"
BUNDLED = discover(entry_points=False)
PROFILE = "zhiping-fast"


@pytest.fixture(scope="module")
def profile_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory holding a pytest plugin that registers a fast hypothesis profile."""
    directory = tmp_path_factory.mktemp("profile")
    (directory / "zhiping_fast_profile.py").write_text(
        "from hypothesis import settings\n"
        f"settings.register_profile({PROFILE!r}, max_examples=10, deadline=None)\n",
        encoding="utf-8",
    )
    return directory


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """Return an empty directory: no test file, no conftest, no configuration."""
    directory = tmp_path / "empty"
    directory.mkdir()
    return directory


def run_pytest(
    cwd: Path, *arguments: str, path: tuple[Path, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pytest`` in ``cwd`` with the fast profile and ``path`` importable."""
    environment = {**os.environ, "PYTHONUTF8": "1"}
    environment.pop("PYTEST_ADDOPTS", None)
    environment["PYTHONPATH"] = os.pathsep.join(map(str, path))
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *arguments]
    return subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=300, check=False
    )


FAST = ("-p", "zhiping_fast_profile", f"--hypothesis-profile={PROFILE}")
"""Load the fast profile (its directory must be on the path)."""


# Acceptance: every bundled pack passes from an empty directory


@pytest.mark.harness  # long: a CI step of its own (pytest -m harness)
@pytest.mark.parametrize("pack", sorted(BUNDLED.packs))
def test_every_bundled_pack_passes_from_an_empty_directory(
    pack: str, empty: Path, profile_path: Path
) -> None:
    """Three checks, one test per law and one per case file, all passing, with only the option."""
    result = run_pytest(empty, *FAST, "--zhiping-pack", pack, path=(profile_path,))
    expected = 3 + len(LAWS) + len(case_files(pack, registry=BUNDLED))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"collected {expected} items" in result.stdout
    assert f"{expected} passed" in result.stdout.splitlines()[-1]


def test_the_items_are_named_after_the_pack_the_law_and_the_case_file(empty: Path) -> None:
    result = run_pytest(
        empty, "--collect-only", "-q", "--zhiping-pack", "xinzhou", "--zhiping-pack", "taizhou"
    )
    assert result.returncode == 0, result.stderr
    expected = [
        "xinzhou::check::values",
        "xinzhou::check::sources",
        "xinzhou::check::rules",
        *(f"xinzhou::law::{law}" for law in LAWS),
        "xinzhou::case::grades-and-pay",
        "xinzhou::case::quorum-party-members-short",
        "xinzhou::case::two-incompetent-years",
        "taizhou::check::values",
        "taizhou::check::sources",
        "taizhou::check::rules",
        *(f"taizhou::law::{law}" for law in LAWS),
        "taizhou::case::grades",
        "taizhou::case::one-ballot-more-than-villagers",
        "taizhou::case::party-members-are-villagers",
        "taizhou::case::tenure",
    ]
    assert result.stdout.splitlines()[: len(expected) + 1] == [*expected, ""]


def test_a_pack_named_twice_is_checked_once_and_k_selects_among_its_checks(empty: Path) -> None:
    result = run_pytest(
        empty, "--collect-only", "-q", "-k", "case", "--zhiping-pack", "xinzhou", "--zhiping-pack",
        "xinzhou",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    total = 3 + len(LAWS) + 3
    assert f"3/{total} tests collected ({total - 3} deselected)" in result.stdout


def test_an_unknown_pack_is_a_usage_error_listing_the_installed_packs(empty: Path) -> None:
    result = run_pytest(empty, "--zhiping-pack", "nowhere", "--zhiping-pack", "xinzhou")
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.strip() == (
        "ERROR: --zhiping-pack: no pack named nowhere is installed; installed packs: "
        "cn, cn-organic-law, taizhou, wenjiang, xichong, xinzhou, yanling"
    )


def test_without_the_option_the_plugin_adds_nothing(empty: Path) -> None:
    result = run_pytest(empty)
    assert result.returncode == pytest.ExitCode.NO_TESTS_COLLECTED
    assert "collected 0 items" in result.stdout


def test_the_plugin_module_imports_no_hypothesis() -> None:
    """Registered in every pytest run, it must cost nothing until a pack is asked for."""
    code = "import sys, zhiping._pytest_plugin; print(sorted(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    modules = ast.literal_eval(result.stdout)
    assert "hypothesis" not in modules
    assert "zhiping.testing" not in modules


# Failures read as messages: the file, the subject, expected and got


BADTOWN_PACK = """
[pack]
name = "badtown"
title = { zh = "示例镇", en = "Badtown" }
prefix = "420117199"
parent = "xinzhou"
in_force_from = 2025-01-01

# Pays an excellent cadre less than a competent one: breaks the law pay_order.
[parameters."pay.coefficient.coefficients"]
kind = "table"

[[parameters."pay.coefficient.coefficients".values]]
from = 2025-01-01
assumed = true
note = "wrong on purpose"

[parameters."pay.coefficient.coefficients".values.value]
excellent = "0.50"
competent = "0.90"
basically_competent = "0.60"
incompetent = "0.00"
"""

BADTOWN_CASES = {
    "holds.toml": '[case]\nname = "every ballot satisfied"\n[expect]\nstatus = "valid"\n',
    "wrong.toml": (
        '[case]\nname = "expects the wrong grade"\n'
        '[expect]\nstatus = "valid"\ngrades = { c1 = "incompetent", c2 = "excellent" }\n'
    ),
    "broken.toml": '[case]\nname = "a grade no scale has"\n[expect]\ngrades = { c1 = "superb" }\n',
}


@pytest.fixture(scope="module")
def badtown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a site directory where the pack ``badtown`` is installed, with its cases.

    A ``*.dist-info`` directory with an ``entry_points.txt`` is all that
    ``importlib.metadata`` needs to find the plugin, as pip would have left it.
    """
    site = tmp_path_factory.mktemp("site-packages")
    package = site / "zhiping_badtown"
    (package / "cases").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from zhiping.packs.loading import pack_plugin\n\nzhiping_packs = pack_plugin(__name__)\n",
        encoding="utf-8",
    )
    (package / "pack.toml").write_text(BADTOWN_PACK, encoding="utf-8")
    for name, text in BADTOWN_CASES.items():
        (package / "cases" / name).write_text(text, encoding="utf-8")
    info = site / "zhiping_badtown-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zhiping-badtown\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[zhiping]\nbadtown = zhiping_badtown\n")
    return site


def test_a_case_not_met_or_broken_fails_with_its_file_and_subject(
    badtown: Path, empty: Path
) -> None:
    result = run_pytest(empty, "--zhiping-pack", "badtown", "-k", "case", path=(badtown,))
    output = result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, output + result.stderr
    assert f" 2 failed, 1 passed, {3 + len(LAWS)} deselected in " in output.splitlines()[-1]
    wrong, broken = badtown / "zhiping_badtown" / "cases" / "wrong.toml", "broken.toml"
    assert f"{wrong}: case 'expects the wrong grade' under pack badtown: 1 expectation" in output
    assert "  c1 grade: expected incompetent, got excellent\n" in output
    assert "  c1: grade excellent, pay 5000.00, actions none\n" in output
    assert f"{broken}: expect.grades.c1: 'superb' is not a word of the pack's chain" in output
    assert "Traceback" not in output
    assert "def runtest" not in output


def test_a_broken_law_fails_with_the_law_and_a_counterexample(badtown: Path, empty: Path) -> None:
    result = run_pytest(empty, "--zhiping-pack", "badtown", "-k", "pay_order", path=(badtown,))
    output = result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, output + result.stderr
    assert "pack badtown breaks the law 'pay_order': pay.coefficient.coefficients from " in output
    assert "competent is paid 0.90, more than excellent (0.50)" in output
    assert "def runtest" not in output


UNSOURCED_PACK = """
[pack]
name = "unsourced"
title = { zh = "无据镇", en = "Unsourced" }
prefix = "420117198"
parent = "xinzhou"
in_force_from = 2025-01-01

[references.report]
title = "a report"

[rules."quorum.party_members"]
mechanism = "quorum_share"

[parameters."pay.coefficient.coefficients"]
kind = "table"

[[parameters."pay.coefficient.coefficients".values]]
from = 2025-01-01
reference = "report"
value = { excellent = "1.00", competent = "0.90", basically_competent = "0.60", incompetent = "0" }

[[parameters."pay.coefficient.coefficients".values]]
from = 2026-01-01
assumed = true
value = { excellent = "1.00", competent = "0.80", basically_competent = "0.60", incompetent = "0" }
"""


UNSOURCED_PLUGIN = """
from importlib.resources import files

import attrs

from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.loading import load_pack


@hookimpl
def zhiping_packs():
    pack = load_pack(files(__name__) / "pack.toml")
    name = "pay.coefficient.coefficients"
    first, *rest = pack.parameters[name].values
    uncited = (attrs.evolve(first, citation=None), *rest)
    parameter = attrs.evolve(pack.parameters[name], values=uncited)
    return [attrs.evolve(pack, parameters={**pack.parameters, name: parameter})]
"""


@pytest.fixture(scope="module")
def unsourced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a site directory where ``unsourced`` is installed: a rule and values unsourced.

    A pack file cannot leave a value both uncited and unassumed (loading refuses it), but
    a pack built in Python can: the plugin drops the first value's citation.
    """
    site = tmp_path_factory.mktemp("site-unsourced")
    package = site / "zhiping_unsourced"
    package.mkdir()
    (package / "__init__.py").write_text(UNSOURCED_PLUGIN, encoding="utf-8")
    (package / "pack.toml").write_text(UNSOURCED_PACK, encoding="utf-8")
    info = site / "zhiping_unsourced-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: zhiping-unsourced\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[zhiping]\nunsourced = zhiping_unsourced\n")
    return site


def test_an_uncited_unassumed_value_and_an_unsourced_rule_fail_their_checks(
    unsourced: Path, empty: Path
) -> None:
    """``check::sources`` names each value at fault, ``check::rules`` each rule; no traceback."""
    result = run_pytest(empty, "--zhiping-pack", "unsourced", "-k", "check", path=(unsourced,))
    output = result.stdout
    assert result.returncode == pytest.ExitCode.TESTS_FAILED, output + result.stderr
    assert " 2 failed, 1 passed, " in output.splitlines()[-1]
    pack_file = unsourced / "zhiping_unsourced" / "pack.toml"
    key = 'parameters."pay.coefficient.coefficients"'
    assert (
        f"pack unsourced ({pack_file}) fails the check 'sources':\n"
        f"  {key}.values[0] (from 2025-01-01): neither cited (reference) nor assumed\n"
        f"  {key}.values[1] (from 2026-01-01): assumed without a note saying why\n"
    ) in output
    assert (
        f"pack unsourced ({pack_file}) fails the check 'rules':\n"
        '  rules."quorum.party_members": no basis, not disabled with a reason, not assumed with '
        "a note\n"
    ) in output
    assert "Traceback" not in output
    assert "def runtest" not in output


# The example external pack: its own tests use only the kit


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory the example pack was pip-installed into."""
    target = tmp_path_factory.mktemp("example-site")
    command = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet"]
    command += ["--disable-pip-version-check", "--no-input", "--target", str(target), str(EXAMPLE)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        pytest.fail(f"pip could not install {EXAMPLE}:\n{result.stdout}\n{result.stderr}")
    return target


def test_the_example_pack_passes_its_tests_and_the_plugin(
    example_site: Path, profile_path: Path, tmp_path: Path
) -> None:
    """Installed, the example passes its own tests and ``--zhiping-pack yangluo``."""
    ini = tmp_path / "pytest.ini"
    ini.write_text("[pytest]\n", encoding="utf-8")
    tests = EXAMPLE / "tests"
    result = run_pytest(
        tmp_path, *FAST, "-c", str(ini), "--zhiping-pack", "yangluo", str(tests),
        path=(example_site, profile_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    cases = len(list((EXAMPLE / "src" / "zhiping_yangluo" / "cases").glob("*.toml")))
    own = 5  # test_yangluo_asks_for_20_representatives × 3, and two more
    pack_tests = len(LAWS) + sum(name.startswith("test_") for name in vars(PackTests))
    expected = (len(PACK_CHECKS) + len(LAWS) + cases) + (pack_tests + cases + own)
    assert f"{expected} passed" in result.stdout.splitlines()[-1]


def test_the_example_tests_import_only_the_kit() -> None:
    """Nothing of zhiping but its public surface and zhiping.testing, nor the pack itself."""
    tree = ast.parse((EXAMPLE / "tests" / "test_yangluo.py").read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert {name for name in imported if name and name.startswith("zhiping")} <= {
        "zhiping",
        "zhiping.testing",
        "zhiping.testing.cases",
    }


# The fixtures for a pack author's own tests


def test_the_fixtures_serve_an_author_s_own_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_own="""
        def test_builder(zhiping_session_document):
            assert zhiping_session_document()["village"]["code"] == "420117101201"
            taizhou = zhiping_session_document(pack="taizhou", cadres=1)
            assert taizhou["village"]["code"].startswith("3212")
            assert len(taizhou["cadres"]) == 1

        def test_registry(zhiping_registry):
            assert "xinzhou" in zhiping_registry.packs

        def test_profile(zhiping_pack, zhiping_pack_profile):
            assert zhiping_pack_profile.pack == zhiping_pack
        """
    )
    given = pytester.runpytest(
        "--zhiping-pack", "taizhou", "--zhiping-pack", "yanling", "-k", "not law", "-v"
    )
    given.assert_outcomes(passed=4 + 3 + 4 + 2 * 3, deselected=2 * len(LAWS))
    given.stdout.fnmatch_lines(["*test_profile?taizhou? PASSED*", "*test_profile?yanling? PASSED*"])
    without = pytester.runpytest("-rs")
    without.assert_outcomes(passed=2, skipped=1)
    without.stdout.fnmatch_lines(["*no --zhiping-pack given*"])


def test_every_fixture_and_the_option_are_documented() -> None:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    fixtures = [name for name in plugin.__all__ if name.startswith("zhiping_")]
    assert len(fixtures) == 4
    for name in [*fixtures, "--zhiping-pack"]:
        assert f"`{name}`" in text, name


@pytest.mark.parametrize("law", LAWS)
def test_every_law_the_plugin_runs_is_documented_with_its_summary(law: str) -> None:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    assert f"| `{law}` | {LAWS[law].summary} |" in text
