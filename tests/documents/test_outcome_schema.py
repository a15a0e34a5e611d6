"""The generated JSON Schemas: outcomes validate against theirs, sessions against theirs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

import zhiping
from zhiping.documents.vocabulary import with_vocabulary
from zhiping.packs.registry import default_registry
from zhiping.testing import as_cast, session_document

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "guanzhai-2026.json"

MARKS_FOR = {
    "excellent": {"satisfied": 60},
    "competent": {"satisfied": 40, "dissatisfied": 20},
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},
    "incompetent": {"satisfied": 30, "dissatisfied": 30},
}


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def outcome_validator() -> Draft202012Validator:
    return validator_for(zhiping.OutcomeDocument.model_json_schema())


def session_validator() -> Draft202012Validator:
    return validator_for(zhiping.Session.model_json_schema(by_alias=True))


def as_json(document: dict[str, Any]) -> Any:
    """Return the document as it reads back from JSON text (what a frontend stores)."""
    return json.loads(json.dumps(document, ensure_ascii=False))


def errors_of(validator: Draft202012Validator, instance: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


# Outcomes of every shape.


def plain_valid() -> dict[str, Any]:
    return session_document()


def void_by_quorum() -> dict[str, Any]:
    return session_document(party_members_present=29)


def void_without_notice() -> dict[str, Any]:
    return session_document(notice_days=None)


def with_pay_and_actions() -> dict[str, Any]:
    document = session_document(
        cadres=3,
        counts={
            "organization": MARKS_FOR["incompetent"],
            "c1": MARKS_FOR["incompetent"],
            "c2": MARKS_FOR["competent"],
            "c3": MARKS_FOR["basically_competent"],
        },
        performance_pay="10000.01",
    )
    document["history"] = [{"subject": "c1", "year": 2025, "grade": "incompetent"}]
    return document


def with_warnings() -> dict[str, Any]:
    document = as_cast(
        session_document(
            cadres=2,
            counts={
                "organization": {"satisfied": 60},
                "c1": {"satisfied": 55, "invalid": 5},
                "c2": {"abstain": 60},
            },
        )
    )
    document["ballots"]["cast"][0]["marks"]["c9"] = "satisfied"
    document["reach"] = {"households_informed": 247, "households_visited": 248}
    document["attendance"].append({"person": "stranger", "as": ["party_member"]})
    document["attendance"].append({"person": "x01", "as": ["invitee"]})
    document["inquiries"] = [{"id": "q1", "to": "c1", "topic": "村道硬化", "answered": "later"}]
    document["carried_commitments"] = [
        {"to": "c2", "text": "修水渠", "due": "2026-06-30", "fulfilled_on": None, "year": 2025}
    ]
    return document


def void_with_history() -> dict[str, Any]:
    document = with_pay_and_actions()
    document["notice"]["published_on"] = "2027-01-14"
    return document


BUILDERS: list[Callable[[], dict[str, Any]]] = [
    plain_valid,
    void_by_quorum,
    void_without_notice,
    with_pay_and_actions,
    with_warnings,
    void_with_history,
]
IDS = [build.__name__ for build in BUILDERS]


def test_the_builders_cover_every_shape_of_outcome() -> None:
    """Valid and void, with pay, with actions, with warnings, with a missing grade."""
    outcomes = [zhiping.evaluate(build()) for build in BUILDERS]
    statuses = {o.status for o in outcomes}
    assert statuses == {"valid", "void"}
    subjects = [s for o in outcomes for s in o.subjects]
    assert any(s.pay is not None for s in subjects)
    assert {a.kind for s in subjects for a in s.actions} == {
        "organizational_adjustment",
        "weak_organization_rectification",
    }
    severities = {f.severity for o in outcomes for f in o.findings}
    assert severities == {"violation", "warning"}
    assert any(s.grade is None and s.tally is not None for s in subjects)
    warned = zhiping.evaluate(with_warnings())
    assert warned.status == "valid"
    assert {f.rule for f in warned.findings} == {
        "notice.reach",
        "attendance.not_on_roster",
        "attendance.invitee_kind",
        "ballots.unknown_subject",
        "grade.no_valid_votes",
        "inquiry.commitment",
        "commitment.overdue",
    }


def test_the_outcome_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(zhiping.OutcomeDocument.model_json_schema())


@pytest.mark.parametrize("build", BUILDERS, ids=IDS)
def test_an_outcome_document_validates_against_the_generated_schema(
    build: Callable[[], dict[str, Any]],
) -> None:
    document = zhiping.evaluate(build()).to_document()
    assert errors_of(outcome_validator(), as_json(document)) == []


@pytest.mark.parametrize("build", BUILDERS, ids=IDS)
def test_an_outcome_document_round_trips_through_the_outcome_model(
    build: Callable[[], dict[str, Any]],
) -> None:
    document = as_json(zhiping.evaluate(build()).to_document())
    model = zhiping.OutcomeDocument.model_validate(document)
    assert model.model_dump(mode="json") == document
    again = zhiping.OutcomeDocument.model_validate(model.model_dump(mode="json"))
    assert again == model


def test_an_outcome_document_is_json_as_it_stands() -> None:
    document = zhiping.evaluate(with_pay_and_actions()).to_document()
    assert as_json(document) == document


def test_the_outcome_document_spells_the_design_fields() -> None:
    document = zhiping.evaluate(with_pay_and_actions()).to_document()
    assert document["format"] == "zhiping.outcome/1"
    assert document["session"] == "420117101201-2026"
    assert document["packs"] == ["cn", "xinzhou"]
    assert document["status"] == "valid"
    c1 = document["subjects"][1]
    assert c1["id"] == "c1"
    assert c1["kind"] == "cadre"
    assert c1["eligible"] is True
    assert c1["tally"] == {
        "satisfied": 30,
        "basically_satisfied": 0,
        "dissatisfied": 30,
        "abstain": 0,
        "invalid": 0,
    }
    assert c1["valid_votes"] == 60
    assert c1["grade"] == "incompetent"
    # coefficient pay keeps the three keys it always had, and no others
    assert c1["pay"] == {"performance_pay": "10000.01", "coefficient": "0.00", "amount": "0.00"}
    assert c1["actions"] == [
        {
            "kind": "organizational_adjustment",
            "rule": "sanction.consecutive_incompetent",
            "pack": "xinzhou",
        }
    ]
    assert document["subjects"][0]["kind"] == "organization"


def test_the_outcome_schema_rejects_a_document_that_breaks_it() -> None:
    validator = outcome_validator()
    document = as_json(zhiping.evaluate(with_pay_and_actions()).to_document())
    bad_status = {**document, "status": "pending"}
    assert errors_of(validator, bad_status)
    extra = {**document, "verdict": "ok"}
    assert errors_of(validator, extra)
    bad_pay = json.loads(json.dumps(document))
    bad_pay["subjects"][1]["pay"]["amount"] = "9000.009"
    assert errors_of(validator, bad_pay)
    bad_action = json.loads(json.dumps(document))
    bad_action["subjects"][1]["actions"][0]["kind"] = "Execution!"
    assert errors_of(validator, bad_action)


def test_the_schema_of_a_chain_lists_its_grades_words_and_actions() -> None:
    """Without a pack an action is any id; with the chain's words, only the chain's."""
    document = as_json(zhiping.evaluate(with_pay_and_actions()).to_document())
    unknown_action = json.loads(json.dumps(document))
    unknown_action["subjects"][1]["actions"][0]["kind"] = "execution"
    unknown_grade = json.loads(json.dumps(document))
    unknown_grade["subjects"][1]["grade"] = "good"
    unknown_word = json.loads(json.dumps(document))
    unknown_word["subjects"][1]["tally"]["fine"] = 0
    vocabulary = default_registry().check_pack("xinzhou").vocabulary
    of_the_chain = validator_for(
        with_vocabulary(zhiping.OutcomeDocument.model_json_schema(), vocabulary)
    )
    assert not errors_of(of_the_chain, document)
    for bad in (unknown_action, unknown_grade, unknown_word):
        assert not errors_of(outcome_validator(), bad)
        assert errors_of(of_the_chain, bad)


PAY_OF_EVERY_FORM = [
    {"performance_pay": "10000.00", "coefficient": "1.125", "amount": "11250.00"},
    {
        "performance_pay": "8000.00",
        "coefficient": "2/3",
        "amount": "5333.33",
        "form": "proportional",
        "score": "80.00",
        "none_below": "60.00",
        "full_at": "90.00",
    },
    {
        "performance_pay": None,
        "coefficient": None,
        "amount": "900.00",
        "form": "fixed",
        "per_month": "300.005",
        "months": 3,
    },
]


@pytest.mark.parametrize("pay", PAY_OF_EVERY_FORM, ids=["coefficient", "proportional", "fixed"])
def test_a_pay_of_every_form_validates_and_reads_back_with_only_its_own_keys(
    pay: dict[str, Any],
) -> None:
    document = as_json(zhiping.evaluate(with_pay_and_actions()).to_document())
    document["subjects"][2]["pay"] = pay
    assert errors_of(outcome_validator(), document) == []
    model = zhiping.OutcomeDocument.model_validate(document)
    assert model.model_dump(mode="json") == document


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("coefficient", "1.1"),  # fewer than 2 places
        ("coefficient", "0.675x"),
        ("amount", "11250.001"),
        ("form", "bonus"),
        ("months", 0),
        ("per_month", "300"),
    ],
)
def test_the_outcome_schema_rejects_a_pay_figure_that_breaks_it(key: str, value: object) -> None:
    document = as_json(zhiping.evaluate(with_pay_and_actions()).to_document())
    document["subjects"][2]["pay"][key] = value
    assert errors_of(outcome_validator(), document)


# The session schema.


def session_examples() -> list[tuple[str, Any]]:
    invited = session_document(invitees=3, cadres=4, performance_pay=None)
    with_everything = with_warnings()
    with_everything["history"] = [{"subject": "c1", "year": 2025, "grade": "competent"}]
    with_everything["assessments"] = {"township_committee": {"c1": "85"}, "target": {"c1": "78.5"}}
    return [
        ("default", session_document()),
        ("cast", as_cast(session_document())),
        ("invitees", invited),
        ("with_everything", with_everything),
        ("with_pay_and_actions", with_pay_and_actions()),
        ("guanzhai", json.loads(EXAMPLE.read_text(encoding="utf-8"))),
    ]


def test_the_session_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(zhiping.Session.model_json_schema(by_alias=True))


@pytest.mark.parametrize(
    "document", [d for _, d in session_examples()], ids=[n for n, _ in session_examples()]
)
def test_the_session_schema_accepts_the_example_documents(document: Any) -> None:
    zhiping.parse_session(document)  # the documents are valid
    assert errors_of(session_validator(), as_json(document)) == []


def test_the_bundled_example_evaluates() -> None:
    outcome = zhiping.evaluate(EXAMPLE.read_text(encoding="utf-8"))
    assert outcome.packs == ("cn", "xinzhou")
    assert errors_of(outcome_validator(), as_json(outcome.to_document())) == []


def test_the_session_schema_rejects_unknown_fields_and_a_wrong_format() -> None:
    validator = session_validator()
    document = session_document()
    assert errors_of(validator, {**document, "comment": "x"})
    assert errors_of(validator, {**document, "format": "zhiping.session/2"})
    cadres = [{**document["cadres"][0], "nickname": "老张"}]
    assert errors_of(validator, {**document, "cadres": cadres})
    money = [{**document["cadres"][0], "performance_pay": 12000}]
    assert errors_of(validator, {**document, "cadres": money})
    capacity = [{"person": "pm001", "as": ["observer"]}]
    assert errors_of(validator, {**document, "attendance": capacity})
