"""Benchmark of the forecast analytics against hand-written loops, and quantiles vs Monte Carlo.

Run it by hand, never under pytest::

    python benchmarks/bench_forecast.py            # full run (10^6 deals; several minutes)
    python benchmarks/bench_forecast.py --quick    # smaller sizes, under a minute

Every ratio compares two computations of the same figures in the same run, and the
script checks that they agree before it prints the ratio:

* the column path (``forecast_columns`` on int amounts, float probabilities and dates)
  against a hand-written loop over ``(amount, probability, date)`` tuples: target 1.5x;
* the numpy path (int64 amounts, float64 probabilities, integer month codes) against
  hand-written numpy doing the same exact integer sums: target 1.5x; the cost of the
  input checks alone is printed beside it;
* the pandas path (``forecast_frame`` on int64, float64 and datetime64 columns) against
  a pandas ``groupby`` computing the same exact sums from the same columns: target 1.5x;
* the object path (``forecast(deals, ...)``) against a hand-written loop over the same
  ``Deal`` objects, 10^6 of them in a full run (building them takes minutes): target 1.2x;
* the won-revenue quantiles of 10^4 deals against a 10^5-draw numpy Monte Carlo: the
  time of each, and the distance of the Monte Carlo quantiles from the bracket;
* calibration over 10^6 closed deals (``StageRates.updated``) and the reliability table
  of 10^6 predictions (``reliability``), each against a hand-written loop (no target);
* the forecast of a dask frame of the same deals split in 1, 2 and 4 partitions, on a
  two-worker ``dask.distributed`` cluster on the loopback interface (threads), against
  ``forecast_frame`` on the whole pandas frame (no target: it shows the overhead).

pandas and dask parts are skipped, with a note, when those extras are not installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import random
import sys
import time
import warnings
from collections.abc import Callable
from decimal import Decimal
from statistics import NormalDist
from typing import Any

import numpy as np

from bigaccount import Account, Deal, Money, get_cycle
from bigaccount.analytics.forecast import TaxBasis, forecast, forecast_columns
from bigaccount.analytics.periods import Horizon, month_code
from bigaccount.analytics.uncertainty import won_revenue_columns

TARGET_COLUMNS = 1.5
TARGET_NUMPY = 1.5
TARGET_PANDAS = 1.5
TARGET_OBJECTS = 1.2
PROBS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.8, 1.0, 0.0)
HORIZON = Horizon(dt.date(2026, 1, 1), 12)
FIRST = HORIZON.first


def best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The best time of *repeats* runs (garbage collector off), and the last result."""
    times, result = [], None
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        gc.enable()
    return min(times), result


def report(name: str, ours: float, theirs: float, target: float | None) -> None:
    ratio = ours / theirs
    verdict = "" if target is None else ("PASS" if ratio <= target else "MISS")
    goal = "" if target is None else f" (target <= {target}x) {verdict}"
    print(f"{name:44s} {ours * 1e3:9.1f} ms vs {theirs * 1e3:9.1f} ms  = {ratio:5.2f}x{goal}")


def hand_loop(rows: list[tuple[int, float, dt.date | None]]) -> dict[int, list[int]]:
    """Per bin: count, Σ a and Σ a·basis points, written out by hand."""
    size = HORIZON.count
    out: dict[int, list[int]] = {}
    for amount, p, close in rows:
        if close is None:
            key = size + 2
        else:
            offset = close.year * 12 + close.month - 1 - FIRST
            key = 0 if offset < 0 else (offset + 1 if offset < size else size + 1)
        row = out.get(key)
        if row is None:
            row = out[key] = [0, 0, 0]
        row[0] += 1
        row[1] += amount
        row[2] += amount * round(p * 10_000)
    return out


def hand_numpy(amounts: Any, probs: Any, months: Any) -> tuple[Any, Any, Any]:
    points = np.rint(probs * 10_000).astype(np.int64)
    keys = np.clip(months - (FIRST - 1), 0, HORIZON.count + 1)
    counts = np.bincount(keys, minlength=HORIZON.count + 3)
    sums = np.zeros(HORIZON.count + 3, dtype=np.int64)
    np.add.at(sums, keys, amounts)
    weighted = np.zeros(HORIZON.count + 3, dtype=np.int64)
    np.add.at(weighted, keys, amounts * points)
    return counts, sums, weighted


