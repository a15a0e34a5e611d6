"""What a public read shows of a recorded session: no performance pay, no person named.

Outcomes and results sheets are public (they are posted on the village board), but a
cadre's performance pay is personal and the session document names the people who
attended. A public read therefore shows the outcome with:

- no ``pay`` in any subject, and no trace entry of the ``pay`` stage (they quote the
  pay figures);
- no person of the roster or the attendance: a finding or trace entry whose facts or
  inputs give a person's id (``roster_backing`` naming who signed in without being on
  the roster) shows ``withheld`` in place of the id and a message saying it was withheld;
- never the session document.

With a token that covers the village, the outcome and the document are shown whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhiping.glossary import Text

__all__ = ["WITHHELD", "persons_of", "public_outcome"]

WITHHELD = "withheld"
"""What stands in for a person's id in a public outcome."""

_WITHHELD_MESSAGE = Text(
    zh="(此项涉及具体人员,公开查询不予显示)",
    en="(this names a person, which a public read does not show)",
)

_PAY_STAGE = "pay"


def persons_of(document: Mapping[str, Any]) -> frozenset[str]:
    """Return the ids of every person a session document names: roster and attendance."""
    roster = document.get("roster") or {}
    persons = {
        *roster.get("party_members", ()),
        *roster.get("representatives", ()),
        *(entry.get("person") for entry in document.get("attendance", ())),
    }
    return frozenset(person for person in persons if isinstance(person, str))


def public_outcome(outcome: Mapping[str, Any], persons: frozenset[str]) -> dict[str, Any]:
    """Return an outcome document (format 1 or 2) as a public read shows it.

    Args:
        outcome: the outcome document as recorded.
        persons: the ids of the persons the session document names (:func:`persons_of`).
    """
    shown = dict(outcome)
    shown["subjects"] = [
        {key: value for key, value in subject.items() if key != "pay"}
        for subject in outcome.get("subjects", ())
    ]
    shown["findings"] = [
        _without_persons(finding, "facts", persons) for finding in outcome.get("findings", ())
    ]
    shown["trace"] = [
        _without_persons(entry, "inputs", persons)
        for entry in outcome.get("trace", ())
        if entry.get("stage") != _PAY_STAGE
    ]
    return shown


def _without_persons(
    item: Mapping[str, Any], facts_key: str, persons: frozenset[str]
) -> dict[str, Any]:
    facts = item.get(facts_key)
    if not isinstance(facts, Mapping) or not any(
        _names(value, persons) for value in facts.values()
    ):
        return dict(item)
    shown = dict(item)
    shown[facts_key] = {
        key: WITHHELD if _names(value, persons) else value for key, value in facts.items()
    }
    if "message" in shown:
        shown["message"] = _WITHHELD_MESSAGE.to_json()
    return shown


def _names(value: object, persons: frozenset[str]) -> bool:
    if isinstance(value, str):
        return value in persons
    if isinstance(value, list | tuple):
        return any(_names(item, persons) for item in value)
    return False
