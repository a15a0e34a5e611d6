"""Valid session documents shaped for one pack: its scale, evaluators, groups, quarters.

:func:`pack_documents` reads what the pack's chain expects of a session and shapes the
documents of :func:`~zhiping.testing.strategies.session_documents` to match, so that a
pack's laws meet sessions that it can grade, not only void ones.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any, Literal, cast

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from zhiping.glossary import GRADES, ORGANIZATION
from zhiping.packs.model import Chain
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.testing._documents import as_cast, word_counted
from zhiping.testing.strategies import RECOGNISED_INVITEE_KINDS, session_documents

__all__ = ["NEUTRAL_VILLAGE_CODE", "BallotForm", "PackProfile", "as_group_counts", "pack_documents"]

BallotForm = Literal["counts", "cast", "group_counts"]
Document = dict[str, Any]

NEUTRAL_VILLAGE_CODE = "110116101201"
"""The village of a pack selected by name that governs no prefix (``cn-organic-law``).

A statute applies to any village, so its sessions are drawn for one that no bundled
pack governs (110116, Huairou district of Beijing), not for another pack's village.
"""

ROOT_VILLAGE_CODE = "420117101201"
"""The village of the root pack ``cn``: it grades nothing, so a child must govern it."""


@attrs.frozen
class PackProfile:
    """What a pack's chain expects of a session, read from its rules and parameters.

    Attributes:
        pack: the pack's name.
        forced: whether the pack is selected by name rather than by village code.
        village_code: a village the pack governs; for a pack selected by name with no
            prefix, :data:`NEUTRAL_VILLAGE_CODE`.
        year: a work year in which the pack is in force.
        scale: the ballot words.
        grades: the chain's grade scale, best first.
        capacities: the capacities that make an evaluator.
        invitee_kinds: the invitee kinds that count, if the chain says.
        groups: the evaluator groups the chain weights, if any.
        quarterly: whether sessions name their quarter.
        assessments: the named assessments the chain combines with the ballot.
    """

    pack: str
    forced: bool
    village_code: str
    year: int
    scale: tuple[str, ...]
    capacities: tuple[str, ...]
    invitee_kinds: tuple[str, ...] | None
    groups: tuple[str, ...]
    quarterly: bool
    assessments: tuple[str, ...]
    grades: tuple[str, ...] = GRADES

    @classmethod
    def of(
        cls, pack: str, *, registry: PackRegistry | None = None, year: int | None = None
    ) -> PackProfile:
        """Read the profile of an installed pack.

        Raises:
            InvalidArgument: no pack of that name is installed.
        """
        registry = registry or default_registry()
        if pack not in registry.packs:
            raise InvalidArgument(f"no pack named {pack!r}; installed: {registry.names()}")
        found = registry.packs[pack]
        year = year or max(2026, found.in_force_from.year + 1)
        code = _village_code(found.prefix, by_name=found.selectable_only)
        chain = registry.chain(code, date(year + 1, 1, 15), pack=pack)
        mechanisms = {rule.mechanism: rule.id for rule in chain.rules() if not rule.disabled}
        return cls(
            pack=pack,
            forced=found.selectable_only or not code.startswith(found.prefix),
            village_code=code,
            year=year,
            scale=cast(tuple[str, ...], chain.parameter("ballots.tally.scale").value),
            capacities=_texts(chain, "attendance.evaluators.capacities"),
            invitee_kinds=_texts(chain, f"{mechanisms['invitee_kinds']}.kinds")
            if "invitee_kinds" in mechanisms
            else None,
            groups=_keys(chain, f"{mechanisms['weighted_groups']}.weights")
            if "weighted_groups" in mechanisms
            else (),
            quarterly="quarter_given" in mechanisms,
            assessments=tuple(
                k
                for k in _keys(chain, f"{mechanisms['weighted_composite']}.weights")
                if k != "ballot"
            )
            if "weighted_composite" in mechanisms
            else (),
            grades=chain.vocabulary.grades,
        )

    def evaluate_options(self) -> dict[str, Any]:
        """Return the keyword arguments :func:`zhiping.evaluate` needs for this pack."""
        return {"pack": self.pack} if self.forced else {}


def _village_code(prefix: str, *, by_name: bool) -> str:
    """Return a village the pack would be used for: one under its prefix if it has one."""
    if prefix:
        return (prefix + "0" * 12)[:11] + "1"
    return NEUTRAL_VILLAGE_CODE if by_name else ROOT_VILLAGE_CODE


def _texts(chain: Chain, name: str) -> tuple[str, ...]:
    return cast(tuple[str, ...], chain.parameter(name).value)


def _keys(chain: Chain, name: str) -> tuple[str, ...]:
    return tuple(cast(Mapping[str, Any], chain.parameter(name).value))


def pack_documents(
    pack: str | PackProfile,
    *,
    registry: PackRegistry | None = None,
    ballot_form: BallotForm | None = None,
    **options: Any,
) -> st.SearchStrategy[Document]:
    """Generate valid session documents for a pack's villages, shaped as it expects.

    Args:
        pack: the pack's name, or its :class:`PackProfile`.
        registry: where to find the pack (the installed packs by default).
        ballot_form: ``counts``, ``cast`` or ``group_counts``; by default ``cast`` for a
            pack that weights evaluator groups (each ballot names its group) and
            ``counts`` otherwise. ``counts`` is refused for such a pack.
        options: passed to :func:`~zhiping.testing.strategies.session_documents`
            (``quorum``, ``notice``, ``accounting``, ``max_cadres``, …).

    Returns:
        A strategy for documents that parse, for a village the pack governs.

    Raises:
        InvalidArgument: no such pack, or ``counts`` for a pack that weights groups.
    """
    profile = pack if isinstance(pack, PackProfile) else PackProfile.of(pack, registry=registry)
    form: BallotForm = ballot_form or ("cast" if profile.groups else "counts")
    if form == "counts" and profile.groups:
        raise InvalidArgument(
            f"pack {profile.pack} weights evaluator groups: use cast or group_counts ballots"
        )
    base = session_documents(
        village_code=profile.village_code,
        village_prefix=profile.village_code[:6],
        year=profile.year,
        scale=profile.scale,
        grades=profile.grades,
        **options,
    )
    return base.flatmap(lambda document: _shaped(document, profile, form))


@st.composite
def _shaped(
    draw: st.DrawFn, document: Document, profile: PackProfile, form: BallotForm
) -> Document:
    result = copy.deepcopy(document)
    _seat_evaluators(result, profile)
    if profile.quarterly:
        result["quarter"] = draw(st.integers(1, 4))
    if profile.assessments:
        result["assessments"] = draw(_assessments(result, profile.assessments))
    if form == "counts":
        return result
    returned = result["ballots"]["returned"]
    result = as_cast(result, draw(st.permutations(range(returned))))
    groups = profile.groups or ("evaluators",)
    if profile.groups or form == "group_counts":
        for ballot in result["ballots"]["cast"]:
            ballot["group"] = draw(st.sampled_from(groups))
    if form == "group_counts":
        return as_group_counts(result, profile.scale)
    return result


def _seat_evaluators(document: Document, profile: PackProfile) -> None:
    """Make the people present count as the pack's evaluators count."""
    for entry in document["attendance"]:
        held = entry["as"]
        if "villager" in profile.capacities and "villager" not in held:
            held.append("villager")
        if "invitee" in held and profile.invitee_kinds is not None:
            kinds = profile.invitee_kinds or ("deputy",)
            if entry.get("invitee_kind") in RECOGNISED_INVITEE_KINDS:
                entry["invitee_kind"] = kinds[len(entry["person"]) % len(kinds)]


