"""What the document models refuse, said in Chinese and in English.

pydantic reports each refusal with a type (``missing``, ``int_type``, …) and a context
(``{"ge": 0}``): :func:`texts_of` words every type our models can meet in both languages,
with the numbers from the context. Our own validators raise :class:`Invalid`, which
carries its two texts. A type not worded here falls back to a generic Chinese sentence
that quotes pydantic's English (:data:`FALLBACK_ZH`), so that no message is ever missing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic_core import ErrorDetails

from zhiping.glossary import NAMES, Text

__all__ = ["FALLBACK_ZH", "TEMPLATES", "Invalid", "not_json", "texts_of", "texts_of_any"]

FALLBACK_ZH = "不符合格式要求(英文说明:{en})"
"""The Chinese of a refusal whose type is not worded here; ``{en}`` is pydantic's English."""


class Invalid(ValueError):
    """A value that a validator refuses, saying why: ``Invalid(Text(zh=…, en=…))``.

    Raised inside a pydantic validator, it reaches :func:`texts_of` as pydantic's
    ``value_error``; raised elsewhere, it is a plain ``ValueError`` whose ``str`` is the
    English and that knows its Chinese.

    Args:
        text: why the value is refused, in zh and en.

    Attributes:
        text: why the value is refused, in zh and en.
    """

    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.text,))


def texts_of(error: ErrorDetails) -> Text:
    """Return what one of pydantic's errors says, in zh and en, without its location."""
    context: Mapping[str, Any] = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, Invalid):
        return cause.text
    template = TEMPLATES.get(error["type"])
    if template is not None:
        return template(context)
    en = error["msg"].removeprefix("Value error, ")
    return Text(zh=FALLBACK_ZH.format(en=en), en=en)


def texts_of_any(error: ValueError) -> Text:
    """Return a ValueError's message in zh and en: its own for :class:`Invalid`."""
    if isinstance(error, Invalid):
        return error.text
    return Text(zh=FALLBACK_ZH.format(en=error), en=str(error))


_JSON_ERRORS = {
    "Expecting value": "缺少值",
    "Extra data": "值后面还有多余的内容",
    "Expecting property name enclosed in double quotes": "属性名应以双引号括起",
    "Expecting ',' delimiter": "缺少逗号",
    "Expecting ':' delimiter": "缺少冒号",
    "Unterminated string starting at": "字符串没有结束",
    "Invalid control character at": "字符串中有控制字符",
    "Invalid \\escape": "有无效的转义序列",
    "Invalid \\uXXXX escape": "有无效的 \\u 转义序列",
    "Illegal trailing comma before end of object": "对象末尾多了逗号",
    "Illegal trailing comma before end of array": "数组末尾多了逗号",
}


def not_json(error: json.JSONDecodeError) -> Text:
    """Return why a text is not JSON, with the line and column, in zh and en."""
    reason = next((zh for en, zh in _JSON_ERRORS.items() if error.msg.startswith(en)), "有语法错误")
    return Text(
        zh=f"不是 JSON:第{error.lineno}行第{error.colno}列{reason}",
        en=f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}",
    )


Template = Callable[[Mapping[str, Any]], Text]


def _fixed(text: Text) -> Template:
    return lambda context: text


def _at_least(context: Mapping[str, Any]) -> Text:
    if context["ge"] == 0:
        return Text(zh="不能为负数", en="must not be negative")
    return Text(zh=f"应不小于{context['ge']}", en=f"must be at least {context['ge']}")


def _literal(context: Mapping[str, Any]) -> Text:
    expected = str(context["expected"])
    # pydantic joins the values itself: "'a', 'b' or 'c'".
    options = re.split(r", | or ", expected)
    if len(options) == 1:
        return Text(zh=f"应为{_named(expected)}", en=f"must be {expected}")
    return Text(
        zh=f"应为以下之一:{'、'.join(_named(option) for option in options)}",
        en=f"must be one of {', '.join(options)}",
    )


def _named(option: str) -> str:
    """Return a quoted identifier with its glossary name: ``'party_member'(党员)``."""
    name = NAMES.get(option.strip("'"))
    return f"{option}({name.zh})" if name else option


_PATTERNS = {
    r"^[0-9]{12}$": Text(
        zh="应为村的12位统计用区划代码", en="expected the village's 12-digit division code"
    ),
    r"^[0-9]{0,12}$": Text(
        zh="应为不超过12位数字的区划代码前缀",
        en="expected a division-code prefix of at most 12 digits",
    ),
    r"^[a-z][a-z0-9_]*$": Text(
        zh="应为标识符:以小写字母开头,只含小写字母、数字和下划线",
        en="expected an identifier: a lower-case letter, then lower-case letters, digits or _",
    ),
    r"^[a-z][a-z0-9_-]*$": Text(
        zh="应为名称:以小写字母开头,只含小写字母、数字、下划线和连字符",
        en="expected a name: a lower-case letter, then lower-case letters, digits, _ or -",
    ),
    r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$": Text(
        zh="应为以点分隔的规则编号,如 quorum.party_members",
        en="expected a rule id of dotted identifiers, like quorum.party_members",
    ),
    r"^-?[0-9]+(\.[0-9]+)?$": Text(
        zh='应为以文本书写的金额(元),如 "9000.05"',
        en='expected an amount in yuan written as text, like "9000.05"',
    ),
}


def _pattern(context: Mapping[str, Any]) -> Text:
    pattern = str(context["pattern"])
    return _PATTERNS.get(
        pattern, Text(zh=f"不符合格式 {pattern}", en=f"does not match the pattern {pattern}")
    )


def _characters_at_least(context: Mapping[str, Any]) -> Text:
    least = context["min_length"]
    if least == 1:
        return Text(zh="不能为空", en="must not be empty")
    return Text(zh=f"至少应有{least}个字符", en=f"expected at least {least} characters")


