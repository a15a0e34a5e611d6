"""The pay forms: by coefficient, proportional to a score, a fixed amount per month.

The Xinzhou pay rule is performance pay × the grade's coefficient, half-up to the fen;
coefficients (assumed, DESIGN §5): excellent 1.00, competent 0.90, basically_competent
0.60, incompetent 0.00. The other forms are applied alone, with the parameters a test
gives, to the grades and scores a test sets. Every expected amount is worked by hand.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from rule_runs import Run

import zhiping
from zhiping.documents.outcome import OutcomeDocument, Pay, pay_figures
from zhiping.errors import PackError
from zhiping.glossary import Grade, Text
from zhiping.packs.loading import load_pack
from zhiping.packs.registry import PackRegistry, discover
from zhiping.rules import RuleContext, mechanism
from zhiping.rules.pay import pay_by_coefficient, pay_by_score, pay_fixed_by_grade
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


# Exact figures: the coefficient as the pack gives it, never rounded to 2 places.


@mechanism("grades_given", stage="grade")
def grades_given(ctx: RuleContext) -> None:
    """Stand for a grade stage (the tests set the grades through the context)."""


@mechanism("scores_given", stage="score")
def scores_given(ctx: RuleContext) -> None:
    """Stand for a score stage (the tests set the scores through the context)."""


def graded(
    *grades: Grade | None, performance_pay: str | None = "10000.00", quarter: int | None = None
) -> Run:
    """Start a run of cadres c1, c2, … with these grades (None: no grade)."""
    document = session_document(cadres=len(grades), performance_pay=performance_pay)
    if quarter is not None:
        document["quarter"] = quarter
    run = Run.of(document)
    grader = run.context(grades_given)
    for index, grade in enumerate(grades, 1):
        grader.grade(f"c{index}", grade, Text(zh="等次", en="grade"))
    return run


def multiplied(pay: Pay) -> Fraction:
    """Return the product of the pay's figures, before rounding."""
    product = Fraction(1)
    for figure in pay.figures():
        product *= Fraction(figure)
    return product


@pytest.mark.parametrize(
    ("performance_pay", "coefficient", "amount"),
    [
        # 10000.00 × 1.125 = 11250 exactly
        ("10000.00", "1.125", "11250.00"),
        # 8000.01 × 0.675 = 5400.00675 → 5400.01
        ("8000.01", "0.675", "5400.01"),
        # 8000.00 × 0.675 = 5400 exactly
        ("8000.00", "0.675", "5400.00"),
        # half a fen exactly: 0.04 × 1.125 = 0.045 → 0.05 (half-even would give 0.04)
        ("0.04", "1.125", "0.05"),
        # under half a fen: 0.03 × 1.125 = 0.03375 → 0.03
        ("0.03", "1.125", "0.03"),
        # over half a fen: 0.05 × 1.125 = 0.05625 → 0.06
        ("0.05", "1.125", "0.06"),
        # 0.02 × 0.675 = 0.0135 → 0.01; 0.10 × 0.675 = 0.0675 → 0.07
        ("0.02", "0.675", "0.01"),
        ("0.10", "0.675", "0.07"),
    ],
)
def test_a_coefficient_of_three_places_is_used_and_shown_as_given(
    performance_pay: str, coefficient: str, amount: str
) -> None:
    run = graded("competent", performance_pay=performance_pay)
    run.apply(
        pay_by_coefficient, "pay.coefficient", coefficients={"competent": Decimal(coefficient)}
    )
    pay = run.evaluation.pay["c1"]
    assert pay.amount == Decimal(amount)
    assert pay.to_json() == {
        "performance_pay": performance_pay,
        "coefficient": coefficient,
        "amount": amount,
    }
    assert pay.figures() == (Decimal(performance_pay), Decimal(coefficient))
    assert pay_figures(pay.to_json()) == f"{performance_pay} × {coefficient}"
    entry = run.entry("pay.coefficient", "c1")
    assert entry.result == amount
    assert f"{performance_pay} × {coefficient} = {amount}" in entry.message.en
    assert f"{performance_pay}元×系数{coefficient}={amount}元" in entry.message.zh