@st.composite
def _assessments(
    draw: st.DrawFn, document: Document, names: Sequence[str]
) -> dict[str, dict[str, str]]:
    subjects = [ORGANIZATION, *(cadre["id"] for cadre in document["cadres"])]
    scores = st.fractions(0, 100, max_denominator=10).map(_decimal_text)
    result: dict[str, dict[str, str]] = {}
    for name in names:
        given = {s: draw(scores) for s in subjects if draw(st.integers(0, 9)) > 0}
        if given:
            result[name] = given
    return result


def _decimal_text(value: Fraction) -> str:
    tenths = round(value * 10)
    return f"{tenths // 10}.{tenths % 10}"


def as_group_counts(document: Mapping[str, Any], scale: Sequence[str]) -> Document:
    """Return the same document with its ``cast`` ballots counted by their ``group``.

    Every subject is listed in every group, so that each group's size is known.
    """
    result = copy.deepcopy(dict(document))
    ballots = result["ballots"]
    cast_ballots: list[Mapping[str, Any]] = ballots.pop("cast")
    subjects = [ORGANIZATION, *(cadre["id"] for cadre in result["cadres"])]
    marked = {s for ballot in cast_ballots for s in ballot.get("marks", {})} - set(subjects)
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for ballot in cast_ballots:
        group = counts.setdefault(
            str(ballot.get("group", "evaluators")),
            {
                subject: dict.fromkeys([*scale, "abstain", "invalid"], 0)
                for subject in [*subjects, *sorted(marked)]
            },
        )
        for subject, words in group.items():
            words[word_counted(ballot.get("marks", {}).get(subject), scale)] += 1
    ballots["group_counts"] = counts
    return result
