"""What a mechanism's parameters mean: each declaration refuses what it must, and no more."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from zhiping.documents.values import KINDS, ShareCondition
from zhiping.glossary import GRADES
from zhiping.rules import BUILTIN_MECHANISMS, ParameterType, Vocabulary, mechanism
from zhiping.rules import _parameters as param

GLOSSARY = Vocabulary()
THREE_GRADES = Vocabulary(grades=("excellent", "competent", "incompetent"))


def ok(declared: ParameterType, value: object, vocabulary: Vocabulary = GLOSSARY) -> bool:
    return declared.problems(value, vocabulary) == []  # type: ignore[arg-type]


def test_the_default_vocabulary_is_the_glossarys() -> None:
    assert GLOSSARY.grades == GRADES
    assert GLOSSARY.words == ("satisfied", "basically_satisfied", "dissatisfied")
    assert "organizational_adjustment" in GLOSSARY.actions


@pytest.mark.parametrize(("value", "sound"), [(0, False), (1, True), (2, True)])
def test_an_integer_of_at_least_one_refuses_zero(value: int, sound: bool) -> None:
    assert ok(param.integer(at_least=1), value) is sound


def test_an_integer_is_not_a_bool() -> None:
    assert not ok(param.integer(), True)


@pytest.mark.parametrize(
    ("share", "sound"),
    [(Fraction(0), True), (Fraction(1), True), (Fraction(101, 100), False)],
)
def test_a_share_lies_between_zero_and_one(share: Fraction, sound: bool) -> None:
    assert ok(param.fraction(), share) is sound


def test_a_share_without_upper_bound_takes_a_score_line() -> None:
    assert ok(param.fraction(at_most=None), Fraction(60))


@pytest.mark.parametrize(("amount", "sound"), [("-0.01", False), ("0", True), ("0.01", True)])
def test_a_decimal_of_at_least_zero(amount: str, sound: bool) -> None:
    assert ok(param.decimal(), Decimal(amount)) is sound


def test_a_grade_must_be_of_the_chains_scale() -> None:
    assert ok(param.grade(), "incompetent")
    [problem] = param.grade().problems("incompetant", GLOSSARY)
    assert problem.en.startswith("'incompetant' is not a grade of the chain's scale")
    assert "不是规则包链等次表中的等次" in problem.zh


def test_a_grade_of_the_glossary_outside_a_chains_own_scale_is_refused() -> None:
    assert not ok(param.grade(), "basically_competent", THREE_GRADES)


def test_an_action_must_be_of_the_chains_kinds() -> None:
    assert ok(param.action(), "organizational_adjustment")
    assert not ok(param.action(), "warning")


def test_ballot_words_must_be_the_chains_and_distinct() -> None:
    assert ok(param.ballot_words(), ("satisfied", "basically_satisfied"))
    assert not ok(param.ballot_words(), ("satisfied", "satisifed"))
    assert not ok(param.ballot_words(), ("satisfied", "satisfied"))
    assert not ok(param.ballot_words(), ())


def test_one_of_refuses_any_other_word() -> None:
    assert ok(param.one_of("rate", "score"), "score")
    assert not ok(param.one_of("rate", "score"), "scores")


def test_capacities_and_posts_are_the_glossarys() -> None:
    assert ok(param.capacities(), ("party_member", "villager"))
    assert not ok(param.capacities(), ("party_members",))
    assert ok(param.capacity(also=("evaluator",)), "evaluator")
    assert not ok(param.capacity(), "evaluator")
    assert ok(param.posts(), ("committee_director",))
    assert not ok(param.posts(), ("director",))


FULL = {"excellent": "1.00", "competent": "0.90", "basically_competent": "0.60"}


def table(values: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in values.items()}


def test_a_table_by_grade_covers_every_grade() -> None:
    assert ok(param.grade_table(), table({**FULL, "incompetent": "0.00"}))
    [problem] = param.grade_table().problems(table(FULL), GLOSSARY)
    assert "no value for incompetent" in problem.en


def test_a_table_by_grade_refuses_a_key_that_is_no_grade() -> None:
    value = table({**FULL, "incompetent": "0", "incompetant": "0"})
    assert not ok(param.grade_table(), value)


def test_a_table_by_grade_covers_the_chains_own_scale() -> None:
    value = table({"excellent": "1", "competent": "0.9", "incompetent": "0"})
    assert ok(param.grade_table(), value, THREE_GRADES)
    assert not ok(param.grade_table(), value)


@pytest.mark.parametrize(
    ("bands", "sound"),
    [
        ({"excellent": "90", "competent": "80", "basically_competent": "70"}, True),
        ({"excellent": "70", "competent": "80", "basically_competent": "90"}, False),
        ({"excellent": "80", "competent": "80"}, False),
        ({"excellent": "80.1", "competent": "80"}, True),
        ({"competent": "80", "excellent": "90"}, True),
    ],
)
def test_bands_rank_with_grades(bands: dict[str, str], sound: bool) -> None:
    """A better grade needs a strictly higher score, in whatever order the file lists them."""
    assert ok(param.bands(), table(bands)) is sound


def condition(grade: str, *words: str, share: Fraction = Fraction(1, 2)) -> ShareCondition:
    return ShareCondition(grade, words, "at_least", share)  # type: ignore[arg-type]


def test_share_conditions_name_the_chains_grades_and_words() -> None:
    assert ok(param.share_conditions(), (condition("incompetent", "dissatisfied"),))
    [problem] = param.share_conditions().problems(
        (condition("incompetent", "dissatisfied"), condition("excellent", "satisifed")),
        GLOSSARY,
    )
    assert problem.en.startswith("[1]: 'satisifed' is not a ballot word of the chain")
    assert not ok(param.share_conditions(), (condition("incompetant", "dissatisfied"),))
    too_much = condition("incompetent", "dissatisfied", share=Fraction(3, 2))
    assert not ok(param.share_conditions(), (too_much,))


def test_a_kind_alone_is_a_declaration_with_no_further_meaning() -> None:
    for kind in KINDS:
        assert param.of_kind(kind).kind == kind
    with pytest.raises(ValueError, match="unknown parameter kind"):
        param.of_kind("grade")  # type: ignore[arg-type]


def test_a_plugin_may_still_declare_only_kinds() -> None:
    @mechanism("legacy", stage="grade", parameters={"grade": "text"})
    def legacy(ctx: object) -> None:
        """Do nothing."""

    assert legacy.parameters["grade"].kind == "text"
    assert ok(legacy.parameters["grade"], "anything")


def test_every_builtin_parameter_is_declared_with_its_meaning() -> None:
    """No built-in mechanism leaves a parameter to a bare kind."""
    bare = [
        f"{m.name}.{name}"
        for m in BUILTIN_MECHANISMS
        for name, declared in m.parameters.items()
        if declared == param.of_kind(declared.kind)
    ]
    assert bare == []


def test_a_misspelt_capacity_is_one_problem_placed_at_its_item() -> None:
    [problem] = param.capacities().problems(("party_member", "villagr"), GLOSSARY)
    assert problem.en.startswith("[1]: must be one of")
    assert not ok(param.capacities(), ())


def test_an_integer_with_a_default_is_optional_and_says_so() -> None:
    declared = param.integer(at_least=1, default=3)
    assert declared.default == 3
    assert declared.meaning.en == "an integer of at least 1 (optional, 3 by default)"
    assert declared.meaning.zh == "不小于 1 的整数(可不设,默认为 3)"
    assert ok(declared, 1)
    assert not ok(declared, 0)
    assert param.integer(at_least=1).default is None


@pytest.mark.parametrize("default", [0, True])
def test_a_default_that_breaks_its_own_declaration_is_refused_at_once(default: int) -> None:
    with pytest.raises(ValueError, match="is not an integer of at least 1"):
        param.integer(at_least=1, default=default)
