"""Which village a pack's generated sessions are for: its own, never another pack's."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

import zhiping
from zhiping.packs.registry import discover
from zhiping.testing import NEUTRAL_VILLAGE_CODE, PackProfile, pack_documents
from zhiping.testing.cases import pack_session_document

BUNDLED = discover(entry_points=False)


def test_a_pack_selected_by_name_with_no_prefix_gets_a_village_no_bundled_pack_governs() -> None:
    profile = PackProfile.of("cn-organic-law", registry=BUNDLED)
    assert profile.forced
    assert profile.village_code == NEUTRAL_VILLAGE_CODE == "110116101201"
    governing = [
        p.name
        for p in BUNDLED.packs.values()
        if p.prefix and NEUTRAL_VILLAGE_CODE.startswith(p.prefix)
    ]
    assert governing == []


def test_the_neutral_village_is_not_xinzhou_s() -> None:
    """Before, a statute's counterexamples were drawn for 420117101201, a Xinzhou village."""
    xinzhou = BUNDLED.packs["xinzhou"]
    assert not NEUTRAL_VILLAGE_CODE.startswith(xinzhou.prefix)
    by_code = BUNDLED.chain(NEUTRAL_VILLAGE_CODE, date(2027, 1, 15))
    assert by_code.names == ("cn",)  # by its code alone, only the root governs it


@pytest.mark.parametrize(
    ("pack", "code"),
    [("xinzhou", "420117000001"), ("taizhou", "321200000001"), ("cn", "420117101201")],
)
def test_a_pack_with_a_prefix_gets_a_village_under_it_and_the_root_keeps_its_own(
    pack: str, code: str
) -> None:
    """The root grades nothing: its sessions are for a village a child of it governs."""
    profile = PackProfile.of(pack, registry=BUNDLED)
    assert profile.village_code == code
    assert not profile.forced


def test_the_builder_and_the_strategy_use_the_neutral_village_and_the_pack_grades_it() -> None:
    document = pack_session_document("cn-organic-law", registry=BUNDLED, cadres=1)
    assert document["village"]["code"] == NEUTRAL_VILLAGE_CODE
    outcome = zhiping.evaluate(document, registry=BUNDLED, pack="cn-organic-law")
    assert outcome.packs == ("cn", "cn-organic-law")
    assert outcome.session.startswith(NEUTRAL_VILLAGE_CODE)


@settings(max_examples=5, deadline=None)
@given(pack_documents("cn-organic-law", registry=BUNDLED))
def test_every_drawn_session_of_a_name_only_pack_is_for_the_neutral_village(
    document: dict[str, object],
) -> None:
    village = document["village"]
    assert isinstance(village, dict)
    assert village["code"] == NEUTRAL_VILLAGE_CODE