def test_the_shown_figures_of_1_125_on_10000_multiply_to_the_amount() -> None:
    """Acceptance 4: 10000.00 × 1.125 = 11250.00, with no rounded coefficient anywhere."""
    run = graded("excellent", performance_pay="10000.00")
    run.apply(pay_by_coefficient, "pay.coefficient", coefficients={"excellent": Decimal("1.125")})
    shown = run.evaluation.pay["c1"].to_json()
    assert shown["coefficient"] == "1.125"
    product = Decimal(shown["performance_pay"]) * Decimal(shown["coefficient"])
    assert product == Decimal(shown["amount"]) == Decimal("11250.00")


def test_a_pay_whose_figures_do_not_give_its_amount_cannot_be_built() -> None:
    Pay(Decimal("10000.00"), Decimal("1.125"), Decimal("11250.00"))
    with pytest.raises(ValueError, match="do not give the amount"):
        Pay(Decimal("10000.00"), Decimal("1.125"), Decimal("11200.00"))
    with pytest.raises(ValueError, match="do not give the amount"):
        # 8000.00 × 0.67 = 5360.00, not the 5333.33 that 2/3 gives
        Pay(Decimal("8000.00"), Decimal("0.67"), Decimal("5333.33"))
    with pytest.raises(ValueError, match="needs"):
        Pay(None, None, Decimal("0.00"), form="fixed", per_month=Decimal("1.00"))


def test_a_coefficient_table_without_the_earned_grade_is_a_pack_error_naming_it() -> None:
    run = graded("basically_competent")
    with pytest.raises(PackError, match=r"pay\.coefficient\.coefficients: no coefficient for "):
        run.apply(pay_by_coefficient, "pay.coefficient", coefficients={"competent": Decimal(1)})


# pay_by_score: full pay at or above full_at, none below none_below, linear between.

LINES = {"none_below": Decimal("60"), "full_at": Decimal("90")}


def scored(*scores: Fraction | None, performance_pay: str | None = "10000.00") -> Run:
    """Pay cadres c1, c2, … whose scores are these (None: the score stage gave none)."""
    document = session_document(cadres=len(scores), performance_pay=performance_pay)
    run = Run.of(document)
    scorer = run.context(scores_given)
    for index, score in enumerate(scores, 1):
        scorer.score(f"c{index}", score, Text(zh="得分", en="score"))
    return run.apply(pay_by_score, "pay.score", **LINES)


@pytest.mark.parametrize(
    ("score", "coefficient", "amount"),
    [
        (Fraction(100), "1.00", "10000.00"),
        (Fraction(90), "1.00", "10000.00"),  # at the full line: full pay
        # 89.99: (29.99)/30 = 2999/3000; 10000 × 2999/3000 = 9996.666… → 9996.67
        (Fraction(8999, 100), "2999/3000", "9996.67"),
        (Fraction(75), "0.50", "5000.00"),  # 15/30
        (Fraction(78), "0.60", "6000.00"),  # 18/30
        # 69.666… = 209/3: (29/3)/30 = 29/90; 10000 × 29/90 = 3222.222… → 3222.22
        (Fraction(209, 3), "29/90", "3222.22"),
        (Fraction(61), "1/30", "333.33"),  # 10000/30 = 333.333…
        (Fraction(60), "0.00", "0.00"),  # at the lower line the share is nothing
        (Fraction(5999, 100), "0.00", "0.00"),  # below it: nothing
        (Fraction(0), "0.00", "0.00"),
    ],
)
def test_pay_by_score_is_full_from_one_line_nothing_below_the_other_linear_between(
    score: Fraction, coefficient: str, amount: str
) -> None:
    run = scored(score)
    pay = run.evaluation.pay["c1"]
    shown = pay.to_json()
    assert (shown["coefficient"], shown["amount"]) == (coefficient, amount)
    assert (shown["form"], shown["none_below"], shown["full_at"]) == (
        "proportional",
        "60.00",
        "90.00",
    )
    assert pay.coefficient == Fraction(coefficient)
    assert multiplied(pay) == Fraction(10000) * Fraction(coefficient)
    entry = run.entry("pay.score", "c1")
    assert (entry.result, entry.fulfilled) == (amount, True)
    assert f"10000.00 × {coefficient} = {amount}" in entry.message.en


