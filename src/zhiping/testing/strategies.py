"""Hypothesis strategies that generate session documents, for the tests of rule packs.

Every strategy here is *sound*: each document it generates passes
:func:`zhiping.parse_session`. None is *complete*: the sessions are shaped like
Xinzhou's (DESIGN §2, §5), with the three-level scale, party members, representatives
and invitees as evaluators, and the ``counts`` form written out as ballots for the
``cast`` form. Options are keyword-only and checked when the strategy is made: a bad
one raises :class:`hypothesis.errors.InvalidArgument` at once, not at the first draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from zhiping.glossary import GRADES
from zhiping.testing._drawn import (
    FIRST_YEAR,
    LAST_YEAR,
    RECOGNISED_INVITEE_KINDS,
    AccountingKind,
    BallotForm,
    Document,
    NoticeKind,
    Options,
    QuorumKind,
    drawn_counts,
    drawn_histories,
    drawn_sessions,
)

__all__ = [
    "RECOGNISED_INVITEE_KINDS",
    "THREE_LEVEL_SCALE",
    "histories",
    "session_documents",
    "subject_counts",
]

THREE_LEVEL_SCALE: tuple[str, ...] = ("satisfied", "basically_satisfied", "dissatisfied")
"""The ballot words of the root pack's scale (满意 / 基本满意 / 不满意)."""


def subject_counts(
    *,
    min_ballots: int = 0,
    max_ballots: int = 200,
    scale: Sequence[str] = THREE_LEVEL_SCALE,
) -> st.SearchStrategy[dict[str, int]]:
    """Generate one subject's pre-counted marks, as the ``counts`` form holds them.

    Args:
        min_ballots: the fewest ballots the counts may sum to.
        max_ballots: the most ballots the counts may sum to.
        scale: the ballot words, best first; ``abstain`` and ``invalid`` are added.

    Returns:
        A strategy for ``{word: count, …, "abstain": …, "invalid": …}``; shrinks towards
        every ballot marking the first word.
    """
    _check_count("min_ballots", min_ballots)
    _check_count("max_ballots", max_ballots)
    if min_ballots > max_ballots:
        raise InvalidArgument(f"min_ballots={min_ballots} is more than max_ballots={max_ballots}")
    words = _checked_scale(scale)
    return st.integers(min_ballots, max_ballots).flatmap(lambda n: drawn_counts(n, words))


