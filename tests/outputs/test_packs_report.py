"""``zhiping packs show``: the assumed marks of the date in force and of a rule."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from zhiping.glossary import Lang
from zhiping.outputs.packs_report import render_pack
from zhiping.packs.loading import load_pack
from zhiping.packs.registry import PackRegistry, discover

BUNDLED = discover(entry_points=False)

TOWN = """
[pack]
name = "yangluo"
title = { zh = "阳逻街道", en = "Yangluo street" }
prefix = "420117101"
parent = "xinzhou"
in_force_from = 2020-01-01
in_force_from_assumed = true
in_force_from_note = "the rules say only that they apply from 2020"

[references.rules]
title = "阳逻街道直评村官实施细则"

[rules."quorum.representatives"]
mechanism = "quorum_minimum"
assumed = true
note = "a quorum, but not of whom"

[rules."quorum.party_members"]
mechanism = "quorum_share"
basis = [{ reference = "rules", article = "第三条" }]
assumed = true
note = "whose share is ours"
"""


def shown(registry: PackRegistry, name: str, lang: Lang) -> str:
    out = io.StringIO()
    render_pack(registry, name, Console(file=out, width=400, color_system=None), lang)
    return out.getvalue()


@pytest.fixture
def registry(tmp_path: Path) -> PackRegistry:
    path = tmp_path / "yangluo.toml"
    path.write_text(TOWN, encoding="utf-8")
    return PackRegistry.of([*BUNDLED.packs.values(), load_pack(path)], BUNDLED.mechanisms.values())


def rule_row(text: str, rule: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(rule + " "))


def test_the_date_in_force_and_an_assumed_rule_show_their_notes_in_english(
    registry: PackRegistry,
) -> None:
    text = shown(registry, "yangluo", "en")
    assert (
        "in force: 2020-01-01 – … (assumed: the rules say only that they apply from 2020)" in text
    )
    assert (
        rule_row(text, "quorum.representatives")
        .rstrip()
        .endswith("assumed: a quorum, but not of whom")
    )
    cited = rule_row(text, "quorum.party_members").rstrip()
    assert cited.endswith("阳逻街道直评村官实施细则 第三条; assumed: whose share is ours")


def test_the_marks_are_in_chinese_with_lang_zh(registry: PackRegistry) -> None:
    text = shown(registry, "yangluo", "zh")
    assert "施行: 2020-01-01 – … (假定: the rules say only that they apply from 2020)" in text
    assert (
        rule_row(text, "quorum.representatives")
        .rstrip()
        .endswith("假定: a quorum, but not of whom")
    )


def test_a_pack_with_nothing_assumed_shows_no_mark() -> None:
    text = shown(BUNDLED, "cn-organic-law", "en")
    assert "in force: 2018-12-29 – …; origin" in text
    assert "assumed: the law" not in rule_row(text, "grade.thresholds")


def test_a_bundled_pack_shows_why_its_date_is_assumed() -> None:
    text = shown(BUNDLED, "taizhou", "en")
    assert "(assumed: the reports describe the practice as of the early 2010s)" in text


def test_the_generated_reference_page_marks_the_date_and_the_rule_assumed(
    registry: PackRegistry,
) -> None:
    """``docs/_hooks/generate.py`` shows on the pack's page what ``packs show`` shows."""
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "docs" / "_hooks" / "generate.py"
    spec = importlib.util.spec_from_file_location("zhiping_docs_generate", path)
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    page = generate.pack_reference(registry, "yangluo")
    assert "| 2020-01-01 – … (**assumed**: the rules say only that they apply from 2020) |" in page
    assert "| **assumed**: a quorum, but not of whom |" in page
    assert "| 阳逻街道直评村官实施细则 第三条; **assumed**: whose share is ours |" in page
    index = generate.packs_index(registry)
    assert "| 2020-01-01 – … (*assumed*) |" in index


def test_an_optional_parameter_no_pack_sets_is_shown_with_the_mechanisms_default() -> None:
    """xichong leaves score.groups.min_group_size to weighted_groups' default, 3."""
    text = shown(discover(entry_points=False), "xichong", "en")
    [row] = [line for line in text.splitlines() if "score.groups.min_group_size" in line]
    cells = [cell.strip() for cell in row.split("│")]
    assert cells[:4] == ["score.groups.min_group_size", "3", "—", "—"]
    assert cells[4].startswith("the mechanism's default")
    assert "score.groups.min_group_size" not in shown(discover(entry_points=False), "xinzhou", "en")
