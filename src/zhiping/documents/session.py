"""The session document ``zhiping.session/1``: one village's evaluation meeting.

The models here are the boundary: a document is parsed and checked once, by
:func:`parse_session`, and every problem is reported with its JSON path. The engine then
trusts what it receives. Field rules follow DESIGN §2.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from zhiping import glossary
from zhiping.documents._consistency import (
    group_size,
    history_conflicts,
    inconsistencies,
    mixed_periods,
    not_earlier,
)
from zhiping.documents._json import check_value, load_json
from zhiping.documents._session_limits import model_oversized, over_limit, oversized
from zhiping.documents._validation import Invalid, texts_of
from zhiping.documents.limits import (
    MAX_BALLOTS,
    MAX_CADRES,
    MAX_ENTRIES,
    MAX_LABELS,
    MAX_PERSONS,
    MAX_SUBJECTS,
)
from zhiping.documents.vocabulary import GradeId
from zhiping.errors import InputError, Problem, json_path
from zhiping.glossary import ORGANIZATION, Answer, Capacity, Post, name_of

__all__ = [
    "FORMAT",
    "INVALID_MARK",
    "Assessments",
    "Attendance",
    "Ballot",
    "Ballots",
    "Cadre",
    "CarriedCommitment",
    "Commitment",
    "HistoryEntry",
    "Inquiry",
    "Notice",
    "Reach",
    "Roster",
    "Session",
    "Veto",
    "Village",
    "check_history",
    "check_session",
    "group_size",
    "masked_marks",
    "mixed_periods",
    "not_earlier",
    "parse_history",
    "parse_session",
]

FORMAT = "zhiping.session/1"

_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that a font draws as nothing: the Hangul fillers, the blank Braille cell."""


_CHECKED_IDS = 16384
"""How many ids (128 characters at most) :func:`_visible_one_line` remembers as checked:
the same ids recur in every list of a document, and across a district's documents. An id
refused is not remembered: it is refused again, with the same problem, each time."""


def _shows(char: str) -> bool:
    """Return whether a character leaves a mark on the page (not a space, nor invisible)."""
    if char.isspace() or char in _INVISIBLE_LETTERS:
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me")


def _visible(value: str) -> str:
    """Refuse a string that shows nothing: blank, spaces, or only invisible characters."""
    # ASCII controls other than white space are refused by the JSON reader already.
    shows = value.strip() if value.isascii() else any(_shows(char) for char in value)
    if not shows:
        raise Invalid(
            glossary.Text(
                zh="不能为空白:只有空格或不可见字符",
                en="must show something: it holds only spaces or invisible characters",
            )
        )
    return value


def _one_line(value: str) -> str:
    """Refuse a line break or a tab in an id or a name: each is printed on a line of its own."""
    if "\n" in value or "\r" in value or "\t" in value:
        raise Invalid(
            glossary.Text(zh="不能含有换行符或制表符", en="must not hold a line break or a tab")
        )
    return value


@functools.lru_cache(maxsize=_CHECKED_IDS)
def _visible_one_line(value: str) -> str:
    """Refuse an id that shows nothing or that breaks its line (one call: ids are many)."""
    return _one_line(_visible(value))


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000), AfterValidator(_visible)]
PersonId = Annotated[
    str, StringConstraints(min_length=1, max_length=128), AfterValidator(_visible_one_line)
]
Name = Annotated[Text, AfterValidator(_one_line)]
VillageCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
Count = Annotated[int, Field(ge=0, strict=True)]
Year = Annotated[int, Field(ge=1949, le=9999, strict=True)]
Quarter = Annotated[int, Field(ge=1, le=4, strict=True)]
BallotCount = Annotated[int, Field(ge=0, le=MAX_BALLOTS, strict=True)]


