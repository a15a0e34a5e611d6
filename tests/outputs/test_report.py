"""The text report's pay column: the exact figures that multiply to the amount."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from rich.console import Console

from zhiping import evaluate, parse_session
from zhiping.documents.outcome import Pay
from zhiping.glossary import Lang
from zhiping.outputs.report import render_outcome

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "guanzhai-2026.json"


def report_with_pay(pay: Pay, lang: Lang) -> str:
    """Render the example's outcome with c1's pay replaced by ``pay``."""
    session = parse_session(EXAMPLE.read_text("utf-8"))
    outcome = evaluate(session)
    subjects = tuple(
        attrs.evolve(subject, pay=pay) if subject.id == "c1" else subject
        for subject in outcome.subjects
    )
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    render_outcome(attrs.evolve(outcome, subjects=subjects), session, console, lang)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("pay", "shown"),
    [
        (
            Pay(Decimal("10000.00"), Decimal("1.125"), Decimal("11250.00")),
            "10000.00 × 1.125 = 11250.00",
        ),
        (
            Pay(
                Decimal("8000.00"),
                Fraction(2, 3),
                Decimal("5333.33"),
                form="proportional",
                score=Fraction(80),
                none_below=Decimal("60"),
                full_at=Decimal("90"),
            ),
            "8000.00 × 2/3 = 5333.33",
        ),
        (
            Pay(None, None, Decimal("900.00"), form="fixed", per_month=Decimal("300"), months=3),
            "300.00 × 3 = 900.00",
        ),
    ],
)
def test_the_pay_column_shows_figures_that_multiply_to_the_amount(
    pay: Pay, shown: str, lang: Lang
) -> None:
    text = report_with_pay(pay, lang)
    (row,) = [line for line in text.splitlines() if "(c1)" in line]
    assert shown in row
    assert "1.12 " not in row


def test_the_example_shows_its_two_place_coefficients_as_before() -> None:
    text = report_with_pay(Pay(Decimal("12000.00"), Decimal("0.90"), Decimal("10800.00")), "en")
    assert "12000.00 × 0.90 = 10800.00" in text
