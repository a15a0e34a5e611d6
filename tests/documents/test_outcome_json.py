"""How an outcome writes its figures, the parameter values its rules used, and its text."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import zhiping
from zhiping.documents.compact import OutcomeVersion, TraceLevel, outcome_document, outcome_text
from zhiping.documents.outcome import Outcome, TraceEntry, exact_figure, parameter_json
from zhiping.documents.values import Citation, ParameterUse
from zhiping.glossary import Text
from zhiping.testing import as_cast, session_document


@pytest.mark.parametrize(
    ("figure", "written"),
    [
        (Decimal("1.125"), "1.125"),
        (Decimal("0.9"), "0.90"),
        (Decimal("0.90"), "0.90"),
        (Decimal("0.900"), "0.90"),
        (Decimal("100"), "100.00"),
        (Decimal("1E+3"), "1000.00"),
        (Decimal("0"), "0.00"),
        (Decimal("0.00"), "0.00"),
        (Decimal("0.000001"), "0.000001"),
        (Fraction(2, 3), "2/3"),
        (Fraction(9, 10), "0.90"),
        (Fraction(-1, 2), "-0.50"),
        (Decimal("-0"), "0.00"),
        (Decimal("-1.5"), "-1.50"),
        (12, "12.00"),
    ],
)
def test_a_figure_is_written_exactly_with_at_least_two_places(
    figure: Decimal | Fraction | int, written: str
) -> None:
    assert exact_figure(figure) == written


USE = ParameterUse(
    name="pay.coefficient.coefficients",
    pack="xinzhou",
    value={"excellent": Decimal("1.00"), "competent": Decimal("0.90")},
    effective_from=date(2016, 1, 1),
    citation=Citation("新洲区村干部绩效考核办法", article="第十条"),
)


def test_a_parameter_value_is_written_with_its_pack_date_and_citation() -> None:
    assert parameter_json(USE) == {
        "name": "pay.coefficient.coefficients",
        "pack": "xinzhou",
        "value": {"excellent": "1.00", "competent": "0.90"},
        "effective_from": "2016-01-01",
        "citation": {"title": "新洲区村干部绩效考核办法", "article": "第十条", "url": None},
        "assumed": False,
        "note": None,
    }


def test_each_writing_of_a_parameter_value_is_a_copy_the_caller_may_change() -> None:
    first = parameter_json(USE)
    first["value"]["excellent"] = "9.99"
    first["citation"]["article"] = "第一条"
    first["note"] = "changed"
    again = parameter_json(USE)
    assert again["value"] == {"excellent": "1.00", "competent": "0.90"}
    assert again["citation"]["article"] == "第十条"
    assert again["note"] is None


def dumped(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


EXAMPLE = Path(__file__).parents[2] / "examples" / "guanzhai-2026.json"


@pytest.mark.parametrize(
    "document",
    [
        EXAMPLE.read_text(encoding="utf-8"),
        session_document(cadres=3),
        as_cast(session_document(cadres=2)),
        session_document(notice_days=1),  # void: the skipped stages in the trace
    ],
    ids=["guanzhai example", "three cadres", "cast ballots", "void"],
)
@pytest.mark.parametrize(
    ("version", "trace"), [(1, "full"), (2, "full"), (2, "decisions"), (2, "none")]
)
def test_an_outcomes_text_is_its_document_dumped_compactly_character_for_character(
    document: Any, version: OutcomeVersion, trace: TraceLevel
) -> None:
    outcome = zhiping.evaluate(document)
    assert outcome.trace  # the parameters of every entry are set into the text
    expected = dumped(outcome_document(outcome, version=version, trace=trace))
    assert outcome_text(outcome, version=version, trace=trace) == expected
    assert outcome_text(outcome, version=version, trace=trace) == expected  # encoded once


def test_an_outcome_whose_inputs_hold_the_writers_mark_is_written_right_all_the_same() -> None:
    """The text that stands for a trace entry's parameters, found in an input too."""
    mark = "\x00zhiping-parameters:0\x00"
    outcome = Outcome(
        session="s",
        packs=("cn",),
        status="valid",
        findings=(),
        subjects=(),
        trace=(
            TraceEntry(
                stage="notice",
                rule="notice.period",
                pack="cn",
                message=Text(zh="测试", en="a test"),
                inputs={"seen": mark},
                parameters=(USE,),
            ),
        ),
    )
    text = outcome.to_text()
    assert text == dumped(outcome.to_document())
    assert json.loads(text)["trace"][0]["inputs"] == {"seen": mark}
    assert json.loads(text)["trace"][0]["parameters"][0]["name"] == USE.name
