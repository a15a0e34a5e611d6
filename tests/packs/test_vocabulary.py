"""A pack declares its own grades, ballot words and actions; every output speaks them.

The town here is built from data, as a rule author writes it: three grades 较好 / 一般 /
较差 (good, fair, poor), two actions 诫免 / 暂停职务 (warning, suspension). Expected
grades come from its thresholds, worked by hand in each test.
"""

from __future__ import annotations

import copy
import io
from datetime import date
from typing import Any

import pytest
from rich.console import Console

import zhiping
from zhiping.documents.vocabulary import Vocabulary
from zhiping.errors import InputError, PackError
from zhiping.outputs.packs_report import render_pack
from zhiping.outputs.report import render_explanation, render_outcome
from zhiping.outputs.results_sheet import results_sheet
from zhiping.outputs.results_table import table_rows
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.rules import BUILTIN_MECHANISMS
from zhiping.testing import session_document

INSTALLED = default_registry()
VILLAGE = "421122150201"

GRADES = [
    {"id": "good", "zh": "较好", "en": "good"},
    {"id": "fair", "zh": "一般", "en": "fair"},
    {"id": "poor", "zh": "较差", "en": "poor"},
]
ACTIONS = [
    {"id": "warning", "zh": "诫免", "en": "formal warning"},
    {"id": "suspension", "zh": "暂停职务", "en": "suspension"},
]


def value(v: Any, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "values": [{"from": date(2026, 1, 1), "value": v, "assumed": True, "note": "t"}],
    }


def town_data(**changes: Any) -> dict[str, Any]:
    """Return the town's pack file as decoded TOML; ``changes`` replace top-level tables."""
    data: dict[str, Any] = {
        "pack": {
            "name": "town",
            "title": {"zh": "示例镇", "en": "Example town"},
            "prefix": "421122150",
            "parent": "cn",
            "in_force_from": date(2026, 1, 1),
        },
        "vocabulary": {"grades": GRADES, "actions": ACTIONS},
        "rules": {
            "grade.thresholds": {"mechanism": "share_thresholds"},
            "sanction.repeat": {"mechanism": "consecutive_evaluations"},
        },
        "parameters": {
            # poor if 3d ≥ n; else good if 3s ≥ 2n; else fair.
            "grade.thresholds.conditions": value(
                [
                    {
                        "grade": "poor",
                        "words": ["dissatisfied"],
                        "comparison": "at_least",
                        "share": "1/3",
                    },
                    {
                        "grade": "good",
                        "words": ["satisfied"],
                        "comparison": "at_least",
                        "share": "2/3",
                    },
                ],
                "conditions",
            ),
            "grade.thresholds.otherwise": value("fair", "text"),
            "sanction.repeat.grade": value("poor", "text"),
            "sanction.repeat.action": value("suspension", "text"),
        },
    }
    data.update(copy.deepcopy(changes))
    return data


def town(**changes: Any) -> Pack:
    return pack_from_data(town_data(**changes), source="town/pack.toml")


def registry_with(pack: Pack) -> PackRegistry:
    return PackRegistry.of([*INSTALLED.packs.values(), pack], BUILTIN_MECHANISMS)


def town_session(**counts: dict[str, int]) -> dict[str, Any]:
    return session_document(
        village_code=VILLAGE,
        year=2026,
        held_on=date(2027, 1, 15),
        cadres=2,
        counts={s: {"abstain": 0, "invalid": 0, **marks} for s, marks in counts.items()},
    )


SIXTY = {
    # n = 60 each. organization: 3s = 120 ≥ 120: good. c1: 3d = 30 < 60, 3s = 90 < 120:
    # fair. c2: 3d = 60 ≥ 60: poor.
    "organization": {"satisfied": 40, "basically_satisfied": 15, "dissatisfied": 5},
    "c1": {"satisfied": 30, "basically_satisfied": 20, "dissatisfied": 10},
    "c2": {"satisfied": 20, "basically_satisfied": 20, "dissatisfied": 20},
}


