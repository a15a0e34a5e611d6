"""The session document ``zhiping.session/1``: every broken document is refused with paths."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

import zhiping
from zhiping.testing import as_cast, session_document

Document = dict[str, Any]


def valid() -> Document:
    """A valid Xinzhou document with two cadres, c1 and c2, in the counts form."""
    return session_document(cadres=2)


def paths_of(document: Any) -> list[str]:
    """Return the paths of the problems that parsing ``document`` raises."""
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    problems = raised.value.problems
    assert problems
    assert all(isinstance(p, zhiping.Problem) and p.message for p in problems)
    return sorted(p.path for p in problems)


def test_the_valid_document_parses() -> None:
    session = zhiping.parse_session(valid())
    assert session.subject_ids == ("organization", "c1", "c2")


def test_an_input_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="format"):
        zhiping.parse_session({**valid(), "format": "zhiping.session/2"})


# One broken document per kind, and the paths its problems must have.


def wrong_format(d: Document) -> None:
    d["format"] = "zhiping.session/2"


def unknown_root_field(d: Document) -> None:
    d["comment"] = "filled in by hand"


def unknown_nested_field(d: Document) -> None:
    d["cadres"][0]["nickname"] = "老张"


def unknown_field_in_notice(d: Document) -> None:
    d["notice"]["posted_by"] = "r001"


def village_code_of_eleven_digits(d: Document) -> None:
    d["village"]["code"] = "42011710120"


def village_code_with_letters(d: Document) -> None:
    d["village"]["code"] = "42011710120A"


def impossible_date(d: Document) -> None:
    d["cadres"][1]["in_office_since"] = "2021-02-30"


def date_in_another_format(d: Document) -> None:
    d["held_on"] = "15/01/2027"


def cadre_id_organization(d: Document) -> None:
    d["cadres"][1]["id"] = "organization"


def repeated_cadre_id(d: Document) -> None:
    d["cadres"][1]["id"] = "c1"


def repeated_attendance_person(d: Document) -> None:
    d["attendance"][5]["person"] = d["attendance"][2]["person"]


def unknown_capacity(d: Document) -> None:
    d["attendance"][3]["as"] = ["observer"]


def no_capacity(d: Document) -> None:
    d["attendance"][3]["as"] = []


def cast_not_as_long_as_returned(d: Document) -> None:
    cast = as_cast(d)["ballots"]
    d["ballots"] = {**cast, "cast": cast["cast"][:-1]}


def counts_not_summing_to_returned(d: Document) -> None:
    d["ballots"]["counts"]["c1"]["satisfied"] -= 1


def both_cast_and_counts(d: Document) -> None:
    d["ballots"]["cast"] = as_cast(d)["ballots"]["cast"]


def neither_cast_nor_counts(d: Document) -> None:
    del d["ballots"]["counts"]


def performance_pay_as_a_number(d: Document) -> None:
    d["cadres"][0]["performance_pay"] = 12000.0


def performance_pay_with_three_decimals(d: Document) -> None:
    d["cadres"][1]["performance_pay"] = "12000.005"


def negative_performance_pay(d: Document) -> None:
    d["cadres"][0]["performance_pay"] = "-100.00"


def inquiry_to_an_unknown_subject(d: Document) -> None:
    d["inquiries"] = [{"id": "q1", "to": "c9", "topic": "村道硬化", "answered": "on_site"}]


def inquiry_with_an_unknown_answer(d: Document) -> None:
    d["inquiries"] = [{"id": "q1", "to": "c1", "topic": "村道硬化", "answered": "maybe"}]


def repeated_inquiry_id_to_an_unknown_subject(d: Document) -> None:
    d["inquiries"] = [
        {"id": "q1", "to": "c1", "topic": "村道硬化", "answered": "on_site"},
        {"id": "q1", "to": "c9", "topic": "饮水安全", "answered": "on_site"},
    ]


def history_year_not_before_the_session_year(d: Document) -> None:
    d["history"] = [
        {"subject": "c1", "year": 2025, "grade": "incompetent"},
        {"subject": "c1", "year": 2026, "grade": "incompetent"},
    ]


def history_with_an_unknown_grade(d: Document) -> None:
    d["history"] = [{"subject": "c1", "year": 2025, "grade": "Poor grade"}]


def carried_commitment_year_not_before(d: Document) -> None:
    d["carried_commitments"] = [
        {"to": "c1", "text": "修路", "due": "2026-06-30", "fulfilled_on": None, "year": 2026}
    ]


def negative_count(d: Document) -> None:
    d["ballots"]["issued"] = -1


def negative_count_of_a_mark(d: Document) -> None:
    d["ballots"]["counts"]["c2"] = {"satisfied": 63, "dissatisfied": -1}


def count_as_a_string(d: Document) -> None:
    d["ballots"]["returned"] = "62"


def year_as_a_string(d: Document) -> None:
    d["year"] = "2026"


def missing_roster(d: Document) -> None:
    del d["roster"]


def in_office_after_the_session(d: Document) -> None:
    d["cadres"][0]["in_office_since"] = "2027-02-01"


def quarter_out_of_range(d: Document) -> None:
    d["quarter"] = 5


def repeated_party_member_on_the_roster(d: Document) -> None:
    d["roster"]["party_members"][1] = "pm001"


def unknown_post(d: Document) -> None:
    d["cadres"][0]["posts"] = ["village_head"]


BROKEN: list[tuple[Callable[[Document], None], list[str]]] = [
    (wrong_format, ["format"]),
    (unknown_root_field, ["comment"]),
    (unknown_nested_field, ["cadres[0].nickname"]),
    (unknown_field_in_notice, ["notice.posted_by"]),
    (village_code_of_eleven_digits, ["village.code"]),
    (village_code_with_letters, ["village.code"]),
    (impossible_date, ["cadres[1].in_office_since"]),
    (date_in_another_format, ["held_on"]),
    (cadre_id_organization, ["cadres[1].id"]),
    (repeated_cadre_id, ["cadres[1].id"]),
    (repeated_attendance_person, ["attendance[5].person"]),
    (unknown_capacity, ["attendance[3].as[0]"]),
    (no_capacity, ["attendance[3].as"]),
    (cast_not_as_long_as_returned, ["ballots.cast"]),
    (counts_not_summing_to_returned, ["ballots.counts.c1"]),
    (both_cast_and_counts, ["ballots"]),
    (neither_cast_nor_counts, ["ballots"]),
    (performance_pay_as_a_number, ["cadres[0].performance_pay"]),
    (performance_pay_with_three_decimals, ["cadres[1].performance_pay"]),
    (negative_performance_pay, ["cadres[0].performance_pay"]),
    (inquiry_to_an_unknown_subject, ["inquiries[0].to"]),
    (inquiry_with_an_unknown_answer, ["inquiries[0].answered"]),
    (repeated_inquiry_id_to_an_unknown_subject, ["inquiries[1].id", "inquiries[1].to"]),
    (history_year_not_before_the_session_year, ["history[1].year"]),
    (history_with_an_unknown_grade, ["history[0].grade"]),
    (carried_commitment_year_not_before, ["carried_commitments[0].year"]),
    (negative_count, ["ballots.issued"]),
    (negative_count_of_a_mark, ["ballots.counts.c2.dissatisfied"]),
    (count_as_a_string, ["ballots.returned"]),
    (year_as_a_string, ["year"]),
    (missing_roster, ["roster"]),
    (in_office_after_the_session, ["cadres[0].in_office_since"]),
    (quarter_out_of_range, ["quarter"]),
    (repeated_party_member_on_the_roster, ["roster.party_members"]),
    (unknown_post, ["cadres[0].posts[0]"]),
]


@pytest.mark.parametrize(
    ("breakage", "expected"), BROKEN, ids=[breakage.__name__ for breakage, _ in BROKEN]
)
def test_a_broken_document_is_refused_with_the_path_of_its_problem(
    breakage: Callable[[Document], None], expected: list[str]
) -> None:
    document = valid()
    breakage(document)
    assert paths_of(document) == expected


@pytest.mark.parametrize(
    ("breakage", "expected"), BROKEN, ids=[breakage.__name__ for breakage, _ in BROKEN]
)
def test_evaluate_refuses_a_broken_document_before_evaluating(
    breakage: Callable[[Document], None], expected: list[str]
) -> None:
    document = valid()
    breakage(document)
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(document)
    assert sorted(p.path for p in raised.value.problems) == expected


@pytest.mark.parametrize("name", ["date", "int", "str", "remarks"])
def test_an_unknown_field_is_named_in_the_path_whatever_its_name(name: str) -> None:
    """A field called like a type (``date``, ``int``, ``str``) is still a field of the document."""
    at_root = valid()
    at_root[name] = "2027-01-15"
    assert paths_of(at_root) == [name]
    nested = valid()
    nested["cadres"][0][name] = 3
    assert paths_of(nested) == [f"cadres[0].{name}"]


@pytest.mark.parametrize("subject", ["int", "date", "c1"])
def test_a_bad_count_is_located_under_its_subject_whatever_the_subjects_id(subject: str) -> None:
    document = valid()
    document["ballots"]["counts"][subject] = {"satisfied": 63, "dissatisfied": -1}
    assert paths_of(document) == [f"ballots.counts.{subject}.dissatisfied"]


@pytest.mark.parametrize(
    "value",
    [
        1799971200,  # 2027-01-15 as a Unix timestamp
        "1799971200",
        "2027-01-15T00:00:00",
    ],
)
def test_a_date_that_is_not_an_iso_calendar_date_is_refused(value: object) -> None:
    """DESIGN §2: held_on is an ISO date, as the session schema's ``format: date`` says."""
    document = valid()
    document["held_on"] = value
    assert paths_of(document) == ["held_on"]


