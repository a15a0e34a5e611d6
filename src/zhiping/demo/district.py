"""The synthetic district: 14 townships and 588 villages shaped like Xinzhou (新洲区).

The source text counts 588 village party organizations in 14 streets and towns
(全区14个街镇 … 588个村). The townships carry their real names; the division codes are
synthetic: ``420117`` + a 3-digit township (``101``–``114``) + a 3-digit village
(``201``–``242``). Each village has standing traits (roster sizes, the form its
ballots take) and each cadre and the organization a latent :class:`Standing` that
persists across years, so that a poor cadre tends to be rated poorly two years running.

Everything is drawn from :class:`random.Random` seeded by the caller, never from the
clock: the same seed gives the same district.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Literal

import attrs

from zhiping.glossary import Post

__all__ = [
    "DISTRICT_CODE",
    "TOWNSHIP_NAMES",
    "VILLAGES_PER_TOWNSHIP",
    "CadreProfile",
    "District",
    "Standing",
    "Township",
    "VillageProfile",
    "build_district",
]

DISTRICT_CODE = "420117"
"""The division code of Xinzhou district, Wuhan."""

# fmt: off
TOWNSHIP_NAMES: tuple[str, ...] = (
    "邾城街", "阳逻街", "仓埠街", "汪集街", "李集街", "三店街", "潘塘街",
    "旧街街", "双柳街", "涨渡湖街", "辛冲街", "徐古街", "凤凰镇", "龙王咀农场",
)
# fmt: on
"""The 14 streets and towns (街镇) of Xinzhou, in the order their codes are given."""

VILLAGES_PER_TOWNSHIP = 42
"""588 villages spread evenly: 14 × 42."""
MAX_VILLAGES = (999 - 101 + 1) * VILLAGES_PER_TOWNSHIP
"""The most villages a synthetic district holds: township codes 101 to 999 under 420117."""

# Villages the source text names, placed first in their township.
_NAMED_VILLAGES = {"潘塘街": "管寨村", "三店街": "宋寨村"}
_SURNAMES = (
    "张王李刘陈杨黄周吴徐胡朱何高罗郑梁谢宋唐许邓冯韩曹曾彭肖蔡潘田董袁余叶蒋杜"
    "魏程吕丁沈姚卢钟姜谭廖范汪陆金石戴夏邱方熊孟秦江雷龚邹万严詹柯喻涂闵"
)
_GIVEN = "建国华明军平志文红金玉春德海林勇伟强斌涛霞芳兰英桂秀凤正新祥福荣成立刚胜光清山辉"
_PLACE_WORDS = "新红石柳桃东西南北大小双龙凤白青三五七沙黄马牛"
_PLACE_ENDINGS = (
    "湾",
    "岗",
    "畈",
    "咀",
    "寨",
    "冲",
    "河",
    "桥",
    "店",
    "岭",
    "垸",
    "铺",
    "墩",
    "庙",
)
# The posts of a team, in the order a village fills them; the secretary usually also
# chairs the villagers' committee (书记、主任“一肩挑”).
_TEAM: tuple[tuple[Post, ...], ...] = (
    ("party_secretary", "committee_director"),
    ("party_deputy_secretary",),
    ("committee_deputy_director", "party_committee_member"),
    ("supervisory_director",),
    ("committee_member",),
    ("party_committee_member", "committee_member"),
    ("other",),
)


@attrs.frozen
class Standing:
    """How the evaluators see a subject in an ordinary year.

    Attributes:
        dissatisfied: the share of ballots marking it dissatisfied.
        satisfied: the share marking it satisfied; the rest mark it basically satisfied.
    """

    dissatisfied: float
    satisfied: float


@attrs.frozen
class Township:
    """A street or town (街镇).

    Attributes:
        code: its 9-digit division code.
        name: its name in Chinese.
    """

    code: str
    name: str


@attrs.frozen
class CadreProfile:
    """A member of a village's leading team, with the years they serve.

    Attributes:
        id: the subject id in the village's documents (``c01`` …).
        name: the cadre's name.
        posts: the posts held.
        in_office_since: when the cadre took office.
        performance_pay: the yearly performance pay in yuan, to the fen.
        standing: how the evaluators see the cadre.
        first_year: the first work year served.
        last_year: the last work year served, or None while in office.
    """

    id: str
    name: str
    posts: tuple[Post, ...]
    in_office_since: date
    performance_pay: Decimal
    standing: Standing
    first_year: int
    last_year: int | None = None

    def serves_in(self, year: int) -> bool:
        """Return whether the cadre is on the team for the work year."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


@attrs.frozen
class VillageProfile:
    """A village's standing traits, the same every year.

    Attributes:
        code: the 12-digit division code.
        name: the village's name.
        township: the township it belongs to.
        households: the number of households.
        party_members: the number of party members on the roster.
        representatives: the number of representatives on the roster.
        dual_members: representatives who are also party members.
        organization: how the evaluators see the party organization.
        cadres: every cadre who serves in any year, in the order of their posts.
        ballot_form: ``counts`` when ballots are counted on site, else ``cast``.
    """

    code: str
    name: str
    township: Township
    households: int
    party_members: int
    representatives: int
    dual_members: int
    organization: Standing
    cadres: tuple[CadreProfile, ...]
    ballot_form: Literal["cast", "counts"]

    def cadres_in(self, year: int) -> tuple[CadreProfile, ...]:
        """Return the team evaluated for the work year."""
        return tuple(cadre for cadre in self.cadres if cadre.serves_in(year))


@attrs.frozen
class District:
    """The synthetic district.

    Attributes:
        seed: the seed it was drawn from.
        first_year: the first work year its teams are evaluated for.
        townships: the 14 townships.
        villages: the 588 villages, township by township.
    """

    seed: int
    first_year: int
    townships: tuple[Township, ...]
    villages: tuple[VillageProfile, ...]


