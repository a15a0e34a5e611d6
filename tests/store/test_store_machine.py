"""The store against a model: recording, re-recording, amending, reopening, year after year.

A hypothesis state machine records Xinzhou sessions of two villages into a real
:class:`~zhiping.store.Store` and keeps, beside it, what the store should hold: the
latest revision of each session and the grades it gives. The expected grades come from
an oracle written from DESIGN §5, not from zhiping's code (the reliability harness's,
``tests/reliability/oracle.py``, which recounts every stored outcome with it): with n
valid votes, d dissatisfied and s satisfied, ``incompetent`` if 2d ≥ n; else
``basically_competent`` if 3d > n; else ``excellent`` if 10s ≥ 9n; else ``competent``;
no grade without valid votes. A notice published fewer than 3 days ahead voids the
session, and a void session gives no grades.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from reliability.oracle import xinzhou_grade, xinzhou_pay
from zhiping import Outcome, SessionConflict
from zhiping.glossary import Grade
from zhiping.store import Checkpoint, Store
from zhiping.testing import session_document

pytestmark = pytest.mark.harness  # long: a CI step of its own (pytest -m harness)

VILLAGES = ("420117101201", "420117101202")
FIRST_YEAR = 2024
SUBJECTS = ("organization", "c1", "c2")
BALLOTS = 6  # few ballots per session, so that every grade and no grade all come up
WORDS = ("satisfied", "basically_satisfied", "dissatisfied", "abstain", "invalid")
PERFORMANCE_PAY = Decimal("10000.00")
REASONS = ("计票错误,重新核对", "a ballot box was counted twice", "notice date corrected")

Counts = tuple[int, ...]  # one count per word of WORDS, summing to BALLOTS


@attrs.frozen
class Sitting:
    """What distinguishes one session document from another in this test.

    Attributes:
        notice_days: how many days ahead the notice was published (fewer than 3: void).
        counts: each subject's counts, in the order of SUBJECTS.
    """

    notice_days: int
    counts: tuple[Counts, ...]

    def document(self, village: str, year: int) -> dict[str, Any]:
        """Return the session document of the village's work year."""
        return session_document(
            village_code=village,
            year=year,
            held_on=date(year + 1, 1, 15),
            notice_days=self.notice_days,
            cadres=len(SUBJECTS) - 1,
            performance_pay=str(PERFORMANCE_PAY),
            counts={
                subject: dict(zip(WORDS, counts, strict=True))
                for subject, counts in zip(SUBJECTS, self.counts, strict=True)
            },
        )

    @property
    def valid(self) -> bool:
        """Return whether the session stands: DESIGN §5 notice.period, 3 calendar days."""
        return self.notice_days >= 3

    def grades(self) -> dict[str, Grade | None]:
        """Return each subject's grade by the oracle, or None for a void session."""
        return {
            subject: expected_grade(counts) if self.valid else None
            for subject, counts in zip(SUBJECTS, self.counts, strict=True)
        }


def expected_grade(counts: Counts) -> Grade | None:
    """Grade by the Xinzhou thresholds of DESIGN §5 (abstentions and invalid marks aside)."""
    return xinzhou_grade(dict(zip(WORDS, counts, strict=True)))


@st.composite
def subject_counts(draw: st.DrawFn) -> Counts:
    """Return counts of the five words summing to BALLOTS."""
    cuts = sorted(draw(st.lists(st.integers(0, BALLOTS), min_size=4, max_size=4)))
    bounds = [0, *cuts, BALLOTS]
    return tuple(high - low for low, high in itertools.pairwise(bounds))


# A small pool of counts, one for each grade and one for none, so that streaks of
# incompetent years come up, beside counts of any kind.
POOL: tuple[Counts, ...] = (
    (6, 0, 0, 0, 0),  # excellent: 10s = 60 ≥ 9n = 54
    (4, 1, 1, 0, 0),  # competent: 3d = 3 ≤ 6, 10s = 40 < 54
    (3, 0, 2, 1, 0),  # basically competent: n = 5, 2d = 4 < 5, 3d = 6 > 5
    (3, 0, 3, 0, 0),  # incompetent: 2d = 6 ≥ 6
    (0, 0, 0, 5, 1),  # no valid votes: no grade
)
sittings = st.builds(
    Sitting,
    notice_days=st.sampled_from([3, 5, 2]),
    counts=st.tuples(*(st.sampled_from(POOL) | subject_counts() for _ in SUBJECTS)),
)