def test_invitee_kind_without_the_invitee_capacity_is_refused() -> None:
    document = valid()
    document["attendance"][0]["invitee_kind"] = "deputy"
    # The problem is the entry's combination of fields; either path points at it.
    (path,) = paths_of(document)
    assert path in ("attendance[0]", "attendance[0].invitee_kind")


def test_text_that_is_not_json_is_refused_with_an_empty_path() -> None:
    assert paths_of("this is not JSON {") == [""]
    assert paths_of(b"\xff\xfe not utf-8") == [""]


def test_json_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(zhiping.InputError):
        zhiping.parse_session("[1, 2, 3]")


def test_valid_json_text_parses_like_the_object() -> None:
    document = valid()
    assert zhiping.parse_session(json.dumps(document)) == zhiping.parse_session(document)


# Several problems at once.


def test_a_document_with_several_structural_problems_lists_all_of_them() -> None:
    document = valid()
    wrong_format(document)
    unknown_nested_field(document)
    village_code_of_eleven_digits(document)
    impossible_date(document)
    unknown_capacity(document)
    performance_pay_with_three_decimals(document)
    assert paths_of(document) == sorted(
        [
            "format",
            "cadres[0].nickname",
            "village.code",
            "cadres[1].in_office_since",
            "attendance[3].as[0]",
            "cadres[1].performance_pay",
        ]
    )


