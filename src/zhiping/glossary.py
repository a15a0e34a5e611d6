"""The identifiers of the domain, exactly as GLOSSARY.md spells them.

Documents, packs, tests and plugins agree on these words; each closed set is a
``Literal`` type, with its values as a tuple beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

import attrs

__all__ = [
    "ACTION_KINDS",
    "ANSWERS",
    "CAPACITIES",
    "GRADES",
    "ORGANIZATION",
    "POSTS",
    "SEVERITIES",
    "ActionKind",
    "Answer",
    "Capacity",
    "Grade",
    "Lang",
    "Post",
    "Severity",
    "Text",
    "name_of",
    "names_of",
]

ORGANIZATION = "organization"
"""The reserved subject id of the village party organization (村级党组织)."""

Capacity = Literal["party_member", "representative", "invitee", "villager"]
Post = Literal[
    "party_secretary",
    "party_deputy_secretary",
    "party_committee_member",
    "committee_director",
    "committee_deputy_director",
    "committee_member",
    "supervisory_director",
    "other",
]
Grade = Literal["excellent", "competent", "basically_competent", "incompetent"]
Answer = Literal["on_site", "later", "no"]
Severity = Literal["violation", "warning", "info"]
Lang = Literal["zh", "en"]
"""The two languages of every message: Chinese and English."""
ActionKind = Literal[
    "organizational_adjustment",
    "office_terminated",
    "interview",
    "team_interview",
    "admonition",
    "dismissal",
    "adjustment_or_recall",
    "weak_organization_rectification",
    "commendation",
]

CAPACITIES: tuple[Capacity, ...] = get_args(Capacity)
POSTS: tuple[Post, ...] = get_args(Post)
GRADES: tuple[Grade, ...] = get_args(Grade)
ANSWERS: tuple[Answer, ...] = get_args(Answer)
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
ACTION_KINDS: tuple[ActionKind, ...] = get_args(ActionKind)


@attrs.frozen(kw_only=True)
class Text:
    """A message in both languages of the project: ``Text(zh=…, en=…)``.

    Both languages are named at every call, never given by position, so that no message
    can have its two languages swapped.

    Attributes:
        zh: the Chinese text.
        en: the English text.
    """

    zh: str
    en: str

    def __getitem__(self, lang: str) -> str:
        if lang == "zh":
            return self.zh
        if lang == "en":
            return self.en
        raise KeyError(lang)

    def to_json(self) -> dict[str, str]:
        """Return ``{"zh": …, "en": …}``."""
        return {"zh": self.zh, "en": self.en}


NAMES: dict[str, Text] = {
    "excellent": Text(zh="优秀", en="excellent"),
    "competent": Text(zh="称职", en="competent"),
    "basically_competent": Text(zh="基本称职", en="basically competent"),
    "incompetent": Text(zh="不称职", en="incompetent"),
    "organizational_adjustment": Text(zh="组织调整", en="organizational adjustment"),
    "office_terminated": Text(zh="职务终止", en="office terminated"),
    "interview": Text(zh="约谈", en="interview"),
    "team_interview": Text(zh="班子集体约谈", en="team interview"),
    "admonition": Text(zh="诫勉谈话", en="admonition"),
    "dismissal": Text(zh="解聘", en="dismissal"),
    "adjustment_or_recall": Text(zh="调整和罢免", en="adjustment or recall"),
    "weak_organization_rectification": Text(
        zh="软弱涣散党组织整顿", en="rectification as a weak organization"
    ),
    "commendation": Text(zh="表彰", en="commendation"),
    "party_secretary": Text(zh="党组织书记", en="party secretary"),
    "party_deputy_secretary": Text(zh="党组织副书记", en="deputy party secretary"),
    "party_committee_member": Text(zh="党组织委员", en="party committee member"),
    "committee_director": Text(zh="村委会主任", en="committee director"),
    "committee_deputy_director": Text(zh="村委会副主任", en="deputy committee director"),
    "committee_member": Text(zh="村委会委员", en="committee member"),
    "supervisory_director": Text(zh="村务监督委员会主任", en="supervisory director"),
    "other": Text(zh="其他村干部", en="other cadre"),
    "party_member": Text(zh="党员", en="party member"),
    "representative": Text(zh="村民代表", en="representative"),
    "invitee": Text(zh="受邀人员", en="invitee"),
    "villager": Text(zh="村民", en="villager"),
    "satisfied": Text(zh="满意", en="satisfied"),
    "basically_satisfied": Text(zh="基本满意", en="basically satisfied"),
    "dissatisfied": Text(zh="不满意", en="dissatisfied"),
    "abstain": Text(zh="弃权", en="abstain"),
    "village_board": Text(zh="村务公开栏", en="village board"),
    "group_chat": Text(zh="党员QQ/微信群", en="group chat"),
    "phone": Text(zh="电话", en="phone"),
    "broadcast": Text(zh="广播", en="broadcast"),
    "door_to_door": Text(zh="入户", en="door to door"),
    "time": Text(zh="时间", en="time"),
    "place": Text(zh="地点", en="place"),
    "procedure": Text(zh="程序", en="procedure"),
    "invalid": Text(zh="废票", en="invalid"),
    "organization": Text(zh="村级党组织", en="party organization"),
    "valid": Text(zh="有效", en="valid"),
    "void": Text(zh="无效", en="void"),
}
"""The words of the glossary in both languages, for messages and reports."""


def names_of(identifiers: Iterable[str]) -> Text:
    """Return glossary words joined as a list in each language: 时间、地点 / time, place."""
    names = [name_of(identifier) for identifier in identifiers]
    return Text(zh="、".join(n.zh for n in names), en=", ".join(n.en for n in names))


def name_of(identifier: str) -> Text:
    """Return a glossary word in zh and en; an identifier not listed names itself."""
    return NAMES.get(identifier, Text(zh=identifier, en=identifier.replace("_", " ")))