def hand_objects(deals: list[Deal], points: dict[str, Decimal]) -> dict[int, list[Any]]:
    size = HORIZON.count
    out: dict[int, list[Any]] = {}
    for deal in deals:
        track = deal.tracks.get("funnel")
        if track is None or track.state in ("LOST", "STALLED"):
            continue
        state = track.state
        last = track.last_change
        close = last.at.date() if state == "WON" and last is not None else deal.expected_close
        if close is None:
            key = size + 2
        else:
            offset = close.year * 12 + close.month - 1 - FIRST
            key = 0 if offset < 0 else (offset + 1 if offset < size else size + 1)
        row = out.get(key)
        if row is None:
            row = out[key] = [0, Decimal(0), Decimal(0)]
        amount = deal.amount.amount
        row[0] += 1
        row[1] += amount
        row[2] += amount * points[state]
    return out


def check(result: Any, by_hand: dict[int, list[Any]], scale: int) -> None:
    rows = (result.overdue, *result.periods, result.later, result.undated)
    for key, (count, amount, weighted) in by_hand.items():
        row = rows[key]
        assert row.deals == count, (key, row.deals, count)
        assert row.amount.amount == Decimal(amount).scaleb(-scale)
        assert row.weighted.amount == Decimal(weighted).scaleb(-scale - 4)


def hand_pandas(frame: Any) -> dict[int, list[int]]:
    """The same sums with pandas: month codes from the dates, then one ``groupby``."""
    import pandas as pd

    size = HORIZON.count
    close = frame["close"]
    month = close.dt.year * 12 + close.dt.month - 1
    key = (month - (FIRST - 1)).clip(0, size + 1).fillna(size + 2).astype("int64")
    points = (frame["p"] * 10_000).round().astype("int64")
    grouped = pd.DataFrame(
        {"key": key, "a": frame["amount"], "w": frame["amount"] * points}
    ).groupby("key")
    table = grouped.agg(n=("a", "size"), a=("a", "sum"), w=("w", "sum"))
    return {int(k): [int(r.n), int(r.a), int(r.w)] for k, r in table.iterrows()}


def bench_columns(n: int, repeats: int, rng: random.Random) -> dict[str, Any]:
    days = [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(600)]
    amounts = [rng.randrange(100, 10**9) for _ in range(n)]
    probs = [rng.choice(PROBS) for _ in range(n)]
    closes: list[dt.date | None] = [
        rng.choice(days) if rng.random() > 0.02 else None for _ in range(n)
    ]
    rows = list(zip(amounts, probs, closes, strict=True))

    def ours() -> Any:
        return forecast_columns(
            amounts,
            probs,
            closes,
            horizon=HORIZON,
            currency="CNY",
            tax=TaxBasis.INCLUSIVE,
            minor_unit=2,
        )

    theirs_t, by_hand = best(lambda: hand_loop(rows), repeats)
    ours_t, result = best(ours, repeats)
    check(result, by_hand, 2)
    report("column path / hand-written tuple loop", ours_t, theirs_t, TARGET_COLUMNS)
    return {"amounts": amounts, "probs": probs, "closes": closes, "days": days}


def bench_numpy(data: dict[str, Any], repeats: int) -> None:
    from bigaccount.analytics import _arrays

    a = np.array(data["amounts"], dtype=np.int64)
    p = np.array(data["probs"])
    dated = [c if c is not None else data["days"][0] for c in data["closes"]]
    months = np.array([month_code(c) for c in dated], dtype=np.int64)
    theirs_t, ours_t = math.inf, math.inf
    result = counts = sums = weighted = None
    for _ in range(repeats):  # interleaved, so that a slow patch of the machine hurts both
        t1, (counts, sums, weighted) = best(lambda: hand_numpy(a, p, months), 1)
        t2, result = best(
            lambda: forecast_columns(
                a, p, months, horizon=HORIZON, currency="CNY", tax="inclusive", minor_unit=2
            ),
            1,
        )
        theirs_t, ours_t = min(theirs_t, t1), min(ours_t, t2)
    assert counts is not None
    assert sums is not None
    assert weighted is not None
    by_hand_np = {
        k: [int(counts[k]), int(sums[k]), int(weighted[k])] for k in range(len(counts)) if counts[k]
    }
    check(result, by_hand_np, 2)
    report("numpy path / hand-written numpy", ours_t, theirs_t, TARGET_NUMPY)
    checks_t, _ = best(lambda: (_arrays.integer_amounts(a), _arrays.points_array(p)), repeats)
    convert_t, _ = best(lambda: np.rint(p * 10_000).astype(np.int64), repeats)
    print(
        f"  of which the input checks {checks_t * 1e3:.1f} ms"
        f" (hand-written numpy converts without checking in {convert_t * 1e3:.1f} ms)"
    )


