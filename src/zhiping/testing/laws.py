"""The laws every rule pack must obey, each a named property runnable against a pack.

``check_law("monotonicity", "mytown")`` generates sessions for the pack's villages with
hypothesis, and raises :class:`LawBroken` (an ``AssertionError``) with the law's name
and a shrunk counterexample document when the pack breaks the law. ``check_laws``
runs them all. :class:`~zhiping.testing.PackTests` and the pytest plugin
(``pytest --zhiping-pack NAME``) run them for you.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zhiping
from zhiping.documents.outcome import Outcome
from zhiping.glossary import ORGANIZATION
from zhiping.packs.model import Chain
from zhiping.packs.parameters import DatedValue, Parameter
from zhiping.packs.registry import PackRegistry, default_registry
from zhiping.testing._pack_documents import PackProfile, as_group_counts, pack_documents

__all__ = ["LAWS", "Law", "LawBroken", "check_law", "check_laws"]

Document = dict[str, Any]
Check = Callable[["LawContext", st.DataObject], None]
StaticCheck = Callable[["LawContext"], None]


class LawBroken(AssertionError):
    """A pack broke a law; the message names the law and shows the counterexample.

    Attributes:
        law: the law's name.
        pack: the pack's name.
        document: the session document that shows it (shrunk by hypothesis).
    """

    def __init__(self, law: str, pack: str, detail: str, document: Any) -> None:
        self.law, self.pack, self.document = law, pack, document
        shown = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True)
        super().__init__(
            f"pack {pack} breaks the law '{law}': {detail}\ncounterexample document:\n{shown}"
        )


@attrs.frozen
class LawContext:
    """What a law reads: the pack's profile and the registry to evaluate with.

    Attributes:
        law: the law being checked.
        profile: what the pack expects of a session.
        registry: the packs to evaluate with.
    """

    law: str
    profile: PackProfile
    registry: PackRegistry

    def evaluate(self, document: Any, registry: PackRegistry | None = None) -> Outcome:
        """Evaluate a document under the pack."""
        return zhiping.evaluate(
            document, registry=registry or self.registry, **self.profile.evaluate_options()
        )

    @property
    def rank(self) -> Mapping[str, int]:
        """Return each grade of the pack's scale with its rank: the best has the highest."""
        grades = self.registry.vocabulary((self.profile.pack,)).grades
        return {grade: len(grades) - index for index, grade in enumerate(grades)}

    def documents(self, **options: Any) -> st.SearchStrategy[Document]:
        """Return valid documents for the pack."""
        return pack_documents(self.profile, registry=self.registry, **options)

    def broken(self, detail: str, document: Any) -> LawBroken:
        """Return the error saying the pack broke this law."""
        return LawBroken(self.law, self.profile.pack, detail, document)


@attrs.frozen
class Law:
    """A property every pack must have.

    A law either draws sessions (``check``, run by hypothesis) or reads only the pack's
    parameters (``static``, run once: it fails at once, without drawing documents).

    Attributes:
        name: how the law is named in reports and on the command line.
        summary: the law in one sentence.
        check: the property, given the context and hypothesis's data.
        static: the property of the pack's parameters alone, given the context.
    """

    name: str
    summary: str
    check: Check | None = None
    static: StaticCheck | None = None


def _comparable(outcome: Outcome) -> dict[str, Any]:
    # The tally's trace names the form the ballots came in; nothing else may differ.
    document = outcome.to_document()
    document["trace"] = [
        {**entry, "inputs": {k: v for k, v in entry["inputs"].items() if k != "form"}}
        for entry in document["trace"]
    ]
    return document


def _determinism(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(quorum="any"), label="document")
    if ctx.evaluate(document) != ctx.evaluate(copy.deepcopy(document)):
        raise ctx.broken("the same document gave two outcomes", document)


def _ballot_order(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(ballot_form="cast"), label="document")
    shuffled = copy.deepcopy(document)
    data.draw(st.randoms(use_true_random=False), label="order").shuffle(shuffled["ballots"]["cast"])
    if _comparable(ctx.evaluate(document)) != _comparable(ctx.evaluate(shuffled)):
        raise ctx.broken("shuffling the cast ballots changed the outcome", document)


