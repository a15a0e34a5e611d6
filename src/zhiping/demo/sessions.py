"""The synthetic session documents: one ``zhiping.session/1`` per village and year.

A village's meeting is drawn from its standing traits (:mod:`zhiping.demo.district`)
and from a generator seeded by the district's seed, the village code, the year and the
facet drawn (the meeting, the inquiries, the follow-up of last year's commitments), so
that each document can be built alone and the next year can read this year's
commitments again. Most years go by the book: notice 3–7 days ahead, 80–100 % of
party members present, ballots counted on site. A few do not: notice a day or two
ahead, too few party members or representatives, a ballot too many issued.
"""

from __future__ import annotations

import calendar
import random
from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from zhiping.demo.district import CadreProfile, District, Standing, VillageProfile
from zhiping.glossary import ORGANIZATION

__all__ = ["INVITEE_KINDS", "session_document", "session_documents"]

INVITEE_KINDS = (
    "mass_organization",
    "resident_enterprise",
    "work_team",
    "paired_department",
    "deputy",
)
"""The invitee kinds the Xinzhou text names.

群团组织、驻村企业、扶贫工作队、结对部门、两代表一委员.
"""

Document = dict[str, Any]

_CHANNELS = ("group_chat", "phone", "broadcast", "door_to_door")
_INVALID_MARKS = ("满意", "√", "不称职", "satisfied?")
_TOPICS = (
    ("村道硬化进度", "完成村道硬化"),
    ("低保评定是否公平", "公开复核低保名单"),
    ("土地流转租金发放", "发放土地流转租金"),
    ("安全饮水管网", "完成饮水管网改造"),
    ("村集体经济收支", "公开集体经济账目"),
    ("垃圾清运不及时", "落实垃圾日产日清"),
    ("路灯损坏", "修复村内路灯"),
    ("沟渠清淤与防汛", "完成沟渠清淤"),
    ("医保缴费代办", "上门代办医保缴费"),
    ("村务公开不及时", "按月更新村务公开栏"),
    ("农田灌溉泵站", "修复灌溉泵站"),
    ("宅基地审批", "公示宅基地审批结果"),
)


def session_documents(district: District, year: int) -> Iterator[Document]:
    """Yield every village's session document for the work year, township by township.

    Commitments of the year before are carried for follow-up in every year after the
    district's first.
    """
    for village in district.villages:
        yield session_document(
            village, year, seed=district.seed, follow_up=year > district.first_year
        )


def session_document(
    village: VillageProfile, year: int, *, seed: int, follow_up: bool = False
) -> Document:
    """Return the village's session document for the work year, as decoded JSON.

    Args:
        village: the village evaluated.
        year: the work year; the meeting is held in January of the year after.
        seed: the district's seed; the same seed gives the same document.
        follow_up: carry the commitments made at the year before's session.

    Returns:
        A ``zhiping.session/1`` document that :func:`zhiping.parse_session` accepts.
    """
    rng = _generator(seed, village, year, "meeting")
    held_on = _held_on(seed, village, year)
    cadres = village.cadres_in(year)
    party_members = _ids("pm", village.party_members)
    dual = party_members[: village.dual_members]
    others = _ids("r", village.representatives - village.dual_members)
    attendance, evaluators = _attendance(rng, party_members, set(dual), others)
    document: Document = {
        "format": "zhiping.session/1",
        "id": f"{village.code}-{year}",
        "village": {"code": village.code, "name": village.name},
        "year": year,
        "held_on": held_on.isoformat(),
        "notice": _notice(rng, held_on),
        "roster": {
            "party_members": party_members,
            "representatives": [*dual, *others],
            "households": village.households,
        },
        "reach": _reach(rng, village.households),
        "cadres": [_cadre(cadre) for cadre in cadres],
        "attendance": attendance,
        "ballots": _ballots(rng, village, cadres, evaluators),
        "inquiries": _inquiries(seed, village, year),
    }
    if follow_up:
        document["carried_commitments"] = _carried_commitments(seed, village, year)
    return document


