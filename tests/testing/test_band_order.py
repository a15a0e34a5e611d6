"""The static law ``band_order``: read from the pack's parameters, at once, no documents drawn."""

from __future__ import annotations

import time
from datetime import date

import pytest

from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.testing import LAWS, LawBroken, check_law

BUNDLED = discover(entry_points=False)
SINCE = date(2005, 1, 1)


def wenjiang_town(bands: dict[str, str], otherwise: str) -> Pack:
    """Return a Wenjiang township that sets its own score bands and the grade below them."""
    note = {"assumed": True, "note": "test"}
    data = {
        "pack": {
            "name": "bandtown",
            "title": {"zh": "分数线镇", "en": "Band town"},
            "prefix": "510115999",
            "parent": "wenjiang",
            "in_force_from": SINCE,
        },
        "parameters": {
            "grade.bands.bands": {
                "kind": "table",
                "values": [{"from": SINCE, "value": bands, **note}],
            },
            "grade.bands.otherwise": {
                "kind": "text",
                "values": [{"from": SINCE, "value": otherwise, **note}],
            },
        },
    }
    return pack_from_data(data, source="test: bandtown")


def with_town(pack: Pack) -> PackRegistry:
    return PackRegistry.of([*BUNDLED.packs.values(), pack], BUNDLED.mechanisms.values())


def test_band_order_is_a_static_law() -> None:
    assert LAWS["band_order"].static is not None
    assert LAWS["band_order"].check is None


@pytest.mark.parametrize("pack", ["wenjiang", "xinzhou", "taizhou"])
def test_bundled_packs_keep_band_order_and_the_law_runs_at_once(pack: str) -> None:
    started = time.monotonic()
    check_law("band_order", pack, registry=BUNDLED)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("otherwise", "broken"),
    [("incompetent", False), ("basically_competent", False), ("competent", True)],
)
def test_the_grade_below_every_band_is_worse_than_the_lowest_band(
    otherwise: str, broken: bool
) -> None:
    """Bands for excellent (90) and competent (80): below 80 cannot be competent again."""
    registry = with_town(wenjiang_town({"excellent": "90", "competent": "80"}, otherwise))
    if not broken:
        check_law("band_order", "bandtown", registry=registry)
        return
    with pytest.raises(LawBroken) as caught:
        check_law("band_order", "bandtown", registry=registry)
    message = str(caught.value)
    assert "breaks the law 'band_order'" in message
    assert "grade.bands.bands from 2005-01-01" in message
    assert '"otherwise": "competent"' in message


def test_bands_in_reverse_order_never_reach_the_law_they_are_refused_at_load() -> None:
    reversed_bands = {"excellent": "70", "competent": "80", "basically_competent": "90"}
    with pytest.raises(Exception, match="bands rank with grades"):
        with_town(wenjiang_town(reversed_bands, "incompetent"))


def test_a_law_given_a_pack_without_bands_holds() -> None:
    """Xichong grades by shares, not bands: nothing to check."""
    check_law("band_order", "xichong", registry=BUNDLED)
