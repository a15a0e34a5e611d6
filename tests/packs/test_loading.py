"""Pack files: bad ones are refused naming file and key; bundled ones say what DESIGN §5 says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from zhiping import PackError
from zhiping.documents.values import ShareCondition
from zhiping.packs.loading import load_pack
from zhiping.packs.registry import PackRegistry, discover

HEADER = """
[pack]
name = "yangluo"
title = { zh = "阳逻街道", en = "Yangluo street" }
prefix = "420117101"
parent = "xinzhou"
in_force_from = 2020-01-01

[references.rules]
title = "阳逻街道直评村官实施细则"
"""

MINIMUM = """
[parameters."quorum.representatives.minimum"]
kind = "integer"
values = [{ from = 2020-01-01, value = 20, reference = "rules" }]
"""

BAD_FILES = {
    "unknown field in the header": (
        HEADER.replace('parent = "xinzhou"', 'parent = "xinzhou"\ncolour = "red"'),
        ["pack.colour"],
    ),
    "unknown field in a value": (
        MINIMUM.replace('reference = "rules"', 'reference = "rules", sauce = "chilli"'),
        ["quorum.representatives.minimum", "sauce"],
    ),
    "bad date in the header": (
        HEADER.replace("in_force_from = 2020-01-01", 'in_force_from = "2020-13-01"'),
        ["pack.in_force_from"],
    ),
    "bad date of a value": (
        MINIMUM.replace("from = 2020-01-01", 'from = "2020-02-30"'),
        ["quorum.representatives.minimum", "from"],
    ),
    "fraction over zero": (
        """
[parameters."quorum.party_members.share"]
kind = "fraction"
values = [{ from = 2020-01-01, value = "4/0", reference = "rules" }]
""",
        ["quorum.party_members.share", "value", "4/0"],
    ),
    "decimal that is not a number": (
        """
[parameters."pay.coefficient.coefficients"]
kind = "table"
values = [{ from = 2020-01-01, value = { excellent = "abc" }, reference = "rules" }]
""",
        ["pay.coefficient.coefficients", "value", "abc"],
    ),
    "decimal parameter that is not a number": (
        """
[parameters."pay.fixed.amount"]
kind = "decimal"
values = [{ from = 2020-01-01, value = "abc", reference = "rules" }]
""",
        ["pay.fixed.amount", "value", "abc"],
    ),
    "integer given as a string": (
        MINIMUM.replace("value = 20", 'value = "20"'),
        ["quorum.representatives.minimum", "value", "'20'"],
    ),
    "value neither cited nor assumed": (
        MINIMUM.replace(', reference = "rules"', ""),
        ["quorum.representatives.minimum", "values[0]", "assumed"],
    ),
    "unknown reference": (
        MINIMUM.replace('reference = "rules"', 'reference = "township_rules"'),
        ["quorum.representatives.minimum", "values[0]", "township_rules"],
    ),
    "two values on the same date": (
        MINIMUM.replace(
            'values = [{ from = 2020-01-01, value = 20, reference = "rules" }]',
            'values = [{ from = 2020-01-01, value = 20, reference = "rules" },'
            ' { from = 2020-01-01, value = 25, reference = "rules" }]',
        ),
        ["quorum.representatives.minimum", "date"],
    ),
    "values out of date order": (
        MINIMUM.replace(
            'values = [{ from = 2020-01-01, value = 20, reference = "rules" }]',
            'values = [{ from = 2024-01-01, value = 20, reference = "rules" },'
            ' { from = 2020-01-01, value = 25, reference = "rules" }]',
        ),
        ["quorum.representatives.minimum", "in order"],
    ),
    "a key given twice": (
        MINIMUM.replace('kind = "integer"', 'kind = "integer"\nkind = "fraction"'),
        ["not valid TOML", "line 14", 'kind = "fraction"'],
    ),
    "rule with both a mechanism and disabled": (
        """
[rules."notice.reach"]
mechanism = "notice_reach"
disabled = "以网格员走访代替入户动员"
""",
        ['rules."notice.reach"', "mechanism", "disabled"],
    ),
    "rule with neither a mechanism nor disabled": (
        """
[rules."notice.reach"]
basis = [{ reference = "rules" }]
""",
        ['rules."notice.reach"', "mechanism", "disabled"],
    ),
    "a rule assumed without a note": (
        """
