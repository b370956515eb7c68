from __future__ import annotations

import enum
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import (
    CurrencyMismatch,
    InvalidData,
    InvalidDefinition,
    Label,
    Lang,
    Money,
    language,
    total,
)
from bigaccount.labels import LabelledEnum, get_language, label_members, set_language
from bigaccount.people import Level, Rung
from bigaccount.testing import labels, money


def test_label_text_follows_the_chosen_language() -> None:
    label = Label("立项", "approved")
    assert label.text("zh") == "立项"
    assert label.text(Lang.EN) == "approved"
    with language("zh"):
        assert str(label) == "立项"
        with language("en"):
            assert str(label) == "approved"
        assert str(label) == "立项"
    assert label.both() == "立项 / approved"


def test_set_language_rejects_unknown_languages_and_keeps_the_current_one() -> None:
    before = get_language()
    with pytest.raises(InvalidData, match="lang"):
        set_language("fr")
    assert get_language() is before


@pytest.mark.parametrize(("zh", "en"), [("", "x"), ("x", "  "), (None, "x")])
def test_label_refuses_empty_text(zh: str, en: str) -> None:
    with pytest.raises(InvalidData):
        Label(zh, en)


def test_money_is_exact_and_refuses_floats() -> None:
    assert Money("0.10", "cny") + Money("0.20", "CNY") == Money("0.30", "CNY")
    assert Money(5, "USD").amount == Decimal(5)
    with pytest.raises(InvalidData, match="amount"):
        Money(0.1, "CNY")  # type: ignore[arg-type]
    with pytest.raises(InvalidData, match="currency"):
        Money("1", "yuan")
    with pytest.raises(InvalidData, match="amount"):
        Money("NaN", "CNY")
    with pytest.raises(InvalidData, match="amount"):
        Money("ten", "CNY")


def test_money_of_two_currencies_never_adds_up() -> None:
    with pytest.raises(CurrencyMismatch) as err:
        Money("1", "CNY") + Money("1", "USD")
    assert err.value.currencies == ("CNY", "USD")
    assert isinstance(err.value, TypeError)
    with pytest.raises(CurrencyMismatch):
        _ = Money("1", "CNY") < Money("2", "USD")
    with pytest.raises(CurrencyMismatch):
        total([Money("1", "CNY"), Money("1", "EUR")], "CNY")


def test_scaling_by_a_probability_adds_no_binary_noise() -> None:
    assert Money("1200000", "CNY").scaled(0.3).amount == Decimal("360000.0")
    assert Money("100", "CNY").scaled(Decimal("0.25")) == Money("25", "CNY")
    with pytest.raises(InvalidData):
        Money("1", "CNY").scaled(float("nan"))


@given(st.lists(money(("CNY",)), max_size=20))
def test_total_equals_the_sum_of_the_amounts(amounts: list[Money]) -> None:
    assert total(amounts, "CNY").amount == sum((m.amount for m in amounts), Decimal(0))


@given(money(), money())
def test_addition_commutes_within_a_currency(a: Money, b: Money) -> None:
    b = Money(b.amount, a.currency)
    assert a + b == b + a
    assert (a + b) - b == a


@given(labels())
def test_labels_show_each_language(label: Label) -> None:
    assert label.text("zh") == label.zh
    assert label.text("en") == label.en


# -- labelled enums ----------------------------------------------------------------------


def test_a_labelled_enum_gets_the_label_of_each_member() -> None:
    class Tier(LabelledEnum):
        GOLD = "gold"
        SILVER = "silver"

    label_members(Tier, {Tier.GOLD: Label("金牌", "gold"), Tier.SILVER: Label("银牌", "silver")})
    assert Tier.GOLD.label == Label("金牌", "gold")
    assert Tier.SILVER.label.zh == "银牌"
    with language("zh"):
        assert str(Tier.SILVER.label) == "银牌"


def test_a_labelled_enum_keeps_its_str_enum_behaviour() -> None:
    assert Level.DECISION == "decision"  # type: ignore[comparison-overlap]
    assert Level("decision") is Level.DECISION
    assert isinstance(Level.DECISION, str)
    assert isinstance(Level.DECISION, enum.Enum)
    assert Level.DECISION.value == "decision"
    assert [r.value for r in Rung][:2] == ["unknown", "acquainted"]
    assert Rung.PARTNERS.depth == 1.0


def test_a_member_without_a_label_is_named_in_the_error() -> None:
    class Tier(LabelledEnum):
        GOLD = "gold"
        SILVER = "silver"

    with pytest.raises(InvalidDefinition, match="SILVER") as caught:
        label_members(Tier, {Tier.GOLD: Label("金牌", "gold")})
    assert caught.value.where == "test_a_member_without_a_label_is_named_in_the_error.<locals>.Tier"


def test_a_key_that_is_not_a_member_is_refused() -> None:
    class Tier(LabelledEnum):
        GOLD = "gold"

    gold = Label("金牌", "gold")
    with pytest.raises(InvalidDefinition, match="'silver' is not a member"):
        label_members(Tier, {Tier.GOLD: gold, "silver": Label("银牌", "silver")})  # type: ignore[type-var]
    with pytest.raises(InvalidDefinition, match="DECISION"):
        label_members(Tier, {Tier.GOLD: gold, Level.DECISION: gold})


def test_an_enum_is_labelled_only_once() -> None:
    class Tier(LabelledEnum):
        GOLD = "gold"

    label_members(Tier, {Tier.GOLD: Label("金牌", "gold")})
    with pytest.raises(InvalidDefinition, match="already"):
        label_members(Tier, {Tier.GOLD: Label("黄金", "gold")})
    assert Tier.GOLD.label.zh == "金牌"


def test_every_labelled_enum_of_the_library_labels_every_member() -> None:
    kinds = LabelledEnum.__subclasses__()
    assert {"Level", "Rung", "Move", "Segment", "Posture", "PlanSection"} <= {
        kind.__name__ for kind in kinds
    }
    for kind in kinds:
        if kind.__module__.startswith("bigaccount."):
            for member in kind:
                assert member.label.zh.strip()
                assert member.label.en.strip()