def _ballot_forms(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(ballot_form="cast"), label="document")
    forms = {"cast": document, "group_counts": as_group_counts(document, ctx.profile.scale)}
    if not ctx.profile.groups:
        forms["counts"] = _as_counts(forms["group_counts"])
    outcomes = {form: _comparable(ctx.evaluate(doc)) for form, doc in forms.items()}
    for form, outcome in outcomes.items():
        if outcome != outcomes["cast"]:
            raise ctx.broken(f"the {form} form gave another outcome than the cast form", document)


def _as_counts(document: Document) -> Document:
    result = copy.deepcopy(document)
    groups = result["ballots"].pop("group_counts")
    result["ballots"]["counts"] = next(iter(groups.values()), {})
    return result


def _monotonicity(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(ballot_form="cast"), label="document")
    scale = ctx.profile.scale
    movable = [
        (index, subject)
        for index, ballot in enumerate(document["ballots"]["cast"])
        for subject, mark in ballot["marks"].items()
        if mark in scale[1:]
    ]
    if not movable:
        return
    index, subject = data.draw(st.sampled_from(movable), label="vote")
    better = copy.deepcopy(document)
    marks = better["ballots"]["cast"][index]["marks"]
    moved = f"ballot {index}'s mark for {subject}, {marks[subject]}"
    marks[subject] = scale[scale.index(marks[subject]) - 1]
    moved += f", moved up to {marks[subject]},"
    before, after = ctx.evaluate(document), ctx.evaluate(better)
    if before.status != "valid" or subject not in {s.id for s in before.subjects}:
        return
    was, now = before.subject(subject), after.subject(subject)
    rank = ctx.rank
    if was.grade is not None and (now.grade is None or rank[now.grade] < rank[was.grade]):
        raise ctx.broken(
            f"one vote for {subject} moved up the scale lowered its grade from "
            f"{was.grade} to {now.grade}",
            document,
        )
    if was.pay is not None and (now.pay is None or now.pay.amount < was.pay.amount):
        raise ctx.broken(f"{moved} lowered its pay", document)
    for who in {subject, ORGANIZATION}:
        added = _kinds(after, who) - _kinds(before, who)
        if added:
            raise ctx.broken(
                f"one vote for {subject} moved up the scale added {sorted(added)} for {who}",
                document,
            )


def _kinds(outcome: Outcome, subject: str) -> set[str]:
    return {action.kind for action in outcome.subject(subject).actions}


def _pay_order(ctx: LawContext) -> None:
    for name, dated in _values_of(ctx, "pay_by_coefficient", "coefficients"):
        table = dated.value
        assert isinstance(table, Mapping)
        _check_order(
            ctx,
            {g: Decimal(v) for g, v in table.items()},
            f"{name} from {dated.effective_from}",
        )


def _chain(ctx: LawContext) -> Chain:
    return ctx.registry.chain(
        ctx.profile.village_code, _held_on(ctx.profile), **ctx.profile.evaluate_options()
    )


def _values_of(ctx: LawContext, mechanism: str, parameter: str) -> list[tuple[str, DatedValue]]:
    """Return every dated value any pack of the chain sets for a parameter of a mechanism."""
    chain = _chain(ctx)
    found: list[tuple[str, DatedValue]] = []
    for rule in chain.rules():
        if rule.mechanism != mechanism:
            continue
        name = f"{rule.id}.{parameter}"
        for pack in chain.packs:
            if name in pack.parameters:
                found.extend((name, dated) for dated in pack.parameters[name].values)
    return found


def _band_order(ctx: LawContext) -> None:
    chain = _chain(ctx)
    for rule in chain.rules():
        if rule.mechanism != "score_bands":
            continue
        bands = _most_specific(chain, f"{rule.id}.bands")
        otherwise = _most_specific(chain, f"{rule.id}.otherwise")
        if bands is None or otherwise is None:
            continue
        # Each day a value changes, the bands and the grade below them in force together.
        for day in sorted({v.effective_from for v in (*bands.values, *otherwise.values)}):
            table, below = bands.value_on(day), otherwise.value_on(day)
            if table is not None and below is not None:
                _check_bands(ctx, f"{bands.name} from {day}", table.value, str(below.value))


def _most_specific(chain: Chain, name: str) -> Parameter | None:
    return next(
        (pack.parameters[name] for pack in reversed(chain.packs) if name in pack.parameters),
        None,
    )


