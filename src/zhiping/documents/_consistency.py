"""How the parts of a session document agree with each other (DESIGN §2).

Dates, the reach of the notice, cadre ids, attendance, ballots and their counts, the
subjects that vetoes, inquiries and assessments name, and the history: each problem with
its JSON path. :func:`zhiping.documents.session.check_session` runs them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from zhiping import glossary
from zhiping.errors import Problem, json_path
from zhiping.glossary import name_of

if TYPE_CHECKING:
    from zhiping.documents.session import HistoryEntry, Session

__all__ = [
    "group_size",
    "history_conflicts",
    "inconsistencies",
    "mixed_periods",
    "not_before",
    "not_earlier",
]


def inconsistencies(session: Session) -> Iterator[Problem]:
    yield from _dates(session)
    yield from _reach(session)
    yield from _cadre_ids(session)
    yield from _attendance(session)
    yield from _ballots(session)
    yield from _references(session)
    yield from history_conflicts(session.history, "history")
    yield from _history_years(session)


def _dates(session: Session) -> Iterator[Problem]:
    if not session.year <= session.held_on.year <= session.year + 1:
        yield Problem(
            "held_on",
            glossary.Text(
                zh=f"{session.held_on}既不在{session.year}工作年度内,也不在其次年",
                en=f"{session.held_on} is not in the work year {session.year} or the year after",
            ),
        )
    for index, cadre in enumerate(session.cadres):
        if cadre.in_office_since > session.held_on:
            yield Problem(
                f"cadres[{index}].in_office_since",
                glossary.Text(
                    zh=f"{cadre.in_office_since}晚于直评会日期({session.held_on})",
                    en=f"{cadre.in_office_since} is after the session ({session.held_on})",
                ),
            )


def _reach(session: Session) -> Iterator[Problem]:
    if session.reach is None:
        return
    households = session.roster.households
    for field in ("households_informed", "households_visited"):
        count = getattr(session.reach, field)
        if count > households:
            yield Problem(
                f"reach.{field}",
                glossary.Text(
                    zh=f"{count}户多于全村的{households}户",
                    en=f"{count} is more than the {households} households",
                ),
            )


def _repeats(keys: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Yield the index and the key of each key that an earlier one already gave."""
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            yield index, key
        seen.add(key)


def _cadre_ids(session: Session) -> Iterator[Problem]:
    for index, cadre_id in _repeats(cadre.id for cadre in session.cadres):
        yield Problem(
            f"cadres[{index}].id",
            glossary.Text(zh=f"村干部 id '{cadre_id}' 重复", en=f"repeated cadre id '{cadre_id}'"),
        )


def _attendance(session: Session) -> Iterator[Problem]:
    for index, person in _repeats(entry.person for entry in session.attendance):
        yield Problem(
            f"attendance[{index}].person",
            glossary.Text(zh=f"'{person}' 签到了两次", en=f"'{person}' is present twice"),
        )


def _ballots(session: Session) -> Iterator[Problem]:
    ballots = session.ballots
    if ballots.cast is not None and len(ballots.cast) != ballots.returned:
        yield Problem(
            "ballots.cast",
            glossary.Text(
                zh=f"列出测评票{len(ballots.cast)}张,但收回{ballots.returned}张",
                en=f"{len(ballots.cast)} ballots are listed but {ballots.returned} were returned",
            ),
        )
    if ballots.counts is not None:
        yield from _count_sums(ballots.counts, ballots.returned, "ballots.counts")
    if ballots.group_counts is not None:
        sizes = {}
        for group, counts in ballots.group_counts.items():
            size = group_size(counts)
            sizes[group] = size
            yield from _count_sums(counts, size, f"ballots.group_counts.{group}")
        if sum(sizes.values()) != ballots.returned:
            yield Problem(
                "ballots.group_counts",
                glossary.Text(
                    zh=f"各组合计测评票{sum(sizes.values())}张,与收回的{ballots.returned}张不符",
                    en=(
                        f"the groups hold {sum(sizes.values())} ballots, "
                        f"not the {ballots.returned} returned"
                    ),
                ),
            )


def group_size(counts: Mapping[str, Mapping[str, int]]) -> int:
    """Return how many ballots an evaluator group returned: what its first subject sums to."""
    first = next(iter(counts.values()), {})
    return sum(first.values())


def _count_sums(
    counts: Mapping[str, Mapping[str, int]], returned: int, prefix: str
) -> Iterator[Problem]:
    what = (
        glossary.Text(zh="收回", en="returned")
        if prefix == "ballots.counts"
        else glossary.Text(zh="本组", en="of the group")
    )
    for subject, words in counts.items():
        total = sum(words.values())
        if total != returned:
            yield Problem(
                json_path((*prefix.split("."), subject)),
                glossary.Text(
                    zh=f"各项票数合计{total}张,与{what.zh}的{returned}张不符",
                    en=f"the counts sum to {total}, not to the {returned} ballots {what.en}",
                ),
            )