def histories(
    *, subjects: Sequence[str], year: int, max_years: int = 3, grades: Sequence[str] = GRADES
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Generate prior results ``[{subject, year, grade}, …]`` of subjects before ``year``.

    Each subject may or may not have a grade in each of the ``max_years`` years before
    ``year`` (a gap year is a year without one); the list parses with
    :func:`zhiping.parse_history` and fits a session document of ``year``.

    Args:
        subjects: the subject ids graded, e.g. ``["organization", "c1"]``.
        year: the work year evaluated; every entry is earlier.
        max_years: how many years back the results reach.
        grades: the grade scale drawn from: a pack's own (its chain's ``vocabulary``).

    Returns:
        A strategy for lists of history entries, oldest year first.
    """
    if isinstance(subjects, str) or not all(isinstance(s, str) and s for s in subjects):
        raise InvalidArgument(f"subjects must be a sequence of subject ids, got {subjects!r}")
    if len(set(subjects)) != len(subjects):
        raise InvalidArgument(f"subjects must be distinct, got {list(subjects)!r}")
    _check_year(year)
    _check_count("max_years", max_years)
    return drawn_histories(tuple(subjects), year, max_years, _checked_grades(grades))


def session_documents(
    *,
    village_code: str | None = None,
    village_prefix: str = "420117",
    year: int | None = None,
    cadres: int | None = None,
    max_cadres: int = 3,
    max_ballots: int = 200,
    ballot_form: BallotForm = "counts",
    notice: NoticeKind = "proper",
    quorum: QuorumKind = "met",
    accounting: AccountingKind = "sound",
    history: bool = True,
    uncounted_attendees: bool = True,
    scale: Sequence[str] = THREE_LEVEL_SCALE,
    grades: Sequence[str] = GRADES,
) -> st.SearchStrategy[Document]:
    """Generate valid ``zhiping.session/1`` documents of Xinzhou-shaped sessions.

    Args:
        village_code: the village's 12-digit code; by default one under
            ``village_prefix``.
        village_prefix: the division-code prefix drawn codes start with.
        year: the work year; by default one from 2016 (Xinzhou in force) to 2030.
        cadres: how many cadres besides the organization; by default 0 to ``max_cadres``.
        max_cadres: the most cadres drawn when ``cadres`` is not given.
        max_ballots: the most ballots returned.
        ballot_form: ``counts`` (pre-counted) or ``cast`` (one object per ballot, in a
            drawn order).
        notice: ``proper``: published 3 to 30 days ahead through an accepted channel,
            stating time, place and procedure; ``any``: also missing, late, through
            other channels only, or incomplete.
        quorum: ``met``: at least 4/5 of the party members (one or more) and 30
            representatives present; ``any``: any attendance.
        accounting: ``sound``: no more ballots issued than evaluators counted, none
            returned beyond those issued; ``any``: either may be exceeded.
        history: also give prior grades of the subjects (of a cadre, only for years
            they held office), so that the two-year rule can fire.
        uncounted_attendees: also put people present whose claims do not count
            (not on the roster, invitees of no recognised kind); they bring warnings.
        scale: the ballot words the counts use, as the pack's ``ballots.tally.scale``.
        grades: the grade scale the history draws from, as the pack's chain declares it.

    Returns:
        A strategy for session documents as decoded JSON; each passes
        :func:`zhiping.parse_session`.
    """
    if not isinstance(village_prefix, str) or not (village_prefix or "0").isdigit():
        raise InvalidArgument(f"village_prefix must be a string of digits, got {village_prefix!r}")
    if len(village_prefix) > 12:
        raise InvalidArgument(f"village_prefix has more than 12 digits: {village_prefix!r}")
    if village_code is not None:
        if not (
            isinstance(village_code, str) and len(village_code) == 12 and village_code.isdigit()
        ):
            raise InvalidArgument(f"village_code must be 12 digits, got {village_code!r}")
        if not village_code.startswith(village_prefix):
            raise InvalidArgument(f"village_code {village_code} is not under {village_prefix}")
    if year is not None:
        _check_year(year)
    _check_count("max_cadres", max_cadres)
    if cadres is not None:
        _check_count("cadres", cadres)
    _check_count("max_ballots", max_ballots)
    options = Options(
        village_code=village_code,
        village_prefix=village_prefix,
        year=year,
        cadres=cadres,
        max_cadres=max_cadres,
        max_ballots=max_ballots,
        ballot_form=_one_of("ballot_form", ballot_form, ("counts", "cast")),
        notice=_one_of("notice", notice, ("proper", "any")),
        quorum=_one_of("quorum", quorum, ("met", "any")),
        accounting=_one_of("accounting", accounting, ("sound", "any")),
        history=_flag("history", history),
        uncounted_attendees=_flag("uncounted_attendees", uncounted_attendees),
        scale=_checked_scale(scale),
        grades=_checked_grades(grades),
    )
    return drawn_sessions(options)


def _check_count(name: str, value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidArgument(f"{name} must be a non-negative integer, got {value!r}")


def _check_year(year: object) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidArgument(f"year must be an integer from {FIRST_YEAR} to {LAST_YEAR}")


def _checked_scale(scale: Sequence[str]) -> tuple[str, ...]:
    words = tuple(scale) if not isinstance(scale, str) else ()
    reserved = {"abstain", "invalid", "unknown"}
    if not words or not all(isinstance(w, str) and w for w in words):
        raise InvalidArgument(f"scale must be a non-empty sequence of words, got {scale!r}")
    if len(set(words)) != len(words) or reserved & set(words):
        raise InvalidArgument(f"scale words must be distinct and not {sorted(reserved)}")
    return words


def _checked_grades(grades: Sequence[str]) -> tuple[str, ...]:
    drawn = tuple(grades) if not isinstance(grades, str) else ()
    if (
        not drawn
        or not all(isinstance(g, str) and g for g in drawn)
        or len(set(drawn)) != len(drawn)
    ):
        raise InvalidArgument(
            f"grades must be a non-empty sequence of distinct ids, got {grades!r}"
        )
    return drawn


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidArgument(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be True or False, got {value!r}")
    return value