def test_a_document_whose_parts_disagree_in_several_places_lists_all_of_them() -> None:
    document = valid()
    repeated_cadre_id(document)
    repeated_attendance_person(document)
    counts_not_summing_to_returned(document)
    inquiry_to_an_unknown_subject(document)
    history_year_not_before_the_session_year(document)
    in_office_after_the_session(document)
    assert paths_of(document) == sorted(
        [
            "cadres[1].id",
            "attendance[5].person",
            "ballots.counts.c1",
            "inquiries[0].to",
            "history[1].year",
            "cadres[0].in_office_since",
        ]
    )


def test_every_problem_is_named_in_the_error_message() -> None:
    document = valid()
    wrong_format(document)
    village_code_of_eleven_digits(document)
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.parse_session(document)
    text = str(raised.value)
    assert "format" in text
    assert "village.code" in text


# What is not a document error.


def test_a_mark_outside_the_scale_is_not_a_document_error() -> None:
    document = as_cast(valid())
    document["ballots"]["cast"][0]["marks"]["c1"] = "非常满意"
    document["ballots"]["cast"][1]["marks"]["c1"] = "SATISFIED"
    zhiping.parse_session(document)
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    c1 = outcome.subject("c1").tally
    c2 = outcome.subject("c2").tally
    assert c1 is not None
    assert c2 is not None
    assert (c1.invalid, c1.valid_votes) == (2, 60)
    assert (c2.invalid, c2.valid_votes) == (0, 62)


def test_a_mark_for_a_subject_that_does_not_exist_is_not_a_document_error() -> None:
    document = as_cast(valid())
    document["ballots"]["cast"][0]["marks"]["c7"] = "satisfied"
    zhiping.parse_session(document)


def test_an_unrecognised_invitee_kind_is_not_a_document_error() -> None:
    document = session_document(invitees=1)
    document["attendance"][-1]["invitee_kind"] = "journalist"
    zhiping.parse_session(document)


def test_a_session_held_in_the_year_after_the_work_year_parses() -> None:
    session = zhiping.parse_session(valid())
    assert session.held_on.year == session.year + 1


def test_optional_parts_may_be_left_out() -> None:
    document = valid()
    del document["notice"]
    for cadre in document["cadres"]:
        cadre.pop("performance_pay", None)
    session = zhiping.parse_session(document)
    assert session.notice is None
    assert session.inquiries == ()
    assert session.history == ()


def test_the_document_is_not_modified_by_parsing() -> None:
    document = valid()
    before = copy.deepcopy(document)
    zhiping.parse_session(document)
    assert document == before
