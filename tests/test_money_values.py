"""Money as a value: plain decimal syntax, bounds, ISO 4217 currencies, rounding, wrong types.

Every oracle here is written independently of ``bigaccount.money``: syntax is checked
with ``str`` methods, arithmetic with a wide ``decimal`` context, rounding with
``fractions.Fraction`` and the currency list with the ``csv`` module (and, when the
``iso4217`` package is installed, against its copy of the published list).
"""

from __future__ import annotations

import csv
import decimal
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from importlib.resources import files

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bigaccount.errors import BigAccountError, CurrencyMismatch, InvalidData
from bigaccount.money import (
    MAX_FACTOR_PLACES,
    MAX_INTEGER_DIGITS,
    MAX_PLACES,
    Money,
    currency_info,
    iso_currencies,
    to_decimal,
    total,
)

WIDE = decimal.Context(prec=200, traps=[decimal.Inexact, decimal.InvalidOperation])
"""Exact reference arithmetic for the tests (far wider than any bounded amount)."""

BIGGEST = Decimal("9" * MAX_INTEGER_DIGITS + "." + "9" * MAX_PLACES)
DIGITS = "0123456789"


def exponent(d: Decimal) -> int:
    return int(d.as_tuple().exponent)


def amounts(places: int) -> st.SearchStrategy[Decimal]:
    """Decimals with *places* places, anywhere within the bounds (edges included)."""
    top = Decimal("9" * MAX_INTEGER_DIGITS + ("." + "9" * places if places else ""))
    return st.decimals(WIDE.minus(top), top, places=places, allow_nan=False, allow_infinity=False)


# -- the shipped currency list, read independently --------------------------------------


def shipped_rows() -> list[dict[str, str]]:
    text = (files("bigaccount") / "data" / "iso4217.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


ROWS = shipped_rows()
CODES = [row["code"] for row in ROWS]
WITH_MINOR = [row["code"] for row in ROWS if row["minor_unit"]]


def test_the_shipped_list_is_well_formed_and_says_where_it_comes_from() -> None:
    text = (files("bigaccount") / "data" / "iso4217.csv").read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    assert "SIX" in header
    assert "list one" in header
    assert "2026-01-01" in header
    assert len(set(CODES)) == len(CODES)
    assert len({row["number"] for row in ROWS}) == len(ROWS)
    for row in ROWS:
        assert len(row["code"]) == 3
        assert row["code"].isascii()
        assert row["code"].isupper()
        assert len(row["number"]) == 3
        assert set(row["number"]) <= set(DIGITS)
        assert row["minor_unit"] in ("", "0", "2", "3", "4")
        assert row["name"].strip()
    table = iso_currencies()
    assert sorted(table) == sorted(CODES)
    for row in ROWS:
        entry = table[row["code"]]
        assert entry.number == row["number"]
        assert entry.minor_unit == (int(row["minor_unit"]) if row["minor_unit"] else None)


@pytest.mark.parametrize(
    ("code", "number", "minor"),
    [
        ("CNY", "156", 2),
        ("USD", "840", 2),
        ("EUR", "978", 2),
        ("JPY", "392", 0),
        ("KRW", "410", 0),
        ("KWD", "414", 3),
        ("BHD", "048", 3),
        ("CLF", "990", 4),
        ("UYW", "927", 4),
        ("XAU", "959", None),
        ("XDR", "960", None),
    ],
)
def test_known_iso_4217_facts(code: str, number: str, minor: int | None) -> None:
    info = currency_info(code.lower())
    assert (info.code, info.number, info.minor_unit) == (code, number, minor)
    assert Money("1", code).minor_unit == minor


@pytest.mark.parametrize("code", ["HRK", "BGN", "SLL", "ZWL", "ANG", "CUC", "XTS", "XXX", "ABC"])
def test_withdrawn_test_and_made_up_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidData) as caught:
        Money("1", code)
    assert caught.value.field == "currency"