def test_two_thirds_of_8000_is_shown_as_2_3_beside_5333_33() -> None:
    """The issue's case: a share of 2/3 is shown exact, never as 0.67."""
    run = scored(Fraction(80), performance_pay="8000.00")  # (80 − 60)/30 = 2/3
    pay = run.evaluation.pay["c1"]
    assert pay.to_json() == {
        "performance_pay": "8000.00",
        "coefficient": "2/3",
        "amount": "5333.33",
        "form": "proportional",
        "score": "80.00",
        "none_below": "60.00",
        "full_at": "90.00",
    }
    assert pay_figures(pay.to_json()) == "8000.00 × 2/3"
    entry = run.entry("pay.score", "c1")
    assert entry.message.en == (
        "干部1 (c1) scores 80.00, between 60.00 and 90.00: share "
        "(80.00 − 60.00)/(90.00 − 60.00), 8000.00 × 2/3 = 5333.33 yuan"
    )


@pytest.mark.parametrize(
    ("performance_pay", "amount"),
    [
        ("0.05", "0.03"),  # × 1/2 = 0.025: half a fen, up (half-even would give 0.02)
        ("10000.01", "5000.01"),  # × 1/2 = 5000.005 → 5000.01
        ("9999.99", "5000.00"),  # × 1/2 = 4999.995 → 5000.00
        ("0.01", "0.01"),  # × 1/2 = 0.005 → 0.01
    ],
)
def test_pay_by_score_rounds_half_up_to_the_fen(performance_pay: str, amount: str) -> None:
    run = scored(Fraction(75), performance_pay=performance_pay)  # share 1/2
    assert run.evaluation.pay["c1"].amount == Decimal(amount)


def test_pay_by_score_rounds_a_third_of_a_fen_down_and_two_thirds_up() -> None:
    run = scored(Fraction(70), Fraction(80), performance_pay="0.01")  # 1/3 and 2/3
    assert run.evaluation.pay["c1"].amount == Decimal("0.00")  # 0.00333…
    assert run.evaluation.pay["c2"].amount == Decimal("0.01")  # 0.00666…


def test_pay_by_score_gives_no_figure_without_a_score_and_nothing_without_performance_pay() -> None:
    run = scored(Fraction(95), None)
    assert set(run.evaluation.pay) == {"c1"}
    entry = run.entry("pay.score", "c2")
    assert (entry.result, entry.fulfilled) == (None, False)
    assert entry.message.en == "干部2 (c2) has no score; no pay figure"
    unpaid = scored(Fraction(95), performance_pay=None)
    assert unpaid.evaluation.pay == {}
    assert not [e for e in unpaid.trace if e.rule == "pay.score"]


@pytest.mark.parametrize("full_at", ["60", "59.99"])
def test_a_full_line_not_above_the_lower_line_is_a_pack_error(full_at: str) -> None:
    run = Run.of(session_document(cadres=1))
    with pytest.raises(PackError, match=rf"pay\.score\.full_at = {full_at} should be above"):
        run.apply(pay_by_score, "pay.score", none_below=Decimal("60"), full_at=Decimal(full_at))


