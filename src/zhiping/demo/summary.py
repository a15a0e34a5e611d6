"""What a district officer wants to know after the evaluations.

:func:`summarize_year` folds one year's sessions and outcomes into a
:class:`YearSummary`: sessions evaluated, void sessions by the rule they broke, the
grades of organizations and cadres, the cadres adjusted and the organizations to be
rectified, and the performance pay. A :class:`DistrictSummary` holds every year;
:func:`zhiping.demo.report.render_summary` prints it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType

import attrs

from zhiping.documents.outcome import Outcome
from zhiping.documents.session import Session
from zhiping.glossary import GRADES

__all__ = [
    "UNGRADED",
    "AdjustedCadre",
    "DistrictSummary",
    "WeakOrganization",
    "YearSummary",
    "summarize_year",
]

UNGRADED = "ungraded"
"""The key counting subjects of valid sessions that got no grade (no valid votes)."""


@attrs.frozen
class AdjustedCadre:
    """A cadre whose results call for organizational adjustment (组织调整).

    Attributes:
        township: the township's name.
        village_code: the village's code.
        village: the village's name.
        cadre_id: the cadre's subject id.
        cadre: the cadre's name.
        posts: the posts the cadre holds.
    """

    township: str
    village_code: str
    village: str
    cadre_id: str
    cadre: str
    posts: tuple[str, ...]


@attrs.frozen
class WeakOrganization:
    """A village party organization to be rectified as weak and lax (软弱涣散).

    Attributes:
        township: the township's name.
        village_code: the village's code.
        village: the village's name.
    """

    township: str
    village_code: str
    village: str


@attrs.frozen
class YearSummary:
    """One work year of the district, summed up.

    Attributes:
        year: the work year.
        sessions: the villages evaluated (one session each).
        valid: the valid sessions.
        void: the void sessions, which must be held again.
        void_by_rule: void sessions by the rule they broke (a session may break several).
        warnings_by_rule: warnings found, by rule.
        organization_grades: organizations of valid sessions by grade, and ``ungraded``.
        cadre_grades: cadres of valid sessions by grade, and ``ungraded``.
        adjustments: the cadres to be adjusted, in village order.
        weak_organizations: the organizations to be rectified, in village order.
        pay_total: the performance pay the grades give, in yuan.
        pay_at_stake: the performance pay of the cadres who got a pay figure.
        pay_pending: the performance pay of the cadres of void sessions, held until the
            session is held again.
    """

    year: int
    sessions: int
    valid: int
    void: int
    void_by_rule: Mapping[str, int]
    warnings_by_rule: Mapping[str, int]
    organization_grades: Mapping[str, int]
    cadre_grades: Mapping[str, int]
    adjustments: tuple[AdjustedCadre, ...]
    weak_organizations: tuple[WeakOrganization, ...]
    pay_total: Decimal
    pay_at_stake: Decimal
    pay_pending: Decimal


@attrs.frozen
class DistrictSummary:
    """The demo district's results, year by year.

    Attributes:
        seed: the seed the district was drawn from.
        townships: the number of townships.
        villages: the number of villages.
        years: each year's summary, oldest first.
    """

    seed: int
    townships: int
    villages: int
    years: tuple[YearSummary, ...]

    @property
    def final(self) -> YearSummary:
        """Return the last year's summary: the one where the two-year rule can fire."""
        return self.years[-1]


def summarize_year(
    year: int, evaluated: Iterable[tuple[Session, Outcome]], *, townships: Mapping[str, str]
) -> YearSummary:
    """Fold one year's sessions and their outcomes into a summary.

    Args:
        year: the work year.
        evaluated: each session with its outcome; read once.
        townships: township names by 9-digit code.

    Returns:
        The year's summary.
    """
    sessions = void = 0
    void_by_rule: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    grades: dict[str, Counter[str]] = {"organization": Counter(), "cadre": Counter()}
    adjustments: list[AdjustedCadre] = []
    weak: list[WeakOrganization] = []
    pay_total = pay_at_stake = pay_pending = Decimal(0)
    for session, outcome in evaluated:
        sessions += 1
        warnings.update(f.rule for f in outcome.findings if f.severity == "warning")
        village = (townships[session.village.code[:9]], session.village.code, session.village.name)
        if outcome.status == "void":
            void += 1
            void_by_rule.update({f.rule for f in outcome.findings if f.severity == "violation"})
            pending = (c.performance_pay for c in session.cadres if c.performance_pay is not None)
            pay_pending += sum(pending, Decimal(0))
            continue
        for subject in outcome.subjects:
            grades[subject.kind][subject.grade or UNGRADED] += 1
            if subject.pay is not None:
                pay_total += subject.pay.amount
                pay_at_stake += subject.pay.performance_pay or Decimal(0)
            kinds = {action.kind for action in subject.actions}
            if "weak_organization_rectification" in kinds:
                weak.append(WeakOrganization(*village))
            cadre = session.cadre(subject.id)
            if "organizational_adjustment" in kinds and cadre is not None:
                adjustments.append(AdjustedCadre(*village, cadre.id, cadre.name, cadre.posts))
    return YearSummary(
        year=year,
        sessions=sessions,
        valid=sessions - void,
        void=void,
        void_by_rule=_frozen(void_by_rule),
        warnings_by_rule=_frozen(warnings),
        organization_grades=_grades(grades["organization"]),
        cadre_grades=_grades(grades["cadre"]),
        adjustments=tuple(adjustments),
        weak_organizations=tuple(weak),
        pay_total=pay_total,
        pay_at_stake=pay_at_stake,
        pay_pending=pay_pending,
    )


def _frozen(counts: Counter[str]) -> Mapping[str, int]:
    return MappingProxyType(dict(sorted(counts.items())))


def _grades(counts: Counter[str]) -> Mapping[str, int]:
    return MappingProxyType({grade: counts[grade] for grade in (*GRADES, UNGRADED)})
