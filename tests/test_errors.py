"""Every error zhiping raises says what is wrong in Chinese and in English.

``str(error)`` stays the English; ``error.message(lang)`` and ``problem.describe(lang)``
give either. (``conftest.py`` also checks every error any test makes for its Chinese.)
"""

from __future__ import annotations

import copy
import pickle
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic_core import ErrorDetails, PydanticKnownError

import zhiping
from zhiping import (
    InputError,
    NoApplicableRule,
    PackConflict,
    PackError,
    Problem,
    SessionConflict,
    StoreError,
    TamperDetected,
    ZhipingError,
    parse_history,
    parse_session,
)
from zhiping.documents._validation import FALLBACK_ZH, TEMPLATES, Invalid, texts_of
from zhiping.documents.session import Session
from zhiping.engine import evaluate_chain
from zhiping.errors import escape_controls, json_path
from zhiping.glossary import Text
from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.loading import load_pack, pack_from_data
from zhiping.packs.model import Chain, Pack
from zhiping.packs.registry import PackRegistry, default_registry, discover
from zhiping.rules import RuleContext, RuleDefinition
from zhiping.rules import mechanism as mechanism_of
from zhiping.store import Store
from zhiping.testing import PackProfile, invalid_documents, session_document
from zhiping.testing.cases import load_case, pack_session_document

GRADING_PACKS = [name for name in default_registry().names() if name != "cn"]
HAN = re.compile(r"[\u4e00-\u9fff]")
FALLBACK = FALLBACK_ZH.split("{en}")[0]


def chinese(text: str) -> bool:
    """Return whether a text is Chinese: it has a Chinese character and is not the fallback."""
    return bool(HAN.search(text)) and FALLBACK not in text


# The shape of the API


def test_a_problem_describes_itself_in_either_language_with_its_path_untranslated() -> None:
    problem = Problem("cadres[2].id", Text(zh="村干部 id 'c1' 重复", en="repeated cadre id 'c1'"))
    assert problem.describe("zh") == "cadres[2].id: 村干部 id 'c1' 重复"
    assert problem.describe("en") == "cadres[2].id: repeated cadre id 'c1'"
    assert str(problem) == "cadres[2].id: repeated cadre id 'c1'"


def test_a_problem_of_the_whole_document_is_its_message_alone() -> None:
    problem = Problem("", Text(zh="不是 JSON", en="not JSON"))
    assert problem.describe("zh") == "不是 JSON"
    assert str(problem) == "not JSON"


def test_a_problem_needs_its_chinese() -> None:
    with pytest.raises(TypeError):
        Problem("year", Text(en="must be at most 9999"))  # type: ignore[call-arg]


def test_a_problem_takes_its_message_as_one_text_not_as_two_strings() -> None:
    with pytest.raises(TypeError):
        Problem("year", "must be at most 9999", "应不大于9999")  # type: ignore[call-arg, arg-type]
    with pytest.raises(TypeError):
        Problem("year", "must be at most 9999")  # type: ignore[arg-type]


def test_a_problem_still_reads_as_english_message_and_chinese_zh() -> None:
    problem = Problem("year", Text(zh="应不大于9999", en="must be at most 9999"))
    assert (problem.message, problem.zh) == ("must be at most 9999", "应不大于9999")
    assert problem.at("cadres[0].year") == Problem("cadres[0].year", problem.text)


def test_an_unknown_language_is_refused_not_answered_in_english() -> None:
    with pytest.raises(ValueError, match="lang"):
        Problem("year", Text(zh="不对", en="wrong")).describe("fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lang"):
        PackError("wrong", zh="不对").message("cn")  # type: ignore[arg-type]


ERRORS = [
    ZhipingError,
    PackError,
    PackConflict,
    NoApplicableRule,
    StoreError,
    TamperDetected,
    SessionConflict,
]


@pytest.mark.parametrize("kind", ERRORS)
def test_each_error_gives_its_message_in_either_language_and_stays_english_as_text(
    kind: type[ZhipingError],
) -> None:
    error = kind("no pack named 'nowhere'", zh="没有名为 'nowhere' 的规则包")
    assert str(error) == "no pack named 'nowhere'"
    assert error.message("en") == "no pack named 'nowhere'"
    assert error.message("zh") == "没有名为 'nowhere' 的规则包"
    assert error.zh == "没有名为 'nowhere' 的规则包"