def _generator(seed: int, village: VillageProfile, year: int, facet: str) -> random.Random:
    return random.Random(f"zhiping-demo/{seed}/{village.code}/{year}/{facet}")


def _held_on(seed: int, village: VillageProfile, year: int) -> date:
    return date(year + 1, 1, _generator(seed, village, year, "date").randint(5, 25))


def _ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{number:03d}" for number in range(1, count + 1)]


def _notice(rng: random.Random, held_on: date) -> Document:
    days = rng.randint(1, 2) if rng.random() < 0.025 else rng.randint(3, 7)
    covers = ["time", "place", "procedure"]
    if rng.random() < 0.004:
        covers.remove("procedure")
    return {
        "published_on": (held_on - timedelta(days=days)).isoformat(),
        "channels": ["village_board", *rng.sample(_CHANNELS, rng.randint(1, 3))],
        "covers": covers,
    }


def _reach(rng: random.Random, households: int) -> Document:
    informed = households if rng.random() < 0.95 else households - rng.randint(1, 12)
    visited = households if rng.random() < 0.93 else households - rng.randint(1, 25)
    return {"households_informed": informed, "households_visited": visited}


def _cadre(cadre: CadreProfile) -> Document:
    return {
        "id": cadre.id,
        "name": cadre.name,
        "posts": list(cadre.posts),
        "in_office_since": cadre.in_office_since.isoformat(),
        "performance_pay": f"{cadre.performance_pay:.2f}",
    }


def _attendance(
    rng: random.Random, party_members: list[str], dual: set[str], others: list[str]
) -> tuple[list[Document], int]:
    """Return who signed in, and how many of them count as evaluators."""
    total = len(party_members)
    needed = -(-4 * total // 5)
    if rng.random() < 0.025:
        present_count = rng.randint(round(total * 0.6), needed - 1)
    else:
        present_count = rng.randint(needed, total)
    present = set(rng.sample(party_members, present_count))
    share = rng.uniform(0.88, 1.0) if rng.random() > 0.015 else rng.uniform(0.6, 0.85)
    dual_present = sum(person in present for person in dual)
    wanted = round((len(dual) + len(others)) * share) - dual_present
    others_present = sorted(rng.sample(others, max(0, min(len(others), wanted))))
    entries: list[Document] = [
        {"person": p, "as": ["party_member", "representative"] if p in dual else ["party_member"]}
        for p in party_members
        if p in present
    ]
    entries.extend({"person": r, "as": ["representative"]} for r in others_present)
    invitees = rng.randint(2, 9)
    kinds = rng.choices(INVITEE_KINDS, weights=(3, 2, 2, 2, 3), k=invitees)
    entries.extend(
        {"person": f"x{n:02d}", "as": ["invitee"], "invitee_kind": kind}
        for n, kind in enumerate(kinds, 1)
    )
    # Now and then the township's resident officer signs in as an invitee, or someone
    # off the roster as a representative: neither counts as an evaluator.
    if rng.random() < 0.04:
        entries.append({"person": "x99", "as": ["invitee"], "invitee_kind": "resident_officer"})
    if rng.random() < 0.03:
        entries.append({"person": "v001", "as": ["representative"]})
    return entries, present_count + len(others_present) + invitees


def _ballots(
    rng: random.Random,
    village: VillageProfile,
    cadres: tuple[CadreProfile, ...],
    evaluators: int,
) -> Document:
    issued = evaluators - rng.choice((0, 0, 0, 0, 0, 0, 1, 2, 3))
    if rng.random() < 0.005:
        issued = evaluators + rng.randint(1, 3)
    returned = max(0, issued - rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 3)))
    standings = {ORGANIZATION: village.organization, **{c.id: c.standing for c in cadres}}
    blank = sum(rng.random() < 0.004 for _ in range(returned))
    columns = {
        subject: [_mark(rng, this_year) for _ in range(returned - blank)]
        for subject, this_year in _this_year(rng, standings).items()
    }
    ballots: Document = {"issued": issued, "returned": returned}
    if village.ballot_form == "counts":
        ballots["counts"] = {subject: _counted(marks, blank) for subject, marks in columns.items()}
        return ballots
    cast: list[Document] = [{"marks": {}} for _ in range(blank)]
    for index in range(returned - blank):
        written = {subject: _written(rng, column[index]) for subject, column in columns.items()}
        cast.append({"marks": {s: mark for s, mark in written.items() if mark is not None}})
    rng.shuffle(cast)
    ballots["cast"] = cast
    return ballots


