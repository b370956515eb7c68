"""The forecast of a pandas DataFrame: the column path, read from named columns.

:func:`forecast_frame` takes a frame and the names of its columns and returns the very
:class:`~bigaccount.analytics.forecast.Forecast` that
:func:`~bigaccount.analytics.forecast.forecast_columns` returns for the same columns;
:func:`forecast_frame_by` returns one per owner, segment or any other column;
:func:`forecast_table` lays a forecast out as a DataFrame for display, with bilingual
headers. pandas is imported inside these functions (the ``pandas`` extra), never when
``bigaccount`` is imported.

The columns are read once, as numpy arrays where pandas holds them so (no copy):

* **amount**: integers in minor units (``int64``; *minor_unit* places), or ``Decimal``
  objects in units. Floats are refused unless *round_floats* names the places to round
  them to (half-even, each value read by its shortest repr, as the library reads floats);
  they then become integer minor units of that many places. A missing amount is refused.
* **probability** (floats or ``Decimal`` on the basis-point grid), or **stage**: stage
  ids whose probability *stages* gives — a :class:`~bigaccount.cycle.Cycle` (or the
  name of a registered one; outcomes ``"WON"`` 1, ``"LOST"`` and ``"STALLED"`` 0) or a
  mapping of stage to probability. Every row is kept, a lost one with probability 0;
  filter the frame first to leave lost deals out, as
  :func:`~bigaccount.analytics.forecast.forecast` does.
* **close**: ``datetime64`` (``NaT``: undated; a timezone-aware column is read in its
  own zone's calendar), dates and ``None``, or integer month codes.
* **currency** (optional): each row's currency code; rows in another currency than
  *currency* are converted through *fx* exactly (the sums are then ``Decimal``).

>>> import pytest; pd = pytest.importorskip("pandas")
>>> import datetime as dt
>>> from bigaccount.analytics.frames import forecast_frame, forecast_table
>>> from bigaccount.analytics.periods import Horizon
>>> deals = pd.DataFrame({
...     "amount": [120_000_00, 80_000_00, 50_000_00],
...     "stage": ["NEGOTIATION", "INTENT", "WON"],
...     "close": pd.to_datetime(["2026-02-10", "2026-03-31", "2026-01-20"]),
... })
>>> result = forecast_frame(deals, amount="amount", stage="stage", stages="funnel",
...                         close="close", horizon=Horizon(dt.date(2026, 1, 1), 3),
...                         currency="CNY", tax="inclusive", minor_unit=2)
>>> [str(p.weighted.amount) for p in result.periods]
['50000', '60000', '16000']
>>> table = forecast_table(result, lang="zh")
>>> list(table.columns), list(table.index)[-4:]
(['商机数', '金额', '加权金额'], ['逾期', '以后', '无日期', '合计'])
>>> table.loc["2026-02", "加权金额"], table.attrs
(Decimal('60000'), {'currency': 'CNY', 'tax': 'inclusive'})
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..errors import CurrencyMismatch, InvalidData
from ..labels import Label, Lang
from ..money import Money
from . import _columns as col
from ._totals import BinTotals, totals_by_bin
from .forecast import Forecast, PeriodTotals, TaxBasis, _tax, assemble
from .fx import FxTable
from .periods import Horizon

if TYPE_CHECKING:
    from ..cycle import Cycle

__all__ = ["forecast_frame", "forecast_frame_by", "forecast_table"]

HEADERS = {
    "period": Label("期间", "period"),
    "deals": Label("商机数", "deals"),
    "amount": Label("金额", "amount"),
    "weighted": Label("加权金额", "weighted"),
}
"""The headers of :func:`forecast_table`."""

GROUPS = {
    "overdue": Label("逾期", "overdue"),
    "later": Label("以后", "later"),
    "undated": Label("无日期", "undated"),
    "total": Label("合计", "total"),
}
"""The rows of :func:`forecast_table` that are not periods of the horizon."""


@frozen
class FrameSpec:
    """Which columns hold what, and how to read them (see the module docstring)."""

    amount: str
    close: str
    horizon: Horizon
    currency: str
    probability: str | None = None
    stage: str | None = None
    stage_points: Mapping[Any, int] | None = None
    currency_column: str | None = None
    fx: FxTable | None = None
    minor_unit: int = 0
    round_floats: int | None = None
    by: str | None = None


def _stage_points(stages: Cycle | str | Mapping[str, Any]) -> dict[Any, int]:
    if isinstance(stages, Mapping):
        return {key: col.points(value, f"stages[{key!r}]") for key, value in stages.items()}
    from ._deals import resolve, state_points

    return dict(state_points(resolve(stages)))


def spec(
    *,
    amount: str,
    close: str,
    horizon: Horizon,
    currency: str,
    probability: str | None = None,
    stage: str | None = None,
    stages: Cycle | str | Mapping[str, Any] | None = None,
    currency_column: str | None = None,
    fx: FxTable | None = None,
    minor_unit: int = 0,
    round_floats: int | None = None,
    by: str | None = None,
) -> FrameSpec:
    """Check the arguments of a frame analytic once, before any column is read."""
    if not isinstance(horizon, Horizon):
        raise InvalidData("horizon", f"expected a Horizon, got {horizon!r}")
    if (probability is None) == (stage is None):
        raise InvalidData("probability", "name either a probability column or a stage column")
    if stage is not None and stages is None:
        raise InvalidData("stages", "a stage column needs a cycle or a stage -> probability map")
    if fx is not None and not isinstance(fx, FxTable):
        raise InvalidData("fx", f"expected an FxTable, got {fx!r}")
    col.amounts_are_int([], minor_unit)
    if round_floats is not None:
        if isinstance(round_floats, bool) or not isinstance(round_floats, int):
            raise InvalidData("round_floats", f"expected a number of places, got {round_floats!r}")
        if not 0 <= round_floats <= 9 or minor_unit:
            raise InvalidData(
                "round_floats", "rounds floats to 0-9 places of minor units; leave minor_unit 0"
            )
    target = Money(0, currency).currency
    if fx is not None and fx.into != target:
        raise InvalidData("fx", f"the FX table converts into {fx.into}, not {target}")
    return FrameSpec(
        amount,
        close,
        horizon,
        target,
        probability,
        stage,
        None if stages is None else _stage_points(stages),
        currency_column,
        fx,
        minor_unit,
        round_floats,
        by,
    )


def _pandas() -> Any:
    """pandas, imported now (untyped: the library works whether or not its stubs are there)."""
    try:
        return importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - the extra is missing
        raise ImportError("DataFrames need pandas: pip install 'bigaccount[pandas]'") from None


def _column(frame: Any, name: str) -> Any:
    if name not in frame.columns:
        raise InvalidData(name, f"no such column; the frame has {list(frame.columns)}")
    return frame[name]


def _first_missing(series: Any, name: str) -> None:
    missing = series.isna().to_numpy()
    if missing.any():
        raise InvalidData(f"{name}[{int(missing.argmax())}]", "is missing")


def _rounded(series: Any, places: int, name: str) -> Any:
    import numpy as np

    pd = _pandas()
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if (codes < 0).any():
        raise InvalidData(f"{name}[{int((codes < 0).argmax())}]", "is missing")
    step = Decimal(1).scaleb(-places)
    table = []
    for value in uniques.tolist():
        exact = col._exact(float(value), name)
        minor = exact.quantize(step, rounding=ROUND_HALF_EVEN).scaleb(places)
        if abs(minor) > 2**62:
            raise InvalidData(name, f"{value!r} is too large for minor units")
        table.append(int(minor))
    return np.asarray(table, dtype=np.int64)[codes]


def _amounts(frame: Any, s: FrameSpec) -> tuple[Any, int]:
    """The amount column as an ``int64`` array (with its places) or a list of ``Decimal``."""
    series = _column(frame, s.amount)
    kind = series.dtype.kind
    if kind == "f":
        if s.round_floats is None:
            raise InvalidData(
                s.amount,
                "holds floats; pass round_floats=<places> to round them to minor units,"
                " or give int minor units or Decimal",
            )
        return _rounded(series, s.round_floats, s.amount), s.round_floats
    _first_missing(series, s.amount)
    if isinstance(series.dtype, _pandas().StringDtype) or kind in "SU":
        raise InvalidData(
            s.amount,
            f"holds text ({series.dtype}), not int minor units or Decimal amounts (dask turns"
            " object columns into text unless its config 'dataframe.convert-string' is False)",
        )
    if kind in "iu":
        return series.to_numpy(), s.minor_unit
    if kind == "O":
        values = series.tolist()
        integer = col.amounts_are_int(values, s.minor_unit, s.amount)
        if integer:
            import numpy as np

            return np.asarray(values, dtype=object), s.minor_unit
        return values, 0
    raise InvalidData(s.amount, f"expected int minor units or Decimal amounts, not {series.dtype}")


def _converted(frame: Any, s: FrameSpec, amounts: Any, places: int) -> tuple[Any, int]:
    """Amounts of other currencies converted into the target, exactly (as ``Decimal``)."""
    if s.currency_column is None:
        return amounts, places
    series = _column(frame, s.currency_column)
    _first_missing(series, s.currency_column)
    codes = series.astype(object).tolist()
    known = {code: Money(0, code).currency for code in set(codes)}
    if set(known.values()) <= {s.currency}:
        return amounts, places
    if s.fx is None:
        other = sorted(set(known.values()) - {s.currency})[0]
        raise CurrencyMismatch(other, s.currency, "forecast (give an FxTable)")
    rates = {code: s.fx.rate(value) for code, value in known.items()}
    values = amounts.tolist() if col.is_array(amounts) else amounts
    with localcontext(col.EXACT):
        return [col.scaled(a, places) * rates[c] for a, c in zip(values, codes, strict=True)], 0


def _points(frame: Any, s: FrameSpec) -> Any:
    """The probabilities as ``int64`` basis points, checked on the grid."""
    import numpy as np

    if s.stage is not None:
        series = _column(frame, s.stage)
        pd = _pandas()
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        if (codes < 0).any():
            raise InvalidData(f"{s.stage}[{int((codes < 0).argmax())}]", "is missing")
        table = s.stage_points or {}
        unknown = [u for u in uniques.tolist() if u not in table]
        if unknown:
            raise InvalidData(s.stage, f"no probability for stage {unknown[0]!r}")
        return np.asarray([table[u] for u in uniques.tolist()], dtype=np.int64)[codes]
    name = s.probability or ""
    series = _column(frame, name)
    if series.dtype.kind in "fiu":
        from ._arrays import points_array

        return points_array(series.to_numpy(), name)
    _first_missing(series, name)
    return np.asarray(col.points_column(series.tolist(), name), dtype=np.int64)


def _closes(frame: Any, s: FrameSpec) -> Any:
    series = _column(frame, s.close)
    if getattr(series.dtype, "tz", None) is not None:
        series = series.dt.tz_localize(None)
    if series.dtype.kind in "Miu":
        return series.to_numpy()
    import numpy as np

    missing = series.isna().to_numpy().tolist()
    values = [None if gone else v for v, gone in zip(series.tolist(), missing, strict=True)]
    return np.asarray(values, dtype=object)


def _groups(frame: Any, by: str) -> tuple[Any, list[Hashable | None]]:
    """Each row's group code, and the group keys in order of first appearance."""
    pd = _pandas()
    codes, uniques = pd.factorize(_column(frame, by), use_na_sentinel=True)
    keys: list[Hashable | None] = list(uniques.tolist())
    if (codes < 0).any():
        codes = codes.copy()
        codes[codes < 0] = len(keys)
        keys.append(None)
    return codes, keys


