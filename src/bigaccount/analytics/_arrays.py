"""The numpy path of the column analytics. Private; numpy is imported only by this module.

Amounts are integer minor units (``int64``), probabilities become integer basis points,
so that sums stay exact integers. The checks match the plain path's: a float
probability is on the grid exactly when it equals ``k / 10 000`` rounded to a float
(which is when its shortest repr has at most four decimals).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InvalidData
from . import _columns as col
from .periods import PeriodUnit

if TYPE_CHECKING:
    from .periods import Horizon

_MONTH_OFFSET = 1970 * 12
_LIMIT = 2**63 - 1


def integer_amounts(amounts: Any, field: str = "amounts") -> Any | None:
    """*amounts* as ``int64`` minor units, or ``None`` when they need the plain path.

    ``None`` for an object array (e.g. of ``Decimal``) and for integers so large that
    a sum of their products by 10 000 could leave ``int64`` (``Σ|a| × 10 000 ≥ 0.999 × 2⁶³``).
    """
    array = np.asarray(amounts)
    if array.dtype == object:
        return None
    if array.dtype.kind not in "iu":
        raise InvalidData(
            field, f"a numpy column of amounts holds integer minor units, not {array.dtype}"
        )
    if array.size == 0:
        return array.astype(np.int64)
    top = max(abs(int(array.min())), abs(int(array.max())))
    if top * col.BASIS_POINTS * array.size > _LIMIT:
        spread = float(np.abs(array, dtype=np.float64).sum())  # Σ|a|, within a ppm
        if top > _LIMIT or spread * col.BASIS_POINTS >= 0.999 * 2**63:
            return None
    return array.astype(np.int64, copy=False)


def points_array(probabilities: Any, field: str = "probabilities") -> Any:
    """Float (or 0/1 integer) probabilities as ``int64`` basis points; off-grid values refused."""
    p = np.asarray(probabilities)
    if p.dtype.kind in "iu":
        bad = np.flatnonzero((p != 0) & (p != 1))
        if bad.size:
            raise InvalidData(f"{field}[{bad[0]}]", f"{p[bad[0]]!r} is outside [0, 1]")
        return p.astype(np.int64) * col.BASIS_POINTS
    if p.dtype.kind != "f":
        raise InvalidData(field, f"expected a float array of probabilities, not {p.dtype}")
    grid = np.rint(p * col.BASIS_POINTS)
    ok = (grid / col.BASIS_POINTS == p) & (grid >= 0) & (grid <= col.BASIS_POINTS)
    if not ok.all():
        index = int(np.flatnonzero(~ok)[0])
        col.points(float(p[index]), f"{field}[{index}]")
    return grid.astype(np.int64)


def period_bins(closes: Any, horizon: Horizon, n: int) -> Any:
    """The bin of each close (0 overdue, 1 … count, count + 1 later, count + 2 undated)."""
    c = np.asarray(closes)
    if c.shape != (n,):
        raise InvalidData("closes", f"has shape {c.shape}; the amounts have {n}")
    count = horizon.count
    undated = None
    if c.dtype.kind == "M":
        undated = np.isnat(c)
        codes = c.astype("datetime64[M]").astype(np.int64) + _MONTH_OFFSET
    elif c.dtype.kind in "iu":
        codes = c.astype(np.int64)
    elif c.dtype == object:
        from .forecast import bins

        return np.asarray(bins(c.tolist(), horizon), dtype=np.int64)
    else:
        raise InvalidData("closes", f"expected datetime64 or integer month codes, not {c.dtype}")
    if horizon.unit is PeriodUnit.QUARTER:
        codes = codes // 3
    keys = np.clip(codes - (horizon.first - 1), 0, count + 1)
    if undated is not None and undated.any():
        keys[undated] = count + 2
    return keys


def totals_by_bin_numpy(
    amounts: Any, probabilities: Any, closes: Any, horizon: Horizon, minor_unit: int
) -> tuple[Sequence[int], Sequence[Any], Sequence[Any], int]:
    """Counts, ``Σ a`` and ``Σ a·points`` per bin, and the places of the sums."""
    col.amounts_are_int([], minor_unit)
    a = integer_amounts(amounts)
    n = len(np.asarray(amounts))
    if np.asarray(probabilities).shape != (n,):
        raise InvalidData("probabilities", f"has {len(probabilities)} values; the amounts have {n}")
    if a is None:
        from .forecast import bins, totals_by_bin

        values = np.asarray(amounts).tolist()
        integer = col.amounts_are_int(values, minor_unit)
        p = np.asarray(probabilities).tolist()
        pts = col.points_column(p) if integer else col.decimal_points(p)
        keys = bins(list(col.plain(closes)), horizon)
        counts, sums, weighted = totals_by_bin(values, pts, keys, horizon.count + 3, integer)
        return counts, sums, weighted, minor_unit if integer else 0
    points = points_array(probabilities)
    where = period_bins(closes, horizon, n)
    size = horizon.count + 3
    many = np.bincount(where, minlength=size)
    total = np.zeros(size, dtype=np.int64)
    np.add.at(total, where, a)
    weight = np.zeros(size, dtype=np.int64)
    np.add.at(weight, where, a * points)
    return many.tolist(), total.tolist(), weight.tolist(), minor_unit
