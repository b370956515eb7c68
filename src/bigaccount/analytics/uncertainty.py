"""The distribution of won revenue: exact mean and variance, and quantiles with a stated error.

Deal *i* is won (``Xᵢ = 1``) with probability ``pᵢ``, independently of the others; the
won revenue is ``S = Σ aᵢ·Xᵢ``. Exactly (``Decimal``):

* ``mean = Σ aᵢ·pᵢ`` and ``variance = Σ aᵢ²·pᵢ·(1 − pᵢ)``.

**Quantiles** (P10, P50, P90 by default; ``Q(q) = min{x : P(S ≤ x) ≥ q}``) come from
the exact distribution of ``S`` on a grid, by dynamic programming: each amount is
rounded to the nearest multiple ``h·kᵢ`` of a grid step ``h``, and the distribution of
``S' = Σ h·kᵢ·Xᵢ`` is built deal by deal (``P'ᵢ(x) = (1 − pᵢ)·P'ᵢ₋₁(x) + pᵢ·P'ᵢ₋₁(x − h·kᵢ)``).
Deals with ``p = 1`` add a constant, ``p = 0`` nothing.

* When the amounts' greatest common divisor ``g`` makes ``Σ aᵢ / g`` small enough
  (``max_cells``), ``h = g``: no rounding, the quantiles are exact.
* Otherwise ``h`` is chosen so that a window of ``±(z·σ + max aᵢ)`` around the running
  mean fits in ``max_cells`` cells (``z = 12``, doubled until the probability pushed out
  of the window, ``lost``, is at most 10⁻¹²).

**The error is bounded.** With rounding errors ``eᵢ = aᵢ − h·kᵢ`` (``|eᵢ| ≤ h/2``):

1. surely ``|S − S'| ≤ δ = Σ|eᵢ| ≤ n·h/2``, so ``Q(q) ∈ [Q'(q) − δ, Q'(q) + δ]``;
2. ``S − S' = Σ eᵢ·Xᵢ`` has mean ``m = Σ eᵢ·pᵢ`` and, by Hoeffding's inequality,
   exceeds it by ``t = sqrt(Σ eᵢ² · ln(1/η) / 2)`` with probability at most
   ``η = 10⁻⁹``, so ``Q(q) ∈ [Q'(q − η − lost) + m − t, Q'(q + η + lost) + m + t]``.

Each :class:`Quantile` reports the point estimate ``Q'(q) + m`` and the intersection of
both brackets, ``low ≤ Q(q) ≤ high``; the second is far tighter for many deals
(``t`` grows like ``√n·h``, ``δ`` like ``n·h``).

>>> from bigaccount.analytics.uncertainty import won_revenue_columns
>>> result = won_revenue_columns([100, 200, 300], ["0.5", "0.5", "0.5"], currency="CNY")
>>> str(result.mean.amount), str(result.variance)
('300', '35000')
>>> [(str(q.q), str(q.value.amount)) for q in result.quantiles]
[('0.1', '0'), ('0.5', '300'), ('0.9', '600')]
>>> result.exact
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..errors import InvalidData
from ..money import Money
from . import _columns as col
from .periods import Horizon, Period, bins

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal
    from .fx import FxTable

__all__ = [
    "PeriodDistribution",
    "Quantile",
    "RevenueByPeriod",
    "RevenueDistribution",
    "won_revenue",
    "won_revenue_by_period",
    "won_revenue_columns",
]

ETA = 1e-9
"""The probability allowed outside Hoeffding's bracket."""
LOST_TOLERANCE = 1e-12
"""The most probability the grid's window may push out before it is widened."""
_BP = col.BASIS_POINTS


@frozen
class Quantile:
    """One quantile of the won revenue: the estimate and a bracket that surely holds it.

    Attributes:
        q: the level, e.g. ``Decimal("0.9")`` for P90.
        value: the estimate ``Q'(q) + m`` (rounded half-even to the amounts' resolution).
        low: the lower end of the bracket (rounded down).
        high: the upper end (rounded up).
    """

    q: Decimal
    value: Money
    low: Money
    high: Money

    @property
    def error(self) -> Decimal:
        """The widest distance from the estimate to an end of the bracket."""
        return max(self.value.amount - self.low.amount, self.high.amount - self.value.amount)


