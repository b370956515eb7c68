"""The stage-weighted, time-phased forecast: Σ amount × probability per period of expected close.

For each deal *i* with amount ``aᵢ``, win probability ``pᵢ`` and expected close ``cᵢ``,
the forecast of a period *t* is

* ``deals(t) = #{i : cᵢ ∈ t}``, ``amount(t) = Σ_{cᵢ ∈ t} aᵢ`` (the unweighted pipeline), and
* ``weighted(t) = Σ_{cᵢ ∈ t} aᵢ · pᵢ`` (the stage-weighted forecast, source 001's
  滚动销售预测 and source 004's KA formula).

A won deal has ``p = 1`` and counts in full, a lost or stalled one ``p = 0``; a won or
lost deal is placed in the period it closed. Deals whose close falls before the horizon
are *overdue*, after it *later*, and without a date *undated*: nothing is dropped, and
``total`` adds all four groups. Sums are exact (``Decimal``; probabilities lie on the
basis-point grid, see :func:`bigaccount.analytics._columns.on_grid`), so the object path,
the plain column path and the numpy path give equal figures.

Two choices are always explicit. **Tax**: every forecast carries its :class:`TaxBasis`;
forecasts of different bases or currencies never combine, and
:meth:`Forecast.excluding_tax` converts with a stated VAT rate. **The monthly mean**:
source 004's table (单位：万元（含税）) averages over the months in which the account sells
(:attr:`MeanOver.ACTIVE_PERIODS`: 270 / 9 = 30.00), not over calendar months
(:attr:`MeanOver.ALL_PERIODS`: 270 / 12 = 22.50); :meth:`Forecast.mean` takes the choice
as a required argument. Currencies are never mixed: deals in other currencies are
converted only through an explicit :class:`FxTable`.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from bigaccount.analytics.forecast import MeanOver, TaxBasis, forecast_columns
>>> from bigaccount.analytics.periods import Horizon
>>> seed = [0, 0, 0, 40, 15, 24, 25, 25, 40, 20, 36, 45]  # 万元, 含税, Jan-Dec
>>> table = forecast_columns(
...     [Decimal(v) for v in seed],
...     [1] * 12,
...     [dt.date(2008, m, 1) for m in range(1, 13)],
...     horizon=Horizon(dt.date(2008, 1, 1), 12),
...     currency="CNY",
...     tax=TaxBasis.INCLUSIVE,
... )
>>> str(table.in_horizon.weighted.amount), table.active_periods
('270', 9)
>>> str(table.mean(MeanOver.ACTIVE_PERIODS).amount), str(table.mean(MeanOver.ALL_PERIODS).amount)
('30.00', '22.50')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .._validate import member
from ..errors import CurrencyMismatch, InvalidData
from ..labels import Label, LabelledEnum, label_members
from ..money import Money, to_decimal
from . import _columns as col
from ._totals import BinTotals, totals_by_bin
from .fx import FxTable
from .periods import Horizon, Period, bins

if TYPE_CHECKING:
    from ..cycle import Cycle
    from ..deal import Deal

__all__ = [
    "Forecast",
    "FxTable",
    "MeanOver",
    "PeriodTotals",
    "TaxBasis",
    "forecast",
    "forecast_columns",
]


class TaxBasis(LabelledEnum):
    """Whether amounts include value-added tax."""

    INCLUSIVE = "inclusive"
    EXCLUSIVE = "exclusive"


label_members(
    TaxBasis,
    {
        TaxBasis.INCLUSIVE: Label("含税", "tax inclusive"),
        TaxBasis.EXCLUSIVE: Label("不含税", "tax exclusive"),
    },
)


class MeanOver(LabelledEnum):
    """Which periods a mean per period divides by."""

    ACTIVE_PERIODS = "active"
    """The periods with a forecast above zero (source 004's 月均: 270 / 9)."""
    ALL_PERIODS = "all"
    """Every period of the horizon (calendar months: 270 / 12)."""


label_members(
    MeanOver,
    {
        MeanOver.ACTIVE_PERIODS: Label("有销售的月份", "periods with sales"),
        MeanOver.ALL_PERIODS: Label("全部月份", "all periods"),
    },
)


def _tax(value: object) -> TaxBasis:
    return member(TaxBasis, value, "tax")


@frozen
class PeriodTotals:
    """The deals of one period (or of an overdue / later / undated group, or of all).

    Attributes:
        period: the period; ``None`` for a group that is not a period of the horizon.
        deals: how many deals.
        amount: their unweighted amount ``Σ a``.
        weighted: their stage-weighted amount ``Σ a·p``.
    """

    period: Period | None
    deals: int
    amount: Money
    weighted: Money


def _sum_totals(rows: Iterable[PeriodTotals], currency: str) -> PeriodTotals:
    deals, amount, weighted = 0, Decimal(0), Decimal(0)
    with localcontext(col.EXACT):
        for row in rows:
            deals += row.deals
            amount += row.amount.amount
            weighted += row.weighted.amount
    return PeriodTotals(None, deals, col.money(amount, currency), col.money(weighted, currency))


@frozen
class Forecast:
    """A forecast by period of expected close over a horizon.

    Attributes:
        horizon: the periods forecast.
        currency: the currency of every amount.
        tax: whether the amounts include VAT.
        periods: one row per period of the horizon, in order.
        overdue: deals expected to close before the horizon (still open, or closed earlier).
        later: deals expected to close after it.
        undated: deals without an expected close.
    """

    horizon: Horizon
    currency: str
    tax: TaxBasis = field(converter=_tax)
    periods: tuple[PeriodTotals, ...]
    overdue: PeriodTotals
    later: PeriodTotals
    undated: PeriodTotals

    @property
    def in_horizon(self) -> PeriodTotals:
        """The periods of the horizon together."""
        return _sum_totals(self.periods, self.currency)

    @property
    def total(self) -> PeriodTotals:
        """Every deal: the horizon, overdue, later and undated."""
        rows = (*self.periods, self.overdue, self.later, self.undated)
        return _sum_totals(rows, self.currency)

    @property
    def active_periods(self) -> int:
        """How many periods of the horizon have a weighted forecast above zero."""
        return sum(1 for row in self.periods if row.weighted.amount > 0)

    def mean(self, over: MeanOver | str, places: int = 2) -> Money:
        """The weighted forecast per period of the horizon, rounded half-even to *places*.

        ``over`` says what to divide by: the active periods (source 004's 月均) or all
        of them. With no active period the mean is zero.
        """
        over = member(MeanOver, over, "over")
        count = self.active_periods if over is MeanOver.ACTIVE_PERIODS else len(self.periods)
        total = self.in_horizon.weighted.amount
        mean = total / count if count else Decimal(0)
        return Money(
            mean.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN), self.currency
        )

    def excluding_tax(self, vat_rate: Decimal | str, places: int = 2) -> Forecast:
        """The same forecast without VAT: every amount ÷ (1 + *vat_rate*), rounded half-even.

        Only a tax-inclusive forecast can be converted (an exclusive one has no VAT to
        take out); amounts are rounded to *places* (2: fen, cents), row by row.
        """
        if self.tax is not TaxBasis.INCLUSIVE:
            raise InvalidData("tax", "the forecast is tax exclusive already")
        rate = to_decimal(vat_rate, "vat_rate") if not isinstance(vat_rate, float) else None
        if rate is None or not Decimal(0) <= rate < Decimal(1):
            raise InvalidData("vat_rate", f"expected a Decimal rate in [0, 1), got {vat_rate!r}")
        divisor = 1 + rate
        step = Decimal(1).scaleb(-places)

        def net(value: Money) -> Money:
            amount = (value.amount / divisor).quantize(step, rounding=ROUND_HALF_EVEN)
            return col.money(amount, self.currency)

        def row(totals: PeriodTotals) -> PeriodTotals:
            return PeriodTotals(
                totals.period, totals.deals, net(totals.amount), net(totals.weighted)
            )

        return Forecast(
            self.horizon,
            self.currency,
            TaxBasis.EXCLUSIVE,
            tuple(row(r) for r in self.periods),
            row(self.overdue),
            row(self.later),
            row(self.undated),
        )

    def plus(self, other: Forecast) -> Forecast:
        """Two forecasts of the same horizon, currency and tax basis, added period by period."""
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency, "add forecasts in")
        if other.tax is not self.tax:
            raise InvalidData("tax", "cannot add a tax-inclusive and a tax-exclusive forecast")
        if other.horizon != self.horizon:
            raise InvalidData("horizon", "cannot add forecasts over different horizons")

        def add(a: PeriodTotals, b: PeriodTotals) -> PeriodTotals:
            summed = _sum_totals((a, b), self.currency)
            return PeriodTotals(a.period, summed.deals, summed.amount, summed.weighted)

        return Forecast(
            self.horizon,
            self.currency,
            self.tax,
            tuple(add(a, b) for a, b in zip(self.periods, other.periods, strict=True)),
            add(self.overdue, other.overdue),
            add(self.later, other.later),
            add(self.undated, other.undated),
        )


