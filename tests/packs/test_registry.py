"""Pack precedence (DESIGN §4) and plugin collection, through the public registry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import zhiping
from zhiping import NoApplicableRule, PackConflict, PackError
from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.testing import as_cast, session_document

BUNDLED = discover(entry_points=False)
CN = BUNDLED.packs["cn"]
XINZHOU = BUNDLED.packs["xinzhou"]
MECHANISMS = tuple(BUNDLED.mechanisms.values())
HELD_ON = date(2027, 1, 15)

GUANZHAI_VILLAGE = "420117101201"
YANGLUO_VILLAGE = "420117101202"
SHAOHE_VILLAGE = "420117102203"
OTHER_XINZHOU_VILLAGE = "420117103204"


def township(
    name: str = "yangluo",
    *,
    prefix: str = "420117101",
    parent: str = "xinzhou",
    in_force_from: date = date(2020, 1, 1),
    in_force_until: date | None = None,
    rules: Mapping[str, Any] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Pack:
    """Return a township pack built the way a rule author writes one."""
    header: dict[str, Any] = {
        "name": name,
        "title": {"zh": f"{name}街道", "en": f"{name} street"},
        "prefix": prefix,
        "parent": parent,
        "in_force_from": in_force_from,
    }
    if in_force_until is not None:
        header["in_force_until"] = in_force_until
    data = {
        "pack": header,
        "references": {"rules": {"title": f"{name}街道直评村官实施细则"}},
        "rules": dict(rules or {}),
        "parameters": dict(parameters or {}),
    }
    return pack_from_data(data, source="test")


def representatives_minimum(value: int, *, since: date = date(2020, 1, 1)) -> dict[str, Any]:
    """Return the parameters of a pack that sets the representatives' quorum."""
    cited = {"from": since, "value": value, "reference": "rules", "article": "第三条"}
    return {"quorum.representatives.minimum": {"kind": "integer", "values": [cited]}}


def registry_of(*extra: Pack) -> PackRegistry:
    return PackRegistry.of([CN, XINZHOU, *extra], MECHANISMS)


def small_session(village_code: str, **numbers: Any) -> dict[str, Any]:
    """Return a session document with, unless told, 25 of 40 representatives present."""
    numbers = {"representatives": 40, "representatives_present": 25, **numbers}
    return session_document(village_code=village_code, **numbers)


def trace_of(outcome: zhiping.Outcome, rule: str) -> list[Any]:
    return [entry for entry in outcome.trace if entry.rule == rule]


class PackPlugin:
    """A plugin object that provides packs through the public hook."""

    def __init__(self, *packs: Pack) -> None:
        self.packs = packs

    @hookimpl
    def zhiping_packs(self) -> Iterable[Pack]:
        return list(self.packs)


YANGLUO = township(parameters=representatives_minimum(20))
SHAOHE = township(
    "shaohe",
    prefix="420117102",
    rules={"notice.reach": {"disabled": "以网格员走访代替入户动员"}},
)
GUANZHAI = township(
    "guanzhai",
    prefix=GUANZHAI_VILLAGE,
    parent="yangluo",
    parameters={
        "notice.period.days": {
            "kind": "integer",
            "values": [{"from": date(2020, 1, 1), "value": 5, "reference": "rules"}],
        }
    },
)
EXTRA_PACKS = (YANGLUO, SHAOHE, GUANZHAI)
VILLAGES = (GUANZHAI_VILLAGE, YANGLUO_VILLAGE, SHAOHE_VILLAGE, OTHER_XINZHOU_VILLAGE)


def reference_results(registry: PackRegistry) -> dict[str, tuple[Any, Any]]:
    results = {}
    for village in VILLAGES:
        chain = registry.chain(village, HELD_ON)
        outcome = zhiping.evaluate(small_session(village, notice_days=4), registry=registry)
        results[village] = (chain.names, outcome.to_document())
    return results


EXPECTED = reference_results(registry_of(*EXTRA_PACKS))


