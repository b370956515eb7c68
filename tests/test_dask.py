"""The forecast computed partition-wise on a dask.distributed cluster equals the column path."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from bigaccount import InvalidData
from bigaccount.analytics.forecast import TaxBasis, forecast_columns
from bigaccount.analytics.periods import Horizon

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

from bigaccount.analytics.distributed import forecast_dask, forecast_dask_by  # noqa: E402
from bigaccount.analytics.frames import forecast_frame_by  # noqa: E402

H2026 = Horizon(dt.date(2026, 1, 1), 12)
PROBABILITIES = ["0", "0.1", "0.2", "0.25", "0.3", "0.5", "0.75", "0.9", "1"]


@pytest.fixture(scope="module")
def client():
    """A two-worker cluster on the loopback interface, closed after the module's tests."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as connected:
        yield connected


def pipeline(n, seed):
    """*n* deals: amounts near the int64 limit of their products, dates spread around 2026."""
    rnd = random.Random(seed)
    days = [dt.date(2025, 9, 1) + dt.timedelta(days=i) for i in range(600)]
    amounts = [rnd.randrange(0, 10**11) for _ in range(n)]
    probabilities = [rnd.choice(PROBABILITIES) for _ in range(n)]
    closes = [rnd.choice(days) if rnd.random() > 0.05 else None for _ in range(n)]
    owners = [rnd.choice(["li", "wang", "zhao", None]) for _ in range(n)]
    return amounts, probabilities, closes, owners


def frame_of(amounts, probabilities, closes, owners):
    return pd.DataFrame(
        {
            "amount": pd.Series(amounts, dtype="int64"),
            "p": pd.Series([float(p) for p in probabilities], dtype="float64"),
            "close": pd.Series(pd.to_datetime(closes), dtype="datetime64[ns]"),
            "owner": pd.Series(owners, dtype=object),
        }
    )


def columns_forecast(amounts, probabilities, closes, **kw):
    return forecast_columns(
        amounts,
        probabilities,
        closes,
        horizon=H2026,
        currency="CNY",
        tax=TaxBasis.EXCLUSIVE,
        **kw,
    )


def run(frame, **kw):
    return forecast_dask(
        frame,
        amount="amount",
        probability="p",
        close="close",
        horizon=H2026,
        currency="CNY",
        tax="exclusive",
        **kw,
    )


@pytest.mark.parametrize("partitions", [1, 2, 4])
def test_partition_wise_forecast_equals_the_column_path(client, partitions):
    amounts, probabilities, closes, owners = pipeline(5_000, seed=partitions)
    frame = dd.from_pandas(frame_of(amounts, probabilities, closes, owners), npartitions=partitions)
    assert frame.npartitions == partitions
    expected = columns_forecast(amounts, probabilities, closes, minor_unit=2)
    assert run(frame, minor_unit=2, client=client) == expected
    assert run(frame, minor_unit=2) == expected  # the active client, found by dask itself


@pytest.mark.parametrize("partitions", [1, 2, 4])
def test_groups_and_decimal_amounts_partition_wise(client, partitions):
    amounts, probabilities, closes, owners = pipeline(800, seed=10 + partitions)
    decimals = [Decimal(a).scaleb(-2) for a in amounts]
    whole = frame_of(amounts, probabilities, closes, owners).assign(
        amount=pd.Series(decimals, dtype=object)
    )
    with dask.config.set({"dataframe.convert-string": False}):  # keep the Decimal objects
        frame = dd.from_pandas(whole, npartitions=partitions)
    by_owner = forecast_dask_by(
        frame,
        by="owner",
        amount="amount",
        probability="p",
        close="close",
        horizon=H2026,
        currency="CNY",
        tax="exclusive",
        client=client,
    )
    assert set(by_owner) == {"li", "wang", "zhao", None}
    for owner, forecast in by_owner.items():
        mine = [i for i, o in enumerate(owners) if o == owner]
        assert forecast == columns_forecast(
            [decimals[i] for i in mine],
            [probabilities[i] for i in mine],
            [closes[i] for i in mine],
        )
    single = forecast_frame_by(
        whole,
        by="owner",
        amount="amount",
        probability="p",
        close="close",
        horizon=H2026,
        currency="CNY",
        tax="exclusive",
    )
    assert by_owner == single


def test_bad_partitions_are_refused_with_the_column_named(client):
    whole = pd.DataFrame({"amount": [1, 2, 3, 4], "p": [0.5, 0.5, 0.5, 1 / 3], "close": [None] * 4})
    frame = dd.from_pandas(whole, npartitions=2)
    with pytest.raises(InvalidData) as info:
        run(frame, client=client)
    assert info.value.field.startswith("p[")
    with pytest.raises(InvalidData):
        run(whole)  # a pandas frame is not a dask one
    text = dd.from_pandas(whole.assign(amount=[Decimal(1)] * 4, p=0.5), npartitions=2)
    with pytest.raises(InvalidData) as info:
        run(text, client=client)  # dask made the Decimal objects text
    assert "convert-string" in info.value.problem