def _is_not_organization(value: str) -> str:
    if value == ORGANIZATION:
        raise Invalid(
            glossary.Text(
                zh=f"'{ORGANIZATION}' 专指村级党组织,不能用作村干部的 id",
                en=f"'{ORGANIZATION}' is reserved for the party organization",
            ),
        )
    return value


CadreId = Annotated[PersonId, AfterValidator(_is_not_organization)]


def _decimal_string(pattern: str, what: glossary.Text) -> Callable[[object], Decimal]:
    compiled = re.compile(pattern)

    def parse(value: object) -> Decimal:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise Invalid(
                glossary.Text(
                    zh=f"应为{what.zh},而不是 {value!r}", en=f"expected {what.en}, got {value!r}"
                )
            )
        return Decimal(value)

    return parse


def _at_most_100(score: Decimal) -> Decimal:
    if score > 100:
        raise Invalid(glossary.Text(zh="分数不能超过100", en="a score is at most 100"))
    return score


_MONEY = r"[0-9]{1,12}(\.[0-9]{1,2})?"
_SCORE = r"[0-9]{1,3}(\.[0-9]{1,6})?"
Money = Annotated[
    Decimal,
    BeforeValidator(
        _decimal_string(
            _MONEY,
            glossary.Text(
                zh="以文本书写的金额(元),如 '12000.00'",
                en="an amount in yuan as a string like '12000.00'",
            ),
        )
    ),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^{_MONEY}$",
            "description": "an amount in yuan, at most two decimal places",
        }
    ),
]
Score = Annotated[
    Decimal,
    BeforeValidator(
        _decimal_string(
            _SCORE,
            glossary.Text(
                zh="以文本书写的0到100的分数,如 '78.5'",
                en="a score from 0 to 100 as a string like '78.5'",
            ),
        )
    ),
    AfterValidator(_at_most_100),
    WithJsonSchema(
        {"type": "string", "pattern": f"^{_SCORE}$", "description": "a score from 0 to 100"}
    ),
]


def _iso_date(value: object) -> object:
    # JSON has no dates: only the ISO form YYYY-MM-DD is one (no timestamps, no times).
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise Invalid(
        glossary.Text(
            zh=f"应为 ISO 格式的日期,如 '2027-01-15',而不是 {value!r}",
            en=f"expected an ISO date like '2027-01-15', got {value!r}",
        ),
    )


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    repeated = sorted(value for value, n in Counter(values).items() if n > 1)
    if repeated:
        raise Invalid(
            glossary.Text(zh=f"有重复:{'、'.join(repeated)}", en=f"repeated: {', '.join(repeated)}")
        )
    return values


UniqueIds = Annotated[tuple[PersonId, ...], Field(max_length=MAX_PERSONS), AfterValidator(_unique)]
UniqueIdentifiers = Annotated[
    tuple[Identifier, ...], Field(max_length=MAX_LABELS), AfterValidator(_unique)
]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Village(_Part):
    """The village evaluated: its 12-digit division code selects the rule packs."""

    code: VillageCode
    name: Name


class Notice(_Part):
    """The announcement of the session's time, place and procedure."""

    published_on: IsoDate
    channels: UniqueIdentifiers = ()
    covers: UniqueIdentifiers = ()


class Roster(_Part):
    """Everyone entitled to attend in a counted capacity, and the village's size."""

    party_members: UniqueIds
    representatives: UniqueIds
    households: Count
    adult_villagers: Count | None = None


class Reach(_Part):
    """How many households the notice reached, and how many were visited."""

    households_informed: Count
    households_visited: Count


class Cadre(_Part):
    """A member of the village leading team who is evaluated."""

    id: CadreId
    name: Name
    posts: tuple[Post, ...] = Field(min_length=1, max_length=MAX_LABELS)
    in_office_since: IsoDate
    performance_pay: Money | None = None


