"""Documents broken in one known way are refused, with a problem at the broken field's path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import zhiping
from zhiping import InputError, parse_session
from zhiping.packs.registry import default_registry
from zhiping.testing import DEFECT_KINDS, DefectKind, PackProfile, invalid_documents

# The root pack grades nothing by itself: it has no villages of its own to shape for.
GRADING_PACKS = [name for name in default_registry().names() if name != "cn"]


def problem_paths(document: dict[str, Any]) -> set[str]:
    """Return the paths of the problems that parsing the document reports."""
    with pytest.raises(InputError) as caught:
        parse_session(document)
    return {problem.path for problem in caught.value.problems}


@pytest.mark.parametrize("kind", DEFECT_KINDS)
@settings(max_examples=30)
@given(data=st.data())
def test_each_kind_of_defect_is_refused_at_its_path(kind: DefectKind, data: st.DataObject) -> None:
    """One defect, one problem: at the path given, and nowhere else."""
    document, path = data.draw(invalid_documents(kinds=[kind]), label="case")
    with pytest.raises(InputError) as caught:
        parse_session(document)
    assert [problem.path for problem in caught.value.problems] == [path]


@pytest.mark.parametrize("pack", GRADING_PACKS)
@settings(max_examples=25)
@given(data=st.data())
def test_broken_documents_of_every_pack_are_refused_by_evaluate(
    pack: str, data: st.DataObject
) -> None:
    """Broken documents shaped for any pack are refused by evaluate, which evaluates nothing."""
    document, path = data.draw(invalid_documents(pack=pack), label="case")
    options = PackProfile.of(pack).evaluate_options()
    with pytest.raises(InputError) as caught:
        zhiping.evaluate(document, **options)
    assert path in {problem.path for problem in caught.value.problems}


@given(invalid_documents(kinds=["counts_sum", "cast_length"], pack="xichong"))
def test_ballots_of_a_pack_weighting_groups_are_broken_in_their_own_form(
    case: tuple[dict[str, Any], str],
) -> None:
    document, path = case
    assert "counts" not in document["ballots"]
    assert path in problem_paths(document)


@settings(max_examples=50)
@given(invalid_documents())
def test_by_default_any_kind_is_refused_at_its_path(case: tuple[dict[str, Any], str]) -> None:
    document, path = case
    assert path in problem_paths(document)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kinds": "format"}, "collection"),
        ({"kinds": ["format", "typo"]}, "unknown defect kinds"),
        ({"kinds": []}, "at least one"),
        ({"kinds": 3}, "collection"),
        ({"pack": "nowhere"}, "no pack named"),
        ({"pack": 7}, "pack's name"),
    ],
)
def test_bad_options_are_refused_at_once(options: dict[str, Any], message: str) -> None:
    """The strategy is not drawn from: the options are checked when it is made."""
    with pytest.raises(InvalidArgument, match=message):
        invalid_documents(**options)
