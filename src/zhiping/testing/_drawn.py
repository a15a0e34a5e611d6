"""The parts of a generated session document, drawn by hypothesis.

Private to :mod:`zhiping.testing.strategies`, whose public strategies check their
options and then draw here.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any, Literal

import attrs
from hypothesis import strategies as st

from zhiping.glossary import ANSWERS, GRADES, ORGANIZATION, POSTS
from zhiping.testing._documents import as_cast

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "RECOGNISED_INVITEE_KINDS",
    "AccountingKind",
    "BallotForm",
    "Document",
    "NoticeKind",
    "Options",
    "QuorumKind",
    "drawn_counts",
    "drawn_histories",
    "drawn_sessions",
]

Document = dict[str, Any]
BallotForm = Literal["counts", "cast"]
NoticeKind = Literal["proper", "any"]
QuorumKind = Literal["met", "any"]
AccountingKind = Literal["sound", "any"]

# What Xinzhou accepts (DESIGN §5, GLOSSARY): notice channels and contents, the invitee
# kinds that count as evaluators, and the two quorums.
_CHANNELS = ("village_board", "group_chat", "phone", "broadcast", "door_to_door")
_OTHER_CHANNELS = ("poster", "loudspeaker_van")
_CONTENTS = ("time", "place", "procedure")
RECOGNISED_INVITEE_KINDS = (
    "mass_organization",
    "resident_enterprise",
    "work_team",
    "paired_department",
    "deputy",
)
"""The invitee kinds the Xinzhou text names: the documents' invitees are of these."""
_PARTY_SHARE = (4, 5)
_REPRESENTATIVES = 30
_MAX_ROSTER = 60
FIRST_YEAR, LAST_YEAR = 1949, 9998


@attrs.frozen
class Options:
    village_code: str | None
    village_prefix: str
    year: int | None
    cadres: int | None
    max_cadres: int
    max_ballots: int
    ballot_form: str
    notice: str
    quorum: str
    accounting: str
    history: bool
    uncounted_attendees: bool
    scale: tuple[str, ...]
    grades: tuple[str, ...] = GRADES


@attrs.frozen
class _Meeting:
    roster: Document
    attendance: list[Document]
    evaluators: int


@st.composite
def drawn_sessions(draw: st.DrawFn, options: Options) -> Document:
    year = options.year if options.year is not None else draw(st.integers(2016, 2030))
    held_on = draw(_days(date(year, 12, 1), date(year + 1, 3, 31)))
    code = options.village_code or draw(_village_codes(options.village_prefix))
    count = (
        options.cadres if options.cadres is not None else draw(st.integers(0, options.max_cadres))
    )
    subjects = [ORGANIZATION, *(f"c{i}" for i in range(1, count + 1))]
    meeting = draw(_meetings(options.quorum, options.uncounted_attendees))
    document: Document = {
        "format": "zhiping.session/1",
        "id": f"{code}-{year}",
        "village": {"code": code, "name": "测试村"},
        "year": year,
        "held_on": held_on.isoformat(),
        "roster": meeting.roster,
        "cadres": [draw(_cadres(subject, held_on)) for subject in subjects[1:]],
        "attendance": meeting.attendance,
        "ballots": draw(_ballots(subjects, meeting.evaluators, options)),
    }
    notice = draw(_notices(held_on, options.notice))
    if notice is not None:
        document["notice"] = notice
    if draw(st.booleans()):
        households = meeting.roster["households"]
        reached = st.one_of(st.just(households), st.integers(0, households))
        document["reach"] = {
            "households_informed": draw(reached),
            "households_visited": draw(reached),
        }
    document["inquiries"] = draw(_inquiries(subjects, held_on))
    if year > FIRST_YEAR:
        document["carried_commitments"] = draw(_carried(subjects, year, held_on))
    if options.history:
        # A cadre has no grade for a work year that ended before they took office.
        took_office = {
            c["id"]: date.fromisoformat(c["in_office_since"]) for c in document["cadres"]
        }
        document["history"] = [
            entry
            for entry in draw(drawn_histories(tuple(subjects), year, 3, options.grades))
            if entry["subject"] not in took_office
            or took_office[entry["subject"]] <= date(entry["year"], 12, 31)
        ]
    if options.ballot_form == "cast":
        order = draw(st.permutations(range(document["ballots"]["returned"])))
        document = as_cast(document, order)
    return document


