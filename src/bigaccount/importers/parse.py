"""Value parsers: read one cell of an export as a date, a time, a number, money, yes/no or text.

A mapping never names a Python callable; its columns are read by one of a fixed set of
:class:`ValueType` s, each built here from the mapping's declared :class:`Formats`:

* **date** — the declared formats in order (``strptime`` codes such as ``"%m/%d/%y"``,
  or ``"iso"`` for ISO 8601); a ``datetime`` value at midnight is its date.
* **datetime** — the declared datetime formats, then the date formats (a date is its
  midnight). A time without a zone takes the mapping's timezone; a time with one keeps it.
* **int**, **decimal** — digits with the declared decimal point and thousands separator
  (``"1.234,50"`` with ``decimal_point = ","`` and ``thousands = "."``); exponents, spaces
  inside and other separators are refused. A float (from a DataFrame) is taken only when
  it is exact for the type (a whole float for an int) or a rounding is declared.
* **money** — a decimal amount in the mapping's currency. Python and numpy integers and
  ``Decimal`` are taken as they are; a float is refused unless the mapping declares how
  to round it (``round = "0.01"``, ``rounding = "half_even"``), because a float has no
  exact decimal value. With a declared rounding every amount is rounded to it.
* **bool** — the declared true and false words, compared without regard to case.
* **text** — the cell with surrounding spaces removed; a whole number is its digits.

Missing values — an empty cell, a declared missing word (``"NULL"``), ``None`` or a
float NaN from a DataFrame — are never parsed: :func:`is_missing` says so, and the
mapping's missing-value policy decides. Each parser raises
:class:`~bigaccount.importers.problems.CellError` naming the column and the problem.

>>> import datetime as dt
>>> from bigaccount.importers.parse import Formats, ValueType, parser
>>> us = Formats(dates=("%m/%d/%y",), datetimes=("%m/%d/%y %I:%M %p",))
>>> parser(ValueType.DATETIME, us, "CreatedDate")("02/23/26 08:55 PM")
datetime.datetime(2026, 2, 23, 20, 55, tzinfo=datetime.timezone.utc)
>>> parser(ValueType.MONEY, Formats(thousands=","), "Amount", currency="USD")("1,250.50")
Money(amount=Decimal('1250.50'), currency='USD')
>>> parser(ValueType.MONEY, Formats(), "Amount", currency="USD")(1250.5)
Traceback (most recent call last):
...
bigaccount.importers.problems.CellError: Amount: 1250.5 is a float; declare how to round amounts ...
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from decimal import (
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)
from typing import Any

from attrs import Attribute, field, frozen

from ..errors import InvalidData
from ..money import Money, to_decimal
from ..segment import Segment
from .problems import CellError, Problem

__all__ = [
    "ROUNDING_MODES",
    "Formats",
    "ValueType",
    "is_missing",
    "parse_timezone",
    "parser",
]

Parser = Callable[[Any], Any]
"""Reads one present (not missing) cell, or raises :class:`CellError`."""

ROUNDING_MODES = {
    "half_even": ROUND_HALF_EVEN,
    "half_up": ROUND_HALF_UP,
    "half_down": ROUND_HALF_DOWN,
    "up": ROUND_UP,
    "down": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
    "05up": ROUND_05UP,
}
"""The rounding names a mapping may declare, and the ``decimal`` mode of each."""

_CACHE = 1 << 16
"""Distinct texts remembered per date, time and number parser (exports repeat them)."""


class ValueType(enum.StrEnum):
    """The fixed set of value types a mapping can declare for a column."""

    BOOL = "bool"
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"
    TEXT = "text"

    @classmethod
    def _missing_(cls, value: object) -> ValueType:
        known = ", ".join(m.value for m in cls)
        raise InvalidData("value_type", f"unknown value type {value!r}; expected one of: {known}")


def parse_timezone(name: object) -> dt.tzinfo:
    """The timezone *name*: ``"UTC"``, a fixed offset (``"+08:00"``) or an IANA name.

    Raises:
        InvalidData: not a timezone (field ``timezone``).

    >>> parse_timezone("+08:00"), parse_timezone("Asia/Shanghai")
    (datetime.timezone(datetime.timedelta(seconds=28800)), zoneinfo.ZoneInfo(key='Asia/Shanghai'))
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidData("timezone", f"expected a timezone name such as 'UTC', got {name!r}")
    if name.upper() in ("UTC", "Z"):
        return dt.timezone.utc
    if name[:1] in "+-":
        try:
            offset = dt.datetime.strptime(name, "%z").utcoffset()
        except ValueError:
            offset = None
        if offset is None:
            raise InvalidData("timezone", f"{name!r} is not an offset such as '+08:00'")
        return dt.timezone(offset)
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidData(
            "timezone", f"{name!r} is not a known timezone (e.g. 'Asia/Shanghai', '+08:00')"
        ) from None


