"""Problem details: the JSON Pointer of each JSON path, and the public outcome."""

from __future__ import annotations

import pytest

from zhiping.serve import json_pointer, public_outcome


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ("", ""),
        ("id", "/id"),
        ("cadres[2].in_office_since", "/cadres/2/in_office_since"),
        ("ballots.cast[0].marks.c01", "/ballots/cast/0/marks/c01"),
        ('ballots.counts["a/b~c"]', "/ballots/counts/a~1b~0c"),
        ('history[1]["名 字"]', "/history/1/名 字"),
        ("no pointer for this!", ""),
    ],
)
def test_a_json_path_becomes_the_rfc_6901_pointer_of_the_same_place(path, pointer):
    assert json_pointer(path) == pointer


def test_a_public_outcome_drops_pay_and_withholds_the_persons_it_names():
    outcome = {
        "subjects": [{"id": "c01", "grade": "competent", "pay": {"amount": "1.00"}}],
        "findings": [
            {
                "rule": "attendance.roster_backing",
                "facts": {"person": "张三", "capacity": "party_member"},
                "message": {"zh": "张三以党员身份签到", "en": "张三 signed in"},
            }
        ],
        "trace": [
            {"stage": "pay", "inputs": {"performance_pay": "9.00"}},
            {"stage": "quorum", "inputs": {"present": ["张三", "李四"]}, "message": {}},
            {"stage": "grade", "inputs": {"valid_votes": 3}},
        ],
    }
    shown = public_outcome(outcome, frozenset({"张三", "李四"}))
    assert shown["subjects"] == [{"id": "c01", "grade": "competent"}]
    assert shown["findings"][0]["facts"] == {"person": "withheld", "capacity": "party_member"}
    assert "张三" not in str(shown)
    assert [entry["stage"] for entry in shown["trace"]] == ["quorum", "grade"]
    assert shown["trace"][1] == {"stage": "grade", "inputs": {"valid_votes": 3}}
    assert outcome["subjects"][0]["pay"]  # the outcome given is not changed
