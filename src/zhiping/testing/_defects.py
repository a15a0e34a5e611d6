"""The ways :func:`zhiping.testing.invalid.invalid_documents` breaks a valid document.

Each defect breaks one field rule of DESIGN §2 in a copy of a valid document, and
returns the JSON path where parsing must report it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any, Literal, get_args

import attrs
from hypothesis import strategies as st

from zhiping.glossary import ORGANIZATION
from zhiping.testing._pack_documents import PackProfile

DefectKind = Literal[
    "format",
    "unknown_field",
    "missing_field",
    "village_code",
    "date",
    "held_on_outside_year",
    "organization_cadre",
    "repeated_cadre",
    "in_office_after_session",
    "repeated_attendee",
    "unknown_capacity",
    "stray_invitee_kind",
    "negative_count",
    "ballot_forms",
    "cast_length",
    "counts_sum",
    "performance_pay",
    "history_year",
    "inquiry_subject",
    "repeated_inquiry",
    "reach_exceeds_households",
]
DEFECT_KINDS: tuple[DefectKind, ...] = get_args(DefectKind)
"""Every way :func:`invalid_documents` breaks a document, one field rule of DESIGN §2 each."""

__all__ = ["DEFECTS", "DEFECT_KINDS", "Defect", "DefectKind", "Document", "Need"]

Document = dict[str, Any]
Need = Literal["anything", "cadres", "cast", "counted"]
# A defect breaks a copy of a valid document in place and returns where it broke it.
Break = Callable[[st.DrawFn, Document, PackProfile], str]


@attrs.frozen
class Defect:
    kind: DefectKind
    apply: Break
    needs: Need = "anything"


def _subjects(document: Document) -> list[str]:
    return [ORGANIZATION, *(cadre["id"] for cadre in document["cadres"])]


def _index(draw: st.DrawFn, items: list[Any]) -> int:
    return draw(st.integers(0, len(items) - 1))


def _format(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    document["format"] = draw(
        st.sampled_from(
            ["zhiping.session/2", "zhiping.outcome/1", "zhiping.documents.session", "", 1]
        )
    )
    return "format"


def _containers(document: Document) -> list[tuple[str, Document]]:
    """Return every object of the document that forbids unknown fields, with its path."""
    found = [("", document), ("village", document["village"]), ("roster", document["roster"])]
    found.append(("ballots", document["ballots"]))
    if "notice" in document:
        found.append(("notice", document["notice"]))
    for name in ("cadres", "attendance", "inquiries"):
        found.extend((f"{name}[{i}]", item) for i, item in enumerate(document.get(name, [])))
    return found


def _unknown_field(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    where, container = draw(st.sampled_from(_containers(document)))
    name = draw(st.sampled_from(["remarks", "population", "secretary", "signed_by", "version"]))
    container[name] = draw(st.sampled_from(["", "备注", 0, None, []]))
    return f"{where}.{name}" if where else name


_REQUIRED = ("format", "id", "village", "year", "held_on", "roster", "ballots")
_REQUIRED_INSIDE = {
    "village": ("code", "name"),
    "roster": ("party_members", "representatives", "households"),
    "ballots": ("issued", "returned"),
}


def _missing_field(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    paths = [*_REQUIRED, *(f"{o}.{f}" for o, fields in _REQUIRED_INSIDE.items() for f in fields)]
    path = draw(st.sampled_from(paths))
    outer, _, inner = path.rpartition(".")
    del (document[outer] if outer else document)[inner]
    return path


def _village_code(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    code = document["village"]["code"]
    document["village"]["code"] = draw(
        st.sampled_from(
            [
                code[:-1],
                f"{code}0",
                f"{code[:-1]}X",
                f" {code}",
                int(code),
                code.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            ]
        )
    )
    return "village.code"


_BAD_DATES = ("2027/01/15", "2027-02-30", "15.01.2027", "2027-01-15T09:00:00", "2027-1-5", "")


def _date(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    fields: list[tuple[str, Document, str]] = [("held_on", document, "held_on")]
    if "notice" in document:
        fields.append(("notice.published_on", document["notice"], "published_on"))
    fields.extend(
        (f"cadres[{i}].in_office_since", cadre, "in_office_since")
        for i, cadre in enumerate(document["cadres"])
    )
    path, container, name = draw(st.sampled_from(fields))
    container[name] = draw(st.sampled_from([*_BAD_DATES, 20270115]))
    return path


def _held_on_outside_year(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    # Later, not earlier: an earlier day could also precede a cadre's taking office.
    later = date(document["year"] + draw(st.integers(2, 5)), draw(st.integers(1, 12)), 1)
    document["held_on"] = later.isoformat()
    return "held_on"


def _organization_cadre(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    index = _index(draw, document["cadres"])
    document["cadres"][index]["id"] = ORGANIZATION
    return f"cadres[{index}].id"


def _repeated_cadre(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    cadres = document["cadres"]
    cadres.append(copy.deepcopy(cadres[_index(draw, cadres)]))
    return f"cadres[{len(cadres) - 1}].id"


def _in_office_after_session(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    index = _index(draw, document["cadres"])
    later = date.fromisoformat(document["held_on"]) + timedelta(days=draw(st.integers(1, 400)))
    document["cadres"][index]["in_office_since"] = later.isoformat()
    return f"cadres[{index}].in_office_since"


def _repeated_attendee(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    attendance = document["attendance"]
    attendance.append(copy.deepcopy(attendance[_index(draw, attendance)]))
    return f"attendance[{len(attendance) - 1}].person"


def _unknown_capacity(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    index = _index(draw, document["attendance"])
    claimed = document["attendance"][index]["as"]
    claimed.append(draw(st.sampled_from(["observer", "chairman", "Party_Member", "村民", ""])))
    return f"attendance[{index}].as[{len(claimed) - 1}]"


def _stray_invitee_kind(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    attendance = document["attendance"]
    attendance.append({"person": "stray01", "as": ["representative"], "invitee_kind": "deputy"})
    return f"attendance[{len(attendance) - 1}]"


def _negative_count(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    path = draw(st.sampled_from(["ballots.issued", "ballots.returned", "roster.households"]))
    outer, inner = path.split(".")
    document[outer][inner] = -draw(st.integers(1, 100))
    return path


def _ballot_forms(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    ballots = document["ballots"]
    if "cast" in ballots:
        ballots["counts"] = {}
    else:
        ballots["cast"] = [{"marks": {}} for _ in range(ballots["returned"])]
    return "ballots"


def _cast_length(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    cast = document["ballots"]["cast"]
    if cast and draw(st.booleans()):
        del cast[_index(draw, cast)]
    else:
        ballot: Document = {"marks": {}}
        if profile.groups:
            ballot["group"] = profile.groups[0]
        cast.append(ballot)
    return "ballots.cast"


def _counts_sum(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    ballots = document["ballots"]
    extra = draw(st.integers(1, 5))
    if "counts" in ballots:
        subject = draw(st.sampled_from(_subjects(document)))
        words = ballots["counts"].setdefault(subject, {"abstain": ballots["returned"]})
        word = draw(st.sampled_from(sorted(words)))
        words[word] += extra
        return f"ballots.counts.{subject}"
    groups = ballots["group_counts"]
    if not groups:
        # Nothing was returned: a group holding ballots holds more than were returned.
        groups[profile.groups[0]] = {s: {"abstain": extra} for s in _subjects(document)}
        return "ballots.group_counts"
    group = draw(st.sampled_from(sorted(groups)))
    # A group's size is what its first subject sums to: change another subject's counts.
    subject = draw(st.sampled_from(list(groups[group])[1:]))
    groups[group][subject]["abstain"] += extra
    return f"ballots.group_counts.{group}.{subject}"


_BAD_AMOUNTS = (12000, 12000.5, "12,000.00", "12000.001", "-100.00", "一万元", "1e4", "¥12000", "")


def _performance_pay(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    index = _index(draw, document["cadres"])
    document["cadres"][index]["performance_pay"] = draw(st.sampled_from(_BAD_AMOUNTS))
    return f"cadres[{index}].performance_pay"


def _history_year(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    history = document.setdefault("history", [])
    year = document["year"] + draw(st.integers(0, 3))
    if history and draw(st.booleans()):
        index = _index(draw, history)
        history[index]["year"] = year
    else:
        subject = draw(st.sampled_from(_subjects(document)))
        grade = draw(st.sampled_from(profile.grades))
        history.append({"subject": subject, "year": year, "grade": grade})
        index = len(history) - 1
    return f"history[{index}].year"


def _new_inquiry(document: Document, to: str) -> Document:
    taken = {inquiry["id"] for inquiry in document.get("inquiries", [])}
    number = next(n for n in range(1, len(taken) + 2) if f"q{n}" not in taken)
    return {"id": f"q{number}", "to": to, "topic": "村道硬化进度", "answered": "on_site"}


def _inquiry_subject(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    strangers = [
        s for s in ("c99", "nobody", "Organization", "村主任") if s not in _subjects(document)
    ]
    stranger = draw(st.sampled_from(strangers))
    inquiries = document.setdefault("inquiries", [])
    if inquiries and draw(st.booleans()):
        index = _index(draw, inquiries)
        inquiries[index]["to"] = stranger
    else:
        inquiries.append(_new_inquiry(document, stranger))
        index = len(inquiries) - 1
    return f"inquiries[{index}].to"


def _repeated_inquiry(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    inquiries = document.setdefault("inquiries", [])
    if not inquiries:
        inquiries.append(_new_inquiry(document, draw(st.sampled_from(_subjects(document)))))
    repeated = copy.deepcopy(inquiries[_index(draw, inquiries)])
    repeated["to"] = draw(st.sampled_from(_subjects(document)))
    inquiries.append(repeated)
    return f"inquiries[{len(inquiries) - 1}].id"


def _reach_exceeds_households(draw: st.DrawFn, document: Document, profile: PackProfile) -> str:
    households = document["roster"]["households"]
    over = draw(st.sampled_from(["households_informed", "households_visited"]))
    document["reach"] = {
        "households_informed": households,
        "households_visited": draw(st.integers(0, households)),
    }
    document["reach"][over] = households + draw(st.integers(1, 50))
    return f"reach.{over}"


DEFECTS: Mapping[DefectKind, Defect] = {
    defect.kind: defect
    for defect in (
        Defect("format", _format),
        Defect("unknown_field", _unknown_field),
        Defect("missing_field", _missing_field),
        Defect("village_code", _village_code),
        Defect("date", _date),
        Defect("held_on_outside_year", _held_on_outside_year),
        Defect("organization_cadre", _organization_cadre, "cadres"),
        Defect("repeated_cadre", _repeated_cadre, "cadres"),
        Defect("in_office_after_session", _in_office_after_session, "cadres"),
        Defect("repeated_attendee", _repeated_attendee),
        Defect("unknown_capacity", _unknown_capacity),
        Defect("stray_invitee_kind", _stray_invitee_kind),
        Defect("negative_count", _negative_count),
        Defect("ballot_forms", _ballot_forms),
        Defect("cast_length", _cast_length, "cast"),
        Defect("counts_sum", _counts_sum, "counted"),
        Defect("performance_pay", _performance_pay, "cadres"),
        Defect("history_year", _history_year),
        Defect("inquiry_subject", _inquiry_subject),
        Defect("repeated_inquiry", _repeated_inquiry),
        Defect("reach_exceeds_households", _reach_exceeds_households),
    )
}
