from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import CurrencyMismatch, InvalidData, Label, Lang, Money, language, total
from bigaccount.labels import get_language, set_language
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