[rules."quorum.representatives"]
mechanism = "quorum_minimum"
assumed = true
""",
        ['rules."quorum.representatives".note', "assumed = true"],
    ),
    "a rule assumed with an empty note": (
        """
[rules."quorum.representatives"]
mechanism = "quorum_minimum"
assumed = true
note = ""
""",
        ["quorum.representatives", "note"],
    ),
    "the date in force assumed without a note": (
        HEADER.replace(
            "in_force_from = 2020-01-01", "in_force_from = 2020-01-01\nin_force_from_assumed = true"
        ),
        ["pack.in_force_from_note", "in_force_from", "assumed = true"],
    ),
    "the date in force's assumed mark not a boolean": (
        HEADER.replace(
            "in_force_from = 2020-01-01",
            'in_force_from = 2020-01-01\nin_force_from_assumed = "yes"\nin_force_from_note = "x"',
        ),
        ["pack.in_force_from_assumed"],
    ),
}


def pack_file(tmp_path: Path, body: str) -> Path:
    """Write a township pack file: the header, unless the body brings its own, and the body."""
    text = body if "[pack]" in body else HEADER + body
    path = tmp_path / "yangluo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_good_township_file_the_bad_ones_start_from_loads(tmp_path: Path) -> None:
    pack = load_pack(pack_file(tmp_path, MINIMUM))
    value = pack.parameters["quorum.representatives.minimum"].value_on(date(2027, 1, 15))
    assert value is not None
    assert value.value == 20
    assert value.citation is not None
    assert value.citation.title == "阳逻街道直评村官实施细则"


def test_a_pack_file_named_by_a_string_loads_like_a_path(tmp_path: Path) -> None:
    path = pack_file(tmp_path, MINIMUM)
    assert load_pack(str(path)) == load_pack(path)


def test_a_missing_file_named_by_a_string_is_refused_naming_the_file(tmp_path: Path) -> None:
    """Not an attribute error naming an object id: the path, as given."""
    path = str(tmp_path / "missing.toml")
    with pytest.raises(PackError, match="cannot read") as raised:
        load_pack(path)
    assert path in str(raised.value)


@pytest.mark.parametrize(("body", "keys"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_pack_file_is_refused_naming_the_file_and_the_key(
    tmp_path: Path, body: str, keys: list[str]
) -> None:
    path = pack_file(tmp_path, body)
    with pytest.raises(PackError) as raised:
        load_pack(path)
    message = str(raised.value)
    assert str(path) in message
    for key in keys:
        assert key in message
    chinese = raised.value.message("zh")
    assert str(path) in chinese
    # The keys and values quoted, not the English words, are said in Chinese too.
    assert all(key in chinese for key in keys if any(c in key for c in "._[\"'/0123456789"))


def test_a_file_that_is_not_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = pack_file(tmp_path, HEADER + "[parameters\n")
    with pytest.raises(PackError, match="not valid TOML") as raised:
        load_pack(path)
    assert str(path) in str(raised.value)


def test_a_file_that_cannot_be_read_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(PackError, match="cannot read") as raised:
        load_pack(path)
    assert str(path) in str(raised.value)


BUNDLED = discover(entry_points=False)


@pytest.mark.parametrize("name", ["cn", "xinzhou"])
def test_every_value_of_a_bundled_pack_is_cited_or_marked_assumed(name: str) -> None:
    for parameter in BUNDLED.packs[name].parameters.values():
        for value in parameter.values:
            assert value.assumed or value.citation is not None, parameter.name


def test_the_values_design_marks_assumed_are_assumed_in_the_xinzhou_pack() -> None:
    parameters = BUNDLED.packs["xinzhou"].parameters
    for name in (
        "grade.thresholds.conditions",
        "grade.thresholds.otherwise",
        "pay.coefficient.coefficients",
    ):
        assert all(value.assumed for value in parameters[name].values), name


XINZHOU_ON_2027_01_15 = {
    "notice.period.days": 3,
    "notice.channels.channels": (
        "village_board",
        "group_chat",
        "phone",
        "broadcast",
        "door_to_door",
    ),
    "notice.contents.required": ("time", "place", "procedure"),
    "notice.reach.share": Fraction(1),
    "attendance.invitee_kind.kinds": (
        "mass_organization",
        "resident_enterprise",
        "work_team",
        "paired_department",
        "deputy",
    ),
    "quorum.party_members.capacity": "party_member",
    "quorum.party_members.share": Fraction(4, 5),
    "quorum.representatives.capacity": "representative",
    "quorum.representatives.minimum": 30,
    "grade.thresholds.conditions": (
        ShareCondition("incompetent", ("dissatisfied",), "at_least", Fraction(1, 2)),
        ShareCondition("basically_competent", ("dissatisfied",), "more_than", Fraction(1, 3)),
        ShareCondition("excellent", ("satisfied",), "at_least", Fraction(9, 10)),
    ),
    "grade.thresholds.otherwise": "competent",
    "pay.coefficient.coefficients": {
        "excellent": Decimal("1.00"),
        "competent": Decimal("0.90"),
        "basically_competent": Decimal("0.60"),
        "incompetent": Decimal("0.00"),
    },
    "sanction.consecutive_incompetent.grade": "incompetent",
    "sanction.consecutive_incompetent.years": 2,
    "sanction.consecutive_incompetent.action": "organizational_adjustment",
    "organization.weak.grade": "incompetent",
    "organization.weak.action": "weak_organization_rectification",
}
"""DESIGN §5's rules as values, written out by hand; invitee kinds from the glossary."""


