"""Checked columns: the shared reading of amounts, probabilities and dates given as sequences.

Private. The column path of every analytic reads its inputs here, once per column and
not once per value where that can be avoided: types are checked on the set of types in
the column, probabilities on the set of distinct values.

Two rules hold everywhere:

* **Amounts are exact.** A column of amounts is all ``Decimal`` (in currency units) or
  all ``int`` (minor units: ``minor_unit`` decimal places, 2 for cents). Floats are
  refused, as :class:`~bigaccount.money.Money` refuses them.
* **Probabilities lie on a grid of basis points** (1/10 000). A probability is a
  ``Decimal``, ``float``, ``int`` (0 or 1) or numeric string whose value, read exactly
  (a float by its shortest repr, as ``Money.scaled`` reads it), is a whole number of
  basis points in [0, 10 000]. Then ``amount × probability`` is exact in ``Decimal``
  and in integers alike, so that every path sums to the same figure. A value off the
  grid (``1/3``) is refused; round it first (:func:`on_grid`).
"""

from __future__ import annotations

import sys
from collections.abc import Hashable, Iterable, Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Any

from ..errors import InvalidData
from ..money import Money, to_decimal

__all__ = [
    "BASIS_POINTS",
    "EXACT",
    "amounts_are_int",
    "check_length",
    "decimal_points",
    "decimal_sum",
    "is_array",
    "money",
    "on_grid",
    "plain",
    "points",
    "points_column",
    "refuse_non_finite",
    "scaled",
    "tidy",
]

BASIS_POINTS = 10_000
"""Probabilities are whole numbers of 1/10 000."""

EXACT = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact, Overflow, InvalidOperation]
)
"""Decimal arithmetic that never rounds: sums and products are exact, or fail."""

_GRID = Decimal(1).scaleb(-4)


def is_array(value: object) -> bool:
    """Whether *value* is a numpy array (numpy is not imported for the question)."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.ndarray)


def plain(values: Any) -> Any:
    """A numpy array as a list (``tolist()``); any other sequence as it is."""
    return values.tolist() if is_array(values) else values


def check_length(name: str, column: Sequence[Any], length: int) -> None:
    """Refuse a column whose length differs from the first column's."""
    if len(column) != length:
        raise InvalidData(name, f"has {len(column)} values; the amounts have {length}")


def on_grid(value: Decimal | float | int | str) -> Decimal:
    """*value* rounded half-even to whole basis points, e.g. a model's score ``0.31416``.

    >>> on_grid(0.31416), on_grid("0.12345")
    (Decimal('0.3142'), Decimal('0.1234'))
    """
    exact = _exact(value, "probability")
    return exact.quantize(_GRID, rounding=ROUND_HALF_EVEN)


def _exact(value: object, field: str) -> Decimal:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidData(field, f"{value!r} is not a finite number")
        return Decimal(repr(value))
    return to_decimal(value, field)


def points(value: object, field: str = "probability") -> int:
    """A probability as whole basis points in [0, 10 000]; else ``InvalidData``."""
    if isinstance(value, int) and not isinstance(value, bool) and value not in (0, 1):
        raise InvalidData(field, f"{value!r} is outside [0, 1]")
    exact = _exact(value, field)
    if not Decimal(0) <= exact <= Decimal(1):
        raise InvalidData(field, f"{value!r} is outside [0, 1]")
    scaled_value = exact.scaleb(4)
    if scaled_value != scaled_value.to_integral_value():
        raise InvalidData(
            field,
            f"{value!r} is not a whole number of basis points (1/10 000); round it with on_grid()",
        )
    return int(scaled_value)


def points_column(values: Iterable[object], field: str = "probabilities") -> list[int]:
    """A column of probabilities as basis points, each distinct value checked once."""
    column = values if isinstance(values, (list, tuple)) else list(values)
    kinds = set(map(type, column))
    if bool in kinds:
        raise InvalidData(field, "a probability is a number, not a bool")
    table: dict[Hashable, int] = {}
    for value in set(column):
        table[value] = points(value, field)
    return list(map(table.__getitem__, column))


def decimal_points(values: Iterable[object], field: str = "probabilities") -> list[Decimal]:
    """A column of probabilities as ``Decimal`` basis points (``Decimal(3000)`` for 0.3)."""
    column = values if isinstance(values, (list, tuple)) else list(values)
    kinds = set(map(type, column))
    if bool in kinds:
        raise InvalidData(field, "a probability is a number, not a bool")
    table: dict[Hashable, Decimal] = {}
    for value in set(column):
        table[value] = Decimal(points(value, field))
    return list(map(table.__getitem__, column))


def amounts_are_int(amounts: Sequence[Any], minor_unit: int, field: str = "amounts") -> bool:
    """Check a column of amounts: all ``int`` (minor units) or all ``Decimal``.

    Returns whether they are integers. Whether ``Decimal`` amounts are finite is checked
    on their sum (:func:`decimal_sum`), not one by one.
    """
    if isinstance(minor_unit, bool) or not isinstance(minor_unit, int) or minor_unit < 0:
        raise InvalidData(
            "minor_unit", f"expected a whole number of places >= 0, got {minor_unit!r}"
        )
    kinds = set(map(type, amounts))
    if not kinds or kinds == {int}:
        return True
    if kinds == {Decimal}:
        if minor_unit:
            raise InvalidData(
                "minor_unit", "applies to integer amounts; Decimal amounts are in units"
            )
        return False
    odd = sorted(k.__name__ for k in kinds - {int, Decimal})
    if odd:
        raise InvalidData(field, f"expected Decimal or int amounts, got {', '.join(odd)}")
    raise InvalidData(field, "mixes int (minor units) and Decimal amounts; use one kind")


def refuse_non_finite(amounts: Sequence[Any], field: str = "amounts") -> None:
    """Raise ``InvalidData`` naming the first amount that is not a finite ``Decimal``."""
    for index, amount in enumerate(amounts):
        if isinstance(amount, Decimal) and not amount.is_finite():
            raise InvalidData(f"{field}[{index}]", f"{amount!r} is not a finite number")


def decimal_sum(amounts: Sequence[Decimal], field: str = "amounts") -> Decimal:
    """The exact sum of a column of ``Decimal`` amounts; a NaN or infinity is refused."""
    try:
        with localcontext(EXACT):
            result = sum(amounts, Decimal(0))
    except InvalidOperation:
        result = Decimal("NaN")
    if not result.is_finite():
        refuse_non_finite(amounts, field)
    return result


def scaled(value: int | Decimal, places: int) -> Decimal:
    """``value × 10^-places``, exactly."""
    return Decimal(value).scaleb(-places, EXACT)


def tidy(value: Decimal) -> Decimal:
    """The same number without trailing zeros, never in exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1), context=EXACT)
    return value.normalize(EXACT)


def money(value: int | Decimal, currency: str, places: int = 0) -> Money:
    """``value × 10^-places`` of *currency*, tidied (``1500.0000`` shows as ``1500``)."""
    return Money(tidy(scaled(value, places)), currency)
