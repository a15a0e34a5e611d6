"""Declarative case files: loading, merging a fragment, comparing, and bad files.

Every bundled pack's case files are run here too, in-process, so that our own suite
checks the hand-worked cases that ``pytest --zhiping-pack NAME`` runs for users.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import zhiping
from zhiping.errors import PackError
from zhiping.packs.registry import discover
from zhiping.testing import PackProfile
from zhiping.testing._case_file import _Base, _Expect
from zhiping.testing.cases import (
    Case,
    CaseFailed,
    Expectation,
    Mismatch,
    case_files,
    check_case,
    compare,
    load_case,
    merged,
    pack_cases,
    pack_session_document,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "testing.md"
BUNDLED = discover(entry_points=False)

Write = Callable[..., Path]

GRADED = """
[case]
name = "graded"
description = "worked by hand"

[base]
cadres = 1
performance_pay = "10000.05"
[base.counts]
organization = { satisfied = 60 }
c1 = { satisfied = 30, basically_satisfied = 14, dissatisfied = 16 }

[expect]
status = "valid"
grades = { organization = "excellent", c1 = "competent" }
pay = { c1 = "9000.05" }
actions = { c1 = [] }
"""


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Return a function writing a case file into a fresh directory."""

    def write_case(text: str, name: str = "case.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write_case


def every_bundled_case() -> list[Any]:
    return [
        pytest.param(name, path, id=f"{name}-{path.stem}")
        for name, pack in BUNDLED.packs.items()
        for path in case_files(pack)
    ]


# The bundled cases


@pytest.mark.parametrize(("pack", "path"), every_bundled_case())
def test_every_bundled_case_holds(pack: str, path: Path) -> None:
    """Each case file of each bundled pack gives the outcome it expects."""
    check_case(load_case(path), pack, registry=BUNDLED)


@pytest.mark.parametrize("pack", sorted(BUNDLED.packs))
def test_every_bundled_pack_ships_at_least_two_cases(pack: str) -> None:
    """Each bundled pack has hand-worked cases beside its pack.toml."""
    files = case_files(pack, registry=BUNDLED)
    assert len(files) >= 2
    assert {path.parent for path in files} == {Path(BUNDLED.packs[pack].source).parent / "cases"}


def test_the_wheel_ships_the_case_files(tmp_path: Path) -> None:
    """hatchling puts every bundled cases/*.toml into the wheel, beside pack.toml."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet"]
    command += ["--disable-pip-version-check", "--no-input", "-w", str(tmp_path), str(ROOT)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("*.whl")
    shipped = {name for name in zipfile.ZipFile(wheel).namelist() if "/cases/" in name}
    sources = ROOT / "src"
    expected = {
        path.relative_to(sources).as_posix()
        for path in (sources / "zhiping" / "plugins").glob("*/cases/*.toml")
    }
    assert shipped == expected
    installed = {path.name for pack in BUNDLED.packs.values() for path in case_files(pack)}
    assert installed == {Path(name).name for name in expected}


# Loading


def test_a_case_file_is_read_into_a_case(write: Write) -> None:
    case = load_case(write(GRADED))
    assert (case.name, case.description, case.forced) == ("graded", "worked by hand", None)
    assert case.base == {
        "cadres": 1,
        "performance_pay": "10000.05",
        "counts": {
            "organization": {"satisfied": 60},
            "c1": {"satisfied": 30, "basically_satisfied": 14, "dissatisfied": 16},
        },
    }
    assert case.expect == Expectation(
        status="valid",
        grades={"organization": "excellent", "c1": "competent"},
        pay={"c1": Decimal("9000.05")},
        actions={"c1": ()},
    )


def test_none_expects_no_grade_and_no_pay(write: Write) -> None:
    case = load_case(write('[case]\nname = "x"\n[expect]\ngrades = { c1 = "none" }\n'))
    assert case.expect.grades == {"c1": None}


def test_pack_cases_reads_every_file_in_name_order() -> None:
    cases = pack_cases("xinzhou", registry=BUNDLED)
    assert [Path(case.source).name for case in cases] == [
        "grades-and-pay.toml",
        "quorum-party-members-short.toml",
        "two-incompetent-years.toml",
    ]


def test_a_pack_without_a_cases_directory_has_no_cases(tmp_path: Path) -> None:
    elsewhere = attrs.evolve(BUNDLED.packs["xinzhou"], source=str(tmp_path / "pack.toml"))
    assert case_files(elsewhere) == ()
    assert case_files(attrs.evolve(elsewhere, source="")) == ()


def test_an_unknown_pack_has_no_case_files() -> None:
    with pytest.raises(PackError, match="no pack named 'nowhere'; installed: cn, "):
        case_files("nowhere", registry=BUNDLED)


# Bad case files: PackError naming the file and the key


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[case]\nname = "x"\n[expect]\ngrade = { c1 = "competent" }\n', "expect.grade"),
        ('[case]\nname = "x"\n[expect]\ngrades = { c1 = "Superb!" }\n', "expect.grades.c1"),
        ('[case]\nname = "x"\n[expect]\npay = { c1 = 9000.05 }\n', "expect.pay.c1"),
        ('[case]\nname = "x"\n[expect]\nactions = { c1 = ["Fired!"] }\n', "expect.actions.c1[0]"),
        ('[case]\nname = "x"\n[expect]\nfindings = ["quorum"]\n', "expect.findings[0]"),
        ('[case]\nname = "x"\n[expect]\nstatus = "ok"\n', "expect.status"),
        (
            '[case]\nname = "x"\n[base]\nparty_member = 3\n[expect]\nstatus = "valid"\n',
            "base.party_member",
        ),
        (
            '[case]\nname = "x"\n[base]\nnotice_days = "3"\n[expect]\nstatus = "valid"\n',
            "base.notice_days",
        ),
        ('[case]\nname = "x"\n[base]\ncadres = -1\n[expect]\nstatus = "valid"\n', "base.cadres"),
        ('[case]\nname = ""\n[expect]\nstatus = "valid"\n', "case.name"),
        ('[case]\nname = "x"\n', "expect"),
        ('[case]\nname = "x"\n[expect]\n', "expect"),
        ('[expect]\nstatus = "valid"\n', "case"),
    ],
)
def test_a_bad_case_file_names_the_file_and_the_key(write: Write, text: str, where: str) -> None:
    path = write(text)
    with pytest.raises(PackError) as raised:
        load_case(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: not a valid case file:")
    assert f"\n  {where}: " in message


def test_each_problem_reads_as_the_key_and_what_to_write(write: Write) -> None:
    text = '[case]\nname = "x"\n[base]\nnotice_days = "3"\n[expect]\n'
    path = write(text + 'grades = { c1 = "Superb!" }\npay = { c1 = 9000.05, c2 = "none" }\n')
    with pytest.raises(PackError) as raised:
        load_case(path)
    assert str(raised.value).splitlines() == [
        f"{path}: not a valid case file:",
        "  base.notice_days: expected a whole number; or must be False",
        "  expect.grades.c1: 'Superb!' is not a grade: write a grade id of the pack "
        "(as excellent), or none",
        '  expect.pay.c1: 9000.05 is not an amount: write yuan as text ("9000.05"), or none',
    ]
    assert raised.value.message("zh").splitlines() == [
        f"{path}:不是有效的用例文件:",
        "  base.notice_days: 应为整数;或 应为False",
        "  expect.grades.c1: 'Superb!' 不是等次:请写规则包等次表中的 id(如 excellent),或 none",
        '  expect.pay.c1: 9000.05 不是金额:请以文本书写元数("9000.05"),或写 none',
    ]


@pytest.mark.parametrize(
    ("expect", "where", "known"),
    [
        (
            'grades = { c1 = "superb" }',
            "expect.grades.c1: 'superb'",
            "excellent, competent, basically_competent, incompetent",
        ),
        ('actions = { c1 = ["fired"] }', "expect.actions.c1: 'fired'", "organizational_adjustment"),
    ],
)
def test_a_case_expecting_a_word_its_chain_lacks_is_refused_when_run(
    write: Write, expect: str, where: str, known: str
) -> None:
    """A well-formed id is read; under the pack, it must be one of the chain's words."""
    path = write(f'[case]\nname = "x"\n[expect]\n{expect}\n')
    case = load_case(path)
    with pytest.raises(PackError) as raised:
        check_case(case, "xinzhou")
    message = str(raised.value)
    assert message.startswith(
        f"{path}: {where} is not a word of the pack's chain (expected one of "
    )
    assert known in message


def test_base_and_document_together_are_refused(write: Write) -> None:
    text = '[case]\nname = "x"\n[base]\ncadres = 1\n[document]\nyear = 2026\n[expect]\n'
    with pytest.raises(PackError, match=r"give either \[base\] or \[document\], not both"):
        load_case(write(text + 'status = "valid"\n'))


def test_a_file_that_is_not_toml_names_the_file(write: Write) -> None:
    path = write('[case]\nname = "x\n')
    with pytest.raises(PackError, match=rf"^{re.escape(str(path))}: not valid TOML: .*line 2"):
        load_case(path)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(PackError, match=r"gone\.toml: cannot read"):
        load_case(tmp_path / "gone.toml")


def test_a_yaml_case_file_without_pyyaml_says_what_to_install(
    write: Write, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    with pytest.raises(PackError, match=r"case\.yaml: YAML case files need PyYAML"):
        load_case(write("case:\n  name: x\n", name="case.yaml"))


def test_a_yaml_case_file_reads_like_toml(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is YAML: a stand-in for PyYAML that reads JSON shows the YAML path."""
    stand_in = types.SimpleNamespace(safe_load=json.loads, YAMLError=ValueError)
    monkeypatch.setitem(sys.modules, "yaml", stand_in)
    text = '{"case": {"name": "x"}, "expect": {"grades": {"c1": null}, "status": "valid"}}'
    assert load_case(write(text, name="case.yml")).expect.grades == {"c1": None}
    with pytest.raises(PackError, match=r"case\.yaml: not valid YAML"):
        load_case(write("{", name="case.yaml"))


def test_a_document_the_case_builds_badly_fails_naming_the_file(write: Write) -> None:
    path = write('[case]\nname = "x"\n[fragment]\nyear = 1800\n[expect]\nstatus = "valid"\n')
    with pytest.raises(
        PackError, match=r"(?s)case\.toml: the session it builds is not valid: .*year: "
    ):
        check_case(load_case(path), "xinzhou", registry=BUNDLED)


def test_base_options_that_cannot_make_a_document_fail_naming_the_file(write: Write) -> None:
    text = '[case]\nname = "x"\n[base]\nparty_members = 3\n[expect]\nstatus = "valid"\n'
    with pytest.raises(PackError, match=r"case.toml: base: more present than on the roster"):
        check_case(load_case(write(text)), "xinzhou", registry=BUNDLED)


# Building the document: base, fragment, full document


def test_a_fragment_merges_tables_and_replaces_arrays() -> None:
    base = {"a": {"b": 1, "c": [1, 2]}, "d": [{"e": 1}], "f": 1}
    fragment = {"a": {"c": [3], "g": {"h": 2}}, "d": [], "f": {"i": 1}}
    assert merged(base, fragment) == {
        "a": {"b": 1, "c": [3], "g": {"h": 2}},
        "d": [],
        "f": {"i": 1},
    }
    assert base == {"a": {"b": 1, "c": [1, 2]}, "d": [{"e": 1}], "f": 1}


def test_merged_copies_so_the_result_shares_nothing_with_the_fragment() -> None:
    fragment: dict[str, Any] = {"a": {"b": [1]}}
    result = merged({}, fragment)
    result["a"]["b"].append(2)
    assert fragment == {"a": {"b": [1]}}


@pytest.mark.parametrize(("pack", "prefix"), [("taizhou", "3212"), ("xichong", "511325")])
def test_the_base_document_is_for_a_village_of_the_pack(pack: str, prefix: str) -> None:
    document = pack_session_document(pack, registry=BUNDLED)
    assert document["village"]["code"].startswith(prefix)
    assert (document["year"], document["held_on"]) == (2026, "2027-01-15")


def test_false_leaves_out_the_notice_and_the_pay() -> None:
    document = pack_session_document("xinzhou", registry=BUNDLED, notice_days=False)
    assert "notice" not in document
    unpaid = pack_session_document("xinzhou", registry=BUNDLED, performance_pay=False)
    assert all("performance_pay" not in cadre for cadre in unpaid["cadres"])


def test_without_counts_every_ballot_says_the_best_word_of_the_pack_scale() -> None:
    document = pack_session_document("cn-organic-law", registry=BUNDLED, cadres=1)
    assert document["ballots"]["counts"] == {
        "organization": {"competent": 62},
        "c1": {"competent": 62},
    }


def test_a_year_without_held_on_is_held_the_next_january() -> None:
    document = pack_session_document("xinzhou", registry=BUNDLED, year=2024)
    assert (document["year"], document["held_on"]) == (2024, "2025-01-15")


def test_dates_of_a_fragment_become_iso_text(write: Write) -> None:
    text = '[case]\nname = "x"\n[fragment]\nheld_on = 2027-01-20\n[expect]\nstatus = "valid"\n'
    case = load_case(write(text))
    profile = PackProfile.of("xinzhou", registry=BUNDLED)
    assert case.session_document(profile)["held_on"] == "2027-01-20"


def test_a_whole_document_is_taken_as_it_is(write: Write) -> None:
    document = pack_session_document("xinzhou", registry=BUNDLED, cadres=1)
    case = Case(name="x", source="x.toml", expect=Expectation(status="valid"), document=document)
    profile = PackProfile.of("taizhou", registry=BUNDLED)
    assert case.session_document(profile) == document


# Comparing: what differs, subject by subject


@pytest.fixture(scope="module")
def outcome() -> zhiping.Outcome:
    """Organization excellent, c1 competent paid 9000.05, c2 incompetent; valid."""
    document = pack_session_document(
        "xinzhou",
        registry=BUNDLED,
        performance_pay="10000.05",
        counts={
            "organization": {"satisfied": 60},
            "c1": {"satisfied": 30, "basically_satisfied": 14, "dissatisfied": 16},
            "c2": {"satisfied": 10, "basically_satisfied": 10, "dissatisfied": 40},
        },
    )
    document["history"] = [{"subject": "c2", "year": 2025, "grade": "incompetent"}]
    return zhiping.evaluate(document, registry=BUNDLED)


def test_an_outcome_that_meets_every_expectation_has_no_mismatch(
    outcome: zhiping.Outcome,
) -> None:
    expect = Expectation(
        status="valid",
        packs=("cn", "xinzhou"),
        no_findings=("quorum.party_members",),
        eligible={"c1": True},
        grades={"organization": "excellent", "c1": "competent", "c2": "incompetent"},
        pay={"c1": Decimal("9000.050"), "c2": Decimal(0)},
        actions={"c1": (), "c2": ("organizational_adjustment",)},
    )
    assert compare(expect, outcome, pack="xinzhou") == []


def test_each_unmet_expectation_is_one_mismatch(outcome: zhiping.Outcome) -> None:
    expect = Expectation(
        status="void",
        findings=("quorum.party_members",),
        eligible={"c1": False},
        grades={"c1": "excellent", "organization": None},
        pay={"c1": Decimal("9000.04"), "c2": None},
        actions={"c2": ()},
    )
    assert compare(expect, outcome, pack="xinzhou") == [
        Mismatch(None, "status", "void", "valid"),
        Mismatch(None, "findings", "quorum.party_members among them", "none"),
        Mismatch("c1", "eligible", "False", "True"),
        Mismatch("c1", "grade", "excellent", "competent"),
        Mismatch("c1", "pay", "9000.04", "9000.05"),
        Mismatch("organization", "grade", "none", "excellent"),
        Mismatch("c2", "pay", "none", "0.00"),
        Mismatch("c2", "actions", "[]", "['organizational_adjustment']"),
    ]


def test_a_subject_not_in_the_outcome_is_a_mismatch(outcome: zhiping.Outcome) -> None:
    (mismatch,) = compare(Expectation(grades={"c9": "competent"}), outcome)
    assert (
        str(mismatch) == "c9 subject: expected it in the outcome, got subjects organization, c1, c2"
    )


def test_the_chain_must_end_with_the_pack_unless_the_case_names_it(
    outcome: zhiping.Outcome,
) -> None:
    (mismatch,) = compare(Expectation(status="valid"), outcome, pack="yangluo")
    assert str(mismatch) == "packs: expected a chain ending in yangluo, got cn ► xinzhou"
    named = Expectation(status="valid", packs=("cn", "xinzhou"))
    assert compare(named, outcome, pack="yangluo") == []


def test_a_finding_that_must_be_absent_is_a_mismatch() -> None:
    document = pack_session_document("xinzhou", registry=BUNDLED, party_members_present=29)
    outcome = zhiping.evaluate(document, registry=BUNDLED)
    (mismatch,) = compare(Expectation(no_findings=("quorum.party_members",)), outcome)
    assert str(mismatch) == (
        "findings: expected none of quorum.party_members, got quorum.party_members"
    )


def test_a_failed_case_shows_the_file_each_difference_and_the_outcome(write: Write) -> None:
    path = write(GRADED.replace('c1 = "9000.05"', 'c1 = "9000.04"'))
    case = load_case(path)
    with pytest.raises(CaseFailed) as raised:
        check_case(case, "xinzhou", registry=BUNDLED)
    assert raised.value.mismatches == (Mismatch("c1", "pay", "9000.04", "9000.05"),)
    assert str(raised.value).splitlines() == [
        f"{path}: case 'graded' under pack xinzhou: 1 expectation not met",
        "  c1 pay: expected 9000.04, got 9000.05",
        "the outcome:",
        "  status valid under cn ► xinzhou; findings: none",
        "  organization: grade excellent, pay none, actions none",
        "  c1: grade competent, pay 9000.05, actions none",
    ]
    assert isinstance(raised.value, AssertionError)


def test_a_case_that_holds_returns_its_outcome(write: Write) -> None:
    outcome = check_case(load_case(write(GRADED)), "xinzhou", registry=BUNDLED)
    assert outcome.subject("c1").grade == "competent"


def test_forced_evaluates_under_the_pack_whatever_the_village(write: Write) -> None:
    """A Taizhou village, forced under xinzhou, is judged by xinzhou's rules."""
    body = '[base]\nvillage_code = "321202001001"\n[expect]\nstatus = "valid"\n'
    forced = load_case(write('[case]\nname = "x"\nforced = true\n' + body))
    assert check_case(forced, "xinzhou", registry=BUNDLED).packs == ("cn", "xinzhou")
    natural = load_case(write('[case]\nname = "x"\n' + body))
    with pytest.raises(
        CaseFailed, match="packs: expected a chain ending in xinzhou, got cn ► taizhou"
    ):
        check_case(natural, "xinzhou", registry=BUNDLED)


def test_a_pack_no_village_selects_is_forced_by_default(write: Write) -> None:
    text = '[case]\nname = "x"\n[expect]\npacks = ["cn", "cn-organic-law"]\n'
    assert check_case(load_case(write(text)), "cn-organic-law", registry=BUNDLED).packs == (
        "cn",
        "cn-organic-law",
    )


# The documentation: every key of the format is described in docs/testing.md


@pytest.mark.parametrize(
    "key",
    [
        *(f"`{name}`" for name in _Expect.model_fields),
        *(f"`{name}`" for name in _Base.model_fields),
        "`[case]`",
        "`[base]`",
        "`[document]`",
        "`[fragment]`",
        "`[expect]`",
        "`forced`",
        "`description`",
        '`"none"`',
    ],
)
def test_every_key_of_a_case_file_is_documented(key: str) -> None:
    assert key in DOCS.read_text(encoding="utf-8")
