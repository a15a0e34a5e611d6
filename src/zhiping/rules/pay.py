"""Pay: by a grade's coefficient, proportional to a score between two lines, or fixed.

Source: Xinzhou, 一(二): the result enters the cadres' performance management and is
linked to their pay (纳入村干部绩效管理,并与工作报酬挂钩). The coefficients are
assumed (DESIGN §5). Other towns pay in proportion to a 100-point score (full pay from
one line, none below another), or a fixed bonus per grade and month (issue 13); packs
choose the form and set its figures.

Every amount is the product of exact figures (a Decimal in yuan, a Decimal or Fraction
coefficient, whole months), rounded half-up to the fen once, at the end.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from zhiping.documents.outcome import Pay, exact_figure
from zhiping.documents.values import ParameterUse
from zhiping.errors import PackError
from zhiping.glossary import Text
from zhiping.rules import _parameters as param
from zhiping.rules._context import WITHHELD, RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = [
    "FEN",
    "MONTHS_PER_QUARTER",
    "MONTHS_PER_YEAR",
    "pay_by_coefficient",
    "pay_by_score",
    "pay_fixed_by_grade",
    "round_to_fen",
]

FEN = Decimal("0.01")
MONTHS_PER_YEAR = 12
"""The months an annual session's fixed pay covers."""
MONTHS_PER_QUARTER = 3
"""The months a quarterly session's fixed pay covers (the session has a ``quarter``)."""


def round_to_fen(amount: Decimal | Fraction) -> Decimal:
    """Round an amount in yuan half-up to the fen: 9000.005 → 9000.01; 5333.33… → 5333.33."""
    if isinstance(amount, Fraction):
        # Exact: the fen is the integer part of amount × 100 + ½.
        fen = (amount * 100 + Fraction(1, 2)).__floor__()
        return Decimal(fen).scaleb(-2)
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def _no_grade(ctx: RuleContext, cadre_id: str, used: ParameterUse, **inputs: object) -> None:
    label = ctx.label(cadre_id)
    ctx.pay(
        cadre_id,
        None,
        Text(
            zh=f"{label.zh}没有等次,绩效报酬不作计算",
            en=f"{label.en} has no grade; no pay figure",
        ),
        inputs=inputs,
        parameters=[used],
    )


def _missing_grade(used: ParameterUse, grade: str, what: str, zh: str) -> PackError:
    return PackError(
        f"pack {used.pack}: {used.name}: no {what} for {grade}",
        zh=f"规则包 {used.pack}:{used.name}:没有等次 {grade} 的{zh}",
    )


@mechanism("pay_by_coefficient", stage="pay", parameters={"coefficients": param.grade_table()})
def pay_by_coefficient(ctx: RuleContext) -> None:
    """Pay each graded cadre ``performance_pay × coefficients[grade]``, half-up to the fen.

    The coefficient is used as the pack gives it (``1.125``), never rounded.
    """
    coefficients, used = ctx.parameter("coefficients", dict)
    for cadre in ctx.session.cadres:
        if cadre.performance_pay is None:
            continue
        grade = ctx.grade_of(cadre.id)
        if grade is None:
            _no_grade(ctx, cadre.id, used, performance_pay=str(cadre.performance_pay))
            continue
        if grade not in coefficients:
            raise _missing_grade(used, grade, "coefficient", "系数")
        coefficient = Decimal(coefficients[grade])
        amount = round_to_fen(cadre.performance_pay * coefficient)
        pay = Pay(cadre.performance_pay, coefficient, amount)
        figures = pay.to_json()
        label = ctx.label(cadre.id)
        ctx.pay(
            cadre.id,
            pay,
            Text(
                zh=f"{label.zh}绩效报酬{figures['performance_pay']}元×系数"
                f"{figures['coefficient']}={figures['amount']}元",
                en=f"{label.en}: performance pay {figures['performance_pay']} × "
                f"{figures['coefficient']} = {figures['amount']} yuan",
            ),
            inputs={"grade": grade, "performance_pay": figures["performance_pay"]},
            parameters=[used],
        )


