"""Value parsers: declared formats, exact money, yes/no words, missing values never parsed."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bigaccount import Money
from bigaccount.importers import CellError, Formats, Problem, ValueType
from bigaccount.importers.parse import is_missing, parse_timezone, parser

SHANGHAI = parse_timezone("Asia/Shanghai")


def test_dates_follow_the_declared_formats_in_order() -> None:
    read = parser(ValueType.DATE, Formats(dates=("%m/%d/%y", "iso")), "CloseDate")
    assert read("02/03/24") == dt.date(2024, 2, 3)
    assert read(" 2024-02-03 ") == dt.date(2024, 2, 3)
    assert read(dt.datetime(2024, 2, 3)) == dt.date(2024, 2, 3)
    with pytest.raises(CellError) as caught:
        read("3 Feb 2024")
    assert caught.value.kind is Problem.BAD_DATE
    assert caught.value.field == "CloseDate"
    assert "'%m/%d/%y', ISO 8601" in str(caught.value)
    with pytest.raises(CellError, match="is a time, not a date"):
        read(dt.datetime(2024, 2, 3, 9, 30))


def test_naive_times_take_the_mapping_timezone_and_aware_ones_keep_theirs() -> None:
    formats = Formats(datetimes=("%m/%d/%y %I:%M %p",), dates=("%m/%d/%y",), timezone=SHANGHAI)
    read = parser(ValueType.DATETIME, formats, "CreatedDate")
    at = read("02/23/26 08:55 PM")
    assert at == dt.datetime(2026, 2, 23, 20, 55, tzinfo=SHANGHAI)
    assert at.utcoffset() == dt.timedelta(hours=8)
    assert read("02/23/26") == dt.datetime(2026, 2, 23, tzinfo=SHANGHAI)
    iso = parser(ValueType.DATETIME, Formats(timezone=SHANGHAI), "t")
    assert iso("2026-02-23T12:00:00+00:00").utcoffset() == dt.timedelta(0)
    assert iso(dt.date(2026, 2, 23)) == dt.datetime(2026, 2, 23, tzinfo=SHANGHAI)


def test_numbers_use_the_declared_separators_and_refuse_guesses() -> None:
    european = Formats(decimal_point=",", thousands=".")
    assert parser(ValueType.DECIMAL, european, "n")("1.234,50") == Decimal("1234.50")
    assert parser(ValueType.INT, european, "n")("12.000") == 12000
    plain = parser(ValueType.DECIMAL, Formats(), "n")
    for bad in ("1,234", "1e3", "12 000", "１２", "NaN", "abc"):
        with pytest.raises(CellError) as caught:
            plain(bad)
        assert caught.value.kind is Problem.BAD_NUMBER
    with pytest.raises(CellError, match=r"has '\.' but the decimal point is ','"):
        parser(ValueType.DECIMAL, Formats(decimal_point=","), "n")("1.5")
    whole = parser(ValueType.INT, Formats(), "n")
    assert whole(7.0) == 7
    with pytest.raises(CellError, match="not a whole number"):
        whole("7.5")


def test_money_is_exact_and_floats_need_a_declared_rounding() -> None:
    exact = parser(ValueType.MONEY, Formats(thousands=","), "Amount", currency="cny")
    assert exact("1,250.50") == Money("1250.50", "CNY")
    assert exact(1250) == Money(1250, "CNY")
    assert exact(Decimal("0.10")) == Money("0.10", "CNY")
    with pytest.raises(CellError) as caught:
        exact(0.1)
    assert caught.value.kind is Problem.BAD_AMOUNT
    rounded = parser(ValueType.MONEY, Formats(), "Amount", currency="USD", quantum=Decimal("0.01"))
    assert rounded(0.125) == Money("0.12", "USD")
    assert rounded(2.675) == Money("2.68", "USD")
    assert rounded("0.135") == Money("0.14", "USD")
    up = parser(
        ValueType.MONEY,
        Formats(),
        "Amount",
        currency="USD",
        quantum=Decimal("0.01"),
        rounding="half_up",
    )
    assert up(0.125) == Money("0.13", "USD")
    with pytest.raises(CellError, match="a yes/no value"):
        exact(True)


def test_numpy_numbers_are_read_like_python_numbers() -> None:
    np = pytest.importorskip("numpy")
    exact = parser(ValueType.MONEY, Formats(), "Amount", currency="CNY")
    assert exact(np.int64(1250)) == Money(1250, "CNY")
    assert exact(np.uint8(7)) == Money(7, "CNY")
    with pytest.raises(CellError, match="is a float"):
        exact(np.float64(12.5))
    rounded = parser(ValueType.MONEY, Formats(), "Amount", currency="CNY", quantum=Decimal("0.01"))
    assert rounded(np.float64(2.675)) == Money("2.68", "CNY")
    assert rounded(np.float32(0.1)) == Money("0.10", "CNY")
    assert parser(ValueType.INT, Formats(), "n")(np.int32(-4)) == -4
    flag = parser(ValueType.BOOL, Formats(), "f", true=("Y",), false=("N",))
    assert flag(np.bool_(True)) is True


def test_yes_no_words_are_declared_and_compared_without_case() -> None:
    read = parser(ValueType.BOOL, Formats(), "Budget", true=("Yes", "Y"), false=("No",))
    assert [read(v) for v in ("yes", "Y", " NO ", True)] == [True, True, False, True]
    with pytest.raises(CellError) as caught:
        read("Unknown")
    assert caught.value.kind is Problem.BAD_VALUE
    defaults = Formats(true=("TRUE",), false=("FALSE",))
    assert parser(ValueType.BOOL, defaults, "IsWon")("FALSE") is False


def test_text_is_trimmed_and_whole_numbers_are_their_digits() -> None:
    read = parser(ValueType.TEXT, Formats(), "Owner")
    assert read("  李娜 ") == "李娜"
    assert read(12345) == "12345"
    with pytest.raises(CellError):
        read(1.5)


def test_missing_values() -> None:
    words = frozenset({"", "NULL"})
    assert is_missing(None, words)
    assert is_missing("  ", words)
    assert is_missing(" NULL", words)
    assert is_missing(math.nan, words)
    assert not is_missing("0", words)
    assert not is_missing(0, words)
    assert not is_missing(False, words)


def test_timezones() -> None:
    assert parse_timezone("UTC") is dt.timezone.utc
    assert parse_timezone("-05:30").utcoffset(None) == -dt.timedelta(hours=5, minutes=30)
    for bad in ("", "Mars/Base", "+25:00"):
        with pytest.raises(Exception, match="timezone"):
            parse_timezone(bad)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_money_written_with_separators_reads_back_exactly(amount: Decimal) -> None:
    written = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    read = parser(
        ValueType.MONEY, Formats(decimal_point=",", thousands="."), "Betrag", currency="EUR"
    )
    assert read(written) == Money(amount, "EUR")
