"""The record is authoritative (DESIGN §2, §7): a document cannot override the grades kept.

Grades by the Xinzhou thresholds, worked out in ``test_store``: c2 with 30 dissatisfied
of 60 valid votes is ``incompetent`` (2d = 60 ≥ n = 60); with 0 dissatisfied and 54
satisfied, ``excellent``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store.test_store import ADJUSTMENT, VILLAGE, action_kinds, session, session_id
from zhiping import InputError
from zhiping.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "records.db") as opened:
        yield opened


def claiming(document: dict[str, Any], *entries: dict[str, Any]) -> dict[str, Any]:
    """The document with the history entries it claims."""
    return {**document, "history": list(entries)}


def test_a_document_claiming_another_grade_than_the_record_is_refused_naming_both(
    store: Store,
) -> None:
    store.evaluate(session(2025, c2="incompetent"))
    before = store.checkpoint()
    document = claiming(
        session(2026, c2="incompetent"),
        {"subject": "c1", "year": 2025, "grade": "competent"},
        {"subject": "c2", "year": 2025, "grade": "competent"},
    )
    with pytest.raises(InputError) as raised:
        store.evaluate(document)
    (problem,) = raised.value.problems
    assert problem.path == "history[1]"
    assert "'c2' competent for 2025" in problem.text.en
    assert f"records incompetent from session {session_id(2025)}" in problem.text.en
    assert "称职" in problem.text.zh
    assert "不称职" in problem.text.zh
    assert session_id(2025) in problem.text.zh
    assert store.checkpoint() == before


def test_without_the_claim_the_second_incompetent_year_brings_the_adjustment(
    store: Store,
) -> None:
    store.evaluate(session(2025, c2="incompetent"))
    assert action_kinds(store.evaluate(session(2026, c2="incompetent")), "c2") == [ADJUSTMENT]


def test_a_claim_that_agrees_with_the_record_is_accepted(store: Store) -> None:
    store.evaluate(session(2025, c2="incompetent"))
    document = claiming(
        session(2026, c2="incompetent"), {"subject": "c2", "year": 2025, "grade": "incompetent"}
    )
    assert action_kinds(store.evaluate(document), "c2") == [ADJUSTMENT]


def test_a_grade_for_a_period_whose_recorded_session_was_void_is_refused(store: Store) -> None:
    # notice_days=2 < 3: notice.period is a violation, the 2025 session is void.
    store.evaluate(session(2025, c2="incompetent", notice_days=2))
    document = claiming(session(2026), {"subject": "c2", "year": 2025, "grade": "excellent"})
    with pytest.raises(InputError) as raised:
        store.evaluate(document)
    (problem,) = raised.value.problems
    assert problem.path == "history[0]"
    assert "void" in problem.text.en
    assert "无效" in problem.text.zh


def test_a_grade_of_a_subject_the_recorded_session_did_not_grade_is_refused(
    store: Store,
) -> None:
    store.evaluate(session(2025))
    document = claiming(session(2026), {"subject": "c9", "year": 2025, "grade": "excellent"})
    with pytest.raises(InputError) as raised:
        store.evaluate(document)
    assert raised.value.problems[0].path == "history[0]"
    assert "did not grade 'c9'" in raised.value.problems[0].text.en


def test_a_grade_for_a_period_the_store_never_recorded_is_kept_from_the_document(
    store: Store,
) -> None:
    # The record starts in 2025; the 2024 grade comes from the paper record.
    store.evaluate(session(2025, c2="incompetent"))
    document = claiming(
        session(2026, c2="excellent"), {"subject": "c2", "year": 2024, "grade": "incompetent"}
    )
    store.evaluate(document)
    history = store.get(session_id(2026)).document["history"]
    assert {"subject": "c2", "year": 2024, "grade": "incompetent"} in history
    assert {"subject": "c2", "year": 2025, "grade": "incompetent"} in history


def test_preview_refuses_the_same_claims_and_writes_nothing(store: Store) -> None:
    store.evaluate(session(2025, c2="incompetent"))
    before = store.checkpoint()
    with pytest.raises(InputError):
        store.preview(
            claiming(session(2026), {"subject": "c2", "year": 2025, "grade": "competent"})
        )
    preview = store.preview(session(2026, c2="incompetent"))
    assert action_kinds(preview, "c2") == [ADJUSTMENT]
    assert store.checkpoint() == before
    assert [s.session for s in store.list(village=VILLAGE)] == [session_id(2025)]