def bench_pandas(data: dict[str, Any], repeats: int) -> Any:
    try:
        import pandas as pd
    except ImportError:
        print("pandas path: skipped (pandas is not installed)")
        return None
    from bigaccount.analytics.frames import forecast_frame

    frame = pd.DataFrame(
        {
            "amount": np.array(data["amounts"], dtype=np.int64),
            "p": np.array(data["probs"]),
            "close": pd.to_datetime(data["closes"]).astype("datetime64[ns]"),
        }
    )

    def ours() -> Any:
        return forecast_frame(
            frame,
            amount="amount",
            probability="p",
            close="close",
            horizon=HORIZON,
            currency="CNY",
            tax="inclusive",
            minor_unit=2,
        )

    theirs_t, ours_t = math.inf, math.inf
    by_hand: dict[int, list[int]] = {}
    result = None
    for _ in range(repeats):
        t1, by_hand = best(lambda: hand_pandas(frame), 1)
        t2, result = best(ours, 1)
        theirs_t, ours_t = min(theirs_t, t1), min(ours_t, t2)
    check(result, by_hand, 2)
    report("pandas path / pandas groupby", ours_t, theirs_t, TARGET_PANDAS)
    return frame


def bench_objects(data: dict[str, Any], n_objects: int, repeats: int) -> None:
    cycle = get_cycle("funnel")
    at = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    states = [s.id for s in cycle.stages] + ["WON", "LOST"]
    account = Account("acct", "enterprise")
    print(f"building {n_objects:,} deals ...", file=sys.stderr)
    start = time.perf_counter()
    deals = []
    amounts, closes = data["amounts"], data["closes"]
    for i in range(n_objects):
        amount, close = amounts[i % len(amounts)], closes[i % len(closes)]
        deal = Deal(f"D{i}", account, Money(amount, "CNY"), close)
        deal.enter(cycle, states[i % len(states)], at=at)
        deals.append(deal)
    print(f"  built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    points = {}
    for state in (*states, "STALLED"):
        prob = cycle.probability(state)
        points[state] = Decimal(round((prob or 0) * 10_000)) / 10_000
    theirs_t, ours_t = math.inf, math.inf
    by_hand: dict[int, list[Any]] = {}
    result = None
    for _ in range(repeats):
        t1, by_hand = best(lambda: hand_objects(deals, points), 1)
        t2, result = best(
            lambda: forecast(deals, cycle, horizon=HORIZON, currency="CNY", tax="inclusive"), 1
        )
        theirs_t, ours_t = min(theirs_t, t1), min(ours_t, t2)
    check(result, {k: [v[0], v[1], v[2] * 10_000] for k, v in by_hand.items()}, 0)
    report(f"object path / hand loop ({n_objects:,} deals)", ours_t, theirs_t, TARGET_OBJECTS)


def bench_quantiles(n_quantile: int, draws: int) -> None:
    q_amounts = np.random.default_rng(7).lognormal(12, 1.2, n_quantile).astype(np.int64)
    q_probs = np.round(np.random.default_rng(8).integers(1, 20, n_quantile) * 0.05, 2)
    ours_t, dist = best(lambda: won_revenue_columns(q_amounts, q_probs, currency="CNY"), 1)

    def monte_carlo() -> Any:
        gen = np.random.default_rng(9)
        totals = np.empty(draws)
        chunk = max(1, 10_000_000 // n_quantile)
        for start in range(0, draws, chunk):
            size = min(chunk, draws - start)
            totals[start : start + size] = (gen.random((size, n_quantile)) < q_probs) @ q_amounts
        return totals

    mc_t, totals = best(monte_carlo, 1)
    report(f"quantiles, DP / {draws:,}-draw Monte Carlo ({n_quantile:,} deals)", ours_t, mc_t, None)
    print(
        f"  sd {dist.sd:,.0f}; grid step {dist.step}; sure bound {dist.error_bound};"
        f" lost {dist.lost:.1e}"
    )
    for item in dist.quantiles:
        q = float(item.q)
        mc = float(np.quantile(totals, q))
        se = math.sqrt(q * (1 - q) / draws) / NormalDist().pdf(NormalDist().inv_cdf(q))
        gap = max(float(item.low.amount) - mc, mc - float(item.high.amount), 0) / dist.sd
        print(
            f"  P{int(q * 100):02d}: DP {item.value.amount:,}"
            f" [{item.low.amount:,}, {item.high.amount:,}]"
            f" (±{item.error:,} = {float(item.error) / dist.sd:.4f} sd); MC {mc:,.0f}"
            f" ({(mc - float(item.value.amount)) / dist.sd:+.4f} sd; MC s.e. ~{se:.4f} sd)"
            f"{'' if gap <= 4 * se else '  OUTSIDE the bracket by more than 4 MC s.e.'}"
        )


def bench_calibration(n: int, repeats: int, rng: random.Random) -> None:
    from bigaccount.analytics.accuracy import reliability
    from bigaccount.analytics.calibration import StageRates

    cycle = get_cycle("funnel")
    rates = StageRates.for_cycle(cycle)
    stages = list(rates.stages)
    closed = [(rng.choice(stages), rng.random() < 0.4) for _ in range(n)]

    def hand_rates() -> tuple[list[int], list[int]]:
        index = {s: i for i, s in enumerate(stages)}
        won, deals = [0] * len(stages), [0] * len(stages)
        for stage, outcome in closed:
            for position in range(index[stage] + 1):  # reached: every stage up to the highest
                deals[position] += 1
                won[position] += outcome
        return won, deals

    theirs_t, (won, deals) = best(hand_rates, repeats)
    ours_t, fitted = best(lambda: rates.updated(closed), repeats)
    assert list(fitted.won) == won
    assert list(fitted.deals) == deals
    report(f"calibration, StageRates.updated / loop ({n:,} deals)", ours_t, theirs_t, None)

    predicted = [rng.random() for _ in range(n)]
    outcomes = [rng.random() < p for p in predicted]

    def hand_reliability() -> list[tuple[int, int]]:
        count, wins = [0] * 10, [0] * 10
        for p, y in zip(predicted, outcomes, strict=True):
            b = min(int(p * 10), 9)
            count[b] += 1
            wins[b] += y
        return [(c, w) for c, w in zip(count, wins, strict=True) if c]

    theirs_t, by_hand = best(hand_reliability, repeats)
    ours_t, table = best(lambda: reliability(predicted, outcomes, bins=10), repeats)
    assert [(b.count, round(b.observed_rate * b.count)) for b in table] == by_hand
    report(f"reliability table / loop ({n:,} predictions)", ours_t, theirs_t, None)


def bench_dask(frame: Any, repeats: int) -> None:
    if frame is None:
        return
    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask: skipped (dask[dataframe,distributed] is not installed)")
        return
    from bigaccount.analytics.distributed import forecast_dask
    from bigaccount.analytics.frames import forecast_frame

    kw: dict[str, Any] = {
        "amount": "amount",
        "probability": "p",
        "close": "close",
        "horizon": HORIZON,
        "currency": "CNY",
        "tax": "inclusive",
        "minor_unit": 2,
    }
    whole_t, expected = best(lambda: forecast_frame(frame, **kw), repeats)
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, Client(cluster) as client:
        for partitions in (1, 2, 4):
            with warnings.catch_warnings():  # the frame is shipped once, in the graph
                warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                parts = dd.from_pandas(frame, npartitions=partitions).persist()
            client.wait_for_workers(2)
            ours_t, result = best(
                lambda parts=parts: forecast_dask(parts, client=client, **kw), repeats
            )
            assert result == expected
            report(
                f"dask, {partitions} partition(s) on 2 workers / one frame", ours_t, whole_t, None
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--skip-objects", action="store_true", help="leave out the object path")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    n_objects = 20_000 if args.quick else 1_000_000
    n_quantile, draws = (1_000, 10_000) if args.quick else (10_000, 100_000)
    repeats = 3 if args.quick else 5
    rng = random.Random(2026)
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; {n:,} deals", file=sys.stderr)
    data = bench_columns(n, repeats, rng)
    bench_numpy(data, repeats)
    frame = bench_pandas(data, repeats)
    bench_dask(frame, 3)
    bench_quantiles(n_quantile, draws)
    bench_calibration(n, 3, rng)
    if not args.skip_objects:
        bench_objects(data, n_objects, 3)


if __name__ == "__main__":
    main()