class Attendance(_Part):
    """One person present at the session, with the capacities they claim."""

    person: PersonId
    as_: tuple[Capacity, ...] = Field(alias="as", min_length=1, max_length=MAX_LABELS)
    invitee_kind: Identifier | None = None

    @model_validator(mode="after")
    def _kind_only_for_invitees(self) -> Attendance:
        if self.invitee_kind is not None and "invitee" not in self.as_:
            raise Invalid(
                glossary.Text(
                    zh="给出了 invitee_kind,但签到身份中没有 'invitee'(受邀人员)",
                    en="invitee_kind is given but 'invitee' is not among the capacities",
                ),
            )
        return self


SubjectCounts = Annotated[dict[str, Count], Field(max_length=MAX_LABELS)]
BySubject = Annotated[dict[PersonId, SubjectCounts], Field(max_length=MAX_SUBJECTS)]


INVALID_MARK = "<invalid>"
"""What a ballot should keep of a mark that no pack's scale can hold: that it was invalid.

Ballot words and abstentions are identifiers (DESIGN §3), so a mark that is not one (a
signature, a sentence, a word in Chinese) is invalid for its subject under every pack.
:func:`masked_marks` keeps it only as this marker, never as its text: a stored ballot must
not carry what could tell who filled it in. The marker is no identifier either, so the
tally is the same."""

_WORD = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _kept(mark: str) -> bool:
    """Return whether a mark may be kept as written: a word, or the marker itself."""
    return mark == INVALID_MARK or _WORD.fullmatch(mark) is not None


class Ballot(_Part):
    """One returned ballot: anonymous marks by subject id, and optionally its group."""

    group: Identifier | None = None
    marks: dict[PersonId, str] = Field(default_factory=dict, max_length=MAX_SUBJECTS)


_FORMS = ("cast", "counts", "group_counts")


class Ballots(_Part):
    """The ballots of the session: counts issued and returned, and one form of marks."""

    issued: BallotCount
    returned: BallotCount
    cast: Annotated[tuple[Ballot, ...], Field(max_length=MAX_BALLOTS)] | None = None
    counts: BySubject | None = None
    group_counts: Annotated[dict[Identifier, BySubject], Field(max_length=MAX_LABELS)] | None = None

    @model_validator(mode="after")
    def _exactly_one_form(self) -> Ballots:
        forms = [
            name for name in ("cast", "counts", "group_counts") if getattr(self, name) is not None
        ]
        if len(forms) != 1:
            given = glossary.Text(zh="、".join(forms) or "无", en=", ".join(forms) or "none")
            raise Invalid(
                glossary.Text(
                    zh=f"cast、counts、group_counts 须给出且只给出一种(现给出:{given.zh})",
                    en=f"give exactly one of cast, counts, group_counts (given: {given.en})",
                ),
            )
        return self

    @property
    def form(self) -> Literal["cast", "counts", "group_counts"]:
        """Return which form of marks the document uses."""
        if self.cast is not None:
            return "cast"
        return "counts" if self.counts is not None else "group_counts"


Assessments = Annotated[
    dict[Identifier, Annotated[dict[PersonId, Score], Field(max_length=MAX_SUBJECTS)]],
    Field(max_length=MAX_LABELS),
]


class Veto(_Part):
    """A one-vote-veto item (一票否决) against a subject."""

    subject: PersonId
    reason: Text


class Commitment(_Part):
    """A promise made in answer to an inquiry."""

    text: Text
    due: IsoDate | None = None
    fulfilled_on: IsoDate | None = None


class Inquiry(_Part):
    """A question put to a cadre or the organization during the session."""

    id: PersonId
    to: PersonId
    topic: Text
    answered: Answer
    commitment: Commitment | None = None


