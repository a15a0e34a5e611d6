"""Mechanisms: generic, parameterized rules that know no town.

A pack binds a rule id to one of these by name and sets its parameters; see
``docs/packs.md`` for each mechanism's parameters. ``param`` holds the declarations of
what a parameter means (``param.grade()``, ``param.grade_table()``, …).
"""

from __future__ import annotations

from zhiping.rules import _parameters as param
from zhiping.rules._context import WITHHELD, RuleContext
from zhiping.rules._mechanism import (
    APPLYING_STAGES,
    STAGES,
    Evaluation,
    Mechanism,
    ParameterSource,
    Period,
    RuleDefinition,
    Stage,
    mechanism,
)
from zhiping.rules._parameters import ParameterType, Vocabulary
from zhiping.rules.attendance import evaluator_capacities, invitee_kinds, roster_backing
from zhiping.rules.ballots import issued_within_evaluators, returned_within_issued, unknown_subjects
from zhiping.rules.eligibility import eligible_posts, organization_not_evaluated, tenure_eligibility
from zhiping.rules.grading import score_bands, share_thresholds, veto_grade
from zhiping.rules.inquiries import commitment_required, overdue_commitments
from zhiping.rules.notice import (
    notice_channels,
    notice_contents,
    notice_period,
    notice_reach,
    quarter_given,
)
from zhiping.rules.organization import organization_grade_action, team_action_when_any_below
from zhiping.rules.pay import pay_by_coefficient, pay_by_score, pay_fixed_by_grade
from zhiping.rules.quorum import quorum_minimum, quorum_share
from zhiping.rules.quota import top_share_quota
from zhiping.rules.sanctions import (
    consecutive_evaluations,
    consecutive_grade,
    low_satisfaction_action,
)
from zhiping.rules.scoring import weighted_composite, weighted_groups
from zhiping.rules.tally import tally_marks

__all__ = [
    "APPLYING_STAGES",
    "BUILTIN_MECHANISMS",
    "STAGES",
    "WITHHELD",
    "Evaluation",
    "Mechanism",
    "ParameterSource",
    "ParameterType",
    "Period",
    "RuleContext",
    "RuleDefinition",
    "Stage",
    "Vocabulary",
    "mechanism",
    "param",
]

BUILTIN_MECHANISMS: tuple[Mechanism, ...] = (
    notice_period,
    notice_channels,
    notice_contents,
    notice_reach,
    quarter_given,
    roster_backing,
    invitee_kinds,
    evaluator_capacities,
    quorum_share,
    quorum_minimum,
    issued_within_evaluators,
    returned_within_issued,
    unknown_subjects,
    tenure_eligibility,
    eligible_posts,
    organization_not_evaluated,
    tally_marks,
    weighted_composite,
    weighted_groups,
    share_thresholds,
    score_bands,
    veto_grade,
    top_share_quota,
    pay_by_coefficient,
    pay_by_score,
    pay_fixed_by_grade,
    consecutive_grade,
    consecutive_evaluations,
    low_satisfaction_action,
    organization_grade_action,
    team_action_when_any_below,
    commitment_required,
    overdue_commitments,
)
"""Every mechanism zhiping ships, registered through the ``zhiping_mechanisms`` hook."""