def test_the_reference_chains_run_from_the_root_to_the_most_specific_pack() -> None:
    chains = {village: names for village, (names, _) in EXPECTED.items()}
    assert chains == {
        GUANZHAI_VILLAGE: ("cn", "xinzhou", "yangluo", "guanzhai"),
        YANGLUO_VILLAGE: ("cn", "xinzhou", "yangluo"),
        SHAOHE_VILLAGE: ("cn", "xinzhou", "shaohe"),
        OTHER_XINZHOU_VILLAGE: ("cn", "xinzhou"),
    }
    statuses = {village: outcome["status"] for village, (_, outcome) in EXPECTED.items()}
    # Guanzhai's notice period (5 days) is not met by a 4-day notice; Yangluo's quorum of 20
    # representatives does not reach Shaohe, where Xinzhou's 30 applies.
    assert statuses == {
        GUANZHAI_VILLAGE: "void",
        YANGLUO_VILLAGE: "valid",
        SHAOHE_VILLAGE: "void",
        OTHER_XINZHOU_VILLAGE: "void",
    }


@given(packs=st.permutations([CN, XINZHOU, *EXTRA_PACKS]), mechanisms=st.permutations(MECHANISMS))
def test_registering_the_same_packs_in_any_order_gives_the_same_chains_and_outcomes(
    packs: list[Pack], mechanisms: list[Any]
) -> None:
    assert reference_results(PackRegistry.of(packs, mechanisms)) == EXPECTED


@given(order=st.permutations(EXTRA_PACKS), together=st.booleans())
def test_registering_plugins_in_any_order_gives_the_same_chains_and_outcomes(
    order: list[Pack], together: bool
) -> None:
    plugins = [PackPlugin(*order)] if together else [PackPlugin(pack) for pack in order]
    assert reference_results(discover(entry_points=False, plugins=plugins)) == EXPECTED


def test_a_township_parameter_wins_for_its_own_villages() -> None:
    outcome = zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=registry_of(YANGLUO))
    assert outcome.packs == ("cn", "xinzhou", "yangluo")
    assert outcome.status == "valid"
    [decision] = trace_of(outcome, "quorum.representatives")
    assert decision.pack == "xinzhou"
    assert decision.fulfilled is True
    [minimum] = [use for use in decision.parameters if use.name.endswith(".minimum")]
    assert (minimum.pack, minimum.value, minimum.citation.article) == ("yangluo", 20, "第三条")


def test_a_township_parameter_does_not_reach_the_villages_of_other_townships() -> None:
    outcome = zhiping.evaluate(small_session(SHAOHE_VILLAGE), registry=registry_of(YANGLUO))
    assert outcome.packs == ("cn", "xinzhou")
    assert outcome.status == "void"
    [finding] = outcome.findings_of("quorum.representatives")
    assert finding.facts == {"present": 25, "minimum": 30}
    [decision] = trace_of(outcome, "quorum.representatives")
    [minimum] = [use for use in decision.parameters if use.name.endswith(".minimum")]
    assert (minimum.pack, minimum.value) == ("xinzhou", 30)


def test_every_parameter_a_township_does_not_set_is_inherited_and_named_with_its_pack() -> None:
    outcome = zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=registry_of(YANGLUO))
    used = {use.name: use.pack for entry in outcome.trace for use in entry.parameters}
    expected = dict.fromkeys(CN.parameters, "cn")
    expected |= dict.fromkeys(XINZHOU.parameters, "xinzhou")
    expected["quorum.representatives.minimum"] = "yangluo"
    assert used == expected


def test_a_pack_that_disables_an_inherited_rule_stops_it_and_the_trace_says_who_and_why() -> None:
    document = small_session(SHAOHE_VILLAGE, representatives_present=30)
    document["reach"] = {"households_informed": 200, "households_visited": 100}
    registry = registry_of(SHAOHE)
    outcome = zhiping.evaluate(document, registry=registry)
    assert outcome.status == "valid"
    assert outcome.findings_of("notice.reach") == ()
    [decision] = trace_of(outcome, "notice.reach")
    assert (decision.pack, decision.result) == ("shaohe", "disabled")
    assert "shaohe" in decision.message.en
    assert "以网格员走访代替入户动员" in decision.message.en
    assert "以网格员走访代替入户动员" in decision.message.zh
    document["village"]["code"] = OTHER_XINZHOU_VILLAGE
    elsewhere = zhiping.evaluate(document, registry=registry)
    assert [f.severity for f in elsewhere.findings_of("notice.reach")] == ["warning"]