def words(value: object, field: str, *, blank: bool = False) -> tuple[str, ...]:
    """A list of words, each trimmed: one text alone is one word; *field* names the list.

    The one rule for every word list of a mapping (yes/no words, unknown words, outcome
    values, missing words): each item is text, and a blank word is refused (naming its
    index, ``true[0]``) — except among missing words (*blank*), where it is dropped, since
    an empty cell is always missing.

    Raises:
        InvalidData: not a list of texts, or a blank word where words are needed.
    """
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InvalidData(field, f"expected a list of words, got {value!r}")
    found: list[str] = []
    for i, item in enumerate(tuple(value)):
        if not isinstance(item, str) or not (blank or item.strip()):
            raise InvalidData(f"{field}[{i}]", f"expected a non-empty word, got {item!r}")
        if item.strip():
            found.append(item.strip())
    return tuple(found)


def format_list(value: object, field: str) -> tuple[str, ...]:
    """Date or time formats: ``"iso"`` or ``strptime`` codes, at least one (see :func:`words`).

    Raises:
        InvalidData: no format, or one that is neither (naming its index).
    """
    found = words(value, field)
    if not found:
        raise InvalidData(field, "needs at least one format")
    for i, fmt in enumerate(found):
        if fmt != "iso" and "%" not in fmt:
            raise InvalidData(
                f"{field}[{i}]",
                f"{fmt!r} is neither 'iso' nor a strptime format such as '%Y-%m-%d'",
            )
    return found


def decimal_point_of(value: object, field: str) -> str:
    """The decimal point: ``"."`` or ``","``, else ``InvalidData``."""
    if value not in (".", ","):
        raise InvalidData(field, f"expected '.' or ',', got {value!r}")
    return str(value)


def thousands_of(value: object, point: str, field: str) -> str:
    """The thousands separator: one character other than the decimal *point*, or ``""``."""
    if not isinstance(value, str) or len(value) > 1 or value == point:
        raise InvalidData(
            field, f"expected one character other than the decimal point, or '', got {value!r}"
        )
    return value


def _dates(value: object) -> tuple[str, ...]:
    return format_list(value, "dates")


def _datetimes(value: object) -> tuple[str, ...]:
    return format_list(value, "datetimes")


def true_words(value: object) -> tuple[str, ...]:
    """The attrs converter of a ``true`` list of words (of :class:`Formats`, of a fact)."""
    return words(value, "true")


def false_words(value: object) -> tuple[str, ...]:
    """The attrs converter of a ``false`` list of words (of :class:`Formats`, of a fact)."""
    return words(value, "false")


def _missing_words(value: object) -> frozenset[str]:
    return frozenset(("", *words(value, "missing", blank=True)))


def _check_point(instance: Formats, attribute: Attribute[Any], value: object) -> None:
    decimal_point_of(value, attribute.name)


def _check_thousands(instance: Formats, attribute: Attribute[Any], value: object) -> None:
    thousands_of(value, instance.decimal_point, attribute.name)


def _check_zone(instance: Formats, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.tzinfo):
        raise InvalidData("timezone", f"expected a tzinfo (parse_timezone('UTC')), got {value!r}")


@frozen
class Formats:
    """How an export writes its values: the mapping's ``[formats]`` and its timezone.

    Attributes:
        dates: date formats tried in order (``strptime`` codes, or ``"iso"``).
        datetimes: datetime formats tried in order, before the date formats.
        decimal_point: the decimal separator of numbers and amounts.
        thousands: the thousands separator removed from numbers, or ``""`` for none.
        missing: cell texts (after trimming spaces) that mean "no value"; ``""`` always does.
        true: the default words meaning yes, for yes/no columns.
        false: the default words meaning no.
        timezone: the zone of times written without one.

    One text stands for a one-item list of them (``missing="NULL"``). Words are kept
    trimmed; a blank yes/no word is refused, a blank missing word dropped (``""`` is
    always a missing value).

    Raises:
        InvalidData: naming the field of a wrong value (``dates[1]``, ``thousands``).
    """

    dates: tuple[str, ...] = field(default=("iso",), converter=_dates)
    datetimes: tuple[str, ...] = field(default=("iso",), converter=_datetimes)
    decimal_point: str = field(default=".", validator=_check_point)
    thousands: str = field(default="", validator=_check_thousands)
    missing: frozenset[str] = field(default=frozenset({""}), converter=_missing_words)
    true: tuple[str, ...] = field(default=(), converter=true_words)
    false: tuple[str, ...] = field(default=(), converter=false_words)
    timezone: dt.tzinfo = field(default=dt.timezone.utc, validator=_check_zone)