def build_district(seed: int, *, first_year: int, villages: int = 588) -> District:
    """Draw a district shaped like Xinzhou from a seed.

    Args:
        seed: the same seed gives the same district.
        first_year: the first work year evaluated; cadres took office before it, and
            a few are replaced in the year after it.
        villages: how many villages; 588 (Xinzhou's 14 townships of 42) by default.
            More villages make more townships of 42, named after Xinzhou's with a number,
            for load tests the size of a province.

    Returns:
        The townships and their villages, in code order.

    Raises:
        ValueError: fewer than one village, or more than the codes under 420117 hold.
    """
    if not 1 <= villages <= MAX_VILLAGES:
        raise ValueError(f"villages must be from 1 to {MAX_VILLAGES}, not {villages}")
    rng = random.Random(seed)
    count = -(-villages // VILLAGES_PER_TOWNSHIP)
    townships = tuple(
        Township(f"{DISTRICT_CODE}{101 + index}", _township_name(index)) for index in range(count)
    )
    profiles: list[VillageProfile] = []
    for township in townships:
        names: set[str] = set()  # village names are unique within a township
        for number in range(min(VILLAGES_PER_TOWNSHIP, villages - len(profiles))):
            name = _NAMED_VILLAGES.get(township.name) if number == 0 else None
            name = name or _village_name(rng, names)
            names.add(name)
            code = f"{township.code}{201 + number}"
            profiles.append(_village(rng, code, name, township, first_year))
    return District(seed, first_year, townships, tuple(profiles))


def _township_name(index: int) -> str:
    name = TOWNSHIP_NAMES[index % len(TOWNSHIP_NAMES)]
    return name if index < len(TOWNSHIP_NAMES) else f"{name}{index // len(TOWNSHIP_NAMES) + 1}"


def _village(
    rng: random.Random, code: str, name: str, township: Township, first_year: int
) -> VillageProfile:
    party_members = round(rng.triangular(20, 120, 50))
    # A few villages have fewer than the 30 representatives the quorum needs.
    chance = rng.random()
    if chance < 0.025:
        representatives = rng.randint(25, 29)
    elif chance < 0.055:
        representatives = rng.randint(30, 34)
    else:
        representatives = rng.randint(35, 60)
    return VillageProfile(
        code=code,
        name=name,
        township=township,
        households=round(rng.triangular(150, 900, 380)),
        party_members=party_members,
        representatives=representatives,
        dual_members=rng.randint(representatives // 6, representatives // 3),
        organization=_standing(rng, poor=0.02),
        cadres=_team(rng, first_year),
        ballot_form="cast" if rng.random() < 0.15 else "counts",
    )


def _team(rng: random.Random, first_year: int) -> tuple[CadreProfile, ...]:
    size = rng.choice((4, 5, 5, 6, 6, 6, 7, 7))
    names: set[str] = set()
    team = [
        _cadre(rng, f"c{index + 1:02d}", posts, _elected_on(rng, index, first_year), names)
        for index, posts in enumerate(_TEAM[:size])
    ]
    # A few cadres leave after the first year; a successor takes the same posts.
    successors: list[CadreProfile] = []
    for index, cadre in enumerate(team):
        if rng.random() < 0.04:
            team[index] = attrs.evolve(cadre, last_year=first_year)
            successor_id = f"c{size + len(successors) + 1:02d}"
            since = date(first_year + 1, rng.randint(2, 10), rng.randint(1, 28))
            successors.append(_cadre(rng, successor_id, cadre.posts, since, names))
    return (*team, *successors)


def _elected_on(rng: random.Random, index: int, first_year: int) -> date:
    if index == 0 or rng.random() < 0.75:
        # Most teams were elected at the general election, four years before 2025.
        return date(first_year - 4, 1, rng.randint(5, 28))
    return date(rng.randint(first_year - 3, first_year - 1), rng.randint(1, 12), 15)


def _cadre(
    rng: random.Random, cadre_id: str, posts: tuple[Post, ...], since: date, names: set[str]
) -> CadreProfile:
    name = _person_name(rng, names)
    names.add(name)
    # Performance pay is set per month; the year's total keeps the fen.
    monthly_fen = rng.randint(160_000, 250_000) if "party_secretary" in posts else 0
    monthly_fen = monthly_fen or rng.randint(66_667, 140_000)
    return CadreProfile(
        id=cadre_id,
        name=name,
        posts=posts,
        in_office_since=since,
        performance_pay=Decimal(monthly_fen * 12).scaleb(-2),
        standing=_standing(rng, poor=0.012),
        first_year=since.year,
    )


def _standing(rng: random.Random, *, poor: float) -> Standing:
    chance = rng.random()
    if chance < poor:
        dissatisfied = rng.uniform(0.55, 0.72)
    elif chance < poor + 0.03:
        dissatisfied = rng.uniform(0.28, 0.42)
    elif chance < poor + 0.14:
        dissatisfied = rng.uniform(0.08, 0.25)
    else:
        dissatisfied = rng.uniform(0.0, 0.07)
    return Standing(dissatisfied, (1 - dissatisfied) * rng.uniform(0.72, 0.99))


def _person_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
        name = rng.choice(_SURNAMES) + given
        if name not in taken:
            return name


def _village_name(rng: random.Random, taken: set[str]) -> str:
    while True:
        first = rng.choice(_SURNAMES + _PLACE_WORDS)
        middle = "家" if first in _SURNAMES and rng.random() < 0.4 else ""
        name = f"{first}{middle}{rng.choice(_PLACE_ENDINGS)}村"
        if name not in taken:
            return name
