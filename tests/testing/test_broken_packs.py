"""Deliberately broken packs are each caught by the right law, with a readable counterexample.

Three packs a rule author could plausibly write, each with one defect:

- ``reversed-pay``: a copy of Xinzhou's parameters for another district in which the
  coefficients of ``competent`` and ``incompetent`` were swapped, so that an
  incompetent cadre is paid more than a competent one (law ``pay_order``);
- ``flipped-threshold``: a Xinzhou township whose ``excellent`` row reads "satisfied
  at most 9/10" instead of "at least": more satisfied votes can cost the grade
  (law ``monotonicity``);
- ``first-ballot``: a Xinzhou township that grades each subject by its mark on the
  first ballot cast, through a mechanism of its own (law ``ballot_order``).

Each is caught by its law and passes the laws its defect has nothing to do with; the
bundled packs pass every law.
"""

from __future__ import annotations

import copy
import functools
import json
import tomllib
from collections.abc import Iterator
from datetime import date
from importlib.resources import files
from typing import Any, cast

import pytest

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.glossary import GRADES, Grade, Text
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.rules import RuleContext, mechanism
from zhiping.testing import LAWS, LawBroken, PackProfile, check_law

BUNDLED = discover(entry_points=False)
SINCE = date(2016, 1, 1)
BROKEN_EXAMPLES = 200  # enough for each law to find its defect
PASSING_EXAMPLES = 50
BUNDLED_EXAMPLES = 25  # the full profile runs in tests/plugins


def assumed(kind: str, value: Any) -> dict[str, Any]:
    """Return a pack parameter with one value, assumed, from 2016."""
    note = "deliberately broken, for the laws to catch"
    return {
        "kind": kind,
        "values": [{"from": SINCE, "value": value, "assumed": True, "note": note}],
    }


def township(
    name: str,
    prefix: str,
    *,
    rules: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
) -> Pack:
    """Return a Xinzhou township's pack, as a rule author writes one."""
    data = {
        "pack": {
            "name": name,
            "title": {"zh": f"{name}街道", "en": f"{name} street"},
            "prefix": prefix,
            "parent": "xinzhou",
            "in_force_from": SINCE,
        },
        "references": {"rules": {"title": f"{name}街道直评村官实施细则"}},
        "rules": rules or {},
        "parameters": parameters or {},
    }
    return pack_from_data(data, source=f"test: {name}")


def reversed_pay() -> Pack:
    """Return Xinzhou's pack copied for another district, with two coefficients swapped."""
    text = (files("zhiping.plugins.xinzhou") / "pack.toml").read_text(encoding="utf-8")
    data = copy.deepcopy(tomllib.loads(text))
    data["pack"].update(name="reversed-pay", prefix="420199")
    table = data["parameters"]["pay.coefficient.coefficients"]["values"][0]["value"]
    table["competent"], table["incompetent"] = table["incompetent"], table["competent"]
    return pack_from_data(data, source="test: xinzhou with competent and incompetent swapped")


FLIPPED_CONDITIONS = [
    {"grade": "incompetent", "words": ["dissatisfied"], "comparison": "at_least", "share": "1/2"},
    {
        "grade": "basically_competent",
        "words": ["dissatisfied"],
        "comparison": "more_than",
        "share": "1/3",
    },
    # The defect: at_most where Xinzhou says at_least.
    {"grade": "excellent", "words": ["satisfied"], "comparison": "at_most", "share": "9/10"},
]


@mechanism(
    "first_ballot_grade",
    stage="grade",
    parameters={"grades": "texts", "otherwise": "text"},
    severity="warning",
)
def first_ballot_grade(ctx: RuleContext) -> None:
    """Grade each subject by its mark on the first cast ballot (the defect under test)."""
    grades, grades_used = ctx.parameter("grades", tuple)
    otherwise, otherwise_used = ctx.parameter("otherwise", str)
    scale_used = ctx.chain.parameter("ballots.tally.scale")
    scale = cast(tuple[str, ...], scale_used.value)
    ballots = ctx.session.ballots.cast or ()
    for subject in ctx.evaluation.evaluated():
        mark = ballots[0].marks.get(subject) if ballots else None
        grade: Grade = grades[scale.index(mark)] if mark in scale else otherwise
        ctx.evaluation.grades[subject] = grade
        ctx.explain(
            Text(zh=f"{subject}按第一张选票评定为{grade}", en=f"{subject} graded {grade}"),
            subject=subject,
            inputs={"first_mark": mark},
            parameters=[grades_used, otherwise_used, scale_used],
            fulfilled=True,
            result=grade,
        )


