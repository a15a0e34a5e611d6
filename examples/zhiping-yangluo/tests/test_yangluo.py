"""The example pack's own tests, written with zhiping's test kit alone.

Run them where the pack is installed (``pip install -e .`` in this directory, with
zhiping's ``test`` extra)::

    pytest tests                      # the laws, the case files, the checks below
    pytest --zhiping-pack yangluo     # the laws and the case files, from any directory

``TestYangluo`` runs every law of ``zhiping.testing.laws`` against the installed pack and
checks that its values are cited or assumed. ``test_case`` runs each case file of
``src/zhiping_yangluo/cases/``: the hand-worked expectations live there, as data. The
last tests use the plugin's fixtures to compare yangluo with its parent, xinzhou.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import zhiping
from zhiping import PackRegistry
from zhiping.testing import PackTests
from zhiping.testing.cases import Case, check_case, pack_cases

PACK = "yangluo"

Builder = Callable[..., dict[str, Any]]


class TestYangluo(PackTests):
    """The laws every pack must obey, and the soundness of the pack's data."""

    pack = PACK


@pytest.mark.parametrize("case", pack_cases(PACK), ids=lambda case: Path(case.source).stem)
def test_case(case: Case, zhiping_registry: PackRegistry) -> None:
    """Each case file's session gives the outcome the file expects."""
    check_case(case, PACK, registry=zhiping_registry)


@pytest.mark.parametrize(("present", "status"), [(19, "void"), (20, "valid"), (30, "valid")])
def test_yangluo_asks_for_20_representatives(
    zhiping_session_document: Builder, zhiping_registry: PackRegistry, present: int, status: str
) -> None:
    """The representatives' quorum is 20 in a village of yangluo."""
    document = zhiping_session_document(pack=PACK, representatives_present=present)
    assert zhiping.evaluate(document, registry=zhiping_registry).status == status


def test_xinzhou_still_asks_for_30_elsewhere(
    zhiping_session_document: Builder, zhiping_registry: PackRegistry
) -> None:
    """The same 20 representatives void a session in a village of xinzhou outside yangluo."""
    document = zhiping_session_document(pack="xinzhou", representatives_present=20)
    outcome = zhiping.evaluate(document, registry=zhiping_registry)
    assert (outcome.packs, outcome.status) == (("cn", "xinzhou"), "void")


def test_a_village_of_yangluo_is_governed_by_its_chain(
    zhiping_session_document: Builder, zhiping_registry: PackRegistry
) -> None:
    """The builder's village for yangluo is under 420117102, and the chain ends there."""
    document = zhiping_session_document(pack=PACK)
    assert document["village"]["code"].startswith("420117102")
    outcome = zhiping.evaluate(document, registry=zhiping_registry)
    assert outcome.packs == ("cn", "xinzhou", PACK)
