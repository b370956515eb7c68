"""Purchase readiness (four factors, four forces) and the cost view of a strategy."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import CurrencyMismatch, InvalidData, Money
from bigaccount.io import dumps, loads
from bigaccount.people import Function, Level
from bigaccount.scoring.readiness import (
    FactorRatings,
    PurchaseFactor,
    Reach,
    ReadinessResult,
    SellingAction,
    SellingForce,
    StrategyCost,
    assess_readiness,
    strategy_cost,
)

unit = st.floats(0, 1)
ratings = st.builds(
    FactorRatings,
    unit,
    unit,
    unit,
    st.none() | unit,
    st.sampled_from(["ceo", "cio", "user", None]),
    st.floats(0.1, 5),
)


def test_weakest_factor_and_its_force():
    result = assess_readiness(
        [
            FactorRatings(0.9, 0.7, 0.3, subject="cio", weight=2),
            FactorRatings(0.6, 0.8, 0.6, subject="user-lead"),
        ]
    )
    assert result.factor(PurchaseFactor.KNOW) == pytest.approx(0.8)
    assert result.factor(PurchaseFactor.TRUST) == pytest.approx(0.4)
    assert result.factor(PurchaseFactor.SATISFACTION) is None
    assert result.weakest is PurchaseFactor.TRUST
    assert result.force is SellingForce.BUILD_TRUST
    assert result.score == pytest.approx(0.4)
    assert [s.subject for s in result.by_subject] == ["cio", "user-lead"]
    assert result.by_subject[0].force is SellingForce.BUILD_TRUST


def test_satisfaction_counts_once_rated():
    result = assess_readiness(FactorRatings(0.9, 0.9, 0.9, satisfaction=0.2))
    assert result.weakest is PurchaseFactor.SATISFACTION
    assert result.force is SellingForce.EXCEED_EXPECTATIONS


def test_ties_go_to_the_earlier_factor():
    assert assess_readiness(FactorRatings(0.5, 0.5, 0.5)).weakest is PurchaseFactor.KNOW


def test_factors_and_forces_pair_up_with_labels():
    for factor in PurchaseFactor:
        assert factor.force.factor is factor
        assert factor.label.zh
        assert factor.label.en
    for force in SellingForce:
        assert force.label.zh
        assert force.label.en
    assert PurchaseFactor.NEED_WORTH.label.zh == "需要/值得"
    assert SellingForce.UNCOVER_NEEDS.label.zh == "挖掘和引导需求"


def test_bad_ratings_are_refused():
    with pytest.raises(InvalidData) as info:
        FactorRatings(0.5, 1.5, 0.5, subject="cfo")
    assert info.value.field == "ratings['cfo'].need_worth"
    with pytest.raises(InvalidData):
        FactorRatings(0.5, 0.5, 0.5, weight=-1)
    with pytest.raises(InvalidData):
        assess_readiness([])
    with pytest.raises(InvalidData):
        assess_readiness([FactorRatings(0.5, 0.5, 0.5, weight=0)])


@given(st.lists(ratings, min_size=1, max_size=5).filter(lambda r: sum(i.weight for i in r) > 0))
def test_scores_lie_in_range(items):
    result = assess_readiness(items)
    assert 0.0 <= result.score <= result.mean + 1e-12
    assert 0.0 <= result.mean <= 1.0
    assert all(0.0 <= v <= 1.0 for _, v in result.factors)
    assert result.force is result.weakest.force


@given(st.lists(ratings, min_size=1, max_size=5), st.data())
def test_a_higher_rating_never_lowers_readiness(items, data):
    index = data.draw(st.integers(0, len(items) - 1))
    name = data.draw(st.sampled_from(["know", "need_worth", "trust"]))
    target = items[index]
    higher = data.draw(st.floats(getattr(target, name), 1))
    raised = [*items]
    raised[index] = attrs.evolve(target, **{name: higher})
    before, after = assess_readiness(items), assess_readiness(raised)
    assert after.score >= before.score
    assert after.mean >= before.mean


@given(st.lists(ratings, min_size=1, max_size=5), st.randoms(use_true_random=False))
def test_the_order_of_subjects_does_not_matter(items, rnd):
    shuffled = [*items]
    rnd.shuffle(shuffled)
    assert assess_readiness(shuffled) == assess_readiness(items)


@given(st.lists(ratings, min_size=1, max_size=3))
def test_round_trip(items):
    for item in items:
        assert loads(dumps(item), FactorRatings) == item
    result = assess_readiness(items)
    assert loads(dumps(result), ReadinessResult) == result


# -- strategy cost -------------------------------------------------------------------

reaches = st.builds(
    Reach, st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(Level), st.sampled_from(Function)
)
actions = st.builds(
    SellingAction,
    st.just("act"),
    st.sampled_from(SellingForce),
    st.integers(0, 10_000).map(lambda n: Money(n, "CNY")),
    st.floats(0, 100),
    st.lists(reaches, max_size=4).map(tuple),
)


def test_cost_view_totals_and_coverage():
    seminar = SellingAction(
        "seminar",
        SellingForce.INTRODUCE,
        Money(20000, "CNY"),
        16,
        [
            Reach("u1", Level.OPERATIONAL, Function.USER),
            Reach("t1", Level.OPERATIONAL, "technical"),
        ],
    )
    visit = SellingAction(
        "visit", "build_trust", Money(800, "CNY"), 3, [Reach("t1", "management", "technical")]
    )
    cost = strategy_cost([seminar, visit])
    assert cost.expense == Money(20800, "CNY")
    assert cost.hours == 19
    assert cost.people == 2
    assert cost.missing_levels == (Level.DECISION,)
    assert cost.missing_functions == (Function.FINANCE,)
    assert cost.missing_forces == (SellingForce.UNCOVER_NEEDS, SellingForce.EXCEED_EXPECTATIONS)
    assert cost.coverage == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_cost_view_rules():
    with pytest.raises(InvalidData):
        strategy_cost([])
    assert strategy_cost([], "CNY").coverage == 0.0
    cny = SellingAction("a", "introduce", Money(1, "CNY"), 1)
    usd = SellingAction("b", "introduce", Money(1, "USD"), 1)
    with pytest.raises(CurrencyMismatch):
        strategy_cost([cny, usd])
    with pytest.raises(InvalidData):
        SellingAction("a", "introduce", Money(1, "CNY"), -1)


@given(st.lists(actions, max_size=4), actions)
def test_adding_an_action_never_lowers_coverage(items, extra):
    before = strategy_cost(items, "CNY")
    after = strategy_cost([*items, extra], "CNY")
    assert 0.0 <= before.coverage <= after.coverage <= 1.0
    assert after.people >= before.people
    assert after.expense >= before.expense


@given(st.lists(actions, min_size=1, max_size=3))
def test_cost_round_trip(items):
    cost = strategy_cost(items)
    assert loads(dumps(cost), StrategyCost) == cost
    for item in items:
        assert loads(dumps(item), SellingAction) == item


# -- validation of every input -------------------------------------------------------


def test_unknown_enum_values_are_invalid_data_naming_the_field():
    with pytest.raises(InvalidData, match="build_trust") as caught:
        SellingAction("visit", "trust", Money(800, "CNY"), 3)
    assert caught.value.field == "action.force"
    with pytest.raises(InvalidData, match="decision, management") as caught:
        Reach("p", "top", "user")
    assert caught.value.field == "reach.level"
    with pytest.raises(InvalidData) as caught:
        Reach("p", "decision", "legal")
    assert caught.value.field == "reach.function"
    with pytest.raises(InvalidData) as caught:
        FactorRatings(0.5, 0.5, 0.5).rating("love")
    assert caught.value.field == "factor"


def test_an_expense_must_be_money():
    with pytest.raises(InvalidData, match="Money") as caught:
        SellingAction("visit", "build_trust", 800, 3)
    assert caught.value.field == "actions['visit'].expense"


@pytest.mark.parametrize(
    "given_ratings", [None, 0.5, "ratings", [FactorRatings(0.5, 0.5, 0.5), None]]
)
def test_wrong_ratings_are_invalid_data(given_ratings):
    with pytest.raises(InvalidData) as caught:
        assess_readiness(given_ratings)
    assert caught.value.field.startswith("ratings")


def test_huge_weights_are_relative_and_do_not_overflow():
    huge = assess_readiness(
        [
            FactorRatings(0.2, 0.5, 0.5, subject="a", weight=1e308),
            FactorRatings(0.8, 0.5, 0.5, subject="b", weight=1e308),
        ]
    )
    small = assess_readiness(
        [FactorRatings(0.2, 0.5, 0.5, subject="a"), FactorRatings(0.8, 0.5, 0.5, subject="b")]
    )
    assert huge.factor(PurchaseFactor.KNOW) == pytest.approx(0.5)
    assert huge.factors == small.factors


def test_actions_and_reaches_must_be_their_values():
    with pytest.raises(InvalidData) as caught:
        strategy_cost(None)
    assert caught.value.field == "actions"
    with pytest.raises(InvalidData) as caught:
        SellingAction("visit", "build_trust", Money(800, "CNY"), 3, ["cio"])
    assert caught.value.field == "action.reaches[0]"
    with pytest.raises(InvalidData) as caught:
        SellingAction("", "build_trust", Money(800, "CNY"), 3)
    assert caught.value.field == "action.name"