def test_a_town_grades_in_its_own_words_and_its_chain_knows_them() -> None:
    registry = registry_with(town())
    chain = registry.chain(VILLAGE, date(2027, 1, 15))
    assert chain.vocabulary.grades == ("good", "fair", "poor")
    assert chain.vocabulary.actions == ("warning", "suspension")
    # The ballot words are still cn's, with cn's labels.
    assert chain.vocabulary.words == ("satisfied", "basically_satisfied", "dissatisfied")
    assert chain.vocabulary.name_of("dissatisfied").zh == "不满意"
    outcome = zhiping.evaluate(town_session(**SIXTY), registry=registry)
    assert [s.grade for s in outcome.subjects] == ["good", "fair", "poor"]
    grading = [e for e in outcome.trace if e.rule == "grade.thresholds"]
    assert grading[2].message.zh.endswith("评定为较差")


def test_the_document_history_names_the_towns_grades_and_the_rules_read_them() -> None:
    registry = registry_with(town())
    document = town_session(**SIXTY)
    document["history"] = [{"subject": "c2", "year": 2025, "grade": "poor"}]
    outcome = zhiping.evaluate(document, registry=registry)
    assert [a.kind for a in outcome.subject("c2").actions] == ["suspension"]


def test_a_history_grade_of_another_scale_is_refused_naming_the_chains_grades() -> None:
    registry = registry_with(town())
    document = town_session(**SIXTY)
    document["history"] = [{"subject": "c2", "year": 2025, "grade": "incompetent"}]
    with pytest.raises(InputError) as raised:
        zhiping.evaluate(document, registry=registry)
    [problem] = raised.value.problems
    assert problem.path == "history[0].grade"
    assert problem.describe("en") == (
        "history[0].grade: 'incompetent' is not a grade of the chain that applies "
        "(expected one of good, fair, poor)"
    )


def test_every_output_prints_the_towns_words() -> None:
    registry = registry_with(town())
    document = town_session(**SIXTY)
    document["history"] = [{"subject": "c2", "year": 2025, "grade": "poor"}]
    session = zhiping.parse_session(document)
    outcome = zhiping.evaluate(session, registry=registry)
    sheet = "".join(results_sheet([(session, outcome)], "zh", registry=registry))
    for word in ("较好", "一般", "较差", "暂停职务"):
        assert word in sheet
    assert "称职" not in sheet
    rows = list(table_rows(session, outcome, "zh", registry=registry))
    assert [(r["grade"], r["grade_name"]) for r in rows] == [
        ("good", "较好"),
        ("fair", "一般"),
        ("poor", "较差"),
    ]
    assert rows[2]["action_names"] == "暂停职务"
    report = Console(file=io.StringIO(), width=200)
    render_outcome(outcome, session, report, "en", registry=registry)
    [c2_row] = [line for line in report.file.getvalue().splitlines() if "(c2)" in line]  # type: ignore[attr-defined]
    assert [cell.strip() for cell in c2_row.split("│")][-3:] == ["poor", "", "suspension"]
    explanation = Console(file=io.StringIO(), width=200)
    render_explanation(outcome, explanation, "zh")
    assert "连续两次评议为较差,暂停职务" in explanation.file.getvalue()  # type: ignore[attr-defined]
    shown = Console(file=io.StringIO(), width=200)
    render_pack(registry, "town", shown, "zh")
    words = shown.file.getvalue()  # type: ignore[attr-defined]
    assert "较差" in words
    assert "诫免" in words
    assert "称职" not in words


def test_an_outcome_of_a_chain_not_installed_is_printed_in_the_glossarys_words() -> None:
    assert INSTALLED.vocabulary(("cn", "elsewhere")) == Vocabulary()
    assert INSTALLED.vocabulary(()).name_of("competent").zh == "称职"


def hamlet(actions: list[dict[str, str]]) -> Pack:
    """Return a child of the town that declares only its actions."""
    return pack_from_data(
        {
            "pack": {
                "name": "hamlet",
                "title": {"zh": "示例村组", "en": "Hamlet"},
                "prefix": "421122150201",
                "parent": "town",
                "in_force_from": date(2026, 1, 1),
            },
            "vocabulary": {"actions": actions},
        },
        source="hamlet/pack.toml",
    )


def test_a_child_declaring_a_list_replaces_it_whole_and_keeps_the_others() -> None:
    child = hamlet(
        [
            {"id": "suspension", "zh": "停职", "en": "suspension"},
            {"id": "warning", "zh": "警示", "en": "caution"},
        ]
    )
    registry = PackRegistry.of([*INSTALLED.packs.values(), town(), child], BUILTIN_MECHANISMS)
    vocabulary = registry.check_pack("hamlet").vocabulary
    assert vocabulary.grades == ("good", "fair", "poor")
    assert vocabulary.actions == ("suspension", "warning")
    assert vocabulary.name_of("warning").zh == "警示"