@frozen
class RevenueDistribution:
    """The distribution of won revenue of independent deals.

    Attributes:
        currency: the currency.
        deals: how many deals.
        mean: ``Σ a·p``, exact.
        variance: ``Σ a²·p·(1 − p)``, exact (in the currency squared).
        quantiles: the quantiles asked for.
        step: the grid step ``h``.
        error_bound: ``δ = Σ|eᵢ|``, the sure bound on the grid's effect (0 when exact).
        lost: the probability pushed out of the grid's window (0 without a window).
    """

    currency: str
    deals: int
    mean: Money
    variance: Decimal
    quantiles: tuple[Quantile, ...]
    step: Money
    error_bound: Money
    lost: float

    @property
    def sd(self) -> float:
        """The standard deviation, ``sqrt(variance)``."""
        return math.sqrt(self.variance)

    @property
    def exact(self) -> bool:
        """Whether the quantiles are exact (no rounding to the grid, nothing lost)."""
        return self.error_bound.amount == 0 and self.lost == 0

    def quantile(self, q: Decimal | float | str) -> Quantile:
        """The computed quantile at level *q*."""
        level = col.tidy(col.scaled(col.points(q, "q"), 4))
        for item in self.quantiles:
            if item.q == level:
                return item
        raise InvalidData("q", f"{q!r} was not computed; ask for it in quantiles=")


def _units(amounts: Sequence[Any], minor_unit: int) -> tuple[list[int], int]:
    """Amounts as integers of a common unit ``10^-places``; returns them and *places*."""
    if col.amounts_are_int(amounts, minor_unit):
        return list(amounts), minor_unit
    col.decimal_sum(amounts)
    places = max((-int(a.as_tuple().exponent) for a in amounts), default=0)
    places = max(places, 0)
    with localcontext(col.EXACT):
        return [int(a.scaleb(places)) for a in amounts], places


def _dp(
    ks: Sequence[int], ps: Sequence[float], size: int, half: float | None
) -> tuple[Any, int, float]:
    """The grid distribution: cell masses, the first cell's index, and the lost mass."""
    if _numpy() is not None:
        return _dp_numpy(ks, ps, size, half)
    return _dp_plain(ks, ps, size, half)


def _numpy() -> Any:
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is an optional speed-up
        return None
    return numpy


def _dp_plain(
    ks: Sequence[int], ps: Sequence[float], size: int, half: float | None
) -> tuple[list[float], int, float]:
    dist = [0.0] * size
    dist[0] = 1.0
    lo, mean, lost = 0, 0.0, 0.0
    for k, p in zip(ks, ps, strict=True):
        q = 1.0 - p
        if k >= size:
            lost += math.fsum(dist) * p
            dist = [x * q for x in dist]
        else:
            lost += math.fsum(dist[size - k :]) * p
            dist = [x * q for x in dist[:k]] + [
                x * q + y * p for x, y in zip(dist[k:], dist[: size - k], strict=True)
            ]
        if half is not None:
            mean += k * p
            shift = max(lo, math.floor(mean - half)) - lo
            if shift > 0:
                lost += math.fsum(dist[:shift])
                dist = dist[shift:] + [0.0] * min(shift, size)
                dist = dist[:size]
                lo += shift
    return dist, lo, lost


def _dp_numpy(
    ks: Sequence[int], ps: Sequence[float], size: int, half: float | None
) -> tuple[Any, int, float]:
    import numpy as np

    dist = np.zeros(size)
    dist[0] = 1.0
    lo, mean, lost = 0, 0.0, 0.0
    for k, p in zip(ks, ps, strict=True):
        q = 1.0 - p
        if k >= size:
            lost += float(dist.sum()) * p
            dist *= q
        else:
            if k:
                lost += float(dist[size - k :].sum()) * p
            moved = dist[: size - k] * p
            dist *= q
            dist[k:] += moved
        if half is not None:
            mean += k * p
            shift = max(lo, math.floor(mean - half)) - lo
            if shift > 0:
                if shift >= size:
                    lost += float(dist.sum())
                    dist[:] = 0.0
                else:
                    lost += float(dist[:shift].sum())
                    dist[:-shift] = dist[shift:].copy()
                    dist[-shift:] = 0.0
                lo += shift
    return dist, lo, lost