def test_an_error_needs_its_chinese() -> None:
    with pytest.raises(TypeError):
        PackError("no pack named 'nowhere'")  # type: ignore[call-arg]


PROBLEMS = (
    Problem("year", Text(zh="应不大于9999", en="must be at most 9999")),
    Problem("", Text(zh="不是 JSON", en="not JSON")),
)


def test_an_input_error_counts_its_problems_then_lists_them_in_the_language_asked() -> None:
    error = InputError(PROBLEMS, source="village.json")
    assert error.message("zh") == "village.json: 共2处问题:\n  year: 应不大于9999\n  不是 JSON"
    assert (
        error.message("en") == "village.json: 2 problems:\n  year: must be at most 9999\n  not JSON"
    )
    assert str(error) == error.message("en")
    assert InputError(PROBLEMS[:1]).message("zh") == "共1处问题:\n  year: 应不大于9999"


def test_an_input_error_moved_or_named_keeps_its_chinese() -> None:
    error = InputError(PROBLEMS).prefixed("sessions[3]").with_source("district.jsonl")
    assert [p.describe("zh") for p in error.problems] == [
        "sessions[3].year: 应不大于9999",
        "sessions[3]: 不是 JSON",
    ]
    assert error.message("zh").startswith("district.jsonl: 共2处问题:")


