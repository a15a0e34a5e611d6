"""The example pack ``examples/zhiping-yangluo``: pip-installed, found by its entry point.

The distribution is installed with pip into a directory of its own, and zhiping finds
it the way it finds any installed plugin: through the entry-point group ``zhiping`` of
the distributions on ``sys.path``, never by importing it by name. With the directory
off the path (as after ``pip uninstall``) the pack is gone. Expected outcomes are worked
out by hand from DESIGN §5 and the example's ``pack.toml``: representatives' quorum 20
instead of 30, pay coefficients 1.20 / 1.00 / 0.50 / 0.00 instead of 1.00 / 0.90 / 0.60 /
0.00, ``notice.reach`` disabled.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest

import zhiping
from pip_installed import discovered_with, pip_install
from zhiping.packs.registry import PackRegistry, discover
from zhiping.testing import PackTests, session_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "zhiping-yangluo"
MODULE = "zhiping_yangluo"
ORIGIN = "zhiping-yangluo 1.0.0"
YANGLUO_VILLAGE = "420117102201"
GUANZHAI_VILLAGE = "420117101201"  # 420117101: another township of Xinzhou
HELD_ON = date(2027, 1, 15)

BUNDLED = discover(entry_points=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a directory the example was pip-installed into, as into site-packages."""
    return pip_install(EXAMPLE, tmp_path_factory.mktemp("site-packages"))


@pytest.fixture(scope="module")
def installed(site: Path) -> PackRegistry:
    """Return the registry discovered with the installed example on ``sys.path``."""
    return discovered_with(site, MODULE)


