"""The checks of a pack's data that ``PackTests`` and ``pytest --zhiping-pack`` share."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhiping.packs.loading import load_pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.testing import PACK_CHECKS, PackUnsound, check_rules, check_sources, check_values

BUNDLED = discover(entry_points=False)

TOWN = """
[pack]
name = "yangluo"
title = { zh = "阳逻街道", en = "Yangluo street" }
prefix = "420117101"
parent = "xinzhou"
in_force_from = 2020-01-01

[rules."quorum.representatives"]
mechanism = "quorum_minimum"
assumed = true
note = "the rules require a quorum but not of whom"
"""


def town(tmp_path: Path, text: str) -> PackRegistry:
    path = tmp_path / "yangluo.toml"
    path.write_text(text, encoding="utf-8")
    return PackRegistry.of([*BUNDLED.packs.values(), load_pack(path)], BUNDLED.mechanisms.values())


def test_the_plugin_runs_the_three_checks_in_this_order() -> None:
    assert list(PACK_CHECKS) == ["values", "sources", "rules"]
    assert list(PACK_CHECKS.values()) == [check_values, check_sources, check_rules]


@pytest.mark.parametrize("pack", sorted(BUNDLED.packs))
@pytest.mark.parametrize("check", PACK_CHECKS)
def test_every_bundled_pack_passes_every_check(pack: str, check: str) -> None:
    PACK_CHECKS[check](pack, registry=BUNDLED)


def test_a_rule_assumed_with_a_note_is_sourced(tmp_path: Path) -> None:
    check_rules("yangluo", registry=town(tmp_path, TOWN))


def test_a_rule_with_no_basis_no_reason_and_no_mark_is_not(tmp_path: Path) -> None:
    registry = town(tmp_path, TOWN.replace("assumed = true\n", "").replace("note = ", "# "))
    with pytest.raises(PackUnsound) as raised:
        check_rules("yangluo", registry=registry)
    assert raised.value.check == "rules"
    assert raised.value.problems == (
        'rules."quorum.representatives": no basis, not disabled with a reason, '
        "not assumed with a note",
    )
    assert str(raised.value).startswith(f"pack yangluo ({tmp_path / 'yangluo.toml'}) fails")