def test_two_packs_claiming_the_same_prefix_on_the_same_date_conflict_naming_both() -> None:
    registry = registry_of(YANGLUO, township("yangluo_new", in_force_from=date(2026, 6, 1)))
    with pytest.raises(PackConflict) as raised:
        zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=registry)
    assert "yangluo" in str(raised.value)
    assert "yangluo_new" in str(raised.value)
    assert registry.chain(SHAOHE_VILLAGE, HELD_ON).names == ("cn", "xinzhou")


def test_two_packs_for_the_same_prefix_do_not_conflict_when_their_dates_do_not_overlap() -> None:
    old = township("yangluo_old", in_force_until=date(2025, 12, 31))
    new = township("yangluo_new", in_force_from=date(2026, 1, 1))
    registry = registry_of(old, new)
    assert registry.chain(YANGLUO_VILLAGE, date(2025, 12, 31)).names[-1] == "yangluo_old"
    assert registry.chain(YANGLUO_VILLAGE, date(2026, 1, 1)).names[-1] == "yangluo_new"
    outcome = zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=registry)
    assert outcome.packs == ("cn", "xinzhou", "yangluo_new")


def test_two_packs_for_the_same_prefix_conflict_on_the_one_day_they_share() -> None:
    old = township("yangluo_old", in_force_until=date(2026, 1, 1))
    new = township("yangluo_new", in_force_from=date(2026, 1, 1))
    registry = registry_of(old, new)
    with pytest.raises(PackConflict, match="yangluo_new and yangluo_old") as raised:
        registry.chain(YANGLUO_VILLAGE, date(2026, 1, 1))
    assert raised.value.message("zh") == (
        "规则包 yangluo_new 和 yangluo_old 在 2026-01-01 都适用于区划代码前缀 '420117101'"
    )
    assert registry.chain(YANGLUO_VILLAGE, date(2026, 1, 2)).names[-1] == "yangluo_new"


def test_a_pack_whose_parent_is_missing_is_a_pack_error() -> None:
    orphan = township(parent="wuhan", prefix="420117101")
    with pytest.raises(PackError, match="wuhan"):
        registry_of(orphan)
    with pytest.raises(PackError, match="wuhan"):
        discover(entry_points=False, plugins=[PackPlugin(orphan)])


def test_a_chain_that_grades_nothing_raises_no_applicable_rule_naming_stage_and_village() -> None:
    with pytest.raises(NoApplicableRule) as raised:
        zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=PackRegistry.of([CN], MECHANISMS))
    assert "grade" in str(raised.value)
    assert YANGLUO_VILLAGE in str(raised.value)
    assert f"没有规则包为村 {YANGLUO_VILLAGE} 定义评定等次阶段" in raised.value.message("zh")


def test_a_pack_disabling_the_only_grading_rule_raises_no_applicable_rule() -> None:
    silent = township(rules={"grade.thresholds": {"disabled": "本街道暂不评定等次"}})
    with pytest.raises(NoApplicableRule, match="grade"):
        zhiping.evaluate(small_session(YANGLUO_VILLAGE), registry=registry_of(silent))


def test_a_parameter_whose_only_value_is_dated_after_its_pack_starts_is_refused_at_load() -> None:
    """In force from 2020, its only value from 2030: a 2026 session would have none."""
    later = township(parameters=representatives_minimum(20, since=date(2030, 1, 1)))
    with pytest.raises(PackError) as caught:
        registry_of(later)
    assert 'parameters."quorum.representatives.minimum".values[0].from = 2030-01-01' in str(
        caught.value
    )
    assert "2020-01-01" in str(caught.value)