# -- the column path -------------------------------------------------------------------


def assemble(horizon: Horizon, currency: str, tax: TaxBasis, totals: BinTotals) -> Forecast:
    """The forecast of exact per-bin *totals* (bins as :func:`~.periods.bins` numbers them)."""
    places = totals.places

    def row(b: int, period: Period | None) -> PeriodTotals:
        return PeriodTotals(
            period,
            int(totals.counts[b]),
            col.money(totals.sums[b], currency, places),
            col.money(totals.weighted[b], currency, places + 4),
        )

    count = horizon.count
    return Forecast(
        horizon,
        currency,
        tax,
        tuple(row(i + 1, p) for i, p in enumerate(horizon.periods)),
        row(0, None),
        row(count + 1, None),
        row(count + 2, None),
    )


def column_totals(
    amounts: Sequence[Any],
    probabilities: Sequence[Any],
    closes: Sequence[Any],
    horizon: Horizon,
    minor_unit: int = 0,
) -> BinTotals:
    """The exact per-bin totals of deals given as columns (numpy arrays take the numpy path)."""
    if col.is_array(amounts) or col.is_array(probabilities) or col.is_array(closes):
        from ._arrays import totals_by_bin_numpy

        return totals_by_bin_numpy(amounts, probabilities, closes, horizon, minor_unit)
    n = len(amounts)
    col.check_length("probabilities", probabilities, n)
    col.check_length("closes", closes, n)
    integer = col.amounts_are_int(amounts, minor_unit)
    pts = col.points_column(probabilities) if integer else col.decimal_points(probabilities)
    keys = bins(closes, horizon)
    counts, sums, weighted = totals_by_bin(amounts, pts, keys, horizon.count + 3, integer)
    return BinTotals(tuple(counts), tuple(sums), tuple(weighted), minor_unit if integer else 0)