def partial_totals(frame: Any, s: FrameSpec) -> dict[Hashable | None, BinTotals]:
    """The exact per-bin totals of one frame (or one partition of a larger one), per group."""
    from ._arrays import array_totals, integer_amounts, period_bins

    n = len(frame)
    size = s.horizon.count + 3
    amounts, places = _amounts(frame, s)
    amounts, places = _converted(frame, s, amounts, places)
    points = _points(frame, s)
    keys = period_bins(_closes(frame, s), s.horizon, n)
    groups: list[Hashable | None] = [None]
    combined = keys
    if s.by is not None:
        codes, groups = _groups(frame, s.by)
        if not groups:
            return {}
        combined = codes * size + keys
    whole = len(groups) * size
    fast = integer_amounts(amounts, s.amount) if col.is_array(amounts) else None
    if fast is not None:
        totals = array_totals(fast, points, combined, whole)
    else:
        values = amounts.tolist() if col.is_array(amounts) else amounts
        integer = col.amounts_are_int(values, places, s.amount)
        counts, sums, weighted = totals_by_bin(
            values, points.tolist(), combined.tolist(), whole, integer
        )
        totals = BinTotals(tuple(counts), tuple(sums), tuple(weighted), 0)
    result: dict[Hashable | None, BinTotals] = {}
    for g, key in enumerate(groups):
        part = slice(g * size, (g + 1) * size)
        result[key] = BinTotals(
            totals.counts[part], totals.sums[part], totals.weighted[part], places
        )
    return result


