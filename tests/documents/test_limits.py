"""The limits on lists: refused before any model is built, naming the limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

import zhiping
from zhiping.documents.limits import (
    MAX_CADRES,
    MAX_ENTRIES,
    MAX_LABELS,
    MAX_MARKS,
    MAX_SUBJECTS,
)
from zhiping.documents.session import Session, check_session, parse_history, parse_session
from zhiping.errors import InputError
from zhiping.testing import session_document


def with_cadres(count: int) -> dict[str, Any]:
    """A valid document, but with ``count`` cadres (their ballots pre-counted as abstentions)."""
    document = dict(session_document(cadres=0))
    document["cadres"] = [
        {
            "id": f"c{i}",
            "name": f"张{i}",
            "posts": ["committee_member"],
            "in_office_since": "2021-01-10",
        }
        for i in range(count)
    ]
    return document


def problems(document: Any) -> list[str]:
    with pytest.raises(InputError) as raised:
        parse_session(document)
    return [str(problem) for problem in raised.value.problems]


def test_a_document_of_20000_cadres_is_refused_for_its_cadres_alone() -> None:
    text = json.dumps(with_cadres(20_000), ensure_ascii=False)
    # About 2.4 MB, well under the 16 MiB limit on bytes: the cadres are what is too many.
    assert 2_000_000 < len(text.encode()) < 2_600_000
    assert problems(text) == [
        "cadres: 20,000 items, over the limit of 200 (zhiping.documents.limits.MAX_CADRES)"
    ]


def test_the_limit_on_cadres_is_inclusive() -> None:
    assert len(parse_session(with_cadres(MAX_CADRES)).cadres) == MAX_CADRES
    assert problems(with_cadres(MAX_CADRES + 1)) == [
        "cadres: 201 items, over the limit of 200 (zhiping.documents.limits.MAX_CADRES)"
    ]


def test_the_limit_is_said_in_chinese_too() -> None:
    with pytest.raises(InputError) as raised:
        parse_session(with_cadres(MAX_CADRES + 1))
    assert raised.value.problems[0].zh == (
        "共201项,超过200项的上限(zhiping.documents.limits.MAX_CADRES)"
    )


def cast(ballots: int, marks: int) -> dict[str, Any]:
    document = with_cadres(marks - 1)
    subjects = ["organization", *(c["id"] for c in document["cadres"])]
    document["ballots"] = {
        "issued": ballots,
        "returned": ballots,
        "cast": [{"marks": dict.fromkeys(subjects, "satisfied")} for _ in range(ballots)],
    }
    return document


def test_the_marks_of_all_ballots_together_are_limited() -> None:
    # 501 ballots marking 200 subjects: 100,200 marks, 200 over the limit.
    assert MAX_MARKS == 100_000
    assert problems(cast(501, 200)) == [
        "ballots.cast: 100,200 marks, over the limit of 100,000 "
        "(zhiping.documents.limits.MAX_MARKS)"
    ]


def test_one_ballot_marks_at_most_every_subject() -> None:
    document = cast(2, 2)
    document["ballots"]["cast"][1]["marks"] = {
        f"x{i}": "satisfied" for i in range(MAX_SUBJECTS + 1)
    }
    assert problems(document) == [
        "ballots.cast[1].marks: 202 items, over the limit of 201 "
        "(zhiping.documents.limits.MAX_SUBJECTS)"
    ]


def test_lists_of_words_and_of_records_are_limited() -> None:
    document = dict(session_document(cadres=1))
    document["notice"] = {
        **document["notice"],
        "channels": [f"w{i}" for i in range(MAX_LABELS + 1)],
    }
    document["inquiries"] = [
        {"id": f"q{i}", "to": "c1", "topic": "路", "answered": "on_site"}
        for i in range(MAX_ENTRIES + 1)
    ]
    assert problems(document) == [
        "notice.channels: 65 items, over the limit of 64 (zhiping.documents.limits.MAX_LABELS)",
        "inquiries: 2,001 items, over the limit of 2,000 (zhiping.documents.limits.MAX_ENTRIES)",
    ]


def test_a_history_file_is_limited() -> None:
    entries = [{"subject": f"c{i}", "year": 2025, "grade": "competent"} for i in range(2_001)]
    with pytest.raises(InputError) as raised:
        parse_history(json.dumps(entries))
    assert [str(p) for p in raised.value.problems] == [
        "2,001 items, over the limit of 2,000 (zhiping.documents.limits.MAX_ENTRIES)"
    ]


def test_a_model_validated_directly_keeps_the_limits() -> None:
    with pytest.raises(ValidationError) as raised:
        Session.model_validate(with_cadres(MAX_CADRES + 1))
    assert raised.value.errors()[0]["loc"] == ("cadres",)
    assert raised.value.errors()[0]["type"] == "too_long"


def test_a_model_built_without_validation_is_refused_by_the_checks() -> None:
    valid = parse_session(with_cadres(1))
    built = Session.model_construct(**{**dict(valid), "cadres": valid.cadres * (MAX_CADRES + 1)})
    with pytest.raises(InputError) as raised:
        check_session(built)
    assert str(raised.value.problems[0]) == (
        "cadres: 201 items, over the limit of 200 (zhiping.documents.limits.MAX_CADRES)"
    )
    with pytest.raises(InputError):
        zhiping.evaluate(built)


def test_a_cadre_is_found_by_id_and_a_copy_finds_its_own_cadres() -> None:
    session = parse_session(with_cadres(3))
    assert session.cadre("c2") is session.cadres[2]
    assert session.cadre("organization") is None
    assert session.cadre("c9") is None
    fewer = session.model_copy(update={"cadres": session.cadres[:1]})
    assert fewer.cadre("c2") is None
    assert fewer.cadre("c0") is session.cadres[0]
    assert session == parse_session(with_cadres(3))


def test_every_oversized_map_two_levels_down_is_reported_in_the_documents_order() -> None:
    """Three subjects' words over the 64 a map of words holds, in two groups: three problems."""
    words = {f"w{i}": 1 for i in range(MAX_LABELS + 1)}
    document = dict(session_document(cadres=1))
    document["ballots"] = {
        "issued": 10,
        "returned": 10,
        "group_counts": {
            "party_members": {"c1": words, "organization": {"satisfied": 1}},
            "representatives": {"organization": words, "c1": words},
        },
    }
    limit = "65 items, over the limit of 64 (zhiping.documents.limits.MAX_LABELS)"
    assert problems(document) == [
        f"ballots.group_counts.party_members.c1: {limit}",
        f"ballots.group_counts.representatives.organization: {limit}",
        f"ballots.group_counts.representatives.c1: {limit}",
    ]