def test_a_plugin_object_implementing_zhiping_packs_is_picked_up() -> None:
    registry = discover(entry_points=False, plugins=[PackPlugin(YANGLUO)])
    assert set(registry.names()) == {*BUNDLED.names(), "yangluo"}
    assert registry.origins["yangluo"] != "bundled"
    assert registry.chain(YANGLUO_VILLAGE, HELD_ON).names == ("cn", "xinzhou", "yangluo")
    assert set(registry.mechanisms) == set(BUNDLED.mechanisms)


class WrongSignature:
    @hookimpl
    def zhiping_packs(self, village_code: str) -> Iterable[Pack]:
        return [YANGLUO]


class MisspelledHook:
    @hookimpl
    def zhiping_pack(self) -> Iterable[Pack]:
        return [YANGLUO]


class NotPacks:
    @hookimpl
    def zhiping_packs(self) -> Iterable[Any]:
        return ["yangluo"]


@pytest.mark.parametrize(
    "plugin",
    [WrongSignature(), MisspelledHook(), NotPacks()],
    ids=["wrong signature", "misspelled hook", "not packs"],
)
def test_a_badly_implemented_hook_is_a_pack_error_not_a_raw_pluggy_error(plugin: object) -> None:
    with pytest.raises(PackError):
        discover(entry_points=False, plugins=[plugin])


def test_the_same_pack_provided_twice_is_a_pack_error() -> None:
    with pytest.raises(PackError, match="yangluo"):
        discover(entry_points=False, plugins=[PackPlugin(YANGLUO), PackPlugin(YANGLUO)])


# Every bundled pack, registered in any order: the same chains and the same outcomes.

BUNDLED_VILLAGES = {
    "420117101201": ("cn", "xinzhou"),
    "321202001001": ("cn", "taizhou"),
    "510115001001": ("cn", "wenjiang"),
    "511325001001": ("cn", "xichong"),
    "411024001001": ("cn", "yanling"),
}


def bundled_results(registry: PackRegistry) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for village in BUNDLED_VILLAGES:
        document = session_document(village_code=village)
        results[village] = zhiping.evaluate(document, registry=registry).to_document()
    # Under the statute's scale a 'satisfied' mark is invalid: counted ballots would be a
    # document error, cast ones are invalid votes.
    statute = as_cast(session_document())
    forced = zhiping.evaluate(statute, pack="cn-organic-law", registry=registry)
    results["cn-organic-law"] = forced.to_document()
    return results


BUNDLED_EXPECTED = bundled_results(BUNDLED)


def test_each_bundled_pack_governs_its_prefix() -> None:
    chains = {v: BUNDLED.chain(v, HELD_ON).names for v in BUNDLED_VILLAGES}
    assert chains == BUNDLED_VILLAGES
    assert BUNDLED_EXPECTED["cn-organic-law"]["packs"] == ["cn", "cn-organic-law"]


@given(
    packs=st.permutations(tuple(BUNDLED.packs.values())),
    mechanisms=st.permutations(MECHANISMS),
)
def test_registering_every_bundled_pack_in_any_order_changes_no_outcome(
    packs: list[Pack], mechanisms: list[Any]
) -> None:
    assert bundled_results(PackRegistry.of(packs, mechanisms)) == BUNDLED_EXPECTED


def test_disabling_a_rule_no_pack_above_defines_is_refused_when_the_registry_is_built() -> None:
    misspelt = township(rules={"notice.rech": {"disabled": "以网格员走访代替入户动员"}})
    with pytest.raises(PackError, match=r"pack yangluo.*disables rule notice\.rech"):
        registry_of(misspelt)


def test_an_unknown_hook_is_refused_naming_the_hook_and_the_plugin() -> None:
    with pytest.raises(PackError, match=r"unknown hook 'zhiping_pack' in plugin .*MisspelledHook"):
        discover(entry_points=False, plugins=[MisspelledHook()])


# An optional parameter: weighted_groups' min_group_size has a default (3), so a chain
# need not set it; a pack that sets it is checked like any other value.

XICHONG = BUNDLED.packs["xichong"]
XICHONG_VILLAGE = "511325001001"


