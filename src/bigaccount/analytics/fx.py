"""Exchange rates into one currency, as of a date: the only way analytics combine currencies.

Every analytic sums amounts of one currency. A deal in another currency is converted
only through an explicit :class:`FxTable` (exact ``Decimal`` rates, floats refused), and
without one the analytic raises :class:`~bigaccount.errors.CurrencyMismatch`. The table
lives below the analytics that take it, so that reading deals and forecasting from them
import it in one direction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

from attrs import field, frozen

from ..errors import CurrencyMismatch, InvalidData
from ..money import Money, to_decimal
from . import _columns as col

__all__ = ["FxTable"]


def _rate(value: object, name: str) -> Decimal:
    if isinstance(value, float):
        raise InvalidData(name, f"use a Decimal or a string, not the float {value!r}")
    rate = to_decimal(value, name)
    if rate <= 0:
        raise InvalidData(name, f"{value!r} is not a positive rate")
    return rate


def _rates(value: object) -> dict[str, Decimal]:
    if not isinstance(value, Mapping):
        raise InvalidData("fx.rates", f"expected a mapping of currency to rate, got {value!r}")
    result: dict[str, Decimal] = {}
    for currency, rate in value.items():
        code = Money(0, currency).currency
        result[code] = _rate(rate, f"fx.rates[{code!r}]")
    return result


def _into(value: object) -> str:
    return Money(0, value).currency  # type: ignore[arg-type]


def _as_of(_: Any, __: Any, value: Any) -> None:
    if not isinstance(value, dt.date):
        raise InvalidData("fx.as_of", f"expected the date the rates are of, got {value!r}")


@frozen
class FxTable:
    """Exchange rates into one currency, as of a date: the only way currencies combine.

    ``rates[c]`` is how many units of *into* one unit of ``c`` buys; a conversion is the
    exact product ``amount × rate`` (rates are ``Decimal``, floats refused).

    >>> import datetime as dt
    >>> from bigaccount import Money
    >>> from bigaccount.analytics.fx import FxTable
    >>> fx = FxTable("CNY", {"USD": "7.10"}, dt.date(2026, 3, 31))
    >>> fx.convert(Money("1000", "USD"))
    Money(amount=Decimal('7100.00'), currency='CNY')
    """

    into: str = field(converter=_into)
    rates: Mapping[str, Decimal] = field(converter=_rates)
    as_of: dt.date = field(validator=_as_of)

    def rate(self, currency: str) -> Decimal:
        """Units of *into* per unit of *currency* (1 for *into* itself)."""
        if currency == self.into:
            return Decimal(1)
        try:
            return self.rates[currency]
        except KeyError:
            raise CurrencyMismatch(
                currency, self.into, "convert (no rate in the FX table)"
            ) from None

    def convert(self, amount: Money) -> Money:
        """*amount* in *into*, exactly."""
        with localcontext(col.EXACT):
            return Money(amount.amount * self.rate(amount.currency), self.into)

    def column(self, amounts: Sequence[Decimal], currencies: Sequence[str]) -> list[Decimal]:
        """A column of amounts in several *currencies*, converted into *into*."""
        col.check_length("currencies", currencies, len(amounts))
        table = {c: self.rate(c) for c in set(currencies)}
        with localcontext(col.EXACT):
            return [a * table[c] for a, c in zip(amounts, currencies, strict=True)]
