"""``st.from_type`` knows zhiping's documents, through hypothesis's entry point."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zhiping
from zhiping import HistoryEntry, Session, parse_history, parse_session
from zhiping.testing._hypothesis_hook import register_strategies


def test_the_strategies_are_registered_through_hypothesis_entry_point() -> None:
    registered = {entry.name: entry.value for entry in entry_points(group="hypothesis")}
    assert registered.get("zhiping") == "zhiping.testing._hypothesis_hook:register_strategies"


@pytest.mark.parametrize(
    "first", ["import hypothesis", "import zhiping.testing", "import zhiping.testing.laws"]
)
def test_from_type_works_in_a_fresh_interpreter_whatever_is_imported_first(first: str) -> None:
    """Importing hypothesis is enough, and importing the kit first makes no import cycle."""
    script = textwrap.dedent(
        f"""
        {first}
        from hypothesis import given, settings, strategies as st
        import zhiping

        @settings(max_examples=5, database=None)
        @given(st.from_type(zhiping.Session), st.from_type(zhiping.HistoryEntry))
        def check(session, entry):
            assert isinstance(session, zhiping.Session)
            assert isinstance(entry, zhiping.HistoryEntry)

        check()
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@given(st.from_type(Session))
def test_from_type_gives_parsed_sessions_that_round_trip(session: Session) -> None:
    assert isinstance(session, Session)
    assert parse_session(session.model_dump(mode="json", by_alias=True)) == session


@given(st.from_type(Session))
def test_the_sessions_are_xinzhou_sessions_the_engine_evaluates(session: Session) -> None:
    """Void or valid, every session given is evaluated, and the organization comes first."""
    outcome = zhiping.evaluate(session)
    assert outcome.packs[-1] == "xinzhou"
    assert [subject.id for subject in outcome.subjects] == list(session.subject_ids)


def test_sessions_come_valid_and_void_in_both_ballot_forms() -> None:
    forms: set[str] = set()
    statuses: set[str] = set()

    @settings(max_examples=100, database=None)
    @given(st.from_type(Session))
    def collect(session: Session) -> None:
        forms.add(session.ballots.form)
        statuses.add(zhiping.evaluate(session).status)

    collect()
    assert forms == {"counts", "cast"}
    assert statuses == {"valid", "void"}


@given(st.from_type(HistoryEntry))
def test_from_type_gives_history_entries(entry: HistoryEntry) -> None:
    assert parse_history([entry.model_dump(mode="json")]) == (entry,)


@given(st.from_type(list[HistoryEntry]))
def test_containers_of_the_registered_types_resolve(entries: list[HistoryEntry]) -> None:
    assert all(isinstance(entry, HistoryEntry) for entry in entries)


def test_registering_again_is_harmless() -> None:
    register_strategies()

    @settings(max_examples=5, database=None)
    @given(st.from_type(Session))
    def check(session: Session) -> None:
        assert isinstance(session, Session)

    check()
