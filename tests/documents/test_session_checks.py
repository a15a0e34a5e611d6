"""A session is checked however it is built; ids and names must show something."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import zhiping
from zhiping.documents.session import INVALID_MARK, HistoryEntry, Session, masked_marks
from zhiping.errors import InputError
from zhiping.testing import session_document


def sixty_one_of_sixty() -> dict[str, Any]:
    """60 ballots returned, but the organization's counts sum to 61; a cadre took office in 2030."""
    document = copy.deepcopy(dict(session_document(cadres=1, counts=None)))
    returned = document["ballots"]["returned"]
    document["ballots"]["counts"]["organization"]["satisfied"] += 1
    document["cadres"][0]["in_office_since"] = "2030-01-01"
    assert returned == 62  # 30 party members and 32 representatives present
    return document


def raised(call: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value


def test_a_session_validated_as_a_model_is_refused_as_the_same_document_is() -> None:
    document = sixty_one_of_sixty()
    from_document = raised(lambda: zhiping.evaluate(document))
    from_model = raised(lambda: zhiping.evaluate(Session.model_validate(document)))
    assert from_model.problems == from_document.problems
    assert str(from_model) == str(from_document)
    assert [str(p) for p in from_model.problems] == [
        "cadres[0].in_office_since: 2030-01-01 is after the session (2027-01-15)",
        "ballots.counts.organization: the counts sum to 63, not to the 62 ballots returned",
    ]


def test_a_model_from_json_is_checked_too() -> None:
    text = Session.model_validate(sixty_one_of_sixty()).model_dump_json(by_alias=True)
    model = Session.model_validate_json(text)
    assert len(raised(lambda: zhiping.evaluate(model)).problems) == 2


def test_a_history_given_to_evaluate_may_not_repeat_an_entry() -> None:
    entry = HistoryEntry(subject="c1", year=2025, grade="competent")
    error = raised(lambda: zhiping.evaluate(session_document(), history=[entry, entry]))
    assert [str(p) for p in error.problems] == ["[1]: 'c1' is listed twice for 2025"]


def test_an_exact_duplicate_in_the_document_history_is_refused() -> None:
    document = dict(session_document())
    document["history"] = [{"subject": "c1", "year": 2025, "grade": "incompetent"}] * 2
    error = raised(lambda: zhiping.parse_session(document))
    assert [str(p) for p in error.problems] == ["history[1]: 'c1' is listed twice for 2025"]


BLANK = "must show something: it holds only spaces or invisible characters"


@pytest.mark.parametrize(
    "blank",
    [
        " ",
        "   ",
        "\t",
        "\u3000",  # ideographic space
        "\u200b",  # zero-width space
        "\u200d\u2060",  # zero-width joiner, word joiner
        "\ufeff",  # zero-width no-break space
        "\u3164",  # Hangul filler
        " \u200b ",
    ],
)
def test_ids_and_names_that_show_nothing_are_refused_with_their_path(blank: str) -> None:
    document = copy.deepcopy(dict(session_document(cadres=2)))
    document["village"]["name"] = blank
    document["cadres"][0]["name"] = blank
    document["cadres"][1]["id"] = blank
    document["roster"]["party_members"][0] = blank
    error = raised(lambda: zhiping.parse_session(document))
    assert [str(p) for p in error.problems] == [
        f"village.name: {BLANK}",
        f"roster.party_members[0]: {BLANK}",
        f"cadres[0].name: {BLANK}",
        f"cadres[1].id: {BLANK}",
    ]
    assert error.problems[0].zh == "不能为空白:只有空格或不可见字符"


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_bidirectional_marks_are_refused_in_every_string(mark: str) -> None:
    document = copy.deepcopy(dict(session_document(cadres=1)))
    document["cadres"][0]["name"] = f"张{mark}三"
    error = raised(lambda: zhiping.parse_session(document))
    code = f"U+{ord(mark):04X}"
    assert [str(p) for p in error.problems] == [
        f"cadres[0].name: the string holds the control or invisible character {code}"
    ]


def test_names_with_spaces_inside_are_still_names() -> None:
    document = copy.deepcopy(dict(session_document(cadres=1)))
    document["cadres"][0]["name"] = " 欧阳 明 "
    assert zhiping.parse_session(document).cadres[0].name == " 欧阳 明 "


@pytest.mark.parametrize("text", ["a\nb", "a\tb", "a\rb"], ids=repr)
def test_ids_and_names_are_one_line(text: str) -> None:
    document = copy.deepcopy(dict(session_document(cadres=1)))
    document["id"] = text
    document["cadres"][0]["name"] = text
    document["inquiries"] = [{"id": "q1", "to": "c1", "topic": text, "answered": "on_site"}]
    error = raised(lambda: zhiping.parse_session(document))
    assert [str(p) for p in error.problems] == [
        "id: must not hold a line break or a tab",
        "cadres[0].name: must not hold a line break or a tab",
    ]


def test_a_free_text_mark_can_be_kept_only_as_a_marker_and_still_counts_invalid() -> None:
    document = copy.deepcopy(dict(session_document(cadres=1)))
    returned = document["ballots"]["returned"]
    cast = [{"marks": {"organization": "satisfied", "c1": "satisfied"}} for _ in range(returned)]
    cast[0]["marks"]["c1"] = "张三签名 Zhang San"
    cast[1]["marks"]["c1"] = "Satisfied"
    cast[2]["marks"]["c1"] = "satisfeid"  # a misspelt word: an identifier, kept as it is
    document["ballots"] = {**document["ballots"], "cast": cast}
    del document["ballots"]["counts"]
    session = zhiping.parse_session(document)
    masked = masked_marks(session)
    marks = [ballot.marks["c1"] for ballot in masked.ballots.cast or ()][:4]
    assert marks == [INVALID_MARK, INVALID_MARK, "satisfeid", "satisfied"]
    assert "张三" not in masked.model_dump_json()
    assert zhiping.evaluate(masked).to_document() == zhiping.evaluate(session).to_document()
    tally = zhiping.evaluate(masked).to_document()["subjects"][1]["tally"]
    assert (tally["invalid"], tally["satisfied"]) == (3, returned - 3)
    assert masked_marks(masked) is masked