def test_paying_by_score_without_a_score_stage_is_a_pack_error() -> None:
    run = Run.of(session_document(cadres=1))
    with pytest.raises(PackError, match="pays by score, but no rule of the chain scored c1"):
        run.apply(pay_by_score, "pay.score", **LINES)


# pay_fixed_by_grade: an amount per month for the grade × the period's months.

PER_MONTH = {
    "excellent": Decimal("500.00"),
    "competent": Decimal("300.00"),
    "basically_competent": Decimal("100.005"),
    "incompetent": Decimal("0"),
}


@pytest.mark.parametrize(
    ("grade", "quarter", "months", "per_month", "amount"),
    [
        ("excellent", None, 12, "500.00", "6000.00"),
        ("competent", None, 12, "300.00", "3600.00"),
        ("competent", 2, 3, "300.00", "900.00"),
        ("excellent", 4, 3, "500.00", "1500.00"),
        ("incompetent", None, 12, "0.00", "0.00"),
        # 100.005 × 3 = 300.015 → 300.02; × 12 = 1200.06 exactly
        ("basically_competent", 1, 3, "100.005", "300.02"),
        ("basically_competent", None, 12, "100.005", "1200.06"),
    ],
)
def test_a_fixed_amount_is_the_grade_s_monthly_amount_times_the_months_of_the_period(
    grade: Grade, quarter: int | None, months: int, per_month: str, amount: str
) -> None:
    run = graded(grade, quarter=quarter)
    run.apply(pay_fixed_by_grade, "pay.bonus", per_month=PER_MONTH)
    pay = run.evaluation.pay["c1"]
    assert pay.to_json() == {
        "performance_pay": None,
        "coefficient": None,
        "amount": amount,
        "form": "fixed",
        "per_month": per_month,
        "months": months,
    }
    assert pay.figures() == (Decimal(per_month), months)
    assert pay_figures(pay.to_json()) == f"{per_month} × {months}"
    entry = run.entry("pay.bonus", "c1")
    assert (entry.result, dict(entry.inputs)) == (amount, {"grade": grade, "months": months})
    assert f"{per_month} a month × {months} months" in entry.message.en
    assert f"{amount} yuan" in entry.message.en


def test_the_message_of_a_quarterly_bonus_names_the_quarter() -> None:
    run = graded("competent", quarter=2).apply(pay_fixed_by_grade, "pay.bonus", per_month=PER_MONTH)
    assert run.entry("pay.bonus", "c1").message == Text(
        zh="干部1(c1)评定为称职,每月300.00元,第2季度3个月,共900.00元",
        en="干部1 (c1), graded competent: 300.00 a month × 3 months (quarter 2) = 900.00 yuan",
    )


def test_a_fixed_amount_needs_no_performance_pay_but_a_grade() -> None:
    run = graded("excellent", None, performance_pay=None)
    run.apply(pay_fixed_by_grade, "pay.bonus", per_month=PER_MONTH)
    assert set(run.evaluation.pay) == {"c1"}
    entry = run.entry("pay.bonus", "c2")
    assert (entry.result, entry.fulfilled) == (None, False)
    assert entry.message.en == "干部2 (c2) has no grade; no pay figure"


def test_a_monthly_table_without_the_earned_grade_is_a_pack_error_naming_it() -> None:
    run = graded("basically_competent")
    with pytest.raises(PackError, match=r"pay\.bonus\.per_month: no amount per month for "):
        run.apply(pay_fixed_by_grade, "pay.bonus", per_month={"excellent": Decimal("1")})