def _check_bands(ctx: LawContext, where: str, table: Any, otherwise: str) -> None:
    assert isinstance(table, Mapping)
    rank = ctx.rank
    ranked = sorted((g for g in table if g in rank), key=rank.__getitem__, reverse=True)
    shown = {"bands": {g: str(v) for g, v in table.items()}, "otherwise": otherwise}
    for better, worse in itertools.pairwise(ranked):
        if Decimal(table[better]) <= Decimal(table[worse]):
            raise ctx.broken(
                f"{where}: {better} needs {table[better]}, no more than {worse} ({table[worse]})",
                shown,
            )
    if otherwise in rank and ranked and rank[otherwise] >= rank[ranked[-1]]:
        raise ctx.broken(
            f"{where}: the grade below every band, {otherwise}, is not worse than "
            f"the lowest band's {ranked[-1]}",
            shown,
        )


def _check_order(ctx: LawContext, coefficients: Mapping[str, Decimal], where: str) -> None:
    rank = ctx.rank
    ordered = sorted((g for g in coefficients if g in rank), key=rank.__getitem__)
    for worse, better in itertools.pairwise(ordered):
        if coefficients[worse] > coefficients[better]:
            raise ctx.broken(
                f"{where}: {worse} is paid {coefficients[worse]}, more than "
                f"{better} ({coefficients[better]})",
                {"coefficients": {g: str(v) for g, v in coefficients.items()}},
            )


def _held_on(profile: PackProfile) -> date:
    return date(profile.year + 1, 1, 15)


def _quorum_monotone(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(quorum="any"), label="document")
    more = copy.deepcopy(document)
    _seat_one_more(more, ctx.profile, "extra01")
    before = {f.rule for f in ctx.evaluate(document).findings if f.rule.startswith("quorum.")}
    after = {f.rule for f in ctx.evaluate(more).findings if f.rule.startswith("quorum.")}
    if after - before:
        raise ctx.broken(f"one more evaluator present broke {sorted(after - before)}", document)


def _seat_one_more(document: Document, profile: PackProfile, person: str) -> None:
    """Seat one more evaluator, backed by the roster where the roster counts."""
    roster = document["roster"]
    if "villager" in profile.capacities:
        document["attendance"].append({"person": person, "as": ["villager"]})
        return
    capacity, field = (
        ("representative", "representatives")
        if "representative" in profile.capacities
        else ("party_member", "party_members")
    )
    roster[field].append(person)
    document["attendance"].append({"person": person, "as": [capacity]})