def xichong_township(minimum: int) -> Pack:
    """A township under xichong that sets the least group whose rates are published."""
    cited = {"from": date(2020, 1, 1), "value": minimum, "reference": "rules", "article": "第七条"}
    return township(
        "xichong_town",
        prefix="511325001",
        parent="xichong",
        parameters={"score.groups.min_group_size": {"kind": "integer", "values": [cited]}},
    )


def two_resident_officers() -> dict[str, Any]:
    """A Xichong session: 3 villagers, 3 township officials, 2 resident officers, all
    satisfied with c1; R = 1."""
    document = session_document(village_code=XICHONG_VILLAGE, cadres=1)
    document["quarter"] = 1
    members = {"villagers": 3, "township_officials": 3, "resident_officers": 2}
    document["attendance"] = [
        {"person": f"v{i}", "as": ["villager"]} for i in range(members["villagers"])
    ] + [
        {"person": f"{group[0]}{i}", "as": ["invitee"], "invitee_kind": group[:-1]}
        for group in ("township_officials", "resident_officers")
        for i in range(members[group])
    ]
    document["ballots"] = {
        "issued": 8,
        "returned": 8,
        "group_counts": {g: {"c1": {"satisfied": n}} for g, n in members.items()},
    }
    return document


def test_a_chain_need_not_set_a_parameter_with_a_default() -> None:
    registry = PackRegistry.of([CN, XICHONG], MECHANISMS)
    assert not any("min_group_size" in name for name in XICHONG.parameters)
    registry.check_pack("xichong")
    outcome = zhiping.evaluate(two_resident_officers(), registry=registry)
    (entry,) = trace_of(outcome, "score.groups")
    assert entry.result == "withheld"  # 2 < 3, the default


def test_a_pack_may_set_a_parameter_with_a_default_and_its_value_is_used() -> None:
    registry = PackRegistry.of([CN, XICHONG, xichong_township(2)], MECHANISMS)
    registry.check_pack("xichong_town")
    outcome = zhiping.evaluate(two_resident_officers(), registry=registry)
    (entry,) = trace_of(outcome, "score.groups")
    assert entry.result == "1"
    (used,) = [use for use in entry.parameters if use.name == "score.groups.min_group_size"]
    assert (used.pack, used.value, used.assumed) == ("xichong_town", 2, False)


def test_a_parameter_with_a_default_is_still_checked_for_its_meaning() -> None:
    """Refused when the packs are collected, as every bad value is."""
    town = xichong_township(0)
    with pytest.raises(PackError, match=r"min_group_size.* = 0: must be at least 1"):
        PackRegistry.of([CN, XICHONG, town], MECHANISMS)


def test_the_registry_hands_out_one_chain_per_pack_and_date() -> None:
    """Every session of a pack and date shares one chain, and what it resolves."""
    registry = registry_of(*EXTRA_PACKS)
    chain = registry.chain(GUANZHAI_VILLAGE, HELD_ON)
    assert registry.chain(GUANZHAI_VILLAGE, HELD_ON) is chain
    assert registry.chain(YANGLUO_VILLAGE, HELD_ON) is not chain
    later = registry.chain(GUANZHAI_VILLAGE, date(HELD_ON.year + 1, 1, 15))
    assert later is not chain
    assert later.held_on == date(HELD_ON.year + 1, 1, 15)
    forced = registry.chain(OTHER_XINZHOU_VILLAGE, HELD_ON, pack="guanzhai")
    assert forced is chain  # the same pack on the same day: the same chain


def test_a_chain_resolves_each_parameter_once_and_a_missing_one_fails_every_time() -> None:
    chain = registry_of(*EXTRA_PACKS).chain(GUANZHAI_VILLAGE, HELD_ON)
    use = chain.parameter("notice.period.days")
    assert chain.parameter("notice.period.days") is use
    assert (use.pack, use.value) == ("guanzhai", 5)
    for _ in range(2):
        with pytest.raises(PackError, match=r"sets parameter no\.such\.parameter"):
            chain.parameter("no.such.parameter")
