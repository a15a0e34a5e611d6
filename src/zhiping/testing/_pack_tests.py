"""Tests every rule pack must pass, for a pack's own test module to inherit.

Subclass :class:`PackTests` in a test module (its name must start with ``Test`` for
pytest to collect it), name the pack, and add the pack's own hand-worked cases::

    class TestYangluo(PackTests):
        pack = "yangluo"

Each law of :data:`zhiping.testing.laws.LAWS` becomes a test ``test_law_<name>``, and
the pack's data is checked: every value sound for its mechanism (as ``zhiping packs
check`` does), cited or assumed, every rule sourced.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.testing._pack_documents import PackProfile
from zhiping.testing.laws import LAWS, check_law

__all__ = ["PackTests"]


class PackTests:
    """The laws of a pack, and the soundness of its data.

    Attributes:
        pack: the pack's name.
        max_examples: sessions tried per law; by default the hypothesis profile's.
    """

    pack: ClassVar[str]
    max_examples: ClassVar[int | None] = None

    def __init_subclass__(cls, **options: Any) -> None:
        # Each subclass gets a test of its own for each law, named after it.
        super().__init_subclass__(**options)
        for name, law in LAWS.items():
            test = f"test_law_{name}"
            if test not in cls.__dict__:
                setattr(cls, test, _law_test(name, law.summary))

    def registry(self) -> PackRegistry:
        """Return the registry the tests look the pack up in (installed plugins by default)."""
        return default_registry()

    def the_pack(self) -> Pack:
        """Return the pack under test."""
        return self.registry().packs[self.pack]

    def profile(self) -> PackProfile:
        """Return what the pack expects of a session."""
        return PackProfile.of(self.pack, registry=self.registry())

    def test_the_pack_is_installed_and_its_chain_ends_with_it(self) -> None:
        profile = self.profile()
        chain = self.registry().chain(
            profile.village_code, _held_on(profile), **profile.evaluate_options()
        )
        assert chain.names[-1] == self.pack
        assert chain.names[0] == "cn"

    def test_every_value_means_what_its_mechanism_declares(self) -> None:
        """The checks of ``zhiping packs check``: grades, words, tables and bands sound."""
        chain = self.registry().check_pack(self.pack)
        assert chain.names[-1] == self.pack

    def test_every_value_is_cited_or_assumed_with_a_reason(self) -> None:
        for name, parameter in self.the_pack().parameters.items():
            for value in parameter.values:
                assert value.citation is not None or value.assumed, name
                if value.assumed:
                    assert value.note, f"{name}: say why the value is assumed"

    def test_every_rule_it_defines_has_a_source_or_a_reason(self) -> None:
        for rule in self.the_pack().rules:
            assert rule.basis or rule.disabled, rule.id


def _law_test(name: str, summary: str) -> Any:
    def test(self: PackTests) -> None:
        check_law(name, self.pack, registry=self.registry(), max_examples=self.max_examples)

    test.__name__ = f"test_law_{name}"
    test.__doc__ = summary
    return test


def _held_on(profile: PackProfile) -> date:
    return date(profile.year + 1, 1, 15)