@mechanism(
    "pay_by_score",
    stage="pay",
    parameters={"none_below": param.decimal(), "full_at": param.decimal()},
)
def pay_by_score(ctx: RuleContext) -> None:
    """Pay each scored cadre a share of the performance pay that grows with the score.

    A score at or above ``full_at`` earns the full performance pay; a score below
    ``none_below`` earns nothing; in between the share grows linearly from nothing at
    ``none_below``: ``(score − none_below) / (full_at − none_below)``, exact, and the
    amount is rounded half-up to the fen. Where the score rule withheld a score (ballot
    secrecy), the trace prints neither it nor the share; the pay itself, a personal
    figure, is what it would be (docs/secrecy.md says what it still reveals).

    Raises:
        PackError: ``full_at`` is not above ``none_below``, or no rule of the chain
            scored an evaluated cadre.
    """
    none_below, below_used = ctx.parameter("none_below", Decimal)
    full_at, full_used = ctx.parameter("full_at", Decimal)
    used = [below_used, full_used]
    if full_at <= none_below:
        raise PackError(
            f"pack {full_used.pack}: {full_used.name} = {full_at} should be above "
            f"{below_used.name} = {none_below}",
            zh=f"规则包 {full_used.pack}:{full_used.name} = {full_at} 应高于 "
            f"{below_used.name} = {none_below}",
        )
    for cadre in ctx.session.cadres:
        if cadre.performance_pay is None:
            continue
        label = ctx.label(cadre.id)
        if not ctx.is_scored(cadre.id) and ctx.is_eligible(cadre.id):
            raise PackError(
                f"rule {ctx.rule.id} pays by score, but no rule of the chain scored {cadre.id}",
                zh=f"规则 {ctx.rule.id} 按得分计算报酬,但规则包链中没有规则为 {cadre.id} 计算得分",
            )
        score = ctx.score_of(cadre.id) if ctx.is_scored(cadre.id) else None
        if score is None:
            ctx.pay(
                cadre.id,
                None,
                Text(
                    zh=f"{label.zh}没有得分,绩效报酬不作计算",
                    en=f"{label.en} has no score; no pay figure",
                ),
                inputs={"score": None, "performance_pay": str(cadre.performance_pay)},
                parameters=used,
            )
            continue
        lower, upper = Fraction(none_below), Fraction(full_at)
        share = min(Fraction(1), max(Fraction(0), (score - lower) / (upper - lower)))
        amount = round_to_fen(Fraction(cadre.performance_pay) * share)
        pay = Pay(
            cadre.performance_pay,
            share,
            amount,
            form="proportional",
            score=score,
            none_below=none_below,
            full_at=full_at,
        )
        withheld = ctx.is_withheld(cadre.id)
        ctx.pay(
            cadre.id,
            pay,
            _withheld_message(label, pay)
            if withheld
            else _score_message(label, pay, score, lower, upper),
            inputs={
                "score": WITHHELD.en if withheld else exact_figure(score),
                "performance_pay": f"{cadre.performance_pay:.2f}",
            },
            parameters=used,
        )


def _withheld_message(label: Text, pay: Pay) -> Text:
    """Say what a cadre is paid by a score withheld for ballot secrecy, without the score."""
    amount = pay.amount_text()
    return Text(
        zh=f"{label.zh}按得分({WITHHELD.zh})发放绩效报酬{amount}元",
        en=f"{label.en}: pay by score ({WITHHELD.en}), {amount} yuan",
    )


def _score_message(
    label: Text, pay: Pay, score: Fraction, lower: Fraction, upper: Fraction
) -> Text:
    figures = pay.to_json()
    s, low, up = figures["score"], figures["none_below"], figures["full_at"]
    product = f"{figures['performance_pay']} × {figures['coefficient']} = {figures['amount']}"
    if score >= upper:
        return Text(
            zh=f"{label.zh}得分{s}不低于{up},全额发放:{product}元",
            en=f"{label.en} scores {s}, at or above {up}: full pay, {product} yuan",
        )
    if score < lower:
        return Text(
            zh=f"{label.zh}得分{s}低于{low},不发放:{product}元",
            en=f"{label.en} scores {s}, below {low}: no pay, {product} yuan",
        )
    return Text(
        zh=f"{label.zh}得分{s}在{low}至{up}之间,按比例发放:"
        f"系数({s}−{low})/({up}−{low}),{product}元",
        en=f"{label.en} scores {s}, between {low} and {up}: share "
        f"({s} − {low})/({up} − {low}), {product} yuan",
    )


@mechanism("pay_fixed_by_grade", stage="pay", parameters={"per_month": param.grade_table()})
def pay_fixed_by_grade(ctx: RuleContext) -> None:
    """Pay each graded cadre a fixed amount per month for the grade, times the period's months.

    ``per_month`` maps every grade to an amount in yuan for one month (``"0.00"`` for a
    grade that earns nothing). A quarterly session (one with a ``quarter``) covers
    3 months, an annual one 12. Every cadre is paid, with or without ``performance_pay``.

    Raises:
        PackError: ``per_month`` has no amount for a grade a cadre earned.
    """
    amounts, used = ctx.parameter("per_month", dict)
    quarterly = ctx.session.quarter is not None
    months = MONTHS_PER_QUARTER if quarterly else MONTHS_PER_YEAR
    period = Text(
        zh=f"第{ctx.session.quarter}季度" if quarterly else "全年",
        en=f"quarter {ctx.session.quarter}" if quarterly else "the year",
    )
    for cadre in ctx.session.cadres:
        grade = ctx.grade_of(cadre.id)
        if grade is None:
            _no_grade(ctx, cadre.id, used)
            continue
        if grade not in amounts:
            raise _missing_grade(used, grade, "amount per month", "月度金额")
        per_month = Decimal(amounts[grade])
        pay = Pay(
            None,
            None,
            round_to_fen(per_month * months),
            form="fixed",
            per_month=per_month,
            months=months,
        )
        figures = pay.to_json()
        label = ctx.label(cadre.id)
        ctx.pay(
            cadre.id,
            pay,
            Text(
                zh=f"{label.zh}评定为{ctx.name_of(grade).zh},每月{figures['per_month']}元,"
                f"{period.zh}{months}个月,共{figures['amount']}元",
                en=f"{label.en}, graded {ctx.name_of(grade).en}: {figures['per_month']} a month × "
                f"{months} months ({period.en}) = {figures['amount']} yuan",
            ),
            inputs={"grade": grade, "months": months},
            parameters=[used],
        )