def test_each_xinzhou_value_in_force_on_2027_01_15_is_the_one_design_section_5_gives() -> None:
    parameters = BUNDLED.packs["xinzhou"].parameters
    in_force = {}
    for name, parameter in parameters.items():
        value = parameter.value_on(date(2027, 1, 15))
        assert value is not None, name
        in_force[name] = value.value
    assert in_force == XINZHOU_ON_2027_01_15


XINZHOU_SEVERITIES = {
    "notice.period": "violation",
    "notice.channels": "violation",
    "notice.contents": "violation",
    "notice.reach": "warning",
    "attendance.not_on_roster": "warning",
    "attendance.invitee_kind": "warning",
    "quorum.party_members": "violation",
    "quorum.representatives": "violation",
    "ballots.issued": "violation",
    "ballots.returned": "violation",
    "ballots.unknown_subject": "warning",
    "inquiry.commitment": "warning",
    "commitment.overdue": "warning",
}
"""The severities of DESIGN §5's table, for the rules that can be broken."""

XINZHOU_RULES_WITHOUT_SEVERITY = {
    "grade.thresholds",
    "pay.coefficient",
    "sanction.consecutive_incompetent",
    "organization.weak",
}


def test_the_xinzhou_chain_defines_every_rule_of_design_section_5_with_its_severity() -> None:
    chain = BUNDLED.chain("420117101201", date(2027, 1, 15))
    rules = {rule.id: rule for rule in chain.rules()}
    assert set(XINZHOU_SEVERITIES) | XINZHOU_RULES_WITHOUT_SEVERITY <= set(rules)
    for rule_id, severity in XINZHOU_SEVERITIES.items():
        rule = rules[rule_id]
        assert rule.mechanism is not None
        assert (rule.severity or BUNDLED.mechanisms[rule.mechanism].severity) == severity, rule_id


def test_a_parameter_of_no_rule_is_refused_naming_the_file_and_the_key(tmp_path: Path) -> None:
    """A misspelt parameter name belongs to no rule of the chain: refused when registered."""
    bundled = discover(entry_points=False)
    misspelt = MINIMUM.replace("quorum.representatives.minimum", "quorum.representative.minimum")
    path = pack_file(tmp_path, misspelt)
    pack = load_pack(path)
    with pytest.raises(PackError) as raised:
        PackRegistry.of([*bundled.packs.values(), pack], bundled.mechanisms.values())
    message = str(raised.value)
    assert str(path) in message
    assert "quorum.representative.minimum" in message
    assert "belongs to no rule" in message


def test_a_parameter_of_the_wrong_kind_for_its_mechanism_is_refused(tmp_path: Path) -> None:
    bundled = discover(entry_points=False)
    path = pack_file(
        tmp_path,
        MINIMUM.replace('kind = "integer"', 'kind = "decimal"').replace(
            "value = 20", 'value = "20"'
        ),
    )
    with pytest.raises(PackError) as raised:
        PackRegistry.of([*bundled.packs.values(), load_pack(path)], bundled.mechanisms.values())
    assert str(path) in str(raised.value)
    assert "quorum.representatives.minimum is of kind decimal" in str(raised.value)


