"""Tests every rule pack must pass, for a pack's own test module to inherit.

Subclass :class:`PackTests` in a test module (its name must start with ``Test`` for
pytest to collect it), name the pack, and add the pack's own hand-worked cases::

    class TestYangluo(PackTests):
        pack = "yangluo"

Each law of :data:`zhiping.testing.laws.LAWS` becomes a test ``test_law_<name>``, and
the pack's data is checked by the functions of :data:`PACK_CHECKS`: every value sound
for its mechanism (as ``zhiping packs check`` does), cited or assumed with a reason,
every rule sourced or assumed. ``pytest --zhiping-pack NAME`` runs the same functions
(``NAME::check::values``, ``NAME::check::sources``, ``NAME::check::rules``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from zhiping.packs.model import Pack
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.testing._pack_documents import PackProfile
from zhiping.testing.laws import LAWS, check_law

__all__ = [
    "PACK_CHECKS",
    "PackTests",
    "PackUnsound",
    "check_rules",
    "check_sources",
    "check_values",
]


class PackUnsound(AssertionError):
    """A pack's data fails a check every pack must pass; the message lists each problem.

    Attributes:
        pack: the pack.
        check: the check's name (a key of :data:`PACK_CHECKS`).
        problems: what is wrong, one line each, naming the key.
    """

    def __init__(self, pack: Pack, check: str, problems: list[str]) -> None:
        self.pack, self.check, self.problems = pack, check, tuple(problems)
        listed = "".join(f"\n  {problem}" for problem in problems)
        super().__init__(f"{pack.label} fails the check '{check}':{listed}")


def check_values(pack: str, *, registry: PackRegistry | None = None) -> None:
    """Check that every value means what its mechanism declares, as ``zhiping packs check``.

    Raises:
        PackError: naming the file, the key and the value that is wrong.
    """
    (registry or default_registry()).check_pack(pack)


def check_sources(pack: str, *, registry: PackRegistry | None = None) -> None:
    """Check that every value of the pack is cited, or assumed with a note saying why.

    Raises:
        PackUnsound: listing each value that is neither, or assumed without a reason.
    """
    found = (registry or default_registry()).packs[pack]
    problems = []
    for name, parameter in found.parameters.items():
        for index, value in enumerate(parameter.values):
            where = f'parameters."{name}".values[{index}] (from {value.effective_from})'
            if value.citation is None and not value.assumed:
                problems.append(f"{where}: neither cited (reference) nor assumed")
            elif value.assumed and not value.note:
                problems.append(f"{where}: assumed without a note saying why")
    if problems:
        raise PackUnsound(found, "sources", problems)


def check_rules(pack: str, *, registry: PackRegistry | None = None) -> None:
    """Check that every rule the pack defines has a source (basis), a reason, or is assumed.

    A rule marked ``assumed = true`` carries a note saying why (loading requires it).

    Raises:
        PackUnsound: listing each rule with none of them.
    """
    found = (registry or default_registry()).packs[pack]
    problems = [
        f'rules."{rule.id}": no basis, not disabled with a reason, not assumed with a note'
        for rule in found.rules
        if not (rule.basis or rule.disabled or (rule.assumed and rule.note))
    ]
    if problems:
        raise PackUnsound(found, "rules", problems)


PACK_CHECKS: dict[str, Callable[..., None]] = {
    "values": check_values,
    "sources": check_sources,
    "rules": check_rules,
}
"""The checks of a pack's data, by name: each takes the pack's name and ``registry=``."""


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
        check_values(self.pack, registry=self.registry())

    def test_every_value_is_cited_or_assumed_with_a_reason(self) -> None:
        check_sources(self.pack, registry=self.registry())

    def test_every_rule_it_defines_has_a_source_or_a_reason(self) -> None:
        check_rules(self.pack, registry=self.registry())


def _law_test(name: str, summary: str) -> Any:
    def test(self: PackTests) -> None:
        check_law(name, self.pack, registry=self.registry(), max_examples=self.max_examples)

    test.__name__ = f"test_law_{name}"
    test.__doc__ = summary
    return test


def _held_on(profile: PackProfile) -> date:
    return date(profile.year + 1, 1, 15)