@pytest.mark.parametrize(
    "error",
    [
        PackConflict("packs a and b both claim", zh="规则包 a 和 b 都适用"),
        TamperDetected("event 3 is missing", zh="第3个事件缺失"),
        InputError(PROBLEMS, source="village.json"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_error_crosses_to_another_process_whole(error: ZhipingError) -> None:
    """evaluate_many sends a worker's errors back pickled: both languages must survive."""
    copied = pickle.loads(pickle.dumps(error))
    assert type(copied) is type(error)
    assert str(copied) == str(error)
    assert copied.message("zh") == error.message("zh")
    assert copied.__dict__ == error.__dict__


def test_a_validators_bilingual_value_error_crosses_to_another_process_whole() -> None:
    copied = pickle.loads(
        pickle.dumps(Invalid(Text(zh="分数不能超过100", en="a score is at most 100")))
    )
    assert copied.text.zh == "分数不能超过100"
    assert str(copied) == "a score is at most 100"


# pydantic's errors, worded per type

SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "string_too_short": {"min_length": 3},
    "string_too_long": {"max_length": 64},
    "string_pattern_mismatch": {"pattern": "^[0-9]{12}$"},
    "greater_than_equal": {"ge": 1949},
    "greater_than": {"gt": 0},
    "less_than_equal": {"le": 9999},
    "less_than": {"lt": 5},
    "multiple_of": {"multiple_of": 2},
    "literal_error": {"expected": "'on_site', 'later' or 'no'"},
    "too_short": {"field_type": "Tuple", "min_length": 2, "actual_length": 0},
    "too_long": {"field_type": "List", "max_length": 3, "actual_length": 4},
    "date_parsing": {"error": "year 0 is out of range"},
    "date_from_datetime_parsing": {"error": "day value is outside expected range"},
    "decimal_max_digits": {"max_digits": 14},
    "decimal_max_places": {"decimal_places": 2},
    "decimal_whole_digits": {"whole_digits": 12},
    "union_tag_invalid": {"discriminator": "'kind'", "tag": "x", "expected_tags": "'a', 'b'"},
    "union_tag_not_found": {"discriminator": "'kind'"},
    "json_invalid": {"error": "EOF while parsing a value at line 1 column 0"},
    "model_type": {"class_name": "Village"},
    "mapping_type": {"error": "keys() failed"},
}


def details(kind: str, context: dict[str, Any] | None = None) -> ErrorDetails:
    """Return an error as pydantic reports it, checked by pydantic to be one it knows."""
    known = PydanticKnownError(kind, context)  # type: ignore[arg-type]
    found: ErrorDetails = {"type": kind, "loc": ("x",), "msg": known.message(), "input": None}
    if context:
        found["ctx"] = context
    return found


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_worded_pydantic_error_type_reads_in_chinese_and_english(kind: str) -> None:
    text = texts_of(details(kind, SAMPLE_CONTEXTS.get(kind)))
    assert chinese(text.zh)
    assert text.en
    assert not text.en.startswith("Input should")


@pytest.mark.parametrize(
    ("kind", "context", "zh", "en"),
    [
        ("greater_than_equal", {"ge": 0}, "不能为负数", "must not be negative"),
        ("greater_than_equal", {"ge": 1949}, "应不小于1949", "must be at least 1949"),
        ("less_than_equal", {"le": 4}, "应不大于4", "must be at most 4"),
        ("string_too_short", {"min_length": 1}, "不能为空", "must not be empty"),
        ("missing", None, "缺少必填字段", "required field is missing"),
        ("extra_forbidden", None, "未知字段:格式中没有这一项", "unknown field"),
        (
            "literal_error",
            {"expected": "'party_member' or 'villager'"},
            "应为以下之一:'party_member'(党员)、'villager'(村民)",
            "must be one of 'party_member', 'villager'",
        ),
    ],
)
def test_the_numbers_and_values_come_from_pydantics_context(
    kind: str, context: dict[str, Any] | None, zh: str, en: str
) -> None:
    text = texts_of(details(kind, context))
    assert (text.zh, text.en) == (zh, en)


def test_a_pydantic_error_type_not_worded_falls_back_to_chinese_quoting_the_english() -> None:
    text = texts_of(details("recursion_loop"))
    assert "recursion_loop" not in TEMPLATES
    assert text.zh == FALLBACK_ZH.format(en=text.en)
    assert text.en in text.zh
    assert HAN.search(text.zh)


SESSION = session_document()


def broken(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """Return the valid session document with the value at ``path`` replaced."""
    document = copy.deepcopy(SESSION)
    container: Any = document
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value
    return document


SESSION_ERRORS = {
    "missing": ({k: v for k, v in SESSION.items() if k != "year"}, "year"),
    "extra_forbidden": (broken(("village", "population"), 800), "village.population"),
    "string_type": (broken(("id",), 3), "id"),
    "string_unicode": (broken(("id",), b"\xff"), "id"),
    "string_too_short": (broken(("village", "name"), ""), "village.name"),
    "string_too_long": (broken(("village", "name"), "村" * 2001), "village.name"),
    "string_pattern_mismatch": (broken(("village", "code"), "4201171012"), "village.code"),
    "int_type": (broken(("year",), "2026"), "year"),
    "greater_than_equal": (broken(("roster", "households"), -1), "roster.households"),
    "less_than_equal": (broken(("quarter",), 5), "quarter"),
    "literal_error": (broken(("format",), "zhiping.session/2"), "format"),
    "dict_type": (broken(("assessments",), []), "assessments"),
    "model_type": (broken(("village",), "新洲"), "village"),
    "tuple_type": (broken(("cadres",), {}), "cadres"),
    "too_short": (broken(("cadres", 0, "posts"), []), "cadres[0].posts"),
    "date_from_datetime_parsing": (broken(("held_on",), "2027-02-30"), "held_on"),
    "value_error": (broken(("cadres", 0, "id"), "organization"), "cadres[0].id"),
}


@pytest.mark.parametrize("kind", SESSION_ERRORS)
def test_each_error_type_of_the_session_model_is_worded_in_chinese(kind: str) -> None:
    document, path = SESSION_ERRORS[kind]
    with pytest.raises(ValidationError) as validated:
        Session.model_validate(document)
    assert kind in {error["type"] for error in validated.value.errors()}
    with pytest.raises(InputError) as raised:
        parse_session(document)
    [problem] = raised.value.problems
    assert problem.path == path
    assert chinese(problem.zh)
    assert problem.describe("zh") == f"{path}: {problem.zh}"


@pytest.mark.parametrize("pack", GRADING_PACKS)
@settings(max_examples=40)
@given(data=st.data())
def test_every_problem_of_a_broken_document_says_in_chinese_what_is_wrong(
    pack: str, data: st.DataObject
) -> None:
    """Documents broken in every known way: no problem falls back to pydantic's English."""
    document, path = data.draw(invalid_documents(pack=pack), label="case")
    with pytest.raises(InputError) as raised:
        parse_session(document)
    for problem in raised.value.problems:
        assert problem.zh, problem
        assert chinese(problem.zh), problem
    assert path in {problem.path for problem in raised.value.problems}
    assert raised.value.message("zh").startswith(f"共{len(raised.value.problems)}处问题:")


@pytest.mark.parametrize(
    ("text", "zh"),
    [
        ("{", "不是 JSON:第1行第2列属性名应以双引号括起"),
        ("", "不是 JSON:第1行第1列缺少值"),
        ('{"format": 1} x', "不是 JSON:第1行第15列值后面还有多余的内容"),
        (b"\xff", "不是 UTF-8 文本:第0字节处有无效的起始字节"),
    ],
)
def test_a_text_that_is_not_json_is_refused_in_chinese_with_where(
    text: str | bytes, zh: str
) -> None:
    with pytest.raises(InputError) as raised:
        parse_session(text)
    assert [problem.zh for problem in raised.value.problems] == [zh]


def test_a_history_that_is_not_a_list_is_refused_in_chinese() -> None:
    with pytest.raises(InputError) as raised:
        parse_history("{}")
    assert raised.value.message("zh") == (
        "共1处问题:\n  历史记录应为由 {subject, year, quarter?, grade} 组成的 JSON 数组"
    )


def test_a_history_entry_is_refused_in_chinese_at_its_index() -> None:
    with pytest.raises(InputError) as raised:
        parse_history([{"subject": "c1", "year": 1900, "grade": "Superb!"}])
    assert [p.describe("zh") for p in raised.value.problems] == [
        "[0].year: 应不小于1949",
        "[0].grade: 应为标识符:以小写字母开头,只含小写字母、数字和下划线",
    ]


def test_a_history_grade_off_the_chain_scale_is_refused_in_chinese_at_evaluation() -> None:
    """A well-formed grade id is checked against the scale of the chain that applies."""
    document = session_document()
    document["history"] = [{"subject": "c1", "year": 2025, "grade": "superb"}]
    with pytest.raises(InputError) as raised:
        zhiping.evaluate(document)
    assert [p.describe("zh") for p in raised.value.problems] == [
        "history[0].grade: 'superb' 不是适用规则包链的等次"
        "(应为 excellent、competent、basically_competent、incompetent 之一)",
    ]


# Raise sites, each in natural Chinese

HEADER: dict[str, Any] = {
    "name": "yangluo",
    "title": {"zh": "阳逻街道", "en": "Yangluo street"},
    "prefix": "420117101",
    "parent": "xinzhou",
    "in_force_from": date(2020, 1, 1),
}


@pytest.mark.parametrize(
    ("data", "zh"),
    [
        (
            {"pack": {**HEADER, "selectable_only": "maybe"}},
            "yangluo.toml: pack.selectable_only: 应为 true 或 false",
        ),
        (
            {"pack": {**HEADER, "in_force_from": datetime(2020, 1, 1, 9)}},
            "yangluo.toml: pack.in_force_from: 应为日期,不含时刻",
        ),
        (
            {"pack": {**HEADER, "prefix": "42x"}},
            "yangluo.toml: pack.prefix: 应为不超过12位数字的区划代码前缀",
        ),
        (
            {"pack": HEADER, "rules": {"quorum.x": {"basis": "rules"}}},
            'yangluo.toml: rules["quorum.x"].basis: 应为数组 […]',
        ),
        (
            {"pack": HEADER, "rules": {"quorum.x": {}}},
            'yangluo.toml: rules."quorum.x": mechanism 和 disabled 须给出且只给出一个',
        ),
        (
            {"pack": {**HEADER, "parent": None}},
            "yangluo.toml: pack.parent: 只有根规则包 cn 没有上级规则包",
        ),
        (
            {
                "pack": HEADER,
                "parameters": {
                    "quorum.x.share": {
                        "kind": "fraction",
                        "values": [{"from": date(2020, 1, 1), "value": "-1/2", "assumed": True}],
                    }
                },
            },
            "yangluo.toml: parameters.\"quorum.x.share\".values[0].value: 比例不能为负数:'-1/2'",
        ),
        (
            {
                "pack": HEADER,
                "parameters": {
                    "quorum.x.minimum": {
                        "kind": "integer",
                        "values": [
                            {"from": date(2021, 1, 1), "value": 3, "assumed": True},
                            {"from": date(2020, 1, 1), "value": 4, "assumed": True},
                        ],
                    }
                },
            },
            'yangluo.toml: parameters."quorum.x.minimum": '
            "参数 quorum.x.minimum:各取值的生效日期应互不相同,并按先后排列",
        ),
    ],
)
def test_a_pack_authors_mistake_is_told_in_chinese_naming_the_file_and_key(
    data: dict[str, Any], zh: str
) -> None:
    with pytest.raises(PackError) as raised:
        pack_from_data(data, source="yangluo.toml")
    assert raised.value.message("zh") == zh


def test_a_missing_pack_is_told_in_chinese_with_the_installed_ones() -> None:
    registry = discover(entry_points=False)
    with pytest.raises(PackError) as raised:
        registry.lineage("nowhere")
    assert raised.value.message("zh") == (
        f"没有名为 'nowhere' 的规则包;已安装的有:{'、'.join(registry.names())}"
    )


def test_a_file_that_is_no_store_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("备忘\n" * 200, encoding="utf-8")
    with pytest.raises(StoreError) as raised:
        Store(path)
    assert raised.value.message("zh").startswith(f"记录库 {path} 出错:")


def test_an_amendment_without_a_reason_is_refused_in_chinese(tmp_path: Path) -> None:
    with Store(tmp_path / "store.db") as store, pytest.raises(StoreError) as raised:
        store.amend(SESSION, reason=" ")
    assert raised.value.message("zh") == "更正须说明理由"


def test_a_bad_case_file_is_told_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text('[case]\nname = "x"\n[expect]\n', encoding="utf-8")
    with pytest.raises(PackError) as raised:
        load_case(path)
    assert raised.value.message("zh") == (
        f"{path}:不是有效的用例文件:\n  expect: 请写明结果应当如何(status、grades、pay 等)"
    )


# Raise sites of the rules, the chain and the engine, reached through a township pack

BUNDLED = discover(entry_points=False)
CN, XINZHOU = BUNDLED.packs["cn"], BUNDLED.packs["xinzhou"]
MECHANISMS = tuple(BUNDLED.mechanisms.values())
YANGLUO_VILLAGE = "420117101202"


def township(
    rules: dict[str, Any] | None = None, parameters: dict[str, Any] | None = None, **header: Any
) -> Pack:
    """Return the Yangluo township pack with rules and assumed parameter values."""
    assumed = {
        name: {"kind": kind, "values": [{"from": date(2020, 1, 1), "value": v, "assumed": True}]}
        for name, (kind, v) in (parameters or {}).items()
    }
    data = {"pack": {**HEADER, **header}, "rules": rules or {}, "parameters": assumed}
    return pack_from_data(data, source="yangluo.toml")


def refusal(pack: Pack) -> str:
    """Return the Chinese of the PackError that evaluating a Yangluo village under it raises."""
    registry = PackRegistry.of([CN, XINZHOU, pack], MECHANISMS)
    with pytest.raises(PackError) as raised:
        zhiping.evaluate(session_document(village_code=YANGLUO_VILLAGE), registry=registry)
    return raised.value.message("zh")


def refused_at_build(pack: Pack) -> PackError:
    """Return the PackError that collecting the pack with its parents raises: its chain is
    built and checked then, before any session."""
    with pytest.raises(PackError) as raised:
        PackRegistry.of([CN, XINZHOU, pack], MECHANISMS)
    return raised.value


def assert_names_file_key_and_value(error: PackError, name: str, shown: str) -> None:
    """Both languages name the file, the key and the value; the Chinese says why in Chinese."""
    where = f'yangluo.toml: parameters."{name}".values[0].value = {shown}: '
    for lang in ("zh", "en"):
        assert where in error.message(lang)
    reason = error.message("zh").split(where, 1)[1]
    assert re.search(r"[\u4e00-\u9fff]", reason), reason


# Values whose meaning the mechanism declares: refused when the chain is built, before
# any session, naming the pack file, the key and the value.
REFUSED_AT_BUILD = {
    "quorum.representatives.capacity": (("text", "chairman"), '"chairman"'),
    "attendance.evaluators.capacities": (
        ("texts", ["party_member", "chairman"]),
        '["party_member", "chairman"]',
    ),
    "grade.thresholds.otherwise": (("text", "superb"), '"superb"'),
    "pay.coefficient.coefficients": (("table", {"competent": "1.00"}), '{"competent": "1.00"}'),
}


@pytest.mark.parametrize("name", REFUSED_AT_BUILD)
def test_a_parameter_value_a_rule_cannot_use_is_told_in_chinese(name: str) -> None:
    value, shown = REFUSED_AT_BUILD[name]
    error = refused_at_build(township(parameters={name: value}))
    assert_names_file_key_and_value(error, name, shown)


def test_a_coefficient_table_names_every_grade_it_lacks() -> None:
    error = refused_at_build(
        township(parameters={"pay.coefficient.coefficients": ("table", {"competent": "1.00"})})
    )
    for lang in ("zh", "en"):
        for grade in ("excellent", "basically_competent", "incompetent"):
            assert grade in error.message(lang)


def test_a_capacity_the_roster_does_not_count_is_told_in_chinese_when_evaluated() -> None:
    """A capacity is a capacity (it loads); that the roster does not count it is the rule's."""
    pack = township(parameters={"quorum.party_members.capacity": ("text", "invitee")})
    assert (
        refusal(pack) == "规则包 yangluo:quorum.party_members.capacity:名册不记录 'invitee' 的人数"
    )


BAD_RULES = {
    "quota": (
        "top_share_quota",
        {
            "share": ("fraction", "1/5"),
            "grade": ("text", "superb"),
            "excluded": ("text", "incompetent"),
            "satisfied": ("texts", ["satisfied"]),
        },
        ("quota.top.grade", '"superb"'),
    ),
    "measure": (
        "low_satisfaction_action",
        {
            "measure": ("text", "median"),
            "below": ("fraction", "1/2"),
            "satisfied": ("texts", ["satisfied"]),
            "action": ("text", "interview"),
        },
        ("sanction.low.measure", '"median"'),
    ),
    "score": (
        "low_satisfaction_action",
        {
            "measure": ("text", "score"),
            "below": ("fraction", "1/2"),
            "satisfied": ("texts", ["satisfied"]),
            "action": ("text", "interview"),
        },
        "规则 sanction.low 读取得分,但没有规则为 c1 计算得分",
    ),
    "bands": (
        "score_bands",
        {"bands": ("table", {"superb": "90"}), "otherwise": ("text", "competent")},
        ("grade.bands.bands", '{"superb": "90"}'),
    ),
    "unscored": (
        "score_bands",
        {"bands": ("table", {"excellent": "90"}), "otherwise": ("text", "competent")},
        "规则 grade.bands 按得分评定等次,但规则包链中没有规则为 organization 计算得分",
    ),
    "veto": (
        "veto_grade",
        {"grade": ("text", "superb")},
        ("grade.veto.grade", '"superb"'),
    ),
}
"""Each case: the mechanism, its parameters, and what is refused: a bad value at chain
build (its key and value), or, for what only a session shows, the Chinese message."""
RULE_IDS = {
    "top_share_quota": "quota.top",
    "low_satisfaction_action": "sanction.low",
    "score_bands": "grade.bands",
    "veto_grade": "grade.veto",
}


@pytest.mark.parametrize("case", BAD_RULES)
def test_a_rule_a_pack_adds_that_cannot_apply_is_told_in_chinese(case: str) -> None:
    mechanism, parameters, expected = BAD_RULES[case]
    rule = RULE_IDS[mechanism]
    pack = township(
        rules={rule: {"mechanism": mechanism}},
        parameters={f"{rule}.{name}": value for name, value in parameters.items()},
    )
    if isinstance(expected, str):
        assert refusal(pack) == expected
    else:
        assert_names_file_key_and_value(refused_at_build(pack), *expected)


def test_an_unknown_action_is_told_in_chinese() -> None:
    pack = township(
        parameters={
            "organization.weak.grade": ("text", "excellent"),
            "organization.weak.action": ("text", "hug"),
        },
    )
    assert_names_file_key_and_value(refused_at_build(pack), "organization.weak.action", '"hug"')


@mechanism_of("misread", stage="notice", parameters={"n": "integer"})
def misread(ctx: RuleContext) -> None:
    """Read an integer parameter as text: a mechanism's own bug."""
    ctx.parameter("n", str)


def test_a_mechanism_reading_a_parameter_as_another_type_is_told_in_chinese() -> None:
    pack = township(
        rules={"notice.misread": {"mechanism": "misread"}},
        parameters={"notice.misread.n": ("integer", 3)},
    )
    registry = PackRegistry.of([CN, XINZHOU, pack], [*MECHANISMS, misread])
    with pytest.raises(PackError) as raised:
        zhiping.evaluate(session_document(village_code=YANGLUO_VILLAGE), registry=registry)
    assert (
        raised.value.message("zh")
        == "规则包 yangluo:参数 notice.misread.n 应为 str 类型,而不是 int"
    )


def test_a_chain_asked_for_a_parameter_no_pack_sets_says_so_in_chinese() -> None:
    chain = BUNDLED.chain(YANGLUO_VILLAGE, date(2027, 1, 15))
    with pytest.raises(PackError) as raised:
        chain.parameter("quorum.nobody.minimum")
    assert raised.value.message("zh") == (
        "规则包链 cn ► xinzhou 中没有规则包设定参数 quorum.nobody.minimum"
    )


def test_the_engine_without_a_rules_mechanism_says_so_in_chinese() -> None:
    chain = BUNDLED.chain(YANGLUO_VILLAGE, date(2027, 1, 15))
    session = parse_session(session_document(village_code=YANGLUO_VILLAGE))
    with pytest.raises(PackError) as raised:
        evaluate_chain(session, chain, {})
    assert raised.value.message("zh").startswith(
        "规则包 cn:规则 attendance.not_on_roster 使用的机制"
    )


def test_the_engine_given_a_rule_disabled_but_defined_nowhere_says_so_in_chinese() -> None:
    pack = attrs.evolve(CN, rules=(RuleDefinition("notice.ghost", "cn", disabled="不适用"),))
    session = parse_session(session_document(village_code=YANGLUO_VILLAGE))
    with pytest.raises(PackError) as raised:
        evaluate_chain(session, Chain((pack,), date(2027, 1, 15)), BUNDLED.mechanisms)
    assert raised.value.message("zh") == "规则 notice.ghost 被停用,但规则包链中没有规则包定义它"


def test_a_chain_with_a_rule_no_pack_sets_the_parameters_of_is_told_in_chinese() -> None:
    pack = township(rules={"quorum.extra": {"mechanism": "quorum_minimum"}})
    with pytest.raises(PackError) as raised:
        PackRegistry.of([CN, XINZHOU, pack], MECHANISMS)
    assert raised.value.message("zh").startswith(
        "规则包 yangluo(yangluo.toml):规则包链 cn ► xinzhou ► yangluo 中没有规则包设定参数 "
        "quorum.extra."
    )


def test_packs_whose_parents_form_a_cycle_are_told_in_chinese() -> None:
    first = township(name="a", parent="b")
    second = township(name="b", parent="a")
    with pytest.raises(PackError) as raised:
        PackRegistry.of([CN, first, second], MECHANISMS)
    assert raised.value.message("zh") == "规则包 a:上级规则包形成了循环"


def test_a_pack_outside_its_parents_prefix_is_told_in_chinese() -> None:
    with pytest.raises(PackError) as raised:
        PackRegistry.of([CN, XINZHOU, township(prefix="4201")], MECHANISMS)
    assert raised.value.message("zh") == (
        "规则包 yangluo:区划代码前缀 '4201' 不在上级规则包 xinzhou 的前缀 '420117' 之内"
    )


def test_a_second_root_is_told_in_chinese() -> None:
    other = Pack("other", Text(zh="别处", en="elsewhere"), "", None, date(2020, 1, 1))
    with pytest.raises(PackError) as raised:
        PackRegistry.of([CN, other], MECHANISMS)
    assert raised.value.message("zh") == "规则包 other:逐级上溯到不了根规则包 cn"


def test_a_day_before_every_pack_is_told_in_chinese() -> None:
    with pytest.raises(PackError) as raised:
        BUNDLED.chain(YANGLUO_VILLAGE, date(1990, 1, 1))
    assert raised.value.message("zh") == f"1990-01-01 没有对村 {YANGLUO_VILLAGE} 生效的规则包"
    with pytest.raises(PackError) as raised:
        BUNDLED.chain(YANGLUO_VILLAGE, date(1990, 1, 1), pack="xinzhou")
    assert raised.value.message("zh") == "规则包 cn 在 1990-01-01 不生效"


class NotAList:
    """A plugin whose hook returns a number."""

    @hookimpl
    def zhiping_packs(self) -> Any:
        return 3


def test_a_plugin_whose_hook_returns_no_list_is_told_in_chinese() -> None:
    with pytest.raises(PackError) as raised:
        discover(entry_points=False, plugins=[NotAList()])
    assert raised.value.message("zh").endswith("其 zhiping_packs 钩子返回了 3,而不是列表")


def test_a_pack_or_case_file_that_is_not_utf8_is_told_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_bytes(b"\xff")
    with pytest.raises(PackError) as raised:
        load_pack(path)
    assert raised.value.message("zh") == f"{path}:不是 UTF-8 文本(invalid start byte)"
    with pytest.raises(PackError) as raised:
        load_case(path)
    assert raised.value.message("zh") == f"{path}:不是 UTF-8 文本(invalid start byte)"


def test_counted_ballots_for_a_pack_weighting_groups_are_refused_in_chinese() -> None:
    profile = PackProfile.of("xichong")
    document = {**pack_session_document(profile), "quarter": 1}
    for entry in document["attendance"]:
        entry["as"] = ["villager"]  # Xichong's evaluators: villagers, not party members
    with pytest.raises(InputError) as raised:
        zhiping.evaluate(document, **profile.evaluate_options())
    assert [p.describe("zh") for p in raised.value.problems] == [
        f"ballots.counts: 本规则包按参评人员分组加权({'、'.join(profile.groups)}):"
        "请改用 group_counts"
    ]


# Control characters: nothing a terminal obeys reaches str(error).

CONTROLS = [
    *map(chr, range(0x00, 0x20)),
    *map(chr, range(0x7F, 0xA0)),
    "\u061c",
    *map(chr, range(0x200B, 0x2010)),
    *map(chr, range(0x2028, 0x202F)),
    *map(chr, range(0x2060, 0x206A)),
    "\ufeff",
]
"""C0, DEL, C1, ALM, the zero-width and bidi marks, the separators, embeddings and overrides,
the word joiner and the isolates, and the byte order mark."""


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_each_control_character_is_written_as_an_escape(char: str) -> None:
    assert escape_controls(f"a{char}b") == f"a\\u{ord(char):04x}b"


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_no_control_character_reaches_the_text_of_an_error(char: str) -> None:
    escaped = f"\\u{ord(char):04x}"
    problem = Problem(f"k{char}", Text(zh=f"值 {char}", en=f"value {char}"))
    error = InputError([problem], source=f"f{char}.json")
    assert str(error) == f"f{escaped}.json: 1 problem:\n  k{escaped}: value {escaped}"
    assert error.zh == f"f{escaped}.json: 共1处问题:\n  k{escaped}: 值 {escaped}"
    # Other errors keep their line breaks (a pack's problems are listed a line each), and
    # escape every other control; ids and names from a document hold no line break.
    store = StoreError(f"session s{char}", zh=f"直评会 s{char}")
    kept = char if char == "\n" else escaped
    assert (str(store), store.zh) == (f"session s{kept}", f"直评会 s{kept}")


def test_a_json_path_escapes_what_json_leaves_raw() -> None:
    assert json_path(("assessments", "a\x7f\x9b\u202e", "c1")) == (
        'assessments["a\\u007f\\u009b\\u202e"].c1'
    )
    assert json_path(("x\x1b",)) == '["x\\u001b"]'


def test_plain_text_is_left_as_it_is() -> None:
    assert escape_controls("张三 (c1): ok") == "张三 (c1): ok"
    assert escape_controls("\u3000全角空格") == "\u3000全角空格"
