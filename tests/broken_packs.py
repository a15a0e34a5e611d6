"""Three deliberately broken packs, each with one defect a rule author could plausibly write.

- ``reversed-pay``: a copy of Xinzhou's parameters for another district in which the
  coefficients of ``competent`` and ``incompetent`` were swapped, so that an
  incompetent cadre is paid more than a competent one (law ``pay_order``);
- ``flipped-threshold``: a Xinzhou township whose ``excellent`` row reads "satisfied
  at most 9/10" instead of "at least": more satisfied votes can cost the grade
  (law ``monotonicity``);
- ``first-ballot``: a Xinzhou township that grades each subject by its mark on the
  first ballot cast, through a mechanism of its own (law ``ballot_order``).

Shared by ``tests/testing/test_broken_packs.py`` (each is caught by its law) and
``tests/quality/test_shrinking.py`` (its counterexample is shrunk to a few votes).
"""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from importlib.resources import files
from typing import Any, cast

import pytest

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.glossary import Grade, Text
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.rules import RuleContext, mechanism
from zhiping.testing import LawBroken, check_law

BUNDLED = discover(entry_points=False)
SINCE = date(2016, 1, 1)
BROKEN_EXAMPLES = 200  # enough for each law to find its defect


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
    for subject in ctx.evaluated():
        mark = ballots[0].marks.get(subject) if ballots else None
        grade: Grade = grades[scale.index(mark)] if mark in scale else otherwise
        ctx.grade(
            subject,
            grade,
            Text(zh=f"{subject}按第一张选票评定为{grade}", en=f"{subject} graded {grade}"),
            inputs={"first_mark": mark},
            parameters=[grades_used, otherwise_used, scale_used],
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


def breaking(law: str, pack: str) -> LawBroken:
    """Check the law against the broken pack and return the error saying it is broken."""
    with pytest.raises(LawBroken) as caught:
        check_law(law, pack, registry=REGISTRY, max_examples=BROKEN_EXAMPLES)
    return caught.value


def evaluate(document: dict[str, Any]) -> Outcome:
    """Evaluate a session document with the broken packs installed beside the bundled ones."""
    return zhiping.evaluate(document, registry=REGISTRY)