def _forecasts(
    parts: Mapping[Hashable | None, BinTotals], s: FrameSpec, basis: TaxBasis
) -> dict[Hashable | None, Forecast]:
    return {key: assemble(s.horizon, s.currency, basis, totals) for key, totals in parts.items()}


def forecast_frame(
    frame: Any,
    *,
    amount: str,
    close: str,
    horizon: Horizon,
    currency: str,
    tax: TaxBasis | str,
    probability: str | None = None,
    stage: str | None = None,
    stages: Cycle | str | Mapping[str, Any] | None = None,
    currency_column: str | None = None,
    fx: FxTable | None = None,
    minor_unit: int = 0,
    round_floats: int | None = None,
) -> Forecast:
    """The forecast of the deals of *frame* (see the module docstring for the columns).

    Equal to :func:`~bigaccount.analytics.forecast.forecast_columns` of the same columns.
    """
    _pandas()
    basis = _tax(tax)
    s = spec(
        amount=amount,
        close=close,
        horizon=horizon,
        currency=currency,
        probability=probability,
        stage=stage,
        stages=stages,
        currency_column=currency_column,
        fx=fx,
        minor_unit=minor_unit,
        round_floats=round_floats,
    )
    parts = partial_totals(frame, s)
    empty = BinTotals.empty(horizon.count + 3, minor_unit)
    return assemble(horizon, s.currency, basis, parts.get(None, empty))