def _void_applies_nothing(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(
        ctx.documents(quorum="any", notice="any", accounting="any"), label="document"
    )
    outcome = ctx.evaluate(document)
    violated = any(f.severity == "violation" for f in outcome.findings)
    if (outcome.status == "void") != violated:
        raise ctx.broken("the status does not follow the violations", document)
    if outcome.status == "void" and any(
        s.grade is not None or s.pay is not None or s.actions for s in outcome.subjects
    ):
        raise ctx.broken("a void session applied a grade, pay or action", document)


def _abstentions_keep_shares(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(ballot_form="cast"), label="document")
    blank = data.draw(st.integers(1, 5), label="blank ballots")
    more = copy.deepcopy(document)
    for number in range(blank):
        _seat_one_more(more, ctx.profile, f"blank{number:02d}")
        ballot: Document = {"marks": {}}
        if ctx.profile.groups:
            ballot["group"] = ctx.profile.groups[0]
        more["ballots"]["cast"].append(ballot)
    more["ballots"]["issued"] += blank
    more["ballots"]["returned"] += blank
    before, after = ctx.evaluate(document), ctx.evaluate(more)
    if before.status != "valid" or after.status != "valid":
        return
    for was, now in zip(before.subjects, after.subjects, strict=True):
        if (was.grade, was.pay, was.actions) != (now.grade, now.pay, now.actions):
            raise ctx.broken(
                f"{blank} ballots abstaining on every subject changed the result of {was.id}",
                document,
            )


def _registration_order(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(), label="document")
    packs = list(ctx.registry.packs.values())
    mechanisms = list(ctx.registry.mechanisms.values())
    shuffler: random.Random = data.draw(st.randoms(use_true_random=False), label="order")
    shuffler.shuffle(packs)
    shuffler.shuffle(mechanisms)
    again = PackRegistry.of(packs, mechanisms, ctx.registry.origins)
    if ctx.evaluate(document) != ctx.evaluate(document, registry=again):
        raise ctx.broken("registering the packs in another order changed the outcome", document)


def _traced(ctx: LawContext, data: st.DataObject) -> None:
    document = data.draw(ctx.documents(), label="document")
    outcome = ctx.evaluate(document)
    entries = [e for e in outcome.trace if e.subject is not None and e.parameters]
    for subject in outcome.subjects:
        decided: list[tuple[str, str]] = [("grade", subject.grade)] if subject.grade else []
        if subject.pay is not None:
            decided.append(("pay", f"{subject.pay.amount:.2f}"))
        decided.extend((action.rule, action.kind) for action in subject.actions)
        for what, value in decided:
            if not any(
                e.subject == subject.id
                and e.result == value
                and (what in ("grade", "pay") or e.rule == what)
                for e in entries
            ):
                raise ctx.broken(
                    f"{what} {value} of {subject.id} is not traced to a rule with its parameters",
                    document,
                )
    for entry in entries:
        for use in entry.parameters:
            if use.citation is None and not use.assumed:
                raise ctx.broken(f"{use.name} is neither cited nor assumed", document)


LAWS: Mapping[str, Law] = {
    law.name: law
    for law in (
        Law("determinism", "The same document always gives the same outcome.", _determinism),
        Law("ballot_order", "The order of the cast ballots changes nothing.", _ballot_order),
        Law(
            "ballot_forms",
            "The cast, counts and group_counts forms of the same ballots give the same outcome.",
            _ballot_forms,
        ),
        Law(
            "monotonicity",
            "One vote moved up the scale never lowers its subject's grade or "
            "pay, and never adds a sanction.",
            _monotonicity,
        ),
        Law(
            "pay_order",
            "A better grade is never paid a smaller coefficient.",
            static=_pay_order,
        ),
        Law(
            "band_order",
            "A better grade needs a higher score band, and the grade below every band "
            "is worse than the lowest band's.",
            static=_band_order,
        ),
        Law(
            "quorum_monotone", "One more evaluator present never breaks a quorum.", _quorum_monotone
        ),
        Law(
            "void_applies_nothing",
            "A session is void exactly when a rule is violated, and "
            "a void session applies no grade, pay or action.",
            _void_applies_nothing,
        ),
        Law(
            "abstentions_keep_shares",
            "Ballots that abstain on every subject change no grade, pay or action.",
            _abstentions_keep_shares,
        ),
        Law(
            "registration_order",
            "The order in which packs and mechanisms are registered changes nothing.",
            _registration_order,
        ),
        Law(
            "traced",
            "Every grade, pay figure and action is traced to a rule with its dated, "
            "cited or assumed parameters.",
            _traced,
        ),
    )
}
"""Every law, by name."""


def check_law(
    name: str, pack: str, *, registry: PackRegistry | None = None, max_examples: int | None = None
) -> None:
    """Check one law against one pack.

    Args:
        name: the law's name (see :data:`LAWS`).
        pack: the pack's name.
        registry: where to find the pack (the installed packs by default).
        max_examples: how many sessions to try; by default the hypothesis profile's.

    Raises:
        LawBroken: the pack breaks the law; the message shows a shrunk counterexample.
        KeyError: no law of that name.
    """
    law = LAWS[name]
    registry = registry or default_registry()
    context = LawContext(name, PackProfile.of(pack, registry=registry), registry)
    if law.static is not None:
        law.static(context)
        return
    check = law.check
    assert check is not None, f"law {name} has neither a check nor a static check"
    options: dict[str, Any] = {
        "deadline": None,
        "database": None,
        "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    }
    if max_examples is not None:
        options["max_examples"] = max_examples

    @settings(**options)
    @given(data=st.data())
    def holds(data: st.DataObject) -> None:
        check(context, data)

    holds()


def check_laws(
    pack: str,
    *,
    names: Iterable[str] | None = None,
    registry: PackRegistry | None = None,
    max_examples: int | None = None,
) -> None:
    """Check every law (or those named) against a pack; stop at the first broken one."""
    for name in names or LAWS:
        check_law(name, pack, registry=registry, max_examples=max_examples)
