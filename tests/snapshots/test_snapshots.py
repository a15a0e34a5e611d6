"""Snapshots: the outcomes of each bundled pack, kept as readable JSON beside this file.

``tests/snapshots/<pack>.json`` holds, for each case file of the pack (its
``cases/*.toml``), the outcome document of the case's session, evaluated as
``zhiping.testing.cases.check_case`` evaluates it. ``xinzhou.json`` holds besides the
decisions (status, findings, grades, pay, actions) of a synthetic Xinzhou district of 126
villages (seed 2026, work year 2025), so that the district's coverage is kept too.

A change of any grade, pay figure, finding, message or trace entry shows here as a diff
of the file. If the change is intended, rewrite the snapshots and commit them with the
change, saying why::

    ZHIPING_UPDATE_SNAPSHOTS=1 pytest tests/snapshots

then read the diff (``git diff tests/snapshots``) before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

import zhiping
from zhiping.demo import build_district, session_documents
from zhiping.packs.registry import discover
from zhiping.testing import PackProfile
from zhiping.testing.cases import case_files, load_case

SNAPSHOTS = Path(__file__).parent
BUNDLED = discover(entry_points=False)
UPDATE = os.environ.get("ZHIPING_UPDATE_SNAPSHOTS") == "1"

DISTRICT_SEED, DISTRICT_YEAR, DISTRICT_VILLAGES = 2026, 2025, 126
"""The synthetic district of ``xinzhou.json``: the one the former golden hash was of."""

Snapshot = dict[str, Any]


def case_outcomes(pack: str) -> Snapshot:
    """Return the outcome document of each case of the pack, by case file name."""
    profile = PackProfile.of(pack, registry=BUNDLED)
    outcomes: Snapshot = {}
    for path in case_files(pack, registry=BUNDLED):
        case = load_case(path)
        forced = profile.forced if case.forced is None else case.forced
        outcome = zhiping.evaluate(
            case.session_document(profile), registry=BUNDLED, pack=pack if forced else None
        )
        outcomes[path.stem] = {"case": case.name, "outcome": outcome.to_document()}
    return outcomes


def decisions(outcome: dict[str, Any]) -> Snapshot:
    """Return what an outcome decides: status, findings, and each subject's grade, pay,
    actions."""
    return {
        "status": outcome["status"],
        "findings": [
            {"rule": finding["rule"], "severity": finding["severity"]}
            for finding in outcome["findings"]
        ],
        "subjects": {
            subject["id"]: {
                "grade": subject["grade"],
                "pay": subject["pay"],
                "actions": [action["kind"] for action in subject["actions"]],
            }
            for subject in outcome["subjects"]
        },
    }


def district_decisions() -> Snapshot:
    """Return the decisions of the synthetic district's villages, by session id."""
    district = build_district(DISTRICT_SEED, first_year=DISTRICT_YEAR, villages=DISTRICT_VILLAGES)
    found: Snapshot = {}
    for document in session_documents(district, DISTRICT_YEAR):
        outcome = zhiping.evaluate(document, registry=BUNDLED).to_document()
        found[outcome["session"]] = decisions(outcome)
    return found


def snapshot(pack: str) -> Snapshot:
    """Return the snapshot of a pack, as its file holds it."""
    taken: Snapshot = {"pack": pack, "cases": case_outcomes(pack)}
    if pack == "xinzhou":
        taken["district"] = district_decisions()
    return taken


def as_text(value: Snapshot) -> str:
    """Return a snapshot as its file spells it: indented, keys sorted, UTF-8 unescaped."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def file_of(pack: str) -> Path:
    return SNAPSHOTS / f"{pack}.json"


def entries(taken: Snapshot) -> dict[str, Any]:
    """Return a snapshot's entries by a label: ``cases/<case>``, ``district/<session>``."""
    found: dict[str, Any] = {}
    for key, value in taken.items():
        if key in ("cases", "district"):
            found.update({f"{key}/{name}": entry for name, entry in value.items()})
        else:
            found[key] = value
    return found


def differences(kept: Snapshot, got: Snapshot) -> str:
    """Return a unified diff (``-`` kept, ``+`` got) of each entry that differs, under its label."""
    kept_entries, got_entries = entries(kept), entries(got)
    shown: list[str] = []
    for label in sorted(kept_entries.keys() | got_entries.keys()):
        before, after = kept_entries.get(label), got_entries.get(label)
        if before != after:
            lines = (
                as_text(value).splitlines() if value is not None else []
                for value in (before, after)
            )
            shown.extend(difflib.unified_diff(*lines, f"kept {label}", f"got {label}", lineterm=""))
    return "\n".join(shown)


UPDATING = "ZHIPING_UPDATE_SNAPSHOTS=1 pytest tests/snapshots"


@pytest.mark.parametrize("pack", BUNDLED.names())
def test_the_outcomes_of_the_pack_are_its_snapshot(pack: str) -> None:
    """On a difference, the message is a unified diff of each case or village that differs."""
    got = snapshot(pack)
    path = file_of(pack)
    if UPDATE:
        path.write_text(as_text(got), encoding="utf-8")
        return
    assert path.is_file(), f"no snapshot {path.name}: run {UPDATING}"
    kept = json.loads(path.read_text(encoding="utf-8"))
    if kept != json.loads(as_text(got)):
        pytest.fail(
            f"the outcomes of pack {pack} differ from {path.name}; if that is intended, run "
            f"{UPDATING} and commit the new file:\n{differences(kept, got)}",
            pytrace=False,
        )


def test_every_snapshot_file_is_of_a_bundled_pack() -> None:
    """A snapshot left behind by a pack renamed or removed is not silently kept."""
    files = sorted(path.stem for path in SNAPSHOTS.glob("*.json"))
    assert files == sorted(BUNDLED.names())


def test_the_district_snapshot_has_every_village_and_both_kinds_of_status() -> None:
    """The 126 villages are all there, and some sessions are void, so both paths are kept."""
    district = json.loads(file_of("xinzhou").read_text(encoding="utf-8"))["district"]
    assert len(district) == DISTRICT_VILLAGES
    assert {village["status"] for village in district.values()} == {"valid", "void"}