def _this_year(rng: random.Random, standings: Mapping[str, Standing]) -> dict[str, Standing]:
    """Return each subject's standing shaken by the year's events."""
    shaken = {}
    for subject, standing in standings.items():
        dissatisfied = min(0.95, max(0.0, standing.dissatisfied + rng.gauss(0, 0.04)))
        satisfied = min(1 - dissatisfied, max(0.0, standing.satisfied + rng.gauss(0, 0.03)))
        shaken[subject] = Standing(dissatisfied, satisfied)
    return shaken


def _mark(rng: random.Random, standing: Standing) -> str:
    chance = rng.random()
    if chance < 0.015:
        return "abstain"
    if chance < 0.02:
        return "invalid"
    opinion = rng.random()
    if opinion < standing.dissatisfied:
        return "dissatisfied"
    if opinion < standing.dissatisfied + standing.satisfied:
        return "satisfied"
    return "basically_satisfied"


def _counted(marks: list[str], blank: int) -> dict[str, int]:
    counter = Counter(marks)
    counter["abstain"] += blank
    words = ("satisfied", "basically_satisfied", "dissatisfied", "abstain", "invalid")
    return {word: counter[word] for word in words}


def _written(rng: random.Random, mark: str) -> str | None:
    """Return the mark as written on a ballot; None for no mark at all."""
    if mark == "abstain":
        return "unknown" if rng.random() < 0.3 else None
    if mark == "invalid":
        return rng.choice(_INVALID_MARKS)
    return mark


def _inquiries(seed: int, village: VillageProfile, year: int) -> list[Document]:
    rng = _generator(seed, village, year, "inquiries")
    held_on = _held_on(seed, village, year)
    subjects = [ORGANIZATION, *(cadre.id for cadre in village.cadres_in(year))]
    weights = [3, 3, *[1] * (len(subjects) - 2)]
    inquiries = []
    for number, (topic, promise) in enumerate(rng.sample(_TOPICS, rng.randint(1, 6)), 1):
        answered = rng.choices(("on_site", "later", "no"), weights=(62, 36, 2))[0]
        inquiry: Document = {
            "id": f"q{number}",
            "to": rng.choices(subjects, weights=weights)[0],
            "topic": topic,
            "answered": answered,
        }
        if answered == "later" or (answered == "on_site" and rng.random() < 0.2):
            month = rng.randint(3, 10)
            due = date(held_on.year, month, calendar.monthrange(held_on.year, month)[1])
            inquiry["commitment"] = (
                {"text": f"{month}月底前{promise}", "due": due.isoformat(), "fulfilled_on": None}
                if rng.random() < 0.95
                else {"text": f"尽快{promise}"}
            )
        inquiries.append(inquiry)
    return inquiries


def _carried_commitments(seed: int, village: VillageProfile, year: int) -> list[Document]:
    """Return last year's dated commitments, each kept on time, kept late, or not kept."""
    rng = _generator(seed, village, year, "follow_up")
    carried = []
    for inquiry in _inquiries(seed, village, year - 1):
        commitment = inquiry.get("commitment", {})
        if "due" not in commitment:
            continue
        due = date.fromisoformat(commitment["due"])
        chance = rng.random()
        if chance < 0.72:
            fulfilled_on: date | None = due - timedelta(days=rng.randint(0, 45))
        elif chance < 0.82:
            fulfilled_on = due + timedelta(days=rng.randint(1, 50))
        else:
            fulfilled_on = None
        carried.append(
            {
                "to": inquiry["to"],
                "text": commitment["text"],
                "due": due.isoformat(),
                "fulfilled_on": fulfilled_on.isoformat() if fulfilled_on else None,
                "year": year - 1,
            }
        )
    return carried