def _references(session: Session) -> Iterator[Problem]:
    subjects = set(session.subject_ids)
    repeated = dict(_repeats(inquiry.id for inquiry in session.inquiries))
    for index, inquiry in enumerate(session.inquiries):
        if inquiry.to not in subjects:
            yield _no_subject(f"inquiries[{index}].to", inquiry.to)
        if index in repeated:
            yield Problem(
                f"inquiries[{index}].id",
                glossary.Text(
                    zh=f"质询 id '{inquiry.id}' 重复", en=f"repeated inquiry id '{inquiry.id}'"
                ),
            )
    for index, veto in enumerate(session.vetoes):
        if veto.subject not in subjects:
            yield _no_subject(f"vetoes[{index}].subject", veto.subject)
    for name, scores in session.assessments.items():
        for subject in scores:
            if subject not in subjects:
                yield _no_subject(json_path(("assessments", name, subject)), subject)


def _no_subject(path: str, subject: str) -> Problem:
    return Problem(
        path,
        glossary.Text(
            zh=f"没有 id 为 '{subject}' 的测评对象", en=f"no subject with id '{subject}'"
        ),
    )


def history_conflicts(entries: Sequence[HistoryEntry], prefix: str) -> Iterator[Problem]:
    """Refuse a repeated entry, two grades for one period, and a subject's year given
    both as a whole and by quarter."""
    grades: dict[tuple[str, int, int | None], str] = {}
    by_quarter: dict[tuple[str, int], bool] = {}
    for index, entry in enumerate(entries):
        path = f"{prefix}[{index}]"
        key = (entry.subject, entry.year, entry.quarter)
        quarterly = by_quarter.setdefault((entry.subject, entry.year), entry.quarter is not None)
        if quarterly != (entry.quarter is not None):
            yield mixed_periods(path, entry)
        elif key in grades and grades[key] == entry.grade:
            yield Problem(
                path,
                glossary.Text(
                    zh=f"'{entry.subject}' {entry.period.zh}的成绩重复列出",
                    en=f"'{entry.subject}' is listed twice for {entry.period.en}",
                ),
            )
        elif key in grades:
            yield Problem(
                path,
                glossary.Text(
                    zh=f"'{entry.subject}' {entry.period.zh}已评定为{name_of(grades[key]).zh}",
                    en=f"'{entry.subject}' is already graded {grades[key]} for {entry.period.en}",
                ),
            )
        grades.setdefault(key, entry.grade)


def mixed_periods(path: str, entry: HistoryEntry) -> Problem:
    """Return the problem of a subject's year given both as a whole and by quarter."""
    return Problem(
        path,
        glossary.Text(
            zh=f"'{entry.subject}' {entry.year}年既有全年成绩又有季度成绩,只能择一",
            en=f"'{entry.subject}' has both a yearly and quarterly grades for {entry.year}; "
            "give one or the other",
        ),
    )


def _history_years(session: Session) -> Iterator[Problem]:
    for index, entry in enumerate(session.history):
        problem = not_earlier(f"history[{index}]", entry, session)
        if problem is not None:
            yield problem
    for index, carried in enumerate(session.carried_commitments):
        if carried.year >= session.year:
            yield not_before(f"carried_commitments[{index}].year", carried.year, session.year)


def not_earlier(path: str, entry: HistoryEntry, session: Session) -> Problem | None:
    """Return the problem of a history entry not before the session evaluated, if any.

    An entry of an earlier year is always before it; one of the session's own year only
    when both are quarterly and the entry's quarter comes first.
    """
    if entry.year < session.year:
        return None
    if entry.year > session.year or session.quarter is None or entry.quarter is None:
        return not_before(f"{path}.year", entry.year, session.year)
    if entry.quarter >= session.quarter:
        return Problem(
            f"{path}.quarter",
            glossary.Text(
                zh=f"{entry.year}年第{entry.quarter}季度不早于本次测评的第{session.quarter}季度",
                en=f"quarter {entry.quarter} of {entry.year} is not before the evaluated "
                f"quarter {session.quarter}",
            ),
        )
    return None


def not_before(path: str, year: int, evaluated: int) -> Problem:
    """Return the problem of an earlier year that is not before the evaluated one."""
    return Problem(
        path,
        glossary.Text(
            zh=f"{year}年不早于本次测评的{evaluated}年度",
            en=f"{year} is not before the evaluated year {evaluated}",
        ),
    )
