"""The forecast of a dask DataFrame, partition by partition, on whatever dask runs on.

For a pipeline too large for one machine: each partition is reduced to its exact
per-period totals (the count, ``Σ a`` and ``Σ a·points`` of
:func:`~bigaccount.analytics.frames.forecast_frame`, as integers or ``Decimal``), and
the partial totals are added exactly where the result is wanted. Addition of integers
is associative, so the forecast is the same to the last digit however the frame is
partitioned, and equal to the column path's on the whole frame. The tasks run on the
current dask scheduler: the threads of this process by default, or a
``dask.distributed`` cluster when a ``Client`` is active (or given as *client*).

dask is imported inside :func:`forecast_dask` (the ``dask`` extra, with
``distributed`` for a cluster), never when ``bigaccount`` is imported.

>>> import pytest; dd = pytest.importorskip("dask.dataframe")
>>> import datetime as dt, pandas as pd
>>> from bigaccount.analytics.distributed import forecast_dask
>>> from bigaccount.analytics.periods import Horizon
>>> frame = pd.DataFrame({
...     "amount": [100, 200, 300, 400],
...     "p": [0.5, 0.5, 1.0, 0.1],
...     "close": pd.to_datetime(["2026-01-05", "2026-02-01", None, "2026-01-31"]),
... })
>>> result = forecast_dask(
...     dd.from_pandas(frame, npartitions=2), amount="amount", probability="p", close="close",
...     horizon=Horizon(dt.date(2026, 1, 1), 2), currency="CNY", tax="exclusive",
... )
>>> [str(p.weighted.amount) for p in result.periods], str(result.undated.weighted.amount)
(['90', '100'], '300')
"""

from __future__ import annotations

import importlib
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any

from .._validate import optional_text
from ..errors import InvalidData
from ._totals import BinTotals
from .forecast import Forecast, TaxBasis, _tax, assemble
from .frames import FrameSpec, partial_totals, spec
from .fx import FxTable
from .periods import Horizon

if TYPE_CHECKING:
    from ..cycle import Cycle

__all__ = ["forecast_dask", "forecast_dask_by"]


def _partial(frame: Any, s: FrameSpec) -> list[tuple[Hashable | None, BinTotals]]:
    return list(partial_totals(frame, s).items())


def _combine(
    parts: list[list[tuple[Hashable | None, BinTotals]]],
) -> dict[Hashable | None, BinTotals]:
    """The partial totals added group by group, in the order groups first appear."""
    result: dict[Hashable | None, BinTotals] = {}
    for part in parts:
        for key, totals in part:
            result[key] = result[key].plus(totals) if key in result else totals
    return result


def _totals(frame: Any, s: FrameSpec, client: Any) -> dict[Hashable | None, BinTotals]:
    try:
        dask = importlib.import_module("dask")
    except ImportError:  # pragma: no cover - the extra is missing
        raise ImportError("dask frames need dask: pip install 'bigaccount[dask]'") from None
    if not hasattr(frame, "to_delayed") or not hasattr(frame, "npartitions"):
        raise InvalidData("frame", f"expected a dask DataFrame, got {type(frame).__name__}")
    delayed = dask.delayed(_partial, pure=False)
    tasks = [delayed(part, s) for part in frame.to_delayed()]
    parts = dask.compute(*tasks) if client is None else client.gather(client.compute(tasks))
    return _combine(list(parts))


def forecast_dask(
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
    client: Any = None,
) -> Forecast:
    """The forecast of a dask DataFrame, computed partition-wise (see the module docstring).

    The columns are read as by :func:`~bigaccount.analytics.frames.forecast_frame`,
    whose result on the whole frame this equals.
    """
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
    totals = _totals(frame, s, client)
    empty = BinTotals.empty(horizon.count + 3, minor_unit)
    return assemble(horizon, s.currency, basis, totals.get(None, empty))


def forecast_dask_by(
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
    client: Any = None,
) -> dict[Hashable | None, Forecast]:
    """One forecast per value of *by*, partition-wise; equals ``forecast_frame_by``."""
    optional_text(by, "by")
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
    return {
        key: assemble(horizon, s.currency, basis, totals)
        for key, totals in _totals(frame, s, client).items()
    }
