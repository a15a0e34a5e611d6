"""Deliberately broken packs are each caught by the right law, with a readable counterexample.

The three packs (``reversed-pay``, ``flipped-threshold``, ``first-ballot``) and their
defects are described in ``tests/broken_packs.py``. Each is caught by its law and passes
the laws its defect has nothing to do with; the bundled packs pass every law. How small
Hypothesis shrinks the counterexamples is checked, derandomized, in
``tests/quality/test_shrinking.py``.
"""

from __future__ import annotations

import functools
import json

import pytest

from broken_packs import BROKEN, BUNDLED, REGISTRY, breaking
from zhiping.testing import LAWS, LawBroken, PackProfile, check_law

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)

PASSING_EXAMPLES = 50
BUNDLED_EXAMPLES = 25  # the full profile runs in tests/plugins


@functools.cache
def caught_breaking(law: str, pack: str) -> LawBroken:
    """Check the law against the pack and return the error saying it is broken (once)."""
    return breaking(law, pack)


def assert_reported(error: LawBroken, law: str, pack: str) -> None:
    """The error names the law and the pack, and shows its counterexample as JSON."""
    assert (error.law, error.pack) == (law, pack)
    message = str(error)
    assert message.startswith(f"pack {pack} breaks the law '{law}': ")
    shown = json.dumps(error.document, ensure_ascii=False, indent=1, sort_keys=True)
    assert f"counterexample document:\n{shown}" in message


# reversed-pay


def test_paying_incompetent_more_than_competent_breaks_pay_order() -> None:
    error = caught_breaking("pay_order", "reversed-pay")
    assert_reported(error, "pay_order", "reversed-pay")
    assert "incompetent is paid 0.90, more than basically_competent (0.60)" in str(error)
    # The counterexample is the table itself, as the pack file spells it.
    assert error.document == {
        "coefficients": {
            "excellent": "1.00",
            "competent": "0.00",
            "basically_competent": "0.60",
            "incompetent": "0.90",
        }
    }


# flipped-threshold


def test_a_non_monotone_threshold_table_breaks_monotonicity() -> None:
    error = caught_breaking("monotonicity", "flipped-threshold")
    assert_reported(error, "monotonicity", "flipped-threshold")
    assert "lowered its grade from excellent to competent" in str(error)


# first-ballot


def test_a_rule_reading_the_ballot_order_breaks_ballot_order() -> None:
    error = caught_breaking("ballot_order", "first-ballot")
    assert_reported(error, "ballot_order", "first-ballot")
    assert "shuffling the cast ballots changed the outcome" in str(error)


# Each defect is caught by its own law, not by every law.

UNRELATED = [
    ("reversed-pay", "determinism"),
    ("reversed-pay", "ballot_order"),
    ("reversed-pay", "ballot_forms"),
    ("reversed-pay", "traced"),
    ("flipped-threshold", "determinism"),
    ("flipped-threshold", "ballot_order"),
    ("flipped-threshold", "ballot_forms"),
    ("flipped-threshold", "pay_order"),
    ("flipped-threshold", "traced"),
    ("first-ballot", "determinism"),
    ("first-ballot", "monotonicity"),
    ("first-ballot", "pay_order"),
    ("first-ballot", "void_applies_nothing"),
    ("first-ballot", "traced"),
]


@pytest.mark.parametrize(("pack", "law"), UNRELATED)
def test_a_broken_pack_passes_the_laws_its_defect_does_not_touch(pack: str, law: str) -> None:
    check_law(law, pack, registry=REGISTRY, max_examples=PASSING_EXAMPLES)


def test_the_broken_packs_govern_their_own_villages() -> None:
    """Each is checked on villages of its own, not forced onto Xinzhou's."""
    for name, pack in BROKEN.items():
        profile = PackProfile.of(name, registry=REGISTRY)
        assert profile.village_code.startswith(pack.prefix)
        assert not profile.forced


# The bundled packs pass every law. The root pack cn grades nothing on its own: its
# laws are checked through the packs that inherit from it.

BUNDLED_CASES = [(pack, law) for pack in BUNDLED.names() if pack != "cn" for law in LAWS]


@pytest.mark.parametrize(("pack", "law"), BUNDLED_CASES)
def test_every_bundled_pack_obeys_every_law(pack: str, law: str) -> None:
    check_law(law, pack, registry=BUNDLED, max_examples=BUNDLED_EXAMPLES)
