"""Every dated value of a chain is checked for its meaning when the chain is built."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhiping.errors import PackError
from zhiping.packs import Chain
from zhiping.packs.checking import vocabulary_of
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.rules import BUILTIN_MECHANISMS

INSTALLED = default_registry()


def township(parameters: dict[str, Any], *, since: date = date(2020, 1, 1)) -> Pack:
    data = {
        "pack": {
            "name": "testtown",
            "title": {"zh": "测试镇", "en": "Test town"},
            "prefix": "420117999",
            "parent": "xinzhou",
            "in_force_from": since,
        },
        "parameters": parameters,
    }
    return pack_from_data(data, source="testtown/pack.toml")


def sets(name: str, kind: str, value: Any, since: date = date(2020, 1, 1)) -> dict[str, Any]:
    return {
        name: {
            "kind": kind,
            "values": [{"from": since, "value": value, "assumed": True, "note": "test"}],
        }
    }


def registry_with(pack: Pack) -> PackRegistry:
    return PackRegistry.of([*INSTALLED.packs.values(), pack], BUILTIN_MECHANISMS)


def test_a_misspelt_grade_is_refused_when_the_registry_is_built() -> None:
    pack = township(sets("sanction.consecutive_incompetent.grade", "text", "incompetant"))
    with pytest.raises(PackError) as caught:
        registry_with(pack)
    message = str(caught.value)
    assert "testtown/pack.toml" in message
    assert (
        'parameters."sanction.consecutive_incompetent.grade".values[0].value = "incompetant"'
        in (message)
    )
    assert "规则包链等次表" in caught.value.zh


def test_a_sound_value_builds_and_its_chain_is_used() -> None:
    pack = township(sets("sanction.consecutive_incompetent.grade", "text", "incompetent"))
    chain = registry_with(pack).chain("420117999001", date(2026, 1, 15))
    assert chain.names == ("cn", "xinzhou", "testtown")


def test_a_pay_table_missing_a_grade_is_refused_at_chain_build_not_when_it_is_earned() -> None:
    table = {"excellent": "1.00", "competent": "0.90", "incompetent": "0.00"}
    pack = township(sets("pay.coefficient.coefficients", "table", table))
    with pytest.raises(PackError, match="no value for basically_competent"):
        registry_with(pack)


@pytest.mark.parametrize(
    ("since", "refused"), [(date(2020, 1, 1), False), (date(2020, 1, 2), True)]
)
def test_a_value_may_not_start_after_its_pack_comes_into_force(since: date, refused: bool) -> None:
    """From 2020-01-02, the town's own value would leave 2020-01-01 without any."""
    pack = township(sets("notice.period.days", "integer", 5, since))
    if refused:
        with pytest.raises(PackError, match=r"values\[0\]\.from = 2020-01-02"):
            registry_with(pack)
    else:
        registry_with(pack)


def test_the_ballot_words_are_those_of_the_chains_tally_scale() -> None:
    organic = INSTALLED.lineage("cn-organic-law")
    words = vocabulary_of(Chain(organic, date(2026, 1, 1)), INSTALLED.mechanisms).words
    assert words == ("competent", "basically_competent", "incompetent")
    xinzhou = INSTALLED.lineage("xinzhou")
    words = vocabulary_of(Chain(xinzhou, date(2026, 1, 1)), INSTALLED.mechanisms).words
    assert words == ("satisfied", "basically_satisfied", "dissatisfied")