@attrs.define
class Recorded:
    """The model's view of one session: its revisions, and the outcome of the latest.

    Attributes:
        village: the village.
        year: the work year.
        revisions: each revision's sitting, oldest first.
        outcome: the outcome document returned when the latest revision was recorded.
    """

    village: str
    year: int
    revisions: list[Sitting]
    outcome: dict[str, Any]

    @property
    def latest(self) -> Sitting:
        """Return the sitting of the latest revision."""
        return self.revisions[-1]


class StoreMachine(RuleBasedStateMachine):
    """A store, and a model of what it must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="zhiping-store-machine-"))
        self.path = self.directory / "records.sqlite"
        self.store = Store(self.path)
        self.year = dict.fromkeys(VILLAGES, FIRST_YEAR)
        self.sessions: dict[str, Recorded] = {}
        self.events = 0
        self.checkpoints: list[Checkpoint] = []

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # The model

    def graded_before(self, village: str, subject: str, year: int) -> Grade | None:
        """Return the subject's grade in the village's latest revision for ``year``."""
        recorded = self.sessions.get(f"{village}-{year}")
        return recorded.latest.grades()[subject] if recorded else None

    def expected_history(self, village: str) -> list[tuple[str, int, str]]:
        """Return the grades of the village's valid sessions, latest revisions, by year
        and subject."""
        entries = [
            (subject, recorded.year, grade)
            for recorded in self.sessions.values()
            if recorded.village == village
            for subject, grade in recorded.latest.grades().items()
            if grade is not None
        ]
        return sorted(entries, key=lambda entry: (entry[1], entry[0]))

    def check_outcome(self, outcome: Outcome, sitting: Sitting, village: str, year: int) -> None:
        """The outcome grades, pays and sanctions as DESIGN §5 says."""
        assert outcome.status == ("valid" if sitting.valid else "void")
        expected = sitting.grades()
        assert {s.id: s.grade for s in outcome.subjects} == expected
        for subject in outcome.subjects:
            grade = expected[subject.id]
            kinds = {action.kind for action in subject.actions}
            if subject.id == "organization":
                weak = grade == "incompetent"
                assert kinds == ({"weak_organization_rectification"} if weak else set())
                continue
            streak = grade == "incompetent" == self.graded_before(village, subject.id, year - 1)
            assert kinds == ({"organizational_adjustment"} if streak else set())
            if grade is None:
                assert subject.pay is None
            else:
                assert subject.pay is not None
                assert subject.pay.amount == xinzhou_pay(PERFORMANCE_PAY, grade)

    def choose(self, data: st.DataObject) -> Recorded:
        return self.sessions[data.draw(st.sampled_from(sorted(self.sessions)), label="session")]

    # Rules

    def unrecorded_villages(self) -> list[str]:
        return [v for v in VILLAGES if f"{v}-{self.year[v]}" not in self.sessions]

    @precondition(lambda self: self.unrecorded_villages())
    @rule(data=st.data())
    def record(self, data: st.DataObject) -> None:
        """Record the current year's session of a village not yet recorded this year.

        Half the time the village gives the same results as the year before, if it was
        recorded, so that a grade held two years running comes up.
        """
        village = data.draw(st.sampled_from(self.unrecorded_villages()), label="village")
        year = self.year[village]
        last_year = self.sessions.get(f"{village}-{year - 1}")
        choices = st.just(last_year.latest) | sittings if last_year else sittings
        sitting = data.draw(choices, label="sitting")
        outcome = self.store.evaluate(sitting.document(village, year))
        self.check_outcome(outcome, sitting, village, year)
        self.sessions[outcome.session] = Recorded(village, year, [sitting], outcome.to_document())
        self.events += 1

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def re_record(self, data: st.DataObject) -> None:
        """Recording the latest document again changes nothing and returns the same outcome."""
        recorded = self.choose(data)
        before = self.store.checkpoint()
        outcome = self.store.evaluate(recorded.latest.document(recorded.village, recorded.year))
        assert self.store.checkpoint() == before
        assert outcome.to_document() == recorded.outcome

    @precondition(lambda self: self.sessions)
    @rule(data=st.data())
    def record_another_document(self, data: st.DataObject) -> None:
        """Another document for a recorded session, earlier revision or new, is refused."""
        recorded = self.choose(data)
        earlier = [s for s in recorded.revisions if s != recorded.latest]
        others = st.sampled_from(earlier) | sittings if earlier else sittings
        sitting = data.draw(others.filter(lambda s: s != recorded.latest), label="sitting")
        before = self.store.checkpoint()
        with pytest.raises(SessionConflict):
            self.store.evaluate(sitting.document(recorded.village, recorded.year))
        assert self.store.checkpoint() == before

    @precondition(lambda self: self.sessions)
    @rule(data=st.data(), reason=st.sampled_from(REASONS))
    def amend(self, data: st.DataObject, reason: str) -> None:
        """A changed document recorded with a reason becomes the next revision."""
        recorded = self.choose(data)
        sitting = data.draw(sittings.filter(lambda s: s != recorded.latest), label="sitting")
        outcome = self.store.amend(sitting.document(recorded.village, recorded.year), reason=reason)
        self.check_outcome(outcome, sitting, recorded.village, recorded.year)
        recorded.revisions.append(sitting)
        recorded.outcome = outcome.to_document()
        self.events += 1
        rows = [row for row in self.store.sessions() if row["session"] == outcome.session]
        assert [row["revision"] for row in rows] == list(range(1, len(recorded.revisions) + 1))
        assert rows[-1]["reason"] == reason

    @rule(village=st.sampled_from(VILLAGES))
    def next_year(self, village: str) -> None:
        """Move a village on to its next work year, recorded or not (a gap year)."""
        self.year[village] += 1

    @rule()
    def reopen(self) -> None:
        """Close the store and open it again: everything is still there."""
        before = self.store.checkpoint()
        self.store.close()
        self.store = Store(self.path)
        assert self.store.checkpoint() == before

    @rule()
    def take_checkpoint(self) -> None:
        """Print the head on the results sheet, to check the chain against later."""
        self.checkpoints.append(self.store.checkpoint())

    @rule()
    def verify(self) -> None:
        """The chain extends every checkpoint taken, and every outcome recomputes."""
        for checkpoint in self.checkpoints:
            found = self.store.verify(checkpoint=checkpoint)
            assert found.ok, found.tampered
        found = self.store.verify()
        assert found.sessions == sum(len(r.revisions) for r in self.sessions.values())
        assert not found.changed_packs

    # Invariants

    @invariant()
    def history_is_the_latest_valid_grades(self) -> None:
        for village in VILLAGES:
            history = self.store.history(village)
            got = [(entry.subject, entry.year, entry.grade) for entry in history]
            assert got == self.expected_history(village)

    @invariant()
    def the_chain_verifies_and_counts_every_write(self) -> None:
        found = self.store.verify()
        assert found.ok, found.tampered
        assert found.checkpoint == self.store.checkpoint()
        assert self.store.checkpoint().size == self.events


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=100, stateful_step_count=15, deadline=None)


@pytest.mark.parametrize(
    ("counts", "grade"),
    [
        ((0, 3, 3, 0, 0), "incompetent"),  # n = 6, d = 3: 2d = 6 ≥ 6
        ((3, 0, 2, 1, 0), "basically_competent"),  # n = 5, d = 2: 2d = 4 < 5, 3d = 6 > 5
        ((2, 2, 2, 0, 0), "competent"),  # n = 6, d = 2: 3d = 6 is not > 6; 10s = 20 < 54
        ((5, 1, 0, 0, 0), "competent"),  # n = 6, s = 5: 10s = 50 < 54
        ((6, 0, 0, 0, 0), "excellent"),  # n = 6, s = 6: 10s = 60 ≥ 54
        ((5, 0, 0, 1, 0), "excellent"),  # an abstention is not a valid vote: n = 5
        ((5, 0, 0, 0, 1), "excellent"),  # nor is an invalid mark
        ((0, 0, 0, 4, 2), None),  # no valid votes, no grade
    ],
)
def test_the_oracle_follows_design_at_the_boundaries(counts: Counts, grade: Grade | None) -> None:
    assert expected_grade(counts) == grade