def test_the_list_matches_the_published_one_where_available() -> None:
    iso4217 = pytest.importorskip("iso4217")
    published: dict[str, tuple[str, str]] = {}
    for node in iso4217.raw_xml.findall("CcyTbl/CcyNtry"):
        code = node.findtext("Ccy")
        if code:
            number = node.findtext("CcyNbr").strip()
            minor = node.findtext("CcyMnrUnts").strip()
            published[code.strip()] = (number, "" if minor == "N.A." else minor)
    ours = {row["code"]: (row["number"], row["minor_unit"]) for row in ROWS}
    assert {code: published[code] for code in ours} == ours
    left_out = {"XAD", "XBA", "XBB", "XBC", "XBD", "XSU", "XTS", "XUA", "XXX"}
    if str(iso4217.__published__) == "2026-01-01":
        assert set(published) - set(ours) == left_out


def test_the_list_is_not_read_at_import() -> None:
    code = (
        "import bigaccount, bigaccount.money as m\n"
        "print(m.iso_currencies.cache_info().currsize)\n"
        "bigaccount.Money('1', 'CNY')\n"
        "print(m.iso_currencies.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.split() == ["0", "1"]


# -- currencies ------------------------------------------------------------------------


def mixed_case(code: str, mask: int) -> str:
    return "".join(c.lower() if mask >> i & 1 else c for i, c in enumerate(code))


@given(st.sampled_from(CODES), st.integers(0, 7))
def test_every_listed_code_is_accepted_in_any_case(code: str, mask: int) -> None:
    assert Money("1", mixed_case(code, mask)).currency == code


@given(st.text(min_size=0, max_size=5))
def test_a_currency_is_accepted_exactly_when_it_is_a_listed_code(text: str) -> None:
    listed = len(text) == 3 and text.isascii() and text.upper() in set(CODES)
    try:
        money = Money("1", text)
    except InvalidData as error:
        assert not listed
        assert error.field == "currency"
    else:
        assert listed
        assert money.currency == text.upper()


@pytest.mark.parametrize("text", [" CNY", "CNY ", "C NY", "ＣＮＹ", "ınr", "CN", "CNYY", ""])
def test_lookalike_currencies_are_refused(text: str) -> None:
    with pytest.raises(InvalidData) as caught:
        Money("1", text)
    assert caught.value.field == "currency"


# -- amount syntax ---------------------------------------------------------------------


def plain(text: str) -> bool:
    """The accepted syntax, written with ``str`` methods: [sign] digits [. digits]."""
    body = text[1:] if text[:1] in ("+", "-") else text
    whole, dot, part = body.partition(".")
    if not whole or not set(whole) <= set(DIGITS):
        return False
    if dot and (not part or not set(part) <= set(DIGITS)):
        return False
    return len(whole.lstrip("0")) <= MAX_INTEGER_DIGITS and len(part) <= MAX_PLACES


TRICKY = "0123456789+-.,_eE nNaAiIfF\u00a0\u3000１２٣\u066c'"


@given(st.text(alphabet=TRICKY, max_size=24))
def test_a_string_is_accepted_exactly_when_it_is_plain_decimal_syntax(text: str) -> None:
    try:
        money = Money(text, "CNY")
    except InvalidData as error:
        assert not plain(text), text
        assert error.field == "amount"
        assert repr(text) in str(error)
    else:
        assert plain(text), text
        assert money.amount == Decimal(text)


@given(
    st.sampled_from(["", "+", "-"]),
    st.text(DIGITS, min_size=1, max_size=MAX_INTEGER_DIGITS),
    st.none() | st.text(DIGITS, min_size=1, max_size=MAX_PLACES),
)
def test_plain_strings_within_the_bounds_keep_their_exact_value(
    sign: str, whole: str, part: str | None
) -> None:
    text = sign + whole + ("" if part is None else "." + part)
    money = Money(text, "USD")
    assert money.amount == Decimal(text)
    if money.amount:
        assert money.amount.as_tuple() == Decimal(text).as_tuple()
    else:
        assert not money.amount.is_signed()


@given(st.integers(1000, 10**17))
def test_thousands_separators_are_refused(n: int) -> None:
    for text in (f"{n:,}", f"{n:,}.50", f"{n:,}".replace(",", "\u066c")):
        with pytest.raises(InvalidData, match="thousands separator"):
            Money(text, "CNY")


@given(st.integers(1000, 10**17))
def test_underscores_are_refused(n: int) -> None:
    with pytest.raises(InvalidData, match="underscore"):
        Money(f"{n:_}", "CNY")


@given(st.integers(-(10**6), 10**6), st.integers(-30, 30), st.sampled_from(["e", "E"]))
def test_exponents_are_refused(mantissa: int, exponent: int, letter: str) -> None:
    with pytest.raises(InvalidData, match="exponent"):
        Money(f"{mantissa}{letter}{exponent}", "CNY")
    with pytest.raises(InvalidData, match="exponent"):
        Money(f"{mantissa}.5{letter}{exponent:+d}", "CNY")


@given(st.text(st.characters(categories=["Nd"]), min_size=1, max_size=6))
def test_digits_other_than_ascii_are_refused(digits: str) -> None:
    assume(not digits.isascii())
    with pytest.raises(InvalidData, match="ASCII") as caught:
        Money("1" + digits, "CNY")
    assert caught.value.field == "amount"


@given(st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000", "\u2009"]), st.booleans())
def test_whitespace_around_or_inside_is_refused(space: str, inside: bool) -> None:
    text = f"12{space}34" if inside else f"{space}1234"
    with pytest.raises(InvalidData, match="inside" if inside else "around"):
        Money(text, "CNY")
    with pytest.raises(InvalidData, match="around"):
        Money(f"1234{space}", "CNY")


@pytest.mark.parametrize(
    "text", ["NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "+Inf"]
)
def test_nan_and_infinity_are_refused_as_strings_and_decimals(text: str) -> None:
    with pytest.raises(InvalidData, match="not a finite number"):
        Money(text, "CNY")
    with pytest.raises(InvalidData, match="not a finite number"):
        Money(Decimal(text), "CNY")


@pytest.mark.parametrize("text", ["", ".5", "5.", "1.2.3", "--1", "+-1", "1-", "0x10", "１２３"])
def test_other_malformed_strings_are_refused(text: str) -> None:
    with pytest.raises(InvalidData) as caught:
        Money(text, "CNY")
    assert caught.value.field == "amount"
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, BigAccountError)


# -- bounds on every path ----------------------------------------------------------------


def test_the_bounds_hold_at_their_edges_for_strings_ints_and_decimals() -> None:
    assert Money(str(BIGGEST), "CNY").amount == BIGGEST
    assert Money("-" + str(BIGGEST), "CNY").amount == WIDE.minus(BIGGEST)
    assert Money(10**MAX_INTEGER_DIGITS - 1, "CNY").amount == Decimal(10**MAX_INTEGER_DIGITS - 1)
    assert Money("0" * 40 + "1", "CNY").amount == 1  # leading zeros are not digits of value
    for refused in (
        "1" + "0" * MAX_INTEGER_DIGITS,
        "0." + "1" * (MAX_PLACES + 1),
        "1." + "0" * (MAX_PLACES + 1),
        10**MAX_INTEGER_DIGITS,
        -(10**MAX_INTEGER_DIGITS),
        Decimal(10**MAX_INTEGER_DIGITS),
        Decimal("1E+18"),
        Decimal("1E-13"),
        Decimal("1e999999999"),
        Decimal("-1e-999999999"),
        "9" * 10**5,
    ):
        with pytest.raises(InvalidData, match="digits") as caught:
            Money(refused, "CNY")
        assert caught.value.field == "amount"


@given(
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=40),
    st.integers(-40, 40),
)
def test_a_decimal_is_accepted_exactly_when_it_fits_and_keeps_its_value(
    sign: int, digits: list[int], exponent: int
) -> None:
    d = Decimal((sign, tuple(digits), exponent))
    fits = exponent >= -MAX_PLACES and (d.is_zero() or d.copy_abs() < 10**MAX_INTEGER_DIGITS)
    try:
        money = Money(d, "EUR")
    except InvalidData as error:
        assert not fits
        assert error.field == "amount"
    else:
        assert fits
        assert money.amount == d
        assert WIDE.minus(money.amount) == WIDE.minus(d)
        assert money.amount.as_tuple().exponent == min(exponent, 0)
        assert not (money.amount.is_zero() and money.amount.is_signed())


@given(st.integers(-(10**30), 10**30))
def test_an_integer_is_accepted_exactly_when_it_fits(n: int) -> None:
    fits = abs(n) < 10**MAX_INTEGER_DIGITS
    try:
        money = Money(n, "JPY")
    except InvalidData as error:
        assert not fits
        assert error.field == "amount"
    else:
        assert fits
        assert money.amount == n


def test_numpy_integers_are_integers_and_numpy_floats_and_bools_are_not() -> None:
    np = pytest.importorskip("numpy")
    assert Money(np.int64(1_200_000), "CNY") == Money("1200000", "CNY")
    assert Money(np.uint8(7), "CNY").amount == 7
    assert Money(np.int32(-5), "CNY").amount == -5
    assert Money(np.int64(10**18 - 1), "CNY").amount == 10**18 - 1
    for refused in (np.int64(2**63 - 1), np.uint64(2**64 - 1), np.float64(0.5), np.bool_(True)):
        with pytest.raises(InvalidData) as caught:
            Money(refused, "CNY")
        assert caught.value.field == "amount"
    with pytest.raises(InvalidData, match="float"):
        Money(np.float32(2.5), "CNY")


@given(amounts(MAX_PLACES), amounts(2), st.booleans())
def test_sums_and_differences_are_exact_or_refused_at_the_bound(
    a: Decimal, b: Decimal, subtract: bool
) -> None:
    left, right = Money(a, "CNY"), Money(b, "CNY")
    exact = WIDE.subtract(a, b) if subtract else WIDE.add(a, b)
    try:
        result = left - right if subtract else left + right
    except InvalidData as error:
        assert exact.copy_abs() >= 10**MAX_INTEGER_DIGITS
        assert error.field == "amount"
    else:
        assert exact.copy_abs() < 10**MAX_INTEGER_DIGITS
        assert result.amount == exact
        assert result.currency == "CNY"


def test_a_sum_past_the_bound_raises_and_changes_nothing() -> None:
    top = Money(BIGGEST, "USD")
    with pytest.raises(InvalidData, match="more than 18 digits"):
        top + Money("0.000000000001", "USD")
    with pytest.raises(InvalidData):
        -top - Money("1", "USD")
    assert top.amount == BIGGEST
    assert top + Money("-1", "USD") == Money(WIDE.subtract(BIGGEST, 1), "USD")


@given(st.lists(amounts(3), max_size=12))
def test_total_is_the_exact_sum_and_only_the_total_is_bounded(amounts: list[Decimal]) -> None:
    exact = Decimal(0)
    for a in amounts:
        exact = WIDE.add(exact, a)
    try:
        result = total([Money(a, "KWD") for a in amounts], "KWD")
    except InvalidData as error:
        assert exact.copy_abs() >= 10**MAX_INTEGER_DIGITS
        assert error.field == "amount"
    else:
        assert result.amount == exact


def test_total_passes_the_bound_on_the_way_but_not_at_the_end() -> None:
    big = Money("900000000000000000", "CNY")
    assert total([big, big, -big], "CNY") == big
    assert total((m for m in [big, -big]), "cny") == Money.zero("CNY")
    with pytest.raises(InvalidData):
        total([big, big], "CNY")


# -- negative amounts --------------------------------------------------------------------


@given(amounts(4))
def test_negative_amounts_are_values_and_negation_is_exact(a: Decimal) -> None:
    money = Money(a, "CNY")
    assert (-money).amount == WIDE.minus(a)
    negated = -money
    assert -negated == money
    assert money + (-money) == Money.zero("CNY")
    assert not (-Money.zero("CNY")).amount.is_signed()


def test_negative_zero_is_zero_and_amounts_print_in_fixed_notation() -> None:
    assert str(Money("-0.00", "CNY")) == "0.00 CNY"
    assert str(-Money("0", "CNY")) == "0 CNY"
    assert str(Money(Decimal("1E+3"), "CNY")) == "1,000 CNY"
    assert Money(Decimal("1E+3"), "CNY").amount.as_tuple().exponent == 0
    assert str(Money("0.000000000001", "CNY")) == "0.000000000001 CNY"
    assert str(Money("-1234567.5", "USD")) == "-1,234,567.5 USD"


# -- scaling ---------------------------------------------------------------------------


@given(
    st.decimals(-(10**12), 10**12, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(-(10**3), 10**3, places=10, allow_nan=False, allow_infinity=False),
)
def test_scaling_is_exact_or_refused(a: Decimal, f: Decimal) -> None:
    exact = WIDE.multiply(a, f)
    try:
        result = Money(a, "USD").scaled(f)
    except InvalidData as error:
        assert error.field == "factor"
        assert exact != exact.quantize(Decimal(1).scaleb(-MAX_PLACES), context=WIDE)
    else:
        assert result.amount == exact


@given(st.floats(0, 1, allow_nan=False))
def test_a_float_factor_is_read_by_its_shortest_form(p: float) -> None:
    money = Money("1200000", "CNY")
    shortest = Decimal(repr(p))
    try:
        result = money.scaled(p)
    except InvalidData as error:
        assert error.field == "factor"
        assert exponent(shortest) < -MAX_FACTOR_PLACES or (
            exponent(WIDE.multiply(Decimal(1200000), shortest)) < -MAX_PLACES
        )
    else:
        assert result.amount == WIDE.multiply(Decimal(1200000), shortest)


def test_scaling_drops_only_trailing_zeros_and_refuses_what_it_would_round() -> None:
    assert Money("10.00", "CNY").scaled(Decimal("0.1250000000000")).amount == Decimal("1.25")
    assert Money("5", "CNY").scaled(Decimal("1E+3")).amount.as_tuple().exponent == 0
    with pytest.raises(InvalidData, match="round the factor"):
        Money("0.01", "CNY").scaled("0.0000000000001")
    with pytest.raises(InvalidData, match="before"):
        Money("1000000000", "CNY").scaled(10**9)
    np = pytest.importorskip("numpy")
    assert Money("100", "CNY").scaled(np.float64(0.3)) == Money("30.0", "CNY")


@pytest.mark.parametrize(
    "factor",
    [
        float("nan"),
        float("inf"),
        "NaN",
        "1,5",
        "1e3",
        " 0.5",
        Decimal("NaN"),
        Decimal("1E+18"),
        "0." + "1" * (MAX_FACTOR_PLACES + 1),
        True,
        None,
        [0.5],
        1 + 2j,
        Fraction(1, 3),
        b"0.5",
    ],
)
def test_bad_factors_are_refused_naming_the_factor(factor: object) -> None:
    with pytest.raises(InvalidData) as caught:
        Money("100", "CNY").scaled(factor)  # type: ignore[arg-type]
    assert caught.value.field == "factor"


# -- rounding to the minor unit ----------------------------------------------------------


def half_even(amount: Decimal, places: int) -> Fraction:
    """Round half to even with fractions: the reference for ``rounded()``."""
    scaled = Fraction(amount) * 10**places
    low = scaled.numerator // scaled.denominator
    rest = scaled - low
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and low % 2 == 1):
        low += 1
    return Fraction(low, 10**places)


@given(
    st.decimals(-(10**15), 10**15, places=6, allow_nan=False, allow_infinity=False),
    st.sampled_from(WITH_MINOR),
)
def test_rounded_is_half_to_even_at_the_minor_unit(a: Decimal, code: str) -> None:
    places = int(next(row["minor_unit"] for row in ROWS if row["code"] == code))
    result = Money(a, code).rounded()
    assert result.currency == code
    assert result.amount.as_tuple().exponent == -places
    assert Fraction(result.amount) == half_even(a, places)
    assert result.rounded() == result


def test_rounded_by_currency_and_by_mode() -> None:
    assert Money("1234.5", "JPY").rounded() == Money("1234", "JPY")
    assert Money("1235.5", "JPY").rounded() == Money("1236", "JPY")
    assert Money("2.0045", "KWD").rounded().amount.as_tuple().exponent == -3
    assert str(Money("2.0045", "KWD").rounded()) == "2.004 KWD"
    assert str(Money("0.125", "USD").rounded()) == "0.12 USD"
    assert str(Money("0.125", "USD").rounded(decimal.ROUND_HALF_UP)) == "0.13 USD"
    assert str(Money("-0.125", "USD").rounded(decimal.ROUND_FLOOR)) == "-0.13 USD"
    assert str(Money("7", "USD").rounded()) == "7.00 USD"
    assert str(Money("1.00005", "CLF").rounded()) == "1.0000 CLF"


@pytest.mark.parametrize("mode", ["HALF_UP", "round_half_up", None, 2, decimal.Decimal])
def test_an_unknown_rounding_mode_is_refused(mode: object) -> None:
    with pytest.raises(InvalidData) as caught:
        Money("1.005", "USD").rounded(mode)  # type: ignore[arg-type]
    assert caught.value.field == "rounding"


def test_rounding_needs_a_minor_unit_and_stays_in_bounds() -> None:
    with pytest.raises(InvalidData) as caught:
        Money("1.5", "XAU").rounded()
    assert caught.value.field == "currency"
    with pytest.raises(InvalidData) as caught:
        Money("999999999999999999.995", "USD").rounded()
    assert caught.value.field == "amount"


# -- wrong types everywhere --------------------------------------------------------------

WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(),
    st.complex_numbers(),
    st.binary(max_size=4),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.fractions(),
    st.just(object()),
    st.builds(lambda: Money("1", "CNY")),
)


