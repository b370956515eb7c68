"""Money: an exact ``Decimal`` amount with its ISO 4217 currency.

The rules, so that nothing is lost and nothing wrong is let in:

* **Currencies** are the active codes of ISO 4217 list one of 2026-01-01 (shipped in
  ``bigaccount/data/iso4217.csv``, read once, on first use). A code is three ASCII
  letters, in any case (``"cny"`` is ``"CNY"``); a code not on the list is refused.
* **Amounts** are a ``Decimal``, a Python or numpy integer, or a string in plain decimal
  syntax: an optional sign, ASCII digits, and optionally a point and more digits
  (``"-1200000.50"``). Thousands separators, underscores, exponents, spaces (around or
  inside), full-width and other non-ASCII digits, ``NaN`` and ``Infinity`` are refused with
  :class:`~bigaccount.errors.InvalidData` saying why: a loader that guesses turns
  ``"1,234"`` (a decimal comma?) into a different number. Floats are refused: ``0.1`` has
  no exact binary value. Whether to pass ``Decimal(str(x))`` or to round a float first is
  the caller's choice.
* **Bounds.** At most :data:`MAX_INTEGER_DIGITS` (18) digits before the point and
  :data:`MAX_PLACES` (12) after it, as written (``Decimal("1.50")`` has two places). This
  holds for every way an amount is made, construction and arithmetic alike: a sum beyond
  the bound raises instead of silently growing (an unbounded ``Decimal`` such as
  ``1e999999999`` would make one addition take seconds and gigabytes). 10^18 is far above
  any deal in any currency; 12 places are more than any minor unit (at most 4) needs.
  Sum with :func:`total` or Money's operators: plain ``Decimal`` arithmetic in Python's
  default 28-digit context can round an amount of 30 digits.
* **Negative amounts** are values like any other: differences, discounts, credit notes.
  Places that mean a price or a deal's value must refuse them themselves
  (``money.amount < 0``).
* **Arithmetic** is exact: ``+``, ``-`` and :meth:`Money.scaled` never round. Rounding
  happens only when asked, with :meth:`Money.rounded`, to the currency's minor unit
  (JPY 0 places, CNY 2, KWD 3), half to even unless told otherwise.
* Money of two currencies never adds up silently; it raises
  :class:`~bigaccount.errors.CurrencyMismatch`.

>>> from bigaccount import Money
>>> Money("1200000", "CNY") + Money("300000.50", "CNY")
Money(amount=Decimal('1500000.50'), currency='CNY')
>>> Money("100", "CNY").scaled(0.3)
Money(amount=Decimal('30.0'), currency='CNY')
>>> Money("1234.5", "JPY").rounded(), Money("2.0045", "KWD").rounded()
(Money(amount=Decimal('1234'), currency='JPY'), Money(amount=Decimal('2.004'), currency='KWD'))
>>> Money("1,234", "CNY")
Traceback (most recent call last):
...
bigaccount.errors.InvalidData: amount: '1,234' has a thousands separator; write plain digits ...
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Mapping
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_05UP,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
)
from numbers import Integral, Real
from typing import Any, SupportsIndex, cast

from attrs import field, frozen

from ._validate import Rule, optional_whole, trusted
from ._validate import text as _text
from .errors import CurrencyMismatch, InvalidData

__all__ = [
    "MAX_FACTOR_PLACES",
    "MAX_INTEGER_DIGITS",
    "MAX_PLACES",
    "Currency",
    "Money",
    "currency_info",
    "iso_currencies",
    "to_decimal",
    "total",
]

MAX_INTEGER_DIGITS = 18
"""An amount has at most this many digits before the decimal point: ``|amount| < 10**18``."""

MAX_PLACES = 12
"""An amount has at most this many digits after the decimal point."""

MAX_FACTOR_PLACES = 24
"""A factor of :meth:`Money.scaled` has at most this many digits after the point."""

_LIMIT = 10**MAX_INTEGER_DIGITS
_SHORT = min(MAX_INTEGER_DIGITS, MAX_PLACES + 1)
"""A plain decimal string this short cannot break the bounds: no need to count digits."""

_ONE = Decimal(1)
_FINEST = _ONE.scaleb(-MAX_PLACES)
_PLAIN = re.compile(r"[+-]?([0-9]+)(?:\.([0-9]+))?\Z", re.ASCII)
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+\Z", re.ASCII)

_ADD = Context(
    prec=MAX_INTEGER_DIGITS + MAX_PLACES + 2,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[Inexact, Overflow, InvalidOperation],
)
"""Sums and differences of two amounts: wide enough that they are always exact."""

_EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Overflow, InvalidOperation]
)
"""Arithmetic that never rounds: a product or a long sum is exact, or fails."""

_ROUNDERS = {
    mode: Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=mode)
    for mode in (
        ROUND_05UP,
        ROUND_CEILING,
        ROUND_DOWN,
        ROUND_FLOOR,
        ROUND_HALF_DOWN,
        ROUND_HALF_EVEN,
        ROUND_HALF_UP,
        ROUND_UP,
    )
}
"""A context per rounding mode of the ``decimal`` module, for :meth:`Money.rounded`."""


# -- the currencies ----------------------------------------------------------------------


def _code(value: object, field: str) -> None:
    if not (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isalpha()
        and value.isupper()
    ):
        raise InvalidData(field, f"expected three capital letters such as 'CNY', got {value!r}")


def _number(value: object, field: str) -> None:
    if not (isinstance(value, str) and _DIGITS.match(value)):
        raise InvalidData(field, f"expected three ASCII digits such as '156', got {value!r}")


def _minor_unit(value: object) -> int | None:
    places = optional_whole(value, "minor_unit")
    if places is not None and places > MAX_PLACES:
        raise InvalidData("minor_unit", f"expected 0 to {MAX_PLACES} places or None, got {value!r}")
    return places


_DIGITS = re.compile(r"[0-9]{3}\Z", re.ASCII)


@frozen
class Currency:
    """One active currency of ISO 4217 list one.

    The entries of the list are made by :func:`iso_currencies`; one made by hand is
    checked for its form only (three capital letters, three digits), not against the list.

    Attributes:
        code: the alphabetic code, e.g. ``"CNY"``.
        number: the numeric code, three digits, e.g. ``"156"``.
        minor_unit: digits after the point in ordinary use (JPY 0, CNY 2, KWD 3, CLF 4),
            at most :data:`MAX_PLACES`; ``None`` where the list says N.A. (gold, silver,
            the SDR).
        name: the list's English name.

    Raises:
        InvalidData: a field of the wrong form, naming it.

    >>> currency_info("kwd")
    Currency(code='KWD', number='414', minor_unit=3, name='Kuwaiti Dinar')
    """

    code: str = field(validator=Rule(_code))
    number: str = field(validator=Rule(_number))
    minor_unit: int | None = field(converter=_minor_unit)
    name: str = field(validator=Rule(_text))


@functools.cache
def iso_currencies() -> Mapping[str, Currency]:
    """The active ISO 4217 currencies by code, read once from the shipped list.

    The list is ``bigaccount/data/iso4217.csv``; its header says its source (the list one
    published by SIX, the maintenance agency), its date and which funds and precious
    metal codes it holds. It is read the first time money is made, not at import.

    >>> iso_currencies()["JPY"].minor_unit
    0
    """
    import csv
    from importlib.resources import files
    from types import MappingProxyType

    text = (files("bigaccount") / "data" / "iso4217.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    table = {
        row["code"]: trusted(
            Currency,
            row["code"],
            row["number"],
            int(row["minor_unit"]) if row["minor_unit"] else None,
            row["name"],
        )
        for row in rows
    }
    return MappingProxyType(table)


def _currency(value: object) -> str:
    if type(value) is str and value in iso_currencies():
        return value
    if isinstance(value, str) and len(value) == 3 and value.isascii() and value.isalpha():
        code = value.upper()
        if code in iso_currencies():
            return code
        raise InvalidData(
            "currency", f"{value!r} is not an active ISO 4217 currency code (e.g. 'CNY', 'USD')"
        )
    raise InvalidData(
        "currency", f"expected a three-letter ISO 4217 code such as 'CNY', got {value!r}"
    )


def currency_info(code: object) -> Currency:
    """The ISO 4217 entry of *code* (any case).

    Raises:
        InvalidData: *code* is not an active ISO 4217 code (field ``currency``).
    """
    return iso_currencies()[_currency(code)]


# -- amounts -----------------------------------------------------------------------------


def _why_not_plain(text: str) -> str:
    """Why *text* is not in plain decimal syntax, for the error message."""
    stripped = text.strip()
    lowered = stripped.lower().lstrip("+-")
    if not text:
        problem = "is empty"
    elif lowered in ("nan", "snan", "inf", "infinity"):
        problem = "is not a finite number"
    elif stripped != text:
        problem = "has spaces around it"
    elif any(ch.isspace() for ch in text):
        problem = "has spaces inside it"
    elif "," in text or "\u066c" in text or "\uff0c" in text:
        problem = "has a thousands separator"
    elif "_" in text:
        problem = "has an underscore"
    elif any(ch.isdigit() and not ch.isascii() for ch in text):
        problem = "has digits other than ASCII 0-9 (full-width or another script)"
    elif _EXPONENT.match(text):
        problem = "has an exponent"
    else:
        problem = "is not a plain decimal number (a sign, digits, optionally . and digits)"
    return f"{text!r} {problem}; write plain digits such as '1234.50'"


def _exponent(value: Decimal) -> int:
    """The exponent of a finite ``Decimal`` (``Decimal("1.50")`` has ``-2``)."""
    return cast("int", value.as_tuple().exponent)


def _bounded(value: Decimal, shown: object, name: str) -> Decimal:
    """*value* if it is finite and within the bounds, else ``InvalidData`` naming *name*.

    A positive exponent is written out (``1E+3`` → ``1000``) and ``-0`` becomes ``0``.
    """
    if not value.is_finite():
        raise InvalidData(name, f"{shown!r} is not a finite number")
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise InvalidData(
            name, f"{shown!r} has more than {MAX_INTEGER_DIGITS} digits before the point"
        )
    exponent = _exponent(value)
    if exponent < -MAX_PLACES:
        raise InvalidData(name, f"{shown!r} has more than {MAX_PLACES} digits after the point")
    if exponent > 0:
        value = value.quantize(_ONE, context=_EXACT)
    if not value and value.is_signed():
        value = value.copy_abs()
    return value


def to_decimal(value: object, name: str = "amount") -> Decimal:
    """Turn an exact number into a bounded ``Decimal``, following the module's rules.

    Accepted: a finite ``Decimal``, an integer (``int`` or any ``numbers.Integral`` such as
    ``numpy.int64``; not ``bool``) or a string in plain decimal syntax, each with at most
    :data:`MAX_INTEGER_DIGITS` digits before the point and :data:`MAX_PLACES` after it.
    A positive exponent is written out (``Decimal("1E+3")`` becomes ``Decimal("1000")``)
    and ``-0`` becomes ``0``; the value is never changed.

    Raises:
        InvalidData: anything else, naming *name* and saying why; a *name* that is not
            non-empty text (field ``name``).

    >>> to_decimal("-0.50"), to_decimal(12)
    (Decimal('-0.50'), Decimal('12'))
    >>> to_decimal("１２３")
    Traceback (most recent call last):
    ...
    bigaccount.errors.InvalidData: amount: '１２３' has digits other than ASCII 0-9 (full-width ...
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidData("name", f"expected the non-empty name of the value, got {name!r}")
    if isinstance(value, str):
        if _PLAIN.match(value) is None:
            raise InvalidData(name, _why_not_plain(value))
        if len(value) > _SHORT:
            _count_digits(value, name)
        result = Decimal(value)
        return result if result else result.copy_abs()
    if type(value) is int:
        return _integer(value, value, name)
    if isinstance(value, Decimal):
        return _bounded(value, value, name)
    if isinstance(value, bool):
        raise InvalidData(name, f"{value!r} is a bool, not an amount")
    if isinstance(value, float):
        raise InvalidData(
            name,
            f"{value!r} is a float, which has no exact decimal value; pass Decimal(str(x))"
            " or round it to the places you mean first",
        )
    if isinstance(value, Integral):
        return _integer(operator.index(value), value, name)
    if isinstance(value, Real):
        raise InvalidData(
            name,
            f"{value!r} is a {type(value).__name__}, not an exact decimal; convert it"
            " yourself (e.g. Decimal(str(x))) with the rounding you mean",
        )
    raise InvalidData(
        name, f"expected a Decimal, an integer or a decimal string, got {type(value).__name__}"
    )


def _count_digits(text: str, name: str) -> None:
    """Refuse a plain decimal string with too many digits before or after the point."""
    whole, _, part = text.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise InvalidData(
            name, f"{text!r} has more than {MAX_INTEGER_DIGITS} digits before the point"
        )
    if len(part) > MAX_PLACES:
        raise InvalidData(name, f"{text!r} has more than {MAX_PLACES} digits after the point")


def _integer(number: int, shown: object, name: str) -> Decimal:
    if not -_LIMIT < number < _LIMIT:
        raise InvalidData(
            name, f"{shown!r} has more than {MAX_INTEGER_DIGITS} digits before the point"
        )
    return Decimal(number)


def _factor(value: object) -> Decimal:
    """A multiplier; a float (a probability) is taken by its shortest repr, exactly."""
    if isinstance(value, float):
        result = Decimal(float.__repr__(value))  # numpy's float64 has a repr of its own
    elif isinstance(value, str):
        match = _PLAIN.match(value)
        if match is None:
            raise InvalidData("factor", _why_not_plain(value))
        part = match.group(2)
        if part is not None and len(part) > MAX_FACTOR_PLACES:
            raise InvalidData(
                "factor", f"{value!r} has more than {MAX_FACTOR_PLACES} digits after the point"
            )
        result = Decimal(value)
    elif isinstance(value, Decimal):
        result = value
    else:
        return to_decimal(value, "factor")
    if not result.is_finite():
        raise InvalidData("factor", f"{value!r} is not a finite number")
    if result and result.adjusted() >= MAX_INTEGER_DIGITS:
        raise InvalidData(
            "factor", f"{value!r} has more than {MAX_INTEGER_DIGITS} digits before the point"
        )
    if _exponent(result) < -MAX_FACTOR_PLACES:
        raise InvalidData(
            "factor", f"{value!r} has more than {MAX_FACTOR_PLACES} digits after the point"
        )
    return result


def _rounder(value: object) -> Context:
    context = _ROUNDERS.get(value) if isinstance(value, str) else None
    if context is None:
        known = ", ".join(sorted(_ROUNDERS))
        raise InvalidData("rounding", f"expected a rounding mode ({known}), got {value!r}")
    return context


# -- money -------------------------------------------------------------------------------


@frozen(order=False, init=False)
class Money:
    """An amount of one currency.

    Args:
        amount: a ``Decimal``, an integer or a plain decimal string (floats are refused),
            within :data:`MAX_INTEGER_DIGITS` and :data:`MAX_PLACES`; it may be negative.
        currency: an active ISO 4217 code, e.g. ``"CNY"``, ``"USD"`` (any case).

    Raises:
        InvalidData: a bad amount (field ``amount``) or currency (field ``currency``).
    """

    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | str | SupportsIndex, currency: str) -> None:
        # Written out rather than generated with converters: Money is made on hot paths.
        _set_amount(self, to_decimal(amount))
        _set_currency(self, _currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money of *currency* — the start of a sum."""
        return cls(Decimal(0), currency)

    @property
    def minor_unit(self) -> int | None:
        """Digits after the point in the currency's ordinary use (``None``: it has none)."""
        return iso_currencies()[self.currency].minor_unit

    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(self.currency, other.currency, operation)

    def __add__(self, other: Any) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return _result(_ADD.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Any) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return _result(_ADD.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return _result(self.amount.copy_negate(), self.currency)

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "compare")
        return self.amount >= other.amount

    def scaled(self, factor: Decimal | int | float | str) -> Money:
        """Multiply by *factor* (e.g. a win probability), exactly.

        A float factor is read by its shortest decimal form (``0.3`` is ``Decimal('0.3')``),
        so weighting by a stage probability adds no binary noise. The factor has at most
        :data:`MAX_INTEGER_DIGITS` digits before the point and :data:`MAX_FACTOR_PLACES`
        after it. Trailing zeros of the product beyond :data:`MAX_PLACES` places are
        dropped (the value stays the same); a product that needs more places, or more
        integer digits, than an amount may have raises rather than being rounded.

        Raises:
            InvalidData: a bad factor, or a product out of bounds (field ``factor``).

        >>> Money("1200000.50", "CNY").scaled("0.25")
        Money(amount=Decimal('300000.1250'), currency='CNY')
        >>> Money("0.01", "CNY").scaled("0.0000000000001")
        Traceback (most recent call last):
        ...
        bigaccount.errors.InvalidData: factor: 0.01 × '0.0000000000001' needs more than 12 ...
        """
        product = _EXACT.multiply(self.amount, _factor(factor))
        if product and product.adjusted() >= MAX_INTEGER_DIGITS:
            raise InvalidData(
                "factor",
                f"{self.amount} × {factor!r} has more than {MAX_INTEGER_DIGITS} digits before"
                " the point",
            )
        exponent = _exponent(product)
        if exponent > 0:
            product = product.quantize(_ONE, context=_EXACT)
        elif exponent < -MAX_PLACES:
            try:
                product = product.quantize(_FINEST, context=_EXACT)
            except Inexact:
                raise InvalidData(
                    "factor",
                    f"{self.amount} × {factor!r} needs more than {MAX_PLACES} digits after the"
                    " point; round the factor first",
                ) from None
        return _result(product, self.currency)

    def rounded(self, rounding: str = ROUND_HALF_EVEN) -> Money:
        """This money rounded to its currency's minor unit (JPY 0 places, CNY 2, KWD 3).

        *rounding* is one of the ``decimal`` module's modes; the default, ``ROUND_HALF_EVEN``
        (banker's rounding: a half goes to the even digit, ``0.125`` → ``0.12``), has no
        upward bias over many amounts. Pass ``decimal.ROUND_HALF_UP`` where a tax office
        or contract says "half up". The result always has exactly the minor unit's places.

        Raises:
            InvalidData: the currency has no minor unit (``XAU``…; field ``currency``), an
                unknown rounding mode (``rounding``), or rounding up past the bound
                (``amount``).

        >>> str(Money("0.125", "USD").rounded()), str(Money("0.135", "USD").rounded())
        ('0.12 USD', '0.14 USD')
        """
        context = _rounder(rounding)
        places = self.minor_unit
        if places is None:
            raise InvalidData("currency", f"{self.currency} has no minor unit to round to")
        return _result(self.amount.quantize(_ONE.scaleb(-places), context=context), self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,f} {self.currency}"


_new = object.__new__
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def _result(amount: Decimal, currency: str) -> Money:
    """Money from arithmetic on valid money, where only the magnitude can break the bounds.

    It skips the converters (the currency is known valid, and no operation here adds
    places beyond the bound), which keeps ``a + b`` on hot paths cheap.
    """
    if amount.adjusted() >= MAX_INTEGER_DIGITS:
        raise InvalidData(
            "amount",
            f"the result {amount:f} {currency} has more than {MAX_INTEGER_DIGITS} digits"
            " before the point",
        )
    if not amount and amount.is_signed():
        amount = amount.copy_abs()
    result: Money = _new(Money)
    _set_amount(result, amount)
    _set_currency(result, currency)
    return result


def total(amounts: Iterable[Money], currency: str) -> Money:
    """Sum *amounts*, all in *currency* (an empty sum is zero of that currency).

    The sum is exact; only the final total must lie within the bounds, so partial sums
    may pass them on the way (``+9e17 + 9e17 − 9e17`` is fine).

    Raises:
        InvalidData: *amounts* is not a sequence of Money (field ``amounts[i]`` for an
            item), a bad *currency*, or a total out of bounds (field ``amount``).
        CurrencyMismatch: an amount is in another currency.

    >>> str(total([Money("1.10", "CNY"), Money("2", "CNY")], "CNY"))
    '3.10 CNY'
    """
    code = _currency(currency)
    if isinstance(amounts, (str, bytes, Money, Mapping)) or not isinstance(amounts, Iterable):
        raise InvalidData("amounts", f"expected a sequence of Money, got {amounts!r}")
    result = Decimal(0)
    add = _EXACT.add
    for index, item in enumerate(amounts):
        if not isinstance(item, Money):
            raise InvalidData(f"amounts[{index}]", f"expected Money, got {item!r}")
        if item.currency != code:
            raise CurrencyMismatch(code, item.currency, "add")
        result = add(result, item.amount)
    return _result(result, code)