def is_missing(value: object, missing: frozenset[str]) -> bool:
    """Whether *value* means "no value": ``None``, a NaN, or a missing word after trimming."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in missing
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN-like values of other libraries (numpy, NaT)
    except (TypeError, ValueError):
        return False


def _error(column: str, kind: Problem, text: str) -> CellError:
    return CellError(column, text, kind)


def _plain_datetime(value: dt.datetime) -> dt.datetime:
    """A ``datetime`` subclass (``pandas.Timestamp``) as a plain ``datetime``."""
    if type(value) is dt.datetime:
        return value
    return dt.datetime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
        tzinfo=value.tzinfo,
        fold=value.fold,
    )


def _date_text(formats: tuple[str, ...]) -> Callable[[str], dt.date | None]:
    def read(text: str) -> dt.date | None:
        for fmt in formats:
            try:
                if fmt == "iso":
                    return dt.date.fromisoformat(text)
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        return None

    return read


def _datetime_text(
    formats: tuple[str, ...], dates: tuple[str, ...], zone: dt.tzinfo
) -> Callable[[str], dt.datetime | None]:
    date_of = _date_text(dates)

    def read(text: str) -> dt.datetime | None:
        for fmt in formats:
            try:
                if fmt == "iso":
                    result = dt.datetime.fromisoformat(text)
                else:
                    result = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            return result if result.tzinfo is not None else result.replace(tzinfo=zone)
        day = date_of(text)
        if day is None:
            return None
        return dt.datetime(day.year, day.month, day.day, tzinfo=zone)

    return read


def _shown(formats: tuple[str, ...]) -> str:
    return ", ".join("ISO 8601" if f == "iso" else repr(f) for f in formats)


def _date_parser(formats: Formats, column: str) -> Parser:
    read = functools.lru_cache(maxsize=_CACHE)(_date_text(formats.dates))
    expected = _shown(formats.dates)

    def parse(value: Any) -> dt.date:
        if isinstance(value, str):
            text = value.strip()
            result = read(text)
            if result is None:
                raise _error(column, Problem.BAD_DATE, f"{text!r} is not a date in {expected}")
            return result
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0) or value.tzinfo is not None:
                raise _error(column, Problem.BAD_DATE, f"{value!r} is a time, not a date")
            return dt.date(value.year, value.month, value.day)
        if isinstance(value, dt.date):
            return value
        raise _error(column, Problem.BAD_DATE, f"expected a date, got {type(value).__name__}")

    return parse


def _datetime_parser(formats: Formats, column: str) -> Parser:
    zone = formats.timezone
    read = functools.lru_cache(maxsize=_CACHE)(
        _datetime_text(formats.datetimes, formats.dates, zone)
    )
    expected = _shown(formats.datetimes + formats.dates)

    def parse(value: Any) -> dt.datetime:
        if isinstance(value, str):
            text = value.strip()
            result = read(text)
            if result is None:
                raise _error(column, Problem.BAD_DATE, f"{text!r} is not a time in {expected}")
            return result
        if isinstance(value, dt.datetime):
            plain = _plain_datetime(value)
            return plain if plain.tzinfo is not None else plain.replace(tzinfo=zone)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=zone)
        raise _error(column, Problem.BAD_DATE, f"expected a time, got {type(value).__name__}")

    return parse


def _number_text(formats: Formats) -> Callable[[str], Decimal]:
    point, thousands = formats.decimal_point, formats.thousands

    def read(text: str) -> Decimal:
        if thousands:
            text = text.replace(thousands, "")
        if point != ".":
            if "." in text:
                raise InvalidData("number", f"{text!r} has '.' but the decimal point is {point!r}")
            text = text.replace(point, ".")
        return to_decimal(text, "number")

    return read


def _decimal_reader(
    formats: Formats, column: str, kind: Problem, quantum: Decimal | None, rounding: str
) -> Callable[[Any], Decimal]:
    read = functools.lru_cache(maxsize=_CACHE)(_number_text(formats))
    hint = 'declare how to round amounts (amount.round = "0.01") to accept floats'
    if kind is not Problem.BAD_AMOUNT:
        hint = 'declare a rounding (round = "0.01") to accept floats'

    def rounded(number: Decimal) -> Decimal:
        if quantum is None:
            return number
        try:
            return number.quantize(quantum, rounding=rounding)
        except InvalidOperation:
            raise _error(column, kind, f"{number} cannot be rounded to {quantum}") from None

    def parse(value: Any) -> Decimal:
        if isinstance(value, str):
            text = value.strip()
            try:
                return rounded(read(text))
            except InvalidData as error:
                raise _error(column, kind, error.problem) from None
        if isinstance(value, bool):
            raise _error(column, kind, f"{value!r} is a yes/no value, not a number")
        if isinstance(value, (int, Decimal, numbers.Integral)):
            try:
                return rounded(to_decimal(value, column))
            except InvalidData as error:
                raise _error(column, kind, error.problem) from None
        if isinstance(value, numbers.Real):
            if quantum is None:
                raise _error(column, kind, f"{value!r} is a float; {hint}")
            if not math.isfinite(float(value)):
                raise _error(column, kind, f"{value!r} is not a finite number")
            return rounded(Decimal(str(value)))
        raise _error(column, kind, f"expected a number, got {type(value).__name__}")

    return parse


def _int_parser(formats: Formats, column: str) -> Parser:
    read = _decimal_reader(formats, column, Problem.BAD_NUMBER, None, ROUND_HALF_EVEN)

    def parse(value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        number = read(value)
        if number != number.to_integral_value():
            raise _error(column, Problem.BAD_NUMBER, f"{value!r} is not a whole number")
        return int(number)

    return parse


def _bool_parser(true: Iterable[str], false: Iterable[str], column: str) -> Parser:
    words = {w.casefold(): True for w in true}
    words.update({w.casefold(): False for w in false})
    listed = ", ".join(repr(w) for w in (*true, *false))

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        kind = type(value)
        if kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"):
            return bool(value)
        text = value.strip() if isinstance(value, str) else str(value)
        found = words.get(text.casefold())
        if found is None:
            raise _error(column, Problem.BAD_VALUE, f"{text!r} is not a yes/no word ({listed})")
        return found

    return parse


def _text_parser(column: str) -> Parser:
    def parse(value: Any) -> str:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return str(int(value))
        raise _error(column, Problem.BAD_VALUE, f"expected text, got {value!r}")

    return parse


def parser(
    kind: ValueType,
    formats: Formats,
    column: str,
    *,
    true: Iterable[str] = (),
    false: Iterable[str] = (),
    currency: str | None = None,
    quantum: Decimal | None = None,
    rounding: str = "half_even",
) -> Parser:
    """The parser of one column of type *kind*, raising :class:`CellError` naming *column*.

    Args:
        kind: the value type.
        formats: the export's formats (dates, numbers, timezone, default yes/no words).
        column: the column's name, for the errors.
        true: the words meaning yes (else the formats' defaults).
        false: the words meaning no (else the formats' defaults).
        currency: the currency of a money column.
        quantum: round numbers and amounts to this step (``Decimal("0.01")``); needed to
            accept floats.
        rounding: one of :data:`ROUNDING_MODES`.

    Raises:
        InvalidData: a money column without a currency, a yes/no column without words,
            an unknown rounding.
    """
    mode = ROUNDING_MODES.get(rounding)
    if mode is None:
        raise InvalidData(
            "rounding",
            f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDING_MODES)}",
        )
    if kind is ValueType.DATE:
        return _date_parser(formats, column)
    if kind is ValueType.DATETIME:
        return _datetime_parser(formats, column)
    if kind is ValueType.INT:
        return _int_parser(formats, column)
    if kind is ValueType.DECIMAL:
        return _decimal_reader(formats, column, Problem.BAD_NUMBER, quantum, mode)
    if kind is ValueType.MONEY:
        if currency is None:
            raise InvalidData("currency", f"the money column {column!r} needs a currency")
        code = Money(0, currency).currency
        amount = _decimal_reader(formats, column, Problem.BAD_AMOUNT, quantum, mode)

        def money(value: Any) -> Money:
            return Money(amount(value), code)

        return money
    if kind is ValueType.BOOL:
        yes, no = tuple(true) or formats.true, tuple(false) or formats.false
        if not yes or not no:
            raise InvalidData("true", f"the yes/no column {column!r} needs true and false words")
        return _bool_parser(yes, no, column)
    return _text_parser(column)


def amount_parser(
    formats: Formats, column: str, quantum: Decimal | None, rounding: str
) -> Callable[[Any], Decimal]:
    """The reader of a deal's amount as a ``Decimal`` (the currency may be in another column)."""
    return _decimal_reader(formats, column, Problem.BAD_AMOUNT, quantum, ROUNDING_MODES[rounding])


def segment_parser(values: dict[str, Segment], column: str) -> Parser:
    """The reader of a segment column: the declared values, else the segment's own names."""
    own = {s.value: s for s in Segment}

    def parse(value: Any) -> Segment:
        text = value.strip() if isinstance(value, str) else str(value)
        found = values.get(text) if values else own.get(text.casefold())
        if found is None:
            known = ", ".join(repr(v) for v in (values or own))
            raise _error(column, Problem.BAD_VALUE, f"{text!r} is not a declared segment ({known})")
        return found

    return parse