def _items_at_least(context: Mapping[str, Any]) -> Text:
    least = context["min_length"]
    if least == 1:
        return Text(zh="不能为空,至少应有1项", en="must not be empty: give at least one item")
    actual = context.get("actual_length")
    return Text(
        zh=f"至少应有{least}项,实有{actual}项",
        en=f"expected at least {least} items, got {actual}",
    )


def _items_at_most(context: Mapping[str, Any]) -> Text:
    most, actual = context["max_length"], context.get("actual_length")
    return Text(
        zh=f"至多{most}项,实有{actual}项", en=f"expected at most {most} items, got {actual}"
    )


_ISO_DATE = Text(
    zh="应为 ISO 格式的日期,如 '2027-01-15'", en="expected an ISO date like '2027-01-15'"
)
_DATE_REASONS = {
    "day value is outside expected range": "这个月没有这一天",
    "month value is outside expected range": "月份应为1到12",
    "year 0 is out of range": "没有公元0年",
    "input is too short": "位数不够",
    "invalid date separator": "年月日之间应以 - 分隔",
}


def _bad_date(context: Mapping[str, Any]) -> Text:
    reason = str(context.get("error", ""))
    zh = next((zh for en, zh in _DATE_REASONS.items() if reason.startswith(en)), None)
    if zh is None:
        return _ISO_DATE
    return Text(
        zh=f"不是有效的日期({zh}),{_ISO_DATE.zh}", en=f"not a valid date ({reason}); {_ISO_DATE.en}"
    )


_OBJECT = _fixed(Text(zh="应为对象 {…}", en="expected an object {…}"))
_ARRAY = _fixed(Text(zh="应为数组 […]", en="expected an array […]"))
_WHOLE = _fixed(Text(zh="应为整数", en="expected a whole number"))
_TRUTH = _fixed(Text(zh="应为 true 或 false", en="expected true or false"))
_DECIMAL = _fixed(Text(zh="应为十进制数", en="expected a decimal number"))

TEMPLATES: Mapping[str, Template] = {
    "missing": _fixed(Text(zh="缺少必填字段", en="required field is missing")),
    "extra_forbidden": _fixed(Text(zh="未知字段:格式中没有这一项", en="unknown field")),
    "string_type": _fixed(Text(zh="应为文本(字符串)", en="expected a string")),
    "string_unicode": _fixed(Text(zh="应为有效的 Unicode 文本", en="expected valid Unicode text")),
    "string_too_short": _characters_at_least,
    "string_too_long": lambda c: Text(
        zh=f"不能超过{c['max_length']}个字符", en=f"expected at most {c['max_length']} characters"
    ),
    "string_pattern_mismatch": _pattern,
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _fixed(
        Text(zh="应为整数,不能带小数", en="expected a whole number, without a fractional part")
    ),
    "int_parsing_size": _fixed(Text(zh="数值过大", en="the number is too large")),
    "greater_than_equal": _at_least,
    "greater_than": lambda c: Text(zh=f"应大于{c['gt']}", en=f"must be more than {c['gt']}"),
    "less_than_equal": lambda c: Text(zh=f"应不大于{c['le']}", en=f"must be at most {c['le']}"),
    "less_than": lambda c: Text(zh=f"应小于{c['lt']}", en=f"must be less than {c['lt']}"),
    "multiple_of": lambda c: Text(
        zh=f"应为{c['multiple_of']}的倍数", en=f"must be a multiple of {c['multiple_of']}"
    ),
    "bool_type": _TRUTH,
    "bool_parsing": _TRUTH,
    "literal_error": _literal,
    "dict_type": _OBJECT,
    "mapping_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "list_type": _ARRAY,
    "tuple_type": _ARRAY,
    "set_type": _ARRAY,
    "iterable_type": _ARRAY,
    "too_short": _items_at_least,
    "too_long": _items_at_most,
    "date_type": lambda c: _ISO_DATE,
    "date_parsing": _bad_date,
    "date_from_datetime_parsing": _bad_date,
    "date_from_datetime_inexact": _fixed(
        Text(zh="应为日期,不含时刻", en="expected a date without a time")
    ),
    "decimal_type": _DECIMAL,
    "decimal_parsing": _DECIMAL,
    "decimal_max_digits": lambda c: Text(
        zh=f"至多{c['max_digits']}位数字", en=f"expected at most {c['max_digits']} digits"
    ),
    "decimal_max_places": lambda c: Text(
        zh=f"小数至多{c['decimal_places']}位",
        en=f"expected at most {c['decimal_places']} decimal places",
    ),
    "decimal_whole_digits": lambda c: Text(
        zh=f"整数部分至多{c['whole_digits']}位",
        en=f"expected at most {c['whole_digits']} digits before the point",
    ),
    "finite_number": _fixed(Text(zh="应为有限的数", en="expected a finite number")),
    "union_tag_invalid": lambda c: Text(
        zh=f"{c['discriminator']} 为 {c['tag']},应为 {c['expected_tags']} 之一",
        en=f"{c['discriminator']} is {c['tag']}, expected one of {c['expected_tags']}",
    ),
    "union_tag_not_found": lambda c: Text(
        zh=f"缺少 {c['discriminator']},无法判断是哪一种",
        en=f"{c['discriminator']} is missing, so the kind cannot be told",
    ),
    "json_invalid": lambda c: Text(zh=f"不是 JSON({c['error']})", en=f"not JSON: {c['error']}"),
    "json_type": _fixed(Text(zh="应为 JSON 文本", en="expected JSON text")),
    "none_required": _fixed(Text(zh="应为 null", en="expected null")),
}
"""How each pydantic error type reads, from its context, in zh and en."""
