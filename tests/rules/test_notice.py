"""The Xinzhou notice rules: period, channels, contents and reach (DESIGN §5)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import zhiping
from zhiping.testing import session_document

HELD_ON = date(2027, 1, 15)
ACCEPTED_CHANNELS = ("village_board", "group_chat", "phone", "broadcast", "door_to_door")


def evaluated(document: dict[str, Any]) -> zhiping.Outcome:
    """Evaluate a document under the packs of its village code (Xinzhou)."""
    return zhiping.evaluate(document)


def rules_found(outcome: zhiping.Outcome) -> list[str]:
    """Return the rule ids of every finding, in order."""
    return [finding.rule for finding in outcome.findings]


# notice.period: held_on − published_on ≥ 3 calendar days.


def test_a_notice_published_two_days_ahead_voids_the_session() -> None:
    outcome = evaluated(session_document(notice_days=2))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("notice.period")
    assert finding.severity == "violation"
    assert finding.facts["days"] == 2
    assert finding.facts["required"] == 3
    assert rules_found(outcome) == ["notice.period"]


def test_a_notice_published_exactly_three_days_ahead_is_enough() -> None:
    outcome = evaluated(session_document(notice_days=3))
    assert outcome.status == "valid"
    assert outcome.findings == ()


def test_a_notice_published_well_ahead_is_enough() -> None:
    outcome = evaluated(session_document(notice_days=30))
    assert outcome.status == "valid"
    assert outcome.findings_of("notice.period") == ()


@pytest.mark.parametrize("days", [0, 1, 2])
def test_fewer_than_three_days_of_notice_is_a_violation(days: int) -> None:
    outcome = evaluated(session_document(notice_days=days))
    assert outcome.status == "void"
    assert [f.facts["days"] for f in outcome.findings_of("notice.period")] == [days]


def test_a_notice_published_after_the_session_is_a_violation() -> None:
    document = session_document()
    document["notice"]["published_on"] = "2027-01-16"
    outcome = evaluated(document)
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("notice.period")
    assert finding.facts["days"] == -1


def test_the_period_counts_calendar_days_across_a_month_end() -> None:
    """Published 2026-12-29 for a session on 2027-01-01 is 3 calendar days ahead."""
    document = session_document(held_on=date(2027, 1, 1))
    document["notice"]["published_on"] = "2026-12-29"
    assert evaluated(document).findings_of("notice.period") == ()
    document["notice"]["published_on"] = "2026-12-30"
    assert len(evaluated(document).findings_of("notice.period")) == 1


def test_a_session_without_any_notice_is_void() -> None:
    outcome = evaluated(session_document(notice_days=None))
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("notice.period")
    assert finding.severity == "violation"


# notice.channels: at least one accepted channel.


def test_a_notice_through_no_accepted_channel_voids_the_session() -> None:
    document = session_document()
    document["notice"]["channels"] = ["official_account", "loudspeaker_van"]
    outcome = evaluated(document)
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("notice.channels")
    assert finding.severity == "violation"
    assert rules_found(outcome) == ["notice.channels"]


@pytest.mark.parametrize("channel", ACCEPTED_CHANNELS)
def test_one_accepted_channel_among_unaccepted_ones_is_enough(channel: str) -> None:
    document = session_document()
    document["notice"]["channels"] = ["official_account", channel]
    outcome = evaluated(document)
    assert outcome.status == "valid"
    assert outcome.findings_of("notice.channels") == ()


# notice.contents: covers time, place and procedure.


@pytest.mark.parametrize("missing", ["time", "place", "procedure"])
def test_a_notice_that_omits_a_required_item_voids_the_session(missing: str) -> None:
    document = session_document()
    document["notice"]["covers"] = [c for c in ("time", "place", "procedure") if c != missing]
    outcome = evaluated(document)
    assert outcome.status == "void"
    (finding,) = outcome.findings_of("notice.contents")
    assert finding.severity == "violation"
    assert finding.facts["missing"] == [missing]


def test_a_notice_that_covers_nothing_misses_all_three_items() -> None:
    document = session_document()
    document["notice"]["covers"] = []
    (finding,) = evaluated(document).findings_of("notice.contents")
    assert sorted(finding.facts["missing"]) == ["place", "procedure", "time"]


def test_a_notice_that_covers_more_than_required_is_fine() -> None:
    document = session_document()
    document["notice"]["covers"] = ["agenda", "procedure", "place", "time"]
    outcome = evaluated(document)
    assert outcome.status == "valid"
    assert outcome.findings_of("notice.contents") == ()


# notice.reach: informed and visited households each equal the households (a warning).


def with_reach(informed: int, visited: int) -> dict[str, Any]:
    document = session_document()
    assert document["roster"]["households"] == 248
    document["reach"] = {"households_informed": informed, "households_visited": visited}
    return document


@pytest.mark.parametrize(("informed", "visited"), [(247, 248), (248, 247), (0, 0), (247, 1)])
def test_reach_short_of_every_household_is_a_warning_and_the_session_stays_valid(
    informed: int, visited: int
) -> None:
    outcome = evaluated(with_reach(informed, visited))
    assert outcome.status == "valid"
    (finding,) = outcome.findings_of("notice.reach")
    assert finding.severity == "warning"
    assert all(s.grade == "excellent" for s in outcome.subjects)


def test_reach_of_every_household_gives_no_finding() -> None:
    outcome = evaluated(with_reach(248, 248))
    assert outcome.status == "valid"
    assert outcome.findings == ()


def test_reach_is_not_checked_when_the_document_does_not_report_it() -> None:
    outcome = evaluated(session_document())
    assert "reach" not in session_document()
    assert outcome.findings_of("notice.reach") == ()


def test_notice_rules_come_from_the_xinzhou_pack_in_the_trace() -> None:
    outcome = evaluated(session_document(notice_days=2))
    (entry,) = [t for t in outcome.trace if t.rule == "notice.period"]
    assert entry.pack == "xinzhou"
    assert entry.fulfilled is False
    (days,) = entry.parameters
    assert days.name == "notice.period.days"
    assert days.value == 3


def test_a_notice_with_no_channel_at_all_is_a_channels_violation() -> None:
    document = session_document()
    document["notice"]["channels"] = []
    outcome = evaluated(document)
    assert outcome.status == "void"
    assert rules_found(outcome) == ["notice.channels"]


@pytest.mark.parametrize("field", ["households_informed", "households_visited"])
def test_reach_beyond_the_households_is_a_document_error(field: str) -> None:
    document = with_reach(248, 248)
    document["reach"][field] = 249
    with pytest.raises(zhiping.InputError) as raised:
        zhiping.evaluate(document)
    assert [p.path for p in raised.value.problems] == [f"reach.{field}"]
