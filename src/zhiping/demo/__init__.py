"""The demo: a synthetic district shaped like Xinzhou, evaluated over two years.

:func:`run_demo` draws 588 villages in 14 townships from a seed, evaluates each
village's session for two consecutive years, keeps the results in the records
store (:class:`zhiping.store.Store`) so that the second year reads the first year's
grades, and returns a :class:`DistrictSummary` that
:func:`render_summary` prints. ``zhiping demo`` is this, with a progress bar.
"""

from __future__ import annotations

from zhiping.demo.district import District, VillageProfile, build_district
from zhiping.demo.evaluation import ProgressReport, evaluate_year, run_demo
from zhiping.demo.report import render_summary
from zhiping.demo.sessions import session_document, session_documents
from zhiping.demo.summary import (
    AdjustedCadre,
    DistrictSummary,
    WeakOrganization,
    YearSummary,
    summarize_year,
)

__all__ = [
    "AdjustedCadre",
    "District",
    "DistrictSummary",
    "ProgressReport",
    "VillageProfile",
    "WeakOrganization",
    "YearSummary",
    "build_district",
    "evaluate_year",
    "render_summary",
    "run_demo",
    "session_document",
    "session_documents",
    "summarize_year",
]
