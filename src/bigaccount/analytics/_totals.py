"""Exact grouped sums: per bin, the count, ``Σ a`` and ``Σ a·points`` of checked columns. Private.

The forecast groups by period, the categories by forecast category; both sum here, in
``int`` (minor units times basis points) or in ``Decimal`` under a context that never
rounds, so that every path gives the same figures to the last digit. A
:class:`BinTotals` is such a result for one part of the deals; the totals of two parts
add exactly (:meth:`BinTotals.plus`), which is how partitions of a distributed frame
combine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from attrs import frozen

from . import _columns as col

__all__ = ["BinTotals", "totals_by_bin"]


def totals_by_bin(
    amounts: Sequence[Any], pts: Sequence[Any], keys: Sequence[int], size: int, integer: bool
) -> tuple[list[int], list[Any], list[Any]]:
    """Counts, ``Σ a`` and ``Σ a·points`` per bin (the inputs checked already)."""
    zero: Any = 0 if integer else Decimal(0)
    sums = [zero] * size
    weighted = [zero] * size
    try:
        with localcontext(col.EXACT):
            for a, p, b in zip(amounts, pts, keys, strict=True):
                sums[b] += a
                weighted[b] += a * p
    except InvalidOperation:
        col.refuse_non_finite(amounts)
        raise
    if not integer and not all(s.is_finite() for s in sums):
        col.refuse_non_finite(amounts)
    counted = Counter(keys)
    return [counted.get(b, 0) for b in range(size)], sums, weighted


def _units(value: int | Decimal, places: int) -> Decimal:
    return col.scaled(value, places) if places else Decimal(value)


@frozen
class BinTotals:
    """Counts, ``Σ a`` and ``Σ a·points`` per bin of some deals, exact.

    ``sums`` are ``int`` in units of ``10^-places`` (minor units) or ``Decimal`` units
    (``places`` 0); ``weighted`` are the same units times basis points.
    """

    counts: tuple[int, ...]
    sums: tuple[int | Decimal, ...]
    weighted: tuple[int | Decimal, ...]
    places: int

    @classmethod
    def empty(cls, size: int, places: int = 0) -> BinTotals:
        """No deal in any of *size* bins."""
        zeros = (0,) * size
        return cls(zeros, zeros, zeros, places)

    @property
    def _columns(self) -> tuple[tuple[int | Decimal, ...], ...]:
        return (self.sums, self.weighted)

    def plus(self, other: BinTotals) -> BinTotals:
        """The totals of both parts: ``Σ`` over the union of their deals, exactly."""
        if len(other.counts) != len(self.counts):
            raise ValueError("cannot add totals over different bins")
        counts = tuple(a + b for a, b in zip(self.counts, other.counts, strict=True))
        if self.places == other.places:
            places = self.places
            left: tuple[Any, ...] = (self.sums, self.weighted)
            right: tuple[Any, ...] = (other.sums, other.weighted)
        else:
            places = 0
            left = tuple(tuple(_units(v, self.places) for v in c) for c in self._columns)
            right = tuple(tuple(_units(v, other.places) for v in c) for c in other._columns)
        with localcontext(col.EXACT):
            sums = tuple(a + b for a, b in zip(left[0], right[0], strict=True))
            weighted = tuple(a + b for a, b in zip(left[1], right[1], strict=True))
        return BinTotals(counts, sums, weighted, places)
