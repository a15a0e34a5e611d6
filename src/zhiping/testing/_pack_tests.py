"""Tests every rule pack must pass, for a pack's own test module to inherit.

Subclass :class:`PackTests` in a test module (its name must start with ``Test`` for
pytest to collect it), name the pack and a village it governs, and add the pack's own
hand-worked cases::

    class TestYangluo(PackTests):
        pack = "yangluo"
        village_code = "420117102201"
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar, cast

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

import zhiping
from zhiping.outcome import Outcome, OutcomeDocument
from zhiping.registry import PackRegistry, default_registry
from zhiping.rulebook import Pack
from zhiping.testing._documents import as_cast
from zhiping.testing.strategies import session_documents

__all__ = ["PackTests"]

_OUTCOME_SCHEMA = jsonschema.Draft202012Validator(OutcomeDocument.model_json_schema())


class PackTests:
    """The laws of a pack: its data is sound, and any valid session evaluates soundly.

    Attributes:
        pack: the pack's name.
        village_code: a village the pack governs (any code, for a pack selected by name).
        year: the work year of the generated sessions; the pack must be in force then.
    """

    pack: ClassVar[str]
    village_code: ClassVar[str]
    year: ClassVar[int] = 2026

    def __init_subclass__(cls, **options: Any) -> None:
        # Each subclass gets its own hypothesis test for each law: one wrapped test
        # shared by several classes is refused by hypothesis (differing executors).
        super().__init_subclass__(**options)
        for law in _LAWS:
            name = f"test{law.__name__}"
            if name not in cls.__dict__:
                setattr(cls, name, given(data=st.data())(law))

    def registry(self) -> PackRegistry:
        """Return the registry the tests look the pack up in (installed plugins by default)."""
        return default_registry()

    def evaluate(self, document: Any, **options: Any) -> Outcome:
        """Evaluate a document under this pack's chain."""
        installed = self.the_pack()
        pack = self.pack if installed.selectable_only else None
        return zhiping.evaluate(document, pack=pack, registry=self.registry(), **options)

    def the_pack(self) -> Pack:
        """Return the pack under test."""
        return self.registry().packs[self.pack]

    def test_the_pack_is_installed_and_its_chain_ends_with_it(self) -> None:
        registry = self.registry()
        assert self.pack in registry.packs
        held_on = date(self.year + 1, 1, 15)
        forced = self.pack if self.the_pack().selectable_only else None
        chain = registry.chain(self.village_code, held_on, pack=forced)
        assert chain.names[-1] == self.pack
        assert chain.names[0] == "cn"

    def test_every_value_is_cited_or_assumed_with_a_reason(self) -> None:
        for name, parameter in self.the_pack().parameters.items():
            for value in parameter.values:
                assert value.citation is not None or value.assumed, name
                if value.assumed:
                    assert value.note, f"{name}: say why the value is assumed"

    def test_every_rule_it_defines_has_a_source_or_a_reason(self) -> None:
        for rule in self.the_pack().rules:
            assert rule.basis or rule.disabled, rule.id

    def sessions(self, **options: Any) -> st.SearchStrategy[dict[str, Any]]:
        """Return valid documents for a village of the pack, in its year, on its scale.

        Override it to shape the documents as the pack's sessions are (who attends, in
        which groups the ballots come), so that the laws also meet valid sessions.
        """
        prefix = self.village_code[: len(self.the_pack().prefix)]
        held_on = date(self.year + 1, 1, 15)
        forced = self.pack if self.the_pack().selectable_only else None
        chain = self.registry().chain(self.village_code, held_on, pack=forced)
        scale = chain.parameter("ballots.tally.scale").value
        return session_documents(
            village_code=self.village_code,
            village_prefix=prefix,
            year=self.year,
            scale=cast(tuple[str, ...], scale),
            **options,
        )


def _any_valid_session_gives_a_sound_outcome(self: PackTests, data: st.DataObject) -> None:
    document = data.draw(self.sessions(quorum="any", notice="any", accounting="any"))
    outcome = self.evaluate(document)
    rendered = outcome.to_document()
    _OUTCOME_SCHEMA.validate(json.loads(json.dumps(rendered)))
    assert rendered["packs"][-1] == self.pack
    violated = any(f.severity == "violation" for f in outcome.findings)
    assert outcome.status == ("void" if violated else "valid")
    if outcome.status == "void":
        for subject in outcome.subjects:
            assert (subject.grade, subject.pay, subject.actions) == (None, None, ())
    for subject in outcome.subjects:
        if not subject.eligible:
            assert subject.grade is None


def _the_cast_and_counts_forms_give_the_same_outcome(self: PackTests, data: st.DataObject) -> None:
    document = data.draw(self.sessions())
    counted = self.evaluate(document).to_document()
    cast = self.evaluate(as_cast(document)).to_document()
    assert _without_form(cast) == _without_form(counted)


def _evaluating_twice_gives_the_same_outcome(self: PackTests, data: st.DataObject) -> None:
    document = data.draw(self.sessions(quorum="any"))
    assert self.evaluate(document) == self.evaluate(document)


_LAWS = (
    _any_valid_session_gives_a_sound_outcome,
    _the_cast_and_counts_forms_give_the_same_outcome,
    _evaluating_twice_gives_the_same_outcome,
)


def _without_form(document: dict[str, Any]) -> dict[str, Any]:
    # The trace of the tally names the form the ballots came in; nothing else may differ.
    trimmed = dict(document)
    trimmed["trace"] = [
        {**entry, "inputs": {k: v for k, v in entry["inputs"].items() if k != "form"}}
        for entry in document["trace"]
    ]
    return trimmed