def _village_codes(prefix: str) -> st.SearchStrategy[str]:
    rest = 12 - len(prefix)
    return st.integers(0, 10**rest - 1).map(
        lambda tail: f"{prefix}{tail:0{rest}d}" if rest else prefix
    )


@st.composite
def _meetings(draw: st.DrawFn, quorum: str, uncounted: bool) -> _Meeting:
    # Some party members are also representatives: they come once, in both capacities
    # when present as both.
    met = quorum == "met" or draw(st.booleans())
    least_party, least_representatives = (1, _REPRESENTATIVES) if met else (0, 0)
    on_party = draw(st.integers(least_party, _MAX_ROSTER))
    on_representatives = draw(st.integers(least_representatives, _MAX_ROSTER))
    quorate = -(-on_party * _PARTY_SHARE[0] // _PARTY_SHARE[1]) if met else 0
    party_present = draw(st.integers(quorate, on_party))
    representatives_present = draw(st.integers(least_representatives, on_representatives))
    shared = draw(st.integers(0, min(on_party, on_representatives, 10)))
    party = _ids("pm", on_party, 3)
    representatives = party[:shared] + _ids("r", on_representatives - shared, 3)
    claims: dict[str, list[str]] = {}
    for person in party[:party_present]:
        claims.setdefault(person, []).append("party_member")
    for person in representatives[:representatives_present]:
        claims.setdefault(person, []).append("representative")
    attendance: list[Document] = [{"person": p, "as": held} for p, held in claims.items()]
    for person in _ids("x", draw(st.integers(0, 5)), 2):
        kind = draw(st.sampled_from(RECOGNISED_INVITEE_KINDS))
        attendance.append({"person": person, "as": ["invitee"], "invitee_kind": kind})
    evaluators = len(attendance)
    if uncounted:
        for person in _ids("y", draw(st.integers(0, 2)), 2):
            attendance.append(
                {
                    "person": person,
                    "as": [draw(st.sampled_from(["party_member", "representative"]))],
                }
            )
        for person in _ids("z", draw(st.integers(0, 2)), 2):
            unrecognised = draw(st.sampled_from([None, "friend_of_the_village"]))
            entry: Document = {"person": person, "as": ["invitee"]}
            if unrecognised is not None:
                entry["invitee_kind"] = unrecognised
            attendance.append(entry)
    roster: Document = {
        "party_members": party,
        "representatives": representatives,
        "households": draw(st.integers(1, 500)),
    }
    return _Meeting(roster, attendance, evaluators)


@st.composite
def _cadres(draw: st.DrawFn, subject: str, held_on: date) -> Document:
    cadre: Document = {
        "id": subject,
        "name": f"干部{subject}",
        "posts": draw(st.lists(st.sampled_from(POSTS), min_size=1, max_size=2, unique=True)),
        "in_office_since": draw(_days(date(held_on.year - 10, 1, 1), held_on)).isoformat(),
    }
    if draw(st.integers(0, 3)) > 0:
        fen = draw(st.integers(0, 3_000_000))
        whole = draw(st.booleans()) and fen % 100 == 0
        cadre["performance_pay"] = str(fen // 100) if whole else f"{fen // 100}.{fen % 100:02d}"
    return cadre


@st.composite
def _ballots(draw: st.DrawFn, subjects: list[str], evaluators: int, options: Options) -> Document:
    excess = 0 if options.accounting == "sound" or draw(st.booleans()) else 5
    issued = draw(st.integers(0, evaluators + excess))
    returned = draw(st.integers(0, min(issued + excess, options.max_ballots)))
    counts = {}
    for subject in subjects:
        # A subject left out of the counts is unmarked on every ballot.
        if draw(st.integers(0, 7)) < 7:
            counts[subject] = draw(drawn_counts(returned, options.scale))
    return {"issued": issued, "returned": returned, "counts": counts}


def drawn_counts(ballots: int, scale: tuple[str, ...]) -> st.SearchStrategy[dict[str, int]]:
    keys = (*scale, "abstain", "invalid")

    def split(cuts: list[int]) -> dict[str, int]:
        bounds = [0, *sorted(cuts), ballots]
        parts = [high - low for low, high in itertools.pairwise(bounds)]
        # Cuts shrink to 0, which puts every ballot in the last part: the first word.
        return dict(zip(keys, reversed(parts), strict=True))

    cuts = st.lists(st.integers(0, ballots), min_size=len(keys) - 1, max_size=len(keys) - 1)
    return cuts.map(split)


@st.composite
def _notices(draw: st.DrawFn, held_on: date, kind: str) -> Document | None:
    if kind == "proper" or draw(st.booleans()):
        days = draw(st.integers(3, 30))
        channels = st.sampled_from(_CHANNELS)
        covers = list(_CONTENTS)
    else:
        if draw(st.integers(0, 4)) == 0:
            return None
        days = draw(st.integers(0, 30))
        channels = st.sampled_from(_CHANNELS + _OTHER_CHANNELS)
        covers = draw(st.lists(st.sampled_from(_CONTENTS), unique=True))
    return {
        "published_on": (held_on - timedelta(days=days)).isoformat(),
        "channels": draw(st.lists(channels, min_size=1, max_size=3, unique=True)),
        "covers": covers,
    }


@st.composite
def _inquiries(draw: st.DrawFn, subjects: list[str], held_on: date) -> list[Document]:
    inquiries = []
    for number in range(1, draw(st.integers(0, 2)) + 1):
        inquiry: Document = {
            "id": f"q{number}",
            "to": draw(st.sampled_from(subjects)),
            "topic": "村道硬化进度",
            "answered": draw(st.sampled_from(ANSWERS)),
        }
        if draw(st.booleans()):
            due = draw(st.none() | _days(held_on, held_on + timedelta(days=365)))
            inquiry["commitment"] = {"text": "限期整改", "due": due and due.isoformat()}
        inquiries.append(inquiry)
    return inquiries


@st.composite
def _carried(draw: st.DrawFn, subjects: list[str], year: int, held_on: date) -> list[Document]:
    carried = []
    for _ in range(draw(st.integers(0, 2))):
        due = draw(_days(held_on - timedelta(days=700), held_on + timedelta(days=200)))
        fulfilled = draw(st.none() | _days(min(due, held_on) - timedelta(days=100), held_on))
        carried.append(
            {
                "to": draw(st.sampled_from(subjects)),
                "text": "修缮村道",
                "due": due.isoformat(),
                "fulfilled_on": fulfilled and fulfilled.isoformat(),
                "year": draw(st.integers(max(FIRST_YEAR, year - 3), year - 1)),
            }
        )
    return carried


def drawn_histories(
    subjects: tuple[str, ...], year: int, max_years: int, grades: tuple[str, ...] = GRADES
) -> st.SearchStrategy[list[dict[str, Any]]]:
    keys = [
        (subject, earlier)
        for earlier in range(max(FIRST_YEAR, year - max_years), year)
        for subject in subjects
    ]
    drawn = st.tuples(*(st.sampled_from((None, *grades)) for _ in keys))
    return drawn.map(
        lambda drawn: [
            {"subject": subject, "year": earlier, "grade": grade}
            for (subject, earlier), grade in zip(keys, drawn, strict=True)
            if grade is not None
        ]
    )


def _days(first: date, last: date) -> st.SearchStrategy[date]:
    # Cheaper to draw than st.dates(), and shrinks towards the first day.
    return st.integers(0, (last - first).days).map(lambda offset: first + timedelta(days=offset))


def _ids(prefix: str, count: int, width: int) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]