class HistoryEntry(_Part):
    """A subject's grade in an earlier valid session, of a work year or one of its quarters."""

    subject: PersonId
    year: Year
    # Only for packs that evaluate each quarter; left out of the JSON when absent, so
    # that a yearly history is written as it always was.
    quarter: Annotated[Quarter | None, Field(exclude_if=lambda value: value is None)] = None
    grade: GradeId

    @property
    def period(self) -> glossary.Text:
        """Return the period in words: ``2026年`` / ``2026``, ``2026年第2季度`` / ``2026 Q2``."""
        if self.quarter is None:
            return glossary.Text(zh=f"{self.year}年", en=f"{self.year}")
        return glossary.Text(
            zh=f"{self.year}年第{self.quarter}季度", en=f"{self.year} Q{self.quarter}"
        )


class CarriedCommitment(_Part):
    """An open commitment from an earlier session, carried so that it is followed up."""

    to: PersonId
    text: Text
    due: IsoDate
    fulfilled_on: IsoDate | None = None
    year: Year


class Session(_Part):
    """The session document ``zhiping.session/1``, as parsed and checked."""

    format: Literal["zhiping.session/1"]
    id: PersonId
    village: Village
    year: Year
    quarter: Quarter | None = None
    held_on: IsoDate
    notice: Notice | None = None
    roster: Roster
    reach: Reach | None = None
    cadres: Annotated[tuple[Cadre, ...], Field(max_length=MAX_CADRES)] = ()
    attendance: Annotated[tuple[Attendance, ...], Field(max_length=MAX_PERSONS)] = ()
    ballots: Ballots
    assessments: Assessments = Field(default_factory=dict)
    vetoes: Annotated[tuple[Veto, ...], Field(max_length=MAX_ENTRIES)] = ()
    inquiries: Annotated[tuple[Inquiry, ...], Field(max_length=MAX_ENTRIES)] = ()
    history: Annotated[tuple[HistoryEntry, ...], Field(max_length=MAX_ENTRIES)] = ()
    carried_commitments: Annotated[
        tuple[CarriedCommitment, ...], Field(max_length=MAX_ENTRIES)
    ] = ()

    @property
    def subject_ids(self) -> tuple[str, ...]:
        """Return the ids of everything evaluated: the organization, then each cadre."""
        return (ORGANIZATION, *(cadre.id for cadre in self.cadres))

    def cadre(self, subject: str) -> Cadre | None:
        """Return the cadre with id ``subject``, or None for the organization."""
        return self._cadres_by_id.get(subject)

    @cached_property
    def _cadres_by_id(self) -> dict[str, Cadre]:
        # Rules ask for a cadre by id once per subject and decision: a scan each time made
        # an evaluation quadratic in the cadres. The first of a repeated id wins, as the
        # scan did (a checked session has none).
        found: dict[str, Cadre] = {}
        for cadre in self.cadres:
            found.setdefault(cadre.id, cadre)
        return found

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Session:
        """Return a copy (pydantic's), without the index of cadres the original built."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("_cadres_by_id", None)
        return copied

    def subject_name(self, subject: str, lang: glossary.Lang) -> str:
        """Return how people call a subject: the cadre's name, or the organization's.

        An id that names neither is returned as it is.
        """
        cadre = self.cadre(subject)
        if cadre is not None:
            return cadre.name
        return name_of(subject)[lang] if subject == ORGANIZATION else subject


def parse_session(document: str | bytes | Mapping[str, Any]) -> Session:
    """Parse and check a session document; raise on any problem.

    Args:
        document: the JSON text, or the already-decoded JSON object.

    Returns:
        The checked session.

    Raises:
        InputError: listing every problem with its JSON path. The structure of the
            document is checked first; how its parts agree with each other (ids,
            counts, dates) is checked once the structure is sound.
    """
    data = _decode(document)
    over = list(oversized(data))
    if over:
        raise InputError(over)
    try:
        session = Session.model_validate(data)
    except ValidationError as error:
        raise InputError(problems_of(error)) from None
    return check_session(session)


def check_session(session: Session) -> Session:
    """Check how the parts of a session agree with each other; return it unchanged.

    :func:`parse_session` runs these checks; a :class:`Session` built another way
    (``Session.model_validate``, a web framework validating a request body,
    ``model_construct``) has only its structure checked, so :func:`zhiping.evaluate` runs
    them on a session it is given. They are cheap: one pass over each list.

    Raises:
        InputError: every problem, with its JSON path, as :func:`parse_session` reports
            it: ids, counts and dates that disagree, lists over the limits.
    """
    problems = list(model_oversized(session))
    problems.extend(inconsistencies(session))
    if problems:
        raise InputError(problems)
    return session


def masked_marks(session: Session) -> Session:
    """Return the session with every free-text mark of its cast ballots replaced by
    :data:`INVALID_MARK`; the same session when it has none.

    A mark that is not an identifier is invalid under every pack, so the outcome is the
    same; what is kept of the ballot no longer says what was written on it.
    """
    cast = session.ballots.cast
    if cast is None or all(_kept(mark) for ballot in cast for mark in ballot.marks.values()):
        return session
    masked = tuple(
        ballot.model_copy(
            update={
                "marks": {
                    subject: mark if _kept(mark) else INVALID_MARK
                    for subject, mark in ballot.marks.items()
                }
            }
        )
        for ballot in cast
    )
    ballots = session.ballots.model_copy(update={"cast": masked})
    return session.model_copy(update={"ballots": ballots})


def check_history(entries: Iterable[HistoryEntry]) -> tuple[HistoryEntry, ...]:
    """Check a history a caller built: no entry repeated, no period graded twice.

    Returns:
        The entries, as a tuple.

    Raises:
        InputError: every problem, with its path in the list (``[1]``).
    """
    listed = tuple(entries)
    problems = []
    if len(listed) > MAX_ENTRIES:
        problems.append(over_limit("", len(listed), "MAX_ENTRIES", MAX_ENTRIES))
    problems.extend(history_conflicts(listed, ""))
    if problems:
        raise InputError(problems)
    return listed


def parse_history(document: str | bytes | Any) -> tuple[HistoryEntry, ...]:
    """Parse a list of prior results ``[{subject, year, quarter?, grade}, …]``.

    Raises:
        InputError: listing every problem with its JSON path.
    """
    data = _decode(document)
    if isinstance(data, list) and len(data) > MAX_ENTRIES:
        raise InputError([over_limit("", len(data), "MAX_ENTRIES", MAX_ENTRIES)])
    if not isinstance(data, list):
        raise InputError(
            [
                Problem(
                    "",
                    glossary.Text(
                        zh="历史记录应为由 {subject, year, quarter?, grade} 组成的 JSON 数组",
                        en="a history is a JSON array of {subject, year, quarter?, grade}",
                    ),
                )
            ]
        )
    entries: list[HistoryEntry] = []
    problems: list[Problem] = []
    for index, item in enumerate(data):
        try:
            entries.append(HistoryEntry.model_validate(item))
        except ValidationError as error:
            problems.extend(p.at(_join_index(index, p.path)) for p in problems_of(error))
    problems.extend(history_conflicts(entries, ""))
    if problems:
        raise InputError(problems)
    return tuple(entries)


def _join_index(index: int, path: str) -> str:
    return f"[{index}].{path}" if path else f"[{index}]"


def _decode(document: object) -> Any:
    """Decode JSON text strictly (:mod:`._json`); check a decoded value's limits."""
    if isinstance(document, str | bytes):
        return load_json(document)
    check_value(document)
    return document


def problems_of(error: ValidationError) -> list[Problem]:
    """Turn pydantic's errors into problems with JSON paths, each in zh and en.

    A list reported too short only because its items were rejected is not reported
    again: the items' own problems say what is wrong.
    """
    found = []
    for item in error.errors(include_url=False):
        text = texts_of(item)
        found.append((item["type"], Problem(json_path(item["loc"]), text)))
    paths = [problem.path for _, problem in found]
    return [
        problem
        for kind, problem in found
        if not (kind == "too_short" and any(p.startswith(f"{problem.path}[") for p in paths))
    ]