@pytest.mark.parametrize(
    "pay",
    [
        Pay(Decimal("10000.00"), Decimal("1.125"), Decimal("11250.00")),
        Pay(
            Decimal("8000.00"),
            Fraction(2, 3),
            Decimal("5333.33"),
            form="proportional",
            score=Fraction(80),
            none_below=Decimal("60"),
            full_at=Decimal("90"),
        ),
        Pay(None, None, Decimal("900.00"), form="fixed", per_month=Decimal("300"), months=3),
    ],
)
def test_every_pay_form_reads_back_through_the_outcome_model(pay: Pay) -> None:
    document = paid("competent", "10000.00").to_document()
    (c1,) = [s for s in document["subjects"] if s["id"] == "c1"]
    c1["pay"] = pay.to_json()
    read = OutcomeDocument.model_validate(document)
    (subject,) = [s for s in read.subjects if s.id == "c1"]
    assert subject.pay is not None
    assert subject.pay.model_dump(exclude_unset=True) == pay.to_json()


# A town's own pay, in TOML only: a child of xinzhou pays a fixed bonus per month.

TOWN = """
[pack]
name = "bonustown"
title = { zh = "奖金镇", en = "Bonus town" }
prefix = "420117101"
parent = "xinzhou"
in_force_from = 2020-01-01

[references.measures]
title = "奖金镇村干部绩效奖励办法"

[rules."pay.coefficient"]
disabled = "the town pays a fixed bonus instead"

[rules."pay.bonus"]
mechanism = "pay_fixed_by_grade"
basis = [{ reference = "measures", article = "第三条" }]

[parameters."pay.bonus.per_month"]
kind = "table"

[[parameters."pay.bonus.per_month".values]]
from = 2020-01-01
reference = "measures"
article = "第三条"

[parameters."pay.bonus.per_month".values.value]
excellent = "500.00"
competent = "300.00"
basically_competent = "100.00"
incompetent = "0.00"
"""


def test_a_town_pack_pays_a_fixed_monthly_bonus_with_no_python(tmp_path: Path) -> None:
    """A competent cadre of an annual session gets 300.00 × 12 = 3600.00; quarterly 900.00."""
    path = tmp_path / "pack.toml"
    path.write_text(TOWN, encoding="utf-8")
    bundled = discover(entry_points=False)
    registry = PackRegistry.of(
        [*bundled.packs.values(), load_pack(path)], bundled.mechanisms.values()
    )
    counts = {"organization": {"satisfied": 60}, "c1": MARKS_FOR["competent"]}
    document: dict[str, Any] = session_document(cadres=1, counts=counts, performance_pay=None)
    outcome = zhiping.evaluate(document, registry=registry)
    assert outcome.packs == ("cn", "xinzhou", "bonustown")
    pay = outcome.subject("c1").pay
    assert pay is not None
    assert (pay.amount, pay.per_month, pay.months) == (Decimal("3600.00"), Decimal("300.00"), 12)
    assert [t.result for t in outcome.trace if t.rule == "pay.coefficient"] == ["disabled"]
    document["quarter"] = 4
    quarterly = zhiping.evaluate(document, registry=registry).subject("c1").pay
    assert quarterly is not None
    assert quarterly.to_json()["amount"] == "900.00"


SCORE_TOWN = """
[pack]
name = "scoretown"
title = { zh = "得分镇", en = "Score town" }
prefix = "510115001"
parent = "wenjiang"
in_force_from = 2020-01-01

[references.measures]
title = "得分镇村干部绩效报酬办法"

[rules."pay.score"]
mechanism = "pay_by_score"
basis = [{ reference = "measures", article = "第四条" }]

[parameters."pay.score.none_below"]
kind = "decimal"
values = [{ from = 2020-01-01, value = "60", reference = "measures", article = "第四条" }]

[parameters."pay.score.full_at"]
kind = "decimal"
values = [{ from = 2020-01-01, value = "90", reference = "measures", article = "第四条" }]
"""


