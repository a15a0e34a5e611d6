"""Each hook of ``zhiping.packs.hookspecs``, through plugins registered the way plugins are.

``tests/test_docs.py`` requires a test named ``test_hook_<name>`` here (or anywhere under
``tests/``) for every hook specification; ``tests/packs/test_registry.py`` tests precedence and
the refusal of badly implemented hooks.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
import pytest

import zhiping
from zhiping import PackError
from zhiping.glossary import Text
from zhiping.packs import hookspecs
from zhiping.packs.hookspecs import hookimpl
from zhiping.packs.loading import pack_from_data
from zhiping.packs.model import Pack
from zhiping.packs.registry import discover
from zhiping.plugins import mechanisms as bundled_mechanisms
from zhiping.rules import BUILTIN_MECHANISMS, Mechanism, RuleContext, mechanism
from zhiping.testing import session_document

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PACKAGE = ROOT / "examples" / "zhiping-yangluo" / "src" / "zhiping_yangluo"
HELD_ON = date(2027, 1, 15)


def plugin_manager(*plugins: object) -> pluggy.PluginManager:
    """Return a pluggy manager with zhiping's hook specifications and these plugins."""
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for plugin in plugins:
        manager.register(plugin)
    manager.check_pending()
    return manager


def township(name: str, prefix: str, **sections: Any) -> Pack:
    """Return a township pack under xinzhou with the given rules and parameters."""
    data = {
        "pack": {
            "name": name,
            "title": {"zh": f"{name}街道", "en": f"{name} street"},
            "prefix": prefix,
            "parent": "xinzhou",
            "in_force_from": date(2025, 1, 1),
        },
        "references": {"measures": {"title": f"{name}街道直评实施办法"}},
        **sections,
    }
    return pack_from_data(data, source=f"{name} (test)")


def minimum_of_representatives(minimum: int) -> dict[str, Any]:
    value = {"from": date(2025, 1, 1), "value": minimum, "reference": "measures", "article": "4"}
    return {"quorum.representatives.minimum": {"kind": "integer", "values": [value]}}


class Provides:
    """A plugin object providing packs and mechanisms through the hooks."""

    def __init__(self, packs: Iterable[Pack] = (), mechanisms: Iterable[Mechanism] = ()) -> None:
        self.packs = list(packs)
        self.mechanisms = list(mechanisms)

    @hookimpl
    def zhiping_packs(self) -> Iterable[Pack]:
        return self.packs

    @hookimpl
    def zhiping_mechanisms(self) -> Iterable[Mechanism]:
        return self.mechanisms


# zhiping_packs


def test_hook_zhiping_packs_is_a_hook_of_no_arguments_whose_every_result_pluggy_gathers() -> None:
    spec = plugin_manager().hook.zhiping_packs.spec
    assert spec is not None
    assert spec.argnames == ()
    assert spec.opts["firstresult"] is False
    first = township("shuangliu", "420117109", parameters=minimum_of_representatives(25))
    second = township("zhucheng", "420117101", parameters=minimum_of_representatives(28))
    gathered = plugin_manager(Provides([first]), Provides([second])).hook.zhiping_packs()
    assert sorted(pack.name for packs in gathered for pack in packs) == ["shuangliu", "zhucheng"]


def test_hook_zhiping_packs_written_by_pack_plugin_reads_the_file_beside_the_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin module of one line finds its pack.toml through importlib.resources."""
    package = tmp_path / "zhiping_hooktown"
    package.mkdir()
    shutil.copy(EXAMPLE_PACKAGE / "pack.toml", package / "pack.toml")
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """\
            from zhiping.packs.loading import pack_plugin

            zhiping_packs = pack_plugin(__name__)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "zhiping_hooktown", raising=False)
    import zhiping_hooktown  # type: ignore[import-not-found]

    registry = discover(entry_points=False, plugins=[zhiping_hooktown])
    assert registry.origins["yangluo"] == "zhiping_hooktown"
    assert all(
        registry.origins[name] == "bundled" for name in registry.names() if name != "yangluo"
    )
    assert registry.chain("420117102201", HELD_ON).names == ("cn", "xinzhou", "yangluo")
    document = session_document(village_code="420117102201", representatives_present=20)
    assert zhiping.evaluate(document, registry=registry).status == "valid"


def test_hook_zhiping_packs_that_fails_is_a_pack_error_naming_the_plugin() -> None:
    def zhiping_packs() -> Iterable[Pack]:
        raise RuntimeError("pack.toml went missing")

    plugin = ModuleType("zhiping_failing")
    plugin.zhiping_packs = hookimpl(zhiping_packs)  # type: ignore[attr-defined]
    with pytest.raises(PackError, match=r"zhiping_failing.*zhiping_packs.*pack\.toml went missing"):
        discover(entry_points=False, plugins=[plugin])