def forecast_frame_by(
    frame: Any,
    *,
    by: str,
    amount: str,
    close: str,
    horizon: Horizon,
    currency: str,
    tax: TaxBasis | str,
    probability: str | None = None,
    stage: str | None = None,
    stages: Cycle | str | Mapping[str, Any] | None = None,
    currency_column: str | None = None,
    fx: FxTable | None = None,
    minor_unit: int = 0,
    round_floats: int | None = None,
) -> dict[Hashable | None, Forecast]:
    """One forecast per value of the column *by* (an owner, a segment …), in one pass.

    Groups come in the order of their first row; rows without a value form the group
    ``None``. Each forecast equals :func:`forecast_frame` of that group's rows.
    """
    _pandas()
    basis = _tax(tax)
    s = spec(
        amount=amount,
        close=close,
        horizon=horizon,
        currency=currency,
        probability=probability,
        stage=stage,
        stages=stages,
        currency_column=currency_column,
        fx=fx,
        minor_unit=minor_unit,
        round_floats=round_floats,
        by=by,
    )
    return _forecasts(partial_totals(frame, s), s, basis)


def forecast_table(result: Forecast, *, lang: Lang | str | None = None) -> Any:
    """*result* as a DataFrame for display: a row per period, then overdue, later, undated, total.

    The columns are the number of deals, the amount and the weighted amount (exact
    ``Decimal`` in units of the forecast's currency); headers and the names of the
    groups are in *lang*.
    """
    pd = _pandas()
    if not isinstance(result, Forecast):
        raise InvalidData("result", f"expected a Forecast, got {result!r}")
    rows: list[tuple[str, PeriodTotals]] = [(p.period.label, p) for p in result.periods if p.period]
    rows += [
        (GROUPS["overdue"].text(lang), result.overdue),
        (GROUPS["later"].text(lang), result.later),
        (GROUPS["undated"].text(lang), result.undated),
        (GROUPS["total"].text(lang), result.total),
    ]
    table = pd.DataFrame(
        {
            HEADERS["deals"].text(lang): [r.deals for _, r in rows],
            HEADERS["amount"].text(lang): [r.amount.amount for _, r in rows],
            HEADERS["weighted"].text(lang): [r.weighted.amount for _, r in rows],
        },
        index=pd.Index([name for name, _ in rows], name=HEADERS["period"].text(lang)),
    )
    table.attrs["currency"] = result.currency
    table.attrs["tax"] = result.tax.value
    return table