def _cdf(dist: Any) -> list[float]:
    if isinstance(dist, list):
        total, out = 0.0, []
        for x in dist:
            total += x
            out.append(total)
        return out
    return list(dist.cumsum().tolist())


def _first_at_least(cdf: Sequence[float], level: float) -> int:
    lo, hi = 0, len(cdf)
    while lo < hi:
        mid = (lo + hi) // 2
        if cdf[mid] >= level:
            hi = mid
        else:
            lo = mid + 1
    return min(lo, len(cdf) - 1)


def _levels(quantiles: Iterable[Any]) -> tuple[tuple[Decimal, float], ...]:
    result = []
    for q in quantiles:
        pts = col.points(q, "quantiles")
        if not 0 < pts < _BP:
            raise InvalidData("quantiles", f"{q!r} is not strictly between 0 and 1")
        result.append((col.tidy(col.scaled(pts, 4)), pts / _BP))
    return tuple(sorted(set(result)))


def _distribution(
    units: Sequence[int],
    pts: Sequence[int],
    places: int,
    currency: str,
    levels: tuple[tuple[Decimal, float], ...],
    max_cells: int,
) -> RevenueDistribution:
    with localcontext(col.EXACT):
        mean_bp = sum(a * p for a, p in zip(units, pts, strict=True))
        var_bp2 = sum(a * a * p * (_BP - p) for a, p in zip(units, pts, strict=True))
    sure = sum(a for a, p in zip(units, pts, strict=True) if p == _BP)
    rand = [(a, p) for a, p in zip(units, pts, strict=True) if 0 < p < _BP]
    if any(a < 0 for a, _ in rand):
        raise InvalidData("amounts", "the won-revenue distribution needs amounts >= 0")
    total = sum(a for a, _ in rand)
    g = 0
    for a, _ in rand:
        g = math.gcd(g, a)
    lost = 0.0
    if not rand or total == 0:
        step, ks, dist, lo, half = 1, [0] * len(rand), [1.0], 0, None
    elif total // g < max_cells:
        step = g
        ks = [a // g for a, _ in rand]
        dist, lo, lost = _dp(ks, [p / _BP for _, p in rand], total // g + 1, None)
    else:
        sigma = math.sqrt(sum(a * a * p * (_BP - p) for a, p in rand)) / _BP
        top = max(a for a, _ in rand)
        z = 12.0
        while True:
            width = 2 * (z * sigma + top)
            step = max(1, math.ceil(width / (max_cells - 2)))
            ks = [(2 * a + step) // (2 * step) for a, _ in rand]
            full = sum(ks) + 1
            size = min(full, max_cells)
            half = None if full <= max_cells else (size - 1) / 2
            dist, lo, lost = _dp(ks, [p / _BP for _, p in rand], size, half)
            if lost <= LOST_TOLERANCE or half is None:
                break
            z *= 2
    errors = [(a - step * k, p) for (a, p), k in zip(rand, ks, strict=True)]
    delta = sum(abs(e) for e, _ in errors)
    shift = Decimal(sum(e * p for e, p in errors)) / _BP  # m, in units
    spread = math.sqrt(sum(e * e for e, _ in errors) * math.log(1 / ETA) / 2)
    cdf = _cdf(dist)
    slack = ETA + lost
    unit = Decimal(1).scaleb(-places)

    def at(index: int) -> int:
        return sure + (lo + index) * step

    quantiles = []
    for level, q in levels:
        base = at(_first_at_least(cdf, q))
        low = max(
            Decimal(base - delta),
            Decimal(at(_first_at_least(cdf, q - slack))) + shift - Decimal(spread),
        )
        high = min(
            Decimal(base + delta),
            Decimal(at(_first_at_least(cdf, q + slack))) + shift + Decimal(spread),
        )
        value = min(max(Decimal(base) + shift, low), high)
        quantiles.append(
            Quantile(
                level,
                col.money(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN), currency, places),
                col.money(low.quantize(Decimal(1), rounding=ROUND_FLOOR), currency, places),
                col.money(high.quantize(Decimal(1), rounding=ROUND_CEILING), currency, places),
            )
        )
    with localcontext(col.EXACT):
        variance = col.tidy(Decimal(var_bp2).scaleb(-2 * places - 8))
    return RevenueDistribution(
        currency,
        len(units),
        col.money(mean_bp, currency, places + 4),
        variance,
        tuple(quantiles),
        Money(col.tidy(unit * step), currency),
        col.money(delta, currency, places),
        lost,
    )


def _prepare(
    amounts: Sequence[Any], probabilities: Sequence[Any], minor_unit: int
) -> tuple[list[int], list[int], int]:
    amounts = col.plain(amounts)
    probabilities = col.plain(probabilities)
    col.check_length("probabilities", probabilities, len(amounts))
    units, places = _units(amounts, minor_unit)
    return units, col.points_column(probabilities), places


def won_revenue_columns(
    amounts: Sequence[Any],
    probabilities: Sequence[Any],
    *,
    currency: str,
    minor_unit: int = 0,
    quantiles: Iterable[Any] = ("0.1", "0.5", "0.9"),
    max_cells: int = 1 << 16,
) -> RevenueDistribution:
    """The distribution of won revenue of deals given as columns (see the module docstring).

    Amounts and probabilities are read as by
    :func:`~bigaccount.analytics.forecast.forecast_columns` (numpy arrays too);
    *max_cells* bounds the grid (time and memory grow with it, the error falls).
    """
    currency = Money(0, currency).currency
    if isinstance(max_cells, bool) or not isinstance(max_cells, int) or max_cells < 16:
        raise InvalidData("max_cells", f"expected a whole number >= 16, got {max_cells!r}")
    units, pts, places = _prepare(amounts, probabilities, minor_unit)
    return _distribution(units, pts, places, currency, _levels(quantiles), max_cells)


@frozen
class PeriodDistribution:
    """The won-revenue distribution of the deals of one period (``None``: a group)."""

    period: Period | None
    distribution: RevenueDistribution


@frozen
class RevenueByPeriod:
    """Won-revenue distributions per period of a horizon, of the other groups, and in total."""

    periods: tuple[PeriodDistribution, ...]
    overdue: RevenueDistribution
    later: RevenueDistribution
    undated: RevenueDistribution
    total: RevenueDistribution


def won_revenue_by_period(
    amounts: Sequence[Any],
    probabilities: Sequence[Any],
    closes: Sequence[Any],
    *,
    horizon: Horizon,
    currency: str,
    minor_unit: int = 0,
    quantiles: Iterable[Any] = ("0.1", "0.5", "0.9"),
    max_cells: int = 1 << 16,
) -> RevenueByPeriod:
    """The won-revenue distribution per period of expected close, and in total.

    Periods are placed as by :func:`~bigaccount.analytics.forecast.forecast_columns`.
    """
    currency = Money(0, currency).currency
    levels = _levels(quantiles)
    units, pts, places = _prepare(amounts, probabilities, minor_unit)
    c = col.plain(closes)
    col.check_length("closes", c, len(units))
    keys = bins(c, horizon)
    groups: list[tuple[list[int], list[int]]] = [([], []) for _ in range(horizon.count + 3)]
    for a, p, b in zip(units, pts, keys, strict=True):
        groups[b][0].append(a)
        groups[b][1].append(p)

    def one(b: int) -> RevenueDistribution:
        return _distribution(groups[b][0], groups[b][1], places, currency, levels, max_cells)

    count = horizon.count
    return RevenueByPeriod(
        tuple(PeriodDistribution(period, one(i + 1)) for i, period in enumerate(horizon.periods)),
        one(0),
        one(count + 1),
        one(count + 2),
        _distribution(units, pts, places, currency, levels, max_cells),
    )


def won_revenue(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    currency: str,
    fx: FxTable | None = None,
    probabilities: Mapping[str, Any] | None = None,
    quantiles: Iterable[Any] = ("0.1", "0.5", "0.9"),
    max_cells: int = 1 << 16,
) -> RevenueDistribution:
    """The won-revenue distribution of the open and won deals started in *cycle*.

    Deals are read as by :func:`~bigaccount.analytics.forecast.forecast`.
    """
    from ._deals import read_deals

    rows = read_deals(deals, cycle, currency=currency, fx=fx, probabilities=probabilities)
    probs = [col.scaled(int(p), 4) for p in rows.points]
    return won_revenue_columns(
        rows.amounts, probs, currency=currency, quantiles=quantiles, max_cells=max_cells
    )