def test_a_child_that_drops_an_action_its_rules_still_give_is_refused() -> None:
    child = hamlet([{"id": "warning", "zh": "警示", "en": "caution"}])
    with pytest.raises(PackError) as caught:
        PackRegistry.of([*INSTALLED.packs.values(), town(), child], BUILTIN_MECHANISMS)
    assert (
        'town/pack.toml: parameters."sanction.repeat.action".values[0].value = "suspension": '
        "'suspension' is not an action kind of the chain (expected one of warning)"
    ) in str(caught.value)


@pytest.mark.parametrize(
    ("parameter", "bad", "kind"),
    [
        ("sanction.repeat.grade", "pore", "text"),
        ("sanction.repeat.action", "dismissal", "text"),
        ("grade.thresholds.otherwise", "competent", "text"),
    ],
)
def test_a_value_naming_a_word_the_town_does_not_have_is_refused_at_load(
    parameter: str, bad: str, kind: str
) -> None:
    data = town_data()
    data["parameters"][parameter] = value(bad, kind)
    with pytest.raises(PackError) as caught:
        registry_with(pack_from_data(data, source="town/pack.toml"))
    message = str(caught.value)
    assert f'town/pack.toml: parameters."{parameter}".values[0].value = "{bad}"' in message


def test_a_table_by_grade_must_cover_the_towns_grades_not_the_glossarys() -> None:
    data = town_data()
    data["rules"]["pay.bonus"] = {"mechanism": "pay_fixed_by_grade"}
    data["parameters"]["pay.bonus.per_month"] = value({"good": "300.00", "fair": "150.00"}, "table")
    with pytest.raises(PackError) as caught:
        registry_with(pack_from_data(data, source="town/pack.toml"))
    assert "no value for poor: a table by grade covers every grade" in str(caught.value)
    data["parameters"]["pay.bonus.per_month"] = value(
        {"good": "300.00", "fair": "150.00", "poor": "0.00"}, "table"
    )
    registry_with(pack_from_data(data, source="town/pack.toml"))


def test_a_tally_word_the_chain_does_not_declare_is_refused_naming_file_and_key() -> None:
    data = town_data()
    data["vocabulary"]["words"] = [
        {"id": "satisfied", "zh": "满意", "en": "satisfied"},
        {"id": "dissatisfied", "zh": "不满意", "en": "dissatisfied"},
        {"id": "unknown", "zh": "不了解", "en": "don't know"},
    ]
    with pytest.raises(PackError) as caught:
        registry_with(pack_from_data(data, source="town/pack.toml"))
    assert "'basically_satisfied' is not a ballot word that town's [vocabulary] declares" in str(
        caught.value
    )
    assert 'parameters."ballots.tally.scale".values[0].value' in str(caught.value)


@pytest.mark.parametrize(
    ("vocabulary", "where"),
    [
        ({"grades": [*GRADES, GRADES[0]]}, "vocabulary.grades[3].id: repeated id 'good'"),
        ({"grades": []}, "vocabulary.grades"),
        (
            {"actions": [{"id": "Warning!", "zh": "诫免", "en": "warning"}]},
            "vocabulary.actions[0].id: expected an identifier",
        ),
        (
            {"actions": [{"id": "warning", "zh": "", "en": "warning"}]},
            "vocabulary.actions[0].zh: must not be empty",
        ),
        ({"levels": GRADES}, "vocabulary.levels"),
    ],
)
def test_a_bad_vocabulary_table_is_refused_naming_its_key(
    vocabulary: dict[str, Any], where: str
) -> None:
    with pytest.raises(PackError) as caught:
        town(vocabulary=vocabulary)
    assert where in str(caught.value)
    assert str(caught.value).startswith("town/pack.toml: ")


def test_one_id_in_two_lists_must_have_one_label() -> None:
    clash = [*ACTIONS, {"id": "poor", "zh": "差评", "en": "bad review"}]
    with pytest.raises(PackError) as caught:
        registry_with(town(vocabulary={"grades": GRADES, "actions": clash}))
    assert "vocabulary.actions: poor: labelled differently in grades (poor and bad review)" in (
        str(caught.value)
    )