# zhiping_mechanisms


@mechanism("returned_share", stage="ballots", parameters={"share": "fraction"})
def returned_share(ctx: RuleContext) -> None:
    """At least ``share`` of the ballots issued come back."""
    share, used = ctx.parameter("share", Fraction)
    issued, returned = ctx.session.ballots.issued, ctx.session.ballots.returned
    fulfilled = returned * share.denominator >= issued * share.numerator
    facts = {"issued": issued, "returned": returned, "share": str(share)}
    message = Text(
        zh=f"收回选票{returned}张,发出{issued}张,收回率须不低于{share}",
        en=f"{returned} of {issued} ballots returned; at least {share} required",
    )
    if not fulfilled:
        ctx.find(message, facts=facts)
    ctx.explain(message, inputs=facts, parameters=[used], fulfilled=fulfilled)


RETURNS = township(
    "returns",
    "420117103",
    rules={
        "ballots.returned_share": {
            "mechanism": "returned_share",
            "basis": [{"reference": "measures", "article": "第九条"}],
        }
    },
    parameters={
        "ballots.returned_share.share": {
            "kind": "fraction",
            "values": [
                {"from": date(2025, 1, 1), "value": "9/10", "reference": "measures"},
            ],
        }
    },
)


def returned(count: int) -> dict[str, Any]:
    """Return a session of the returns street: 62 ballots issued, ``count`` returned."""
    marks = {"satisfied": count}
    counts = {"organization": marks, "c1": marks, "c2": marks}
    return session_document(village_code="420117103201", issued=62, counts=counts)


def test_hook_zhiping_mechanisms_is_how_zhiping_provides_its_own() -> None:
    spec = plugin_manager().hook.zhiping_mechanisms.spec
    assert spec is not None
    assert spec.argnames == ()
    assert spec.opts["firstresult"] is False
    gathered = plugin_manager(bundled_mechanisms).hook.zhiping_mechanisms()
    assert [list(result) for result in gathered] == [list(BUILTIN_MECHANISMS)]
    assert set(discover(entry_points=False).mechanisms) == {m.name for m in BUILTIN_MECHANISMS}


def test_hook_zhiping_mechanisms_adds_a_mechanism_that_a_pack_binds_on_both_sides_of_it() -> None:
    registry = discover(entry_points=False, plugins=[Provides([RETURNS], [returned_share])])
    assert registry.mechanisms["returned_share"] is returned_share
    assert zhiping.evaluate(returned(56), registry=registry).status == "valid"  # 560 ≥ 558
    void = zhiping.evaluate(returned(55), registry=registry)  # 550 < 558
    assert void.status == "void"
    [finding] = void.findings
    assert finding.rule == "ballots.returned_share"
    assert finding.facts == {"issued": 62, "returned": 55, "share": "9/10"}
    [decision] = [entry for entry in void.trace if entry.rule == "ballots.returned_share"]
    assert (decision.pack, decision.stage, decision.fulfilled) == ("returns", "ballots", False)
    # Elsewhere in Xinzhou no pack binds it: 55 of 62 returned is no finding.
    elsewhere = returned(55)
    elsewhere["village"]["code"] = "420117104201"
    assert (
        zhiping.evaluate(elsewhere, registry=registry).findings_of("ballots.returned_share") == ()
    )


def test_hook_zhiping_mechanisms_a_pack_cannot_bind_a_mechanism_no_plugin_provides() -> None:
    with pytest.raises(PackError, match="returned_share"):
        discover(entry_points=False, plugins=[Provides([RETURNS])])


def test_hook_zhiping_mechanisms_two_mechanisms_of_one_name_are_a_pack_error() -> None:
    @mechanism("quorum_share", stage="quorum")
    def another_quorum_share(ctx: RuleContext) -> None:
        """A second mechanism under a built-in name."""

    with pytest.raises(PackError, match="quorum_share"):
        discover(entry_points=False, plugins=[Provides(mechanisms=[another_quorum_share])])


def test_hook_zhiping_mechanisms_returning_something_else_is_a_pack_error_naming_the_plugin() -> (
    None
):
    class NotMechanisms:
        @hookimpl
        def zhiping_mechanisms(self) -> Iterable[Any]:
            return ["returned_share"]

    with pytest.raises(PackError, match=r"zhiping_mechanisms.*not a Mechanism"):
        discover(entry_points=False, plugins=[NotMechanisms()])