def _uninstall(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()
    sys.modules.pop(MODULE, None)
    importlib.invalidate_caches()


def _document(village_code: str, **shape: Any) -> dict[str, Any]:
    return session_document(village_code=village_code, held_on=HELD_ON, **shape)


# What pip installs


def test_pip_installs_the_distribution_with_its_entry_point(site: Path) -> None:
    """The installed metadata names the distribution and its plugin in group zhiping."""
    (dist,) = importlib.metadata.distributions(path=[str(site)])
    assert (dist.metadata["Name"], dist.version) == ("zhiping-yangluo", "1.0.0")
    assert dist.requires == ["zhiping"]
    (entry_point,) = dist.entry_points.select(group="zhiping")
    assert (entry_point.name, entry_point.value) == ("yangluo", MODULE)
    assert (site / MODULE / "pack.toml").is_file()


def test_the_example_is_not_found_before_it_is_installed() -> None:
    """Without the installed directory on the path, only the bundled packs are there."""
    assert MODULE not in sys.modules
    assert "yangluo" not in discover().packs, "uninstall zhiping-yangluo to run these tests"


# Found through the entry point, in-process


def test_discover_finds_the_pack_with_its_origin(installed: PackRegistry, site: Path) -> None:
    """The pack comes from the installed copy, and its origin names the distribution."""
    pack = installed.packs["yangluo"]
    assert installed.origins["yangluo"] == ORIGIN
    assert (pack.prefix, pack.parent, pack.in_force_from) == (
        "420117102",
        "xinzhou",
        date(2025, 1, 1),
    )
    assert Path(pack.source).is_relative_to(site)
    assert installed.origins["xinzhou"] == "bundled"


class TestTheExamplePassesThePackLaws(PackTests):
    """The laws every pack must pass, on the example as pip installed it."""

    pack = "yangluo"
    village_code = YANGLUO_VILLAGE
    installed: ClassVar[PackRegistry]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _from_the_installed_registry(cls, installed: PackRegistry) -> None:
        cls.installed = installed

    def registry(self) -> PackRegistry:
        """Return the registry in which the example was found through its entry point."""
        return self.installed


def test_the_chain_of_a_yangluo_village_ends_in_yangluo(installed: PackRegistry) -> None:
    """420117102201 is governed by cn ► xinzhou ► yangluo; 420117101201 is not."""
    assert installed.chain(YANGLUO_VILLAGE, HELD_ON).names == ("cn", "xinzhou", "yangluo")
    assert installed.chain(GUANZHAI_VILLAGE, HELD_ON).names == ("cn", "xinzhou")


def test_the_pack_does_not_apply_before_it_is_in_force(installed: PackRegistry) -> None:
    """On 2024-12-31 the yangluo village is still governed by xinzhou alone."""
    assert installed.chain(YANGLUO_VILLAGE, date(2024, 12, 31)).names == ("cn", "xinzhou")


@pytest.mark.parametrize(
    ("present", "under_xinzhou", "under_yangluo"),
    [
        (19, "void", "void"),
        (20, "void", "valid"),
        (25, "void", "valid"),
        (29, "void", "valid"),
        (30, "valid", "valid"),
    ],
)
def test_the_representatives_quorum_is_20_for_yangluo_and_30_elsewhere(
    installed: PackRegistry, present: int, under_xinzhou: str, under_yangluo: str
) -> None:
    """The same ballots: the session's status follows the pack that governs the village."""
    yangluo = zhiping.evaluate(
        _document(YANGLUO_VILLAGE, representatives_present=present), registry=installed
    )
    guanzhai = zhiping.evaluate(
        _document(GUANZHAI_VILLAGE, representatives_present=present), registry=installed
    )
    assert yangluo.packs == ("cn", "xinzhou", "yangluo")
    assert guanzhai.packs == ("cn", "xinzhou")
    assert (guanzhai.status, yangluo.status) == (under_xinzhou, under_yangluo)
    for outcome, minimum in ((guanzhai, 30), (yangluo, 20)):
        quorum = [f for f in outcome.findings if f.rule == "quorum.representatives"]
        expected = [{"present": present, "minimum": minimum}] if present < minimum else []
        assert [f.facts for f in quorum] == expected


def test_a_void_xinzhou_session_is_valid_and_graded_under_yangluo(
    installed: PackRegistry,
) -> None:
    """25 representatives, every ballot satisfied: void in Guanzhai, excellent in Yangluo."""
    yangluo = zhiping.evaluate(
        _document(YANGLUO_VILLAGE, representatives_present=25), registry=installed
    )
    guanzhai = zhiping.evaluate(
        _document(GUANZHAI_VILLAGE, representatives_present=25), registry=installed
    )
    assert [(s.id, s.grade) for s in guanzhai.subjects] == [
        ("organization", None),
        ("c1", None),
        ("c2", None),
    ]
    assert [(s.id, s.grade) for s in yangluo.subjects] == [
        ("organization", "excellent"),
        ("c1", "excellent"),
        ("c2", "excellent"),
    ]
    # 10000.00 × 1.20 (yangluo's coefficient for excellent)
    assert [str(s.pay.amount) for s in yangluo.subjects if s.pay] == ["12000.00", "12000.00"]


# Organization excellent (54/60 satisfied, 10·54 ≥ 9·60); c1 excellent; c2 competent
# (3·6 ≤ 60, 10·40 < 9·60); c3 basically competent (3·25 > 60, 2·25 < 60).
GRADED_COUNTS: Mapping[str, Mapping[str, int]] = {
    "organization": {"satisfied": 54, "basically_satisfied": 6, "dissatisfied": 0},
    "c1": {"satisfied": 55, "basically_satisfied": 3, "dissatisfied": 2},
    "c2": {"satisfied": 40, "basically_satisfied": 14, "dissatisfied": 6},
    "c3": {"satisfied": 20, "basically_satisfied": 15, "dissatisfied": 25},
}


@pytest.mark.parametrize(
    ("village_code", "coefficients", "amounts"),
    [
        # 8333.33 × 1.00, × 0.90 = 7499.997, × 0.60 = 4999.998
        (GUANZHAI_VILLAGE, ["1.00", "0.90", "0.60"], ["8333.33", "7500.00", "5000.00"]),
        # 8333.33 × 1.20 = 9999.996, × 1.00, × 0.50 = 4166.665 (half-up to the fen)
        (YANGLUO_VILLAGE, ["1.20", "1.00", "0.50"], ["10000.00", "8333.33", "4166.67"]),
    ],
)
def test_pay_follows_the_coefficients_of_the_governing_pack(
    installed: PackRegistry, village_code: str, coefficients: list[str], amounts: list[str]
) -> None:
    """Same grades in both villages; yangluo's own coefficients set its cadres' pay."""
    document = _document(
        village_code,
        cadres=3,
        performance_pay="8333.33",
        counts={
            subject: {**words, "abstain": 0, "invalid": 0}
            for subject, words in GRADED_COUNTS.items()
        },
    )
    outcome = zhiping.evaluate(document, registry=installed)
    assert outcome.status == "valid"
    assert [s.grade for s in outcome.subjects] == [
        "excellent",
        "excellent",
        "competent",
        "basically_competent",
    ]
    pays = [s.pay for s in outcome.subjects[1:]]
    assert [str(p.coefficient) for p in pays if p] == coefficients
    assert [str(p.amount) for p in pays if p] == amounts


def test_yangluo_disables_the_reach_check_and_says_why(installed: PackRegistry) -> None:
    """240 of 248 households visited: a warning under xinzhou, a disabled rule under yangluo."""
    outcomes = {}
    for village_code in (GUANZHAI_VILLAGE, YANGLUO_VILLAGE):
        document = _document(village_code)
        document["reach"] = {"households_informed": 248, "households_visited": 240}
        outcomes[village_code] = zhiping.evaluate(document, registry=installed)
    guanzhai, yangluo = outcomes[GUANZHAI_VILLAGE], outcomes[YANGLUO_VILLAGE]
    assert [(f.rule, f.severity) for f in guanzhai.findings] == [("notice.reach", "warning")]
    assert yangluo.findings == ()
    (entry,) = [t for t in yangluo.trace if t.rule == "notice.reach"]
    assert (entry.pack, entry.result) == ("yangluo", "disabled")
    assert "signed household receipts" in entry.message.en


def test_other_villages_get_the_same_outcome_with_or_without_the_pack(
    installed: PackRegistry,
) -> None:
    """Installing yangluo changes nothing for 420117101201."""
    document = _document(GUANZHAI_VILLAGE, representatives_present=25)
    with_pack = zhiping.evaluate(document, registry=installed)
    without = zhiping.evaluate(document, registry=BUNDLED)
    assert with_pack.to_document() == without.to_document()


def test_the_pack_disappears_when_uninstalled(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With its directory off the path and its module forgotten, discover() has no yangluo."""
    monkeypatch.syspath_prepend(str(site))
    assert discover().origins.get("yangluo") == ORIGIN
    _uninstall(monkeypatch)
    registry = discover()
    assert "yangluo" not in registry.packs
    assert registry.chain(YANGLUO_VILLAGE, HELD_ON).names == ("cn", "xinzhou")


# As a person would: the command line, in a process of its own


def _environment(site: Path | None) -> dict[str, str]:
    environment = {**os.environ, "PYTHONUTF8": "1"}
    if site is not None:
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(site), os.environ.get("PYTHONPATH")])
        )
    return environment


def _zhiping(*arguments: str, site: Path | None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "zhiping", *arguments],
        capture_output=True,
        encoding="utf-8",
        env=_environment(site),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _row(listing: str, name: str) -> list[str]:
    rows = [line.split() for line in listing.splitlines() if line.split()[:1] == [name]]
    return rows[0] if rows else []


def test_zhiping_packs_lists_the_installed_pack_with_its_origin(site: Path) -> None:
    """``zhiping packs`` shows yangluo's prefix, parent and distribution."""
    row = _row(_zhiping("packs", "--lang", "en", site=site), "yangluo")
    assert row[-2:] == ["zhiping-yangluo", "1.0.0"]
    assert {"420117102", "xinzhou", "2025-01-01"} <= set(row)


def test_zhiping_packs_show_prints_the_chain_and_the_pack_values(site: Path) -> None:
    """``zhiping packs show yangluo`` names the chain, origin, and the values it sets."""
    shown = _zhiping("packs", "show", "yangluo", "--lang", "en", site=site)
    assert "chain: cn ► xinzhou ► yangluo" in shown
    assert f"origin: {ORIGIN}" in shown
    minimum = _row(shown, "quorum.representatives.minimum")
    assert {"20", "2025-01-01", "yangluo"} <= set(minimum)


def test_zhiping_packs_without_the_installed_directory_does_not_list_it() -> None:
    """As after ``pip uninstall``: the same command, without the directory, has no yangluo."""
    listing = _zhiping("packs", "--lang", "en", site=None)
    assert _row(listing, "xinzhou")
    assert not _row(listing, "yangluo")


@pytest.mark.parametrize(
    ("village_code", "with_pack", "packs", "status"),
    [
        (YANGLUO_VILLAGE, True, ["cn", "xinzhou", "yangluo"], "valid"),
        (GUANZHAI_VILLAGE, True, ["cn", "xinzhou"], "void"),
        (YANGLUO_VILLAGE, False, ["cn", "xinzhou"], "void"),
    ],
)
def test_zhiping_evaluate_applies_the_pack_to_its_prefix_only(
    site: Path,
    tmp_path: Path,
    village_code: str,
    with_pack: bool,
    packs: list[str],
    status: str,
) -> None:
    """25 representatives present: valid only where yangluo is installed and governs."""
    path = tmp_path / "session.json"
    document = _document(village_code, representatives_present=25)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    outcome = json.loads(
        _zhiping("evaluate", str(path), "--format", "json", site=site if with_pack else None)
    )
    assert (outcome["packs"], outcome["status"]) == (packs, status)
    quorum = [f["facts"] for f in outcome["findings"] if f["rule"] == "quorum.representatives"]
    assert quorum == ([] if status == "valid" else [{"present": 25, "minimum": 30}])
