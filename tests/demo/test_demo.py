"""The demo: the synthetic district, its documents, the store it fills and the summary."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from rich.console import Console

from zhiping import parse_session
from zhiping.demo import (
    District,
    DistrictSummary,
    build_district,
    render_summary,
    run_demo,
    session_documents,
)
from zhiping.demo.district import TOWNSHIP_NAMES
from zhiping.documents.session import masked_marks
from zhiping.store import Store, canonical_document

YEARS = (2025, 2026)


@attrs.frozen
class DemoRun:
    """What one run of the demo left: its summary, its file, and its progress reports."""

    summary: DistrictSummary
    database: Path
    progress: list[tuple[int, int]]


@pytest.fixture(scope="module")
def district() -> District:
    return build_district(2026, first_year=YEARS[0])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    database = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    reports: list[tuple[int, int]] = []
    summary = run_demo(
        database=database, years=YEARS, progress=lambda done, total: reports.append((done, total))
    )
    return DemoRun(summary, database, reports)


def query(database: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(database)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def test_the_district_has_14_townships_of_42_villages_with_unique_valid_codes(
    district: District,
) -> None:
    codes = [village.code for village in district.villages]
    assert [township.name for township in district.townships] == list(TOWNSHIP_NAMES)
    assert len(district.townships) == 14
    assert len(codes) == 588
    assert len(set(codes)) == 588
    assert all(re.fullmatch(r"420117[0-9]{6}", code) for code in codes)
    assert all(v.code.startswith(v.township.code) for v in district.villages)
    assert set(Counter(v.township.code for v in district.villages).values()) == {42}
    # Names repeat across townships, as they do in Xinzhou, but not within one.
    assert len({(v.township.code, v.name) for v in district.villages}) == 588


def test_every_generated_document_parses_and_both_ballot_forms_occur(district: District) -> None:
    forms: Counter[str] = Counter()
    for year in YEARS:
        for document in session_documents(district, year):
            session = parse_session(document)
            assert session.village.code == document["village"]["code"]
            assert 4 <= len(session.cadres) <= 7
            forms[session.ballots.form] += 1
    assert forms["counts"] > forms["cast"] > 0


def test_the_same_seed_gives_the_same_documents_and_another_seed_others() -> None:
    def documents(seed: int) -> list[str]:
        district = build_district(seed, first_year=YEARS[0])
        return [
            json.dumps(document, sort_keys=True)
            for year in YEARS
            for document in session_documents(district, year)
        ]

    assert documents(7) == documents(7)
    assert documents(7) != documents(8)


def test_the_demo_evaluates_and_keeps_1176_sessions_reporting_progress(demo: DemoRun) -> None:
    assert [year.sessions for year in demo.summary.years] == [588, 588]
    assert query(demo.database, "SELECT year, count(*) FROM records GROUP BY year") == [
        (2025, 588),
        (2026, 588),
    ]
    assert demo.progress[0] == (0, 1176)
    assert demo.progress[-1] == (1176, 1176)
    assert [done for done, _ in demo.progress] == list(range(1177))


def test_some_sessions_are_void_for_quorum_and_for_notice(demo: DemoRun) -> None:
    for year in demo.summary.years:
        assert year.void == year.sessions - year.valid > 0
        assert year.void_by_rule.get("notice.period", 0) > 0
        assert year.void_by_rule.get("quorum.party_members", 0) > 0
        assert year.void_by_rule.get("quorum.representatives", 0) > 0
    stored = query(demo.database, "SELECT count(*) FROM records WHERE status = 'void'")
    assert stored == [(sum(year.void for year in demo.summary.years),)]


def test_only_valid_sessions_give_grades(demo: DemoRun) -> None:
    void_grades = query(
        demo.database,
        "SELECT count(*) FROM grades JOIN records ON grades.session = records.session"
        " WHERE records.status = 'void'",
    )
    assert void_grades == [(0,)]


def test_adjustments_fire_in_the_second_year_and_not_in_the_first(demo: DemoRun) -> None:
    """The first year has no earlier grades in the results file, so nothing is two years old."""
    first, second = demo.summary.years
    assert first.adjustments == ()
    assert len(second.adjustments) > 0


def test_every_adjusted_cadre_was_graded_incompetent_in_both_years_in_the_database(
    demo: DemoRun,
) -> None:
    twice = query(
        demo.database,
        "SELECT a.village_code, a.subject FROM grades a JOIN grades b"
        " ON a.village_code = b.village_code AND a.subject = b.subject"
        " WHERE a.year = 2025 AND b.year = 2026 AND a.subject != 'organization'"
        " AND a.grade = 'incompetent' AND b.grade = 'incompetent'",
    )
    adjusted = {(cadre.village_code, cadre.cadre_id) for cadre in demo.summary.final.adjustments}
    assert adjusted == set(twice)


def test_the_pay_total_equals_the_stored_outcome_pay_amounts(demo: DemoRun) -> None:
    for year in demo.summary.years:
        total = at_stake = Decimal(0)
        rows = query(demo.database, "SELECT outcome FROM records WHERE year = ?", year.year)
        for (outcome,) in rows:
            assert isinstance(outcome, bytes)  # zlib-compressed text (store schema 3)
            for subject in json.loads(zlib.decompress(outcome))["subjects"]:
                if subject["pay"] is not None:
                    total += Decimal(subject["pay"]["amount"])
                    at_stake += Decimal(subject["pay"]["performance_pay"])
        assert year.pay_total == total > 0
        assert year.pay_at_stake == at_stake > total


def test_stored_documents_are_the_ones_given_with_the_stores_history_added(
    demo: DemoRun, district: District
) -> None:
    documents = {d["id"]: d for d in session_documents(district, 2026)}
    rows = query(demo.database, "SELECT session, document FROM records WHERE year = 2026 LIMIT 25")
    added = ("history", "carried_commitments")
    for session_id, stored in rows:
        assert isinstance(stored, bytes)  # zlib-compressed text (store schema 3)
        kept = canonical_document(parse_session(zlib.decompress(stored).decode("utf-8")))
        # A free-text mark is kept only as the marker that it was invalid.
        given = canonical_document(masked_marks(parse_session(documents[str(session_id)])))
        assert {k: v for k, v in kept.items() if k not in added} == {
            k: v for k, v in given.items() if k not in added
        }
        for part in added:
            assert all(item in kept[part] for item in given[part])


def test_the_history_read_back_is_the_first_years_grades(demo: DemoRun) -> None:
    code = demo.summary.final.adjustments[0].village_code
    stored = query(
        demo.database,
        "SELECT subject, grade FROM grades WHERE village_code = ? AND year = 2025",
        code,
    )
    with Store(demo.database) as store:
        history = store.history(code, before_year=2026)
        assert store.history(code, before_year=2025) == ()
    assert {(entry.subject, entry.grade) for entry in history} == set(stored)
    assert {entry.year for entry in history} == {2025}


@pytest.mark.harness  # long: a CI step of its own (pytest -m harness)
def test_running_the_demo_again_on_its_store_records_nothing_new(demo: DemoRun) -> None:
    with Store(demo.database) as store:
        before = store.checkpoint()
    again = run_demo(database=demo.database, years=YEARS)
    with Store(demo.database) as store:
        assert store.checkpoint() == before
        assert store.verify().ok
    assert again == demo.summary


def test_the_demo_needs_two_consecutive_years(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="consecutive"):
        run_demo(database=tmp_path / "demo.sqlite", years=(2024, 2026))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh", ["新洲区", "组织调整", "软弱涣散", "到会村民代表不足30人", "绩效报酬"]),
        ("en", ["villages evaluated", "Organizational adjustments", "fewer than 30", "pay"]),
    ],
)
def test_the_summary_renders_in_chinese_and_english(
    demo: DemoRun, lang: str, words: list[str]
) -> None:
    output = io.StringIO()
    render_summary(demo.summary, Console(file=output, width=120), lang)
    text = output.getvalue()
    assert all(word in text for word in words)
    assert demo.summary.final.adjustments[0].cadre in text


def test_the_summary_refuses_an_unknown_language(demo: DemoRun) -> None:
    with pytest.raises(ValueError, match="lang"):
        render_summary(demo.summary, Console(file=io.StringIO()), "fr")


def test_a_district_of_any_size_fills_townships_of_42_in_code_order() -> None:
    big = build_district(7, first_year=2025, villages=1000)
    assert len(big.villages) == 1000
    assert len(big.townships) == 24  # ⌈1000 / 42⌉
    assert big.townships[14].name == f"{TOWNSHIP_NAMES[0]}2"
    assert [v.code for v in big.villages] == sorted(v.code for v in big.villages)
    # Township 24 (code 124) holds 1000 − 23 × 42 = 34 villages, numbered 201 to 234.
    assert big.villages[-1].code == "420117124234"


@pytest.mark.parametrize("villages", [0, 37_759])
def test_a_district_size_out_of_range_is_refused(villages: int) -> None:
    with pytest.raises(ValueError, match="villages"):
        build_district(7, first_year=2025, villages=villages)
