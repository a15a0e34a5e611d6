"""The Xinzhou pay rule: performance pay × the grade's coefficient, half-up to the fen.

Coefficients (assumed, DESIGN §5): excellent 1.00, competent 0.90, basically_competent
0.60, incompetent 0.00.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import zhiping
from zhiping.testing import session_document

# Marks of 60 valid votes that give each grade under the Xinzhou thresholds.
MARKS_FOR = {
    "excellent": {"satisfied": 60},  # 10s = 600 ≥ 540
    "competent": {"satisfied": 40, "dissatisfied": 20},  # 3d = 60 ≤ 60; 400 < 540
    "basically_competent": {"satisfied": 39, "dissatisfied": 21},  # 3d = 63 > 60
    "incompetent": {"satisfied": 30, "dissatisfied": 30},  # 2d = 60 ≥ 60
}


def paid(grade: str, performance_pay: str | None) -> zhiping.Outcome:
    """Evaluate a document whose cadre c1 earns ``grade`` and has ``performance_pay``."""
    document: dict[str, Any] = session_document(
        cadres=1,
        performance_pay=performance_pay,
        counts={"organization": {"satisfied": 60}, "c1": MARKS_FOR[grade]},
    )
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade == grade
    return outcome


@pytest.mark.parametrize(
    ("grade", "performance_pay", "coefficient", "amount"),
    [
        ("excellent", "10000.00", "1.00", "10000.00"),
        ("competent", "10000.00", "0.90", "9000.00"),
        ("basically_competent", "10000.00", "0.60", "6000.00"),
        ("incompetent", "10000.00", "0.00", "0.00"),
        # 10000.01 × 0.90 = 9000.009 → 9000.01
        ("competent", "10000.01", "0.90", "9000.01"),
        # 0.05 × 0.90 = 0.045: half-up gives 0.05 (half-even would give 0.04)
        ("competent", "0.05", "0.90", "0.05"),
        # 0.25 × 0.90 = 0.225 → 0.23 (half-even would give 0.22)
        ("competent", "0.25", "0.90", "0.23"),
        # 12345.65 × 0.90 = 11111.085 → 11111.09
        ("competent", "12345.65", "0.90", "11111.09"),
        # 0.01 × 0.90 = 0.009 → 0.01; 0.01 × 0.60 = 0.006 → 0.01
        ("competent", "0.01", "0.90", "0.01"),
        ("basically_competent", "0.01", "0.60", "0.01"),
        # 12000.5 × 0.60 = 7200.3
        ("basically_competent", "12000.5", "0.60", "7200.30"),
        # 33333.33 × 0.60 = 19999.998 → 20000.00
        ("basically_competent", "33333.33", "0.60", "20000.00"),
        ("excellent", "0", "1.00", "0.00"),
        ("excellent", "12345.67", "1.00", "12345.67"),
        ("incompetent", "99999.99", "0.00", "0.00"),
    ],
)
def test_pay_is_performance_pay_times_the_coefficient_rounded_half_up(
    grade: str, performance_pay: str, coefficient: str, amount: str
) -> None:
    pay = paid(grade, performance_pay).subject("c1").pay
    assert pay is not None
    assert pay.performance_pay == Decimal(performance_pay)
    assert pay.coefficient == Decimal(coefficient)
    assert pay.amount == Decimal(amount)
    assert pay.to_json()["amount"] == amount
    assert pay.to_json()["coefficient"] == coefficient


def test_the_pay_figures_appear_in_the_outcome_document_as_decimal_strings() -> None:
    document = paid("competent", "10000.01").to_document()
    (c1,) = [s for s in document["subjects"] if s["id"] == "c1"]
    assert c1["pay"] == {
        "performance_pay": "10000.01",
        "coefficient": "0.90",
        "amount": "9000.01",
    }


def test_a_cadre_without_performance_pay_gets_no_pay_figure() -> None:
    outcome = paid("competent", None)
    assert outcome.subject("c1").pay is None
    assert not [t for t in outcome.trace if t.rule == "pay.coefficient" and t.result]


def test_a_cadre_without_a_grade_gets_no_pay_figure() -> None:
    document = session_document(
        cadres=1, counts={"organization": {"satisfied": 60}, "c1": {"abstain": 60}}
    )
    outcome = zhiping.evaluate(document)
    assert outcome.status == "valid"
    assert outcome.subject("c1").grade is None
    assert outcome.subject("c1").pay is None


def test_the_organization_never_gets_a_pay_figure() -> None:
    outcome = paid("excellent", "10000.00")
    assert outcome.subject("organization").grade == "excellent"
    assert outcome.subject("organization").pay is None


def test_each_cadre_is_paid_by_their_own_grade_and_performance_pay() -> None:
    document = session_document(
        cadres=2,
        counts={
            "organization": {"satisfied": 60},
            "c1": MARKS_FOR["competent"],
            "c2": MARKS_FOR["basically_competent"],
        },
    )
    document["cadres"][0]["performance_pay"] = "12000.00"
    document["cadres"][1]["performance_pay"] = "8000.50"
    outcome = zhiping.evaluate(document)
    c1, c2 = outcome.subject("c1").pay, outcome.subject("c2").pay
    assert c1 is not None
    assert c2 is not None
    assert c1.amount == Decimal("10800.00")  # 12000.00 × 0.90
    assert c2.amount == Decimal("4800.30")  # 8000.50 × 0.60


def test_a_pay_figure_is_traced_with_the_assumed_coefficients() -> None:
    outcome = paid("competent", "10000.01")
    (entry,) = [t for t in outcome.trace if t.rule == "pay.coefficient" and t.subject == "c1"]
    assert entry.pack == "xinzhou"
    assert entry.result == "9000.01"
    (coefficients,) = entry.parameters
    assert coefficients.assumed is True
    assert coefficients.value["competent"] == Decimal("0.90")  # type: ignore[index]