BROKEN = {
    "reversed-pay": reversed_pay(),
    "flipped-threshold": township(
        "flipped-threshold",
        "420117102",
        parameters={"grade.thresholds.conditions": assumed("conditions", FLIPPED_CONDITIONS)},
    ),
    "first-ballot": township(
        "first-ballot",
        "420117103",
        rules={
            "grade.thresholds": {"disabled": "graded by the first ballot instead"},
            "grade.first_ballot": {
                "mechanism": "first_ballot_grade",
                "basis": [{"reference": "rules", "article": "第五条"}],
            },
        },
        parameters={
            "grade.first_ballot.grades": assumed(
                "texts", ["excellent", "competent", "incompetent"]
            ),
            "grade.first_ballot.otherwise": assumed("text", "competent"),
        },
    ),
}
REGISTRY = PackRegistry.of(
    [*BUNDLED.packs.values(), *BROKEN.values()],
    [*BUNDLED.mechanisms.values(), first_ballot_grade],
    BUNDLED.origins,
)


@functools.cache
def caught_breaking(law: str, pack: str) -> LawBroken:
    """Check the law against the pack and return the error saying it is broken (once)."""
    with pytest.raises(LawBroken) as caught:
        check_law(law, pack, registry=REGISTRY, max_examples=BROKEN_EXAMPLES)
    return caught.value


def assert_reported(error: LawBroken, law: str, pack: str) -> None:
    """The error names the law and the pack, and shows its counterexample as JSON."""
    assert (error.law, error.pack) == (law, pack)
    message = str(error)
    assert message.startswith(f"pack {pack} breaks the law '{law}': ")
    shown = json.dumps(error.document, ensure_ascii=False, indent=1, sort_keys=True)
    assert f"counterexample document:\n{shown}" in message


def evaluate(document: dict[str, Any]) -> Outcome:
    return zhiping.evaluate(document, registry=REGISTRY)


def rank(grade: Grade | None) -> int:
    """Return how good a grade is: 4 for excellent down to 1 for incompetent, 0 for none."""
    return len(GRADES) - GRADES.index(grade) if grade is not None else 0


def votes_moved_up(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield, for each mark below the top of the scale, the subject and the document with it
    moved one step up."""
    scale = ["satisfied", "basically_satisfied", "dissatisfied"]
    for index, ballot in enumerate(document["ballots"]["cast"]):
        for subject, mark in ballot["marks"].items():
            if mark in scale[1:]:
                better = copy.deepcopy(document)
                better["ballots"]["cast"][index]["marks"][subject] = scale[scale.index(mark) - 1]
                yield subject, better


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


def test_the_monotonicity_counterexample_is_shrunk_to_a_vote_or_two() -> None:
    """A reader can check it by hand: moving one of its few votes up costs a grade."""
    document = caught_breaking("monotonicity", "flipped-threshold").document
    assert document["ballots"]["returned"] <= 2
    assert len(document["cadres"]) <= 3
    before = evaluate(document)
    assert before.status == "valid"
    lowered = [
        subject
        for subject, better in votes_moved_up(document)
        if rank(evaluate(better).subject(subject).grade) < rank(before.subject(subject).grade)
    ]
    assert lowered


# first-ballot


def test_a_rule_reading_the_ballot_order_breaks_ballot_order() -> None:
    error = caught_breaking("ballot_order", "first-ballot")
    assert_reported(error, "ballot_order", "first-ballot")
    assert "shuffling the cast ballots changed the outcome" in str(error)


def test_the_ballot_order_counterexample_is_two_ballots() -> None:
    """Shrunk to the least that shows it: two ballots marking one subject differently."""
    document = caught_breaking("ballot_order", "first-ballot").document
    cast = document["ballots"]["cast"]
    assert len(cast) == 2
    assert len(document["cadres"]) <= 1
    reversed_order = copy.deepcopy(document)
    reversed_order["ballots"]["cast"].reverse()
    grades = [[s.grade for s in evaluate(d).subjects] for d in (document, reversed_order)]
    assert grades[0] != grades[1]


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