def forecast_columns(
    amounts: Sequence[Any],
    probabilities: Sequence[Any],
    closes: Sequence[Any],
    *,
    horizon: Horizon,
    currency: str,
    tax: TaxBasis | str,
    minor_unit: int = 0,
) -> Forecast:
    """The forecast of deals given as columns (the core of :func:`forecast`).

    Args:
        amounts: ``Decimal`` amounts, or ``int`` amounts in minor units (*minor_unit*
            decimal places); a numpy integer array of minor units.
        probabilities: win probabilities on the basis-point grid (won 1, lost 0); a
            numpy float array.
        closes: the expected (or actual) close of each deal: dates or ``None``, or
            integer month codes; a numpy ``datetime64`` (``NaT`` undated) or integer array.
        horizon: the periods to forecast.
        currency: the currency of the amounts.
        tax: whether the amounts include VAT.
        minor_unit: decimal places of integer amounts.

    Any numpy array among the columns selects the numpy path (numpy is imported then).
    """
    if not isinstance(horizon, Horizon):
        raise InvalidData("horizon", f"expected a Horizon, got {horizon!r}")
    currency = Money(0, currency).currency
    basis = _tax(tax)
    totals = column_totals(amounts, probabilities, closes, horizon, minor_unit)
    return assemble(horizon, currency, basis, totals)


# -- the object path -------------------------------------------------------------------


def forecast(
    deals: Iterable[Deal],
    cycle: Cycle | str,
    *,
    horizon: Horizon,
    currency: str,
    tax: TaxBasis | str,
    fx: FxTable | None = None,
    probabilities: Mapping[str, Any] | None = None,
) -> Forecast:
    """The forecast of *deals* by their stage in *cycle* (see the module docstring).

    Each deal started in *cycle* counts with the probability of its state there (won 1,
    lost and stalled 0), or with ``probabilities[deal.id]`` where given (e.g. the
    :attr:`~bigaccount.analytics.weighting.Weights.probabilities` of a weighting with
    overrides and adjustments). Open deals are placed by ``expected_close``, closed ones
    by the date of their outcome. Deals not started in *cycle* are not in its pipeline
    and are left out. Amounts in another currency than *currency* need *fx*.
    """
    from ._deals import converter, resolve, state_points

    if not isinstance(horizon, Horizon):
        raise InvalidData("horizon", f"expected a Horizon, got {horizon!r}")
    currency = Money(0, currency).currency
    basis = _tax(tax)
    c = resolve(cycle)
    table = {state: Decimal(p) for state, p in state_points(c).items()}
    own = {
        key: Decimal(col.points(v, f"probabilities[{key!r}]"))
        for key, v in (probabilities or {}).items()
    }
    convert = converter(currency, fx)
    size = horizon.count + 3
    counts = [0] * size
    sums = [Decimal(0)] * size
    weighted = [Decimal(0)] * size
    place: dict[dt.date | None, int] = {}
    name, won, dropped = c.name, "WON", ("LOST", "STALLED")
    with localcontext(col.EXACT):
        for deal in deals:
            track = deal.tracks.get(name)
            if track is None:
                continue
            state = track.state
            if state in dropped:
                continue
            if state == won:
                close = track.last_change.at.date()  # type: ignore[union-attr]
                p = table[won]
            else:
                close = deal.expected_close
                p = own.get(deal.id, table[state]) if own else table[state]
            b = place.get(close)
            if b is None:
                b = place[close] = bins([close], horizon)[0]
            money = deal.amount
            a = money.amount if money.currency == currency else convert(money)
            counts[b] += 1
            sums[b] += a
            weighted[b] += a * p
    return assemble(
        horizon, currency, basis, BinTotals(tuple(counts), tuple(sums), tuple(weighted), 0)
    )
