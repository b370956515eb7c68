"""The numpy path of the column analytics. Private; numpy is imported only by this module.

Amounts are integer minor units (``int64``), probabilities become integer basis points,
so that sums stay exact integers. The checks match the plain path's: a float
probability is on the grid exactly when it equals ``k / 10 000`` rounded to a float
(which is when its shortest repr has at most four decimals).

The checks are whole-array reductions and in-place passes, not one temporary array per
condition: the grid is one division (in the buffer the conversion used) and one
comparison, both bounds of the basis points one ``max`` of their unsigned view (a
negative number reads as a huge one), the amounts' bounds a ``min`` and a ``max``. Only
a failing column is searched again, once, for its first offender, so that the error
names it as the plain path does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidData
from . import _columns as col
from ._totals import BinTotals, totals_by_bin
from .periods import Period, PeriodUnit, bins

if TYPE_CHECKING:
    from .periods import Horizon

_LIMIT = 2**63 - 1


def integer_amounts(amounts: Any, field: str = "amounts") -> Any | None:
    """*amounts* as ``int64`` minor units, or ``None`` when they need the plain path.

    ``None`` for an object array (e.g. of ``Decimal``) and for integers so large that
    a sum of their products by 10 000 could leave ``int64`` (``Σ|a| × 10 000 > 2⁶³ − 1``;
    ``Σ|a|`` is summed exactly when it fits ``int64``, else estimated within a ppm and
    kept 0.1 % away from the limit).
    """
    array = np.asarray(amounts)
    if array.dtype == object:
        return None
    if array.dtype.kind not in "iu" or array.ndim != 1:
        raise InvalidData(
            field,
            "a numpy column of amounts is one-dimensional and holds integer minor units,"
            f" not {array.ndim}-d {array.dtype}",
        )
    if array.size == 0:
        return array.astype(np.int64)
    low, high = int(array.min()), int(array.max())
    top = max(-low, high)
    if top > _LIMIT:
        return None
    if top * col.BASIS_POINTS * array.size > _LIMIT:
        if low >= 0 and top * array.size <= _LIMIT:
            spread = int(array.sum(dtype=np.int64))  # Σ|a|, exactly
            if spread * col.BASIS_POINTS > _LIMIT:
                return None
        else:
            estimate = float(np.abs(array, dtype=np.float64).sum())  # Σ|a|, within a ppm
            if estimate * col.BASIS_POINTS >= 0.999 * 2**63:
                return None
    return array.astype(np.int64, copy=False)


def _first(bad: Any) -> int:
    return int(np.flatnonzero(bad)[0])


def points_array(probabilities: Any, field: str = "probabilities") -> Any:
    """Float (or 0/1 integer) probabilities as ``int64`` basis points; off-grid values refused."""
    p = np.asarray(probabilities)
    if p.ndim != 1:
        raise InvalidData(field, f"expected a one-dimensional array, got {p.ndim}-d")
    if p.dtype.kind in "iu":
        if p.size and (int(p.min()) < 0 or int(p.max()) > 1):
            index = _first((p != 0) & (p != 1))
            raise InvalidData(f"{field}[{index}]", f"{p[index]!r} is outside [0, 1]")
        return p.astype(np.int64) * col.BASIS_POINTS
    if p.dtype.kind != "f":
        raise InvalidData(field, f"expected a float array of probabilities, not {p.dtype}")
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and ±inf are refused below
        grid = np.multiply(p, col.BASIS_POINTS, dtype=np.float64)
        np.rint(grid, out=grid)
        points = grid.astype(np.int64)
    np.divide(grid, col.BASIS_POINTS, out=grid)  # back to a probability, in the same buffer
    on_grid = bool((grid == p).all())
    # one pass for both bounds: read as unsigned, a negative number is larger than any bound
    inside = not p.size or int(points.view(np.uint64).max()) <= col.BASIS_POINTS
    if not (on_grid and inside):
        index = _first((grid != p) | (points < 0) | (points > col.BASIS_POINTS))
        col.points(float(p[index]), f"{field}[{index}]")
        raise InvalidData(f"{field}[{index}]", f"{p[index]!r} is not on the basis-point grid")
    return points


def period_bins(closes: Any, horizon: Horizon, n: int) -> Any:
    """The bin of each close (0 overdue, 1 … count, count + 1 later, count + 2 undated)."""
    c = np.asarray(closes)
    if c.shape != (n,):
        raise InvalidData("closes", f"has shape {c.shape}; the amounts have {n}")
    count = horizon.count
    if c.dtype.kind == "M":
        # each close against the first days of the periods, in the column's own unit: no
        # conversion of the column to months (numpy's calendar arithmetic is slow)
        starts = [p.start for p in horizon.periods]
        after = horizon.periods[-1]
        starts.append(Period(after.unit, after.code + 1).start)
        days = np.array(starts, dtype="datetime64[D]")
        edges = days.astype(c.dtype)
        if (
            np.datetime_data(c.dtype)[0] in ("Y", "M", "W")
            or not (edges.astype("datetime64[D]") == days).all()
        ):  # a unit coarser than a day, or edges beyond the unit's range: compare days
            c, edges = c.astype("datetime64[D]"), days
        keys = np.searchsorted(edges, c, side="right")
        undated = np.isnat(c)
        if undated.any():
            keys[undated] = count + 2
        return keys
    if c.dtype.kind in "iu":
        codes = c.astype(np.int64, copy=False)
    elif c.dtype == object:
        return np.asarray(bins(c.tolist(), horizon), dtype=np.intp)
    else:
        raise InvalidData("closes", f"expected datetime64 or integer month codes, not {c.dtype}")
    if horizon.unit is PeriodUnit.QUARTER:
        codes = codes // 3
    return np.clip(codes - (horizon.first - 1), 0, count + 1)


def array_totals(a: Any, points: Any, keys: Any, size: int) -> BinTotals:
    """Counts, ``Σ a`` and ``Σ a·points`` per bin of checked ``int64`` columns (``places`` 0)."""
    many = np.bincount(keys, minlength=size)
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, keys, a)
    weight = np.zeros(size, dtype=np.int64)
    np.add.at(weight, keys, a * points)
    return BinTotals(tuple(many.tolist()), tuple(total.tolist()), tuple(weight.tolist()), 0)


def plain_totals(
    amounts: Any, probabilities: Any, keys: Sequence[int], size: int, minor_unit: int
) -> BinTotals:
    """The same sums on the plain path, for arrays of ``Decimal`` or of too large integers."""
    values = np.asarray(amounts).tolist()
    integer = col.amounts_are_int(values, minor_unit)
    p = np.asarray(probabilities).tolist()
    pts = col.points_column(p) if integer else col.decimal_points(p)
    counts, sums, weighted = totals_by_bin(values, pts, keys, size, integer)
    return BinTotals(tuple(counts), tuple(sums), tuple(weighted), minor_unit if integer else 0)


def totals_by_bin_numpy(
    amounts: Any, probabilities: Any, closes: Any, horizon: Horizon, minor_unit: int
) -> BinTotals:
    """Counts, ``Σ a`` and ``Σ a·points`` per period bin, and the places of the sums."""
    col.amounts_are_int([], minor_unit)
    a = integer_amounts(amounts)
    n = len(np.asarray(amounts))
    if np.shape(probabilities) != (n,):
        raise InvalidData(
            "probabilities", f"has shape {np.shape(probabilities)}; the amounts have {n}"
        )
    size = horizon.count + 3
    if a is None:
        keys = period_bins(closes, horizon, n).tolist()
        return plain_totals(amounts, probabilities, keys, size, minor_unit)
    points = points_array(probabilities)
    totals = array_totals(a, points, period_bins(closes, horizon, n), size)
    return BinTotals(totals.counts, totals.sums, totals.weighted, minor_unit)