ASSUMED = """
[pack]
name = "yangluo"
title = { zh = "阳逻街道", en = "Yangluo street" }
prefix = "420117101"
parent = "xinzhou"
in_force_from = 2020-01-01
in_force_from_assumed = true
in_force_from_note = "the rules say only that they apply from 2020"

[references.rules]
title = "阳逻街道直评村官实施细则"

[rules."quorum.representatives"]
mechanism = "quorum_minimum"
assumed = true
note = "the rules require a quorum but not of whom; we count representatives"

[rules."quorum.party_members"]
mechanism = "quorum_share"
basis = [{ reference = "rules", article = "第三条" }]
note = "a remark on a sourced rule is allowed and marks nothing"
"""


def test_a_rule_and_the_date_in_force_marked_assumed_with_a_note_load(tmp_path: Path) -> None:
    pack = load_pack(pack_file(tmp_path, ASSUMED))
    assert pack.in_force_from == date(2020, 1, 1)
    assert pack.in_force_from_assumed
    assert pack.in_force_from_note == "the rules say only that they apply from 2020"
    rules = {rule.id: rule for rule in pack.rules}
    assumed, cited = rules["quorum.representatives"], rules["quorum.party_members"]
    assert assumed.assumed
    assert assumed.note == "the rules require a quorum but not of whom; we count representatives"
    assert assumed.basis == ()
    assert not cited.assumed


def test_without_the_marks_nothing_is_assumed(tmp_path: Path) -> None:
    pack = load_pack(pack_file(tmp_path, MINIMUM))
    assert not pack.in_force_from_assumed
    assert pack.in_force_from_note is None


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("taizhou", 2013),
        ("xinzhou", 2016),
        ("wenjiang", 2005),
        ("xichong", 2018),
        ("yanling", 2015),
    ],
)
def test_a_bundled_pack_whose_source_gives_no_day_marks_its_date_in_force_assumed(
    name: str, year: int
) -> None:
    pack = BUNDLED.packs[name]
    assert pack.in_force_from == date(year, 1, 1)
    assert pack.in_force_from_assumed
    assert pack.in_force_from_note


@pytest.mark.parametrize("name", ["cn", "cn-organic-law"])
def test_a_pack_dated_by_its_law_is_not_assumed(name: str) -> None:
    assert not BUNDLED.packs[name].in_force_from_assumed


def test_no_bundled_pack_file_says_assumed_only_in_a_comment_on_its_header() -> None:
    """The header of every bundled file: the date's mark is a key, not a comment."""
    for pack in BUNDLED.packs.values():
        text = Path(pack.source).read_text(encoding="utf-8")
        header = text.split("[pack]", 1)[1].split("\n[", 1)[0]
        assert "#" not in header.replace("# never", ""), pack.name


def test_every_trace_entry_of_an_assumed_rule_says_so_and_no_other_entry_changes(
    tmp_path: Path,
) -> None:
    """Two optional keys on the assumed rule's entries; the outcome still fits its schema."""
    import zhiping
    from zhiping.testing import session_document

    pack = load_pack(pack_file(tmp_path, ASSUMED))
    registry = PackRegistry.of([*BUNDLED.packs.values(), pack], BUNDLED.mechanisms.values())
    document = session_document(village_code="420117101201", representatives_present=20)
    outcome = zhiping.evaluate(document, registry=registry).to_document()
    entries = outcome["trace"]
    assumed = [entry for entry in entries if entry["rule"] == "quorum.representatives"]
    assert assumed
    for entry in assumed:
        assert entry["rule_assumed"] is True
        assert entry["rule_note"] == (
            "the rules require a quorum but not of whom; we count representatives"
        )
    others = [entry for entry in entries if entry["rule"] != "quorum.representatives"]
    assert others
    assert all("rule_assumed" not in entry and "rule_note" not in entry for entry in others)
    read_back = zhiping.OutcomeDocument.model_validate(outcome)
    assert read_back.trace[entries.index(assumed[0])].rule_assumed
    assert read_back.model_dump(mode="json") == outcome  # the two keys only where they were
