"""Performance pay by coefficient: the grade's coefficient times the cadre's performance pay.

Source: Xinzhou, 一(二): the result enters the cadres' performance management and is
linked to their pay (纳入村干部绩效管理,并与工作报酬挂钩). The coefficients are
assumed (DESIGN §5). Amounts are rounded half-up to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhiping.documents.outcome import Pay
from zhiping.errors import PackError
from zhiping.glossary import Text, name_of
from zhiping.rules import _parameters as param
from zhiping.rules._context import RuleContext
from zhiping.rules._mechanism import mechanism

__all__ = ["FEN", "pay_by_coefficient", "round_to_fen"]

FEN = Decimal("0.01")


def round_to_fen(amount: Decimal) -> Decimal:
    """Round an amount in yuan half-up to the fen: 9000.005 → 9000.01."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


@mechanism("pay_by_coefficient", stage="pay", parameters={"coefficients": param.grade_table()})
def pay_by_coefficient(ctx: RuleContext) -> None:
    """Pay each graded cadre ``performance_pay × coefficients[grade]``, half-up to the fen."""
    coefficients, used = ctx.parameter("coefficients", dict)
    for cadre in ctx.session.cadres:
        if cadre.performance_pay is None:
            continue
        label = ctx.label(cadre.id)
        grade = ctx.grade_of(cadre.id)
        if grade is None:
            ctx.pay(
                cadre.id,
                None,
                Text(
                    zh=f"{label.zh}没有等次,绩效报酬不作计算",
                    en=f"{label.en} has no grade; no pay figure",
                ),
                inputs={"performance_pay": str(cadre.performance_pay)},
                parameters=[used],
            )
            continue
        if grade not in coefficients:
            raise PackError(
                f"pack {used.pack}: {used.name}: no coefficient for {grade}",
                zh=f"规则包 {used.pack}:{used.name}:没有{name_of(grade).zh}({grade})的系数",
            )
        coefficient = Decimal(coefficients[grade])
        amount = round_to_fen(cadre.performance_pay * coefficient)
        pay = Pay(cadre.performance_pay, coefficient, amount)
        figures = pay.to_json()
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
