"""The document builders of the kit: counted, for one subject's pre-counted marks."""

from __future__ import annotations

import pytest

from zhiping.testing import counted


def test_counted_fills_every_word_of_the_scale_and_abstain_and_invalid() -> None:
    assert counted(satisfied=8, dissatisfied=2, abstain=1) == {
        "satisfied": 8,
        "basically_satisfied": 0,
        "dissatisfied": 2,
        "abstain": 1,
        "invalid": 0,
    }


def test_counted_follows_the_scale_it_is_given() -> None:
    scale = ("competent", "basically_competent", "incompetent")
    assert counted(scale=scale, incompetent=3) == {
        "competent": 0,
        "basically_competent": 0,
        "incompetent": 3,
        "abstain": 0,
        "invalid": 0,
    }


def test_a_word_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="excellent"):
        counted(excellent=1)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        counted(satisfied=-1)
