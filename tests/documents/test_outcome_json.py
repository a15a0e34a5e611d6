"""How an outcome writes its figures and the parameter values its rules used."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from zhiping.documents.outcome import exact_figure, parameter_json
from zhiping.documents.values import Citation, ParameterUse


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