@given(WRONG)
def test_a_wrong_amount_type_is_invalid_data_naming_the_amount(value: object) -> None:
    with pytest.raises(InvalidData) as caught:
        Money(value, "CNY")  # type: ignore[arg-type]
    assert caught.value.field == "amount"
    with pytest.raises(InvalidData) as caught:
        to_decimal(value, "budget")
    assert caught.value.field == "budget"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_amount_says_what_to_do_instead(value: float) -> None:
    with pytest.raises(InvalidData, match=r"Decimal\(str\(x\)\)"):
        Money(value, "CNY")  # type: ignore[arg-type]


@given(WRONG | st.integers())
def test_a_wrong_currency_type_is_invalid_data_naming_the_currency(value: object) -> None:
    for make in (
        lambda: Money("1", value),  # type: ignore[arg-type]
        lambda: Money.zero(value),  # type: ignore[arg-type]
        lambda: currency_info(value),
        lambda: total([], value),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidData) as caught:
            make()
        assert caught.value.field == "currency"


@given(
    st.one_of(st.none(), st.integers(), st.text(max_size=3), st.builds(lambda: Money("1", "CNY")))
)
def test_total_refuses_what_is_not_a_sequence_of_money(value: object) -> None:
    with pytest.raises(InvalidData) as caught:
        total(value, "CNY")  # type: ignore[arg-type]
    assert caught.value.field == "amounts"


@given(st.lists(WRONG.filter(lambda v: not isinstance(v, Money)), min_size=1, max_size=3))
def test_total_names_the_first_item_that_is_not_money(items: list[object]) -> None:
    with pytest.raises(InvalidData) as caught:
        total([Money("1", "CNY"), *items], "CNY")  # type: ignore[list-item]
    assert caught.value.field == "amounts[1]"


def test_mixing_currencies_is_still_a_currency_mismatch() -> None:
    with pytest.raises(CurrencyMismatch):
        total([Money("1", "CNY"), Money("1", "USD")], "CNY")
    with pytest.raises(CurrencyMismatch):
        Money("1", "JPY") - Money("1", "KRW")