@pytest.mark.parametrize(
    ("target", "score", "coefficient", "amount"),
    [
        # composite 0.3 × 100 + 0.2 × 100 + 0.5 × target
        ("60", "80.00", "2/3", "5333.33"),  # 8000 × (80 − 60)/30 = 5333.33…
        ("40", "70.00", "1/3", "2666.67"),  # 8000 × 10/30 = 2666.66…
        ("80", "90.00", "1.00", "8000.00"),  # at the full line
        ("20", "60.00", "0.00", "0.00"),  # at the lower line
    ],
)
def test_a_town_pack_pays_in_proportion_to_its_100_point_score_with_no_python(
    tmp_path: Path, target: str, score: str, coefficient: str, amount: str
) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(SCORE_TOWN, encoding="utf-8")
    bundled = discover(entry_points=False)
    registry = PackRegistry.of(
        [*bundled.packs.values(), load_pack(path)], bundled.mechanisms.values()
    )
    document: dict[str, Any] = session_document(
        village_code="510115001001",
        cadres=1,
        counts={"organization": {"satisfied": 60}, "c1": {"satisfied": 60}},
        performance_pay="8000.00",
    )
    document["assessments"] = {"township_committee": {"c1": "100"}, "target": {"c1": target}}
    outcome = zhiping.evaluate(document, registry=registry)
    assert outcome.packs == ("cn", "wenjiang", "scoretown")
    pay = outcome.subject("c1").pay
    assert pay is not None
    shown = pay.to_json()
    assert (shown["score"], shown["coefficient"], shown["amount"]) == (score, coefficient, amount)


def test_pay_by_a_withheld_score_pays_the_same_and_prints_no_score() -> None:
    """75 is halfway between 60 and 90: 5000.00, whether the score is published or not;
    the trace of a withheld score shows neither 75 nor the share 1/2."""
    document = session_document(cadres=1, performance_pay="10000.00")
    run = Run.of(document)
    run.context(scores_given).score("c1", Fraction(75), Text(zh="得分", en="s"), withheld=True)
    run.apply(pay_by_score, "pay.score", **LINES)
    assert run.evaluation.pay["c1"].amount == Decimal("5000.00")
    entry = run.entry("pay.score", "c1")
    assert dict(entry.inputs) == {"score": "withheld", "performance_pay": "10000.00"}
    assert entry.message.en == "干部1 (c1): pay by score (withheld), 5000.00 yuan"
    assert entry.message.zh == "干部1(c1)按得分(不公开)发放绩效报酬5000.00元"


@pytest.mark.parametrize(
    ("performance_pay", "coefficient", "amount", "gives"),
    [
        # 0.05 × 0.10 = 0.005: exactly half a fen rounds up to 0.01, never down to 0.00
        ("0.05", Decimal("0.10"), "0.01", True),
        ("0.05", Decimal("0.10"), "0.00", False),
        # 0.05 × 0.09 = 0.0045: under half a fen rounds down
        ("0.05", Decimal("0.09"), "0.00", True),
        ("0.05", Decimal("0.09"), "0.01", False),
        # 1000.00 × 2/3 = 666.666…: 666.67
        ("1000.00", Fraction(2, 3), "666.67", True),
        ("1000.00", Fraction(2, 3), "666.66", False),
        # 1000.01 × 1/2 = 500.005: half a fen, up
        ("1000.01", Fraction(1, 2), "500.01", True),
    ],
)
def test_a_pay_amount_is_its_figures_rounded_half_up_to_the_fen_on_both_sides_of_half(
    performance_pay: str, coefficient: Decimal | Fraction, amount: str, gives: bool
) -> None:
    if gives:
        Pay(Decimal(performance_pay), coefficient, Decimal(amount))
    else:
        with pytest.raises(ValueError, match="do not give the amount"):
            Pay(Decimal(performance_pay), coefficient, Decimal(amount))


def test_a_fixed_pay_is_its_monthly_amount_times_the_months() -> None:
    """1250.50 a month for a quarter: 3751.50."""
    Pay(None, None, Decimal("3751.50"), form="fixed", per_month=Decimal("1250.50"), months=3)
    with pytest.raises(ValueError, match="do not give the amount"):
        Pay(None, None, Decimal("3751.49"), form="fixed", per_month=Decimal("1250.50"), months=3)
