"""Money: an exact ``Decimal`` amount with its ISO 4217 currency.

Amounts are never floats: a float carries binary rounding error into every sum of
a forecast. Money of two currencies never adds up silently; it raises
:class:`~bigaccount.errors.CurrencyMismatch`.

>>> from bigaccount import Money
>>> Money("1200000", "CNY") + Money("300000.50", "CNY")
Money(amount=Decimal('1500000.50'), currency='CNY')
>>> Money("100", "CNY").scaled(0.3)
Money(amount=Decimal('30.0'), currency='CNY')
"""

from __future__ import annotations

import re
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Any

from attrs import field, frozen

from .errors import CurrencyMismatch, InvalidData

__all__ = ["Money", "to_decimal", "total"]

_CURRENCY = re.compile(r"[A-Z]{3}\Z")

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Overflow])
"""Arithmetic that never rounds: a sum, difference or product of amounts is exact, or fails."""


def to_decimal(value: object, name: str = "amount") -> Decimal:
    """Turn an exact number (``Decimal``, ``int`` or a numeric string) into a ``Decimal``.

    Floats are refused: ``0.1`` has no exact binary value, and money must not drift.
    Raises :class:`~bigaccount.errors.InvalidData` naming *name*.
    """
    if isinstance(value, (bool, float)):
        raise InvalidData(name, f"use a Decimal, an int or a string, not {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip().replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise InvalidData(name, f"{value!r} is not a number") from None
    else:
        raise InvalidData(name, f"expected a Decimal, int or str, got {type(value).__name__}")
    if not result.is_finite():
        raise InvalidData(name, f"{value!r} is not a finite number")
    return result


def _currency(value: object) -> str:
    if not isinstance(value, str) or not _CURRENCY.match(value.strip().upper()):
        raise InvalidData("currency", f"{value!r} is not an ISO 4217 code such as 'CNY'")
    return value.strip().upper()


def _factor(value: object) -> Decimal:
    """A multiplier; floats (probabilities) are taken by their shortest repr, exactly."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidData("factor", f"{value!r} is not a finite number")
        return Decimal(repr(value))
    return to_decimal(value, "factor")


@frozen(order=False)
class Money:
    """An amount of one currency.

    Args:
        amount: a ``Decimal``, ``int`` or numeric string (floats are refused).
        currency: an ISO 4217 code, e.g. ``"CNY"``, ``"USD"``.
    """

    amount: Decimal = field(converter=to_decimal)
    currency: str = field(converter=_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money of *currency* — the start of a sum."""
        return cls(Decimal(0), currency)

    def _same(self, other: Money, operation: str) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(self.currency, other.currency, operation)

    def __add__(self, other: Any) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "add")
        return Money(_EXACT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Any) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other, "subtract")
        return Money(_EXACT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

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
        so weighting by a stage probability adds no binary noise.
        """
        return Money(_EXACT.multiply(self.amount, _factor(factor)), self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,} {self.currency}"


def total(amounts: list[Money] | tuple[Money, ...], currency: str) -> Money:
    """Sum *amounts*, all in *currency* (an empty sum is zero of that currency)."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
